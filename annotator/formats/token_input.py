"""A Prodigy task's ``tokens`` and its spans' token indices, checked.

The tokens a file gives are the document's own tokenization: kept (core.token_codec) and
written back by the CoNLL, Prodigy and WebAnno writers. A span's ``token_start`` and
``token_end`` (INCLUSIVE) must point at tokens that start and end where the span does: a
task whose token indices contradict its character offsets is refused, naming the span, not
stored with one of the two silently wrong.
"""

from __future__ import annotations

from typing import Any

from ..core.problems import Problem
from ..core.records import SpanRecord, is_int
from ..core.token_codec import check_tokens
from .fields import describe


def read_tokens(file: str, line: int, raw: Any, text: str) -> tuple[tuple[tuple[int, int], ...] | None, Problem | None]:
    """(start, end) of each token, or the first problem; None when the task has no tokens."""
    if raw is None:
        return None, None
    if not isinstance(raw, list):
        return None, Problem(file, line, "tokens", f"must be a list, got {describe(raw)}")
    bounds = []
    for i, token in enumerate(raw):
        fld = f"tokens[{i}]"
        if not isinstance(token, dict):
            return None, Problem(file, line, fld, f"must be an object, got {describe(token)}")
        start, end = token.get("start"), token.get("end")
        if not is_int(start) or not is_int(end):
            return None, Problem(file, line, fld, "start and end must be integers")
        given = token.get("text")
        if given is not None and (not isinstance(given, str) or given != text[start:end]):
            return None, Problem(file, line, f"{fld}.text", f"token text {given!r} does not match the document at "
                                 f"{start}-{end} ({text[start:end]!r})")
        bounds.append((start, end))
    if bounds and bounds[0][0] < 0:
        return None, Problem(file, line, "tokens[0].start", f"offset {bounds[0][0]} is negative")
    if (reason := check_tokens(bounds, len(text))) is not None:
        return None, Problem(file, line, "tokens", reason)
    return tuple(bounds), None


def check_token_refs(file: str, line: int, raw_spans: list, spans: list[SpanRecord],
                     tokens: tuple[tuple[int, int], ...] | None) -> Problem | None:
    """Every span's ``token_start``/``token_end`` must agree with its ``start``/``end``."""
    for i, (raw, span) in enumerate(zip(raw_spans, spans)):
        if not isinstance(raw, dict) or ("token_start" not in raw and "token_end" not in raw):
            continue
        fld = f"spans[{i}]"
        where = f"span {span.start}-{span.end} {span.label}"
        first, last = raw.get("token_start"), raw.get("token_end")
        for name, value in (("token_start", first), ("token_end", last)):
            if not is_int(value):
                return Problem(file, line, f"{fld}.{name}", f"{where}: must be an integer, got {describe(value)}")
        count = 0 if tokens is None else len(tokens)
        if not (0 <= first < count and 0 <= last < count):
            return Problem(file, line, fld, f"{where}: tokens {first}-{last} point past the task's {count} tokens")
        assert tokens is not None
        if tokens[first][0] != span.start or tokens[last][1] != span.end:
            return Problem(file, line, fld, f"{where}: token_start {first} and token_end {last} cover characters "
                           f"{tokens[first][0]}-{tokens[last][1]}, not {span.start}-{span.end}")
    return None
