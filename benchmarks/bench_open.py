"""Opening a project from the command line: ``annotator stats`` beside its floor, measured in
the same run.

    python benchmarks/bench_open.py                        # 100,000 documents, 5 runs a case
    python benchmarks/bench_open.py --docs 10000 --repeat 3
    python benchmarks/bench_open.py --project big.annotator  # an existing project (never changed)

Cases, each run in a fresh interpreter (as a user runs the command):

- ``stats``: the file is as annotator closed it, so its clean-close record matches and the
  integrity check is skipped (issue 17's target: < 2 s at 100,000 documents);
- ``stats, unverified``: the record does not match (the file's mtime is moved before each run,
  as another program's write would). ``stats`` ran ``PRAGMA quick_check`` first then until
  branch pstats; now it reads its few indexes without it (a damaged page among them is still
  reported), so this case should be as fast as ``stats``;
- ``floor``: a bare interpreter that opens the file with ``sqlite3`` and runs the queries
  ``stats`` runs (documents by status, spans by label, state and annotator, claims by label,
  link and attribute value, relations), printing nothing: the work itself, without the
  program's start-up (click, the store) and formatting;
- ``quick_check``: the check alone, in a bare interpreter (what the record saves).

Each line: median wall seconds of the runs with the min-max, median CPU seconds of the child
(user + system), its peak memory, and the 1-minute load average sampled before every run
(mean and max): other work on the machine slows wall time, not CPU time.
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent))

FLOOR = """
import sqlite3, sys
conn = sqlite3.connect(sys.argv[1])
conn.execute("PRAGMA query_only = ON")
q = lambda sql: conn.execute(sql).fetchall()
q("SELECT status, count(*) FROM documents GROUP BY status")
q("SELECT id, name, kind FROM labels ORDER BY position, id")
q("SELECT label_id, state, annotator_id, count(*) FROM spans GROUP BY label_id, state, annotator_id")
q("SELECT id, name FROM annotators")
q("SELECT count(*) FROM claims")
q("SELECT count(*) FROM relations")
q("SELECT s.label_id, count(*) FROM labels l CROSS JOIN spans s INDEXED BY spans_label_state ON s.label_id = l.id"
  " CROSS JOIN claims c ON c.span_id = s.id WHERE l.kind = 'claim' GROUP BY s.label_id")
q("SELECT sum(claimant_span_id IS NOT NULL), sum(claimant_span_id IS NULL AND claimant_text IS NOT NULL),"
  " sum(cue_span_id IS NOT NULL) FROM claims")
q("SELECT attribute, value, count(*) FROM claim_values GROUP BY attribute, value")
q("SELECT * FROM claim_attributes")
conn.close()
"""
CHECK = """
import sqlite3, sys
conn = sqlite3.connect(sys.argv[1])
conn.execute("PRAGMA query_only = ON")
assert conn.execute("PRAGMA quick_check").fetchall() == [("ok",)]
conn.close()
"""
STATS = "import sys\nfrom annotator.cli import main\nmain(['stats', sys.argv[1]])\n"


# The child reports its own peak memory as it exits (the parent's RUSAGE_CHILDREN maximum
# would count the parent's memory at fork time).
PEAK = ("import atexit, resource, sys\natexit.register(lambda: sys.stderr.write("
        "f'PEAK {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss}\\n'))\n")


def _child(code: str, project: Path) -> dict:
    """Run ``code`` in a fresh interpreter; its wall time, CPU time and peak memory."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    load = os.getloadavg()[0]
    started = time.perf_counter()
    done = subprocess.run([sys.executable, "-c", PEAK + code, str(project)], check=True, stdout=subprocess.DEVNULL,
                          stderr=subprocess.PIPE, text=True)
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    peak = next(int(line.split()[1]) for line in done.stderr.splitlines() if line.startswith("PEAK "))
    return {"wall": wall, "cpu": cpu, "peak_mb": peak / 1024, "load": load}


def _summary(name: str, runs: list[dict]) -> str:
    walls = [r["wall"] for r in runs]
    loads = [r["load"] for r in runs]
    return (f"{name:<18} {statistics.median(walls):>7.2f} s  ({min(walls):.2f}-{max(walls):.2f})  "
            f"cpu {statistics.median(r['cpu'] for r in runs):>6.2f} s  peak {max(r['peak_mb'] for r in runs):>5.0f} MB  "
            f"load {statistics.mean(loads):.2f} (max {max(loads):.2f})")


BUILD = """
import sys, time
sys.path[:0] = sys.argv[3:5]
from corpus import write_corpus
from pathlib import Path
from annotator.store import Project
from annotator.workflows.importing import ImportOptions, import_paths
project, docs = Path(sys.argv[1]), int(sys.argv[2])
corpus = project.with_name("corpus.jsonl")
write_corpus(docs, corpus, seed=1)
with Project.create(project) as opened:
    report = import_paths(opened, [corpus], ImportOptions(add_labels=True))
    assert report.ok, report.summary()
corpus.unlink()
"""
# Checked and closed cleanly by annotator: the clean-close record matches again.
RESTAMP = "import sys\nfrom annotator.store import Project\nProject.open(sys.argv[1]).close()\n"


def _python(code: str, *args: object) -> None:
    """Heavy work in a child: this process stays small, so the children's peak memory is theirs
    (Linux carries a process's peak over fork and exec)."""
    subprocess.run([sys.executable, "-c", code, *map(str, args)], check=True)


def _build(docs: int, folder: Path) -> Path:
    project = folder / "bench.annotator"
    started = time.perf_counter()
    _python(BUILD, project, docs, HERE, HERE.parent)
    print(f"built {project} ({docs:,} documents, {project.stat().st_size / 2**20:,.0f} MB) "
          f"in {time.perf_counter() - started:.0f} s", flush=True)
    return project


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--docs", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--project", type=Path, help="an existing project, copied first (never changed)")
    parser.add_argument("--keep", type=Path, help="keep the built project at this path for later runs")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        if args.project:
            project = folder / "bench.annotator"
            shutil.copy2(args.project, project)
            _python(RESTAMP, project)
        else:
            project = _build(args.docs, folder)
            if args.keep:
                shutil.copy2(project, args.keep)
        docs = _count(project)
        print(f"{docs:,} documents, {project.stat().st_size / 2**20:,.0f} MB, {os.cpu_count()} cores; "
                  f"median of {args.repeat} runs")
        results = {"floor": [], "stats": [], "quick_check": [], "stats, unverified": []}
        for _ in range(args.repeat):  # interleaved, so load changes hit every case alike
            results["floor"].append(_child(FLOOR, project))
            results["stats"].append(_child(STATS, project))
            results["quick_check"].append(_child(CHECK, project))
            os.utime(project)  # as if another program had written: the record no longer matches
            results["stats, unverified"].append(_child(STATS, project))
            _python(RESTAMP, project)
        for name, runs in results.items():
            print(_summary(name, runs))
        ratio = statistics.median(r["wall"] for r in results["stats"]) / statistics.median(
            r["wall"] for r in results["floor"])
        print(f"stats / floor: {ratio:.2f}x; target: stats < 2 s at 100,000 documents")


def _count(project: Path) -> int:
    import sqlite3

    conn = sqlite3.connect(project)
    try:
        conn.execute("PRAGMA query_only = ON")
        return conn.execute("SELECT count(*) FROM documents").fetchone()[0]
    finally:
        conn.close()


if __name__ == "__main__":
    main()
