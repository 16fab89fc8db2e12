"""Pattern files (spaCy EntityRuler / Prodigy JSONL) as a suggestion source.

One pattern a line: ``{"label": "ORG", "pattern": "Meridian Policy Institute"}`` (a phrase:
matched on the exact token texts) or ``{"label": "GPE", "pattern": [{"LOWER": "the"},
{"LOWER": "hague"}]}`` (token patterns, spaCy's Matcher syntax); ``id`` is allowed and kept.
Every problem names the file, line and field; a file with any error is refused whole, so
a typo never silently drops half the patterns.

Matching uses spaCy's ``span_ruler`` on a blank pipeline of the project's language (the same
tokenizer the window snaps selections to). Entity matches that overlap each other are
reduced the way the EntityRuler does (longest first, then earliest); matches of other span
labels (claim cues, source phrases) may overlap anything, as those labels may.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..core.problems import InputError, Problem
from ..core.suggestions import Proposal
from ..core.textutil import path_text
from .loading import spacy as load_spacy

RULER_KEY = "annotator_patterns"


@dataclass(frozen=True)
class Pattern:
    label: str
    pattern: str | tuple[dict[str, Any], ...]
    line: int
    id: str | None = None

    @property
    def is_phrase(self) -> bool:
        return isinstance(self.pattern, str)


def read_patterns(path: str | Path, labels: Mapping[str, str] | None = None) -> list[Pattern]:
    """Read and check a pattern file; raises ``InputError`` naming every bad line.

    ``labels`` (name -> kind) are the project's: a pattern for a label the project does not
    have, or a document label, is an error (it could never become a span).
    """
    path = Path(path)
    name = path_text(path)
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise InputError([Problem(name, None, None, f"cannot read: {exc.strerror or exc}")]) from exc
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[:exc.start].count(b"\n") + 1
        raise InputError([Problem(name, line, None, "not UTF-8 text")]) from exc
    patterns: list[Pattern] = []
    problems: list[Problem] = []
    for number, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            continue
        found = _parse_line(name, number, line, labels, problems)
        if found is not None:
            patterns.append(found)
    if not problems and not patterns:
        problems.append(Problem(name, None, None, "no patterns in the file"))
    if problems:
        raise InputError(problems)
    _check_token_patterns(name, patterns)
    return patterns


def _parse_line(name: str, number: int, line: str, labels: Mapping[str, str] | None,
                problems: list[Problem]) -> Pattern | None:
    def bad(field: str | None, message: str) -> None:
        problems.append(Problem(name, number, field, message))

    try:
        record = json.loads(line)
    except json.JSONDecodeError as exc:
        bad(None, f"not valid JSON ({exc.msg} at column {exc.colno})")
        return None
    if not isinstance(record, dict):
        bad(None, "each line must be a JSON object with \"label\" and \"pattern\"")
        return None
    label = record.get("label")
    if not isinstance(label, str) or not label.strip():
        bad("label", "missing or empty; give the label name as a string")
        return None
    if labels is not None and labels.get(label) in (None, "doc"):
        known = ", ".join(sorted(n for n, k in labels.items() if k != "doc"))
        bad("label", f"{label!r} is not a span label of this project (labels: {known})")
        return None
    pattern = record.get("pattern")
    pattern_id = record.get("id")
    if pattern_id is not None and not isinstance(pattern_id, str):
        bad("id", "must be a string")
        return None
    if isinstance(pattern, str):
        if not pattern.strip():
            bad("pattern", "an empty phrase matches nothing")
            return None
        return Pattern(label, pattern, number, pattern_id)
    if isinstance(pattern, list):
        if not pattern:
            bad("pattern", "an empty token pattern matches nothing")
            return None
        for i, token in enumerate(pattern):
            if not isinstance(token, dict):
                bad(f"pattern[{i}]", "each token pattern must be an object such as {\"LOWER\": \"said\"}")
                return None
        return Pattern(label, tuple(pattern), number, pattern_id)
    bad("pattern", "missing; give a phrase (a string) or token patterns (a list of objects)")
    return None


def _check_token_patterns(name: str, patterns: Sequence[Pattern]) -> None:
    """spaCy's own validation of each token pattern, reported at its line."""
    load_spacy()
    from spacy.errors import MatchPatternError
    from spacy.matcher import Matcher
    from spacy.vocab import Vocab

    matcher = Matcher(Vocab(), validate=True)
    problems = []
    for pattern in patterns:
        if pattern.is_phrase:
            continue
        try:
            matcher.add(f"line{pattern.line}", [list(pattern.pattern)])
        except (MatchPatternError, ValueError, KeyError, TypeError) as exc:
            # The first one: the rest are mostly the other branches of a union ("or a string").
            field, message = _spacy_problems(exc)[0]
            problems.append(Problem(name, pattern.line, field, message))
    if problems:
        raise InputError(problems)


_DETAIL = re.compile(r"^-\s*\[pattern -> (\d+)((?: -> [^\]]+)?)\]\s*(.*)$")


def _spacy_problems(exc: Exception) -> list[tuple[str, str]]:
    """spaCy's validation error as (field, message) pairs: ``pattern[0].LOWR``, "extra inputs
    are not permitted"; its boilerplate lines are dropped."""
    found = []
    for line in str(exc).replace("\x1b[1m", "").replace("\x1b[0m", "").splitlines():
        match = _DETAIL.match(line.strip())
        if match:
            index, path, message = match.groups()
            keys = [k.strip() for k in path.split("->") if k.strip() and k.strip() not in ("TokenPatternString",)]
            field = f"pattern[{index}]" + "".join(f".{k}" for k in keys)
            found.append((field, message[:1].lower() + message[1:]))
    if not found:
        lines = [line.strip() for line in str(exc).splitlines() if line.strip()]
        found.append(("pattern", lines[-1] if lines else type(exc).__name__))
    return found


class PatternMatcher:
    """Proposals from pattern files, on a blank pipeline of ``language``."""

    def __init__(self, patterns: Iterable[Pattern], language: str, kinds: Mapping[str, str]):
        from .tokens import FALLBACK_LANGUAGE

        spacy = load_spacy()
        try:
            self.nlp = spacy.blank(language)
        except (ImportError, KeyError, ValueError, OSError):
            self.nlp = spacy.blank(FALLBACK_LANGUAGE)
        ruler = self.nlp.add_pipe("span_ruler", config={"spans_key": RULER_KEY, "validate": False,
                                                        "spans_filter": None, "annotate_ents": False})
        ruler.add_patterns([{"label": p.label, "pattern": p.pattern if p.is_phrase else list(p.pattern),
                             **({"id": p.id} if p.id else {})} for p in patterns])
        self.kinds = dict(kinds)

    def proposals(self, doc: Any) -> list[Proposal]:
        """The matches in a Doc made by ``self.nlp`` (or any Doc of the same vocab, after
        running ``self.nlp``'s ruler on it)."""
        spans = list(doc.spans.get(RULER_KEY, ()))
        entities = [s for s in spans if self.kinds.get(s.label_) == "entity"]
        others = [s for s in spans if self.kinds.get(s.label_) != "entity"]
        from spacy.util import filter_spans

        chosen = filter_spans(entities) + others
        chosen.sort(key=lambda s: (s.start_char, s.end_char, s.label_))
        return [Proposal(s.start_char, s.end_char, s.label_) for s in chosen]

    def pipe(self, texts: Iterable[str], batch_size: int = 64) -> Iterable[tuple[Any, list[Proposal]]]:
        for doc in self.nlp.pipe(texts, batch_size=batch_size):
            yield doc, self.proposals(doc)


def load_pattern_files(paths: Sequence[str | Path], language: str, kinds: Mapping[str, str]) -> PatternMatcher:
    """Read, check and compile pattern files; every problem of every file in one InputError."""
    patterns: list[Pattern] = []
    problems: list[Problem] = []
    for path in paths:
        try:
            patterns += read_patterns(path, kinds)
        except InputError as exc:
            problems += exc.problems
    if problems:
        raise InputError(problems)
    return PatternMatcher(patterns, language, kinds)
