"""Qt test setup: settings in Qt's test location, cleared per test; small projects on demand."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings, QStandardPaths
from ui_projects import Doc, write_documents

from annotator.store import Project


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
