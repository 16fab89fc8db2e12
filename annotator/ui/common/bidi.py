"""Text that must not lie on screen: bidirectional control characters shown, not obeyed.

A right-to-left override (U+202E) in a title reverses what follows it ("reversed title"), in a
label name it shows "GPE" as "EPG", and in an article it moves characters so that a span's
highlight covers other letters than the span holds. Every name the window shows (titles,
labels, annotators, claimants, list entries) goes through ``shown_name``, which writes each
control as a visible marker ("‹RLO›"); the article goes through ``shown_article``, which puts a
visible, direction-neutral mark in the control's place, one UTF-16 unit for one, so that every
offset still means the same character (the view labels each mark with its control's name).
Text without controls is returned as it is: most text pays nothing.
"""

from __future__ import annotations

import re

CONTROLS = {
    "\u202a": "LRE", "\u202b": "RLE", "\u202c": "PDF", "\u202d": "LRO", "\u202e": "RLO",
    "\u2066": "LRI", "\u2067": "RLI", "\u2068": "FSI", "\u2069": "PDI",
    "\u200e": "LRM", "\u200f": "RLM", "\u061c": "ALM",
}
ARTICLE_MARK = "\u25c7"  # ◇: neutral in the bidi algorithm, one UTF-16 unit like every control it stands for
_FIND = re.compile("[" + "".join(CONTROLS) + "]")
_NAMES = str.maketrans({char: f"‹{name}›" for char, name in CONTROLS.items()})
_MARKS = str.maketrans({char: ARTICLE_MARK for char in CONTROLS})


def has_controls(text: str) -> bool:
    return _FIND.search(text) is not None


def shown_name(text: str) -> str:
    """A title, label or list entry as shown: its controls written out (‹RLO›), never applied."""
    return text.translate(_NAMES) if has_controls(text) else text


def shown_article(text: str) -> str:
    """The article as shown: each control replaced by a visible neutral mark (same length)."""
    return text.translate(_MARKS) if has_controls(text) else text


def control_positions(text: str) -> list[tuple[int, str]]:
    """(code-point offset, control name) of every control in ``text``, for the marks' labels."""
    return [(match.start(), CONTROLS[match.group()]) for match in _FIND.finditer(text)]
