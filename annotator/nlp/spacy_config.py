"""A ``config.cfg`` for ``spacy train``, made by spaCy's own quickstart machinery.

``spacy.cli.init_config.init_config`` writes the same config as ``spacy init config``
(blank tok2vec, CPU, efficiency) for the components the export has data for; we then set
what only the data knows: which span group spancat learns, how long a claim may be, where
the corpus is. spaCy fills and validates the result, so ``spacy train`` accepts it as is.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from .docbin import CLAIMS_KEY

MAX_SUGGESTED_CLAIM_TOKENS = 32  # spancat proposes every n-gram up to this: cost grows with it


@dataclass(frozen=True)
class ConfigPlan:
    """Which components to train, from what the export found."""

    language: str
    ner: bool = False
    spancat: bool = False
    textcat: str | None = None  # "textcat" (one label per document) or "textcat_multilabel"
    longest_claim: int = 0  # tokens

    @property
    def pipeline(self) -> list[str]:
        names = []
        if self.ner:
            names.append("ner")
        if self.spancat:
            names.append("spancat")
        if self.textcat:
            names.append(self.textcat)
        return names

    @property
    def claim_ngram_max(self) -> int:
        return max(1, min(self.longest_claim, MAX_SUGGESTED_CLAIM_TOKENS))


def training_config(plan: ConfigPlan, train: Path, dev: Path) -> str:
    """The config text; ``train``/``dev`` become the default ``[paths]`` (absolute, so
    ``spacy train config.cfg`` works from any folder; ``--paths.*`` still override them)."""
    from spacy import util
    from spacy.cli.init_config import init_config

    if not plan.pipeline:
        raise ValueError("nothing to train: no entity, claim or document labels in the export")
    config = init_config(lang=plan.language, pipeline=plan.pipeline, optimize="efficiency", gpu=False,
                         pretraining=False, silent=True)
    config["paths"]["train"] = str(train.resolve())
    config["paths"]["dev"] = str(dev.resolve())
    if plan.spancat:
        spancat = config["components"]["spancat"]
        spancat["spans_key"] = CLAIMS_KEY
        spancat["suggester"] = {"@misc": "spacy.ngram_range_suggester.v1", "min_size": 1,
                                "max_size": plan.claim_ngram_max}
        weights = config["training"]["score_weights"]
        # Scores are named after the span group ("spans_claims_f"); the quickstart weighs the
        # default group "sc", which spancat no longer scores. None keeps spaCy from filling
        # the default weights back in.
        for name in [n for n in weights if n.startswith("spans_sc_")]:
            weights[name.replace("spans_sc_", f"spans_{CLAIMS_KEY}_")] = weights[name]
            weights[name] = None
    # Fill and validate with spaCy itself: a config it cannot load is never written.
    nlp = util.load_model_from_config(config, auto_fill=True, validate=True)
    return nlp.config.to_str()
