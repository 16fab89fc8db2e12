"""Prodigy task JSONL out: what ``prodigy db-in`` and the ``ner``/``spans``/``rel`` recipes read.

One task per line, compact UTF-8 JSON as Prodigy itself writes it (srsly), written by orjson
(``writing.compact_bytes``) and, for the tokens and the spans' token indices, from the token
columns of a whole batch of documents at once (``encode_tasks``, ``prodigy_tokens.TokenBatch``):
``text``, ``meta``, ``tokens`` ({text, start, end, id, ws}, spaCy's tokenizer of the
project's language), ``spans`` (start, end exclusive, label, token_start,
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

from ..core.export import ExportDocument, claim_extras
from .prodigy_tokens import TokenBatch
from .registry import Encoded, WriteOptions, Writer, register_writer
from .writing import compact_bytes, plain_meta, span_note

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


def encode_tasks(docs: Sequence[ExportDocument], options: WriteOptions) -> list[Encoded]:
    """A batch of documents, a line each. The tokens and the spans' token indices are worked
    out for the whole batch at once (``prodigy_tokens.TokenBatch``); the rest of each line is
    two dicts written by orjson: what comes before the tokens and what comes after them."""
    batch = bounds = None
    if options.tokens:
        if any(doc.tokens is None for doc in docs):
            raise ValueError("the Prodigy writer was asked for tokens but the document has none")
        batch = TokenBatch([doc.text for doc in docs], [doc.tokens for doc in docs])  # type: ignore[misc]
        spans = [span for doc in docs for span in doc.spans]
        bounds = batch.span_bounds([len(doc.spans) for doc in docs], [span.start for span in spans],
                                   [span.end for span in spans])
    openings, rests, notes = [], [], []
    position = 0
    for doc in docs:
        opening, rest, doc_notes = _task_parts(doc, bounds, position)
        position += len(doc.spans)
        openings.append(opening)
        rests.append(rest)
        notes.append(doc_notes)
    if batch is None:
        return [Encoded([("", b"%s,%s\n" % (opening[:-1], rest[1:]))], doc_notes)
                for opening, rest, doc_notes in zip(openings, rests, notes)]
    lines = batch.lines([opening[:-1] + b',"tokens":' for opening in openings],
                        [b"," + rest[1:] + b"\n" for rest in rests])
    return [Encoded([("", line)], doc_notes) for line, doc_notes in zip(lines, notes)]


def encode_task(doc: ExportDocument, options: WriteOptions) -> Encoded:
    return encode_tasks([doc], options)[0]


def _task_parts(doc: ExportDocument, bounds: list[tuple[int, int] | None] | None,
                position: int) -> tuple[bytes, bytes, list[str]]:
    """(the task's text and meta, everything after its tokens) as JSON objects, and notes.
    ``bounds``: the first and last token of the batch's spans, the document's from
    ``position`` on; None when the export has no tokens."""
    notes: list[str] = []
    meta = plain_meta(doc)
    title = doc.document.title
    if title and meta.get("title") != title:
        meta["title"] = title
    if doc.claims:
        meta[META_KEY] = {"claims": [claim_extras(doc, claim) for claim in doc.claims]}
    opening = compact_bytes({"text": doc.text, "meta": meta})
    task: dict = {}
    spans = []
    refs: dict[int, dict] = {}
    for number, span in enumerate(doc.spans, position):
        item = {"start": span.start, "end": span.end, "label": span.label}
        if bounds is not None:
            found = bounds[number]
            if found is None:
                notes.append(span_note(doc, span, "its edges are not token edges; written without "
                                                  "token_start/token_end (Prodigy's manual views need them)"))
            else:
                item["token_start"], item["token_end"] = found
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
    return opening, compact_bytes(task), notes


register_writer(Writer("prodigy", "Prodigy task JSONL (text, tokens, spans, relations, answer, meta)",
                       encode_task, suffix=".jsonl", needs_tokens=True, encode_many=encode_tasks), "jsonl")
