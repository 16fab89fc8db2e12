"""The dashboard's figures as SQL aggregates: nothing here reads a span into Python.

Each method returns a few aggregated rows (counts per label and annotator, per day, per
attribute value, per claimant and stance) that ``workflows/dashboard`` shapes into charts.
The unfiltered figures take the fastest path there is: span counts come from the covering
index ``spans_label_state``, attribute values from ``claim_values_attribute``; the claims of
undecided suggestions are counted from their (few) content spans and taken off. A filter on
document status or dates reads each span row (seconds at millions of spans), so the window
runs all of this off the GUI thread.

When a document was marked done is the ``updated_at`` of its status row
(``document_status`` for annotators with statuses of their own, ``documents`` for the
project's): it is written only when the status changes (store/annotators.py), and merges and
splits carry it over, so it is the day the document last became done.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from ..core.dashboard import DashboardFilter
from ..core.team import UNATTRIBUTED, UNATTRIBUTED_TITLE, Annotator
from .errors import ProjectError
from .project import Project

PROJECT_STATUS = "(project status)"  # the series of documents.status when no named annotator shares it
SCOPED = "claims c JOIN spans s ON s.id = c.span_id"  # a claim and its content span


def _marks(values: Sequence[object]) -> str:
    return ",".join("?" * len(values))


def _ids(values: Sequence[int]) -> str:
    """Row ids from our own tables, written into SQL (they are ints; IN lists of any length)."""
    return ",".join(str(int(v)) for v in values) or "NULL"


@dataclass(frozen=True)
class Holders:
    """Whose statuses a progress figure counts: annotators with statuses of their own, those
    who share the project's (``documents.status``), and whether the project's status counts."""

    separate: tuple[Annotator, ...]
    sharers: tuple[Annotator, ...]
    project: bool

    @property
    def project_title(self) -> str:
        return ", ".join(a.ref for a in self.sharers) or PROJECT_STATUS


@dataclass(frozen=True)
class Finished:
    """Documents finished per day and what finishing means: ``assigned`` when the project has an
    assignment (a document is finished when everyone it is assigned to marked it done, on the
    last of those days), else when anyone marked it done (on the first day)."""

    size: int
    per_day: tuple[tuple[str, int], ...]
    assigned: bool


class DashboardReader:
    def __init__(self, project: Project):
        self.project = project
        self.db = project.db
        self._everyone = project.annotator_list()

    # ------------------------------------------------------------------ who
    def chosen(self, refs: Sequence[str] | None) -> list[Annotator | None]:
        """The annotators a filter names (None in the list: the unattributed layer); every
        annotator and the unattributed layer when ``refs`` is None. ProjectError for a name
        the project does not know."""
        if refs is None:
            return [*self._everyone, None]
        found: list[Annotator | None] = []
        for ref in refs:
            found.append(None if ref == UNATTRIBUTED else self.project.find_annotator(ref))
        return found

    def holders(self, refs: Sequence[str] | None) -> Holders:
        people = [a for a in self.chosen(refs) if a is not None]
        separate = tuple(a for a in people if a.separate_status)
        sharers = tuple(a for a in people if not a.separate_status)
        if refs is None and not sharers:
            # Nobody named shares the project's status: count it if anyone used it.
            counted = bool(list(self.db.query("SELECT 1 FROM documents WHERE status != 'todo' LIMIT 1")))
        else:
            counted = bool(sharers)
        return Holders(separate, sharers, counted)

    @staticmethod
    def title(annotator: Annotator | None) -> str:
        return annotator.ref if annotator is not None else UNATTRIBUTED_TITLE

    # ------------------------------------------------------------------ progress
    def done_per_day(self, holders: Holders, since: str | None, until: str | None) -> list[tuple[str, str, int]]:
        """(series, day, documents marked done that day) for each holder; the project's status
        is one series (named after the annotators who share it)."""
        days, params = _day_range("substr(updated_at, 1, 10)", since, until)
        rows: list[tuple[str, str, int]] = []
        if holders.separate:
            refs = {a.id: a.ref for a in holders.separate}
            rows += [(refs[r["who"]], r["day"], r["n"]) for r in self.db.query(
                "SELECT annotator_id AS who, substr(updated_at, 1, 10) AS day, count(*) AS n FROM document_status"
                f" WHERE status = 'done' AND annotator_id IN ({_ids(list(refs))}){days} GROUP BY 1, 2", params)]
        if holders.project:
            rows += [(holders.project_title, r["day"], r["n"]) for r in self.db.query(
                "SELECT substr(updated_at, 1, 10) AS day, count(*) AS n FROM documents"
                f" WHERE status = 'done'{days} GROUP BY 1", params)]
        return rows

    def finished_per_day(self, holders: Holders) -> Finished:
        separate = _ids([a.id for a in holders.separate])
        sharers = [a.id for a in holders.sharers]
        chosen = _ids([a.id for a in (*holders.separate, *holders.sharers)])
        assigned = next(self.db.query(
            f"SELECT count(DISTINCT doc_id) AS n FROM assignments WHERE annotator_id IN ({chosen})"))["n"]
        if assigned:
            marks = ("SELECT doc_id, annotator_id, substr(updated_at, 1, 10) AS day FROM document_status"
                     f" WHERE status = 'done' AND annotator_id IN ({separate})")
            if sharers:
                marks += (" UNION ALL SELECT documents.id, annotators.id, substr(documents.updated_at, 1, 10)"
                          " FROM documents JOIN annotators ON annotators.id IN"
                          f" ({_ids(sharers)}) WHERE documents.status = 'done'")
            rows = self.db.query(
                f"WITH marks AS MATERIALIZED ({marks}) SELECT day, count(*) AS n FROM ("
                "  SELECT max(m.day) AS day, count(m.day) = count(*) AS finished FROM assignments a"
                "  LEFT JOIN marks m ON m.doc_id = a.doc_id AND m.annotator_id = a.annotator_id"
                f"  WHERE a.annotator_id IN ({chosen}) GROUP BY a.doc_id)"
                " WHERE finished GROUP BY day ORDER BY day")
            return Finished(assigned, tuple((r["day"], r["n"]) for r in rows), True)
        parts = [f"SELECT doc_id, substr(updated_at, 1, 10) AS day FROM document_status WHERE status = 'done'"
                 f" AND annotator_id IN ({separate})"] if holders.separate else []
        if holders.project:
            # Named: alone (nobody keeps a status of their own) this select names the columns.
            parts.append("SELECT id AS doc_id, substr(updated_at, 1, 10) AS day FROM documents WHERE status = 'done'")
        size = next(self.db.query("SELECT count(*) AS n FROM documents"))["n"]
        if not parts:
            return Finished(size, (), False)
        rows = self.db.query(f"SELECT day, count(*) AS n FROM (SELECT min(day) AS day FROM ({' UNION ALL '.join(parts)})"
                             " GROUP BY doc_id) GROUP BY day ORDER BY day")
        return Finished(size, tuple((r["day"], r["n"]) for r in rows), False)

    # ------------------------------------------------------------------ spans
    def span_counts(self, filters: DashboardFilter, label_ids: Sequence[int]) -> list[tuple[int, int | None, int]]:
        """(label id, annotator id or None, accepted spans) of the chosen labels and annotators."""
        chosen = self.chosen(filters.annotators)
        if filters.statuses is None and filters.since is None and filters.until is None:
            # One pass over the covering index; the state is picked here (27 rows, not 2 million).
            wanted = {a.id if a is not None else None for a in chosen}
            labels = set(label_ids)
            # Every label: the whole index in one pass, without a search per label (a sixth less).
            some = "" if labels >= set(self.project.label_ids().values()) else f" WHERE label_id IN ({_ids(label_ids)})"
            return [(r["label_id"], r["annotator_id"], r["n"]) for r in self.db.query(
                f"SELECT label_id, state, annotator_id, count(*) AS n FROM spans{some}"
                " GROUP BY label_id, state, annotator_id")
                if r["state"] == "accepted" and r["annotator_id"] in wanted and r["label_id"] in labels]
        where, params = self._annotation_where("s", filters, chosen)
        return [(r["label_id"], r["annotator_id"], r["n"]) for r in self.db.query(
            f"SELECT s.label_id, s.annotator_id, count(*) AS n FROM spans s WHERE s.label_id IN ({_ids(label_ids)})"
            f" AND s.state = 'accepted'{where} GROUP BY 1, 2", params)]

    def _annotation_where(self, s: str, filters: DashboardFilter, chosen: list[Annotator | None]) -> tuple[str, list]:
        """Conditions on the span ``s`` (a span, or a claim's content span) for the filter's
        annotators, document statuses and dates."""
        where, params = "", []
        if filters.annotators is not None:
            ids = [a.id for a in chosen if a is not None]
            either = [f"{s}.annotator_id IN ({_ids(ids)})"] + ([f"{s}.annotator_id IS NULL"] if None in chosen else [])
            where += f" AND ({' OR '.join(either)})"
        if filters.statuses is not None:
            where += f" AND {self._status_of(s)} IN ({_marks(filters.statuses)})"
            params += list(filters.statuses)
        dates, more = _day_range(f"{s}.created_at", filters.since, filters.until, whole_times=True)
        return where + dates, params + more

    def _status_of(self, s: str) -> str:
        """The status of the span ``s``'s document for the annotator who made it."""
        separate = [a.id for a in self._everyone if a.separate_status]
        project = f"(SELECT d.status FROM documents d WHERE d.id = {s}.doc_id)"
        if not separate:
            return project
        return (f"(CASE WHEN {s}.annotator_id IN ({_ids(separate)}) THEN coalesce((SELECT ds.status FROM"
                f" document_status ds WHERE ds.annotator_id = {s}.annotator_id AND ds.doc_id = {s}.doc_id), 'todo')"
                f" ELSE {project} END)")

    # ------------------------------------------------------------------ claims
    def _claim_scope(self, filters: DashboardFilter, claim_label_ids: Sequence[int] | None
                     ) -> tuple[str, list] | None:
        """WHERE (over claim ``c`` and its content span ``s``) of the claims a filter keeps, or
        None when it keeps every claim of a decided (accepted) content span."""
        if (claim_label_ids is None and filters.annotators is None and filters.statuses is None
                and filters.since is None and filters.until is None):
            return None
        where, params = self._annotation_where("s", filters, self.chosen(filters.annotators))
        if claim_label_ids is not None:
            where += f" AND s.label_id IN ({_ids(claim_label_ids)})"
        return f"s.state = 'accepted'{where}", params

    def _undecided_claims(self) -> str:
        """Claims whose content span is a suggestion (or a rejected one): found from the spans
        index by label and state, so there is no pass over every claim to leave them out."""
        return ("SELECT c.id FROM labels l CROSS JOIN spans s"
                " ON s.label_id = l.id AND s.state IN ('suggested', 'rejected') CROSS JOIN claims c"
                " ON c.span_id = s.id WHERE l.kind = 'claim'")

    def claim_total(self, filters: DashboardFilter, claim_label_ids: Sequence[int] | None) -> int:
        scope = self._claim_scope(filters, claim_label_ids)
        if scope is not None:
            return next(self.db.query(f"SELECT count(*) AS n FROM {SCOPED} WHERE {scope[0]}", scope[1]))["n"]
        every = next(self.db.query("SELECT count(*) AS n FROM claims"))["n"]
        return every - next(self.db.query(f"SELECT count(*) AS n FROM ({self._undecided_claims()})"))["n"]

    def value_counts(self, filters: DashboardFilter, claim_label_ids: Sequence[int] | None,
                     attributes: Sequence[str]) -> list[tuple[str, str, int]]:
        """(attribute, value, claims) of the kept claims, for the named attributes."""
        marks = _marks(attributes)
        scope = self._claim_scope(filters, claim_label_ids)
        if scope is not None:
            return [(r["attribute"], r["value"], r["n"]) for r in self.db.query(
                f"SELECT v.attribute, v.value, count(*) AS n FROM {SCOPED} JOIN claim_values v ON v.claim_id = c.id"
                f" WHERE {scope[0]} AND v.attribute IN ({marks}) GROUP BY 1, 2", [*scope[1], *attributes])]
        counts = {(r["attribute"], r["value"]): r["n"] for r in self.db.query(
            "SELECT attribute, value, count(*) AS n FROM claim_values"
            f" WHERE attribute IN ({marks}) GROUP BY 1, 2", list(attributes))}
        for r in self.db.query(
                f"SELECT v.attribute, v.value, count(*) AS n FROM ({self._undecided_claims()}) u"
                f" JOIN claim_values v ON v.claim_id = u.id WHERE v.attribute IN ({marks}) GROUP BY 1, 2",
                list(attributes)):
            counts[(r["attribute"], r["value"])] -= r["n"]
        return [(attribute, value, n) for (attribute, value), n in counts.items() if n]

    def claimant_counts(self, filters: DashboardFilter, claim_label_ids: Sequence[int] | None,
                        split: str | None) -> list[tuple[str, str | None, int]]:
        """(canonical claimant, the claim's ``split`` value or None, claims) of the kept claims
        that name a claimant (a span or free text), merged names counted under their canonical one."""
        scope = self._claim_scope(filters, claim_label_ids)
        named = "SELECT c.id, coalesce(k.text, c.claimant_text) AS name FROM "
        if scope is None:
            named += (f"claims c LEFT JOIN spans k ON k.id = c.claimant_span_id"
                      f" WHERE c.id NOT IN ({self._undecided_claims()})")
            params: list = []
        else:
            named += f"{SCOPED} LEFT JOIN spans k ON k.id = c.claimant_span_id WHERE {scope[0]}"
            params = scope[1]
        value = "v.value" if split else "NULL"
        join = " LEFT JOIN claim_values v ON v.claim_id = u.id AND v.attribute = ?" if split else ""
        # Names are grouped first and each group's name then looked up among the aliases by
        # their key: a join with claimant_aliases was planned as a scan of it per claim while
        # the table's statistics said it was small (23 s, not 0.5 s, with 1,500 aliases and
        # 300,000 claims).
        rows = self.db.query(
            "SELECT coalesce((SELECT a.canonical FROM claimant_aliases a WHERE a.alias = g.name), g.name) AS who,"
            f" g.value, sum(g.n) AS n FROM (SELECT u.name, {value} AS value, count(*) AS n FROM ({named}) u{join}"
            " WHERE u.name IS NOT NULL GROUP BY 1, 2) g GROUP BY 1, 2",
            [*params, *([split] if split else [])])
        return [(r["who"], r["value"], r["n"]) for r in rows]

    # ------------------------------------------------------------------ models
    def model_scores(self, since: str | None, until: str | None) -> list[tuple[str, str, str, str, float]]:
        """(model, trained at, component, label, F) for every per-label score recorded; scores
        written by another tool that are not JSON numbers are left out, never a failure."""
        dates, params = _day_range("m.created_at", since, until, whole_times=True)
        rows = self.db.query(
            "SELECT m.name, m.created_at, c.key AS component, l.key AS label, json_extract(l.value, '$.f') AS f"
            " FROM (SELECT * FROM models WHERE json_valid(scores)"
            "       AND json_type(scores, '$.per_label') = 'object') m,"
            " json_each(m.scores, '$.per_label') c, json_each(c.value) l"
            f" WHERE c.type = 'object' AND l.type = 'object' AND json_type(l.value, '$.f') IN ('integer', 'real'){dates}"
            " ORDER BY m.created_at, m.id", params)
        return [(r["name"], r["created_at"], r["component"], r["label"], float(r["f"])) for r in rows]

    # ------------------------------------------------------------------ changes
    def change_stamp(self) -> tuple[int, int]:
        """Changes whenever the file does: another connection's commit moves ``data_version``,
        this connection's own writes move ``total_changes()``."""
        return (next(self.db.query("PRAGMA data_version"))["data_version"],
                next(self.db.query("SELECT total_changes() AS n"))["n"])


def _day_range(column: str, since: str | None, until: str | None, *, whole_times: bool = False
               ) -> tuple[str, list]:
    """`` AND column >= since AND column < the day after until`` (dates are checked by the caller)."""
    where, params = "", []
    if since is not None:
        where += f" AND {column} >= ?"
        params.append(since)
    if until is not None:
        if whole_times:
            where += f" AND {column} < ?"
            params.append((dt.date.fromisoformat(until) + dt.timedelta(days=1)).isoformat())
        else:
            where += f" AND {column} <= ?"
            params.append(until)
    return where, params


def label_ids(project: Project, names: Sequence[str]) -> dict[str, int]:
    """Label name -> id for the named labels; ProjectError naming an unknown one."""
    known = project.label_ids()
    for name in names:
        if name not in known:
            raise ProjectError(f"there is no label {name!r} in this project (labels: {', '.join(known) or 'none'})")
    return {name: known[name] for name in names}
