"""Import speed and memory: the project's importer beside a floor measured in the same run.

Floor: read the same JSONL with ``json.loads`` per line and insert the same rows with raw
``sqlite3.executemany`` into the same schema (same pragmas, one transaction).
Project: ``annotator.workflows.importing.import_paths`` (validation, duplicate and conflict
checks, labels, batching) into a fresh project.

Each side runs in its own subprocess so peak memory (max RSS) is measured separately.

    python benchmarks/bench_import.py                 # 10,000 and 100,000 documents
    python benchmarks/bench_import.py --sizes 2000    # quick look
    python benchmarks/bench_import.py --repeat 3      # best of 3 per side, runs interleaved

On a shared machine other work only ever slows a run down, so with ``--repeat`` each side's
best time is shown (and its largest peak memory). "cpu ratio" compares the processes' own
CPU time (process_time: Python and SQLite, not waits), which other load disturbs less than
the wall-clock ratio; the target is on the wall-clock ratio.
Targets (issue 2): ratio <= 1.5, project peak memory < 500 MB at 100,000 documents.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import resource
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent))


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux: KiB


def run_floor(corpus: Path, project_path: Path) -> dict:
    from annotator.store import Project

    Project.create(project_path).close()  # the same schema and labels, nothing else
    started, cpu_started = time.perf_counter(), time.process_time()
    conn = sqlite3.connect(project_path)
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("PRAGMA synchronous=FULL")
    conn.execute("PRAGMA foreign_keys=ON")
    label_ids = dict(conn.execute("SELECT name, id FROM labels"))
    now = "2026-01-01T00:00:00.000000Z"
    conn.execute("BEGIN")
    doc_rows, span_rows = [], []
    doc_id = span_id = 0
    with corpus.open("rb") as handle:
        for line in handle:
            task = json.loads(line)
            text = task["text"]
            doc_id += 1
            doc_rows.append((doc_id, text, hashlib.blake2b(text.encode(), digest_size=16).hexdigest(),
                             task["meta"].get("title", ""), str(corpus), json.dumps(task["meta"]), "todo",
                             doc_id, now, now))
            for span in task.get("spans", ()):
                span_id += 1
                span_rows.append((span_id, doc_id, span["start"], span["end"], label_ids[span["label"]],
                                  text[span["start"]:span["end"]], None, "import", "accepted", now, now))
            if len(doc_rows) >= 2000:
                _floor_flush(conn, doc_rows, span_rows)
                doc_rows, span_rows = [], []
    _floor_flush(conn, doc_rows, span_rows)
    conn.execute("COMMIT")
    conn.close()
    return {"seconds": time.perf_counter() - started, "cpu": time.process_time() - cpu_started, "peak_mb": peak_mb(),
            "documents": doc_id, "spans": span_id}


def _floor_flush(conn: sqlite3.Connection, doc_rows: list, span_rows: list) -> None:
    conn.executemany("INSERT INTO documents (id, text, content_hash, title, source, meta, status, position,"
                     " created_at, updated_at) VALUES (?,?,?,?,?,?,?,?,?,?)", doc_rows)
    conn.executemany('INSERT INTO spans (id, doc_id, start, "end", label_id, text, annotator_id, origin, state,'
                     " created_at, updated_at) VALUES (?,?,?,?,?,?,?,?,?,?,?)", span_rows)


def run_project(corpus: Path, project_path: Path) -> dict:
    from annotator.store import Project
    from annotator.workflows.importing import ImportOptions, import_paths

    project = Project.create(project_path)
    started, cpu_started = time.perf_counter(), time.process_time()
    report = import_paths(project, [corpus], ImportOptions(format="prodigy"))
    seconds, cpu = time.perf_counter() - started, time.process_time() - cpu_started
    assert report.ok, report.summary()
    stats = project.stats()
    project.close()
    spans = sum(c["accepted"] for c in stats["spans"].values())
    return {"seconds": seconds, "cpu": cpu, "peak_mb": peak_mb(), "documents": stats["documents"]["total"],
            "spans": spans}


def measure(side: str, corpus: Path, workdir: Path, run: int = 0) -> dict:
    """Run one side in a fresh interpreter, into a fresh project file, and return its figures."""
    out = subprocess.run(
        [sys.executable, __file__, "--side", side, str(corpus), str(workdir / f"{side}-{run}.annotator")],
        check=True, capture_output=True, text=True,
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def best(runs: list[dict]) -> dict:
    return {**min(runs, key=lambda r: r["seconds"]), "cpu": min(r["cpu"] for r in runs),
            "peak_mb": max(r["peak_mb"] for r in runs)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--repeat", type=int, default=1, help="runs per side; the best time is shown")
    parser.add_argument("--side", choices=["floor", "project"], help=argparse.SUPPRESS)
    parser.add_argument("paths", nargs="*", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.side:
        corpus, project_path = map(Path, args.paths)
        runner = run_floor if args.side == "floor" else run_project
        print(json.dumps(runner(corpus, project_path)))
        return

    from corpus import write_corpus

    print(f"{'docs':>8} {'spans':>9} {'floor s':>8} {'project s':>9} {'ratio':>6} {'docs/s':>8} "
          f"{'floor MB':>8} {'project MB':>10} {'cpu ratio':>9}")
    for size in args.sizes:
        with tempfile.TemporaryDirectory() as tmp:
            workdir = Path(tmp)
            corpus = workdir / "corpus.jsonl"
            write_corpus(size, corpus, seed=1)
            floors, projects = [], []
            for run in range(max(1, args.repeat)):
                floors.append(measure("floor", corpus, workdir, run))
                projects.append(measure("project", corpus, workdir, run))
                for side in ("floor", "project"):  # a 100,000-document project is ~1 GB
                    for suffix in ("", "-wal", "-shm"):
                        Path(f"{workdir / f'{side}-{run}.annotator'}{suffix}").unlink(missing_ok=True)
            floor, project = best(floors), best(projects)
            assert floor["documents"] == project["documents"] == size, (floor, project)
            assert floor["spans"] == project["spans"], (floor, project)
            ratio = project["seconds"] / floor["seconds"]
            print(f"{size:>8} {project['spans']:>9} {floor['seconds']:>8.2f} {project['seconds']:>9.2f} "
                  f"{ratio:>6.2f} {size / project['seconds']:>8.0f} {floor['peak_mb']:>8.0f} "
                  f"{project['peak_mb']:>10.0f} {project['cpu'] / floor['cpu']:>9.2f}", flush=True)


if __name__ == "__main__":
    main()
