"""The dashboard's agreement charts: the pair matrix as a heat map and F1 per label.

Agreement is not an SQL aggregate: ``compute_agreement`` (issue 15) tokenizes every document
two annotators marked done. The window runs it off the GUI thread and keeps the result in an
``AgreementCache`` keyed by the project's change stamp and the filter, so reopening the
dashboard or switching the theme recomputes nothing until the project changes.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from typing import Any

from ..core.agreement import mean
from ..core.dashboard import GROUPED, HEATMAP, Chart, DashboardFilter, Series
from ..core.team import UNATTRIBUTED
from ..store import Project
from ..store.dashboard import DashboardReader
from .agreement import AgreementError, AgreementOptions, AgreementResult, compute_agreement
from .agreement_report import pair_matrix, rounded

PENDING = "Computing agreement in the background…"
NOT_FILTERED = "Over the documents both annotators of a pair marked done; the status and date filters do not apply."


def agreement_options(project: Project, filters: DashboardFilter) -> AgreementOptions:
    """What agreement compares under a dashboard filter: the named annotators (the unattributed
    layer is nobody's to compare) and the entity and claim labels among the filter's labels."""
    annotators = None if filters.annotators is None else tuple(a for a in filters.annotators if a != UNATTRIBUTED)
    labels = None
    if filters.labels is not None:
        kinds = {lab.name: lab.kind for lab in project.labels()}
        labels = tuple(name for name in filters.labels if kinds.get(name) in ("entity", "claim"))
    return AgreementOptions(annotators, labels)


def agreement_key(project: Project, filters: DashboardFilter) -> Hashable:
    """Equal for two calls exactly when neither the project nor what is compared changed in between
    (read on the connection that edits, so its own writes count)."""
    options = agreement_options(project, filters)
    return (str(project.path), DashboardReader(project).change_stamp(), options.annotators, options.labels)


class AgreementCache:
    """The latest agreement result (or the reason there is none) for one key."""

    def __init__(self) -> None:
        self._key: Hashable = None
        self._value: AgreementResult | str | None = None

    def get(self, key: Hashable) -> AgreementResult | str | None:
        return self._value if key == self._key else None

    def put(self, key: Hashable, value: AgreementResult | str) -> None:
        self._key, self._value = key, value

    def clear(self) -> None:
        self._key, self._value = None, None


def dashboard_agreement(project: Project, filters: DashboardFilter, *,
                        progress: Callable[[int, int], None] | None = None,
                        should_stop: Callable[[], bool] | None = None,
                        tokenize: Callable[[str, str], Any] | None = None) -> AgreementResult | str:
    """The agreement result, or why there is none (fewer than two annotators' layers, a label
    filter with no entity or claim label) as a sentence. ``AgreementCancelled`` when stopped."""
    options = agreement_options(project, filters)
    if options.labels == ():
        return "The label filter names no entity or claim label: agreement counts only those."
    try:
        return compute_agreement(project, options, progress=progress, should_stop=should_stop, tokenize=tokenize)
    except AgreementError as exc:
        return f"{str(exc)[:1].upper()}{str(exc)[1:]}."


def _undefined(labels: list[str], exact: list[float | None]) -> str:
    """Labels with no bar: no pair had a span of them in either layer (F1 is undefined, not 0)."""
    missing = [label for label, value in zip(labels, exact) if value is None]
    return f" No bar (neither layer of any pair has one): {', '.join(missing)}." if missing else ""


def agreement_charts(result: AgreementResult | str | None) -> list[Chart]:
    """The two agreement charts; ``result`` None while it is being computed, a string when
    there is nothing to compare (said under both titles)."""
    matrix_title = "Agreement between annotators: exact span F1 (entities)"
    label_title = "Agreement per label: F1 averaged over pairs of annotators"
    if not isinstance(result, AgreementResult):
        note = PENDING if result is None else result
        return [Chart("agreement", matrix_title, HEATMAP, (), (), ("a", "b"), (), note=note),
                Chart("agreement-labels", label_title, GROUPED, (), (), ("label",), (), note=note)]
    names, cells = pair_matrix(result, "exact_f1", "entity")
    f = result.figures
    series = tuple(Series(name, tuple(None if cell is None else cell[0] for cell in row))
                   for name, row in zip(names, cells))
    counts = tuple(tuple(None if cell is None else cell[1] for cell in row) for row in cells)
    pair_rows = tuple((p.a, p.b, p.documents, rounded(p.exact_f1), rounded(p.relaxed_f1), rounded(p.kappa_tokens))
                      for p in f.entity_pairs)
    documents = f"{f.documents:,} document{'s' if f.documents != 1 else ''} marked done by at least two of them."
    matrix = Chart("agreement", matrix_title, HEATMAP, names, series,
                   ("a", "b", "documents", "exact_f1", "relaxed_f1", "kappa_tokens"), pair_rows,
                   note=f"{documents} {NOT_FILTERED}" if result.entity_labels else "No entity label is compared.",
                   value_range=(0.0, 1.0), extra={"documents": counts})
    labels = [*result.entity_labels, *result.claim_labels]
    per_label = []
    for index, label in enumerate(result.entity_labels):
        per_label.append((label, [p.labels[index] for p in f.entity_pairs]))
    for index, label in enumerate(result.claim_labels):
        per_label.append((label, [p.labels[index] for p in f.claim_pairs]))
    exact = [mean(x.exact_f1 for x in figures) for _, figures in per_label]
    relaxed = [mean(x.relaxed_f1 for x in figures) for _, figures in per_label]
    # Each label's n is the pairs its mean averages: a pair where neither used the label has
    # no F1 and is left out of the mean, so the number of all pairs overstated it.
    averaged = [sum(x.exact_f1 is not None for x in figures) for _, figures in per_label]
    pairs = len(f.entity_pairs) or len(f.claim_pairs)
    by_label = Chart("agreement-labels", label_title, GROUPED, tuple(labels),
                     (Series("exact F1", tuple(exact)), Series("relaxed F1 (overlap)", tuple(relaxed))),
                     ("label", "exact_f1", "relaxed_f1", "pairs"),
                     tuple((label, rounded(e), rounded(r), n) for label, e, r, n in zip(labels, exact, relaxed, averaged)),
                     x_title="label", y_title="F1", value_range=(0.0, 1.0),
                     note=f"Mean over the pairs where either annotator used the label (of {pairs} "
                          f"pair{'s' if pairs != 1 else ''}; the table gives each label's); "
                          f"{documents}{_undefined(labels, exact)}")
    return [matrix, by_label]
