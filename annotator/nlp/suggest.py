"""Suggestion sources: a spaCy pipeline (installed package or folder), pattern files, and the
claim-cue finder, each turning texts into proposals (``core.suggestions``).

spaCy is imported inside functions only: importing this module costs nothing, so the window
and the command line start fast; the first suggestion run pays the few seconds.

A loaded pipeline is kept (keyed by where it came from and when its ``meta.json`` last
changed), so suggesting in one document after another does not reload it. Pipelines are
not safe to share between threads: ``Suggester.run`` holds a lock around its use.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..core.suggestions import DocSuggestions, Proposal
from .loading import spacy as load_spacy

KINDS = ("model", "patterns", "cues")
CUES_ORIGIN_NAME = "claim-cues"

_lock = threading.Lock()
_pipelines: dict[tuple[str, float, bool], Any] = {}


class SuggestError(Exception):
    """A source cannot be used; the message is meant for the user."""


@dataclass(frozen=True)
class SourceSpec:
    """Where suggestions come from, as the user chose it.

    ``kind`` "model": ``ref`` is an installed package name or a pipeline folder; "patterns":
    ``ref`` is a pattern file (several: ``refs``); "cues": claim cues only. ``claims`` adds
    claim proposals from reporting cues to a model or pattern run. ``name`` goes into the
    origin of every suggestion (``model:NAME`` / ``pattern:NAME``).
    """

    kind: str
    ref: str = ""
    name: str = ""
    claims: bool = False
    refs: tuple[str, ...] = ()

    @property
    def origin(self) -> str:
        if self.kind == "model":
            return f"model:{self.name or self.ref}"
        if self.kind == "patterns":
            return f"pattern:{self.name or Path(self.ref).name}"
        return f"pattern:{CUES_ORIGIN_NAME}"

    @property
    def files(self) -> tuple[str, ...]:
        return self.refs or ((self.ref,) if self.ref else ())

    def describe(self) -> str:
        what = {"model": f"model {self.name or self.ref}", "patterns": f"patterns {self.name or Path(self.ref).name}",
                "cues": "claim cues"}[self.kind]
        return what + (" + claim cues" if self.claims and self.kind != "cues" else "")

    def to_json(self) -> dict[str, Any]:
        return {"kind": self.kind, "ref": self.ref, "name": self.name, "claims": self.claims, "refs": list(self.refs)}

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> SourceSpec:
        kind = data.get("kind")
        if kind not in KINDS:
            raise SuggestError(f"unknown suggestion source kind {kind!r}")
        return cls(kind, str(data.get("ref", "")), str(data.get("name", "")), bool(data.get("claims", False)),
                   tuple(str(r) for r in data.get("refs", ()) or ()))


# ---------------------------------------------------------------------------- pipelines
def installed_pipelines() -> list[str]:
    """Names of the spaCy pipelines installed as packages (e.g. ``en_core_web_sm``)."""
    spacy = load_spacy()
    return sorted(spacy.util.get_installed_models())


def is_pipeline_dir(path: str | Path) -> bool:
    path = Path(path)
    return path.is_dir() and (path / "config.cfg").is_file() and (path / "meta.json").is_file()


def load_pipeline(ref: str | Path, *, scored: bool = False) -> Any:
    """A spaCy pipeline from an installed package name or a folder; loaded once and kept.

    ``scored``: a copy of its own with the uncertainty component at the end (runs without
    scores keep using the plain copy, which is faster).

    Raises ``SuggestError`` with a message for the user (not spaCy's traceback).
    """
    ref = str(ref)
    path = Path(ref)
    stamp = 0.0
    if path.exists():
        if not is_pipeline_dir(path):
            found = [p for p in (path / "model-best", path / "model-last") if is_pipeline_dir(p)]
            if not found:
                raise SuggestError(f"{ref}: not a spaCy pipeline folder (it has no config.cfg and meta.json)")
            path = found[0]
        ref = str(path.resolve())
        stamp = (path / "meta.json").stat().st_mtime
    spacy = load_spacy()
    with _lock:
        cached = _pipelines.get((ref, stamp, scored))
        if cached is not None:
            return cached
        try:
            nlp = spacy.load(ref)
        except OSError as exc:
            if path.exists():
                raise SuggestError(f"{ref}: cannot load this pipeline ({_first_line(exc)})") from exc
            raise SuggestError(f"no spaCy pipeline named {ref!r} is installed, and there is no such folder; "
                               "install one (python -m spacy download NAME) or choose a folder") from exc
        except (ValueError, KeyError, ImportError) as exc:
            raise SuggestError(f"{ref}: cannot load this pipeline ({_first_line(exc)})") from exc
        if scored:
            from .uncertainty import add_scorer

            add_scorer(nlp)
        _pipelines[(ref, stamp, scored)] = nlp
        return nlp


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()
    return text[0] if text else type(exc).__name__


def pipeline_labels(nlp: Any) -> dict[str, list[str]]:
    """The labels each predicting component knows, e.g. {"ner": ["GPE", "ORG"]}."""
    found = {}
    for name, pipe in nlp.pipeline:
        labels = getattr(pipe, "labels", None)
        if labels and name not in ("tagger", "parser", "morphologizer", "senter", "attribute_ruler", "lemmatizer"):
            found[name] = sorted(str(label) for label in labels)
    return found


def has_parse(nlp: Any) -> bool:
    return "parser" in nlp.pipe_names or any(getattr(p, "name", "") == "parser" for _, p in nlp.pipeline)


# ---------------------------------------------------------------------------- running
Item = tuple[int, str, Sequence[tuple[int, int, str]]]  # doc id, text, (start, end, label) of its entity spans


@dataclass
class Suggester:
    """Runs one source over documents: ``run(items)`` gives one ``DocSuggestions`` per item.

    Build one with ``make_suggester``. ``n_process`` > 1 lets spaCy fork worker processes
    (``nlp.pipe``); see benchmarks/bench_suggest.py for when that pays.
    """

    spec: SourceSpec
    kinds: Mapping[str, str]
    language: str
    nlp: Any = None  # the pipeline that makes the Docs (model, pattern ruler, or a blank tokenizer)
    matcher: Any = None  # a PatternMatcher for pattern sources
    lock: threading.Lock = field(default_factory=threading.Lock)

    @property
    def origin(self) -> str:
        return self.spec.origin

    @property
    def claims(self) -> bool:
        return self.spec.claims or self.spec.kind == "cues"

    def run(self, items: Sequence[Item], *, with_scores: bool = False) -> list[DocSuggestions]:
        """Proposals for a few documents (the one on screen), in this process."""
        by_id = {doc_id: entities for doc_id, _text, entities in items}
        return [self.propose(doc_id, text, doc, by_id[doc_id])
                for doc_id, text, doc in self.stream([(i, t) for i, t, _e in items], with_scores=with_scores)]

    def stream(self, items: Iterable[tuple[int, str]], *, batch_size: int = 32, n_process: int = 1,
               with_scores: bool = False) -> Iterator[tuple[int, str, Any]]:
        """(doc id, text, Doc) for each item, in order, made by ``nlp.pipe`` in batches.

        ``n_process`` > 1 forks worker processes (spaCy's own multiprocessing): each gets a
        copy of the pipeline, and Docs come back serialized, so an uncertainty score is
        computed inside the workers (a pipeline component) and rides along in ``user_data``.
        Closing the iterator early (cancel) lets the workers finish their current batch.
        """
        nlp = self.nlp
        if with_scores and self.spec.kind == "model":
            nlp = load_pipeline(self.spec.ref, scored=True)
        pending: list[tuple[int, str]] = []

        def texts() -> Iterator[str]:
            for doc_id, text in items:
                pending.append((doc_id, text))
                yield text

        with self.lock:
            if n_process > 1 and self.spec.kind == "model":
                docs = nlp.pipe(texts(), batch_size=batch_size, n_process=n_process)
            else:
                docs = nlp.pipe(texts(), batch_size=batch_size)
            try:
                for i, doc in enumerate(docs):
                    doc_id, text = pending[i]
                    pending[i] = (0, "")  # drop the text: only the Doc holds it from here
                    yield doc_id, text, doc
            finally:
                close = getattr(docs, "close", None)
                if close is not None:
                    close()

    def propose(self, doc_id: int, text: str, doc: Any, entities: Sequence[tuple[int, int, str]]) -> DocSuggestions:
        """What this source proposes in one Doc; ``entities`` are the document's stored entity
        spans (start, end, label), for naming claimants."""
        from .claim_cues import find_claims
        from .uncertainty import USER_DATA_KEY

        if self.matcher is not None:
            spans = self.matcher.proposals(doc)
        elif self.spec.kind == "model":
            spans = doc_proposals(doc)
        else:
            spans = []
        claims = ()
        if self.claims:
            known = list(entities) + [(p.start, p.end, p.label) for p in spans
                                      if self.kinds.get(p.label) == "entity"]
            claims = tuple(find_claims(doc, known))
        return DocSuggestions(doc_id, text, tuple(spans), claims, doc.user_data.get(USER_DATA_KEY))


def doc_proposals(doc: Any) -> list[Proposal]:
    """Entities (``doc.ents``) and span-categorizer spans (every ``doc.spans`` group) of a Doc."""
    found = [Proposal(e.start_char, e.end_char, e.label_) for e in doc.ents]
    for group in doc.spans.values():
        scores = group.attrs.get("scores") if hasattr(group, "attrs") else None
        for i, span in enumerate(group):
            score = float(scores[i]) if scores is not None and i < len(scores) else None
            found.append(Proposal(span.start_char, span.end_char, span.label_, score))
    return found


def make_suggester(spec: SourceSpec, kinds: Mapping[str, str], language: str) -> Suggester:
    """Load what ``spec`` names (pipeline, pattern files) and check it can help this project.

    Raises ``SuggestError`` (or ``InputError`` from pattern files, naming file/line/field).
    """
    if spec.kind == "model":
        nlp = load_pipeline(spec.ref)
        known = {label for labels in pipeline_labels(nlp).values() for label in labels}
        if known and not known & set(kinds):
            raise SuggestError(
                f"{spec.name or spec.ref} predicts {', '.join(sorted(known)[:8])}, none of which is a label of "
                "this project; add the labels (Edit > Labels) or choose another pipeline")
        return Suggester(spec, kinds, language, nlp=nlp)
    if spec.kind == "patterns":
        from .patterns import load_pattern_files

        if not spec.files:
            raise SuggestError("choose a pattern file")
        matcher = load_pattern_files(spec.files, language, kinds)
        return Suggester(spec, kinds, language, nlp=matcher.nlp, matcher=matcher)
    if spec.kind == "cues":
        return Suggester(spec, kinds, language, nlp=_blank(language))
    raise SuggestError(f"unknown suggestion source kind {spec.kind!r}")


def _blank(language: str) -> Any:
    from .tokens import FALLBACK_LANGUAGE

    spacy = load_spacy()
    try:
        return spacy.blank(language)
    except (ImportError, KeyError, ValueError, OSError):
        return spacy.blank(FALLBACK_LANGUAGE)


def entity_ranges(spans: Iterable[Any], kinds: Mapping[str, str]) -> list[tuple[int, int, str]]:
    """(start, end, label) of the live entity spans among stored ``(Span, kind)`` pairs."""
    return [(s.start, s.end, s.label) for s, kind in spans if kind == "entity" and s.state != "rejected"]
