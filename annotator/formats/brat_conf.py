"""brat's annotation.conf: the entity, relation, event and attribute types of a corpus.

brat looks for it in the document's folder, then in each folder above; so do we. With
``--add-labels`` its types become the project's scheme: entity types entity labels, event
types role labels (an event trigger is not a named entity, and may overlap one), attributes
span attributes (a flag when the line has no ``Value:``, else a choice of its values).
Relation types need nothing: a relation's label is free text here.
"""

from __future__ import annotations

import re
from pathlib import Path

from ..core.records import SchemeHints
from ..core.textutil import path_text
from .decoding import read_text

CONF_NAME = "annotation.conf"
SECTIONS = ("entities", "relations", "events", "attributes")


def find_conf(ann: Path) -> Path | None:
    for folder in [ann.parent, *ann.parent.parents]:
        candidate = folder / CONF_NAME
        if candidate.is_file():
            return candidate
    return None


def read_conf(path: Path) -> SchemeHints:
    """The types the file declares. Lines brat would reject are passed over: the types still
    have to pass the label checks of the import, which name the span that uses them."""
    hints = SchemeHints(path_text(path))
    section = ""
    for raw in read_text(path).splitlines():
        stripped = raw.strip()
        if stripped.startswith("#"):
            continue
        if not stripped:
            continue
        heading = re.fullmatch(r"\[(\w+)\]", stripped)
        if heading:
            section = heading.group(1).lower()
            continue
        if stripped.startswith(("<", "!")) or not stripped.strip("-"):
            continue  # a macro (<POG>=...), a type that cannot be annotated (a hierarchy node), a ---- separator
        name = re.split(r"[\s]", stripped, maxsplit=1)[0]
        if section == "entities":
            hints.label_kinds.setdefault(name, "entity")
        elif section == "events":
            hints.label_kinds.setdefault(name, "role")
        elif section == "attributes":
            rest = stripped[len(name):]
            value = re.search(r"Value:\s*([^,]+)", rest)
            if value:
                choices = tuple(v.strip() for v in value.group(1).split("|") if v.strip())
                hints.attributes[name] = ("choice", choices)
            else:
                hints.attributes[name] = ("flag", ())
    return hints
