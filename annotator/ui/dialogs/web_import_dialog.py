"""File > Import from the Web…: addresses or a feed in, articles out, a line per address in the report.

    dialog = WebImportDialog(project, parent=window)
    dialog.imported.connect(refresh_lists)   # FetchReport; also after a cancel
    dialog.exec()

The fetch runs in a ``Job`` with a Project of its own on the same file (workflows/fetching.py
does the work). Cancel stops starting requests; the ones under way finish and their pages
are stored, so fetching the same addresses again resumes where it stopped.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QBrush, QGuiApplication, QPalette
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QDoubleSpinBox,
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QSpinBox,
    QStyledItemDelegate,
    QTreeWidget,
    QTreeWidgetItem,
    QWidget,
)

from ...core.problems import InputError
from ...store import Project, ProjectError
from ...workflows.fetching import FetchCancelled, FetchReport, fetch_pages
from ...workflows.http_fetch import Fetcher, FetchSettings
from ...workflows.page_archive import archive_folder
from ...workflows.url_sources import FeedError, UrlEntry, read_feed, read_url_list, url_lines
from ..common import file_chooser
from ..common.plain_text import plain_label as _plain
from .job_report_dialog import JobReportDialog
from ..jobs.worker import JobCancelled, JobContext

TYPED = "typed"  # where a typed address comes from, in problems and the report: "typed:2"
SHOWN_OUTCOME = {"added": "Added", "in project": "Already in project", "duplicate": "Duplicate", "failed": "Failed",
                 "not fetched": "Not fetched"}


class _ElideRight(QStyledItemDelegate):
    """Details read from the left; the view elides the middle, where two addresses are alike."""

    def initStyleOption(self, option, index) -> None:  # noqa: ANN001, N802 - Qt's name
        super().initStyleOption(option, index)
        option.textElideMode = Qt.TextElideMode.ElideRight


def run_fetch(project_path: Path, text: str, lists: list[str], feeds: list[str], settings: FetchSettings,
              ctx: JobContext) -> FetchReport:
    """The job: read the addresses, then fetch them with a Project of this thread's own."""
    entries: list[UrlEntry] = url_lines(text, TYPED)
    for path in lists:
        entries.extend(read_url_list(path))
    fetcher = Fetcher(settings, ctx.is_cancelled)
    for feed in feeds:
        ctx.progress(0, 0, f"reading the feed {feed}")
        entries.extend(read_feed(fetcher, feed))
    if not entries:
        raise InputError([])
    with Project.open(project_path) as project:
        try:
            return fetch_pages(project, entries, settings, ctx.progress, ctx.is_cancelled, fetcher)
        except FetchCancelled as exc:
            raise JobCancelled(exc.report) from None


class WebImportDialog(JobReportDialog):
    """Fetch web pages into ``project``; emits ``imported(report)`` when anything was fetched."""

    result_size = (860, 720)

    imported = Signal(object)  # FetchReport (after success or cancel)

    def __init__(self, project: Project, parent: QWidget | None = None):
        super().__init__(parent)
        self.project_path = Path(project.path)
        self._read_only = project.read_only
        self.report: FetchReport | None = None
        self.lists: list[str] = []
        self.setWindowTitle(f"Import from the Web into {self.project_path.name}")
        self.setObjectName("webImportDialog")
        self._build()
        self._update_buttons()

    # ------------------------------------------------------------------ layout
    def _build(self) -> None:
        self.addresses = QPlainTextEdit()
        self.addresses.setObjectName("webAddresses")
        self.addresses.setPlaceholderText("https://news.example/2025/03/an-article.html\n"
                                          "https://other.example/story?id=123\n(one address a line)")
        self.addresses.setTabChangesFocus(True)
        self.addresses.textChanged.connect(self._update_buttons)
        self.load_button = QPushButton("&Load List…")
        self.load_button.setToolTip("A text file with one address a line, or a CSV file with a url column")
        self.load_button.setAutoDefault(False)
        self.load_button.clicked.connect(self.choose_list)
        self.lists_label = _plain(wrap=True)
        self.lists_label.setObjectName("webLists")
        self.lists_label.hide()
        self.feed = QLineEdit()
        self.feed.setObjectName("webFeed")
        self.feed.setPlaceholderText("https://news.example/rss.xml (optional)")
        self.feed.textChanged.connect(self._update_buttons)
        sources = QGroupBox("Web pages to import")
        form = QFormLayout(sources)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        list_row = QHBoxLayout()
        list_row.addWidget(self.lists_label, 1)
        list_row.addWidget(self.load_button, 0, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignTop)
        form.addRow(_plain("&Addresses:", self.addresses), self.addresses)
        form.addRow("", list_row)
        form.addRow(_plain("RSS or Atom &feed:", self.feed), self.feed)

        self.concurrency = QSpinBox()
        self.concurrency.setRange(1, 32)
        self.concurrency.setValue(FetchSettings.concurrency)
        self.concurrency.setToolTip("Requests under way at once, over all sites")
        self.delay = QDoubleSpinBox()
        self.delay.setRange(0.0, 60.0)
        self.delay.setSingleStep(0.5)
        self.delay.setSuffix(" s")
        self.delay.setValue(FetchSettings.delay)
        self.delay.setToolTip("Time between two requests to the same site; a longer Crawl-delay in its robots.txt wins")
        self.timeout = QDoubleSpinBox()
        self.timeout.setRange(0.5, 300.0)
        self.timeout.setSuffix(" s")
        self.timeout.setValue(FetchSettings.timeout)
        self.retries = QSpinBox()
        self.retries.setRange(0, 10)
        self.retries.setValue(FetchSettings.retries)
        self.retries.setToolTip("Further attempts after a timeout, a lost connection, 429 or 5xx; waits double")
        self.ignore_robots = QCheckBox("Fetch pages that the site's robots.txt &disallows")
        options = QGroupBox("Options")
        grid = QGridLayout(options)
        for index, (label, widget) in enumerate((("&Concurrent requests:", self.concurrency),
                                                 ("Dela&y between requests to a site:", self.delay),
                                                 ("&Timeout per request:", self.timeout), ("&Retries:", self.retries))):
            row, column = divmod(index, 2)
            grid.addWidget(_plain(label, widget), row, column * 3)
            grid.addWidget(widget, row, column * 3 + 1)
        grid.setColumnMinimumWidth(2, 24)
        grid.setColumnStretch(5, 1)
        archive = archive_folder(self.project_path)
        note = _plain(f"The raw pages are kept in {archive.name}/ beside the project. Addresses already in "
                      "the project are skipped, so a cancelled fetch resumes when you start it again.", wrap=True)
        note.setEnabled(False)
        grid.addWidget(self.ignore_robots, 2, 0, 1, 6)
        grid.addWidget(note, 3, 0, 1, 6)

        report_view = QTreeWidget()
        report_view.setRootIsDecorated(False)
        report_view.setUniformRowHeights(True)
        report_view.setAlternatingRowColors(True)
        report_view.setTextElideMode(Qt.TextElideMode.ElideMiddle)  # an address differs at its end
        report_view.setItemDelegateForColumn(2, _ElideRight(report_view))
        report_view.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        report_view.setHeaderLabels(["Result", "Address", "Details"])
        header = report_view.header()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)
        report_view.setMinimumHeight(220)
        self.fetch_button = self._build_frame("web", sources, options, report_view, "&Fetch and Import",
                                              "webFetchButton")
        self.setMinimumWidth(680)

    # ------------------------------------------------------------------ inputs
    def choose_list(self) -> None:
        path = file_chooser.open_file(self, "Choose a List of Addresses", str(self.project_path.parent),
                                      "Address lists (*.txt *.csv *.tsv);;All files (*)")
        if path:
            self.add_list(path)

    def add_list(self, path: str) -> None:
        if path not in self.lists:
            self.lists.append(path)
        self.lists_label.setText("Lists: " + ", ".join(Path(p).name for p in self.lists))
        self.lists_label.setToolTip("\n".join(self.lists))
        self.lists_label.show()
        self._update_buttons()

    def settings(self) -> FetchSettings:
        return FetchSettings(concurrency=self.concurrency.value(), delay=self.delay.value(),
                             timeout=self.timeout.value(), retries=self.retries.value(),
                             obey_robots=not self.ignore_robots.isChecked())

    def _has_input(self) -> bool:
        return bool(self.addresses.toPlainText().strip() or self.feed.text().strip() or self.lists)

    # ------------------------------------------------------------------ running
    def start(self) -> None:
        if self.is_running or not self._has_input() or self._read_only:
            return
        text, lists, settings, project_path = self.addresses.toPlainText(), list(self.lists), self.settings(), \
            self.project_path
        feeds = [self.feed.text().strip()] if self.feed.text().strip() else []
        self.report = None
        self._run_job(lambda ctx: run_fetch(project_path, text, lists, feeds, settings, ctx),
                      "Reading the addresses…")

    def cancel(self) -> None:
        self._cancel_saying("Cancelling: waiting for the requests under way; their pages are kept…")

    def _show_progress(self, value: tuple[int, int, str]) -> None:
        done, total, current = value
        if total:
            self.progress_bar.setRange(0, total)
            self.progress_bar.setValue(done)
        if self.job is not None and self.job.is_cancel_requested:
            return
        if not total:
            self.progress_label.setText(current[:1].upper() + current[1:] + "…")
        else:
            self.progress_label.setText(f"{done} of {total} addresses done" + (f" (last: {current})" if current else ""))

    def _succeeded(self, report: FetchReport) -> None:
        self._show_report(report, cancelled=False)

    def _cancelled(self, report: FetchReport | None) -> None:
        self._show_report(report or FetchReport(), cancelled=True)

    def _show_report(self, report: FetchReport, cancelled: bool) -> None:
        self.report = report
        headline = report.summary()
        headline = headline[:1].upper() + headline[1:] + "."
        if cancelled:
            headline = "Cancelled. " + headline + " Fetch again to resume."
        self.summary_label.setText(headline)
        self.report_view.clear()
        muted = self.palette().color(QPalette.ColorRole.PlaceholderText)
        for outcome in report.outcomes:
            details = outcome.reason
            if outcome.outcome == "added" and outcome.doc_id is not None:
                details = f"document #{outcome.doc_id}"
            item = QTreeWidgetItem([SHOWN_OUTCOME.get(outcome.outcome, outcome.outcome), outcome.url, details])
            item.setToolTip(1, outcome.url)
            item.setToolTip(2, details)
            if outcome.outcome in ("in project", "not fetched"):
                for column in range(3):
                    item.setForeground(column, QBrush(muted))
            if outcome.outcome == "failed":
                font = item.font(0)
                font.setBold(True)
                item.setFont(0, font)
            self.report_view.addTopLevelItem(item)
        self.report_view.setColumnWidth(1, max(260, self.width() // 2 - 60))
        self._show_result()
        self.imported.emit(report)

    def _failed(self, error: BaseException, trace: str) -> None:
        if isinstance(error, InputError) and not error.problems:
            text = "Nothing to fetch: the lists and the feed hold no addresses."
        elif isinstance(error, (InputError, FeedError, ProjectError)):
            text = str(error)
        else:  # a bug: keep everything a bug report needs
            text = f"{type(error).__name__}: {error}\n\n{trace}"
        self.summary_label.setText("Nothing was fetched.")
        self.report_view.clear()
        for line in text.splitlines() or [text]:
            self.report_view.addTopLevelItem(QTreeWidgetItem(["Error", "", line]))
        self._show_result()

    def _update_buttons(self) -> None:
        running = self.is_running
        for widget in (self.addresses, self.feed, self.load_button, self.concurrency, self.delay, self.timeout,
                       self.retries, self.ignore_robots):
            widget.setEnabled(not running)
        self.fetch_button.setEnabled(not running and self._has_input() and not self._read_only)
        self.close_button.setEnabled(not (running and self.job is not None and self.job.is_cancel_requested))
        if running:
            self.close_button.setText("&Cancel Fetch")

    def report_text(self) -> str:
        lines = [self.summary_label.text()]
        for row in range(self.report_view.topLevelItemCount()):
            item = self.report_view.topLevelItem(row)
            lines.append("\t".join(item.text(column) for column in range(3)))
        return "\n".join(lines)

    def copy_report(self) -> None:
        QGuiApplication.clipboard().setText(self.report_text())
