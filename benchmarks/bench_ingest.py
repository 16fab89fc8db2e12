"""Getting news in: saved pages imported with --format html, and pages fetched from a local server.

Import (1,000 saved pages, web_corpus.py):
  floor     ``trafilatura.extract`` alone over the same files, one process, with the settings
            the import asks for (metadata on, comments off, precision): the extraction the
            import cannot avoid. Also shown: ``extract`` with its defaults (no metadata).
  1 core    ``import_pages(..., workers=0)``: read, decode, extract, store, in one process.
  2 cores   ``import_pages(..., workers=2)``: extraction in two worker processes.
  Targets: 1 core <= 1.2 x floor; 2 cores < floor.

Fetch (1,000 addresses, a server on 127.0.0.1 in its own process answering each page after
200 ms): ``fetch_pages`` with concurrency 8 and no per-site delay (every address is on one
host; with the default 1 s delay the run would take 1,000 s by design). Floor: 1,000 x 0.2 s
/ 8 = 25 s of waiting. Target: < 40 s.

Loading trafilatura is outside every side's timing; starting the worker processes (which
load it again) is inside the 2-core one. Each run is its own subprocess (peak memory is its max RSS); the medians of --repeat runs
(default 3) are shown with CPU seconds (the run's process and its children), and the 1-minute
load average sampled every second while the runs went.

    python benchmarks/bench_ingest.py                    # everything, 3 runs each
    python benchmarks/bench_ingest.py --pages 200 --repeat 1 --skip-fetch
"""

from __future__ import annotations

import argparse
import json
import os
import resource
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

LATENCY = 0.2
CONCURRENCY = 8


# ---------------------------------------------------------------------------- measured sides
def _cpu() -> float:
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def _peak_mb() -> float:
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return max(own.ru_maxrss, children.ru_maxrss) / 1024  # Linux: KiB


def side_floor(folder: Path, _work: Path, defaults: bool = False) -> dict:
    import trafilatura

    pages = sorted(folder.glob("*.html"))
    trafilatura.extract("<html><body><p>warm up</p></body></html>")
    started, cpu = time.perf_counter(), _cpu()
    found = 0
    for path in pages:
        data = path.read_bytes()
        if defaults:
            text = trafilatura.extract(data)
        else:
            text = trafilatura.extract(data, with_metadata=True, include_comments=False, favor_precision=True)
        found += bool(text)
    return {"seconds": time.perf_counter() - started, "cpu": _cpu() - cpu, "pages": found}


def side_import(folder: Path, work: Path, workers: int) -> dict:
    from annotator.store import Project
    from annotator.workflows.html_import import import_pages

    import trafilatura  # noqa: F401 - loading the library is outside every side's timing

    project_path = work / f"import-{workers}.annotator"
    with Project.create(project_path) as project:
        started, cpu = time.perf_counter(), _cpu()
        report = import_pages(project, [folder], workers=workers)
        seconds = time.perf_counter() - started
        return {"seconds": seconds, "cpu": _cpu() - cpu, "pages": report.total("added")}


def side_fetch(folder: Path, work: Path, port: int) -> dict:
    from annotator.store import Project
    from annotator.workflows.fetching import fetch_pages
    from annotator.workflows.http_fetch import FetchSettings
    from annotator.workflows.url_sources import UrlEntry

    names = sorted(p.name for p in folder.glob("*.html"))
    entries = [UrlEntry(f"http://127.0.0.1:{port}/{name}", "bench", n) for n, name in enumerate(names, 1)]
    settings = FetchSettings(concurrency=CONCURRENCY, delay=0.0, timeout=20, retries=1)
    project_path = work / "fetch.annotator"
    with Project.create(project_path) as project:
        started, cpu = time.perf_counter(), _cpu()
        report = fetch_pages(project, entries, settings)
        return {"seconds": time.perf_counter() - started, "cpu": _cpu() - cpu, "pages": report.count("added"),
                "failed": report.count("failed")}


def serve(folder: Path, port_file: Path) -> None:
    """The slow site: every page after LATENCY seconds (threads, so waits overlap)."""
    from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer

    class Slow(SimpleHTTPRequestHandler):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, directory=str(folder), **kwargs)

        def do_GET(self) -> None:  # noqa: N802
            time.sleep(LATENCY)
            super().do_GET()

        def log_message(self, *args) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Slow)
    server.daemon_threads = True
    server.request_queue_size = 64
    port_file.write_text(str(server.server_address[1]))
    server.serve_forever(0.05)


# ---------------------------------------------------------------------------- driver
def run_side(args: list[str]) -> dict:
    out = subprocess.run([sys.executable, __file__, "--side", *args], check=True, capture_output=True, text=True)
    result = json.loads(out.stdout.strip().splitlines()[-1])
    return result


def medians(runs: list[dict]) -> dict:
    return {key: statistics.median(run[key] for run in runs) for key in runs[0]}


def line(name: str, result: dict, floor: float | None = None) -> str:
    ratio = f"  {result['seconds'] / floor:5.2f} x floor" if floor else ""
    return (f"  {name:<34} {result['seconds']:7.2f} s  cpu {result['cpu']:7.2f} s  peak {result['peak']:6.0f} MB"
            f"  pages {result['pages']}{ratio}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--pages", type=int, default=1000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--skip-fetch", action="store_true")
    parser.add_argument("--skip-import", action="store_true")
    parser.add_argument("--side", nargs="+", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.side:
        kind, folder, work, *rest = args.side
        if kind == "serve":
            serve(Path(folder), Path(work))
            return
        functions = {"floor": lambda: side_floor(Path(folder), Path(work)),
                     "floor-defaults": lambda: side_floor(Path(folder), Path(work), defaults=True),
                     "import": lambda: side_import(Path(folder), Path(work), int(rest[0])),
                     "fetch": lambda: side_fetch(Path(folder), Path(work), int(rest[0]))}
        result = functions[kind]()
        result["peak"] = _peak_mb()
        print(json.dumps(result))
        return

    from web_corpus import write_pages

    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "pages"
        write_pages(folder, args.pages)
        size = sum(p.stat().st_size for p in folder.glob("*.html")) / 1e6
        print(f"{args.pages} saved pages, {size:.1f} MB; medians of {args.repeat} runs; cpus {os.cpu_count()}")
        with LoadSampler() as load:
            if not args.skip_import:
                sides = {"floor": ["floor"], "floor-defaults": ["floor-defaults"], "1 core": ["import", "0"],
                         "2 cores": ["import", "2"]}
                runs: dict[str, list[dict]] = {name: [] for name in sides}
                for index in range(args.repeat):  # interleaved: load changes hit every side alike
                    for name, side in sides.items():
                        work = Path(tmp) / f"work-{name.replace(' ', '')}-{index}"
                        work.mkdir()
                        runs[name].append(run_side([side[0], str(folder), str(work), *side[1:]]))
                results = {name: medians(r) for name, r in runs.items()}
                floor = results["floor"]["seconds"]
                print("import --format html:")
                print(line("floor: trafilatura.extract (same)", results["floor"]))
                print(line("trafilatura.extract (defaults)", results["floor-defaults"], floor))
                print(line("project, 1 core (workers=0)", results["1 core"], floor))
                print(line("project, 2 cores (workers=2)", results["2 cores"], floor))
                one, two = results["1 core"]["seconds"] / floor, results["2 cores"]["seconds"] / floor
                print(f"  targets: 1 core <= 1.20 x floor: {one:.2f} {'ok' if one <= 1.2 else 'MISSED'}; "
                      f"2 cores < floor: {two:.2f} {'ok' if two < 1 else 'MISSED'}")
            if not args.skip_fetch:
                port_file = Path(tmp) / "port"
                server = subprocess.Popen([sys.executable, __file__, "--side", "serve", str(folder), str(port_file)])
                try:
                    while not port_file.exists() or not port_file.read_text():
                        time.sleep(0.05)
                    port = port_file.read_text()
                    runs_fetch = []
                    for index in range(args.repeat):
                        work = Path(tmp) / f"fetch-{index}"
                        work.mkdir()
                        runs_fetch.append(run_side(["fetch", str(folder), str(work), port]))
                finally:
                    server.terminate()
                    server.wait()
                result = medians(runs_fetch)
                floor_fetch = args.pages * LATENCY / CONCURRENCY
                print(f"fetch, {LATENCY * 1000:.0f} ms per page, concurrency {CONCURRENCY}:")
                print(line(f"floor: waiting alone {floor_fetch:.1f} s", {**result, "seconds": floor_fetch, "cpu": 0,
                                                                        "peak": 0}))
                print(line("project: fetch_pages", result, floor_fetch) + f"  failed {result['failed']}")
                print(f"  target: < 40 s: {result['seconds']:.1f} s {'ok' if result['seconds'] < 40 else 'MISSED'}")
        print(load.summary())


if __name__ == "__main__":
    main()
