"""The team-server tests' PostgreSQL (tests/pg_cluster.py): without one they skip on a
developer's machine and fail on CI, so a CI run never passes by hiding them."""

from __future__ import annotations

import pytest

import pg_cluster


def _no_postgres(monkeypatch):
    def missing(name: str) -> str:
        raise pg_cluster.ClusterUnavailable(f"no {name} (install the Debian package postgresql)")

    monkeypatch.setattr(pg_cluster, "find_binary", missing)


def test_without_postgres_the_tests_skip_locally_and_fail_on_ci(monkeypatch):
    _no_postgres(monkeypatch)
    with pytest.raises(pytest.skip.Exception, match="no initdb"):
        pg_cluster.cluster_or_skip(required=False)
    with pytest.raises(pytest.fail.Exception, match="required on CI"):
        pg_cluster.cluster_or_skip(required=True)


@pytest.mark.parametrize("environ, required", [
    ({}, False), ({"CI": "true"}, True), ({"ANNOTATOR_REQUIRE_POSTGRES": "1"}, True), ({"CI": ""}, False)])
def test_ci_requires_postgres(environ, required):
    assert pg_cluster.postgres_required(environ) is required
