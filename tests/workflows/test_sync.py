"""Syncing projects through a real PostgreSQL: publish, join, edits on two clients both ways,
the lead's merged view, idempotence, offline edits, a restarted server (tests/pg_cluster.py)."""

from __future__ import annotations

import random

import pytest

from annotator.store import Project
from annotator.store.server import ServerUnreachable
from annotator.workflows.sync import sync_project, sync_status

from server_team import first_doc, publish
from team_projects import layer_dump, random_edits


def _shared_hashes(*projects) -> set[str]:
    sets = [{r["content_hash"] for r in p.db.query("SELECT content_hash FROM documents")} for p in projects]
    return set.intersection(*sets)


def test_sync_publish_join_edits_on_two_clients_both_ways(team_db, tmp_path):
    pub = publish(team_db, tmp_path, count=10, overlap_docs=4)
    alice_join, bob_join = pub.join("alice"), pub.join("bob")
    assert alice_join.created and alice_join.sync.documents_added == 7  # 4 shared + 3 of the other 6
    assert bob_join.sync.documents_added == 7
    with pub.open("alice") as alice, pub.open("bob") as bob:
        assert alice.own_annotator().name == "alice" and bob.own_annotator().name == "bob"
        random_edits(alice, "alice", random.Random(1), 30)
        random_edits(bob, "bob", random.Random(2), 30)
        sent_a, sent_b = sync_project(alice), sync_project(bob)
        assert sent_a.sent > 0 and sent_b.sent > 0 and sent_a.waiting == sent_b.waiting == 0
        again = sync_project(alice)  # brings bob's work on the shared documents
        assert again.sent == 0 and again.received > 0
        shared = _shared_hashes(alice, bob)
        assert len(shared) == 4
        assert layer_dump(alice, bob.own_annotator().uuid, shared) == layer_dump(bob, "bob", shared)
        assert sent_b.received > 0  # bob synced after alice: her work came with it
        assert layer_dump(bob, alice.own_annotator().uuid, shared) == layer_dump(alice, "alice", shared)
        # Nothing more to do, either way, however often.
        for project in (alice, bob, alice):
            assert sync_project(project).nothing_new
        with Project.open(pub.lead) as lead:
            pulled = sync_project(lead)
            assert pulled.sent == 0 and pulled.received > 0
            hers = _shared_hashes(alice)
            assert layer_dump(lead, alice.own_annotator().uuid, hers) == layer_dump(alice, "alice")
            assert lead.progress("alice")[0].done == alice.document_count("done", "alice")
            assert sync_project(lead).nothing_new


def test_sync_offline_edits_and_a_restarted_server(team_db, pg_cluster, tmp_path):
    pub = publish(team_db, tmp_path, count=6)
    pub.join("alice")
    with pub.open("alice") as alice:
        doc = first_doc(alice)
        pg_cluster.stop()
        try:
            alice.add_span(doc, 0, 2, "PERSON", annotator="alice")
            alice.set_status(doc, "done", annotator="alice")
            with pytest.raises(ServerUnreachable, match="cannot be reached"):
                sync_project(alice)
            status = sync_status(alice)
            assert status.waiting == 1 and status.offline_since is not None and "reached" in status.last_error
            alice.add_span(doc, 3, 5, "ORG", annotator="alice")  # more work while offline
        finally:
            pg_cluster.start()
        result = sync_project(alice)
        assert result.sent == 1 and result.waiting == 0
        assert sync_status(alice).offline_since is None
    rows = team_db.sql('SELECT label, start FROM annotator.spans ORDER BY start')
    assert rows == [("PERSON", 0), ("ORG", 3)]
    assert team_db.sql("SELECT status FROM annotator.layers") == [("done",)]


def test_sync_links_an_existing_file_and_sends_its_layer(team_db, tmp_path):
    """alice worked in her file from `team split`; the lead publishes the same project; she
    links her file (same annotator, by uuid) and her work goes up; bob's new file gets it."""
    from annotator.workflows.splitting import SplitOptions, split_project
    from team_projects import make_lead

    project = make_lead(tmp_path, 6)
    split_project(project, tmp_path / "team", SplitOptions(("alice", "bob"), overlap_docs=6))
    project.close()
    with Project.open(tmp_path / "team" / "alice.annotator") as copy:
        copy.add_span(first_doc(copy), 0, 2, "PERSON", annotator="alice")
        copy.set_status(first_doc(copy), "done", annotator="alice")
    pub = publish(team_db, tmp_path, annotators=("alice", "bob"), existing=tmp_path / "lead.annotator")
    linked = pub.join("alice", tmp_path / "team" / "alice.annotator")
    assert not linked.created and linked.sync.sent == 1 and linked.sync.documents_added == 0
    assert team_db.sql("SELECT label, start FROM annotator.spans") == [("PERSON", 0)]
    with pytest.raises(Exception, match="bob's own copy"):
        pub.join("alice", tmp_path / "team" / "bob.annotator")
    joined = pub.join("bob", tmp_path / "bob-new.annotator")
    assert joined.sync.received == 1
