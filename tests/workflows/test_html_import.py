"""import_pages: saved pages in worker processes give what the reader gives in this process."""

from __future__ import annotations

import json
import multiprocessing
import sqlite3
import sys
import threading

import pytest
from web_site import EXPECTED_TEXT, page

from annotator.workflows import html_import
from annotator.workflows.html_import import choose_workers, import_pages
from annotator.workflows.importing import ImportCancelled, ImportOptions, import_paths

BASE = "https://news.example"
NAMES = ("harbour-barrier.html", "rail-strike.html", "topics-index.html", "valle-fiesta.html",
         "harbour-barrier-amp.html", "library-reopens.html")


def _qt_app_running() -> bool:
    qt = sys.modules.get("PySide6.QtCore")
    return qt is not None and qt.QCoreApplication.instance() is not None


def saved_pages(folder):
    folder.mkdir()
    for name in NAMES:
        (folder / name).write_bytes(page(name, BASE))
    return folder


def stored(path) -> list[tuple[str, str, dict]]:
    conn = sqlite3.connect(path)
    try:
        rows = conn.execute("SELECT title, text, meta FROM documents ORDER BY position").fetchall()
    finally:
        conn.close()
    return [(title, text, json.loads(meta)) for title, text, meta in rows]


@pytest.mark.parametrize(("workers", "start"), [(0, None), (2, "fork"), (2, "spawn")])
def test_html_import_workers_store_what_the_reader_reads(project, tmp_path, monkeypatch, workers, start):
    if start == "fork" and (_qt_app_running() or threading.active_count() > 1):
        pytest.skip("forking a process that runs other threads can deadlock (the suite has started Qt)")
    if start is not None:
        monkeypatch.setattr(html_import, "_start_method", lambda: multiprocessing.get_context(start))
    folder = saved_pages(tmp_path / "pages")
    report = import_pages(project, [folder], workers=workers)
    assert [f.path.rsplit("/", 1)[-1] for f in report.files] == sorted(NAMES)
    assert report.total("added") == 5 and len(report.refused) == 1
    assert [str(p) for p in report.refused[0].problems] == [
        f"{folder / 'topics-index.html'}: no article text found (only 10 characters of main text; 250 needed); "
        "not imported"]
    documents = stored(project.path)
    assert [text for _title, text, _meta in documents] == [
        EXPECTED_TEXT[name] for name in sorted(NAMES) if name != "topics-index.html"]
    assert documents[0][2]["url"] == f"{BASE}/news/2025/03/harbour-barrier.html"


def test_html_import_matches_the_import_path(project, tmp_path):
    folder = saved_pages(tmp_path / "pages")
    import_paths(project, [folder], ImportOptions(format="auto"))  # .html is recognised
    through_reader = stored(project.path)
    other = tmp_path / "other.annotator"
    from annotator.store import Project

    with Project.create(other) as second:
        import_pages(second, [folder], workers=0)
    assert stored(other) == through_reader


def test_html_import_cancel_keeps_the_pages_stored(project, tmp_path):
    folder = saved_pages(tmp_path / "pages")
    calls = iter(range(100))
    with pytest.raises(ImportCancelled) as stopped:
        import_pages(project, [folder], workers=0, cancelled=lambda: next(calls) >= 2)
    assert len(stopped.value.report.files) == 2 and len(stored(project.path)) == 2


def test_html_import_workers_only_for_many_pages():
    assert choose_workers(None, 10) == 0 and choose_workers(None, 500) >= 1 and choose_workers(3, 1) == 3
