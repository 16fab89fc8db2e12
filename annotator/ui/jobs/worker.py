"""Run one long job (import, export, pre-annotation, training) off the GUI thread.

    job = Job(lambda ctx: import_paths(Project.open(path), paths, progress=ctx.progress,
                                       cancelled=ctx.is_cancelled), parent=dialog)
    job.progress.connect(show_progress)      # whatever the function passed to ctx.progress
    job.succeeded.connect(show_result)       # its return value
    job.cancelled.connect(show_partial)      # JobCancelled.partial (or None)
    job.failed.connect(show_error)           # the exception and its formatted traceback
    job.finished.connect(tidy_up)            # always, last, after the thread has ended
    job.start()
    ...
    job.cancel()                             # asks; the function stops at its next check

Every signal is emitted on the GUI thread (the Job lives there and re-emits what the thread
reports), so connecting lambdas is safe. Progress is coalesced to at most one report per
``PROGRESS_INTERVAL`` seconds: a function may report every record without flooding the event
loop, and the last report before the end is never lost. The function runs with nothing of
the GUI's: a job that needs the project opens its OWN ``Project`` (one per thread) inside.

A running job keeps itself alive until it ends, so dropping the last reference cannot destroy
a running thread; a window that closes mid-job calls ``cancel_and_wait()``. Once ``finished``
has gone out the Job leaves its parent and deletes its Qt side (``deleteLater``), so a widget
that starts a job per document does not collect them as children; what a caller may still ask
of a reference it kept (``is_running``, ``is_cancel_requested``, ``cancel``, ``wait``) stays safe.

Why it leaves its parent first: deleting a QObject frees the Python slots connected to its
signals, and a slot (a lambda using a dialog's ``self``) may hold the last reference to the
parent. Were the Job still its child, the parent would be destroyed inside the Job's destructor
and delete the Job a second time: heap corruption (``malloc_consolidate(): unaligned fastbin
chunk``, "pure virtual method called"). Detached, the parent may go at any time.
"""

from __future__ import annotations

import contextlib
import threading
import time
import traceback
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QEvent, QObject, QThread, Signal, Slot
from PySide6.QtWidgets import QApplication

PROGRESS_INTERVAL = 0.05  # seconds: 20 updates a second is smooth and costs nothing

_running: set[Job] = set()
# Finished jobs, detached from their parent, until Qt deletes them: their caller may keep no
# reference, and Python dropping the last one would delete the Job inside its own slot.
_leaving: set[Job] = set()


class JobCancelled(Exception):
    """Raised by a job function that stopped because it was asked to; may carry what got done."""

    def __init__(self, partial: Any = None):
        self.partial = partial
        super().__init__("cancelled")


class JobContext:
    """What the job function gets: report progress, and ask whether to stop."""

    def __init__(self, report: Callable[[Any], None]):
        self._report = report
        self._cancel = threading.Event()
        self._lock = threading.Lock()
        self._pending: tuple[Any] | None = None
        self._last_sent = 0.0

    def progress(self, *values: Any, step: bool = False) -> None:
        """Report progress: one value is passed as it is, several as a tuple. Reports closer
        together than PROGRESS_INTERVAL are thinned, except a ``step`` (a few, each of which
        the user should see, such as a sync's send/receive)."""
        value = values[0] if len(values) == 1 else values
        now = time.monotonic()
        with self._lock:
            if now - self._last_sent < PROGRESS_INTERVAL and not step:
                self._pending = (value,)
                return
            self._pending = None
            self._last_sent = now
        self._report(value)

    def step(self, done: int, total: int, text: str) -> None:
        """Progress of work done in a few steps (a sync: send, receive, write), as workflows'
        ``progress(done, total, message)`` callbacks take it: each step is reported, and the
        work stops here when Cancel was asked (not past the last step: then all is done)."""
        if done < total:
            self.check_cancelled()
        self.progress(done, total, text, step=True)

    def is_cancelled(self) -> bool:
        return self._cancel.is_set()

    def check_cancelled(self, partial: Any = None) -> None:
        """Raise ``JobCancelled`` if the job was asked to stop."""
        if self._cancel.is_set():
            raise JobCancelled(partial)

    def _flush(self) -> None:
        with self._lock:
            pending, self._pending = self._pending, None
        if pending is not None:
            self._report(pending[0])


class _Thread(QThread):
    # Emitted from the worker thread; the Job (GUI thread) receives them queued.
    reported = Signal(object)

    def __init__(self, function: Callable[[JobContext], Any]):
        super().__init__()
        self.function = function
        self.context = JobContext(self.reported.emit)
        self.outcome: tuple[str, Any, str] | None = None

    def run(self) -> None:
        try:
            result = self.function(self.context)
            self.context._flush()
            self.outcome = ("succeeded", result, "")
        except JobCancelled as exc:
            self.context._flush()
            self.outcome = ("cancelled", exc.partial, "")
        except BaseException as exc:  # noqa: BLE001 - every failure is reported, none kills the program
            self.context._flush()
            self.outcome = ("failed", exc, traceback.format_exc())


class Job(QObject):
    """One run of a function on a thread of its own. Start once; make a new Job to run again."""

    progress = Signal(object)
    succeeded = Signal(object)
    cancelled = Signal(object)
    failed = Signal(object, str)  # the exception, its traceback as text
    finished = Signal()

    def __init__(self, function: Callable[[JobContext], Any], parent: QObject | None = None):
        super().__init__(parent)
        self._thread = _Thread(function)
        self._context = self._thread.context
        self._thread.reported.connect(self._on_reported)
        self._thread.finished.connect(self._on_thread_finished)
        self._started = False
        self._done = False

    @property
    def is_running(self) -> bool:
        return self._started and not self._done

    @property
    def is_cancel_requested(self) -> bool:
        return self._context.is_cancelled()

    def start(self) -> None:
        if self._started:
            raise RuntimeError("a Job runs once; make a new one to run again")
        self._started = True
        _running.add(self)
        app = QApplication.instance()
        if app is not None:
            app.aboutToQuit.connect(self.cancel_and_wait)
        self._thread.start()

    def cancel(self) -> None:
        """Ask the function to stop; it ends at its next ``is_cancelled`` check."""
        self._context._cancel.set()

    def wait(self, timeout_ms: int = -1) -> bool:
        """Block until the thread has ended and the outcome signals went out; True if it did."""
        if not self._started or self._done:
            return True
        if timeout_ms < 0:
            self._thread.wait()
        elif not self._thread.wait(timeout_ms):
            return False
        self._on_thread_finished()  # deliver now: the queued call may not have run yet
        return True

    def cancel_and_wait(self, timeout_ms: int = -1) -> bool:
        self.cancel()
        return self.wait(timeout_ms)

    @Slot(object)
    def _on_reported(self, value: Any) -> None:
        if not self._done:
            self.progress.emit(value)

    @Slot()
    def _on_thread_finished(self) -> None:
        if self._done or self._thread.outcome is None:
            return
        self._thread.wait()  # "finished" is emitted just before the thread really ends
        self._done = True
        _running.discard(self)
        app = QApplication.instance()
        if app is not None:
            with contextlib.suppress(RuntimeError, TypeError):
                app.aboutToQuit.disconnect(self.cancel_and_wait)
        kind, value, trace = self._thread.outcome
        if kind == "succeeded":
            self.succeeded.emit(value)
        elif kind == "cancelled":
            self.cancelled.emit(value)
        else:
            self.failed.emit(value, trace)
        self.finished.emit()
        # Leave the parent before going (see the module's docstring): the slots freed with this
        # Job may hold the parent's last reference, and a parent dying then must not delete it.
        self.setParent(None)
        _leaving.add(self)
        self.deleteLater()

    def event(self, event: QEvent) -> bool:
        if event.type() == QEvent.Type.DeferredDelete:
            _leaving.discard(self)  # this call still holds the wrapper while Qt deletes the Job
        return super().event(event)
