"""Schema migrations: each applied once, atomically with its version bump."""

from __future__ import annotations

import sqlite3

import pytest

from annotator.store import Project
from annotator.store import migrations
from annotator.store.migrations import Migration


def _tables(path):
    conn = sqlite3.connect(path)
    try:
        return sorted(r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'"))
    finally:
        conn.close()


def _version(path):
    conn = sqlite3.connect(path)
    try:
        return conn.execute("PRAGMA user_version").fetchone()[0]
    finally:
        conn.close()


def test_migrations_are_consecutive_from_one():
    assert [m.version for m in migrations.MIGRATIONS] == list(range(1, migrations.LATEST_VERSION + 1))


def test_migrations_new_migration_applied_once(tmp_path, monkeypatch):
    path = tmp_path / "p.annotator"
    Project.create(path).close()
    runs = []

    def add_notes(db):
        runs.append(1)
        db.execute("CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT NOT NULL)")

    step = Migration(migrations.LATEST_VERSION + 1, "notes", add_notes)
    monkeypatch.setattr(migrations, "MIGRATIONS", [*migrations.MIGRATIONS, step])
    monkeypatch.setattr(migrations, "LATEST_VERSION", step.version)
    Project.open(path).close()
    Project.open(path).close()
    assert runs == [1]
    assert _version(path) == step.version
    assert "notes" in _tables(path)


def test_migrations_failing_migration_leaves_file_unchanged(tmp_path, monkeypatch):
    path = tmp_path / "p.annotator"
    Project.create(path).close()
    tables_before = _tables(path)
    version_before = _version(path)

    def half_done(db):
        db.execute("CREATE TABLE notes (id INTEGER PRIMARY KEY)")
        db.execute("INSERT INTO project_settings (key, value) VALUES ('half', 'done')")
        raise RuntimeError("migration bug")

    step = Migration(migrations.LATEST_VERSION + 1, "broken", half_done)
    monkeypatch.setattr(migrations, "MIGRATIONS", [*migrations.MIGRATIONS, step])
    monkeypatch.setattr(migrations, "LATEST_VERSION", step.version)
    with pytest.raises(RuntimeError, match="migration bug"):
        Project.open(path)
    assert _version(path) == version_before
    assert _tables(path) == tables_before
    conn = sqlite3.connect(path)
    assert conn.execute("SELECT count(*) FROM project_settings WHERE key = 'half'").fetchone()[0] == 0
    conn.close()


def test_migrations_failing_second_step_keeps_first(tmp_path, monkeypatch):
    path = tmp_path / "p.annotator"
    Project.create(path).close()
    base = migrations.LATEST_VERSION

    def good(db):
        db.execute("CREATE TABLE good (id INTEGER PRIMARY KEY)")

    def bad(db):
        db.execute("CREATE TABLE bad (id INTEGER PRIMARY KEY)")
        raise RuntimeError("second step fails")

    steps = [Migration(base + 1, "good", good), Migration(base + 2, "bad", bad)]
    monkeypatch.setattr(migrations, "MIGRATIONS", [*migrations.MIGRATIONS, *steps])
    monkeypatch.setattr(migrations, "LATEST_VERSION", base + 2)
    with pytest.raises(RuntimeError):
        Project.open(path)
    assert _version(path) == base + 1
    assert "good" in _tables(path) and "bad" not in _tables(path)


def test_migrations_schema_has_expected_tables(project):
    tables = set(project.db.table_names())
    assert {"documents", "labels", "spans", "claims", "claim_values", "relations", "doc_labels",
            "annotators", "project_settings", "claim_attributes"} <= tables
