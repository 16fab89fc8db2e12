"""A small team project with hand-counted dashboard figures (tests import it by name).

The agreement project (three annotators' layers over three documents) with its documents
marked done on known days, a claimant merged into a canonical name, two trained models (one
with a score another tool wrote wrong) and two documents nobody finished. Times are set by
giving the project a clock (``Project._now``), as the store stamps every write with it.
"""

from __future__ import annotations

import datetime as dt

import agreement_projects

from annotator.core.records import DocumentRecord
from annotator.store import Project
from annotator.store.import_writer import ImportWriter, PreparedDocument

# (annotator, document, day it was marked done)
DONE_ON = (("alice", 0, "2026-03-02"), ("alice", 1, "2026-03-02"), ("bob", 0, "2026-03-03"),
           ("bob", 1, "2026-03-04"), ("alice", 2, "2026-03-04"), ("bob", 2, "2026-03-04"),
           ("carol", 0, "2026-03-04"))
MORE_TEXTS = ("A fourth article nobody has finished.", "A fifth, still to do as well.")
TODAY = dt.date(2026, 3, 10)
# Accepted spans per label and annotator (agreement_projects.SPANS plus claims and cues).
SPANS = {
    "alice": {"PERSON": 2, "ORG": 2, "GPE": 1, "DATE": 1, "CLAIM": 1, "CUE": 1},
    "bob": {"PERSON": 2, "ORG": 1, "GPE": 1, "LOC": 1, "DATE": 1, "CLAIM": 1},
    "carol": {"PERSON": 2, "GPE": 1},
}
CANONICAL = "Dr Ana Ruiz"  # "Ana Ruiz" (both claims' claimant) is merged into it
MODELS = (("round-1", "2026-03-01", {"PERSON": 0.5, "ORG": 0.25}), ("round-2", "2026-03-08", {"PERSON": 0.75, "ORG": 0.5}))


def clock(project: Project, day: str) -> None:
    project._now = lambda: f"{day}T10:00:00.000000Z"  # noqa: SLF001 - the store's clock, for known days


def build(path) -> list[int]:
    """The project at ``path``; returns the document ids (the agreement texts, then MORE_TEXTS)."""
    ids = agreement_projects.build(path, done={})
    with Project.open(path) as project:
        with project.transaction():
            ids += ImportWriter(project, None).write([PreparedDocument(DocumentRecord(t, i + 10))
                                                      for i, t in enumerate(MORE_TEXTS)])
        for annotator, doc, day in DONE_ON:
            clock(project, day)
            project.set_status(ids[doc], "done", annotator=annotator)
        project.merge_claimants(["Ana Ruiz"], CANONICAL)
        for name, day, scores in MODELS:
            clock(project, day)
            project.add_model(name, str(path.parent / name), components=["ner"], documents=3,
                              scores={"per_label": {"ner": {label: {"p": f, "r": f, "f": f}
                                                            for label, f in scores.items()}}})
        project.add_model("broken", str(path.parent / "broken"), components=["ner"], documents=3,
                          scores={"per_label": {"ner": {"GPE": {"f": "high"}, "DATE": "n/a"}}})
    return ids
