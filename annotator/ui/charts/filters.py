"""The dashboard's filter bar: annotators, labels, document status and a date range.

Annotators, labels and statuses are menus of check boxes (nothing ticked is not a choice: a
menu with every box ticked, or none, means "all"); the dates are two date fields whose lowest
value reads "any". Every change sends ``changed`` with the new ``DashboardFilter``.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QDate, Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QDateEdit, QHBoxLayout, QMenu, QPushButton, QToolButton, QWidget

from ...core.dashboard import DashboardFilter
from ...core.model import DOCUMENT_STATUSES
from ...core.team import UNATTRIBUTED, UNATTRIBUTED_TITLE
from ..common.bidi import shown_name
from ..common.plain_text import plain_label

NO_DATE = QDate(2000, 1, 1)  # the lowest date of the fields: shown as "any"


class ChoiceButton(QToolButton):
    """A button with a menu of check boxes; its text says what is chosen."""

    changed = Signal()

    def __init__(self, title: str, everything: str, parent: QWidget | None = None):
        super().__init__(parent)
        self.title, self.everything = title, everything
        self.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self.setMenu(QMenu(self))
        self.actions_by_value: dict[str, QAction] = {}
        self._update_text()

    def set_choices(self, choices: Sequence[tuple[str, str]]) -> None:
        """(value, shown text) pairs; ticks survive for values that stay."""
        ticked = set(self.chosen() or ())
        menu = self.menu()
        menu.clear()
        self.actions_by_value = {}
        for value, text in choices:
            action = QAction(shown_name(text), menu)
            action.setCheckable(True)
            action.setChecked(value in ticked)
            action.setObjectName(f"choice.{value}")
            action.toggled.connect(self._toggled)
            menu.addAction(action)
            self.actions_by_value[value] = action
        self._update_text()

    def chosen(self) -> tuple[str, ...] | None:
        """The ticked values; None when all or none are ticked (no filter)."""
        ticked = tuple(v for v, a in self.actions_by_value.items() if a.isChecked())
        return ticked if 0 < len(ticked) < len(self.actions_by_value) else None

    def choose(self, values: Sequence[str] | None) -> None:
        for value, action in self.actions_by_value.items():
            action.blockSignals(True)
            action.setChecked(values is not None and value in values)
            action.blockSignals(False)
        self._update_text()
        self.changed.emit()

    def _toggled(self, _checked: bool) -> None:
        self._update_text()
        self.changed.emit()

    def _update_text(self) -> None:
        chosen = self.chosen()
        if chosen is None:
            shown = self.everything
        else:
            names = [self.actions_by_value[v].text() for v in chosen]
            shown = ", ".join(names) if len(names) <= 2 else f"{len(names)} of {len(self.actions_by_value)}"
        self.setText(f"{self.title}: {shown}")


class FilterBar(QWidget):
    changed = Signal(object)  # DashboardFilter

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.annotators = ChoiceButton("Annotators", "all", self)
        self.annotators.setObjectName("filter.annotators")
        self.labels = ChoiceButton("Labels", "all", self)
        self.labels.setObjectName("filter.labels")
        self.statuses = ChoiceButton("Documents", "any status", self)
        self.statuses.setObjectName("filter.statuses")
        self.statuses.set_choices([(s, s) for s in DOCUMENT_STATUSES])
        self.since = self._date_field("filter.since")
        self.until = self._date_field("filter.until")
        self.reset = QPushButton("&Reset", self)
        self.reset.setObjectName("filter.reset")
        self.reset.setToolTip("Count everything again: all annotators, labels, statuses and days")
        self.reset.clicked.connect(self.clear)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        for widget in (self.annotators, self.labels, self.statuses, plain_label("From"), self.since,
                       plain_label("to"), self.until):
            layout.addWidget(widget)
        layout.addStretch(1)
        layout.addWidget(self.reset)
        for button in (self.annotators, self.labels, self.statuses):
            button.changed.connect(self._emit)

    def _date_field(self, name: str) -> QDateEdit:
        field = QDateEdit(self)
        field.setObjectName(name)
        field.setCalendarPopup(True)
        field.setDisplayFormat("yyyy-MM-dd")
        field.setMinimumDate(NO_DATE)
        field.setSpecialValueText("any day")
        field.setDate(NO_DATE)
        field.setToolTip("Days are UTC days; the lowest date means no limit")
        field.dateChanged.connect(lambda _date: self._emit())
        return field

    def set_project_choices(self, annotators: Sequence[str], labels: Sequence[str]) -> None:
        """The annotators (refs) and label names of the project, as the menus offer them."""
        for button, choices in ((self.annotators, [*((a, a) for a in annotators), (UNATTRIBUTED, UNATTRIBUTED_TITLE)]),
                                (self.labels, [(name, name) for name in labels])):
            button.blockSignals(True)
            button.set_choices(choices)
            button.blockSignals(False)

    def value(self) -> DashboardFilter:
        def day(field: QDateEdit) -> str | None:
            return None if field.date() == NO_DATE else field.date().toString("yyyy-MM-dd")

        return DashboardFilter(self.annotators.chosen(), self.labels.chosen(), self.statuses.chosen(),
                               day(self.since), day(self.until))

    def clear(self) -> None:
        for widget in (self.annotators, self.labels, self.statuses, self.since, self.until):
            widget.blockSignals(True)
        for button in (self.annotators, self.labels, self.statuses):
            button.choose(None)
        self.since.setDate(NO_DATE)
        self.until.setDate(NO_DATE)
        for widget in (self.annotators, self.labels, self.statuses, self.since, self.until):
            widget.blockSignals(False)
        self._emit()

    def _emit(self) -> None:
        self.changed.emit(self.value())
