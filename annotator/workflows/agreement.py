"""Agreement between annotators' layers (docs/agreement.md): the use case behind
``annotator agreement`` and the window's Analysis > Agreement… dialog.

``compute_agreement`` reads the chosen annotators' spans with one SQL query and their claims
with another, both in document order, walks the documents in scope once (each tokenized
once, with the tokenizer the window snaps to, whatever the number of pairs), and returns an
``AgreementResult``. Nothing is held per project but counts, so memory does not grow with
the corpus. Bad choices raise ``AgreementError``; ``should_stop`` returning True raises
``AgreementCancelled`` between documents.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from itertools import combinations

from ..core.agreement import AgreementTally, ClaimMark, Figures, Layer, SpanKey
from ..core.team import GOLD_NAME
from ..store import Project, ProjectError
from ..store.agreement_reader import AgreementAnnotator, AgreementReader
from .agreement_alpha import nominal_alpha

Progress = Callable[[int, int], None]  # (documents done, documents in scope)


class AgreementError(Exception):
    """The annotators or labels asked for cannot be compared (message for the user)."""


class AgreementCancelled(Exception):
    pass


@dataclass(frozen=True)
class AgreementOptions:
    """``annotators``: names to compare (None: all with a layer or done documents of their own,
    ``AgreementReader.default_annotators``); ``labels``: the entity and
    claim labels to count (None: all of them)."""

    annotators: tuple[str, ...] | None = None
    labels: tuple[str, ...] | None = None
    gold: bool = False  # each annotator against the gold layer (docs/agreement.md), not against each other


@dataclass(frozen=True)
class AgreementResult:
    figures: Figures
    alpha_tokens: float | None
    entity_labels: tuple[str, ...]
    claim_labels: tuple[str, ...]
    attributes: tuple[str, ...]
    reference: str | None = None  # "gold": each annotator against the gold layer

    @property
    def annotators(self) -> tuple[str, ...]:
        return self.figures.annotators


@dataclass(frozen=True)
class Scope:
    """What one run compares: resolved annotators and labels, and the documents in scope."""

    reader: AgreementReader
    entity_labels: tuple[str, ...]
    claim_labels: tuple[str, ...]
    attributes: tuple[str, ...]
    done: dict[int, set[int]]  # annotator id -> documents they marked done
    documents: tuple[int, ...]  # marked done by at least two of them, in id order

    gold: bool = False  # the last annotator is gold; only the pairs with it are compared

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(a.name for a in self.reader.annotators)

    @property
    def pairs(self) -> list[tuple[int, int]]:
        """The (i, j) pairs of ``names`` compared."""
        n = len(self.names)
        return [(i, n - 1) for i in range(n - 1)] if self.gold else list(combinations(range(n), 2))


def resolve_scope(project: Project, options: AgreementOptions = AgreementOptions()) -> Scope:
    annotators = _choose_annotators(project, options.annotators, gold=options.gold)
    labels = project.labels()
    entity = [lab.name for lab in labels if lab.kind == "entity"]
    claim = [lab.name for lab in labels if lab.kind == "claim"]
    if options.labels is not None:
        kinds = {lab.name: lab.kind for lab in labels}
        for name in options.labels:
            if name not in kinds:
                raise AgreementError(f"--labels: there is no label {name!r} in this project "
                                     f"(entity: {', '.join(entity) or 'none'}; claim: {', '.join(claim) or 'none'})")
            if kinds[name] not in ("entity", "claim"):
                raise AgreementError(f"--labels: {name} is a {kinds[name]} label; agreement counts entity and "
                                     "claim labels")
        entity = [name for name in entity if name in options.labels]
        claim = [name for name in claim if name in options.labels]
    reader = AgreementReader(project, annotators, entity, claim)
    done = reader.done_documents()
    counts: dict[int, int] = {}
    for documents in done.values():
        for doc_id in documents:
            counts[doc_id] = counts.get(doc_id, 0) + 1
    in_scope = tuple(sorted(doc_id for doc_id, n in counts.items() if n >= 2))
    # Choice attributes only: two free-text notes are never "the same value", and kappa over
    # free text measures nothing (docs/agreement.md).
    attributes = tuple(a.name for a in project.claim_attributes() if a.kind == "choice") if claim else ()
    if options.gold:  # a document counts when gold (reviewed) and an annotator marked it done
        gold_id = annotators[-1].id
        in_scope = tuple(sorted(doc_id for doc_id in done[gold_id]
                                if any(doc_id in done[a.id] for a in annotators[:-1])))
    return Scope(reader, tuple(entity), tuple(claim), attributes, done, in_scope, options.gold)


def _choose_annotators(project: Project, refs: Sequence[str] | None, *, gold: bool = False
                       ) -> list[AgreementAnnotator]:
    if gold:
        reference = project.gold_annotator()
        if reference is None:
            raise AgreementError("--gold: this project has no gold layer yet (annotator review)")
        chosen = ([a for a in AgreementReader.default_annotators(project) if a.id != reference.id] if refs is None
                  else [_find(project, ref) for ref in refs])
        if not chosen:
            raise AgreementError("--gold: there is no annotator's layer to compare with gold")
        if any(a.id == reference.id for a in chosen):
            raise AgreementError("--gold: gold is the reference; name the annotators to compare with it")
        return [*chosen, AgreementAnnotator(reference.id, GOLD_NAME)]
    if refs is None:
        chosen = [a for a in AgreementReader.default_annotators(project) if not _is_gold(project, a)]
        if len(chosen) < 2:
            have = ", ".join(a.name for a in chosen) or "none"
            raise AgreementError(f"agreement needs the layers of at least two annotators; this project has: {have}")
        return chosen
    chosen = [_find(project, ref) for ref in refs]
    if len({a.id for a in chosen}) != len(chosen):
        raise AgreementError("--annotators: an annotator is named twice")
    if len(chosen) < 2:
        raise AgreementError("--annotators: name at least two annotators to compare")
    return chosen


def _find(project: Project, ref: str) -> AgreementAnnotator:
    try:
        return AgreementReader.find(project, ref)
    except ProjectError as exc:
        raise AgreementError(f"--annotators: {exc}") from exc


def _is_gold(project: Project, annotator: AgreementAnnotator) -> bool:
    """Gold is compared only when asked for (--gold, or named in --annotators)."""
    gold = project.gold_annotator()
    return gold is not None and annotator.id == gold.id


def scope_layers(scope: Scope, *, should_stop: Callable[[], bool] | None = None
                 ) -> Iterator[tuple[int, str, str, dict[str, Layer]]]:
    """(doc id, title, text, {annotator name: layer}) for every document in scope, in id order;
    a layer for each chosen annotator who marked the document done (empty if they tagged nothing)."""
    spans = _Walker(scope.reader.spans())
    claims = _Walker(scope.reader.claims())
    names = {a.id: a.name for a in scope.reader.annotators}
    for doc_id, title, text in scope.reader.texts(scope.documents):
        if should_stop is not None and should_stop():
            raise AgreementCancelled
        doc_spans: dict[int, list[SpanKey]] = spans.take(doc_id)
        doc_claims: dict[int, list[ClaimMark]] = claims.take(doc_id)
        layers = {name: Layer(tuple(doc_spans.get(annotator_id, ())), tuple(doc_claims.get(annotator_id, ())))
                  for annotator_id, name in names.items() if doc_id in scope.done[annotator_id]}
        yield doc_id, title, text, layers


class _Walker:
    """Steps through a (doc id, value) stream ordered by doc id, handing out one document's value."""

    def __init__(self, stream: Iterator[tuple[int, dict]]):
        self._stream = stream
        self._head = next(stream, None)

    def take(self, doc_id: int) -> dict:
        while self._head is not None and self._head[0] < doc_id:
            self._head = next(self._stream, None)  # a document out of scope
        if self._head is not None and self._head[0] == doc_id:
            found = self._head[1]
            self._head = next(self._stream, None)
            return found
        return {}


def compute_agreement(project: Project, options: AgreementOptions = AgreementOptions(), *,
                      progress: Progress | None = None, should_stop: Callable[[], bool] | None = None,
                      tokenize: Callable[[str, str], tuple[list[int], list[int]]] | None = None) -> AgreementResult:
    """Every figure of docs/agreement.md for ``options`` (see the module doc)."""
    scope = resolve_scope(project, options)
    if tokenize is None:
        from ..nlp.chunked import word_bounds as tokenize
    language = project.language
    tally = AgreementTally(scope.names, scope.entity_labels, scope.claim_labels, scope.attributes, scope.pairs)
    total = len(scope.documents)
    for done, (_, _, text, layers) in enumerate(scope_layers(scope, should_stop=should_stop), start=1):
        starts, ends = tokenize(text, language) if scope.entity_labels else ([], [])
        tally.add_document(starts, ends, layers)
        if progress is not None and (done % 100 == 0 or done == total):
            progress(done, total)
    figures = tally.figures()
    # Alpha measures annotators against one another; against gold it is not computed (null).
    alpha = (nominal_alpha(figures.alpha_units, len(figures.value_names))
             if scope.entity_labels and not scope.gold else None)
    return AgreementResult(figures, alpha, scope.entity_labels, scope.claim_labels, scope.attributes,
                           GOLD_NAME if scope.gold else None)
