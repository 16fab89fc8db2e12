"""What an exporter sees of one document: plain, picklable core objects, never the store.

The store's export reader builds these in batches; the format writers (annotator.formats)
turn each into text; the spaCy exporter (annotator.nlp.docbin) into a ``Doc``. Because they
are frozen dataclasses of plain values they can be sent to worker processes as they are.

Offsets are code points, end exclusive, as everywhere; a writer that needs UTF-16 units
converts with ``utf16_offsets`` at the last moment.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from .model import Claim, Document, Span

# One token as the writers need it: code-point start, end (exclusive), and whether a space
# follows it in the text (spaCy's ``whitespace_``), which Prodigy writes as ``ws``.
Token = tuple[int, int, bool]


class Tokens(Sequence[Token]):
    """A document's tokens as three parallel columns (starts, ends, spaces), read as a sequence
    of ``Token`` triples.

    Why columns: a news export has millions of tokens, and the tokenizer hands them over as
    arrays; writers that format every token (Prodigy) work on the columns directly instead of
    making and unpacking a tuple per token. Anything that yields triples (a plain tuple of them,
    e.g. tokens stored with an imported document) becomes one with ``Tokens.of``.

    A column is a list or, from the tokenizer (nlp.chunked), a numpy array, kept as it is:
    turning 7 million offsets into Python ints cost more than a second, and the Prodigy writer
    formats the arrays as they are. core never imports numpy: an array is used through what
    it shares with a list (``len``, slicing) and turned into lists (``lists``) once, when a
    writer reads the tokens one by one (CoNLL, WebAnno).

    ``keys`` (optional, from the tokenizer: spaCy's ORTH hashes) is a fourth column in which
    two tokens have the same key exactly when they have the same text. Why: a writer that
    formats every token's text (Prodigy) keeps the formatted text of each distinct key and
    never slices the document per token (slicing 7 million tokens cost more than a second).
    It is not part of a token: equality and the triples ignore it.
    """

    __slots__ = ("starts", "ends", "spaces", "keys", "_lists")

    def __init__(self, starts: Sequence[int], ends: Sequence[int], spaces: Sequence[bool],
                 keys: Sequence[int] | None = None) -> None:
        if not len(starts) == len(ends) == len(spaces) or (keys is not None and len(keys) != len(starts)):
            raise ValueError("token columns of different lengths")
        self.starts, self.ends, self.spaces, self.keys = starts, ends, spaces, keys
        self._lists: tuple[list[int], list[int], list[bool]] | None = None

    @classmethod
    def of(cls, tokens: Iterable[Token]) -> Tokens:
        if isinstance(tokens, Tokens):
            return tokens
        triples = list(tokens)
        return cls([t[0] for t in triples], [t[1] for t in triples], [bool(t[2]) for t in triples])

    def lists(self) -> tuple[list[int], list[int], list[bool]]:
        """(starts, ends, spaces) as Python lists of ints and bools, arrays converted once."""
        if self._lists is None:
            self._lists = (_as_list(self.starts), _as_list(self.ends), _as_list(self.spaces))
        return self._lists

    def __len__(self) -> int:
        return len(self.starts)

    def __getitem__(self, index):  # type: ignore[override]  # int -> Token, slice -> Tokens
        if isinstance(index, slice):
            return Tokens(self.starts[index], self.ends[index], self.spaces[index],
                          None if self.keys is None else self.keys[index])
        starts, ends, spaces = self.lists()
        return starts[index], ends[index], spaces[index]

    def __iter__(self):  # type: ignore[override]
        return zip(*self.lists())

    def __eq__(self, other: object) -> bool:
        if isinstance(other, Tokens):
            return self.lists() == other.lists()
        if isinstance(other, (tuple, list)):
            return list(self) == [tuple(t) for t in other]
        return NotImplemented

    __hash__ = None  # type: ignore[assignment]  # mutable lists inside

    def __repr__(self) -> str:
        return f"Tokens({list(self)!r})"

    def __reduce__(self):  # pickles (to worker processes) as its columns, arrays as arrays
        return Tokens, (self.starts, self.ends, self.spaces, self.keys)


def _as_list(column: Sequence) -> list:
    """A column as a list: a numpy array's ``tolist`` gives Python ints and bools."""
    return column.tolist() if hasattr(column, "tolist") else list(column)


@dataclass(frozen=True)
class ExportRelation:
    """A generic link between two exported spans (claimant and cue links are on the claims)."""

    head: int  # span id
    child: int
    label: str
    id: int | None = None  # relations.id: the key of its note and attribute values
    event: int | None = None  # the event this relation is a role of (label = the role)
    child_event: int | None = None  # the argument is this event (``child`` is its trigger)


@dataclass(frozen=True)
class ExportEvent:
    """A brat event: its trigger span and roles (the relations whose ``event`` is this id)."""

    id: int
    trigger: int  # span id
    label: str


@dataclass(frozen=True)
class ExportEquivalence:
    id: int
    label: str
    members: tuple[int, ...]  # span ids, in the order the file gave them


# Keys of notes and attribute values: ("span" | "relation" | "event" | "equivalence", id).
Target = tuple[str, int]


@dataclass(frozen=True)
class ExportDocument:
    document: Document
    spans: tuple[Span, ...] = ()  # the exported spans (accepted; by one annotator if asked), text order
    claims: tuple[Claim, ...] = ()  # claims whose content span is exported, in text order
    doc_labels: tuple[str, ...] = ()
    relations: tuple[ExportRelation, ...] = ()
    # Canonical claimant name (after alias merging) of each claim that has a claimant, by claim id.
    canonical: dict[int, str] = field(default_factory=dict)
    # Filled by the export workflow for writers that need them (nlp.export_tokens); any sequence of
    # Token triples works, ``Tokens`` (columns) is the fast form.
    tokens: Sequence[Token] | None = None
    events: tuple[ExportEvent, ...] = ()
    equivalences: tuple[ExportEquivalence, ...] = ()
    notes: dict[Target, str] = field(default_factory=dict)
    values: dict[Target, dict[str, str]] = field(default_factory=dict)  # span, relation, event attributes
    # Suggestions (a model's spans not yet decided), for the formats that keep predictions
    # apart from annotations (Label Studio); only read when a writer asks for them.
    suggestions: tuple[Span, ...] = ()
    # The document's own tokens as imported ((start, end) code points), when it has them:
    # the export writes these instead of spaCy's (ExportDocument.tokens is filled from them).
    own_tokens: tuple[tuple[int, int], ...] | None = None

    @property
    def id(self) -> int:
        return self.document.id

    @property
    def text(self) -> str:
        return self.document.text

    def span_index(self) -> dict[int, int]:
        """Span id -> position in ``spans``: how writers name the ends of a relation."""
        return {span.id: i for i, span in enumerate(self.spans) if span.id is not None}

    def links(self) -> list[tuple[int, int, str]]:
        """Every relation to write, as (head span id, child span id, label).

        Claim links first (``claim_links``), then the generic relations (event roles too, for
        formats without events). A link whose partner span is not exported (another
        annotator's span, a suggestion) is left out here: writers keep its claimant as text
        (``claim_extras``) so the name is not lost.
        """
        exported = {span.id for span in self.spans}
        found = self.claim_links(exported)
        found.extend((r.head, r.child, r.label) for r in self.relations if r.head in exported and r.child in exported)
        return found

    def claim_links(self, exported: set[int | None] | None = None) -> list[tuple[int, int, str]]:
        """Claim content -> claimant under its relation label (or ``CLAIMANT``), content -> cue
        as ``CUE``, for claimants and cues that are exported."""
        if exported is None:
            exported = {span.id for span in self.spans}
        found: list[tuple[int, int, str]] = []
        for claim in self.claims:
            head = claim.content.id
            if claim.claimant is not None and claim.claimant.id in exported:
                found.append((head, claim.claimant.id, claim.claimant_relation or CLAIMANT_RELATION))
            if claim.cue is not None and claim.cue.id in exported:
                found.append((head, claim.cue.id, CUE_RELATION))
        return found


def tokens_from_bounds(text: str, bounds: Sequence[tuple[int, int]]) -> Tokens:
    """Stored (start, end) tokens as the writers' triples, in columns: a space follows when the
    text has one right after the token (spaCy's ``whitespace_``, Prodigy's ``ws``)."""
    ends = [end for _start, end in bounds]
    return Tokens([start for start, _end in bounds], ends, [text[end:end + 1] == " " for end in ends])


CUE_RELATION = "CUE"
CLAIMANT_RELATION = "CLAIMANT"  # written for a claimant span link that no import named


def claim_extras(doc: ExportDocument, claim: Claim) -> dict[str, object]:
    """Everything a claim carries, for formats with a free-form place (meta, user_data, notes).

    The shape is the one documented for Prodigy meta and spaCy user_data (docs/formats.md):
    spans are named by offsets, label and text, so a reader can match them to its spans.
    """
    return {
        "start": claim.content.start, "end": claim.content.end, "label": claim.content.label,
        "claimant": _span_ref(claim.claimant),
        "claimant_text": claim.claimant_text,
        "canonical_claimant": doc.canonical.get(claim.id),
        "relation": claim.claimant_relation,
        "cue": _span_ref(claim.cue),
        "attributes": dict(sorted(claim.values.items())),
    }


def _span_ref(span: Span | None) -> dict[str, object] | None:
    if span is None:
        return None
    return {"start": span.start, "end": span.end, "label": span.label, "text": span.text}


def utf16_offsets(text: str, offsets: Iterable[int]) -> dict[int, int]:
    """Code-point offsets -> UTF-16 unit offsets (an astral character counts 2).

    One pass over the text however many offsets are asked: a document with 2,000 spans is
    converted in linear time.
    """
    wanted = sorted(set(offsets))
    result: dict[int, int] = {}
    units = 0
    position = 0
    for offset in wanted:
        chunk = text[position:offset]
        units += len(chunk) + sum(1 for ch in chunk if ord(ch) > 0xFFFF)
        position = offset
        result[offset] = units
    return result


def codepoint_offsets(text: str, offsets: Sequence[int]) -> dict[int, int | None]:
    """UTF-16 unit offsets -> code-point offsets; None for an offset inside a surrogate pair
    or past the end (the caller reports it, never guesses)."""
    wanted = sorted(set(offsets))
    result: dict[int, int | None] = {}
    units = 0
    index = 0
    length = len(text)
    for target in wanted:
        while units < target and index < length:
            units += 2 if ord(text[index]) > 0xFFFF else 1
            index += 1
        result[target] = index if units == target else None
    return result


class TokenIndex:
    """Which token starts and which ends at a code-point offset, for span -> token indices.

    Sorted lists and bisection rather than dicts: a document has hundreds of tokens and a
    few dozen spans, and building two dicts per document was most of the lookup's cost.
    """

    __slots__ = ("starts", "ends")

    def __init__(self, tokens: Sequence[Token]) -> None:
        # Tokens are in text order and never overlap, so both columns are sorted.
        self.starts, self.ends, _ = Tokens.of(tokens).lists()

    def bounds(self, start: int, end: int) -> tuple[int, int] | None:
        """First and last token (INCLUSIVE, Prodigy's ``token_end``) of a span whose edges are
        token edges; None when the span cuts a token."""
        first = bisect_left(self.starts, start)
        last = bisect_left(self.ends, end)
        if first == len(self.starts) or self.starts[first] != start or last == len(self.ends) \
                or self.ends[last] != end or last < first:
            return None
        return first, last


def split_score(content_hash: str, seed: int) -> float:
    """Where a document falls in [0, 1) for the train/dev split: a hash of the seed and its
    text's hash, so the same project and seed give the same split, and adding documents never
    moves one that was already placed."""
    import hashlib

    digest = hashlib.blake2b(f"{seed}:{content_hash}".encode("ascii"), digest_size=8).digest()
    return int.from_bytes(digest, "big") / 2.0**64
