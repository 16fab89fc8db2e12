"""Long work in a child process: a function started by ``multiprocessing``, followed from here.

The window's project-wide pre-annotation and training run in a child process: a long run can
never freeze the window, its memory goes back when it ends, and Cancel can always stop it.
The child is *spawned* (a fresh interpreter that imports only what the function needs), never
forked: forking the window's process, which runs Qt threads, corrupted its heap (measured);
in the child spaCy may fork its own workers safely. In a bundle, multiprocessing starts the
bundle's executable, whose entry script calls ``multiprocessing.freeze_support()``.

The function runs as ``function(*args, report=..., cancelled=...)``: ``report(value)`` sends a
picklable value back (progress), ``cancelled()`` turns true when the parent asks it to stop.
Its result comes back from ``ChildFunction.follow``; an exception in it comes back as
``ChildFailed`` naming the exception's class, message and problems, for the workflow to turn
into its own typed error. No command line is re-entered.
"""

from __future__ import annotations

import queue
from collections.abc import Callable
from typing import Any

from .spawning import spawn_context

Report = Callable[[Any], None]


class ChildError(Exception):
    """The child could not be started; the message is for the user."""


class ChildFailed(Exception):
    """The function raised (or the child died): ``kind`` is the exception's class name."""

    def __init__(self, kind: str, message: str, problems: list | None = None):
        super().__init__(message)
        self.kind = kind
        self.problems = list(problems or [])


def _main(function: Callable[..., Any], args: tuple, messages: Any, stop: Any) -> None:
    def report(value: Any) -> None:
        messages.put(("report", value))

    try:
        result = function(*args, report=report, cancelled=stop.is_set)
    except SystemExit as exc:  # a command-line library finishing (spaCy's train): its status
        code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
        messages.put(("done", code) if code == 0 else ("failed", "SystemExit", f"status {code}", []))
    except BaseException as exc:  # noqa: BLE001 - everything goes back to the parent, typed by name
        problems = getattr(exc, "problems", None)  # an InputError's Problems (frozen dataclasses: they pickle)
        messages.put(("failed", type(exc).__name__, str(exc), list(problems) if isinstance(problems, list) else []))
    else:
        messages.put(("done", result))


class ChildFunction:
    """Start ``function(*args, report=, cancelled=)`` in a spawned process."""

    def __init__(self, function: Callable[..., Any], *args: Any):
        context = spawn_context()
        self.messages = context.Queue()
        self.stop_event = context.Event()
        # Not a daemon: the function may start worker processes of its own (spaCy's n_process).
        self.process = context.Process(target=_main, args=(function, args, self.messages, self.stop_event),
                                       name="annotator-child")
        try:
            self.process.start()
        except OSError as exc:
            raise ChildError(f"cannot start a worker process ({exc})") from exc

    def follow(self, cancelled: Callable[[], bool], on_report: Report = lambda _value: None, *,
               idle: Callable[[], None] = lambda: None, graceful: bool = True, poll: float = 0.2) -> Any:
        """The function's result, calling ``on_report`` with each reported value and ``idle``
        between messages. When ``cancelled()`` turns true the child is asked to stop
        (``graceful``: it sees ``cancelled()`` and finishes its batch; else it is terminated
        and ``ChildFailed("Cancelled", ...)`` is raised)."""
        while True:
            if cancelled() and not self.stop_event.is_set():
                self.stop_event.set()
                if not graceful:
                    self.stop()
                    raise ChildFailed("Cancelled", "cancelled")
            try:
                message = self.messages.get(timeout=poll)
            except queue.Empty:
                idle()
                if not self.process.is_alive():
                    try:
                        message = self.messages.get(timeout=poll)  # what it said last, if anything
                    except queue.Empty:
                        raise ChildFailed("Died", f"the worker process stopped (status {self.process.exitcode})") \
                            from None
                else:
                    continue
            if message[0] == "report":
                on_report(message[1])
                continue
            idle()
            self.process.join(30)
            if message[0] == "done":
                return message[1]
            raise ChildFailed(*message[1:])

    def stop(self, grace: float = 5.0) -> None:
        """Terminate the child if it still runs (then kill it if it lingers)."""
        if self.process.is_alive():
            self.process.terminate()
            self.process.join(grace)
            if self.process.is_alive():
                self.process.kill()
                self.process.join()

    @property
    def exitcode(self) -> int | None:
        return self.process.exitcode
