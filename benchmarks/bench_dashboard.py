"""The dashboard's figures on a large project beside the floor of the same SQL run bare.

    python benchmarks/bench_dashboard.py                          # 100,000 documents, 5 runs a side
    python benchmarks/bench_dashboard.py --docs 10000 --repeat 3
    python benchmarks/bench_dashboard.py --project big.annotator  # an existing project (copied, never changed)

Project: the benchmark corpus (benchmarks/corpus.py: ~23 spans an article, 2.3 million at
100,000 articles) dressed as a team's by benchmarks/dashboard_corpus.py (three annotators
with statuses of their own over 60 days, an overlap, claimants merged by aliases, claim
values, six models).

- ``dashboard``: what the window's background job does when the dashboard opens: open the
  project read-only and compute every SQL chart (``dashboard_charts``: progress, cumulative
  with the projection, spans per label and annotator, claims per attribute value, top
  claimants by stance, models). Agreement is not here: it tokenizes documents and has its own
  benchmark (bench_agreement.py).
- ``floor``: the very statements ``dashboard`` sent to SQLite (recorded once with SQLite's
  trace, parameters written in), run by a bare interpreter with ``sqlite3``: the aggregates
  themselves, without the program's Python around them.
- ``stats``: ``annotator stats PROJECT`` (the click command, its output discarded), from
  opening the file to the last line; ``stats floor``: its SELECT statements, recorded the same
  way, run bare. The project is a copy unless built here, so its clean-close record does not
  match (as for a file copied, open in a window, or after a crash): the line above the
  figures says which.

Every run is a fresh process, the sides interleaved. Per side: the median of the timed work
inside the process (from opening the file to the last chart; the interpreter's start and
imports are not in it) with its min-max, the median wall time of the whole process, the
process's CPU seconds and peak memory; the 1-minute load average is sampled every second
during the runs. Targets (issue 18): dashboard < 1 s, stats < 2 s at 100,000 documents.
"""

from __future__ import annotations

import argparse
import json
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

import bench_open  # noqa: E402 - the corpus imported into a project (its BUILD)
from bench_agreement import LoadSampler  # noqa: E402 - the load average, every second during the runs

RECORD = """
import contextlib, io, json, sys
from annotator.cli import main
from annotator.store import Project
from annotator.workflows.dashboard import dashboard_charts
statements = []
if sys.argv[3] == "stats":  # the command itself; the statements of its one connection
    real = Project.open
    def traced(*args, **kwargs):
        project = real(*args, **kwargs)
        project.db.conn.set_trace_callback(statements.append)
        return project
    Project.open = traced
    with contextlib.redirect_stdout(io.StringIO()):
        main(["stats", sys.argv[1]], standalone_mode=False)
else:
    with Project.open(sys.argv[1], check=False, read_only=True) as project:
        project.db.conn.set_trace_callback(statements.append)
        dashboard_charts(project)
        project.db.conn.set_trace_callback(None)
json.dump([s for s in statements if s.lstrip().upper().startswith(("SELECT", "WITH"))], open(sys.argv[2], "w"))
"""
DASHBOARD = """
import sys, time
from annotator.store import Project
from annotator.workflows.dashboard import dashboard_charts
started = time.perf_counter()
with Project.open(sys.argv[1], check=False, read_only=True) as project:
    charts = dashboard_charts(project)
sys.stderr.write(f"WORK {time.perf_counter() - started}\\n")
"""
STATS = """
import contextlib, io, sys, time
from annotator.cli import main
started = time.perf_counter()
with contextlib.redirect_stdout(io.StringIO()):
    main(["stats", sys.argv[1]], standalone_mode=False)
sys.stderr.write(f"WORK {time.perf_counter() - started}\\n")
"""
FLOOR = """
import json, sqlite3, sys, time
statements = json.load(open(sys.argv[2]))
started = time.perf_counter()
conn = sqlite3.connect(sys.argv[1])
conn.execute("PRAGMA query_only = ON")
for sql in statements:
    conn.execute(sql).fetchall()
conn.close()
sys.stderr.write(f"WORK {time.perf_counter() - started}\\n")
"""
PEAK = bench_open.PEAK  # the child says its own peak memory as it exits
BUILD = bench_open.BUILD + """
from dashboard_corpus import dress
dress(project)
Project.open(project).close()  # checked and closed by the program after the raw SQL
"""


def run_child(code: str, *args: object) -> dict:
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    done = subprocess.run([sys.executable, "-c", PEAK + code, *map(str, args)], check=True,
                          stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    said = dict(line.split(" ", 1) for line in done.stderr.splitlines() if line.startswith(("WORK ", "PEAK ")))
    return {"work": float(said["WORK"]), "wall": wall, "peak_mb": int(said["PEAK"]) / 1024,
            "cpu": (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)}


def line(name: str, runs: list[dict]) -> str:
    work = [r["work"] for r in runs]
    return (f"{name:<12} work {statistics.median(work):6.3f} s ({min(work):.3f}-{max(work):.3f})  "
            f"process {statistics.median(r['wall'] for r in runs):5.2f} s  "
            f"cpu {statistics.median(r['cpu'] for r in runs):5.2f} s  peak {max(r['peak_mb'] for r in runs):4.0f} MB")


def measure(project: Path, repeat: int, folder: Path) -> None:
    statements = {what: folder / f"{what}-statements.json" for what in ("dashboard", "stats")}
    for what, path in statements.items():
        subprocess.run([sys.executable, "-c", RECORD, str(project), str(path), what], check=True)
    counts = {what: len(json.loads(path.read_text())) for what, path in statements.items()}
    sizes = _sizes(project)
    print(f"{sizes[0]:,} documents, {sizes[1]:,} spans, {sizes[2]:,} claims, "
          f"{project.stat().st_size / 2**20:,.0f} MB, {os.cpu_count()} cores; {counts['dashboard']} SQL statements "
          f"(stats: {counts['stats']}); {_soundness(project)}; median of {repeat} runs a side", flush=True)
    run_child(DASHBOARD, project)  # one unmeasured run: the file in the page cache for both sides
    sampler = LoadSampler()
    sampler.start()
    results: dict[str, list[dict]] = {"dashboard": [], "floor": [], "stats": [], "stats floor": []}
    for _ in range(repeat):
        results["floor"].append(run_child(FLOOR, project, statements["dashboard"]))
        results["dashboard"].append(run_child(DASHBOARD, project))
        results["stats floor"].append(run_child(FLOOR, project, statements["stats"]))
        results["stats"].append(run_child(STATS, project))
    load = sampler.stop()
    for name, runs in results.items():
        print(line(name, runs))
    for ours, floor, target in (("dashboard", "floor", "dashboard < 1 s"), ("stats", "stats floor", "stats < 2 s")):
        ratio = statistics.median(r["work"] for r in results[ours]) / statistics.median(
            r["work"] for r in results[floor])
        print(f"{ours} / {floor}: {ratio:.2f}x; target: {target} at 100,000 documents")
    print(load)


def _soundness(project: Path) -> str:
    """Whether the file opens as known sound (the clean-close record matches: no integrity check)."""
    code = ("import sys\nfrom annotator.store import Project\n"
            "with Project.open(sys.argv[1], read_only=True, check=False) as p: print(p.verified is True)")
    known = subprocess.run([sys.executable, "-c", code, str(project)], check=True, capture_output=True,
                           text=True).stdout.strip() == "True"
    return "known sound (clean-close record matches)" if known else "not known sound (a copy: no clean-close match)"


def _sizes(project: Path) -> tuple[int, int, int]:
    import sqlite3

    conn = sqlite3.connect(project)
    try:
        conn.execute("PRAGMA query_only = ON")
        return tuple(conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
                     for table in ("documents", "spans", "claims"))
    finally:
        conn.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--docs", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--project", type=Path, help="an existing project, copied first (never changed)")
    parser.add_argument("--keep", type=Path, help="keep the built project at this path for later runs")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        project = folder / "bench.annotator"
        if args.project:
            shutil.copy2(args.project, project)
        else:
            started = time.perf_counter()
            subprocess.run([sys.executable, "-c", BUILD, str(project), str(args.docs), str(HERE), str(HERE.parent)],
                           check=True)
            print(f"built {args.docs:,} documents in {time.perf_counter() - started:.0f} s", flush=True)
            if args.keep:
                shutil.copy2(project, args.keep)
        measure(project, max(args.repeat, 3), folder)


if __name__ == "__main__":
    main()
