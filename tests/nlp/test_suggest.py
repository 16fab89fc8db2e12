"""Suggestion sources: loading pipelines, running them, and the uncertainty measure."""

from __future__ import annotations

import pytest
from suggest_helpers import TEXTS, ruler_pipeline

from annotator.nlp.suggest import (
    SourceSpec,
    SuggestError,
    doc_proposals,
    installed_pipelines,
    load_pipeline,
    make_suggester,
)
from annotator.nlp.uncertainty import document_uncertainty, margin

KINDS = {"PERSON": "entity", "GPE": "entity", "ORG": "entity", "CLAIM": "claim", "CUE": "role"}


@pytest.fixture(scope="module")
def model_dir(tmp_path_factory):
    return ruler_pipeline(tmp_path_factory.mktemp("models") / "ruler")


def test_suggest_pipeline_from_a_folder_proposes_code_point_spans(model_dir):
    suggester = make_suggester(SourceSpec("model", str(model_dir), "ruler"), KINDS, "en")
    [found] = suggester.run([(7, TEXTS[1], [])])
    text = TEXTS[1]
    assert found.doc_id == 7 and found.claims == ()
    assert [(text[p.start:p.end], p.label) for p in found.spans] == [
        ("Tomás Reyes", "PERSON"), ("Lima", "GPE"), ("The Hague", "GPE")]
    assert suggester.origin == "model:ruler"


def test_suggest_pipeline_is_loaded_once_and_found_through_its_parent(model_dir, tmp_path):
    assert load_pipeline(model_dir) is load_pipeline(str(model_dir))
    trained = tmp_path / "run"
    ruler_pipeline(trained / "model-best")
    assert "entity_ruler" in load_pipeline(trained).pipe_names


@pytest.mark.parametrize(("ref", "message"), [
    ("no_such_pipeline_xyz", "no spaCy pipeline named 'no_such_pipeline_xyz' is installed"),
    (".", "not a spaCy pipeline folder"),
])
def test_suggest_bad_pipeline_reference_is_explained(ref, message):
    with pytest.raises(SuggestError, match=message):
        load_pipeline(ref)


def test_suggest_pipeline_without_any_project_label_is_refused(model_dir):
    with pytest.raises(SuggestError, match="none of which is a label of this project"):
        make_suggester(SourceSpec("model", str(model_dir)), {"TOPIC": "entity"}, "en")


def test_suggest_claims_ride_along_and_name_entities_as_claimants(model_dir):
    suggester = make_suggester(SourceSpec("model", str(model_dir), "ruler", claims=True), KINDS, "en")
    [found] = suggester.run([(1, TEXTS[0], [])])
    [claim] = found.claims
    text = TEXTS[0]
    assert text[slice(*claim.content)] == "the port of Oslo will close in May"
    assert text[slice(*claim.claimant)] == "Anna Berg"  # the entity the model proposed


def test_suggest_cue_source_needs_no_pipeline():
    suggester = make_suggester(SourceSpec("cues"), KINDS, "en")
    [found] = suggester.run([(1, TEXTS[0], [(0, 9, "PERSON")])])
    assert found.spans == () and len(found.claims) == 1 and suggester.origin == "pattern:claim-cues"


def test_suggest_source_spec_round_trips_and_names_its_origin():
    spec = SourceSpec("patterns", "/x/names.jsonl", claims=True)
    assert SourceSpec.from_json(spec.to_json()) == spec
    assert spec.origin == "pattern:names.jsonl" and spec.describe() == "patterns names.jsonl + claim cues"
    with pytest.raises(SuggestError):
        SourceSpec.from_json({"kind": "oracle"})


def test_suggest_installed_pipelines_is_a_list():
    assert isinstance(installed_pipelines(), list)


def test_suggest_doc_proposals_reads_span_groups_with_scores():
    import numpy
    import spacy

    nlp = spacy.blank("en")
    doc = nlp("Ana said so")
    doc.spans["sc"] = [doc[0:1]]
    doc.spans["sc"][0].label_ = "PERSON"
    group = doc.spans["sc"]
    group.attrs["scores"] = numpy.asarray([0.75])
    [proposal] = doc_proposals(doc)
    assert (proposal.start, proposal.end, proposal.score) == (0, 3, 0.75)


@pytest.mark.parametrize(("probabilities", "expected"), [
    ([], 0.0), ([1.0, 1.0], 0.0), ([0.5], 1.0), ([0.9, 0.01], pytest.approx(0.2)), ([0.75, 0.25], 0.5),
])
def test_suggest_uncertainty_is_the_mean_margin_of_candidates(probabilities, expected):
    assert document_uncertainty(probabilities) == expected
    assert margin(0.5) == 1.0 and margin(1.0) == 0.0
