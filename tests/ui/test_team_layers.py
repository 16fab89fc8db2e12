"""View > Layers in the real window: a lead's project with Alice's and Bob's work merged in. The
lead edits her own layer; the others are shown beside it read-only, in their colours; keys aimed
at another layer change nothing in the file, and the lead's own tagging lands in her layer."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from ui_team_projects import WORK, at, make_team_project
from window_driver import drag, key, rows, show_window, wait_for_tokens

from annotator.store import Project
from annotator.ui.common.settings import Settings
from annotator.ui.window.main_window import MainWindow

K, M = Qt.Key, Qt.KeyboardModifier
LAYER_ROWS = 'SELECT annotator, start, "end", label FROM span_view ORDER BY annotator, start'


@pytest.fixture
def path(tmp_path):
    return make_team_project(tmp_path)


@pytest.fixture
def window(path, qtbot):
    Settings().set_value("annotator/name", "carol")  # the lead
    win = show_window(qtbot, MainWindow(Project.open(path), owns_project=True), size=(1300, 700), focus_text=True)
    yield win
    win.shut_down()


def shown_spans(view) -> set[tuple[int, int, str]]:
    return {(s.span.start, s.span.end, s.span.label) for s in view.index.all()} if view.index is not None else set()


def expected(name: str, title: str = "Harbour") -> set[tuple[int, int, str]]:
    return {(*at(t, words), label) for t, words, label in WORK[name] if t == title}


def test_team_layers_lead_sees_only_her_own_layer_until_she_asks(window):
    session = window.session
    assert session.annotator == "carol" and not session.layers.merged and session.layers.others == ()
    assert shown_spans(window.text_view) == set()  # alice's and bob's spans are not the lead's to edit
    assert "alice, bob" in window.statusBar().currentMessage()  # told they are there, and how to see them
    assert not window.layer_panes.own_header.isVisible()


def test_team_layers_show_all_read_only_beside_the_article(window, path, qtbot):
    before = rows(path, LAYER_ROWS)
    key(qtbot, window, K.Key_L, M.ControlModifier | M.ShiftModifier)  # View > Layers > Show All Layers
    panes = window.layer_panes.panes
    assert list(panes) == ["alice", "bob"] and window.session.layers.others == ("alice", "bob")
    assert shown_spans(panes["alice"].view) == expected("alice")
    assert shown_spans(panes["bob"].view) == expected("bob")
    assert panes["bob"].header.label.text() == "bob · read-only · done · 4 spans"
    assert window.layer_panes.own_header.isVisible()
    assert window.layer_panes.own_header.label.text() == "carol · your layer, editable"

    # A label key and Delete in Bob's column: refused, said so, nothing written.
    bob = panes["bob"].view
    qtbot.mouseClick(bob.viewport(), Qt.MouseButton.LeftButton)
    for pressed in (K.Key_1, K.Key_Delete):
        qtbot.keyClick(bob, pressed)
        assert "bob's layer, shown read-only" in window.statusBar().currentMessage()
    assert rows(path, LAYER_ROWS) == before

    # The lead tags "Lena Ortiz" PERSON in her own article: it lands in carol's layer only.
    wait_for_tokens(qtbot, window)
    window.text_view.setFocus()
    start, end = at("Harbour", "Lena Ortiz")
    drag(qtbot, window.text_view, start, end - 1)
    key(qtbot, window, K.Key_1)
    after = rows(path, LAYER_ROWS)
    assert sorted(set(after) - set(before)) == [("carol", start, end, "PERSON")] and set(before) <= set(after)
    assert shown_spans(panes["bob"].view) == expected("bob")  # the other columns did not change

    # The lead moves to the next document: every column follows.
    key(qtbot, window, K.Key_PageDown)
    assert window.session.shown.title == "Bridge"
    assert shown_spans(panes["alice"].view) == expected("alice", "Bridge")
    assert shown_spans(panes["bob"].view) == expected("bob", "Bridge")


def test_team_layers_menu_toggles_one_layer_and_the_header_hides_it(window, qtbot):
    menu = window.menuBar().findChild(type(window.menuBar().actions()[0].menu()), "menu.view.layers")
    menu.aboutToShow.emit()  # filled with the project's layers as it opens
    entries = {a.objectName(): a for a in menu.actions() if a.objectName().startswith("view.layer:")}
    assert set(entries) == {"view.layer:alice", "view.layer:bob"}
    # The counts are counted off the GUI thread (layer_counts.py) and written in when done.
    qtbot.waitUntil(lambda: entries["view.layer:bob"].text().startswith("bob  (6 spans"))
    entries["view.layer:bob"].trigger()
    assert window.session.layers.others == ("bob",) and list(window.layer_panes.panes) == ["bob"]
    qtbot.mouseClick(window.layer_panes.panes["bob"].header.close_button, Qt.MouseButton.LeftButton)
    assert window.session.layers.others == () and window.layer_panes.panes == {}
    assert not window.layer_panes.own_header.isVisible()


def test_team_layers_solo_project_keeps_one_editable_layer(make_project, qtbot):
    """An import that named its annotator is no team: every span stays editable, as before."""
    Settings().set_value("annotator/name", "alice")
    project = make_project([("One", "Ana Silva visited Lisbon.", "todo", [(0, 9, "PERSON")])])
    win = show_window(qtbot, MainWindow(project))
    try:
        assert win.session.layers.merged and shown_spans(win.text_view) == {(0, 9, "PERSON")}
        key(qtbot, win, K.Key_L, M.ControlModifier | M.ShiftModifier)
        assert win.session.layers.others == () and win.layer_panes.panes == {}
        assert "nothing to show" in win.statusBar().currentMessage()
    finally:
        win.shut_down()
