"""Where each annotator left off in each project: the document and the token cursor.

Kept in the user's settings (not the project: two annotators of one file each have theirs),
one JSON entry per (project, annotator), most recent first. A stored entry is untrusted like
any file: anything malformed is skipped.
"""

from __future__ import annotations

import json
from pathlib import Path

from ..common.settings import Settings

KEEP = 50


def _key(path: Path, annotator: str | None) -> tuple[str, str]:
    return str(path.resolve()), annotator or ""


def _entries(settings: Settings) -> list[list]:
    found = []
    for raw in settings.value("projects/last_position"):
        try:
            entry = json.loads(raw)
        except ValueError:
            continue
        if isinstance(entry, list) and len(entry) == 4 and all(isinstance(v, str) for v in entry[:2]) \
                and all(isinstance(v, int) and not isinstance(v, bool) for v in entry[2:]):
            found.append(entry)
    return found


def recall(settings: Settings, path: Path, annotator: str | None) -> tuple[int, int] | None:
    """(document id, cursor offset) where ``annotator`` left ``path``, or None."""
    key = list(_key(path, annotator))
    for entry in _entries(settings):
        if entry[:2] == key:
            return entry[2], entry[3]
    return None


def remember(settings: Settings, path: Path, annotator: str | None, doc_id: int, offset: int) -> None:
    key = list(_key(path, annotator))
    kept = [e for e in _entries(settings) if e[:2] != key]
    entries = [[*key, doc_id, max(0, offset)], *kept][:KEEP]
    settings.set_value("projects/last_position", [json.dumps(e, ensure_ascii=False) for e in entries])
