"""Claim edits as undoable commands: claimant, cue, attribute values, claimant aliases.

They follow ``commands.py``: redo and undo call the store, report an ``Outcome`` and never
touch widgets; a refusal on the first run makes the command obsolete (the stack stays as it
was). Every outcome names the claim's content span (``focus``), so an undo in another
document takes the window there and opens the claim. Alias commands belong to no document
(``Outcome.doc_id`` is None): the claim views refresh and the window stays where it is.

Making a claim of a new range is ``AddSpanCommand`` with a claim label (span and claim in
one transaction); ``CreateClaimCommand`` makes a claim of a claim-label span that has none
(an accepted suggestion).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from ...core.model import Claim
from ...store import ProjectError
from ...store.claims import ClaimantLink
from ...store.project import Project
from .commands import EditCommand
from .outcome import Outcome, Report, quote

ROLES = ("claimant", "cue")


def _describe_link(link: ClaimantLink, project: Project) -> str:
    if link.span_id is not None:
        return quote(project.span(link.span_id).text)
    if link.text:
        return quote(link.text)
    return "nobody"


class ClaimCommand(EditCommand):
    def __init__(self, project: Project, claim: Claim, report: Report | None, text: str):
        super().__init__(project, claim.doc_id, text, report)
        self.claim_id = claim.id
        assert claim.content.id is not None
        self.content_id: int = claim.content.id

    def _claims(self) -> Outcome:
        return Outcome(self.doc_id, claims=True, focus=self.content_id)


class SetClaimantCommand(ClaimCommand):
    """Point a claim at a claimant span, a free-text name, or nobody."""

    def __init__(self, project: Project, claim_id: int, link: ClaimantLink, *, report: Report | None = None):
        claim = project.claim(claim_id)
        what = _describe_link(link, project)
        text = "Remove the claimant" if what == "nobody" else f"Claimant {what}"
        super().__init__(project, claim, report, f"{text} of {quote(claim.content.text)}")
        self.link = link
        self.previous = ClaimantLink()

    def _redo(self) -> Outcome:
        self.previous = self.project.set_claimant(self.claim_id, self.link)
        return self._claims()

    def _undo(self) -> Outcome:
        self.project.set_claimant(self.claim_id, self.previous)
        return self._claims()


class SetCueCommand(ClaimCommand):
    def __init__(self, project: Project, claim_id: int, span_id: int | None, *, report: Report | None = None):
        claim = project.claim(claim_id)
        what = f"Cue {quote(project.span(span_id).text)}" if span_id is not None else "Remove the cue"
        super().__init__(project, claim, report, f"{what} of {quote(claim.content.text)}")
        self.span_id = span_id
        self.previous: int | None = None

    def _redo(self) -> Outcome:
        self.previous = self.project.set_cue(self.claim_id, self.span_id)
        return self._claims()

    def _undo(self) -> Outcome:
        self.project.set_cue(self.claim_id, self.previous)
        return self._claims()


class SetClaimValueCommand(ClaimCommand):
    """Set or clear (None) one attribute of a claim."""

    def __init__(self, project: Project, claim_id: int, attribute: str, value: str | None, *,
                 report: Report | None = None,
                 title: str = ""):
        claim = project.claim(claim_id)
        shown = title or attribute
        text = f"{shown} {quote(value)}" if value else f"Clear {shown}"
        super().__init__(project, claim, report, f"{text} of {quote(claim.content.text)}")
        self.attribute, self.value = attribute, value
        self.previous: str | None = claim.values.get(attribute)

    def _redo(self) -> Outcome:
        self.previous = self.project.set_claim_value(self.claim_id, self.attribute, self.value)
        return self._claims()

    def _undo(self) -> Outcome:
        self.project.set_claim_value(self.claim_id, self.attribute, self.previous)
        return self._claims()


class LinkNewSpanCommand(ClaimCommand):
    """Tag a range with a role label (SOURCE, CUE) and make it the claim's claimant or cue:
    one command and one transaction, so undo takes both back."""

    def __init__(self, project: Project, claim_id: int, role: str, start: int, end: int, label: str, *,
                 annotator: str | None, report: Report | None = None, surface: str = ""):
        if role not in ROLES:
            raise ValueError(f"role {role!r} must be one of {ROLES}")
        claim = project.claim(claim_id)
        shown = quote(surface) if surface else label
        super().__init__(project, claim, report, f"{role.capitalize()} {shown} of {quote(claim.content.text)}")
        self.role, self.start, self.end, self.label, self.annotator = role, start, end, label, annotator
        self.span_id: int | None = None  # kept, so redo after undo brings the span back under its id
        self._span = None
        self.previous: ClaimantLink | int | None = None

    def _redo(self) -> Outcome:
        with self.project.transaction():
            if self.span_id is None or not self._exists(self.span_id):
                span = self.project.add_span(self.doc_id, self.start, self.end, self.label, annotator=self.annotator,
                                             span_id=self.span_id)
                self.span_id, self._span = span.id, span
            else:
                self._span = None
            assert self.span_id is not None
            if self.role == "claimant":
                self.previous = self.project.set_claimant(self.claim_id, ClaimantLink(span_id=self.span_id))
            else:
                self.previous = self.project.set_cue(self.claim_id, self.span_id)
        span = self.project.span(self.span_id) if self._span is None else self._span
        return Outcome(self.doc_id, added=(span,), claims=True, focus=self.content_id)

    def _undo(self) -> Outcome:
        assert self.span_id is not None
        with self.project.transaction():
            if self.role == "claimant":
                assert isinstance(self.previous, ClaimantLink)
                self.project.set_claimant(self.claim_id, self.previous)
            else:
                assert not isinstance(self.previous, ClaimantLink)
                self.project.set_cue(self.claim_id, self.previous)
            if self._exists(self.span_id):
                self.project.delete_span(self.span_id)
        return Outcome(self.doc_id, removed=(self.span_id,), claims=True, focus=self.content_id)


class CreateClaimCommand(EditCommand):
    """Make a claim of a claim-label span that has none (e.g. an accepted suggestion)."""

    def __init__(self, project: Project, span_id: int, *, report: Report | None = None):
        span = project.span(span_id)
        super().__init__(project, span.doc_id, f"Make {quote(span.text)} a claim", report)
        self.span_id = span_id
        self.claim_id: int | None = None
        self._saved: tuple[dict, tuple[dict, ...]] | None = None

    def _redo(self) -> Outcome:
        if self._saved is not None:
            self.claim_id = self.project.restore_claim(*self._saved).id
        else:
            self.claim_id = self.project.create_claim(self.span_id).id
        return Outcome(self.doc_id, claims=True, focus=self.span_id)

    def _undo(self) -> Outcome:
        assert self.claim_id is not None
        self._saved = self.project.delete_claim(self.claim_id)
        return Outcome(self.doc_id, claims=True, focus=self.span_id)


class AliasCommand(EditCommand):
    """Merge claimant names into one canonical name, or take merges back. Project-wide: the
    effect names no document."""

    def __init__(self, project: Project, *, report: Report | None = None, merge: Iterable[str] = (), into: str | None = None,
                 unmerge: Iterable[str] = ()):
        self.merge, self.into, self.unmerge = sorted(set(merge)), into, sorted(set(unmerge))
        if self.merge and not (into and into.strip()):
            raise ProjectError("choose the canonical name to merge into")
        if self.merge:
            others = [name for name in self.merge if name != into]
            text = f"Merge {', '.join(quote(n, 20) for n in others[:3])}{' …' if len(others) > 3 else ''}" \
                f" into {quote(into or '')}"
        else:
            text = f"Unmerge {', '.join(quote(n, 20) for n in self.unmerge[:3])}"
        super().__init__(project, None, text, report)  # no document
        self.previous: Mapping[str, str | None] = {}

    def _redo(self) -> Outcome:
        if self.merge:
            assert self.into is not None
            self.previous = self.project.merge_claimants(self.merge, self.into)
        else:
            self.previous = self.project.unmerge_claimants(self.unmerge)
        return Outcome(None, aliases=True)

    def _undo(self) -> Outcome:
        self.project.set_claimant_aliases(self.previous)
        return Outcome(None, aliases=True)
