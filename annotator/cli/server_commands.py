"""The team server: ``annotator server init | publish | status | join`` and ``annotator sync``.

Exit status: 2 for what the user can fix in the command (a bad address, an address holding a
password, an unknown annotator, options that do not fit); 3 when the project or server
cannot be used (login refused, another schema version, another label scheme, a write the
server refused); 4 when the server cannot be reached (the work is kept; try again later).
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager

import click

from ..store import ProjectError
from . import main
from .common import EXIT_INPUT, EXIT_PROJECT, fail, open_for_writing, progress_line, wait_option

EXIT_OFFLINE = 4


@contextmanager
def _reported() -> Iterator[None]:
    """Every failure of the server or the sync as one line and its exit status."""
    from ..store.server import BadAddress, ServerError, ServerUnreachable
    from ..workflows.sync import NotLinked, ServerProjectMismatch, SyncError

    try:
        yield
    except BadAddress as exc:
        fail(f"error: {exc}", EXIT_INPUT)
    except ServerUnreachable as exc:
        fail(f"offline: {exc}", EXIT_OFFLINE)
    except ServerError as exc:
        fail(f"error: {exc}", EXIT_PROJECT)
    except (NotLinked, ServerProjectMismatch) as exc:
        fail(f"error: {exc}", EXIT_PROJECT if isinstance(exc, ServerProjectMismatch) else EXIT_INPUT)
    except SyncError as exc:
        fail(f"error: {exc}", EXIT_INPUT)
    except ProjectError as exc:
        fail(f"error: {exc}", EXIT_PROJECT)


@main.group()
def server() -> None:
    """A team server (PostgreSQL) every annotator's project syncs with: set it up, publish the
    work, follow progress, join it. Passwords come from ~/.pgpass, PGPASSFILE, a service file
    or PGPASSWORD, never from the address."""


@server.command("init")
@click.argument("url")
@click.option("--team-role", default=None, metavar="ROLE",
              help="The group role annotators are members of (default: DATABASE_annotators).")
def init(url: str, team_role: str | None) -> None:
    """Create the annotator schema in the database URL names, or upgrade it (as the lead's role)."""
    from ..workflows.server_admin import init_server

    with _reported():
        result = init_server(url, team_role)
    if result.applied:
        click.echo(f"{url}: schema version {result.version} ({len(result.applied)} migration(s) applied)")
    else:
        click.echo(f"{url}: schema version {result.version}, up to date")
    click.echo(f"team role: {result.team_role} (GRANT {result.team_role} TO each annotator's role)")


def _roles(values: tuple[str, ...]) -> dict[str, str]:
    roles = {}
    for value in values:
        name, sep, role = value.partition("=")
        if not sep or not name.strip() or not role.strip():
            fail(f"error: --role {value!r}: write NAME=ROLE, e.g. --role alice=alice_pg", EXIT_INPUT)
        roles[name.strip()] = role.strip()
    return roles


@server.command("publish")
@click.argument("project", type=click.Path(exists=True, dir_okay=False))
@click.argument("url")
@click.option("--annotators", default="", metavar="NAME,NAME,...", help="Who annotates (each a PostgreSQL role).")
@click.option("--reviewers", default="", metavar="NAME,...", help="Who writes the gold layer (each a role).")
@click.option("--overlap", type=float, default=None, help="Share of documents (0-1) every annotator gets.")
@click.option("--overlap-docs", type=int, default=None, help="Or: this many documents every annotator gets.")
@click.option("--per-doc", type=int, default=1, show_default=True, help="Annotators per document outside the overlap.")
@click.option("--seed", type=int, default=0, show_default=True, help="Seed of the random choice of documents.")
@click.option("--role", "roles", multiple=True, metavar="NAME=ROLE",
              help="The PostgreSQL role of an annotator whose role is not their name (repeatable).")
@wait_option
def publish(project: str, url: str, annotators: str, reviewers: str, overlap: float | None, overlap_docs: int | None,
            per_doc: int, seed: int, roles: tuple[str, ...], wait: float | None) -> None:
    """Put PROJECT's scheme, documents and work on the server and deal the documents nobody has
    yet among the annotators (team split's rules). Adds; never replaces what is there."""
    from ..workflows.server_admin import PublishOptions, publish_project

    names = tuple(n.strip() for n in annotators.split(",") if n.strip())
    checking = tuple(n.strip() for n in reviewers.split(",") if n.strip())
    options = PublishOptions(names, overlap, overlap_docs, per_doc, seed, checking, _roles(roles))
    report, clear = progress_line()
    with open_for_writing(project, "server publish", wait=wait) as opened, _reported():
        try:
            result = publish_project(opened, url, options, progress=report)
        finally:
            clear()
    click.echo(f"{project}: {result.documents:,} documents, {result.documents_added:,} new on the server"
               + (f", {result.suggestions_added:,} suggestions" if result.suggestions_added else ""))
    for ref, count in result.assigned.items():
        click.echo(f"  {ref}: {count:,} documents assigned")
    if result.reviewers:
        click.echo(f"  reviewers (gold layer): {', '.join(result.reviewers)}")
    if result.units_sent or result.units_kept:
        click.echo(f"  work already in the project: {result.units_sent:,} document layer"
                   f"{'' if result.units_sent == 1 else 's'} sent"
                   + (f", {result.units_kept:,} kept as the server has them" if result.units_kept else ""))
    click.echo(f"published in {result.seconds:.1f} s; annotator sync {project} brings everyone's work here")
    _uncarried(result.uncarried)


@server.command("status")
@click.argument("url")
@click.option("--json", "as_json", is_flag=True, help="Machine-readable output.")
def status(url: str, as_json: bool) -> None:
    """Each annotator's progress on the server: done, skipped, todo of their documents."""
    from ..workflows.server_admin import server_progress

    with _reported():
        progress = server_progress(url)
    rows = [{"annotator": p.annotator.name, "uuid": p.annotator.uuid, "role": p.annotator.role,
             "kind": p.annotator.kind, "reviewer": p.annotator.reviewer, "assigned": p.assigned,
             "documents": p.total, "done": p.done, "skipped": p.skipped, "todo": p.todo, "spans": p.spans,
             "claims": p.claims, "last_sent": p.last_write} for p in progress]
    if as_json:
        click.echo(json.dumps({"server": url, "annotators": rows}, indent=2, ensure_ascii=False))
        return
    click.echo(f"{url}: {len([r for r in rows if r['kind'] == 'annotator'])} annotators")
    width = max((len(r["annotator"]) for r in rows), default=9)
    for r in rows:
        scope = f"of {r['assigned']:,} assigned" if r["assigned"] else f"of all {r['documents']:,}"
        extra = " (reviewer)" if r["reviewer"] else " (gold layer)" if r["kind"] == "gold" else ""
        last = f"; last sent {r['last_sent'][:16]}" if r["last_sent"] else "; nothing sent yet"
        click.echo(f"  {r['annotator']:<{width}}  {r['done']:>6,} done, {r['skipped']:,} skipped, {r['todo']:,} todo "
                   f"{scope}; {r['spans']:,} spans, {r['claims']:,} claims{last}{extra}")


@server.command("join")
@click.argument("url")
@click.option("--as", "name", required=True, metavar="NAME", help="Your annotator name on the server.")
@click.option("--project", "path", type=click.Path(dir_okay=False), default=None,
              help="The project file to create, or an existing one of yours to link (default: NAME.annotator).")
def join(url: str, name: str, path: str | None) -> None:
    """Create (or link) your project file with the documents assigned to you, and sync it."""
    from ..workflows.server_admin import join_server

    report, clear = progress_line()
    with _reported():
        try:
            result = join_server(url, name, path or f"{name}.annotator", progress=report)
        finally:
            clear()
    what = "created" if result.created else "linked"
    role = " as a reviewer (gold layer)" if result.reviewer else ""
    click.echo(f"{result.path}: {what} for {result.annotator}{role}; {_summary(result.sync)}")
    _conflicts(result.sync)
    _uncarried(result.sync.uncarried)
    click.echo(f"from now on: annotator sync {result.path} (the window syncs by itself)")


@main.command("sync")
@click.argument("project", type=click.Path(exists=True, dir_okay=False))
@click.option("--resolve", type=click.Choice(["mine", "theirs"]), default=None,
              help="For conflicts: send your version over the server's (mine) or take the server's (theirs).")
@wait_option
def sync(project: str, resolve: str | None, wait: float | None) -> None:
    """Send this project's changes to its team server and bring everyone else's (headless,
    safe to repeat: an interrupted sync is simply run again)."""
    from ..workflows.sync import sync_project

    report, clear = progress_line()
    with open_for_writing(project, "sync", wait=wait) as opened, _reported():
        try:
            result = sync_project(opened, resolve=resolve, progress=report)
        finally:
            clear()
    click.echo(f"{project}: {_summary(result)}")
    _conflicts(result)
    _uncarried(result.uncarried)


def _summary(result) -> str:
    if result.nothing_new and not result.conflicts:
        return "up to date" + (f", {result.waiting:,} changes waiting" if result.waiting else "")
    parts = [f"sent {result.sent:,} document layer{'' if result.sent == 1 else 's'}", f"received {result.received:,}"]
    if result.documents_added:
        parts.append(f"{result.documents_added:,} new documents")
    if result.already:
        parts.append(f"{result.already:,} already on the server from an earlier try")
    if result.not_on_server:
        parts.append(f"{result.not_on_server:,} of documents the server does not have (not sent)")
    if result.resolved:
        parts.append(f"{result.resolved:,} conflicts resolved")
    if result.waiting:
        parts.append(f"{result.waiting:,} changes waiting")
    return ", ".join(parts) + f" in {result.seconds:.2f} s"


def _uncarried(count: int) -> None:
    if count:
        click.echo(f"note: {count:,} span or relation attribute values, notes, events and equivalences (from "
                   "imported files) stay in this project: the team server does not carry them (docs/teams.md)",
                   err=True)


def _conflicts(result, echo: Callable[..., None] = click.echo) -> None:
    from ..workflows.sync import conflicts_text

    for line in conflicts_text(result.conflicts):
        echo(f"conflict: {line}", err=True)
    if result.conflicts:
        sys.stderr.flush()
