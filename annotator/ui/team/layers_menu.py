"""View > Layers: which other annotators' layers the window shows beside the editable one.

``LayersControl`` holds the choice (refs of the layers shown) and turns it into the session's
``Layers`` (ui/session/layers.py ``window_layers``): the editing annotator's layer stays
editable; others are shown read-only, each in a column of its own (layer_panes.py). While the
project holds nobody else's work the window keeps one merged layer, as before teams, and the
menu says so.

The menu opens at once: its entries are the layers that hold something (a few index seeks),
each named; their counts (a pass over every span: seconds on a large project) come from a
count off the GUI thread (layer_counts.py) and are written into the open menu's entries when
it ends, then kept for the next opening until the project changes.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable

import shiboken6
from PySide6.QtCore import QObject
from PySide6.QtGui import QAction, QColor, QIcon, QPixmap
from PySide6.QtWidgets import QMenu, QWidget

from ...core.team import UNATTRIBUTED_TITLE, Layer
from ...store import ProjectError
from ..common.annotator_colors import AnnotatorColors
from ..common.bidi import shown_name
from ..session.document_session import DocumentSession
from ..session.layers import Layers, layer_title, other_layers, window_layers
from .layer_counts import LayerCounts
from .layer_panes import LayerPanes


def menu_text(text: str) -> str:
    """Untrusted text as a menu entry: an & is shown, never taken for a mnemonic."""
    return shown_name(text).replace("&", "&&")


def entry_text(title: str, counted: Layer | str) -> str:
    """A layer's menu entry: its name, then its counts or (a str) what stands in for them."""
    if isinstance(counted, str):
        return f"{menu_text(title)}  ({counted})"
    return (f"{menu_text(title)}  ({counted.spans:,} spans, {counted.claims:,} claims, "
            f"{counted.documents:,} documents)")


def swatch_icon(color: QColor) -> QIcon:
    pixmap = QPixmap(12, 12)
    pixmap.fill(color)
    return QIcon(pixmap)


class LayersControl(QObject):
    def __init__(self, session: DocumentSession, panes: LayerPanes, parent: QObject | None = None):
        super().__init__(parent)
        self.session = session
        self.panes = panes
        panes.hide_requested.connect(self.hide_layer)
        panes.edit_refused.connect(session.refuse_layer_edit)
        self.counts = LayerCounts(session.project.path, self)
        self.counts.counted.connect(self._counted)
        self.counts.failed.connect(self._not_counted)
        # What changes a layer's counts: an edit (a decision into gold too), documents coming
        # in (an import, a merge, a split's bookkeeping, a sync: project_changed and
        # documents_added both emit documents_changed).
        session.edited.connect(lambda _outcome: self.forget_counts())
        session.documents_changed.connect(self.forget_counts)
        self._menu: QMenu | None = None
        self._entries: dict[str, tuple[QAction, str]] = {}  # the menu's layer entries: ref -> (entry, title)

    # ------------------------------------------------------------------ the choice
    @property
    def shown(self) -> tuple[str, ...]:
        return self.session.layers.others

    def layers_for(self, editable: str | None, shown: Iterable[str]) -> Layers:
        return window_layers(self.session.project, editable, shown)

    def current(self) -> Layers:
        """The layers the window should show now (after the project's layers changed: a merge)."""
        return self.layers_for(self.session.annotator, self.shown)

    def apply(self, layers: Layers) -> bool:
        if layers == self.session.layers:
            return False
        self.session.set_layers(layers)
        return True

    def edit_as(self, editable: str | None) -> None:
        """The annotator name changed (Preferences): their layer is the editable one now."""
        self.apply(self.layers_for(editable, [ref for ref in self.shown if ref != (editable or "")]))

    def show_layers(self, refs: Iterable[str]) -> None:
        """Show exactly these other layers (refs) beside the editable one."""
        try:
            layers = self.layers_for(self.session.annotator, refs)
        except (ProjectError, sqlite3.Error) as exc:
            self.session.say(f"Cannot read the project's layers: {exc}", error=True)
            return
        self.apply(layers)
        wanted = [ref for ref in refs if ref != (self.session.annotator or "")]
        missing = [ref for ref in wanted if ref not in layers.others]
        if missing:
            self.session.say(f"No layer of {', '.join(layer_title(r) for r in missing)} in this project.", error=True)

    def set_shown(self, ref: str, shown: bool) -> None:
        refs = [r for r in self.shown if r != ref] + ([ref] if shown else [])
        self.show_layers(refs)

    def hide_layer(self, ref: str) -> None:
        self.set_shown(ref, False)

    def show_all(self) -> None:
        others = self.others()
        if not others:
            self.session.say("Nobody else has a layer in this project: there is nothing to show beside yours.")
            return
        self.show_layers(layer.ref for layer in others)

    def hide_all(self) -> None:
        self.show_layers(())

    def others(self) -> list:
        """Other layers the window can show (none until another annotator's file is merged in),
        uncounted (index seeks; their counts are a pass over every span: ``self.counts``)."""
        try:
            if self.layers_for(self.session.annotator, ()).merged:
                return []
            return other_layers(self.session.project, self.session.annotator)
        except (ProjectError, sqlite3.Error):
            return []

    def announce(self) -> None:
        """Opening a project with other people's layers: say they are there and how to see them."""
        others = self.others()
        if others and not self.shown:
            names = ", ".join(shown_name(layer.title) for layer in others[:4]) + (" …" if len(others) > 4 else "")
            self.session.say(f"Also in this project: the layers of {names}. View > Layers (Ctrl+Shift+L: all) shows "
                             "them beside yours, read-only.")

    # ------------------------------------------------------------------ the menu
    def fill_menu(self, menu: QMenu, actions: Iterable[QAction], parent: QWidget) -> None:
        """The menu as it is now: whose layer is edited, one checkable entry per other layer,
        then ``actions`` (Show All, Hide Other Layers). Nothing here counts: the entries show
        the counts known, or "counting…" while a background count runs."""
        self._entries = {}
        self._menu = menu
        menu.clear()
        title = self.session.layers.editable_title
        editing = menu.addAction("Editing the layer of no annotator (your name: Edit > Preferences…)"
                                 if title == UNATTRIBUTED_TITLE else f"Editing {menu_text(title)}'s layer")
        editing.setEnabled(False)
        menu.addSeparator()
        others = self.others()
        counts = self.counts.counts
        colors = AnnotatorColors(self.session.project.annotators())
        if not others:
            empty = menu.addAction("One layer: no annotator's file was merged into this project")
            empty.setEnabled(False)
        for layer in others:
            action = menu.addAction(entry_text(layer.title, self._counted_text(layer.ref, counts)))
            action.setObjectName(f"view.layer:{layer.ref}")
            action.setIcon(swatch_icon(colors.color(layer.ref, parent.palette())))
            action.setCheckable(True)
            action.setChecked(layer.ref in self.shown)
            action.toggled.connect(lambda on, ref=layer.ref: self.set_shown(ref, on))
            self._entries[layer.ref] = (action, layer.title)
        menu.addSeparator()
        for action in actions:
            action.setEnabled(bool(others))
            menu.addAction(action)
        if others and counts is None:
            self.counts.request()

    @staticmethod
    def _counted_text(ref: str, counts: dict[str, Layer] | None) -> Layer | str:
        if counts is None:
            return "counting…"
        # Listed as holding something, yet not counted: it changed between the two reads.
        return counts.get(ref, "not counted")

    def forget_counts(self) -> None:
        """The project changed: the counts kept are out of date. An open menu counts again."""
        self.counts.forget()
        if self._menu is not None and shiboken6.isValid(self._menu) and self._menu.isVisible() and self._entries:
            self._show_counts(None)
            self.counts.request()

    def _counted(self, counts: dict[str, Layer]) -> None:
        self._show_counts(counts)

    def _not_counted(self, why: str) -> None:
        self._show_counts("not counted")
        self.session.say(f"Cannot count the layers' annotations: {why}", error=True)

    def _show_counts(self, counts: dict[str, Layer] | str | None) -> None:
        """Write the counts into the menu's entries, in place (the menu may be open)."""
        for ref, (action, title) in self._entries.items():
            if shiboken6.isValid(action):  # the menu filled again since: its old entries are gone
                action.setText(entry_text(title, counts if isinstance(counts, str) else
                                          self._counted_text(ref, counts)))

    def stop(self) -> None:
        """The window closes: a count still running stops."""
        self.counts.stop()
