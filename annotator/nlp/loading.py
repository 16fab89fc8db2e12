"""Import spaCy once, under one lock, whichever thread gets there first.

Two threads importing spaCy for the first time at once (the window's tokenizer thread and a
dialog's worker listing installed pipelines, say) can trip over Python's import deadlock
avoidance: one of them is handed the half-initialized package and fails with
``KeyError: 'spacy'`` or an ``ImportError``. The tokenizer (nlp/tokens.py) imports spaCy
under its lock, so everything here takes that same lock for the first import; after that an
import is a dictionary lookup.
"""

from __future__ import annotations

import sys
from typing import Any

from .tokens import _lock as _tokenizer_lock


_ready = False


def spacy() -> Any:
    """The spaCy package, fully imported (with the parts the suggestion and training code use)."""
    global _ready
    if _ready:
        return sys.modules["spacy"]
    with _tokenizer_lock:
        import spacy as module  # noqa: PLC0415
        import spacy.errors  # noqa: F401, PLC0415
        import spacy.language  # noqa: F401, PLC0415
        import spacy.matcher  # noqa: F401, PLC0415
        import spacy.tokens  # noqa: F401, PLC0415
        import spacy.util  # noqa: F401, PLC0415

        _ready = True
    return module
