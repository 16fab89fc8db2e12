"""The local side of a team server, no server needed: the change log the triggers keep, the
link, acknowledgements, a paused log, conflicts; and how an address is read (passwords
refused, TLS required off this machine)."""

from __future__ import annotations

import pytest

from annotator.store import sync_state as state
from annotator.store.claims import ClaimantLink
from annotator.store.server.connection import BadAddress, connection_params, is_local, parse_address

from ui_free_docs import add_document


@pytest.fixture
def linked(project):
    docs = [add_document(project, f"Story {i}: Ines Ruiz spoke in Quito on Friday.", f"S{i}") for i in range(4)]
    me = project.add_annotator("alice")
    project.set_own_annotator("alice")
    project.add_span(docs[0], 10, 19, "PERSON", annotator="alice")  # work from before the link
    state.link(project, "postgresql://alice@localhost/team", "server-1", project.find_annotator(me.uuid))
    return project, docs


def _units(project) -> dict:
    return {(d, a): s for d, a, s in project.db.conn.execute("SELECT doc_id, annotator_id, seq FROM sync_changes")}


def test_sync_state_link_counts_what_the_layer_already_holds(linked):
    project, docs = linked
    remote = state.remote(project)
    assert remote.writes == [project.own_annotator().uuid] and remote.scope == "assigned"
    assert list(_units(project)) == [(docs[0], project.own_annotator().id)]
    assert state.pending_count(project) == 1


def test_sync_state_every_write_to_a_layer_marks_its_unit(linked):
    project, docs = linked
    me = project.own_annotator()
    before = _units(project)
    span = project.add_span(docs[1], 10, 19, "PERSON", annotator="alice")
    claim = project.add_claim(docs[2], 23, 28, "CLAIM", annotator="alice")
    project.set_status(docs[3], "done", annotator="alice")
    units = _units(project)
    assert set(units) == {(d, me.id) for d in docs}
    assert units[(docs[3], me.id)] > units[(docs[2], me.id)] > units[(docs[1], me.id)] > before[(docs[0], me.id)]
    for change in (lambda: project.relabel_span(span.id, "ORG"),
                   lambda: project.set_claimant(claim.id, ClaimantLink(text="a spokesman")),
                   lambda: project.set_claim_value(claim.id, "stance", "hedges"),
                   lambda: project.delete_span(span.id)):
        seq = max(_units(project).values())
        change()
        assert max(_units(project).values()) > seq
    # Another annotator's writes are logged too (as their units) but never counted as waiting.
    project.add_span(docs[1], 0, 5, "ORG", annotator="bob")
    bob = project.find_annotator("bob")
    assert (docs[1], bob.id) in _units(project)
    assert state.pending_count(project) == 4
    # Suggestions nobody decided on belong to no layer.
    count = len(_units(project))
    project.add_span(docs[1], 30, 36, "DATE", origin="model:x", state="suggested")
    assert len(_units(project)) == count


def test_sync_state_acknowledged_changes_stop_waiting_and_a_paused_log_records_nothing(linked):
    project, docs = linked
    with state.snapshot(project):
        pending = state.pending(project, 0, [project.own_annotator().id])
    state.acknowledge_push(project, pending.high, [(d, a, 7) for d, a, _ in pending.units])
    assert state.pending_count(project) == 0
    assert state.base_seqs(project) == {(docs[0], project.own_annotator().id): 7}
    with project.transaction(), state.log_paused(project):
        project.add_span(docs[2], 10, 19, "PERSON", annotator="alice")
    assert state.pending_count(project) == 0  # what a pull writes is not sent back
    project.add_span(docs[3], 10, 19, "PERSON", annotator="alice")
    assert state.pending_count(project) == 1


def test_sync_state_records_outcomes_and_conflicts(linked):
    project, docs = linked
    state.record_outcome(project, error="the server cannot be reached")
    first = state.remote(project).offline_since
    state.record_outcome(project, error="still not")
    assert state.remote(project).offline_since == first  # offline *since* the first failure
    state.record_outcome(project, error=None)
    assert state.remote(project).offline_since is None and state.remote(project).last_sync_at
    me = project.own_annotator().id
    with project.transaction():
        state.record_conflicts(project, [(docs[0], me, 12, "rita", "2026-01-01 10:42")])
    [conflict] = state.conflicts(project)
    assert (conflict.title, conflict.layer, conflict.written_by) == ("S0", "alice", "rita")
    assert state.keep_mine(project) == 1
    assert not state.conflicts(project) and state.base_seqs(project)[(docs[0], me)] == 12
    assert state.pending_count(project) == 1  # mine goes next


def test_sync_state_unlinked_project_logs_nothing(project):
    doc = add_document(project, "Ines Ruiz spoke.")
    project.add_span(doc, 0, 9, "PERSON", annotator="alice")
    assert state.remote(project) is None and _units(project) == {} and state.pending_count(project) == 0


@pytest.mark.parametrize("address, local", [
    ("postgresql://alice@localhost/team", True),
    ("postgresql://alice@127.0.0.1:5433/team", True),
    ("host=/var/run/postgresql dbname=team", True),
    ("postgresql://alice@db.example.org/team", False),
    ("postgresql://alice@127.0.0.1,db.example.org/team", False),
])
def test_server_address_requires_tls_off_this_machine(address, local, monkeypatch):
    monkeypatch.delenv("PGSSLMODE", raising=False)
    monkeypatch.delenv("PGSERVICE", raising=False)
    monkeypatch.delenv("PGHOST", raising=False)
    assert is_local(parse_address(address)) is local
    params = connection_params(address)
    assert params.get("sslmode") == (None if local else "require")
    assert params["application_name"] == "annotator" and params["connect_timeout"] == "10"


def test_server_address_keeps_the_users_tls_choice_and_refuses_passwords(monkeypatch):
    monkeypatch.delenv("PGSSLMODE", raising=False)
    assert connection_params("postgresql://a@db.example.org/t?sslmode=verify-full")["sslmode"] == "verify-full"
    assert "sslmode" not in connection_params("service=annotation")  # the service file decides
    monkeypatch.setenv("PGSSLMODE", "disable")
    assert "sslmode" not in connection_params("postgresql://a@db.example.org/t")  # libpq reads PGSSLMODE
    for address in ("postgresql://a:secret@db.example.org/t", "host=db.example.org password=secret"):
        with pytest.raises(BadAddress, match="holds a password"):
            parse_address(address)
    with pytest.raises(BadAddress, match="empty"):
        parse_address("  ")
    with pytest.raises(BadAddress, match="cannot read"):
        parse_address("db.example.org")


def test_sync_state_counts_what_a_sync_does_not_carry_and_logs_nothing_for_it(linked):
    project, docs = linked
    me, bob = project.own_annotator().id, project.add_annotator("bob").id
    mine = project.add_span(docs[1], 10, 19, "PERSON", annotator="alice")
    theirs = project.add_span(docs[2], 10, 19, "PERSON", annotator="bob")
    units = _units(project)
    with project.transaction():
        for span in (mine, theirs):
            project.db.execute("INSERT INTO attribute_values (span_id, attribute, value) VALUES (?, 'Negated', 'true')",
                               [span.id])
        project.db.execute("INSERT INTO annotation_notes (span_id, note) VALUES (?, 'a note')", [mine.id])
        project.db.execute("INSERT INTO events (doc_id, trigger_span_id, label, annotator_id, created_at)"
                           " VALUES (?, ?, 'Meet', ?, '2026-01-01')", [docs[1], mine.id, me])
    assert state.uncarried(project, [me]) == 3 and state.uncarried(project, [bob]) == 1
    assert state.uncarried(project) == 4 and state.uncarried(project, []) == 0
    assert _units(project) == units  # not watched: nothing to send for them (docs/teams.md)


def _log_triggers(project) -> list[str]:
    return [r[0] for r in project.db.conn.execute(
        "SELECT name FROM sqlite_master WHERE type = 'trigger' AND name LIKE 'sync_log_%'")]


def test_sync_state_change_log_triggers_exist_only_while_linked(project):
    # A project that never syncs writes without the change log's triggers (they cost every
    # insert a lookup); link makes them, unlink drops them, and a write after unlink logs nothing.
    doc = add_document(project, "Ines Ruiz spoke in Quito on Friday.", "S")
    assert _log_triggers(project) == []
    me = project.add_annotator("alice")
    project.set_own_annotator("alice")
    state.link(project, "postgresql://alice@localhost/team", "server-1", project.find_annotator(me.uuid))
    assert len(_log_triggers(project)) == 19
    project.add_span(doc, 0, 9, "PERSON", annotator="alice")
    assert _units(project) == {(doc, me.id): 1}
    state.unlink(project)
    assert _log_triggers(project) == [] and _units(project) == {}
    project.add_span(doc, 19, 24, "GPE", annotator="alice")
    assert _units(project) == {}
