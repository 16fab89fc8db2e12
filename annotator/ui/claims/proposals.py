"""Proposed parts of the claim being edited: its claimant, cue and the values the cue tells
(nlp.claim_cues.parts_for, over the article's tokens and its entity spans). Shown in the claim
editor; one key (A) takes them all, as one undo step.

A proposal is only made for what the claim lacks (no claimant, no cue, an unset value), from
the text on screen; it writes nothing until accepted. A claimant range that is an entity span
links that span; otherwise the range becomes a source-phrase span (SOURCE), as K does with a
selection; the cue likewise (CUE).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from ...core.model import Claim, ClaimAttribute, Label
from ...nlp.claim_cues import parts_for
from ...store.claims import ClaimantLink
from ..session.claim_commands import LinkNewSpanCommand, SetClaimantCommand, SetClaimValueCommand, SetCueCommand
from ..session.document_session import DocumentSession
from ..text.span_index import CLAIM_LAYER, ShownSpan
from .candidates import role_labels, span_for_range

SPEAKERS = ("PERSON", "ORG", "NORP", "GPE")  # entity labels the rules may take as the speaker
NEAR = 1500  # characters around the content the rules read


@dataclass(frozen=True)
class Proposal:
    claimant: tuple[int, int] | None = None
    cue: tuple[int, int] | None = None
    values: tuple[tuple[str, str], ...] = ()  # (attribute name, choice), only unset ones

    def __bool__(self) -> bool:
        return bool(self.claimant or self.cue or self.values)

    def describe(self, text: str, attributes: Sequence[ClaimAttribute]) -> str:
        """"claimant “Viktor Bout” · cue “said” · Quote type: indirect" for the editor."""
        parts = []
        if self.claimant is not None:
            parts.append(f"claimant “{_flat(text[slice(*self.claimant)])}”")
        if self.cue is not None:
            parts.append(f"cue “{_flat(text[slice(*self.cue)])}”")
        titles = {a.name: a.title or a.name for a in attributes}
        parts += [f"{titles.get(name, name)}: {value}" for name, value in self.values]
        return " · ".join(parts)


def propose(claim: Claim, text: str, tokens: Sequence[tuple[int, int]], shown: Sequence[ShownSpan],
            attributes: Sequence[ClaimAttribute]) -> Proposal:
    """What the rules propose for ``claim``'s missing parts (an empty Proposal when nothing)."""
    content = (claim.content.start, claim.content.end)
    # The claim's surroundings are enough (its sentence and the next ones); a long article is
    # not read whole at each change of the claim.
    near = [t for t in tokens if content[0] - NEAR <= t[0] and t[1] <= content[1] + NEAR]
    entities = [(s.span.start, s.span.end, s.span.label) for s in shown
                if s.layer != CLAIM_LAYER and not s.suggested and s.span.label in SPEAKERS]
    found = parts_for(text, near, content, entities)
    if found is None:
        return Proposal()
    claimant = found.claimant if claim.claimant is None and not claim.claimant_text else None
    cue = found.cue if claim.cue is None else None
    choices = {a.name: a.choices for a in attributes if a.kind == "choice"}
    values = tuple((name, value) for name, value in found.values
                   if value in choices.get(name, ()) and not claim.values.get(name))
    return Proposal(claimant, cue, values)


def accept(session: DocumentSession, claim: Claim, proposal: Proposal, shown: Sequence[ShownSpan],
           labels: Sequence[Label]) -> bool:
    """Link the proposed claimant and cue and set the values: one undo step."""
    project, annotator = session.project, session.annotator
    source, cue_label = role_labels(labels)
    builds = []
    for role, where, label in (("claimant", proposal.claimant, source), ("cue", proposal.cue, cue_label)):
        if where is None:
            continue
        existing = span_for_range(shown, *where)
        if existing is not None and existing.id is not None and (existing.start, existing.end) == where:
            span_id = existing.id
            builds.append(lambda span_id=span_id, role=role: SetClaimantCommand(
                project, claim.id, ClaimantLink(span_id=span_id)) if role == "claimant"
                else SetCueCommand(project, claim.id, span_id))
        elif label is not None:
            builds.append(lambda role=role, where=where, label=label: LinkNewSpanCommand(
                project, claim.id, role, *where, label, annotator=annotator, surface=""))
    for name, value in proposal.values:
        builds.append(lambda name=name, value=value: SetClaimValueCommand(project, claim.id, name, value))
    if not builds:
        return False
    with session.macro(f"Take the proposed parts of “{_flat(claim.content.text, 30)}”") as refused:
        for build in builds:
            session.run(build)
    if refused:
        session.say(f"Some proposed parts were not taken: {refused[0]}", error=True)
    return len(refused) < len(builds)


def _flat(text: str, limit: int = 40) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"
