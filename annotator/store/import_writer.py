"""Bulk writing of imported documents, inside one transaction per file.

Ids are assigned here rather than by SQLite so that documents, spans and relations of a
whole batch go in with three ``executemany`` calls: this is what keeps imports near the
speed of raw sqlite3 (see benchmarks/bench_import.py). The caller holds
``Project.transaction()`` around all batches of a file, so ids cannot race.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass, field

from ..core.model import Label
from ..core.records import DocumentRecord
from ..core.scheme import next_color
from ..core.textutil import content_hash
from .project import Project, now_iso


@dataclass
class PreparedDocument:
    """A checked record, ready to store."""

    record: DocumentRecord
    content_hash: str = ""

    def __post_init__(self) -> None:
        if not self.content_hash:
            self.content_hash = content_hash(self.record.text)


@dataclass
class ImportWriter:
    project: Project
    annotator: str | None
    origin: str = "import"
    label_ids: dict[str, int] = field(default_factory=dict)
    _next_doc_id: int = 0
    _next_span_id: int = 0
    _next_position: int = 0
    _annotator_ids: dict[str, int] = field(default_factory=dict)

    def __post_init__(self) -> None:
        q = self.project.db.query
        self.label_ids = self.project.label_ids()
        self._next_doc_id = next(q("SELECT coalesce(max(id), 0) + 1 AS n FROM documents"))["n"]
        self._next_span_id = next(q("SELECT coalesce(max(id), 0) + 1 AS n FROM spans"))["n"]
        self._next_position = next(q("SELECT coalesce(max(position), -1) + 1 AS n FROM documents"))["n"]

    def add_labels(self, names: Iterable[str]) -> list[str]:
        """Create labels met in a file (``--add-labels``), entity kind, palette colours."""
        added = []
        used = {lab.color for lab in self.project.labels()}
        for name in names:
            if name in self.label_ids:
                continue
            color = next_color(used)
            used.add(color)
            label = self.project.add_label(Label(name=name, kind="entity", color=color))
            assert label.id is not None
            self.label_ids[name] = label.id
            added.append(name)
        return added

    def existing(self, hashes: list[str]) -> dict[str, int]:
        """Which of these content hashes the project already holds (hash -> document id)."""
        found: dict[str, int] = {}
        for i in range(0, len(hashes), 500):  # stay under SQLite's bound-parameter limit
            chunk = hashes[i : i + 500]
            marks = ",".join("?" * len(chunk))
            for row in self.project.db.query(
                f"SELECT id, content_hash FROM documents WHERE content_hash IN ({marks})", chunk
            ):
                found[row["content_hash"]] = row["id"]
        return found

    def span_keys(self, doc_id: int) -> set[tuple[int, int, str, str]]:
        """(start, end, label, state) of a stored document, to compare with a re-import."""
        return {(s.start, s.end, s.label, s.state) for s in self.project.spans(doc_id)}

    def _annotator_id(self, name: str | None) -> int | None:
        if name is None:
            return None
        if name not in self._annotator_ids:
            self._annotator_ids[name] = self.project.annotator_id(name)
        return self._annotator_ids[name]

    def write(self, batch: list[PreparedDocument]) -> list[int]:
        """Insert a batch; returns the new document ids. Labels must already exist."""
        # Locals rather than attributes in the per-span loop: it runs once per stored span.
        now = now_iso()
        doc_rows, span_rows, relation_rows = [], [], []
        add_span = span_rows.append
        default_annotator = self._annotator_id(self.annotator)
        annotator_id_of = self._annotator_id
        label_ids, origin = self.label_ids, self.origin
        first_doc_id = doc_id = self._next_doc_id
        position = self._next_position
        span_id = self._next_span_id
        for prepared in batch:
            record = prepared.record
            doc_rows.append((
                doc_id, record.text, prepared.content_hash, record.title, record.source,
                json.dumps(record.meta, ensure_ascii=False) if record.meta else "{}",
                record.status, position, now, now,
            ))
            first_span_id = span_id
            text = record.text
            for span in record.spans:
                start, end = span.start, span.end
                add_span((
                    span_id, doc_id, start, end, label_ids[span.label], text[start:end],
                    annotator_id_of(span.annotator) if span.annotator else default_annotator,
                    origin, span.state, now, now,
                ))
                span_id += 1
            for relation in record.relations:
                relation_rows.append((
                    doc_id, first_span_id + relation.head, first_span_id + relation.child, relation.label,
                    default_annotator, now,
                ))
            doc_id += 1
            position += 1
        self._next_doc_id, self._next_position, self._next_span_id = doc_id, position, span_id
        conn = self.project.db.conn
        conn.executemany(
            "INSERT INTO documents (id, text, content_hash, title, source, meta, status, position, created_at,"
            " updated_at) VALUES (?,?,?,?,?,?,?,?,?,?)",
            doc_rows,
        )
        if span_rows:
            conn.executemany(
                'INSERT INTO spans (id, doc_id, start, "end", label_id, text, annotator_id, origin, state,'
                " created_at, updated_at) VALUES (?,?,?,?,?,?,?,?,?,?,?)",
                span_rows,
            )
        if relation_rows:
            conn.executemany(
                "INSERT INTO relations (doc_id, head_span_id, child_span_id, label, annotator_id, created_at)"
                " VALUES (?,?,?,?,?,?)",
                relation_rows,
            )
        return list(range(first_doc_id, doc_id))
