"""Prodigy task JSONL out: what ``prodigy db-in`` and the ``ner``/``spans``/``rel`` recipes read.

One task per line, compact UTF-8 JSON as Prodigy itself writes it (srsly), written by orjson
(``writing.compact_bytes``) and, for the tokens, from their columns (``prodigy_tokens``):
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

from ..core.export import ExportDocument, TokenIndex, claim_extras
from .prodigy_tokens import tokens_json
from .registry import Encoded, Writer, WriteOptions, register_writer
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
    opening = compact_bytes(task)  # text and meta; the tokens go in after them, the rest after the tokens
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
    rest = compact_bytes(task)
    if index is None:
        return Encoded([("", b"%s,%s\n" % (opening[:-1], rest[1:]))], notes)
    # One join makes the line (a document's tokens are tens of kilobytes).
    return Encoded([("", tokens_json(text, doc.tokens, opening[:-1] + b',"tokens":', b"," + rest[1:] + b"\n"))], notes)


register_writer(Writer("prodigy", "Prodigy task JSONL (text, tokens, spans, relations, answer, meta)",
                       encode_task, suffix=".jsonl", needs_tokens=True), "jsonl")
