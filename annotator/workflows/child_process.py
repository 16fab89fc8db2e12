"""A child process whose output lines we follow, and which we can stop cleanly.

Training (``python -m spacy train``) and the window's project-wide pre-annotation
(``annotator suggest``) run in child processes: a long run can never freeze the window, its
memory goes back when it ends, and spaCy's own worker processes may be forked there safely
(forking the window's process, which runs Qt threads, corrupted its heap: measured).
"""

from __future__ import annotations

import os
import queue
import signal
import subprocess
import threading
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any, TextIO


class ChildError(Exception):
    """The child could not be started; the message is for the user."""


class ChildProcess:
    """Run ``command``; ``follow`` yields its output lines (stdout and stderr merged)."""

    def __init__(self, command: Sequence[str], *, cwd: Path | None = None, log: TextIO | None = None,
                 keep_in_log: Callable[[str], bool] = lambda _line: True):
        env = dict(os.environ, PYTHONUNBUFFERED="1", PYTHONIOENCODING="utf-8")
        # Its own process group (POSIX): a signal reaches the child and everything it started,
        # and a Ctrl+C in a terminal reaches only us, who then stop it in order.
        extra: dict[str, Any] = {"start_new_session": True} if os.name == "posix" else \
            {"creationflags": getattr(subprocess, "CREATE_NEW_PROCESS_GROUP", 0)}
        self.log = log
        self.keep_in_log = keep_in_log
        if log is not None:
            log.write("$ " + " ".join(command) + "\n")
            log.flush()
        try:
            self.process = subprocess.Popen(list(command), cwd=str(cwd) if cwd else None, stdout=subprocess.PIPE,
                                            stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, env=env, text=True,
                                            encoding="utf-8", errors="replace", bufsize=1, **extra)
        except OSError as exc:
            raise ChildError(f"cannot start {Path(command[0]).name} ({exc})") from exc
        self.lines: queue.Queue[str | None] = queue.Queue()
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def _read(self) -> None:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            self.lines.put(line.rstrip("\n"))
        self.lines.put(None)

    def follow(self, cancelled: Callable[[], bool], *, poll: float = 0.2, graceful: bool = False) -> Iterator[str]:
        """Every line until the child ends. When ``cancelled()`` turns true the child is asked to
        stop (``graceful``: SIGINT, and its remaining lines are still read; else terminated)."""
        asked = False
        while True:
            if not asked and cancelled():
                asked = True
                if graceful and os.name == "posix":
                    self.interrupt()
                else:
                    self.stop()
                    return
            try:
                line = self.lines.get(timeout=poll)
            except queue.Empty:
                continue
            if line is None:
                self.process.wait()
                return
            if self.log is not None and self.keep_in_log(line):
                self.log.write(line + "\n")
                self.log.flush()
            yield line

    def interrupt(self) -> None:
        if self.process.poll() is None:
            try:
                os.killpg(self.process.pid, signal.SIGINT)
            except (ProcessLookupError, PermissionError):
                pass

    def stop(self, grace: float = 5.0) -> None:
        """Terminate the child (and anything it started), then kill it if it lingers."""
        if self.process.poll() is not None:
            return
        try:
            if os.name == "posix":
                os.killpg(self.process.pid, signal.SIGTERM)
            else:
                self.process.terminate()
            self.process.wait(grace)
        except (ProcessLookupError, PermissionError):
            pass
        except subprocess.TimeoutExpired:
            if os.name == "posix":
                os.killpg(self.process.pid, signal.SIGKILL)
            else:
                self.process.kill()
            self.process.wait()

    @property
    def returncode(self) -> int | None:
        return self.process.returncode
