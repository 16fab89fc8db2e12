"""File > Export…: driven with keys and the mouse, from the real window and on its own; every
test reads back what landed on disk (DocBin with spaCy's own reader, JSONL, brat, CoNLL, CSV)."""

from __future__ import annotations

import csv
import json
import os
from collections.abc import Callable
from pathlib import Path

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QApplication, QComboBox, QWidget
from window_driver import key, show_window

from annotator.nlp.docbin import AlignmentIssue
from annotator.store import Project
from annotator.ui.dialogs import export_dialog, export_report
from annotator.ui.dialogs.export_dialog import ExportDialog
from annotator.ui.dialogs.export_report import IssueModel, output_problem, report_text
from annotator.ui.window.main_window import MainWindow
from annotator.ui.common.settings import Settings

K, M = Qt.Key, Qt.KeyboardModifier
EXPORT_TIMEOUT_MS = 90_000  # spaCy's first load on the worker thread, and worker processes on slow machines

DOCS = [
    ("One", "Ana Silva visited Lisbon on Monday.", "done", [(0, 9, "PERSON"), (18, 24, "GPE")]),
    ("Two", "The IMF said Portugal grew.", "done", [(4, 7, "ORG"), (13, 18, "GPE")]),  # "Portu": inside a word
    ("Three", "Fun 😀 in Paris.", "todo", [(9, 14, "GPE")]),  # an astral character before the span
    ("Four", "Nairobi is large.", "skipped", [(0, 7, "GPE")]),
    ("Five", "Maria Costa spoke.", "done", [(1, 11, "PERSON")]),  # "aria Costa": contract or expand it
]


# ------------------------------------------------------------------ helpers
@pytest.fixture
def project(make_project):
    return make_project(DOCS)


@pytest.fixture
def dialog(project, qtbot):
    dlg = ExportDialog(project, Settings())
    qtbot.addWidget(dlg)
    dlg.show()
    qtbot.waitExposed(dlg)
    return dlg


def click(qtbot, widget: QWidget) -> None:
    qtbot.mouseClick(widget, Qt.MouseButton.LeftButton)


def choose(qtbot, combo: QComboBox, data) -> None:
    """Pick the item holding ``data`` with the arrow keys, as a keyboard user does."""
    combo.setFocus()
    qtbot.keyClick(combo, K.Key_Home)
    for _ in range(combo.count()):
        if combo.currentData() == data:
            return
        qtbot.keyClick(combo, K.Key_Down)
    assert combo.currentData() == data


def type_output(qtbot, dlg: ExportDialog, path: Path) -> None:
    dlg.output_edit.setFocus()
    qtbot.keyClick(dlg.output_edit, K.Key_A, M.ControlModifier)
    qtbot.keyClicks(dlg.output_edit, str(path))
    assert dlg.output == path


def export_and_wait(qtbot, dlg: ExportDialog) -> None:
    click(qtbot, dlg.export_button)
    qtbot.waitUntil(lambda: not dlg.is_running, timeout=EXPORT_TIMEOUT_MS)


def docbin(folder: Path) -> dict[str, list[tuple[int, int, str]]]:
    """Text -> its doc.ents as (start_char, end_char, label), read with spaCy's own DocBin."""
    import spacy
    from spacy.tokens import DocBin

    vocab = spacy.blank("en").vocab
    found = {}
    # A file, or a folder of shards (train.spacy/ and dev.spacy/ are folders by default).
    paths = [folder] if folder.is_file() else sorted(p for p in folder.rglob("*.spacy") if p.is_file())
    for path in paths:
        for doc in DocBin().from_disk(path).get_docs(vocab):
            found[doc.text] = [(ent.start_char, ent.end_char, ent.label_) for ent in doc.ents]
    return found


def jsonl(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def listing(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def run_modal(qtbot, open_it: Callable[[], None], drive: Callable[[ExportDialog], None]) -> None:
    """``open_it`` opens the Export dialog with exec() (it blocks); ``drive`` works the dialog
    from inside that modal loop. The dialog is closed whatever happens, so a failing step
    fails the test instead of hanging it."""
    errors: list[BaseException] = []
    tries = [0]

    def inside() -> None:
        dialog = QApplication.activeModalWidget()
        if not isinstance(dialog, ExportDialog):
            tries[0] += 1
            if tries[0] < 500:
                QTimer.singleShot(10, inside)
            return
        try:
            drive(dialog)
        except BaseException as exc:  # noqa: BLE001 - re-raised in the test, after exec() returns
            errors.append(exc)
        finally:
            if dialog.isVisible():
                dialog.done(0)

    QTimer.singleShot(0, inside)
    open_it()
    if errors:
        raise errors[0]
    assert tries[0] < 500, "the Export dialog did not open"


# ------------------------------------------------------------------ from the window
@pytest.fixture
def window(project, qtbot):
    Settings().set_value("annotator/name", "alice")
    win = show_window(qtbot, MainWindow(project), focus_text=True)
    yield win
    win.shut_down()


def test_export_dialog_ctrl_e_exports_spacy_docbin_with_exact_offsets(window, qtbot, tmp_path):
    output = tmp_path / "exports" / "corpus"
    seen: dict = {}

    def drive(dlg: ExportDialog) -> None:
        assert dlg.format_combo.currentData() == "spacy"  # the first choice: training data
        type_output(qtbot, dlg, output)
        qtbot.keyClick(dlg.output_edit, K.Key_Return)  # the default button: Export
        assert dlg.is_running
        qtbot.waitUntil(lambda: not dlg.is_running, timeout=EXPORT_TIMEOUT_MS)
        seen["headline"] = dlg.summary_label.text()
        seen["tab"] = dlg.tabs.tabText(dlg.tabs.currentIndex())
        seen["rows"] = [[dlg.issue_model.index(r, c).data() for c in range(6)]
                        for r in range(dlg.issue_model.rowCount())]
        seen["files"] = dlg.files_view.toPlainText()
        qtbot.keyClick(dlg, K.Key_Escape)  # not running: Esc closes
        seen["closed"] = not dlg.isVisible()

    run_modal(qtbot, lambda: key(qtbot, window, K.Key_E, M.ControlModifier), drive)

    assert seen["closed"]
    assert seen["headline"].startswith("Exported 3 documents as spacy in ")
    assert "2 spans did not go where their label says: see the alignment report." in seen["headline"]
    assert seen["tab"] == "Alignment report (2)"  # the report opens first when it has rows
    assert [row[:5] for row in seen["rows"]] == [
        ["#2 Two", "13–18", "“Portu”", "GPE", "misaligned"],
        ["#5 Five", "1–11", "“aria Costa”", "PERSON", "misaligned"],
    ]
    assert "choose Alignment: contract or expand" in seen["rows"][0][5]  # the dialog's words, not --alignment
    # Shard folders by default; the summary, config and report beside them.
    names = sorted(str(p.relative_to(output)) for p in output.rglob("*") if p.is_file())
    assert {"config.cfg", "summary.txt", "summary.json", "alignment.jsonl"} <= set(names)
    assert any(n.startswith("train.spacy/") and n.endswith(".spacy") for n in names)
    assert any(n.startswith("dev.spacy/") and n.endswith(".spacy") for n in names)
    assert "config.cfg" in seen["files"] and "summary.txt" in seen["files"]
    # Only done documents; the misaligned spans are left out (strict), the rest exactly where they were.
    assert docbin(output) == {
        "Ana Silva visited Lisbon on Monday.": [(0, 9, "PERSON"), (18, 24, "GPE")],
        "The IMF said Portugal grew.": [(4, 7, "ORG")],
        "Maria Costa spoke.": [],
    }
    assert "[components.ner]" in (output / "config.cfg").read_text(encoding="utf-8")
    assert Settings().value("export/folder") == str(output.parent)


def test_export_dialog_file_menu_by_mouse_exports_prodigy(window, qtbot, tmp_path):
    output = tmp_path / "tasks.jsonl"
    bar = window.menuBar()
    file_action = bar.actions()[0]
    assert file_action.text() == "&File"
    export_action = window.actions_by_id["file.export"]
    assert export_action.shortcuts()[0].toString() == "Ctrl+E"
    assert export_action in file_action.menu().actions()
    qtbot.mouseClick(bar, Qt.MouseButton.LeftButton, pos=bar.actionGeometry(file_action).center())
    menu = file_action.menu()
    qtbot.waitUntil(menu.isVisible)

    def drive(dlg: ExportDialog) -> None:
        choose(qtbot, dlg.format_combo, "prodigy")
        assert dlg.options_box.title() == "Options for prodigy"
        assert dlg.tokens_check.isVisibleTo(dlg) and not dlg.dev_spin.isVisibleTo(dlg)
        type_output(qtbot, dlg, output)
        export_and_wait(qtbot, dlg)
        click(qtbot, dlg.close_button)

    run_modal(qtbot, lambda: qtbot.mouseClick(menu, Qt.MouseButton.LeftButton,
                                              pos=menu.actionGeometry(export_action).center()), drive)

    tasks = jsonl(output)
    assert [t["text"] for t in tasks] == [DOCS[0][1], DOCS[1][1], DOCS[4][1]]
    first = tasks[0]
    assert [(s["start"], s["end"], s["label"], s["token_start"], s["token_end"]) for s in first["spans"]] == [
        (0, 9, "PERSON", 0, 1), (18, 24, "GPE", 3, 3)]  # token_end inclusive, as Prodigy has it
    assert [t["text"] for t in first["tokens"]][:3] == ["Ana", "Silva", "visited"]
    # Not token-aligned: written with its characters, without token indices (and said so).
    portu = tasks[1]["spans"][1]
    assert (portu["start"], portu["end"], portu["label"]) == (13, 18, "GPE") and "token_start" not in portu


# ------------------------------------------------------------------ spaCy options
@pytest.mark.parametrize(("mode", "two", "five", "problems"), [
    ("strict", [(4, 7, "ORG")], [], ["misaligned", "misaligned"]),
    ("contract", [(4, 7, "ORG")], [(6, 11, "PERSON")], ["misaligned", "adjusted"]),
    ("expand", [(4, 7, "ORG"), (13, 21, "GPE")], [(0, 11, "PERSON")], ["adjusted", "adjusted"]),
])
def test_export_dialog_alignment_choice_changes_what_is_written(dialog, qtbot, tmp_path, mode, two, five,
                                                                problems):
    choose(qtbot, dialog.alignment_combo, mode)
    dialog.set_output(tmp_path / "out")
    export_and_wait(qtbot, dialog)
    written = docbin(tmp_path / "out")
    assert written["The IMF said Portugal grew."] == two
    assert written["Maria Costa spoke."] == five
    assert [issue.problem for issue in dialog.issue_model.issues] == problems
    assert dialog.tabs.tabText(1) == "Alignment report (2)"
    summary = json.loads((tmp_path / "out" / "summary.json").read_text(encoding="utf-8"))
    assert summary["alignment"]["mode"] == mode
    if mode == "expand":
        assert dialog.issue_model.index(0, 1).data() == "13–18 → 13–21"
        assert dialog.summary_label.text().endswith("2 spans moved to token edges, as asked.")


def test_export_dialog_dev_share_and_seed(dialog, qtbot, tmp_path):
    dialog.set_include(["done", "todo", "skipped"])
    dialog.dev_spin.setFocus()
    for _ in range(6):  # 20 % -> 50 % in steps of 5
        qtbot.keyClick(dialog.dev_spin, K.Key_Up)
    dialog.seed_spin.setFocus()
    qtbot.keyClick(dialog.seed_spin, K.Key_A, M.ControlModifier)
    qtbot.keyClicks(dialog.seed_spin, "7")
    assert dialog.options().dev == 0.5 and dialog.options().seed == 7
    dialog.set_output(tmp_path / "a")
    export_and_wait(qtbot, dialog)
    summary = json.loads((tmp_path / "a" / "summary.json").read_text(encoding="utf-8"))
    # The summary names the layer exported (one annotator's here: no gold layer, one layer).
    assert summary["selection"] == {"include": ["done", "todo", "skipped"], "annotator": None, "dev": 0.5, "seed": 7,
                                    "layer": "tester"}
    assert sum(summary["documents"].values()) == 5 and summary["documents"].get("dev", 0) >= 1
    first = {split: docbin(tmp_path / "a" / f"{split}.spacy") for split in ("train", "dev")}

    # The same seed gives the same split; no dev share puts everything in train.
    dialog.set_output(tmp_path / "b")
    export_and_wait(qtbot, dialog)
    assert {split: docbin(tmp_path / "b" / f"{split}.spacy") for split in ("train", "dev")} == first
    dialog.dev_spin.setFocus()
    qtbot.keyClick(dialog.dev_spin, K.Key_A, M.ControlModifier)
    qtbot.keyClicks(dialog.dev_spin, "0")
    assert dialog.options().dev == 0
    dialog.set_output(tmp_path / "c")
    export_and_wait(qtbot, dialog)
    summary = json.loads((tmp_path / "c" / "summary.json").read_text(encoding="utf-8"))
    assert summary["documents"] == {"train": 5}
    assert "the dev set is empty" in dialog.summary_view.toPlainText()


def test_export_dialog_single_files(dialog, qtbot, tmp_path):
    click(qtbot, dialog.single_file_check)
    dialog.set_output(tmp_path / "out")
    export_and_wait(qtbot, dialog)
    assert (tmp_path / "out" / "train.spacy").is_file() and (tmp_path / "out" / "dev.spacy").is_file()
    assert not (tmp_path / "out" / "train").exists()
    assert len(docbin(tmp_path / "out")) == 3


# ------------------------------------------------------------------ which documents
def test_export_dialog_include_checkboxes_choose_the_documents(dialog, qtbot, tmp_path):
    output = tmp_path / "tasks.jsonl"
    choose(qtbot, dialog.format_combo, "prodigy")
    dialog.set_output(output)
    assert dialog.include_checks["todo"].text() == "&To do (1)"
    click(qtbot, dialog.include_checks["done"])
    assert not dialog.export_button.isEnabled()  # nothing chosen, nothing to export
    click(qtbot, dialog.include_checks["todo"])
    click(qtbot, dialog.include_checks["skipped"])
    assert dialog.export_button.isEnabled()
    export_and_wait(qtbot, dialog)
    assert [t["text"] for t in jsonl(output)] == ["Fun 😀 in Paris.", "Nairobi is large."]
    assert dialog.summary_label.text().startswith("Exported 2 documents as prodigy")


def test_export_dialog_annotator_filter(project, qtbot, tmp_path):
    project.add_span(1, 28, 34, "DATE", annotator="bob")
    dlg = ExportDialog(project, Settings())
    qtbot.addWidget(dlg)
    dlg.show()
    # Two layers: each is offered with what it holds; a mix of annotators is not (docs/teams.md).
    assert [dlg.annotator_combo.itemText(i) for i in range(dlg.annotator_combo.count())] == [
        "every annotator, each as their own", "tester  (7 spans, 5 documents)", "bob  (1 span, 1 document)"]
    assert dlg.annotator_combo.currentData() == "tester"
    choose(qtbot, dlg.format_combo, "doccano")
    choose(qtbot, dlg.annotator_combo, "bob")
    dlg.set_output(tmp_path / "bob.jsonl")
    export_and_wait(qtbot, dlg)
    assert [row["label"] for row in jsonl(tmp_path / "bob.jsonl")] == [[[28, 34, "DATE"]], [], []]
    every = dlg.annotator_combo.model().item(0)
    assert not every.isEnabled()  # doccano's plain variant would mix them: not offered
    dlg.annotator_combo.setCurrentIndex(0)  # even when forced, the workflow refuses the mix, naming them
    dlg.set_output(tmp_path / "all.jsonl")
    export_and_wait(qtbot, dlg)
    assert dlg.summary_label.text() == "The export failed; nothing was written."
    assert "2 annotators' layers: tester" in dlg.summary_view.toPlainText() + dlg.message_label.text()
    assert not (tmp_path / "all.jsonl").exists()
    choose(qtbot, dlg.annotator_combo, "tester")
    export_and_wait(qtbot, dlg)
    assert jsonl(tmp_path / "all.jsonl")[0]["label"] == [[0, 9, "PERSON"], [18, 24, "GPE"]]
    choose(qtbot, dlg.variant_combo, "annotations")  # doccano 1.x keeps each annotator's spans as that user's
    assert every.isEnabled()
    choose(qtbot, dlg.annotator_combo, None)
    dlg.set_output(tmp_path / "users.jsonl")
    export_and_wait(qtbot, dlg)
    assert [(a["label"], a.get("user")) for a in jsonl(tmp_path / "users.jsonl")[0]["annotations"]] == [
        ("PERSON", "tester"), ("GPE", "tester"), ("DATE", "bob")]


# ------------------------------------------------------------------ other formats
def check_doccano_utf16(path: Path) -> None:
    rows = jsonl(path)
    assert rows[0] == {"text": "Fun 😀 in Paris.", "label": [[10, 15, "GPE"]], "title": "Three"}  # emoji counts 2


def check_brat(path: Path) -> None:
    assert sorted(p.name for p in path.iterdir()) == ["doc-000003.ann", "doc-000003.txt"]
    assert (path / "doc-000003.txt").read_text(encoding="utf-8") == "Fun 😀 in Paris."
    assert (path / "doc-000003.ann").read_text(encoding="utf-8").splitlines() == ["T1\tGPE 9 14\tParis"]


def check_conll(path: Path) -> None:
    lines = path.read_text(encoding="utf-8").splitlines()
    assert "Paris _ _ B-GPE" in lines and "Fun _ _ O" in lines


def check_csv(path: Path) -> None:
    with (path / "entities.csv").open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert [(r["title"], r["label"], r["start"], r["end"], r["text"]) for r in rows] == [
        ("Three", "GPE", "9", "14", "Paris")]
    assert (path / "claims.csv").is_file()


def check_webanno(path: Path) -> None:
    lines = (path / "doc-000003.tsv").read_text(encoding="utf-8").splitlines()
    assert lines[:2] == ["#FORMAT=WebAnno TSV 3.3", "#T_SP=de.tudarmstadt.ukp.dkpro.core.api.ner.type.NamedEntity"
                         "|identifier|value"]
    assert "1-4\t10-15\tParis\t*\tGPE\t" in lines  # UTF-16 offsets, as INCEpTION counts them: the emoji is 2


def check_labelstudio(path: Path) -> None:
    tasks = json.loads(path.read_text(encoding="utf-8"))
    value = tasks[0]["annotations"][0]["result"][0]["value"]
    assert (value["start"], value["end"], value["text"], value["labels"]) == (9, 14, "Paris", ["GPE"])


@pytest.mark.parametrize(("fmt", "name", "check", "utf16"), [
    ("doccano", "out.jsonl", check_doccano_utf16, True),
    ("labelstudio", "out.json", check_labelstudio, False),
    ("brat", "brat", check_brat, False),
    ("conll", "out.conll", check_conll, False),
    ("webanno", "inception", check_webanno, True),
    ("csv", "tables", check_csv, False),
])
def test_export_dialog_other_formats_write_their_files(dialog, qtbot, tmp_path, fmt, name, check, utf16):
    dialog.set_include(["todo"])
    choose(qtbot, dialog.format_combo, fmt)
    assert dialog.utf16_check.isVisibleTo(dialog) == (fmt in ("doccano", "labelstudio", "webanno"))
    if utf16:
        click(qtbot, dialog.utf16_check)
    dialog.set_output(tmp_path / name)
    export_and_wait(qtbot, dialog)
    check(tmp_path / name)
    assert dialog.summary_label.text().startswith(f"Exported 1 document as {fmt}")
    files = dialog.files_view.toPlainText().splitlines()
    assert files[0] == f"in {tmp_path / name if dialog.format_info.folder else tmp_path}:"
    if not dialog.format_info.folder:
        assert files[1:] == [f"  {name}"]  # the file's name, not "."
    assert not dialog.tabs.isTabVisible(1)  # the alignment report is the spaCy export's


def test_export_dialog_output_follows_the_format_until_chosen(dialog, qtbot, tmp_path):
    stem = Path(dialog.project_path).stem
    folder = Path(dialog.project_path).parent
    assert dialog.output == folder / f"{stem}-spacy"
    choose(qtbot, dialog.format_combo, "prodigy")
    assert dialog.output == folder / f"{stem}-prodigy.jsonl"
    assert dialog.output_hint.text() == "One file (.jsonl); an existing one is replaced."
    type_output(qtbot, dialog, tmp_path / "mine.jsonl")
    choose(qtbot, dialog.format_combo, "doccano")  # a file again: the chosen name stays
    assert dialog.output == tmp_path / "mine.jsonl"
    choose(qtbot, dialog.format_combo, "brat")  # a folder now: beside the chosen file
    assert dialog.output == tmp_path / f"{stem}-brat"
    choose(qtbot, dialog.format_combo, "labelstudio")  # another suffix: the usual name, same folder
    assert dialog.output == tmp_path / f"{stem}-labelstudio.json"
    choose(qtbot, dialog.format_combo, "prodigy")  # back: the choice was remembered
    assert dialog.output == tmp_path / "mine.jsonl"


def test_export_dialog_choose_button_and_remembered_folder(dialog, project, qtbot, tmp_path, monkeypatch):
    target = tmp_path / "picked"
    target.mkdir()
    monkeypatch.setattr(export_dialog.file_chooser, "folder", lambda *args, **kwargs: str(target / "corpus"))
    click(qtbot, dialog.choose_button)
    assert dialog.output == target / "corpus"
    assert Settings().value("export/folder") == str(target)
    again = ExportDialog(project, Settings())
    qtbot.addWidget(again)
    assert again.output == target / f"{Path(project.path).stem}-spacy"


# ------------------------------------------------------------------ cancel, Esc, errors
@pytest.fixture
def big_project(make_project):
    article = "Ana Silva visited Lisbon on Monday, and the IMF said Portugal grew. " * 4
    return make_project([(f"D{i}", f"{i}: {article}", "done", [(len(f"{i}: "), len(f"{i}: ") + 9, "PERSON")])
                         for i in range(5000)], name="big.annotator")


def test_export_dialog_cancel_leaves_the_output_folder_as_it_was(big_project, qtbot, tmp_path):
    output = tmp_path / "corpus"
    (output / "train.spacy").mkdir(parents=True)
    (output / "train.spacy" / "00001.spacy").write_bytes(b"an earlier export")
    (output / "config.cfg").write_text("[old]\n", encoding="utf-8")
    (output / "notes.md").write_text("mine\n", encoding="utf-8")
    before = listing(output)
    dlg = ExportDialog(big_project, Settings())
    qtbot.addWidget(dlg)
    dlg.show()
    dlg.set_output(output)
    click(qtbot, dlg.export_button)
    assert dlg.progress_bar.isVisible() and dlg.close_button.text() == "&Cancel Export"
    assert not dlg.format_combo.isEnabled() and not dlg.export_button.isEnabled()
    qtbot.waitUntil(lambda: "of 5000 documents" in dlg.progress_label.text(), timeout=EXPORT_TIMEOUT_MS)
    assert 0 < dlg.progress_bar.value() < 5000 and dlg.progress_bar.maximum() == 5000
    click(qtbot, dlg.close_button)
    assert dlg.progress_label.text() == "Cancelling: the output is left as it was…"
    qtbot.waitUntil(lambda: not dlg.is_running, timeout=EXPORT_TIMEOUT_MS)
    assert dlg.isVisible()  # cancelling does not close: it says what happened
    assert dlg.summary_label.text() == "Export cancelled: the output folder is unchanged."
    assert not dlg.progress_bar.isVisible() and dlg.close_button.text() == "&Close"
    assert listing(output) == before
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(".annotator-export")) == []
    assert not any(p.name.startswith(".annotator-export") for p in output.iterdir())


def test_export_dialog_escape_cancels_a_running_export_then_closes(big_project, qtbot, tmp_path):
    output = tmp_path / "tasks.jsonl"
    output.write_text("an earlier export\n", encoding="utf-8")
    dlg = ExportDialog(big_project, Settings())
    qtbot.addWidget(dlg)
    dlg.show()
    choose(qtbot, dlg.format_combo, "prodigy")
    dlg.set_output(output)
    click(qtbot, dlg.export_button)
    qtbot.waitUntil(lambda: "of 5000 documents" in dlg.progress_label.text(), timeout=EXPORT_TIMEOUT_MS)
    qtbot.keyClick(dlg, K.Key_Escape)
    assert dlg.isVisible()  # Esc while exporting cancels; it does not close
    qtbot.waitUntil(lambda: not dlg.is_running, timeout=EXPORT_TIMEOUT_MS)
    assert dlg.summary_label.text() == "Export cancelled: the output file is unchanged."
    assert output.read_text(encoding="utf-8") == "an earlier export\n"
    assert [p.name for p in tmp_path.iterdir() if not p.name.startswith("big.annotator")] == ["tasks.jsonl"]
    qtbot.keyClick(dlg, K.Key_Escape)
    assert not dlg.isVisible()


def test_export_dialog_output_under_a_file_is_refused_with_a_message(dialog, qtbot, tmp_path):
    (tmp_path / "notes.txt").write_text("x", encoding="utf-8")
    before = sorted(tmp_path.rglob("*"))
    dialog.set_output(tmp_path / "notes.txt" / "corpus")
    click(qtbot, dialog.export_button)
    assert dialog.job is None  # refused before any work
    assert dialog.summary_label.text() == "The export cannot start; nothing was written."
    assert dialog.message_label.text() == (f"{tmp_path / 'notes.txt'} is a file, so nothing can be written "
                                           "inside it: choose another output.")
    assert dialog.message_label.isVisible() and not dialog.tabs.isVisible()
    assert sorted(tmp_path.rglob("*")) == before


def test_export_dialog_exporter_error_is_shown_and_nothing_written(dialog, qtbot, tmp_path):
    existing = tmp_path / "corpus"
    existing.write_text("a file, not a folder", encoding="utf-8")
    dialog.set_output(existing)
    export_and_wait(qtbot, dialog)
    assert dialog.summary_label.text() == "The export failed; nothing was written."
    assert dialog.message_label.text().startswith(f"{existing} is a file; the spaCy export writes a folder")
    assert existing.read_text(encoding="utf-8") == "a file, not a folder"
    assert [p.name for p in tmp_path.iterdir() if p.name != "news.annotator" and not p.name.startswith("news.")] \
        == ["corpus"]
    assert not dialog.open_button.isVisible()


def test_export_dialog_unexpected_failure_keeps_the_traceback(dialog, qtbot, tmp_path, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("exporter bug")

    monkeypatch.setattr(export_report, "export_project", broken)
    dialog.set_output(tmp_path / "out")
    export_and_wait(qtbot, dialog)
    assert dialog.summary_label.text() == "The export failed; nothing was written."
    text = dialog.summary_view.toPlainText()
    assert text.startswith("RuntimeError: exporter bug") and "Traceback" in text
    assert dialog.tabs.isVisible() and not dialog.message_label.isVisible()


def test_export_dialog_survives_losing_its_last_reference_after_a_run(tmp_path):
    # The import dialog's crash (a lambda slot held the last reference to the dialog, freed
    # inside the deletion of its own Job), checked for this dialog, in a child process.
    from job_lifetime import run_lifetime_script

    out = run_lifetime_script(tmp_path, "export")
    assert "ran: Exported 1 document as prodigy" in out
    assert json.loads((tmp_path / "out.jsonl").read_text(encoding="utf-8"))["text"] == "An article about Lisbon."


# ------------------------------------------------------------------ the report
def test_export_dialog_copy_report(dialog, qtbot, tmp_path):
    dialog.set_output(tmp_path / "out")
    export_and_wait(qtbot, dialog)
    click(qtbot, dialog.copy_button)
    copied = QGuiApplication.clipboard().text()
    assert copied == report_text(dialog.result)
    assert copied.splitlines()[0] == dialog.summary_label.text()
    assert "Alignment report (2 spans):" in copied
    assert "  document 2 (Two): 13-18 GPE 'Portu': misaligned:" in copied
    assert f"  {tmp_path / 'out' / 'config.cfg'}" in copied.split("Files written")[1]


def test_export_dialog_open_folder(dialog, qtbot, tmp_path, monkeypatch):
    opened = []
    monkeypatch.setattr(export_dialog.QDesktopServices, "openUrl", lambda url: opened.append(url.toLocalFile()))
    choose(qtbot, dialog.format_combo, "conll")
    dialog.set_output(tmp_path / "x.conll")
    export_and_wait(qtbot, dialog)
    click(qtbot, dialog.open_button)
    assert opened == [str(tmp_path)]


def issue(doc_id: int, text: str, problem: str = "misaligned", moved: tuple[int, int] | None = None):
    return AlignmentIssue(doc_id, "A <b>title</b>", 3, 3 + len(text), "GPE", text, problem, "detail",
                          *(moved or (None, None)))


def test_export_dialog_issue_model_passes_qtmodeltester(qtmodeltester):
    model = IssueModel()
    qtmodeltester.check(model)
    model.set_issues([issue(1, "Lis"), issue(2, "two\nlines", "adjusted", (0, 12))])
    qtmodeltester.check(model)
    assert model.index(1, 2).data() == "“two ⏎ lines”"  # one line per row
    assert model.index(1, 1).data() == "3–12 → 0–12"
    assert model.index(0, 0).data() == "#1 A <b>title</b>"  # plain text, shown as it is
    assert "&lt;b&gt;" in model.index(0, 0).data(Qt.ItemDataRole.ToolTipRole)  # tooltips are rich text: escaped
    assert model.headerData(0, Qt.Orientation.Horizontal) == "Document"


def test_export_dialog_output_problem(tmp_path):
    (tmp_path / "f").write_text("x", encoding="utf-8")
    assert output_problem(tmp_path / "new" / "deeper" / "out") is None
    assert output_problem(tmp_path / "f" / "a" / "b").startswith(f"{tmp_path / 'f'} is a file")


@pytest.mark.parametrize("fmt", ["spacy", "prodigy", "doccano", "brat"])
def test_export_dialog_mnemonics_are_unique(dialog, fmt):
    from collections import Counter

    from test_shortcuts_dialog_mnemonics import mnemonics

    dialog.set_format(fmt)
    keys = mnemonics(dialog)
    twice = {k for k, n in Counter(k for k, _text in keys).items() if n > 1}
    assert not twice, [text for k, text in keys if k in twice]


def test_export_dialog_hidden_option_rows_leave_no_gap(dialog, qtbot):
    tall = dialog.height()
    dialog.set_format("brat")
    qtbot.waitUntil(lambda: dialog.height() < tall)
    assert dialog.no_options.isVisibleTo(dialog) and not dialog.alignment_combo.isVisibleTo(dialog)
    # The buttons sit right under the options: no blank band left by the rows that went.
    gap = dialog.button_box.geometry().top() - dialog.options_box.geometry().bottom()
    assert gap < 40, gap


def test_export_dialog_file_system_error_is_a_sentence(dialog, qtbot, tmp_path, monkeypatch):
    def refused(*args, **kwargs):
        raise PermissionError(13, "Permission denied", str(tmp_path / "locked"))

    monkeypatch.setattr(export_report, "export_project", refused)
    dialog.set_output(tmp_path / "out")
    export_and_wait(qtbot, dialog)
    assert dialog.summary_label.text() == "The export failed; nothing was written."
    assert dialog.message_label.text() == (f"Permission denied: {tmp_path / 'locked'}. Nothing was written; choose "
                                           "another folder, or free some space, and export again.")  # no traceback


def test_export_dialog_stays_within_the_window_after_an_export(project, qtbot, tmp_path):
    Settings().set_value("annotator/name", "alice")
    win = show_window(qtbot, MainWindow(project), size=(900, 640), focus_text=True)
    seen: dict = {}

    def drive(dlg: ExportDialog) -> None:
        type_output(qtbot, dlg, tmp_path / "corpus")
        qtbot.keyClick(dlg.output_edit, K.Key_Return)
        qtbot.waitUntil(lambda: not dlg.is_running, timeout=EXPORT_TIMEOUT_MS)
        qtbot.wait(20)
        seen["size"] = (dlg.width(), dlg.height())
        seen["minimum"] = dlg.minimumSizeHint().width()
        qtbot.keyClick(dlg, K.Key_Escape)

    run_modal(qtbot, lambda: key(qtbot, win, K.Key_E, M.ControlModifier), drive)
    assert seen["size"][0] <= win.width() and seen["size"][1] <= win.height()
    assert seen["minimum"] <= win.width()
    win.shut_down()


@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0, reason="needs a folder this user cannot write")
def test_export_dialog_unwritable_folder_names_the_chosen_folder(dialog, qtbot, tmp_path):
    locked = tmp_path / "locked"
    locked.mkdir()
    locked.chmod(0o555)
    try:
        dialog.set_output(locked / "corpus")
        dialog.start()
        qtbot.waitUntil(lambda: not dialog.is_running, timeout=EXPORT_TIMEOUT_MS)
        shown = dialog.message_label.text() + dialog.summary_view.toPlainText()
        assert str(locked) in shown and ".annotator-export" not in shown
        assert "Choose a folder you can write to" in shown
    finally:
        locked.chmod(0o755)


def test_export_dialog_staging_folder_error_names_the_output(tmp_path, monkeypatch):
    """As root a read-only folder is writable: the refusal is made by the file system here."""
    from pathlib import Path

    from annotator.workflows.export_common import ExportError, staging_folder

    def refuse(self, *args, **kwargs):
        raise OSError(30, "Read-only file system", str(self))

    monkeypatch.setattr(Path, "mkdir", refuse)
    with pytest.raises(ExportError) as refused:
        staging_folder(tmp_path / "out" / "corpus")
    assert str(tmp_path / "out") in str(refused.value) and ".annotator-export" not in str(refused.value)
    assert "Read-only file system" in str(refused.value)


def test_export_dialog_offers_the_gold_layer_and_exports_it_by_default(qtbot, tmp_path):
    from review_projects import build, offsets

    path = tmp_path / "review.annotator"
    ids = build(path)
    with Project.open(path) as reviewing:
        reviewing.accept_agreed(ids[1], "lead")
        reviewing.set_reviewed(ids[1])
    with Project.open(path) as project:
        dlg = ExportDialog(project, Settings())
        qtbot.addWidget(dlg)
        dlg.show()
        texts = [dlg.annotator_combo.itemText(i) for i in range(dlg.annotator_combo.count())]
        assert texts[0] == "the gold layer (reviewed)" and "gold (reviewed)" in texts
        choose(qtbot, dlg.format_combo, "doccano")
        dlg.set_output(tmp_path / "gold.jsonl")
        export_and_wait(qtbot, dlg)  # reviewed documents of gold, not a mix of annotators
        assert [row["label"] for row in jsonl(tmp_path / "gold.jsonl")] == [[[*offsets(1, "Lyon"), "GPE"]]]
