"""Edit > Preferences… and the first-start question "who is annotating?".

    name = ask_annotator_name(window, settings)          # at start: asks only if none is stored
    dialog = PreferencesDialog(settings, session, parent=window)
    dialog.changed.connect(window.preferences_changed)   # list of the keys that changed
    dialog.exec()

The annotator name, theme and text zoom are the user's (QSettings); "allow overlapping
entity spans" belongs to the project file: a command on the document session's undo stack
(Edit > Undo turns it back). OK writes them; the
dialog applies the theme itself. Turning overlaps off while some documents have overlapping
entity spans asks first: the spans stay, but spaCy's NER export cannot take them.
"""

from __future__ import annotations

import getpass
from collections.abc import Callable

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QApplication,
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QLabel,
    QLineEdit,
    QMessageBox,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from ..common.plain_text import plain_label as _plain
from ...store import Project
from ..session.document_session import DocumentSession
from ..session.scheme_commands import SetProjectSettingCommand
from ..common.settings import THEMES, ZOOM_STEPS, Settings
from ..common.themes import apply_theme
from ..jobs.worker import Job, JobCancelled

NAME_MAX = 100
THEME_TEXT = {"system": "Follow the system", "light": "Light", "dark": "Dark"}
OVERLAP_KEY = "project/allow_overlapping_entities"  # how ``changed`` names the project setting
SCAN_PAGE = 1000


def default_annotator_name() -> str:
    """The OS user name, the natural first guess at who is annotating."""
    try:
        return getpass.getuser().strip()
    except (OSError, KeyError, ImportError):  # no user name in the environment or passwd
        return ""


def check_annotator_name(name: str) -> str | None:
    """Why a name cannot be used, or None."""
    if not name.strip():
        return "Enter a name: every span you make is stamped with it."
    if len(name) > NAME_MAX:
        return f"The name is longer than {NAME_MAX} characters."
    return None


def overlapping_entity_documents(project: Project, cancelled: Callable[[], bool] = lambda: False) -> list[int]:
    """Ids of the documents where two accepted entity spans overlap (the NER layer's rule)."""
    entity = {name for name, kind in project.label_kinds().items() if kind == "entity"}
    found: list[int] = []
    offset = 0
    while page := project.document_summaries(offset, SCAN_PAGE):
        for summary in page:
            if cancelled():
                raise JobCancelled(found)
            spans = sorted((s.start, s.end) for s in project.spans(summary.id)
                           if s.state == "accepted" and s.label in entity)
            reach = -1
            for start, end in spans:
                if start < reach:
                    found.append(summary.id)
                    break
                reach = max(reach, end)
        offset += len(page)
    return found




def _hint(text: str = "") -> QLabel:
    label = _plain(text)
    label.setWordWrap(True)
    label.setEnabled(False)  # the palette's dimmed text: secondary information
    return label


class _NameDialog(QDialog):
    def __init__(self, suggestion: str, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle("Who Is Annotating?")
        intro = _plain("Every span you make is stamped with your name, so that agreement between "
                       "annotators can be measured. Use the same name on every computer you annotate on.")
        intro.setWordWrap(True)
        self.name_edit = QLineEdit(suggestion)
        self.name_edit.setObjectName("annotatorName")
        self.name_edit.setMaxLength(NAME_MAX)
        self.name_edit.selectAll()
        hint = _hint("You can change it later in Edit > Preferences.")
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.ok_button = buttons.button(QDialogButtonBox.StandardButton.Ok)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form = QFormLayout()
        form.addRow(_plain("Your &name:", self.name_edit), self.name_edit)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addWidget(hint)
        layout.addStretch(1)
        layout.addWidget(buttons)
        self.name_edit.textChanged.connect(self._update)
        self._update()
        self.setMinimumWidth(440)

    def _update(self) -> None:
        self.ok_button.setEnabled(check_annotator_name(self.name_edit.text()) is None)

    @property
    def name(self) -> str:
        return self.name_edit.text().strip()


def ask_annotator_name(parent: QWidget | None, settings: Settings, *, force: bool = False) -> str:
    """The annotator's name: the stored one, else asked (suggesting the OS user name) and stored.

    Empty names are refused. Cancel keeps the suggestion, so the question comes once; the name
    can be changed in Preferences. ``force`` asks even when a name is stored.
    """
    stored = settings.value("annotator/name").strip()
    if stored and not force:
        return stored
    suggestion = stored or default_annotator_name()
    dialog = _NameDialog(suggestion, parent)
    accepted = dialog.exec() == QDialog.DialogCode.Accepted
    name = dialog.name if accepted else suggestion
    if check_annotator_name(name) is not None:
        name = suggestion if check_annotator_name(suggestion) is None else "annotator"
    settings.set_value("annotator/name", name)
    settings.sync()
    return name


class PreferencesDialog(QDialog):
    """The user's preferences and the open project's span rule; OK writes them."""

    changed = Signal(list)  # keys that changed: settings keys and/or OVERLAP_KEY

    def __init__(self, settings: Settings, session: DocumentSession | None = None, parent: QWidget | None = None):
        super().__init__(parent)
        self.settings = settings
        self.session = session
        self.project = session.project if session is not None else None
        self.overlaps: list[int] | None = None  # documents with overlapping entities, once scanned
        self._scan: Job | None = None
        self.setWindowTitle("Preferences")
        self.setObjectName("preferencesDialog")
        self._build()
        self._load()

    def _build(self) -> None:
        self.name_edit = QLineEdit()
        self.name_edit.setObjectName("annotatorName")
        self.name_edit.setMaxLength(NAME_MAX)
        self.name_edit.setToolTip("Stamped on every span you make; used to measure agreement")
        self.theme_combo = QComboBox()
        self.theme_combo.setObjectName("theme")
        for theme in THEMES:
            self.theme_combo.addItem(THEME_TEXT[theme], theme)
        self.zoom_spin = QSpinBox()
        self.zoom_spin.setObjectName("zoom")
        self.zoom_spin.setRange(ZOOM_STEPS.start, ZOOM_STEPS.stop - 1)
        self.zoom_spin.setSuffix(" steps")
        self.zoom_spin.setToolTip("Size of the article text, in steps from the normal reading size "
                                  "(View > Zoom In / Zoom Out change it too)")
        self.zoom_spin.valueChanged.connect(self._zoom_text)

        you = QGroupBox("Annotator")
        you_form = QFormLayout(you)
        you_form.addRow(_plain("Your &name:", self.name_edit), self.name_edit)
        you_form.addRow("", _hint("Stamped on every span you make, so that agreement can be measured."))
        look = QGroupBox("Appearance")
        look_form = QFormLayout(look)
        look_form.addRow(_plain("&Theme:", self.theme_combo), self.theme_combo)
        look_form.addRow(_plain("Article text si&ze:", self.zoom_spin), self.zoom_spin)
        self.zoom_hint = _hint()
        look_form.addRow("", self.zoom_hint)

        self.error = _plain()
        self.error.setWordWrap(True)
        self.error.setObjectName("errorLabel")
        self.error.setStyleSheet("QLabel#errorLabel { color: #ffffff; background: #b3261e;"
                                 " border-radius: 3px; padding: 4px 6px; }")
        self.error.hide()

        layout = QVBoxLayout(self)
        layout.addWidget(you)
        layout.addWidget(look)
        self.overlap_check = QCheckBox("Allow &overlapping entity spans (span categorisation)")
        self.overlap_check.setObjectName("allowOverlap")
        self.overlap_status = _hint()
        self.overlap_status.setObjectName("overlapStatus")
        self.overlap_status.hide()
        if self.project is not None:
            project_box = QGroupBox(f"This project: {self.project.path.name}")
            project_form = QVBoxLayout(project_box)
            project_form.addWidget(self.overlap_check)
            project_form.addWidget(_hint(
                "Off: entity spans may not overlap, as spaCy's named-entity recogniser needs (doc.ents). "
                "On: they may, for a span categoriser (spans_key). Claim and role spans may always overlap."))
            project_form.addWidget(self.overlap_status)
            layout.addWidget(project_box)
            self.overlap_check.toggled.connect(self._overlap_toggled)
            if self.project.read_only:
                self.overlap_check.setEnabled(False)
                self._set_overlap_status("The project is open read-only.")
        layout.addWidget(self.error)
        layout.addStretch(1)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        self.ok_button = buttons.button(QDialogButtonBox.StandardButton.Ok)
        layout.addWidget(buttons)
        self.name_edit.textChanged.connect(self._name_changed)
        self.setMinimumWidth(520)

    def _load(self) -> None:
        self.name_edit.setText(self.settings.value("annotator/name"))
        self.theme_combo.setCurrentIndex(max(0, self.theme_combo.findData(self.settings.value("view/theme"))))
        self.zoom_spin.setValue(self.settings.value("view/zoom"))
        self._zoom_text(self.zoom_spin.value())
        if self.project is not None:
            self.overlap_check.blockSignals(True)
            self.overlap_check.setChecked(self.project.allow_overlapping_entities)
            self.overlap_check.blockSignals(False)

    def _zoom_text(self, value: int) -> None:
        self.zoom_hint.setText("The normal reading size." if value == 0 else
                               f"{abs(value)} step{'s' if abs(value) != 1 else ''} "
                               f"{'larger' if value > 0 else 'smaller'} than the normal reading size.")

    def _name_changed(self, text: str) -> None:
        reason = check_annotator_name(text)
        self.ok_button.setEnabled(reason is None)
        self._show_error(reason or "")

    def _show_error(self, message: str) -> None:
        self.error.setText(message)
        self.error.setVisible(bool(message))

    # -------------------------------------------------- overlapping entity spans
    def _overlap_toggled(self, allowed: bool) -> None:
        if allowed or self.project is None or not self.project.allow_overlapping_entities:
            self._set_overlap_status("")
        elif self.overlaps is not None:
            self._scanned(self.overlaps)
        else:
            self.start_overlap_scan()

    def start_overlap_scan(self) -> None:
        """Look (off the GUI thread) for documents whose entity spans overlap."""
        if self.project is None or self._scan is not None:
            return
        path = self.project.path

        def scan(ctx):
            # Only reads: also on a read-only medium; the window has checked the file already.
            with Project.open(path, check=False, read_only=True) as project:
                return overlapping_entity_documents(project, ctx.is_cancelled)

        self._set_overlap_status("Looking for overlapping entity spans…")
        self._scan = Job(scan, self)
        self._scan.succeeded.connect(self._scanned)
        self._scan.failed.connect(lambda error, _trace: self._set_overlap_status(
            f"Could not look for overlapping spans: {error}", warning=True))
        self._scan.start()

    def _scanned(self, found: list[int]) -> None:
        self.overlaps = found
        if found:
            self._set_overlap_status(
                f"{len(found):,} document{'s have' if len(found) != 1 else ' has'} overlapping entity spans. "
                "They stay as they are, but the NER export needs them resolved.", warning=True)
        else:
            self._set_overlap_status("No entity spans overlap: nothing to resolve.")

    def _set_overlap_status(self, text: str, warning: bool = False) -> None:
        self.overlap_status.setText(text)
        self.overlap_status.setVisible(bool(text))
        self.overlap_status.setEnabled(warning)  # dimmed unless it needs reading

    def _confirm_overlap_off(self) -> bool:
        if self._scan is None:
            self.start_overlap_scan()
        if self._scan is not None:
            self._scan.wait()
        found = self.overlaps or []
        if not found:
            return True
        count = len(found)
        box = QMessageBox(QMessageBox.Icon.Warning, "Overlapping Entity Spans",
                          f"{count:,} document{'s have' if count != 1 else ' has'} entity spans that overlap.\n\n"
                          "Turning overlaps off keeps those spans, but new overlapping spans will be refused "
                          "and spaCy's NER export (doc.ents) cannot take these documents until the overlaps "
                          "are resolved.\n\nTurn overlapping entity spans off anyway?", parent=self)
        box.setTextFormat(Qt.TextFormat.PlainText)
        turn_off = box.addButton("&Turn Off", QMessageBox.ButtonRole.AcceptRole)
        keep = box.addButton("&Keep Them Allowed", QMessageBox.ButtonRole.RejectRole)
        box.setDefaultButton(keep)
        box.setEscapeButton(keep)
        box.exec()
        return box.clickedButton() is turn_off

    # ------------------------------------------------------------------ writing
    def accept(self) -> None:
        name = self.name_edit.text().strip()
        if (reason := check_annotator_name(name)) is not None:
            self._show_error(reason)
            self.name_edit.setFocus()
            return
        changed: list[str] = []
        if self.project is not None and not self.project.read_only:
            allow = self.overlap_check.isChecked()
            if allow != self.project.allow_overlapping_entities:
                if not allow and not self._confirm_overlap_off():
                    self.overlap_check.setChecked(True)
                    return
                assert self.session is not None
                project = self.project
                text = "Allow overlapping entity spans" if allow else "Forbid overlapping entity spans"
                if self.session.run(lambda: SetProjectSettingCommand(
                        project, "allow_overlapping_entities", "1" if allow else "0", default="0", text=text)) is None:
                    self._show_error(self.session.last_error or "The project setting could not be changed.")
                    return
                changed.append(OVERLAP_KEY)
        values = {"annotator/name": name, "view/theme": self.theme_combo.currentData(),
                  "view/zoom": self.zoom_spin.value()}
        for key, value in values.items():
            if self.settings.value(key) != value:
                self.settings.set_value(key, value)
                changed.append(key)
        self.settings.sync()
        if "view/theme" in changed:
            app = QApplication.instance()
            if isinstance(app, QApplication):
                apply_theme(app, values["view/theme"])
        super().accept()
        if changed:
            self.changed.emit(changed)

    def done(self, result: int) -> None:
        if self._scan is not None and self._scan.is_running:
            self._scan.cancel_and_wait()
        super().done(result)
