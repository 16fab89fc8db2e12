"""Import saved web pages (``--format html``) with the extraction spread over worker processes.

Extracting a page (trafilatura) costs milliseconds of pure Python; storing its text costs
microseconds. So worker processes extract (formats.html_page.article_record, a plain
function) and this process stores their records in the order of the files, through the
import path (importing.import_records), a batch of pages per transaction, each page a
savepoint of its own. With no workers it is the same with the extraction in this process.
"""

from __future__ import annotations

import concurrent.futures as cf
import multiprocessing
import os
import sys
import threading
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

from ..core.problems import Problem
from ..core.records import DocumentRecord
from ..core.textutil import path_text
from ..formats.html_page import article_record
from ..store.project import Project
from .importing import FileReport, ImportCancelled, ImportOptions, ImportReport, Progress, expand_paths, import_records
from .spawning import spawn_context

WORKERS = 2
PARALLEL_FROM = 50  # pages: below this, starting worker processes costs more than it saves
TASK_PAGES = 8  # pages per task sent to a worker
BATCH_PAGES = 100  # pages stored per transaction


def extract_pages(paths: list[Path]) -> list[DocumentRecord | Problem]:
    """A worker's task: one record (or problem) per page, in order."""
    return [article_record(path) for path in paths]


def choose_workers(workers: int | None, pages: int) -> int:
    if workers is not None:
        return max(0, workers)
    return min(WORKERS, os.cpu_count() or 1) if pages >= PARALLEL_FROM else 0


def import_pages(project: Project, paths: Iterable[str | Path], options: ImportOptions = ImportOptions(format="html"),
                 workers: int | None = None, progress: Progress | None = None,
                 cancelled: Callable[[], bool] = lambda: False) -> ImportReport:
    """Every page under ``paths`` as one document; raises ``ImportCancelled`` with the report
    of the pages stored before the cancel."""
    files, path_problems = expand_paths(paths, "html")
    report = ImportReport()
    if path_problems:
        notices = FileReport("<arguments>", "-")
        notices.problems = path_problems
        notices.refused = any(p.is_error for p in path_problems)
        report.files.append(notices)
        if notices.refused:
            return report
    pages = [path for path, _fmt, _how in files]
    batch: list[tuple[str, str, list[DocumentRecord | Problem]]] = []
    done = 0
    for path, record in _extracted(pages, choose_workers(workers, len(pages)), cancelled):
        if record is None:
            _store(project, batch, options, report)
            raise ImportCancelled(report)
        batch.append((path_text(path), "html", [record]))
        done += 1
        if len(batch) >= BATCH_PAGES:
            _store(project, batch, options, report)  # empties the batch
        if progress:
            progress(done, len(pages), path_text(path), 0)
    _store(project, batch, options, report)
    return report


def _store(project: Project, batch: list, options: ImportOptions, report: ImportReport) -> None:
    if batch:
        report.files.extend(import_records(project, batch, options))
        batch.clear()


def _start_method() -> multiprocessing.context.BaseContext:
    """Forked where that is safe (Linux, one thread, no Qt: the command line), with the
    extractor loaded once before: a spawned worker starts a Python and loads annotator and
    trafilatura again (0.4 s of CPU each, measured), a forked one shares what is loaded.
    Spawned anywhere else: forking a process that runs threads can deadlock, and Qt's own
    threads are invisible to ``threading``."""
    if sys.platform == "linux" and threading.active_count() == 1 and "PySide6" not in sys.modules:
        import trafilatura  # noqa: F401, PLC0415 - loaded here so that the workers inherit it

        return multiprocessing.get_context("fork")
    return spawn_context()


def _extracted(pages: list[Path], workers: int, cancelled: Callable[[], bool]
               ) -> Iterator[tuple[Path, DocumentRecord | Problem | None]]:
    """(page, its record) in the order of ``pages``; (page, None) once cancelled."""
    tasks = [pages[i : i + TASK_PAGES] for i in range(0, len(pages), TASK_PAGES)]
    if not workers:
        for task in tasks:
            for path in task:
                if cancelled():
                    yield path, None
                    return
                yield path, article_record(path)
        return
    with cf.ProcessPoolExecutor(workers, mp_context=_start_method()) as pool:
        in_flight: list[tuple[list[Path], cf.Future]] = []
        queued = iter(tasks)
        try:
            while True:
                while len(in_flight) < 2 * workers:  # memory stays flat however many pages
                    task = next(queued, None)
                    if task is None:
                        break
                    in_flight.append((task, pool.submit(extract_pages, task)))
                if not in_flight:
                    return
                task, future = in_flight.pop(0)
                for path, record in zip(task, future.result(), strict=True):
                    yield path, record
                if cancelled():
                    yield task[-1], None
                    return
        finally:
            for _task, future in in_flight:
                future.cancel()
