"""Token arithmetic for the article view: snapping ranges and the keyboard's token cursor.

Pure Python over code-point offsets (no Qt): the view converts positions at its edge.
"""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_left, bisect_right
from collections.abc import Sequence

# Stands in until spaCy's tokens of an article arrive (spaCy takes seconds to load): close to
# spaCy's rules for most text (words, numbers, each punctuation mark alone), good enough to
# snap a selection made in the first seconds. Kept out of annotator.nlp so that only the
# background tokenizer reaches spaCy.
_FALLBACK_RE = re.compile(r"\w+(?:[’'.-]\w+)*|[^\w\s]", re.UNICODE)


def fallback_token_spans(text: str) -> list[tuple[int, int]]:
    return [match.span() for match in _FALLBACK_RE.finditer(text)]


def _regional(char: str) -> bool:
    return "\U0001f1e6" <= char <= "\U0001f1ff"


def _continues_cluster(text: str, i: int) -> bool:
    """Whether code point ``i`` belongs to the same user-perceived character as ``i - 1``
    (an approximation of Unicode grapheme clusters for the cases tokenizers split)."""
    char, before = text[i], text[i - 1]
    if unicodedata.category(char) in ("Mn", "Mc", "Me") or char in "\u200d\ufe0e\ufe0f" or before == "\u200d":
        return True
    if "\U0001f3fb" <= char <= "\U0001f3ff" or "\U000e0020" <= char <= "\U000e007f":  # skin tones, tag flags
        return True
    if _regional(char) and _regional(before):
        run = 0
        j = i - 1
        while j >= 0 and _regional(text[j]):
            run += 1
            j -= 1
        return run % 2 == 1  # the second half of a flag
    return False


def join_clusters(text: str, spans: Sequence[tuple[int, int]]) -> list[tuple[int, int]]:
    """Merge touching tokens that split one visible character (spaCy splits a flag 🇵🇹 into
    its two letters): the cursor moves, and selections snap, by what the reader sees."""
    joined: list[tuple[int, int]] = []
    for start, end in spans:
        if joined and joined[-1][1] == start and 0 < start < len(text) and _continues_cluster(text, start):
            joined[-1] = (joined[-1][0], end)
        else:
            joined.append((start, end))
    return joined


class Tokens:
    def __init__(self, spans: Sequence[tuple[int, int]]):
        self.spans = list(spans)
        self.starts = [s for s, _ in self.spans]
        self.ends = [e for _, e in self.spans]

    def __len__(self) -> int:
        return len(self.spans)

    def __getitem__(self, i: int) -> tuple[int, int]:
        return self.spans[i]

    def index_at(self, offset: int) -> int | None:
        """The token containing ``offset``, else the next one, else the last; None if no tokens."""
        if not self.spans:
            return None
        i = bisect_right(self.starts, offset) - 1
        if i >= 0 and self.starts[i] <= offset < self.ends[i]:
            return i
        return min(i + 1, len(self.spans) - 1)

    def nearest(self, offset: int) -> int | None:
        """The token containing ``offset`` or the closest one (for clicks between words)."""
        if not self.spans:
            return None
        i = bisect_right(self.starts, offset) - 1
        if i >= 0 and offset < self.ends[i]:
            return i
        candidates = [j for j in (i, i + 1) if 0 <= j < len(self.spans)]
        return min(candidates, key=lambda j: min(abs(self.starts[j] - offset), abs(self.ends[j] - offset)))

    def snap(self, start: int, end: int) -> tuple[int, int] | None:
        """The smallest run of whole tokens covering every token that [start, end) touches."""
        if start > end:
            start, end = end, start
        first = bisect_right(self.ends, start)  # first token ending after start
        last = bisect_left(self.starts, end) - 1  # last token starting before end
        if first > last:
            return None
        return self.starts[first], self.ends[last]

    def covering(self, start: int, end: int) -> tuple[int, int] | None:
        """Indexes of the first and last token inside [start, end)."""
        first = bisect_left(self.starts, start)
        last = bisect_right(self.ends, end) - 1
        return (first, last) if first <= last else None


# ---------------------------------------------------------------- names (Ctrl+Right / Ctrl+Left)
# Capitalised words that open a sentence without naming anything: skipped when they stand alone.
SENTENCE_OPENERS = frozenset("""
a an the this that these those it its he she they we i you his her their our my your there here
in on at of for from by with to after before as if when while since but and or so yet then also
however meanwhile still according last next one two some many most all no not what who which
""".split())


def _capitalised(word: str) -> bool:
    first = next((c for c in word if c.isalpha()), "")
    return bool(first) and first.isupper() and word[:1] == first


def name_runs(text: str, tokens: Sequence[tuple[int, int]]) -> list[tuple[int, int]]:
    """Ranges that look like names: runs of capitalised words one space apart ("Viktor Bout";
    "Bank of England" gives "Bank" and "England"). A common word that opens a sentence ("The",
    "In") is left out of the run it starts."""
    runs: list[list[tuple[int, int]]] = []
    opens: list[bool] = []
    sentence_start = True
    for start, end in tokens:
        word = text[start:end]
        if _capitalised(word):
            if runs and runs[-1] and text[runs[-1][-1][1]:start] == " " and not sentence_start:
                runs[-1].append((start, end))
            else:
                runs.append([(start, end)])
                opens.append(sentence_start)
        elif runs and runs[-1]:
            runs.append([])
            opens.append(False)
        sentence_start = word in (".", "!", "?", "…", "“", '"', ":") or "\n" in text[end:end + 2]
    found = []
    for run, at_start in zip(runs, opens, strict=True):
        if run and at_start and text[slice(*run[0])].casefold() in SENTENCE_OPENERS:
            run = run[1:]
        if run:
            found.append((run[0][0], run[-1][1]))
    return found
