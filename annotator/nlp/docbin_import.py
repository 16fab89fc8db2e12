"""spaCy DocBin (.spacy) files in: ``doc.text``, ``doc.ents``, ``doc.spans``, ``doc.cats`` and
the ``doc.user_data["annotator"]`` that annotator's own export writes (title, meta, status,
claims, relations). Registered as a reader by annotator.workflows.nlp_formats.

A DocBin has no lines: problems name the document's position in the file (1-based) as the
line, e.g. ``train.spacy:12: spans['sc'][3]: ...``. Spans come from ``doc.ents`` and every
span group (each range and label once); a category with a score of at least 0.5 is a
document label.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from ..core.interchange import claims_from_extras
from ..core.problems import InputError, Problem
from ..core.records import DocumentRecord, RelationRecord, SpanRecord
from ..core.scheme import check_label_name
from ..core.textutil import find_lone_surrogate, path_text, quoted
from .docbin import USER_DATA_KEY

STATUSES = ("todo", "done", "skipped")


def read_docbin(path: Path) -> Iterator[DocumentRecord | Problem]:
    from spacy.tokens import DocBin
    from spacy.vocab import Vocab

    file = path_text(path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise InputError([Problem(file, None, None, f"cannot read file: {exc.strerror}")]) from exc
    try:
        docbin = DocBin(store_user_data=True).from_bytes(data)
        docs = list(docbin.get_docs(Vocab()))
    except Exception as exc:  # zlib, msgpack or spaCy: whatever it is, the file is not a DocBin
        raise InputError([Problem(file, None, None, f"not a spaCy DocBin file ({type(exc).__name__}: {exc})")]) from exc
    for number, doc in enumerate(docs, start=1):
        yield _record(file, number, doc)


def _record(file: str, number: int, doc: Any) -> DocumentRecord | Problem:
    text = doc.text
    if find_lone_surrogate(text) is not None or "\x00" in text:
        return Problem(file, number, "doc.text", "holds a lone surrogate or NUL character: not text")
    spans: list[SpanRecord] = []
    seen: dict[tuple[int, int, str], int] = {}
    groups = [("doc.ents", doc.ents), *((f"doc.spans[{quoted(key)}]", group) for key, group in doc.spans.items())]
    for name, group in groups:
        for i, span in enumerate(group):
            try:
                label = span.label_
            except KeyError:  # spaCy's E018: the label's string is not in the file's strings
                return Problem(file, number, f"{name}[{i}].label", "the label's string is missing from the DocBin's "
                               "strings (a damaged file?)")
            key = (span.start_char, span.end_char, label)
            if key in seen:
                continue
            if (reason := check_label_name(label)) is not None:
                return Problem(file, number, f"{name}[{i}].label", reason)
            if span.end_char <= span.start_char:
                return Problem(file, number, f"{name}[{i}]", "span is empty")
            seen[key] = len(spans)
            spans.append(SpanRecord(span.start_char, span.end_char, label, f"{name}[{i}]"))
    # A DocBin is msgpack: cats may be anything. A score that is not a number was skipped
    # silently (the document lost its label), and cats that were not a dict gave a message
    # naming no field.
    if not isinstance(doc.cats, dict):
        return Problem(file, number, "doc.cats", f"must be a dict of label -> score, got {type(doc.cats).__name__}")
    doc_labels = []
    for label, score in doc.cats.items():
        if isinstance(score, bool) or not isinstance(score, (int, float)):
            return Problem(file, number, f"doc.cats[{quoted(label)}]", f"score must be a number, got {quoted(score)}")
        if score >= 0.5:
            if (reason := check_label_name(label)) is not None:
                return Problem(file, number, "doc.cats", reason)
            doc_labels.append(label)
    record = DocumentRecord(text=text, line=number, source=file, spans=spans, doc_labels=doc_labels)
    ours = doc.user_data.get(USER_DATA_KEY)
    if isinstance(ours, dict):
        problem = _ours(file, number, ours, record)
        if problem:
            return problem
    return record


def _ours(file: str, number: int, ours: dict, record: DocumentRecord) -> Problem | None:
    """Our own user_data, read back: every field as untrusted as any other file's (a DocBin
    is msgpack: any field may hold any type, bytes and tuples included)."""
    fld = f'user_data["{USER_DATA_KEY}"]'
    title, meta, status = ours.get("title", ""), ours.get("meta") or {}, ours.get("status", "todo")
    if ours.get("meta_json") is not None:  # meta msgpack could not hold (nlp.docbin.user_data)
        if not isinstance(ours["meta_json"], str):
            return Problem(file, number, f"{fld}.meta_json", "must be JSON text")
        try:
            meta = json.loads(ours["meta_json"])
        except ValueError as exc:
            return Problem(file, number, f"{fld}.meta_json", f"is not valid JSON ({exc})")
    if not isinstance(title, str):
        return Problem(file, number, f"{fld}.title", "must be text")
    if find_lone_surrogate(title) is not None or "\x00" in title:
        return Problem(file, number, f"{fld}.title", "holds a lone surrogate or NUL character: not text")
    if not isinstance(meta, dict):
        return Problem(file, number, f"{fld}.meta", "must be an object")
    if (problem := _json_problem(meta)) is not None:
        return Problem(file, number, f"{fld}.meta", problem)
    if not isinstance(status, str) or status not in STATUSES:
        return Problem(file, number, f"{fld}.status", f"must be one of {', '.join(STATUSES)}, got {quoted(status)}")
    record.title, record.meta, record.status = title, dict(meta), status
    claims, problem = claims_from_extras(file, number, f"{fld}.claims", ours.get("claims"), record.spans, record.text,
                                         add_content=True)
    if problem:
        return problem
    record.claims = claims
    relations = ours.get("relations")
    if relations is None:
        return None
    if not isinstance(relations, (list, tuple)):  # msgpack gives tuples for lists
        return Problem(file, number, f"{fld}.relations", f"must be a list of relations, got {type(relations).__name__}")
    index = {(s.start, s.end, s.label): i for i, s in enumerate(record.spans)}
    for i, relation in enumerate(relations):
        where = f"{fld}.relations[{i}]"
        try:
            head = index[(relation["head"]["start"], relation["head"]["end"], relation["head"]["label"])]
            child = index[(relation["child"]["start"], relation["child"]["end"], relation["child"]["label"])]
            label = relation["label"]
        except (KeyError, TypeError, IndexError):
            return Problem(file, number, where, "names a span that is not in the document's spans")
        if (reason := check_label_name(label)) is not None:
            return Problem(file, number, f"{where}.label", reason)
        record.relations.append(RelationRecord(head, child, label, where))
    return None


def _json_problem(value: Any) -> str | None:
    """Why ``value`` cannot be stored as the document's meta (JSON text), or None."""
    try:
        json.dumps(value, ensure_ascii=False).encode("utf-8")
    except (TypeError, ValueError, RecursionError) as exc:  # bytes, a non-text key, a surrogate
        return f"must hold only JSON values (text, numbers, lists, objects) ({type(exc).__name__}: {exc})"
    return None
