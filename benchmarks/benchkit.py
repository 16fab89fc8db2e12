"""What every benchmark shares, so each figure is printed the same honest way.

- Every measured run happens in a fresh interpreter (``run_child``), so its peak memory is its
  own; the child times only the work itself (``Stopwatch``), not interpreter start-up.
- A figure is the MEDIAN of its runs, shown with the min–max (``Series``). The best of n hides
  how often a user waits longer; the median of >= 3 (the UI: >= 15) repeats.
- CPU seconds are shown beside wall seconds: on a shared 2-core machine other programs stretch
  the wall clock but barely move the CPU time a piece of work costs.
- The load is sampled DURING the runs (``LoadSampler``, a thread reading the 1-minute load
  average and /proc/stat every quarter second), not once before: each run also records how
  many cores other processes used while it ran (machine busy CPU minus the run's own CPU).
- Floors do the same work with the same settings as the project's side; ``ratio`` divides
  medians measured in the same session, runs of the two sides interleaved.

Use (see bench_export.py for a full example)::

    from benchkit import LoadSampler, Stopwatch, child_main, run_child, Series

    def run_floor(corpus):            # runs in the child
        texts = load(corpus)          # setup: not timed
        with Stopwatch() as clock:
            do_the_work(texts)
        return clock.figures(tokens=123)

    if __name__ == "__main__":
        child_main({"floor": run_floor, ...})   # handles --child NAME ARGS...; else falls through
        with LoadSampler() as load:
            floors = Series([run_child(__file__, "floor", corpus, sampler=load) for _ in range(3)])
        print(floors.format("wall"), load.summary())

In-process timings of short actions (the window) use ``time_calls``; its runs carry wall and
CPU milliseconds per call.
"""

from __future__ import annotations

import json
import os
import resource
import statistics
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

CHILD_FLAG = "--child"
SAMPLE_SECONDS = 0.25
_TICKS = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100


# ------------------------------------------------------------------ one process
def peak_mb(who: int = resource.RUSAGE_SELF) -> float:
    """Largest resident set so far, in MB (Linux reports KiB); RUSAGE_CHILDREN: the largest
    finished child (a worker process), not their sum."""
    return resource.getrusage(who).ru_maxrss / 1024


def cpu_seconds() -> float:
    """CPU time (user + system) of this process and of its finished children (worker processes)."""
    return sum(u.ru_utime + u.ru_stime for u in (resource.getrusage(resource.RUSAGE_SELF),
                                                 resource.getrusage(resource.RUSAGE_CHILDREN)))


class Stopwatch:
    """Wall and CPU seconds of the block it wraps; ``figures()`` adds peak memory.

    Worker processes count in the CPU figure once they have exited (RUSAGE_CHILDREN), so shut
    pools down inside the block.
    """

    def __enter__(self) -> Stopwatch:
        self.wall = self.cpu = 0.0
        self._cpu = cpu_seconds()
        self._wall = time.perf_counter()
        return self

    def __exit__(self, *exc: object) -> None:
        self.wall = time.perf_counter() - self._wall
        self.cpu = cpu_seconds() - self._cpu

    def figures(self, **extra: Any) -> dict[str, Any]:
        return {"wall": self.wall, "cpu": self.cpu, "peak_mb": peak_mb(),
                "worker_peak_mb": peak_mb(resource.RUSAGE_CHILDREN), **extra}


# ------------------------------------------------------------------ the machine
def machine_busy() -> float:
    """CPU seconds every core of the machine has spent busy since boot (/proc/stat)."""
    try:
        with open("/proc/stat") as stat:
            fields = [int(x) for x in stat.readline().split()[1:]]
    except OSError:
        return float("nan")
    idle = fields[3] + (fields[4] if len(fields) > 4 else 0)  # idle + iowait
    guest = sum(fields[8:10])  # already counted in user/nice
    return (sum(fields) - idle - guest) / _TICKS


def cores() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:
        return os.cpu_count() or 1


class LoadSampler:
    """Samples the 1-minute load average (and the machine's busy CPU) in a thread while the
    runs happen. Use as a context manager around the runs."""

    def __init__(self, interval: float = SAMPLE_SECONDS) -> None:
        self.interval = interval
        self.samples: list[float] = []
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._busy_start = self._wall_start = 0.0
        self.busy_cores = float("nan")  # mean cores busy on the machine over the whole session

    def __enter__(self) -> LoadSampler:
        self._busy_start, self._wall_start = machine_busy(), time.perf_counter()
        self.samples.append(os.getloadavg()[0])
        self._thread = threading.Thread(target=self._sample, name="load-sampler", daemon=True)
        self._thread.start()
        return self

    def _sample(self) -> None:
        while not self._stop.wait(self.interval):
            self.samples.append(os.getloadavg()[0])

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join()
        self.samples.append(os.getloadavg()[0])
        elapsed = time.perf_counter() - self._wall_start
        if elapsed > 0:
            self.busy_cores = (machine_busy() - self._busy_start) / elapsed

    def summary(self) -> str:
        if not self.samples:
            return "load not sampled"
        return (f"load average (1 min) during the runs: median {statistics.median(self.samples):.2f}, "
                f"{min(self.samples):.2f}–{max(self.samples):.2f} ({len(self.samples)} samples, {cores()} cores); "
                f"machine busy {self.busy_cores:.2f} cores on average")


# ------------------------------------------------------------------ runs and series
@dataclass
class Run:
    """One measured run: wall and CPU seconds, peak memory, and what else the child reported.

    ``others`` is how many cores other processes kept busy meanwhile (NaN when unknown)."""

    wall: float
    cpu: float
    peak_mb: float = float("nan")
    worker_peak_mb: float = 0.0
    others: float = float("nan")
    figures: dict[str, Any] = field(default_factory=dict)

    def __getitem__(self, name: str) -> Any:
        return getattr(self, name) if name in ("wall", "cpu", "peak_mb", "worker_peak_mb", "others") \
            else self.figures[name]


class Series:
    """Several runs of one measurement: median, min and max of any figure."""

    def __init__(self, runs: Iterable[Run] = ()) -> None:
        self.runs = list(runs)

    def append(self, run: Run) -> None:
        self.runs.append(run)

    def values(self, name: str = "wall") -> list[float]:
        return [float(run[name]) for run in self.runs]

    def median(self, name: str = "wall") -> float:
        return statistics.median(self.values(name))

    def low(self, name: str = "wall") -> float:
        return min(self.values(name))

    def high(self, name: str = "wall") -> float:
        return max(self.values(name))

    def format(self, name: str = "wall", unit: str = "s", scale: float = 1.0, digits: int = 2) -> str:
        """``12.34 s (11.90–13.02)``: the median, then the min–max of the runs."""
        values = [v * scale for v in self.values(name)]
        median = statistics.median(values)
        if len(values) == 1:
            return f"{median:.{digits}f} {unit} (1 run)"
        return f"{median:.{digits}f} {unit} ({min(values):.{digits}f}–{max(values):.{digits}f})"

    def others(self) -> str:
        values = [v for v in self.values("others") if v == v]
        return f"{statistics.median(values):.1f}" if values else "?"


def ratio(ours: Series, floor: Series, name: str = "wall") -> float:
    return ours.median(name) / floor.median(name)


def row(label: str, series: Series, floor: Series | None = None, target: str = "", width: int = 46) -> str:
    """One line of a benchmark table: median wall (min–max), CPU, peak memory, ratio to the floor,
    cores other processes used meanwhile, target."""
    parts = [f"{label:<{width}}", f"{series.format('wall'):>24}", f"CPU {series.median('cpu'):6.2f} s",
             f"peak {series.high('peak_mb'):5.0f} MB"]
    workers = series.high("worker_peak_mb")
    if workers > 0:
        parts.append(f"+ {workers:4.0f} MB worker")
    if floor is not None:
        parts.append(f"ratio {ratio(series, floor):5.2f}")
    parts.append(f"others {series.others()} cores")
    if target:
        parts.append(f"target {target}")
    return "  ".join(parts)


# ------------------------------------------------------------------ fresh interpreters
def run_child(script: str | Path, name: str, *args: object, env: dict[str, str] | None = None) -> Run:
    """Run ``python SCRIPT --child NAME ARGS...`` (the script calls ``child_main``) and return its
    figures as a Run, with the cores other processes used while it ran."""
    command = [sys.executable, str(script), CHILD_FLAG, name, *map(str, args)]
    busy, started = machine_busy(), time.perf_counter()
    done = subprocess.run(command, capture_output=True, text=True, check=False,
                          env={**os.environ, **env} if env else None)
    elapsed, busy = time.perf_counter() - started, machine_busy() - busy
    if done.returncode:
        raise SystemExit(f"{Path(script).name} {name} failed (exit {done.returncode}):\n{done.stderr[-4000:]}")
    lines = done.stdout.strip().splitlines()
    if not lines:
        raise SystemExit(f"{Path(script).name} {name} printed nothing:\n{done.stderr[-4000:]}")
    figures = json.loads(lines[-1])
    # The child's whole CPU (start-up included) is what it added to the machine meanwhile.
    own = figures.pop("process_cpu", figures.get("cpu", 0.0))
    others = max(0.0, (busy - own) / elapsed) if elapsed > 0 else float("nan")
    return Run(figures.pop("wall"), figures.pop("cpu"), figures.pop("peak_mb", float("nan")),
               figures.pop("worker_peak_mb", 0.0), others, figures)


def child_main(runners: dict[str, Callable[..., dict[str, Any]]], argv: list[str] | None = None) -> None:
    """In a child (``--child NAME ARGS...``): run ``runners[NAME](*ARGS)``, print its figures as
    JSON on the last line, and exit. Otherwise return and let the script's driver run."""
    argv = sys.argv[1:] if argv is None else argv
    if CHILD_FLAG not in argv:
        return
    name, *args = argv[argv.index(CHILD_FLAG) + 1:]
    figures = runners[name](*args)
    usage = [resource.getrusage(who) for who in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN)]
    figures["process_cpu"] = sum(u.ru_utime + u.ru_stime for u in usage)
    print(json.dumps(figures))
    sys.exit(0)


def interleaved(repeat: int, sides: dict[str, Callable[[int], Run]]) -> dict[str, Series]:
    """Run each side ``repeat`` times, alternating (floor, ours, floor, ours, ...), so a burst of
    load from other programs hits both sides rather than one."""
    series = {name: Series() for name in sides}
    for number in range(repeat):
        for name, side in sides.items():
            series[name].append(side(number))
    return series


# ------------------------------------------------------------------ short actions, in process
def time_calls(action: Callable[[], object], repeat: int = 15,
               setup: Callable[[], object] | None = None) -> Series:
    """Call ``action`` ``repeat`` times (``setup`` before each, untimed); runs in milliseconds.

    For the window's actions, which are too short for a process of their own; the median of
    15 or more is the figure (``Series.format('wall', 'ms')``)."""
    series = Series()
    for _ in range(repeat):
        if setup is not None:
            setup()
        busy, cpu, started = machine_busy(), time.process_time(), time.perf_counter()
        action()
        wall, cpu = time.perf_counter() - started, time.process_time() - cpu
        busy = machine_busy() - busy
        # /proc/stat counts in 10 ms ticks: too coarse for one short call, so "others" is left
        # to the session's LoadSampler.
        series.append(Run(wall * 1000, cpu * 1000, peak_mb(), figures={"machine_ms": busy * 1000}))
    return series


def header(title: str) -> str:
    uname = os.uname()
    return (f"{title} — {time.strftime('%Y-%m-%d %H:%M')} on {uname.nodename} ({cores()} cores, "
            f"Python {sys.version.split()[0]}); figures: median (min–max) of the runs")
