"""core.team: refs for namesakes, the split plan, scheme comparison; core.layer_merge: the planner."""

from __future__ import annotations

import pytest

from annotator.core.layer_merge import LayerContent, MergePlanner
from annotator.core.model import ClaimAttribute, Label, Scheme
from annotator.core.team import annotator_refs, compare_schemes, plan_split


def test_team_refs_are_names_unless_shared():
    refs = annotator_refs([("aaaaaaaa-1111", "alex"), ("aaaaaaaa-2222", "alex"), ("bbbb", "bo")])
    assert refs == {"aaaaaaaa-1111": "alex#aaaaaaaa1111", "aaaaaaaa-2222": "alex#aaaaaaaa2222", "bbbb": "bo"}
    assert annotator_refs([("12345678-aaaa", "x"), ("87654321-aaaa", "x")]) == {
        "12345678-aaaa": "x#12345678", "87654321-aaaa": "x#87654321"}


@pytest.mark.parametrize("people, overlap, overlap_docs, per_doc", [
    (["a", "b", "c"], 0.2, None, 1), (["a", "b", "c"], None, 7, 2), (["a", "b"], 0.0, None, 2), (["a"], None, None, 1),
])
def test_team_plan_split_shares_overlap_and_spreads_the_rest_evenly(people, overlap, overlap_docs, per_doc):
    docs = list(range(100, 150))
    plan = plan_split(docs, people, overlap=overlap, overlap_docs=overlap_docs, per_doc=per_doc, seed=4)
    shared = set.intersection(*(set(ids) for ids in plan.values()))
    expected_shared = overlap_docs if overlap_docs is not None else round((overlap or 0) * 50)
    if len(people) > per_doc:
        assert len(shared) == expected_shared
    rest = 50 - expected_shared
    sizes = [len(ids) - expected_shared for ids in plan.values()]
    assert sum(sizes) == rest * per_doc and max(sizes) - min(sizes) <= 1
    assert all(ids == sorted(ids) for ids in plan.values())  # in document order
    assert set().union(*plan.values()) == set(docs)
    assert plan == plan_split(docs, people, overlap=overlap, overlap_docs=overlap_docs, per_doc=per_doc, seed=4)


def test_team_plan_split_seed_changes_the_draw():
    docs = list(range(40))
    assert plan_split(docs, ["a", "b"], overlap=0.5, seed=1) != plan_split(docs, ["a", "b"], overlap=0.5, seed=2)


@pytest.mark.parametrize("kwargs, message", [
    ({"annotators": []}, "at least one annotator"),
    ({"annotators": ["a", "a"]}, "annotator a is named twice"),
    ({"annotators": ["a", " b"]}, "must not start or end with white space"),
    ({"overlap": 1.5}, "between 0 and 1"),
    ({"overlap_docs": 11}, "between 0 and 10 documents"),
    ({"overlap": 0.1, "overlap_docs": 1}, "not both"),
    ({"per_doc": 3}, "between 1 and 2"),
])
def test_team_plan_split_refuses_options_that_do_not_fit(kwargs, message):
    args = {"annotators": ["a", "b"], **kwargs}
    with pytest.raises(ValueError, match=message):
        plan_split(list(range(10)), args.pop("annotators"), **args)


def test_team_compare_schemes_names_what_is_missing_and_what_conflicts():
    target = Scheme((Label("PERSON"), Label("CUE", "role")), (ClaimAttribute("stance", choices=("a", "b")),))
    source = Scheme((Label("PERSON", "claim"), Label("ORG"), Label("CUE", "role")),
                    (ClaimAttribute("stance", choices=("a", "c")), ClaimAttribute("note", kind="text")))
    difference = compare_schemes(target, source)
    assert difference.conflicts == ["label PERSON is a entity label here and a claim label there"]
    assert difference.missing == ["label ORG (entity)", "claim attribute note", "choice 'c' of claim attribute stance"]
    assert not compare_schemes(source, source)


def _span(i, start, end, label=1, state="accepted"):
    return (i, start, end, label, "t", "manual", state, "c", "u")


def test_layer_merge_planner_pairs_by_content_and_keeps_the_rest():
    planner = MergePlanner(next_span_id=100, next_claim_id=50)
    source = LayerContent(spans=[_span(1, 0, 3), _span(2, 5, 9), _span(3, 5, 9), _span(4, 10, 12, 2)],
                          claims=[(7, 4, 1, None, None, 2, "c", "u", (("stance", "a"),))],
                          doc_labels=[(9, "c")])
    target = LayerContent(spans=[_span(11, 0, 3), _span(12, 5, 9, state="rejected"), _span(13, 20, 22)],
                          doc_labels=[(8, "c")])
    planner.layer(1, 5, source, target)
    planner.links({}, lambda doc, key: None)
    ops = planner.ops
    assert planner.span_map == {1: 11, 2: 12, 3: 100, 4: 101}  # two alike at 5-9: paired in a fixed order
    assert ops.span_deletes == [13] and [row[0] for row in ops.span_inserts] == [100, 101]
    assert ops.span_updates == [("t", "manual", "accepted", "c", "u", 12)]
    assert ops.claim_inserts == [(50, 101, 11, None, None, 12, "c", "u")]
    assert ops.value_rows == [(50, "stance", "a")]
    assert ops.doc_label_inserts == [(1, 9, 5, "c")] and ops.doc_label_deletes == [(1, 8, 5)]
    again = MergePlanner(200, 60)
    again.layer(1, 5, source, source)
    again.links({}, lambda doc, key: None)
    assert not again.ops
