"""Qt test setup: settings in Qt's test location, cleared per test; small projects on demand;
every Qt object a test let go of is deleted at the end of that test, and no Job outlives it."""

from __future__ import annotations

import gc
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path

import pytest
from PySide6.QtCore import QCoreApplication, QEvent, QSettings, QStandardPaths
from ui_projects import Doc, write_documents

from annotator.store import Project
from annotator.ui.jobs import worker

JOB_GRACE_MS = 10_000  # a test's job still running is cancelled and given this long to stop


@pytest.fixture(autouse=True)
def _qt_test_settings(qapp) -> Iterator[None]:
    QStandardPaths.setTestModeEnabled(True)
    qapp.setOrganizationName("annotator-tests")
    qapp.setApplicationName("annotator-tests")
    QSettings().clear()
    yield
    QSettings().clear()


@pytest.fixture
def make_project(tmp_path: Path) -> Iterator[Callable[..., Project]]:
    opened: list[Project] = []

    def make(docs: Sequence[Doc], name: str = "news.annotator") -> Project:
        project = Project.create(tmp_path / name)
        opened.append(project)
        write_documents(project, docs)
        return project

    yield make
    for project in opened:
        project.close()


@pytest.fixture(autouse=True)
def _qt_objects_die_with_their_test(qapp) -> Iterator[None]:
    """Run the deletions a test left pending, and fail it if one of its Jobs outlives it.

    pytest-qt closes a test's widgets with ``deleteLater()``, and ``processEvents()`` never runs
    a deletion posted outside an event loop (Qt 6): left alone, they pile up and run in bulk
    wherever a later test flushes them, and a lifetime bug (an owner freed inside its child's
    destructor: the preferences dialog's heap corruption, issue 11) crashes in the wrong test.
    Here they run in the teardown of the test that made them, once its locals are gone, and so
    do the collections of Qt objects caught in reference cycles (which Python's collector would
    otherwise run at any allocation, on any thread, a job's included). A Job still running, or
    finished but not deleted, would carry a thread or a deletion into the next test: it is
    cancelled, waited for, and reported.
    """
    yield
    running = list(worker._running)  # noqa: SLF001 - the module's own registry of live jobs
    for job in running:
        job.cancel_and_wait(JOB_GRACE_MS)  # the next test starts clean either way
    for _ in range(3):  # a deletion may free objects that post deletions of their own
        gc.collect()
        QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
        qapp.processEvents()
    gc.collect()
    # What is still alive lives on (modules, spaCy's tables, caches): leave it out of later
    # collections, so each test's costs milliseconds rather than 0.1 s over the whole heap.
    gc.freeze()
    undeleted = len(worker._leaving)  # noqa: SLF001
    assert not running and not undeleted, (
        f"{len(running)} job(s) still running and {undeleted} finished but not deleted after the test: "
        "a window or dialog must cancel and wait for its jobs when it closes")
