"""Project.transaction(): atomic writes, savepoints when nested, WAL readers and waiting writers."""

from __future__ import annotations

import threading
import time

import pytest

from annotator.store import Project


def _settings(project):
    return {r["key"]: r["value"] for r in project.db.query("SELECT key, value FROM project_settings")}


def test_transactions_rollback_on_exception(project):
    before = _settings(project)
    with pytest.raises(RuntimeError):
        with project.transaction():
            project.set_setting("a", "1")
            project.db.execute("INSERT INTO annotators (uuid, name, created_at) VALUES ('u', 'x', 'now')")
            raise RuntimeError("boom")
    assert _settings(project) == before
    assert project.annotators() == []
    assert not project.db.conn.in_transaction


def test_transactions_commit_visible_to_other_connection(project):
    with project.transaction():
        project.set_setting("a", "1")
    with Project.open(project.path) as other:
        assert other.setting("a") == "1"


def test_transactions_nested_failure_rolls_back_savepoint_only(project):
    with project.transaction():
        project.set_setting("outer", "1")
        with pytest.raises(ValueError):
            with project.transaction():
                project.set_setting("inner", "1")
                raise ValueError("inner fails")
        assert project.db.conn.in_transaction
        project.set_setting("after", "1")
    settings = _settings(project)
    assert settings["outer"] == "1" and settings["after"] == "1"
    assert "inner" not in settings


def test_transactions_outer_failure_rolls_back_committed_inner(project):
    with pytest.raises(ValueError):
        with project.transaction():
            with project.transaction():
                project.set_setting("inner", "1")
            raise ValueError
    assert "inner" not in _settings(project)


def test_transactions_reader_sees_snapshot_while_writer_writes(project):
    with Project.open(project.path) as reader:
        with project.transaction():
            project.set_setting("pending", "1")
            # WAL: the reader is not blocked and sees the last committed state.
            assert reader.setting("pending") is None
            assert len(reader.labels()) == 11
        assert reader.setting("pending") == "1"


def test_transactions_concurrent_writer_waits(project):
    started, done = threading.Event(), threading.Event()
    errors = []

    def hold_write_lock():
        try:
            other = Project.open(project.path)
            try:
                with other.transaction():
                    other.set_setting("thread", "1")
                    started.set()
                    time.sleep(0.4)
            finally:
                other.close()
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)
            started.set()
        finally:
            done.set()

    thread = threading.Thread(target=hold_write_lock)
    thread.start()
    assert started.wait(5)
    t0 = time.monotonic()
    with project.transaction():  # must wait for the lock, not fail with "database is locked"
        project.set_setting("main", "1")
    waited = time.monotonic() - t0
    thread.join(5)
    assert not errors
    assert waited > 0.2
    assert _settings(project)["thread"] == "1" and _settings(project)["main"] == "1"
