"""Decision plans (what a unit's gold becomes) and review --auto's choice per unit."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from annotator.core.review import (
    DOC, ENTITY, GROUPS, ReviewLayer, claim_mark, document_units, gold_entries, layer_entries, units_from_entries,
)
from annotator.core.review_auto import auto_document, source
from annotator.core.review_decisions import (
    NoDecision, accept_agreed, accept_majority, accept_version, auto_plan, choose_field, reject,
)

NAMES = ("a", "b", "c")


def units_of(**layers):
    return document_units(NAMES, {name: ReviewLayer(tuple((k, i, False) for i, k in enumerate(keys)))
                                  for name, keys in layers.items()})


def claims_of(**layers):
    return document_units(NAMES, {name: ReviewLayer(claim=tuple((c, i, False) for i, c in enumerate(claims)))
                                  for name, claims in layers.items()})


def test_review_accept_version_takes_that_annotators_marks_with_who_had_them():
    unit = units_of(a=[(0, 5, "ORG")], b=[(0, 5, "GPE")], c=[(0, 5, "ORG")])[0]
    plan = accept_version(unit, "b")
    assert plan.decision == "annotator" and plan.add == (((0, 5, "GPE"), ("b",)),) and plan.reject is None
    assert accept_version(unit, "a").add == (((0, 5, "ORG"), ("a", "c")),)


def test_review_accept_version_of_someone_who_lacks_it_rejects():
    unit = units_of(a=[(0, 5, "ORG")], b=[], c=[])[0]
    plan = accept_version(unit, "b")
    assert plan.add == () and plan.reject == ((0, 5, "ORG"), ("b", "c"))


def test_review_accept_majority_and_reject():
    unit = units_of(a=[(0, 5, "ORG")], b=[(1, 5, "ORG")], c=[(0, 5, "ORG")])[0]
    assert accept_majority(unit).add == (((0, 5, "ORG"), ("a", "c")),)
    assert reject(unit).reject == ((0, 5, "ORG"), ())
    lacking = units_of(a=[(0, 5, "ORG")], b=[], c=[])[0]
    assert accept_majority(lacking).reject is not None


def test_review_no_majority_is_refused_with_the_versions():
    unit = units_of(a=[(0, 5, "ORG")], b=[(0, 5, "GPE")], c=[(0, 5, "LOC")])[0]
    with pytest.raises(NoDecision, match="no majority here"):
        accept_majority(unit)


def test_review_claim_majority_is_built_field_by_field():
    x = claim_mark(10, 30, "CLAIM", (0, 5, "PERSON"), None, (6, 9, "CUE"), {"stance": "asserts"})
    y = claim_mark(10, 30, "CLAIM", (0, 5, "PERSON"), None, (6, 9, "CUE"), {"stance": "hedges"})
    z = claim_mark(10, 30, "CLAIM", (40, 45, "ORG"), None, None, {"stance": "asserts"})
    unit = claims_of(a=[x], b=[y], c=[z])[0]
    plan = accept_majority(unit)
    assert plan.decision == "majority" and plan.add == ((x, ("a",)),)


def test_review_choose_field_changes_one_field_of_gold():
    x = claim_mark(10, 30, "CLAIM", (0, 5, "PERSON"), None, None, {"stance": "asserts"})
    y = claim_mark(10, 30, "CLAIM", None, "Reuters", None, {"stance": "hedges"})
    gold = ReviewLayer(claim=((x, 50, False),))
    unit = document_units(("a", "b"), {"a": ReviewLayer(claim=((x, 1, False),)),
                                       "b": ReviewLayer(claim=((y, 2, False),))}, gold)[0]
    plan = choose_field(unit, "attribute:stance", "b")
    assert plan.decision == "fields" and plan.remove == (50,)
    assert plan.add == ((claim_mark(10, 30, "CLAIM", (0, 5, "PERSON"), None, None, {"stance": "hedges"}), ()),)
    assert choose_field(unit, "claimant", "b").add[0][0][3:5] == (None, "Reuters")
    undecided = claims_of(a=[x], b=[y])[0]
    with pytest.raises(NoDecision, match="decide the claim first"):
        choose_field(undecided, "cue", "a")


def test_review_accept_agreed_only_for_agreed_units():
    agreed, conflict = units_of(a=[(0, 5, "ORG"), (9, 12, "GPE")], b=[(0, 5, "ORG"), (9, 12, "LOC")],
                                c=[(0, 5, "ORG"), (9, 12, "GPE")])
    assert accept_agreed(agreed).decision == "unanimous"
    assert accept_agreed(conflict) is None


@pytest.mark.parametrize("mode, minimum, expected", [
    ("unanimous", 2, [(0, 5, "ORG")]),
    ("majority", 2, [(0, 5, "ORG"), (9, 12, "GPE"), (20, 25, "DATE")]),
    ("majority", 3, [(0, 5, "ORG")]),
])
def test_review_auto_plan(mode, minimum, expected):
    units = units_of(a=[(0, 5, "ORG"), (9, 12, "GPE"), (20, 25, "DATE"), (30, 35, "LOC")],
                     b=[(0, 5, "ORG"), (9, 12, "LOC"), (20, 25, "DATE")],
                     c=[(0, 5, "ORG"), (9, 12, "GPE")])
    plans = [auto_plan(u, mode, minimum) for u in units]
    assert [p.add[0][0] for p in plans if p] == expected


# ------------------------------------------------------------------ the auto shortcut agrees with the units
marks = st.tuples(st.integers(0, 30), st.integers(1, 6), st.sampled_from(["ORG", "GPE"])).map(
    lambda t: (t[0], t[0] + t[1], t[2]))
layers = st.lists(marks, max_size=5, unique=True)


@settings(max_examples=300, deadline=None)
@given(st.lists(layers, min_size=1, max_size=4), st.lists(marks, max_size=2, unique=True),
       st.sampled_from(["unanimous", "majority"]), st.integers(1, 3))
def test_review_auto_document_agrees_with_units_and_auto_plan(annotator_layers, gold_marks, mode, minimum):
    names = tuple(f"n{i}" for i in range(len(annotator_layers)))
    review = {name: ReviewLayer(tuple((m, 1000 * i + k, False) for k, m in enumerate(marks_)))
              for i, (name, marks_) in enumerate(zip(names, annotator_layers))}
    gold = ReviewLayer(tuple((m, 9000 + k, k % 2 == 1) for k, m in enumerate(gold_marks)))
    groups = {group: (layer_entries(names, review, group), gold_entries(gold, group)) for group in GROUPS}
    units = units_from_entries(names, groups)
    expected_copies, expected_left = [], 0
    for unit in units:
        if unit.decided:
            continue
        plan = auto_plan(unit, mode, minimum)
        if plan is None:
            expected_left += 1
        else:
            expected_copies.extend((m, who, source(unit, m)) for m, who in plan.add)
    outcome = auto_document(names, groups, mode, minimum)
    assert sorted(m for copy in outcome.copies for m in copy[3]) == sorted(expected_copies)
    assert outcome.units_left == expected_left
    assert outcome.decided_before == sum(1 for unit in units if unit.decided)
    assert all(copy[0] in (ENTITY, DOC) for copy in outcome.copies)
