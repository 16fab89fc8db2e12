"""Every user setting the window keeps, declared once, read and written through QSettings.

Add a key here (and nowhere else) when a widget starts remembering something; core code
never reads settings, it takes values as arguments.
"""

from __future__ import annotations

from collections.abc import Container
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QByteArray, QSettings

THEMES = ("system", "light", "dark")
ZOOM_STEPS = range(-5, 11)  # text zoom in point steps from the reading font's size
RECENT_MAX = 10


@dataclass(frozen=True)
class Setting:
    key: str
    type: type
    default: Any
    doc: str
    # Values outside this (a tuple of choices, a range) read back as the default: a hand-edited
    # or older settings file never hands a widget a value it cannot show.
    allowed: Container[Any] | None = None


SETTINGS: tuple[Setting, ...] = (
    Setting("main_window/geometry", QByteArray, QByteArray(), "Position and size of the main window."),
    Setting("main_window/state", QByteArray, QByteArray(), "Toolbars and docks of the main window."),
    Setting("main_window/splitter", QByteArray, QByteArray(),
            "Widths of the document list, the text and the span panes."),
    Setting("annotator/name", str, "",
            "Who is annotating: stamped on every span made in this window. Empty until asked at first start."),
    Setting("view/theme", str, "system", "Colour theme: follow the system, or always light or dark.", THEMES),
    Setting("view/zoom", int, 0, "Text size of the article, in steps up or down from the reading size.",
            ZOOM_STEPS),
    Setting("recent/projects", list, [], f"Recently opened project files, most recent first (at most {RECENT_MAX})."),
    Setting("import/folder", str, "", "The folder the Import dialog last chose files from."),
    Setting("import/format", str, "auto", "The format last chosen in the Import dialog."),
    Setting("import/text_column", str, "text", "The text column last given for CSV/TSV imports."),
    Setting("import/skip_invalid", bool, False, "Import: skip invalid records instead of refusing their file."),
    Setting("import/add_labels", bool, False, "Import: add unknown span labels to the scheme."),
    Setting("projects/folder", str, "", "The folder new projects were last created in."),
    Setting("export/folder", str, "", "The folder the Export dialog last wrote into."),
    Setting("projects/last_position", list, [], "Where each annotator left off in each project, most recent "
            "first: JSON [path, annotator, document id, cursor offset] (see ui/window/last_position.py)."),
    Setting("team/server", str, "", "The team server address last given in File > Team > Connect to Server… "
            "(never a password: those stay in ~/.pgpass or a service file)."),
    Setting("team/sync_interval", int, 60, "Seconds between background syncs of a project linked to a team server.",
            range(10, 3601)),
    Setting("team/sync_delay", int, 5, "Seconds after the last edit before it is sent to the team server.",
            range(1, 601)),
    Setting("projects/sound", list, [], "Project files that passed the integrity check and were closed cleanly "
            "(size:mtime:path); reopened unchanged, they skip the check."),
)
_BY_KEY = {setting.key: setting for setting in SETTINGS}


class Settings:
    """Typed access to the declared keys; an unknown key is a bug and raises KeyError."""

    def __init__(self, store: QSettings | None = None):
        self._store = store if store is not None else QSettings()

    def value(self, key: str) -> Any:
        setting = _BY_KEY[key]
        value = _coerce(self._store.value(key, setting.default), setting)
        if setting.allowed is not None and value not in setting.allowed:
            return _copy(setting.default)
        return value

    def set_value(self, key: str, value: Any) -> None:
        setting = _BY_KEY[key]
        if not isinstance(value, setting.type):
            raise TypeError(f"setting {key!r} takes {setting.type.__name__}, got {type(value).__name__}")
        if setting.allowed is not None and value not in setting.allowed:
            raise ValueError(f"setting {key!r} does not take {value!r}")
        if isinstance(value, list):
            value = [str(item) for item in value]
        self._store.setValue(key, value)

    def sync(self) -> None:
        self._store.sync()


def _copy(value: Any) -> Any:
    # A list default is shared by every read: hand out copies so a caller's append stays local.
    return list(value) if isinstance(value, list) else value


def _coerce(raw: Any, setting: Setting) -> Any:
    """The stored value as the declared type; the default when it cannot be read as one."""
    kind = setting.type
    if kind is bool:
        # INI files and the registry give "true"/"false" back as strings, and bool("false") is True.
        if isinstance(raw, bool):
            return raw
        if isinstance(raw, str) and raw.lower() in ("true", "false", "1", "0"):
            return raw.lower() in ("true", "1")
        if isinstance(raw, int):
            return bool(raw)
        return setting.default
    if kind is list:
        # An empty list comes back as None, a one-element list as its only string (INI, macOS).
        if raw is None:
            return []
        if isinstance(raw, str):
            return [raw]
        if isinstance(raw, (list, tuple)):
            return [str(item) for item in raw]
        return _copy(setting.default)
    if kind is int and isinstance(raw, bool):
        return setting.default
    if isinstance(raw, kind):
        return raw
    try:  # QSettings hands back strings from INI files and other platforms' stores
        return kind(raw)
    except (TypeError, ValueError):
        return _copy(setting.default)
