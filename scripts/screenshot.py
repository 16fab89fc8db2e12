"""Render the main window offscreen, light and dark, to PNG files for a person to look at.

    QT_QPA_PLATFORM=offscreen python scripts/screenshot.py shots/ [--project FILE]

Without --project it builds a throwaway sample project in a temporary folder.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QSettings, QStandardPaths  # noqa: E402
from PySide6.QtGui import QColor, QPalette  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

from annotator.core.records import DocumentRecord, SpanRecord  # noqa: E402
from annotator.core.resources import resource  # noqa: E402
from annotator.store import Project  # noqa: E402
from annotator.store.import_writer import ImportWriter, PreparedDocument  # noqa: E402
from annotator.ui.main_window import MainWindow  # noqa: E402
from annotator.ui.settings import Settings  # noqa: E402

FALLBACK_TEXTS = [
    ("Ministers fail to agree on energy fund",
     "LISBON — Finance ministers failed on Tuesday to agree on how to finance a proposed regional "
     "energy fund, leaving the plan in doubt ahead of a summit in Brussels next month.\n\n"
     "Portugal's finance minister said the talks had been “constructive but incomplete”."),
    ("", "A headline-less wire item: <script>alert(1)</script> stays text, as does <b>bold</b>."),
    ("Port strike ends", "ROTTERDAM — Dock workers returned to work on Friday after a four-day strike."),
]


def build_project(folder: Path) -> Path:
    path = folder / "sample.annotator"
    try:
        if resource("samples", "articles.jsonl").is_file():
            from annotator.workflows.sample import ensure_sample_project

            return ensure_sample_project(path)
        print("no sample articles yet; using built-in texts", file=sys.stderr)
    except (FileNotFoundError, RuntimeError, OSError) as exc:  # being written by someone else
        print(f"sample articles unusable ({exc}); using built-in texts", file=sys.stderr)
    path.unlink(missing_ok=True)
    with Project.create(path) as project, project.transaction():
        records = []
        for line, (title, text) in enumerate(FALLBACK_TEXTS, 1):
            spans = [SpanRecord(0, 6, "GPE")] if text.startswith("LISBON") else []
            records.append(PreparedDocument(DocumentRecord(text=text, line=line, title=title, spans=spans)))
        ImportWriter(project, "sample").write(records)
    return path


def dark_palette() -> QPalette:
    palette = QPalette()
    colors = {
        QPalette.ColorRole.Window: "#2b2b2b", QPalette.ColorRole.WindowText: "#e6e6e6",
        QPalette.ColorRole.Base: "#1f1f1f", QPalette.ColorRole.AlternateBase: "#2a2a2a",
        QPalette.ColorRole.Text: "#e6e6e6", QPalette.ColorRole.Button: "#353535",
        QPalette.ColorRole.ButtonText: "#e6e6e6", QPalette.ColorRole.Highlight: "#2f65ca",
        QPalette.ColorRole.HighlightedText: "#ffffff", QPalette.ColorRole.ToolTipBase: "#353535",
        QPalette.ColorRole.ToolTipText: "#e6e6e6", QPalette.ColorRole.PlaceholderText: "#8c8c8c",
        QPalette.ColorRole.Link: "#7aa7ff", QPalette.ColorRole.Mid: "#444444",
        QPalette.ColorRole.Dark: "#1a1a1a", QPalette.ColorRole.Light: "#4a4a4a",
    }
    for role, color in colors.items():
        palette.setColor(role, QColor(color))
    for role in (QPalette.ColorRole.Text, QPalette.ColorRole.WindowText, QPalette.ColorRole.ButtonText):
        palette.setColor(QPalette.ColorGroup.Disabled, role, QColor("#7a7a7a"))
    return palette


def shoot(project_path: Path, out: Path, settings_dir: Path) -> list[Path]:
    app = QApplication.instance() or QApplication(sys.argv[:1])
    app.setStyle("Fusion")
    saved = []
    for name, palette in (("light", app.style().standardPalette()), ("dark", dark_palette())):
        app.setPalette(palette)
        store = QSettings(str(settings_dir / f"{name}.ini"), QSettings.Format.IniFormat)
        with Project.open(project_path) as project:
            window = MainWindow(project, Settings(store))
            window.show()
            app.processEvents()
            target = out / f"main_window_{name}.png"
            window.grab().save(str(target))
            saved.append(target)
            window.close()
            window.deleteLater()
            app.processEvents()
    return saved


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path, help="folder for the PNG files")
    parser.add_argument("--project", type=Path, help="project to show (default: a temporary sample)")
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    QStandardPaths.setTestModeEnabled(True)
    with tempfile.TemporaryDirectory() as tmp:
        project_path = args.project or build_project(Path(tmp))
        for path in shoot(project_path, args.out, Path(tmp)):
            print(path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
