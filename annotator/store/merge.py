"""Merging a project file into this one, in SQL over the attached source (workflows/merging.py).

The source is ATTACHed to the target's connection (outside a transaction, as SQLite wants)
and read only. Inside the caller's transaction, temp tables map the source's documents
(by content hash), labels (by name) and annotators (by UUID) to the target's, and list the
(document, annotator) pairs the source speaks for. Each pair is then one of:

- new to the target (no rows of that annotator on that document): copied with
  ``INSERT ... SELECT``, new ids being the source's plus an offset, as a floor would;
- the same on both sides (compared with ``EXCEPT``, as content, in both directions): skipped;
- changed: reconciled row by row (store/layer_rows.py, core/layer_merge.py).

Statuses are compared and written in bulk for every pair. No article's text and no
unchanged row passes through Python.
"""

from __future__ import annotations

import contextlib
import json
import urllib.parse
from collections.abc import Iterable, Iterator

from ..core.model import ClaimAttribute, Label
from .layer_rows import first_free_id, write_statuses
from .project import Project, now_iso

NEW, COMPARE, CHANGED = 0, 1, 2  # merge_pairs.kind

TEMP_TABLES = """
CREATE TEMP TABLE merge_docs (src INTEGER PRIMARY KEY, tgt INTEGER NOT NULL);
CREATE TEMP TABLE merge_labels (src INTEGER PRIMARY KEY, tgt INTEGER NOT NULL);
CREATE TEMP TABLE merge_people (src INTEGER PRIMARY KEY, tgt INTEGER NOT NULL);
CREATE TEMP TABLE merge_pairs (doc INTEGER NOT NULL, ann INTEGER NOT NULL, tdoc INTEGER NOT NULL,
                               tann INTEGER NOT NULL, kind INTEGER NOT NULL, PRIMARY KEY (doc, ann));
CREATE UNIQUE INDEX temp.merge_pairs_target ON merge_pairs (tdoc, tann);
"""

# Rows of the pairs to compare, as content comparable across the two files: documents,
# annotators and labels as the target's ids, partner spans as (start, end, label, annotator
# uuid). Each side's table is read in its own order (a sequential scan) and looked up in the
# pairs, not the other way round: CROSS JOIN fixes that order, since the temp tables have no
# statistics and SQLite's own choice scanned every claim once per pair. Not compared, because
# something compared always changes with them: a span's text (its document's text between its
# offsets), rows' created_at (never changed without updated_at: a row made again is made at
# another moment), a claim's attribute values (every write of them in this program, edits,
# undo, imports and merges, writes the claim's updated_at with them; store/claims.py).
PAIR = {"src": "p.doc = {0}.doc_id AND p.ann = {0}.annotator_id",
        "main": "p.tdoc = {0}.doc_id AND p.tann = {0}.annotator_id"}


def _label(side: str, alias: str, same_labels: bool) -> str:
    """A row's label as the target's label id (the source's ids are the target's when both
    files' labels were made alike, as ``team split`` makes them)."""
    if side == "main" or same_labels:
        return f"{alias}.label_id"
    return f"(SELECT tgt FROM temp.merge_labels WHERE src = {alias}.label_id)"


def _rows(side: str, annotators: str, same_labels: bool = False) -> dict[str, str]:
    """SELECTs of one side's rows of the pairs to compare (kind COMPARE), by what they hold;
    ``annotators``: the ids (on that side) of the annotators merged, a cheap filter that
    spares looking up the other annotators' rows in the pairs."""

    def partner(column: str, alias: str) -> tuple[str, str]:
        """(its key columns, its LEFT JOINs) for a span a claim or relation points at."""
        return (f'{alias}.start, {alias}."end", {_label(side, alias, same_labels)}, {alias}a.uuid',
                f" LEFT JOIN {side}.spans {alias} ON {alias}.id = {column}"
                f" LEFT JOIN {side}.annotators {alias}a ON {alias}a.id = {alias}.annotator_id")

    pairs = f"CROSS JOIN temp.merge_pairs p ON {PAIR[side].format('s')}"
    content = f's.start, s."end", {_label(side, "s", same_labels)}'
    where = f" WHERE s.annotator_id IN ({annotators}) AND p.kind = {COMPARE}"
    claimant, claimant_join = partner("c.claimant_span_id", "cl")
    cue, cue_join = partner("c.cue_span_id", "cu")
    child, child_join = partner("r.child_span_id", "ch")
    # A gold span's provenance is part of it: a decision made again (same span, another
    # reviewer or time) is a change. Other layers' spans have none (NULL on both sides).
    provenance = (f"(SELECT g.agreed || '|' || g.decided_by || '|' || g.decided_at || '|' || g.decision"
                  f" FROM {side}.gold_provenance g WHERE g.span_id = s.id)")
    return {
        "spans": f"SELECT p.doc, p.ann, {content}, s.origin, s.state, s.updated_at, {provenance}"
                 f" FROM {side}.spans s {pairs}{where}",
        "claims": f"SELECT p.doc, p.ann, {content}, {claimant}, c.claimant_text, c.claimant_relation, {cue},"
                  f" c.updated_at FROM {side}.claims c CROSS JOIN {side}.spans s ON s.id = c.span_id"
                  f" {pairs}{claimant_join}{cue_join}{where}",
        "relations": f"SELECT p.doc, p.ann, {content}, {child}, r.label, r.created_at FROM {side}.relations r"
                     f" CROSS JOIN {side}.spans s ON s.id = r.head_span_id {pairs}{child_join}{where}",
        "doc_labels": f"SELECT p.doc, p.ann, {_label(side, 's', same_labels)}, s.created_at FROM {side}.doc_labels s"
                      f" {pairs}{where}",
        "label_decisions": f"SELECT p.doc, p.ann, {_label(side, 's', same_labels)}, s.rejected, s.agreed, s.decided_by,"
                           f" s.decided_at, s.decision FROM {side}.gold_label_provenance s {pairs}{where}",
    }


def _columns(select: str) -> int:
    """How many columns a ``SELECT a, f(b, c), (SELECT ...) FROM ...`` lists: its commas outside
    parentheses and quotes, before its own FROM."""
    depth, quoted, count = 0, False, 1
    for i, char in enumerate(select):
        if char == "'":
            quoted = not quoted
        elif quoted:
            continue
        elif char == "(":
            depth += 1
        elif char == ")":
            depth -= 1
        elif char == "," and not depth:
            count += 1
        elif not depth and select.startswith(" FROM ", i):
            return count
    raise ValueError(f"no FROM in {select!r}")


def _differing(source: str, target: str) -> str:
    """The pairs whose rows differ as multisets: each distinct row counted +1 on the source's
    side and -1 on the target's must come to 0."""
    width = _columns(target)
    columns = ", ".join(f"c{i}" for i in range(width))
    return (f"SELECT c0, c1 FROM (WITH compared({columns}, side) AS (SELECT *, 1 FROM ({source})"
            f" UNION ALL SELECT *, -1 FROM ({target})) SELECT c0, c1 FROM compared GROUP BY {columns}"
            " HAVING sum(side) != 0)")


@contextlib.contextmanager
def attached(target: Project, source: Project) -> Iterator[None]:
    """The source file as schema ``src`` of the target's connection (outside a transaction).

    Read-only where this SQLite takes URI file names in ATTACH (so the merge's transaction
    takes no write lock on the source, which its annotator may have open); else by name."""
    conn = target.db.conn
    options = {r[0] for r in conn.execute("PRAGMA compile_options")}
    where = str(source.path.resolve())
    if "USE_URI=1" in options:
        where = f"file:{urllib.parse.quote(where)}?mode=ro"
    conn.execute("ATTACH DATABASE ? AS src", [where])
    try:
        yield
    finally:
        for table in ("merge_docs", "merge_labels", "merge_people", "merge_pairs"):
            conn.execute(f"DROP TABLE IF EXISTS temp.{table}")
        conn.execute("DETACH DATABASE src")


class SourceMerge:
    """One source's merge, inside the target's transaction, with the source ``attached``."""

    def __init__(self, target: Project, source_own: int | None) -> None:
        self.target = target
        self.conn = target.db.conn
        self.source_own = source_own  # the source file's own annotator (it speaks for all its documents)
        for statement in TEMP_TABLES.split(";"):
            if statement.strip():
                self.conn.execute(statement)

    # ------------------------------------------------------------------ maps
    def add_documents(self) -> tuple[int, int]:
        """Add the source's documents the target lacks (text, title, source, meta, times; the
        target's own status todo) after its last; map every source document. Returns
        (matched, added)."""
        conn = self.conn
        offset = first_free_id(self.target, "documents") - 1
        position = conn.execute("SELECT coalesce(max(position), -1) + 1 FROM main.documents").fetchone()[0]
        added = conn.execute(
            "INSERT INTO main.documents (id, text, content_hash, title, source, meta, status, position, created_at,"
            " updated_at) SELECT s.id + ?, s.text, s.content_hash, s.title, s.source, s.meta, 'todo',"
            " ? + row_number() OVER (ORDER BY s.position, s.id) - 1, s.created_at, s.updated_at FROM src.documents s"
            # Through the hash index: reading a column after an article's text means reading the text.
            " WHERE s.id IN (SELECT id FROM src.documents WHERE content_hash NOT IN"
            " (SELECT content_hash FROM main.documents))", [offset, position]).rowcount
        conn.execute("INSERT INTO temp.merge_docs (src, tgt) SELECT s.id, t.id FROM src.documents s"
                     " JOIN main.documents t ON t.content_hash = s.content_hash")
        total = conn.execute("SELECT count(*) FROM temp.merge_docs").fetchone()[0]
        return total - added, added

    def map_labels_and_people(self, labels: dict[int, int], people: dict[int, int]) -> None:
        self.conn.executemany("INSERT INTO temp.merge_labels (src, tgt) VALUES (?, ?)", labels.items())
        self.conn.executemany("INSERT INTO temp.merge_people (src, tgt) VALUES (?, ?)", people.items())

    # ------------------------------------------------------------------ pairs
    def plan_pairs(self) -> dict[int, int]:
        """List the pairs the source speaks for: its own annotator on every document; anyone
        else where they have annotations, statuses of their own or an assignment (a layer
        emptied there is emptied here too). Returns how many pairs are of each kind."""
        conn = self.conn
        own = self.source_own
        everyone = ("UNION SELECT src, ? FROM temp.merge_docs", [own]) if own else ("", [])
        conn.execute(
            f"INSERT OR IGNORE INTO temp.merge_pairs (doc, ann, tdoc, tann, kind) SELECT x.doc, x.ann, d.tgt, m.tgt, {NEW}"
            " FROM (SELECT doc_id AS doc, annotator_id AS ann FROM src.spans WHERE annotator_id IS NOT NULL"
            " AND annotator_id IS NOT ? UNION SELECT doc_id, annotator_id FROM src.doc_labels"
            " WHERE annotator_id IS NOT NULL UNION SELECT doc_id, annotator_id FROM src.document_status"
            " UNION SELECT doc_id, annotator_id FROM src.gold_label_provenance"
            f" UNION SELECT doc_id, annotator_id FROM src.assignments {everyone[0]}) AS x"
            " JOIN temp.merge_docs d ON d.src = x.doc JOIN temp.merge_people m ON m.src = x.ann", [own, *everyone[1]])
        # Not new: the target has something of theirs there, or a claim or relation points
        # across layers (the row-by-row way finds the partner in the target).
        conn.execute(
            f"UPDATE temp.merge_pairs SET kind = {COMPARE} WHERE EXISTS (SELECT 1 FROM main.spans"
            " WHERE doc_id = tdoc AND annotator_id = tann) OR EXISTS (SELECT 1 FROM main.doc_labels"
            " WHERE doc_id = tdoc AND annotator_id = tann)")
        if conn.execute(f"SELECT 1 FROM temp.merge_pairs WHERE kind = {NEW} LIMIT 1").fetchone():
            conn.execute(
                f"UPDATE temp.merge_pairs SET kind = {COMPARE} WHERE kind = {NEW} AND (doc, ann) IN ("
                " SELECT s.doc_id, s.annotator_id FROM src.claims c JOIN src.spans s ON s.id = c.span_id"
                " JOIN src.spans o ON o.id IN (c.claimant_span_id, c.cue_span_id)"
                " WHERE o.annotator_id IS NOT s.annotator_id"
                " UNION SELECT h.doc_id, h.annotator_id FROM src.relations r JOIN src.spans h ON h.id = r.head_span_id"
                " JOIN src.spans o ON o.id = r.child_span_id WHERE o.annotator_id IS NOT h.annotator_id)")
        self._find_changed()
        return dict(conn.execute("SELECT kind, count(*) FROM temp.merge_pairs GROUP BY kind").fetchall())

    def _find_changed(self) -> None:
        """Pairs to compare whose rows differ (as content, either way) become CHANGED."""
        if not self.conn.execute(f"SELECT 1 FROM temp.merge_pairs WHERE kind = {COMPARE} LIMIT 1").fetchone():
            return
        people = self.conn.execute("SELECT src, tgt FROM temp.merge_people").fetchall()
        theirs, mine = (",".join(str(int(row[i])) for row in people) or "NULL" for i in (0, 1))
        same = not self.conn.execute("SELECT 1 FROM temp.merge_labels WHERE src != tgt LIMIT 1").fetchone()
        source, target = _rows("src", theirs, same), _rows("main", mine)
        differ = " UNION ".join(_differing(source[what], target[what]) for what in source)
        self.conn.execute(f"UPDATE temp.merge_pairs SET kind = {CHANGED} WHERE (doc, ann) IN ({differ})")

    def changed_pairs(self) -> list[tuple[int, int, int, int]]:
        """(source doc, source annotator, target doc, target annotator) to reconcile row by row."""
        return self.conn.execute(f"SELECT doc, ann, tdoc, tann FROM temp.merge_pairs WHERE kind = {CHANGED}"
                                 " ORDER BY doc, ann").fetchall()

    # ------------------------------------------------------------------ new layers
    def copy_new(self) -> dict[str, int]:
        """Copy the rows of the NEW pairs as they are; new ids are the source's plus an offset."""
        conn = self.conn
        spans = first_free_id(self.target, "spans") - 1
        claims = first_free_id(self.target, "claims") - 1

        def new(joins: str = "") -> str:
            return ("temp.merge_pairs p CROSS JOIN src.spans s ON s.doc_id = p.doc AND s.annotator_id = p.ann"
                    f" {joins} WHERE p.kind = {NEW}")

        claim_join = "CROSS JOIN src.claims c ON c.span_id = s.id"
        counts = {"spans added": conn.execute(
            'INSERT INTO main.spans (id, doc_id, start, "end", label_id, text, annotator_id, origin, state, created_at,'
            ' updated_at) SELECT s.id + ?, p.tdoc, s.start, s."end", l.tgt, s.text, p.tann, s.origin, s.state,'
            f" s.created_at, s.updated_at FROM {new('JOIN temp.merge_labels l ON l.src = s.label_id')}",
            [spans]).rowcount}
        counts["claims added"] = conn.execute(
            "INSERT INTO main.claims (id, span_id, claimant_span_id, claimant_text, claimant_relation, cue_span_id,"
            " created_at, updated_at) SELECT c.id + ?, c.span_id + ?, c.claimant_span_id + ?, c.claimant_text,"
            f" c.claimant_relation, c.cue_span_id + ?, c.created_at, c.updated_at FROM {new(claim_join)}",
            [claims, spans, spans, spans]).rowcount
        conn.execute("INSERT INTO main.claim_values (claim_id, attribute, value) SELECT v.claim_id + ?, v.attribute,"
                     f" v.value FROM {new(claim_join + ' CROSS JOIN src.claim_values v ON v.claim_id = c.id')}", [claims])
        counts["relations added"] = conn.execute(
            "INSERT INTO main.relations (doc_id, head_span_id, child_span_id, label, annotator_id, created_at)"
            " SELECT p.tdoc, r.head_span_id + ?, r.child_span_id + ?, r.label, p.tann, r.created_at"
            f" FROM {new('CROSS JOIN src.relations r ON r.head_span_id = s.id AND r.doc_id = p.doc')}",
            [spans, spans]).rowcount
        counts["document labels added"] = conn.execute(
            "INSERT INTO main.doc_labels (doc_id, label_id, annotator_id, created_at)"
            " SELECT p.tdoc, l.tgt, p.tann, d.created_at FROM temp.merge_pairs p CROSS JOIN src.doc_labels d"
            " ON d.doc_id = p.doc AND d.annotator_id = p.ann JOIN temp.merge_labels l ON l.src = d.label_id"
            f" WHERE p.kind = {NEW}").rowcount
        return counts

    # ------------------------------------------------------------------ gold's provenance
    def merge_gold_provenance(self, gold_id: int) -> int:
        """The provenance of gold's spans and document labels where gold's layer of a document
        came in or changed (its spans are in place by now: matched by document, start, end,
        label and state). Returns how many documents' gold came with it."""
        conn = self.conn
        pairs = f"temp.merge_pairs p WHERE p.kind != {COMPARE} AND p.tann = ?"
        documents = conn.execute(f"SELECT count(*) FROM {pairs}", [gold_id]).fetchone()[0]
        if not documents:
            return 0
        conn.execute("DELETE FROM main.gold_provenance WHERE span_id IN (SELECT t.id FROM temp.merge_pairs p"
                     " CROSS JOIN main.spans t ON t.doc_id = p.tdoc AND t.annotator_id = p.tann"
                     f" WHERE p.kind != {COMPARE} AND p.tann = ?)", [gold_id])
        conn.execute(
            "INSERT OR IGNORE INTO main.gold_provenance (span_id, agreed, decided_by, decided_at, decision)"
            " SELECT t.id, g.agreed, g.decided_by, g.decided_at, g.decision FROM temp.merge_pairs p"
            " CROSS JOIN src.spans s ON s.doc_id = p.doc AND s.annotator_id = p.ann"
            " JOIN src.gold_provenance g ON g.span_id = s.id JOIN temp.merge_labels l ON l.src = s.label_id"
            ' JOIN main.spans t ON t.doc_id = p.tdoc AND t.annotator_id = p.tann AND t.start = s.start'
            ' AND t."end" = s."end" AND t.label_id = l.tgt AND t.state = s.state'
            f" WHERE p.kind != {COMPARE} AND p.tann = ? ORDER BY t.id", [gold_id])
        conn.execute("DELETE FROM main.gold_label_provenance WHERE (doc_id, annotator_id) IN"
                     f" (SELECT p.tdoc, p.tann FROM {pairs})", [gold_id])
        conn.execute(
            "INSERT OR REPLACE INTO main.gold_label_provenance (doc_id, label_id, annotator_id, rejected, agreed,"
            " decided_by, decided_at, decision) SELECT p.tdoc, l.tgt, p.tann, g.rejected, g.agreed, g.decided_by,"
            " g.decided_at, g.decision FROM temp.merge_pairs p CROSS JOIN src.gold_label_provenance g"
            " ON g.doc_id = p.doc AND g.annotator_id = p.ann JOIN temp.merge_labels l ON l.src = g.label_id"
            f" WHERE p.kind != {COMPARE} AND p.tann = ?", [gold_id])
        return documents

    # ------------------------------------------------------------------ statuses
    def merge_statuses(self, people: dict[int, object]) -> int:
        """Every pair's status as the source has it, where the target's differs; returns how many.

        The project's status is read through its index (a column after the article's text
        costs reading the text); the time of a status is read only where it changes."""
        status = ("CASE WHEN {a}.separate_status THEN coalesce({own}.status, 'todo') ELSE {docs}.status END")
        source = status.format(a="sa", own="ss", docs="sd")
        target = status.format(a="ta", own="ts", docs="td")
        rows = self.conn.execute(
            "WITH sd AS MATERIALIZED (SELECT id, status FROM src.documents),"
            " td AS MATERIALIZED (SELECT id, status FROM main.documents)"
            f" SELECT p.tann, p.tdoc, p.doc, {source}, sa.separate_status FROM temp.merge_pairs p"
            " CROSS JOIN sd ON sd.id = p.doc JOIN src.annotators sa ON sa.id = p.ann"
            " LEFT JOIN src.document_status ss ON ss.doc_id = p.doc AND ss.annotator_id = p.ann"
            " JOIN td ON td.id = p.tdoc JOIN main.annotators ta ON ta.id = p.tann"
            " LEFT JOIN main.document_status ts ON ts.doc_id = p.tdoc AND ts.annotator_id = p.tann"
            f" WHERE {source} != {target} ORDER BY p.tann").fetchall()
        by_annotator: dict[int, list[tuple[int, str, str]]] = {}
        for annotator_id, doc_id, source_doc, value, separate in rows:
            when = self.conn.execute(
                "SELECT updated_at FROM src.document_status WHERE doc_id = ? AND annotator_id = (SELECT src FROM"
                " temp.merge_people WHERE tgt = ?)" if separate else "SELECT updated_at FROM src.documents WHERE id = ?",
                [source_doc, annotator_id] if separate else [source_doc]).fetchone()
            by_annotator.setdefault(annotator_id, []).append((doc_id, value, when[0] if when else ""))
        for annotator_id, changes in by_annotator.items():
            write_statuses(self.target, people[annotator_id], changes)
        return len(rows)


# ------------------------------------------------------------------ scheme, aliases, assignment
def add_scheme_parts(target: Project, labels: Iterable[Label], attributes: Iterable[ClaimAttribute],
                     choices: Iterable[tuple[str, str]]) -> None:
    """Add labels (their key only if it is free), claim attributes and attribute choices."""
    used_keys = {label.key for label in target.labels() if label.key}
    for label in labels:
        key = label.key if label.key and label.key not in used_keys else None
        target.add_label(Label(label.name, label.kind, label.color, key, label.description))
        used_keys.add(key)
    conn = target.db.conn
    for attribute in attributes:
        position = conn.execute("SELECT coalesce(max(position), -1) + 1 FROM claim_attributes").fetchone()[0]
        taken = conn.execute("SELECT 1 FROM claim_attributes WHERE shortcut = ?", [attribute.key]).fetchone()
        conn.execute("INSERT INTO claim_attributes (name, title, kind, choices, default_value, required, shortcut,"
                     " description, position) VALUES (?,?,?,?,?,?,?,?,?)",
                     [attribute.name, attribute.title, attribute.kind, json.dumps(list(attribute.choices)),
                      attribute.default, int(attribute.required), None if taken else attribute.key,
                      attribute.description, position])
    for name, choice in choices:
        current = json.loads(conn.execute("SELECT choices FROM claim_attributes WHERE name = ?", [name]).fetchone()[0])
        if choice not in current:
            conn.execute("UPDATE claim_attributes SET choices = ? WHERE name = ?", [json.dumps([*current, choice]), name])


def merge_aliases(target: Project, aliases: dict[str, str]) -> tuple[list[str], list[str]]:
    """Bring in claimant aliases; one the target maps elsewhere is reported, never overwritten.
    Returns (aliases added, conflicts as messages)."""
    mine = target.claimant_aliases()
    added, conflicts = [], []
    for alias, canonical in sorted(aliases.items()):
        if alias not in mine:
            target.db.conn.execute("INSERT INTO claimant_aliases (alias, canonical) VALUES (?, ?)", [alias, canonical])
            added.append(alias)
        elif mine[alias] != canonical:
            conflicts.append(f"claimant {alias!r} is merged into {mine[alias]!r} here and into {canonical!r} there; "
                             "kept as it is here")
    return added, conflicts


def merge_assignment(target: Project) -> int:
    """The source's assignment, added to the target's (attached source, maps made)."""
    return target.db.conn.execute(
        "INSERT OR IGNORE INTO main.assignments (doc_id, annotator_id, assigned_at) SELECT d.tgt, m.tgt, ?"
        " FROM src.assignments a JOIN temp.merge_docs d ON d.src = a.doc_id JOIN temp.merge_people m"
        " ON m.src = a.annotator_id", [now_iso()]).rowcount


def layer_annotators(project: Project) -> list:
    """The annotators a file has layers of: anyone with annotations, statuses of their own
    or an assignment, and its own annotator."""
    # One EXISTS per annotator (a file names few), not a DISTINCT over every span.
    ids = {r[0] for r in project.db.conn.execute(
        "SELECT id FROM annotators a WHERE EXISTS (SELECT 1 FROM spans WHERE annotator_id = a.id)"
        " OR EXISTS (SELECT 1 FROM doc_labels WHERE annotator_id = a.id)"
        " OR EXISTS (SELECT 1 FROM document_status WHERE annotator_id = a.id)"
        " OR EXISTS (SELECT 1 FROM gold_label_provenance WHERE annotator_id = a.id)"
        " OR EXISTS (SELECT 1 FROM assignments WHERE annotator_id = a.id)")}
    return [a for a in project.annotator_list() if a.id in ids or a.own]


def unattributed_count(project: Project) -> int:
    """Decided spans and document labels nobody is named for: no layer to merge them into."""
    conn = project.db.conn
    return (conn.execute("SELECT count(*) FROM spans WHERE annotator_id IS NULL AND state != 'suggested'").fetchone()[0]
            + conn.execute("SELECT count(*) FROM doc_labels WHERE annotator_id IS NULL").fetchone()[0])
