"""The suggestion source dialog, the background project run (with Cancel) and Next Uncertain Document."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QDialog
from suggest_helpers import add_documents, ruler_pipeline
from window_driver import key, wait_for_tokens

from annotator.nlp.suggest import SourceSpec
from annotator.store import Project
from annotator.ui.window.main_window import MainWindow
from annotator.ui.suggest.source_dialog import SourceDialog
from annotator.ui.suggest.suggest_dialog import SuggestProjectDialog
from annotator.workflows.suggesting import save_source, saved_source

K, M = Qt.Key, Qt.KeyboardModifier


@pytest.fixture(scope="module")
def model_dir(tmp_path_factory):
    return ruler_pipeline(tmp_path_factory.mktemp("models") / "ruler")


@pytest.fixture
def project(tmp_path):
    opened = Project.create(tmp_path / "news.annotator")
    yield opened
    opened.close()


def test_suggestions_source_dialog_refuses_a_bad_pattern_file_with_its_line(project, qtbot, tmp_path):
    from test_shortcuts_dialog_mnemonics import mnemonics

    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"label": "GPE", "pattern": "Oslo"}\n{"label": "NOPE", "pattern": "x"}\n', encoding="utf-8")
    dialog = SourceDialog(project, SourceSpec("patterns", str(bad)))
    qtbot.addWidget(dialog)
    dialog.show()
    keys = [k for k, _text in mnemonics(dialog)]
    assert len(keys) == len(set(keys))
    assert dialog.patterns_radio.isChecked() and dialog.patterns_edit.text() == str(bad)
    dialog.ok_button.click()
    qtbot.waitUntil(lambda: dialog.problems.isVisible(), timeout=30_000)
    assert f"{bad}:2: label: 'NOPE' is not a span label" in dialog.problems.toPlainText()
    assert dialog.result() == 0 and dialog.spec is None
    good = tmp_path / "good.jsonl"
    good.write_text('{"label": "GPE", "pattern": "Oslo"}\n', encoding="utf-8")
    dialog.patterns_edit.setText(str(good))
    with qtbot.waitSignal(dialog.accepted, timeout=30_000):
        dialog.ok_button.click()
    assert dialog.spec == SourceSpec("patterns", str(good), claims=False, refs=(str(good),))


def test_suggestions_source_dialog_cues_force_claims_and_folder_is_checked(project, qtbot, tmp_path):
    dialog = SourceDialog(project, None)
    qtbot.addWidget(dialog)
    dialog.show()
    assert not dialog.trained_radio.isEnabled()  # no model trained yet
    dialog.cues_radio.setChecked(True)
    assert dialog.claims_check.isChecked() and not dialog.claims_check.isEnabled()
    dialog.folder_radio.setChecked(True)
    dialog.folder_edit.setText(str(tmp_path))
    dialog.ok_button.click()
    assert "not a spaCy pipeline folder" in dialog.problems.toPlainText() and dialog.spec is None
    dialog.reject()  # closing waits for the listing of installed pipelines


def test_suggestions_project_run_in_background_and_cancel_keeps_whole_batches(project, qtbot, model_dir):
    texts = [f"Anna Berg flew from Lima to Oslo, trip {i}." for i in range(400)]
    ids = add_documents(project, texts)
    spec = SourceSpec("model", str(model_dir), "ruler")
    dialog = SuggestProjectDialog(project, spec)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.start_button.click()
    assert dialog.is_running and not dialog.start_button.isEnabled()
    qtbot.waitUntil(lambda: dialog.progress_bar.value() > 0, timeout=60_000)
    dialog.reject()  # Esc / Cancel while running: cancel, stay open
    assert dialog.isVisible()
    qtbot.waitUntil(lambda: not dialog.is_running, timeout=60_000)
    run = dialog.run
    assert run is not None and run.cancelled and 0 < run.counts.documents < 400
    assert run.processes == 2  # 400 documents: the pipeline ran on both cores
    assert run.counts.documents % 64 == 0  # whole batches only
    with Project.open(project.path) as other:
        per_doc = [len(other.spans(i)) for i in ids]
        assert set(per_doc) == {0, 3} and per_doc.count(3) == run.counts.documents
        assert other.integrity_check() == ["ok"]
    assert "Cancelled after" in dialog.summary.text()
    # Again, to the end: only what is missing is added.
    with qtbot.waitSignal(dialog.finished_run, timeout=120_000):
        dialog.start_button.click()
    qtbot.waitUntil(lambda: not dialog.is_running, timeout=60_000)
    assert dialog.run.counts.added == 3 * (400 - run.counts.documents)


def test_suggestions_next_uncertain_document_and_menu_run(project, qtbot, model_dir):
    ids = add_documents(project, ["Calm text.", "Anna Berg in Oslo.", "Lima and Oslo.", "Done one."],
                        statuses=["todo", "todo", "todo", "done"])
    model = project.add_model("ruler", str(model_dir), components=["ner"], documents=1, scores={})
    project.set_document_scores(model.id, {ids[0]: 0.1, ids[1]: 0.7, ids[2]: 0.4, ids[3]: 0.9})
    window = MainWindow(project)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)
    wait_for_tokens(qtbot, window)
    window.text_view.setFocus()
    key(qtbot, window, K.Key_J, M.ControlModifier | M.ShiftModifier)
    assert window.text_view.doc_id == ids[1]  # the most uncertain document still to do
    key(qtbot, window, K.Key_J, M.ControlModifier | M.ShiftModifier)
    assert window.text_view.doc_id == ids[2]  # the most uncertain other than the one on screen
    assert "uncertainty 0.40" in window.statusBar().currentMessage()
    window.shut_down()


def test_suggestions_menu_without_a_source_asks_for_one(project, qtbot, model_dir, monkeypatch):
    add_documents(project, ["Anna Berg went to Oslo."])
    window = MainWindow(project)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    chosen = []

    def fake_exec(dialog):
        dialog.spec = SourceSpec("model", str(model_dir), "ruler")
        chosen.append(dialog)
        return QDialog.DialogCode.Accepted

    monkeypatch.setattr(SourceDialog, "exec", fake_exec)
    window.actions_by_id["model.suggest_document"].trigger()
    assert chosen and saved_source(project) == SourceSpec("model", str(model_dir), "ruler")
    qtbot.waitUntil(lambda: project.suggestion_count() == 2, timeout=30_000)
    save_source(project, SourceSpec("cues"))
    window.shut_down()
