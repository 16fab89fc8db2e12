"""Annotation window speed and memory, each figure beside a floor measured in the same run.

Floor (every case): a plain ``QPlainTextEdit`` of the same size and font, ``setPlainText`` of
the same text and a synchronous repaint, without any span drawing. Ours: the real
``MainWindow`` on a real project file.

    python benchmarks/bench_ui.py                  # 100,000-document project (built once, ~1-2 min)
    python benchmarks/bench_ui.py --docs 10000     # quicker look
    python benchmarks/bench_ui.py --keep /tmp/ui   # keep (and reuse) the built projects there

    python benchmarks/bench_ui.py --only views     # the view cases alone (no 100,000-document project)

Targets (issues 3 and 17): open a 100,000-document project to an interactive window < 1.5 s;
switch to a 600-word document with 50 spans < 30 ms (the median of 15 runs); a 60,000-word
document with 5,000 spans shown < 150 ms; adding one span to a document with 2,000 spans:
the view's repaint and the whole edit (store transaction, undo command, every view) < 16 ms
(the median); memory with the 100,000-document project open < 400 MB. Each case prints the
median of its runs with their min–max, beside a floor measured in the same run; the load
average is sampled during the runs, and CPU seconds are given beside wall seconds. Each
measurement runs in a fresh interpreter. These are measurements, not tests: nothing here
fails a build.
"""

from __future__ import annotations

import argparse
import json
import os
import re
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
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

LABELS = ("PERSON", "ORG", "GPE", "LOC", "NORP", "DATE", "MONEY", "EVENT")
WORD_RE = re.compile(r"\w+")
WINDOW_SIZE = (1400, 900)
REPEAT = 15


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux: KiB


def rss_mb() -> float:
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20


# ------------------------------------------------------------------ projects
def article_text(words: int, seed: int) -> str:
    from corpus import generate

    parts, count = [], 0
    for record in generate(max(1, words // 550 + 1), seed=seed):
        parts.append(record["text"])
        count += len(record["text"].split())
        if count >= words:
            break
    return "\n\n".join(parts)


def with_spans(text: str, count: int) -> dict:
    """``count`` non-overlapping one-word spans spread evenly over the text."""
    words = [m.span() for m in WORD_RE.finditer(text)]
    step = max(1, len(words) // count)
    spans = [{"start": s, "end": e, "label": LABELS[i % len(LABELS)]}
             for i, (s, e) in enumerate(words[::step][:count])]
    assert len(spans) == count, (len(spans), count, len(words))
    return {"text": text, "spans": spans}


def build_view_project(path: Path) -> None:
    from annotator.store import Project
    from annotator.workflows.importing import ImportOptions, import_paths

    cases = [("small-a", article_text(600, 11), 50), ("small-b", article_text(600, 12), 50),
             ("spans-2000", article_text(24_000, 13), 2_000), ("big", article_text(60_000, 14), 5_000)]
    jsonl = path.with_suffix(".jsonl")
    with jsonl.open("w", encoding="utf-8") as out:
        for title, text, spans in cases:
            out.write(json.dumps({**with_spans(text, spans), "meta": {"title": title}}, ensure_ascii=False) + "\n")
    with Project.create(path) as project:
        report = import_paths(project, [jsonl], ImportOptions(format="prodigy", annotator="bench"))
        assert report.ok, report.summary()
        project.update_search_index(10_000)
    jsonl.unlink()


def build_big_project(path: Path, docs: int) -> None:
    from corpus import write_corpus

    from annotator.store import Project
    from annotator.workflows.importing import ImportOptions, import_paths

    jsonl = path.with_suffix(".jsonl")
    write_corpus(docs, jsonl, seed=1)
    with Project.create(path) as project:
        report = import_paths(project, [jsonl], ImportOptions(format="prodigy"))
        assert report.ok, report.summary()
    jsonl.unlink()


# ------------------------------------------------------------------ measuring
def _app():
    from PySide6.QtCore import QStandardPaths
    from PySide6.QtWidgets import QApplication

    QStandardPaths.setTestModeEnabled(True)
    app = QApplication.instance() or QApplication(sys.argv[:1])
    app.setStyle("Fusion")
    return app


def _settings(folder: Path):
    from PySide6.QtCore import QSettings

    from annotator.ui.common.settings import Settings

    settings = Settings(QSettings(str(folder / "bench.ini"), QSettings.Format.IniFormat))
    settings.set_value("annotator/name", "bench")
    return settings


def _floor_view(font, app):
    from PySide6.QtWidgets import QPlainTextEdit

    view = QPlainTextEdit()
    view.setReadOnly(True)
    view.setFont(font)
    view.resize(*WINDOW_SIZE)
    view.show()
    app.processEvents()
    return view


def _timed(action, repeat: int = REPEAT, setup=None) -> dict:  # noqa: ANN001 - callables
    """``repeat`` runs of ``action`` (each after ``setup``, untimed): median, min and max in ms."""
    times = []
    for _ in range(repeat):
        if setup is not None:
            setup()
        started = time.perf_counter()
        action()
        times.append((time.perf_counter() - started) * 1000)
    return {"median": statistics.median(times), "min": min(times), "max": max(times), "runs": repeat}


class LoadSampler:
    """The load average, sampled every half second while the runs go (not once before them)."""

    def __init__(self) -> None:
        import threading

        self.samples: list[float] = []
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        while not self._stop.is_set():
            self.samples.append(os.getloadavg()[0])
            self._stop.wait(0.5)

    def __enter__(self) -> LoadSampler:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()

    def summary(self) -> dict:
        return {"mean": statistics.fmean(self.samples) if self.samples else 0.0,
                "max": max(self.samples, default=0.0)}


def run_open(path: Path) -> dict:
    """Open a project to an interactive window (painted, first document shown)."""
    started = time.perf_counter()
    app = _app()
    from annotator.store import Project
    from annotator.ui.window.main_window import MainWindow

    imported = time.perf_counter()
    project = Project.open(path, check=False)  # as the window opens projects: the check runs after
    opened = time.perf_counter()
    window = MainWindow(project, _settings(path.parent), checked=False)
    window.resize(*WINDOW_SIZE)
    window.show()
    app.processEvents()
    window.repaint()
    ready = time.perf_counter()
    first_text = window.text_view.text
    after_open = rss_mb()
    # Let the background work of the first seconds run (integrity check, spaCy's tokenizer).
    deadline = time.perf_counter() + 30
    editable = tokens = None
    while time.perf_counter() < deadline and (editable is None or tokens is None):
        app.processEvents()
        time.sleep(0.005)
        if editable is None and window.session.blocked is None:
            editable = time.perf_counter()
        if tokens is None and window.text_view.tokens_exact:
            tokens = time.perf_counter()
    editable, tokens = editable or time.perf_counter(), tokens or time.perf_counter()
    settled = rss_mb()
    floor = _floor_view(window.text_view.font(), app)
    floor_ms = _timed(lambda: (floor.setPlainText(first_text), floor.viewport().repaint()), 5)["median"]
    window.shut_down()
    project.close()
    return {"import_s": imported - started, "project_open_s": opened - imported, "window_s": ready - opened,
            "editable_s": editable - started, "tokens_s": tokens - started,
            "total_s": ready - started, "floor_ms": floor_ms, "rss_open_mb": after_open, "rss_settled_mb": settled,
            "peak_mb": peak_mb(), "documents": window.document_model.rowCount()}


def run_views(path: Path) -> dict:
    app = _app()
    from annotator.core.model import Span
    from annotator.store import Project
    from annotator.ui.window.main_window import MainWindow

    project = Project.open(path)
    window = MainWindow(project, _settings(path.parent))
    window.resize(*WINDOW_SIZE)
    window.show()
    app.processEvents()
    cpu, wall = time.process_time(), time.perf_counter()
    sampler = LoadSampler().__enter__()
    ids = {s.title: s.id for s in project.document_summaries(0, 10)}
    texts = {title: project.document(doc_id).text for title, doc_id in ids.items()}
    view = window.text_view
    floor = _floor_view(view.font(), app)
    results: dict[str, dict] = {}

    def show(title: str) -> None:
        window.navigation.go_to(ids[title])  # as the list or a key does: the list follows
        view.viewport().repaint()

    def floor_show(title: str) -> None:
        floor.setPlainText(texts[title])
        floor.viewport().repaint()

    # Switching: from another document to a 600-word one with 50 spans.
    results["switch 600 words, 50 spans"] = {
        "ms": _timed(lambda: show("small-a"), setup=lambda: show("small-b")),
        "floor_ms": _timed(lambda: floor_show("small-a"), setup=lambda: floor_show("small-b")), "target_ms": 30,
        "words": len(texts["small-a"].split())}
    results["show 60,000 words, 5,000 spans"] = {
        "ms": _timed(lambda: show("big"), 7, setup=lambda: show("small-a")),
        "floor_ms": _timed(lambda: floor_show("big"), 7, setup=lambda: floor_show("small-a")),
        "target_ms": 150, "words": len(texts["big"].split())}

    # One more span in a document with 2,000: the view's incremental update and repaint, and
    # the whole edit (store transaction with fsync, undo command, table row) for comparison.
    show("spans-2000")
    text = texts["spans-2000"]
    taken = {(s.start, s.end) for s in project.spans(ids["spans-2000"])}
    free = [m.span() for m in WORD_RE.finditer(text) if m.span() not in taken][100:100 + REPEAT]
    view.verticalScrollBar().setValue(view.verticalScrollBar().maximum() // 3)
    new_ids = iter(range(10**9, 10**9 + 10**6))

    def add_in_view(span_range=iter(free)) -> None:
        start, end = next(span_range)
        view.put_span(Span(ids["spans-2000"], start, end, "GPE", text[start:end], "bench", "manual", "accepted",
                           next(new_ids)))
        view.viewport().repaint()

    add_ms = _timed(add_in_view, len(free))

    def edit(span_range=iter(free)) -> None:
        start, end = next(span_range)
        window.tagging.tag(start, end, "GPE")
        view.viewport().repaint()

    show("spans-2000")
    edit_ms = _timed(edit, len(free))
    floor_edit = _timed(lambda: floor_show("spans-2000"), 7)
    results["add 1 span to 2,000 (view)"] = {"ms": add_ms, "floor_ms": floor_edit, "target_ms": 16}
    results["add 1 span to 2,000 (whole edit)"] = {"ms": edit_ms, "floor_ms": floor_edit, "target_ms": 16}
    sampler.__exit__()
    window.shut_down()
    project.close()
    return {"cases": results, "load": sampler.summary(), "cpu_s": time.process_time() - cpu,
            "wall_s": time.perf_counter() - wall, "peak_mb": peak_mb()}


# ------------------------------------------------------------------ driver
def in_subprocess(kind: str, path: Path) -> dict:
    out = subprocess.run([sys.executable, __file__, "--side", kind, str(path)], check=True, capture_output=True,
                         text=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--docs", type=int, default=100_000, help="documents in the big project")
    parser.add_argument("--keep", type=Path, help="folder to keep the built projects in (reused when there)")
    parser.add_argument("--only", choices=["open", "views"], help="measure only these cases")
    parser.add_argument("--open-runs", type=int, default=5, help="runs of the open case (each a fresh process)")
    parser.add_argument("--side", choices=["open", "views"], help=argparse.SUPPRESS)
    parser.add_argument("path", nargs="?", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.side:
        print(json.dumps(run_open(args.path) if args.side == "open" else run_views(args.path)))
        return

    with tempfile.TemporaryDirectory() as tmp:
        folder = args.keep or Path(tmp)
        folder.mkdir(parents=True, exist_ok=True)
        views = folder / "views.annotator"
        big = folder / f"big-{args.docs}.annotator"
        if args.only != "open" and not views.exists():
            build_view_project(views)
        if args.only != "views" and not big.exists():
            started = time.perf_counter()
            print(f"building a {args.docs:,}-document project ...", flush=True)
            build_big_project(big, args.docs)
            print(f"  built in {time.perf_counter() - started:.0f} s ({big.stat().st_size / 2**20:.0f} MB)", flush=True)
        print(f"\n{'case':<36} {'median ms':>10} {'min-max ms':>14} {'floor ms':>9} {'ratio':>6} {'target':>8}")
        if args.only != "views":
            with LoadSampler() as open_load:
                runs = [in_subprocess("open", big) for _ in range(max(1, args.open_runs))]
            opened = {key: statistics.median(run[key] for run in runs) for key in runs[0]}  # medians, part by part
            totals = [run["total_s"] * 1000 for run in runs]
            open_ms = opened["total_s"] * 1000
            name = f"open {int(opened['documents']):,} docs to a window"
            spread = f"{min(totals):.0f}-{max(totals):.0f}"
            print(f"{name:<36} {open_ms:>10.0f} {spread:>14} {opened['floor_ms']:>9.1f} "
                  f"{open_ms / opened['floor_ms']:>6.0f} {'< 1500':>8}")
        if args.only != "open":
            measured = in_subprocess("views", views)
            for name, figures in measured["cases"].items():
                ours, floor = figures["ms"], figures["floor_ms"]
                target = f"< {figures['target_ms']}" if figures["target_ms"] else "-"
                spread = f"{ours['min']:.1f}-{ours['max']:.1f}"
                print(f"{name:<36} {ours['median']:>10.1f} {spread:>14} {floor['median']:>9.1f} "
                      f"{ours['median'] / floor['median']:>6.2f} {target:>8}")
            print(f"\nview cases: {measured['wall_s']:.1f} s wall, {measured['cpu_s']:.1f} s CPU; load average during "
                  f"the runs {measured['load']['mean']:.2f} (max {measured['load']['max']:.2f}); "
                  f"peak memory {measured['peak_mb']:.0f} MB; medians of {REPEAT} runs (7 for the 60,000-word case)")
        if args.only != "views":
            editable = [run["editable_s"] * 1000 for run in runs]
            print(f"\nopen, medians of {len(runs)} runs (load average during them {open_load.summary()['mean']:.2f}, "
                  f"max {open_load.summary()['max']:.2f}), in parts: Python+Qt imports {opened['import_s'] * 1000:.0f} ms, Project.open "
                  f"{opened['project_open_s'] * 1000:.0f} ms, window built and painted "
                  f"{opened['window_s'] * 1000:.0f} ms; the background integrity check lets edits in after "
                  f"{opened['editable_s'] * 1000:.0f} ms ({min(editable):.0f}-{max(editable):.0f}; target < 1000), spaCy's tokens arrive after {opened['tokens_s'] * 1000:.0f} ms")
            print(f"memory with the {opened['documents']:,}-document project open: {opened['rss_open_mb']:.0f} MB "
                  f"(target < 400); after spaCy's tokenizer loaded in the background: "
                  f"{opened['rss_settled_mb']:.0f} MB; peak {opened['peak_mb']:.0f} MB")


if __name__ == "__main__":
    main()
