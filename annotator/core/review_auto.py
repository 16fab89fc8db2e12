"""``review --auto`` for one document: which units go to gold and how many are left.

The same decision as ``review_decisions.auto_plan`` over ``review.units_from_entries``, with
one shortcut: a unit of one mark and no gold (most units: everyone tagged the same thing, or
some did and the rest did not) is decided from its entry's bit mask, without building a
``Unit``. tests/core/test_review_auto.py checks both ways agree on random documents.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field

from .review import (
    AGREED, DOC, GROUPS, MISSING, UNDECIDED, Entry, Mark, Unit, entry_position, label_groups, make_unit, overlap_chains,
    who,
)
from .review_decisions import auto_plan

# One unit's copy: (group, state before, decision, ((mark, who had it, span id to copy), ...)).
Copy = tuple[str, str, str, tuple[tuple[Mark, tuple[str, ...], int | None], ...]]


@dataclass
class Outcome:
    """What ``review --auto`` does with one document."""

    copies: list[Copy] = field(default_factory=list)
    left: Counter = field(default_factory=Counter)  # units left for a person, by state
    decided_before: int = 0

    @property
    def units_left(self) -> int:
        return sum(self.left.values())


def auto_document(annotators: tuple[str, ...], groups: Mapping[str, tuple[list[Entry], list[Entry]]], mode: str,
                  min_annotators: int) -> Outcome:
    """The copies ``mode`` (unanimous | majority) makes for one document and the units left."""
    outcome = Outcome()
    n = len(annotators)
    unanimous = mode == "unanimous"
    copies, left = outcome.copies, outcome.left
    single: dict[int, tuple] = {}  # a lone mark's decision by its bit mask (a few masks per document)
    for group in GROUPS:
        entries, gold = groups.get(group, ((), ()))
        if not entries and not gold:
            continue
        items = [*entries, *gold]
        items.sort(key=entry_position)
        for component in label_groups(items) if group == DOC else overlap_chains(items):
            if len(component) == 1 and component[0][3]:
                _, _, mark, mask, ids, _ = component[0]
                decision = single.get(mask)
                if decision is None:
                    decision = single[mask] = _single(annotators, mask, unanimous, min_annotators)
                if decision[0]:
                    copies.append((group, decision[1], decision[2], ((mark, decision[3], ids[0]),)))
                else:
                    left[decision[1]] += 1
                continue
            unit = make_unit(group, annotators, n, component)
            if unit.state not in UNDECIDED:
                outcome.decided_before += 1
                continue
            plan = auto_plan(unit, mode, min_annotators)
            if plan is None:
                outcome.left[unit.state] += 1
            else:
                outcome.copies.append((group, unit.state, plan.decision,
                                       tuple((mark, having, source(unit, mark)) for mark, having in plan.add)))
    return outcome


def _single(annotators: tuple[str, ...], mask: int, unanimous: bool, min_annotators: int) -> tuple:
    """(copied?, state, decision, who had it) of a unit of one mark held by ``mask``."""
    n = len(annotators)
    have = mask.bit_count()
    state = AGREED if have == n else MISSING
    copied = (state == AGREED and n >= min_annotators) if unanimous else (2 * have > n and have >= min_annotators)
    return (copied, state, "unanimous" if state == AGREED else "majority", who(annotators, mask))


def source(unit: Unit, mark: Mark) -> int | None:
    """The span id of one annotator's copy of ``mark`` in the unit (what gold copies)."""
    for entry in unit.entries:
        if entry[2] == mark:
            return entry[4][0]
    return None
