"""How unsure a pipeline is about a document, so "next uncertain document" can send the
annotator where the model is weakest.

The measure (documented in docs/models.md):

- NER: a beam search (``beam_parse``, width 8) over the entity recognizer's transitions gives
  every candidate entity (start, end, label) the probability mass of the parses that contain
  it (``scored_ents``). A candidate with probability p is a sure "yes" near 1 and a sure "no"
  near 0; its uncertainty is ``2 * min(p, 1 - p)`` (1 = a coin flip). Candidates under 5 %
  are left out: every document has thousands of sure "no"s, which would drown the signal.
- spancat: the same ``2 * min(p, 1 - p)`` for each span the categorizer kept, from its scores.

A document's uncertainty is the mean over its candidates (0 when the model proposes nothing
at all: it is sure there is nothing to find). The mean rather than the sum, so long articles
do not win just by being long. It is a ranking signal, not a calibrated probability.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

BEAM_WIDTH = 8
MIN_CANDIDATE = 0.05
USER_DATA_KEY = "annotator_uncertainty"
FACTORY = "annotator_uncertainty"


def margin(p: float) -> float:
    return 2.0 * min(p, 1.0 - p)


def document_uncertainty(probabilities: Sequence[float]) -> float:
    kept = [p for p in probabilities if p >= MIN_CANDIDATE]
    return sum(margin(min(1.0, p)) for p in kept) / len(kept) if kept else 0.0


def scorer_for(nlp: Any) -> Callable[[Sequence[Any]], list[float | None]] | None:
    """A function of Docs (already run through ``nlp``) to their uncertainty, or None when the
    pipeline has nothing to be unsure about (no entity recognizer, no span categorizer)."""
    ner = next((pipe for _name, pipe in nlp.pipeline if hasattr(pipe, "scored_ents")), None)
    spancats = [pipe for _name, pipe in nlp.pipeline if type(pipe).__name__ == "SpanCategorizer"]
    if ner is None and not spancats:
        return None

    def score(docs: Sequence[Any]) -> list[float | None]:
        per_doc: list[list[float]] = [[] for _ in docs]
        if ner is not None and docs:
            # The entity recognizer's tok2vec listener reads doc.tensor, which the
            # pipeline's tok2vec set earlier in the same pipe.
            beams = ner.beam_parse(list(docs), beam_width=BEAM_WIDTH)
            for found, scores in zip(per_doc, ner.scored_ents(beams)):
                found.extend(float(p) for p in scores.values())
        for pipe in spancats:
            for found, doc in zip(per_doc, docs):
                group = doc.spans.get(pipe.key)
                scores = group.attrs.get("scores") if group is not None else None
                if scores is not None:
                    found.extend(float(s) for s in scores)
        return [document_uncertainty(found) for found in per_doc]

    return score


class _Scorer:
    """The last component of a scored pipeline: stores each Doc's uncertainty in
    ``doc.user_data`` (which survives the trip back from spaCy's worker processes)."""

    def __init__(self, score: Callable[[Sequence[Any]], list[float | None]]):
        self.score = score

    def __call__(self, doc: Any) -> Any:
        return next(iter(self.pipe([doc])))

    def pipe(self, docs: Any, batch_size: int = 32) -> Any:
        from spacy.util import minibatch

        for batch in minibatch(docs, batch_size):
            for doc, value in zip(batch, self.score(batch)):
                doc.user_data[USER_DATA_KEY] = value
                yield doc


def add_scorer(nlp: Any) -> bool:
    """Put the uncertainty component at the end of ``nlp``; False if it has nothing to score."""
    score = scorer_for(nlp)
    if score is None:
        return False
    from spacy.language import Language

    if not Language.has_factory(FACTORY):
        Language.factory(FACTORY, func=lambda nlp, name: _Scorer(lambda docs: [None] * len(docs)))
    nlp.add_pipe(FACTORY, last=True)
    nlp.get_pipe(FACTORY).score = score
    return True
