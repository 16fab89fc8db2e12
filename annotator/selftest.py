"""``annotator --self-test``: a smoke run of this installation, headless where there is no display.

It makes a throw-away copy of the sample project in a temporary folder, opens it in the real
main window and checks what a person would see first; then it tags two words through the
label's action and undoes it (reading the file back each time), and exports every document as
spaCy training data and reads that back. Settings go to a file in that folder, so the user's own
settings and sample project are never touched. Each step is printed before it
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
    window: Any = None  # annotator.ui.window.main_window.MainWindow
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
    from .ui.window.window_probe import qt_version

    ctx.app = _application()
    icon = ctx.app.windowIcon()
    check(not icon.isNull() and icon.availableSizes(), "the application icon did not load")
    sizes = sorted(size.width() for size in icon.availableSizes())
    return f"Qt {qt_version()} on the {ctx.app.platformName()!r} platform, icon sizes {sizes}"


def open_main_window(ctx: Context) -> str:
    from .ui.window.main_window import MainWindow
    from .ui.window.window_probe import file_settings

    check(ctx.app is not None and ctx.project_path is not None, "needs Qt and the sample project")
    ctx.project = Project.open(ctx.project_path)
    ctx.window = MainWindow(ctx.project, file_settings(ctx.folder / "settings.ini"))
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


TOKENS_TIMEOUT_S = 60.0  # the window's tokenizer loads spaCy on a worker thread first


def _wait_until(ctx: Context, condition: Callable[[], object], timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        check(time.monotonic() < deadline, f"{what} after {timeout:.0f} s")
        ctx.app.processEvents()
        time.sleep(0.01)


def _shortcut_action(window: Any, sequence: Any, name: str) -> Any:
    """The one enabled action of the window that ``sequence`` triggers: two would make Qt's
    shortcut map trigger neither ("ambiguous shortcut"), none would leave the key dead."""
    from .ui.window.window_probe import actions_for

    found = actions_for(window, sequence)
    check(len(found) == 1, f"{name} triggers {len(found)} actions of the window, not one: "
                           f"{[a.text() for a in found]}")
    return found[0]


def _free_word_pair(text: str, tokens: Sequence[tuple[int, int]], taken: Sequence[Any]) -> int | None:
    """The index of the first token that starts two words in a row that no span touches."""
    for i in range(1, len(tokens) - 1):
        (a, b), (c, d) = tokens[i], tokens[i + 1]
        if text[a:b].isalpha() and text[c:d].isalpha() and text[b:c] == " " and \
                not any(span.start < d and a < span.end for span in taken):
            return i
    return None


def span_and_undo(ctx: Context) -> str:
    """Select two words with the keyboard, tag them with the first label's key (its action),
    read the span back from the file through a connection of its own, and undo it."""
    from .ui.views.label_bar import key_sequence
    from .ui.window.window_probe import press

    window, project = ctx.window, ctx.project
    check(window is not None and project is not None and ctx.project_path is not None, "needs the main window")
    view = window.text_view
    doc_id = window.current_document_id
    check(doc_id is not None and view.doc_id == doc_id, "no document is shown")
    _wait_until(ctx, lambda: view.tokens_exact, TOKENS_TIMEOUT_S, "spaCy's tokens for the document did not arrive")
    text = project.document(doc_id).text
    before = project.spans(doc_id)
    tokens = list(view.tokens())
    i = _free_word_pair(text, tokens, before)
    check(i is not None, "the sample document has no two untagged words in a row")
    start, end = tokens[i][0], tokens[i + 1][1]

    view.setFocus()
    view.set_cursor_offset(start)
    press(view, "Right", shift=True)  # grabs the token at the cursor
    press(view, "Right", shift=True)  # and the next one
    check(view.selection() == (start, end),
          f"Shift+Right twice from {start} selected {view.selection()}, not the words at {start}-{end}")

    label = next((lab for lab in project.scheme().labels if lab.kind == "entity" and lab.key), None)
    check(label is not None, "the sample scheme has no entity label with a key")
    _shortcut_action(window, key_sequence(label.key), f"{label.name}'s key {label.key!r}").trigger()
    ctx.app.processEvents()

    def on_disk() -> list[tuple[int, int, str, str]]:
        with Project.open(ctx.project_path, check=False) as other:  # sees only what was committed
            return [(s.start, s.end, s.label, s.text) for s in other.spans(doc_id)]

    added = sorted(set(on_disk()) - {(s.start, s.end, s.label, s.text) for s in before})
    check(added == [(start, end, label.name, text[start:end])],
          f"expected {label.name} {text[start:end]!r} at {start}-{end} in the file, found {added}")
    check(window.span_model.rowCount() == len(before) + 1, "the span table did not show the new span")
    check(view.selection() is None, "the selection stayed after tagging")

    undo = _shortcut_action(window, "Ctrl+Z", "Ctrl+Z")
    check(undo is window.actions_by_id["edit.undo"], f"Ctrl+Z triggers {undo.text()!r}, not Undo")
    undo.trigger()
    ctx.app.processEvents()
    left = sorted(set(on_disk()) - {(s.start, s.end, s.label, s.text) for s in before})
    check(not left and len(on_disk()) == len(before), f"undo left {left} in the file")
    check(window.span_model.rowCount() == len(before), "the span table still shows the undone span")
    return f"{label.name} {text[start:end]!r} at {start}-{end}, undone"


def export_spacy(ctx: Context) -> str:
    """Export every document of the sample (whatever its status) as spaCy training data and
    read the DocBins back with spaCy (through the program's DocBin reader: only nlp imports
    spaCy): every document, its text exact, its entities where the project has them."""
    from .core.model import DOCUMENT_STATUSES
    from .formats.registry import ReadOptions, reader_for
    from .workflows import nlp_formats  # noqa: F401 - registers the DocBin reader
    from .workflows.exporting import ExportOptions, export_project

    project = ctx.project
    check(project is not None, "needs the project")
    output = ctx.folder / "export"
    result = export_project(project, output, ExportOptions(format="spacy", include=DOCUMENT_STATUSES))
    # DocBin files: single ones or shards in folders (which may themselves be named *.spacy)
    files = sorted(path for path in output.rglob("*.spacy") if path.is_file())
    check(files, f"the export wrote no .spacy file into {output}")
    records = [record for path in files for record in reader_for("spacy").read(path, ReadOptions())]
    problems = [str(r) for r in records if not hasattr(r, "text")]
    check(not problems, f"spaCy could not read the export back: {problems[:3]}")
    expected = project.document_count()
    check(len(records) == result.documents == expected,
          f"{len(records)} docs in {len(files)} DocBin files, the export reported {result.documents}, "
          f"the project has {expected}")

    kinds = {label.name: label.kind for label in project.scheme().labels}
    stored = {}
    for summary in project.document_summaries(0, expected):
        document = project.document(summary.id)
        stored[document.text] = {(s.start, s.end, s.label) for s in project.spans(document.id)}
    entities = 0
    for record in records:
        check(record.text in stored, f"an exported doc's text differs from every document's: {record.text[:60]!r}")
        exported = {(s.start, s.end, s.label) for s in record.spans if kinds.get(s.label) == "entity"}
        moved = exported - stored[record.text]
        check(not moved, f"exported entities at offsets the project does not have: {sorted(moved)[:3]}")
        entities += sum(1 for s in record.spans if s.field.startswith("doc.ents["))
    check(entities > 0, "the exported docs hold no entities (doc.ents)")
    counted = sum(sum(counts.values()) for counts in result.summary["entities"].values())
    check(entities == counted, f"{entities} entities in the docs' doc.ents, the export's summary counts {counted}")
    check((output / "config.cfg").is_file(), f"no config.cfg in {output}")
    return f"{len(records)} docs, {entities} entities in {len(files)} DocBin files, config.cfg ({result.seconds:.1f} s)"


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
    Step("make a span and undo it", span_and_undo),
    Step("export to spaCy", export_spacy),
    Step("spaCy tokenizes English", spacy_tokenizer),
    Step("close the window", close_main_window),
)


# ----------------------------------------------------------------------------------- runner
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
