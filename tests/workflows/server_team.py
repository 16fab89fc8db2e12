"""A published team server for the sync tests: the lead's project on a fresh database of the
session's PostgreSQL (tests/pg_cluster.py), annotators joined as their own roles."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from annotator.store import Project
from annotator.workflows.server_admin import PublishOptions, init_server, join_server, publish_project

from team_projects import make_lead


@dataclass
class Published:
    team: object  # pg_cluster.Team
    folder: Path
    lead: Path

    def url(self, role: str = "lead") -> str:
        return self.team.url(role)

    def join(self, name: str, path: Path | None = None):
        return join_server(self.url(name), name, path or self.folder / f"{name}.annotator")

    def open(self, name: str) -> Project:
        return Project.open(self.folder / f"{name}.annotator")


def publish(team, folder: Path, *, count: int = 8, annotators=("alice", "bob"), reviewers=(), overlap_docs=2,
            lead_annotator: str | None = None, existing: Path | None = None) -> Published:
    """Init the server, let the roles in (the SQL of docs/teams.md), publish a lead project
    (a new one of ``count`` articles, or ``existing``)."""
    init_server(team.url("lead"))
    team.grant(*annotators, *reviewers)
    project = Project.open(existing) if existing else make_lead(folder, count, annotator=lead_annotator)
    try:
        publish_project(project, team.url("lead"), PublishOptions(tuple(annotators), overlap_docs=overlap_docs,
                                                                 seed=3, reviewers=tuple(reviewers)))
    finally:
        project.close()
    return Published(team, folder, existing or folder / "lead.annotator")


def first_doc(project: Project) -> int:
    return next(project.db.query("SELECT id FROM documents ORDER BY position LIMIT 1"))["id"]


def server_rows(team, sql: str, params: list | None = None) -> list:
    return team.sql(sql, params)
