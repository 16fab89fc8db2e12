"""Review units: components of overlapping marks, each annotator's version, states, majority."""

from __future__ import annotations

import pytest

from annotator.core.review import (
    AGREED, CONFLICT, DECIDED, MISSING, REJECTED, ReviewLayer, claim_fields, claim_mark, differences,
    document_units, field_majority, field_options, field_value, with_field,
)

NAMES = ("a", "b", "c")


def layer(*keys, claims=(), docs=()):
    return ReviewLayer(tuple((k, i, False) for i, k in enumerate(keys)), tuple((c, 100 + i, False)
                                                                               for i, c in enumerate(claims)),
                       (), tuple(((0, 0, name), None, False) for name in docs))


def states(units):
    return [(u.group, u.start, u.end, u.state, u.differences) for u in units]


def test_review_units_states_in_text_order():
    units = document_units(NAMES, {
        "a": layer((0, 5, "PERSON"), (10, 15, "ORG"), (20, 30, "GPE"), (40, 45, "DATE")),
        "b": layer((0, 5, "PERSON"), (10, 15, "GPE"), (22, 30, "GPE"), (40, 45, "DATE")),
        "c": layer((0, 5, "PERSON"), (10, 15, "ORG"), (20, 30, "GPE"), (50, 55, "LOC")),
    })
    assert states(units) == [
        ("entity", 0, 5, AGREED, ()),
        ("entity", 10, 15, CONFLICT, ("label",)),
        ("entity", 20, 30, CONFLICT, ("boundaries",)),
        ("entity", 40, 45, MISSING, ("missing",)),
        ("entity", 50, 55, MISSING, ("missing",)),
    ]
    assert units[1].majority() == ((10, 15, "ORG"),)
    assert units[1].holders(((10, 15, "ORG"),)) == ("a", "c")
    assert units[3].majority() == ((40, 45, "DATE"),)  # two of three have it
    assert units[4].majority() == ()  # two of three lack it
    assert units[4].lacking == ("a", "b")


def test_review_touching_spans_are_two_units_and_a_split_is_one_version():
    units = document_units(("a", "b"), {"a": layer((0, 3, "PERSON"), (4, 8, "PERSON")), "b": layer((0, 8, "PERSON"))})
    assert len(units) == 1
    assert units[0].versions == (((0, 3, "PERSON"), (4, 8, "PERSON")), ((0, 8, "PERSON"),))
    assert units[0].differences == ("boundaries",)
    touching = document_units(("a",), {"a": layer((0, 3, "PERSON"), (3, 8, "ORG"))})
    assert [(u.start, u.end) for u in touching] == [(0, 3), (3, 8)]


def test_review_chains_join_overlapping_marks_of_different_annotators():
    units = document_units(("a", "b"), {"a": layer((0, 5, "ORG"), (6, 10, "ORG")), "b": layer((3, 8, "ORG"))})
    assert [(u.start, u.end, u.state) for u in units] == [(0, 10, CONFLICT)]


def test_review_gold_decides_and_rejects_units():
    gold = ReviewLayer(((((0, 5, "PERSON")), 7, False), ((20, 30, "GPE"), 8, True), ((60, 70, "ORG"), 9, False)))
    units = document_units(("a", "b"), {"a": layer((0, 5, "PERSON"), (22, 30, "GPE")), "b": layer((1, 5, "PERSON"))},
                           gold)
    assert states(units)[0][3] == DECIDED and units[0].gold == ((0, 5, "PERSON"),) and units[0].gold_ids == (7,)
    assert units[1].state == REJECTED and units[1].rejected_ids == (8,)
    assert units[2].state == DECIDED and units[2].versions == ((), ())  # gold's own addition


def test_review_no_majority_when_versions_split():
    units = document_units(NAMES, {"a": layer((0, 5, "PERSON")), "b": layer((0, 5, "ORG")), "c": layer((0, 5, "GPE"))})
    assert units[0].majority() is None
    assert units[0].majority(min_annotators=1) is None


@pytest.mark.parametrize("minimum, expected", [(1, ((0, 5, "PERSON"),)), (2, ((0, 5, "PERSON"),)), (3, None)])
def test_review_majority_needs_min_annotators(minimum, expected):
    units = document_units(NAMES, {"a": layer((0, 5, "PERSON")), "b": layer((0, 5, "PERSON")), "c": layer()})
    assert units[0].majority(minimum) == expected


def test_review_claims_differ_by_field():
    x = claim_mark(10, 30, "CLAIM", (0, 5, "PERSON"), None, (6, 9, "CUE"), {"stance": "asserts", "note": ""})
    y = claim_mark(10, 30, "CLAIM", (0, 5, "PERSON"), None, None, {"stance": "hedges"})
    z = claim_mark(10, 30, "CLAIM", None, "the ministry", (6, 9, "CUE"), {"stance": "asserts"})
    units = document_units(NAMES, {"a": layer(claims=[x]), "b": layer(claims=[y]), "c": layer(claims=[z])})
    assert [u.group for u in units] == ["claim"]
    unit = units[0]
    assert unit.state == CONFLICT
    assert unit.differences == ("claimant", "cue", "attribute:stance")
    assert field_value(x, "claimant") == ((0, 5, "PERSON"), None)
    assert field_value(z, "claimant") == (None, "the ministry")
    assert field_options(unit, "attribute:stance") == [("asserts", ("a", "c")), ("hedges", ("b",))]
    assert field_majority(unit, "claimant") == ((0, 5, "PERSON"), None)
    assert field_majority(unit, "cue") == (6, 9, "CUE")
    assert claim_fields(unit) == ("claimant", "cue", "attribute:stance")
    assert with_field(y, "attribute:stance", "asserts") == claim_mark(10, 30, "CLAIM", (0, 5, "PERSON"), None, None,
                                                                         {"stance": "asserts"})
    assert with_field(x, "claimant", (None, "the ministry"))[3:5] == (None, "the ministry")


def test_review_claim_mark_keeps_free_text_only_without_a_span():
    assert claim_mark(0, 4, "CLAIM", (5, 8, "PERSON"), "ignored")[4] is None
    assert claim_mark(0, 4, "CLAIM", None, "")[4] is None
    assert claim_mark(0, 4, "CLAIM", None, "Reuters")[4] == "Reuters"


def test_review_document_labels_are_units_by_label():
    units = document_units(NAMES, {"a": layer(docs=["URGENT"]), "b": layer(docs=["URGENT", "SPORT"]),
                                   "c": layer(docs=["URGENT"])},
                           ReviewLayer(doc=(((0, 0, "SPORT"), None, True),)))
    by_label = {u.label: u for u in units}
    assert by_label["URGENT"].state == AGREED and by_label["URGENT"].group == "doc"
    assert by_label["SPORT"].state == REJECTED


def test_review_differences_lists_missing_with_a_conflict():
    assert differences("entity", [((0, 5, "ORG"),), ((0, 5, "GPE"),), ()]) == ("label", "missing")
    assert differences("entity", [((0, 5, "ORG"),), ((0, 5, "ORG"),)]) == ()


def test_review_a_participant_without_a_layer_lacks_everything():
    units = document_units(NAMES, {"a": layer((0, 5, "PERSON")), "b": layer((0, 5, "PERSON"))})
    assert units[0].state == MISSING and units[0].lacking == ("c",)


def test_review_ids_follow_the_versions():
    units = document_units(("a", "b"), {"a": ReviewLayer((((0, 5, "PERSON"), 11, False),)),
                                        "b": ReviewLayer((((0, 5, "PERSON"), 12, False),))})
    assert units[0].ids == ((11,), (12,))
    assert units[0].having((0, 5, "PERSON")) == ("a", "b")
    assert units[0].locator == ("entity", 0, 5, "PERSON")


def test_review_distinct_versions_most_holders_first():
    units = document_units(NAMES, {"a": layer((0, 5, "ORG")), "b": layer((0, 5, "GPE")), "c": layer((0, 5, "GPE"))})
    assert units[0].distinct_versions() == [(((0, 5, "GPE"),), ("b", "c")), (((0, 5, "ORG"),), ("a",))]
