"""Team speed: merging annotators' files and splitting a project, beside floors from the same run.

Merge: three annotator files of N documents each (benchmarks/corpus.py: ~23 spans and ~3
claims a document, claims with a claimant and two attribute values, statuses; each annotator
left out a different tenth of the entity spans) merged into the lead's project, which holds
the same N documents and no annotations.
  floor:    raw sqlite3: per file ATTACH, map documents by content hash, INSERT ... SELECT of
            the same rows (annotator, spans, claims, claim values, statuses), one transaction.
  project:  annotator.workflows.merging.merge_projects (scheme check, layers matched by
            content, one transaction per file), timed without opening the target (its
            integrity check is shown apart); then, in a process of its own as a user would
            run it later, the same three files merged again (nothing new: the re-merge).
Split: ``team split`` of an M-document project (the corpus's spans as pre-annotation
suggestions) into 5 files with 20% overlap.
  floor:    raw sqlite3: the same documents, suggestion spans, their claims and claim values
            copied with INSERT ... SELECT into 5 freshly created project files (same pragmas
            as the split, and synced to disk once each, as the split's are).
  project:  annotator.workflows.splitting.split_project.

Each run is its own subprocess (peak memory = its max RSS); runs of the two sides alternate;
medians of --repeat runs (at least 3) are shown with CPU seconds (the process's own) and the
1-minute load average sampled every half second during the runs (2 cores, shared).

    python benchmarks/bench_merge.py                      # 10,000-document files, 100,000-document split
    python benchmarks/bench_merge.py --docs 2000 --split-docs 10000 --repeat 3   # a quick look

Targets (issue 14): merge <= 3x the floor, peak memory < 300 MB; re-merge <= 1x the floor;
split of 100,000 documents into 5 files < 30 s.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent))

from benchkit import LoadSampler  # noqa: E402

ANNOTATORS = ("ann1", "ann2", "ann3")
SPLIT_NAMES = ("s1", "s2", "s3", "s4", "s5")


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux: KiB


def figures(started: float, cpu_started: float, **extra) -> dict:
    return {"seconds": time.perf_counter() - started, "cpu": time.process_time() - cpu_started,
            "peak_mb": peak_mb(), **extra}


# ------------------------------------------------------------------ preparation (not timed)
def prepare_merge(workdir: Path, docs: int) -> tuple[Path, list[Path]]:
    from annotator.store import Project
    from annotator.workflows.importing import ImportOptions, import_paths
    from corpus import write_corpus

    corpus = workdir / "corpus.jsonl"
    write_corpus(docs, corpus, seed=1)
    records = [json.loads(line) for line in corpus.open(encoding="utf-8")]
    bare = workdir / "lead.jsonl"
    bare.write_text("".join(json.dumps({"text": r["text"], "meta": r["meta"]}, ensure_ascii=False) + "\n"
                            for r in records), encoding="utf-8")
    lead = Project.create(workdir / "lead.annotator")
    assert import_paths(lead, [bare], ImportOptions(format="prodigy")).ok
    lead.close()
    files = []
    for k, name in enumerate(ANNOTATORS):
        rng = random.Random(k)
        mine = workdir / f"{name}.jsonl"
        with mine.open("w", encoding="utf-8") as handle:
            for r in records:
                spans = [s for s in r["spans"] if s["label"] == "CLAIM" or rng.random() >= 0.1]
                handle.write(json.dumps({**r, "spans": spans}, ensure_ascii=False) + "\n")
        path = workdir / f"{name}.annotator"
        project = Project.create(path)
        assert import_paths(project, [mine], ImportOptions(format="prodigy", annotator=name)).ok
        project.set_own_annotator(name)
        _enrich(project, rng)
        project.close()
        files.append(path)
    return workdir / "lead.annotator", files


def _enrich(project, rng: random.Random) -> None:
    """Claimants, cues-free attribute values and statuses, as annotators leave them."""
    conn = project.db.conn
    with project.transaction():
        conn.execute("UPDATE claims SET claimant_span_id = (SELECT p.id FROM spans p JOIN labels l ON l.id = p.label_id"
                     " WHERE l.name = 'PERSON' AND p.doc_id = (SELECT doc_id FROM spans c WHERE c.id = claims.span_id)"
                     " ORDER BY p.start LIMIT 1)")
        stance = ("asserts", "denies", "hedges", "questions")
        conn.executemany("INSERT INTO claim_values (claim_id, attribute, value) VALUES (?, ?, ?)",
                         [(claim_id, attribute, rng.choice(choices)) for (claim_id,) in conn.execute("SELECT id FROM claims")
                          for attribute, choices in (("stance", stance), ("quote_type", ("direct", "indirect")))])
        conn.executemany("UPDATE documents SET status = ? WHERE id = ?",
                         [(rng.choice(("done", "done", "skipped", "todo")), doc_id)
                          for (doc_id,) in conn.execute("SELECT id FROM documents")])


def prepare_split(workdir: Path, docs: int) -> Path:
    from annotator.store import Project
    from annotator.workflows.importing import ImportOptions, import_paths
    from corpus import write_corpus

    corpus = workdir / "split-corpus.jsonl"
    write_corpus(docs, corpus, seed=2)
    path = workdir / "big.annotator"
    project = Project.create(path)
    assert import_paths(project, [corpus], ImportOptions(format="prodigy")).ok
    with project.transaction():  # the corpus's spans as a model's pre-annotations
        project.db.execute("UPDATE spans SET state = 'suggested', origin = 'model:bench'")
    project.close()
    corpus.unlink()
    return path


# ------------------------------------------------------------------ the sides
def merge_floor(target: Path, files: list[Path]) -> dict:
    started, cpu_started = time.perf_counter(), time.process_time()
    conn = sqlite3.connect(target, isolation_level=None)
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("PRAGMA synchronous=FULL")
    conn.execute("PRAGMA foreign_keys=ON")
    for path in files:
        conn.execute("ATTACH DATABASE ? AS src", [str(path)])
        conn.execute("BEGIN IMMEDIATE")
        span_offset = conn.execute("SELECT coalesce(max(id), 0) FROM spans").fetchone()[0]
        claim_offset = conn.execute("SELECT coalesce(max(id), 0) FROM claims").fetchone()[0]
        who = conn.execute("INSERT INTO annotators (uuid, name, separate_status, created_at) SELECT uuid, name, 1,"
                           " created_at FROM src.annotators").lastrowid
        conn.execute("CREATE TEMP TABLE doc_map AS SELECT s.id AS src, t.id AS tgt FROM src.documents s"
                     " JOIN main.documents t ON t.content_hash = s.content_hash")
        conn.execute("CREATE TEMP TABLE label_map AS SELECT s.id AS src, t.id AS tgt FROM src.labels s"
                     " JOIN main.labels t ON t.name = s.name")
        conn.execute('INSERT INTO main.spans (id, doc_id, start, "end", label_id, text, annotator_id, origin, state,'
                     " created_at, updated_at) SELECT s.id + ?, d.tgt, s.start, s.\"end\", l.tgt, s.text, ?, s.origin,"
                     " s.state, s.created_at, s.updated_at FROM src.spans s JOIN temp.doc_map d ON d.src = s.doc_id"
                     " JOIN temp.label_map l ON l.src = s.label_id", [span_offset, who])
        conn.execute("INSERT INTO main.claims (id, span_id, claimant_span_id, claimant_text, claimant_relation,"
                     " cue_span_id, created_at, updated_at) SELECT id + ?, span_id + ?, claimant_span_id + ?,"
                     " claimant_text, claimant_relation, cue_span_id + ?, created_at, updated_at FROM src.claims",
                     [claim_offset, span_offset, span_offset, span_offset])
        conn.execute("INSERT INTO main.claim_values (claim_id, attribute, value) SELECT claim_id + ?, attribute, value"
                     " FROM src.claim_values", [claim_offset])
        conn.execute("INSERT INTO main.document_status (doc_id, annotator_id, status, updated_at)"
                     " SELECT d.tgt, ?, s.status, s.updated_at FROM src.documents s JOIN temp.doc_map d ON d.src = s.id",
                     [who])
        conn.execute("DROP TABLE temp.doc_map")
        conn.execute("DROP TABLE temp.label_map")
        conn.execute("COMMIT")
        conn.execute("DETACH DATABASE src")
    counts = _counts(conn)
    conn.close()
    return figures(started, cpu_started, counts=counts)


def merge_project(target: Path, files: list[Path]) -> dict:
    """One ``annotator merge`` run: open the target (timed on its own: its integrity check,
    which the floor does not do), merge the files (timed), close."""
    from annotator.store import Project
    from annotator.workflows.merging import merge_projects

    started = time.perf_counter()
    project = Project.open(target)
    opening = time.perf_counter() - started
    started, cpu_started = time.perf_counter(), time.process_time()
    result = merge_projects(project, files)
    merged = figures(started, cpu_started, opening=opening, counts=_counts(project.db.conn),
                     nothing_new=all(summary.nothing_new for summary in result.summaries))
    project.close()
    assert result.ok, result.errors
    return merged


def _counts(conn: sqlite3.Connection) -> dict:
    """What both sides must have written (a todo status may or may not have a row: it is the default)."""
    counts = {table: conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
              for table in ("spans", "claims", "claim_values")}
    counts["statuses"] = conn.execute("SELECT count(*) FROM document_status WHERE status != 'todo'").fetchone()[0]
    return counts


def split_floor(source: Path, output: Path) -> dict:
    from annotator.core.team import plan_split
    from annotator.store import Project

    started, cpu_started = time.perf_counter(), time.process_time()
    with Project.open(source, check=False) as project:
        scheme = project.scheme()
        ids = [r[0] for r in project.db.conn.execute("SELECT id FROM documents ORDER BY position, id")]
    plan = plan_split(ids, list(SPLIT_NAMES), overlap=0.2, seed=0)
    output.mkdir()
    conn = sqlite3.connect(source, isolation_level=None)
    for name in SPLIT_NAMES:
        path = output / f"{name}.annotator"
        Project.create(path, scheme=scheme).close()
        conn.execute("ATTACH DATABASE ? AS dst", [str(path)])
        conn.execute("PRAGMA dst.journal_mode = OFF")
        conn.execute("PRAGMA dst.synchronous = OFF")
        conn.execute("BEGIN")
        conn.execute("CREATE TEMP TABLE picked (doc_id INTEGER PRIMARY KEY)")
        conn.executemany("INSERT INTO temp.picked VALUES (?)", [(d,) for d in plan[name]])
        conn.execute("INSERT INTO dst.documents (id, text, content_hash, title, source, meta, status, position,"
                     " created_at, updated_at) SELECT id, text, content_hash, title, source, meta, status, position,"
                     " created_at, updated_at FROM main.documents WHERE id IN (SELECT doc_id FROM temp.picked)")
        conn.execute('INSERT INTO dst.spans (id, doc_id, start, "end", label_id, text, annotator_id, origin, state,'
                     ' created_at, updated_at) SELECT s.id, s.doc_id, s.start, s."end", d.id, s.text, NULL, s.origin,'
                     " s.state, s.created_at, s.updated_at FROM main.spans s JOIN main.labels m ON m.id = s.label_id"
                     " JOIN dst.labels d ON d.name = m.name WHERE s.doc_id IN (SELECT doc_id FROM temp.picked)")
        conn.execute("INSERT INTO dst.claims SELECT c.* FROM main.claims c JOIN main.spans s ON s.id = c.span_id"
                     " WHERE s.doc_id IN (SELECT doc_id FROM temp.picked)")
        conn.execute("INSERT INTO dst.claim_values SELECT v.* FROM dst.claims k JOIN main.claim_values v"
                     " ON v.claim_id = k.id")
        conn.execute("DROP TABLE temp.picked")
        conn.execute("COMMIT")
        conn.execute("DETACH DATABASE dst")
        with open(path, "rb+") as handle:  # as durable as the split's files: on disk when it returns
            os.fsync(handle.fileno())
    conn.close()
    return figures(started, cpu_started)


def split_project_side(source: Path, output: Path) -> dict:
    from annotator.store import Project
    from annotator.workflows.splitting import SplitOptions, split_project

    started, cpu_started = time.perf_counter(), time.process_time()
    with Project.open(source, check=False) as project:
        result = split_project(project, output, SplitOptions(SPLIT_NAMES, overlap=0.2, seed=0))
    return figures(started, cpu_started, documents=sum(f.counts.documents for f in result.files),
                   spans=sum(f.counts.suggestions for f in result.files),
                   claims=sum(f.counts.claims for f in result.files))


# ------------------------------------------------------------------ running
def child(side: str, *paths: str) -> dict:
    out = subprocess.run([sys.executable, __file__, "--side", side, *paths], check=True, capture_output=True, text=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def median(runs: list[dict], key: str = "seconds") -> float:
    return statistics.median(r[key] for r in runs)


def row(name: str, runs: list[dict], floor: list[dict] | None) -> str:
    seconds, cpu, peak = median(runs), median(runs, "cpu"), max(r["peak_mb"] for r in runs)
    ratio = f"{seconds / median(floor):>6.2f} {cpu / median(floor, 'cpu'):>9.2f}" if floor else f"{'':>6} {'':>9}"
    spread = f"{min(r['seconds'] for r in runs):.2f}-{max(r['seconds'] for r in runs):.2f}"
    return f"{name:<22} {seconds:>8.2f} {spread:>13} {cpu:>8.2f} {peak:>8.0f} {ratio}"


def _clean(*paths: Path) -> None:
    for path in paths:
        if path.is_dir():
            shutil.rmtree(path)
        for suffix in ("", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)


def run_merge(workdir: Path, docs: int, repeat: int, header: str) -> None:
    started = time.perf_counter()
    # Preparation in a child of its own: a child's peak memory starts from its parent's size.
    subprocess.run([sys.executable, __file__, "--side", "prepare-merge", str(workdir), str(docs)], check=True,
                   stdout=subprocess.DEVNULL)
    lead, files = workdir / "lead.annotator", [workdir / f"{name}.annotator" for name in ANNOTATORS]
    print(f"prepared the lead project and {len(files)} annotator files of {docs:,} documents "
          f"in {time.perf_counter() - started:.0f} s", flush=True)
    floors, projects, again = [], [], []
    with LoadSampler() as load:
        for run in range(repeat):
            floor_target, target = workdir / f"floor-{run}.annotator", workdir / f"merge-{run}.annotator"
            shutil.copy(lead, floor_target)
            floors.append(child("merge-floor", str(floor_target), *map(str, files)))
            shutil.copy(lead, target)
            projects.append(child("merge-project", str(target), *map(str, files)))
            # The same files again, later (a process of its own, as a user runs it).
            again.append(child("merge-project", str(target), *map(str, files)))
            _clean(floor_target, target)
    assert floors[0]["counts"] == projects[0]["counts"] == again[0]["counts"], (floors[0], projects[0])
    assert not any(p["nothing_new"] for p in projects) and all(p["nothing_new"] for p in again)
    counts = projects[0]["counts"]
    print(f"\nmerge of {len(files)} files x {docs:,} documents into the lead project: {counts['spans']:,} spans, "
          f"{counts['claims']:,} claims, {counts['claim_values']:,} claim values, "
          f"{counts['statuses']:,} done or skipped statuses in all")
    print(header)
    print(row("floor (raw SQL)", floors, None))
    print(row("merge", projects, floors))
    print(row("re-merge (nothing new)", again, floors))
    print(f"(opening the target project, with its integrity check, took a median "
          f"{median(projects, 'opening'):.2f} s more, before the merge)")
    print(load.summary(), flush=True)


def run_split(workdir: Path, split_docs: int, repeat: int, header: str) -> None:
    started = time.perf_counter()
    subprocess.run([sys.executable, __file__, "--side", "prepare-split", str(workdir), str(split_docs)],
                   check=True, stdout=subprocess.DEVNULL)
    big = workdir / "big.annotator"
    print(f"\nprepared a {split_docs:,}-document project in {time.perf_counter() - started:.0f} s", flush=True)
    floors, projects = [], []
    with LoadSampler() as load:
        for run in range(repeat):
            for side, runs in (("split-floor", floors), ("split-project", projects)):
                output = workdir / f"{side}-{run}"
                runs.append(child(side, str(big), str(output)))
                _clean(output)
    print(f"team split of {split_docs:,} documents into {len(SPLIT_NAMES)} files (20% overlap): "
          f"{projects[0]['documents']:,} documents, {projects[0]['spans']:,} suggestions and "
          f"{projects[0]['claims']:,} suggested claims written")
    print(header)
    print(row("floor (raw SQL)", floors, None))
    print(row("team split", projects, floors))
    print(load.summary(), flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--docs", type=int, default=10_000, help="documents per annotator file (0: no merge)")
    parser.add_argument("--split-docs", type=int, default=100_000, help="documents of the project to split (0: no split)")
    parser.add_argument("--repeat", type=int, default=3, help="runs per side (at least 3); medians are shown")
    parser.add_argument("--side", help=argparse.SUPPRESS)
    parser.add_argument("paths", nargs="*", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.side:
        sides = {"merge-floor": lambda t, *f: merge_floor(Path(t), [Path(p) for p in f]),
                 "merge-project": lambda t, *f: merge_project(Path(t), [Path(p) for p in f]),
                 "split-floor": lambda s, o: split_floor(Path(s), Path(o)),
                 "split-project": lambda s, o: split_project_side(Path(s), Path(o)),
                 "prepare-merge": lambda w, n: bool(prepare_merge(Path(w), int(n))),
                 "prepare-split": lambda w, n: bool(prepare_split(Path(w), int(n)))}
        print(json.dumps(sides[args.side](*args.paths)))
        return
    repeat = max(3, args.repeat)
    header = f"{'':<22} {'median s':>8} {'range s':>13} {'cpu s':>8} {'peak MB':>8} {'ratio':>6} {'cpu ratio':>9}"
    with tempfile.TemporaryDirectory(dir=os.environ.get("BENCH_TMP")) as tmp:
        workdir = Path(tmp)
        if args.docs:
            run_merge(workdir, args.docs, repeat, header)
        if args.split_docs:
            run_split(workdir, args.split_docs, repeat, header)


if __name__ == "__main__":
    main()
