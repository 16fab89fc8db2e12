"""The editing lock: a second session learns who holds the project; stale locks are taken."""

from __future__ import annotations

import pytest

from annotator.store import Project, ProjectError


def test_session_lock_second_session_is_told_who(project):
    assert project.acquire_lock("ana") is None
    with Project.open(project.path) as second:
        holder = second.acquire_lock("ben")
        assert holder is not None and holder.holder == "ana" and "ana on" in holder.describe()
    project.release_lock()
    with Project.open(project.path) as second:
        assert second.acquire_lock("ben") is None


def test_session_lock_dead_process_is_stale(project):
    project.acquire_lock("ana")
    project.db.execute("UPDATE session_lock SET pid = 999999999")
    with Project.open(project.path) as second:
        assert second.acquire_lock("ben") is None
        assert second.lock_holder().holder == "ben"
        assert project.heartbeat() is False  # ours was taken over


def test_session_lock_released_on_close(tmp_path):
    path = tmp_path / "p.annotator"
    first = Project.create(path)
    first.acquire_lock("ana")
    first.close()
    with Project.open(path) as again:
        assert again.lock_holder() is None


def test_session_lock_read_only_refuses_writes(project):
    project.read_only = True
    before = project.row_counts()
    with pytest.raises(ProjectError, match="read-only"):
        project.set_setting("x", "1")
    assert project.row_counts() == before
