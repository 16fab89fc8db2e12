"""The clean-close record: the integrity check is skipped only for a file exactly as this
program closed it; after a crash, another program's write, a copy or a truncation it runs."""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import sys
import textwrap

import pytest

from annotator.core.records import DocumentRecord
from annotator.store import Project, ProjectCorrupt, migrations
from annotator.store.import_writer import ImportWriter, PreparedDocument


@pytest.fixture
def checks(monkeypatch):
    """How many integrity checks ran."""
    calls: list[int] = []
    real = Project.damage
    monkeypatch.setattr(Project, "damage", lambda self: calls.append(1) or real(self))
    return calls


@pytest.fixture
def path(tmp_path):
    location = tmp_path / "p.annotator"
    with Project.create(location) as project, project.transaction():
        ImportWriter(project, None).write([PreparedDocument(DocumentRecord(f"article {i}", i + 1)) for i in range(5)])
    return location


def _record(path):
    conn = sqlite3.connect(f"file:{path}?mode=ro&immutable=1", uri=True)
    try:
        return conn.execute("SELECT mtime_ns, file_size, page_count, page_size, inode FROM clean_close").fetchall()
    finally:
        conn.close()


def test_clean_close_record_matches_the_closed_file(path):
    (mtime_ns, size, pages, page_size, inode), = _record(path)
    stat = path.stat()
    assert (stat.st_mtime_ns, stat.st_size, stat.st_ino) == (mtime_ns, size, inode) and size == pages * page_size
    assert not os.path.exists(f"{path}-wal")


@pytest.mark.parametrize("read_only", [True, False])
def test_clean_close_skips_the_check_for_an_untouched_file(path, checks, read_only):
    for _ in range(3):  # and again after each clean close, also after a writing session
        with Project.open(path, read_only=read_only) as project:
            assert project.verified is True
            if not read_only:
                project.set_setting("seen", "1")
    assert checks == []


def test_clean_close_first_write_clears_the_record(path):
    with Project.open(path) as project:
        assert len(_record(path)) == 1
        project.set_setting("x", "1")
        conn = sqlite3.connect(path)  # what a crash now would leave: the committed state
        assert conn.execute("SELECT count(*) FROM clean_close").fetchone() == (0,)
        conn.close()
    assert len(_record(path)) == 1  # written again at the clean close


def test_clean_close_crash_after_a_write_means_a_check(path, checks):
    crashed = subprocess.run([sys.executable, "-c", textwrap.dedent(f"""
        import os
        from annotator.store import Project
        project = Project.open({str(path)!r})
        project.set_setting("before the crash", "1")
        os._exit(9)  # no close: as kill -9 or a power cut
    """)], capture_output=True, text=True, timeout=60)
    assert crashed.returncode == 9, crashed.stderr
    with Project.open(path, read_only=True) as project:
        assert project.setting("before the crash") == "1"
    assert checks == [1]


def test_clean_close_crash_without_a_write_is_still_clean(path, checks):
    subprocess.run([sys.executable, "-c", f"import os\nfrom annotator.store import Project\n"
                    f"p = Project.open({str(path)!r}, read_only=True)\np.stats()\nos._exit(9)"], check=False, timeout=60)
    Project.open(path, read_only=True).close()
    assert checks == []  # nothing was written: nothing to check


def test_clean_close_another_program_writing_means_a_check(path, checks):
    conn = sqlite3.connect(path)
    conn.execute("UPDATE documents SET title = 'changed elsewhere' WHERE id = 1")
    conn.commit()
    conn.close()
    Project.open(path, read_only=True).close()
    assert checks == [1]


def test_clean_close_uncheckpointed_wal_means_a_check(path, checks):
    writer = sqlite3.connect(path)
    writer.execute("PRAGMA wal_autocheckpoint = 0")
    writer.execute("UPDATE documents SET title = 'in the WAL only' WHERE id = 1")
    writer.commit()  # the main file is untouched: its mtime and size still match the record
    try:
        with Project.open(path, read_only=True) as project:
            assert project.document(1).title == "in the WAL only"
    finally:
        writer.close()
    assert checks == [1]


@pytest.mark.parametrize("change", ["copy", "truncate", "touch"])
def test_clean_close_copy_truncation_or_touch_means_a_check(path, tmp_path, checks, change):
    target = path
    if change == "copy":
        target = tmp_path / "copy.annotator"
        shutil.copy2(path, target)  # byte for byte, mtime kept: only the inode tells
    elif change == "truncate":
        recorded = _record(path)[0][0]
        with path.open("r+b") as handle:
            handle.truncate(path.stat().st_size - 4096)
        os.utime(path, ns=(path.stat().st_atime_ns, recorded))  # even with the old mtime put back
    else:
        os.utime(path)
    try:
        Project.open(target, read_only=True).close()
    except ProjectCorrupt:  # a truncated file may be refused before the check: never trusted
        assert change == "truncate"
        return
    assert checks == [1]


def test_clean_close_unverified_session_leaves_no_record(path, checks):
    os.utime(path)  # not as we left it
    with Project.open(path, check=False) as project:  # nobody checks: nothing is known
        project.set_setting("x", "1")
    assert _record(path) == []
    Project.open(path, read_only=True).close()
    assert checks == [1]


def test_clean_close_migration_still_checks_first(path, checks, monkeypatch):
    monkeypatch.setattr(migrations, "LATEST_VERSION", migrations.LATEST_VERSION + 1)
    Project.open(path, check=False).close()
    assert checks == [1]
