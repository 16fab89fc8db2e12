"""Small projects for the Qt tests (a module of its own: test modules import it by name)."""

from __future__ import annotations

from collections.abc import Sequence

from annotator.core.records import DocumentRecord, SpanRecord
from annotator.store import Project
from annotator.store.import_writer import ImportWriter, PreparedDocument

Doc = tuple[str, str] | tuple[str, str, str] | tuple[str, str, str, Sequence[tuple[int, int, str]]]


def write_documents(project: Project, docs: Sequence[Doc]) -> None:
    """(title, text[, status[, spans]]) tuples, stored in order."""
    prepared = []
    for line, doc in enumerate(docs, 1):
        title, text, *rest = doc
        status = rest[0] if rest else "todo"
        spans = [SpanRecord(s, e, label) for s, e, label in (rest[1] if len(rest) > 1 else ())]
        prepared.append(PreparedDocument(DocumentRecord(text=text, line=line, title=title, status=status,
                                                        spans=spans)))
    with project.transaction():
        ImportWriter(project, "tester").write(prepared)
