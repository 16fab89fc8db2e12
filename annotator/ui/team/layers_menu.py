"""View > Layers: which other annotators' layers the window shows beside the editable one.

``LayersControl`` holds the choice (refs of the layers shown) and turns it into the session's
``Layers`` (ui/session/layers.py ``window_layers``): the editing annotator's layer stays
editable; others are shown read-only, each in a column of its own (layer_panes.py). While the
project holds nobody else's work the window keeps one merged layer, as before teams, and the
menu says so.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable

from PySide6.QtCore import QObject
from PySide6.QtGui import QAction, QColor, QIcon, QPixmap
from PySide6.QtWidgets import QMenu, QWidget

from ...store import ProjectError
from ..common.annotator_colors import AnnotatorColors
from ..common.bidi import shown_name
from ..session.document_session import DocumentSession
from ..session.layers import Layers, layer_title, other_layers, window_layers
from .layer_panes import LayerPanes


def menu_text(text: str) -> str:
    """Untrusted text as a menu entry: an & is shown, never taken for a mnemonic."""
    return shown_name(text).replace("&", "&&")


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

    def others(self, *, counted: bool = False) -> list:
        """Other layers the window can show (none until another annotator's file is merged in),
        with their counts when ``counted`` (the menu's entries; slower on a big project)."""
        try:
            if self.layers_for(self.session.annotator, ()).merged:
                return []
            return other_layers(self.session.project, self.session.annotator, counted=counted)
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
        then ``actions`` (Show All, Hide Other Layers)."""
        menu.clear()
        editing = menu.addAction(f"Editing {menu_text(self.session.layers.editable_title)}'s layer")
        editing.setEnabled(False)
        menu.addSeparator()
        others = self.others(counted=True)
        colors = AnnotatorColors(self.session.project.annotators())
        if not others:
            empty = menu.addAction("One layer: no annotator's file was merged into this project")
            empty.setEnabled(False)
        for layer in others:
            action = menu.addAction(f"{menu_text(layer.title)}  ({layer.spans:,} spans, {layer.claims:,} claims, "
                                    f"{layer.documents:,} documents)")
            action.setObjectName(f"view.layer:{layer.ref}")
            action.setIcon(swatch_icon(colors.color(layer.ref, parent.palette())))
            action.setCheckable(True)
            action.setChecked(layer.ref in self.shown)
            action.toggled.connect(lambda on, ref=layer.ref: self.set_shown(ref, on))
        menu.addSeparator()
        for action in actions:
            action.setEnabled(bool(others))
            menu.addAction(action)
