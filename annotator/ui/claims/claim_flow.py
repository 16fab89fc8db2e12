"""Claim editing in the annotation window: which claim is selected, what its keys mean
(claim_keys.py), and turning the claim editor's choices into commands on the session.

The flow follows the document session (``follow``): a document shown, the claims of the
shown document changed (with the claim to open), the scheme, claimant aliases. It is given the
session, the article view, and the editor and list it drives; never the window. What it tells
the window goes out as signals (``opened``, ``summary_changed``, ``delete_requested``).
The article keeps the keyboard focus while a claim is edited (the token cursor selects
claimants and cues there).
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtGui import QPainter

from ...core.model import Claim, ClaimAttribute, Label
from ..session.claim_commands import (
    CreateClaimCommand,
    SetClaimValueCommand,
)
from ..session.document_session import DocumentSession
from ..session.layers import ShownDocument
from ..text.span_index import CLAIM_LAYER, ShownSpan
from ..text.text_view import AnnotationView
from .candidates import candidates
from .claim_editor import ClaimEditor
from .claim_keys import ClaimKeys
from .claim_linking import ClaimLinking
from .claim_links import ClaimMarks
from .claim_links import paint_over as paint_links_over
from .claim_links import paint_under as paint_links_under
from .claim_questions import confirm_incomplete, confirm_unlink
from .claims_list import ClaimList, ClaimListModel, missing_titles
from .proposals import Proposal, accept, propose
from .span_chooser import Candidate


class ClaimFlow(ClaimLinking, QObject):
    opened = Signal()  # a claim was opened in the editor (the window shows the Claims tab)
    summary_changed = Signal(str)  # "Claims (3) ⚠1": the tab's title
    delete_requested = Signal(int)  # the list's Delete on a claim: its content span

    def __init__(self, session: DocumentSession, view: AnnotationView):
        super().__init__(view)
        self.session = session
        self.project = session.project
        self.view = view
        self.panel = ClaimEditor()
        self.model = ClaimListModel(self)
        self.list = ClaimList(self.model)
        self.list.setObjectName("claimList")
        self.active: Claim | None = None
        self.pending: str | None = None  # an attribute waiting for a digit
        self.picking: str | None = None  # "claimant" | "cue" waiting for a selection in the article
        self.proposal: Proposal | None = None  # proposed parts of the active claim (proposals.py)
        self._proposed_for: tuple | None = None  # what the proposal was made from
        self.attributes: list[ClaimAttribute] = []
        self.esc_first: Callable[[], bool] = lambda: False  # the window's Esc has work first (a sticky label)
        self._labels: list[Label] = []
        self._flushing = False
        self.keys = ClaimKeys(self)
        for widget in (self.view, self.list):
            widget.installEventFilter(self.keys)
        self.view.painters_under.append(self._paint_under)
        self.view.painters_over.append(self._paint_over)
        self.view.span_clicked.connect(self._span_clicked)
        self.list.claim_chosen.connect(self._claim_chosen)
        self.list.delete_requested.connect(self._delete_claim)
        self.list.back_to_text.connect(self.focus_text)
        panel = self.panel
        panel.value_chosen.connect(self.set_value)
        panel.claimant_chosen.connect(self._claimant_chosen)
        panel.cue_chosen.connect(self._cue_chosen)
        panel.pick_requested.connect(self.pick)
        panel.chooser_requested.connect(self.open_chooser)
        panel.finished.connect(self.focus_text)

    # ------------------------------------------------------------ following the session
    def follow(self, session: DocumentSession) -> None:
        session.document_shown.connect(self._document_shown)
        session.claims_changed.connect(self._claims_changed)
        session.scheme_changed.connect(self._scheme_changed)
        session.aliases_changed.connect(self._aliases_changed)
        session.read_only_changed.connect(self._read_only_changed)
        self._scheme_changed(session.labels, session.attributes)

    def _scheme_changed(self, labels: list[Label], attributes: list[ClaimAttribute]) -> None:
        self._labels, self.attributes = list(labels), list(attributes)
        self.panel.set_scheme(self.attributes, self._labels)
        self.model.set_scheme(self.attributes, {label.name: label.color for label in self._labels})

    def _document_shown(self, shown: ShownDocument | None) -> None:
        self.active = None
        self.pending = self.picking = None
        self._show_claims(shown.claims if shown is not None else [])

    def _claims_changed(self, claims: list[Claim], focus: int | None) -> None:
        self._show_claims(claims)
        if focus is not None and not self._flushing:
            claim = self._claim_of_span(focus)
            if claim is not None and (self.active is None or self.active.id != claim.id):
                self.activate(claim.id)  # a new claim, or one an undo brought back

    def _aliases_changed(self) -> None:
        self._show_claims(self.model.claims())

    def _read_only_changed(self, _read_only: bool) -> None:
        self._show_active()

    def _show_claims(self, claims: list[Claim]) -> None:
        self.model.set_claims(claims, self.session.aliases() if claims else {})
        if self.active is not None:
            self.active = next((c for c in claims if c.id == self.active.id), None)
            if self.active is None:
                self.pending = self.picking = None
                self.session.prompt("")
        self._show_active()
        count, incomplete = self.model.rowCount(), len(self.model.incomplete())
        self.summary_changed.emit((f"Claims ({count})" if count else "Claims") + (f" ⚠{incomplete}" if incomplete else ""))

    # ------------------------------------------------------------ the window's hooks
    def leaving_document(self) -> None:
        """Before another document is shown (or the window closes): a note being typed is kept
        for the claim it belongs to, while that claim's document is still the shown one."""
        self._flush()

    def take_selection(self, start: int, end: int) -> bool:
        """A selection made with the mouse while picking: it is the claimant or cue."""
        if self.picking is None or self.active is None:
            return False
        self.link_range(self.picking, start, end)
        return True

    def open_at_cursor(self, label: str, around: list[ShownSpan]) -> bool:
        """A claim label's key on a claim with no selection: open that claim (making a claim of
        a claim-label span that has none). False when the key should relabel instead."""
        claims = [s for s in around if s.layer == CLAIM_LAYER and not s.suggested]
        if not claims or claims[-1].span.label != label:
            return False
        target = claims[-1]
        claim = self._claim_of_span(target.id)
        if claim is not None:
            self.activate(claim.id)
        else:
            self.session.run(lambda: CreateClaimCommand(self.project, target.id))
        return True

    def confirm_delete(self, span_id: int) -> bool:
        """Ask before deleting a span that is some claim's claimant or cue."""
        shown = self.session.shown
        if shown is None:
            return True
        counts = {role: sum(1 for c in shown.claims if (part := getattr(c, role)) is not None and part.id == span_id)
                  for role in ("claimant", "cue")}
        if not any(counts.values()):
            return True
        span = self.session.span(span_id)
        return confirm_unlink(self.view, span.text if span is not None else "", counts)

    def ready_for_done(self, doc_id: int) -> bool:
        """Before marking a document done: claims missing a required attribute are pointed out."""
        if doc_id != self.session.doc_id:
            return True
        incomplete = self.model.incomplete()
        if not incomplete:
            return True
        titles = sorted({t for c in incomplete for t in missing_titles(c, self.attributes)})
        if confirm_incomplete(self.view, len(incomplete), titles):
            return True
        self.activate(incomplete[0].id, reveal=True)
        return False

    def is_busy(self) -> bool:
        """A claim key waits for a digit or a pick: Enter and X belong to it."""
        return self.picking is not None or self.pending is not None

    def has_selection(self) -> bool:
        return self.view.selection() is not None

    # ------------------------------------------------------------ state
    def activate(self, claim_id: int | None, *, reveal: bool = False) -> None:
        if self.active is not None and self.active.id != claim_id:
            self._flush()
        self.active = next((c for c in self.model.claims() if c.id == claim_id), None)
        self.pending = self.picking = None
        self.session.prompt("")
        self._show_active()
        if self.active is not None:
            self.opened.emit()
            if reveal:
                self.view.set_cursor_offset(self.active.content.start)

    def _claim_chosen(self, claim_id: int) -> None:
        self.activate(claim_id, reveal=True)

    def _flush(self) -> None:
        self._flushing = True  # the kept value's outcome must not open its claim again
        try:
            self.panel.flush()
        finally:
            self._flushing = False

    def leave(self) -> None:
        self.activate(None)
        self.session.say("Claim editing done.")

    def focus_text(self) -> None:
        self.view.setFocus(Qt.FocusReason.OtherFocusReason)

    def _show_active(self) -> None:
        claim = self.active
        canonical = self.model.canonical(claim.claimant_name) if claim is not None and claim.claimant_name else None
        row = self.model.row_of(claim.id) if claim else None
        position = (row + 1, self.model.rowCount()) if row is not None else None
        self.panel.show_claim(claim, missing_titles(claim, self.attributes) if claim else (), canonical, position)
        self.panel.setEnabled(not self.session.read_only)
        self.panel.set_pending(self.pending)
        self.panel.set_picking(self.picking)
        self._refresh_proposal()
        self.list.select_claim(claim.id if claim else None)
        self.view.viewport().update()

    def _refresh_proposal(self) -> None:
        """Propose the active claim's missing parts (again when the claim or the tokens changed)."""
        claim = self.active
        tokens = self.view.tokens() if claim is not None and self.view.text else None
        key = (claim, id(tokens)) if claim is not None else None
        if key != self._proposed_for:
            self._proposed_for = key
            self.proposal = None
            if claim is not None and tokens is not None and self.view.index is not None and not self.session.read_only:
                self.proposal = propose(claim, self.view.text, tokens.spans, self.view.index.all(), self.attributes) \
                    or None
        text = self.proposal.describe(self.view.text, self.attributes) if self.proposal is not None else None
        self.panel.show_proposal(text)

    # ------------------------------------------------------------ keys (claim_keys.py)
    def attribute(self, name: str) -> ClaimAttribute | None:
        return next((a for a in self.attributes if a.name == name), None)

    def start_attribute(self, name: str) -> None:
        attribute = self.attribute(name)
        if attribute is None or self.active is None:
            return
        self._end_picking()
        if attribute.kind != "choice":
            self.cancel_pending()
            self.panel.edit_text(name)
            return
        self.pending = name
        self.panel.set_pending(name)
        choices = ", ".join(f"{i} {c}" for i, c in enumerate(attribute.choices[:9], 1))
        self.session.prompt(f"{attribute.title}: {choices} — 0 clears, Esc cancels.")

    def cancel_pending(self) -> None:
        if self.pending is not None:
            self.pending = None
            self.panel.set_pending(None)
            self.session.prompt("")

    def cancel_picking(self) -> None:
        self._end_picking()
        self.session.say("Picking cancelled.")

    def _end_picking(self) -> None:
        if self.picking is not None:
            self.picking = None
            self.panel.set_picking(None)
            self.session.prompt("")

    def pick(self, role: str) -> None:
        """K / U: the selection is the claimant / cue; with none, wait for one."""
        if self.active is None:
            return
        self.cancel_pending()
        selection = self.view.selection()
        if selection is not None:
            self.link_range(role, *selection)
            return
        self.picking = role
        self.panel.set_picking(role)
        self.focus_text()
        self.session.prompt(f"Select the {role} in the article (Shift+arrows or the mouse) and press Enter, "
                            f"or click a span. Delete: no {role}. Esc cancels.")

    def pick_here(self) -> None:
        """Enter while picking: the selection, or else the span under the token cursor."""
        role = self.picking
        if role is None:
            return
        selection = self.view.selection()
        if selection is not None:
            self.link_range(role, *selection)
            return
        content_id = self.active.content.id if self.active is not None else None
        around = [s for s in self.view.spans_at_cursor()
                  if s.layer != CLAIM_LAYER and not s.suggested and s.id != content_id]
        if around:
            self.link_span(role, around[-1].id)
            return
        self.session.say(f"Select the {role} first (Shift+arrows or the mouse), then press Enter.", error=True)

    def open_chooser(self, role: str) -> None:
        if self.active is None:
            return
        self.cancel_pending()
        self._end_picking()
        self.panel.open_chooser(role, self.candidates(role))

    def candidates(self, role: str) -> list[Candidate]:
        index = self.view.index
        if self.active is None or index is None:
            return []
        return candidates(self.active, index.all(), self._labels, role)

    # ------------------------------------------------------------ edits
    def set_value(self, attribute: str, value: str | None) -> None:
        claim = self.active
        self.cancel_pending()
        if claim is None:
            return
        if claim.values.get(attribute) == value:
            self._show_active()  # a combo may show a choice that was not taken
            return
        title = (a.title if (a := self.attribute(attribute)) else attribute)
        self.session.run(lambda: SetClaimValueCommand(self.project, claim.id, attribute, value, title=title))

    def accept_proposal(self) -> None:
        """A: take the proposed claimant, cue and values, as one undo step."""
        claim, proposal = self.active, self.proposal
        if claim is None or proposal is None or self.view.index is None:
            return
        self.cancel_pending()
        self._end_picking()
        accept(self.session, claim, proposal, self.view.index.all(), self._labels)

    def _delete_claim(self, span_id: int) -> None:
        if not self.session.read_only:
            self.delete_requested.emit(span_id)

    # ------------------------------------------------------------ looking things up
    def _claim_of_span(self, span_id: int) -> Claim | None:
        return next((c for c in self.model.claims() if c.content.id == span_id), None)

    def _span_clicked(self, span_id: int) -> None:
        shown = self.view.index.get(span_id) if self.view.index is not None else None
        if shown is None:
            return
        if self.picking is not None and self.active is not None:
            if shown.layer == CLAIM_LAYER:
                self.session.say(f"A claim cannot be a {self.picking}: click a name or a phrase.", error=True)
                return
            self.link_span(self.picking, span_id)
            return
        claim = self._claim_of_span(span_id)
        if claim is not None and (self.active is None or self.active.id != claim.id):
            self.activate(claim.id)

    # ------------------------------------------------------------ painting
    def _marks(self) -> ClaimMarks | None:
        claim = self.active
        if claim is None or claim.doc_id != self.view.doc_id or claim.content.id is None:
            return None
        return ClaimMarks(claim.content.id, claim.claimant.id if claim.claimant else None,
                          claim.cue.id if claim.cue else None)

    def _paint_under(self, painter: QPainter) -> None:
        marks = self._marks()
        if marks is not None and self.view.index is not None and self.view.styles is not None:
            paint_links_under(painter, self.view, self.view.index, self.view.styles, marks)

    def _paint_over(self, painter: QPainter) -> None:
        marks = self._marks()
        if marks is not None and self.view.index is not None and self.view.styles is not None:
            paint_links_over(painter, self.view, self.view.index, self.view.styles, marks)
