"""File > Team > Split… and Merge Annotations From… in the real window: each runs as a job with
progress and Cancel, and what it wrote is read back from the SQLite files; the window catches up
(the assignment in the document list, the merged layers in View > Layers)."""

from __future__ import annotations

import threading

import pytest
from PySide6.QtCore import Qt
from modal import when_modal
from ui_team_projects import DOCS, make_team_project
from ui_projects import write_documents
from window_driver import rows, show_window

from annotator.store import Project
from annotator.ui.team import merge_dialog
from annotator.ui.views.document_model import AssignedRole
from annotator.ui.window.main_window import MainWindow

JOB_TIMEOUT_MS = 30_000
SPANS = 'SELECT annotator, start, "end", label FROM span_view ORDER BY annotator, start'


def click(qtbot, widget) -> None:
    qtbot.mouseClick(widget, Qt.MouseButton.LeftButton)


@pytest.fixture
def lead(make_project, qtbot):
    project = make_project([(title, text) for title, text in DOCS], name="study.annotator")
    win = show_window(qtbot, MainWindow(project), size=(1100, 600))
    yield win
    win.shut_down()


def test_team_split_dialog_writes_one_file_each_and_records_the_assignment(lead, tmp_path, qtbot):
    out = tmp_path / "team"
    seen = {}

    def work(dialog):
        dialog.names_edit.clear()
        qtbot.keyClicks(dialog.names_edit, "alice, bob")
        dialog.count_radio.setChecked(True)
        dialog.count_spin.setValue(1)  # one document both get; the other two dealt out
        dialog.output_edit.setText(str(out))
        seen["plan"] = dialog.plan_label.text()
        click(qtbot, dialog.action_button)
        qtbot.waitUntil(lambda: dialog.result is not None and not dialog.is_running, timeout=JOB_TIMEOUT_MS)
        seen["headline"] = dialog.headline.text()
        click(qtbot, dialog.close_button)

    when_modal(qtbot, work)
    lead.actions_by_id["file.team_split"].trigger()
    assert seen["plan"].startswith("1 document goes to everyone") and "about 2 documents per annotator" in seen["plan"]
    assert seen["headline"].startswith("Split 3 documents among 2 annotators (1 shared by all)")
    assert sorted(p.name for p in out.iterdir()) == ["alice.annotator", "bob.annotator"]
    assigned = rows(lead.session.project.path, "SELECT annotators.name, count(*) FROM assignments JOIN annotators"
                    " ON annotators.id = assignments.annotator_id GROUP BY annotators.name ORDER BY 1")
    assert assigned == [("alice", 2), ("bob", 2)]  # 1 shared + 1 of the 2 others each
    for name in ("alice", "bob"):
        with Project.open(out / f"{name}.annotator", read_only=True) as copy:
            assert copy.document_count() == 2 and copy.own_annotator().name == name
    # The document list shows who has which document.
    model = lead.document_model
    shown = [model.index(r, 0).data(AssignedRole) for r in range(model.rowCount())]
    assert sorted(map(tuple, shown)) == [("alice",), ("alice", "bob"), ("bob",)]
    assert "Assigned to " in model.index(0, 0).data(Qt.ItemDataRole.ToolTipRole)


def test_team_merge_dialog_brings_each_layer_in_and_says_so_again(tmp_path, qtbot):
    path = make_team_project(tmp_path, merge=False)
    files = [tmp_path / "team" / f"{name}.annotator" for name in ("alice", "bob")]
    win = show_window(qtbot, MainWindow(Project.open(path), owns_project=True), size=(1100, 600))
    headlines = []

    def work(dialog):
        dialog.add_files(files)
        dialog.add_labels_check.setChecked(False)
        click(qtbot, dialog.action_button)
        qtbot.waitUntil(lambda: dialog.result is not None and not dialog.is_running, timeout=JOB_TIMEOUT_MS)
        headlines.append((dialog.headline.text(), dialog.result_view.toPlainText()))
        click(qtbot, dialog.close_button)

    try:
        assert rows(path, SPANS) == []
        when_modal(qtbot, work)
        win.actions_by_id["file.team_merge"].trigger()
        assert headlines[0][0] == "Merged 2 files."
        merged = rows(path, SPANS)
        assert {r[0] for r in merged} == {"alice", "bob"} and len(merged) == 12
        # The window caught up: a team's project now, the lead's own layer editable, the others offered.
        assert not win.session.layers.merged
        assert [layer.ref for layer in win.layers_control.others()] == ["alice", "bob"]
        # Merging the same files again adds nothing, and says so.
        when_modal(qtbot, work)
        win.actions_by_id["file.team_merge"].trigger()
        assert headlines[1][0] == "Merged 2 files. Nothing new: merged before, or nothing to merge."
        assert rows(path, SPANS) == merged
    finally:
        win.shut_down()


def test_team_merge_dialog_cancel_rolls_the_file_back(tmp_path, qtbot, monkeypatch):
    path = make_team_project(tmp_path, merge=False)
    release = threading.Event()
    real = merge_dialog.merge_source

    def held(*args, **kwargs):  # the merge waits until the test has pressed Cancel
        release.wait(10)
        return real(*args, **kwargs)

    monkeypatch.setattr(merge_dialog, "merge_source", held)
    win = show_window(qtbot, MainWindow(Project.open(path), owns_project=True), size=(1100, 600))
    seen = {}

    def work(dialog):
        dialog.add_files([tmp_path / "team" / "alice.annotator"])
        click(qtbot, dialog.action_button)
        assert dialog.close_button.text() == "&Cancel" and dialog.progress_bar.isVisible()
        click(qtbot, dialog.close_button)  # Cancel
        seen["cancelling"] = dialog.progress_label.text()
        release.set()
        qtbot.waitUntil(lambda: not dialog.is_running, timeout=JOB_TIMEOUT_MS)
        seen["headline"] = dialog.headline.text()
        click(qtbot, dialog.close_button)

    try:
        when_modal(qtbot, work)
        win.actions_by_id["file.team_merge"].trigger()
        assert seen["cancelling"] == "Cancelling: the file being merged is rolled back…"
        assert seen["headline"].startswith("Merge cancelled: the file being merged was rolled back; 0 files")
        assert rows(path, SPANS) == []
    finally:
        release.set()
        win.shut_down()


def test_team_dialogs_are_disabled_read_only(make_project, qtbot):
    project = make_project([("One", "Some text.")])
    write_documents(project, [])
    win = show_window(qtbot, MainWindow(project))
    try:
        win._apply_read_only(True)
        assert not win.actions_by_id["file.team_split"].isEnabled()
        assert not win.actions_by_id["file.team_merge"].isEnabled()
        assert win.actions_by_id["analysis.agreement"].isEnabled()  # reading only
    finally:
        win.shut_down()
