"""``annotator --self-test``: a smoke run of this installation, headless where there is no display.

It makes a throw-away copy of the sample project in a temporary folder, opens it in the real
main window and checks what a person would see first. Settings go to a file in that folder, so
the user's own settings and sample project are never touched. Each step is printed before it
runs (so a crash inside Qt still names the step); the first failure is printed with its
traceback and ends the run with exit status 1; all steps passing gives 0.

Qt and spaCy (through annotator.nlp) are imported inside the steps: ``annotator --help`` stays
light, and the caller (cli) picks the Qt platform before Qt loads.

To add a check, write a function ``step(ctx: Context) -> str`` (the return value is a short
detail printed after "ok"; raise to fail) and put it in STEPS at its place in the story.
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
import traceback
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from . import __version__
from .core.resources import resource, resources_dir
from .store import Project

EXIT_OK = 0
EXIT_FAILED = 1
ICON_SIZES = (16, 32, 48, 64, 128, 256, 512)


class SelfTestFailure(AssertionError):
    """A check found the installation wrong (as opposed to crashing)."""


def check(condition: object, message: str) -> None:
    if not condition:
        raise SelfTestFailure(message)


@dataclass
class Context:
    """What the steps share: the temporary folder and what earlier steps opened."""

    folder: Path
    project_path: Path | None = None
    project: Project | None = None
    app: Any = None  # QApplication
    window: Any = None  # annotator.ui.main_window.MainWindow
    extra: dict[str, Any] = field(default_factory=dict)  # for later steps to pass things on

    def close(self) -> None:
        if self.window is not None:
            self.window.close()
            self.window.deleteLater()
            self.window = None
            if self.app is not None:
                self.app.processEvents()
        if self.project is not None:
            self.project.close()
            self.project = None


@dataclass(frozen=True)
class Step:
    name: str
    run: Callable[[Context], str]


# ------------------------------------------------------------------------------------ steps
def resources_installed(ctx: Context) -> str:
    folder = resources_dir()
    wanted = [("schemes", "default.toml"), ("samples", "articles.jsonl"), ("icons", "annotator.svg")]
    wanted += [("icons", f"annotator-{size}.png") for size in ICON_SIZES]
    missing = ["/".join(parts) for parts in wanted if not resource(*parts).is_file()]
    check(not missing, f"missing from {folder}: {', '.join(missing)}")
    return str(folder)


def sample_project(ctx: Context) -> str:
    from .workflows.sample import ensure_sample_project

    ctx.project_path = ensure_sample_project(ctx.folder / "sample.annotator")
    with Project.open(ctx.project_path) as project:
        count = project.document_count()
    check(count > 0, "the sample project has no documents")
    return f"{count} documents in {ctx.project_path}"


def start_qt(ctx: Context) -> str:
    from .app import _application

    ctx.app = _application()
    icon = ctx.app.windowIcon()
    check(not icon.isNull() and icon.availableSizes(), "the application icon did not load")
    sizes = sorted(size.width() for size in icon.availableSizes())
    return f"Qt {_qt_version()} on the {ctx.app.platformName()!r} platform, icon sizes {sizes}"


def open_main_window(ctx: Context) -> str:
    from PySide6.QtCore import QSettings

    from .ui.main_window import MainWindow
    from .ui.settings import Settings

    check(ctx.app is not None and ctx.project_path is not None, "needs Qt and the sample project")
    ctx.project = Project.open(ctx.project_path)
    settings = QSettings(str(ctx.folder / "settings.ini"), QSettings.Format.IniFormat)
    ctx.window = MainWindow(ctx.project, Settings(settings))
    ctx.window.show()
    ctx.app.processEvents()
    check(ctx.window.isVisible(), "the main window did not show")
    return repr(ctx.window.windowTitle())


def documents_listed(ctx: Context) -> str:
    window, project = ctx.window, ctx.project
    check(window is not None and project is not None, "needs the main window")
    listed = window.document_model.rowCount()
    total = project.document_count()
    check(listed == total > 0, f"the document list shows {listed} rows for {total} documents")
    current = window.current_document_id
    check(current is not None, "no document is selected")
    # The display may differ from the stored text in line breaks only (DESIGN.md, habit 2).
    shown = window.text_view.toPlainText()
    check(shown.split() == project.document(current).text.split(), "the selected document's text is not shown")
    check(not window.grab().isNull(), "the window could not be drawn")
    first = window.document_model.index(0, 0).data()
    return f"{listed} documents listed, first {first!r}"


# Steps that change the project go here, in the window opened above (they land with their
# features): "make a span and undo it", then "export to spaCy".


def spacy_tokenizer(ctx: Context) -> str:
    # The tokenizer the window snaps selections to. It falls back to spaCy's multi-language one
    # when a language fails to load, which is what a bundle missing spaCy's data would do: so
    # check the language too.
    import importlib.metadata

    from .nlp.tokens import token_spans, tokenizer

    check(tokenizer("en").vocab.lang == "en", "spaCy's English language data did not load")
    text = "The minister said on Tuesday that talks were “constructive”."
    tokens = [text[start:end] for start, end in token_spans(text, "en")]
    check(len(tokens) == 12 and tokens[-2] == "”", f"unexpected tokens: {tokens}")
    return f"spaCy {importlib.metadata.version('spacy')}, {len(tokens)} tokens"


def close_main_window(ctx: Context) -> str:
    check(ctx.window is not None, "needs the main window")
    ctx.close()
    return "closed"


STEPS: tuple[Step, ...] = (
    Step("resources are installed", resources_installed),
    Step("make a throw-away sample project", sample_project),
    Step("start Qt", start_qt),
    Step("open the project in the main window", open_main_window),
    Step("documents are listed", documents_listed),
    # Step("make a span and undo it", ...),
    # Step("export to spaCy", ...),
    Step("spaCy tokenizes English", spacy_tokenizer),
    Step("close the window", close_main_window),
)


# ----------------------------------------------------------------------------------- runner
def _qt_version() -> str:
    from PySide6 import QtCore

    return QtCore.qVersion()


def run_self_test(steps: Sequence[Step] = STEPS, out: Callable[[str], None] | None = None) -> int:
    """Run ``steps`` in order; return 0 if all pass, 1 at the first failure."""
    def say(text: str) -> None:
        if out is not None:
            out(text)
        else:
            print(text, flush=True)

    say(f"annotator {__version__} self-test (Python {sys.version.split()[0]}, "
        f"QT_QPA_PLATFORM={os.environ.get('QT_QPA_PLATFORM', '<default>')})")
    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="annotator-self-test-", ignore_cleanup_errors=True) as tmp:
        ctx = Context(Path(tmp))
        try:
            for number, step in enumerate(steps, 1):
                say(f"[{number}/{len(steps)}] {step.name} ...")
                step_started = time.perf_counter()
                try:
                    detail = step.run(ctx)
                except Exception as exc:  # noqa: BLE001 - report any failure, then exit 1
                    say(f"  FAILED: {type(exc).__name__}: {exc}")
                    if not isinstance(exc, SelfTestFailure):
                        say("  " + "".join(traceback.format_exception(exc)).rstrip().replace("\n", "\n  "))
                    say(f"self-test FAILED at step {number} ({step.name})")
                    return EXIT_FAILED
                say(f"  ok ({time.perf_counter() - step_started:.2f} s){': ' + detail if detail else ''}")
        finally:
            ctx.close()
    say(f"self-test passed: {len(steps)} steps in {time.perf_counter() - started:.1f} s")
    return EXIT_OK
