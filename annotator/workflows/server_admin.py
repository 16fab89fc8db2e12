"""The lead's side of a team server, and joining one: ``annotator server init | publish |
status | join``.

- ``init_server``: create or upgrade the server's schema (store/server/schema.py).
- ``publish_project``: the lead's project's scheme, annotators, documents (with undecided
  suggestions) and an assignment made with ``team split``'s rules (core.team.plan_split)
  for the documents nobody on the server has yet; the work already in the project (units
  the server lacks); then the lead's project is linked to the server as the one that sees
  every layer (``annotator sync`` brings everyone's work into it).
- ``server_progress``: per-annotator progress, read from the server.
- ``join_server``: create or link an annotator's project file and sync it once.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from ..core.scheme import scheme_data
from ..core.team import Annotator, compare_schemes, plan_split
from ..store import Project, ProjectError
from ..store import sync_apply
from ..store import sync_state as state
from ..store.project import now_iso
from ..store.server import ServerError
from ..store.server import admin
from ..store.server import connection as server
from ..store.server.schema import check_version, initialize, meta
from .server_scheme import scheme_of
from .sync import ServerProjectMismatch, SyncError, SyncResult, send_units, sync_project

Connect = Callable[[str], object]


# ------------------------------------------------------------------ init
@dataclass
class InitResult:
    version_before: int | None
    applied: list[str]
    version: int
    team_role: str
    project_id: str


def init_server(url: str, team_role: str | None = None, connect: Connect = server.connect) -> InitResult:
    with server.errors(url):
        conn = connect(url)
        try:
            before, applied = initialize(conn, team_role)
            with conn.cursor() as cur:
                info = meta(cur)
            conn.commit()
        finally:
            conn.close()
    return InitResult(before, [f"{m.version}: {m.description}" for m in applied], int(info["schema_version"]),
                      info["team_role"], info["project_id"])


# ------------------------------------------------------------------ publish
@dataclass(frozen=True)
class PublishOptions:
    annotators: tuple[str, ...] = ()
    overlap: float | None = None
    overlap_docs: int | None = None
    per_doc: int = 1
    seed: int = 0
    reviewers: tuple[str, ...] = ()
    roles: dict[str, str] = field(default_factory=dict)  # annotator name -> PostgreSQL role (default: the name)


@dataclass
class PublishResult:
    documents: int = 0  # in the project
    documents_added: int = 0  # new to the server
    suggestions_added: int = 0
    assigned: dict[str, int] = field(default_factory=dict)  # annotator ref -> documents newly assigned
    reviewers: list[str] = field(default_factory=list)
    units_sent: int = 0  # layers of documents already in the project, sent
    units_kept: int = 0  # of those, ones the server had from someone else (kept)
    scheme_published: bool = False
    uncarried: int = 0  # attribute values, notes, events, equivalences that stay in the file
    seconds: float = 0.0


def publish_project(project: Project, url: str, options: PublishOptions, connect: Connect = server.connect,
                    progress: Callable[[int, int, str], None] | None = None) -> PublishResult:
    """Publish (see the module's docstring). The server side is one transaction: it lands
    whole or not at all. Raises SyncError for options that do not fit, ServerError for the server."""
    report = progress or (lambda done, total, message: None)
    started = time.perf_counter()
    names = list(options.annotators)
    if not names and not options.reviewers:
        raise SyncError("name the annotators (--annotators alice,bob) or reviewers (--reviewers NAME)")
    result = PublishResult()
    with server.errors(url):
        conn = connect(url)
        try:
            with conn.cursor() as cur:
                check_version(cur, url)
                if not admin.is_owner(cur):
                    raise ServerError(f"{url}: publishing needs the role that ran `annotator server init` (the owner "
                                      f"of the server's tables); you are {admin.current_role(cur)}")
                server_id = meta(cur)["project_id"]
            conn.rollback()
            linked = state.remote(project)
            if linked is not None and linked.server_id != server_id:
                raise ServerProjectMismatch(f"{project.path.name} is linked to another server project ({linked.url})")
            report(0, 3, "publishing documents and assignment")
            people, gold = _register(project, names, options.reviewers)
            with conn.transaction(), conn.cursor() as cur:
                server_doc, plan = _publish(cur, project, people, gold, options, result)
            # The project learns what the server holds only once the server has committed it.
            with project.transaction():
                state.map_documents(project, server_doc.items())
                project.assign(plan, replace=False)
            report(1, 3, "publishing the work already in the project")
            remote = state.link(project, url, server_id, None, scope="all")
            _send_existing(conn, project, remote, [*people.values(), *([gold] if gold else [])], result)
            report(2, 3, "published")
        finally:
            conn.close()
    result.uncarried = state.uncarried(project)
    result.seconds = time.perf_counter() - started
    return result


def _register(project: Project, names: Sequence[str], reviewers: Sequence[str]
              ) -> tuple[dict[str, Annotator], Annotator | None]:
    """Annotators (and reviewers) by name, registered in the lead's project (new UUIDs where
    new); the gold layer's annotator when there are reviewers."""
    try:
        with project.transaction():
            for name in [*names, *reviewers]:
                project.annotator_id(name)
            # The review's reserved gold annotator (store/gold.py), so that review mode and
            # `export --layer gold` find the layer reviewers sync.
            gold = project.ensure_gold() if reviewers else None
        everyone = [*names, *[r for r in reviewers if r not in names]]
        return {name: project.find_annotator(name) for name in everyone}, gold
    except ProjectError as exc:
        raise SyncError(str(exc)) from exc


def _publish(cur, project: Project, people: dict[str, Annotator], gold: Annotator | None, options: PublishOptions,
             result: PublishResult) -> tuple[dict[int, int], dict[str, list[int]]]:
    """The server's part, in the caller's transaction. Returns (local document id -> server
    id, annotator uuid -> local ids of the documents newly assigned to them)."""
    scheme = project.scheme()
    result.scheme_published = admin.publish_scheme(cur, scheme_data(scheme), project.scheme_fingerprint(), now_iso())
    existing_gold = admin.gold_annotator(cur)
    if gold is not None and existing_gold is not None and existing_gold.uuid != gold.uuid:
        raise ServerProjectMismatch(f"the server's gold layer is another annotator's ({existing_gold.uuid}) than this "
                                    f"project's gold ({gold.uuid})")
    rows = [(a.uuid, a.name, options.roles.get(name, name), "annotator", name in options.reviewers, a.created_at)
            for name, a in people.items()]
    if gold is not None:
        rows.append((gold.uuid, gold.name, None, "gold", False, gold.created_at))
    admin.add_annotators(cur, rows)
    documents = sync_apply.documents_for_publishing(project)
    result.documents = len(documents)
    ids, added = admin.add_documents(cur, [row[1:] for row in documents])
    result.documents_added = len(added)
    server_doc = {row[0]: ids[row[1]] for row in documents}
    new_docs = [row[0] for row in documents if row[1] in added]
    suggestions = [(server_doc[row[0]], *row[1:]) for row in sync_apply.undecided_suggestions(project, new_docs)]
    result.suggestions_added = admin.add_suggestions(cur, suggestions)
    annotating = list(options.annotators)
    plan: dict[str, list[int]] = {}
    if annotating:
        taken = admin.assigned_documents(cur)
        free = [doc for doc, sid in server_doc.items() if sid not in taken]
        try:
            plan = plan_split(free, annotating, overlap=options.overlap, overlap_docs=options.overlap_docs,
                              per_doc=options.per_doc, seed=options.seed)
        except ValueError as exc:
            raise SyncError(str(exc)) from exc
        now = now_iso()
        admin.add_assignments(cur, [(server_doc[d], people[name].uuid, now) for name, docs in plan.items()
                                    for d in docs])
        result.assigned = {people[name].ref: len(docs) for name, docs in plan.items()}
    result.reviewers = [people[name].ref for name in options.reviewers]
    return server_doc, {people[name].uuid: docs for name, docs in plan.items()}


def _send_existing(conn, project: Project, remote: state.Remote, people: Sequence[Annotator],
                   result: PublishResult) -> None:
    """Units the lead's project already holds for these annotators, where the server has none
    from anyone else (a second round keeps their work; it never replaces what they sent)."""
    doc_map = state.server_documents(project)
    keys = [(d, a) for d, a in sync_apply.units_with_content(project, [p.id for p in people]) if d in doc_map]
    if not keys:
        return
    receipt = send_units(conn, project, remote.client_id, [(d, a, 0, None) for d, a in keys], doc_map)
    local_doc = {sid: doc for doc, sid in doc_map.items()}
    local_person = {p.uuid: p.id for p in project.annotator_list()}
    with project.transaction():
        state.record_units(project, [(local_doc[d], local_person[u], seq) for d, u, seq in
                                     [*receipt.written, *receipt.already]])
    result.units_sent, result.units_kept = len(receipt.written), len(receipt.conflicts)


# ------------------------------------------------------------------ status
def server_progress(url: str, connect: Connect = server.connect) -> list[admin.ServerProgress]:
    with server.errors(url):
        conn = connect(url)
        try:
            with conn.cursor() as cur:
                check_version(cur, url)
                return admin.progress(cur)
        finally:
            conn.close()


# ------------------------------------------------------------------ join
@dataclass
class JoinResult:
    path: Path
    created: bool
    annotator: str
    reviewer: bool
    sync: SyncResult


def join_server(url: str, name: str, path: str | Path, connect: Connect = server.connect,
                progress: Callable[[int, int, str], None] | None = None) -> JoinResult:
    """Create ``path`` (or link it, when it exists) as ``name``'s copy of the server project,
    then sync it once. The PostgreSQL role connecting must be the one that writes ``name``'s
    layer."""
    path = Path(path)
    with server.errors(url):
        conn = connect(url)
        try:
            with conn.cursor() as cur:
                check_version(cur, url)
                info = meta(cur)
                everyone = admin.annotators(cur)
                role = admin.current_role(cur)
            conn.rollback()
        finally:
            conn.close()
    scheme = scheme_of(info)
    me = _member(everyone, name, role, url)
    gold = next((a for a in everyone if a.kind == "gold"), None)
    created = not path.exists()
    project = Project.create(path, scheme=scheme) if created else Project.open(path)
    try:
        difference = compare_schemes(scheme, project.scheme())
        if not created and difference:
            wrong = "; ".join([*difference.conflicts, *difference.missing])
            raise ServerProjectMismatch(f"{path.name}: its labels are not the server project's ({wrong}); join into a "
                                        "new file (--project NEW.annotator)")
        annotator = _own(project, me)
        if me.reviewer and gold is not None and project.known_annotator(gold.uuid) is None:
            project.add_annotator(gold.name, gold.uuid, separate_status=True)
        state.link(project, url, info["project_id"], annotator, reviewer=me.reviewer,
                   gold_uuid=gold.uuid if gold else None, scope="all" if me.reviewer else "assigned")
        result = sync_project(project, progress=progress, connect=connect)
    except BaseException:
        project.close()
        if created:
            for suffix in ("", "-wal", "-shm"):
                Path(f"{path}{suffix}").unlink(missing_ok=True)
        raise
    project.close()
    return JoinResult(path, created, me.name, me.reviewer, result)


def _member(everyone: Sequence[admin.ServerAnnotator], name: str, role: str, url: str) -> admin.ServerAnnotator:
    found = [a for a in everyone if a.kind == "annotator" and (a.name == name or a.uuid == name)]
    if not found:
        known = ", ".join(a.name for a in everyone if a.kind == "annotator") or "none"
        raise SyncError(f"{url}: no annotator called {name!r} on this server (known: {known})")
    if len(found) > 1:
        raise SyncError(f"{url}: {len(found)} annotators are called {name!r}; give the uuid instead "
                        f"({', '.join(a.uuid for a in found)})")
    if found[0].role != role:
        raise SyncError(f"{url}: you are connected as the PostgreSQL role {role!r}, but {name}'s layer is written by "
                        f"the role {found[0].role!r}; connect as that role (user in the address or PGUSER)")
    return found[0]


def _own(project: Project, me: admin.ServerAnnotator) -> Annotator:
    """Make the project ``me``'s own copy: a new file, or an existing one that is theirs or nobody's."""
    mine = project.known_annotator(me.uuid)
    own = project.own_annotator()
    if own is not None and own.uuid != me.uuid:
        raise SyncError(f"{project.path.name} is {own.ref}'s own copy (uuid {own.uuid}), not {me.name}'s: "
                        "join into a new file (--project NEW.annotator)")
    namesake = next((a for a in project.annotator_list() if a.name == me.name and a.uuid != me.uuid), None)
    if mine is None and namesake is not None:
        raise SyncError(f"{project.path.name} has another annotator called {me.name} (uuid {namesake.uuid}) than the "
                        f"server's ({me.uuid}); join into a new file (--project NEW.annotator)")
    if mine is None:
        project.add_annotator(me.name, me.uuid, separate_status=False)
    return project.set_own_annotator(me.uuid)
