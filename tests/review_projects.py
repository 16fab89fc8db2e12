"""A three-annotator project for review (tests import it by name): one unit of every state.

Document 0, as alice, bob and carol tagged it (all three marked it done):

- "Lena Okafor" PERSON: all three (agreed);
- "Porto": GPE for alice and bob, LOC for carol (conflict: label);
- "Monday" DATE: alice and bob, not carol (missing; the majority has it);
- "Douro" LOC: carol only (missing; the majority lacks it);
- "May": alice and carol "May", bob "in May" (conflict: boundaries);
- the claim "the Douro bridge would reopen in May" (same content for all three): alice
  claimant "Lena Okafor", cue "told", stance asserts; bob the same with stance hedges; carol
  claimant "city council" (her ORG), cue "according to", stance asserts (conflict: claimant,
  cue, stance; no exact majority, the field majorities are alice's claim);
- "city council" ORG: carol only (missing).

Document 1: "Lyon" GPE by all three (agreed). Document 2: two agreed spans, and the
document label URGENT (alice and bob) and a rejected nothing.
Spans are given by their text; offsets found with ``str.index`` (code points).
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator

from annotator.core.model import Label
from annotator.core.records import DocumentRecord
from annotator.store import Project
from annotator.store.claims import ClaimantLink
from annotator.store.import_writer import ImportWriter, PreparedDocument

TEXTS = (
    "Mayor Lena Okafor told reporters in Porto on Monday that the Douro bridge would reopen in May, "
    "according to the city council.",
    "Nothing happened in Lyon.",
    "Ada Brook joined Norvik Labs.",
)
ANNOTATORS = ("alice", "bob", "carol")
SPANS = {
    "alice": [(0, "Lena Okafor", "PERSON"), (0, "Porto", "GPE"), (0, "Monday", "DATE"), (0, "May", "DATE"),
              (1, "Lyon", "GPE"), (2, "Ada Brook", "PERSON"), (2, "Norvik Labs", "ORG")],
    "bob": [(0, "Lena Okafor", "PERSON"), (0, "Porto", "GPE"), (0, "Monday", "DATE"), (0, "in May", "DATE"),
            (1, "Lyon", "GPE"), (2, "Ada Brook", "PERSON"), (2, "Norvik Labs", "ORG")],
    "carol": [(0, "Lena Okafor", "PERSON"), (0, "Porto", "LOC"), (0, "Douro", "LOC"), (0, "May", "DATE"),
              (0, "city council", "ORG"), (1, "Lyon", "GPE"), (2, "Ada Brook", "PERSON"), (2, "Norvik Labs", "ORG")],
}
CLAIM = "the Douro bridge would reopen in May"
# (claimant span text, cue text, stance)
CLAIMS = {"alice": ("Lena Okafor", "told", "asserts"), "bob": ("Lena Okafor", "told", "hedges"),
          "carol": ("city council", "according to", "asserts")}
DOC_LABELS = {"alice": [(2, "URGENT")], "bob": [(2, "URGENT")]}


def offsets(doc: int, surface: str) -> tuple[int, int]:
    start = TEXTS[doc].index(surface)
    if surface == "May":  # the month, not the "May" of "Mayor"
        start = TEXTS[doc].index(" May,") + 1
    return start, start + len(surface)


def build(path, texts=TEXTS, spans=SPANS, claims=CLAIMS, done=ANNOTATORS) -> list[int]:
    """The project at ``path`` (each annotator's layer written through the store); returns
    the document ids in TEXTS order."""
    with Project.create(path) as project:
        project.add_label(Label("URGENT", "doc", "#cc3333"))
        with project.transaction():
            ids = ImportWriter(project, None).write([PreparedDocument(DocumentRecord(t, i + 1))
                                                     for i, t in enumerate(texts)])
        for annotator in ANNOTATORS:
            project.add_annotator(annotator)
        for annotator, rows in spans.items():
            for doc, surface, label in rows:
                project.add_span(ids[doc], *offsets(doc, surface), label, annotator=annotator)
        for annotator, (claimant, cue, stance) in claims.items():
            made = project.add_claim(ids[0], *offsets(0, CLAIM), "CLAIM", annotator=annotator,
                                     values={"stance": stance})
            span = next(s for s in project.layer_spans(ids[0], annotator) if s.text == claimant)
            project.set_claimant(made.id, ClaimantLink(span_id=span.id))
            project.set_cue(made.id, project.add_span(ids[0], *offsets(0, cue), "CUE", annotator=annotator).id)
        for annotator, rows in DOC_LABELS.items():
            for doc, label in rows:
                project.set_doc_label(ids[doc], label, True, annotator)
        for annotator in done:
            for doc_id in ids:
                project.set_status(doc_id, "done", annotator=annotator)
    return list(ids)


def span_key(doc: int, surface: str, label: str) -> tuple[int, int, str]:
    return (*offsets(doc, surface), label)


@contextlib.contextmanager
def open_built(path) -> Iterator[Project]:
    """The three-layer review project built at ``path`` and open; ``doc_ids`` holds its documents."""
    ids = build(path)
    with Project.open(path) as opened:
        opened.doc_ids = ids
        yield opened
