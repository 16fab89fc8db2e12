"""Prodigy task JSONL out: what ``prodigy db-in`` and the ``ner``/``spans``/``rel`` recipes read.

One task per line, compact JSON as Prodigy itself writes it (srsly): ``text``, ``meta``, ``tokens`` ({text, start, end, id, ws}, spaCy's
tokenizer of the project's language), ``spans`` (start, end exclusive, label, token_start,
token_end INCLUSIVE), ``relations`` (claimant and cue links and other relations: ``head`` and
``child`` are the token_end of each span, with ``head_span``/``child_span``), ``answer``
(done -> accept, skipped -> reject/ignore as imported, todo -> none), ``accept`` (document
labels, as Prodigy's choice interface stores them), and Prodigy's own keys (``_input_hash``,
``_task_hash``, ...) written back unchanged from meta["_prodigy"].

Claims have no place in Prodigy but relations; what relations cannot hold (a free-text
claimant, the canonical claimant, attribute values) goes to ``meta["annotator"]["claims"]``,
which annotator's Prodigy reader reads back (docs/formats.md).
"""

from __future__ import annotations

from collections.abc import Sequence
from json.encoder import encode_basestring

from ..core.export import ExportDocument, Token, TokenIndex, Tokens, claim_extras
from .registry import Encoded, Writer, WriteOptions, register_writer
from .writing import compact_dumps as dumps
from .writing import plain_meta, span_note

META_KEY = "annotator"  # meta[META_KEY]["claims"]: our claims, read back on import
OWN_KEYS = frozenset({"text", "meta", "tokens", "spans", "relations", "answer", "accept"})


def answer_for(doc: ExportDocument) -> str | None:
    status = doc.document.status
    if status == "done":
        return "accept"
    if status == "skipped":
        given = doc.document.meta.get("_prodigy", {}).get("answer") if isinstance(
            doc.document.meta.get("_prodigy"), dict) else None
        return given if given in ("reject", "ignore") else "ignore"
    return None


class _Numbers:
    """Strings of the numbers a token list repeats, made once per process and reused.

    Why: formatting three integers per token was two thirds of writing the tokens (10,000
    articles have 7 million tokens); looking up a ready string costs a fraction of that.
    Offsets of texts longer than ``LIMIT`` are formatted as they come.
    """

    LIMIT = 1 << 17  # 131,072: a few MB of strings, enough for any news article

    def __init__(self) -> None:
        self.offsets: list[str] = []
        self.tails: tuple[list[str], list[str]] = ([], [])  # token id -> ',"id":N,"ws":false}' / true

    def grow(self, offsets: int, tokens: int) -> bool:
        """Make the strings for offsets up to ``offsets`` and ``tokens`` ids; False past LIMIT."""
        if offsets > self.LIMIT or tokens > self.LIMIT:
            return False
        have = len(self.offsets)
        if offsets >= have:
            self.offsets.extend(map(str, range(have, min(max(offsets + 1, 2 * have), self.LIMIT + 1))))
        have = len(self.tails[0])
        if tokens > have:
            more = range(have, min(max(tokens, 2 * have), self.LIMIT))
            self.tails[0].extend(f',"id":{i},"ws":false}}' for i in more)
            self.tails[1].extend(f',"id":{i},"ws":true}}' for i in more)
        return True


_NUMBERS = _Numbers()
_WS = ("false", "true")


def tokens_json(text: str, tokens: Sequence[Token]) -> str:
    """The ``tokens`` list as JSON text, exactly as compact ``json.dumps`` writes it.

    Why by hand: tokens are nine in ten of a task's values, and a dict per token plus the
    encoder took four times as long as formatting them (benchmarks/bench_export.py);
    ``encode_basestring`` is the encoder's own C string escaper. (Escaping only the tokens
    that need it saved nothing measurable.) Works on the columns of ``Tokens``; any sequence
    of (start, end, ws) triples is turned into them.
    """
    columns = Tokens.of(tokens)
    starts, ends, spaces = columns.starts, columns.ends, columns.spaces
    if not starts:
        return "[]"
    if _NUMBERS.grow(ends[-1], len(starts)):
        offsets, tails = _NUMBERS.offsets, _NUMBERS.tails
        return "[" + ",".join([f'{{"text":{encode_basestring(text[s:e])},"start":{offsets[s]},"end":{offsets[e]}'
                               f'{tails[w][i]}' for i, (s, e, w) in enumerate(zip(starts, ends, spaces))]) + "]"
    # Offsets past the number cache (a text of over 130,000 characters).
    return "[" + ",".join([f'{{"text":{encode_basestring(text[s:e])},"start":{s},"end":{e},"id":{i},"ws":{_WS[w]}}}'
                           for i, (s, e, w) in enumerate(zip(starts, ends, spaces))]) + "]"


def encode_task(doc: ExportDocument, options: WriteOptions) -> Encoded:
    notes: list[str] = []
    text = doc.text
    task: dict = {"text": text}
    meta = plain_meta(doc)
    title = doc.document.title
    if title and meta.get("title") != title:
        meta["title"] = title
    if doc.claims:
        meta[META_KEY] = {"claims": [claim_extras(doc, claim) for claim in doc.claims]}
    task["meta"] = meta
    index = None
    if options.tokens:
        if doc.tokens is None:
            raise ValueError("the Prodigy writer was asked for tokens but the document has none")
        index = TokenIndex(doc.tokens)
    opening = dumps(task)  # text and meta; the tokens go in after them, the rest after the tokens
    task = {}
    spans = []
    refs: dict[int, dict] = {}
    for span in doc.spans:
        item = {"start": span.start, "end": span.end, "label": span.label}
        if index is not None:
            bounds = index.bounds(span.start, span.end)
            if bounds is None:
                notes.append(span_note(doc, span, "its edges are not token edges; written without "
                                                  "token_start/token_end (Prodigy's manual views need them)"))
            else:
                item["token_start"], item["token_end"] = bounds
        spans.append(item)
        refs[span.id] = item
    task["spans"] = spans
    relations = []
    for head, child, label in doc.links():
        head_span, child_span = refs[head], refs[child]
        relation: dict = {}
        if "token_end" in head_span and "token_end" in child_span:
            relation["head"], relation["child"] = head_span["token_end"], child_span["token_end"]
        relation.update(head_span=head_span, child_span=child_span, label=label)
        relations.append(relation)
    if relations:
        task["relations"] = relations
    answer = answer_for(doc)
    if answer is not None:
        task["answer"] = answer
    if doc.doc_labels:
        task["accept"] = list(doc.doc_labels)
    prodigy = doc.document.meta.get("_prodigy")
    if isinstance(prodigy, dict):
        task.update((k, v) for k, v in prodigy.items() if k not in OWN_KEYS and k != "answer")
    tokens = f',"tokens":{tokens_json(text, doc.tokens)}' if index is not None else ""
    return Encoded([("", f"{opening[:-1]}{tokens},{dumps(task)[1:]}\n")], notes)


register_writer(Writer("prodigy", "Prodigy task JSONL (text, tokens, spans, relations, answer, meta)",
                       encode_task, suffix=".jsonl", needs_tokens=True), "jsonl")
