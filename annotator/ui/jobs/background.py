"""Work the window does off the GUI thread: checking the file, catching up the search index,
tokenizing articles.

Both run as ``Job``s. The indexer opens a Project of its own on the same file (a Project
belongs to one thread) and indexes in small batches, each its own short transaction, so an
edit made meanwhile waits a few milliseconds at most. The tokenizer runs one article at a
time (spaCy's tokenizer keeps a cache and is not safe to share between threads): a request
made while one runs replaces any waiting request and starts when the running one stops.
"""

from __future__ import annotations

import sqlite3
from collections import OrderedDict
from pathlib import Path

from PySide6.QtCore import QObject, Signal

from ...nlp.tokens import Cancelled, token_spans
from ...store import NotAProject, Project, ProjectCorrupt, ProjectError
from .worker import Job, JobCancelled, JobContext

INDEX_BATCH = 500
TOKEN_CACHE = 8  # articles whose tokens are kept (back and forth between neighbours is free)


def index_pending(path: Path, ctx: JobContext, batch: int = INDEX_BATCH) -> int:
    """Index every pending document of the project at ``path``; returns how many were done."""
    with Project.open(path) as project:
        total = project.search_pending_count()
        remaining = total
        while remaining:
            ctx.check_cancelled(total - remaining)
            remaining = project.update_search_index(batch)
            ctx.progress(total - remaining, total)
        return total


def check_file(path: Path, ctx: JobContext) -> list[str]:
    """What the integrity check finds wrong with the project file (empty: sound).

    On a connection of its own that cannot write, so the check itself never touches the
    file. Raises ProjectError when the check cannot run for another reason than damage
    (a full disk, an I/O error): that says nothing about the file.
    """
    try:
        with Project.open(path, check=False, read_only=True) as project:
            return project.damage()
    except (ProjectCorrupt, NotAProject) as exc:
        return [str(exc)]
    except sqlite3.DatabaseError as exc:
        raise ProjectError(str(exc)) from exc


class IntegrityCheck(QObject):
    """``PRAGMA quick_check`` off the GUI thread: seconds on a project of 100,000 articles, so
    the window opens first and edits wait for the verdict."""

    done = Signal(list)  # the problems found; empty when the file is sound
    unavailable = Signal(str)  # the check could not run (why); nothing is known of the file

    def __init__(self, path: Path, parent: QObject | None = None):
        super().__init__(parent)
        self.path = path
        self.job: Job | None = None

    def start(self) -> None:
        job = Job(lambda ctx: check_file(self.path, ctx), parent=self)
        job.succeeded.connect(self.done.emit)
        job.failed.connect(lambda error, _trace: self.unavailable.emit(str(error)))
        self.job = job
        job.start()

    def stop(self) -> None:
        if self.job is not None:
            self.job.cancel_and_wait()


class SearchIndexer(QObject):
    progress = Signal(int, int)  # done, total
    finished = Signal(int)  # how many were indexed (also after a cancel)

    def __init__(self, path: Path, parent: QObject | None = None):
        super().__init__(parent)
        self.path = path
        self.job: Job | None = None

    @property
    def running(self) -> bool:
        return self.job is not None and self.job.is_running

    def start(self) -> None:
        if self.running:
            return
        job = Job(lambda ctx: index_pending(self.path, ctx), parent=self)
        job.progress.connect(lambda value: self.progress.emit(*value))
        job.succeeded.connect(lambda done: self.finished.emit(done))
        job.cancelled.connect(lambda done: self.finished.emit(done or 0))
        job.failed.connect(lambda _error, _trace: self.finished.emit(0))  # search still scans unindexed text
        self.job = job
        job.start()

    def stop(self) -> None:
        if self.job is not None:
            self.job.cancel_and_wait()


class Tokenizer(QObject):
    ready = Signal(int, object)  # doc id, list of (start, end)

    def __init__(self, language: str, parent: QObject | None = None):
        super().__init__(parent)
        self.language = language
        self._cache: OrderedDict[int, list[tuple[int, int]]] = OrderedDict()
        self._job: Job | None = None
        self._running_doc: int | None = None
        self._waiting: tuple[int, str] | None = None

    def cached(self, doc_id: int) -> list[tuple[int, int]] | None:
        spans = self._cache.get(doc_id)
        if spans is not None:
            self._cache.move_to_end(doc_id)
        return spans

    def request(self, doc_id: int, text: str) -> None:
        """Tokenize an article; ``ready`` follows (at once if cached)."""
        spans = self.cached(doc_id)
        if spans is not None:
            self.ready.emit(doc_id, spans)
            return
        if self._job is not None and self._job.is_running:
            if self._running_doc != doc_id:
                self._waiting = (doc_id, text)
                self._job.cancel()
            return
        self._start(doc_id, text)

    def tokenize_now(self, doc_id: int, text: str) -> list[tuple[int, int]]:
        """On the GUI thread, for callers that cannot wait (waits for a running job first)."""
        spans = self.cached(doc_id)
        if spans is None:
            self.stop()
            spans = token_spans(text, self.language)
            self._store(doc_id, spans)
        return spans

    def stop(self) -> None:
        self._waiting = None
        if self._job is not None:
            self._job.cancel_and_wait()

    def _start(self, doc_id: int, text: str) -> None:
        def run(ctx: JobContext) -> tuple[int, list[tuple[int, int]]]:
            try:
                return doc_id, token_spans(text, self.language, should_stop=ctx.is_cancelled)
            except Cancelled:
                raise JobCancelled from None

        job = Job(run, parent=self)
        job.succeeded.connect(self._done)
        job.finished.connect(self._next)
        self._job = job
        self._running_doc = doc_id
        job.start()

    def _done(self, result: tuple[int, list[tuple[int, int]]]) -> None:
        doc_id, spans = result
        self._store(doc_id, spans)
        self.ready.emit(doc_id, spans)

    def _store(self, doc_id: int, spans: list[tuple[int, int]]) -> None:
        self._cache[doc_id] = spans
        self._cache.move_to_end(doc_id)
        while len(self._cache) > TOKEN_CACHE:
            self._cache.popitem(last=False)

    def _next(self) -> None:
        self._running_doc = None
        waiting, self._waiting = self._waiting, None
        if waiting is not None:
            self.request(*waiting)
