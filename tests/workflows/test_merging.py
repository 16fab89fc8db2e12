"""annotator merge: updated copies, idempotency, scheme refusals, namesakes, new documents, aliases."""

from __future__ import annotations

import shutil

import pytest

from annotator.core.model import Label
from annotator.store import Project
from annotator.store.claims import ClaimantLink
from annotator.workflows.merging import MergeOptions, SchemeMismatch, merge_projects, merge_source, summary_text
from annotator.workflows.splitting import SplitOptions, split_project

from team_projects import doc_ids, layer_dump, make_lead, project_dump


@pytest.fixture
def team(tmp_path):
    """A lead project of 6 articles split between alice and bob (2 shared), both with work."""
    lead = make_lead(tmp_path, 6)
    split_project(lead, tmp_path / "out", SplitOptions(("alice", "bob"), overlap_docs=2))
    for name in ("alice", "bob"):
        with Project.open(tmp_path / "out" / f"{name}.annotator") as copy:
            me = copy.editing_annotator(None)
            for doc_id in doc_ids(copy):
                text = copy.document(doc_id).text
                who = text.split(".")[1].split(" said")[0].strip()
                person = copy.add_span(doc_id, text.index(who), text.index(who) + len(who), "PERSON", annotator=me)
                cue = copy.add_span(doc_id, text.index("said"), text.index("said") + 4, "CUE", annotator=me)
                claim = copy.add_claim(doc_id, text.index("the "), text.index(" would"), "CLAIM", annotator=me,
                                       values={"stance": "asserts"})
                copy.set_claimant(claim.id, ClaimantLink(span_id=person.id))
                copy.set_cue(claim.id, cue.id)
                copy.set_status(doc_id, "done", annotator=me)
    yield lead, tmp_path / "out"
    lead.close()


def _alice(out):
    return out / "alice.annotator"


def test_merging_an_updated_copy_updates_that_layer_only(team):
    lead, out = team
    first = merge_projects(lead, [_alice(out), out / "bob.annotator"])
    assert first.ok and [s.counts["spans added"] for s in first.summaries] == [12, 12]
    bob = lead.find_annotator("bob").uuid
    bob_before = layer_dump(lead, bob)
    with Project.open(_alice(out)) as copy:
        ids = doc_ids(copy)
        spans = copy.layer_spans(ids[0], "alice")
        person = next(s for s in spans if s.label == "PERSON")
        copy.delete_span(next(s for s in spans if s.label == "CUE").id)  # the claim's cue link goes too
        copy.relabel_span(person.id, "ORG")
        claim = copy.layer_claims(ids[1], "alice")[0]
        copy.set_claim_value(claim.id, "stance", "denies")
        copy.set_claimant(claim.id, ClaimantLink(text="a spokesperson"))
        copy.set_status(ids[2], "skipped", annotator="alice")
        copy.add_label(Label("SPORT", "doc"))
        expected = layer_dump(copy, copy.find_annotator("alice").uuid)
    refused = merge_source
    with pytest.raises(SchemeMismatch, match="lacks label SPORT"):
        refused(lead, _alice(out))
    summary = merge_source(lead, _alice(out), MergeOptions(add_labels=True))
    assert summary.counts["spans removed"] == 2 and summary.counts["spans added"] == 1  # CUE gone, PERSON -> ORG
    assert summary.counts["claims updated"] == 2 and summary.counts["statuses changed"] == 1
    assert summary.labels_added == ["label SPORT (doc)"]
    alice = lead.find_annotator("alice").uuid
    hashes = set(expected)
    assert layer_dump(lead, alice, hashes) == expected
    assert layer_dump(lead, bob) == bob_before
    text = summary_text(summary)
    assert "spans 1 added, 2 removed" in text and "claims 2 updated" in text and "statuses 1 changed" in text


def test_merging_the_same_file_again_adds_nothing_and_says_so(team):
    lead, out = team
    merge_projects(lead, [_alice(out)])
    before = project_dump(lead)
    counts = lead.row_counts()
    again = merge_source(lead, _alice(out))
    assert again.nothing_new and summary_text(again).startswith("alice.annotator: nothing new (layers: alice")
    assert project_dump(lead) == before and lead.row_counts() == counts


@pytest.mark.parametrize("change, message", [
    (lambda p: p.add_label(Label("SPORT", "doc")), "lacks label SPORT (doc); add them with --add-labels"),
    (lambda p: p.db.execute("UPDATE claim_attributes SET choices = json_insert(choices, '$[#]', 'sarcastic')"
                            " WHERE name = 'stance'"), "lacks choice 'sarcastic' of claim attribute stance"),
])
def test_merging_refuses_what_the_target_lacks_unless_asked(team, change, message):
    lead, out = team
    with Project.open(_alice(out)) as copy:
        change(copy)
    counts = lead.row_counts()
    result = merge_projects(lead, [_alice(out), out / "bob.annotator"])
    (path, error), = result.errors
    assert path == _alice(out) and message in str(error)
    assert [s.source.name for s in result.summaries] == ["bob.annotator"]  # the next file still merged
    assert lead.row_counts()["spans"] == counts["spans"] + 12
    summary = merge_source(lead, _alice(out), MergeOptions(add_labels=True))
    assert summary.counts["spans added"] == 12
    assert lead.scheme_fingerprint() == Project.open(_alice(out)).scheme_fingerprint()


@pytest.mark.parametrize("sql, message", [
    ("UPDATE labels SET kind = 'role' WHERE name = 'DATE'", "label DATE is a entity label here and a role label there"),
    ("UPDATE claim_attributes SET kind = 'text' WHERE name = 'stance'",
     "claim attribute stance is a choice attribute here and a text attribute there"),
])
def test_merging_refuses_one_name_with_two_kinds_always(team, sql, message):
    lead, out = team
    with Project.open(_alice(out)) as copy:
        copy.db.execute(sql)
    before = project_dump(lead)
    with pytest.raises(SchemeMismatch, match=message):
        merge_source(lead, _alice(out), MergeOptions(add_labels=True))
    assert project_dump(lead) == before


def test_merging_namesakes_from_two_machines_are_two_annotators(tmp_path):
    make_lead(tmp_path, 3, name="lead.annotator").close()  # closed: a copy of the file has everything
    for machine in ("one", "two"):
        (tmp_path / machine).mkdir()
        shutil.copy(tmp_path / "lead.annotator", tmp_path / machine / "mine.annotator")
        with Project.open(tmp_path / machine / "mine.annotator") as mine:
            me = mine.editing_annotator("alex")  # each starts their own: a new alex
            mine.add_span(doc_ids(mine)[0], 0, 1, "DATE", annotator=me)
    lead = Project.open(tmp_path / "lead.annotator")
    result = merge_projects(lead, [tmp_path / "one" / "mine.annotator", tmp_path / "two" / "mine.annotator"])
    assert result.ok
    refs = lead.annotators()
    assert len(refs) == 2 and all(ref.startswith("alex#") for ref in refs)
    assert [layer.spans for layer in lead.layers()] == [1, 1]
    # The same copy merged from a second machine is the same alex: nothing new.
    shutil.copy(tmp_path / "one" / "mine.annotator", tmp_path / "again.annotator")
    assert merge_source(lead, tmp_path / "again.annotator").nothing_new
    lead.close()


def test_merging_adds_documents_the_target_lacks_with_their_meta(tmp_path):
    lead = make_lead(tmp_path, 2, name="lead.annotator")
    other = make_lead(tmp_path, 4, name="other.annotator", annotator="dana")
    other.set_claimant_aliases({"Ana": "Ana Ruiz", "Bo": "Bo Lindqvist"})
    other.close()
    lead.set_claimant_aliases({"Bo": "Bo L."})
    summary = merge_source(lead, tmp_path / "other.annotator")
    assert (summary.documents_matched, summary.documents_added) == (2, 2)
    titles = [(r["title"], r["meta"]) for r in lead.db.query("SELECT title, meta FROM documents ORDER BY position")]
    assert titles[2] == ("Article 2", '{"title": "Article 2", "n": 2}')
    assert summary.counts["relations added"] == 4 and summary.counts["spans added"] > 4
    assert summary.aliases_added == 1 and lead.claimant_aliases() == {"Ana": "Ana Ruiz", "Bo": "Bo L."}
    assert summary.alias_conflicts == ["claimant 'Bo' is merged into 'Bo L.' here and into 'Bo Lindqvist' there; "
                                       "kept as it is here"]
    assert lead.search_pending_count() >= 2  # the new documents are searchable once indexed
    lead.close()


def test_merging_refuses_the_target_itself_and_what_is_not_a_project(team, tmp_path):
    lead, _ = team
    (tmp_path / "notes.annotator").write_text("not a project", encoding="utf-8")
    result = merge_projects(lead, [lead.path, tmp_path / "notes.annotator", tmp_path / "missing.annotator"])
    messages = [str(error) for _, error in result.errors]
    assert "this is the project being merged into" in messages[0]
    assert "not an annotator project" in messages[1] and "no such project file" in messages[2]


def test_merging_leaves_unattributed_spans_and_says_so(tmp_path):
    lead = make_lead(tmp_path, 2, name="lead.annotator")
    other = make_lead(tmp_path, 2, name="other.annotator")
    other.add_span(doc_ids(other)[0], 0, 1, "DATE")  # nobody's
    other.close()
    summary = merge_source(lead, tmp_path / "other.annotator")
    assert summary.unattributed == 1 and summary.nothing_new
    assert "1 spans or document labels with no annotator were not merged" in summary_text(summary)
    lead.close()


def test_merging_links_to_a_suggestion_follow_it_or_are_left_empty(tmp_path):
    lead = make_lead(tmp_path, 2)
    ids = doc_ids(lead)
    lead.add_span(ids[0], 0, 2, "DATE", origin="model:m", state="suggested")  # travels to alice
    split_project(lead, tmp_path / "out", SplitOptions(("alice",)))
    with Project.open(tmp_path / "out" / "alice.annotator") as copy:
        me = copy.editing_annotator(None)
        suggestion = copy.layer_spans(ids[0], "", suggestions=True)[0]
        claim = copy.add_claim(ids[0], 3, 30, "CLAIM", annotator=me)
        copy.set_claimant(claim.id, ClaimantLink(span_id=suggestion.id))
        other = copy.add_claim(ids[1], 3, 30, "CLAIM", annotator=me)
        orphan = copy.add_span(ids[1], 0, 2, "DATE", origin="model:m", state="suggested")  # not in the lead
        copy.set_cue(other.id, orphan.id)
    summary = merge_source(lead, tmp_path / "out" / "alice.annotator")
    assert summary.counts["claims added"] == 2 and summary.counts["links left empty"] == 1
    (merged,) = lead.layer_claims(ids[0], "alice")
    assert merged.claimant is not None and (merged.claimant.start, merged.claimant.state) == (0, "suggested")
    assert lead.layer_claims(ids[1], "alice")[0].cue is None
    assert "1 claimant/cue/relation links point at spans this project does not have" in summary_text(summary)
    lead.close()


def test_merging_cancelled_leaves_that_file_out_and_keeps_earlier_ones(team):
    lead, out = team
    before = project_dump(lead)
    calls = []

    def cancelled() -> bool:
        calls.append(1)
        return len(calls) > 6  # during the second file

    from annotator.workflows.merging import MergeCancelled

    with pytest.raises(MergeCancelled, match="bob.annotator: cancelled"):
        merge_projects(lead, [_alice(out), out / "bob.annotator"], cancelled=cancelled)
    after = project_dump(lead)
    assert after != before and lead.find_annotator("alice") and lead.known_annotator("bob").uuid not in {
        uuid for uuid, layer in after["layers"].items() if any(d["spans"] for d in layer.values())}
