"""Review decisions as plans: what the gold layer of one unit becomes (pure; store/review.py
writes a plan in one transaction).

A plan replaces the unit's gold (its accepted gold marks and rejections are removed) with
``add`` (marks, each with the annotators who had exactly it) or, for a rejection, one
rejection mark covering the unit. ``decision`` says how it was decided, for provenance:

- ``annotator``: the reviewer took one annotator's version;
- ``majority``: the version more than half of the annotators hold (by a key or ``review --auto
  majority``); for a claim with no such version, the content most annotators gave with each
  field's majority value;
- ``unanimous``: every annotator of the document had it (``review --auto unanimous``, or
  "accept everything agreed");
- ``fields``: a claim whose claimant, cue or an attribute the reviewer chose field by field;
- ``rejected``: not gold (the marks' ``having`` then lists who lacked it: who agreed with that).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from .review import (
    AGREED, CLAIM, DOC, Mark, Unit, claim_fields, field_majority, field_value, with_field,
)

DECISIONS = ("unanimous", "majority", "annotator", "fields", "rejected", "with claim")
AUTO_MODES = ("unanimous", "majority")


class NoDecision(ValueError):
    """The decision asked for does not apply to this unit (message for the status bar)."""


@dataclass(frozen=True)
class GoldPlan:
    """What one unit's gold becomes. ``add``: (mark, annotators who had exactly it);
    ``reject``: the rejection mark to leave instead (with who lacked it), or None."""

    unit: Unit
    decision: str
    add: tuple[tuple[Mark, tuple[str, ...]], ...] = ()
    reject: tuple[Mark, tuple[str, ...]] | None = None

    @property
    def remove(self) -> tuple[int | None, ...]:
        """Gold span ids of the unit that give way (accepted marks and rejections)."""
        return (*self.unit.gold_ids, *self.unit.rejected_ids)


def _take(unit: Unit, version: tuple[Mark, ...], decision: str) -> GoldPlan:
    if not version:
        return reject(unit, decision)
    return GoldPlan(unit, decision, tuple((mark, unit.having(mark)) for mark in version))


def reject(unit: Unit, decision: str = "rejected") -> GoldPlan:
    """Not gold: one rejection mark over the unit's extent, with its most common label."""
    start, end = (0, 0) if unit.group == DOC else (unit.start, unit.end)
    return GoldPlan(unit, decision, reject=((start, end, unit.label), unit.lacking))


def accept_version(unit: Unit, annotator: str) -> GoldPlan:
    """Take ``annotator``'s version (nothing, if they lack the unit: then it is rejected)."""
    if annotator not in unit.annotators:
        raise NoDecision(f"{annotator} has no layer in this document")
    return _take(unit, unit.version_of(annotator), "annotator")


def accept_majority(unit: Unit) -> GoldPlan:
    """The version more than half of the annotators hold (a rejection when most lack it).

    A claim unit with no such version takes, when most annotators have one claim there, the
    content most of them gave and each field's majority value (ties: the first annotator's)."""
    version = unit.majority()
    if version is not None:
        return _take(unit, version, "majority")
    if unit.group == CLAIM:
        single = [v[0] for v in unit.versions if len(v) == 1]
        if 2 * len(single) > len(unit.versions):
            content = Counter(m[:3] for m in single).most_common(1)[0][0]
            mark = next(m for m in single if m[:3] == content)
            for name in claim_fields(unit):
                mark = with_field(mark, name, field_majority(unit, name))
            return GoldPlan(unit, "majority", ((mark, unit.having(mark)),))
    shown = ", ".join(f"{len(who)} × {'nothing' if not v else _describe(v)}" for v, who in unit.distinct_versions())
    raise NoDecision(f"no majority here ({shown}); choose an annotator's version")


def accept_agreed(unit: Unit) -> GoldPlan | None:
    """Every annotator's version, where they all agree (state agreed); else None."""
    if unit.state != AGREED:
        return None
    return _take(unit, unit.versions[0], "unanimous")


def choose_field(unit: Unit, name: str, annotator: str) -> GoldPlan:
    """Set one field of the unit's gold claim to ``annotator``'s value of it."""
    if unit.group != CLAIM:
        raise NoDecision("only a claim has fields to choose")
    if len(unit.gold) != 1:
        raise NoDecision("decide the claim first (a version or the majority), then its fields")
    if annotator not in unit.annotators:
        raise NoDecision(f"{annotator} has no layer in this document")
    theirs = unit.version_of(annotator)
    if len(theirs) != 1:
        raise NoDecision(f"{annotator} has {'no claim' if not theirs else f'{len(theirs)} claims'} here")
    mark = with_field(unit.gold[0], name, field_value(theirs[0], name))
    return GoldPlan(unit, "fields", ((mark, unit.having(mark)),))


def auto_plan(unit: Unit, mode: str, min_annotators: int) -> GoldPlan | None:
    """What ``review --auto`` copies for one undecided unit: with ``unanimous``, a unit every
    annotator (at least ``min_annotators``) has exactly alike; with ``majority``, the version
    more than half of them (and at least ``min_annotators``) hold exactly. Units most
    annotators lack, and everything already decided, are left for a person."""
    if unit.decided:
        return None
    if mode == "unanimous":
        if unit.state != AGREED or len(unit.annotators) < min_annotators:
            return None
        return _take(unit, unit.versions[0], "unanimous")
    version = unit.majority(min_annotators)
    if not version:
        return None
    decision = "unanimous" if unit.state == AGREED else "majority"
    if len(unit.entries) == 1:  # one mark: who has it is its entry's mask
        return GoldPlan(unit, decision, ((version[0], unit.having(version[0])),))
    return _take(unit, version, decision)


def _describe(version: tuple[Mark, ...]) -> str:
    return " + ".join(f"{m[2]} {m[0]}-{m[1]}" for m in version)
