"""Pre-annotation speed: the project's suggestion run beside bare ``nlp.pipe`` (same run).

Floor: ``nlp.pipe`` over the same texts with the same pipeline and the same number of
processes, every Doc consumed (``len(doc.ents)``), nothing stored.
Project: ``annotator.workflows.suggesting.suggest_project`` on a fresh project holding the
texts: pages read from SQLite, ``nlp.pipe`` (two processes on two cores), proposals checked
against the stored spans, one transaction per batch of 64 documents.

    python benchmarks/bench_suggest.py --model PATH            # 10,000 generated articles
    python benchmarks/bench_suggest.py --model PATH --docs 1000 --claims
    python benchmarks/bench_suggest.py                          # trains a small model first

Without ``--model`` a model is trained on ``--train-docs`` generated articles (marked done)
with ``annotator``'s own training (a few minutes), and that model is used. The texts come
from benchmarks/corpus.py (~600 words an article); the seed of the benchmark texts differs
from the training texts' seed.
"""

from __future__ import annotations

import argparse
import json
import resource
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent))


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def cpu_seconds() -> float:
    """CPU time of this process and of its finished children (spaCy's worker processes):
    what other load on a shared machine disturbs less than the wall clock."""
    total = 0.0
    for who in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN):
        usage = resource.getrusage(who)
        total += usage.ru_utime + usage.ru_stime
    return total


def write_texts(n: int, path: Path, seed: int, with_spans: bool = False) -> None:
    from corpus import generate

    with path.open("w", encoding="utf-8") as handle:
        for record in generate(n, seed):
            out = {"text": record["text"], "meta": record.get("meta", {})}
            if with_spans:
                out["spans"] = record["spans"]
            handle.write(json.dumps(out, ensure_ascii=False) + "\n")


def train_model(workdir: Path, docs: int, epochs: int) -> tuple[Path, str]:
    from annotator.store import Project
    from annotator.workflows.importing import import_paths
    from annotator.workflows.training import TrainSettings, per_label_table, train_project

    corpus = workdir / "train.jsonl"
    write_texts(docs, corpus, seed=101, with_spans=True)
    with Project.create(workdir / "train.annotator") as project:
        import_paths(project, [corpus])
        for summary in project.document_summaries(0, docs):
            project.set_status(summary.id, "done")
        started = time.perf_counter()
        result = train_project(project, TrainSettings(epochs=epochs, patience=0), name="bench")
        print(f"trained on {docs} generated articles, {epochs} epochs, in {time.perf_counter() - started:.0f} s")
        print(per_label_table(result.model))
        return Path(result.model.path), result.model.name


def run_floor(model: Path, texts: list[str], processes: int) -> tuple[float, float]:
    from annotator.nlp.suggest import load_pipeline

    nlp = load_pipeline(model)
    started, cpu = time.perf_counter(), cpu_seconds()
    found = 0
    kwargs = {"n_process": processes} if processes > 1 else {}
    for doc in nlp.pipe(texts, batch_size=16 if processes > 1 else 32, **kwargs):
        found += len(doc.ents)
    took, cpu = time.perf_counter() - started, cpu_seconds() - cpu
    print(f"floor   : bare nlp.pipe, {processes} process(es): {took:8.1f} s wall, {cpu:8.1f} s cpu  "
          f"({len(texts) / took:6.1f} docs/s, {found:,} entities)", flush=True)
    return took, cpu


def run_project(model: Path, corpus: Path, workdir: Path, processes: int | None,
                claims: bool) -> tuple[float, float, object]:
    from annotator.nlp.suggest import SourceSpec
    from annotator.store import Project
    from annotator.workflows.importing import import_paths
    from annotator.workflows.suggesting import prepare, suggest_project

    path = workdir / "bench.annotator"
    for old in workdir.glob("bench.annotator*"):
        old.unlink()
    with Project.create(path) as project:
        import_paths(project, [corpus])
        spec = SourceSpec("model", str(model), "bench", claims=claims)
        prepared = prepare(project, spec)  # loading the pipeline is not part of either timing
        started, cpu = time.perf_counter(), cpu_seconds()
        run = suggest_project(project, spec, "all", processes=processes, prepared=prepared)
        took, cpu = time.perf_counter() - started, cpu_seconds() - cpu
        assert project.integrity_check() == ["ok"]
    print(f"project : suggest_project, {run.processes} process(es): {took:8.1f} s wall, {cpu:8.1f} s cpu  "
          f"({run.counts.documents / took:6.1f} docs/s) — {run.counts.summary()}", flush=True)
    return took, cpu, run


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--model", type=Path, help="a pipeline folder (default: train one first)")
    parser.add_argument("--docs", type=int, default=10_000, help="articles to pre-annotate")
    parser.add_argument("--processes", type=int, default=None, help="default: what the project picks (2 on 2 cores)")
    parser.add_argument("--claims", action="store_true", help="also propose claims from cues (project side only)")
    parser.add_argument("--train-docs", type=int, default=200)
    parser.add_argument("--epochs", type=int, default=3)
    parser.add_argument("--repeat", type=int, default=1, help="runs per side, interleaved; the best is shown")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="bench-suggest-") as tmp:
        workdir = Path(tmp)
        model = args.model
        if model is None:
            model, _name = train_model(workdir, args.train_docs, args.epochs)
        corpus = workdir / "texts.jsonl"
        write_texts(args.docs, corpus, seed=7)
        texts = [json.loads(line)["text"] for line in corpus.open(encoding="utf-8")]
        words = sum(len(t.split()) for t in texts)
        print(f"{len(texts):,} articles, {words:,} words (~{words // len(texts)} a document); model {model}")
        from annotator.workflows.suggesting import MIN_DOCS_FOR_PROCESSES

        processes = args.processes or (2 if len(texts) >= MIN_DOCS_FOR_PROCESSES else 1)
        floors, projects = [], []
        for _ in range(args.repeat):
            floors.append(run_floor(model, texts, processes))
            took, cpu, _run = run_project(model, corpus, workdir, args.processes, args.claims)
            projects.append((took, cpu))
        floor, floor_cpu = min(f[0] for f in floors), min(f[1] for f in floors)
        took, cpu = min(p[0] for p in projects), min(p[1] for p in projects)
        print(f"best    : floor {floor:.1f} s, project {took:.1f} s ({len(texts) / took:.1f} docs/s)")
        print(f"ratio   : {took / floor:.2f} wall, {cpu / floor_cpu:.2f} cpu (project / floor); "
              f"peak memory {peak_mb():.0f} MB (this process)")


if __name__ == "__main__":
    main()
