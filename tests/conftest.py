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


# ------------------------------------------------------------------ team server (PostgreSQL)
@pytest.fixture(scope="session")
def pg_cluster():
    """One real PostgreSQL for the session (tests/pg_cluster.py). Without one the tests skip
    saying why, except on CI (``CI`` or ``ANNOTATOR_REQUIRE_POSTGRES`` set; .ci/run installs
    PostgreSQL), where a missing server fails them instead of hiding them."""
    from pg_cluster import cluster_or_skip, postgres_required

    cluster = cluster_or_skip(postgres_required(os.environ))
    previous = os.environ.get("PGPASSFILE")
    os.environ["PGPASSFILE"] = str(cluster.passfile)
    yield cluster
    if previous is None:
        os.environ.pop("PGPASSFILE", None)
    else:
        os.environ["PGPASSFILE"] = previous
    cluster.remove()


@pytest.fixture
def team_db(pg_cluster):
    """A fresh database of the session's cluster, owned by the role ``lead``; dropped after."""
    from pg_cluster import Team

    name = pg_cluster.new_database()
    yield Team(pg_cluster, name)
    pg_cluster.drop_database(name)
