"""The model in the loop, in the window: suggesting, reviewing suggestions with keys, training.

Keys (read by an event filter on the article, so they mean something only where they can):

- Enter accepts the suggestion under the cursor (a suggested claim with its cue and claimant)
  and moves to the next one; X rejects it (Delete does too, as before);
- Tab / Shift+Tab go to the next / previous suggestion while the document has any (otherwise
  they move between spans, as before);
- the Model menu: suggest in this document (Ctrl+Shift+M), accept all (Ctrl+Shift+A) or
  reject all in it (one Undo each), suggest in the whole project in the background, choose
  the source, train, see the models; Go > Next Uncertain Document (Ctrl+Shift+J).

Enter and X give way to the claim editor while it waits for a pick, and to anything else
when no suggestion is under the cursor (X can then still be a label key).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QEvent, QObject, Qt, QTimer
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QMenu

from ...core.changes import Change
from ...core.problems import InputError
from ...store import ProjectError
from ...workflows.suggesting import SourceSpec, SuggestError, claim_labels, save_source, saved_source
from ..session.commands import Effect, describe_error
from ..text.span_index import ShownSpan
from ..session.suggestion_commands import SetSuggestionsStateCommand, WriteSuggestionsCommand
from ..jobs.worker import Job

if TYPE_CHECKING:
    from ..window.main_window import MainWindow

Key = Qt.Key
Mod = Qt.KeyboardModifier
ENTER = (Key.Key_Return, Key.Key_Enter)



class SuggestionKeys(QObject):
    """Event filter on the article: Enter, X, Tab and Shift+Tab when they concern a suggestion."""

    def __init__(self, controller: SuggestionController):
        super().__init__(controller)
        self.controller = controller

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        kind = event.type()
        if kind not in (QEvent.Type.ShortcutOverride, QEvent.Type.KeyPress) or not isinstance(event, QKeyEvent):
            return False
        action = self.controller.key_action(event)
        if action is None:
            return False
        if kind == QEvent.Type.ShortcutOverride:
            event.accept()  # the key press comes to us, not to a window shortcut (a label key X)
            return True
        action()
        return True


class SuggestionController(QObject):
    def __init__(self, window: MainWindow):
        super().__init__(window)
        self.window = window
        self.project = window.project
        self.view = window.text_view
        self.job: Job | None = None  # suggesting in this document (spaCy runs off the GUI thread)
        self._asked_for: int | None = None
        self._prepared: tuple[SourceSpec, Any, Any] | None = None  # the loaded source, reused
        self.keys = SuggestionKeys(self)
        self.view.installEventFilter(self.keys)
        QTimer.singleShot(0, self._group_menu)  # once the window has made its menus

    def handlers(self) -> dict[str, Callable[[], object]]:
        return {
            "model.suggest_document": self.suggest_document, "model.suggest_project": self.suggest_project,
            "model.accept_all": lambda: self.set_all("accepted"), "model.reject_all": lambda: self.set_all("rejected"),
            "model.source": self.choose_source, "model.train": self.train, "model.models": self.show_models,
            "go.next_uncertain": self.next_uncertain,
        }

    def _group_menu(self) -> None:
        """Separators in the Model menu between reviewing, suggesting and training."""
        actions = getattr(self.window, "actions_by_id", {})
        for first in ("model.suggest_project", "model.train"):
            action = actions.get(first)
            menus = [m for m in (action.associatedObjects() if action is not None else ()) if isinstance(m, QMenu)]
            if menus:
                menus[0].insertSeparator(action)

    # ------------------------------------------------------------------ keys
    def key_action(self, event: QKeyEvent) -> Callable[[], None] | None:
        key, mods = event.key(), event.modifiers() & ~Mod.KeypadModifier
        flow = getattr(self.window, "claim_flow", None)
        busy = flow is not None and (flow.picking is not None or flow.pending is not None)
        if self.view.doc_id is None or busy:
            return None
        if key in (Key.Key_Tab, Key.Key_Backtab) and mods in (Mod.NoModifier, Mod.ShiftModifier):
            if not self.suggestions():
                return None  # the view moves between spans
            step = -1 if key == Key.Key_Backtab or mods & Mod.ShiftModifier else 1
            return lambda: self.jump(step)
        if mods != Mod.NoModifier or self.project.read_only:
            return None
        if key in ENTER and self.at_cursor() is not None:
            return self.accept_at_cursor
        if key == Key.Key_X and self.at_cursor() is not None:
            return self.reject_at_cursor
        return None

    # ------------------------------------------------------------ reviewing
    def suggestions(self) -> list[ShownSpan]:
        index = self.view.index
        return [s for s in index.all() if s.suggested] if index is not None else []

    def at_cursor(self) -> ShownSpan | None:
        """The suggestion under the token cursor (or exactly selected): the shortest, so an
        entity inside a suggested claim comes first."""
        around = [s for s in self.view.spans_at_cursor() if s.suggested]
        selection = self.view.selection()
        exact = [s for s in around if selection == (s.span.start, s.span.end)]
        found = exact or around
        return min(found, key=lambda s: (s.span.end - s.span.start, s.span.start)) if found else None

    def jump(self, step: int) -> None:
        spans = self.suggestions()
        if not spans:
            self.window.show_message("No suggestions in this document.")
            return
        here = self.view.cursor_offset()
        here = -1 if here is None else here
        starts = sorted({s.span.start for s in spans})
        if step > 0:
            target = next((s for s in starts if s > here), starts[0])
        else:
            target = next((s for s in reversed(starts) if s < here), starts[-1])
        self.view.set_cursor_offset(target)
        self.view.ensureCursorVisible()
        shown = self.at_cursor()
        if shown is not None:
            self.window.show_message(f"Suggestion: {shown.span.label} “{_short(shown.span.text)}” — Enter accepts, "
                                     f"X rejects, Tab goes on ({len(spans)} in this document)")

    def accept_at_cursor(self, label: str | None = None) -> None:
        shown = self.at_cursor()
        if shown is not None:
            self.accept(shown.id, label)

    def reject_at_cursor(self) -> None:
        shown = self.at_cursor()
        if shown is not None:
            self.reject(shown.id)

    def accept(self, span_id: int, label: str | None = None) -> bool:
        """Accept one suggestion (as ``label`` if given; a claim with its parts), then go on."""
        return self._review(span_id, "accepted", label)

    def reject(self, span_id: int) -> bool:
        return self._review(span_id, "rejected", None)

    def _review(self, span_id: int, state: str, label: str | None) -> bool:
        doc_id = self.view.doc_id
        if doc_id is None or self.project.read_only:
            return False
        start = self.view.cursor_offset()
        done = self._push(lambda: SetSuggestionsStateCommand(self.project, doc_id, [(span_id, label)], state,
                                                              notify=self._notify,
                                                              annotator=self.window.editor.annotator), doc_id)
        if done:
            left = self.suggestions()
            after = [s for s in left if start is None or s.span.start > start]
            if after:
                self.view.set_cursor_offset(min(s.span.start for s in after))
            verb = "Accepted" if state == "accepted" else "Rejected"
            self.window.show_message(f"{verb}. {len(left)} suggestion{'s' if len(left) != 1 else ''} left here"
                                     + (" (Tab: next)." if left else "."))
        return done

    def set_all(self, state: str) -> None:
        """Accept or reject every suggestion of the document, in text order: one Undo step.

        Accepting one of two competing suggestions (overlapping entities) leaves the other
        suggested: the store refuses it, and that refusal only drops it from the macro."""
        doc_id = self.view.doc_id
        if doc_id is None or self.project.read_only:
            return
        try:
            pending = self.project.suggested_spans(doc_id)
            parts = {p for s in pending for p in self.project.claim_parts(s.id)}
        except (ProjectError, sqlite3.Error) as exc:
            self.window.show_message(describe_error(exc), error=True)
            return
        targets = [s for s in pending if s.id not in parts]  # a claim's parts go with it
        if not targets:
            self.window.show_message("No suggestions in this document.")
            return
        stack = self.window.editor.stack
        verb = "Accept" if state == "accepted" else "Reject"
        stack.beginMacro(f"{verb} all {len(pending)} suggestions")
        try:
            for span in targets:
                # A refused one (it overlaps what was accepted just before) marks itself obsolete
                # and the stack drops it; the rest of the macro goes on.
                stack.push(SetSuggestionsStateCommand(self.project, doc_id, [(span.id, None)], state,
                                                      notify=self._quiet, annotator=self.window.editor.annotator))
        finally:
            stack.endMacro()
        left = self.project.suggestion_count(doc_id)
        self._notify(Effect(Change.SPANS | Change.CLAIMS, doc_id, tuple(s.id for s in pending)))
        self.window.show_message(f"{verb}ed {len(pending) - left} suggestion{'s' if len(pending) - left != 1 else ''}"
                                 + (f"; {left} left (they overlap what was accepted)" if left else ".")
                                 + " Ctrl+Z undoes it in one step.")

    # ------------------------------------------------------------ suggesting
    def source(self) -> SourceSpec | None:
        try:
            return saved_source(self.project)
        except sqlite3.Error:
            return None

    def suggest_document(self) -> None:
        """Suggest in the document on screen: spaCy in a thread, the write an undoable command."""
        doc_id = self.view.doc_id
        if doc_id is None or self.project.read_only:
            return
        spec = self.source()
        if spec is None:
            self.choose_source(then=self.suggest_document)
            return
        if self.job is not None and self.job.is_running:
            self.window.show_message("Still suggesting; one moment.")
            return
        try:
            text = self.project.document(doc_id).text
            existing = self.project.existing_spans([doc_id])[doc_id]
            kinds = self.project.label_kinds()
            labels = claim_labels(self.project)
            trained = {m.name: m.path for m in self.project.models()}
        except (ProjectError, sqlite3.Error) as exc:
            self.window.show_message(describe_error(exc), error=True)
            return
        entities = [(s.start, s.end, s.label) for s, kind in existing if kind == "entity" and s.state != "rejected"]
        prepared = self._prepared if self._prepared is not None and self._prepared[0] == spec else None
        language = self.project.language
        self.window.show_message(f"Suggesting with {spec.describe()}…")

        def work(_ctx: Any) -> tuple[Any, Any]:
            from ...workflows.suggesting import prepare_offline

            ready = prepared or prepare_offline(spec, kinds, language, labels, trained)
            [found] = ready[1].run([(doc_id, text, entities)])
            return ready, found

        job = Job(work, self)
        self._asked_for = doc_id
        # Bound methods: a lambda holding ``self`` would be freed with the job (see suggest_dialog).
        job.succeeded.connect(self._document_suggested)
        job.failed.connect(self._source_failed)
        self.job = job
        job.start()

    def _document_suggested(self, result: tuple[Any, Any]) -> None:
        ready, found = result
        doc_id = found.doc_id
        self._prepared = ready
        spec, suggester, labels = ready
        if self.window._closed:  # noqa: SLF001 - the window went away meanwhile
            return
        command_box: list[WriteSuggestionsCommand] = []

        def build() -> WriteSuggestionsCommand:
            command = WriteSuggestionsCommand(self.project, found, suggester.origin,
                                              labels if suggester.claims else None, notify=self._notify,
                                              source=spec.describe())
            command_box.append(command)
            return command

        if self._push(build, doc_id) and command_box:
            counts = command_box[0].counts
            if doc_id == self.view.doc_id:
                self.jump(1) if self.view.cursor_offset() is None else None
            self.window.show_message(f"{counts.added} suggestion{'s' if counts.added != 1 else ''} from "
                                     f"{spec.describe()}" + (f", {counts.claims} claims" if counts.claims else "")
                                     + " — Tab goes to them, Enter accepts, X rejects; Ctrl+Z takes them all back.")

    def _source_failed(self, error: BaseException, _trace: str = "") -> None:
        self._prepared = None
        if isinstance(error, InputError):
            self.window.show_message(f"The pattern file was refused: {error.problems[0]}", error=True)
        elif isinstance(error, (SuggestError, ProjectError)):
            self.window.show_message(str(error), error=True)
        else:
            self.window.show_message(f"Suggesting failed: {error}", error=True)

    def suggest_project(self) -> None:
        from .suggest_dialog import SuggestProjectDialog

        if self.project.read_only:
            return
        spec = self.source()
        if spec is None:
            self.choose_source(then=self.suggest_project)
            return
        dialog = SuggestProjectDialog(self.project, spec, parent=self.window)
        dialog.finished_run.connect(self._project_suggested)
        dialog.exec()

    def _project_suggested(self, doc_ids: list) -> None:
        current = self.view.doc_id
        if current is not None and current in set(doc_ids):
            self.window.show_document(current)  # its new suggestions, read afresh

    def choose_source(self, then: Callable[[], None] | None = None) -> None:
        from .suggest_dialog import SourceDialog

        dialog = SourceDialog(self.project, self.source(), parent=self.window)
        if dialog.exec() and dialog.spec is not None:
            try:
                save_source(self.project, dialog.spec)
            except (ProjectError, sqlite3.Error) as exc:
                self.window.show_message(describe_error(exc), error=True)
                return
            self._prepared = None
            self.window.show_message(f"Suggestions will come from {dialog.spec.describe()}.")
            if then is not None:
                then()

    def use_model(self, name: str) -> None:
        """Make a trained model the suggestion source (keeping the claims choice)."""
        current = self.source()
        spec = SourceSpec("model", name, name, current.claims if current is not None else False)
        try:
            save_source(self.project, spec)
        except (ProjectError, sqlite3.Error) as exc:
            self.window.show_message(describe_error(exc), error=True)
            return
        self._prepared = None
        self.window.show_message(f"Suggestions will come from {spec.describe()} (Model > Suggest in This Document: "
                                 "Ctrl+Shift+M).")

    # ------------------------------------------------------------ training and models
    def train(self) -> None:
        from .train_dialog import TrainDialog

        if self.project.read_only:
            return
        dialog = TrainDialog(self.project, parent=self.window)
        dialog.use_model.connect(self.use_model)
        dialog.exec()

    def show_models(self) -> None:
        from .train_dialog import ModelsDialog

        dialog = ModelsDialog(self.project, parent=self.window)
        dialog.use_model.connect(self.use_model)
        dialog.exec()

    def next_uncertain(self) -> None:
        try:
            model = self.project.latest_scored_model()
            target = self.project.next_uncertain_document(model.id, self.view.doc_id) if model else None
        except (ProjectError, sqlite3.Error) as exc:
            self.window.show_message(describe_error(exc), error=True)
            return
        if model is None:
            self.window.show_message("No document is ranked yet: Model > Suggest in Project with a trained model "
                                     "and “rank documents by uncertainty”.")
            return
        if target is None:
            self.window.show_message(f"No ranked document is still to do (model {model.name}).")
            return
        self.window.go_to_document(target)
        score = self.project.document_score(target, model.id)
        self.window.show_message(f"Model {model.name} is least sure about this document "
                                 f"(uncertainty {score:.2f}).")

    # ------------------------------------------------------------ plumbing
    def _push(self, build: Callable[[], Any], doc_id: int) -> bool:
        editor = self.window.editor
        command = editor._make(build, doc_id)  # noqa: SLF001 - the editor's own refusal handling
        return command is not None and editor._push(command)  # noqa: SLF001

    def _notify(self, effect: Effect) -> None:
        self.window.editor.changed.emit(effect)

    def _quiet(self, effect: Effect) -> None:
        """Inside accept-all: refusals are summed up at the end, not shown one by one."""
        if effect.error is None:
            self.window.editor.changed.emit(effect)

    def stop(self) -> None:
        if self.job is not None and self.job.is_running:
            self.job.cancel_and_wait()


def _short(text: str, limit: int = 40) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"

