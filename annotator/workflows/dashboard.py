"""The project dashboard's charts as plain data (``core.dashboard.Chart``), from SQL aggregates.

    charts = dashboard_charts(project, DashboardFilter(annotators=("alice",)))

Parts (``PARTS``) can be computed alone, so a window that saw only a status change redoes the
progress charts and nothing else (``parts_for(change)``). Every figure comes from
``store/dashboard.DashboardReader``: counts per label, day, attribute value and claimant, never
spans read into Python. Agreement is not an SQL aggregate; it is in ``dashboard_agreement``.
Bad filters raise ``DashboardError`` (a message for the user).
"""

from __future__ import annotations

import datetime as dt
import math
from collections import defaultdict
from collections.abc import Iterable, Sequence

from ..core.changes import Change
from ..core.dashboard import GROUPED, HBARS, LINES, STACKED, Chart, DashboardFilter, Series
from ..core.model import DOCUMENT_STATUSES, Label
from ..store import Project, ProjectError
from ..store.dashboard import DashboardReader, label_ids

PROGRESS, LABELS, CLAIMS, MODELS, AGREEMENT = "progress", "labels", "claims", "models", "agreement"
PARTS = (PROGRESS, LABELS, CLAIMS, MODELS, AGREEMENT)
SQL_PARTS = frozenset((PROGRESS, LABELS, CLAIMS, MODELS))
PACE_DAYS = 14  # "the current pace": documents finished over the last two weeks
HORIZON_DAYS = 2 * 365  # a projected finish further away than this is said, not drawn
TOP_CLAIMANTS = 15
SPLIT_ATTRIBUTE = "stance"  # claimants are split by this claim attribute when the scheme has it
NO_VALUE = "(no value)"
SPAN_KINDS = ("entity", "claim", "role")


class DashboardError(Exception):
    """A filter the project cannot answer (an unknown annotator or label, a bad date)."""


def parts_for(change: Change, filters: DashboardFilter = DashboardFilter()) -> frozenset[str]:
    """The parts an edit of this kind can change (the rest stay as drawn)."""
    parts: set[str] = set()
    if change & (Change.LABELS | Change.DOCUMENTS):
        return frozenset(PARTS)
    if change & Change.DOCUMENT_STATUS:
        parts |= {PROGRESS, AGREEMENT}
        if filters.statuses is not None:
            parts |= {LABELS, CLAIMS}
    if change & Change.SPANS:
        parts |= {LABELS, CLAIMS, AGREEMENT}  # a claim's content is a span
    if change & Change.CLAIMS:
        parts |= {CLAIMS, AGREEMENT}
    if change & Change.SETTINGS:
        parts.add(MODELS)
    return frozenset(parts)


def check_filter(project: Project, filters: DashboardFilter) -> DashboardFilter:
    """The filter, checked against the project; dates as YYYY-MM-DD."""
    try:
        if filters.annotators is not None:
            DashboardReader(project).chosen(filters.annotators)
        if filters.labels is not None:
            label_ids(project, filters.labels)
    except ProjectError as exc:
        raise DashboardError(str(exc)) from exc
    for status in filters.statuses or ():
        if status not in DOCUMENT_STATUSES:
            raise DashboardError(f"status {status!r} must be one of {', '.join(DOCUMENT_STATUSES)}")
    since, until = (_date(filters.since, "since"), _date(filters.until, "until"))
    if since and until and since > until:
        raise DashboardError(f"the date range ends ({until}) before it starts ({since})")
    return DashboardFilter(filters.annotators, filters.labels, filters.statuses, since, until)


def _date(value: str | None, name: str) -> str | None:
    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value.strip()).isoformat()
    except (ValueError, AttributeError):
        raise DashboardError(f"{name}: {value!r} is not a date (write it as YYYY-MM-DD)") from None


def dashboard_charts(project: Project, filters: DashboardFilter = DashboardFilter(), *,
                     today: dt.date | None = None, parts: Iterable[str] = SQL_PARTS) -> list[Chart]:
    """The SQL charts of ``parts``, in the dashboard's order."""
    filters = check_filter(project, filters)
    today = today or dt.datetime.now(dt.timezone.utc).date()
    wanted = set(parts)
    reader = DashboardReader(project)
    labels = project.labels()
    charts: list[Chart] = []
    if PROGRESS in wanted:
        charts += progress_charts(reader, filters, today)
    if LABELS in wanted:
        charts.append(label_chart(reader, filters, labels))
    if CLAIMS in wanted:
        charts += claim_charts(project, reader, filters, labels)
    if MODELS in wanted:
        charts.append(model_chart(reader, filters))
    return charts


# --------------------------------------------------------------------------- progress
def _days(first: dt.date, last: dt.date) -> list[str]:
    return [(first + dt.timedelta(days=i)).isoformat() for i in range((last - first).days + 1)]


def progress_charts(reader: DashboardReader, filters: DashboardFilter, today: dt.date) -> list[Chart]:
    holders = reader.holders(filters.annotators)
    per_day = reader.done_per_day(holders, filters.since, filters.until)
    present = {who for who, _, _ in per_day}
    names = [who for who in (holders.project_title, *(a.ref for a in holders.separate)) if who in present]
    counts = {(who, day): n for who, day, n in per_day}
    seen = [dt.date.fromisoformat(day) for _, day, _ in per_day]
    first = dt.date.fromisoformat(filters.since) if filters.since else min(seen, default=today)
    last = dt.date.fromisoformat(filters.until) if filters.until else max(seen, default=today)
    days = _days(first, last) if seen else []
    series = tuple(Series(who, tuple(float(counts.get((who, d), 0)) for d in days)) for who in names)
    daily = Chart("progress", "Documents marked done per day, by annotator", STACKED, tuple(days), series,
                  ("day", *names), tuple((d, *(counts.get((who, d), 0) for who in names)) for d in days),
                  x_title="day (UTC)", y_title="documents",
                  note="" if days else "No document has been marked done yet" + _in_range(filters) + ".")
    return [daily, cumulative_chart(reader, holders, filters, today)]


def _in_range(filters: DashboardFilter) -> str:
    if filters.since or filters.until:
        return f" between {filters.since or 'the start'} and {filters.until or 'today'}"
    return ""


def cumulative_chart(reader: DashboardReader, holders, filters: DashboardFilter, today: dt.date) -> Chart:
    finished = reader.finished_per_day(holders)
    title = "Documents finished, cumulative, against the project's size"
    meaning = ("a document is finished when everyone it is assigned to has marked it done" if finished.assigned
               else "a document is finished when it is marked done")
    if not finished.per_day:
        note = f"No document finished yet ({finished.size:,} to do; {meaning})."
        return Chart("cumulative", title, LINES, (), (), ("day", "finished", "size"), (), note=note)
    by_day = dict(finished.per_day)
    first = dt.date.fromisoformat(finished.per_day[0][0])
    last = max(dt.date.fromisoformat(finished.per_day[-1][0]), today)
    total, running = 0, {}
    for day in _days(first, last):
        total += by_day.get(day, 0)
        running[day] = total
    done = total
    recent = sum(n for day, n in finished.per_day
                 if today - dt.timedelta(days=PACE_DAYS) < dt.date.fromisoformat(day) <= today)
    pace = recent / PACE_DAYS
    remaining = max(finished.size - done, 0)
    share = f"{done:,} of {finished.size:,} documents finished ({100 * done / finished.size:.0f}%)" if finished.size \
        else f"{done:,} documents finished"
    projection: dict[str, float] = {}
    if remaining == 0:
        note = f"{share}: all done, the last on {finished.per_day[-1][0]}."
    elif pace == 0:
        note = f"{share}; none in the last {PACE_DAYS} days, so no finish date at this pace."
    else:
        needed = math.ceil(remaining / pace)
        end = today + dt.timedelta(days=needed)
        rate = f"{pace:,.0f}" if pace >= 10 else f"{pace:.1f}"
        note = (f"{share}; at {rate} a day (the last {PACE_DAYS} days) the rest takes {needed:,} days: "
                f"finished around {end.isoformat()}.")
        if needed <= HORIZON_DAYS:
            projection = {(today + dt.timedelta(days=i)).isoformat(): min(done + pace * i, finished.size)
                          for i in range(needed + 1)}
        else:
            note += " (Not drawn: more than two years away.)"
    days = sorted(set(running) | set(projection))
    if filters.since or filters.until:
        days = [d for d in days if (not filters.since or d >= filters.since) and (not filters.until or d <= filters.until)]
    series = [Series("finished", tuple(float(running[d]) if d in running else None for d in days)),
              Series("project size", tuple(float(finished.size) for _ in days), style="dashed")]
    if projection:
        series.append(Series("projected at the current pace", tuple(projection.get(d) for d in days), style="dashed"))
    rows = tuple((d, running.get(d), finished.size, None if d not in projection else round(projection[d], 1))
                 for d in days)
    return Chart("cumulative", title, LINES, tuple(days), tuple(series), ("day", "finished", "size", "projected"), rows,
                 x_title="day (UTC)", y_title="documents", note=f"{note} ({meaning[0].upper()}{meaning[1:]}.)",
                 extra={"size": finished.size, "finished": done, "pace": pace})


# --------------------------------------------------------------------------- labels
def _chosen_labels(labels: Sequence[Label], filters: DashboardFilter, kinds: Sequence[str]) -> list[Label]:
    return [lab for lab in labels if lab.kind in kinds and (filters.labels is None or lab.name in filters.labels)]


def label_chart(reader: DashboardReader, filters: DashboardFilter, labels: Sequence[Label]) -> Chart:
    shown = _chosen_labels(labels, filters, SPAN_KINDS)
    rows = reader.span_counts(filters, [lab.id for lab in shown])
    names = {lab.id: lab.name for lab in shown}
    people = {a.id if a else None: reader.title(a) for a in reader.chosen(filters.annotators)}
    counts: dict[tuple[str, str], int] = defaultdict(int)
    for label_id, annotator_id, n in rows:
        counts[(names[label_id], people.get(annotator_id, "?"))] += n
    series_names = [title for title in people.values() if any(k[1] == title for k in counts)]
    totals = {lab.name: sum(counts.get((lab.name, who), 0) for who in series_names) for lab in shown}
    order = sorted(totals, key=lambda name: -totals[name])  # the rare labels at the end, where the eye stops
    drawn = [name for name in order if totals[name]]  # the unused are named in the note
    series = tuple(Series(who, tuple(float(counts.get((name, who), 0)) for name in drawn)) for who in series_names)
    rare = [name for name in reversed(order) if totals[name]][:3]
    note = ("Rarest: " + ", ".join(f"{name} ({totals[name]:,})" for name in rare) + "." if rare
            else "No accepted span" + _in_range(filters) + ".")
    unused = [name for name in order if not totals[name]]
    if unused and rare:
        note += " Never used: " + ", ".join(unused) + "."
    by = ", by annotator" if len(series_names) > 1 else ""
    return Chart("labels", f"Accepted spans per label{by}", GROUPED, tuple(drawn), series, ("label", *series_names),
                 tuple((name, *(counts.get((name, who), 0) for who in series_names)) for name in order),
                 x_title="label", y_title="spans", note=note)


# --------------------------------------------------------------------------- claims
def _claim_label_ids(project: Project, filters: DashboardFilter, labels: Sequence[Label]) -> list[int] | None:
    """The claim labels a label filter names; None (all claims) when it names none."""
    if filters.labels is None:
        return None
    chosen = [lab.id for lab in labels if lab.kind == "claim" and lab.name in filters.labels]
    return chosen or None


def claim_charts(project: Project, reader: DashboardReader, filters: DashboardFilter,
                 labels: Sequence[Label]) -> list[Chart]:
    claim_ids = _claim_label_ids(project, filters, labels)
    attributes = [a for a in project.claim_attributes() if a.kind == "choice"]
    total = reader.claim_total(filters, claim_ids)
    counts = defaultdict(dict)
    for attribute, value, n in reader.value_counts(filters, claim_ids, [a.name for a in attributes]):
        counts[attribute][value] = n
    charts = []
    for attribute in attributes:
        used = counts.get(attribute.name, {})
        values = [*attribute.choices, *sorted(v for v in used if v not in attribute.choices and v != "")]
        numbers = [used.get(v, 0) for v in values]
        values.append(NO_VALUE)
        numbers.append(total - sum(numbers))
        title = attribute.title or attribute.name
        charts.append(Chart(
            f"attribute-{attribute.name}", f"Claims by {title[:1].lower()}{title[1:]}",
            HBARS, tuple(values), (Series("claims", tuple(float(n) for n in numbers)),), (attribute.name, "claims"),
            tuple(zip(values, numbers)), x_title="claims", y_title=title,
            note=f"{total:,} claims" + _in_range(filters) + "." if total else "No claim" + _in_range(filters) + "."))
    charts.append(claimant_chart(reader, filters, claim_ids, attributes))
    return charts


def claimant_chart(reader: DashboardReader, filters: DashboardFilter, claim_ids: list[int] | None,
                   attributes) -> Chart:
    split = next((a for a in attributes if a.name == SPLIT_ATTRIBUTE), None)
    rows = reader.claimant_counts(filters, claim_ids, split.name if split else None)
    totals: dict[str, int] = defaultdict(int)
    by: dict[tuple[str, str], int] = defaultdict(int)
    for who, value, n in rows:
        totals[who] += n
        by[(who, value if value else NO_VALUE)] += n
    top = sorted(totals, key=lambda who: (-totals[who], who))[:TOP_CLAIMANTS]
    values = [*(split.choices if split else ()), *sorted({v for (_, v) in by if split and v not in split.choices
                                                          and v != NO_VALUE}), NO_VALUE]
    values = [v for v in values if any(by.get((who, v)) for who in top)] if split else ["claims"]
    if not split:
        by = {(who, "claims"): totals[who] for who in top}
    series = tuple(Series(v, tuple(float(by.get((who, v), 0)) for who in top)) for v in values)
    named = sum(totals.values())
    note = (f"The top {len(top)} of {len(totals):,} claimants (names merged into canonical ones); "
            f"{named:,} claims name a claimant." if top else "No claim names a claimant" + _in_range(filters) + ".")
    title = "Top claimants by number of claims" + (f", by {split.title.lower() or split.name}" if split else "")
    return Chart("claimants", title, HBARS, tuple(top), series, ("claimant", *values, "total"),
                 tuple((who, *(by.get((who, v), 0) for v in values), totals[who]) for who in top),
                 x_title="claims", y_title="claimant", note=note)


# --------------------------------------------------------------------------- models
def model_chart(reader: DashboardReader, filters: DashboardFilter) -> Chart:
    rows = reader.model_scores(filters.since, filters.until)
    if filters.labels is not None:
        rows = [r for r in rows if r[3] in filters.labels]
    components: dict[str, set[str]] = defaultdict(set)
    for _, _, component, label, _ in rows:
        components[label].add(component)

    def key(component: str, label: str) -> str:
        return f"{label} ({component})" if len(components[label]) > 1 else label

    models: dict[str, str] = {}
    scores: dict[tuple[str, str], float] = {}
    for name, created, component, label, f in rows:
        models.setdefault(name, created)
        scores[(name, key(component, label))] = 100 * f
    lines = list(dict.fromkeys(key(c, lab) for _, _, c, lab, _ in rows))
    names = list(models)
    series = tuple(Series(line, tuple(scores.get((m, line)) for m in names)) for line in lines)
    note = (f"{len(names)} model{'s' if len(names) != 1 else ''}; F on each model's held-out documents (docs/models.md)."
            if names else "No model trained" + _in_range(filters) + " (Model > Train…).")
    return Chart("models", "F per label of each trained model, over time", LINES, tuple(models[m] for m in names),
                 series, ("model", "trained", *lines),
                 tuple((m, models[m], *(None if scores.get((m, line)) is None else round(scores[(m, line)], 1)
                                        for line in lines)) for m in names),
                 x_title="trained (UTC)", y_title="F (%)", note=note, value_range=(0.0, 100.0),
                 extra={"points": tuple(names)})
