"""Agreement arithmetic on hand-computed cases (the arithmetic is written beside each figure)."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from annotator.core.agreement import (
    AgreementTally, ClaimMark, Layer, attribute_means, claimants_agree, cohen_kappa, cues_agree, exact_matches, f1,
    mean, relaxed_pairs, token_labels,
)

PER, ORG, GPE = "PERSON", "ORG", "GPE"


def test_agreement_exact_f1_per_label_and_micro():
    a = [(0, 5, PER), (10, 15, ORG), (20, 25, PER)]
    b = [(0, 5, PER), (10, 15, PER), (30, 35, GPE)]
    tally = AgreementTally(["alice", "bob"], [PER, ORG, GPE])
    tally.add_document([], [], {"alice": Layer(tuple(a)), "bob": Layer(tuple(b))})
    [pair] = tally.figures().entity_pairs
    # only (0, 5, PERSON) is equal in start, end and label: 2·1 / (3 + 3) = 1/3
    assert (pair.matched_exact, pair.count_a, pair.count_b) == (1, 3, 3)
    assert pair.exact_f1 == pytest.approx(1 / 3)
    labels = {f.label: f for f in pair.labels}
    # PERSON: a has 2, b has 2 (0-5 and 10-15), 1 equal: 2·1 / 4 = 0.5
    assert (labels[PER].a, labels[PER].b, labels[PER].exact_f1) == (2, 2, 0.5)
    # ORG: 1 vs 0, GPE: 0 vs 1: nothing matched, F1 0 (not undefined: one side has spans)
    assert (labels[ORG].exact_f1, labels[GPE].exact_f1) == (0.0, 0.0)
    # the relaxed rule needs the same label too: 10-15 ORG vs 10-15 PERSON stays unmatched
    assert pair.relaxed_f1 == pytest.approx(1 / 3)


def test_agreement_f1_is_undefined_when_both_are_empty():
    assert f1(0, 0, 0) is None
    assert f1(0, 0, 4) == 0.0
    assert f1(3, 3, 3) == 1.0


def test_agreement_exact_matches_count_each_span_once():
    assert exact_matches([(0, 1, PER), (0, 1, PER)], [(0, 1, PER)]) == 1


def test_agreement_relaxed_takes_the_largest_overlap_first():
    # (0,10) overlaps (2,8) by 6 and (5,12) by 5: it takes (2,8); (5,12) stays unmatched.
    assert relaxed_pairs([(0, 10, PER)], [(2, 8, PER), (5, 12, PER)]) == [(0, 0)]
    # relaxed F1 = 2·1 / (1 + 2) = 2/3
    tally = AgreementTally(["a", "b"], [PER])
    tally.add_document([], [], {"a": Layer(((0, 10, PER),)), "b": Layer(((2, 8, PER), (5, 12, PER)))})
    assert tally.figures().entity_pairs[0].relaxed_f1 == pytest.approx(2 / 3)


def test_agreement_relaxed_ties_go_to_the_smaller_start_difference():
    # (0,10) overlaps (0,4) and (6,10) by 4 each; start differences 0 and 6: (0,4) wins.
    assert relaxed_pairs([(0, 10, PER)], [(6, 10, PER), (0, 4, PER)]) == [(0, 1)]


def test_agreement_relaxed_ties_then_go_to_the_earlier_start():
    # a1=(4,8) overlaps b1=(2,6) and b2=(6,10) by 2, both with start difference 2; a2=(8,12)
    # overlaps b2 by 2 (difference 2). Earlier start (min of the two starts): a1-b1 (2) before
    # a1-b2 (4) before a2-b2 (6): a1-b1, then a2-b2: two matches.
    assert relaxed_pairs([(4, 8, PER), (8, 12, PER)], [(2, 6, PER), (6, 10, PER)]) == [(0, 0), (1, 1)]


def test_agreement_relaxed_needs_one_shared_character():
    assert relaxed_pairs([(0, 5, PER)], [(5, 9, PER)]) == []  # touching is not overlapping
    assert relaxed_pairs([(0, 5, PER)], [(4, 9, PER)]) == [(0, 0)]
    assert relaxed_pairs([(0, 5, PER)], [(4, 9, ORG)]) == []
    assert relaxed_pairs([(0, 5, PER)], [(4, 9, ORG)], same_label=False) == [(0, 0)]


def test_agreement_relaxed_finds_long_spans_that_start_far_before():
    # b's long span starts 100 characters before a's; the bisect window must still reach it.
    assert relaxed_pairs([(100, 105, PER)], [(0, 101, PER), (200, 210, PER)]) == [(0, 0)]


def test_agreement_token_kappa_hand_computed():
    # ten tokens; a: PER PER O O O ORG O O O O; b: PER O O O O ORG ORG O O O
    starts = list(range(0, 20, 2))
    ends = [s + 1 for s in starts]
    a = Layer(((0, 3, PER), (10, 11, ORG)))
    b = Layer(((0, 1, PER), (10, 13, ORG)))
    tally = AgreementTally(["a", "b"], [PER, ORG])
    tally.add_document(starts, ends, {"a": a, "b": b})
    [pair] = tally.figures().entity_pairs
    # agree on 8 of 10 (t0, t5 and six O): po = 0.8
    # margins a: PER 2, O 7, ORG 1; b: PER 1, O 7, ORG 2: pe = (2·1 + 7·7 + 1·2) / 100 = 0.53
    # kappa = (0.8 - 0.53) / (1 - 0.53) = 27/47
    assert pair.kappa_tokens == pytest.approx(27 / 47)
    assert pair.tokens == 10


def test_agreement_token_labels_partial_cover_and_ties():
    codes = {PER: 1, ORG: 2}
    # tokens 0-4, 5-9, 9-10; a span 2-7 covers token 0 and token 1 partly: both covered
    assert token_labels([0, 5, 9], [4, 9, 10], [(2, 7, PER)], codes) == [1, 1, 0]
    # token 4-9: PER 0-6 covers 2 characters, ORG 6-12 covers 3: ORG
    assert token_labels([4], [9], [(0, 6, PER), (6, 12, ORG)], codes) == [2]
    # token 4-8: 2 characters each: the span that starts first
    assert token_labels([4], [8], [(6, 12, ORG), (0, 6, PER)], codes) == [1]


def test_agreement_kappa_is_undefined_when_chance_agreement_is_one():
    assert cohen_kappa({("O", "O"): 5}) is None
    assert cohen_kappa({}) is None
    # one item, two different values: po = 0, pe = 0: kappa 0
    assert cohen_kappa({("x", "y"): 1}) == 0.0


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(st.sampled_from("OPQ"), st.sampled_from("OPQR")), min_size=1, max_size=60))
def test_agreement_kappa_matches_scikit_learn(items):
    from collections import Counter

    from sklearn.metrics import cohen_kappa_score

    ours = cohen_kappa(Counter(items))
    a, b = zip(*items)
    if ours is None:
        # sklearn gives nan (0/0) exactly where kappa is undefined
        assert len(set(a) | set(b)) == 1
        return
    assert ours == pytest.approx(cohen_kappa_score(a, b), abs=1e-12)


def claim(start, end, *, claimant=None, text=None, cue=None, label="CLAIM", **values):
    return ClaimMark(start, end, label, claimant, text, cue, values)


def test_agreement_claims_hand_computed():
    a = (claim(0, 20, claimant=(25, 30), cue=(21, 24), stance="support", certainty="high"),
         claim(40, 60, text="Ministry", stance="oppose"))
    b = (claim(2, 20, claimant=(25, 28), cue=(21, 24), stance="support", certainty="low"),
         claim(45, 70, text="Ministry", cue=(61, 64), stance="support"),
         claim(80, 90))
    tally = AgreementTally(["a", "b"], [], ["CLAIM"], ["stance", "certainty"])
    tally.add_document([], [], {"a": Layer((), a), "b": Layer((), b)})
    [pair] = tally.figures().claim_pairs
    # no content is equal: exact 0 / (2 + 3) = 0
    assert (pair.exact_f1, pair.count_a, pair.count_b) == (0.0, 2, 3)
    # relaxed: 0-20 ~ 2-20 and 40-60 ~ 45-70: 2·2 / 5 = 0.8
    assert (pair.matched, pair.relaxed_f1) == (2, 0.8)
    # claimants: spans 25-30 and 25-28 overlap; free text "Ministry" equal: 2/2
    assert pair.claimant_agreement == 1.0
    # cues: 21-24 both; none vs 61-64: 1/2
    assert pair.cue_agreement == 0.5
    attributes = {f.name: f for f in pair.attributes}
    # stance: (support, support), (oppose, support): agreement 1/2;
    # kappa: N=2, agree=1, margins a {support 1, oppose 1}, b {support 2}: chance = 1·2 = 2,
    # (2·1 - 2) / (2² - 2) = 0
    assert (attributes["stance"].n, attributes["stance"].agreement, attributes["stance"].kappa) == (2, 0.5, 0.0)
    # certainty: only the first matched pair has both values (high, low): n=1, agreement 0
    assert (attributes["certainty"].n, attributes["certainty"].agreement) == (1, 0.0)
    [label] = pair.labels
    assert (label.a, label.b, label.matched_relaxed) == (2, 3, 2)


def test_agreement_claimant_and_cue_rules():
    assert claimants_agree(claim(0, 1), claim(0, 1))  # both none
    assert not claimants_agree(claim(0, 1, text="X"), claim(0, 1))
    assert not claimants_agree(claim(0, 1, claimant=(5, 7)), claim(0, 1, text="X"))
    assert not claimants_agree(claim(0, 1, claimant=(5, 7)), claim(0, 1, claimant=(7, 9)))  # touching only
    assert not claimants_agree(claim(0, 1, text="X"), claim(0, 1, text="Y"))
    assert cues_agree(claim(0, 1), claim(0, 1))
    assert not cues_agree(claim(0, 1, cue=(3, 4)), claim(0, 1))


def test_agreement_overlapping_claims_match_one_to_one():
    # a's two claims overlap each other; b's one claim overlaps both by 25 characters with
    # start difference 5 each: the earlier start (0) wins. 1 matched: 2·1 / 3 = 2/3.
    tally = AgreementTally(["a", "b"], [], ["CLAIM"])
    tally.add_document([], [], {"a": Layer((), (claim(0, 30), claim(10, 40))), "b": Layer((), (claim(5, 35),))})
    [pair] = tally.figures().claim_pairs
    assert (pair.matched, pair.relaxed_f1) == (1, pytest.approx(2 / 3))


def test_agreement_scope_is_documents_both_marked_done():
    tally = AgreementTally(["alice", "bob", "carol"], [PER])
    span = Layer(((0, 1, PER),))
    tally.add_document([0], [1], {"alice": span, "bob": span, "carol": span})
    tally.add_document([0, 2], [1, 3], {"alice": span, "bob": Layer()})
    tally.add_document([0], [1], {"carol": span})  # only carol finished: in no pair, no unit of alpha
    tally.add_document([0], [1], {})
    figures = tally.figures()
    documents = {(p.a, p.b): p.documents for p in figures.entity_pairs}
    assert documents == {("alice", "bob"): 2, ("alice", "carol"): 1, ("bob", "carol"): 1}
    assert (figures.documents, figures.tokens) == (2, 3)
    ab = figures.entity_pairs[0]
    # alice has the span twice, bob once: exact 2·1 / (2 + 1) = 2/3
    assert (ab.count_a, ab.count_b, ab.exact_f1) == (2, 1, pytest.approx(2 / 3))
    # alpha's units: doc 1's token got PER from three; doc 2: (PER, O) and (O, O)
    assert figures.alpha_units == {(1, 1, 1): 1, (0, 1): 1, (0, 0): 1}
    # the mean over the three pairs: (2/3 + 1 + 1) / 3
    assert figures.entity_mean["exact_f1"] == pytest.approx((2 / 3 + 1 + 1) / 3)


def test_agreement_one_annotator_has_no_pairs():
    tally = AgreementTally(["alice"], [PER], ["CLAIM"], ["stance"])
    tally.add_document([0], [1], {"alice": Layer(((0, 1, PER),))})
    figures = tally.figures()
    assert (figures.entity_pairs, figures.claim_pairs, figures.documents, figures.alpha_units) == ((), (), 0, {})
    assert set(figures.entity_mean.values()) == {None}
    assert attribute_means(figures.claim_pairs) == {}


def test_agreement_empty_layers_are_undefined_not_perfect():
    tally = AgreementTally(["a", "b"], [PER], ["CLAIM"], ["stance"])
    tally.add_document([0, 2], [1, 3], {"a": Layer(), "b": Layer()})
    figures = tally.figures()
    [pair] = figures.entity_pairs
    # nothing tagged: F1 is 0/0, kappa is 0/0 (every token O for both)
    assert (pair.exact_f1, pair.relaxed_f1, pair.kappa_tokens, pair.tokens) == (None, None, None, 2)
    [claims] = figures.claim_pairs
    assert (claims.relaxed_f1, claims.claimant_agreement, claims.matched) == (None, None, 0)
    assert [(f.n, f.agreement, f.kappa) for f in claims.attributes] == [(0, None, None)]


def test_agreement_mean_skips_undefined_pairs():
    assert mean([0.5, None, 1.0]) == 0.75
    assert mean([None]) is None


def test_agreement_annotators_must_be_distinct():
    with pytest.raises(ValueError):
        AgreementTally(["a", "a"], [PER])
