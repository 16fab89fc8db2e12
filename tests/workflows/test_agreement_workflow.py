"""compute_agreement on a real project file with spaCy's tokenizer: figures computed by hand."""

from __future__ import annotations

import pytest
from agreement_projects import TEXTS, build, offsets

from annotator.nlp.chunked import word_bounds
from annotator.store import Project
from annotator.workflows.agreement import AgreementError, AgreementOptions, compute_agreement

KAPPA_AB = 401 / 533


@pytest.fixture
def project(tmp_path):
    path = tmp_path / "team.annotator"
    build(path)
    with Project.open(path) as opened:
        yield opened


def test_agreement_workflow_alice_and_bob_by_hand(project):
    result = compute_agreement(project, AgreementOptions(annotators=("alice", "bob")))
    figures = result.figures
    assert (figures.documents, figures.tokens) == (3, 18 + 10 + 5)
    [pair] = figures.entity_pairs
    # 6 spans each; equal: Ana Ruiz, Radio Norte, Pedro Alves, Friday: 2·4 / 12
    assert (pair.count_a, pair.count_b, pair.matched_exact) == (6, 6, 4)
    assert pair.exact_f1 == pytest.approx(2 / 3)
    # Lima GPE/LOC and Lisbon Port Authority ORG / Lisbon GPE differ in label: no relaxed match either
    assert pair.relaxed_f1 == pytest.approx(2 / 3)
    labels = {f.label: f for f in pair.labels}
    assert labels["PERSON"].exact_f1 == 1.0
    assert labels["ORG"].exact_f1 == pytest.approx(2 / 3)  # a 2, b 1, 1 equal
    assert labels["NORP"].exact_f1 is None
    # 33 tokens, 29 agree (Lima; Lisbon, Port, Authority differ). Margins a: PER 4, ORG 5, GPE 1,
    # DATE 1, O 22; b: PER 4, ORG 2, LOC 1, GPE 1, DATE 1, O 24. Chance: 16 + 10 + 1 + 1 + 528 = 556.
    # kappa = (33·29 - 556) / (33² - 556) = 401 / 533
    assert pair.kappa_tokens == pytest.approx(KAPPA_AB)
    [claims] = figures.claim_pairs
    # "the clinic would close" vs "clinic would close": exact 0 / 2, relaxed 2·1 / 2
    assert (claims.exact_f1, claims.relaxed_f1, claims.matched) == (0.0, 1.0, 1)
    # claimants: both linked "Ana Ruiz" (each their own span): agree; cue: told vs none
    assert (claims.claimant_agreement, claims.cue_agreement) == (1.0, 0.0)
    stance = next(a for a in claims.attributes if a.name == "stance")
    assert (stance.n, stance.agreement, stance.kappa) == (1, 0.0, 0.0)


def test_agreement_workflow_token_kappa_matches_scikit_learn_over_spacy_tokens(project):
    from sklearn.metrics import cohen_kappa_score

    def labels(spans):
        out = []
        for doc, text in enumerate(TEXTS):
            starts, ends = word_bounds(text, "en")
            ranges = [(*offsets(d, surface), label) for d, surface, label in spans if d == doc]
            out += [next((lab for s, e, lab in ranges if s < b and a < e), "O") for a, b in zip(starts, ends)]
        return out

    from agreement_projects import SPANS

    expected = cohen_kappa_score(labels(SPANS["alice"]), labels(SPANS["bob"]))
    result = compute_agreement(project, AgreementOptions(annotators=("alice", "bob")))
    assert result.figures.entity_pairs[0].kappa_tokens == pytest.approx(expected, abs=1e-12)
    assert expected == pytest.approx(KAPPA_AB)


def test_agreement_workflow_tokenizes_each_document_once(project):
    calls = []

    def tokenize(text, language):
        calls.append(text)
        return word_bounds(text, language)

    compute_agreement(project, tokenize=tokenize)
    assert sorted(calls) == sorted(set(calls))


def test_agreement_workflow_label_filter(project):
    result = compute_agreement(project, AgreementOptions(annotators=("alice", "bob"), labels=("PERSON",)))
    [pair] = result.figures.entity_pairs
    assert (pair.count_a, pair.count_b, pair.exact_f1) == (2, 2, 1.0)
    assert result.claim_labels == () and result.figures.claim_pairs[0].relaxed_f1 is None
    # every non-PERSON token is O for both: 4 PER tokens each, all agree: kappa 1
    assert pair.kappa_tokens == 1.0


@pytest.mark.parametrize("options, message", [
    (AgreementOptions(annotators=("alice",)), "at least two"),
    (AgreementOptions(annotators=("alice", "zoe")), "no annotator named 'zoe'"),
    (AgreementOptions(annotators=("alice", "alice")), "twice"),
    (AgreementOptions(labels=("NOPE",)), "no label 'NOPE'"),
    (AgreementOptions(labels=("CUE",)), "CUE is a role label"),
])
def test_agreement_workflow_refuses_bad_choices(project, options, message):
    with pytest.raises(AgreementError, match=message):
        compute_agreement(project, options)


def test_agreement_workflow_needs_two_layers(tmp_path):
    path = tmp_path / "solo.annotator"
    build(path, spans={"alice": [(1, "Friday", "DATE")]}, claims={}, done={"alice": (1,)})
    with Project.open(path) as opened, pytest.raises(AgreementError, match="this project has: alice"):
        compute_agreement(opened)


def test_agreement_workflow_reports_progress_and_cancels(project):
    from annotator.workflows.agreement import AgreementCancelled

    seen = []
    compute_agreement(project, progress=lambda done, total: seen.append((done, total)))
    assert seen[-1][0] == seen[-1][1]
    with pytest.raises(AgreementCancelled):
        compute_agreement(project, should_stop=lambda: True)


def test_agreement_workflow_three_annotators_each_with_their_own_done_documents(project):
    figures = compute_agreement(project).figures
    # carol marked only document 0 done: her span in document 1 never counts
    assert figures.annotators == ("alice", "bob", "carol")
    pairs = {(p.a, p.b): p for p in figures.entity_pairs}
    assert {k: p.documents for k, p in pairs.items()} == {("alice", "bob"): 3, ("alice", "carol"): 1,
                                                         ("bob", "carol"): 1}
    ac, bc = pairs[("alice", "carol")], pairs[("bob", "carol")]
    # alice 3 spans, carol 2: Lima GPE equal; Ana Ruiz ~ Dr Ana Ruiz relaxed. exact 2/5, relaxed 4/5
    assert (ac.count_a, ac.count_b, ac.exact_f1, ac.relaxed_f1) == (3, 2, 0.4, 0.8)
    # 18 tokens, 15 agree (Dr, Radio, Norte differ); margins a: PER 2, ORG 2, GPE 1, O 13;
    # c: PER 3, GPE 1, O 14; chance 2·3 + 1·1 + 13·14 = 189: (18·15 - 189) / (18² - 189) = 81/135
    assert (ac.tokens, ac.kappa_tokens) == (18, pytest.approx(0.6))
    # bob: Lima is LOC: exact 0; relaxed Ana Ruiz only: 2/5; 14 agree, chance 2·3 + 13·14 = 188:
    # (18·14 - 188) / (324 - 188) = 64/136
    assert (bc.exact_f1, bc.relaxed_f1, bc.kappa_tokens) == (0.0, 0.4, pytest.approx(8 / 17))
    assert figures.entity_mean["exact_f1"] == pytest.approx((2 / 3 + 0.4 + 0) / 3)
    assert figures.entity_mean["relaxed_f1"] == pytest.approx((2 / 3 + 0.8 + 0.4) / 3)
    assert figures.entity_mean["kappa_tokens"] == pytest.approx((KAPPA_AB + 0.6 + 8 / 17) / 3)
    assert (figures.documents, figures.tokens) == (3, 33)


def test_agreement_workflow_alpha_against_a_hand_built_reliability_matrix(project):
    import krippendorff
    import numpy as np

    n = np.nan
    # token by token (the spaCy tokens listed in agreement_projects), O=0 PERSON=1 ORG=2 GPE=3 LOC=4 DATE=6;
    # carol did not mark documents 1 and 2 done: missing there, not O
    doc0 = [[0, 0, 0, 0, 0, 1, 1, 0, 2, 2, 0, 3, 0, 0, 0, 0, 0, 0],
            [0, 0, 0, 0, 0, 1, 1, 0, 2, 2, 0, 4, 0, 0, 0, 0, 0, 0],
            [0, 0, 0, 0, 1, 1, 1, 0, 0, 0, 0, 3, 0, 0, 0, 0, 0, 0]]
    doc1 = [[1, 1, 0, 0, 2, 2, 2, 0, 6, 0], [1, 1, 0, 0, 3, 0, 0, 0, 6, 0], [n] * 10]
    doc2 = [[0] * 5, [0] * 5, [n] * 5]
    matrix = [a + b + c for a, b, c in zip(doc0, doc1, doc2)]
    expected = krippendorff.alpha(reliability_data=matrix, level_of_measurement="nominal")
    result = compute_agreement(project)
    assert result.figures.tokens == len(matrix[0]) == 33
    assert result.alpha_tokens == pytest.approx(expected, abs=1e-12)


def test_agreement_workflow_namesakes_need_their_refs(tmp_path):
    path = tmp_path / "namesakes.annotator"
    build(path, spans={}, claims={}, done={})
    with Project.open(path) as opened:
        first = opened.add_annotator("alex")
        second = opened.add_annotator("alex")
        doc = opened.document_summaries(0, 1)[0].id
        for who in (first, second):
            opened.add_span(doc, 8, 16, "PERSON", annotator=who.uuid)
            opened.set_status(doc, "done", annotator=who.uuid)
        with pytest.raises(AgreementError, match="2 annotators are called 'alex'"):
            compute_agreement(opened, AgreementOptions(annotators=("alex", "alex")))
        refs = tuple(a.ref for a in opened.annotator_list())
        result = compute_agreement(opened, AgreementOptions(annotators=refs))
        assert result.annotators == refs and all("#" in ref for ref in refs)
        assert result.figures.entity_pairs[0].exact_f1 == 1.0
        assert compute_agreement(opened).annotators == refs  # default: everyone with a layer
