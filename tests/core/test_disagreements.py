"""The units a disagreements list shows: each difference once, under its most specific kind."""

from __future__ import annotations

from annotator.core.agreement import ClaimMark, Layer
from annotator.core.disagreements import disagreements


def kinds(found):
    return [(d.layer, d.kind, d.span_a, d.span_b) for d in found]


def test_disagreements_entity_kinds_in_text_order():
    a = Layer(((0, 5, "PERSON"), (10, 15, "ORG"), (20, 30, "GPE"), (40, 45, "DATE"), (60, 65, "LOC")))
    b = Layer(((0, 5, "PERSON"), (10, 15, "GPE"), (22, 30, "GPE"), (41, 47, "MONEY"), (70, 75, "ORG")))
    assert kinds(disagreements(1, "a", a, "b", b)) == [
        ("entity", "label", (10, 15, "ORG"), (10, 15, "GPE")),
        ("entity", "boundaries", (20, 30, "GPE"), (22, 30, "GPE")),
        ("entity", "label_and_boundaries", (40, 45, "DATE"), (41, 47, "MONEY")),
        ("entity", "missing", (60, 65, "LOC"), None),
        ("entity", "missing", None, (70, 75, "ORG")),
    ]


def test_disagreements_none_when_layers_are_equal():
    layer = Layer(((0, 5, "PERSON"),), (ClaimMark(0, 9, "CLAIM", (0, 5), None, None, {"stance": "x"}),))
    assert disagreements(1, "a", layer, "b", layer) == []


def test_disagreements_claim_parts():
    x = ClaimMark(10, 30, "CLAIM", claimant=(0, 5), cue=(6, 9), values={"stance": "support", "certainty": "high"})
    y = ClaimMark(12, 30, "CLAIM", claimant_text="the ministry", cue=None, values={"stance": "oppose"})
    found = disagreements(7, "alice", Layer((), (x,)), "bob", Layer((), (y,)))
    assert [(d.kind, d.value_a, d.value_b, d.attribute) for d in found] == [
        ("boundaries", None, None, None),
        ("claimant", (0, 5), "the ministry", None),
        ("cue", (6, 9), None, None),
        ("attribute", "high", None, "certainty"),
        ("attribute", "support", "oppose", "stance"),
    ]
    assert {(d.doc_id, d.a, d.b, d.layer) for d in found} == {(7, "alice", "bob", "claim")}


def test_disagreements_missing_claim_and_other_claim_label():
    x = ClaimMark(0, 10, "CLAIM")
    y = ClaimMark(0, 10, "RUMOUR")
    z = ClaimMark(50, 60, "CLAIM")
    found = disagreements(1, "a", Layer((), (x, z)), "b", Layer((), (y,)))
    assert kinds(found) == [("claim", "label", (0, 10, "CLAIM"), (0, 10, "RUMOUR")),
                            ("claim", "missing", (50, 60, "CLAIM"), None)]
