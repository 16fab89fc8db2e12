"""Review of one document: its units (core.review) and the decisions that write gold.

Each decision is one transaction and returns a ``GoldChange`` (what undo and redo need). The
decision names its unit by ``Unit.locator`` and is planned on the units read inside that
transaction, so it always acts on what is in the file, never on a stale picture of it.

Who is compared: the chosen annotators (by default everyone with a layer, gold aside) who
marked the document done, in the order they were named (the own annotator first): their
digits in review mode. A chosen annotator who has not finished the document is listed
(``ReviewDocument.unfinished``) but not compared, as agreement does (docs/agreement.md).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from ..core import review_decisions as decisions
from ..core.review import CLAIM, DOC, UNDECIDED, ReviewLayer, Unit, document_units
from ..core.review_decisions import GoldPlan, NoDecision
from ..core.team import GOLD_UUID, Annotator
from .errors import EditRefused, ProjectError
from .gold import GoldChange
from .review_rows import claim_query, document_layers, label_ids, label_query, marks, span_params, span_query


@dataclass(frozen=True)
class ReviewDocument:
    """One document in review: who is compared (refs, in digit order), its units, whether it
    is reviewed (gold's status done)."""

    doc_id: int
    annotators: tuple[str, ...]
    units: tuple[Unit, ...]
    reviewed: bool
    unfinished: tuple[str, ...] = ()  # chosen annotators who did not mark it done

    def counts(self) -> Counter:
        return Counter(unit.state for unit in self.units)

    @property
    def undecided(self) -> int:
        return sum(1 for unit in self.units if unit.state in UNDECIDED)


class ReviewStore:
    """Mixed into ``Project``: needs the annotator, span and gold stores."""

    # ------------------------------------------------------------------ who is compared
    def review_annotators(self, refs: Sequence[str] | None = None) -> list[Annotator]:
        """The annotators review compares: ``refs`` (names, name#uuid or uuids), or everyone
        with a layer of annotations but gold and the unattributed layer."""
        if refs is None:
            # One EXISTS per annotator (a project names few), not the counts layers() makes.
            ids = {r["id"] for r in self.db.query(
                "SELECT id FROM annotators a WHERE uuid != ? AND (EXISTS (SELECT 1 FROM spans WHERE annotator_id = a.id"
                " AND state != 'suggested') OR EXISTS (SELECT 1 FROM doc_labels WHERE annotator_id = a.id))",
                [GOLD_UUID])}
            return sorted((a for a in self.annotator_list() if a.id in ids), key=lambda a: not a.own)
        chosen = []
        for ref in refs:
            found = self.find_annotator(ref)
            if found.uuid == GOLD_UUID:
                raise ProjectError("gold is the layer review writes; name the annotators to compare")
            if found in chosen:
                raise ProjectError(f"annotator {found.ref} is named twice")
            chosen.append(found)
        return chosen

    def review_document(self, doc_id: int, annotators: Sequence[str] | None = None) -> ReviewDocument:
        """The units of one document and their states."""
        chosen = self.review_annotators(annotators)
        participants, layers, gold = self._review_layers(doc_id, chosen)
        refs = tuple(a.ref for a in participants)
        units = document_units(refs, {a.ref: layers[a.id] for a in participants if a.id in layers}, gold)
        unfinished = tuple(a.ref for a in chosen if a not in participants)
        return ReviewDocument(doc_id, refs, tuple(units), self.is_reviewed(doc_id), unfinished)

    def _review_layers(self, doc_id: int, chosen: list[Annotator]) -> tuple[list[Annotator], dict[int, ReviewLayer],
                                                                              ReviewLayer]:
        if not list(self.db.query("SELECT 1 FROM documents WHERE id = ?", [doc_id])):
            raise ProjectError(f"no document with id {doc_id}")
        ids = [a.id for a in chosen]
        done = {r["annotator_id"] for r in self.db.query(
            f"SELECT annotator_id FROM annotator_status WHERE doc_id = ? AND status = 'done'"
            f" AND annotator_id IN ({marks(ids)})", [doc_id, *ids])} if ids else set()
        participants = [a for a in chosen if a.id in done]
        gold = self.gold_annotator()
        gold_id = gold.id if gold else None
        people = [a.id for a in participants]
        if not people and gold_id is None:
            return participants, {}, ReviewLayer()
        conn = self.db.conn
        spans = conn.execute(span_query(people, gold_id, " AND doc_id = ?"), [*span_params(people, gold_id), doc_id])
        everyone = [*people, *([gold_id] if gold_id is not None else [])]
        info = self.label_info()
        claim_labels = label_ids(info, "claim")
        claims = conn.execute(claim_query(len(everyone), len(claim_labels), " AND content.doc_id = ?"),
                              [*everyone, *claim_labels, doc_id]).fetchall()
        labels = conn.execute(label_query(len(everyone), " AND doc_id = ?"), [*everyone, doc_id, doc_id]).fetchall()
        linked = {i for row in conn.execute("SELECT claimant_span_id, cue_span_id FROM claims JOIN spans"
                                            " ON spans.id = claims.span_id WHERE spans.doc_id = ?", [doc_id])
                  for i in row if i is not None}
        layers = document_layers(spans.fetchall(), claims, labels, info, linked)
        return participants, layers, layers.pop(gold_id, ReviewLayer()) if gold_id is not None else ReviewLayer()

    def label_info(self) -> dict[int, tuple[str, str]]:
        return {r["id"]: (r["name"], r["kind"]) for r in self.db.query("SELECT id, name, kind FROM labels")}

    # ------------------------------------------------------------------ decisions
    def accept_version(self, doc_id: int, locator: tuple, annotator: str, reviewer: str,
                       annotators: Sequence[str] | None = None) -> GoldChange:
        """Gold takes ``annotator``'s version of the unit (nothing, if they lack it)."""
        return self._decide(doc_id, reviewer, annotators,
                            lambda units: [decisions.accept_version(_find(units, locator), annotator)])

    def accept_majority(self, doc_id: int, locator: tuple, reviewer: str,
                        annotators: Sequence[str] | None = None) -> GoldChange:
        """Gold takes the majority version (core.review_decisions.accept_majority)."""
        return self._decide(doc_id, reviewer, annotators, lambda units: [decisions.accept_majority(_find(units, locator))])

    def reject_unit(self, doc_id: int, locator: tuple, reviewer: str,
                    annotators: Sequence[str] | None = None) -> GoldChange:
        """The unit is not gold (a rejection stays in gold, so the unit reads as decided)."""
        return self._decide(doc_id, reviewer, annotators, lambda units: [decisions.reject(_find(units, locator))])

    def choose_claim_field(self, doc_id: int, locator: tuple, field: str, annotator: str, reviewer: str,
                           annotators: Sequence[str] | None = None) -> GoldChange:
        """One field (``claimant``, ``cue``, ``attribute:NAME``) of the unit's gold claim as
        ``annotator`` gave it."""
        return self._decide(doc_id, reviewer, annotators,
                            lambda units: [decisions.choose_field(_find(units, locator), field, annotator)])

    def accept_agreed(self, doc_id: int, reviewer: str, annotators: Sequence[str] | None = None) -> GoldChange:
        """Every unit all annotators of the document agree on goes to gold, in one transaction."""
        return self._decide(doc_id, reviewer, annotators,
                            lambda units: [p for p in map(decisions.accept_agreed, units) if p is not None],
                            allow_none=True)

    def set_reviewed(self, doc_id: int, reviewed: bool = True) -> GoldChange:
        """Mark the document reviewed (gold's status done) or not (todo)."""
        with self.transaction():
            gold = self.ensure_gold()
            before = self.gold_snapshot(doc_id)
            self._write_status([doc_id], "done" if reviewed else "todo", gold.uuid)
            return GoldChange(doc_id, "reviewed" if reviewed else "not reviewed", before, self.gold_snapshot(doc_id), 0)

    def _decide(self, doc_id: int, reviewer: str, annotators: Sequence[str] | None,
                plan: Callable[[list[Unit]], list[GoldPlan]], allow_none: bool = False) -> GoldChange:
        if not isinstance(reviewer, str) or not reviewer.strip():
            raise ProjectError("a decision needs the reviewer's name")
        with self.transaction():
            self.ensure_gold()
            before = self.gold_snapshot(doc_id)
            review = self.review_document(doc_id, annotators)
            try:
                plans = plan(list(review.units))
            except NoDecision as exc:
                raise EditRefused(str(exc)) from None
            if not plans and not allow_none:
                raise EditRefused("nothing to decide there")
            uuids = {a.ref: a.uuid for a in self.annotator_list()}
            now = self._now()
            for one in plans:
                self.write_plan(doc_id, one, reviewer.strip(), uuids, now)
            decision = plans[0].decision if len(plans) == 1 else "unanimous" if plans else "nothing"
            return GoldChange(doc_id, decision, before, self.gold_snapshot(doc_id), len(plans))


def _find(units: list[Unit], locator: tuple) -> Unit:
    """The unit a decision names: same group and extent, or (after an edit moved its edges)
    the one unit of that group overlapping it."""
    if not isinstance(locator, tuple) or len(locator) != 4:
        raise EditRefused(f"not a unit: {locator!r}")
    group, start, end, label = locator
    if group == DOC:
        found = [u for u in units if u.group == DOC and u.label == label]
        if found:
            return found[0]
        raise EditRefused(f"no document label {label} to decide any more; look again")
    for unit in units:
        if unit.locator[:3] == locator[:3]:
            return unit
    near = [u for u in units if u.group == group and u.start < end and start < u.end]
    if len(near) == 1:
        return near[0]
    what = "claim" if group == CLAIM else group
    raise EditRefused(f"no {what} unit at {start}-{end} any more; look again")
