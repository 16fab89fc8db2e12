"""File choosers that show whole file names.

Qt's own file dialog (used where the desktop offers none: plain X11, Wayland without a portal,
offscreen) opens small, in list mode, with names cut to "pla…ent". These open it in detail
mode, wide enough, with the name column taking the room; a desktop's native dialog is left
as the desktop makes it.
"""

from __future__ import annotations

from PySide6.QtWidgets import QFileDialog, QHeaderView, QTreeView, QWidget

WIDTH, HEIGHT = 880, 540

Mode = QFileDialog.FileMode


def open_file(parent: QWidget | None, caption: str, start: str = "", filters: str = "") -> str:
    chosen = _run(parent, caption, start, filters, Mode.ExistingFile)
    return chosen[0] if chosen else ""


def open_files(parent: QWidget | None, caption: str, start: str = "", filters: str = "") -> list[str]:
    return _run(parent, caption, start, filters, Mode.ExistingFiles)


def folder(parent: QWidget | None, caption: str, start: str = "") -> str:
    chosen = _run(parent, caption, start, "", Mode.Directory, options=QFileDialog.Option.ShowDirsOnly)
    return chosen[0] if chosen else ""


def save_file(parent: QWidget | None, caption: str, start: str = "", filters: str = "", *,
              confirm_overwrite: bool = True) -> str:
    options = QFileDialog.Option(0) if confirm_overwrite else QFileDialog.Option.DontConfirmOverwrite
    chosen = _run(parent, caption, start, filters, Mode.AnyFile, save=True, options=options)
    return chosen[0] if chosen else ""


def _run(parent: QWidget | None, caption: str, start: str, filters: str, mode: QFileDialog.FileMode, *,
         save: bool = False, options: QFileDialog.Option = QFileDialog.Option(0)) -> list[str]:
    dialog = QFileDialog(parent, caption, start, filters)
    dialog.setObjectName("fileChooser")
    dialog.setFileMode(mode)
    dialog.setOptions(options)
    if save:
        dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
    widen(dialog)
    try:
        return dialog.selectedFiles() if dialog.exec() else []
    finally:
        dialog.deleteLater()


def widen(dialog: QFileDialog) -> None:
    """Detail view, a useful size (within the parent window), the name column stretched."""
    dialog.setViewMode(QFileDialog.ViewMode.Detail)
    screen = dialog.screen()
    room = screen.availableGeometry() if screen is not None else None
    dialog.resize(min(WIDTH, room.width()) if room else WIDTH, min(HEIGHT, room.height()) if room else HEIGHT)
    tree = dialog.findChild(QTreeView, "treeView")
    if tree is not None:  # Qt's own dialog (a native one has no widgets of ours to size)
        header = tree.header()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        header.setMinimumSectionSize(60)
        if header.count() > 2:
            header.hideSection(2)  # "Type" ("jsonl File"): the name says it; the name needs the room
