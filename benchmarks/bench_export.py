"""Export speed and memory: the project's exports beside floors measured in the same session.

References, each in one process on texts already in memory (read before the clock starts):

- tokenizer: spaCy's tokenizer alone over the same pieces the export cuts its texts into
  (nlp.chunked): the work no export can skip.
- physical floor: the tokenizer over the same pieces + the least a DocBin needs of each piece
  (``to_array`` of the same four attributes, the strings of the distinct hashes, user data and
  span groups packed with one msgpack Packer; annotator.nlp.lean_docbin) + writing shards with
  the same compression. The issue's target is measured against this one.
- physical floor, spaCy's DocBin: the same, with spaCy's own ``DocBin.add`` / ``to_disk``
  (same attributes, user data stored).
- idiomatic floor: what a spaCy user writes: ``nlp.tokenizer.pipe`` over the whole texts,
  ``doc.char_span`` for every span, ``doc.ents``, ``doc.spans["sc"]``/``["claims"]``,
  ``DocBin(attrs=<the same four>, store_user_data=True).add`` and ``to_disk``.

Ours: ``export_project`` on a project imported from the same corpus (read from SQLite,
alignment report, shards, config.cfg, summary), with ``--workers 0`` (one process: the
target is on one core) and with the worker count the export picks itself; then the Prodigy
JSONL export with tokens (target < 5 s) and without.

    python benchmarks/bench_export.py                     # 10,000 documents, 3 runs of each
    python benchmarks/bench_export.py --documents 1000 --repeat 5
    python benchmarks/bench_export.py --keep /tmp/bench   # reuse the corpus and project there
    python benchmarks/bench_export.py --quick             # leave out the two slow spaCy floors

Targets (issue 17): spaCy export on one core <= 3x the physical floor, faster with two;
Prodigy JSONL with tokens < 5 s for 10,000 documents.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import shutil
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent))

from benchkit import LoadSampler, Stopwatch, child_main, header, interleaved, ratio, row, run_child  # noqa: E402

CLAIM = "CLAIM"


# ------------------------------------------------------------------ in the children
def _corpus(corpus: str) -> tuple[list[str], list[list[dict]]]:
    texts, spans = [], []
    with open(corpus, encoding="utf-8") as handle:
        for line in handle:
            task = json.loads(line)
            texts.append(task["text"])
            spans.append(task["spans"])
    return texts, spans


def _pieces(texts: list[str]) -> tuple[object, list[str]]:
    from annotator.nlp.chunked import pieces
    from annotator.nlp.tokens import tokenizer

    tok = tokenizer("en")
    return tok, [text[a:b] for text in texts for a, b in pieces(text, tok)]


def run_tokenizer(corpus: str) -> dict:
    tok, parts = _pieces(_corpus(corpus)[0])
    with Stopwatch() as clock:
        tokens = sum(len(tok(part)) for part in parts)
    return clock.figures(tokens=tokens, pieces=len(parts))


def run_physical(corpus: str, out: str, kind: str) -> dict:
    """Tokenizer over the pieces + DocBin.add of each piece (lean or spaCy's) + shards on disk."""
    from spacy.tokens import DocBin

    from annotator.nlp.docbin import DOCBIN_ATTRS
    from annotator.nlp.lean_docbin import LeanDocBin, one_packer
    from annotator.store.export_reader import BATCH_DOCUMENTS

    texts = _corpus(corpus)[0]
    tok, parts = _pieces(texts)
    per_shard = len(parts) * BATCH_DOCUMENTS // max(1, len(texts))  # as many shards as the export writes
    folder = Path(out) / f"physical-{kind}"
    folder.mkdir(parents=True, exist_ok=True)
    with Stopwatch() as clock:
        packer = one_packer() if kind == "lean" else contextlib.nullcontext()
        with packer:
            for number, first in enumerate(range(0, len(parts), per_shard)):
                docbin = (LeanDocBin if kind == "lean" else DocBin)(attrs=DOCBIN_ATTRS, store_user_data=True)
                for part in parts[first:first + per_shard]:
                    docbin.add(tok(part))
                if kind == "lean":
                    (folder / f"{number:05d}.spacy").write_bytes(docbin.to_bytes())
                else:
                    docbin.to_disk(folder / f"{number:05d}.spacy")
    return clock.figures(bytes=sum(p.stat().st_size for p in folder.iterdir()))


def run_idiomatic(corpus: str, out: str) -> dict:
    import spacy
    from spacy.tokens import DocBin

    from annotator.nlp.docbin import DOCBIN_ATTRS

    texts, spans = _corpus(corpus)
    nlp = spacy.blank("en")
    with Stopwatch() as clock:
        docbin = DocBin(attrs=DOCBIN_ATTRS, store_user_data=True)
        for doc, doc_spans in zip(nlp.tokenizer.pipe(texts), spans):
            aligned = [doc.char_span(s["start"], s["end"], label=s["label"]) for s in doc_spans]
            aligned = [s for s in aligned if s is not None]
            doc.ents = [s for s in aligned if s.label_ != CLAIM]
            doc.spans["sc"] = aligned
            doc.spans["claims"] = [s for s in aligned if s.label_ == CLAIM]
            docbin.add(doc)
        docbin.to_disk(Path(out) / "idiomatic.spacy")
    return clock.figures(bytes=(Path(out) / "idiomatic.spacy").stat().st_size)


def run_export(project_path: str, out: str, fmt: str, tokens: str, workers: str) -> dict:
    from annotator.store import Project
    from annotator.workflows.exporting import ExportOptions, export_project

    from annotator.nlp.tokens import tokenizer

    chosen = None if workers == "auto" else int(workers)
    tokenizer("en")  # loading spaCy (1-2 s) is outside the clock, as for the floors; worker processes pay it inside
    target = Path(out) / (f"spacy-{workers}" if fmt == "spacy" else f"export-{tokens}.jsonl")
    with Project.open(Path(project_path), check=False) as project:
        project.read_only = True  # an export never writes to the project
        options = ExportOptions(format=fmt, include=("todo", "done", "skipped"), tokens=tokens == "tokens",
                                workers=chosen)
        with Stopwatch() as clock:
            result = export_project(project, target, options)
    size = sum(p.stat().st_size for p in target.rglob("*") if p.is_file()) if target.is_dir() else target.stat().st_size
    shutil.rmtree(target, ignore_errors=True) if target.is_dir() else target.unlink()
    return clock.figures(documents=result.documents, issues=len(result.issues), bytes=size,
                         workers=result.workers)


def build(corpus: str, project_path: str, documents: str) -> dict:
    from corpus import build_project

    built = build_project(int(documents), corpus, project_path)
    return {"wall": built.pop("seconds"), "cpu": 0.0, **built}


# ------------------------------------------------------------------ the driver
def _spacy_rows(runs: dict) -> None:
    physical = runs["physical"]
    print(row("physical floor (tokenizer + lean DocBin.add)", physical))
    if "idiomatic" in runs:
        print(row("physical floor with spaCy's DocBin.add", runs["physical, spaCy DocBin"]))
        print(row("idiomatic floor (tokenizer.pipe, DocBin)", runs["idiomatic"]))
    one, auto = runs["ours, 1 process"], runs["ours, workers chosen"]
    print(row("ours: spaCy export, one process", one, physical, "<= 3x physical"))
    chosen = sorted({r["workers"] for r in auto.runs})
    print(row(f"ours: spaCy export, workers chosen: {chosen}", auto, physical))
    print(row("ours: spaCy export, 2 workers", runs["ours, 2 workers"], physical, "faster than one process"))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--documents", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=3, help="runs of each measurement (the median is shown)")
    parser.add_argument("--keep", type=Path, help="folder to keep the corpus and project in (reused when there)")
    parser.add_argument("--quick", action="store_true", help="leave out spaCy's DocBin and the idiomatic floor")
    parser.add_argument("--prodigy", action="store_true", help="only the tokenizer and the Prodigy exports")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as scratch:
        base = args.keep or Path(scratch)
        base.mkdir(parents=True, exist_ok=True)
        corpus, project = base / f"corpus-{args.documents}.jsonl", base / f"export-{args.documents}.annotator"
        if not project.exists():
            built = run_child(__file__, "build", corpus, project, args.documents)
            print(f"built: {built['documents']} documents, {built['spans']} spans, {built['claims']} claims "
                  f"(import_paths {built.wall:.1f} s)", flush=True)
        out = base / "out"
        out.mkdir(exist_ok=True)
        sides = {
            "tokenizer": lambda n: run_child(__file__, "tokenizer", corpus),
            "physical": lambda n: run_child(__file__, "physical", corpus, out, "lean"),
            "ours, 1 process": lambda n: run_child(__file__, "export", project, out, "spacy", "tokens", 0),
            "ours, workers chosen": lambda n: run_child(__file__, "export", project, out, "spacy", "tokens", "auto"),
            "ours, 2 workers": lambda n: run_child(__file__, "export", project, out, "spacy", "tokens", 2),
            "prodigy, tokens": lambda n: run_child(__file__, "export", project, out, "prodigy", "tokens", "auto"),
            "prodigy, tokens, 1 process": lambda n: run_child(__file__, "export", project, out, "prodigy", "tokens", 0),
            "prodigy, tokens, 1 worker": lambda n: run_child(__file__, "export", project, out, "prodigy", "tokens", 1),
            "prodigy, no tokens": lambda n: run_child(__file__, "export", project, out, "prodigy", "plain", "auto"),
        }
        if args.prodigy:
            sides = {name: run for name, run in sides.items() if name == "tokenizer" or name.startswith("prodigy")}
        elif not args.quick:
            sides["physical, spaCy DocBin"] = lambda n: run_child(__file__, "physical", corpus, out, "spacy")
            sides["idiomatic"] = lambda n: run_child(__file__, "idiomatic", corpus, out)
        with LoadSampler() as load:
            runs = interleaved(args.repeat, sides)
        shutil.rmtree(out, ignore_errors=True)
    tokens = runs["tokenizer"].runs[0]["tokens"]
    print(header(f"bench_export: {args.documents:,} documents, {tokens:,} tokens, {args.repeat} runs each"))
    print(load.summary())
    print(row("tokenizer alone over the same pieces", runs["tokenizer"]))
    if not args.prodigy:
        _spacy_rows(runs)
    chosen = sorted({r["workers"] for r in runs["prodigy, tokens"].runs})
    print(row(f"ours: Prodigy JSONL with tokens, workers: {chosen}", runs["prodigy, tokens"], runs["tokenizer"],
              "< 5 s"))
    print(row("ours: Prodigy JSONL with tokens, one process", runs["prodigy, tokens, 1 process"], runs["tokenizer"],
              "< 5 s"))
    print(row("ours: Prodigy JSONL with tokens, 1 tokenizing worker", runs["prodigy, tokens, 1 worker"],
              runs["tokenizer"],
              "< 5 s"))
    print(row("ours: Prodigy JSONL without tokens", runs["prodigy, no tokens"]))
    print(f"\nProdigy with tokens / tokenizer alone: {ratio(runs['prodigy, tokens'], runs['tokenizer']):.2f} "
          f"(CPU {ratio(runs['prodigy, tokens'], runs['tokenizer'], 'cpu'):.2f}); Prodigy JSONL "
          f"{runs['prodigy, tokens'].runs[0]['bytes'] / 2**20:.0f} MB with tokens")
    if args.prodigy:
        return 0
    one, physical = runs["ours, 1 process"], runs["physical"]
    print(f"one process / tokenizer alone: {ratio(one, runs['tokenizer']):.2f}; "
          f"CPU one process / physical floor: {ratio(one, physical, 'cpu'):.2f}; "
          f"2 workers / one process: {ratio(runs['ours, 2 workers'], one):.2f}")
    if "idiomatic" in runs:
        print(f"ours (one process) / idiomatic floor: {ratio(one, runs['idiomatic']):.2f}")
    print(f"sizes: shards {one.runs[0]['bytes'] / 2**20:.0f} MB (physical floor {physical.runs[0]['bytes'] / 2**20:.0f}"
          f" MB), Prodigy JSONL {runs['prodigy, tokens'].runs[0]['bytes'] / 2**20:.0f} MB with tokens; "
          f"alignment issues reported: {one.runs[0]['issues']}")
    return 0


if __name__ == "__main__":
    child_main({"build": build, "tokenizer": run_tokenizer, "physical": run_physical, "idiomatic": run_idiomatic,
                "export": run_export})
    started = time.perf_counter()
    code = main()
    print(f"(bench took {time.perf_counter() - started:.0f} s)")
    sys.exit(code)
