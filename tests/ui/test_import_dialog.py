from __future__ import annotations

import json
from pathlib import Path

import pytest
from PySide6.QtCore import QMimeData, QPointF, Qt, QTimer, QUrl
from PySide6.QtGui import QDropEvent, QGuiApplication
from PySide6.QtWidgets import QFileDialog, QLineEdit, QTreeView

from modal import when_modal

from annotator.core.problems import Problem
from annotator.store import Project, ProjectError
from annotator.ui.dialogs import import_dialog
from annotator.ui.dialogs.import_dialog import ImportDialog
from annotator.ui.dialogs.import_report import report_text
from annotator.ui.common.settings import Settings
from annotator.workflows.importing import FileReport, ImportReport


def write_jsonl(path: Path, texts: list[str] | list[dict]) -> Path:
    rows = [t if isinstance(t, dict) else {"text": t} for t in texts]
    path.write_text("".join(json.dumps(row) + "\n" for row in rows), encoding="utf-8")
    return path


@pytest.fixture
def dialog(project, qtbot):
    dlg = ImportDialog(project, Settings())
    qtbot.addWidget(dlg)
    dlg.show()
    qtbot.waitExposed(dlg)
    return dlg


def click(qtbot, widget) -> None:
    qtbot.mouseClick(widget, Qt.MouseButton.LeftButton)


def import_and_wait(qtbot, dlg: ImportDialog) -> None:
    click(qtbot, dlg.import_button)
    assert dlg.job is not None
    qtbot.waitUntil(lambda: not dlg.is_running, timeout=20000)


def texts_in(path: Path) -> list[str]:
    with Project.open(path) as project:
        return [project.document(s.id).text for s in project.document_summaries(0, 10**6)]


def test_import_dialog_chosen_files_land_in_the_project(dialog, project, qtbot, tmp_path, monkeypatch):
    first = write_jsonl(tmp_path / "a.jsonl", ["One article.", "Two articles."])
    second = tmp_path / "b.txt"
    second.write_text("A plain text article.", encoding="utf-8")
    Settings().set_value("import/folder", str(tmp_path))
    (tmp_path / "placeholder-document-with-a-long-name.jsonl").write_text("", encoding="utf-8")
    seen: dict = {}

    def pick(chooser) -> None:
        # Qt's own file dialog (no desktop here): detail view, names whole, then two files typed.
        assert isinstance(chooser, QFileDialog) and chooser.viewMode() == QFileDialog.ViewMode.Detail
        tree = chooser.findChild(QTreeView, "treeView")
        qtbot.waitUntil(lambda: tree.model().rowCount(tree.rootIndex()) >= 3)
        longest = tree.fontMetrics().horizontalAdvance("placeholder-document-with-a-long-name.jsonl")
        seen["name column"], seen["needed"] = tree.columnWidth(0), longest
        chooser.findChild(QLineEdit, "fileNameEdit").setText('"a.jsonl" "b.txt"')
        chooser.accept()

    when_modal(qtbot, pick)
    click(qtbot, dialog.add_files_button)
    assert sorted(dialog.paths) == [str(first), str(second)]
    assert seen["name column"] >= seen["needed"]  # not "pla…ent"

    reports: list[ImportReport] = []
    dialog.imported.connect(reports.append)
    import_and_wait(qtbot, dialog)

    assert texts_in(project.path) == ["One article.", "Two articles.", "A plain text article."]
    assert project.document_count() == 3  # the window's own connection sees it too
    assert len(reports) == 1 and reports[0].total("added") == 3
    assert dialog.summary_label.text() == "Imported 3 documents."
    assert "a.jsonl (prodigy, from the file name): 2 added" in dialog.report_view.toPlainText()
    assert dialog.report_view.isReadOnly()
    assert dialog.close_button.text() == "Close"
    assert Settings().value("import/folder") == str(tmp_path)


def test_import_dialog_reads_a_folder(dialog, project, qtbot, tmp_path, monkeypatch):
    folder = tmp_path / "articles"
    (folder / "sub").mkdir(parents=True)
    (folder / "one.txt").write_text("First.", encoding="utf-8")
    (folder / "sub" / "two.txt").write_text("Second.", encoding="utf-8")
    (folder / "notes.docx").write_bytes(b"PK")
    monkeypatch.setattr(import_dialog.file_chooser, "folder", lambda *args, **kwargs: str(folder))
    click(qtbot, dialog.add_folder_button)
    import_and_wait(qtbot, dialog)
    assert sorted(texts_in(project.path)) == ["First.", "Second."]
    report = dialog.report_view.toPlainText()
    assert "Notices:" in report and "notes.docx: skipped: not a known format" in report


def test_import_dialog_refused_file_lists_every_problem(dialog, project, qtbot, tmp_path):
    good = write_jsonl(tmp_path / "good.jsonl", ["Fine."])
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"text": "ok"}\n{"text": 5}\nnot json\n', encoding="utf-8")
    dialog.add_paths([good, bad])
    import_and_wait(qtbot, dialog)
    assert texts_in(project.path) == ["Fine."]
    report = dialog.report_view.toPlainText()
    assert f"{bad}:2: text: " in report
    assert f"{bad}:3: " in report
    assert "REFUSED" in report
    assert dialog.summary_label.text() == "Imported 1 document. 1 file refused: see the problems below."


def test_import_dialog_skip_invalid_imports_the_rest(dialog, project, qtbot, tmp_path):
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"text": "kept"}\n{"text": 5}\n', encoding="utf-8")
    dialog.add_paths([bad])
    click(qtbot, dialog.skip_invalid)
    assert dialog.skip_invalid.isChecked()
    import_and_wait(qtbot, dialog)
    assert texts_in(project.path) == ["kept"]
    assert Settings().value("import/skip_invalid") is True


def test_import_dialog_add_labels_and_csv_text_column(dialog, project, qtbot, tmp_path):
    table = tmp_path / "table.csv"
    table.write_text("headline,body\nTitle one,Body one.\n", encoding="utf-8")
    spans = write_jsonl(tmp_path / "spans.jsonl", [{"text": "Quote here.", "spans": [
        {"start": 0, "end": 5, "label": "QUOTE"}]}])
    dialog.add_paths([table, spans])
    dialog.text_column.clear()
    qtbot.keyClicks(dialog.text_column, "body")
    qtbot.keyClicks(dialog.title_column, "headline")
    click(qtbot, dialog.add_labels)
    import_and_wait(qtbot, dialog)
    assert texts_in(project.path) == ["Body one.", "Quote here."]
    assert "QUOTE" in {label.name for label in project.labels()}
    assert project.document_summaries(0, 1)[0].title == "Title one"
    assert "labels added: QUOTE" in dialog.report_view.toPlainText()
    again = ImportDialog(project, Settings())
    qtbot.addWidget(again)
    assert again.text_column.text() == "body" and again.add_labels.isChecked()


def test_import_dialog_text_column_only_for_tables(dialog, qtbot):
    dialog.format_combo.setCurrentIndex(dialog.format_combo.findData("prodigy"))
    assert not dialog.text_column.isEnabled()
    dialog.format_combo.setCurrentIndex(dialog.format_combo.findData("csv"))
    assert dialog.text_column.isEnabled()


def test_import_dialog_format_choices_are_the_registry_names(dialog):
    from annotator.formats.registry import format_names

    assert [dialog.format_combo.itemData(i) for i in range(dialog.format_combo.count())] == format_names()


def test_import_dialog_tsv_choice_reads_tabs_from_any_name(dialog, project, qtbot, tmp_path):
    table = tmp_path / "export.txt"
    table.write_text("text\tsource\nTabbed, with a comma.\tx\n", encoding="utf-8")
    dialog.add_paths([table])
    dialog.format_combo.setCurrentIndex(dialog.format_combo.findData("tsv"))
    import_and_wait(qtbot, dialog)
    assert texts_in(project.path) == ["Tabbed, with a comma."]


def test_import_dialog_cancel_keeps_files_done_and_stops_the_rest(dialog, project, qtbot, tmp_path):
    small = write_jsonl(tmp_path / "a-small.jsonl", ["Small one.", "Small two."])
    big = write_jsonl(tmp_path / "b-big.jsonl", [f"Article {i}." for i in range(60000)])
    dialog.add_paths([small, big])
    reports: list[ImportReport] = []
    dialog.imported.connect(reports.append)
    click(qtbot, dialog.import_button)
    qtbot.waitUntil(lambda: "b-big.jsonl" in dialog.progress_label.text() and "records read"
                    in dialog.progress_label.text(), timeout=20000)
    assert dialog.close_button.text() == "&Cancel Import"
    click(qtbot, dialog.close_button)
    qtbot.waitUntil(lambda: not dialog.is_running, timeout=20000)

    assert texts_in(project.path) == ["Small one.", "Small two."]
    assert dialog.isVisible()  # cancelling does not close: the report is there to read
    assert dialog.summary_label.text().startswith("Cancelled. Imported 2 documents.")
    text = dialog.report_view.toPlainText()
    assert "Import cancelled." in text and "cancelled: nothing from this file was imported" in text
    assert len(reports) == 1 and reports[0].total("added") == 2


def test_import_dialog_escape_cancels_a_running_import_then_closes(dialog, project, qtbot, tmp_path):
    big = write_jsonl(tmp_path / "big.jsonl", [f"Article {i}." for i in range(60000)])
    dialog.add_paths([big])
    click(qtbot, dialog.import_button)
    qtbot.waitUntil(lambda: "records read" in dialog.progress_label.text(), timeout=20000)
    qtbot.keyClick(dialog, Qt.Key.Key_Escape)
    assert dialog.isVisible()
    qtbot.waitUntil(lambda: not dialog.is_running, timeout=20000)
    assert project.document_count() == 0
    qtbot.keyClick(dialog, Qt.Key.Key_Escape)
    assert not dialog.isVisible()


def test_import_dialog_window_keeps_painting_while_importing(dialog, qtbot, tmp_path):
    big = write_jsonl(tmp_path / "big.jsonl", [f"Article {i}." for i in range(20000)])
    dialog.add_paths([big])
    ticks: list[int] = []
    timer = QTimer()
    timer.timeout.connect(lambda: ticks.append(1))
    timer.start(10)
    import_and_wait(qtbot, dialog)
    timer.stop()
    assert len(ticks) >= 5
    assert dialog.summary_label.text() == "Imported 20,000 documents."


def test_import_dialog_failure_is_shown_as_text(dialog, project, qtbot, tmp_path, monkeypatch):
    def refuse(*args, **kwargs):
        raise ProjectError("news.annotator: the project is busy in another program; try again")

    monkeypatch.setattr(import_dialog.Project, "open", refuse)
    dialog.add_paths([write_jsonl(tmp_path / "a.jsonl", ["x"])])
    reports: list = []
    dialog.imported.connect(reports.append)
    import_and_wait(qtbot, dialog)
    assert dialog.summary_label.text() == "The import failed; nothing was imported."
    assert dialog.report_view.toPlainText() == "news.annotator: the project is busy in another program; try again"
    assert reports == []


def test_import_dialog_full_disk_keeps_and_reports_the_files_done(dialog, project, qtbot, tmp_path, monkeypatch):
    from media import disk_fills_at

    disk_fills_at(monkeypatch, "b", "news.annotator: the disk is full")
    dialog.add_paths([write_jsonl(tmp_path / "a.jsonl", ["a"]), write_jsonl(tmp_path / "b.jsonl", ["b"])])
    reports: list = []
    dialog.imported.connect(reports.append)
    import_and_wait(qtbot, dialog)
    assert dialog.summary_label.text() == "The import stopped at b.jsonl: news.annotator: the disk is full"
    assert [f.added for f in reports[0].files] == [1, 0] and texts_in(project.path) == ["a"]


def test_import_dialog_remove_with_delete_key(dialog, qtbot, tmp_path):
    dialog.add_paths([tmp_path / "a.txt", tmp_path / "b.txt", tmp_path / "a.txt"])
    assert dialog.paths == [str(tmp_path / "a.txt"), str(tmp_path / "b.txt")]  # no duplicates
    assert dialog.import_button.isEnabled()
    dialog.path_list.setFocus()
    dialog.path_list.setCurrentRow(0)
    qtbot.keyClick(dialog.path_list, Qt.Key.Key_Delete)
    assert dialog.paths == [str(tmp_path / "b.txt")]
    dialog.path_list.setCurrentRow(0)
    click(qtbot, dialog.remove_button)
    assert dialog.paths == []
    assert not dialog.import_button.isEnabled()


def test_import_dialog_takes_dropped_files(dialog, tmp_path):
    path = tmp_path / "dropped.jsonl"
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(path))])
    viewport_pos = QPointF(10, 10)
    event = QDropEvent(viewport_pos, Qt.DropAction.CopyAction, mime, Qt.MouseButton.LeftButton,
                       Qt.KeyboardModifier.NoModifier)
    dialog.path_list.dropEvent(event)
    assert dialog.paths == [str(path)]


def test_import_dialog_copy_report(dialog, qtbot, tmp_path):
    dialog.add_paths([write_jsonl(tmp_path / "a.jsonl", ["x"])])
    import_and_wait(qtbot, dialog)
    click(qtbot, dialog.copy_button)
    assert QGuiApplication.clipboard().text() == dialog.report_view.toPlainText()
    assert "1 added" in QGuiApplication.clipboard().text()


def test_import_dialog_read_only_project_refuses(project, qtbot, tmp_path):
    project.read_only = True
    dlg = ImportDialog(project, Settings(), paths=[write_jsonl(tmp_path / "a.jsonl", ["x"])])
    qtbot.addWidget(dlg)
    assert not dlg.import_button.isEnabled()
    assert "read-only" in dlg.progress_label.text()


def test_import_dialog_report_text_lists_problems_and_hidden_counts():
    report = ImportReport([
        FileReport("a.jsonl", "prodigy", guessed=True, added=2, duplicates=1, spans=3),
        FileReport("b.csv", "csv", invalid=2, refused=True, problems=[
            Problem("b.csv", 4, "text", "missing"), Problem("b.csv", None, None, "no documents", "notice")],
            problems_not_shown=7),
    ])
    text = report_text(report)
    assert text.splitlines()[0] == report.summary()
    assert "  a.jsonl (prodigy, from the file name): 2 added, 1 duplicates, 3 spans" in text
    assert "  b.csv (csv): REFUSED, nothing from this file was imported (2 invalid records)" in text
    assert "Problems:\n  b.csv:4: text: missing" in text
    assert "Notices:\n  b.csv: no documents" in text
    assert "7 more problems in b.csv not listed" in text
    assert report_text(report, cancelled=True).startswith("Import cancelled.")


@pytest.mark.parametrize(("files", "cancelled", "expected"), [
    ([FileReport("a", "text", added=1)], False, "Imported 1 document."),
    ([FileReport("a", "text", added=2, duplicates=1, conflicts=2)], False,
     "Imported 2 documents; 1 duplicate already in the project; 2 conflicts left unchanged."),
    ([FileReport("a", "text", duplicates=3)], False, "No new documents were imported; 3 duplicates already in the project."),
    ([FileReport("a", "text", added=4, invalid=2)], False, "Imported 4 documents. 2 invalid records skipped: see below."),
    ([FileReport("a", "prodigy", added=3, merged=2, duplicates=4)], False,
     "Imported 3 documents; 2 binary answers merged into their text's document; 4 duplicates already in the project."),
    ([FileReport("a", "text", refused=True, invalid=1)], False,
     "No new documents were imported. 1 file refused: see the problems below."),
    ([FileReport("a", "text", added=2), FileReport("b", "text", refused=True)], True,
     "Cancelled. Imported 2 documents."),
])
def test_import_dialog_headline(files, cancelled, expected):
    assert import_dialog.report_headline(ImportReport(files), cancelled) == expected


def test_import_dialog_report_says_what_told_a_guessed_format(dialog, project, qtbot, tmp_path):
    doccano = tmp_path / "labelled.jsonl"
    doccano.write_text(json.dumps({"text": "Ann met Bob.", "label": [[0, 3, "PERSON"]]}) + "\n", encoding="utf-8")
    prodigy = write_jsonl(tmp_path / "plain.jsonl", ["Plain text."])
    text_file = tmp_path / "story.txt"
    text_file.write_text("A story.", encoding="utf-8")
    dialog.add_paths([doccano, prodigy, text_file])
    import_and_wait(qtbot, dialog)
    report = dialog.report_view.toPlainText()
    assert "labelled.jsonl (doccano, from the content): 1 added" in report
    assert "plain.jsonl (prodigy, from the file name): 1 added" in report
    assert "story.txt (text, from the file name): 1 added" in report


def test_import_dialog_report_text_guessed_from_content():
    report = ImportReport([FileReport("a.jsonl", "doccano", guessed=True, guessed_from="content", added=1)])
    assert "  a.jsonl (doccano, from the content): 1 added" in report_text(report)


def test_import_dialog_survives_losing_its_last_reference_after_a_run(tmp_path):
    # A Job deletes itself after ``finished`` and frees the slots connected to it; a lambda
    # holding the dialog was then the dialog's last reference, and the dialog was destroyed
    # inside the deletion of its own child Job: a segfault. In a child process, so a crash
    # fails this test instead of ending the run.
    from job_lifetime import run_lifetime_script

    run_lifetime_script(tmp_path, "import")


def test_import_dialog_label_map_and_utf16_offsets(dialog, project, qtbot, tmp_path):
    doccano = write_jsonl(tmp_path / "d.jsonl", [{"text": "Mara 😊 met Tarn.", "annotations": [
        {"label": 3, "start_offset": 0, "end_offset": 4, "user": 1},
        {"label": 4, "start_offset": 12, "end_offset": 16, "user": 2}]}])  # UTF-16: the emoji counts 2
    dialog.add_paths([doccano])
    dialog.format_combo.setCurrentIndex(dialog.format_combo.findData("doccano"))
    assert dialog.label_map.isEnabled() and dialog.utf16_check.isEnabled() and not dialog.title_column.isEnabled()
    qtbot.keyClicks(dialog.label_map, "3=PERSON,4")  # "4" is not a pair: refused before anything runs
    click(qtbot, dialog.import_button)
    assert dialog.job is None and "--label-map" in dialog.summary_label.text()
    dialog.label_map.clear()
    qtbot.keyClicks(dialog.label_map, "3=PERSON,4=GPE")
    click(qtbot, dialog.utf16_check)  # doccano counts the emoji as 2
    import_and_wait(qtbot, dialog)
    doc = project.document_summaries(0, 1)[0].id
    assert sorted((s.text, s.label, s.annotator) for s in project.spans(doc)) == [
        ("Mara", "PERSON", "1"), ("Tarn", "GPE", "2")]
    dialog.format_combo.setCurrentIndex(dialog.format_combo.findData("prodigy"))
    assert not dialog.label_map.isEnabled() and not dialog.utf16_check.isEnabled()


def test_import_dialog_multi_annotator_file_adds_layers(dialog, project, qtbot, tmp_path):
    """A Prodigy dataset with one line per annotator of a text: one document with each
    annotator's layer and status; the report says how many records became layers."""
    text = "Mara Lind visited Oslo."
    lines = [{"text": text, "spans": [{"start": 0, "end": 9, "label": "PERSON"}], "answer": "accept",
              "_annotator_id": "ds-alice", "_session_id": "ds-alice"},
             {"text": text, "spans": [{"start": 0, "end": 4, "label": "PERSON"}], "answer": "ignore",
              "_annotator_id": "ds-bob", "_session_id": "ds-bob"}]
    dialog.add_paths([write_jsonl(tmp_path / "ds.jsonl", lines)])
    import_and_wait(qtbot, dialog)
    assert dialog.summary_label.text() == ("Imported 1 document; 1 record added as annotators' layers of documents "
                                           "already there.")
    assert "ds.jsonl (prodigy, from the file name): 1 added, 1 added as layers, 0 duplicates, 2 spans" in \
        dialog.report_view.toPlainText()
    with Project.open(project.path) as stored:
        [summary] = stored.document_summaries(0, 10)
        assert sorted((s.annotator, s.end) for s in stored.spans(summary.id)) == [("ds-alice", 9), ("ds-bob", 4)]
        assert stored.statuses(summary.id) == {"ds-alice": "done", "ds-bob": "skipped"}
    dialog.grab().save(str(tmp_path / "import_layers.png"))
