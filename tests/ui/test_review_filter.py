"""Review mode's document list filters (docs/review.md): "Needs review" lists exactly the
documents with undecided units, "by disagreement" orders them by units in conflict or
missing; deciding a document's last unit takes it out; leaving review mode lists everything."""

from __future__ import annotations

import test_review_mode as review_tests
from PySide6.QtCore import Qt
from window_driver import key

from annotator.core.review import CONFLICT, MISSING, UNDECIDED
from annotator.store import Project
from annotator.ui.views.document_model import DocumentIdRole
from annotator.ui.views.document_pane import MOST_DISAGREEMENT, NEEDS_REVIEW

K, M = Qt.Key, Qt.KeyboardModifier


path, win = review_tests.path, review_tests.win  # the three-layer project's window, in review mode


def until_counted(win, qtbot) -> None:
    qtbot.waitUntil(lambda: win.review.progress is not None)  # counted off the GUI thread


def listed(win) -> list[int]:
    model = win.document_model
    return [model.index(row, 0).data(DocumentIdRole) for row in range(model.rowCount())]


def counted(path) -> dict[int, tuple[int, int]]:
    """Each document's undecided units and units in conflict or missing, read from the file."""
    with Project.open(path, read_only=True) as project:
        ids = [r[0] for r in project.db.conn.execute("SELECT id FROM documents ORDER BY position")]
        found = {}
        for doc_id in ids:
            units = project.review_document(doc_id).units
            found[doc_id] = (sum(u.state in UNDECIDED for u in units),
                             sum(u.state in (CONFLICT, MISSING) for u in units))
        return found


def choose(win, data: str) -> None:
    combo = win.status_filter
    index = combo.findData(data)
    assert index >= 0 and combo.model().item(index).isEnabled()
    combo.setCurrentIndex(index)


def test_needs_review_lists_the_undecided_and_loses_a_document_once_decided(win, qtbot, path):
    until_counted(win, qtbot)
    assert listed(win) == [1, 2, 3] and win.session.doc_id == 1
    choose(win, NEEDS_REVIEW)
    counts = counted(path)
    assert listed(win) == [d for d, (undecided, _) in counts.items() if undecided] == [1, 2, 3]
    assert win.status_filter.currentText() == "Needs review (3)"
    assert win.document_list.currentIndex().row() == 0 and win.session.doc_id == 1  # the document read stays

    key(qtbot, win, K.Key_PageDown)  # the next document in the list: Lyon, one agreed unit
    assert win.session.doc_id == 2
    key(qtbot, win, K.Key_A, M.ShiftModifier)  # its last unit decided: it needs no review any more
    counts = counted(path)
    assert counts[2][0] == 0
    assert listed(win) == [d for d, (undecided, _) in counts.items() if undecided] == [1, 3]
    assert win.status_filter.currentText() == "Needs review (2)"
    assert win.session.doc_id == 2 and not win.document_list.currentIndex().isValid()  # still read, unlisted
    key(qtbot, win, K.Key_Z, M.ControlModifier)  # undone: back in the list, selected
    assert listed(win) == [1, 2, 3] and win.document_list.currentIndex().row() == 1
    key(qtbot, win, K.Key_Z, M.ShiftModifier | M.ControlModifier)
    assert listed(win) == [1, 3]

    key(qtbot, win, K.Key_Return, M.ControlModifier)  # reviewed, and on to the next needing review
    assert win.session.doc_id == 3 and win.document_list.currentIndex().row() == 1
    key(qtbot, win, K.Key_A, M.ShiftModifier)  # Ada Brook, Norvik Labs
    assert listed(win) == [1, 3]  # the document label URGENT (alice and bob, not carol) is left
    key(qtbot, win, K.Key_Return)  # the majority has it
    assert counted(path)[3][0] == 0 and listed(win) == [1]

    key(qtbot, win, K.Key_R, M.ControlModifier)  # leaving review mode: the whole list, no review entries
    assert not win.review.active
    assert listed(win) == [1, 2, 3] and win.status_filter.currentIndex() == 0
    assert [win.status_filter.itemData(i) for i in range(win.status_filter.count())] == [None, "todo", "done",
                                                                                        "skipped"]
    assert win.document_list.currentIndex().row() == 2 and win.session.doc_id == 3


def test_most_disagreement_first_orders_by_conflicts_and_keeps_list_order_for_ties(win, qtbot, path):
    until_counted(win, qtbot)
    choose(win, MOST_DISAGREEMENT)
    counts = counted(path)
    needing = [d for d, (undecided, _) in counts.items() if undecided]
    expected = sorted(needing, key=lambda d: -counts[d][1])
    assert [counts[d][1] for d in expected] == [6, 1, 0]  # the project has one of each
    assert listed(win) == expected == [1, 3, 2]
    assert win.session.doc_id == 1 and win.document_list.currentIndex().row() == 0
    win.document_list.setFocus()
    key(qtbot, win, K.Key_Down, widget=win.document_list)  # the list in this order is walked as usual
    assert win.session.doc_id == 3
    win.text_view.setFocus()
    key(qtbot, win, K.Key_Return)  # URGENT, the majority's: no disagreement left here
    counts = counted(path)
    assert counts[3] == (2, 0)  # its two agreed entities are still undecided
    # A tie with Lyon now: list order between them; the list re-sorted, the document still selected.
    assert listed(win) == sorted(needing, key=lambda d: -counts[d][1]) == [1, 2, 3]
    assert win.document_list.currentIndex().row() == 2 and win.session.doc_id == 3

    win.status_filter.setCurrentIndex(0)  # All documents: the SQL-paged list again
    assert listed(win) == [1, 2, 3] and win.session.doc_id == 3
    key(qtbot, win, K.Key_R, M.ControlModifier)
    assert listed(win) == [1, 2, 3] and win.status_filter.count() == 4


def test_the_entries_wait_for_the_count_and_a_search_keeps_to_the_review_list(win, qtbot, path):
    until_counted(win, qtbot)
    pane = win.document_pane
    pane.set_review_lists(None, None)  # as entering review mode leaves them before the count
    combo = win.status_filter
    index = combo.findData(NEEDS_REVIEW)
    assert combo.itemText(index) == "Needs review (counting…)" and not combo.model().item(index).isEnabled()
    win.review.lists_changed.emit()  # the count's answer
    choose(win, MOST_DISAGREEMENT)
    assert listed(win) == [1, 3, 2]
    key(qtbot, win, K.Key_F, M.ControlModifier)  # to the search box
    qtbot.keyClicks(pane.search, "in")  # "in Porto", "in Lyon": the list's documents that match, in its order
    pane.apply_search()
    assert listed(win) == [1, 2] and combo.currentData() == MOST_DISAGREEMENT
    assert win.document_model.id_order == [1, 3, 2] and pane.result_label.text() == "2 of 3 needing review match"
    assert combo.currentText() == "Needs review (2 of 3), by disagreement"
    pane.search.clear()
    qtbot.keyClicks(pane.search, "Lyon")
    pane.apply_search()
    assert listed(win) == [2] and win.session.doc_id == 2  # the document read was not listed: the first row
    win.text_view.setFocus()
    key(qtbot, win, K.Key_A, M.ShiftModifier)  # Lyon's one unit decided: in gold, out of the list
    with Project.open(path, read_only=True) as project:
        gold = project.gold_annotator()
        assert [(s.text, s.label) for s in project.layer_spans(2, gold.ref)] == [("Lyon", "GPE")]
    assert listed(win) == [] and pane.result_label.text() == "None of the 2 needing review matches"
    assert combo.currentText() == "Needs review (0 of 2), by disagreement"
    key(qtbot, win, K.Key_F, M.ControlModifier)
    key(qtbot, win, K.Key_Escape)  # Esc clears the search: the whole review list
    assert pane.search.text() == ""
    pane.apply_search()
    assert listed(win) == [1, 3] and combo.currentData() == MOST_DISAGREEMENT
    assert combo.currentText() == "Needs review (2), by disagreement" and not pane.result_label.isVisible()


def test_reviewed_and_next_follows_the_chosen_order(win, qtbot, path):
    until_counted(win, qtbot)
    choose(win, MOST_DISAGREEMENT)
    assert listed(win) == [1, 3, 2]
    key(qtbot, win, K.Key_PageDown)  # the next in this order: document 3
    assert win.session.doc_id == 3
    key(qtbot, win, K.Key_A, M.ShiftModifier)
    key(qtbot, win, K.Key_Return)  # its last unit (URGENT) decided: out of the list
    assert listed(win) == [1, 2]
    key(qtbot, win, K.Key_Return, M.ControlModifier)  # reviewed; on to the row it had (by id it would be 1)
    assert win.session.doc_id == 2 and win.document_list.currentIndex().row() == 1
    key(qtbot, win, K.Key_A, M.ShiftModifier)
    key(qtbot, win, K.Key_Return, M.ControlModifier)  # the last row: round to the first
    assert listed(win) == [1] and win.session.doc_id == 1


def test_a_search_under_a_review_list_counts_the_documents_it_keeps(win, qtbot, path):
    """The filter's count and the result line are of the review list's documents the search
    keeps ("2 of 3"), after each decision too, and the whole list's again once Esc clears it."""
    until_counted(win, qtbot)
    pane, combo = win.document_pane, win.status_filter
    choose(win, NEEDS_REVIEW)
    assert combo.currentText() == "Needs review (3)" and not pane.result_label.isVisible()

    key(qtbot, win, K.Key_F, M.ControlModifier)
    assert pane.search.hasFocus()
    qtbot.keyClicks(pane.search, "in")  # "in Porto", "in Lyon"; not the third document
    qtbot.waitUntil(lambda: combo.currentText() == "Needs review (2 of 3)")  # after the search's short delay
    assert listed(win) == [1, 2] and pane.result_label.isVisible()
    assert pane.result_label.text() == "2 of 3 needing review match"
    assert combo.itemText(combo.findData(MOST_DISAGREEMENT)) == "Needs review (2 of 3), by disagreement"

    key(qtbot, win, K.Key_Down)  # into the results: the first row
    key(qtbot, win, K.Key_Down, widget=win.document_list)  # Lyon
    assert win.session.doc_id == 2
    win.text_view.setFocus()
    key(qtbot, win, K.Key_A, M.ShiftModifier)  # its one unit decided: out of the list, and of the count
    counts = counted(path)
    assert counts[2][0] == 0 and listed(win) == [1]
    assert combo.currentText() == "Needs review (1 of 2)"
    assert pane.result_label.text() == "1 of 2 needing review matches"
    key(qtbot, win, K.Key_Z, M.ControlModifier)  # undone: back in the list and the count
    assert listed(win) == [1, 2] and combo.currentText() == "Needs review (2 of 3)"
    key(qtbot, win, K.Key_Z, M.ShiftModifier | M.ControlModifier)
    assert listed(win) == [1] and combo.currentText() == "Needs review (1 of 2)"

    key(qtbot, win, K.Key_F, M.ControlModifier)
    qtbot.keyClicks(pane.search, "x")  # "inx": nothing
    qtbot.waitUntil(lambda: combo.currentText() == "Needs review (0 of 2)")
    assert listed(win) == [] and pane.result_label.text() == "None of the 2 needing review matches"
    key(qtbot, win, K.Key_Escape)  # clears the search: the whole review list, its whole count
    assert pane.search.text() == ""
    qtbot.waitUntil(lambda: combo.currentText() == "Needs review (2)")
    assert listed(win) == [1, 3] and not pane.result_label.isVisible()
    assert combo.itemText(combo.findData(MOST_DISAGREEMENT)) == "Needs review (2), by disagreement"
