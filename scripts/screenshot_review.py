"""Render review mode offscreen, light and dark (docs/screenshots/review_<theme>.png).

    QT_QPA_PLATFORM=offscreen python scripts/screenshot_review.py docs/screenshots

The project is the three-annotator one the review tests use (tests/review_projects.py: every
state of a unit in one article). The shot is taken as a reviewer has it after Shift+A (what
all agree on), Return (Porto: the majority) and Space (on to the claim, whose claimant, cue and
stance differ).
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))

from PySide6.QtCore import QSettings, QStandardPaths, Qt  # noqa: E402
from PySide6.QtTest import QTest  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402
from review_projects import build  # noqa: E402

from annotator.store import Project  # noqa: E402
from annotator.ui.common.settings import Settings  # noqa: E402
from annotator.ui.common.themes import apply_theme  # noqa: E402
from annotator.ui.window.main_window import MainWindow  # noqa: E402

KEYS = ((Qt.Key.Key_A, Qt.KeyboardModifier.ShiftModifier), (Qt.Key.Key_Return, Qt.KeyboardModifier.NoModifier),
        (Qt.Key.Key_Space, Qt.KeyboardModifier.NoModifier))


def shoot(app: QApplication, folder: Path, out: Path, theme: str) -> None:
    apply_theme(app, theme)
    path = folder / f"review_{theme}.annotator"
    build(path)
    window = MainWindow(Project.open(path), owns_project=True)
    window.resize(1300, 760)
    window.show()
    app.processEvents()
    window.actions_by_id["view.review"].trigger()
    for key, modifier in KEYS:
        QTest.keyClick(window.text_view, key, modifier)
        app.processEvents()
    window.grab().save(str(out / f"review_{theme}.png"))
    window.close()
    app.processEvents()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path)
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    QStandardPaths.setTestModeEnabled(True)  # the user's own settings are left alone
    app = QApplication([])
    app.setOrganizationName("annotator-screenshots")
    app.setApplicationName("annotator-screenshots")
    QSettings().clear()
    Settings().set_value("annotator/name", "lead")
    with tempfile.TemporaryDirectory() as folder:
        for theme in ("light", "dark"):
            shoot(app, Path(folder), args.out, theme)
    QSettings().clear()


if __name__ == "__main__":
    main()
