"""Team-server sync speed, beside a COPY floor measured in the same run (issue 20).

A PostgreSQL cluster is made for the run (tests/pg_cluster.py: initdb/pg_ctl in a temporary
folder, 127.0.0.1, fsync off). Its server processes are not in the CPU figures: those are
the client's own (the sync runs in a process of its own per run: its max RSS is its peak).

First sync: alice's project holds N documents (benchmarks/corpus.py: ~23 spans and ~3
claims a document, claims with a claimant and two attribute values, statuses), linked to a
freshly published server that has the documents and nothing of hers.
  floor:    the same rows her first sync puts on the server (spans, claims, layers), already
            built in memory, sent with one COPY per table as the tables' owner, one transaction.
  project:  annotator.workflows.sync.sync_project: read her units from the file, COPY them to
            temporary tables, INSERT ... SELECT under row-level security as her own role,
            acknowledge locally; then the pull (nothing to bring).
Incremental: 10 edits (a span on each of 10 documents), then one sync; medians of 15.
Load: 10 annotators (their own roles, files and documents) each make 20 edits, then all 10
sync at once, in 10 processes; 5 rounds. Every edit must be on the server after each round.

    python benchmarks/bench_sync.py                  # 10,000 documents
    python benchmarks/bench_sync.py --docs 1000 --repeat 3   # a quick look

Targets: first sync <= 3x the floor; incremental sync of 10 edits < 200 ms on localhost;
10 clients at once without errors and nothing lost.
"""

from __future__ import annotations

import argparse
import json
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent))
sys.path.insert(0, str(HERE.parent / "tests"))

from bench_merge import LoadSampler, _enrich, figures, median  # noqa: E402

CLIENTS = 10


# ------------------------------------------------------------------ preparation (not timed)
def prepare_alice(workdir: Path, docs: int) -> tuple[Path, Path]:
    """(the lead's project: the documents only, alice's file: the documents and her layer)."""
    from annotator.store import Project
    from annotator.workflows.importing import ImportOptions, import_paths
    from corpus import write_corpus

    corpus = workdir / "corpus.jsonl"
    write_corpus(docs, corpus, seed=1)
    alice = Project.create(workdir / "alice.template")
    assert import_paths(alice, [corpus], ImportOptions(format="prodigy", annotator="alice")).ok
    alice.set_own_annotator("alice")
    _enrich(alice, random.Random(1))
    uuid = alice.own_annotator().uuid
    alice.close()
    bare = workdir / "bare.jsonl"
    bare.write_text("".join(json.dumps({"text": json.loads(line)["text"]}, ensure_ascii=False) + "\n"
                            for line in corpus.open(encoding="utf-8")), encoding="utf-8")
    lead = Project.create(workdir / "lead.template")
    assert import_paths(lead, [bare], ImportOptions(format="prodigy")).ok
    lead.add_annotator("alice", uuid)
    lead.close()
    return workdir / "lead.template", workdir / "alice.template"


def fresh_server(cluster, workdir: Path, lead_template: Path, annotators: tuple[str, ...], per_doc_overlap=0) -> str:
    """A new database, initialised and published from a copy of the lead's project."""
    from annotator.store import Project
    from annotator.workflows.server_admin import PublishOptions, init_server, publish_project
    from pg_cluster import Team

    team = Team(cluster, cluster.new_database())
    init_server(team.url("lead"))
    team.grant(*annotators)
    lead = workdir / f"lead-{team.database}.annotator"
    _copy(lead_template, lead)
    with Project.open(lead) as project:
        publish_project(project, team.url("lead"), PublishOptions(annotators, overlap_docs=per_doc_overlap))
    return team.database


def _copy(source: Path, target: Path) -> None:
    for suffix in ("", "-wal", "-shm"):
        Path(f"{target}{suffix}").unlink(missing_ok=True)
    shutil.copyfile(source, target)


def link(url: str, path: Path) -> None:
    """alice's file linked to the server as it is right after `server join` (not synced yet)."""
    from annotator.store import Project
    from annotator.store import sync_state
    from annotator.store.server import connect
    from annotator.store.server.schema import meta

    with connect(url) as conn, conn.cursor() as cur:
        server_id = meta(cur)["project_id"]
    with Project.open(path) as project:
        sync_state.link(project, url, server_id, project.own_annotator())


# ------------------------------------------------------------------ the sides (child processes)
def side_first_sync(url: str, path: str) -> dict:
    from annotator.store import Project
    from annotator.workflows.sync import sync_project

    project = Project.open(path)
    started, cpu_started = time.perf_counter(), time.process_time()
    result = sync_project(project)
    done = figures(started, cpu_started, sent=result.sent)
    project.close()
    return done


def side_floor(url: str, path: str) -> dict:
    """The rows of her first sync, built before the clock starts, COPYed as the owner."""
    from annotator.store import Project
    from annotator.store import sync_state
    from annotator.store.server import connect
    from annotator.store.server.exchange import CHILD_TABLES
    from annotator.store.sync_push_rows import UnitRows

    with Project.open(path) as project:
        remote = sync_state.remote(project)
        with connect(url) as conn, conn.cursor() as cur:
            cur.execute("SELECT id, content_hash FROM annotator.documents")
            by_hash = {h: i for i, h in cur.fetchall()}
        local = dict(project.db.conn.execute("SELECT content_hash, id FROM documents").fetchall())
        doc_map = {local[h]: i for h, i in by_hash.items() if h in local}
        pending = sync_state.pending(project, 0, [project.own_annotator().id])
        keys = [(d, a) for d, a, _ in pending.units]
        reader = UnitRows(project, doc_map)
        statuses = reader.statuses(keys)
        reader.select(keys)
        rows = {table: list(reader.rows(table)) for table in CHILD_TABLES}
        uuid = project.own_annotator().uuid
    layers = [(doc_map[d], uuid, *statuses.get((d, a), ("todo", "")), remote.client_id, 1) for d, a in keys]
    conn = connect(url.replace("alice@", "lead@"))
    started, cpu_started = time.perf_counter(), time.process_time()
    with conn.transaction(), conn.cursor() as cur:
        for table, columns in CHILD_TABLES.items():
            with cur.copy(f"COPY annotator.{table} (doc, annotator, {', '.join(columns)}) FROM STDIN") as copy:
                for row in rows[table]:
                    copy.write_row(row)
        with cur.copy("COPY annotator.layers (doc, annotator, status, status_at, client, client_seq) FROM STDIN") as copy:
            for row in layers:
                copy.write_row(row)
    done = figures(started, cpu_started, sent=len(layers), rows=sum(len(r) for r in rows.values()))
    conn.close()
    return done


def side_incremental(url: str, path: str, repeat: str) -> dict:
    from annotator.store import Project
    from annotator.workflows.sync import sync_project

    project = Project.open(path)
    sync_project(project)  # the first sync (not timed here)
    me = project.own_annotator().ref
    docs = [r[0] for r in project.db.conn.execute("SELECT id FROM documents ORDER BY id")]
    runs = []
    for round_ in range(int(repeat)):
        for doc in docs[round_ * 10:round_ * 10 + 10]:
            project.add_span(doc, 0, 1, "CUE", annotator=me)
        started, cpu_started = time.perf_counter(), time.process_time()
        result = sync_project(project)
        runs.append(figures(started, cpu_started, sent=result.sent))
        assert result.sent == 10, result
    project.close()
    return {"runs": runs}


def side_client(url: str, path: str, name: str, edits: str) -> dict:
    from annotator.store import Project
    from annotator.workflows.sync import sync_project

    with Project.open(path) as project:
        started = time.perf_counter()
        result = sync_project(project)
        return {"seconds": time.perf_counter() - started, "sent": result.sent,
                "spans": project.db.conn.execute("SELECT count(*) FROM spans WHERE annotator_id = ?",
                                                 [project.own_annotator().id]).fetchone()[0]}


SIDES = {"first": side_first_sync, "floor": side_floor, "incremental": side_incremental, "client": side_client}


def child(side: str, *args: str) -> dict:
    out = subprocess.run([sys.executable, __file__, "--side", side, *args], check=True, capture_output=True, text=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


# ------------------------------------------------------------------ runs
def run_first_and_incremental(cluster, workdir: Path, docs: int, repeat: int) -> None:
    lead_template, alice_template = prepare_alice(workdir, docs)
    first, floor = [], []
    with LoadSampler() as load:
        for i in range(repeat):
            for side, runs in (("floor", floor), ("first", first)):
                database = fresh_server(cluster, workdir, lead_template, ("alice",))
                url = cluster.url("alice", database)
                path = workdir / f"alice-{side}-{i}.annotator"
                _copy(alice_template, path)
                link(url, path)
                runs.append(child(side, url, str(path)))
                cluster.drop_database(database)
        database = fresh_server(cluster, workdir, lead_template, ("alice",))
        url = cluster.url("alice", database)
        path = workdir / "alice-incremental.annotator"
        _copy(alice_template, path)
        link(url, path)
        incremental = child("incremental", url, str(path), "15")["runs"]
    spans = first[0].get("sent")
    print(f"first sync: {docs:,} documents ({spans:,} document layers, {floor[0]['rows']:,} rows), medians of {repeat}")
    print(f"{'':<22} {'median s':>8} {'min-max':>13} {'CPU s':>8} {'peak MB':>8} {'ratio':>6} {'CPU ratio':>9}")
    for name, runs, against in (("floor (COPY as owner)", floor, None), ("first sync", first, floor)):
        seconds, cpu = median(runs), median(runs, "cpu")
        ratio = f"{seconds / median(against):>6.2f} {cpu / median(against, 'cpu'):>9.2f}" if against else ""
        spread = f"{min(r['seconds'] for r in runs):.2f}-{max(r['seconds'] for r in runs):.2f}"
        print(f"{name:<22} {seconds:>8.2f} {spread:>13} {cpu:>8.2f} {max(r['peak_mb'] for r in runs):>8.0f} {ratio}")
    ms = [r["seconds"] * 1000 for r in incremental]
    print(f"incremental sync of 10 edits: median {statistics.median(ms):.0f} ms (min {min(ms):.0f}, max {max(ms):.0f}; "
          f"CPU {statistics.median(r['cpu'] for r in incremental) * 1000:.0f} ms), {len(ms)} runs")
    print(load.text())


def run_clients(cluster, workdir: Path, docs: int, rounds: int) -> None:
    from annotator.store import Project
    from annotator.workflows.importing import ImportOptions, import_paths
    from annotator.workflows.server_admin import join_server
    from corpus import write_corpus

    names = tuple(f"client{i}" for i in range(CLIENTS))
    for name in names:
        cluster.add_role(name)
    corpus = workdir / "clients.jsonl"
    write_corpus(docs, corpus, seed=3)
    bare = workdir / "clients-bare.jsonl"
    bare.write_text("".join(json.dumps({"text": json.loads(line)["text"]}) + "\n"
                            for line in corpus.open(encoding="utf-8")), encoding="utf-8")
    lead = workdir / "clients-lead.template"
    with Project.create(lead) as project:
        assert import_paths(project, [bare], ImportOptions(format="prodigy")).ok
    database = fresh_server(cluster, workdir, lead, names, per_doc_overlap=10)
    paths = []
    for name in names:
        path = workdir / f"{name}.annotator"
        join_server(cluster.url(name, database), name, path)
        paths.append(path)
    rng = random.Random(5)
    times, errors = [], 0
    with LoadSampler() as load, ProcessPoolExecutor(CLIENTS) as pool:
        for _ in range(rounds):
            for name, path in zip(names, paths):
                with Project.open(path) as project:
                    ids = [r[0] for r in project.db.conn.execute("SELECT id FROM documents")]
                    for doc in rng.sample(ids, 20):
                        start = rng.randrange(0, 40)
                        try:
                            project.add_span(doc, start, start + 1, "CUE", annotator=name)
                        except Exception:
                            pass  # the same place twice: refused, as in the window
            started = time.perf_counter()
            futures = [pool.submit(child, "client", cluster.url(n, database), str(p), n, "20")
                       for n, p in zip(names, paths)]
            results = []
            for future in futures:
                try:
                    results.append(future.result())
                except subprocess.CalledProcessError as exc:
                    errors += 1
                    print(exc.stderr[-400:], file=sys.stderr)
            times.append(time.perf_counter() - started)
            local = sum(r["spans"] for r in results)
            on_server = cluster.admin("SELECT count(*) FROM annotator.spans", database=database)[0][0][0]
            assert local == on_server, f"local {local} != server {on_server}"
    print(f"{CLIENTS} clients syncing at once, {rounds} rounds of 20 edits each: {errors} errors, every span on the "
          f"server after each round; a round's wall time median {statistics.median(times) * 1000:.0f} ms "
          f"(max {max(times) * 1000:.0f} ms)")
    print(load.text())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--docs", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--client-docs", type=int, default=1_000)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--side", nargs="+", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.side:
        print(json.dumps(SIDES[args.side[0]](*args.side[1:])))
        return
    from pg_cluster import Cluster

    cluster = Cluster()
    import os

    os.environ["PGPASSFILE"] = str(cluster.passfile)
    workdir = Path(tempfile.mkdtemp(prefix="bench-sync-"))
    try:
        run_first_and_incremental(cluster, workdir, args.docs, max(1, args.repeat))
        run_clients(cluster, workdir, args.client_docs, args.rounds)
    finally:
        cluster.remove()
        shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    main()
