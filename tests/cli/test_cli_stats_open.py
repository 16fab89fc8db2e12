"""``annotator stats`` on a file not known sound (a copy, one open in a window, after a crash):
no integrity check of the whole file, the same figures, and damage among the pages it reads
is still one line and exit 3."""

from __future__ import annotations

import json
import shutil
import sqlite3

import pytest
from cli_driver import run

from annotator.core.records import DocumentRecord
from annotator.store import Project
from annotator.store.import_writer import ImportWriter, PreparedDocument


@pytest.fixture
def original(tmp_path):
    path = tmp_path / "p.annotator"
    with Project.create(path) as project:
        with project.transaction():
            docs = ImportWriter(project, None).write(
                [PreparedDocument(DocumentRecord(f"Ana met Ben in Lima on day {i}.", i + 1)) for i in range(30)])
        for doc in docs:
            project.add_span(doc, 0, 3, "PERSON")
            project.add_span(doc, 15, 19, "GPE")
    return path


def test_cli_stats_open_copy_is_not_checked_and_gives_the_same_figures(original, tmp_path, monkeypatch):
    before = json.loads(run("stats", original, "--json").stdout)
    copy = tmp_path / "copy.annotator"
    shutil.copy(original, copy)  # another inode: the clean-close record does not match
    with Project.open(copy, read_only=True, check=False) as opened:
        assert opened.verified is None
    monkeypatch.setattr(Project, "damage", lambda self: pytest.fail("stats ran the integrity check"))
    result = run("stats", copy, "--json")
    assert result.exit_code == 0, result.stderr
    figures = json.loads(result.stdout)
    assert figures["spans"]["PERSON"]["accepted"] == 30 and figures["spans"]["GPE"]["accepted"] == 30
    assert {**figures, "project": None} == {**before, "project": None}


def _root_page(path, name: str) -> int:
    conn = sqlite3.connect(path)
    try:
        return conn.execute("SELECT rootpage FROM sqlite_master WHERE name = ?", [name]).fetchone()[0]
    finally:
        conn.close()


def test_cli_stats_open_damaged_index_it_reads_exits_3(original):
    page = _root_page(original, "spans_label_state")
    size = 4096
    data = bytearray(original.read_bytes())
    assert len(data) % size == 0
    data[(page - 1) * size:page * size] = b"\xa5" * size
    original.write_bytes(bytes(data))
    result = run("stats", original)
    assert result.exit_code == 3
    assert result.stderr.startswith("error: ") and "damaged" in result.stderr
    assert "Traceback" not in result.output
