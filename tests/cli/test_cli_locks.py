"""Writing commands and the editing lock: a window is named (or waited for with --wait), a
second import waits for the first and says so, and nothing ends in a traceback."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
import threading
import time

import pytest
from cli_driver import rows, run

from annotator.store import Project

ARTICLES = [{"text": "Ann Lee met Bob in Rome."}, {"text": "A second article."}]


def _jsonl(path, records):
    path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    return path


@pytest.fixture
def project(tmp_path):
    path = tmp_path / "p.annotator"
    Project.create(path).close()
    return path


def _holder(path, name: str, kind: str) -> subprocess.Popen:
    """Another process holding the editing lock until it reads a line."""
    process = subprocess.Popen(
        [sys.executable, "-c", textwrap.dedent(f"""
            import sys
            from annotator.store import Project
            project = Project.open({str(path)!r})
            assert project.acquire_lock({name!r}, kind={kind!r}) is None
            print("locked", flush=True)
            sys.stdin.readline()
            project.close()
        """)], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    assert process.stdout.readline().strip() == "locked"
    return process


def _release(process: subprocess.Popen) -> None:
    process.communicate("\n", timeout=30)
    assert process.returncode == 0


def test_cli_locks_import_refuses_while_a_window_edits(project, tmp_path):
    window = _holder(project, "ana", "window")
    try:
        for args in (("import", project, _jsonl(tmp_path / "a.jsonl", ARTICLES)),
                     ("labels", project, "--add", "QUOTE"), ("claimants", project, "--merge", "A", "--into", "B")):
            result = run(*args)
            assert result.exit_code == 3, result.stderr
            assert "open for editing by ana on" in result.stderr and f"(process {window.pid})" in result.stderr
            assert "--wait" in result.stderr and "Traceback" not in result.stderr
        assert rows(project, "SELECT count(*) FROM documents") == [(0,)]
        assert "QUOTE" not in [r[0] for r in rows(project, "SELECT name FROM labels")]
        assert rows(project, "SELECT holder FROM session_lock") == [("ana",)]  # the window's lock untouched
        assert run("stats", project).exit_code == 0  # reading needs no lock
    finally:
        _release(window)


def test_cli_locks_import_waits_for_a_window_with_wait(project, tmp_path):
    window = _holder(project, "ana", "window")
    threading.Timer(1.0, _release, [window]).start()
    started = time.monotonic()
    result = run("import", project, _jsonl(tmp_path / "a.jsonl", ARTICLES), "--wait", "60")
    assert result.exit_code == 0, result.stderr
    assert "waiting for ana on" in result.stderr and time.monotonic() - started < 30
    assert rows(project, "SELECT count(*) FROM documents") == [(2,)]
    assert rows(project, "SELECT count(*) FROM session_lock") == [(0,)]  # released at the end


def test_cli_locks_wait_runs_out(project, tmp_path):
    window = _holder(project, "ana", "window")
    try:
        result = run("import", project, _jsonl(tmp_path / "a.jsonl", ARTICLES), "--wait", "0.6")
        assert result.exit_code == 3
        assert "still open for editing by ana" in result.stderr and "after waiting 0.6 s" in result.stderr
        assert rows(project, "SELECT count(*) FROM documents") == [(0,)]
    finally:
        _release(window)


def test_cli_locks_second_import_waits_for_the_first_saying_so(project, tmp_path):
    first = _holder(project, "annotator import", "command")
    second = subprocess.Popen([sys.executable, "-m", "annotator", "import", str(project),
                               str(_jsonl(tmp_path / "a.jsonl", ARTICLES))],
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        line = second.stderr.readline()
        assert line.startswith("waiting for another import of this project…") and f"(process {first.pid})" in line
        time.sleep(0.3)
        assert second.poll() is None and rows(project, "SELECT count(*) FROM documents") == [(0,)]
    finally:
        _release(first)
    out, err = second.communicate(timeout=60)
    assert second.returncode == 0, err
    assert "2 added" in out and "Traceback" not in err
    assert rows(project, "SELECT count(*) FROM documents") == [(2,)]


def test_cli_locks_two_real_imports_at_once_both_land(project, tmp_path):
    # The first import holds SQLite's write lock for longer than its 5-second busy timeout
    # (it pauses 6 s inside its first batch); the second must wait for it, not crash.
    slow = subprocess.Popen([sys.executable, "-c", textwrap.dedent(f"""
        import sys, time
        from annotator.workflows import importing
        real = importing._flush
        def slow_flush(*args):
            print("writing", flush=True)
            time.sleep(6)
            return real(*args)
        importing._flush = slow_flush
        from annotator.cli import main
        main(["import", {str(project)!r}, {str(_jsonl(tmp_path / "a.jsonl", ARTICLES))!r}])
    """)], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    assert slow.stdout.readline().strip() == "writing"
    second = subprocess.Popen([sys.executable, "-m", "annotator", "import", str(project),
                               str(_jsonl(tmp_path / "b.jsonl", [{"text": "A third article."}]))],
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    results = [p.communicate(timeout=120) for p in (slow, second)]
    assert [slow.returncode, second.returncode] == [0, 0], results
    assert all("Traceback" not in err for _out, err in results)
    assert "waiting for another import of this project…" in results[1][1]
    assert rows(project, "SELECT count(*) FROM documents") == [(3,)]


def test_cli_locks_busy_file_without_a_lock_is_one_line(project, tmp_path):
    blocker = __import__("sqlite3").connect(project, timeout=10)
    blocker.execute("BEGIN IMMEDIATE")  # another program writing (it takes no editing lock)
    try:
        result = run("import", project, _jsonl(tmp_path / "a.jsonl", ARTICLES), "--wait", "0.5")
    finally:
        blocker.rollback()
        blocker.close()
    assert result.exit_code == 3
    assert "busy in another program" in result.stderr and "Traceback" not in result.stderr
    assert rows(project, "SELECT count(*) FROM documents") == [(0,)]


def test_cli_locks_a_stale_lock_of_a_dead_command_is_taken(project, tmp_path):
    with Project.open(project) as crashed:
        crashed.acquire_lock("annotator import", kind="command")
        with crashed.transaction():
            crashed.db.execute("UPDATE session_lock SET pid = 999999999")
        crashed._lock_token = None  # as if its process had died holding it
    result = run("import", project, _jsonl(tmp_path / "a.jsonl", ARTICLES))
    assert result.exit_code == 0 and "waiting" not in result.stderr
