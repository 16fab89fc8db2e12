"""Adding documents to a test project without an input file."""

from __future__ import annotations

from annotator.core.records import DocumentRecord
from annotator.store import Project
from annotator.store.import_writer import ImportWriter, PreparedDocument


def add_document(project: Project, text: str, title: str = "", status: str = "todo") -> int:
    with project.transaction():
        [doc_id] = ImportWriter(project, None).write([PreparedDocument(DocumentRecord(text, 1, title=title,
                                                                                       status=status))])
    return doc_id


def unindex(project: Project) -> None:
    """Make every document pending for search, as a project from before import-time indexing
    (or just after the search index migration) has them."""
    with project.transaction():
        project.db.execute("INSERT INTO documents_fts (documents_fts) VALUES ('delete-all')")
        project.db.execute("INSERT OR IGNORE INTO search_pending (doc_id) SELECT id FROM documents")
