"""Text facts that must hold the same way in every layer."""

from __future__ import annotations

import hashlib
import os
import re
import unicodedata

BOM = "\ufeff"
_LETTER = re.compile(r"[^\W\d_]")  # the first letter: where a paragraph's direction is decided


def content_hash(text: str) -> str:
    """Identity of a document's exact text; re-importing the same text is a no-op.

    ``surrogatepass`` so that even a malformed string hashes instead of raising;
    importers refuse lone surrogates before anything is stored.
    """
    return hashlib.blake2b(text.encode("utf-8", "surrogatepass"), digest_size=16).hexdigest()


def strip_bom(text: str) -> str:
    """Drop one leading byte-order mark: the only change ever made to imported text."""
    return text[1:] if text.startswith(BOM) else text


def find_lone_surrogate(text: str) -> int | None:
    """Code-point index of the first lone surrogate, or None (fast path: encode once)."""
    try:
        text.encode("utf-8")
        return None
    except UnicodeEncodeError as exc:
        return exc.start


def path_text(path: str | os.PathLike[str]) -> str:
    """A file name as storable, printable text.

    Why: on POSIX a name that is not UTF-8 (e.g. ``caf\\xe9.txt`` unpacked from an old zip)
    decodes with lone surrogates (surrogateescape); storing it as a document's source or
    title made SQLite's UTF-8 encoding raise mid-import and lose the whole import. Such
    bytes are shown as ``\\xe9`` instead; every valid name is returned unchanged.
    """
    name = os.fspath(path)
    if find_lone_surrogate(name) is None:
        return name
    try:
        raw = os.fsencode(name)
    except UnicodeEncodeError:  # a surrogate that no file system produced
        return name.encode("utf-8", "backslashreplace").decode("utf-8")
    return raw.decode("utf-8", "backslashreplace")


def is_blank(text: str) -> bool:
    return not text.strip()


def snippet(text: str, limit: int = 80) -> str:
    """First words of a text on one line, for list rows."""
    head = " ".join(text[: limit * 2].split())
    return head if len(head) <= limit else head[: limit - 1].rstrip() + "…"


def is_right_to_left(text: str) -> bool:
    """Whether ``text`` reads right to left: its first letter is of a right-to-left script
    (Unicode's rule for a paragraph's direction, applied to the whole article)."""
    letter = _LETTER.search(text)
    return letter is not None and unicodedata.bidirectional(letter.group()) in ("R", "AL")


QUOTE_LIMIT = 80  # characters of a value any message quotes; the rest is counted, not shown
# A Python repr of a string inside a message: opened after a space or bracket, closed before
# one (so the apostrophe in "file's" is not taken for a quote).
_QUOTED_RUN = re.compile(r"""(?<![\w'"])('(?:[^'\\\n]|\\.)*'|"(?:[^"\\\n]|\\.)*")(?![\w'"])""")


def quoted(value: object, limit: int = QUOTE_LIMIT) -> str:
    """``repr(value)`` for a message, cut to ``limit`` characters with an ellipsis and the length.

    Why: an error line once quoted a 100,114-character span text whole. Every message that
    quotes a value from a file (a label, a tag, a span text, a cell) goes through here.
    """
    if isinstance(value, str):
        if len(value) <= limit:
            return repr(value)
        return f"{repr(value[:limit])[:-1]}…{repr(value)[-1]} ({len(value):,} characters)"
    text = repr(value)
    if len(text) <= limit:
        return text
    return f"{text[:limit]}… ({len(text):,} characters)"


def clip_quoted(message: str, limit: int = QUOTE_LIMIT) -> str:
    """``message`` with every quoted value longer than ``limit`` cut as ``quoted`` cuts it.

    The backstop for a message built with ``{value!r}`` instead of ``quoted(value)``; the
    length given is that of the quoted form (escapes included).
    """
    if len(message) <= limit + 2:
        return message

    def clip(match: re.Match[str]) -> str:
        run = match.group(1)
        inner = run[1:-1]
        if len(inner) <= limit:
            return run
        head = inner[:limit]
        if head.endswith("\\") and not head.endswith("\\\\"):
            head = head[:-1]  # never end on half an escape
        return f"{run[0]}{head}…{run[0]} ({len(inner):,} characters)"

    return _QUOTED_RUN.sub(clip, message)
