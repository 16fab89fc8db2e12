"""Every dialog of the annotation window: no two visible controls share an Alt+letter mnemonic.

Two controls with the same mnemonic make Alt+letter cycle focus instead of acting, which a
keyboard user finds out only by pressing it.
"""

from __future__ import annotations

import re
from collections import Counter

import pytest
from PySide6.QtWidgets import QAbstractButton, QGroupBox, QLabel, QWidget

from annotator.core.model import Label
from annotator.ui.dialogs.import_dialog import ImportDialog
from annotator.ui.session.document_session import DocumentSession
from annotator.ui.dialogs.add_label import AddLabelDialog
from annotator.ui.dialogs.label_editor import LabelEditorDialog
from annotator.ui.dialogs.new_project import NewProjectDialog
from annotator.ui.dialogs.preferences import PreferencesDialog, _NameDialog
from annotator.ui.common.settings import Settings
from annotator.ui.dialogs.shortcuts_dialog import ShortcutsDialog

MNEMONIC = re.compile(r"(?<!&)&([^&\s])")


def mnemonics(dialog: QWidget) -> list[tuple[str, str]]:
    found = []
    for widget in dialog.findChildren(QWidget):
        if not widget.isVisibleTo(dialog):
            continue
        if isinstance(widget, QAbstractButton):
            text = widget.text()
        elif isinstance(widget, QLabel) and widget.buddy() is not None:
            text = widget.text()
        elif isinstance(widget, QGroupBox):
            text = widget.title()
        else:
            continue
        if match := MNEMONIC.search(text.replace("&&", "")):
            found.append((match.group(1).lower(), text))
    return found


DIALOGS = {
    "import": lambda project: ImportDialog(project, Settings()),
    "labels": lambda project: LabelEditorDialog(DocumentSession(project)),
    "add label": lambda project: AddLabelDialog(DocumentSession(project)),
    "preferences": lambda project: PreferencesDialog(Settings(), DocumentSession(project)),
    "name": lambda project: _NameDialog("ana"),
    "new project": lambda project: NewProjectDialog(Settings()),
    "shortcuts": lambda project: ShortcutsDialog([Label("PERSON", key="1")]),
}


@pytest.mark.parametrize("name", DIALOGS)
def test_shortcuts_dialog_mnemonics_are_unique_in_every_dialog(name, project, qtbot):
    dialog = DIALOGS[name](project)
    qtbot.addWidget(dialog)
    dialog.show()
    keys = mnemonics(dialog)
    assert keys, "a dialog without mnemonics is not keyboard friendly"
    twice = {key for key, n in Counter(k for k, _text in keys).items() if n > 1}
    assert not twice, [text for key, text in keys if key in twice]
