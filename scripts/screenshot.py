"""Render the annotation window offscreen, light and dark, to PNG files for a person to look at.

    QT_QPA_PLATFORM=offscreen python scripts/screenshot.py shots/ [--project FILE] [--size 1400x860]

Without --project it builds a throwaway copy of the sample project in a temporary folder and
shows its first labelled article with a claim selected in the claim editor (its claimant and
cue ringed and linked to it), a sticky label armed and a suggested span, so every way a span
can look is on screen. It also writes ``tags_after_<theme>.png``: a paragraph before (top) and
after (bottom) one more span is tagged, to see that no word moves (docs/architecture.md).
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QSettings, QStandardPaths  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

from annotator.store import Project  # noqa: E402
from annotator.store.claims import ClaimantLink  # noqa: E402
from annotator.ui.window.main_window import MainWindow  # noqa: E402
from annotator.ui.common.settings import Settings  # noqa: E402
from annotator.ui.common.themes import apply_theme  # noqa: E402
from annotator.workflows.sample import ensure_sample_project  # noqa: E402


def build_project(folder: Path) -> Path:
    path = ensure_sample_project(folder / "sample.annotator")
    with Project.open(path) as project:
        doc = next(s.id for s in project.document_summaries(0, 50) if project.spans(s.id))
        text = project.document(doc).text
        taken = [(s.start, s.end) for s in project.spans(doc)]
        # A suggestion, as a model would leave it, on a word no span covers.
        for word in ("ministers", "reporters", "diplomats", "delegations"):
            start = text.find(word)
            if start >= 0 and all(e <= start or s >= start + len(word) for s, e in taken):
                project.add_span(doc, start, start + len(word), "NORP", origin="model:demo", state="suggested")
                break
        _complete_a_claim(project, doc, text)
        project.set_status(doc, "todo")
    return path


def _complete_a_claim(project: Project, doc: int, text: str) -> None:
    """Give the article's first claim a claimant (the nearest name before it), a cue (the
    "said" between them) and two attributes, as an annotator would."""
    claims = project.claims(doc)
    if not claims:
        return
    claim = claims[0]
    names = [s for s in project.spans(doc) if s.label in ("PERSON", "ORG") and s.end <= claim.content.start]
    if not names:
        return
    name = names[-1]
    project.set_claimant(claim.id, ClaimantLink(span_id=name.id))
    said = text.find("said", name.end, claim.content.start)
    if said >= 0:
        project.set_cue(claim.id, project.add_span(doc, said, said + 4, "CUE").id)
    project.set_claim_value(claim.id, "quote_type", "mixed")
    project.set_claim_value(claim.id, "stance", "asserts")


def shoot(project_path: Path, out: Path, settings_dir: Path, size: tuple[int, int]) -> list[Path]:
    app = QApplication.instance() or QApplication(sys.argv[:1])
    saved = []
    for theme in ("light", "dark"):
        apply_theme(app, theme)
        store = QSettings(str(settings_dir / f"{theme}.ini"), QSettings.Format.IniFormat)
        settings = Settings(store)
        settings.set_value("annotator/name", "alice")
        with Project.open(project_path) as project:
            window = MainWindow(project, settings)
            window.resize(*size)
            window.show()
            labelled = next((row for row in range(window.document_model.rowCount())
                             if project.spans(window.document_model.document_id(row))), 0)
            window.document_pane.select_row(labelled)
            app.processEvents()
            view = window.text_view
            linked = [c for c in window.claim_flow.model.claims() if c.claimant is not None]
            spans = view.index.all() if view.index is not None else []
            if linked:
                window.claim_flow.activate(linked[0].id, reveal=True)
                view.setFocus()
            elif spans:
                view.set_cursor_offset(spans[min(2, len(spans) - 1)].span.start)
                view.setFocus()
            window.tagging.arm("DATE")
            app.processEvents()
            target = out / f"main_window_{theme}.png"
            window.grab().save(str(target))
            saved.append(target)
            window.close()
            window.deleteLater()
            app.processEvents()
    return saved


TAG_TEXT = ("On Tuesday the envoy said in Lisbon that Viktor Bout had met officials of the ministry twice, "
            "and that the talks with Ghana and Kenya would go on until the end of the month, according to "
            "Maria Okonkwo of the Reuters news agency.")


def shoot_tags(out: Path, settings_dir: Path) -> list[Path]:
    """A paragraph before and after a span is added: words stay where they are."""
    from PySide6.QtGui import QColor, QImage, QPainter

    from annotator.core.records import DocumentRecord, SpanRecord
    from annotator.store.import_writer import ImportWriter, PreparedDocument

    app = QApplication.instance() or QApplication(sys.argv[:1])
    path = settings_dir / "tags.annotator"
    spans = [SpanRecord(TAG_TEXT.index(w), TAG_TEXT.index(w) + len(w), label)
             for w, label in (("Tuesday", "DATE"), ("Lisbon", "GPE"), ("Ghana", "GPE"))]
    with Project.create(path) as project, project.transaction():
        ImportWriter(project, "alice").write([PreparedDocument(DocumentRecord(text=TAG_TEXT, line=1, title="Tags",
                                                                             spans=spans))])
    saved = []
    for theme in ("light", "dark"):
        apply_theme(app, theme)
        settings = Settings(QSettings(str(settings_dir / f"tags-{theme}.ini"), QSettings.Format.IniFormat))
        with Project.open(path) as project:
            window = MainWindow(project, settings)
            window.resize(1100, 500)
            window.show()
            app.processEvents()
            view = window.text_view
            before = view.viewport().grab().toImage()
            start = TAG_TEXT.index("Viktor")
            view.set_selection(start, start + len("Viktor Bout"))
            window.tagging.label_key("PERSON")
            view.clear_selection()
            app.processEvents()
            after = view.viewport().grab().toImage()
            window.session.undo()  # the file stays as it was, for the other theme
            height = 170
            image = QImage(before.width(), 2 * height + 10, QImage.Format.Format_RGB32)
            image.fill(QColor("#888888"))
            painter = QPainter(image)
            painter.drawImage(0, 0, before, 0, 0, before.width(), height)
            painter.drawImage(0, height + 10, after, 0, 0, after.width(), height)
            painter.end()
            target = out / f"tags_after_{theme}.png"
            image.save(str(target))
            saved.append(target)
            window.close()
            window.deleteLater()
            app.processEvents()
    return saved


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path, help="folder for the PNG files")
    parser.add_argument("--project", type=Path, help="project to show (default: a temporary sample)")
    parser.add_argument("--size", default="1400x860", help="window size, WIDTHxHEIGHT")
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    width, height = (int(v) for v in args.size.lower().split("x"))
    QStandardPaths.setTestModeEnabled(True)
    with tempfile.TemporaryDirectory() as tmp:
        project_path = args.project or build_project(Path(tmp))
        for path in shoot(project_path, args.out, Path(tmp), (width, height)):
            print(path)
        if args.project is None:
            for path in shoot_tags(args.out, Path(tmp)):
                print(path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
