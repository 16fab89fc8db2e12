"""``Project.stats`` counts from the span index agree with counting every row; a project from
before the clean-close migration is upgraded with its data and opens for reading."""

from __future__ import annotations

import sqlite3

from annotator.core.records import DocumentRecord, SpanRecord
from annotator.store import Project, migrations
from annotator.store.import_writer import ImportWriter, PreparedDocument

MIGRATION = next(m for m in migrations.MIGRATIONS if m.description.startswith("clean-close record"))


def _fill(project):
    records = []
    for i in range(30):
        text = f"Ann Lee said prices rose in Rome on day {i}."
        spans = [SpanRecord(0, 7, "PERSON", "s0", ("ana", "ben", None)[i % 3], ("accepted", "suggested")[i % 2]),
                 SpanRecord(8, 25, "CLAIM", "s1", "ana"), SpanRecord(29, 33, "GPE", "s2", None, "rejected")]
        records.append(PreparedDocument(DocumentRecord(text, i + 1, spans=spans)))
    with project.transaction():
        ImportWriter(project, None).write(records)


def _naive(path) -> tuple[dict, dict]:
    conn = sqlite3.connect(path)
    try:
        spans = {}
        for name, kind, state in conn.execute("SELECT labels.name, labels.kind, spans.state FROM spans"
                                              " JOIN labels ON labels.id = spans.label_id"):
            spans.setdefault(name, {"accepted": 0, "suggested": 0, "rejected": 0})[state] += 1
        annotators = dict(conn.execute("SELECT annotators.name, (SELECT count(*) FROM spans"
                                       " WHERE spans.annotator_id = annotators.id) FROM annotators"))
        return spans, annotators
    finally:
        conn.close()


def test_stats_counts_agree_with_counting_rows(project):
    _fill(project)
    stats = project.stats()
    spans, annotators = _naive(project.path)
    assert {n: {k: c[k] for k in ("accepted", "suggested", "rejected")} for n, c in stats["spans"].items()
            if n in spans} == spans
    assert all(sum(c[k] for k in ("accepted", "suggested", "rejected")) == 0
               for n, c in stats["spans"].items() if n not in spans)
    assert list(stats["spans"]) == [label.name for label in project.labels()]
    assert stats["annotators"] == annotators and annotators["ana"] > annotators["ben"] > 0
    assert stats["claim_details"]["by_label"] == {"CLAIM": 0}  # spans only: the writer makes no claims (test_claim_stats does)


def _fill_old(project):
    """Rows written with the SQL of the schema before the migration (the import writer of today
    writes tables that schema lacks)."""
    db = project.db
    labels = project.label_ids()
    with project.transaction():
        db.execute("INSERT INTO annotators (id, name, created_at) VALUES (1, 'ana', 'then'), (2, 'ben', 'then')")
        for i in range(30):
            text = f"Ann Lee said prices rose in Rome on day {i}."
            db.execute("INSERT INTO documents (id, text, content_hash, position, status, created_at, updated_at)"
                       " VALUES (?, ?, ?, ?, 'todo', 'then', 'then')", [i + 1, text, f"h{i}", i])
            for start, end, label, who, state in ((0, 7, "PERSON", (1, 2, None)[i % 3], ("accepted", "suggested")[i % 2]),
                                                  (8, 25, "CLAIM", 1, "accepted"), (29, 33, "GPE", None, "rejected")):
                db.execute('INSERT INTO spans (doc_id, start, "end", label_id, text, annotator_id, state, created_at,'
                           " updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, 'then', 'then')",
                           [i + 1, start, end, labels[label], text[start:end], who, state])


def test_stats_counts_project_from_before_the_migration(tmp_path, monkeypatch):
    path = tmp_path / "old.annotator"
    with monkeypatch.context() as patch:  # a file as an annotator from before the migration left it
        patch.setattr(migrations, "MIGRATIONS", [m for m in migrations.MIGRATIONS if m.version < MIGRATION.version])
        patch.setattr(migrations, "LATEST_VERSION", MIGRATION.version - 1)
        with Project.create(path) as project:
            _fill_old(project)
    spans, annotators = _naive(path)
    with Project.open(path, read_only=True) as reading:  # a reading command upgrades it once, then reads
        stats = reading.stats()
    assert {n: {k: c[k] for k in ("accepted", "suggested", "rejected")} for n, c in stats["spans"].items()
            if n in spans} == spans
    assert stats["annotators"] == annotators == {"ana": 40, "ben": 10}
    conn = sqlite3.connect(path)
    try:
        indexes = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'index'")}
        assert "spans_label_state" in indexes and "spans_label" not in indexes
        assert conn.execute("PRAGMA user_version").fetchone()[0] == migrations.LATEST_VERSION
    finally:
        conn.close()
