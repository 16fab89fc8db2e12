"""The two questions claim editing asks: before deleting a span that claims link to, and before
marking a document done while a claim misses a required attribute."""

from __future__ import annotations

from collections.abc import Mapping

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QMessageBox, QWidget


def confirm_unlink(near: QWidget, text: str, counts: Mapping[str, int]) -> bool:
    """"“Antonov” is the claimant of 2 claims; delete it and unlink them?" — True: delete."""
    roles = [f"the {role} of {n} claim{'s' if n != 1 else ''}" for role, n in counts.items() if n]
    name = " ".join(text.split())
    name = name if len(name) <= 40 else name[:39] + "…"
    them = "them" if sum(counts.values()) > 1 else "it"
    box = QMessageBox(QMessageBox.Icon.Question, "Delete span",
                      f"“{name}” is {' and '.join(roles)}; delete it and unlink {them}?\n\n"
                      "The claims stay; Undo puts the links back.", parent=near.window())
    box.setTextFormat(Qt.TextFormat.PlainText)
    delete = box.addButton("&Delete and Unlink", QMessageBox.ButtonRole.AcceptRole)
    keep = box.addButton("&Keep", QMessageBox.ButtonRole.RejectRole)
    box.setDefaultButton(keep)
    box.setObjectName("confirmUnlink")
    return _ask(near, box) is delete


def confirm_incomplete(near: QWidget, count: int, titles: list[str]) -> bool:
    """True: mark the document done anyway; False: show the first incomplete claim."""
    many = count != 1
    box = QMessageBox(QMessageBox.Icon.Warning, "Claims are incomplete",
                      f"{count} claim{'s' if many else ''} in this document {'miss' if many else 'misses'}"
                      f" a required attribute ({', '.join(titles)}). Mark it done anyway?", parent=near.window())
    box.setTextFormat(Qt.TextFormat.PlainText)
    done = box.addButton("Mark &Done Anyway", QMessageBox.ButtonRole.AcceptRole)
    show = box.addButton("&Show the Claim", QMessageBox.ButtonRole.RejectRole)
    box.setDefaultButton(show)
    box.setObjectName("confirmIncomplete")
    return _ask(near, box) is done


def _ask(near: QWidget, box: QMessageBox) -> object:
    """Run a question and give back the button clicked; then the keys go back where they were
    (not every platform gives the window its focus back after a modal box)."""
    focus = QApplication.focusWidget()
    window = near.window()
    box.exec()
    clicked = box.clickedButton()
    box.deleteLater()
    window.activateWindow()
    if focus is not None and window.isAncestorOf(focus):
        focus.setFocus(Qt.FocusReason.OtherFocusReason)
    return clicked
