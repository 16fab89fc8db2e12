"""The Layers menu's counts (spans, claims and documents of each layer), off the GUI thread.

Counting is a pass over every span (1.4 s at 100,000 documents and 2.4 million spans), so View > Layers opens
at once with its entries named, and a ``Job`` counts on a connection of its own; the menu's
entries are filled in when it ends. The counts are kept until the project changes (an edit,
an import, a merge or a split, a sync: ``forget``), so the menu opened again shows them at
once. Each count remembers the generation it started in: an answer counted before a change is
dropped, never shown over a newer one.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

from PySide6.QtCore import QObject, Signal

from ...core.team import Layer
from ...store import Project
from ..jobs.worker import Job, JobCancelled, JobContext


def count_layers(project: Project) -> dict[str, Layer]:
    """Every layer of the project with its counts, by ref (what ``other_layers(counted=True)`` reads)."""
    return {layer.ref: layer for layer in project.layers()}


def count(path: Path, ctx: JobContext) -> dict[str, Layer]:
    """The job: count on a connection of its own whose queries stop as soon as Cancel is
    asked (a window closing mid-count then waits milliseconds, not the rest of the pass)."""
    with Project.open(path, check=False, read_only=True) as project:
        project.stop_queries_when(ctx.is_cancelled)
        try:
            counts = count_layers(project)
        except sqlite3.OperationalError:
            if ctx.is_cancelled():
                raise JobCancelled from None
            raise
    ctx.check_cancelled()
    return counts


class LayerCounts(QObject):
    counted = Signal(object)  # dict ref -> core.team.Layer: the project as it is now
    failed = Signal(str)  # why the layers could not be counted

    def __init__(self, path: Path, parent: QObject | None = None):
        super().__init__(parent)
        self.path = path
        self.counts: dict[str, Layer] | None = None  # None: not counted since the last change
        self.generation = 0  # moved on by every change of the project
        self._current: Job | None = None  # counting for this generation
        self._running: set[Job] = set()  # every count not ended yet (older ones too)

    @property
    def counting(self) -> bool:
        """Counting for the project as it is now."""
        return self._current is not None

    @property
    def running(self) -> int:
        """Counts not ended yet, older ones (stopped, their answer to be dropped) included."""
        return len(self._running)

    def request(self) -> None:
        """Count now unless the counts are known or being counted (``counted`` follows)."""
        if self.counts is not None or self._current is not None:
            return
        generation, path = self.generation, self.path
        job = Job(lambda ctx: count(path, ctx), parent=self)
        job.succeeded.connect(lambda counts: self._done(generation, counts))
        job.failed.connect(lambda error, _trace: self._failed(generation, error))
        job.finished.connect(lambda: self._ended(job))
        self._running.add(job)
        self._current = job
        job.start()

    def forget(self) -> None:
        """The project changed: the counts known or being counted are out of date."""
        self.generation += 1
        self.counts = None
        if self._current is not None:  # its answer would be dropped: stop spending a core on it
            self._current.cancel()
            self._current = None

    def stop(self) -> None:
        """The window closes: every count stops, and is waited for (milliseconds: its query stops)."""
        self._current = None
        for job in list(self._running):
            job.cancel_and_wait()

    def _done(self, generation: int, counts: dict[str, Layer]) -> None:
        if generation != self.generation:
            return  # counted before a change: a newer count has (or will have) the answer
        self.counts = counts
        self.counted.emit(counts)

    def _failed(self, generation: int, error: BaseException) -> None:
        if generation == self.generation:
            self.failed.emit(str(error) or type(error).__name__)

    def _ended(self, job: Job) -> None:
        self._running.discard(job)
        if self._current is job:
            self._current = None
