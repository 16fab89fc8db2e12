"""Agreement speed and memory: ``annotator agreement --json`` beside a floor from the same run.

Corpus: the benchmark corpus (benchmarks/corpus.py) imported as alice's layer, then bob's
and carol's layers made from perturbed copies of hers (spans dropped, shifted, relabelled;
claims dropped, claimant or cue unlinked, attribute values changed), each annotator with
statuses of their own: alice and bob mark every document done, carol 90% of them.

Floor (issue 15): spaCy's tokenizer alone (``nlp.tokenizer.pipe``, one process) over the
texts in scope, already in memory, plus reading the three layers' spans with one SQL query.
Project: the whole ``annotator agreement PROJECT --json`` command in a fresh process, from
its start (interpreter, imports, opening the project) to its exit; its own timing of the
work alone is shown too.

Every measured run is a fresh process (its peak memory is its own). Figures are medians of
``--repeat`` runs (>= 3), the two sides interleaved, with CPU seconds beside wall seconds;
the 1-minute load average is sampled every second during the runs.

    python benchmarks/bench_agreement.py                    # 10,000 documents x 3 annotators
    python benchmarks/bench_agreement.py --documents 1000 --repeat 3

Targets (issue 15): whole command <= 1.5 x the floor; peak memory < 500 MB.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent))

SPANS_SQL = ('SELECT spans.doc_id, spans.annotator_id, spans.start, spans."end", labels.name FROM spans'
             " JOIN labels ON labels.id = spans.label_id WHERE spans.state = 'accepted'"
             " AND labels.kind = 'entity' ORDER BY spans.doc_id")


def cpu_seconds() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


# --------------------------------------------------------------------------- building
def _perturb(rng: random.Random, rows: list[tuple], labels: list[str], length: int) -> list[tuple]:
    """A second annotator's version of one document's spans: (start, end, label, span id)."""
    out = []
    for start, end, label, span_id in rows:
        roll = rng.random()
        if roll < 0.05:
            continue  # missed
        if roll < 0.10:
            end = min(length, max(start + 1, end + rng.choice((-2, -1, 1, 2))))  # other boundary
        elif roll < 0.13:
            label = rng.choice([x for x in labels if x != label])  # other label
        out.append((start, end, label, span_id))
    return out


def build(corpus: Path, project_path: Path, documents: int) -> dict:
    from corpus import write_corpus

    from annotator.store import Project
    from annotator.workflows.importing import ImportOptions, import_paths

    write_corpus(documents, corpus, seed=1)
    started = time.perf_counter()
    with Project.create(project_path) as project:
        report = import_paths(project, [corpus], ImportOptions(annotator="alice"))
        assert report.ok, report.summary()
        _copy_layers(project, ("bob", "carol"))
        doc_ids = [r["id"] for r in project.db.query("SELECT id FROM documents ORDER BY id")]
        with project.transaction():
            for who, share in (("alice", 1.0), ("bob", 1.0), ("carol", 0.9)):
                for doc_id in doc_ids[:int(len(doc_ids) * share)]:
                    project.set_status(doc_id, "done", annotator=who)
        spans = next(project.db.query("SELECT count(*) AS n FROM spans"))["n"]
        claims = next(project.db.query("SELECT count(*) AS n FROM claims"))["n"]
    return {"seconds": time.perf_counter() - started, "documents": len(doc_ids), "spans": spans, "claims": claims}


def _copy_layers(project, names: tuple[str, ...]) -> None:
    """Perturbed copies of alice's layer (setup only, not measured: rows written in bulk)."""
    rng = random.Random(15)
    labels = [lab.name for lab in project.labels() if lab.kind == "entity"]
    label_ids = project.label_ids()
    alice = project.annotator_id("alice")
    lengths = {r["id"]: r["n"] for r in project.db.query("SELECT id, length(text) AS n FROM documents")}
    rows: dict[int, list[tuple]] = {}
    for r in project.db.query('SELECT id, doc_id, start, "end", label_id FROM spans WHERE annotator_id = ?',
                              [alice]):
        rows.setdefault(r["doc_id"], []).append((r["start"], r["end"], r["label_id"], r["id"]))
    names_of = {v: k for k, v in label_ids.items()}
    claims = {r["span_id"]: r for r in project.db.query("SELECT * FROM claims")}
    values = {}
    for r in project.db.query("SELECT claim_id, attribute, value FROM claim_values"):
        values.setdefault(r["claim_id"], []).append((r["attribute"], r["value"]))
    choices = {a.name: a.choices for a in project.claim_attributes() if a.kind == "choice"}
    now = "2026-01-01T00:00:00.000000Z"
    conn = project.db.conn
    with project.transaction():
        for name in names:
            who = project.annotator_id(name)
            for doc_id, doc_rows in rows.items():
                entity = [(s, e, names_of[lab], i) for s, e, lab, i in doc_rows if names_of[lab] in labels]
                other = [(s, e, names_of[lab], i) for s, e, lab, i in doc_rows if names_of[lab] not in labels]
                kept = _perturb(rng, entity, labels, lengths[doc_id]) + [x for x in other if rng.random() > 0.05]
                new_ids = {}
                for start, end, label, old_id in kept:
                    new_ids[old_id] = conn.execute(
                        'INSERT INTO spans (doc_id, start, "end", label_id, text, annotator_id, origin, state,'
                        " created_at, updated_at) SELECT ?, ?, ?, ?, substr(text, ? + 1, ? - ?), ?, 'manual',"
                        " 'accepted', ?, ? FROM documents WHERE id = ?",
                        [doc_id, start, end, label_ids[label], start, end, start, who, now, now, doc_id]).lastrowid
                for old_id, new_id in new_ids.items():
                    claim = claims.get(old_id)
                    if claim is None:
                        continue
                    claimant = new_ids.get(claim["claimant_span_id"]) if rng.random() > 0.1 else None
                    cue = new_ids.get(claim["cue_span_id"]) if rng.random() > 0.1 else None
                    claim_id = conn.execute(
                        "INSERT INTO claims (span_id, claimant_span_id, claimant_text, cue_span_id, created_at,"
                        " updated_at) VALUES (?, ?, ?, ?, ?, ?)",
                        [new_id, claimant, claim["claimant_text"], cue, now, now]).lastrowid
                    for attribute, value in values.get(claim["id"], ()):
                        if attribute in choices and rng.random() < 0.2:
                            value = rng.choice(choices[attribute])
                        conn.execute("INSERT INTO claim_values (claim_id, attribute, value) VALUES (?, ?, ?)",
                                     [claim_id, attribute, value])


# --------------------------------------------------------------------------- measuring
def run_floor(project_path: Path) -> dict:
    """The floor: tokenizer.pipe over the in-scope texts (in memory) + the spans in one query."""
    import sqlite3

    import spacy

    conn = sqlite3.connect(project_path)
    # In scope: every document (alice and bob marked all done). Read before the clock starts.
    texts = [row[0] for row in conn.execute("SELECT text FROM documents ORDER BY id")]
    nlp = spacy.blank("en")
    cpu, started = cpu_seconds(), time.perf_counter()
    tokens = sum(len(doc) for doc in nlp.tokenizer.pipe(texts))
    spans = len(conn.execute(SPANS_SQL).fetchall())
    return {"seconds": time.perf_counter() - started, "cpu": cpu_seconds() - cpu, "peak_mb": peak_mb(),
            "tokens": tokens, "spans": spans}


def run_project(project_path: Path) -> dict:
    """The whole command, as a user runs it, in a process of its own (timed by the parent)."""
    import contextlib
    import io

    from annotator.cli import main

    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        try:
            main(["agreement", str(project_path), "--json"], standalone_mode=False)
        except SystemExit as exc:
            if exc.code:
                raise
    data = json.loads(out.getvalue())
    return {"peak_mb": peak_mb(), "cpu": cpu_seconds(), "tokens": data["entities"]["tokens"],
            "documents": data["documents"], "alpha": data["entities"]["alpha_tokens"],
            "mean": data["entities"]["mean"], "claims": data["claims"]["mean"]}


def _child(args: list[str]) -> dict:
    started = time.perf_counter()
    done = subprocess.run([sys.executable, __file__, "--child", *args], capture_output=True, text=True, check=False)
    wall = time.perf_counter() - started
    if done.returncode:
        raise SystemExit(f"child {args} failed:\n{done.stderr}")
    result = json.loads(done.stdout.strip().splitlines()[-1])
    result["process_seconds"] = wall
    return result


class LoadSampler(threading.Thread):
    """The 1-minute load average, read every second while the runs go on."""

    def __init__(self) -> None:
        super().__init__(daemon=True)
        self.samples: list[float] = []
        self._halt = threading.Event()

    def run(self) -> None:
        while not self._halt.wait(1.0):
            self.samples.append(os.getloadavg()[0])

    def stop(self) -> str:
        self._halt.set()
        self.join()
        s = self.samples or [os.getloadavg()[0]]
        return f"load (1-min average, sampled each second during the runs): median {statistics.median(s):.2f}, " \
               f"min {min(s):.2f}, max {max(s):.2f} on {os.cpu_count()} cores"


def _median(runs: list[dict], key: str) -> float:
    return statistics.median(r[key] for r in runs)


def _spread(runs: list[dict], key: str) -> str:
    values = [r[key] for r in runs]
    return f"{statistics.median(values):6.2f} s (min {min(values):.2f}, max {max(values):.2f})"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--documents", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--child", nargs="+", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        kind, *rest = args.child
        if kind == "build":
            result = build(Path(rest[0]), Path(rest[1]), int(rest[2]))
        elif kind == "floor":
            result = run_floor(Path(rest[0]))
        else:
            result = run_project(Path(rest[0]))
        print(json.dumps(result))
        return 0
    with tempfile.TemporaryDirectory() as folder:
        base = Path(folder)
        corpus, project = base / "corpus.jsonl", base / "team.annotator"
        built = _child(["build", str(corpus), str(project), str(args.documents)])
        print(f"project: {built['documents']:,} documents, 3 layers, {built['spans']:,} spans, "
              f"{built['claims']:,} claims (built in {built['seconds']:.0f} s)")
        sampler = LoadSampler()
        sampler.start()
        floors, projects = [], []
        for _ in range(max(3, args.repeat)):
            floors.append(_child(["floor", str(project)]))
            projects.append(_child(["project", str(project)]))
        load = sampler.stop()
        floor, whole = _median(floors, "seconds"), _median(projects, "process_seconds")
        last = projects[-1]
        print(f"floor (tokenizer.pipe over {floors[0]['tokens']:,} tokens + {floors[0]['spans']:,} spans in one query):"
              f"\n    {_spread(floors, 'seconds')}  CPU {_median(floors, 'cpu'):.2f} s  "
              f"peak {max(r['peak_mb'] for r in floors):.0f} MB")
        print(f"annotator agreement --json (whole process, start to exit; {last['documents']:,} documents, "
              f"{last['tokens']:,} tokens):\n    {_spread(projects, 'process_seconds')}  "
              f"CPU {_median(projects, 'cpu'):.2f} s  peak {max(r['peak_mb'] for r in projects):.0f} MB "
              f"(target < 500 MB)")
        print(f"ratio (medians): {whole / floor:.2f} (target <= 1.5)")
        print(f"figures: alpha {last['alpha']}, entity means {last['mean']}, claim means {last['claims']}")
        print(load)
    return 0


if __name__ == "__main__":
    sys.exit(main())
