"""Who may write what on the server: row-level security refuses a modified client's write to
another annotator's layer; the gold layer is written by reviewers only, and two reviewers
deciding the same document is a conflict shown to the second, never a silent overwrite."""

from __future__ import annotations

import pytest

from annotator.store.server import PermissionRefused, connect, errors, exchange
from annotator.workflows.sync import sync_project

from server_team import first_doc, publish


class _ForgedRows:
    """A modified client's rows: a span in bob's layer, sent as alice."""

    def __init__(self, doc: int, uuid: str) -> None:
        self.span = (doc, uuid, 1, 0, 2, "PERSON", "xx", "manual", "accepted", "", "")

    def choose(self, keys) -> None:
        pass

    def rows(self, table: str):
        return [self.span] if table == "spans" else []


def _uuid(team_db, name: str) -> str:
    return str(team_db.sql("SELECT uuid FROM annotator.annotators WHERE name = %s", [name])[0][0])


def test_rls_refuses_writes_to_another_layer(team_db, tmp_path):
    import psycopg

    pub = publish(team_db, tmp_path, count=3, overlap_docs=3)
    bob, doc = _uuid(team_db, "bob"), team_db.sql("SELECT min(id) FROM annotator.documents")[0][0]
    pub.join("bob")
    with pub.open("bob") as project:
        project.add_span(first_doc(project), 0, 2, "PERSON", annotator="bob")
        sync_project(project)
    before = team_db.sql("SELECT * FROM annotator.spans")
    with psycopg.connect(pub.url("alice"), autocommit=True) as conn:  # a modified client, as alice
        with pytest.raises(psycopg.errors.InsufficientPrivilege, match="row-level security"):
            conn.execute("INSERT INTO annotator.spans VALUES (%s, %s, 9, 0, 2, 'ORG', 'x', 'manual', 'accepted',"
                         " '', '')", [doc, bob])
        with pytest.raises(psycopg.errors.InsufficientPrivilege, match="row-level security"):
            conn.execute("INSERT INTO annotator.layers (doc, annotator) VALUES (%s, %s)", [doc, bob])
        assert conn.execute("UPDATE annotator.spans SET label = 'ORG'").rowcount == 0  # bob's rows: not hers
        assert conn.execute("DELETE FROM annotator.spans").rowcount == 0
        assert conn.execute("DELETE FROM annotator.layers").rowcount == 0
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            conn.execute("UPDATE annotator.documents SET text = 'x'")
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            conn.execute("UPDATE annotator.annotators SET reviewer = true")
    assert team_db.sql("SELECT * FROM annotator.spans") == before
    # Through our own code too: the refusal is one line, and nothing of the push stays.
    other = team_db.sql("SELECT max(id) FROM annotator.documents")[0][0]  # where bob has sent nothing yet
    conn = connect(pub.url("alice"))
    with pytest.raises(PermissionRefused, match="may write only its own layer"), errors(pub.url("alice")):
        exchange.push(conn, "00000000-0000-0000-0000-000000000001",
                      [exchange.OutgoingUnit(other, bob, "done", "", 1, None)], _ForgedRows(other, bob))
    conn.close()
    assert team_db.sql("SELECT * FROM annotator.spans") == before


def _gold_span(project, start: int, label: str = "PERSON") -> None:
    gold = next(a for a in project.annotator_list() if a.name == "gold")
    project.add_span(first_doc(project), start, start + 3, label, annotator=gold.uuid)


def test_gold_is_written_by_reviewers_and_a_second_decision_is_a_conflict(team_db, tmp_path):
    pub = publish(team_db, tmp_path, count=3, annotators=("alice",), reviewers=("rita", "ruth"))
    rita_join = pub.join("rita")
    pub.join("ruth")
    assert rita_join.reviewer and rita_join.sync.documents_added == 3  # reviewers hold every document
    with pub.open("rita") as rita, pub.open("ruth") as ruth:
        _gold_span(rita, 0)
        assert sync_project(rita).sent == 1
        _gold_span(ruth, 4, "ORG")  # ruth decides the same document before she has rita's decision
        result = sync_project(ruth)
        assert result.sent == 0 and len(result.new_conflicts) == 1
        conflict = result.conflicts[0]
        assert conflict.layer == "gold" and conflict.written_by == "rita"
        assert team_db.sql("SELECT label FROM annotator.spans") == [("PERSON",)]  # rita's stands
        gold = next(a for a in ruth.annotator_list() if a.name == "gold")
        assert [s.label for s in ruth.layer_spans(first_doc(ruth), gold.ref)] == ["ORG"]  # ruth's kept here
        again = sync_project(ruth)  # still shown, still not sent
        assert again.sent == 0 and len(again.conflicts) == 1
        theirs = sync_project(ruth, resolve="theirs")
        assert theirs.resolved == 1 and not theirs.conflicts
        assert [s.label for s in ruth.layer_spans(first_doc(ruth), gold.ref)] == ["PERSON"]
        # Now she has seen rita's decision: her next one is no conflict.
        _gold_span(ruth, 8, "ORG")
        assert sync_project(ruth).sent == 1
        mine = sync_project(rita)
        assert mine.received == 1 and not mine.conflicts
    assert sorted(team_db.sql("SELECT label FROM annotator.spans")) == [("ORG",), ("PERSON",)]


def test_gold_conflict_resolved_with_mine_sends_it(team_db, tmp_path):
    pub = publish(team_db, tmp_path, count=2, annotators=("alice",), reviewers=("rita", "ruth"))
    pub.join("rita"), pub.join("ruth")
    with pub.open("rita") as rita, pub.open("ruth") as ruth:
        _gold_span(rita, 0)
        sync_project(rita)
        _gold_span(ruth, 4, "ORG")
        assert sync_project(ruth).conflicts
        mine = sync_project(ruth, resolve="mine")
        assert mine.resolved == 1 and mine.sent == 1 and not mine.conflicts
        assert team_db.sql("SELECT label FROM annotator.spans") == [("ORG",)]
        assert sync_project(rita).received == 1  # rita gets ruth's decision


def test_an_annotator_cannot_write_gold(team_db, tmp_path):
    import psycopg

    pub = publish(team_db, tmp_path, count=2, annotators=("alice",), reviewers=("rita",))
    gold, doc = _uuid(team_db, "gold"), team_db.sql("SELECT min(id) FROM annotator.documents")[0][0]
    with psycopg.connect(pub.url("alice"), autocommit=True) as conn, \
            pytest.raises(psycopg.errors.InsufficientPrivilege, match="row-level security"):
        conn.execute("INSERT INTO annotator.layers (doc, annotator, status) VALUES (%s, %s, 'done')", [doc, gold])
    with psycopg.connect(pub.url("rita"), autocommit=True) as conn:
        conn.execute("INSERT INTO annotator.layers (doc, annotator, status) VALUES (%s, %s, 'done')", [doc, gold])
    assert team_db.sql("SELECT written_by FROM annotator.layers") == [("rita",)]
