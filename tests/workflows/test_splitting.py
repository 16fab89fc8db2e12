"""annotator team split: one whole file per annotator, their work and suggestions in it, the
assignment recorded; nothing written when it cannot be done."""

from __future__ import annotations

import pytest

from annotator.store import Project
from annotator.workflows import splitting
from annotator.workflows.splitting import SplitError, SplitOptions, split_project

from team_projects import doc_ids, make_lead


def test_splitting_copies_documents_their_layer_and_suggestions(tmp_path):
    lead = make_lead(tmp_path, 6, annotator="alice")
    ids = doc_ids(lead)
    lead.add_span(ids[0], 0, 1, "DATE", origin="model:m", state="suggested")  # a pre-annotation
    lead.add_span(ids[0], 3, 6, "ORG", annotator="bob")  # bob's: not in alice's file
    lead.set_status(ids[0], "done", annotator="alice")
    lead.set_claimant_aliases({"Ana": "Ana Ruiz"})
    result = split_project(lead, tmp_path / "out", SplitOptions(("alice", "bob"), overlap_docs=6))
    assert (result.documents, result.overlap) == (6, 6)
    alice, bob = result.files
    assert (alice.counts.documents, alice.counts.suggestions) == (6, 1)
    assert alice.counts.spans == lead.progress("alice")[0].spans == 12
    with Project.open(alice.path) as copy:
        assert copy.own_annotator().uuid == lead.find_annotator("alice").uuid
        assert copy.annotators() == ["alice"] and copy.scheme_fingerprint() == lead.scheme_fingerprint()
        assert [(s.label, s.annotator) for s in copy.layer_spans(ids[0], "alice", suggestions=True)] == [
            ("DATE", None), ("PERSON", "alice"), ("PERSON", "alice")]
        assert copy.document_status(ids[0]) == "done" and copy.document_count("done") == 1
        assert copy.document(ids[2]).meta == lead.document(ids[2]).meta
        assert next(copy.db.query("SELECT count(*) AS n FROM relations"))["n"] == 6
        assert copy.claimant_aliases() == {"Ana": "Ana Ruiz"}
        assert copy.assignment() == {"alice": ids}
    with Project.open(bob.path) as copy:
        assert [s.label for s in copy.layer_spans(ids[0], "bob")] == ["ORG"]
        assert copy.document_count("done") == 0
    assert lead.assignment() == {"alice": ids, "bob": ids}
    assert not list((tmp_path / "out").glob(".*"))  # no temporary files left
    lead.close()


def test_splitting_refuses_before_writing_anything(tmp_path):
    lead = make_lead(tmp_path, 4)
    (tmp_path / "out").mkdir()
    (tmp_path / "out" / "bob.annotator").write_text("someone's work", encoding="utf-8")
    with pytest.raises(SplitError, match="bob.annotator already exist"):
        split_project(lead, tmp_path / "out", SplitOptions(("alice", "bob")))
    with pytest.raises(SplitError, match="becomes a file name"):
        split_project(lead, tmp_path / "other", SplitOptions(("al/ice",)))
    with pytest.raises(SplitError, match="between 1 and 2"):
        split_project(lead, tmp_path / "other", SplitOptions(("alice", "carol"), per_doc=3))
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == ["bob.annotator"]
    assert not (tmp_path / "other").exists() and lead.assignment() == {}
    lead.close()


def test_splitting_that_fails_half_way_keeps_no_file_and_no_assignment(tmp_path, monkeypatch):
    lead = make_lead(tmp_path, 4)
    real = splitting.write_copy
    calls = []

    def failing(source, path, annotator, ids, nobody):
        calls.append(path.name)
        if len(calls) == 2:
            raise OSError(28, "No space left on device")
        return real(source, path, annotator, ids, nobody)

    monkeypatch.setattr(splitting, "write_copy", failing)
    with pytest.raises(OSError):
        split_project(lead, tmp_path / "out", SplitOptions(("alice", "bob")))
    assert calls == ["alice.annotator", "bob.annotator"]
    assert list((tmp_path / "out").iterdir()) == [] and lead.assignment() == {}
    lead.close()
