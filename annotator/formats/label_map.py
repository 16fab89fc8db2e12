"""``--label-map``: names for the label ids of a doccano 1.x export.

doccano 1.x writes a span's label as the id of the label in its database (``"label": 12``).
Without a map the label is named by its id ("12"); with one, the id's name. The map is:
- doccano's own label export (``[{"id": 12, "text": "PER", ...}, ...]``, a JSON list), or
- a JSON object ``{"12": "PER", "13": "LOC"}``, or
- lines ``12=PER`` (or ``12<TAB>PER``), ``#`` comments allowed, or the same inline:
  ``--label-map 12=PER,13=LOC``.
"""

from __future__ import annotations

import json
from pathlib import Path

from ..core.problems import InputError, Problem
from ..core.scheme import check_label_name
from ..core.textutil import path_text

LabelMap = tuple[tuple[str, str], ...]


def parse_label_map(value: str) -> LabelMap:
    """Raises InputError naming the file (or ``--label-map``), the line and the entry."""
    path = Path(value)
    if not path.is_file():
        return _pairs("--label-map", [(None, part) for part in value.split(",") if part.strip()])
    source = path_text(path)
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError([Problem(source, None, "--label-map", f"cannot read it as UTF-8 text: {exc}")]) from exc
    if text.lstrip().startswith(("[", "{")):
        return _from_json(source, text)
    return _pairs(source, [(n, line.strip()) for n, line in enumerate(text.splitlines(), 1)
                           if line.strip() and not line.lstrip().startswith("#")])


def _from_json(source: str, text: str) -> LabelMap:
    try:
        data = json.loads(text)
    except ValueError as exc:
        raise InputError([Problem(source, getattr(exc, "lineno", None), "--label-map",
                                  f"invalid JSON: {exc}")]) from exc
    if isinstance(data, dict):
        entries = list(data.items())
    elif isinstance(data, list):
        entries = []
        for i, item in enumerate(data):
            if not isinstance(item, dict) or "id" not in item or not isinstance(item.get("text"), str):
                raise InputError([Problem(source, None, f"[{i}]", "a doccano label needs an id and a text")])
            entries.append((item["id"], item["text"]))
    else:
        raise InputError([Problem(source, None, "--label-map", "must be a JSON object or doccano's list of labels")])
    pairs = []
    for key, name in entries:
        if isinstance(key, bool) or not isinstance(key, (int, str)) or not isinstance(name, str):
            raise InputError([Problem(source, None, str(key), "maps a label id (number or text) to a name (text)")])
        if (reason := check_label_name(name)) is not None:
            raise InputError([Problem(source, None, str(key), reason)])
        pairs.append((str(key), name))
    return tuple(pairs)


def _pairs(source: str, entries: list[tuple[int | None, str]]) -> LabelMap:
    pairs = []
    for number, entry in entries:
        key, sep, name = entry.replace("\t", "=", 1).partition("=")
        key, name = key.strip(), name.strip()
        if not sep or not key or not name:
            raise InputError([Problem(source, number, "--label-map",
                                      f"{entry!r} must look like ID=LABEL (e.g. 12=PER)")])
        if (reason := check_label_name(name)) is not None:
            raise InputError([Problem(source, number, "--label-map", reason)])
        pairs.append((key, name))
    return tuple(pairs)
