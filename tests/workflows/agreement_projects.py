"""A small three-annotator project with hand-checked agreement figures (tests import it by name).

Layers are written as rows, the way a merged project holds them: each annotator's spans and
claims, and which documents each marked done. Spans are given by their text (and label),
offsets found with ``str.index``, so they are code points (the first text starts with an
emoji ZWJ sequence: four code points before any span).
"""

from __future__ import annotations

from annotator.core.records import DocumentRecord
from annotator.store import Project
from annotator.store.import_writer import ImportWriter, PreparedDocument

TEXTS = (
    "👩‍⚕️ Dr Ana Ruiz told Radio Norte in Lima that the clinic would close.",  # 18 tokens (the emoji: 4)
    "Pedro Alves met the Lisbon Port Authority on Friday.",  # 10 tokens
    "Nobody was tagged here.",  # 5 tokens
)

SPANS = {
    "alice": [(0, "Ana Ruiz", "PERSON"), (0, "Radio Norte", "ORG"), (0, "Lima", "GPE"),
              (1, "Pedro Alves", "PERSON"), (1, "Lisbon Port Authority", "ORG"), (1, "Friday", "DATE")],
    "bob": [(0, "Ana Ruiz", "PERSON"), (0, "Radio Norte", "ORG"), (0, "Lima", "LOC"),
            (1, "Pedro Alves", "PERSON"), (1, "Lisbon", "GPE"), (1, "Friday", "DATE")],
    "carol": [(0, "Dr Ana Ruiz", "PERSON"), (0, "Lima", "GPE"),
              (1, "Pedro", "PERSON")],  # carol did not mark document 1 done: never counted
}
# (document, content, claimant span text, cue text, values)
CLAIMS = {
    "alice": [(0, "the clinic would close", "Ana Ruiz", "told", {"stance": "asserts"})],
    "bob": [(0, "clinic would close", "Ana Ruiz", None, {"stance": "hedges"})],
}
DONE = {"alice": (0, 1, 2), "bob": (0, 1, 2), "carol": (0,)}


def offsets(doc: int, surface: str) -> tuple[int, int]:
    start = TEXTS[doc].index(surface)
    return start, start + len(surface)


def insert_span(project: Project, doc_id: int, doc: int, surface: str, label: str, annotator: str) -> int:
    start, end = offsets(doc, surface)
    label_id = project.label_ids()[label]
    now = "2026-01-01T00:00:00.000000Z"
    return project.db.execute(
        'INSERT INTO spans (doc_id, start, "end", label_id, text, annotator_id, origin, state, created_at,'
        " updated_at) VALUES (?,?,?,?,?,?,'manual','accepted',?,?)",
        [doc_id, start, end, label_id, surface, project.annotator_id(annotator), now, now]).lastrowid


def mark_done(project: Project, doc_id: int, annotator: str) -> None:
    project.set_status(doc_id, "done")  # PRE-LAYERS: one status for everyone until h14's per-annotator status


def build(path, spans=SPANS, claims=CLAIMS, done=DONE, texts=TEXTS) -> list[int]:
    """The project at ``path``; returns the document ids (in TEXTS order)."""
    with Project.create(path) as project:
        with project.transaction():
            ids = ImportWriter(project, None).write([PreparedDocument(DocumentRecord(t, i + 1))
                                                     for i, t in enumerate(texts)])
            for annotator, rows in spans.items():
                for doc, surface, label in rows:
                    insert_span(project, ids[doc], doc, surface, label, annotator)
            for annotator, rows in claims.items():
                for doc, content, claimant, cue, values in rows:
                    span_id = insert_span(project, ids[doc], doc, content, "CLAIM", annotator)
                    claimant_id = insert_span(project, ids[doc], doc, claimant, "PERSON", annotator) \
                        if claimant and claimant not in [s for d, s, _ in spans.get(annotator, []) if d == doc] \
                        else _find(project, ids[doc], claimant, annotator)
                    cue_id = insert_span(project, ids[doc], doc, cue, "CUE", annotator) if cue else None
                    claim_id = project.db.execute(
                        "INSERT INTO claims (span_id, claimant_span_id, cue_span_id, created_at, updated_at)"
                        " VALUES (?,?,?,'2026-01-01','2026-01-01')", [span_id, claimant_id, cue_id]).lastrowid
                    for name, value in values.items():
                        project.db.execute("INSERT INTO claim_values (claim_id, attribute, value) VALUES (?,?,?)",
                                           [claim_id, name, value])
        for annotator, docs in done.items():
            project.annotator_id(annotator)
            for doc in docs:
                mark_done(project, ids[doc], annotator)
    return list(ids)


def _find(project: Project, doc_id: int, surface: str | None, annotator: str) -> int | None:
    if surface is None:
        return None
    rows = list(project.db.query(
        "SELECT spans.id FROM spans JOIN annotators ON annotators.id = spans.annotator_id"
        " WHERE doc_id = ? AND text = ? AND annotators.name = ?", [doc_id, surface, annotator]))
    return rows[0]["id"]
