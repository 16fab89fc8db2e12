"""Review mode driven with real key events on a project of three layers (tests/review_projects.py:
agreeing, missing, conflicting label, boundaries, claimant and attribute), asserting the gold
rows in the SQLite file after each key, undo and redo (docs/review.md)."""

from __future__ import annotations

import json

import pytest
from PySide6.QtCore import Qt
from review_projects import build, offsets
from window_driver import key, rows, show_window

from annotator.core.team import GOLD_UUID
from annotator.store import Project
from annotator.ui.common.settings import Settings
from annotator.ui.window.main_window import MainWindow

K, M = Qt.Key, Qt.KeyboardModifier
GOLD = ('SELECT start, "end", label, state, decision, agreed, decided_by FROM gold_view WHERE doc_id = ?'
        ' ORDER BY start, "end", state')


@pytest.fixture
def path(tmp_path):
    location = tmp_path / "review.annotator"
    build(location)
    return location


@pytest.fixture
def win(qtbot, path):
    Settings().set_value("annotator/name", "lead")
    window = show_window(qtbot, MainWindow(Project.open(path), owns_project=True), focus_text=True)
    key(qtbot, window, K.Key_R, M.ControlModifier)
    assert window.review.active
    return window


def gold(path, doc: int) -> list[tuple]:
    return rows(path, GOLD.replace("?", str(doc + 1)))


def claim(path) -> tuple | None:
    found = rows(path, "SELECT claimant, cue, (SELECT value FROM claim_values v WHERE v.claim_id = c.id"
                       f" AND attribute = 'stance') FROM claim_view c WHERE annotator_uuid = '{GOLD_UUID}'")
    return found[0] if found else None


def uuids(path, *names: str) -> str:
    found = dict(rows(path, "SELECT name, uuid FROM annotators"))
    return json.dumps([found[n] for n in names])


def entity(doc: int, surface: str, label: str, state: str, decision: str | None, agreed: str | None) -> tuple:
    return (*offsets(doc, surface), label, state, decision, agreed, "lead" if decision else None)


def current(win) -> str:
    unit = win.review.unit
    return win.session.shown.text[unit.start:unit.end]


def test_review_mode_walks_a_document_one_key_per_unit_into_gold(win, qtbot, path):
    assert win.side_tabs.tabText(win.side_tabs.currentIndex()) == "Review"
    qtbot.waitUntil(lambda: win.review.progress is not None)  # counted off the GUI thread
    assert win.status.progress_label.text() == "review as lead: reviewed 0 of 3; 0 of 11 units decided"
    assert win.status.annotator_label.text() == "editing: the gold layer"
    # Gold and three layers side by side leave the document list and the Review tab their room:
    # the columns' headers do not set their width.
    assert win.layer_panes.minimumSizeHint().width() < 400
    assert win.review.pane.model.rowCount() == 7 and current(win) == "Lena Okafor"
    everyone = uuids(path, "alice", "bob", "carol")

    key(qtbot, win, K.Key_A, M.ShiftModifier)  # everything agreed: Lena Okafor
    assert gold(path, 0) == [entity(0, "Lena Okafor", "PERSON", "accepted", "unanimous", everyone)]
    assert current(win) == "Porto"  # the next undecided unit
    key(qtbot, win, K.Key_2)  # bob's GPE (alice had it too)
    assert entity(0, "Porto", "GPE", "accepted", "annotator", uuids(path, "alice", "bob")) in gold(path, 0)
    assert current(win) == "Monday"
    key(qtbot, win, K.Key_Return)  # the majority: alice and bob have it
    assert entity(0, "Monday", "DATE", "accepted", "majority", uuids(path, "alice", "bob")) in gold(path, 0)

    assert win.review.unit.group == "claim"
    key(qtbot, win, K.Key_Return)  # no exact majority: the fields' majorities (alice's claim)
    assert claim(path) == ("Lena Okafor", "told", "asserts")
    assert win.review.unit.group == "claim"  # stays: its fields differ
    key(qtbot, win, K.Key_K)
    key(qtbot, win, K.Key_3)  # claimant as carol gave it
    assert claim(path) == ("city council", "told", "asserts")
    key(qtbot, win, K.Key_S)
    key(qtbot, win, K.Key_2)  # stance as bob gave it
    assert claim(path) == ("city council", "told", "hedges")

    key(qtbot, win, K.Key_Space)  # on to the next undecided unit
    assert current(win) == "Douro"
    key(qtbot, win, K.Key_X)  # carol alone: not gold
    assert entity(0, "Douro", "LOC", "rejected", "rejected", uuids(path, "alice", "bob")) in gold(path, 0)
    assert current(win) == "in May"
    key(qtbot, win, K.Key_1)  # alice's "May", not bob's "in May"
    assert entity(0, "May", "DATE", "accepted", "annotator", uuids(path, "alice", "carol")) in gold(path, 0)
    assert [u.state for u in win.review.units if u.state in ("agreed", "missing", "conflict")] == []
    assert win.status.progress_label.text() == "review as lead: reviewed 0 of 3; 7 of 11 units decided"

    key(qtbot, win, K.Key_Return, M.ControlModifier)  # reviewed, and on to the next document
    assert rows(path, f"SELECT s.doc_id, s.status FROM document_status s JOIN annotators a ON a.id = s.annotator_id"
                      f" WHERE a.uuid = '{GOLD_UUID}'") == [(1, "done")]
    assert win.session.doc_id == 2 and current(win) == "Lyon"
    assert win.status.progress_label.text() == "review as lead: reviewed 1 of 3; 7 of 11 units decided"

    key(qtbot, win, K.Key_Z, M.ControlModifier)  # not reviewed any more; back in that document
    assert rows(path, "SELECT count(*) FROM document_status s JOIN annotators a ON a.id = s.annotator_id"
                      f" WHERE a.uuid = '{GOLD_UUID}' AND s.status = 'done'") == [(0,)]
    assert win.session.doc_id == 1
    key(qtbot, win, K.Key_Z, M.ControlModifier)  # May undecided again, and current
    assert not any(r[:3] == (*offsets(0, "May"), "DATE") for r in gold(path, 0))
    assert current(win) == "in May"
    key(qtbot, win, K.Key_Z, M.ControlModifier, widget=win.text_view)
    key(qtbot, win, K.Key_Z, M.ControlModifier, widget=win.text_view)  # the stance choice
    assert claim(path) == ("city council", "told", "asserts")
    key(qtbot, win, K.Key_Z, M.ShiftModifier | M.ControlModifier)
    assert claim(path) == ("city council", "told", "hedges")


def test_review_mode_refuses_reviewed_while_units_are_undecided_and_majority_without_one(win, qtbot, path):
    key(qtbot, win, K.Key_Return, M.ControlModifier)
    assert "7 units are still undecided" in win.status.currentMessage()
    assert gold(path, 0) == [] and win.session.doc_id == 1
    key(qtbot, win, K.Key_4)  # there are three annotators
    assert "No annotator 4" in win.status.currentMessage() and gold(path, 0) == []
    assert not win.session.stack.canUndo()


def test_review_mode_tagging_keys_edit_gold_and_leaving_goes_back_to_the_own_layer(win, qtbot, path):
    start, end = offsets(0, "Porto")
    win.text_view.set_selection(start, end)
    key(qtbot, win, K.Key_4)  # with a selection a digit is a label key: LOC, in gold, decided by nobody
    assert gold(path, 0) == [(start, end, "LOC", "accepted", None, None, None)]
    unit = next(u for u in win.review.units if u.start == start)
    assert unit.state == "decided" and unit.gold == ((start, end, "LOC"),)
    key(qtbot, win, K.Key_R, M.ControlModifier)  # leave review mode
    assert not win.review.active and win.session.annotator == "lead"
    assert "Review" not in [win.side_tabs.tabText(i) for i in range(win.side_tabs.count())]
    assert win.status.progress_label.text().endswith("done")
    assert win.status.annotator_label.text() == "annotator: lead"
    key(qtbot, win, K.Key_1)  # digits are label keys again, nothing is decided
    assert gold(path, 0) == [(start, end, "LOC", "accepted", None, None, None)]


def test_review_tab_lists_versions_and_tooltips_and_the_list_shows_reviewed(win, qtbot, path):
    pane = win.review.pane
    key(qtbot, win, K.Key_Space)  # Porto: GPE (alice, bob), LOC (carol)
    assert current(win) == "Porto"
    versions = [pane.versions.item(i).text() for i in range(pane.versions.count())]
    assert versions == ["1  alice: GPE “Porto”   ← majority (Enter)", "2  bob: GPE “Porto”   ← majority (Enter)",
                        "3  carol: LOC “Porto”"]
    tip = pane.model.index(win.review.current, 0).data(Qt.ItemDataRole.ToolTipRole)
    assert tip == "annotators differ\nalice, bob: GPE “Porto”\ncarol: LOC “Porto”"
    assert pane.model.index(win.review.current, 0).data() == "≠  GPE “Porto” (label)"
    win.review.choose(0)  # a row clicked
    assert current(win) == "Lena Okafor"
    model = win.document_model
    assert model.index(1, 0).data()[0] == "○"  # gold's status: not reviewed
    key(qtbot, win, K.Key_PageDown)  # Lyon: one agreed unit
    key(qtbot, win, K.Key_A, M.ShiftModifier)
    qtbot.waitUntil(lambda: win.review.progress is not None)
    key(qtbot, win, K.Key_Return, M.ControlModifier)
    assert model.index(1, 0).data()[0] == "✓" and win.session.doc_id != 2


def test_review_mode_says_why_when_there_is_nothing_to_review(make_project, qtbot):
    project = make_project([("A", "Alpha text.")])
    project.close()
    Settings().set_value("annotator/name", "lead")
    window = show_window(qtbot, MainWindow(Project.open(project.path), owns_project=True), focus_text=True)
    key(qtbot, window, K.Key_R, M.ControlModifier)
    assert not window.review.active and "Nothing to review" in window.status.currentMessage()
    assert rows(project.path, "SELECT count(*) FROM annotators WHERE name = 'gold'") == [(0,)]


def test_review_mode_on_a_read_only_file_shows_and_writes_nothing(qtbot, path):
    with Project.open(path) as project:
        project.accept_agreed(1, "lead")
    before = gold(path, 0)
    Settings().set_value("annotator/name", "lead")
    window = show_window(qtbot, MainWindow(Project.open(path, read_only=True), owns_project=True), focus_text=True)
    key(qtbot, window, K.Key_R, M.ControlModifier)
    assert window.review.active and [u.state for u in window.review.units][:2] == ["decided", "conflict"]
    for pressed in (K.Key_1, K.Key_Return, K.Key_X):
        key(qtbot, window, pressed)
    key(qtbot, window, K.Key_A, M.ShiftModifier)
    assert gold(path, 0) == before and not window.session.stack.canUndo()
