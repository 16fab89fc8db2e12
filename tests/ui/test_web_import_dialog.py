"""File > Import from the Web…: typed addresses and a feed, fetched off the GUI thread into the file."""

from __future__ import annotations

import sqlite3

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication
from web_site import EXPECTED_TEXT, HARBOUR, NewsSite
from window_driver import show_window

from annotator.store import Project
from annotator.ui.dialogs.web_import_dialog import WebImportDialog
from annotator.ui.window.main_window import MainWindow
from annotator.ui.common.settings import Settings

RAIL = "/world/2025/04/rail-strike.html"


@pytest.fixture
def site():
    with NewsSite() as running:
        yield running


@pytest.fixture
def dialog(project, qtbot):
    dlg = WebImportDialog(project)
    qtbot.addWidget(dlg)
    dlg.show()
    qtbot.waitExposed(dlg)
    return dlg


def click(qtbot, widget) -> None:
    qtbot.mouseClick(widget, Qt.MouseButton.LeftButton)


def quick(qtbot, dlg: WebImportDialog, delay: str = "0") -> None:
    """Short waits, set through the spin boxes as a user would."""
    for spin, text in ((dlg.delay, delay), (dlg.timeout, "1"), (dlg.retries, "0")):
        spin.selectAll()
        qtbot.keyClicks(spin.lineEdit(), text)
        spin.interpretText()


def type_lines(qtbot, widget, lines: list[str]) -> None:
    """Typed as a user types them (keyClicks takes no line breaks: Return between them)."""
    for number, line in enumerate(lines):
        if number:
            qtbot.keyClick(widget, Qt.Key.Key_Return)
        qtbot.keyClicks(widget, line)


def texts(path) -> list[str]:
    conn = sqlite3.connect(path)
    try:
        return [row[0] for row in conn.execute("SELECT text FROM documents ORDER BY position")]
    finally:
        conn.close()


def report_rows(dlg: WebImportDialog) -> list[tuple[str, str, str]]:
    view = dlg.report_view
    return [tuple(view.topLevelItem(i).text(c) for c in range(3)) for i in range(view.topLevelItemCount())]


def test_web_import_dialog_fetches_typed_addresses_into_the_file(dialog, project, qtbot, site):
    assert not dialog.fetch_button.isEnabled()  # nothing to fetch yet
    dialog.addresses.setFocus()
    type_lines(qtbot, dialog.addresses, [site.url(HARBOUR), site.url("/gone.html"),
                                         site.url("/news/2025/03/harbour-barrier/amp")])
    quick(qtbot, dialog)
    reports = []
    dialog.imported.connect(reports.append)
    click(qtbot, dialog.fetch_button)
    assert dialog.is_running and dialog.close_button.text() == "&Cancel Fetch"
    qtbot.waitUntil(lambda: not dialog.is_running, timeout=20000)

    assert texts(project.path) == [EXPECTED_TEXT["harbour-barrier.html"]]
    assert project.document_count() == 1
    assert dialog.summary_label.text() == ("1 added, 0 already in the project, 1 duplicate, 1 failed (1 HTTP error).")
    assert report_rows(dialog) == [
        ("Added", site.url(HARBOUR), "document #1"),
        ("Failed", site.url("/gone.html"), "HTTP 404 Not Found"),
        ("Duplicate", site.url("/news/2025/03/harbour-barrier/amp"),
         f"same article (canonical address) as typed:1 ({site.url(HARBOUR)})")]
    assert len(reports) == 1 and dialog.close_button.text() == "Close"


def test_web_import_dialog_reads_a_feed(dialog, project, qtbot, site):
    dialog.feed.setFocus()
    qtbot.keyClicks(dialog.feed, site.url("/feed.xml"))
    quick(qtbot, dialog)
    qtbot.keyClick(dialog.feed, Qt.Key.Key_Return)  # the default button
    qtbot.waitUntil(lambda: dialog.report is not None and not dialog.is_running, timeout=20000)
    assert [row[0] for row in report_rows(dialog)] == ["Added"] * 4 + ["Failed"]
    assert len(texts(project.path)) == 4


def test_web_import_dialog_cancel_keeps_what_came_and_resumes(dialog, project, qtbot, site):
    paths = [HARBOUR, RAIL, "/regional/valle-fiesta.html", "/news/2025/04/library-reopens.html"]
    type_lines(qtbot, dialog.addresses, [site.url(p) for p in paths])
    quick(qtbot, dialog, delay="0.3")  # one site, so one request every 0.3 s
    dialog.concurrency.setValue(1)
    click(qtbot, dialog.fetch_button)
    qtbot.waitUntil(lambda: len(site.pages_asked()) >= 1, timeout=10000)
    click(qtbot, dialog.close_button)  # "Cancel Fetch"
    qtbot.waitUntil(lambda: not dialog.is_running, timeout=10000)
    assert dialog.summary_label.text().startswith("Cancelled. 1 added")
    assert [row[0] for row in report_rows(dialog)].count("Not fetched") >= 2
    kept = texts(project.path)
    assert kept and kept[0] == EXPECTED_TEXT["harbour-barrier.html"]

    quick(qtbot, dialog)
    click(qtbot, dialog.fetch_button)
    qtbot.waitUntil(lambda: not dialog.is_running, timeout=20000)
    assert [row[0] for row in report_rows(dialog)][0] == "Already in project"
    assert len(texts(project.path)) == 4
    assert sorted(site.pages_asked()) == sorted(paths)  # nothing fetched twice


def test_web_import_dialog_names_a_bad_address(dialog, project, qtbot):
    type_lines(qtbot, dialog.addresses, ["https://ok.example/a", "news.example/b"])
    click(qtbot, dialog.fetch_button)
    qtbot.waitUntil(lambda: not dialog.is_running, timeout=10000)
    assert dialog.summary_label.text() == "Nothing was fetched."
    assert report_rows(dialog) == [
        ("Error", "", "typed:2: url: 'news.example/b' is not an http:// or https:// address")]
    assert texts(project.path) == []


def test_web_import_dialog_from_the_file_menu(project, qtbot, site):
    Settings().set_value("annotator/name", "alice")
    window = show_window(qtbot, MainWindow(project))
    action = window.actions_by_id["file.import_web"]
    assert action in window.menuBar().actions()[0].menu().actions()
    done = []

    def drive() -> None:
        dlg = QApplication.activeModalWidget()
        if not isinstance(dlg, WebImportDialog):
            QTimer.singleShot(10, drive)
            return
        try:
            qtbot.keyClicks(dlg.addresses, site.url(RAIL))
            quick(qtbot, dlg)
            click(qtbot, dlg.fetch_button)
            qtbot.waitUntil(lambda: not dlg.is_running, timeout=20000)
            done.append(dlg.summary_label.text())
        finally:
            dlg.done(0)

    QTimer.singleShot(0, drive)
    action.trigger()
    assert done == ["1 added, 0 already in the project, 0 duplicates, 0 failed."]
    assert window.document_pane.model.rowCount() == 1  # the window's list caught up
    with Project.open(project.path, check=False) as again:
        assert again.document(1).text == EXPECTED_TEXT["rail-strike.html"]
    window.shut_down()
