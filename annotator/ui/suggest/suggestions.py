"""The model in the loop, in the window: suggesting, reviewing suggestions with keys, training.

Keys (read by an event filter on the article, so they mean something only where they can):

- Enter accepts the suggestion under the cursor (a suggested claim with its cue and claimant)
  and moves to the next one; X rejects it (Delete does too, as before);
- Tab / Shift+Tab go to the next / previous suggestion while the document has any (otherwise
  they move between spans, as before);
- the Model menu: suggest in this document (Ctrl+Shift+M), accept all (Ctrl+Shift+A) or
  reject all in it (one Undo each), suggest in the whole project in the background, choose
  the source, train, see the models; Go > Next Uncertain Document (Ctrl+Shift+J).

The controller is given the document session and the article, never the window; every edit
is a command on the session.

Enter and X give way to the claim editor while it waits for a pick, and to anything else
when no suggestion is under the cursor (X can then still be a label key).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QKeyEvent

from ...core.problems import InputError
from ...store import ProjectError
from ...workflows.suggesting import SourceSpec, SuggestError, claim_labels, save_source, saved_source
from ..jobs.worker import Job
from ..session.document_session import DocumentSession
from ..session.outcome import describe_error
from ..session.suggestion_commands import SetSuggestionsStateCommand, WriteSuggestionsCommand
from ..text.span_index import ShownSpan
from ..text.text_view import AnnotationView

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
    """Given the session and the article; ``busy`` says when a claim key waits for Enter or a
    digit (then Enter and X are not ours)."""

    def __init__(self, session: DocumentSession, view: AnnotationView, busy: Callable[[], bool] = lambda: False):
        super().__init__(view)
        self.session = session
        self.project = session.project
        self.view = view
        self.busy = busy
        self.job: Job | None = None  # suggesting in this document (spaCy runs off the GUI thread)
        self._stopped = False
        self._prepared: tuple[SourceSpec, Any, Any] | None = None  # the loaded source, reused
        self.keys = SuggestionKeys(self)
        self.view.installEventFilter(self.keys)

    def handlers(self) -> dict[str, Callable[[], object]]:
        return {
            "model.suggest_document": self.suggest_document, "model.suggest_project": self.suggest_project,
            "model.accept_all": self.accept_all, "model.reject_all": self.reject_all,
            "model.source": self.choose_source, "model.train": self.train, "model.models": self.show_models,
            "go.next_uncertain": self.next_uncertain,
        }

    # ------------------------------------------------------------------ keys
    def key_action(self, event: QKeyEvent) -> Callable[[], None] | None:
        key, mods = event.key(), event.modifiers() & ~Mod.KeypadModifier
        if self.view.doc_id is None or self.busy():
            return None
        if key in (Key.Key_Tab, Key.Key_Backtab) and mods in (Mod.NoModifier, Mod.ShiftModifier):
            if not self.suggestions():
                return None  # the view moves between spans
            step = -1 if key == Key.Key_Backtab or mods & Mod.ShiftModifier else 1
            return lambda: self.jump(step)
        if mods != Mod.NoModifier or self.session.read_only:
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
            self.session.say("No suggestions in this document.")
            return
        here = self.view.cursor_offset()
        here = -1 if here is None or self.view.cursor_untouched else here
        starts = sorted({s.span.start for s in spans})
        if step > 0:
            target = next((s for s in starts if s > here), starts[0])
        else:
            target = next((s for s in reversed(starts) if s < here), starts[-1])
        self.view.set_cursor_offset(target)
        self.view.ensureCursorVisible()
        shown = self.at_cursor()
        if shown is not None:
            self.session.say(f"Suggestion: {shown.span.label} “{_short(shown.span.text)}” — Enter accepts, "
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
        doc_id = self.session.doc_id
        if doc_id is None:
            return False
        start = self.view.cursor_offset()
        done = self.session.run(lambda: SetSuggestionsStateCommand(self.project, doc_id, [(span_id, label)], state,
                                                                   annotator=self.session.annotator)) is not None
        if done:
            left = self.suggestions()
            after = [s for s in left if start is None or s.span.start > start]
            if after:
                self.view.set_cursor_offset(min(s.span.start for s in after))
            verb = "Accepted" if state == "accepted" else "Rejected"
            self.session.say(f"{verb}. {len(left)} suggestion{'s' if len(left) != 1 else ''} left here"
                             + (" (Tab: next)." if left else "."))
        return done

    def accept_all(self) -> None:
        self.set_all("accepted")

    def reject_all(self) -> None:
        self.set_all("rejected")

    def set_all(self, state: str) -> None:
        """Accept or reject every suggestion of the document, in text order: one Undo step.

        Accepting one of two competing suggestions (overlapping entities) leaves the other
        suggested: the store refuses it, and that refusal only drops it from the macro."""
        doc_id = self.session.doc_id
        if doc_id is None or self.session.read_only:
            return
        try:
            pending = self.project.suggested_spans(doc_id)
            parts = {p for s in pending for p in self.project.claim_parts(s.id)}
        except (ProjectError, sqlite3.Error) as exc:
            self.session.say(describe_error(exc), error=True)
            return
        targets = [s for s in pending if s.id not in parts]  # a claim's parts go with it
        if not targets:
            self.session.say("No suggestions in this document.")
            return
        verb = "Accept" if state == "accepted" else "Reject"
        with self.session.macro(f"{verb} all {len(pending)} suggestions"):
            for span in targets:
                # A refused one (it overlaps what was accepted just before) marks itself obsolete
                # and the stack drops it; the rest of the macro goes on.
                self.session.run(lambda span=span: SetSuggestionsStateCommand(
                    self.project, doc_id, [(span.id, None)], state, annotator=self.session.annotator))
        left = self.project.suggestion_count(doc_id)
        done = len(pending) - left
        self.session.say(f"{verb}ed {done} suggestion{'s' if done != 1 else ''}"
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
        doc_id = self.session.doc_id
        if doc_id is None or self.session.read_only:
            return
        spec = self.source()
        if spec is None:
            self.choose_source(then=self.suggest_document)
            return
        if self.job is not None and self.job.is_running:
            self.session.say("Still suggesting; one moment.")
            return
        try:
            text = self.project.document(doc_id).text
            existing = self.project.existing_spans([doc_id])[doc_id]
            kinds = self.project.label_kinds()
            labels = claim_labels(self.project)
            trained = {m.name: m.path for m in self.project.models()}
        except (ProjectError, sqlite3.Error) as exc:
            self.session.say(describe_error(exc), error=True)
            return
        entities = [(s.start, s.end, s.label) for s, kind in existing if kind == "entity" and s.state != "rejected"]
        prepared = self._prepared if self._prepared is not None and self._prepared[0] == spec else None
        language = self.project.language
        self.session.say(f"Suggesting with {spec.describe()}…")

        def work(_ctx: Any) -> tuple[Any, Any]:
            from ...workflows.suggesting import prepare_offline

            ready = prepared or prepare_offline(spec, kinds, language, labels, trained)
            [found] = ready[1].run([(doc_id, text, entities)])
            return ready, found

        job = Job(work, self)
        # Bound methods: a lambda holding ``self`` would be freed with the job (see suggest_dialog).
        job.succeeded.connect(self._document_suggested)
        job.failed.connect(self._source_failed)
        self.job = job
        job.start()

    def _document_suggested(self, result: tuple[Any, Any]) -> None:
        ready, found = result
        self._prepared = ready
        spec, suggester, labels = ready
        if self._stopped:  # the window went away meanwhile
            return
        command = self.session.run(lambda: WriteSuggestionsCommand(
            self.project, found, suggester.origin, labels if suggester.claims else None, source=spec.describe()))
        if isinstance(command, WriteSuggestionsCommand):
            counts = command.counts
            if found.doc_id == self.session.doc_id and self.view.cursor_offset() is None:
                self.jump(1)
            self.session.say(f"{counts.added} suggestion{'s' if counts.added != 1 else ''} from {spec.describe()}"
                             + (f", {counts.claims} claims" if counts.claims else "")
                             + " — Tab goes to them, Enter accepts, X rejects; Ctrl+Z takes them all back.")

    def _source_failed(self, error: BaseException, _trace: str = "") -> None:
        self._prepared = None
        if isinstance(error, InputError):
            self.session.say(f"The pattern file was refused: {error.problems[0]}", error=True)
        elif isinstance(error, (SuggestError, ProjectError)):
            self.session.say(str(error), error=True)
        else:
            self.session.say(f"Suggesting failed: {error}", error=True)

    def suggest_project(self) -> None:
        from .suggest_dialog import SuggestProjectDialog

        if self.session.read_only:
            return
        spec = self.source()
        if spec is None:
            self.choose_source(then=self.suggest_project)
            return
        dialog = SuggestProjectDialog(self.project, spec, parent=self.view.window())
        dialog.finished_run.connect(self._project_suggested)
        dialog.exec()
        dialog.deleteLater()

    def _project_suggested(self, doc_ids: list) -> None:
        current = self.session.doc_id
        if current is not None and current in set(doc_ids):
            self.session.reload()  # its new suggestions, read afresh

    def choose_source(self, then: Callable[[], None] | None = None) -> None:
        from .source_dialog import SourceDialog

        dialog = SourceDialog(self.project, self.source(), parent=self.view.window())
        chosen = dialog.spec if dialog.exec() else None
        dialog.deleteLater()
        if chosen is None:
            return
        if self._use(chosen, f"Suggestions will come from {chosen.describe()}.") and then is not None:
            then()

    def use_model(self, name: str) -> None:
        """Make a trained model the suggestion source (keeping the claims choice)."""
        current = self.source()
        spec = SourceSpec("model", name, name, current.claims if current is not None else False)
        self._use(spec, f"Suggestions will come from {spec.describe()} (Model > Suggest in This Document: "
                        "Ctrl+Shift+M).")

    def _use(self, spec: SourceSpec, message: str) -> bool:
        # The source is the window's memory of a choice (like its geometry), kept in the project
        # so that a second machine suggests alike; it changes no annotation, so it is no Undo step.
        try:
            save_source(self.project, spec)
        except (ProjectError, sqlite3.Error) as exc:
            self.session.say(describe_error(exc), error=True)
            return False
        self._prepared = None
        self.session.say(message)
        return True

    # ------------------------------------------------------------ training and models
    def train(self) -> None:
        from .train_dialog import TrainDialog

        if self.session.read_only:
            return
        dialog = TrainDialog(self.project, parent=self.view.window(), annotator=self.session.annotator)
        dialog.use_model.connect(self.use_model)
        dialog.exec()
        dialog.deleteLater()

    def show_models(self) -> None:
        from .models_dialog import ModelsDialog

        dialog = ModelsDialog(self.project, parent=self.view.window())
        dialog.use_model.connect(self.use_model)
        dialog.exec()
        dialog.deleteLater()

    def next_uncertain(self) -> None:
        try:
            model = self.project.latest_scored_model()
            target = self.project.next_uncertain_document(model.id, self.session.doc_id) if model else None
        except (ProjectError, sqlite3.Error) as exc:
            self.session.say(describe_error(exc), error=True)
            return
        if model is None:
            self.session.say("No document is ranked yet: Model > Suggest in Project with a trained model "
                             "and “rank documents by uncertainty”.")
            return
        if target is None:
            self.session.say(f"No ranked document is still to do (model {model.name}).")
            return
        self.session.show(target)  # the document list follows (and lets go of a filter that hides it)
        score = self.project.document_score(target, model.id)
        self.session.say(f"Model {model.name} is least sure about this document (uncertainty {score:.2f}).")

    def stop(self) -> None:
        self._stopped = True
        if self.job is not None and self.job.is_running:
            self.job.cancel_and_wait()


def _short(text: str, limit: int = 40) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"
