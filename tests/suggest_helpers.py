"""Tiny spaCy pipelines and projects for the model-in-the-loop tests (no download, no network).

A module of its own, imported by name from tests/nlp, tests/workflows, tests/ui and tests/cli.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

RULER_PATTERNS = (
    {"label": "GPE", "pattern": "Oslo"},
    {"label": "GPE", "pattern": "Lima"},
    {"label": "GPE", "pattern": [{"LOWER": "the"}, {"LOWER": "hague"}]},
    {"label": "PERSON", "pattern": [{"TEXT": "Anna"}, {"TEXT": "Berg"}]},
    {"label": "PERSON", "pattern": "Tomás Reyes"},
    {"label": "ORG", "pattern": "Meridian Institute"},
    {"label": "PER", "pattern": "Zed"},  # a label no project has
)

TEXTS = (
    "Anna Berg said that the port of Oslo will close in May.",
    "🇺🇦🌍 Tomás Reyes flew from Lima to The Hague on Monday.",
    "The Meridian Institute said prices in Oslo would rise, according to Zed.",
    "Nothing to see here at all.",
)


def ruler_pipeline(folder: Path, patterns: Sequence[dict] = RULER_PATTERNS) -> Path:
    """A pipeline folder (config.cfg + meta.json) of a blank English model with an EntityRuler:
    loads with spacy.load like any trained pipeline, and predicts instantly."""
    import spacy

    nlp = spacy.blank("en")
    ruler = nlp.add_pipe("entity_ruler")
    ruler.add_patterns(list(patterns))
    nlp.meta["name"] = "ruler_test"
    folder.parent.mkdir(parents=True, exist_ok=True)
    nlp.to_disk(folder)
    return folder


def add_documents(project, texts: Sequence[str] = TEXTS, statuses: Sequence[str] | None = None,
                  spans: Sequence[Sequence[tuple[int, int, str]]] | None = None) -> list[int]:
    """Store texts as documents (with optional statuses and accepted spans); returns their ids."""
    from annotator.core.records import DocumentRecord, SpanRecord
    from annotator.store.import_writer import ImportWriter, PreparedDocument

    records = []
    for i, text in enumerate(texts):
        status = statuses[i] if statuses else "todo"
        doc_spans = [SpanRecord(s, e, label) for s, e, label in (spans[i] if spans else ())]
        records.append(PreparedDocument(DocumentRecord(text=text, line=i + 1, title=f"doc {i + 1}", status=status,
                                                       spans=doc_spans)))
    with project.transaction():
        ImportWriter(project, "tester").write(records)
    return [r["id"] for r in project.db.query("SELECT id FROM documents ORDER BY position")][-len(texts):]


def span_rows(project, doc_id: int | None = None) -> list[tuple]:
    where = "WHERE doc_id = ?" if doc_id is not None else ""
    return [tuple(r.values()) for r in project.db.query(
        f'SELECT doc_id, start, "end", label, text, origin, state FROM span_view {where}'
        ' ORDER BY doc_id, start, "end", label', [doc_id] if doc_id is not None else [])]


PEOPLE = ("Anna Berg", "Tomás Reyes", "Li Wei", "Sara Okafor", "Jon Moreau", "Ines Lund")
PLACES = ("Oslo", "Lima", "Nairobi", "Athens", "Dakar", "Quito")
VERBS = ("visited", "left", "praised", "reached", "toured", "criticised")


def tiny_corpus(n: int = 30) -> list[tuple[str, list[tuple[int, int, str]]]]:
    """Short annotated sentences: PERSON verb GPE on a day; a quote claim in every third."""
    docs = []
    days = ("Monday", "Tuesday", "Friday")
    for i in range(n):
        person, place, verb = PEOPLE[i % 6], PLACES[(i * 5 + 1) % 6], VERBS[(i * 7 + 2) % 6]
        text = f"{person} {verb} {place} on {days[i % 3]} ({i + 1})."
        spans = [(0, len(person), "PERSON"), (text.index(place), text.index(place) + len(place), "GPE")]
        if i % 3 == 0:
            claim = "the talks went well"
            text += f" {person.split()[0]} said {claim}."
            spans.append((text.index(claim), text.index(claim) + len(claim), "CLAIM"))
        docs.append((text, spans))
    return docs


def tiny_project(project, n: int = 30, status: str = "done") -> list[int]:
    corpus = tiny_corpus(n)
    return add_documents(project, [t for t, _ in corpus], statuses=[status] * n, spans=[s for _, s in corpus])
