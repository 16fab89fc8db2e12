"""Who has which document, in the real window's document list: a chip per assignee on each row,
and "Only those assigned to me" (with Next To Do keeping to them), checked against the
assignment stored in the file."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from ui_team_projects import DOCS
from ui_projects import write_documents
from window_driver import key, rows, show_window

from annotator.store import Project
from annotator.ui.common.settings import Settings
from annotator.ui.views.document_model import AssignedRole
from annotator.ui.window.main_window import MainWindow
from annotator.workflows.splitting import SplitOptions, split_project

K, M = Qt.Key, Qt.KeyboardModifier
MORE = [(f"Note {i}", f"A short note number {i} about the weather.") for i in range(1, 6)]


@pytest.fixture
def path(tmp_path):
    location = tmp_path / "study.annotator"
    with Project.create(location) as lead:
        write_documents(lead, [*DOCS, *MORE])
        split_project(lead, tmp_path / "team", SplitOptions(("alice", "bob"), overlap_docs=2, seed=3))
    return location


def assigned_titles(path, name: str) -> list[str]:
    return [title for (title,) in rows(path, "SELECT documents.title FROM assignments JOIN documents ON"
                                             " documents.id = doc_id JOIN annotators ON annotators.id = annotator_id"
                                             f" WHERE annotators.name = '{name}' ORDER BY documents.position")]


def listed(window) -> list[str]:
    model = window.document_model
    return [model.summary(r).title for r in range(model.rowCount())]


def test_team_assignment_mine_filter_lists_only_my_documents(path, qtbot):
    Settings().set_value("annotator/name", "alice")
    win = show_window(qtbot, MainWindow(Project.open(path), owns_project=True), size=(1100, 600), focus_text=True)
    try:
        mine = assigned_titles(path, "alice")
        assert 2 < len(mine) < len(DOCS) + len(MORE)  # the 2 shared ones and about half the rest
        pane = win.document_pane
        assert pane.mine_filter.isVisible() and pane.mine_filter.text() == f"Only those assigned to alice ({len(mine)})"
        # Every row says who has it, as stored.
        model = win.document_model
        for row in range(model.rowCount()):
            who = model.index(row, 0).data(AssignedRole)
            assert ("alice" in who) == (model.summary(row).title in mine) and who
        qtbot.mouseClick(pane.mine_filter, Qt.MouseButton.LeftButton, pos=pane.mine_filter.rect().center())
        assert pane.mine_filter.isChecked() and listed(win) == mine
        # Next To Do (Ctrl+J) keeps to alice's documents, from the last one around to the first.
        win.navigation.go_to(model.summary(len(mine) - 1).id)
        win.text_view.setFocus()
        key(qtbot, win, K.Key_J, M.ControlModifier)
        assert win.session.shown.title == mine[0]
        qtbot.mouseClick(pane.mine_filter, Qt.MouseButton.LeftButton, pos=pane.mine_filter.rect().center())
        assert len(listed(win)) == len(DOCS) + len(MORE)
    finally:
        win.shut_down()


def test_team_assignment_nothing_shown_without_one(make_project, qtbot):
    Settings().set_value("annotator/name", "alice")
    win = show_window(qtbot, MainWindow(make_project(list(DOCS))))
    try:
        assert not win.document_pane.mine_filter.isVisible()
        assert win.document_model.index(0, 0).data(AssignedRole) == []
    finally:
        win.shut_down()
