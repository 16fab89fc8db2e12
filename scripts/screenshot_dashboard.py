"""Screenshots of Analysis > Dashboard for the README and docs/dashboard.md, light and dark.

    QT_QPA_PLATFORM=offscreen python scripts/screenshot_dashboard.py docs/screenshots [--documents 2000]

The project is the benchmark corpus (benchmarks/corpus.py, synthetic articles) dressed as a
team's by benchmarks/dashboard_corpus.py: three annotators, documents done over the 60 days
ending today (so the cumulative chart projects a finish), claims with stances, six models.
Each theme gives the top of the window and the window scrolled to its end.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path[:0] = [str(HERE.parent / "benchmarks"), str(HERE.parent)]

from PySide6.QtCore import QStandardPaths  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

WAIT_S = 120


def build(folder: Path, documents: int) -> Path:
    from corpus import write_corpus
    from dashboard_corpus import dress

    from annotator.store import Project
    from annotator.workflows.importing import ImportOptions, import_paths

    path, corpus = folder / "newsroom.annotator", folder / "corpus.jsonl"
    write_corpus(documents, corpus, seed=1)
    with Project.create(path) as project:
        report = import_paths(project, [corpus], ImportOptions(add_labels=True))
        if not report.ok:
            raise SystemExit(report.summary())
    dress(path, dt.datetime.now(dt.timezone.utc).date().isoformat())
    Project.open(path).close()  # checked and closed by the program after the raw SQL
    return path


def wait(app: QApplication, done) -> None:  # noqa: ANN001
    end = time.monotonic() + WAIT_S
    while not done():
        if time.monotonic() > end:
            raise SystemExit("the dashboard did not finish counting in time")
        app.processEvents()
        time.sleep(0.02)


def settle(app: QApplication, widget) -> None:  # noqa: ANN001
    # pyqtgraph sizes an axis for its labels while painting it: paint, lay out, paint again.
    for _ in range(2):
        widget.grab()
        for _ in range(20):
            app.processEvents()


def shoot(path: Path, out: Path, size: tuple[int, int]) -> list[Path]:
    from annotator.store import Project
    from annotator.ui.common.themes import apply_theme
    from annotator.ui.window.main_window import MainWindow
    from annotator.workflows.dashboard_agreement import PENDING

    app = QApplication.instance() or QApplication(sys.argv[:1])
    window = MainWindow(Project.open(path))
    window.show()
    window.show_dashboard()
    dashboard = window.dashboard
    dashboard.resize(*size)
    wait(app, lambda: not dashboard.busy and "agreement" in dashboard.views
         and not dashboard.views["agreement"].chart.note.startswith(PENDING))
    saved = []
    for theme in ("light", "dark"):
        apply_theme(app, theme)
        wait(app, lambda: not dashboard.busy)
        scroll = dashboard.grid_host.parentWidget().parentWidget()
        for where, value in (("", 0), ("_end", scroll.verticalScrollBar().maximum())):
            scroll.verticalScrollBar().setValue(value)
            settle(app, dashboard)
            target = out / f"dashboard{where}_{theme}.png"
            dashboard.grab().save(str(target))
            saved.append(target)
    window.shut_down()
    return saved


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path, help="folder for the PNG files")
    parser.add_argument("--documents", type=int, default=2000)
    parser.add_argument("--size", default="1400x1000", help="dashboard size, WIDTHxHEIGHT")
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    QStandardPaths.setTestModeEnabled(True)
    width, height = (int(v) for v in args.size.lower().split("x"))
    with tempfile.TemporaryDirectory() as tmp:
        for path in shoot(build(Path(tmp), args.documents), args.out, (width, height)):
            print(path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
