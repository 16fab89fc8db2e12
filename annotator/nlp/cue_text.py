"""The token view the claim cues work on (``claim_cues``): the reporting vocabulary, a Doc's
tokens in code points (``CueText``), sentences, and the speaker and clause helpers.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any


# Reporting verbs by surface form. None: a plain assertion; "denies": stance of a denial.
# Forms that are more often nouns or adjectives ("claims", "states", "alleged", "reported")
# only count when "that" follows at once (pattern mode) or the parse says VERB.
CUE_WORDS: dict[str, str | None] = {
    w: None for w in (
        "said", "says", "say", "saying", "told", "tells", "tell", "claimed", "urged", "urges", "cited", "cites",
        "warned", "warns", "insisted", "insists", "argued", "argues", "stated", "added", "announced",
        "acknowledged", "admitted", "confirmed", "conceded", "asserted", "declared", "explained", "stressed",
        "predicted", "predicts", "maintained", "maintains", "wrote", "writes", "estimated", "noted", "believes",
        "suggested", "promised", "pledged", "testified", "countered", "replied", "responded")
}
CUE_WORDS.update({w: "denies" for w in ("denied", "denies", "deny", "disputed", "disputes", "rejected")})
# "rejected claims that ...": the verb before the noun is the cue, and the stance a denial.
NOUN_CUES = frozenset({"claims", "reports", "allegations", "suggestions", "accusations"})
DENIAL_VERBS = frozenset({"rejected", "denied", "dismissed", "disputed", "rejects", "denies", "dismisses"})
ONLY_WITH_THAT = frozenset({ "states", "alleged", "alleges", "reported", "reports", "estimates", "notes",
                            "rejected", "suggested", "believes", "noted", "estimated", "promised", "pledged"})
CUE_LEMMAS = frozenset({"say", "tell", "claim", "urge", "cite", "warn", "deny", "insist", "argue", "state", "add",
                        "announce", "acknowledge", "admit", "confirm", "concede", "assert", "declare", "explain",
                        "stress", "predict", "maintain", "write", "estimate", "note", "believe", "allege",
                        "report", "dispute", "testify", "counter", "reply", "respond", "suggest", "promise",
                        "pledge"})
DENY_LEMMAS = frozenset({"deny", "dispute", "reject"})
OPEN_QUOTES = {"“": "”", '"': '"', "«": "»", "„": "“"}
CLOSE_PUNCT = {",", ".", "!", "?", ";", ":"}
PRONOUNS = frozenset({"he", "she", "they", "it", "we", "i", "you", "one", "who", "this", "that"})
SPEAKER_LABELS = ("PERSON", "ORG", "NORP", "GPE")
# Words between a speaker and the cue ("the ministry has also said") that are not the speaker.
TRAILING_WORDS = frozenset({"has", "have", "had", "also", "again", "previously", "repeatedly", "later", "then",
                            "earlier", "would", "will", "had", "once", "already", "publicly", "separately"})
CLAUSE_OPENERS = frozenset({"who", "which", "whose", "whom", "where", "speaking", "citing", "writing", "adding"})
MAX_QUOTE_TOKENS = 160
MAX_SPEAKER_TOKENS = 12


@dataclass(frozen=True)
class Entity:
    start: int  # code points
    end: int
    label: str


class CueText:
    """Token view of a Doc: offsets in code points and the few tests the rules need."""

    def __init__(self, doc: Any, tokens: list[tuple[str, int, bool]] | None = None):
        self.doc = doc
        # One pass: each ``for t in doc`` makes a Token object per token (a third of the time).
        if tokens is None:
            tokens = [(t.text, t.idx, t.is_space) for t in doc]
        self.words = [w for w, _i, _s in tokens]
        self.lower = [w.lower() for w in self.words]
        self.starts = [i for _w, i, _s in tokens]
        self.ends = [i + len(w) for w, i, _s in tokens]
        self.space = [s for _w, _i, s in tokens]
        self.n = len(tokens)

    def chars(self, a: int, b: int) -> tuple[int, int]:
        """Code-point range of tokens a..b-1."""
        return self.starts[a], self.ends[b - 1]

    def trim(self, a: int, b: int) -> tuple[int, int]:
        """Tokens a..b-1 without white space, quotes and punctuation at either end, and without
        a leading "that"."""
        def junk(i: int) -> bool:
            return self.space[i] or self.words[i] in CLOSE_PUNCT or is_quote_word(self.words[i]) \
                or self.words[i] in ("—", "–", "-")
        while a < b and (junk(a) or self.lower[a] == "that"):
            a += 1
        while b > a and junk(b - 1):
            b -= 1
        opened = sum(1 for k in range(a, b) if self.words[k] in OPEN_QUOTES)
        closed = sum(1 for k in range(a, b) if self.words[k] in ("”", "»"))
        if opened > closed:  # "... act “if the shock persists" + ” : keep the quote whole
            k = b
            while k < self.n and (self.space[k] or self.words[k] in CLOSE_PUNCT):
                k += 1
            if k < self.n and self.words[k] in ("”", "»", '"'):
                b = k + 1
        return a, b

    def is_cue(self, i: int) -> bool:
        word = self.lower[i]
        before = self.prev_word(i)
        if before in ("to", "not", "n't", "never"):
            return False  # "declined to say", "did not say": nothing was claimed
        if word in ONLY_WITH_THAT or word in NOUN_CUES:
            return i + 1 < self.n and self.lower[i + 1] == "that"
        return word in CUE_WORDS

    def prev_word(self, i: int) -> str:
        k = i - 1
        while k >= 0 and self.space[k]:
            k -= 1
        return self.lower[k] if k >= 0 else ""

    def according_to(self, i: int) -> bool:
        return self.lower[i] == "according" and i + 1 < self.n and self.lower[i + 1] == "to"


def follows_newline(t: CueText, i: int) -> bool:
    k = i - 1
    while k >= 0 and t.space[k]:
        if "\n" in t.words[k]:
            return True
        k -= 1
    return k < 0


def is_quote_word(word: str) -> bool:
    return word in ("“", "”", '"', "«", "»", "„", "‘", "’", "'")


def stance_of(word: str, lemma: str = "") -> tuple[tuple[str, str], ...]:
    if CUE_WORDS.get(word) == "denies" or lemma in DENY_LEMMAS:
        return (("stance", "denies"),)
    return ()


# ------------------------------------------------------------------------ sentences
def sentences(doc: Any, t: CueText) -> list[tuple[int, int]]:
    """Sentence token ranges: the pipeline's when it sets them, else split at . ! ? (and a
    closing quote after them) before a capital, a quote or a digit, and at blank lines."""
    if doc is not None and doc.has_annotation("SENT_START"):
        return [(s.start, s.end) for s in doc.sents]
    found, start = [], 0
    i = 0
    while i < t.n:
        end_here = None
        if t.space[i] and "\n" in t.words[i]:
            end_here = i + 1
        elif t.words[i] in (".", "!", "?", "…"):
            j = i + 1
            while j < t.n and t.words[j] in ("”", '"', "’", "'", "»", ")"):
                j += 1
            k = j
            while k < t.n and t.space[k]:
                k += 1
            if k >= t.n or t.words[k][:1].isupper() or t.words[k][:1].isdigit() or is_quote_word(t.words[k][:1]) \
                    or any("\n" in t.words[m] for m in range(j, k)):
                end_here = j
        if end_here is not None:
            if end_here > start:
                found.append((start, end_here))
            start = end_here
            i = end_here
            continue
        i += 1
    if start < t.n:
        found.append((start, t.n))
    return [(a, b) for a, b in found if any(not t.space[k] for k in range(a, b))]


# ------------------------------------------------------------------------ claimants
def find_speaker(t: CueText, a: int, b: int, entities: Sequence[Entity], *,
             cue: int | None = None) -> tuple[int, int] | None:
    """The claimant's code-point range in tokens a..b-1: the words before the cue at ``cue``,
    or (``cue`` None) the words after a cue or inside "according to ..."."""
    coordinated = False
    if cue is not None:
        before = t.prev_word(cue)
        if before == "who":  # "..., said Karim Haddad, the analyst, who urged ...": the name before
            who = max(k for k in range(a, cue) if t.lower[k] == "who")
            lo, hi = t.chars(a, who) if who > a else (0, 0)
            named = [e for e in entities if lo <= e.start and e.end <= hi and e.label in ("PERSON", "ORG")]
            if not named:
                return None
            best = max(named, key=lambda e: e.end)
            return best.start, best.end
        coordinated = before in ("and", "but")
        for k in range(a, b):
            if t.according_to(k):  # "..., according to its figures, and a spokeswoman said"
                a = next((m + 1 for m in range(k, b) if t.words[m] == ","), b)
            elif k >= a and t.is_cue(k):
                if coordinated:  # "The ministry said A and denied B": the first cue's speaker
                    b = k
                    break
                a = k + 1  # "X said A, and Y said B": what follows the first claim
    while b > a and (t.space[b - 1] or t.lower[b - 1] in TRAILING_WORDS):
        b -= 1
    segments = clause_segments(t, a, b)
    if coordinated and segments:
        segments = segments[:1]  # "X accused the ministry of ... and said": the sentence's subject
    # "One of them, who asked not to be named, said": the relative clause is not the speaker.
    while len(segments) > 1 and t.lower[segments[-1][0]] in CLAUSE_OPENERS:
        segments.pop()
    if not segments:
        return None
    last = segments[-1]
    inside = [e for e in entities if t.chars(*last)[0] <= e.start and e.end <= t.chars(*last)[1]]
    persons = [e for e in inside if e.label == "PERSON"]
    if persons:
        # The one closest to the cue: the last before it, or the first after it.
        nearest = max(persons, key=lambda e: e.end) if cue is not None else min(persons, key=lambda e: e.start)
        return nearest.start, nearest.end
    # "Marieke Voorhout, a spokesperson for the ministry, said": the name before the appositive.
    if len(segments) >= 2 and t.lower[last[0]] in ("a", "an", "the"):
        lo, hi = t.chars(*segments[-2])
        named = [e for e in entities if lo <= e.start and e.end <= hi and e.label in ("PERSON", "ORG")]
        if named:
            best = max(named, key=lambda e: e.end)
            return best.start, best.end
    lo, hi = t.chars(*last)
    covering = [e for e in inside if e.label in SPEAKER_LABELS and (e.end - e.start) * 2 >= hi - lo - 4]
    if covering:
        best = max(covering, key=lambda e: e.end - e.start)
        return best.start, best.end
    words = [t.lower[k] for k in range(*last) if not t.space[k]]
    if len(words) == 1 and words[0] in PRONOUNS:
        return None
    if len(words) > MAX_SPEAKER_TOKENS:
        return None  # a whole clause, not a speaker: leave it to the annotator
    return lo, hi


def clause_segments(t: CueText, a: int, b: int) -> list[tuple[int, int]]:
    """Comma- and dash-separated parts of tokens a..b-1, trimmed; leading conjunctions dropped."""
    parts, start = [], a
    for k in range(a, b + 1):
        if k == b or t.words[k] in (",", "—", "–", ";", ":", "(", ")"):
            lo, hi = t.trim(start, k)
            while lo < hi and t.lower[lo] in ("and", "but", "or", "while", "as", "even", "so"):
                lo += 1
            if lo < hi:
                parts.append((lo, hi))
            start = k + 1
    return parts


# ------------------------------------------------------------------------ rules
