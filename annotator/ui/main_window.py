"""The annotation window: documents on the left, the article in the middle, its spans on the
right, the label bar on top, progress in the status bar.

Building and housekeeping live here (panes, menus, status bar, settings, the editing lock,
background jobs, switching projects); what keys and clicks do is in ``window_editing``.
"""

from __future__ import annotations

import contextlib
import sqlite3
from pathlib import Path

from PySide6.QtCore import QSize, Qt, QTimer
from PySide6.QtGui import QAction, QActionGroup, QCloseEvent
from PySide6.QtWidgets import (
    QApplication,
    QFileDialog,
    QMainWindow,
    QMenu,
    QMessageBox,
    QSplitter,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from .plain_text import plain_label as _plain_label
from ..store import Project, ProjectError
from .background import IntegrityCheck, SearchIndexer, Tokenizer
from .claim_flow import ClaimFlow
from .document_pane import DocumentPane
from .editor import Editor
from .label_bar import LabelBar
from .recent import RecentProjects
from .settings import THEMES, ZOOM_STEPS, Settings
from .span_table import SpanTable, SpanTableModel
from .suggestions import SuggestionController
from .text_view import AnnotationView
from .themes import apply_theme
from .window_actions import EDITING, build_actions, menu
from .window_editing import EditingMixin

INITIAL_SIZE = QSize(1200, 800)
INITIAL_SPLIT = (260, 580, 360)  # the span table needs room for its three columns
HEARTBEAT_MS = 30_000
MESSAGE_MS = 8_000
PROJECT_FILTER = "annotator projects (*.annotator);;All files (*)"

# Windows open in this process: kept referenced here (a top-level window has no parent).
OPEN_WINDOWS: set[MainWindow] = set()




class MainWindow(EditingMixin, QMainWindow):
    def __init__(self, project: Project, settings: Settings | None = None, parent: QWidget | None = None, *,
                 owns_project: bool = False, checked: bool = True):
        super().__init__(parent)
        self.project = project
        self.settings = settings if settings is not None else Settings()
        self.owns_project = owns_project  # close it (and release its lock) when the window closes
        self._title = ""
        self._counts: tuple[int, int] | None = None
        self._closed = False
        annotator = self.settings.value("annotator/name").strip() or None
        self.editor = Editor(project, annotator, self)
        self.tokenizer = Tokenizer(project.language, self)
        self.indexer = SearchIndexer(project.path, self)
        self.integrity = IntegrityCheck(project.path, self)
        self.integrity.done.connect(self._integrity_checked)
        self.integrity.unavailable.connect(self._integrity_unavailable)
        # False: opened without the integrity check; it runs in the background, edits allowed
        # meanwhile (issue 17). A file as this program closed it (its clean-close record
        # matched) needs none.
        checked = checked or project.verified is True
        if checked:
            project.note_check([])  # known sound: the close leaves the clean-close record
        self._checked = checked
        self._sound = checked  # known to have passed the check (remembered at a clean close)
        project.on_lock_lost = self._lock_taken_over  # a write found the lock taken over
        self.recent = RecentProjects(self.settings)
        self.recent.add(project.path)

        self._build_panes()
        self.suggestions = SuggestionController(self)  # model in the loop: keys on suggestions, Model menu
        self._build_actions()
        self._build_status_bar()
        self._connect()
        self.resize(INITIAL_SIZE)
        self.splitter.setSizes(list(INITIAL_SPLIT))
        self._restore_settings()
        self.reload_labels()
        self._apply_read_only()

        self.heartbeat_timer = QTimer(self)
        self.heartbeat_timer.setInterval(HEARTBEAT_MS)
        self.heartbeat_timer.timeout.connect(self._heartbeat)
        if not project.read_only:
            self.heartbeat_timer.start()
        self.document_pane.select_row(0)
        if self.text_view.doc_id is None:
            self.show_document(None)
        self.text_view.setFocus()  # keys act on the article from the start
        OPEN_WINDOWS.add(self)
        # After the first paint: the window is interactive before any of this runs.
        QTimer.singleShot(0, self._start_background)

    # ---------------------------------------------------------------- building
    def _build_panes(self) -> None:
        self.document_pane = DocumentPane(self.project, self)
        self.document_list = self.document_pane.list
        self.status_filter = self.document_pane.status_filter
        self.document_model = self.document_pane.model

        self.text_view = AnnotationView()
        self.text_view.setObjectName("documentText")

        self.span_model = SpanTableModel(self)
        self.span_model.relabel = self.relabel_from_table
        self.span_table = SpanTable(self.span_model)
        self.span_table.setObjectName("spanTable")
        self.span_title = _plain_label("Spans", name="spanTitle")
        self.span_title.hide()  # its text is the tab's title
        # Claims: the editor of the selected claim on top, the document's claims in a tab
        # beside its spans (claim_flow wires keys, commands and link painting).
        self.claim_flow = ClaimFlow(self)
        self.side_tabs = QTabWidget()
        self.side_tabs.setObjectName("sideTabs")
        self.side_tabs.setDocumentMode(True)
        spans_page = QWidget()
        spans_layout = QVBoxLayout(spans_page)
        spans_layout.setContentsMargins(0, 0, 0, 0)
        spans_layout.addWidget(self.span_title)
        spans_layout.addWidget(self.span_table)
        self.side_tabs.addTab(spans_page, "Spans")
        self.side_tabs.addTab(self.claim_flow.list, "Claims")
        right = QWidget()
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(0, 6, 6, 6)
        right_layout.addWidget(self.claim_flow.panel)
        right_layout.addWidget(self.side_tabs, 1)

        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.setObjectName("mainSplitter")
        self.splitter.addWidget(self.document_pane)
        self.splitter.addWidget(self.text_view)
        self.splitter.addWidget(right)
        for pane, stretch in enumerate((0, 1, 0)):
            self.splitter.setStretchFactor(pane, stretch)
            self.splitter.setCollapsible(pane, pane != 1)
        self.setCentralWidget(self.splitter)

        self.label_bar = LabelBar(self)
        self.addToolBar(Qt.ToolBarArea.TopToolBarArea, self.label_bar)

    def _build_actions(self) -> None:
        handlers = {
            "file.new": self.new_project, "file.open": self.open_project_dialog, "file.import": self.import_files,
            "file.import_web": self.import_from_web, "file.export": self.export_files,
            "file.save": lambda: self.show_message("Saved — every edit is saved as you make it."),
            "file.quit": self.close,
            "edit.undo": self.editor.undo, "edit.redo": self.editor.redo, "edit.delete_span": self.delete_span,
            "edit.clear": self.clear_selection, "edit.labels": self.edit_labels,
            "edit.claimants": self.claim_flow.show_claimants,
            "edit.preferences": self.edit_preferences,
            "go.done_next": lambda: self.mark_and_next("done"), "go.skip": lambda: self.mark_and_next("skipped"),
            "go.previous": lambda: self.step_document(-1), "go.next": lambda: self.step_document(1),
            "go.next_todo": self.next_todo, "go.search": self.document_pane.focus_search,
            "view.zoom_in": lambda: self.set_zoom(self.text_view.zoom + 1),
            "view.zoom_out": lambda: self.set_zoom(self.text_view.zoom - 1),
            "view.zoom_reset": lambda: self.set_zoom(0),
            "help.shortcuts": self.show_shortcuts,
            **self.suggestions.handlers(),
        }
        self.actions_by_id = build_actions(self, handlers)
        self.quit_action = self.actions_by_id["file.quit"]
        stack = self.editor.stack
        undo, redo = self.actions_by_id["edit.undo"], self.actions_by_id["edit.redo"]
        stack.canUndoChanged.connect(lambda _can: self._update_undo_actions())
        stack.canRedoChanged.connect(lambda _can: self._update_undo_actions())
        stack.undoTextChanged.connect(lambda text: undo.setText(f"&Undo {text}" if text else "&Undo"))
        stack.redoTextChanged.connect(lambda text: redo.setText(f"&Redo {text}" if text else "&Redo"))
        self._update_undo_actions()
        file_menu = menu(self, "File")
        if file_menu is not None:
            self.recent_menu = QMenu("Open &Recent", file_menu)
            self.recent_menu.setObjectName("menu.recent")
            file_menu.insertMenu(self.actions_by_id["file.import"], self.recent_menu)
            self.recent.attach_menu(self.recent_menu, self.open_path)
            file_menu.insertSeparator(self.actions_by_id["file.import"])
            file_menu.insertSeparator(self.quit_action)
        view_menu = menu(self, "View")
        if view_menu is not None:
            view_menu.addSeparator()
            themes = view_menu.addMenu("&Theme")
            group = QActionGroup(self)
            current = self.settings.value("view/theme")
            for name in THEMES:
                action = QAction({"system": "Follow the &System", "light": "&Light", "dark": "&Dark"}[name], self)
                action.setObjectName(f"view.theme.{name}")
                action.setCheckable(True)
                action.setChecked(name == current)
                action.triggered.connect(lambda _checked=False, n=name: self.set_theme(n))
                group.addAction(action)
                themes.addAction(action)

    def _build_status_bar(self) -> None:
        self.mode_label = _plain_label("read-only", name="modeLabel")
        self.mode_label.setToolTip("Another session holds this project's editing lock, or the file cannot be "
                                   "written: nothing can be changed here")
        self.position_label = _plain_label(name="positionLabel")
        self.armed_label = _plain_label(name="armedLabel")
        self.index_label = _plain_label(name="indexLabel")
        self.annotator_label = _plain_label(name="annotatorLabel")
        self.progress_label = _plain_label(name="progressLabel")
        bar = self.statusBar()
        bar.addPermanentWidget(self.mode_label)
        bar.addPermanentWidget(self.armed_label)
        bar.addPermanentWidget(self.index_label)
        bar.addPermanentWidget(self.position_label)
        bar.addPermanentWidget(self.annotator_label)
        bar.addPermanentWidget(self.progress_label)
        self.armed_label.setVisible(False)
        self.index_label.setVisible(False)

    def _connect(self) -> None:
        self.document_pane.document_chosen.connect(self.show_document)
        self.document_pane.filter_changed.connect(self._update_status)
        self.editor.changed.connect(self._on_effect)
        self.editor.changed.connect(self.claim_flow.on_effect)  # after the window: it may switch documents
        self.label_bar.label_triggered.connect(self.label_key)
        view = self.text_view
        view.selection_finished.connect(self._selection_finished)
        view.cursor_moved.connect(self._cursor_moved)
        view.span_clicked.connect(self.span_table.select_span)
        view.resize_requested.connect(self._resize_requested)
        self.span_table.span_chosen.connect(view.reveal_span)
        self.span_table.delete_requested.connect(
            lambda span_id: self._delete(span_id, view.doc_id) if view.doc_id is not None else None)
        self.tokenizer.ready.connect(self._tokens_ready)
        self.indexer.progress.connect(self._index_progress)
        self.indexer.finished.connect(self._index_finished)

    # --------------------------------------------------------------- state
    @property
    def current_document_id(self) -> int | None:
        return self.text_view.doc_id

    def reload_labels(self) -> None:
        try:
            labels = self.project.labels()
        except sqlite3.Error as exc:
            self.show_message(f"Cannot read the labels: {exc}", error=True)
            return
        self.editor.reload_labels()
        self.claim_flow.reload_scheme()
        self.text_view.set_labels(labels)
        self.span_model.set_labels(labels)
        self.label_bar.set_labels(labels)
        self.label_bar.set_editable(not self.project.read_only)
        self._update_armed()
        if self.text_view.doc_id is not None:
            # Spans carry their label's name: after a rename they are read again.
            self.show_document(self.text_view.doc_id)

    def reload_documents(self, *_args: object) -> None:
        """After an import: counts, list pages and the search index catch up."""
        self._counts = None
        self.document_pane.reload()
        if self.text_view.doc_id is None and self.document_pane.model.rowCount():
            self.document_pane.select_row(0)
        self.reload_labels()
        self._update_status()
        self._start_background()

    def _apply_read_only(self) -> None:
        read_only = self.project.read_only
        self.setWindowTitle(f"{self.project.path.stem}{' (read-only)' if read_only else ''} — annotator")
        for action_id in EDITING:
            action = self.actions_by_id.get(action_id)
            if action is not None:
                action.setEnabled(not read_only)
        self._update_undo_actions()
        self.label_bar.set_editable(not read_only)
        self.span_model.read_only = read_only
        self.mode_label.setVisible(read_only)
        if read_only:
            self.arm(None)

    def _update_undo_actions(self) -> None:
        writable = not self.project.read_only
        self.actions_by_id["edit.undo"].setEnabled(writable and self.editor.stack.canUndo())
        self.actions_by_id["edit.redo"].setEnabled(writable and self.editor.stack.canRedo())

    # ------------------------------------------------------------- status bar
    def show_message(self, text: str, *, error: bool = False) -> None:
        self.statusBar().showMessage(("⚠ " if error else "") + text, MESSAGE_MS * (2 if error else 1))

    def _update_status(self) -> None:
        model = self.document_pane.model
        shown = model.rowCount()
        row = self.document_pane.current_row()
        if shown == 0:
            position = "no documents"
        elif row is not None:
            position = f"document {row + 1:,} of {shown:,}"
        elif self.text_view.doc_id is not None:
            position = f"not in the list ({shown:,} listed)"
        else:
            position = f"{shown:,} documents"
        self.position_label.setText(position)
        if self._counts is None:
            try:
                self._counts = (self.project.document_count("done"), self.project.document_count())
            except sqlite3.Error:
                self._counts = (0, 0)
        done, total = self._counts
        self.progress_label.setText(f"{done:,} of {total:,} done")
        name = self.editor.annotator
        self.annotator_label.setText(f"annotator: {name}" if name else "annotator: (not set)")

    def _update_armed(self) -> None:
        armed = self.label_bar.armed
        self.armed_label.setVisible(armed is not None)
        self.armed_label.setText(f"● {armed} armed (Esc stops)" if armed else "")

    def _cursor_moved(self) -> None:
        around = self.text_view.spans_at_cursor()
        self.span_table.select_span(around[-1].id if around else None)

    # -------------------------------------------------------- background work
    def _start_background(self) -> None:
        if self._closed:
            return
        if not self._checked:
            self._checked = True
            self.index_label.setText("checking the project file…")
            self.index_label.setVisible(True)
            self.integrity.start()
            return  # the rest follows when the file has passed
        if self.project.read_only:
            return
        try:
            pending = self.project.search_pending_count()
        except sqlite3.Error:
            return
        if pending:
            self.indexer.start()

    def _integrity_checked(self, problems: list) -> None:
        self.index_label.setVisible(False)
        self._sound = not problems
        # The verdict is the project's: a damaged one refuses every write from now on, and
        # its close writes nothing (no lock release, no checkpoint).
        self.project.note_check(problems)
        if problems:
            self.project.read_only = True
            self._apply_read_only()
            self.heartbeat_timer.stop()
            box = QMessageBox(QMessageBox.Icon.Critical, "annotator",
                              f"The project file {self.project.path.name} is damaged, so it is open read-only: "
                              "nothing more is written to it.\n\n" + "\n".join(problems[:5])
                              + "\n\nRestore it from a backup copy.", parent=self)
            box.setTextFormat(Qt.TextFormat.PlainText)
            box.open()
            return
        self._start_background()

    def _integrity_unavailable(self, reason: str) -> None:
        """The check itself could not run (the disk, not the file): say so, judge nothing."""
        self.index_label.setVisible(False)
        self.show_message(f"The project file could not be checked: {reason}", error=True)

    def _index_progress(self, done: int, total: int) -> None:
        self.index_label.setVisible(True)
        self.index_label.setText(f"indexing for search: {done:,} of {total:,}")

    def _index_finished(self, _done: int) -> None:
        self.index_label.setVisible(False)
        if self.document_pane.model.search_query:
            self.document_pane.reload()

    def _heartbeat(self) -> None:
        try:
            still_ours = self.project.heartbeat()
        except (ProjectError, sqlite3.Error):
            return  # busy (an import is writing): the next beat tries again
        if not still_ours:
            self._lock_taken_over()

    def _lock_taken_over(self) -> None:
        """Another session took the editing lock over (noticed by a heartbeat or a refused write)."""
        self.project.read_only = True
        self._apply_read_only()
        self.heartbeat_timer.stop()
        self.show_message("Another session took over this project: it is read-only here now; "
                          "nothing was changed by the last edit.", error=True)

    # ------------------------------------------------------------ view
    def set_zoom(self, steps: int) -> None:
        steps = max(ZOOM_STEPS.start, min(ZOOM_STEPS.stop - 1, steps))
        self.text_view.set_zoom(steps)
        self.settings.set_value("view/zoom", steps)

    def set_theme(self, name: str) -> None:
        app = QApplication.instance()
        if isinstance(app, QApplication):
            apply_theme(app, name)
        self.settings.set_value("view/theme", name)

    # ------------------------------------------------------------ dialogs
    def import_files(self) -> None:
        from .import_dialog import ImportDialog

        dialog = ImportDialog(self.project, self.settings, parent=self)
        dialog.imported.connect(self.reload_documents)
        self.heartbeat_timer.stop()  # the import holds the write lock; beats would only wait
        try:
            dialog.exec()
        finally:
            if not self.project.read_only:
                self.heartbeat_timer.start()

    def import_from_web(self) -> None:
        from .dialogs.web_import_dialog import WebImportDialog

        dialog = WebImportDialog(self.project, parent=self)
        dialog.imported.connect(self.reload_documents)
        self.heartbeat_timer.stop()  # the fetch writes to the project; beats would only wait
        try:
            dialog.exec()
        finally:
            if not self.project.read_only:
                self.heartbeat_timer.start()
            dialog.deleteLater()

    def export_files(self) -> None:
        from .export_dialog import ExportDialog

        dialog = ExportDialog(self.project, self.settings, parent=self)
        dialog.exec()
        dialog.deleteLater()  # one per use, not one per use kept until the window goes

    def edit_labels(self) -> None:
        from .label_editor import LabelEditorDialog

        dialog = LabelEditorDialog(self.project, self)
        dialog.labels_changed.connect(self.reload_labels)
        dialog.label_removed.connect(lambda _name: self.show_document(self.text_view.doc_id))
        dialog.exec()
        self.reload_labels()

    def edit_preferences(self) -> None:
        from .preferences import PreferencesDialog

        dialog = PreferencesDialog(self.settings, self.project, parent=self)
        dialog.changed.connect(self.preferences_changed)
        dialog.exec()

    def preferences_changed(self, keys: list) -> None:
        if "annotator/name" in keys:
            self.editor.annotator = self.settings.value("annotator/name").strip() or None
        if "view/zoom" in keys:
            self.text_view.set_zoom(self.settings.value("view/zoom"))
        if "view/theme" in keys:
            name = self.settings.value("view/theme")
            for action in self.findChildren(QAction):
                if action.objectName().startswith("view.theme."):
                    action.setChecked(action.objectName() == f"view.theme.{name}")
        self._update_status()

    # ------------------------------------------------------ switching projects
    def new_project(self) -> None:
        from .new_project import NewProjectDialog
        from .session import take_lock

        dialog = NewProjectDialog(self.settings, parent=self)
        if dialog.exec() and dialog.project is not None:
            project = dialog.project
            if take_lock(project, self.editor.annotator or "", self):
                self._replace_with(project, checked=True)  # a new file: nothing to check

    def open_project_dialog(self) -> None:
        name, _filter = QFileDialog.getOpenFileName(self, "Open Project", str(self.project.path.parent),
                                                    PROJECT_FILTER)
        if name:
            self.open_path(Path(name))

    def open_path(self, path: Path) -> MainWindow | None:
        """Open another project in a new window that takes this one's place."""
        from .session import known_sound, open_project

        if path.resolve() == self.project.path.resolve():
            return self
        sound = known_sound(self.settings, path)
        project = open_project(path, self.editor.annotator or "", self)
        if project is None:
            return None
        return self._replace_with(project, checked=sound)

    def _replace_with(self, project: Project, *, checked: bool) -> MainWindow:
        # The new window is shown before this one closes (and releases its project and lock),
        # so the application never sees its last window close in between.
        window = MainWindow(project, self.settings, owns_project=True, checked=checked)
        window.show()
        self.close()
        return window

    def show_shortcuts(self) -> None:
        from .shortcuts_dialog import ShortcutsDialog

        ShortcutsDialog(self.project.labels(), parent=self).exec()

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
        zoom = self.settings.value("view/zoom")
        if zoom:
            self.text_view.set_zoom(zoom)

    def save_settings(self) -> None:
        self.settings.set_value("main_window/geometry", self.saveGeometry())
        self.settings.set_value("main_window/state", self.saveState())
        self.settings.set_value("main_window/splitter", self.splitter.saveState())
        self.settings.sync()

    def closeEvent(self, event: QCloseEvent) -> None:
        self.claim_flow.leaving_document()  # a claim note being typed is kept, not dropped
        self.save_settings()
        self.shut_down()
        super().closeEvent(event)

    def shut_down(self) -> None:
        """Stop background work and timers; close the project if this window owns it."""
        if self._closed:
            return
        self._closed = True
        # The stack announces its own destruction (canUndoChanged) when the window goes: no one listens.
        self.editor.stack.blockSignals(True)
        self.heartbeat_timer.stop()
        self.integrity.stop()
        self.suggestions.stop()
        self.indexer.stop()
        self.tokenizer.stop()
        OPEN_WINDOWS.discard(self)
        if self.owns_project:
            with contextlib.suppress(sqlite3.Error, ProjectError):
                self.project.close()
            if self._sound:
                from .session import remember_sound

                remember_sound(self.settings, self.project.path)
                self.settings.sync()
