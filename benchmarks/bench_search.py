"""Search speed at 100,000 documents, indexed and not yet indexed, beside the FTS count alone.

Floor: ``SELECT count(*) FROM documents_fts WHERE documents_fts MATCH ?`` with the same match
expression: the index lookup every search needs. Ours: ``Project.search`` as the document
list uses it: the count and the first page of 200 rows in list order (a "search"), a page
deep in the results (offset 10,000), and the row of a late document in the list
(``document_row``: the window selects the shown document). Single letters ("a", "th"):
what the first keys typed in the search box ask.

Not yet indexed: the same project with every document pending for search (a project from
before import-time indexing, or right after the migration "search index without token
positions"). Each search of a freshly opened project spends up to
``store.search.CATCH_UP_SECONDS`` indexing pending documents in memory; figures: the first
search, how many searches until the answer is complete, and a search once everything pending
is in memory.

    python benchmarks/bench_search.py                      # 100,000 documents (built once, ~2 min)
    python benchmarks/bench_search.py --docs 10000 --keep /tmp/bench
    python benchmarks/bench_search.py --repeat 25

Targets (issue 17): every search < 50 ms at 100,000 documents indexed, < 300 ms not indexed.
"""

from __future__ import annotations

import argparse
import shutil
import sqlite3
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent))

from benchkit import LoadSampler, Series, Stopwatch, child_main, header, run_child, time_calls  # noqa: E402

QUERIES = ("Lisbon", "officials said", "according to", "Reykjavík Halvorsen", "the", "a", "th", "zzzz")


def build(corpus: str, project_path: str, docs: str) -> dict:
    from corpus import build_project

    built = build_project(int(docs), corpus, project_path)
    Path(corpus).unlink()  # ~400 MB at 100,000 documents
    return {"wall": built.pop("seconds"), "cpu": 0.0, **built}


def unindex(path: str) -> dict:
    with Stopwatch() as clock:
        conn = sqlite3.connect(path)
        with conn:
            conn.execute("INSERT INTO documents_fts (documents_fts) VALUES ('delete-all')")
            conn.execute("INSERT OR IGNORE INTO search_pending (doc_id) SELECT id FROM documents")
        conn.close()
    return clock.figures()


def _series(series: Series) -> dict:
    return {"wall": series.values("wall"), "cpu": series.values("cpu")}


def run_indexed(path: str, repeat: str) -> dict:
    from annotator.store import Project
    from annotator.store.search import fts_query

    n = int(repeat)
    out: dict = {}
    with Project.open(Path(path), check=False) as project:
        project.read_only = True
        late = next(project.db.query("SELECT id FROM documents ORDER BY position DESC LIMIT 1"))["id"]
        for query in QUERIES:
            match = fts_query(query)
            result = project.search(query)
            figures = {"count": result.count, "unsearched": result.unsearched}
            floor = time_calls(lambda: next(project.db.query(
                "SELECT count(*) AS n FROM documents_fts WHERE documents_fts MATCH ?", [match])), n)
            search = time_calls(lambda: (lambda r: (r.count, r.page(0, 200)))(project.search(query)), n)
            deep = time_calls(lambda: project.search(query).page(10_000, 200), n)
            row = time_calls(lambda: project.document_row(late, None, query), n)
            out[query] = {**figures, "floor": _series(floor), "search": _series(search), "deep": _series(deep),
                          "row": _series(row)}
    return {"wall": 0.0, "cpu": 0.0, "queries": out}


def run_pending(path: str, repeat: str) -> dict:
    from annotator.store import Project

    n = int(repeat)
    out: dict = {}
    for query in QUERIES:
        firsts, unsearched = Series(), []
        for _ in range(n):
            with Project.open(Path(path), check=False) as project:
                project.read_only = True
                got: list = []
                firsts.runs.extend(time_calls(lambda: got.append(
                    (lambda r: (r, r.count, r.page(0, 200)))(project.search(query))), 1).runs)
                unsearched.append(got[0][0].unsearched)
        with Project.open(Path(path), check=False) as project:
            project.read_only = True
            searches = 1
            while project.search(query).unsearched:
                searches += 1
            warm = time_calls(lambda: (lambda r: (r.count, r.page(0, 200)))(project.search(query)), n)
            count = project.search(query).count
        out[query] = {"first": _series(firsts), "unsearched": unsearched, "searches": searches,
                      "warm": _series(warm), "count": count}
    return {"wall": 0.0, "cpu": 0.0, "queries": out}


def _from(figures: dict) -> Series:
    from benchkit import Run

    return Series(Run(w, c) for w, c in zip(figures["wall"], figures["cpu"]))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--docs", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=15, help="runs of each search (the median is shown)")
    parser.add_argument("--keep", type=Path, help="folder to keep the built projects in (reused when there)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as scratch:
        folder = args.keep or Path(scratch)
        folder.mkdir(parents=True, exist_ok=True)
        indexed, pending = folder / f"search-{args.docs}.annotator", folder / f"search-{args.docs}-pending.annotator"
        if not indexed.exists():
            print(f"building a {args.docs:,}-document project ...", flush=True)
            built = run_child(__file__, "build", folder / "search-corpus.jsonl", indexed, args.docs)
            print(f"  imported (and indexed) in {built.wall:.0f} s", flush=True)
        if not pending.exists():
            shutil.copyfile(indexed, pending)
            run_child(__file__, "unindex", pending)
        with LoadSampler() as load:
            done = run_child(__file__, "indexed", indexed, args.repeat).figures["queries"]
            waiting = run_child(__file__, "pending", pending, max(3, args.repeat // 3)).figures["queries"]
    print(header(f"bench_search: {args.docs:,} documents, {args.repeat} runs of each search"))
    print(load.summary())
    print(f"\nindexed (target < 50 ms)            {'hits':>7}  {'FTS count alone (floor)':>24}  "
          f"{'search: count + page 1':>24}  {'page at 10,000':>24}  {'row of last document':>24}")
    for query, figures in done.items():
        cells = [_from(figures[k]).format("wall", "ms", digits=1) for k in ("floor", "search", "deep", "row")]
        print(f"  {query!r:<33} {figures['count']:>7}  " + "  ".join(f"{c:>24}" for c in cells))
    print("\nnot indexed (target < 300 ms)       "
          f"{'hits':>7}  {'first search':>24}  {'unsearched after it':>20}  {'searches to complete':>20}  "
          f"{'search, all in memory':>24}")
    for query, figures in waiting.items():
        unsearched = sorted(figures["unsearched"])[len(figures["unsearched"]) // 2]
        print(f"  {query!r:<33} {figures['count']:>7}  {_from(figures['first']).format('wall', 'ms', digits=1):>24}  "
              f"{unsearched:>20,}  {figures['searches']:>20}  {_from(figures['warm']).format('wall', 'ms', digits=1):>24}")


if __name__ == "__main__":
    child_main({"build": build, "unindex": unindex, "indexed": run_indexed, "pending": run_pending})
    main()
