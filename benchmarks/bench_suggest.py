"""Pre-annotation speed: the project's suggestion run beside bare ``nlp.pipe`` (same session).

Floor: ``nlp.pipe`` over the same texts with the same pipeline and the same number of
processes, every Doc consumed (``len(doc.ents)``), nothing stored.
Project: ``annotator.workflows.suggesting.suggest_project`` on a fresh project holding the
texts: pages read from SQLite, ``nlp.pipe`` (two processes on two cores), proposals checked
against the stored spans, one transaction per batch of 64 documents.

Each run is a fresh interpreter; runs of the two sides are interleaved; figures are medians.

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
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent))

from benchkit import LoadSampler, Stopwatch, child_main, header, interleaved, ratio, row, run_child  # noqa: E402


def write_texts(n: int, path: Path, seed: int, with_spans: bool = False) -> None:
    from corpus import generate

    with path.open("w", encoding="utf-8") as handle:
        for record in generate(n, seed):
            out = {"text": record["text"], "meta": record.get("meta", {})}
            if with_spans:
                out["spans"] = record["spans"]
            handle.write(json.dumps(out, ensure_ascii=False) + "\n")


def train_model(workdir: str, docs: str, epochs: str) -> dict:
    from annotator.store import Project
    from annotator.workflows.importing import import_paths
    from annotator.workflows.training import TrainSettings, per_label_table, train_project

    corpus = Path(workdir) / "train.jsonl"
    write_texts(int(docs), corpus, seed=101, with_spans=True)
    with Project.create(Path(workdir) / "train.annotator") as project:
        import_paths(project, [corpus])
        for summary in project.document_summaries(0, int(docs)):
            project.set_status(summary.id, "done")
        with Stopwatch() as clock:
            result = train_project(project, TrainSettings(epochs=int(epochs), patience=0), name="bench")
        print(per_label_table(result.model), file=sys.stderr)
        return clock.figures(model=str(result.model.path))


def run_floor(model: str, corpus: str, processes: str) -> dict:
    from annotator.nlp.suggest import load_pipeline

    texts = [json.loads(line)["text"] for line in Path(corpus).open(encoding="utf-8")]
    nlp = load_pipeline(Path(model))
    n = int(processes)
    kwargs = {"n_process": n} if n > 1 else {}
    found = 0
    with Stopwatch() as clock:
        for doc in nlp.pipe(texts, batch_size=16 if n > 1 else 32, **kwargs):
            found += len(doc.ents)
    return clock.figures(entities=found, documents=len(texts), processes=n)


def run_project(model: str, corpus: str, workdir: str, processes: str, claims: str) -> dict:
    from annotator.nlp.suggest import SourceSpec
    from annotator.store import Project
    from annotator.workflows.importing import import_paths
    from annotator.workflows.suggesting import prepare, suggest_project

    path = Path(workdir) / f"bench-{time.monotonic_ns()}.annotator"
    with Project.create(path) as project:
        import_paths(project, [Path(corpus)])
        spec = SourceSpec("model", model, "bench", claims=claims == "claims")
        prepared = prepare(project, spec)  # loading the pipeline is not part of either timing
        with Stopwatch() as clock:
            run = suggest_project(project, spec, "all", processes=int(processes) or None, prepared=prepared)
        assert project.integrity_check() == ["ok"]
    for leftover in Path(workdir).glob(f"{path.name}*"):
        leftover.unlink()
    return clock.figures(documents=run.counts.documents, processes=run.processes, summary=run.counts.summary())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--model", type=Path, help="a pipeline folder (default: train one first)")
    parser.add_argument("--docs", type=int, default=10_000, help="articles to pre-annotate")
    parser.add_argument("--processes", type=int, default=0, help="default: what the project picks (2 on 2 cores)")
    parser.add_argument("--claims", action="store_true", help="also propose claims from cues (project side only)")
    parser.add_argument("--train-docs", type=int, default=200)
    parser.add_argument("--epochs", type=int, default=3)
    parser.add_argument("--repeat", type=int, default=3, help="runs of each side, interleaved (the median is shown)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="bench-suggest-") as tmp:
        workdir = Path(tmp)
        model = args.model
        if model is None:
            trained = run_child(__file__, "train", workdir, args.train_docs, args.epochs)
            model = Path(trained["model"])
            print(f"trained on {args.train_docs} generated articles, {args.epochs} epochs, in {trained.wall:.0f} s")
        corpus = workdir / "texts.jsonl"
        write_texts(args.docs, corpus, seed=7)
        from annotator.workflows.suggesting import MIN_DOCS_FOR_PROCESSES

        processes = args.processes or (2 if args.docs >= MIN_DOCS_FOR_PROCESSES else 1)
        claims = "claims" if args.claims else "entities"
        with LoadSampler() as load:
            runs = interleaved(args.repeat, {
                "floor": lambda n: run_child(__file__, "floor", model, corpus, processes),
                "project": lambda n: run_child(__file__, "project", model, corpus, workdir, args.processes, claims),
            })
    floor, project = runs["floor"], runs["project"]
    print(header(f"bench_suggest: {args.docs:,} articles, model {model}, {args.repeat} runs each"))
    print(load.summary())
    print(row(f"floor: bare nlp.pipe, {processes} process(es)", floor))
    print(row(f"project: suggest_project, {project.runs[0]['processes']} process(es)", project, floor))
    print(f"CPU ratio {ratio(project, floor, 'cpu'):.2f}; {args.docs / project.median():.1f} documents/s; "
          f"{project.runs[0]['summary']}")


if __name__ == "__main__":
    child_main({"train": train_model, "floor": run_floor, "project": run_project})
    main()
