"""Text facts that must hold the same way in every layer."""

from __future__ import annotations

import hashlib

BOM = "\ufeff"


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


def is_blank(text: str) -> bool:
    return not text.strip()


def snippet(text: str, limit: int = 80) -> str:
    """First words of a text on one line, for list rows."""
    head = " ".join(text[: limit * 2].split())
    return head if len(head) <= limit else head[: limit - 1].rstrip() + "…"
