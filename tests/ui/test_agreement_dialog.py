"""Analysis > Agreement…: opened from the real window's menu, computed off the GUI thread; what the
user reads (the matrix, the tables, the disagreements) is checked against hand-computed figures
and against the workflow's own result, and activating a disagreement opens its document with
the two annotators' layers side by side."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from ui_team_projects import at, make_team_project
from window_driver import show_window

from annotator.store import Project
from annotator.ui.window.main_window import MainWindow
from annotator.workflows.agreement import compute_agreement
from annotator.workflows.agreement_report import tables

K = Qt.Key
RUN_TIMEOUT_MS = 90_000  # spaCy's tokenizer loads on the worker thread


@pytest.fixture
def window(tmp_path, qtbot):
    project = Project.open(make_team_project(tmp_path))
    win = show_window(qtbot, MainWindow(project), size=(1200, 700))
    yield win
    win.shut_down()
    project.close()


def open_and_compute(qtbot, window):
    window.actions_by_id["analysis.agreement"].trigger()
    dialog = window.team.agreement_dialog
    qtbot.waitExposed(dialog)
    assert dialog.compute_button.isEnabled()  # both annotators and every label are checked
    qtbot.mouseClick(dialog.compute_button, Qt.MouseButton.LeftButton)
    assert dialog.close_button.text() == "&Cancel"  # running: Close becomes Cancel
    qtbot.waitUntil(lambda: dialog.run_result is not None and not dialog.is_running, timeout=RUN_TIMEOUT_MS)
    return dialog


def test_agreement_dialog_shows_the_hand_computed_figures(window, qtbot):
    dialog = open_and_compute(qtbot, window)
    # alice and bob each gave 6 spans over the 3 documents both marked done. Exact matches:
    # Radio Costa ORG, Monday DATE, Nordbau ORG = 3 -> F1 = 2*3/(6+6) = 0.5. Relaxed adds
    # "Lena Ortiz"/"Mayor Lena Ortiz" PERSON (same label, overlapping) -> 2*4/12 = 0.667;
    # Valparaiso GPE/LOC and Tromso/council differ in label.
    matrix = dialog.matrix_model
    assert matrix.index(0, 1).data() == "0.500\n3 docs" == matrix.index(1, 0).data()
    assert matrix.index(0, 0).data() == "—"  # an annotator with themself
    dialog.figure_combo.setCurrentIndex(dialog.figure_combo.findText("Entities: relaxed span F1"))
    assert matrix.index(0, 1).data() == "0.667\n3 docs"
    assert matrix.index(0, 1).data(Qt.ItemDataRole.BackgroundRole) is not None  # coloured by the figure

    # Every table on screen is the workflow's own result, cell for cell.
    with Project.open(window.session.project.path, read_only=True) as project:
        expected = tables(compute_agreement(project))
    for model, name in ((dialog.pairs_model, "pairs"), (dialog.labels_model, "labels")):
        assert model.table == expected[name]
        assert model.rowCount() == len(expected[name].rows) > 0
    # PERSON: one span each, no exact match, one relaxed: exact F1 0, relaxed 2*1/(1+1) = 1.
    labels = dialog.labels_model
    shown = [[labels.index(r, c).data() for c in range(labels.columnCount())] for r in range(labels.rowCount())]
    assert ["alice", "bob", "entity", "PERSON", "1", "1", "0", "1", "0.000", "1.000"] in shown
    assert "2 annotators, 3 documents" in dialog.summary_label.text()
    assert "Krippendorff's α" in dialog.summary_label.text()


def test_agreement_dialog_disagreement_opens_its_document_with_both_layers(window, qtbot):
    dialog = open_and_compute(qtbot, window)
    dialog.tabs.setCurrentIndex(3)
    model = dialog.disagreement_model
    texts = [model.index(r, 3).data() for r in range(model.rowCount())]
    assert "other label: GPE / LOC" in texts  # Valparaiso
    assert any(t.startswith("only bob: ORG") for t in texts)  # "council"
    row = texts.index("other label: GPE / LOC")
    view = dialog.disagreement_view
    view.setFocus()
    view.setCurrentIndex(model.index(row, 0))
    qtbot.keyClick(view, K.Key_Return)  # activates the row
    session = window.session
    harbour = session.project.document_summaries(0, 10)[0]
    assert session.doc_id == harbour.id and harbour.title == "Harbour"
    assert session.layers.others == ("alice", "bob") and not session.layers.merged
    start, end = at("Harbour", "Valparaiso")
    assert window.text_view.selection() == (start, end)
    panes = window.layer_panes.panes
    assert set(panes) == {"alice", "bob"} and all(p.isVisibleTo(window) for p in panes.values())
    labels = {ref: {(s.span.start, s.span.end, s.span.label) for s in pane.view.index.all()}
              for ref, pane in panes.items()}
    assert (start, end, "GPE") in labels["alice"] and (start, end, "LOC") in labels["bob"]
    assert panes["bob"].view.selection() == (start, end)


def test_agreement_dialog_copies_the_tab_as_csv_and_latex(window, qtbot):
    dialog = open_and_compute(qtbot, window)
    qtbot.mouseClick(dialog.csv_button, Qt.MouseButton.LeftButton)
    csv_text = QGuiApplication.clipboard().text()
    assert csv_text.splitlines()[0].startswith("a,b,") and "alice,bob" in csv_text
    qtbot.mouseClick(dialog.latex_button, Qt.MouseButton.LeftButton)
    latex = QGuiApplication.clipboard().text()
    assert "\\begin{tabular}" in latex and "alice & bob" in latex


def test_agreement_dialog_needs_two_annotators(window, qtbot):
    window.actions_by_id["analysis.agreement"].trigger()
    dialog = window.team.agreement_dialog
    qtbot.waitExposed(dialog)
    dialog.annotator_list.item(1).setCheckState(Qt.CheckState.Unchecked)
    assert not dialog.compute_button.isEnabled()
    assert dialog.summary_label.text() == "Choose at least two annotators and one label."


def test_agreement_dialog_offers_an_annotator_who_tagged_nothing(tmp_path, qtbot):
    # carol marked every document done and found nothing to tag: no layer, but her "nothing
    # here" is a judgement the figures must count, as `annotator agreement` does by default.
    project = Project.open(make_team_project(tmp_path, names=("alice", "bob", "carol")))
    win = show_window(qtbot, MainWindow(project), size=(1200, 700))
    try:
        dialog = open_and_compute(qtbot, win)
        entries = [dialog.annotator_list.item(row).text() for row in range(dialog.annotator_list.count())]
        assert entries[2] == "carol  (nothing tagged; 3 documents done)"
        assert dialog.annotator_list.item(2).checkState() == Qt.CheckState.Checked
        assert "3 annotators, 3 documents" in dialog.summary_label.text()
        with Project.open(project.path, read_only=True) as again:
            expected = tables(compute_agreement(again))
        assert dialog.pairs_model.table == expected["pairs"]
        assert any(row[:2] == ("alice", "carol") for row in expected["pairs"].rows)
        dialog.grab().save(str(tmp_path / "agreement-untagged.png"))
    finally:
        win.shut_down()
        project.close()
