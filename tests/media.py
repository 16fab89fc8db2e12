"""Places that refuse writes, for tests: a read-only folder or file, a full disk.

Each is made the way this machine allows and the test is skipped cleanly where it cannot be:

- a read-only folder: a tmpfs remounted read-only when running as root (for root, chmod is
  no obstacle), else ``chmod a-w``;
- a read-only file: ``chattr +i`` as root (where the file system has it), else ``chmod a-w``;
- a full disk: a small tmpfs filled to the last byte (root only: mounting needs it).

A module of its own (test modules import it by name, as they do cli_driver).
"""

from __future__ import annotations

import contextlib
import os
import shutil
import stat
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = hasattr(os, "geteuid") and os.geteuid() == 0


def _run(*args: str) -> bool:
    try:
        return subprocess.run(list(args), capture_output=True, timeout=30).returncode == 0
    except (OSError, subprocess.TimeoutExpired):
        return False


class Place:
    """A folder that can be made to refuse writes after the test has put its files in it."""

    def __init__(self, folder: Path, mounted: bool):
        self.folder = folder
        self.mounted = mounted
        self.sealed = False

    def seal(self) -> None:
        """From now on nothing in the folder can be written, created or removed."""
        if self.mounted:
            if not _run("mount", "-o", "remount,ro", str(self.folder)):
                pytest.skip("cannot remount the tmpfs read-only here")
        else:
            for path in [*self.folder.rglob("*"), self.folder]:
                path.chmod(path.stat().st_mode & ~(stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH))
        self.sealed = True

    def unseal(self) -> None:
        if not self.sealed:
            return
        if self.mounted:
            _run("mount", "-o", "remount,rw", str(self.folder))
        else:
            for path in [self.folder, *self.folder.rglob("*")]:
                path.chmod(path.stat().st_mode | stat.S_IWUSR)
        self.sealed = False

    def fill(self) -> None:
        """Use up every free byte (a full disk); ``drain`` gives the room back."""
        with contextlib.suppress(OSError), (self.folder / "filler").open("wb") as handle:
            while True:
                handle.write(b"\0" * 4096)
                handle.flush()
        assert shutil.disk_usage(self.folder).free == 0

    def drain(self) -> None:
        (self.folder / "filler").unlink(missing_ok=True)


@contextlib.contextmanager
def _tmpfs(folder: Path, size: str) -> Iterator[Place]:
    folder.mkdir()
    if not ROOT or not _run("mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(folder)):
        pytest.skip("needs root and a mountable tmpfs")
    place = Place(folder, mounted=True)
    try:
        yield place
    finally:
        if not _run("umount", str(folder)):
            _run("umount", "-l", str(folder))


@contextlib.contextmanager
def read_only_folder(tmp_path: Path) -> Iterator[Place]:
    """A folder to fill, then ``seal()``: read-only like a mounted CD or a write-protected share."""
    folder = tmp_path / "readonly"
    if ROOT:
        with _tmpfs(folder, "64m") as place:
            yield place
        return
    folder.mkdir()
    place = Place(folder, mounted=False)
    try:
        yield place
    finally:
        place.unseal()


@contextlib.contextmanager
def small_disk(tmp_path: Path, size: str = "4m") -> Iterator[Place]:
    """A file system of ``size``; ``fill()`` makes it full."""
    with _tmpfs(tmp_path / "disk", size) as place:
        yield place


@contextlib.contextmanager
def read_only_file(path: Path) -> Iterator[None]:
    """``path`` cannot be written (its folder still can)."""
    if ROOT:
        if not _run("chattr", "+i", str(path)):
            pytest.skip("chattr +i is not available on this file system")
        try:
            yield
        finally:
            _run("chattr", "-i", str(path))
        return
    mode = path.stat().st_mode
    path.chmod(mode & ~(stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH))
    try:
        yield
    finally:
        path.chmod(mode)


def side_files(path: Path) -> list[str]:
    """The -wal/-shm/-journal files beside a project (none should stay after a reading command)."""
    return sorted(p.name for p in path.parent.iterdir() if p.name.startswith(path.name + "-"))


def disk_fills_at(monkeypatch, text: str, message: str = "the disk is full") -> None:
    """The import's writer finds the disk full at the batch holding a document of ``text``
    (what SQLite reports then, as the store turns it into an error), everything before it written."""
    from annotator.store import DiskFull
    from annotator.store.import_writer import ImportWriter

    real = ImportWriter.write

    def write(self, batch):
        if any(p.text == text for p in batch):
            raise DiskFull(message)
        return real(self, batch)

    monkeypatch.setattr(ImportWriter, "write", write)
