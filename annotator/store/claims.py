"""Claims: a content span plus claimant, cue and attribute values; claimant aliases.

Every setter returns the previous value so an undo command can put it back. Links are
foreign keys: deleting a claimant or cue span unlinks it (ON DELETE SET NULL), deleting the
content span deletes the claim (ON DELETE CASCADE).

Every write of a claim's attribute values also writes the claim's ``updated_at`` (or puts
back the row as it was, for undo): merging tells a changed claim by it (store/merge.py).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from ..core.model import Claim, ClaimantCount, ClaimantGroup, Span
from .errors import EditRefused, ProjectError
from .spans import SPAN_COLUMNS, SPAN_JOINS, span_from_row


@dataclass(frozen=True)
class ClaimantLink:
    """Who a claim's claimant is: a span, free text, or nobody; plus an imported relation label."""

    span_id: int | None = None
    text: str | None = None
    relation: str | None = None


class ClaimStore:
    """Mixed into ``Project``."""

    # ------------------------------------------------------------------ reading
    def claims(self, doc_id: int) -> list[Claim]:
        """The document's claims in text order of their content."""
        rows = list(self.db.query(
            "SELECT claims.* FROM claims JOIN spans ON spans.id = claims.span_id WHERE spans.doc_id = ?"
            ' ORDER BY spans.start, spans."end", claims.id', [doc_id]))
        if not rows:
            return []  # most documents: no need to read their (maybe thousands of) spans
        spans = {s.id: s for s in self._doc_spans(doc_id)}
        values = self._claim_values([r["id"] for r in rows])
        return [_claim(r, spans, values.get(r["id"], {})) for r in rows]

    def claim(self, claim_id: int) -> Claim:
        rows = list(self.db.query("SELECT claims.*, spans.doc_id FROM claims JOIN spans ON spans.id = claims.span_id"
                                  " WHERE claims.id = ?", [claim_id]))
        if not rows:
            raise ProjectError(f"no claim with id {claim_id}")
        spans = {s.id: s for s in self._doc_spans(rows[0]["doc_id"])}
        return _claim(rows[0], spans, self._claim_values([claim_id]).get(claim_id, {}))

    def claim_for_span(self, span_id: int) -> Claim | None:
        rows = list(self.db.query("SELECT id FROM claims WHERE span_id = ?", [span_id]))
        return self.claim(rows[0]["id"]) if rows else None

    def claims_linking(self, span_id: int) -> list[tuple[int, str]]:
        """(claim id, "claimant" | "cue") for every claim that points at this span."""
        return [(r["id"], r["role"]) for r in self.db.query(
            "SELECT id, 'claimant' AS role FROM claims WHERE claimant_span_id = ?"
            " UNION ALL SELECT id, 'cue' AS role FROM claims WHERE cue_span_id = ? ORDER BY id",
            [span_id, span_id])]

    def claim_count(self) -> int:
        return next(self.db.query("SELECT count(*) AS n FROM claims"))["n"]

    # ------------------------------------------------------------------ editing
    def create_claim(self, span_id: int, *, values: Mapping[str, str] | None = None,
                     claim_id: int | None = None) -> Claim:
        """Make a claim of an existing span whose label is a claim label.

        Attributes with a default in the scheme get it unless ``values`` says otherwise.
        """
        span = self.span(span_id)
        if self.span_kind(span_id) != "claim":
            raise EditRefused(f"{span.label} is not a claim label; claims need a claim label such as CLAIM")
        if self.claim_for_span(span_id) is not None:
            raise EditRefused("this span is already a claim")
        attributes = {a.name: a for a in self.claim_attributes()}
        chosen = {a.name: a.default for a in attributes.values() if a.default is not None}
        chosen.update(values or {})
        for name, value in chosen.items():
            self._check_value(attributes, name, value)
        with self.transaction():
            now = self._now()
            cursor = self.db.execute(
                "INSERT INTO claims (id, span_id, created_at, updated_at) VALUES (?, ?, ?, ?)",
                [claim_id, span_id, now, now])
            new_id = cursor.lastrowid
            for name, value in chosen.items():
                if value is not None:
                    self.db.execute("INSERT INTO claim_values (claim_id, attribute, value) VALUES (?, ?, ?)",
                                    [new_id, name, value])
        return self.claim(new_id)

    def add_claim(self, doc_id: int, start: int, end: int, label: str, *, annotator: str | None = None,
                  origin: str = "manual", state: str = "accepted",
                  values: Mapping[str, str] | None = None) -> Claim:
        """A new content span and its claim, in one transaction."""
        with self.transaction():
            span = self.add_span(doc_id, start, end, label, annotator=annotator, origin=origin, state=state)
            assert span.id is not None
            return self.create_claim(span.id, values=values)

    def set_claimant(self, claim_id: int, link: ClaimantLink) -> ClaimantLink:
        """Point the claim at a claimant span or free-text name (or nobody); returns the old link."""
        claim = self.claim(claim_id)
        if link.span_id is not None:
            if link.text is not None:
                raise ProjectError("a claimant is a span or free text, not both")
            self._check_partner(claim, link.span_id, "claimant")
        text = link.text if link.text is None or link.text.strip() else None
        previous = ClaimantLink(claim.claimant.id if claim.claimant else None, claim.claimant_text,
                                claim.claimant_relation)
        with self.transaction():
            self.db.execute(
                "UPDATE claims SET claimant_span_id = ?, claimant_text = ?, claimant_relation = ?, updated_at = ?"
                " WHERE id = ?", [link.span_id, text, link.relation, self._now(), claim_id])
        return previous

    def set_cue(self, claim_id: int, span_id: int | None) -> int | None:
        """Point the claim at a cue span (or none); returns the previous cue span id."""
        claim = self.claim(claim_id)
        if span_id is not None:
            self._check_partner(claim, span_id, "cue")
        with self.transaction():
            self.db.execute("UPDATE claims SET cue_span_id = ?, updated_at = ? WHERE id = ?",
                            [span_id, self._now(), claim_id])
        return claim.cue.id if claim.cue else None

    def set_claim_value(self, claim_id: int, attribute: str, value: str | None) -> str | None:
        """Set (or clear, with None) one attribute of a claim; returns the previous value."""
        claim = self.claim(claim_id)
        self._check_value({a.name: a for a in self.claim_attributes()}, attribute, value)
        with self.transaction():
            if value is None:
                self.db.execute("DELETE FROM claim_values WHERE claim_id = ? AND attribute = ?", [claim_id, attribute])
            else:
                self.db.execute(
                    "INSERT INTO claim_values (claim_id, attribute, value) VALUES (?, ?, ?)"
                    " ON CONFLICT(claim_id, attribute) DO UPDATE SET value = excluded.value",
                    [claim_id, attribute, value])
            self.db.execute("UPDATE claims SET updated_at = ? WHERE id = ?", [self._now(), claim_id])
        return claim.values.get(attribute)

    def delete_claim(self, claim_id: int) -> tuple[dict[str, Any], tuple[dict[str, Any], ...]]:
        """Remove a claim but keep its content span (it stays a span of a claim label);
        returns the claim row and its value rows for ``restore_claim``."""
        rows = list(self.db.query("SELECT * FROM claims WHERE id = ?", [claim_id]))
        if not rows:
            raise ProjectError(f"no claim with id {claim_id}")
        values = tuple(self.db.query("SELECT * FROM claim_values WHERE claim_id = ? ORDER BY attribute", [claim_id]))
        with self.transaction():
            self.db.execute("DELETE FROM claims WHERE id = ?", [claim_id])
        return rows[0], values

    def restore_claim(self, row: Mapping[str, Any], values: Iterable[Mapping[str, Any]] = ()) -> Claim:
        """Put back what ``delete_claim`` removed, under the same id. Links to spans deleted
        meanwhile are dropped (never dangling)."""
        row = dict(row)
        for column in ("claimant_span_id", "cue_span_id"):
            if row.get(column) is not None and not list(self.db.query("SELECT 1 FROM spans WHERE id = ?",
                                                                       [row[column]])):
                row[column] = None
        columns = list(row)
        with self.transaction():
            self.db.execute(f"INSERT INTO claims ({', '.join(columns)}) VALUES ({', '.join('?' * len(columns))})",
                            [row[c] for c in columns])
            for value in values:
                self.db.execute("INSERT INTO claim_values (claim_id, attribute, value) VALUES (?, ?, ?)",
                                [row["id"], value["attribute"], value["value"]])
        return self.claim(row["id"])

    def missing_required(self, claim: Claim) -> list[str]:
        """Titles of required attributes this claim has no value for."""
        return [a.title for a in self.claim_attributes() if a.required and not claim.values.get(a.name)]

    # --------------------------------------------------------------- claimants
    def claimant_aliases(self) -> dict[str, str]:
        return {r["alias"]: r["canonical"] for r in self.db.query("SELECT alias, canonical FROM claimant_aliases")}

    def canonical_claimant(self, name: str) -> str:
        rows = list(self.db.query("SELECT canonical FROM claimant_aliases WHERE alias = ?", [name]))
        return rows[0]["canonical"] if rows else name

    def claimant_counts(self) -> list[ClaimantCount]:
        """Every claimant name used in the project, with its canonical name and counts."""
        aliases = self.claimant_aliases()
        rows = self.db.query(
            "SELECT coalesce(claimant.text, claims.claimant_text) AS name, count(*) AS claims,"
            " count(DISTINCT content.doc_id) AS documents FROM claims"
            " JOIN spans AS content ON content.id = claims.span_id"
            " LEFT JOIN spans AS claimant ON claimant.id = claims.claimant_span_id"
            " WHERE coalesce(claimant.text, claims.claimant_text) IS NOT NULL GROUP BY name"
            " ORDER BY claims DESC, name")
        return [ClaimantCount(r["name"], aliases.get(r["name"], r["name"]), r["claims"], r["documents"])
                for r in rows]

    def set_claimant_aliases(self, changes: Mapping[str, str | None]) -> dict[str, str | None]:
        """Set or clear (None) the canonical name of each alias; returns the previous mapping
        of exactly these aliases, so undo can pass it back in."""
        current = self.claimant_aliases()
        previous = {alias: current.get(alias) for alias in changes}
        with self.transaction():
            for alias, canonical in changes.items():
                if canonical is None or canonical == alias:
                    self.db.execute("DELETE FROM claimant_aliases WHERE alias = ?", [alias])
                elif not canonical.strip():
                    raise ProjectError("a canonical claimant name cannot be empty")
                else:
                    self.db.execute(
                        "INSERT INTO claimant_aliases (alias, canonical) VALUES (?, ?)"
                        " ON CONFLICT(alias) DO UPDATE SET canonical = excluded.canonical", [alias, canonical])
        return previous

    def merge_claimants(self, names: Iterable[str], canonical: str) -> dict[str, str | None]:
        """Make every name (and everything already merged into one of them) an alias of
        ``canonical``; returns the previous mapping for undo."""
        names = set(names) | {canonical}
        aliases = self.claimant_aliases()
        followers = {alias for alias, target in aliases.items() if target in names}
        changes: dict[str, str | None] = {name: canonical for name in names | followers}
        changes[canonical] = None  # the canonical name is nobody's alias
        return self.set_claimant_aliases(changes)

    def unmerge_claimants(self, names: Iterable[str]) -> dict[str, str | None]:
        """Undo merges: a name that is an alias becomes its own claimant again; a canonical
        name lets go of every alias merged into it. Returns the previous mapping for undo."""
        aliases = self.claimant_aliases()
        changes: dict[str, str | None] = {}
        for name in names:
            if name in aliases:
                changes[name] = None
            changes.update({alias: None for alias, target in aliases.items() if target == name})
        return self.set_claimant_aliases(changes) if changes else {}

    def claimant_groups(self) -> list[ClaimantGroup]:
        """Claimants after alias merging: one group per canonical name, with the names in it.

        A group's documents are counted once even when several of its names occur in one.
        """
        names: dict[str, list[ClaimantCount]] = defaultdict(list)
        for count in self.claimant_counts():
            names[count.canonical].append(count)
        rows = self.db.query(
            "SELECT coalesce(claimant_aliases.canonical, used.name) AS canonical, count(*) AS claims,"
            " count(DISTINCT used.doc_id) AS documents FROM ("
            "  SELECT coalesce(claimant.text, claims.claimant_text) AS name, content.doc_id FROM claims"
            "  JOIN spans AS content ON content.id = claims.span_id"
            "  LEFT JOIN spans AS claimant ON claimant.id = claims.claimant_span_id) AS used"
            " LEFT JOIN claimant_aliases ON claimant_aliases.alias = used.name"
            " WHERE used.name IS NOT NULL GROUP BY 1 ORDER BY claims DESC, canonical")
        return [ClaimantGroup(r["canonical"], r["claims"], r["documents"], tuple(names.get(r["canonical"], ())))
                for r in rows]

    # -------------------------------------------------------------------- stats
    def claim_stats(self) -> dict[str, Any]:
        """Claims by label, by claimant/cue link and by attribute value (``annotator stats``).

        Every choice of the scheme is listed (0 when unused), in the scheme's order; values a
        scheme no longer offers (imported, or a choice renamed since) follow them.
        """
        q = self.db.query
        total = next(q("SELECT count(*) AS n FROM claims"))["n"]
        # From the claim labels' entries of the index spans_label_state (which holds each span's
        # id) to the claims' index on span_id: neither table is read, so a cold file is not read
        # at 300,000 random places of the spans table. Only when some claim's content span has
        # a label of another kind (imported) is every claim followed to its span.
        claimed = {r["label_id"]: r["n"] for r in q(
            "SELECT s.label_id, count(*) AS n FROM labels l CROSS JOIN spans s INDEXED BY spans_label_state"
            " ON s.label_id = l.id CROSS JOIN claims c ON c.span_id = s.id WHERE l.kind = 'claim'"
            " GROUP BY s.label_id")}
        if sum(claimed.values()) != total:
            claimed = {r["label_id"]: r["n"] for r in q(
                "SELECT spans.label_id, count(*) AS n FROM claims JOIN spans ON spans.id = claims.span_id"
                " GROUP BY spans.label_id")}
        by_label = {r["name"]: claimed.get(r["id"], 0) for r in q("SELECT id, name, kind FROM labels ORDER BY position")
                    if r["kind"] == "claim" or r["id"] in claimed}
        links = next(q(
            "SELECT coalesce(sum(claimant_span_id IS NOT NULL), 0) AS span,"
            " coalesce(sum(claimant_span_id IS NULL AND claimant_text IS NOT NULL), 0) AS text,"
            " coalesce(sum(cue_span_id IS NOT NULL), 0) AS cue FROM claims"))
        used: dict[str, dict[str, int]] = defaultdict(dict)
        for r in q("SELECT attribute, value, count(*) AS n FROM claim_values GROUP BY attribute, value"):
            used[r["attribute"]][r["value"]] = r["n"]
        attributes: dict[str, Any] = {}
        missing = 0
        required = [a.name for a in self.claim_attributes() if a.required]
        if required and total:
            marks = ",".join("?" * len(required))
            missing = next(q(
                "SELECT count(*) AS n FROM claims WHERE (SELECT count(*) FROM claim_values v WHERE v.claim_id = claims.id"
                f" AND v.attribute IN ({marks}) AND v.value != '') < ?", [*required, len(required)]))["n"]
        for attribute in self.claim_attributes():
            counts = used.get(attribute.name, {})
            if attribute.kind == "choice":
                values = {choice: counts.get(choice, 0) for choice in attribute.choices}
                values.update({v: n for v, n in sorted(counts.items()) if v not in values})
            else:
                values = {}
            set_count = sum(n for v, n in counts.items() if v != "")
            attributes[attribute.name] = {"title": attribute.title, "kind": attribute.kind,
                                          "required": attribute.required, "values": values,
                                          "set": set_count, "unset": total - set_count}
        return {
            "total": total,
            "by_label": by_label,
            "claimant": {"span": links["span"], "text": links["text"],
                         "none": total - links["span"] - links["text"]},
            "cue": links["cue"],
            "missing_required": missing,
            "attributes": attributes,
        }

    # ---------------------------------------------------------------- helpers
    def _doc_spans(self, doc_id: int) -> list[Span]:
        return [span_from_row(r) for r in self.db.query(
            f"SELECT {SPAN_COLUMNS} FROM spans {SPAN_JOINS} WHERE spans.doc_id = ?", [doc_id])]

    def _claim_values(self, claim_ids: list[int]) -> dict[int, dict[str, str]]:
        found: dict[int, dict[str, str]] = defaultdict(dict)
        for i in range(0, len(claim_ids), 500):
            chunk = claim_ids[i:i + 500]
            marks = ",".join("?" * len(chunk))
            for r in self.db.query(
                    f"SELECT claim_id, attribute, value FROM claim_values WHERE claim_id IN ({marks})", chunk):
                found[r["claim_id"]][r["attribute"]] = r["value"]
        return found

    def _check_partner(self, claim: Claim, span_id: int, role: str) -> None:
        partner = self.span(span_id)
        if partner.doc_id != claim.doc_id:
            raise EditRefused(f"the {role} must be a span of the same document")
        if span_id == claim.content.id:
            raise EditRefused(f"a claim cannot be its own {role}")

    @staticmethod
    def _check_value(attributes: Mapping[str, Any], name: str, value: str | None) -> None:
        attribute = attributes.get(name)
        if attribute is None:
            raise EditRefused(f"there is no claim attribute {name!r} in this project's scheme")
        if value is None:
            return
        if not isinstance(value, str):
            raise EditRefused(f"{attribute.title}: the value must be text")
        if attribute.kind == "choice" and value not in attribute.choices:
            raise EditRefused(f"{attribute.title}: {value!r} is not one of {', '.join(attribute.choices)}")


def _claim(row: Mapping[str, Any], spans: Mapping[int, Span], values: dict[str, str]) -> Claim:
    return Claim(
        id=row["id"], content=spans[row["span_id"]],
        claimant=spans.get(row["claimant_span_id"]) if row["claimant_span_id"] is not None else None,
        claimant_text=row["claimant_text"], claimant_relation=row["claimant_relation"],
        cue=spans.get(row["cue_span_id"]) if row["cue_span_id"] is not None else None,
        values=dict(values),
    )
