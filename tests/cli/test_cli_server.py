"""``annotator server init | publish | status | join`` and ``annotator sync`` as a user runs them,
against a real PostgreSQL (tests/pg_cluster.py): the whole team round, then each failure as
one line and its exit status (2 the command, 3 the project or server unusable, 4 offline),
with the project file left as it was."""

from __future__ import annotations

import json
import socket
import sys
from pathlib import Path

from cli_driver import rows, run

sys.path.insert(0, str(Path(__file__).parents[1] / "workflows"))
from team_projects import make_lead  # noqa: E402


def _lead_project(tmp_path: Path) -> Path:
    make_lead(tmp_path, 6).close()
    return tmp_path / "lead.annotator"


def _published(team_db, tmp_path: Path) -> Path:
    assert run("server", "init", team_db.url("lead")).exit_code == 0
    team_db.grant("alice", "bob")
    lead = _lead_project(tmp_path)
    done = run("server", "publish", lead, team_db.url("lead"), "--annotators", "alice,bob", "--overlap-docs", "2")
    assert done.exit_code == 0, done.output
    return lead


def _spans(path: Path, annotator: str) -> list[tuple]:
    return rows(path, "SELECT d.content_hash, s.start, s.\"end\", l.name FROM spans s JOIN documents d"
                      " ON d.id = s.doc_id JOIN labels l ON l.id = s.label_id JOIN annotators a"
                      f" ON a.id = s.annotator_id WHERE a.name = '{annotator}' ORDER BY 1, 2")


def test_cli_server_round_init_publish_join_sync_status(team_db, tmp_path):
    init = run("server", "init", team_db.url("lead"))
    assert init.exit_code == 0 and "schema version" in init.output and "GRANT" in init.output
    again = run("server", "init", team_db.url("lead"))
    assert again.exit_code == 0 and "up to date" in again.output
    team_db.grant("alice", "bob")
    lead = _lead_project(tmp_path)
    published = run("server", "publish", lead, team_db.url("lead"), "--annotators", "alice,bob", "--overlap-docs", "2")
    assert published.exit_code == 0, published.output
    assert "6 documents, 6 new on the server" in published.output and "alice:" in published.output

    alice, bob = tmp_path / "alice.annotator", tmp_path / "bob.annotator"
    for name, path in (("alice", alice), ("bob", bob)):
        joined = run("server", "join", team_db.url(name), "--as", name, "--project", path)
        assert joined.exit_code == 0, joined.output
        assert f"created for {name}" in joined.output
    shared = set(r[0] for r in rows(alice, "SELECT content_hash FROM documents")) & set(
        r[0] for r in rows(bob, "SELECT content_hash FROM documents"))
    assert len(shared) == 2  # the overlap, in both files

    # Alice tags a span on a shared document through the CLI's own project API, syncs; bob gets it.
    from annotator.store import Project

    with Project.open(alice) as project:
        doc = next(project.db.query("SELECT id, text FROM documents WHERE content_hash = ?", [sorted(shared)[0]]))
        span = project.add_span(doc["id"], 0, 4, "PERSON", annotator="alice")
        # What only an import brings (a brat attribute, a note): it stays in her file, and says so.
        with project.transaction():
            project.db.execute("INSERT INTO attribute_values (span_id, attribute, value) VALUES (?, 'Negated', 'true')",
                               [span.id])
            project.db.execute("INSERT INTO annotation_notes (span_id, note) VALUES (?, 'check the spelling')",
                               [span.id])
    sent = run("sync", alice)
    assert sent.exit_code == 0 and "sent 1 document layer," in sent.output
    assert "note: 2 span or relation attribute values, notes" in sent.output
    for table in ("attribute_values", "annotation_notes"):
        assert rows(alice, f"SELECT count(*) FROM {table}") == [(1,)]
    assert "up to date" in run("sync", alice).output  # nothing twice
    received = run("sync", bob)
    assert received.exit_code == 0 and "received" in received.output
    assert _spans(bob, "alice") == _spans(alice, "alice") == [(sorted(shared)[0], 0, 4, "PERSON")]
    assert rows(bob, "SELECT count(*) FROM attribute_values") == [(0,)]  # not carried, as documented
    assert "note:" not in received.output  # bob's own layer holds none

    status = run("server", "status", team_db.url("lead"), "--json")
    assert status.exit_code == 0, status.output
    people = {p["annotator"]: p for p in json.loads(status.output)["annotators"]}
    assert people["alice"]["spans"] == 1 and people["bob"]["spans"] == 0
    assert people["alice"]["assigned"] == people["bob"]["assigned"] == 4
    text = run("server", "status", team_db.url("lead"))
    assert text.exit_code == 0 and "2 annotators" in text.output and "1 spans" in text.output


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_cli_server_unreachable_is_offline_exit_4_and_the_work_is_kept(team_db, pg_cluster, tmp_path):
    nowhere = f"postgresql://lead@127.0.0.1:{_free_port()}/team"
    for args in (("server", "init", nowhere), ("server", "status", nowhere),
                 ("server", "join", nowhere, "--as", "alice", "--project", tmp_path / "a.annotator")):
        result = run(*args)
        assert result.exit_code == 4, result.output
        assert result.output.startswith("offline: ") and "Traceback" not in result.output
    assert not (tmp_path / "a.annotator").exists()

    _published(team_db, tmp_path)
    alice = tmp_path / "alice.annotator"
    assert run("server", "join", team_db.url("alice"), "--as", "alice", "--project", alice).exit_code == 0
    from annotator.store import Project

    with Project.open(alice) as project:
        doc = next(project.db.query("SELECT id FROM documents ORDER BY id"))["id"]
        project.add_span(doc, 0, 4, "PERSON", annotator="alice")
    mine = _spans(alice, "alice")
    pg_cluster.stop()
    try:
        offline = run("sync", alice)
    finally:
        pg_cluster.start()
    assert offline.exit_code == 4 and offline.output.startswith("offline: "), offline.output
    assert _spans(alice, "alice") == mine  # nothing the user typed is lost
    assert rows(alice, "SELECT offline_since IS NOT NULL FROM sync_remote") == [(1,)]
    back = run("sync", alice)
    assert back.exit_code == 0 and "sent 1 document layer," in back.output, back.output
    assert rows(alice, "SELECT offline_since FROM sync_remote") == [(None,)]


def test_cli_server_refusals_name_the_problem_with_their_exit_status(team_db, tmp_path, monkeypatch):
    lead = _published(team_db, tmp_path)
    before = rows(lead, "SELECT count(*) FROM spans")
    # An address holding a password: refused before anything connects (exit 2).
    leaked = run("server", "status", team_db.url("lead").replace("lead@", "lead:hunter2@"))
    assert leaked.exit_code == 2 and "holds a password" in leaked.output and "hunter2" not in leaked.output
    # Not an address at all (exit 2).
    assert run("server", "init", "db.example.org").exit_code == 2
    # A project that was never linked to a server (exit 2, the file unchanged).
    from annotator.store import Project

    Project.create(tmp_path / "alone.annotator").close()
    unlinked = run("sync", tmp_path / "alone.annotator")
    assert unlinked.exit_code == 2 and unlinked.output.startswith("error: "), unlinked.output
    assert "server join" in unlinked.output or "not linked" in unlinked.output
    assert rows(lead, "SELECT count(*) FROM spans") == before
    # Options that do not fit (exit 2).
    bad_role = run("server", "publish", lead, team_db.url("lead"), "--role", "alice")
    assert bad_role.exit_code == 2 and "NAME=ROLE" in bad_role.output
    # A role the lead has not let in yet (exit 3, says what the lead runs; no file made).
    stranger = run("server", "join", team_db.url("carol"), "--as", "carol", "--project", tmp_path / "c.annotator")
    assert stranger.exit_code == 3 and stranger.output.startswith("error: ") and "GRANT" in stranger.output
    assert not (tmp_path / "c.annotator").exists()
    # A database that is not there: not "offline" (waiting will not fix it) but exit 3.
    elsewhere = run("server", "status", team_db.url("lead").replace(team_db.database, "nosuchdb"))
    assert elsewhere.exit_code == 3 and "nosuchdb" in elsewhere.output and "database" in elsewhere.output
    # The wrong password: the login is refused (exit 3).
    alice = tmp_path / "alice.annotator"
    assert run("server", "join", team_db.url("alice"), "--as", "alice", "--project", alice).exit_code == 0
    wrong = tmp_path / "wrong-pgpass"
    wrong.write_text("*:*:*:alice:not-her-password\n", encoding="utf-8")
    wrong.chmod(0o600)
    monkeypatch.setenv("PGPASSFILE", str(wrong))
    refused = run("sync", alice)
    assert refused.exit_code == 3 and "refused the login" in refused.output, refused.output
    assert "not-her-password" not in refused.output
    # A server of a newer schema version (exit 3, says what to do).
    monkeypatch.undo()
    team_db.sql("UPDATE annotator.meta SET value = '999' WHERE key = 'schema_version'")
    newer = run("sync", alice)
    assert newer.exit_code == 3 and "999" in newer.output, newer.output
