"""A small three-annotator project with hand-checked agreement figures (tests import it by name).

Each annotator's spans and claims are written in their layer, and each marks some documents
done (a status of their own). Spans are given by their text (and label),
offsets found with ``str.index``, so they are code points (the first text starts with an
emoji ZWJ sequence: four code points before any span).
"""

from __future__ import annotations

from annotator.core.records import DocumentRecord
from annotator.store import Project
from annotator.store.claims import ClaimantLink
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


def build(path, spans=SPANS, claims=CLAIMS, done=DONE, texts=TEXTS) -> list[int]:
    """The project at ``path`` (written through the store, each annotator in their layer);
    returns the document ids (in TEXTS order)."""
    with Project.create(path) as project:
        with project.transaction():
            ids = ImportWriter(project, None).write([PreparedDocument(DocumentRecord(t, i + 1))
                                                     for i, t in enumerate(texts)])
        for annotator, rows in spans.items():
            for doc, surface, label in rows:
                project.add_span(ids[doc], *offsets(doc, surface), label, annotator=annotator)
        for annotator, rows in claims.items():
            for doc, content, claimant, cue, values in rows:
                made = project.add_claim(ids[doc], *offsets(doc, content), "CLAIM", annotator=annotator,
                                         values=values)
                if claimant is not None:
                    span = next(s for s in project.layer_spans(ids[doc], annotator) if s.text == claimant)
                    project.set_claimant(made.id, ClaimantLink(span_id=span.id))
                if cue is not None:
                    project.set_cue(made.id, project.add_span(ids[doc], *offsets(doc, cue), "CUE",
                                                              annotator=annotator).id)
        for annotator, docs in done.items():
            for doc in docs:
                project.set_status(ids[doc], "done", annotator=annotator)
    return list(ids)
