"""Who has the project open for editing: one row, with a heartbeat.

SQLite's own locking keeps every write safe; this lock is for people: a second window or
process is told who is editing (name, host, since when) and can open the project read-only
instead of two annotators overwriting each other's decisions unawares. A lock whose process
is gone (same host) or whose heartbeat stopped (another host) is stale and can be taken.

Windows hold it while open (``kind`` "window"); writing commands (``annotator import``,
``labels --add``...) hold it while they run (``kind`` "command"), so a command never writes
under a window's feet and a second import waits for the first.

A session that lost its lock (another took it over) must not write another byte: every
write transaction checks the lock row's token first (``before_write``, one indexed read of
a one-row table), so the overlap between the old holder and the new one is zero.
"""

from __future__ import annotations

import contextlib
import os
import socket
import time
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import datetime, timezone

from .errors import LockLost, ProjectBusy, ProjectInUse

STALE_AFTER_SECONDS = 120.0
# A write transaction of the lock holder refreshes the heartbeat when it is older than this,
# so a long command (which has no timer) keeps its lock fresh for other hosts.
REFRESH_AFTER_SECONDS = 30.0
LOCK_KINDS = ("window", "command")
POLL_SECONDS = 0.5  # how often a waiting command looks at the lock again


@dataclass(frozen=True)
class LockHolder:
    holder: str
    host: str
    pid: int
    token: str
    acquired_at: str
    heartbeat_at: str
    kind: str = "window"

    def describe(self) -> str:
        return f"{self.holder} on {self.host} (process {self.pid}) since {self.acquired_at[:16].replace('T', ' ')} UTC"

    @property
    def is_command(self) -> bool:
        return self.kind == "command"


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OSError):
        return True  # exists, owned by someone else (or we cannot tell: assume alive)
    return True


def _age_seconds(timestamp: str) -> float:
    then = datetime.strptime(timestamp, "%Y-%m-%dT%H:%M:%S.%fZ").replace(tzinfo=timezone.utc)
    return (datetime.now(timezone.utc) - then).total_seconds()


class LockStore:
    """Mixed into ``Project``."""

    _lock_token: str | None = None
    _lock_bookkeeping = False  # inside acquire/heartbeat/release: they handle a lost lock themselves
    lock_lost = False
    # Called (once, after the refused write was rolled back) when a write finds the lock taken
    # over: the window goes read-only and says so.
    on_lock_lost: Callable[[], None] | None = None

    def lock_holder(self) -> LockHolder | None:
        rows = list(self.db.query("SELECT * FROM session_lock"))
        if not rows:
            return None
        row = rows[0]
        return LockHolder(row["holder"], row["host"], row["pid"], row["token"], row["acquired_at"],
                          row["heartbeat_at"], row.get("kind") or "window")

    def is_lock_live(self, holder: LockHolder, stale_after: float = STALE_AFTER_SECONDS) -> bool:
        if holder.token == self._lock_token:
            return True
        if holder.host == socket.gethostname():
            return _pid_alive(holder.pid)
        return _age_seconds(holder.heartbeat_at) < stale_after

    def live_lock_holder(self) -> LockHolder | None:
        """Someone else who holds the editing lock now (a read: it never waits), or None."""
        current = self.lock_holder()
        if current is None or current.token == self._lock_token or not self.is_lock_live(current):
            return None
        return current

    def acquire_lock(self, holder: str, *, force: bool = False, kind: str = "window") -> LockHolder | None:
        """Take the editing lock; returns None on success, or the live holder who has it."""
        with self._bookkeeping():
            current = self.lock_holder()
            if current is not None and not force and current.token != self._lock_token and self.is_lock_live(current):
                return current
            token = self._lock_token if self._lock_token and not self.lock_lost else uuid.uuid4().hex
            now = self._now()
            self.db.execute(
                "INSERT INTO session_lock (id, holder, host, pid, token, acquired_at, heartbeat_at, kind)"
                " VALUES (1, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT(id) DO UPDATE SET holder = excluded.holder,"
                " host = excluded.host, pid = excluded.pid, token = excluded.token,"
                " acquired_at = excluded.acquired_at, heartbeat_at = excluded.heartbeat_at, kind = excluded.kind",
                [holder, socket.gethostname(), os.getpid(), token, now, now, kind])
            self._lock_token = token
            self.lock_lost = False
        return None

    def acquire_lock_waiting(self, holder: str, *, wait: float | None, notify: Callable[[str], None],
                             kind: str = "command", poll: float = POLL_SECONDS) -> None:
        """Take the editing lock for a command, waiting as ``wait`` allows; raises ``ProjectInUse``.

        ``wait`` None: wait for another command as long as it runs (its work is finite, and its
        lock goes stale if it dies), not for a window (a person may keep it open all day).
        ``wait`` N: wait up to N seconds for either; 0: never wait. ``notify`` is told once
        that we wait, and why.
        """
        deadline = None if wait is None else time.monotonic() + wait
        told = False
        while True:
            current = self.live_lock_holder()
            if current is None:
                try:
                    current = self.acquire_lock(holder, kind=kind)
                except ProjectBusy:  # SQLite's write lock, held by a program that takes no editing lock
                    current = None
                    if deadline is None or time.monotonic() >= deadline:
                        raise
                else:
                    if current is None:
                        return
            if current is not None and not (current.is_command and wait is None) and (
                    deadline is None or time.monotonic() >= deadline):
                raise ProjectInUse(self._in_use_message(current, wait), current)
            if not told:
                notify(self._waiting_message(current, wait))
                told = True
            time.sleep(poll)

    def _in_use_message(self, holder: LockHolder, wait: float | None) -> str:
        if wait:
            return (f"{self.path.name} is still open for editing by {holder.describe()} after waiting {wait:g} s; "
                    "nothing was changed")
        what = "close it there first" if not holder.is_command else "try again when it is done"
        return (f"{self.path.name} is open for editing by {holder.describe()}; nothing was changed: {what}, "
                "or give --wait SECONDS to wait for it")

    def _waiting_message(self, holder: LockHolder | None, wait: float | None) -> str:
        limit = "" if wait is None else f", up to {wait:g} s"
        if holder is None:
            return f"waiting for another program writing to {self.path.name}…{limit or ''}"
        if holder.is_command:
            what = holder.holder.removeprefix("annotator ").strip() or "command"
            what = "import" if what == "import" else f"'annotator {what}'"
            return (f"waiting for another {what} of this project… ({holder.describe()}{limit}; Ctrl+C stops)")
        return f"waiting for {holder.describe()} to close {self.path.name}… ({limit.lstrip(', ') or 'no limit'})"

    def heartbeat(self) -> bool:
        """Refresh our lock; False if someone took it over (forced) meanwhile."""
        if self._lock_token is None or self.lock_lost:
            return False
        with self._bookkeeping():
            cursor = self.db.execute("UPDATE session_lock SET heartbeat_at = ? WHERE token = ?",
                                     [self._now(), self._lock_token])
        if cursor.rowcount != 1:
            self.lock_lost = True
        return cursor.rowcount == 1

    def release_lock(self) -> None:
        if self._lock_token is None:
            return
        if not self.lock_lost:
            with self._bookkeeping():
                self.db.execute("DELETE FROM session_lock WHERE token = ?", [self._lock_token])
        self._lock_token = None

    # ------------------------------------------------------------ every write
    def check_lock_not_lost(self) -> None:
        if self.lock_lost and not self._lock_bookkeeping:
            raise LockLost(self._lost_message())

    def before_write(self) -> None:
        """Inside a write transaction, before its first write: is the editing lock still ours?"""
        if self._lock_token is None or self._lock_bookkeeping:
            return
        row = self.db.execute("SELECT token, heartbeat_at FROM session_lock WHERE id = 1").fetchone()
        if row is None or row[0] != self._lock_token:
            self.lock_lost = True
            raise LockLost(self._lost_message())
        if _age_seconds(row[1]) > REFRESH_AFTER_SECONDS:
            self.db.execute("UPDATE session_lock SET heartbeat_at = ? WHERE id = 1", [self._now()])

    def after_refused_write(self, exc: BaseException) -> None:
        """After the rollback of a write that found the lock lost: tell whoever listens, once."""
        if isinstance(exc, LockLost) and self.on_lock_lost is not None:
            callback, self.on_lock_lost = self.on_lock_lost, None
            callback()

    def _lost_message(self) -> str:
        """Short enough for a status bar: who took over, and that nothing was changed."""
        holder = self.lock_holder()
        who = f"{holder.holder} on {holder.host}" if holder is not None else "another session"
        return f"{who} took this project over: nothing was changed, and it is read-only here now"

    @contextlib.contextmanager
    def _bookkeeping(self) -> Iterator[None]:
        """A write transaction of the lock's own row: no token check, these decide about the lock."""
        self._lock_bookkeeping = True
        try:
            with self.transaction():
                yield
        finally:
            self._lock_bookkeeping = False
