"""Import speed and memory: the project's importer beside a floor measured in the same session.

Floor: read the same JSONL with ``json.loads`` per line and insert the same rows with raw
``sqlite3.executemany`` into the same schema (same pragmas, one transaction), indexing the
documents for search as the import does (``documents_fts``). A second floor without the
search index tells what indexing at import time costs.
Project: ``annotator.workflows.importing.import_paths`` (validation, duplicate and conflict
checks, labels, batching, search index) into a fresh project.

Each run is a fresh interpreter (peak memory is its own); runs of the sides are interleaved.

    python benchmarks/bench_import.py                 # 10,000 and 100,000 documents, 3 runs each
    python benchmarks/bench_import.py --sizes 2000    # quick look
    python benchmarks/bench_import.py --repeat 5

Targets (issue 2): ratio <= 1.5, project peak memory < 500 MB at 100,000 documents.
(issue 17): search indexing at import time costs < 20 % of the import.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sqlite3
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent))

from benchkit import LoadSampler, Stopwatch, child_main, header, interleaved, ratio, row, run_child  # noqa: E402


def run_floor(corpus: str, project_path: str, index: str) -> dict:
    from annotator.store import Project

    Project.create(Path(project_path)).close()  # the same schema and labels, nothing else
    with Stopwatch() as clock:
        conn = sqlite3.connect(project_path)
        conn.execute("PRAGMA journal_mode=WAL")
        conn.execute("PRAGMA synchronous=FULL")
        conn.execute("PRAGMA foreign_keys=ON")
        label_ids = dict(conn.execute("SELECT name, id FROM labels"))
        now = "2026-01-01T00:00:00.000000Z"
        conn.execute("BEGIN")
        doc_rows, span_rows = [], []
        doc_id = span_id = 0
        with open(corpus, "rb") as handle:
            for line in handle:
                task = json.loads(line)
                text = task["text"]
                doc_id += 1
                doc_rows.append((doc_id, text, hashlib.blake2b(text.encode(), digest_size=16).hexdigest(),
                                 task["meta"].get("title", ""), corpus, json.dumps(task["meta"]), "todo",
                                 doc_id, now, now))
                for span in task.get("spans", ()):
                    span_id += 1
                    span_rows.append((span_id, doc_id, span["start"], span["end"], label_ids[span["label"]],
                                      text[span["start"]:span["end"]], None, "import", "accepted", now, now))
                if len(doc_rows) >= 2000:
                    _floor_flush(conn, doc_rows, span_rows, index == "index")
                    doc_rows, span_rows = [], []
        _floor_flush(conn, doc_rows, span_rows, index == "index")
        conn.execute("COMMIT")
        conn.close()
    return clock.figures(documents=doc_id, spans=span_id)


def _floor_flush(conn: sqlite3.Connection, doc_rows: list, span_rows: list, index: bool) -> None:
    conn.executemany("INSERT INTO documents (id, text, content_hash, title, source, meta, status, position,"
                     " created_at, updated_at) VALUES (?,?,?,?,?,?,?,?,?,?)", doc_rows)
    if index:
        conn.executemany("INSERT INTO documents_fts (rowid, title, text) VALUES (?,?,?)",
                         [(r[0], r[3], r[1]) for r in doc_rows])
        conn.execute("DELETE FROM search_pending")
    conn.executemany('INSERT INTO spans (id, doc_id, start, "end", label_id, text, annotator_id, origin, state,'
                     " created_at, updated_at) VALUES (?,?,?,?,?,?,?,?,?,?,?)", span_rows)


def run_project(corpus: str, project_path: str) -> dict:
    from annotator.store import Project
    from annotator.workflows.importing import ImportOptions, import_paths

    project = Project.create(Path(project_path))
    with Stopwatch() as clock:
        report = import_paths(project, [Path(corpus)], ImportOptions(format="prodigy"))
    assert report.ok, report.summary()
    stats = project.stats()
    pending = project.search_pending_count()
    project.close()
    return clock.figures(documents=stats["documents"]["total"], pending=pending,
                         spans=sum(c["accepted"] for c in stats["spans"].values()))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--repeat", type=int, default=3, help="runs of each side (the median is shown)")
    args = parser.parse_args()

    from corpus import write_corpus

    for size in args.sizes:
        with tempfile.TemporaryDirectory() as tmp:
            workdir = Path(tmp)
            corpus = workdir / "corpus.jsonl"
            write_corpus(size, corpus, seed=1)

            def side(name: str, *extra: str):
                def run(number: int):
                    target = workdir / f"{name}-{number}.annotator"
                    figures = run_child(__file__, name if name == "project" else "floor", corpus, target, *extra)
                    for suffix in ("", "-wal", "-shm"):  # a 100,000-document project is ~1 GB
                        Path(f"{target}{suffix}").unlink(missing_ok=True)
                    return figures
                return run

            with LoadSampler() as load:
                runs = interleaved(args.repeat, {"floor": side("floor", "index"), "project": side("project"),
                                                 "plain": side("plain", "plain")})
            floor, project, plain = runs["floor"], runs["project"], runs["plain"]
            assert floor.runs[0]["documents"] == project.runs[0]["documents"] == size
            assert floor.runs[0]["spans"] == project.runs[0]["spans"]
            assert project.runs[0]["pending"] == 0, "the import left documents unindexed"
            print(header(f"bench_import: {size:,} documents, {project.runs[0]['spans']:,} spans, "
                         f"{args.repeat} runs each"))
            print(load.summary())
            print(row("floor: raw inserts + search index", floor))
            print(row("floor without the search index", plain))
            print(row("project: import_paths", project, floor, "ratio <= 1.5, < 500 MB"))
            # What indexing costs (floor with it minus floor without), as a share of the import.
            wall, cpu = floor.median() - plain.median(), floor.median("cpu") - plain.median("cpu")
            print(f"search indexing at import: {wall:.2f} s wall, {cpu:.2f} s CPU = {wall / project.median():.0%} of "
                  f"the import's wall time, {cpu / project.median('cpu'):.0%} of its CPU (target < 20 %); "
                  f"project / floor CPU {ratio(project, floor, 'cpu'):.2f}; {size / project.median():.0f} documents/s\n",
                  flush=True)


if __name__ == "__main__":
    child_main({"floor": run_floor, "project": run_project})
    main()
