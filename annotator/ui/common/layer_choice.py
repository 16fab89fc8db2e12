"""Whose annotations an export or a training run takes (docs/teams.md "Export").

A project holding one layer (one annotator's work, or work nobody is named for) is exported as
it always was: "all annotators" is the usual choice. With several layers one training set must
not mix annotators: the combo then lists each layer with what it holds, starts on the layer of
the annotator editing (else the first), and offers "every annotator" only where the format
keeps each annotator's work on its own (Label Studio, doccano 1.x annotations), never for
training. The workflows refuse a mix too; the dialog just never offers it.
"""

from __future__ import annotations

import sqlite3

from PySide6.QtCore import Qt
from PySide6.QtGui import QStandardItemModel
from PySide6.QtWidgets import QComboBox, QWidget

from ...core.team import GOLD_NAME, Layer
from ...store import Project, ProjectError
from .bidi import shown_name

ALL_TITLE = "all annotators"
EVERY_TITLE = "every annotator, each as their own"
GOLD_TITLE = "the gold layer (reviewed)"  # no choice exports gold once review wrote one (workflows/exporting.py)


def layer_text(layer: Layer) -> str:
    parts = [f"{layer.spans:,} span{'' if layer.spans == 1 else 's'}"]
    if layer.claims:
        parts.append(f"{layer.claims:,} claim{'' if layer.claims == 1 else 's'}")
    parts.append(f"{layer.documents:,} document{'' if layer.documents == 1 else 's'}")
    return f"{shown_name(layer.title)}  ({', '.join(parts)})"


def _ref_of(project: Project, name: str | None) -> str | None:
    """The ref of the annotator named ``name`` (the settings' name), if the project knows them."""
    if not name:
        return None
    try:
        found = project.known_annotator(name)
    except (ProjectError, sqlite3.Error):  # a name two annotators share: no default
        return None
    return found.ref if found is not None else None


class LayerCombo(QComboBox):
    """Items: None (all or every annotator), then each layer's ref (or, with one layer, each
    annotator the project knows, as before teams)."""

    def __init__(self, project: Project, editing: str | None = None, parent: QWidget | None = None):
        """``editing``: the name of the annotator editing (their layer is chosen first)."""
        super().__init__(parent)
        try:
            layers = [layer for layer in project.layers() if layer.spans or layer.claims or layer.doc_labels]
            names = project.annotators()
            self.gold = project.has_gold_layer()
        except (ProjectError, sqlite3.Error):
            layers, names, self.gold = [], [], False
        self.several = len(layers) > 1 and not self.gold
        if self.gold:  # reviewed: gold is what a training set is made of, the layers still to choose
            self.addItem(GOLD_TITLE, None)
            for layer in layers:
                self.addItem("gold (reviewed)" if layer.ref == GOLD_NAME else layer_text(layer), layer.ref)
        elif self.several:
            self.addItem(EVERY_TITLE, None)
            for layer in layers:
                self.addItem(layer_text(layer), layer.ref)
            refs = [layer.ref for layer in layers]
            mine = _ref_of(project, editing)
            self.setCurrentIndex(1 + (refs.index(mine) if mine in refs else 0))
            self.setToolTip("This project holds several annotators' layers: one training set never mixes them")
        else:
            self.addItem(ALL_TITLE, None)
            for name in names:
                self.addItem(shown_name(name), name)

    def choice(self) -> str | None:
        return self.currentData()

    def allow_every(self, allowed: bool) -> None:
        """With several layers: whether "every annotator" may be chosen (a format that keeps
        them apart); when it may not and was chosen, the first layer is taken instead."""
        if not self.several:
            return
        item = self.model().item(0) if isinstance(self.model(), QStandardItemModel) else None
        if item is not None:
            flags = item.flags()
            item.setFlags(flags | Qt.ItemFlag.ItemIsEnabled if allowed else flags & ~Qt.ItemFlag.ItemIsEnabled)
        if not allowed and self.currentIndex() == 0:
            self.setCurrentIndex(1)
