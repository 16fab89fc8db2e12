"""The rows of the units a sync sends, read from the project file in the server's terms.

A unit is merge's unit, one annotator's layer of one document (core.layer_merge): its spans,
the claims whose content span is one of them (claimant, cue, attribute values), the
relations whose head is one of them, its document labels and its status. Here each is read
with one query over all the units being sent (joined to a temporary table of them) and
streamed straight into the server's COPY, in the shape core.layer_sync describes: spans
numbered by their id in this file (``sid``), labels by name, a claimant, cue or relation
child in another layer as the key ``[annotator uuid or null, start, end, label]``.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from .project import Project

# A span ``{p}`` a claim or relation of unit span ``s`` points at: its sid when it is in the
# same unit, else its key.
_SID = "CASE WHEN {p}.id IS NOT NULL AND {p}.annotator_id IS s.annotator_id THEN {p}.id END"
_KEY = ("CASE WHEN {p}.id IS NOT NULL AND {p}.annotator_id IS NOT s.annotator_id THEN"
        " json_array((SELECT uuid FROM annotators WHERE id = {p}.annotator_id), {p}.start, {p}.\"end\","
        " (SELECT name FROM labels WHERE id = {p}.label_id)) END")
_UNITS = "temp.sync_push u CROSS JOIN spans s ON s.doc_id = u.doc_id AND s.annotator_id = u.annotator_id"

QUERIES = {
    "spans": 'SELECT u.server_doc, u.uuid, s.id, s.start, s."end", l.name, s.text, s.origin, s.state, s.created_at,'
             f" s.updated_at FROM {_UNITS} JOIN labels l ON l.id = s.label_id",
    "claims": f"SELECT u.server_doc, u.uuid, s.id, {_SID.format(p='cl')}, {_KEY.format(p='cl')}, c.claimant_text,"
              f" c.claimant_relation, {_SID.format(p='cu')}, {_KEY.format(p='cu')}, c.created_at, c.updated_at,"
              " (SELECT json_group_array(json_array(attribute, value)) FROM (SELECT attribute, value FROM claim_values"
              f" WHERE claim_id = c.id ORDER BY attribute)) FROM {_UNITS} JOIN claims c ON c.span_id = s.id"
              " LEFT JOIN spans cl ON cl.id = c.claimant_span_id LEFT JOIN spans cu ON cu.id = c.cue_span_id",
    "relations": f"SELECT u.server_doc, u.uuid, s.id, {_SID.format(p='ch')}, {_KEY.format(p='ch')}, r.label,"
                 f" r.created_at FROM {_UNITS} JOIN relations r ON r.head_span_id = s.id"
                 " JOIN spans ch ON ch.id = r.child_span_id",
    "doc_labels": "SELECT u.server_doc, u.uuid, l.name, d.created_at FROM temp.sync_push u JOIN doc_labels d"
                  " ON d.doc_id = u.doc_id AND d.annotator_id = u.annotator_id JOIN labels l ON l.id = d.label_id",
}


class UnitRows:
    """The rows of chosen units of one file, in the server's terms (``select`` first)."""

    def __init__(self, project: Project, doc_map: dict[int, int]) -> None:
        self.conn = project.db.conn
        self.project = project
        self.doc_map = doc_map
        self.conn.execute("CREATE TEMP TABLE IF NOT EXISTS sync_push (doc_id INTEGER NOT NULL,"
                          " annotator_id INTEGER NOT NULL, server_doc INTEGER NOT NULL, uuid TEXT NOT NULL,"
                          " PRIMARY KEY (doc_id, annotator_id)) WITHOUT ROWID")

    def select(self, keys: Sequence[tuple[int, int]]) -> None:
        """The units (local doc id, local annotator id) whose rows ``rows`` gives next."""
        uuids = dict(self.conn.execute("SELECT id, uuid FROM annotators"))
        self.conn.execute("DELETE FROM temp.sync_push")
        self.conn.executemany("INSERT OR IGNORE INTO temp.sync_push (doc_id, annotator_id, server_doc, uuid)"
                              " VALUES (?, ?, ?, ?)", [(d, a, self.doc_map[d], uuids[a]) for d, a in keys])

    def rows(self, table: str) -> Iterator[tuple]:
        yield from self.conn.execute(QUERIES[table])

    def statuses(self, keys: Sequence[tuple[int, int]]) -> dict[tuple[int, int], tuple[str, str]]:
        """(doc_id, annotator_id) -> (status, when it was set) of each unit."""
        self.select(keys)
        people = {a.id: a for a in self.project.annotator_list()}
        found: dict[tuple[int, int], tuple[str, str]] = {}
        for annotator_id in {a for _, a in keys}:
            person = people[annotator_id]
            if person.own or not person.separate_status:
                query = ("SELECT u.doc_id, d.status, d.updated_at FROM temp.sync_push u JOIN documents d"
                         " ON d.id = u.doc_id WHERE u.annotator_id = ?")
            else:
                query = ("SELECT u.doc_id, s.status, s.updated_at FROM temp.sync_push u JOIN document_status s"
                         " ON s.doc_id = u.doc_id AND s.annotator_id = u.annotator_id WHERE u.annotator_id = ?")
            found.update({(doc, annotator_id): (status, when) for doc, status, when in
                          self.conn.execute(query, [annotator_id])})
        return found

    def close(self) -> None:
        self.conn.execute("DROP TABLE IF EXISTS temp.sync_push")
