"""Each file of an import is its own transaction, committed when it is done: a crash, a full
disk or a bad later file loses at most the file in progress."""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import textwrap
import time

import pytest
from media import disk_fills_at

from annotator.store import DiskFull, Project
from annotator.workflows.importing import ImportStopped, import_paths


def _jsonl(path, texts):
    path.write_text("".join(json.dumps({"text": t}) + "\n" for t in texts), encoding="utf-8")
    return path


def _committed(path) -> list[str]:
    conn = sqlite3.connect(path)  # a connection of its own: only what was committed
    try:
        return [r[0] for r in conn.execute("SELECT text FROM documents ORDER BY id")]
    finally:
        conn.close()


def test_import_per_file_commit_each_file_is_committed_when_done(project, tmp_path):
    files = [_jsonl(tmp_path / f"{name}.jsonl", [f"Article {name}."]) for name in "abc"]
    seen = []

    def progress(done, total, current, records):
        if records == 0 and done:  # a file is done: it is in the file already, for anyone to see
            seen.append(_committed(project.path))

    assert import_paths(project, files, progress=progress).ok
    assert seen == [["Article a."], ["Article a.", "Article b."], ["Article a.", "Article b.", "Article c."]]


def test_import_per_file_commit_project_failure_keeps_the_files_done(project, tmp_path, monkeypatch):
    files = [_jsonl(tmp_path / f"{name}.jsonl", [f"Article {name}."]) for name in "abc"]
    disk_fills_at(monkeypatch, "Article b.")
    with pytest.raises(ImportStopped) as stopped:
        import_paths(project, files)
    report = stopped.value.report
    assert [(f.path, f.refused, f.added) for f in report.files] == [(str(files[0]), False, 1), (str(files[1]), True, 0)]
    assert stopped.value.stopped_at == str(files[1]) and isinstance(stopped.value.cause, DiskFull)
    assert _committed(project.path) == ["Article a."]


def test_import_per_file_commit_kill_during_a_file_keeps_the_files_before(tmp_path):
    path = tmp_path / "p.annotator"
    Project.create(path).close()
    first = _jsonl(tmp_path / "a.jsonl", ["Article one.", "Article two."])
    second = _jsonl(tmp_path / "b.jsonl", [f"Later article {i}." for i in range(50)])
    process = subprocess.Popen([sys.executable, "-c", textwrap.dedent(f"""
        import sys, time
        from annotator.store.import_writer import ImportWriter
        real = ImportWriter.write
        def write(self, batch):
            ids = real(self, batch)
            if any(p.text.startswith("Later") for p in batch):
                print("in the second file", flush=True)
                time.sleep(60)  # killed here, half-way through its transaction
            return ids  # the import uses the new documents' ids (binary answers join them)
        ImportWriter.write = write
        from annotator.cli import main
        main(["import", {str(path)!r}, {str(first)!r}, {str(second)!r}])
    """)], stdout=subprocess.PIPE, text=True)
    try:
        assert process.stdout.readline().strip() == "in the second file"
        os.kill(process.pid, signal.SIGKILL)
        process.wait(timeout=30)
    finally:
        if process.poll() is None:
            process.kill()
    time.sleep(0.1)
    assert _committed(path) == ["Article one.", "Article two."]
    with Project.open(path) as reopened:  # checked (no clean close), sound, and the lock is stale
        assert reopened.verified and reopened.acquire_lock("ana") is None
