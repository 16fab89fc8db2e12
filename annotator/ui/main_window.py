"""The main window: the document list, the selected article, and its spans.

A minimal reader for now; the annotation window grows out of it.
"""

from __future__ import annotations

from PySide6.QtCore import QItemSelectionModel, QModelIndex, QSize, Qt
from PySide6.QtGui import QAction, QCloseEvent, QColor, QIcon, QKeySequence, QPixmap
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHeaderView,
    QLabel,
    QListView,
    QMainWindow,
    QSplitter,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ..core.model import Document
from ..store import Project
from .document_model import DocumentListModel
from .reading_view import ReadingView
from .settings import Settings

STATUS_FILTERS: tuple[tuple[str, str | None], ...] = (
    ("All documents", None), ("To do", "todo"), ("Done", "done"), ("Skipped", "skipped"),
)
INITIAL_SIZE = QSize(1200, 800)
INITIAL_SPLIT = (280, 640, 280)


def _plain_label(text: str = "") -> QLabel:
    label = QLabel(text)
    label.setTextFormat(Qt.TextFormat.PlainText)
    return label


class MainWindow(QMainWindow):
    def __init__(self, project: Project, settings: Settings | None = None, parent: QWidget | None = None):
        super().__init__(parent)
        self.project = project
        self.settings = settings if settings is not None else Settings()
        self.setWindowTitle(f"{project.path.stem} — annotator")
        self._label_icons: dict[str, QIcon] = {}

        self.document_model = DocumentListModel(project, self)
        self._build_panes()
        self._build_menus()
        self._build_status_bar()

        self.resize(INITIAL_SIZE)
        self.splitter.setSizes(list(INITIAL_SPLIT))
        self._restore_settings()

        self.document_list.selectionModel().currentRowChanged.connect(self._current_row_changed)
        self.status_filter.currentIndexChanged.connect(self._status_filter_changed)
        self._select_row(0)
        self._update_status_bar()

    # ---------------------------------------------------------------- building
    def _build_panes(self) -> None:
        self.status_filter = QComboBox()
        self.status_filter.setObjectName("statusFilter")
        self.status_filter.setToolTip("Show only the documents with this status")
        for text, status in STATUS_FILTERS:
            self.status_filter.addItem(text, status)

        self.document_list = QListView()
        self.document_list.setObjectName("documentList")
        self.document_list.setModel(self.document_model)
        # Without uniform sizes the view would ask every row for its size hint, i.e. read
        # every page of a 100,000-document project at start.
        self.document_list.setUniformItemSizes(True)
        self.document_list.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.document_list.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.document_list.setTextElideMode(Qt.TextElideMode.ElideRight)
        # Long titles are elided at the pane's edge rather than scrolled sideways.
        self.document_list.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.document_list.setWordWrap(False)
        self.document_list.setSpacing(1)

        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(6, 6, 0, 6)
        left_layout.addWidget(self.status_filter)
        left_layout.addWidget(self.document_list)

        self.text_view = ReadingView()
        self.text_view.setObjectName("documentText")

        self.span_list = QTreeWidget()
        self.span_list.setObjectName("spanList")
        self.span_list.setColumnCount(2)
        self.span_list.setHeaderLabels(["Label", "Text"])
        self.span_list.setRootIsDecorated(False)
        self.span_list.setUniformRowHeights(True)
        self.span_list.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.span_list.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.span_list.header().setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        self.span_list.header().setStretchLastSection(True)
        self.span_title = _plain_label("Spans")
        self.span_title.setObjectName("spanTitle")

        right = QWidget()
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(0, 6, 6, 6)
        right_layout.addWidget(self.span_title)
        right_layout.addWidget(self.span_list)

        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.setObjectName("mainSplitter")
        self.splitter.addWidget(left)
        self.splitter.addWidget(self.text_view)
        self.splitter.addWidget(right)
        self.splitter.setStretchFactor(0, 0)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setStretchFactor(2, 0)
        for pane in range(3):
            self.splitter.setCollapsible(pane, pane != 1)
        self.setCentralWidget(self.splitter)

    def _build_menus(self) -> None:
        file_menu = self.menuBar().addMenu("&File")
        self.quit_action = QAction("&Quit", self)
        self.quit_action.setShortcut(QKeySequence("Ctrl+Q"))
        self.quit_action.setShortcutContext(Qt.ShortcutContext.ApplicationShortcut)
        self.quit_action.setMenuRole(QAction.MenuRole.QuitRole)
        self.quit_action.triggered.connect(self.close)
        file_menu.addAction(self.quit_action)

    def _build_status_bar(self) -> None:
        self.position_label = _plain_label()
        self.position_label.setObjectName("positionLabel")
        self.progress_label = _plain_label()
        self.progress_label.setObjectName("progressLabel")
        self.statusBar().addWidget(self.position_label, 1)
        self.statusBar().addPermanentWidget(self.progress_label)

    # -------------------------------------------------------------- behaviour
    @property
    def current_document_id(self) -> int | None:
        index = self.document_list.currentIndex()
        return self.document_model.document_id(index.row()) if index.isValid() else None

    def _select_row(self, row: int) -> None:
        if self.document_model.rowCount() == 0:
            self._show_document(None)
            return
        index = self.document_model.index(row, 0)
        self.document_list.selectionModel().setCurrentIndex(
            index, QItemSelectionModel.SelectionFlag.ClearAndSelect
        )
        self.document_list.scrollTo(index)

    def _current_row_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        doc_id = self.document_model.document_id(current.row()) if current.isValid() else None
        self._show_document(self.project.document(doc_id) if doc_id is not None else None)
        self._update_status_bar()

    def _status_filter_changed(self, _index: int) -> None:
        self.document_model.set_status_filter(self.status_filter.currentData())
        self._select_row(0)
        self._update_status_bar()

    def _show_document(self, document: Document | None) -> None:
        self.span_list.clear()
        if document is None:
            self.text_view.clear()
            self.text_view.setPlaceholderText(
                "No documents in this project yet." if self.document_model.status_filter is None
                else "No documents with this status."
            )
            self.span_title.setText("Spans")
            return
        self.text_view.setPlainText(document.text)
        spans = self.project.spans(document.id)
        self.span_title.setText(f"Spans ({len(spans)})" if spans else "Spans (none yet)")
        items = []
        for span in spans:
            item = QTreeWidgetItem([span.label, " ".join(span.text.split())])
            item.setIcon(0, self._label_icon(span.label))
            item.setToolTip(1, f"{span.label} · characters {span.start}–{span.end}\n{span.text}")
            items.append(item)
        self.span_list.addTopLevelItems(items)

    def _label_icon(self, name: str) -> QIcon:
        if not self._label_icons:
            for label in self.project.labels():
                pixmap = QPixmap(12, 12)
                pixmap.fill(QColor(label.color))
                self._label_icons[label.name] = QIcon(pixmap)
        return self._label_icons.get(name, QIcon())

    def _update_status_bar(self) -> None:
        shown = self.document_model.rowCount()
        current = self.document_list.currentIndex()
        if shown == 0:
            position = "no documents"
        elif current.isValid():
            position = f"document {current.row() + 1:,} of {shown:,}"
        else:
            position = f"{shown:,} documents"
        self.position_label.setText(position)
        total = self.project.document_count()
        done = self.project.document_count("done")
        self.progress_label.setText(f"{done:,} of {total:,} done")

    # --------------------------------------------------------------- settings
    def _restore_settings(self) -> None:
        geometry = self.settings.value("main_window/geometry")
        if not geometry.isEmpty():
            self.restoreGeometry(geometry)
        state = self.settings.value("main_window/state")
        if not state.isEmpty():
            self.restoreState(state)
        splitter = self.settings.value("main_window/splitter")
        if not splitter.isEmpty():
            self.splitter.restoreState(splitter)

    def save_settings(self) -> None:
        self.settings.set_value("main_window/geometry", self.saveGeometry())
        self.settings.set_value("main_window/state", self.saveState())
        self.settings.set_value("main_window/splitter", self.splitter.saveState())
        self.settings.sync()

    def closeEvent(self, event: QCloseEvent) -> None:
        self.save_settings()
        super().closeEvent(event)
