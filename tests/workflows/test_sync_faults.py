"""A sync interrupted anywhere is simply run again: the connection killed mid-push (the server
rolls back), the acknowledgement lost after the server committed (the retry lands nothing
twice), the connection killed mid-pull (the file is untouched); and refusals in one line."""

from __future__ import annotations

import pytest

from annotator.store import sync_state
from annotator.store.server import (
    AuthenticationFailed, BadAddress, ServerSchemaMismatch, ServerUnreachable, exchange,
)
from annotator.workflows.sync import ServerProjectMismatch, sync_project, sync_status

from server_team import first_doc, publish


def _kill(cur) -> None:
    """What a dropped network does to a connection: the server ends it (from another one)."""
    import re

    import psycopg

    pid = cur.connection.info.backend_pid
    with psycopg.connect(re.sub(r"user=\S+", "user=postgres", cur.connection.info.dsn), autocommit=True) as admin:
        admin.execute("SELECT pg_terminate_backend(%s)", [pid])


def _server_state(team_db) -> list:
    return [team_db.sql("SELECT doc, annotator, status, seq, client_seq FROM annotator.layers ORDER BY 1, 2"),
            team_db.sql('SELECT doc, sid, start, "end", label FROM annotator.spans ORDER BY 1, 2'),
            team_db.sql("SELECT doc, sid, \"values\" FROM annotator.claims ORDER BY 1, 2")]


def _work(alice) -> None:
    doc = first_doc(alice)
    alice.add_span(doc, 0, 2, "PERSON", annotator="alice")
    alice.add_claim(doc, 10, 30, "CLAIM", annotator="alice", values={"stance": "hedges"})
    alice.set_status(doc, "done", annotator="alice")


def test_sync_connection_killed_mid_push_then_retried(team_db, tmp_path, monkeypatch):
    pub = publish(team_db, tmp_path, count=4)
    pub.join("alice")
    with pub.open("alice") as alice:
        _work(alice)
        real = exchange._copy_rows

        def dropped(cur, units):
            _kill(cur)
            return real(cur, units)

        monkeypatch.setattr(exchange, "_copy_rows", dropped)
        with pytest.raises(ServerUnreachable):
            sync_project(alice)
        assert team_db.sql("SELECT count(*) FROM annotator.spans") == [(0,)]  # rolled back whole
        assert sync_status(alice).waiting == 1
        monkeypatch.setattr(exchange, "_copy_rows", real)
        result = sync_project(alice)
        assert result.sent == 1 and result.waiting == 0
        assert team_db.sql("SELECT count(*) FROM annotator.spans") == [(2,)]
        assert team_db.sql("SELECT count(*) FROM annotator.claims") == [(1,)]


def test_sync_acknowledgement_lost_after_commit_lands_nothing_twice(team_db, tmp_path, monkeypatch):
    pub = publish(team_db, tmp_path, count=4)
    pub.join("alice")
    pub.join("bob")
    with pub.open("alice") as alice:
        _work(alice)
        real = sync_state.acknowledge_push
        monkeypatch.setattr(sync_state, "acknowledge_push",
                            lambda *a, **k: (_ for _ in ()).throw(ServerUnreachable("the connection was lost")))
        with pytest.raises(ServerUnreachable):
            sync_project(alice)
        committed = _server_state(team_db)
        assert committed[1]  # the server has it; alice does not know
        monkeypatch.setattr(sync_state, "acknowledge_push", real)
        retry = sync_project(alice)
        assert retry.sent == 0 and retry.already == 1 and retry.waiting == 0
        assert _server_state(team_db) == committed  # same rows, same change numbers: nothing twice
    with pub.open("bob") as bob:
        assert sync_project(bob).received == 1  # bob sees it once


def test_sync_connection_killed_mid_pull_leaves_the_file_as_it_was(team_db, tmp_path, monkeypatch):
    pub = publish(team_db, tmp_path, count=4, overlap_docs=4)
    pub.join("alice")
    pub.join("bob")
    with pub.open("alice") as alice:
        _work(alice)
        sync_project(alice)
    with pub.open("bob") as bob:
        before = bob.db.conn.execute("SELECT count(*) FROM spans").fetchone()[0]
        real = exchange._read_documents

        def dropped(cur, incoming, doc_ids):
            _kill(cur)
            return real(cur, incoming, doc_ids)

        monkeypatch.setattr(exchange, "_read_documents", dropped)
        with pytest.raises(ServerUnreachable):
            sync_project(bob)
        assert bob.db.conn.execute("SELECT count(*) FROM spans").fetchone()[0] == before
        assert sync_state.remote(bob).pulled_seq < team_db.sql("SELECT max(seq) FROM annotator.layers")[0][0]
        monkeypatch.setattr(exchange, "_read_documents", real)
        assert sync_project(bob).received == 1
        assert bob.db.conn.execute("SELECT count(*) FROM spans").fetchone()[0] == before + 2
        assert sync_project(bob).nothing_new


def test_sync_refuses_a_server_of_another_schema_version(team_db, tmp_path):
    pub = publish(team_db, tmp_path, count=2)
    pub.join("alice")
    with pub.open("alice") as alice:
        team_db.sql("UPDATE annotator.meta SET value = '99' WHERE key = 'schema_version'")
        with pytest.raises(ServerSchemaMismatch, match="version 99, newer than this annotator understands"):
            sync_project(alice)
        team_db.sql("UPDATE annotator.meta SET value = '0' WHERE key = 'schema_version'")
        with pytest.raises(ServerSchemaMismatch, match="the lead runs `annotator server init"):
            sync_project(alice)
        team_db.sql("DROP SCHEMA annotator CASCADE")
        with pytest.raises(ServerSchemaMismatch, match="no annotator schema on this server"):
            sync_project(alice)


def test_sync_refuses_another_server_project_and_another_scheme(team_db, tmp_path):
    pub = publish(team_db, tmp_path, count=2)
    pub.join("alice")
    with pub.open("alice") as alice:
        from annotator.core.model import Label

        alice.add_label(Label("WEAPON", "entity"))
        with pytest.raises(ServerProjectMismatch, match="label WEAPON"):
            sync_project(alice)
        team_db.sql("UPDATE annotator.meta SET value = gen_random_uuid()::text WHERE key = 'project_id'")
        with pytest.raises(ServerProjectMismatch, match="not the server project"):
            sync_project(alice)


def test_sync_login_refused_and_addresses_with_passwords_refused(team_db, tmp_path, monkeypatch):
    pub = publish(team_db, tmp_path, count=2)
    pub.join("alice")
    empty = tmp_path / "empty-pgpass"
    empty.write_text("")
    empty.chmod(0o600)
    monkeypatch.setenv("PGPASSFILE", str(empty))
    with pub.open("alice") as alice, pytest.raises(AuthenticationFailed, match="refused the login"):
        sync_project(alice)
    from annotator.workflows.server_admin import join_server

    with pytest.raises(BadAddress, match="holds a password"):
        join_server(pub.url("alice").replace("alice@", "alice:secret@"), "alice", tmp_path / "x.annotator")
    assert not (tmp_path / "x.annotator").exists()


def test_an_edit_made_while_a_sync_runs_waits_for_the_next_one(team_db, tmp_path, monkeypatch):
    """The window edits while its background sync sends (another connection to the same file):
    the sync acknowledges only what it read, so the new edit is not lost but waits."""
    from annotator.store import Project
    from annotator.workflows import sync as sync_workflow

    pub = publish(team_db, tmp_path, count=3)
    pub.join("alice")
    real_push = exchange.push
    with pub.open("alice") as alice:
        doc = first_doc(alice)
        alice.add_span(doc, 0, 2, "PERSON", annotator="alice")

        def push_while_editing(*args, **kwargs):
            with Project.open(alice.path, check=False) as window:  # the window's own connection
                window.add_span(doc, 4, 9, "PERSON", annotator="alice")
            return real_push(*args, **kwargs)

        monkeypatch.setattr(sync_workflow.exchange, "push", push_while_editing)
        first = sync_project(alice)
        monkeypatch.setattr(sync_workflow.exchange, "push", real_push)
        assert first.sent == 1 and first.waiting == 1
        assert sorted(team_db.sql('SELECT start, "end" FROM annotator.spans')) == [(0, 2)]
        second = sync_project(alice)
        assert second.sent == 1 and second.waiting == 0
        assert sorted(team_db.sql('SELECT start, "end" FROM annotator.spans')) == [(0, 2), (4, 9)]
