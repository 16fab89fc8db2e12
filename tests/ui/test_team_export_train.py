"""A lead's project holding Alice's and Bob's layers: File > Export… and Model > Train… offer each
layer (never a mix for training), start on a layer, and what they write holds that layer only."""

from __future__ import annotations

import json

import pytest
from PySide6.QtCore import Qt
from modal import when_modal
from ui_team_projects import WORK, make_team_project
from window_driver import rows, show_window

from annotator.store import Project
from annotator.ui.common.settings import Settings
from annotator.ui.window.main_window import MainWindow

TRAIN_TIMEOUT_MS = 240_000  # a real (one-epoch) spaCy training in a subprocess, on a loaded machine


@pytest.fixture
def window(tmp_path, qtbot):
    Settings().set_value("annotator/name", "bob")  # bob looks at the lead's copy: his layer comes first
    win = show_window(qtbot, MainWindow(Project.open(make_team_project(tmp_path)), owns_project=True),
                      size=(1100, 600))
    yield win
    win.shut_down()


def items(combo) -> list[str]:
    return [combo.itemText(i) for i in range(combo.count())]


def test_team_export_offers_each_layer_and_writes_the_chosen_one(window, tmp_path, qtbot):
    out = tmp_path / "bob.jsonl"
    seen = {}

    def work(dialog):
        combo = dialog.annotator_combo
        seen["items"], seen["current"] = items(combo), combo.currentData()
        seen["every"] = combo.model().item(0).isEnabled()  # spaCy's DocBin: never a mix
        dialog.set_format("doccano")
        dialog.set_output(out)
        qtbot.mouseClick(dialog.export_button, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: not dialog.is_running, timeout=60_000)
        seen["summary"] = dialog.summary_label.text()
        dialog.reject()

    when_modal(qtbot, work)
    window.actions_by_id["file.export"].trigger()
    assert seen["items"] == ["every annotator, each as their own", "alice  (6 spans, 2 documents)",
                             "bob  (6 spans, 2 documents)"]
    assert seen["current"] == "bob" and not seen["every"]
    assert seen["summary"].startswith("Exported 3 documents"), seen["summary"]
    written = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    labels = sorted(label for doc in written for _s, _e, label in doc.get("label", []))
    assert labels == sorted(label for _t, _w, label in WORK["bob"])


def test_team_train_takes_one_layer(window, qtbot):
    seen = {}

    def work(dialog):
        combo = dialog.layer_combo
        seen["items"], seen["every"] = items(combo), combo.model().item(0).isEnabled()
        seen["data"] = dialog.data_label.text()
        dialog.epochs_spin.setValue(1)
        dialog.patience_spin.setValue(0)
        dialog.dev_spin.setValue(34)
        dialog.name_edit.setText("bob-ner")
        qtbot.mouseClick(dialog.start_button, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: not dialog.is_running, timeout=TRAIN_TIMEOUT_MS)
        seen["log"] = dialog.stage_label.text() + "\n" + dialog.log_view.toPlainText()
        dialog.reject()

    when_modal(qtbot, work)
    window.actions_by_id["model.train"].trigger()
    assert not seen["every"] and seen["items"][1:] == ["alice  (6 spans, 2 documents)", "bob  (6 spans, 2 documents)"]
    assert "bob  (6 spans, 2 documents): the 3 documents this annotator marked done" in seen["data"]
    recorded = rows(window.session.project.path, "SELECT name, settings FROM models")
    assert [name for name, _ in recorded] == ["bob-ner"], seen["log"]
    assert json.loads(recorded[0][1])["annotator"] == "bob"
