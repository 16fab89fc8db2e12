"""Pre-annotating a project: whole batches per transaction, manual spans untouched, no pile-ups, cancel."""

from __future__ import annotations

import pytest
from suggest_helpers import TEXTS, add_documents, ruler_pipeline, span_rows

from annotator.core.problems import InputError
from annotator.nlp.suggest import SourceSpec, SuggestError
from annotator.workflows.suggesting import (
    claim_labels,
    prepare,
    resolve_source,
    save_source,
    saved_source,
    suggest_document,
    suggest_project,
    write_document,
)


@pytest.fixture(scope="module")
def model_dir(tmp_path_factory):
    return ruler_pipeline(tmp_path_factory.mktemp("models") / "ruler")


def test_suggesting_project_run_writes_suggestions_with_origin(project, model_dir):
    ids = add_documents(project)
    run = suggest_project(project, SourceSpec("model", str(model_dir), "ruler"), "all")
    assert not run.cancelled and run.counts.documents == 4 and run.total == 4
    assert run.counts.unknown_labels == {"PER": 1}  # the model's label the project lacks
    rows = span_rows(project, ids[1])
    assert [(r[4], r[3], r[5], r[6]) for r in rows] == [
        ("Tomás Reyes", "PERSON", "model:ruler", "suggested"), ("Lima", "GPE", "model:ruler", "suggested"),
        ("The Hague", "GPE", "model:ruler", "suggested")]
    assert sorted(run.doc_ids) == sorted(ids[:3])
    # Suggestions are not gold: the accepted counts stay at zero.
    assert all(counts["accepted"] == 0 for counts in project.stats()["spans"].values())


def test_suggesting_never_alters_a_manual_span_and_never_piles_up(project, model_dir):
    text = TEXTS[0]
    oslo = text.index("Oslo")
    [doc_id] = add_documents(project, [text], spans=[[(0, 4, "ORG"), (oslo, oslo + 4, "LOC")]])
    before = span_rows(project)
    spec = SourceSpec("model", str(model_dir), "ruler")
    first = suggest_project(project, spec, "all")
    # Anna Berg overlaps the tagged ORG "Anna"; Oslo as GPE overlaps the tagged LOC: neither is proposed.
    assert first.counts.added == 0 and first.counts.conflicts == 2
    assert span_rows(project) == before
    project.delete_span(next(s.id for s in project.spans(doc_id) if s.label == "LOC"))
    second = suggest_project(project, spec, "all")
    assert second.counts.added == 1
    third = suggest_project(project, spec, "all")
    assert third.counts.added == 0 and third.counts.duplicates == 1
    [suggestion] = project.suggested_spans(doc_id)
    project.set_span_state(suggestion.id, "rejected")
    fourth = suggest_project(project, spec, "all")
    assert fourth.counts.added == 0 and fourth.counts.rejected_before == 1
    assert [r for r in span_rows(project) if r[5] == "manual" or r[5] == "import"] == \
        [r for r in before if r[3] != "LOC"]


def test_suggesting_only_todo_documents(project, model_dir):
    ids = add_documents(project, statuses=["done", "todo", "skipped", "todo"])
    run = suggest_project(project, SourceSpec("model", str(model_dir), "ruler"), "todo")
    assert run.total == 2 and run.counts.documents == 2
    assert {r[0] for r in span_rows(project)} == {ids[1]}


def test_suggesting_claims_link_entity_cue_and_source(project, model_dir):
    ids = add_documents(project)
    suggest_project(project, SourceSpec("model", str(model_dir), "ruler", claims=True), "all")
    [claim] = project.claims(ids[0])
    assert claim.content.state == "suggested" and claim.content.text == "the port of Oslo will close in May"
    assert claim.claimant.label == "PERSON" and claim.claimant.text == "Anna Berg"
    assert claim.cue.label == "CUE" and claim.cue.state == "suggested"
    according, said = sorted(project.claims(ids[2]), key=lambda c: c.cue.text)
    assert (according.cue.text, according.claimant_name) == ("according to", "Zed")
    assert (said.cue.text, said.claimant.text, said.content.text) == ("said", "Meridian Institute",
                                                                       "prices in Oslo would rise")


def test_suggesting_cancel_leaves_whole_batches_and_a_sound_file(project, model_dir):
    ids = add_documents(project, [f"Anna Berg met Tomás Reyes in Oslo, meeting {i}." for i in range(10)])
    calls = []
    run = suggest_project(project, SourceSpec("model", str(model_dir), "ruler"), "all", batch_size=3,
                          progress=lambda done, total, counts: calls.append(done), cancelled=lambda: len(calls) >= 2)
    assert run.cancelled and calls == [3, 6] and run.counts.documents == 6
    assert {r[0] for r in span_rows(project)} == set(ids[:6])
    assert all(len(project.spans(i)) == 3 for i in ids[:6])
    assert project.integrity_check() == ["ok"]
    again = suggest_project(project, SourceSpec("model", str(model_dir), "ruler"), "all", batch_size=3)
    assert again.counts.added == 12 and again.counts.duplicates == 18


def test_suggesting_with_two_processes_gives_the_same_result(project, model_dir, tmp_path):
    texts = [f"Anna Berg flew from Lima to Oslo, trip {i}." for i in range(40)]
    add_documents(project, texts)
    run = suggest_project(project, SourceSpec("model", str(model_dir), "ruler"), "all", processes=2, batch_size=8)
    assert run.processes == 2 and run.counts.added == 120
    from annotator.store import Project

    other = Project.create(tmp_path / "single.annotator")
    add_documents(other, texts)
    suggest_project(other, SourceSpec("model", str(model_dir), "ruler"), "all", processes=1)
    assert [r[1:] for r in span_rows(project)] == [r[1:] for r in span_rows(other)]
    other.close()


def test_suggesting_patterns_and_bad_pattern_file(project, tmp_path):
    ids = add_documents(project)
    good = tmp_path / "places.jsonl"
    good.write_text('{"label": "GPE", "pattern": "Oslo"}\n{"label": "CUE", "pattern": [{"LOWER": "said"}]}\n',
                    encoding="utf-8")
    run = suggest_project(project, SourceSpec("patterns", str(good)), "all")
    assert run.counts.added == 4
    assert {r[5] for r in span_rows(project)} == {"pattern:places.jsonl"}
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"label": "GPE", "pattern": "Oslo"}\n{"label": "GPE", "pattern": [{"LOWR": "x"}]}\n',
                   encoding="utf-8")
    with pytest.raises(InputError, match=r"bad.jsonl:2: pattern\[0\].LOWR"):
        suggest_project(project, SourceSpec("patterns", str(bad)), "all")
    assert len(span_rows(project, ids[0])) == 2


def test_suggesting_one_document_is_a_proposal_until_written(project, model_dir):
    [doc_id] = add_documents(project, [TEXTS[0]])
    spec, suggester, labels = prepare(project, SourceSpec("model", str(model_dir), "ruler", claims=True))
    found = suggest_document(project, doc_id, suggester)
    assert len(found.spans) == 2 and len(found.claims) == 1 and span_rows(project) == []
    written = write_document(project, found, suggester, labels)
    assert written.counts.added == 4 and written.counts.claims == 1  # 2 entities + claim content + cue


def test_suggesting_claims_need_a_claim_label(tmp_path):
    from annotator.core.model import Label, Scheme
    from annotator.store import Project

    project = Project.create(tmp_path / "plain.annotator", Scheme((Label("GPE"),)))
    assert claim_labels(project) is None
    with pytest.raises(SuggestError, match="claim"):
        prepare(project, SourceSpec("cues"))
    project.close()


def test_suggesting_trained_model_name_resolves_to_its_folder_and_source_is_remembered(project, model_dir):
    project.add_model("ner-1", str(model_dir), components=["ner"], documents=2, scores={})
    spec = resolve_source(project, SourceSpec("model", "ner-1"))
    assert spec.ref == str(model_dir) and spec.origin == "model:ner-1"
    assert resolve_source(project, SourceSpec("model", str(model_dir))).name == "ruler"
    assert saved_source(project) is None
    save_source(project, spec)
    assert saved_source(project) == spec
