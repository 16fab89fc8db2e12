"""A lead's project with two annotators' work merged in, made the way a team makes it: split
into annotators' files, each annotated as its own annotator, merged back (a module of its
own: test modules import it by name)."""

from __future__ import annotations

from pathlib import Path

from ui_projects import write_documents

from annotator.store import Project
from annotator.workflows.merging import merge_projects
from annotator.workflows.splitting import SplitOptions, split_project

# Our own sentences (never the seed articles): the words each annotator tags are listed below.
DOCS = [
    ("Harbour", "Mayor Lena Ortiz told Radio Costa in Valparaiso that the harbour would reopen on Monday."),
    ("Bridge", "Engineers from Nordbau met the council in Tromso about the old bridge."),
    ("Market", "Nobody was named in this short note about the market."),
]
# (title, words, label) per annotator; every document is marked done by both.
WORK = {
    "alice": [("Harbour", "Lena Ortiz", "PERSON"), ("Harbour", "Radio Costa", "ORG"), ("Harbour", "Valparaiso", "GPE"),
              ("Harbour", "Monday", "DATE"), ("Bridge", "Nordbau", "ORG"), ("Bridge", "Tromso", "GPE")],
    "bob": [("Harbour", "Mayor Lena Ortiz", "PERSON"), ("Harbour", "Radio Costa", "ORG"),
            ("Harbour", "Valparaiso", "LOC"), ("Harbour", "Monday", "DATE"), ("Bridge", "Nordbau", "ORG"),
            ("Bridge", "council", "ORG")],
}


def text_of(title: str) -> str:
    return next(text for t, text in DOCS if t == title)


def at(title: str, words: str) -> tuple[int, int]:
    start = text_of(title).index(words)
    return start, start + len(words)


def make_team_project(folder: Path, *, merge: bool = True, names: tuple[str, ...] = ("alice", "bob")) -> Path:
    """study.annotator (nobody's own copy) and team/NAME.annotator, annotated and (``merge``) merged."""
    path = folder / "study.annotator"
    with Project.create(path) as lead:
        write_documents(lead, DOCS)
        split_project(lead, folder / "team", SplitOptions(names, overlap=1.0))
    for name in names:
        with Project.open(folder / "team" / f"{name}.annotator") as copy:
            ids = {s.title: s.id for s in copy.document_summaries(0, 50)}
            for title, words, label in WORK.get(name, []):
                copy.add_span(ids[title], *at(title, words), label, annotator=name)
            copy.set_statuses(list(ids.values()), "done")
    if merge:
        with Project.open(path) as lead:
            merge_projects(lead, [folder / "team" / f"{name}.annotator" for name in names])
    return path
