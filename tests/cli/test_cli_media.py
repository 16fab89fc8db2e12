"""Projects on media that refuse writes: read-only files and folders, full disks.

Reading commands (stats, export) work there and change nothing; writing commands stop with
one line and exit 3; nothing ever calls a sound file "damaged", and no -wal/-shm is left.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3

from cli_driver import rows, run
from media import read_only_file, read_only_folder, side_files, small_disk

DOCS = [{"text": f"Ann Lee met Bob in Rome on day {i}.", "spans": [{"start": 0, "end": 7, "label": "PERSON"}]}
        for i in range(20)]


def _jsonl(path, records):
    path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    return path


def _digest(path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _make_project(folder, tmp_path):
    project = folder / "p.annotator"
    assert run("import", project, _jsonl(tmp_path / "docs.jsonl", DOCS)).exit_code == 0
    return project


def _one_error_line(result) -> str:
    lines = [line for line in result.stderr.splitlines() if line.startswith("error:")]
    assert len(lines) == 1, result.stderr
    assert "Traceback" not in result.stderr and "damaged" not in result.stderr and "backup" not in result.stderr
    return lines[0]


def _reading_commands_work(project, tmp_path):
    stats = run("stats", project, "--json")
    assert stats.exit_code == 0, stats.stderr
    assert json.loads(stats.stdout)["documents"]["total"] == 20
    out = tmp_path / "export"
    exported = run("export", project, "--format", "csv", "-o", out, "--include", "all")
    assert exported.exit_code == 0, exported.stderr
    assert (out / "entities.csv").read_text(encoding="utf-8").count("Ann Lee") == 20
    assert run("labels", project).exit_code == 0


def _writing_commands_refused(project, tmp_path, words):
    more = _jsonl(tmp_path / "more.jsonl", [{"text": "A new article."}])
    for args in (("import", project, more), ("labels", project, "--add", "QUOTE")):
        result = run(*args)
        assert result.exit_code == 3, (args, result.stderr)
        assert words in _one_error_line(result)


def test_cli_media_read_only_folder_reads_and_refuses_writes(tmp_path):
    with read_only_folder(tmp_path) as place:
        project = _make_project(place.folder, tmp_path)
        before = _digest(project)
        place.seal()
        _reading_commands_work(project, tmp_path)
        _writing_commands_refused(project, tmp_path, "cannot be changed here")
        assert _digest(project) == before and side_files(project) == []


def test_cli_media_read_only_file_reads_and_refuses_writes(tmp_path):
    project = _make_project(tmp_path, tmp_path)
    before = _digest(project)
    with read_only_file(project):
        _reading_commands_work(project, tmp_path)
        _writing_commands_refused(project, tmp_path, "the file is read-only")
        assert side_files(project) == []  # not even in the writable folder beside it
    assert _digest(project) == before


def test_cli_media_reading_leaves_no_side_files_and_no_change(tmp_path):
    project = _make_project(tmp_path, tmp_path)
    stamp = project.stat().st_mtime_ns, _digest(project)
    _reading_commands_work(project, tmp_path)
    assert side_files(project) == [] and (project.stat().st_mtime_ns, _digest(project)) == stamp


def test_cli_media_full_disk_is_not_damage(tmp_path):
    with small_disk(tmp_path, "4m") as disk:
        project = _make_project(disk.folder, tmp_path)
        before = rows(project, "SELECT id, text FROM documents ORDER BY id")
        digest = _digest(project)
        disk.fill()
        _reading_commands_work(project, tmp_path)
        more = _jsonl(tmp_path / "more.jsonl", [{"text": "A new article."}])
        result = run("import", project, more)
        assert result.exit_code == 3
        assert "the disk is full" in _one_error_line(result)
        assert side_files(project) == []
        assert _digest(project) == digest
        disk.drain()
        assert rows(project, "SELECT id, text FROM documents ORDER BY id") == before
        assert rows(project, "PRAGMA integrity_check") == [("ok",)]


def test_cli_media_disk_fills_during_import_keeps_earlier_files(tmp_path):
    with small_disk(tmp_path, "3m") as disk:
        project = _make_project(disk.folder, tmp_path)
        small = _jsonl(tmp_path / "a-small.jsonl", [{"text": "One more short article."}])
        words = "lorem ipsum dolor sit amet " * 400  # ~11 KB an article: 600 of them do not fit
        big = _jsonl(tmp_path / "b-big.jsonl", [{"text": f"{i} {words}"} for i in range(600)])
        result = run("import", project, small, big)
        assert result.exit_code == 3, result.stderr
        assert "the disk is full" in _one_error_line(result)
        assert f"imported: {small}: 1 added" in result.stderr
        assert f"refused: {big}" in result.stderr
        disk.drain()
        texts = [r[0] for r in rows(project, "SELECT text FROM documents")]
        assert len(texts) == 21 and "One more short article." in texts  # the first file was committed
        assert rows(project, "PRAGMA integrity_check") == [("ok",)]
        again = run("stats", project)
        assert again.exit_code == 0 and "documents: 21" in again.stdout


def test_cli_media_write_on_read_only_medium_never_tracebacks_after_open(tmp_path, monkeypatch):
    """A file that turns read-only between opening and writing (a remount): one line, exit 3."""
    project = _make_project(tmp_path, tmp_path)
    real = sqlite3.connect

    def read_only_connect(target, *args, **kwargs):
        if str(target) == str(project):  # the writing connection: as if the medium went read-only
            target, kwargs["uri"] = f"file:{project}?mode=ro", True
        return real(target, *args, **kwargs)

    monkeypatch.setattr(sqlite3, "connect", read_only_connect)
    result = run("import", project, _jsonl(tmp_path / "more.jsonl", [{"text": "A new article."}]))
    monkeypatch.undo()
    assert result.exit_code == 3
    assert "cannot be changed here" in _one_error_line(result)
    assert rows(project, "SELECT count(*) FROM documents") == [(20,)]
