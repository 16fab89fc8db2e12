"""File > New Project…: a file name, the default labels or a scheme file, then Project.create.

    dialog = NewProjectDialog(settings, parent=window)
    if dialog.exec():
        window.open_project(dialog.project)      # created and open; the caller owns (closes) it

A scheme file (TOML or JSON, see resources/schemes/default.toml) is checked as soon as it is
chosen, and every problem is shown as ``file: field: message``.
"""

from __future__ import annotations

import os
from pathlib import Path

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import (
    QButtonGroup,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLineEdit,
    QPushButton,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from ..common.plain_text import plain_label as _plain
from ...core.model import Scheme
from ...core.problems import InputError
from ...core.resources import default_scheme_path
from ...core.scheme import load_scheme_file
from ...store import Project, ProjectError
from ..common.settings import Settings
from ..common import file_chooser

SUFFIX = ".annotator"
DEFAULT_NAME = "untitled" + SUFFIX
MAX_PROBLEMS_SHOWN = 12


def project_path(text: str) -> Path | None:
    """The file a typed name means: ``.annotator`` added when it has no suffix; None if empty."""
    text = text.strip()
    if not text or text.endswith(("/", os.sep)):
        return None
    path = Path(text).expanduser()
    if not path.name or path.name in (".", "..") or path.is_dir():
        return None  # a folder, not yet a file in it
    if not path.suffix:
        path = path.with_name(path.name + SUFFIX)
    return path


def describe_scheme(scheme: Scheme) -> str:
    kinds: dict[str, int] = {}
    for label in scheme.labels:
        kinds[label.kind] = kinds.get(label.kind, 0) + 1
    parts = [f"{n} {kind} label{'s' if n != 1 else ''}" for kind, n in kinds.items()]
    if scheme.attributes:
        parts.append(f"{len(scheme.attributes)} claim attribute{'s' if len(scheme.attributes) != 1 else ''}")
    parts.append(f"language {scheme.language}")
    if scheme.allow_overlapping_entities:
        parts.append("overlapping entity spans allowed")
    names = ", ".join(label.name for label in scheme.labels[:8]) + (", …" if len(scheme.labels) > 8 else "")
    return f"{', '.join(parts)}.\nLabels: {names or 'none'}"




class NewProjectDialog(QDialog):
    """Create a project file; after ``exec()`` returns Accepted, ``project`` is open."""

    def __init__(self, settings: Settings | None = None, parent: QWidget | None = None):
        super().__init__(parent)
        self.settings = settings if settings is not None else Settings()
        self.project: Project | None = None
        self.scheme: Scheme | None = None  # the chosen file's scheme once it checks out
        self.setWindowTitle("New Project")
        self.setObjectName("newProjectDialog")
        self._build()
        self._scheme_choice_changed()
        self._update()

    def _start_folder(self) -> Path:
        folder = self.settings.value("projects/folder")
        if folder and Path(folder).is_dir():
            return Path(folder)
        documents = Path.home() / "Documents"
        return documents if documents.is_dir() else Path.home()

    def _build(self) -> None:
        self.file_edit = QLineEdit(str(self._start_folder() / DEFAULT_NAME))
        self.file_edit.setObjectName("projectFile")
        self.file_edit.setToolTip(f"Where to create the project; {SUFFIX} is added when the name has no suffix")
        self.file_button = QPushButton("&Browse…")
        self.file_button.setAutoDefault(False)
        self.file_button.clicked.connect(self.choose_file)
        file_row = QHBoxLayout()
        file_row.addWidget(self.file_edit, 1)
        file_row.addWidget(self.file_button)
        self.file_status = _plain()
        self.file_status.setWordWrap(True)
        self.file_status.setEnabled(False)

        self.default_radio = QRadioButton("&Default labels (PERSON, ORG, GPE, … CLAIM, CUE, SOURCE)")
        self.file_radio = QRadioButton("Labels from a &scheme file (TOML or JSON):")
        self.default_radio.setChecked(True)
        group = QButtonGroup(self)
        group.addButton(self.default_radio)
        group.addButton(self.file_radio)
        self.default_radio.toggled.connect(self._scheme_choice_changed)
        self.scheme_edit = QLineEdit()
        self.scheme_edit.setObjectName("schemeFile")
        self.scheme_edit.setPlaceholderText("e.g. my-scheme.toml")
        self.scheme_edit.editingFinished.connect(self.check_scheme)
        self.scheme_button = QPushButton("B&rowse…")
        self.scheme_button.setAutoDefault(False)
        self.scheme_button.clicked.connect(self.choose_scheme)
        scheme_row = QHBoxLayout()
        scheme_row.setContentsMargins(24, 0, 0, 0)
        scheme_row.addWidget(self.scheme_edit, 1)
        scheme_row.addWidget(self.scheme_button)
        # A label, as tall as what it says; selectable so that problems can be copied.
        self.scheme_status = _plain()
        self.scheme_status.setObjectName("schemeStatus")
        self.scheme_status.setWordWrap(True)
        self.scheme_status.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

        file_box = QGroupBox("Project file")
        file_form = QFormLayout(file_box)
        file_form.addRow(_plain("&File:", self.file_edit), file_row)
        file_form.addRow("", self.file_status)
        scheme_box = QGroupBox("Labels")
        scheme_layout = QVBoxLayout(scheme_box)
        scheme_layout.addWidget(self.default_radio)
        scheme_layout.addWidget(self.file_radio)
        scheme_layout.addLayout(scheme_row)
        status_row = QHBoxLayout()
        status_row.addSpacing(24)
        status_row.addWidget(self.scheme_status, 1)
        scheme_layout.addLayout(status_row)
        hint = _plain("Labels can be added, renamed and recoloured later in Edit > Labels.")
        hint.setEnabled(False)
        scheme_layout.addWidget(hint)

        self.error = _plain()
        self.error.setWordWrap(True)
        self.error.setObjectName("errorLabel")
        self.error.setStyleSheet("QLabel#errorLabel { color: #ffffff; background: #b3261e;"
                                 " border-radius: 3px; padding: 4px 6px; }")
        self.error.hide()

        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.create_button = buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.create_button.setText("Create &Project")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addWidget(file_box)
        layout.addWidget(scheme_box)
        layout.addWidget(self.error)
        layout.addWidget(buttons)
        self.file_edit.textChanged.connect(self._update)
        self.scheme_edit.textChanged.connect(self._scheme_text_changed)
        self.setMinimumWidth(600)

    # ------------------------------------------------------------------ choosing
    @property
    def path(self) -> Path | None:
        return project_path(self.file_edit.text())

    def choose_file(self) -> None:
        current = self.path or self._start_folder() / DEFAULT_NAME
        # We refuse existing files ourselves (with a reason), so no "replace?" question first.
        name = file_chooser.save_file(self, "New Project File", str(current),
                                      f"Annotator projects (*{SUFFIX});;All files (*)", confirm_overwrite=False)
        if name:
            self.file_edit.setText(str(project_path(name)))

    def choose_scheme(self) -> None:
        start = self.scheme_edit.text().strip() or str(default_scheme_path().parent)
        name = file_chooser.open_file(self, "Choose a Scheme File", start, "Scheme files (*.toml *.json);;All files (*)")
        if name:
            self.file_radio.setChecked(True)
            self.scheme_edit.setText(name)
            self.check_scheme()

    def _scheme_choice_changed(self) -> None:
        from_file = self.file_radio.isChecked()
        self.scheme_edit.setEnabled(from_file)
        self.scheme_button.setEnabled(from_file)
        if from_file:
            self.check_scheme()
        else:
            self.scheme_status.setText(describe_scheme(load_scheme_file(default_scheme_path())))
        self._update()

    def _scheme_text_changed(self) -> None:
        self.scheme = None
        self._update()

    def check_scheme(self) -> Scheme | None:
        """Read the chosen scheme file; show what it holds, or every problem in it."""
        self.scheme = None
        if not self.file_radio.isChecked():
            return None
        text = self.scheme_edit.text().strip()
        if not text:
            self.scheme_status.setText("Choose a scheme file.")
            self._update()
            return None
        try:
            self.scheme = load_scheme_file(Path(text).expanduser())
        except InputError as exc:
            count = len(exc.problems)
            self.scheme_status.setText(
                f"This scheme file cannot be used ({count} problem{'s' if count != 1 else ''}):\n"
                + "\n".join(str(p) for p in exc.problems[:MAX_PROBLEMS_SHOWN])
                + (f"\n… and {count - MAX_PROBLEMS_SHOWN} more" if count > MAX_PROBLEMS_SHOWN else ""))
        else:
            self.scheme_status.setText(describe_scheme(self.scheme))
        self._update()
        return self.scheme

    def _fit_height(self) -> None:
        """Grow to show the whole scheme summary or problem list (a dialog does not grow by itself)."""
        layout = self.layout()
        layout.activate()
        needed = (layout.totalHeightForWidth(self.width()) if layout.hasHeightForWidth()
                  else layout.totalSizeHint().height())
        if needed > self.height():
            self.resize(self.width(), needed)

    def _update(self) -> None:
        QTimer.singleShot(0, self, self._fit_height)  # once the layout has taken in the new text
        path = self.path
        if path is None:
            self.file_status.setText("Enter a file name.")
        elif path.exists():
            self.file_status.setText(f"{path.name} already exists; choose another name.")
        elif not path.parent.is_dir():
            self.file_status.setText(f"The folder {path.parent} does not exist.")
        else:
            self.file_status.setText(f"Creates {path}")
        scheme_ok = self.default_radio.isChecked() or self.scheme is not None \
            or bool(self.scheme_edit.text().strip())
        self.create_button.setEnabled(path is not None and scheme_ok)

    # ------------------------------------------------------------------ creating
    def show_error(self, message: str) -> None:
        self.error.setText(message)
        self.error.setVisible(bool(message))

    def accept(self) -> None:
        path = self.path
        if path is None:
            self.show_error("Enter a file name for the project.")
            return
        scheme = None
        if self.file_radio.isChecked():
            scheme = self.scheme or self.check_scheme()
            if scheme is None:
                self.show_error("The scheme file has problems (listed above); fix it or use the default labels.")
                return
        if not path.parent.is_dir():
            self.show_error(f"The folder {path.parent} does not exist.")
            return
        try:
            self.project = Project.create(path, scheme)
        except ProjectError as exc:
            self.show_error(str(exc))
            return
        except OSError as exc:
            self.show_error(f"{path}: cannot create the file: {exc.strerror or exc}")
            return
        self.settings.set_value("projects/folder", str(path.parent))
        self.settings.sync()
        super().accept()
