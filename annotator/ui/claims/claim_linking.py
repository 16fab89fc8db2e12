"""The claim flow's links: a claim's claimant and cue set to a span, to a new span made from a
selection, to a free-text name, or taken away. A part of ``ClaimFlow`` (claim_flow.py), kept
apart because it is one subject: it uses the flow's ``active`` claim, ``session``, ``project``,
``view``, ``_labels`` and ``_end_picking``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ...store.claims import ClaimantLink
from ..session.claim_commands import LinkNewSpanCommand, SetClaimantCommand, SetCueCommand
from .candidates import role_labels, span_for_range

if TYPE_CHECKING:
    from ...core.model import Claim, Label
    from ..session.document_session import DocumentSession
    from ..text.text_view import AnnotationView


class ClaimLinking:
    """Mixed into ``ClaimFlow``."""

    active: Claim | None
    session: DocumentSession
    view: AnnotationView
    _labels: list[Label]

    def _end_picking(self) -> None:  # ClaimFlow's
        raise NotImplementedError

    def link_range(self, role: str, start: int, end: int) -> None:
        claim = self.active
        if claim is None:
            return
        self._end_picking()
        if (start, end) == (claim.content.start, claim.content.end):
            self.session.say(f"That is the claim itself: select its {role}.", error=True)
            return
        existing = span_for_range(self.view.index.all(), start, end) if self.view.index is not None else None
        if existing is not None and existing.id is not None:
            self.link_span(role, existing.id)
        else:
            source, cue = role_labels(self._labels)
            label = source if role == "claimant" else cue
            if label is None:
                self.session.say(f"This scheme has no role label for a {role} that is not a span yet: "
                                 "add one (e.g. SOURCE, CUE) under Edit > Labels.", error=True)
                return
            surface = self.view.text[start:end]
            self.session.run(lambda: LinkNewSpanCommand(self.project, claim.id, role, start, end, label,
                                                        annotator=self.session.annotator, surface=surface))
        self.view.clear_selection()

    def link_span(self, role: str, span_id: int) -> None:
        claim = self.active
        if claim is None:
            return
        self._end_picking()
        if span_id == claim.content.id:
            self.session.say(f"That is the claim itself: pick its {role}.", error=True)
            return
        current = claim.claimant if role == "claimant" else claim.cue
        if current is not None and current.id == span_id:
            self.session.say(f"That already is the {role}.")
            return
        if role == "claimant":
            self.session.run(lambda: SetClaimantCommand(self.project, claim.id, ClaimantLink(span_id=span_id)))
        else:
            self.session.run(lambda: SetCueCommand(self.project, claim.id, span_id))

    def unlink(self, role: str) -> None:
        claim = self.active
        self._end_picking()
        if claim is None:
            return
        if role == "claimant" and (claim.claimant is not None or claim.claimant_text):
            self.session.run(lambda: SetClaimantCommand(self.project, claim.id, ClaimantLink()))
        elif role == "cue" and claim.cue is not None:
            self.session.run(lambda: SetCueCommand(self.project, claim.id, None))

    def _claimant_chosen(self, choice: tuple[str, object]) -> None:
        self._chosen("claimant", choice)

    def _cue_chosen(self, choice: tuple[str, object]) -> None:
        self._chosen("cue", choice)

    def _chosen(self, role: str, choice: tuple[str, object]) -> None:
        claim = self.active
        if claim is None:
            return
        kind, value = choice
        if kind == "none":
            self.unlink(role)
        elif kind == "span" and isinstance(value, int):
            self.link_span(role, value)
        elif kind == "text" and role == "claimant" and isinstance(value, str) and value.strip():
            if claim.claimant is None and claim.claimant_text == value.strip():
                return
            self.session.run(lambda: SetClaimantCommand(self.project, claim.id, ClaimantLink(text=value.strip())))
