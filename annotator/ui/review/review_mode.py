"""Review mode (View > Review, Ctrl+R): the chosen annotators' layers of the shown document,
unit by unit (core/review.py), decided into the gold layer from the keyboard.

While it is on, the session edits the gold layer (``Layers(editable="gold", ...)``): the
article shows gold's spans, and the normal tagging and claim keys edit gold; every unit of
the document is marked under its words by state (unit_marks.py), and the Review tab lists
the units and the current one's versions (review_pane.py). Keys (review_keys.py) decide the
current unit; each decision is one command on the session's undo stack (DecideCommand: the
store writes it in one transaction, with provenance), so it is on disk at once and Ctrl+Z
takes it back. After a decision the next undecided unit becomes current: one key per unit.
"""

from __future__ import annotations

import getpass
import sqlite3
from collections.abc import Callable

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QPainter

from ...core.review import CLAIM, CONFLICT, MISSING, UNDECIDED, Unit
from ...core.team import GOLD_NAME
from ...store import Project, ProjectError
from ...store.gold import GoldChange
from ...workflows.reviewing import ReviewCancelled, ReviewProgress, review_progress
from ..jobs.worker import Job, JobContext
from ..session.document_session import DocumentSession
from ..session.layers import Layers, ShownDocument
from ..session.outcome import Outcome, describe_error
from ..session.review_commands import DecideCommand
from ..text.text_view import AnnotationView
from .review_keys import ReviewKeys
from .review_pane import ReviewPane
from .unit_marks import paint_units


class ReviewMode(QObject):
    """Given the session, the article, the Review tab, how to go to a document (the list's
    navigation) and whether the claim editor waits for a key; never the window."""

    active_changed = Signal(bool)
    progress_changed = Signal(str)  # "reviewed 1 of 3; 12 of 40 units decided" ("" when off)
    lists_changed = Signal()  # which documents need review, or their disagreement, changed (or were counted)

    def __init__(self, session: DocumentSession, view: AnnotationView, pane: ReviewPane,
                 go_to: Callable[[int], None], busy: Callable[[], bool] = lambda: False,
                 next_listed: Callable[[int], int | None] = lambda _doc_id: None):
        super().__init__(view)
        self.next_listed = next_listed  # the document list's next under a "Needs review" filter
        self.busy = busy  # a claim key waits for Enter or a digit: the keys are the claim editor's
        self.session = session
        self.project = session.project
        self.view = view
        self.pane = pane
        self.go_to = go_to
        self.active = False
        self.reviewer = ""
        self.units: list[Unit] = []
        self.current: int | None = None
        self.progress: ReviewProgress | None = None
        self.order: list[int] = []  # the documents needing review, in the document list's order
        self._before: Layers | None = None
        self._doc_id: int | None = None
        self._anchor: int | None = None  # after a decision: go on from this character
        self._stay: tuple | None = None  # after a decision on a claim: stay on it (its fields)
        self._decided: dict[int, int] = {}  # document -> units decided when last seen (progress)
        self._previous: dict[tuple, str] = {}  # the units' states before the last reload
        self.job: Job | None = None  # counting the project's progress
        self.keys = ReviewKeys(self)
        view.installEventFilter(self.keys)
        view.painters_over.append(self._paint)
        session.document_shown.connect(self._shown)
        session.edited.connect(self._edited)
        pane.unit_chosen.connect(self.choose)

    # ------------------------------------------------------------------ on and off
    def toggle(self) -> None:
        self.leave() if self.active else self.enter()

    def enter(self) -> bool:
        try:
            refs = tuple(a.ref for a in self.project.review_annotators())
            if not refs:
                self.session.say("Nothing to review: no annotator has a layer in this project (docs/review.md).",
                                 error=True)
                return False
            if self.project.gold_annotator() is None:
                if self.session.read_only:
                    self.session.say("Nothing is reviewed yet and the project is open read-only.", error=True)
                    return False
                self.project.ensure_gold()
        except (ProjectError, sqlite3.Error) as exc:
            self.session.say(describe_error(exc), error=True)
            return False
        self.reviewer = self.session.annotator or _login_name()
        self._before = self.session.layers
        self._decided.clear()
        self.progress = None
        self._count_project()
        self.active = True
        self.active_changed.emit(True)
        self.session.set_layers(Layers(editable=GOLD_NAME, others=refs, merged=False))
        self.session.say(f"Review: {len(refs)} annotators ({', '.join(refs)}); you decide as {self.reviewer}.")
        return True

    def _count_project(self) -> None:
        """The project's progress, counted off the GUI thread on a connection of its own (every
        document's units: seconds on a large project); decisions move it on from there."""
        self.stop()
        path, who = self.project.path, self.reviewer

        def count(ctx: JobContext) -> tuple[ReviewProgress, list[int]]:
            with Project.open(path, check=False, read_only=True) as own:
                found = review_progress(own, progress=lambda done, total, _text: ctx.progress((done, total)),
                                        cancelled=ctx.is_cancelled)
                return found, own.in_list_order(found.needs_review)

        def say(text: str) -> None:
            if self.active:  # a count stopped by leaving says nothing
                self.progress_changed.emit(f"review as {who}: {text}")

        job = Job(count, parent=self)
        job.progress.connect(lambda value: say(f"counting units, {value[0]:,} of {value[1]:,} documents"))
        job.succeeded.connect(self._counted)
        job.failed.connect(lambda error, _trace: None if isinstance(error, ReviewCancelled) else say(
            f"progress not counted ({describe_error(error)})"))
        self.job = job
        self.progress_changed.emit(f"review as {who}: counting units…")
        job.start()

    def _counted(self, counted: tuple[ReviewProgress, list[int]]) -> None:
        if not self.active:
            return
        self.progress, self.order = counted
        self._decided.clear()  # what the count saw is where decisions count on from
        self._count(self._doc_id)
        self.lists_changed.emit()

    def needs_review(self) -> list[int] | None:
        """The documents with undecided units in list order (None: not counted yet)."""
        return list(self.order) if self.progress is not None else None

    def most_disagreement(self) -> list[int] | None:
        """The same, the most units in conflict or missing first (ties in list order)."""
        if self.progress is None:
            return None
        disagreement = self.progress.disagreement
        return sorted(self.order, key=lambda doc_id: -disagreement.get(doc_id, 0))

    def stop(self) -> None:
        """Stop counting (the window closes, review mode is left or entered again)."""
        if self.job is not None:
            self.job.cancel_and_wait()
            self.job = None

    def leave(self) -> None:
        if not self.active:
            return
        self.stop()
        self.active = False
        self.units, self.current, self.progress, self.order = [], None, None, []
        self.keys.pending = None
        self.active_changed.emit(False)
        self.progress_changed.emit("")
        self.session.set_layers(self._before or Layers(editable=self.reviewer))
        self.view.viewport().update()

    # ------------------------------------------------------------------ reading
    def _shown(self, shown: ShownDocument | None) -> None:
        if not self.active:
            return
        same = shown is not None and shown.doc_id == self._doc_id
        self._previous = {u.locator[:3]: u.state for u in self.units} if same else {}
        self._doc_id = shown.doc_id if shown is not None else None
        self.keys.pending = None
        self.units = []
        if shown is not None:
            try:
                self.units = list(self.project.review_document(shown.doc_id).units)
            except (ProjectError, sqlite3.Error) as exc:
                self.session.say(describe_error(exc), error=True)
        self.current = self._next_from(self._anchor if same and self._anchor is not None else -1,
                                       fallback=self.current if same else None)
        if same and self._stay is not None:
            self.current = next((i for i, u in enumerate(self.units) if u.locator[:3] == self._stay), self.current)
        self._anchor = self._stay = None
        self._count(shown.doc_id if shown is not None else None)
        self._refresh()

    def _edited(self, outcome: Outcome) -> None:
        """After an undo: the unit it made undecided again becomes the current one. After an
        edit of gold by hand (a tagging key): the units read again, the current one kept."""
        if not self.active or outcome.doc_id != self._doc_id or outcome.error is not None:
            return
        if not outcome.reload and outcome.change:
            self._stay = self.unit.locator[:3] if self.unit is not None else None
            self._anchor = self.unit.start - 1 if self.unit is not None else None
            self._shown(self.session.shown)
        if outcome.undo:
            for i, unit in enumerate(self.units):
                if unit.state in UNDECIDED and self._previous.get(unit.locator[:3]) not in UNDECIDED:
                    self.current = i
                    self._refresh()
                    return

    def _next_from(self, start: int, *, fallback: int | None = None, step: int = 1) -> int | None:
        """The first undecided unit starting after ``start`` (before it, ``step`` -1), then from
        the other end; ``fallback`` (kept in range) when nothing is undecided."""
        order = range(len(self.units)) if step > 0 else range(len(self.units) - 1, -1, -1)
        undecided = [i for i in order if self.units[i].state in UNDECIDED]
        after = [i for i in undecided if (self.units[i].start > start if step > 0 else self.units[i].start < start)]
        if after or undecided:
            return (after or undecided)[0]
        if fallback is not None and self.units:
            return min(fallback, len(self.units) - 1)
        return 0 if self.units else None

    def _count(self, doc_id: int | None) -> None:
        """Project progress: the totals counted on entering, moved by what this document's
        decisions changed since."""
        progress = self.progress
        if progress is None or doc_id is None:
            return
        decided = sum(1 for u in self.units if u.state not in UNDECIDED)
        before = self._decided.setdefault(doc_id, decided)
        progress.decided += decided - before
        self._decided[doc_id] = decided
        disagreement = sum(1 for u in self.units if u.state in (CONFLICT, MISSING))
        changed = progress.disagreement.get(doc_id, 0) != disagreement
        progress.disagreement[doc_id] = disagreement
        if decided < len(self.units):
            if doc_id not in progress.needs_review:
                progress.needs_review.append(doc_id)
                changed = True
                try:
                    self.order = self.project.in_list_order([*self.order, doc_id])
                except (ProjectError, sqlite3.Error):
                    self.order.append(doc_id)
        elif doc_id in progress.needs_review:
            progress.needs_review.remove(doc_id)
            self.order = [d for d in self.order if d != doc_id]
            changed = True
        try:
            progress.reviewed = len(self.project.reviewed_document_ids())
        except (ProjectError, sqlite3.Error):
            pass
        self.progress_changed.emit(f"review as {self.reviewer}: {progress.text}")
        if changed:
            self.lists_changed.emit()

    # ------------------------------------------------------------------ showing
    @property
    def unit(self) -> Unit | None:
        return self.units[self.current] if self.current is not None and self.units else None

    def _refresh(self) -> None:
        shown = self.session.shown
        text = shown.text if shown is not None else ""
        undecided = sum(1 for u in self.units if u.state in UNDECIDED)
        reviewed = " · reviewed" if shown is not None and shown.status == "done" else ""
        summary = (f"{len(self.units) - undecided} of {len(self.units)} units decided here{reviewed}"
                   if self.units else "No units in this document.")
        self.pane.show_units(self.units, text, self.current, summary)
        self._reveal()

    def _reveal(self) -> None:
        unit = self.unit
        if unit is not None and unit.end > unit.start:
            self.view.set_cursor_offset(unit.start)
            self.view.centerCursor()
        self.view.viewport().update()

    def _paint(self, painter: QPainter) -> None:
        if self.active and self.units and self.view.doc_id == self._doc_id:
            paint_units(painter, self.view, self.view.offsets, self.units, self.current)

    def choose(self, row: int) -> None:
        if 0 <= row < len(self.units):
            self.current = row
            self.keys.pending = None
            self.pane.show_current(self.units, self.session.shown.text if self.session.shown else "", row)
            self._reveal()

    def step(self, step: int) -> None:
        """Next (1) or previous (-1) undecided unit."""
        unit = self.unit
        here = unit.start if unit is not None else (-1 if step > 0 else 1 << 62)
        target = self._next_from(here, step=step, fallback=self.current)
        if target is not None and self.units[target].state not in UNDECIDED:
            self.session.say("Every unit of this document is decided: Ctrl+Enter marks it reviewed and goes on.")
        self.choose(target) if target is not None else None

    # ------------------------------------------------------------------ deciding
    def decide(self, text: str, call: Callable[[Unit], GoldChange]) -> bool:
        unit, doc_id = self.unit, self._doc_id
        if unit is None or doc_id is None:
            self.session.say("No unit to decide here.", error=True)
            return False
        self._anchor = unit.start
        # A claim whose claimant, cue or attributes differ stays current: its fields come next.
        self._stay = unit.locator[:3] if unit.group == CLAIM and set(unit.differences) - {"missing"} else None
        done = self.session.run(lambda: DecideCommand(self.project, doc_id, text, lambda: call(unit)))
        if done is None:
            self._anchor = self._stay = None
        return done is not None

    def accept(self, digit: int) -> None:
        unit = self.unit
        if unit is None or not 1 <= digit <= len(unit.annotators):
            self.session.say(f"No annotator {digit} here (1–{len(unit.annotators) if unit else 0}).", error=True)
            return
        who = unit.annotators[digit - 1]
        self.decide(f"Review: take {who}'s version", lambda u: self.project.accept_version(
            self._doc_id, u.locator, who, self.reviewer))

    def accept_majority(self) -> None:
        self.decide("Review: take the majority", lambda u: self.project.accept_majority(
            self._doc_id, u.locator, self.reviewer))

    def reject(self) -> None:
        self.decide("Review: reject", lambda u: self.project.reject_unit(self._doc_id, u.locator, self.reviewer))

    def accept_agreed(self) -> None:
        if not any(u.state == "agreed" for u in self.units):
            self.session.say("No unit here that every annotator agrees on and is undecided.")
            return
        self.decide("Review: accept everything agreed", lambda _u: self.project.accept_agreed(
            self._doc_id, self.reviewer))

    def choose_field(self, field: str, digit: int) -> None:
        unit = self.unit
        if unit is None or unit.group != CLAIM:
            self.session.say("Fields are chosen on a claim unit.", error=True)
            return
        if not 1 <= digit <= len(unit.annotators):
            self.session.say(f"No annotator {digit} here.", error=True)
            return
        who = unit.annotators[digit - 1]
        name = field.removeprefix("attribute:")
        self.decide(f"Review: {name} as {who} gave it", lambda u: self.project.choose_claim_field(
            self._doc_id, u.locator, field, who, self.reviewer))

    def reviewed_and_next(self) -> None:
        doc_id = self._doc_id
        if doc_id is None:
            return
        left = sum(1 for u in self.units if u.state in UNDECIDED)
        if left:
            many = left != 1
            self.session.say(f"{left} unit{'s are' if many else ' is'} still undecided here: decide "
                             f"{'them' if many else 'it'} first (Shift+A takes every agreed one).", error=True)
            return
        if not self.session.run(lambda: DecideCommand(self.project, doc_id, "Review: mark reviewed",
                                                      lambda: self.project.set_reviewed(doc_id))):
            return
        if self.progress is None:
            self.session.say("Reviewed. The project's units are still being counted: Alt+Right goes to the next "
                             "document.")
            return
        waiting = [d for d in self.progress.needs_review if d != doc_id]
        later = [d for d in waiting if d > doc_id]
        listed = self.next_listed(doc_id)  # the filter's order, when one is chosen
        target = listed if listed is not None and listed != doc_id else (later or waiting or [None])[0]
        if target is None:
            self.session.say("Reviewed. Nothing is left undecided in this project.")
            return
        self.go_to(target)


def _login_name() -> str:
    try:
        return getpass.getuser() or "reviewer"
    except (KeyError, OSError):
        return "reviewer"
