"""Label schemes: read and validate TOML/JSON scheme files into a ``Scheme``.

A scheme file looks like resources/schemes/default.toml; docs/schema.md documents it.
"""

from __future__ import annotations

import json
import re
import tomllib
from pathlib import Path
from typing import Any

from .model import LABEL_KINDS, ClaimAttribute, Label, Scheme
from .problems import InputError, Problem
from .textutil import quoted

COLOR_RE = re.compile(r"^#[0-9a-fA-F]{6}$")
# Label keys: a digit or letter, optionally with "shift+" (Shift+1..0 give labels 11-20).
KEY_RE = re.compile(r"^(shift\+)?[0-9a-z]$")
ATTRIBUTE_KINDS = ("choice", "text")
NAME_RE = re.compile(r"^\S(.*\S)?$")
SCHEME_FIELDS = ("language", "allow_overlapping_entities", "labels", "attributes")
LABEL_FIELDS = ("name", "kind", "color", "key", "description")
ATTRIBUTE_FIELDS = ("name", "title", "kind", "choices", "default", "required", "key", "description")

# Readable on light and dark backgrounds; used for labels added without a colour.
PALETTE = (
    "#7aa6f0", "#f0a35e", "#6cc28a", "#b9a1e8", "#e8c35a", "#5ec4c8", "#a3c45a", "#ef8fb3",
    "#d98c6a", "#8fb8de", "#c9a0dc", "#9ccc65", "#ffb74d", "#4db6ac", "#f48fb1", "#90a4ae",
)


def next_color(used: set[str]) -> str:
    for color in PALETTE:
        if color not in used:
            return color
    return PALETTE[len(used) % len(PALETTE)]


def check_label_name(name: object) -> str | None:
    """The reason a label name is unusable, or None."""
    if not isinstance(name, str) or not name:
        return "label name must be a non-empty string"
    if not NAME_RE.match(name) or "\n" in name:
        return f"label name {quoted(name)} must not start or end with white space or contain line breaks"
    if len(name) > 100:
        return "label name is longer than 100 characters"
    return None


def check_color(color: object) -> str | None:
    if not isinstance(color, str) or not COLOR_RE.match(color):
        return f"colour {quoted(color)} must look like #rrggbb"
    return None


def check_key(key: object) -> str | None:
    if key is None:
        return None
    if not isinstance(key, str) or not KEY_RE.match(key.lower()):
        return f"key {quoted(key)} must be one digit or letter, optionally 'shift+<digit>'"
    return None


def load_scheme_file(path: str | Path) -> Scheme:
    """Read a .toml or .json scheme file; raises InputError naming file and field."""
    path = Path(path)
    name = str(path)
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise InputError([Problem(name, None, None, f"cannot read file: {exc.strerror}")]) from exc
    try:
        if path.suffix.lower() == ".json":
            data = json.loads(raw.decode("utf-8-sig"))
        else:
            data = tomllib.loads(raw.decode("utf-8-sig"))
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise InputError([Problem(name, line, None, f"invalid UTF-8 at byte {exc.start}")]) from exc
    except json.JSONDecodeError as exc:
        raise InputError([Problem(name, exc.lineno, None, f"invalid JSON: {exc.msg}")]) from exc
    except tomllib.TOMLDecodeError as exc:
        # Python < 3.14 gives the position only inside the message: "(at line 3, column 7)".
        line = getattr(exc, "lineno", None)
        if line is None and (found := re.search(r"at line (\d+)", str(exc))):
            line = int(found.group(1))
        raise InputError([Problem(name, line, None, f"invalid TOML: {exc}")]) from exc
    return parse_scheme(data, name)


def parse_scheme(data: Any, source: str = "<scheme>") -> Scheme:
    problems: list[Problem] = []

    def bad(fld: str, message: str) -> None:
        problems.append(Problem(source, None, fld, message))

    if not isinstance(data, dict):
        raise InputError([Problem(source, None, None, "a scheme must be a table/object")])
    # A misspelt field (``colour``, ``label``) would otherwise be silently ignored.
    for unknown in sorted(set(data) - set(SCHEME_FIELDS), key=str):
        bad(str(unknown), f"unknown field; expected one of {', '.join(SCHEME_FIELDS)}")
    labels: list[Label] = []
    seen_names: set[str] = set()
    seen_keys: dict[str, str] = {}
    raw_labels = data.get("labels", [])
    if not isinstance(raw_labels, list):
        bad("labels", "must be a list of label tables")
        raw_labels = []
    for i, item in enumerate(raw_labels):
        fld = f"labels[{i}]"
        if not isinstance(item, dict):
            bad(fld, "must be a table/object")
            continue
        for unknown in sorted(set(item) - set(LABEL_FIELDS), key=str):
            bad(f"{fld}.{unknown}", f"unknown field; expected one of {', '.join(LABEL_FIELDS)}")
        name = item.get("name")
        if (reason := check_label_name(name)) is not None:
            bad(f"{fld}.name", reason)
            continue
        if name in seen_names:
            bad(f"{fld}.name", f"label {quoted(name)} is defined twice")
        kind = item.get("kind", "entity")
        if kind not in LABEL_KINDS:
            bad(f"{fld}.kind", f"kind {quoted(kind)} must be one of {', '.join(LABEL_KINDS)}")
        color = item.get("color") or next_color({lab.color for lab in labels})
        if (reason := check_color(color)) is not None:
            bad(f"{fld}.color", reason)
        key = item.get("key")
        if (reason := check_key(key)) is not None:
            bad(f"{fld}.key", reason)
        elif key is not None:
            key = key.lower()
            if key in seen_keys:
                bad(f"{fld}.key", f"key {quoted(key)} is already used by {seen_keys[key]}")
            seen_keys[key] = name
        description = item.get("description", "")
        if not isinstance(description, str):
            bad(f"{fld}.description", "must be a string")
            description = ""
        seen_names.add(name)
        labels.append(Label(name=name, kind=kind, color=str(color).lower(), key=key, description=description))

    attributes: list[ClaimAttribute] = []
    raw_attributes = data.get("attributes", [])
    if not isinstance(raw_attributes, list):
        bad("attributes", "must be a list of attribute tables")
        raw_attributes = []
    seen_attr: set[str] = set()
    seen_attr_keys: dict[str, str] = {}
    for i, item in enumerate(raw_attributes):
        fld = f"attributes[{i}]"
        if not isinstance(item, dict):
            bad(fld, "must be a table/object")
            continue
        for unknown in sorted(set(item) - set(ATTRIBUTE_FIELDS), key=str):
            bad(f"{fld}.{unknown}", f"unknown field; expected one of {', '.join(ATTRIBUTE_FIELDS)}")
        name = item.get("name")
        if not isinstance(name, str) or not re.match(r"^[A-Za-z_][A-Za-z0-9_]*$", name):
            bad(f"{fld}.name", "attribute name must be an identifier (letters, digits, _)")
            continue
        if name in seen_attr:
            bad(f"{fld}.name", f"attribute {quoted(name)} is defined twice")
        seen_attr.add(name)
        kind = item.get("kind", "choice")
        if kind not in ATTRIBUTE_KINDS:
            bad(f"{fld}.kind", f"kind {quoted(kind)} must be one of {', '.join(ATTRIBUTE_KINDS)}")
        choices = item.get("choices", [])
        if kind == "choice" and (
            not isinstance(choices, list) or not choices or not all(isinstance(c, str) and c for c in choices)
        ):
            bad(f"{fld}.choices", "a choice attribute needs a non-empty list of strings")
            choices = []
        default = item.get("default")
        if default is not None and not isinstance(default, str):
            bad(f"{fld}.default", "must be a string")
        elif default is not None and kind == "choice" and default not in choices:
            bad(f"{fld}.default", f"default {quoted(default)} is not one of the choices")
        key = item.get("key")
        if (reason := check_key(key)) is not None:
            bad(f"{fld}.key", reason)
        elif key is not None:
            key = key.lower()
            if key in seen_attr_keys:
                bad(f"{fld}.key", f"key {quoted(key)} is already used by attribute {quoted(seen_attr_keys[key])}")
            seen_attr_keys[key] = name
        required = item.get("required", False)
        if not isinstance(required, bool):
            bad(f"{fld}.required", "must be true or false")
        attributes.append(
            ClaimAttribute(
                name=name, title=str(item.get("title") or name.replace("_", " ").capitalize()), kind=kind,
                choices=tuple(choices or ()), default=default, required=bool(required),
                key=key.lower() if isinstance(key, str) else None,
                description=str(item.get("description", "")),
            )
        )
    language = data.get("language", "en")
    if not isinstance(language, str) or not re.match(r"^[a-z]{2,3}$|^xx$", language):
        bad("language", f"language {quoted(language)} must be a spaCy language code such as 'en'")
    overlap = data.get("allow_overlapping_entities", False)
    if not isinstance(overlap, bool):
        bad("allow_overlapping_entities", "must be true or false")
    if problems:
        raise InputError(problems)
    return Scheme(tuple(labels), tuple(attributes), language, bool(overlap))


def scheme_data(scheme: Scheme) -> dict[str, Any]:
    """A scheme as the table ``parse_scheme`` reads (what a team server hands every member)."""
    labels = []
    for label in scheme.labels:
        item: dict[str, Any] = {"name": label.name, "kind": label.kind, "color": label.color}
        if label.key:
            item["key"] = label.key
        if label.description:
            item["description"] = label.description
        labels.append(item)
    attributes = []
    for attribute in scheme.attributes:
        item = {"name": attribute.name, "title": attribute.title, "kind": attribute.kind,
                "required": attribute.required, "description": attribute.description}
        if attribute.kind == "choice":
            item["choices"] = list(attribute.choices)
        if attribute.default is not None:
            item["default"] = attribute.default
        if attribute.key:
            item["key"] = attribute.key
        attributes.append(item)
    return {"language": scheme.language, "allow_overlapping_entities": scheme.allow_overlapping_entities,
            "labels": labels, "attributes": attributes}
