"""Who has the project open for editing: one row, with a heartbeat.

SQLite's own locking keeps every write safe; this lock is for people: a second window or
process is told who is editing (name, host, since when) and can open the project read-only
instead of two annotators overwriting each other's decisions unawares. A lock whose process
is gone (same host) or whose heartbeat stopped (another host) is stale and can be taken.
"""

from __future__ import annotations

import os
import socket
import uuid
from dataclasses import dataclass
from datetime import datetime, timezone

STALE_AFTER_SECONDS = 120.0


@dataclass(frozen=True)
class LockHolder:
    holder: str
    host: str
    pid: int
    token: str
    acquired_at: str
    heartbeat_at: str

    def describe(self) -> str:
        return f"{self.holder} on {self.host} (process {self.pid}) since {self.acquired_at[:16].replace('T', ' ')} UTC"


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

    def lock_holder(self) -> LockHolder | None:
        rows = list(self.db.query("SELECT holder, host, pid, token, acquired_at, heartbeat_at FROM session_lock"))
        return LockHolder(**rows[0]) if rows else None

    def is_lock_live(self, holder: LockHolder, stale_after: float = STALE_AFTER_SECONDS) -> bool:
        if holder.token == self._lock_token:
            return True
        if holder.host == socket.gethostname():
            return _pid_alive(holder.pid)
        return _age_seconds(holder.heartbeat_at) < stale_after

    def acquire_lock(self, holder: str, *, force: bool = False) -> LockHolder | None:
        """Take the editing lock; returns None on success, or the live holder who has it."""
        with self.transaction():
            current = self.lock_holder()
            if current is not None and not force and current.token != self._lock_token and self.is_lock_live(current):
                return current
            token = self._lock_token or uuid.uuid4().hex
            now = self._now()
            self.db.execute(
                "INSERT INTO session_lock (id, holder, host, pid, token, acquired_at, heartbeat_at)"
                " VALUES (1, ?, ?, ?, ?, ?, ?) ON CONFLICT(id) DO UPDATE SET holder = excluded.holder,"
                " host = excluded.host, pid = excluded.pid, token = excluded.token,"
                " acquired_at = excluded.acquired_at, heartbeat_at = excluded.heartbeat_at",
                [holder, socket.gethostname(), os.getpid(), token, now, now])
            self._lock_token = token
        return None

    def heartbeat(self) -> bool:
        """Refresh our lock; False if someone took it over (forced) meanwhile."""
        if self._lock_token is None:
            return False
        with self.transaction():
            cursor = self.db.execute("UPDATE session_lock SET heartbeat_at = ? WHERE token = ?",
                                     [self._now(), self._lock_token])
        return cursor.rowcount == 1

    def release_lock(self) -> None:
        if self._lock_token is None:
            return
        with self.transaction():
            self.db.execute("DELETE FROM session_lock WHERE token = ?", [self._lock_token])
        self._lock_token = None
