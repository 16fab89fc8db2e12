"""A span's attribute values and note (brought by other tools' files) as one line of text: the
span table's Attributes column and the tooltips of the table and the article.

Names, values and notes come from files: written through ``shown_name`` (bidi controls shown,
never obeyed), and a note's line breaks become spaces so a cell stays one line.
"""

from __future__ import annotations

from ...core.model import FLAG_VALUE, SpanDetails
from .bidi import shown_name


def describe_details(details: SpanDetails | None, note_chars: int | None = None) -> str:
    """A span's attributes (a set flag by its name alone) and note, as one line of text."""
    if details is None:
        return ""
    parts = [name if value == FLAG_VALUE else f"{name}: {value}" for name, value in details.values.items()]
    if details.note is not None:
        note = " ".join(details.note.split())
        if note_chars is not None and len(note) > note_chars:
            note = note[:note_chars - 1] + "…"
        parts.append(f"note: {note}")
    return shown_name(" · ".join(parts))
