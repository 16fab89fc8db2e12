"""Attributed claims proposed from reporting cues ("said", "told", "according to", ...).

Two ways, chosen per document:

- with a dependency parse (a pipeline with a parser): the speaker is the ``nsubj`` of the
  reporting verb, the content its ``ccomp``/``xcomp`` subtree (a leading "that" and closing
  punctuation dropped);
- without one (blank or NER-only pipelines): token patterns over sentences,
  ``“...,” X said`` / ``X said: “...”`` (direct quotes, found across sentence ends),
  ``X said (that) ...`` / ``..., X said.`` and ``according to X, ...`` / ``..., according to X``.

The claimant is snapped to an entity the document has (tagged, or proposed in the same run)
when the speaker phrase holds one that plausibly names the speaker (a PERSON first, else an
entity making up most of the phrase); otherwise the phrase itself is proposed (the store
makes it a source-phrase span). A lone pronoun ("she said") gives no claimant: linking it
to a name is the annotator's call. Offsets are code points, like everything the store gets.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from ..core.suggestions import ClaimProposal
from .cue_text import (
    CLOSE_PUNCT, CUE_LEMMAS, CUE_WORDS, DENIAL_VERBS, MAX_QUOTE_TOKENS, NOUN_CUES, OPEN_QUOTES, CueText, Entity,
    find_speaker, follows_newline, is_quote_word, sentences, stance_of,
)


def find_claims(doc: Any, entities: Iterable[tuple[int, int, str]] = ()) -> list[ClaimProposal]:
    """Claims proposed in a spaCy Doc. ``entities`` are (start, end, label) code-point ranges of
    entity spans the document has, used to name claimants."""
    t = CueText(doc)
    known = sorted((Entity(*e) for e in entities), key=lambda e: (e.start, e.end))
    used: set[int] = set()  # cue tokens already explained
    found: list[ClaimProposal] = []
    found += _direct_quotes(t, known, used)
    parsed = doc.has_annotation("DEP")
    for a, b in sentences(doc, t):
        found += _according_to(t, a, b, known, used)
        if parsed:
            found += _from_parse(doc, t, a, b, known, used)
        found += _reported(t, a, b, known, used)
    unique: dict[tuple[int, int], ClaimProposal] = {}
    for claim in found:
        unique.setdefault(claim.content, claim)
    return sorted(unique.values(), key=lambda c: c.content)


def _direct_quotes(t: CueText, known: Sequence[Entity], used: set[int]) -> list[ClaimProposal]:
    """“...,” X said / “...,” said X / X said: “...”."""
    found = []
    i = 0
    while i < t.n:
        close = OPEN_QUOTES.get(t.words[i])
        if close is None:
            i += 1
            continue
        j = next((k for k in range(i + 1, min(t.n, i + MAX_QUOTE_TOKENS)) if t.words[k] == close), None)
        if j is None:
            i += 1
            continue
        lo, hi = t.trim(i + 1, j)
        if hi - lo >= 2:
            # “...,” X said only for a quote that opens its sentence: one inside a sentence
            # ("expects “more winters like this,” and urged ...") is part of a reported claim.
            opens = t.prev_word(i) in ("", ".", "!", "?", ":", "…") or follows_newline(t, i)
            claim = (_attribution_after(t, j, lo, hi, known, used) if opens else None) \
                or _attribution_before(t, i, lo, hi, known, used)
            if claim is not None:
                found.append(claim)
        i = j + 1
    return found


def _attribution_after(t: CueText, close: int, lo: int, hi: int, known: Sequence[Entity],
                       used: set[int]) -> ClaimProposal | None:
    # The quote must end its clause (“...,” or “...”): otherwise it is a phrase inside one.
    if not (t.words[close - 1] in CLOSE_PUNCT or (close + 1 < t.n and t.words[close + 1] == ",")):
        return None
    k = close + 1
    while k < t.n and (t.space[k] or t.words[k] == ","):
        k += 1
    window = [m for m in range(k, min(t.n, k + 8)) if not t.space[m]]
    for m in window:
        if t.words[m] in CLOSE_PUNCT or is_quote_word(t.words[m]):
            break
        if t.is_cue(m) and m not in used:
            if m == k:  # “...,” said the minister.
                end = m + 1
                while end < t.n and not (t.words[end] in CLOSE_PUNCT or t.space[end] and "\n" in t.words[end]):
                    end += 1
                speaker = find_speaker(t, m + 1, end, known)
            else:  # “...,” the minister said.
                speaker = find_speaker(t, k, m, known, cue=m)
            used.add(m)
            return ClaimProposal(t.chars(lo, hi), t.chars(m, m + 1), speaker,
                                 (("quote_type", "direct"), *stance_of(t.lower[m])))
    return None


def _attribution_before(t: CueText, open_: int, lo: int, hi: int, known: Sequence[Entity],
                        used: set[int]) -> ClaimProposal | None:
    k = open_ - 1
    while k >= 0 and t.space[k]:
        k -= 1
    if k < 1 or t.words[k] not in (":", ","):
        return None
    # "X said: “...”", "X told the radio: “...”": the cue up to three words before the colon.
    cue = next((m for m in range(k - 1, max(-1, k - 5), -1) if t.is_cue(m) and m not in used), None)
    if cue is None or any(t.words[m] in CLOSE_PUNCT for m in range(cue + 1, k)):
        return None
    start = cue
    while start > 0 and not (t.words[start - 1] in (".", "!", "?") or t.space[start - 1] and "\n" in t.words[start - 1]):
        start -= 1
    used.add(cue)
    return ClaimProposal(t.chars(lo, hi), t.chars(cue, cue + 1), find_speaker(t, start, cue, known, cue=cue),
                         (("quote_type", "direct"), *stance_of(t.lower[cue])))


def _according_to(t: CueText, a: int, b: int, known: Sequence[Entity], used: set[int]) -> list[ClaimProposal]:
    found = []
    for i in range(a, b - 1):
        if not t.according_to(i) or i in used:
            continue
        comma = next((k for k in range(i + 2, b) if t.words[k] == ","), None)
        leading = all(t.space[k] or t.words[k] in CLOSE_PUNCT or is_quote_word(t.words[k]) for k in range(a, i))
        if leading and comma is not None:  # According to X, content.
            speaker = find_speaker(t, i + 2, comma, known)
            lo, hi = t.trim(comma + 1, b)
        else:  # Content, according to X.
            before = i - 1
            while before >= a and t.space[before]:
                before -= 1
            if before < a or t.words[before] != ",":
                continue
            speaker = find_speaker(t, i + 2, b, known)
            lo, hi = t.trim(a, before)
        if hi - lo < 3:
            continue
        used.update((i, i + 1))
        found.append(ClaimProposal(t.chars(lo, hi), t.chars(i, i + 2), speaker, (("quote_type", _quote_type(t, lo, hi)),)))
    return found


def _reported(t: CueText, a: int, b: int, known: Sequence[Entity], used: set[int]) -> list[ClaimProposal]:
    """X said (that) content. / Content, X said. / Content, said X."""
    found = []
    for c in range(a, b):
        if c in used or not t.is_cue(c):
            continue
        if t.lower[c] in NOUN_CUES:
            verb = c - 1
            if verb < a or t.lower[verb] not in DENIAL_VERBS or verb in used:
                continue  # "the claims that ..." as a subject: nobody is speaking here
            used.add(c)
            c = verb
        claim = _reported_at(t, a, b, c, known)
        if claim is not None:
            used.add(c)
            found.append(claim)
    return found


def _reported_at(t: CueText, a: int, b: int, c: int, known: Sequence[Entity]) -> ClaimProposal | None:
    rest = [k for k in range(c + 1, b) if not t.space[k]]
    stance = (("stance", "denies"),) if CUE_WORDS.get(t.lower[c]) == "denies" or t.lower[c] in DENIAL_VERBS else ()
    if t.lower[c] in DENIAL_VERBS and rest and t.lower[rest[0]] in NOUN_CUES:
        rest = rest[1:]
    # "that" within a few words: "said after the meeting that ...", "told reporters that ...".
    that = None
    for k in rest[:8]:
        if t.lower[k] == "that":
            that = k
            break
        if (t.words[k] in CLOSE_PUNCT and t.words[k] != ",") or t.is_cue(k):
            break  # "said A and denied that B": that "that" is the next cue's
    tail = [k for k in rest if t.words[k] not in CLOSE_PUNCT and not is_quote_word(t.words[k])]
    if that is not None or len(tail) >= 4:
        if that is None and rest and t.words[rest[0]] in (",", ".", "!", "?"):
            return None  # "said, ..." is an attribution after the content, handled below
        start = that + 1 if that is not None else c + 1
        lo, hi = t.trim(start, _clause_end(t, start, b))
        if hi - lo < 3:
            return None
        return ClaimProposal(t.chars(lo, hi), t.chars(c, c + 1), find_speaker(t, a, c, known, cue=c),
                             (("quote_type", _quote_type(t, lo, hi)), *stance))
    # Content, X said.  /  Content, said X.
    commas = [k for k in range(a, c) if t.words[k] == ","]
    if not commas:
        return None
    comma = commas[-1]
    if comma == c - 1:  # "..., said X."
        speaker = find_speaker(t, c + 1, b, known)
    else:
        speaker = find_speaker(t, comma + 1, c, known, cue=c)
    lo, hi = t.trim(a, comma)
    if hi - lo < 3:
        return None
    return ClaimProposal(t.chars(lo, hi), t.chars(c, c + 1), speaker, (("quote_type", _quote_type(t, lo, hi)), *stance))


def _clause_end(t: CueText, start: int, b: int) -> int:
    """Content runs to the sentence end, or to a dash or semicolon that starts a comment on it
    ("... — a claim the ministry rejected"), or to a trailing "according to"."""
    for k in range(start, b):
        if t.words[k] in (";", "—", "–"):
            return k
        if t.words[k] == "," and k + 2 < b and t.according_to(k + 1):
            return k  # "..., according to X": X's attribution, not part of the content
    return b


def _quote_type(t: CueText, lo: int, hi: int) -> str:
    return "mixed" if any(is_quote_word(t.words[k]) for k in range(lo, hi)) else "indirect"


# ------------------------------------------------------------------------ parse
def _from_parse(doc: Any, t: CueText, a: int, b: int, known: Sequence[Entity], used: set[int]) -> list[ClaimProposal]:
    """Reporting verbs of the sentence with their subject and clausal complement."""
    found = []
    for c in range(a, b):
        token = doc[c]
        if c in used or token.pos_ not in ("VERB", "AUX") or token.lemma_.lower() not in CUE_LEMMAS:
            continue
        complements = [ch for ch in token.children if ch.dep_ in ("ccomp", "xcomp")]
        subjects = [ch for ch in token.children if ch.dep_ in ("nsubj", "nsubjpass")]
        if not complements:
            continue
        comp = complements[0]
        lo, hi = comp.left_edge.i, comp.right_edge.i + 1
        objects = [ch for ch in token.children if ch.dep_ in ("dobj", "obj") and ch.i < comp.i]
        if comp.dep_ == "xcomp" and objects:  # "urged members to approve it": the object belongs to it
            lo = min(lo, objects[0].left_edge.i)
        lo, hi = t.trim(lo, hi)
        if hi - lo < 2:
            continue
        speaker = None
        if subjects:
            s = subjects[0]
            speaker = find_speaker(t, s.left_edge.i, s.right_edge.i + 1, known)
        used.add(c)
        quoted = lo > a and is_quote_word(t.words[lo - 1])
        kind = "direct" if quoted else _quote_type(t, lo, hi)
        found.append(ClaimProposal(t.chars(lo, hi), t.chars(c, c + 1), speaker,
                                   (("quote_type", kind), *stance_of(token.lower_, token.lemma_.lower())), "parse"))
    return found


# ------------------------------------------------------------------------ one claim's parts
def parts_for(text: str, tokens: Sequence[tuple[int, int]], content: tuple[int, int],
              entities: Iterable[tuple[int, int, str]] = ()) -> ClaimProposal | None:
    """The cue, claimant and values these rules propose for a claim whose content the annotator
    chose (``content``, code points), from the text's tokens (the window's: spaCy's or a
    stand-in; no spaCy here). The claim the rules find that overlaps ``content`` most gives its
    parts; failing that, the reporting cue nearest to the content in its sentence (or the one
    before or after) and the speaker before it. None when nothing is found.
    """
    t = CueText(None, _with_gaps(text, tokens))
    if not t.n:
        return None
    known = sorted((Entity(*e) for e in entities), key=lambda e: (e.start, e.end))
    used: set[int] = set()
    found = _direct_quotes(t, known, used)
    spans = sentences(None, t)
    for a, b in spans:
        found += _according_to(t, a, b, known, used)
        found += _reported(t, a, b, known, used)
    lo, hi = content

    def overlap(claim: ClaimProposal) -> int:
        return max(0, min(hi, claim.content[1]) - max(lo, claim.content[0]))

    best = max(found, key=overlap, default=None)
    if best is not None and overlap(best) * 2 >= min(hi - lo, best.content[1] - best.content[0]):
        return best
    return _nearest_cue(t, spans, content, known)


def _with_gaps(text: str, tokens: Sequence[tuple[int, int]]) -> list[tuple[str, int, bool]]:
    """The tokens as (word, start, is space), with the white space between them that is more
    than one plain space as tokens of their own (as spaCy has it: the rules read line breaks)."""
    out: list[tuple[str, int, bool]] = []
    at = 0
    for start, end in tokens:
        if start > at and text[at:start] != " " and (at > 0 or start > 0):
            gap = text[at:start]
            if gap.strip() == "":
                out.append((gap, at, True))
        out.append((text[start:end], start, False))
        at = end
    return out


def _nearest_cue(t: CueText, spans: Sequence[tuple[int, int]], content: tuple[int, int],
                 known: Sequence[Entity]) -> ClaimProposal | None:
    lo, hi = content
    # The sentences the content touches, and one on either side ("..." she said. / He said: "...").
    touched = [i for i, (a, b) in enumerate(spans) if t.starts[a] < hi and lo < t.ends[b - 1]]
    if not touched:
        return None
    first, last = max(0, touched[0] - 1), min(len(spans) - 1, touched[-1] + 1)
    a, b = spans[first][0], spans[last][1]
    cues = [k for k in range(a, b) if not (lo <= t.starts[k] and t.ends[k] <= hi) and t.is_cue(k)]
    if not cues:
        return None
    cue = min(cues, key=lambda k: min(abs(t.starts[k] - hi), abs(t.ends[k] - lo)))
    sentence = next((s for s in spans if s[0] <= cue < s[1]), (a, b))
    speaker = find_speaker(t, sentence[0], cue, known, cue=cue) if cue > sentence[0] else None
    if speaker is None or (lo <= speaker[0] and speaker[1] <= hi):
        after = find_speaker(t, cue + 1, sentence[1], known)
        speaker = after if after is not None and not (lo <= after[0] and after[1] <= hi) else None
    return ClaimProposal(content, t.chars(cue, cue + 1), speaker, stance_of(t.lower[cue]))
