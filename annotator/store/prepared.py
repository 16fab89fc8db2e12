"""A checked import record reduced to plain values, and its annotators' layers.

``ImportWriter`` stores these. When a record's text is already in the project (or earlier in
the same import), the import adds the layers of annotators new to that document
(core.import_layers): ``only`` cuts those layers out of a record, ``absorb`` joins them to a
document still waiting in the batch.
"""

from __future__ import annotations

import json
from collections.abc import Collection, Hashable

from ..core.import_layers import LayerContent
from ..core.model import FLAG_VALUE
from ..core.records import DocumentRecord, Extras
from ..core.textutil import content_hash as text_hash
from ..core.token_codec import pack_tokens

SpanValues = tuple[int, int, str, str | None, str, str | None]  # start, end, label, annotator, state, origin
Pairs = tuple[tuple[str, str], ...]  # attribute values, sorted by name
ExtraValues = tuple[int, Pairs, str | None]  # (index of the span/relation/event, values, note)
# content, claimant, claimant text, relation label, cue (span indices), ((attribute, value), ...)
ClaimValues = tuple[int, int | None, str | None, str | None, int | None, tuple[tuple[str, str], ...]]


class PreparedDocument:
    """A checked record, ready to store, reduced to plain values while its batch fills.

    Why not keep the record: a batch of 2000 records held ~50,000 span objects (and their
    ``__dict__``s) long enough to reach the garbage collector's oldest generation, and each
    full collection rescanned them all: a fifth of the import's Python time. Exact tuples of
    ints and strings (and tuples of those) are dropped from the collector's tracking, so a
    batch of these costs it nearly nothing (benchmarks/bench_import.py).

    Annotators are names as the file gives them; None means the import's own annotator
    (``--annotator``, the writer's ``annotator``), and for a span with an origin (a model's
    prediction) nobody: it is a suggestion.
    """

    __slots__ = ("text", "content_hash", "title", "source", "meta", "status", "line", "spans", "relations",
                 "claims", "doc_labels", "span_extras", "relation_extras", "events", "equivalences", "tokens",
                 "token_source", "annotator_statuses", "questions")

    def __init__(self, record: DocumentRecord, content_hash: str = "", token_source: str = "") -> None:
        self.text = record.text
        self.content_hash = content_hash or text_hash(record.text)
        self.title = record.title
        self.source = record.source
        self.meta = json.dumps(record.meta, ensure_ascii=False) if record.meta else "{}"  # stored as JSON text
        self.status = record.status
        self.line = record.line
        # Tuples, not lists: a tuple of untracked values is untracked in turn.
        self.spans: tuple[SpanValues, ...] = tuple([(s.start, s.end, s.label, s.annotator, s.state, s.origin)
                                                    for s in record.spans])
        self.relations = tuple([(r.head, r.child, r.label, r.field, r.annotator) for r in record.relations])
        self.claims: tuple[ClaimValues, ...] = tuple([
            (c.content, c.claimant, c.claimant_text, c.relation, c.cue, tuple(sorted(c.values.items())))
            for c in record.claims])
        # (label, annotator or None), once each, in file order: a label two annotators chose is
        # in both layers.
        who = record.doc_label_annotators
        self.doc_labels: tuple[tuple[str, str | None], ...] = tuple(dict.fromkeys(
            pair for name in record.doc_labels for pair in ([(name, a) for a in who[name]] if who.get(name)
                                                            else [(name, None)])))
        self.span_extras = _extras(record.spans)
        self.relation_extras = _extras(record.relations)
        # (trigger, label, annotator, ((role, span, event or None), ...), values, note)
        self.events = tuple([(e.trigger, e.label, e.annotator, tuple(e.roles), *_pairs(e.extras))
                             for e in record.events])
        self.equivalences = tuple([(q.label, q.annotator, tuple(q.members), _pairs(q.extras)[1])
                                   for q in record.equivalences])
        self.tokens = (len(record.tokens), pack_tokens(record.tokens)) if record.tokens is not None else None
        self.token_source = token_source if record.tokens is not None else ""
        self.annotator_statuses = tuple(record.annotator_statuses.items())
        # A binary record's answers (DocumentRecord.questions), None for a whole annotation.
        self.questions = None if record.questions is None else tuple(record.questions.items())

    # ------------------------------------------------------------------ layers
    def layers(self, default: str | None) -> dict[str | None, LayerContent]:
        """The record's layers by annotator name (None: the spans nobody is named for, and
        suggestions), with ``default`` the import's own annotator."""
        spans: dict[str | None, list] = {}
        labels: dict[str | None, set[str]] = {}
        for start, end, label, annotator, state, origin in self.spans:
            spans.setdefault(annotator or (None if origin else default), []).append((start, end, label, state))
        for label, annotator in self.doc_labels:
            labels.setdefault(annotator or default, set()).add(label)
        statuses = dict(self.annotator_statuses)
        return {key: LayerContent(tuple(sorted(spans.get(key, ()))), frozenset(labels.get(key, ())),
                                  statuses.get(key)) for key in {*spans, *labels, *statuses}}

    def only(self, names: Collection[Hashable], default: str | None) -> PreparedDocument | None:
        """A copy holding only these annotators' layers (spans, their claims, relations,
        events, equivalences, attribute values and notes, document labels, statuses), for a
        document that exists; None when an annotation of theirs names a span of another
        layer (it cannot be taken alone)."""
        keep = [i for i, (_, _, _, annotator, _, origin) in enumerate(self.spans)
                if (annotator or (None if origin else default)) in names]
        index = {old: new for new, old in enumerate(keep)}

        def moved(*spans: int | None) -> bool | None:
            """True when all of these spans stay, False when none do, None when some do."""
            inside = {s in index for s in spans if s is not None}
            return None if len(inside) > 1 else inside.pop() if inside else False

        part = object.__new__(PreparedDocument)
        for name in ("text", "content_hash", "title", "source", "meta", "status", "line"):
            setattr(part, name, getattr(self, name))
        part.tokens, part.token_source = None, ""
        part.spans = tuple([self.spans[i] for i in keep])
        relation_index: dict[int, int] = {}
        relations, claims, events, equivalences = [], [], [], []
        for i, (head, child, *rest) in enumerate(self.relations):
            if (stays := moved(head, child)) is None:
                return None
            if stays:
                relation_index[i] = len(relations)
                relations.append((index[head], index[child], *rest))
        for content, claimant, text, relation, cue, values in self.claims:
            if (stays := moved(content, claimant, cue)) is None:
                return None
            if stays:
                claims.append((index[content], None if claimant is None else index[claimant], text, relation,
                               None if cue is None else index[cue], values))
        event_index: dict[int, int] = {}
        for i, (trigger, label, annotator, roles, values, note) in enumerate(self.events):
            if (stays := moved(trigger, *(target for _, target, _ in roles))) is None:
                return None
            if stays:
                event_index[i] = len(events)
                events.append([index[trigger], label, annotator, roles, values, note])
        for event in events:  # an argument that is another event must have come along
            if any(e is not None and e not in event_index for _, _, e in event[3]):
                return None
            event[3] = tuple((role, index[target], None if e is None else event_index[e]) for role, target, e in event[3])
        for label, annotator, members, note in self.equivalences:
            if (stays := moved(*members)) is None:
                return None
            if stays:
                equivalences.append((label, annotator, tuple(index[m] for m in members), note))
        part.relations, part.claims, part.equivalences = tuple(relations), tuple(claims), tuple(equivalences)
        part.events = tuple(tuple(e) for e in events)
        part.span_extras = tuple((index[i], values, note) for i, values, note in self.span_extras if i in index)
        part.relation_extras = tuple((relation_index[i], values, note) for i, values, note in self.relation_extras
                                     if i in relation_index)
        part.doc_labels = tuple((label, who) for label, who in self.doc_labels if (who or default) in names)
        part.annotator_statuses = tuple((who, status) for who, status in self.annotator_statuses if who in names)
        return part

    def answers_part(self, keys: Collection[tuple[int, int, str]], statuses: tuple[tuple[str, str], ...],
                     status: str) -> PreparedDocument:
        """A copy holding only the spans and document labels of these questions (a binary
        record's new answers, workflows/binary_answers.py), with these statuses."""
        part = object.__new__(PreparedDocument)
        for name in ("text", "content_hash", "title", "source", "meta", "line"):
            setattr(part, name, getattr(self, name))
        keep = [i for i, (start, end, label, *_) in enumerate(self.spans) if (start, end, label) in keys]
        index = {old: new for new, old in enumerate(keep)}
        part.spans = tuple([self.spans[i] for i in keep])
        part.span_extras = tuple((index[i], values, note) for i, values, note in self.span_extras if i in index)
        part.doc_labels = tuple(pair for pair in self.doc_labels if (-1, -1, pair[0]) in keys)
        part.relations = part.claims = part.events = part.equivalences = part.relation_extras = ()
        part.tokens, part.token_source, part.questions = None, "", None
        part.annotator_statuses, part.status = statuses, status
        return part

    def take_answers(self, part: PreparedDocument) -> None:
        """Join a binary record's new answers (``answers_part``) to this document, still in
        the batch: its spans and labels added, its statuses replacing this one's."""
        before = self.annotator_statuses
        self.absorb(part)
        replaced = dict(part.annotator_statuses)
        self.annotator_statuses = tuple((who, replaced.pop(who, status)) for who, status in before
                                        ) + tuple(replaced.items())
        self.status = part.status

    def absorb(self, other: PreparedDocument) -> None:
        """Take in ``other``'s annotations (layers this document does not have yet: ``only``
        cut them out of another record of the same text)."""
        spans, relations, events = len(self.spans), len(self.relations), len(self.events)
        self.spans += other.spans
        self.relations += tuple((head + spans, child + spans, *rest) for head, child, *rest in other.relations)
        self.claims += tuple((content + spans, None if claimant is None else claimant + spans, text, relation,
                              None if cue is None else cue + spans, values)
                             for content, claimant, text, relation, cue, values in other.claims)
        self.events += tuple((trigger + spans, label, annotator,
                              tuple((role, target + spans, None if e is None else e + events) for role, target, e in roles),
                              values, note) for trigger, label, annotator, roles, values, note in other.events)
        self.equivalences += tuple((label, annotator, tuple(m + spans for m in members), note)
                                   for label, annotator, members, note in other.equivalences)
        self.span_extras += tuple((i + spans, values, note) for i, values, note in other.span_extras)
        self.relation_extras += tuple((i + relations, values, note) for i, values, note in other.relation_extras)
        self.doc_labels = tuple(dict.fromkeys(self.doc_labels + other.doc_labels))
        self.annotator_statuses += other.annotator_statuses


def _pairs(extras: Extras | None) -> tuple[Pairs, str | None]:
    if extras is None:
        return (), None
    return tuple(sorted((k, FLAG_VALUE if v is None else v) for k, v in extras.values.items())), extras.note


def _extras(items: list) -> tuple[ExtraValues, ...]:
    return tuple([(i, *_pairs(item.extras)) for i, item in enumerate(items)
                  if item.extras is not None and (item.extras.values or item.extras.note is not None)])
