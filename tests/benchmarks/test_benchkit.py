"""The benchmarks' shared helper (benchmarks/benchkit.py): medians, min–max, CPU, load sampled during runs."""

from __future__ import annotations

import sys
import textwrap
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parents[2] / "benchmarks"))

from benchkit import LoadSampler, Run, Series, Stopwatch, interleaved, ratio, row, run_child, time_calls  # noqa: E402


def test_benchkit_series_median_and_range():
    series = Series(Run(wall, wall / 2, peak_mb=10 * wall) for wall in (3.0, 1.0, 2.0, 10.0, 4.0))
    assert series.median() == 3.0 and series.low() == 1.0 and series.high() == 10.0
    assert series.median("cpu") == 1.5 and series.high("peak_mb") == 100.0
    assert series.format() == "3.00 s (1.00–10.00)"
    assert series.format("wall", "ms", scale=1000, digits=0) == "3000 ms (1000–10000)"
    assert Series([Run(2.0, 1.0)]).format() == "2.00 s (1 run)"
    floor = Series([Run(1.0, 1.0), Run(2.0, 2.0), Run(1.5, 1.5)])
    assert ratio(series, floor) == 2.0
    line = row("ours", series, floor, "< 5 s")
    assert "3.00 s (1.00–10.00)" in line and "ratio  2.00" in line and "target < 5 s" in line


def test_benchkit_load_sampler_samples_during_the_runs():
    with LoadSampler(interval=0.01) as load:
        time.sleep(0.1)
    assert len(load.samples) >= 5  # not one reading before the runs
    assert "load average (1 min) during the runs" in load.summary()


def test_benchkit_stopwatch_counts_cpu_beside_wall():
    with Stopwatch() as clock:
        total = sum(i * i for i in range(300_000))
        time.sleep(0.05)
    assert total and clock.wall >= 0.05 and 0 < clock.cpu < clock.wall + 0.5
    figures = clock.figures(extra=1)
    assert figures["extra"] == 1 and figures["peak_mb"] > 0


def test_benchkit_child_runs_in_a_fresh_interpreter(tmp_path):
    script = tmp_path / "bench_tiny.py"
    script.write_text(textwrap.dedent(f"""
        import os, sys
        sys.path.insert(0, {str(Path(__file__).parents[2] / "benchmarks")!r})
        from benchkit import Stopwatch, child_main

        def work(n):
            with Stopwatch() as clock:
                sum(range(int(n)))
            return clock.figures(pid=os.getpid(), n=int(n))

        if __name__ == "__main__":
            child_main({{"work": work}})
            print("driver")
    """))
    first = run_child(script, "work", 1000)
    second = run_child(script, "work", 2000)
    assert first["n"] == 1000 and second["n"] == 2000 and first["pid"] != second["pid"]
    assert first.wall >= 0 and first.peak_mb > 0 and first.others >= 0


def test_benchkit_interleaved_alternates_sides_and_time_calls_repeats():
    order = []
    series = interleaved(3, {"floor": lambda n: order.append(("floor", n)) or Run(1.0, 1.0),
                             "ours": lambda n: order.append(("ours", n)) or Run(2.0, 2.0)})
    assert order == [("floor", 0), ("ours", 0), ("floor", 1), ("ours", 1), ("floor", 2), ("ours", 2)]
    assert series["ours"].median() == 2.0
    calls = []
    timed = time_calls(lambda: calls.append(1), repeat=15, setup=lambda: calls.append(0))
    assert len(timed.runs) == 15 and calls == [0, 1] * 15
