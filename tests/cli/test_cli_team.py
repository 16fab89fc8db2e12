"""annotator team split / team status / merge, as a user runs them."""

from __future__ import annotations

from annotator.store import Project

from cli_driver import rows, run


def _corpus(tmp_path, count=12):
    lines = [f'{{"text": "Story {i}: Ines Ruiz spoke in Quito on Friday.", "meta": {{"title": "S{i}"}}}}'
             for i in range(count)]
    path = tmp_path / "in.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    assert run("import", tmp_path / "lead.annotator", path).exit_code == 0
    return tmp_path / "lead.annotator"


def test_cli_team_split_status_merge(tmp_path):
    lead = _corpus(tmp_path)
    out = tmp_path / "out"
    split = run("team", "split", lead, "--annotators", "alice,bob", "--overlap-docs", "4", "--seed", "2", "-o", out)
    assert split.exit_code == 0, split.output
    assert f"{out / 'alice.annotator'}: alice: 8 documents, 0 spans, 0 claims" in split.output
    assert "split 12 documents among 2 annotators (4 shared by all)" in split.output
    assert rows(lead, "SELECT count(*) FROM assignments") == [(16,)]
    with Project.open(out / "alice.annotator") as copy:
        me = copy.editing_annotator(None)
        first = copy.document_summaries(0, 1)[0].id
        copy.add_span(first, 9, 18, "PERSON", annotator=me)
        copy.set_status(first, "done", annotator=me)
    merged = run("merge", lead, out / "alice.annotator", out / "bob.annotator")
    assert merged.exit_code == 0, merged.output
    assert "alice.annotator: merged layers alice: 8 documents matched, 0 added; spans 1 added; statuses 1 changed" \
        in merged.output
    assert "bob.annotator: nothing new (layers: bob" in merged.output
    again = run("merge", lead, out / "alice.annotator")
    assert again.exit_code == 0 and "alice.annotator: nothing new" in again.output
    status = run("team", "status", lead)
    assert "alice       1 done, 0 skipped, 7 todo of 8 assigned; 1 spans, 0 claims" in status.output
    assert rows(lead, "SELECT annotator, count(*) FROM annotator_status WHERE status = 'done' GROUP BY 1") == [
        ("alice", 1)]


def test_cli_team_refusals_exit_2_and_change_nothing(tmp_path):
    lead = _corpus(tmp_path, 4)
    out = tmp_path / "out"
    assert run("team", "split", lead, "--annotators", "alice", "-o", out).exit_code == 0
    again = run("team", "split", lead, "--annotators", "alice", "-o", out)
    assert again.exit_code == 2 and "already exist" in again.output
    bad = run("team", "split", lead, "--annotators", "alice,bob", "--overlap", "2", "-o", tmp_path / "x")
    assert bad.exit_code == 2 and "between 0 and 1" in bad.output
    with Project.open(out / "alice.annotator") as copy:
        copy.db.execute("UPDATE labels SET kind = 'role' WHERE name = 'DATE'")
    before = rows(lead, "SELECT count(*) FROM spans")
    refused = run("merge", lead, out / "alice.annotator", "--add-labels")
    assert refused.exit_code == 2
    assert "refused: alice.annotator: the label schemes do not agree: label DATE is a entity label here and a role" \
        in refused.output
    assert "nothing from this file was merged" in refused.output
    assert rows(lead, "SELECT count(*) FROM spans") == before
    missing = run("merge", tmp_path / "none.annotator", out / "alice.annotator")
    assert missing.exit_code == 2  # click: TARGET must exist
