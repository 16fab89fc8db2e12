"""Every user setting the window keeps, declared once, read and written through QSettings.

Add a key here (and nowhere else) when a widget starts remembering something; core code
never reads settings, it takes values as arguments.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QByteArray, QSettings


@dataclass(frozen=True)
class Setting:
    key: str
    type: type
    default: Any
    doc: str


SETTINGS: tuple[Setting, ...] = (
    Setting("main_window/geometry", QByteArray, QByteArray(), "Position and size of the main window."),
    Setting("main_window/state", QByteArray, QByteArray(), "Toolbars and docks of the main window."),
    Setting("main_window/splitter", QByteArray, QByteArray(),
            "Widths of the document list, the text and the span panes."),
)
_BY_KEY = {setting.key: setting for setting in SETTINGS}


class Settings:
    """Typed access to the declared keys; an unknown key is a bug and raises KeyError."""

    def __init__(self, store: QSettings | None = None):
        self._store = store if store is not None else QSettings()

    def value(self, key: str) -> Any:
        setting = _BY_KEY[key]
        raw = self._store.value(key, setting.default)
        if isinstance(raw, setting.type):
            return raw
        try:  # QSettings hands back strings from INI files and other platforms' stores
            return setting.type(raw)
        except (TypeError, ValueError):
            return setting.default

    def set_value(self, key: str, value: Any) -> None:
        setting = _BY_KEY[key]
        if not isinstance(value, setting.type):
            raise TypeError(f"setting {key!r} takes {setting.type.__name__}, got {type(value).__name__}")
        self._store.setValue(key, value)

    def sync(self) -> None:
        self._store.sync()
