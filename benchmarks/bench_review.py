"""Review speed: entering review mode in the window, and ``review --auto majority`` in bulk,
each beside a floor measured in the same run.

- ``enter``: one article (about 2,400 words) with 200 entity spans tagged by alice, and bob's
  and carol's perturbed copies of her layer (spans dropped, shifted, relabelled: the units are
  agreed, missing and in conflict), all three done. Measured: View > Review on that document
  (``ReviewMode.enter``: the gold layer shown, the units read, listed and painted; the
  project's progress is counted by a background job, not in this figure), medians of 15 runs (each after leaving review mode, untimed). Floors: showing
  the same document again in the normal window (``session.reload``), and reading its spans
  with one SQL query. Target (issue 16): under 100 ms.
- ``auto``: the benchmark corpus (benchmarks/corpus.py) as three layers, as bench_agreement.py
  builds it. Measured: ``auto_review`` in majority mode on a fresh copy of the file each run.
  Floor: reading every accepted span of the three layers with one SQL query (fetchall).
  Target (issue 16): within 2x of the floor. Also printed, for what the target leaves room
  for: the *write floor*, the bare SQL that writes the very rows the run wrote (gold's spans,
  provenance, claims, values, document labels, read beforehand from the run's result file into
  temporary tables: one ``INSERT ... SELECT`` per table into a fresh copy, foreign keys on as
  in a project, and the commit).

Wall seconds, CPU seconds and the 1-minute load average sampled during the runs are printed.

    QT_QPA_PLATFORM=offscreen python benchmarks/bench_review.py [--documents 10000] [--repeat 3] [--only enter|auto]
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sqlite3
import statistics
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from bench_agreement import _copy_layers, build, cpu_seconds, peak_mb  # noqa: E402
from annotator.core.team import GOLD_UUID  # noqa: E402
from bench_ui import LoadSampler, _app, _settings, _timed, article_text, with_spans  # noqa: E402

ALL_SPANS = ('SELECT doc_id, annotator_id, id, start, "end", label_id, state FROM spans'
             " WHERE state = 'accepted' ORDER BY doc_id, start")


def build_enter(path: Path) -> None:
    from annotator.store import Project
    from annotator.workflows.importing import ImportOptions, import_paths

    jsonl = path.with_suffix(".jsonl")
    jsonl.write_text(json.dumps({**with_spans(article_text(2_400, 21), 200), "meta": {"title": "units-200"}}) + "\n",
                     encoding="utf-8")
    with Project.create(path) as project:
        report = import_paths(project, [jsonl], ImportOptions(format="prodigy", annotator="alice"))
        assert report.ok, report.summary()
        _copy_layers(project, ("bob", "carol"))
        doc_id = next(project.db.query("SELECT id FROM documents"))["id"]
        for who in ("alice", "bob", "carol"):
            project.set_status(doc_id, "done", annotator=who)
    jsonl.unlink()


def run_enter(folder: Path) -> dict:
    from annotator.store import Project
    from annotator.ui.window.main_window import MainWindow

    path = folder / "enter.annotator"
    build_enter(path)
    app = _app()
    window = MainWindow(Project.open(path), _settings(folder), owns_project=True)
    window.resize(1400, 900)
    window.show()
    app.processEvents()
    mode, session = window.review, window.session
    doc_id = session.doc_id
    query = sqlite3.connect(path)

    def enter() -> None:
        assert mode.enter()
        app.processEvents()  # painted

    def leave() -> None:
        mode.leave()
        app.processEvents()

    def reload() -> None:
        session.reload()
        app.processEvents()

    with LoadSampler() as load:
        cpu = cpu_seconds()
        entered = _timed(enter, setup=leave)
        cpu_enter = cpu_seconds() - cpu
        leave()
        shown = _timed(reload)
        sql = _timed(lambda: query.execute('SELECT * FROM spans WHERE doc_id = ?', [doc_id]).fetchall())
    mode.enter()
    units = len(mode.units)
    states = {s: sum(1 for u in mode.units if u.state == s) for s in ("agreed", "missing", "conflict")}
    spans = query.execute("SELECT count(*) FROM spans").fetchone()[0]
    window.close()
    query.close()
    return {"enter_ms": entered, "enter_cpu_s": cpu_enter, "reload_ms": shown, "sql_ms": sql, "units": units,
            "states": states, "spans": spans, "load": load.summary(), "peak_mb": peak_mb()}


GOLD_TABLES = (  # what review --auto writes, table by table, as rows of the attached result file ``done``
    ("annotators", "SELECT * FROM done.annotators WHERE id NOT IN (SELECT id FROM main.annotators)"),
    ("spans", "SELECT * FROM done.spans WHERE annotator_id = :gold"),
    ("gold_provenance", "SELECT * FROM done.gold_provenance"),
    ("claims", "SELECT c.* FROM done.claims c JOIN done.spans s ON s.id = c.span_id WHERE s.annotator_id = :gold"),
    ("claim_values", "SELECT v.* FROM done.claim_values v JOIN done.claims c ON c.id = v.claim_id"
                     " JOIN done.spans s ON s.id = c.span_id WHERE s.annotator_id = :gold"),
    ("doc_labels", "SELECT * FROM done.doc_labels WHERE annotator_id = :gold"),
    ("gold_label_provenance", "SELECT * FROM done.gold_label_provenance"),
)


def write_floor(built: Path, done: Path, target: Path) -> dict:
    """The bare writes of the rows a run wrote (``done``) into a fresh copy of ``built``."""
    shutil.copyfile(built, target)
    conn = sqlite3.connect(target, isolation_level=None)
    conn.execute("PRAGMA foreign_keys = ON")
    conn.execute("ATTACH DATABASE ? AS done", [str(done)])
    gold = conn.execute("SELECT id FROM done.annotators WHERE uuid = ?", [GOLD_UUID]).fetchone()[0]
    for table, select in GOLD_TABLES:  # untimed: the rows in memory, as the run has them before writing
        conn.execute(f"CREATE TEMP TABLE new_{table} AS {select}", {"gold": gold})
    conn.execute("DETACH DATABASE done")
    cpu, started = cpu_seconds(), time.perf_counter()
    conn.execute("BEGIN")
    rows = 0
    for table, _ in GOLD_TABLES:
        rows += conn.execute(f"INSERT INTO main.{table} SELECT * FROM temp.new_{table}").rowcount
    conn.execute("COMMIT")
    figures = {"s": time.perf_counter() - started, "cpu": cpu_seconds() - cpu, "rows": rows}
    conn.close()
    return figures


def run_auto(folder: Path, documents: int, repeat: int) -> dict:
    from annotator.store import Project
    from annotator.workflows.reviewing import AutoReviewOptions, auto_review

    built = folder / "auto.annotator"
    setup = build(folder / "corpus.jsonl", built, documents)
    copy = folder / "auto-run.annotator"
    runs, floors, writes = [], [], []
    result = None
    write_copy = folder / "auto-write.annotator"
    with LoadSampler() as load:
        for _ in range(repeat):
            shutil.copyfile(built, copy)  # untimed: a fresh file without gold
            conn = sqlite3.connect(copy)
            cpu, started = cpu_seconds(), time.perf_counter()
            rows = len(conn.execute(ALL_SPANS).fetchall())
            floors.append({"s": time.perf_counter() - started, "cpu": cpu_seconds() - cpu})
            conn.close()
            with Project.open(copy) as project:
                cpu, started = cpu_seconds(), time.perf_counter()
                result = auto_review(project, AutoReviewOptions(mode="majority"))
                runs.append({"s": time.perf_counter() - started, "cpu": cpu_seconds() - cpu})
            writes.append(write_floor(built, copy, write_copy))
    assert result is not None
    floor = statistics.median(r["s"] for r in floors)
    project_s = statistics.median(r["s"] for r in runs)
    return {"documents": setup["documents"], "spans": setup["spans"], "floor_rows": rows,
            "floor_s": floor, "floor_cpu": statistics.median(r["cpu"] for r in floors),
            "auto_s": project_s, "auto_cpu": statistics.median(r["cpu"] for r in runs),
            "auto_min_max": (min(r["s"] for r in runs), max(r["s"] for r in runs)),
            "write_s": statistics.median(r["s"] for r in writes), "write_cpu": statistics.median(r["cpu"] for r in writes),
            "write_rows": writes[0]["rows"],
            "ratio": project_s / floor if floor else float("inf"), "decided": result.decided, "left": result.left,
            "load": load.summary(), "peak_mb": peak_mb(), "runs": repeat}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--documents", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--only", choices=["enter", "auto"])
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as folder:
        if args.only in (None, "enter"):
            r = run_enter(Path(folder))
            e, s, q = r["enter_ms"], r["reload_ms"], r["sql_ms"]
            print(f"enter review mode: {r['units']} units {r['states']} of {r['spans']} spans (3 layers)")
            print(f"  review mode on   median {e['median']:7.1f} ms (min {e['min']:.1f}, max {e['max']:.1f}; "
                  f"{e['runs']} runs, {r['enter_cpu_s']:.2f} CPU s in all)   target < 100 ms")
            print(f"  floor: document shown again   {s['median']:7.1f} ms;  its spans in one query {q['median']:.2f} ms")
            print(f"  ratio to the shown document {e['median'] / s['median']:.2f}x; load average mean "
                  f"{r['load']['mean']:.2f}, max {r['load']['max']:.2f}; peak {r['peak_mb']:.0f} MB")
        if args.only in (None, "auto"):
            r = run_auto(Path(folder), args.documents, max(1, args.repeat))
            print(f"review --auto majority: {r['documents']:,} documents, {r['spans']:,} spans (3 layers); "
                  f"{r['decided']:,} units decided, {r['left']:,} left")
            print(f"  auto_review   median {r['auto_s']:.2f} s (min {r['auto_min_max'][0]:.2f}, max "
                  f"{r['auto_min_max'][1]:.2f}; {r['auto_cpu']:.2f} CPU s)")
            print(f"  floor: {r['floor_rows']:,} spans in one query {r['floor_s']:.2f} s ({r['floor_cpu']:.2f} CPU s)")
            print(f"  write floor: the {r['write_rows']:,} rows it wrote, bare SQL {r['write_s']:.2f} s "
                  f"({r['write_cpu']:.2f} CPU s) = {r['write_s'] / r['floor_s']:.2f}x the read floor; read + write "
                  f"floors {(r['write_s'] + r['floor_s']) / r['floor_s']:.2f}x")
            print(f"  ratio {r['ratio']:.2f}x (target <= 2x); load average mean {r['load']['mean']:.2f}, "
                  f"max {r['load']['max']:.2f}; peak {r['peak_mb']:.0f} MB; medians of {r['runs']} runs")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
