"""Model > Train… and Model > Models…: a real (tiny) training with live epochs, Cancel, scores per label."""

from __future__ import annotations

import pytest
from suggest_helpers import tiny_project
from test_shortcuts_dialog_mnemonics import mnemonics

from annotator.store import Project
from annotator.ui.suggest.models_dialog import ModelsDialog
from annotator.ui.suggest.train_dialog import TrainDialog
from annotator.workflows.training import models_folder


@pytest.fixture
def project(tmp_path):
    opened = Project.create(tmp_path / "tiny.annotator")
    tiny_project(opened, 24)
    yield opened
    opened.close()


def test_train_dialog_trains_with_a_row_per_epoch_and_offers_the_model(project, qtbot):
    dialog = TrainDialog(project)
    qtbot.addWidget(dialog)
    dialog.show()
    keys = [k for k, _text in mnemonics(dialog)]
    assert len(keys) == len(set(keys))
    assert "24 documents marked done" in dialog.data_label.text()
    dialog.epochs_spin.setValue(2)
    dialog.name_edit.setText("first")
    dialog.start_button.click()
    assert dialog.is_running and not dialog.settings_box.isEnabled()
    qtbot.waitUntil(lambda: not dialog.is_running, timeout=180_000)
    assert dialog.result is not None, dialog.log_view.toPlainText()
    assert dialog.epoch_table.rowCount() == 3  # epochs 0 (first batch), 1, 2
    labels = [dialog.scores_table.item(row, 0).text() for row in range(dialog.scores_table.rowCount())]
    assert "PERSON" in labels and "GPE" in labels and "all labels" in labels
    assert [m.name for m in project.models()] == ["first"]
    assert dialog.use_button.isVisible()
    with qtbot.waitSignal(dialog.use_model) as used:
        dialog.use_button.click()
    assert used.args == ["first"]


def test_train_dialog_cancel_records_nothing(project, qtbot):
    dialog = TrainDialog(project)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.epochs_spin.setValue(200)
    dialog.patience_spin.setValue(0)
    dialog.name_edit.setText("never")
    dialog.start_button.click()
    qtbot.waitUntil(lambda: dialog.epoch_table.rowCount() >= 1, timeout=180_000)
    dialog.reject()  # Cancel while training: stop it, stay open
    assert dialog.isVisible()
    qtbot.waitUntil(lambda: not dialog.is_running, timeout=60_000)
    assert "cancelled" in dialog.stage_label.text()
    assert project.models() == [] and not (models_folder(project) / "never").exists()
    assert project.integrity_check() == ["ok"]


def test_train_dialog_models_table_and_scores(project, qtbot):
    project.add_model("m1", "/x/model-best", components=["ner"], documents=20,
                      scores={"totals": {"ents_p": 0.5, "ents_r": 0.25, "ents_f": 0.333},
                              "per_label": {"ner": {"GPE": {"p": 1.0, "r": 0.5, "f": 0.667},
                                                    "PERSON": {"p": 0.25, "r": 0.125, "f": 0.167}}}})
    dialog = ModelsDialog(project)
    qtbot.addWidget(dialog)
    dialog.show()
    keys = [k for k, _text in mnemonics(dialog)]
    assert len(keys) == len(set(keys))
    assert dialog.models_table.rowCount() == 1 and dialog.models_table.item(0, 4).text() == "33.3"
    rows = [[dialog.scores_table.item(r, c).text() for c in range(5)] for r in range(dialog.scores_table.rowCount())]
    assert rows == [["GPE", "entities", "100.0", "50.0", "66.7"], ["PERSON", "entities", "25.0", "12.5", "16.7"],
                    ["all labels", "entities", "50.0", "25.0", "33.3"]]
    with qtbot.waitSignal(dialog.use_model) as used:
        dialog.use_button.click()
    assert used.args == ["m1"]
