"""Syncing a project with the team server (``annotator sync``, and the window in the background).

A sync pushes, then pulls:

- **push**: the units (one annotator's layer of one document, as ``merge`` has them) of the
  layers this file writes, changed since the last acknowledged change number, each
  replacing the server's copy of it; a unit the server has since had from someone else is a
  conflict, kept here and shown, never overwritten without the user's word (``resolve``);
- **pull**: every unit in this file's scope that changed on the server since the last pull
  and was not written by this file, and documents new to its scope (with all their layers),
  reconciled into the file exactly as ``merge`` reconciles a file's layers.

Each side is one transaction, so a connection lost at any moment leaves both sides as they
were or as they should be; retrying sends nothing twice (store/server/exchange.py).
"""

from __future__ import annotations

import time
from datetime import datetime, timezone
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from ..core.layer_merge import LayerContent, MergePlanner
from ..core.layer_sync import PulledLayers, UnitDecodeError, from_server
from ..core.team import compare_schemes
from ..store import Project, ProjectError
from ..store import layer_rows as rows
from ..store import sync_apply
from ..store import sync_state as state
from ..store.sync_push_rows import UnitRows
from ..store.server import ServerUnreachable
from ..store.server import connection as server
from ..store.server import exchange
from ..store.server.schema import check_version, meta
from .server_scheme import scheme_of

Progress = Callable[[int, int, str], None]
STEPS = 3  # send, receive, write what came into the file
BATCH_DOCUMENTS = 500
RESOLUTIONS = ("mine", "theirs")


class SyncError(Exception):
    """A sync that cannot be done as asked; nothing was changed. The message is for the user.
    (Failures of the server itself come as store.server's ServerError subclasses.)"""


class NotLinked(SyncError):
    """The project is not linked to a team server."""


class ServerProjectMismatch(SyncError):
    """The server is not the server project this file was linked to, or its scheme differs."""


@dataclass
class SyncResult:
    sent: int = 0  # units written to the server
    already: int = 0  # units the server had from an earlier try
    not_on_server: int = 0  # changed units of documents the server does not have
    received: int = 0  # units brought in
    documents_added: int = 0
    suggestions_added: int = 0
    new_conflicts: list[state.Conflict] = field(default_factory=list)
    conflicts: list[state.Conflict] = field(default_factory=list)  # every open conflict after the sync
    resolved: int = 0
    waiting: int = 0  # changes still to send (edits made during the sync)
    uncarried: int = 0  # attribute values, notes, events, equivalences of this file's layers (not sent)
    seconds: float = 0.0

    @property
    def nothing_new(self) -> bool:
        return not (self.sent or self.received or self.documents_added or self.new_conflicts or self.resolved)


@dataclass(frozen=True)
class SyncStatus:
    """What a status bar shows: linked or not, changes waiting, offline since when, conflicts."""

    linked: bool
    url: str = ""
    waiting: int = 0
    last_sync_at: str | None = None
    offline_since: str | None = None
    last_error: str | None = None
    conflicts: int = 0


def sync_status(project: Project) -> SyncStatus:
    remote = state.remote(project)
    if remote is None:
        return SyncStatus(False)
    return SyncStatus(True, remote.url, state.pending_count(project), remote.last_sync_at, remote.offline_since,
                      remote.last_error, len(state.conflict_keys(project)))


def sync_project(project: Project, *, resolve: str | None = None, progress: Progress | None = None,
                 connect: Callable[[str], object] = server.connect) -> SyncResult:
    """Push this file's changes, then pull everyone else's. Raises SyncError (NotLinked,
    ServerProjectMismatch) or the server's ServerError (ServerUnreachable, ...); an unreachable
    server is remembered (the status bar's "offline since")."""
    report = progress or (lambda done, total, message: None)
    remote = state.remote(project)
    if remote is None:
        raise NotLinked(f"{project.path.name} is not linked to a team server (annotator server join URL --as NAME "
                        f"--project {project.path.name})")
    if resolve is not None and resolve not in RESOLUTIONS:
        raise SyncError(f"resolve must be one of {', '.join(RESOLUTIONS)}, not {resolve!r}")
    started = time.perf_counter()
    result = SyncResult()
    try:
        with server.errors(remote.url):
            conn = connect(remote.url)
            try:
                _check_server(conn, project, remote)
                refetch = _resolve(project, resolve, result)
                report(0, STEPS, "sending changes")
                _push(conn, project, remote, result)
                report(1, STEPS, "receiving changes")
                _pull(conn, project, state.remote(project) or remote, result, refetch, report)
            finally:
                conn.close()
    except ServerUnreachable as exc:
        _remember(project, str(exc))
        raise
    state.record_outcome(project, error=None)
    result.conflicts = state.conflicts(project)
    result.waiting = state.pending_count(project)
    result.uncarried = state.uncarried(project, state.annotator_ids(project, remote.writes))
    result.seconds = time.perf_counter() - started
    report(STEPS, STEPS, "synced")
    return result


def sync_file(path: str | Path, *, resolve: str | None = None, connect: Callable[[str], object] = server.connect,
              progress: Progress | None = None) -> SyncResult:
    """``sync_project`` on a Project of its own (a worker thread's: one Project per thread).
    It takes no editing lock: the window that holds it runs this for itself. ``progress`` may
    raise to stop the sync between its steps (the window's Cancel): what was sent stays sent
    and acknowledged, a pull not yet written is dropped whole, and the next sync goes on."""
    with Project.open(path, check=False) as project:
        return sync_project(project, resolve=resolve, connect=connect, progress=progress)


def _remember(project: Project, message: str) -> None:
    try:
        state.record_outcome(project, error=message)
    except ProjectError:
        pass  # a read-only or lost-lock project: nothing to remember it in


def _check_server(conn, project: Project, remote: state.Remote) -> None:
    with conn.cursor() as cur:
        check_version(cur, remote.url)
        info = meta(cur)
    conn.rollback()
    if info.get("project_id") != remote.server_id:
        raise ServerProjectMismatch(f"{remote.url}: this is not the server project {project.path.name} was linked "
                                    "to (it was set up again, or the address points elsewhere); join it again with "
                                    "annotator server join")
    if "scheme" in info and info.get("scheme_fingerprint") != project.scheme_fingerprint():
        difference = compare_schemes(scheme_of(info), project.scheme())
        wrong = "; ".join([*difference.conflicts, *difference.missing]) or "labels or attributes differ"
        raise ServerProjectMismatch(f"{project.path.name}: the labels here are not the server project's ({wrong}); "
                                    "nothing was synced")


def _resolve(project: Project, resolve: str | None, result: SyncResult) -> list[tuple[int, int]]:
    """Apply the user's choice for open conflicts; returns the units to fetch again (theirs)."""
    if resolve == "mine":
        result.resolved = state.keep_mine(project)
        return []
    if resolve == "theirs":
        keys = sorted(state.conflict_keys(project))
        result.resolved = len(keys)
        return keys
    return []


# ------------------------------------------------------------------ push
def _push(conn, project: Project, remote: state.Remote, result: SyncResult) -> None:
    writes = state.annotator_ids(project, remote.writes)
    with state.snapshot(project):
        pending = state.pending(project, remote.pushed_seq, writes)
        doc_map = state.server_documents(project)
    if any(d not in doc_map for d, _, _ in pending.units):
        _map_by_hash(conn, project, remote)  # a file just linked: its documents, found by content
    # One snapshot of the file from the change numbers to the last row sent: the numbers
    # acknowledged are exactly those of what the server got.
    with state.snapshot(project):
        pending = state.pending(project, remote.pushed_seq, writes)
        doc_map = state.server_documents(project)
        bases = state.base_seqs(project)
        on_server = [(d, a, seq, bases.get((d, a))) for d, a, seq in pending.units if d in doc_map]
        result.not_on_server = len(pending.units) - len(on_server)
        receipt = send_units(conn, project, remote.client_id, on_server, doc_map)
    local_doc = {server_doc: doc for doc, server_doc in doc_map.items()}
    local_person = {a.uuid: a.id for a in project.annotator_list()}

    def local(doc: int, uuid: str) -> tuple[int, int]:
        return local_doc[doc], local_person[uuid]

    result.sent, result.already = len(receipt.written), len(receipt.already)
    with project.transaction():
        state.acknowledge_push(project, pending.high, [(*local(d, u), seq) for d, u, seq in
                                                       [*receipt.written, *receipt.already]])
        state.drop_conflicts(project, [local(d, u) for d, u, _ in receipt.written])
        found = [(*local(d, u), seq, by, at) for d, u, seq, by, at in receipt.conflicts]
        state.record_conflicts(project, found)
    keys = {(f[0], f[1]) for f in found}
    result.new_conflicts.extend(c for c in state.conflicts(project) if (c.doc_id, c.annotator_id) in keys)


class _FileRows:
    """The server's RowSource over this file: server keys back to local ones."""

    def __init__(self, reader: UnitRows, doc_map: dict[int, int], people: dict[str, int]) -> None:
        self.reader = reader
        self.local_doc = {server_doc: doc for doc, server_doc in doc_map.items()}
        self.people = people

    def choose(self, keys) -> None:
        self.reader.select([(self.local_doc[doc], self.people[uuid]) for doc, uuid in keys])

    def rows(self, table: str):
        return self.reader.rows(table)


def send_units(conn, project: Project, client: str, units: Sequence[tuple[int, int, int, int | None]],
               doc_map: dict[int, int]) -> exchange.PushReceipt:
    """Push units (doc id, annotator id, change number, server version last seen) of this file,
    their rows streamed from it (store/sync_push_rows.py) into the server's transaction."""
    if not units:
        return exchange.PushReceipt()
    people = {a.id: a.uuid for a in project.annotator_list()}
    reader = UnitRows(project, doc_map)
    try:
        statuses = reader.statuses([(d, a) for d, a, _, _ in units])
        outgoing = [exchange.OutgoingUnit(doc_map[d], people[a], *statuses.get((d, a), ("todo", "")), seq, base)
                    for d, a, seq, base in units]
        return exchange.push(conn, client, outgoing, _FileRows(reader, doc_map, {u: i for i, u in people.items()}))
    finally:
        reader.close()


def _map_by_hash(conn, project: Project, remote: state.Remote) -> None:
    with conn.cursor() as cur:
        scope = exchange.scope_documents(cur, remote.annotator_uuid, remote.scope)
    conn.rollback()
    local = state.local_documents_by_hash(project, [digest for _, digest in scope])
    with project.transaction():
        state.map_documents(project, [(local[digest], doc) for doc, digest in scope if digest in local])


# ------------------------------------------------------------------ pull
def _pull(conn, project: Project, remote: state.Remote, result: SyncResult, refetch: list[tuple[int, int]],
          report: Progress) -> None:
    doc_map = state.server_documents(project)
    people = {a.id: a.uuid for a in project.annotator_list()}
    refetch_server = [(doc_map[d], people[a]) for d, a in refetch if d in doc_map and a in people]
    incoming = exchange.pull(conn, remote.annotator_uuid, remote.client_id, remote.pulled_seq, remote.scope,
                             set(doc_map.values()), set(sync_apply.content_hashes(project)), refetch_server)
    report(2, STEPS, f"bringing in {len(incoming.headers):,} document layers")
    with project.transaction(), state.log_paused(project):
        _apply(project, remote, incoming, result, set(refetch))
        state.set_pulled(project, incoming.high)


def _apply(project: Project, remote: state.Remote, incoming: exchange.Incoming, result: SyncResult,
           refetch: set[tuple[int, int]]) -> None:
    label_ids = project.label_ids()
    uuids = _annotators(project, incoming)
    doc_map = {server: local for local, server in state.server_documents(project).items()}
    _documents(project, incoming, doc_map, label_ids, result)
    writes = set(state.annotator_ids(project, remote.writes))
    waiting = {(d, a) for d, a, _ in state.pending(project, state.remote(project).pushed_seq, list(writes)).units}
    in_conflict = state.conflict_keys(project) - refetch
    bases = state.base_seqs(project)
    units, seen, conflicts = [], [], []
    for header in incoming.headers:
        if header.doc not in doc_map or header.annotator not in uuids:
            continue
        key = (doc_map[header.doc], uuids[header.annotator])
        if key[1] in writes and key not in refetch and (key in waiting or key in in_conflict):
            if bases.get(key) != header.seq:  # changed here and there: the user decides
                conflicts.append((*key, header.seq, header.written_by, header.written_at))
            continue
        units.append((*key, incoming.units[(header.doc, header.annotator)]))
        seen.append((*key, header.seq))
    try:
        pulled = from_server(units, label_ids)
    except UnitDecodeError as exc:
        raise SyncError(f"{remote.url}: {exc}; nothing was received") from exc
    _reconcile(project, pulled, {(d, a): unit for d, a, unit in units})
    state.record_units(project, seen)
    state.record_conflicts(project, conflicts)
    state.drop_conflicts(project, refetch)
    result.received = len(units)


def _annotators(project: Project, incoming: exchange.Incoming) -> dict[str, int]:
    """Server uuid -> local annotator id, adding the annotators this file does not know yet
    (with statuses of their own, as merge adds them)."""
    known = {a.uuid: a.id for a in project.annotator_list()}
    wanted = {h.annotator for h in incoming.headers} - set(known)
    for uuid in sorted(wanted):
        name, _ = incoming.annotators.get(uuid, (None, None))
        if name is None:
            continue
        known[uuid] = project.add_annotator(name, uuid, separate_status=True).id
    return known


def _documents(project: Project, incoming: exchange.Incoming, doc_map: dict[int, int], label_ids: dict[str, int],
               result: SyncResult) -> None:
    """Map documents new to this file's scope, adding those it lacks (with suggestions)."""
    hashes = sync_apply.content_hashes(project)
    mapped = [(hashes[digest], doc) for doc, digest in incoming.scope_docs if doc not in doc_map and digest in hashes]
    to_add = [(d.id, d.content_hash, d.text, d.title, d.source, d.meta, d.created_at, d.updated_at)
              for d in incoming.documents if d.content_hash not in hashes]
    added = sync_apply.insert_documents(project, to_add)
    state.map_documents(project, [*mapped, *[(local, server_doc) for server_doc, local in added.items()]])
    doc_map.update({server_doc: local for local, server_doc in mapped})
    doc_map.update(added)
    result.documents_added = len(added)
    suggestions = [(added[doc], *row) for doc, found in incoming.suggestions.items() if doc in added for row in found]
    result.suggestions_added = sync_apply.insert_suggestions(project, suggestions, label_ids)


def _reconcile(project: Project, pulled: PulledLayers, units: dict) -> None:
    """Bring each pulled unit's local layer up to it (core.layer_merge, as merge does), a batch
    of documents at a time; statuses in bulk."""
    if not units:
        return
    people = {a.id: a for a in project.annotator_list()}
    labels = {i: i for i in project.label_ids().values()}
    resolve = rows.partner_resolver(project, {a.uuid: a.id for a in people.values()})
    next_span, next_claim = rows.first_free_id(project, "spans"), rows.first_free_id(project, "claims")
    documents = sorted({doc for doc, _ in units})
    annotator_ids = sorted({a for _, a in units})
    for start in range(0, len(documents), BATCH_DOCUMENTS):
        batch = documents[start:start + BATCH_DOCUMENTS]
        mine, _ = rows.LayerReader(project, labels, annotator_ids).read(batch)
        planner = MergePlanner(next_span, next_claim)
        wanted = set(batch)
        for (doc, annotator), _unit in units.items():
            if doc in wanted:
                planner.layer(doc, annotator, pulled.layers.get((doc, annotator)) or LayerContent(),
                              mine.get((doc, annotator)) or LayerContent())
        planner.links(pulled.partners, resolve)
        next_span, next_claim = planner.next_span_id, planner.next_claim_id
        rows.apply_ops(project, planner.ops)
    by_person: dict[int, list[tuple[int, str, str]]] = {}
    for (doc, annotator), unit in units.items():
        by_person.setdefault(annotator, []).append((doc, unit.status, unit.status_at))
    for annotator, statuses in by_person.items():
        rows.write_statuses(project, people[annotator], statuses)


def open_conflicts(project: Project) -> list[state.Conflict]:
    """The conflicts kept in this file, waiting for the user's choice."""
    return state.conflicts(project)


def conflicts_text(conflicts: Sequence[state.Conflict]) -> list[str]:
    """One line per open conflict, for people."""
    return [f"{c.title or f'document {c.doc_id}'}: layer {c.layer} was changed on the server by {c.written_by} at "
            f"{c.written_at[:16]} and here; yours is kept here, not sent (sync --resolve mine to send it, "
            "--resolve theirs to take the server's)" for c in conflicts]


def local_time(stamp: str | None) -> str:
    """An ISO UTC time stamp of the store as the local clock's HH:MM ("" for none)."""
    if not stamp:
        return ""
    try:
        when = datetime.strptime(stamp, "%Y-%m-%dT%H:%M:%S.%fZ").replace(tzinfo=timezone.utc)
    except ValueError:
        return ""
    return when.astimezone().strftime("%H:%M")


def status_words(status: SyncStatus, *, syncing: bool = False) -> tuple[str, str]:
    """(what a status bar shows, its tooltip): synced / N changes waiting / offline since 10:42."""
    if not status.linked:
        return "", ""
    waiting = f"{status.waiting:,} change{'s' if status.waiting != 1 else ''} waiting"
    if syncing:
        text = "syncing…"
    elif status.offline_since:
        text = f"offline since {local_time(status.offline_since)}" + (f", {waiting}" if status.waiting else "")
    elif status.conflicts:
        text = f"{status.conflicts:,} conflict{'s' if status.conflicts != 1 else ''}"
    elif status.waiting:
        text = waiting
    elif status.last_sync_at:
        text = "synced"
    else:
        text = "not synced yet"
    tip = [f"Team server: {status.url}"]
    if status.last_sync_at:
        tip.append(f"last synced at {local_time(status.last_sync_at)}")
    if status.offline_since and status.last_error:
        tip.append(status.last_error)
    if status.conflicts:
        tip.append("documents changed here and on the server by someone else: File > Team > Resolve Conflicts… "
                   "(or annotator sync --resolve mine|theirs) decides")
    return text, "\n".join(tip)
