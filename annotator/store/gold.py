"""The gold layer: who gold is, one document's gold as rows (for undo), and writing a plan.

Gold is the layer of a reserved annotator (``core.team.GOLD_UUID``, named ``gold``) with
statuses of its own: a document is *reviewed* when gold's status of it is done. Each gold
span has a row in ``gold_provenance`` (who had it exactly, who decided, when, how), each gold
document label (or rejected one) a row in ``gold_label_provenance``. Spans a reviewer adds
or changes in gold by hand (normal tagging keys in review mode) have none: nobody's version.

Undo of a decision puts one document's gold back as it was (``GoldSnapshot``); redo puts it
as the decision left it, under the same ids, so later edits that name those ids still apply.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from ..core.review import CLAIM, DOC
from ..core.review_decisions import GoldPlan
from ..core.team import GOLD_NAME, GOLD_UUID, Annotator
from .errors import EditRefused, ProjectError

@dataclass(frozen=True)
class GoldSnapshot:
    """Every row of one document's gold layer, as stored (table -> rows)."""

    doc_id: int
    rows: tuple[tuple[str, tuple[dict[str, Any], ...]], ...]

    def count(self, table: str) -> int:
        return next((len(rows) for name, rows in self.rows if name == table), 0)


@dataclass(frozen=True)
class GoldChange:
    """What a decision did to one document's gold: ``restore_gold(before)`` undoes it,
    ``restore_gold(after)`` does it again."""

    doc_id: int
    decision: str
    before: GoldSnapshot
    after: GoldSnapshot
    units: int = 1  # units decided


class GoldStore:
    """Mixed into ``Project``: needs ``db``, ``transaction``, ``annotator_list``, ``add_span``."""

    # ------------------------------------------------------------------ who gold is
    def gold_annotator(self) -> Annotator | None:
        """The gold layer's annotator, if a review ever wrote to this project."""
        return next((a for a in self.annotator_list() if a.uuid == GOLD_UUID), None)

    def ensure_gold(self) -> Annotator:
        """The gold annotator, registered on first use (statuses of its own: reviewed or not)."""
        found = self.gold_annotator()
        if found is not None:
            return found
        return self.add_annotator(GOLD_NAME, GOLD_UUID, separate_status=True)

    def has_gold_layer(self) -> bool:
        gold = self.gold_annotator()
        if gold is None:
            return False
        return bool(next(self.db.query(
            "SELECT EXISTS (SELECT 1 FROM spans WHERE annotator_id = ? AND state = 'accepted')"
            " OR EXISTS (SELECT 1 FROM doc_labels WHERE annotator_id = ?) AS n", [gold.id, gold.id]))["n"])

    def reviewed_document_ids(self) -> list[int]:
        """The documents marked reviewed (gold's status done), in document order."""
        gold = self.gold_annotator()
        if gold is None:
            return []
        expr, join, params = self.status_sql(gold.uuid)
        return [r["id"] for r in self.db.query(
            f"SELECT documents.id FROM documents{join} WHERE {expr} = 'done' ORDER BY position", params)]

    def is_reviewed(self, doc_id: int) -> bool:
        gold = self.gold_annotator()
        return gold is not None and self.document_status(doc_id, gold.uuid) == "done"

    # ------------------------------------------------------------------ snapshots
    def gold_snapshot(self, doc_id: int) -> GoldSnapshot:
        gold = self.gold_annotator()
        if gold is None:
            return GoldSnapshot(doc_id, ())
        q = self.db.query
        spans = tuple(q("SELECT * FROM spans WHERE doc_id = ? AND annotator_id = ? ORDER BY id", [doc_id, gold.id]))
        ids = [r["id"] for r in spans]
        marks = ",".join("?" * len(ids))
        claims = tuple(q(f"SELECT * FROM claims WHERE span_id IN ({marks}) ORDER BY id", ids)) if ids else ()
        claim_ids = [r["id"] for r in claims]
        values = tuple(q(f"SELECT * FROM claim_values WHERE claim_id IN ({','.join('?' * len(claim_ids))})",
                         claim_ids)) if claim_ids else ()
        relations = tuple(q(f"SELECT * FROM relations WHERE head_span_id IN ({marks}) ORDER BY id", ids)) if ids else ()
        provenance = tuple(q(f"SELECT * FROM gold_provenance WHERE span_id IN ({marks})", ids)) if ids else ()
        where = "WHERE doc_id = ? AND annotator_id = ?"
        rows = (("spans", spans), ("claims", claims), ("claim_values", values), ("relations", relations),
                ("gold_provenance", provenance),
                ("doc_labels", tuple(q(f"SELECT * FROM doc_labels {where}", [doc_id, gold.id]))),
                ("gold_label_provenance", tuple(q(f"SELECT * FROM gold_label_provenance {where}", [doc_id, gold.id]))),
                ("document_status", tuple(q(f"SELECT * FROM document_status {where}", [doc_id, gold.id]))))
        return GoldSnapshot(doc_id, rows)

    def restore_gold(self, snapshot: GoldSnapshot) -> None:
        """Make one document's gold layer exactly ``snapshot`` (undo and redo of a decision)."""
        with self.transaction():
            gold = self.ensure_gold()
            self._clear_gold(snapshot.doc_id, gold.id)
            for table, rows in snapshot.rows:
                for row in rows:
                    columns = list(row)
                    quoted = ", ".join(f'"{c}"' for c in columns)
                    self.db.execute(f"INSERT INTO {table} ({quoted}) VALUES ({', '.join('?' * len(columns))})",
                                    [row[c] for c in columns])

    def clear_gold(self, doc_ids: list[int]) -> None:
        """Start these documents' review over: their gold layer and reviewed status go."""
        gold = self.gold_annotator()
        if gold is not None:
            with self.transaction():
                for doc_id in doc_ids:
                    self._clear_gold(doc_id, gold.id)

    def _clear_gold(self, doc_id: int, gold_id: int) -> None:
        """Delete one document's gold layer (claims, values, provenance and relations go with
        the spans)."""
        self.db.execute("DELETE FROM spans WHERE doc_id = ? AND annotator_id = ?", [doc_id, gold_id])
        for table in ("doc_labels", "gold_label_provenance", "document_status"):
            self.db.execute(f"DELETE FROM {table} WHERE doc_id = ? AND annotator_id = ?", [doc_id, gold_id])

    # ------------------------------------------------------------------ writing a plan
    def write_plan(self, doc_id: int, plan: GoldPlan, reviewer: str, uuids: dict[str, str], now: str) -> None:
        """Write one unit's plan inside the caller's transaction: the unit's gold gives way to
        the plan's marks (or its rejection), each with its provenance. ``uuids``: annotator
        ref -> uuid, for provenance.

        A gold span the plan keeps (same start, end and label) keeps its id, so a gold claim
        that links it as claimant or cue stays linked; a claim linking a span that goes is
        linked to the span that replaces it (the one added span overlapping it), else to none.
        """
        gold = self.ensure_gold()
        if plan.unit.group == DOC:
            self._write_doc_label(doc_id, gold, plan, reviewer, uuids, now)
            return
        removed = [i for i in plan.remove if i is not None]
        old = {r["id"]: ((r["start"], r["end"], r["label"]), r["state"]) for r in self.db.query(
            f'SELECT spans.id, start, "end", labels.name AS label, state FROM spans JOIN labels'
            f" ON labels.id = spans.label_id WHERE spans.id IN ({','.join('?' * len(removed))})", removed)}
        kept: dict[int, int] = {}  # index in plan.add -> the gold span id it keeps
        for index, (mark, _) in enumerate(plan.add):
            same = next((i for i in removed if old.get(i) == (mark[:3], "accepted") and i not in kept.values()), None)
            if same is not None:
                kept[index] = same
        partners = self._partners(removed)
        gone = [i for i in removed if i not in kept.values()]
        links = self._links_to(gone)
        for span_id in gone:
            self.db.execute("DELETE FROM spans WHERE id = ?", [span_id])
        added: list[tuple[int, tuple]] = []
        for index, (mark, having) in enumerate(plan.add):
            span_id = kept.get(index) or self._gold_span(doc_id, mark[:3], state="accepted")
            added.append((span_id, mark))
            self._provenance(span_id, having, uuids, reviewer, now, plan.decision)
            if plan.unit.group == CLAIM:
                self._gold_claim(doc_id, span_id, mark, reviewer, now)
        self._relink(links, old, added)
        self._drop_orphans(partners)
        if plan.reject is not None:
            mark, having = plan.reject
            span_id = self._gold_span(doc_id, mark[:3], state="rejected", fresh=True)
            self._provenance(span_id, having, uuids, reviewer, now, "rejected")

    def _links_to(self, span_ids: list[int]) -> list[tuple[int, str, int]]:
        """(claim id, column, span id) of every claim linking one of these spans."""
        found = []
        for span_id in span_ids:
            for column in ("claimant_span_id", "cue_span_id"):
                found.extend((r["id"], column, span_id) for r in self.db.query(
                    f"SELECT id FROM claims WHERE {column} = ?", [span_id]))
        return found

    def _relink(self, links: list[tuple[int, str, int]], old: dict[int, tuple], added: list[tuple[int, tuple]]) -> None:
        for claim_id, column, span_id in links:
            start, end = old[span_id][0][:2]
            overlapping = [new_id for new_id, mark in added if mark[0] < end and start < mark[1]]
            if len(overlapping) == 1 and self.db.execute("SELECT 1 FROM claims WHERE id = ?", [claim_id]).fetchone():
                self.db.execute(f"UPDATE claims SET {column} = ? WHERE id = ?", [overlapping[0], claim_id])

    def _gold_span(self, doc_id: int, key: tuple[int, int, str], *, state: str, fresh: bool = False) -> int:
        """A gold span with this key and state: the one there is, or a new one (the store's
        rules apply: gold's entities may not overlap unless the project allows it)."""
        if not fresh:
            rows = list(self.db.query(
                'SELECT spans.id FROM spans JOIN labels ON labels.id = spans.label_id WHERE doc_id = ?'
                ' AND start = ? AND "end" = ? AND labels.name = ? AND annotator_id = ? AND state = ? ORDER BY spans.id',
                [doc_id, *key, self.ensure_gold().id, state]))
            if rows:
                return rows[0]["id"]
        span = self.add_span(doc_id, *key, annotator=GOLD_UUID, state=state)
        assert span.id is not None
        return span.id

    def _gold_claim(self, doc_id: int, span_id: int, mark: tuple, reviewer: str, now: str) -> None:
        claimant = self._partner(doc_id, mark[3], reviewer, now) if mark[3] else None
        cue = self._partner(doc_id, mark[5], reviewer, now) if mark[5] else None
        self.db.execute("DELETE FROM claims WHERE span_id = ?", [span_id])
        claim_id = self.db.execute(
            "INSERT INTO claims (span_id, claimant_span_id, claimant_text, cue_span_id, created_at, updated_at)"
            " VALUES (?, ?, ?, ?, ?, ?)", [span_id, claimant, mark[4], cue, now, now]).lastrowid
        self.db.conn.executemany("INSERT INTO claim_values (claim_id, attribute, value) VALUES (?, ?, ?)",
                                 [(claim_id, name, value) for name, value in mark[6]])

    def _partner(self, doc_id: int, key: tuple[int, int, str], reviewer: str, now: str) -> int:
        """The gold span a gold claim links as claimant or cue: gold's own span with that key,
        or a copy made with the claim (provenance ``with claim``)."""
        rows = list(self.db.query(
            'SELECT spans.id FROM spans JOIN labels ON labels.id = spans.label_id WHERE doc_id = ? AND start = ?'
            ' AND "end" = ? AND labels.name = ? AND annotator_id = ? AND state = \'accepted\' ORDER BY spans.id',
            [doc_id, *key, self.ensure_gold().id]))
        if rows:
            return rows[0]["id"]
        try:
            span = self.add_span(doc_id, *key, annotator=GOLD_UUID)
        except EditRefused as exc:
            raise EditRefused(f"the claim's {key[2]} {key[0]}-{key[1]} cannot join gold: {exc}") from None
        assert span.id is not None
        holders = [r["uuid"] for r in self.db.query(
            'SELECT DISTINCT annotators.uuid FROM spans JOIN labels ON labels.id = spans.label_id'
            ' JOIN annotators ON annotators.id = spans.annotator_id WHERE doc_id = ? AND start = ? AND "end" = ?'
            " AND labels.name = ? AND state = 'accepted' AND annotators.uuid != ? ORDER BY annotators.id",
            [doc_id, *key, GOLD_UUID])]
        self.db.execute("INSERT INTO gold_provenance (span_id, agreed, decided_by, decided_at, decision)"
                        " VALUES (?, ?, ?, ?, 'with claim')", [span.id, json.dumps(holders), reviewer, now])
        return span.id

    def _partners(self, span_ids: list[int]) -> set[int]:
        """Claimant and cue spans of the claims these gold spans carry."""
        found: set[int] = set()
        for span_id in span_ids:
            for r in self.db.query("SELECT claimant_span_id, cue_span_id FROM claims WHERE span_id = ?", [span_id]):
                found.update(i for i in (r["claimant_span_id"], r["cue_span_id"]) if i is not None)
        return found

    def _drop_orphans(self, span_ids: set[int]) -> None:
        """Spans that came into gold with a claim go with it when no gold claim links them."""
        for span_id in span_ids:
            self.db.execute(
                "DELETE FROM spans WHERE id = ? AND id IN (SELECT span_id FROM gold_provenance WHERE"
                " decision = 'with claim') AND NOT EXISTS (SELECT 1 FROM claims WHERE claimant_span_id = ?"
                " OR cue_span_id = ?)", [span_id, span_id, span_id])

    def _provenance(self, span_id: int, having: tuple[str, ...], uuids: dict[str, str], reviewer: str, now: str,
                    decision: str) -> None:
        self.db.execute(
            "INSERT INTO gold_provenance (span_id, agreed, decided_by, decided_at, decision) VALUES (?, ?, ?, ?, ?)"
            " ON CONFLICT (span_id) DO UPDATE SET agreed = excluded.agreed, decided_by = excluded.decided_by,"
            " decided_at = excluded.decided_at, decision = excluded.decision",
            [span_id, json.dumps([uuids[a] for a in having]), reviewer, now, decision])

    def _write_doc_label(self, doc_id: int, gold: Annotator, plan: GoldPlan, reviewer: str, uuids: dict[str, str],
                         now: str) -> None:
        label = plan.unit.label
        label_id = self._label_id(label)
        self.db.execute("DELETE FROM doc_labels WHERE doc_id = ? AND label_id = ? AND annotator_id = ?",
                        [doc_id, label_id, gold.id])
        if plan.add:
            self.db.execute("INSERT INTO doc_labels (doc_id, label_id, annotator_id, created_at) VALUES (?, ?, ?, ?)",
                            [doc_id, label_id, gold.id, now])
            having = plan.add[0][1]
        elif plan.reject is not None:
            having = plan.reject[1]
        else:
            raise ProjectError("a plan for a document label must add it or reject it")
        self.db.execute(
            "INSERT OR REPLACE INTO gold_label_provenance (doc_id, label_id, annotator_id, rejected, agreed, decided_by,"
            " decided_at, decision) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            [doc_id, label_id, gold.id, int(not plan.add), json.dumps([uuids[a] for a in having]), reviewer, now,
             plan.decision])
