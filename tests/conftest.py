"""Shared test setup: no display needed, no user settings or data touched."""

from __future__ import annotations

import os

# Before anything imports Qt: tests never need a display.
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import pytest  # noqa: E402

from annotator.store import Project  # noqa: E402


@pytest.fixture(autouse=True)
def _isolated_user_dirs(tmp_path_factory, monkeypatch):
    """platformdirs and QSettings write under a temporary home, never the real one."""
    home = tmp_path_factory.mktemp("home")
    for var in ("HOME", "XDG_DATA_HOME", "XDG_CONFIG_HOME", "XDG_CACHE_HOME"):
        monkeypatch.setenv(var, str(home / var.lower()) if var != "HOME" else str(home))


@pytest.fixture
def project(tmp_path):
    """A fresh project with the default scheme, closed after the test."""
    opened = Project.create(tmp_path / "test.annotator")
    yield opened
    opened.close()
