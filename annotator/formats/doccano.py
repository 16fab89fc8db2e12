"""doccano JSONL, both directions: the span list and the relation variant.

Read (one JSON object per line, or doccano's JSON export: one JSON list of the same records,
each error naming the record's index, ``[3].label[0]``, as pandas writes the list on one line):
- ``{"text", "label": [[start, end, "LABEL"], ...]}`` (sequence labelling; ``labels`` too);
  ``"label": ["A", "B"]`` (text classification) and ``"cats": [...]`` give document labels;
- ``{"text", "entities": [{"id", "label", "start_offset", "end_offset"}], "relations":
  [{"from_id", "to_id", "type"}]}`` (the relation variant); ``entities`` may also be
  ``[[start, end, "LABEL"]]`` (intent detection and slot filling);
- doccano 1.x: ``{"text", "annotations": [{"label": 12, "start_offset", "end_offset",
  "user": 1}]}``: label ids are named by ``--label-map`` (else by the id), each user's spans
  are that annotator's; an annotation without offsets is a document label; a record with an
  ``annotation_approver`` is done (its users too: doccano keeps no status per user), any
  other todo;
- ``title`` gives the title; ``annotator`` (annotator's own claims, as our export writes
  them) gives claims; every other key goes to meta. A key holding another tool's
  annotations (Prodigy's ``spans``, Label Studio's ``predictions``) refuses the record.
Offsets are taken as code points, or as UTF-16 units with ``--offsets utf16`` (doccano is a
JavaScript tool); doccano gives no span text, so an offset past the end is the only sign.

Write: the span list (default; a span several annotators made is written once), with
``variant="relations"`` entities (with ``user``) and relations (claimant and cue links
included), or with ``variant="annotations"`` doccano 1.x's ``annotations`` with each
span's annotator as ``user``; ``cats`` for document labels; meta keys at top level
(doccano keeps them as metadata); claims' free-text claimants and attributes under
``annotator.claims``. The span list variant cannot hold relations: claim links are then only
in ``annotator.claims``.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from pathlib import Path
from typing import Any

from ..core.export import ExportDocument, claim_extras
from ..core.interchange import claims_from_extras
from ..core.problems import Problem
from ..core.records import DocumentRecord, RelationRecord
from ..core.textutil import path_text
from .decoding import SNIFF_BYTES, read_text
from .fields import check_label, check_text, describe, foreign_keys, surrogate_in
from .json_list import elements, first_element
from .registry import Encoded, Reader, ReadOptions, RecordStream, Writer, WriteOptions, register, register_writer
from .span_input import Offsets, json_lines, line_starts, read_span
from .writing import dumps, offset_map, plain_meta, where

OURS = "annotator"  # top-level key holding our claims, as in Prodigy's meta
KNOWN = {"text", "label", "labels", "entities", "relations", "cats", "title", OURS, "annotations"}
# Keys holding annotations in other tools' shapes: refused by name, never dropped silently.
FOREIGN = {"spans": "Prodigy's spans: import with --format prodigy",
           "predictions": "Label Studio predictions: import with --format labelstudio",
           "completions": "Label Studio completions: import with --format labelstudio",
           "ents": "spaCy's JSON entities"}


def read_doccano(path: Path, options: ReadOptions) -> RecordStream:
    file = path_text(path)
    labels = dict(options.label_map)
    utf16 = options.offsets == "utf16"
    if _is_json_list(path):
        # doccano's "JSON" export (text classification, sequence to sequence): one list of the
        # same records, which pandas writes on one line: the line alone cannot say which
        # record is wrong, so every field is named with the record's index, "[12].label[0]".
        text = read_text(path)  # whole-file faults (encoding, binary) raise InputError
        starts = line_starts(text)
        for index, (position, data) in enumerate(elements(file, text, starts, "records", LIST_REFUSAL)):
            line = bisect_right(starts, position)
            if not isinstance(data, dict):
                yield Problem(file, line, f"[{index}]", f"a record must be a JSON object, got {describe(data)}")
            else:
                yield _in_list(parse_record(file, line, data, utf16, labels), index)
        return
    for item in json_lines(path, file):
        if isinstance(item, Problem):
            yield item
        else:
            yield parse_record(file, item[0], item[1], utf16, labels)


LIST_REFUSAL = "a doccano JSON export is a JSON list of records"


def _in_list(item: DocumentRecord | Problem, index: int) -> DocumentRecord | Problem:
    """The fields a record's problem (or, later, the import's checks) name, prefixed with
    the record's index in the list."""
    def at(fld: str | None) -> str:
        return f"[{index}].{fld}" if fld else f"[{index}]"

    if isinstance(item, Problem):
        return Problem(item.file, item.line, at(item.field), item.message, item.severity)
    for part in (*item.spans, *item.relations, *item.claims):
        part.field = at(part.field)
    return item


_UTF8_BOM = b"\xef\xbb\xbf"


def _is_json_list(path: Path) -> bool:
    """Does the file start (after a BOM and white space) with ``[``? JSON Lines starts with ``{``."""
    try:
        with path.open("rb") as handle:
            first = True
            while chunk := handle.read(SNIFF_BYTES):
                if first and chunk.startswith(_UTF8_BOM):
                    chunk = chunk[len(_UTF8_BOM):]
                first = False
                chunk = chunk.lstrip(b" \t\r\n")
                if chunk:
                    return chunk.startswith(b"[")
    except OSError:
        pass  # json_lines reports an unreadable file
    return False


def _label(file: str, line: int, fld: str, value: Any, labels: dict[str, str]) -> tuple[str | None, Problem | None]:
    """A label by name, or by doccano 1.x's label id (named by --label-map, else by the id)."""
    if isinstance(value, int) and not isinstance(value, bool):
        return labels.get(str(value), str(value)), None
    if isinstance(value, str):
        value = labels.get(value, value)
        return value, check_label(file, line, fld, value)
    return None, Problem(file, line, fld, f"label must be a name or a label id, got {describe(value)}")


def _user(value: Any) -> str | None:
    """doccano 1.x's ``user`` (an id) as the annotator's name."""
    if isinstance(value, (int, str)) and not isinstance(value, bool) and str(value).strip():
        return str(value)
    return None


def parse_record(file: str, line: int, data: Any, utf16: bool, labels: dict[str, str] | None = None
                 ) -> DocumentRecord | Problem:
    labels = labels or {}
    if not isinstance(data, dict):
        return Problem(file, line, None, f"line is not a JSON object (got {describe(data)})")
    if "text" not in data and isinstance(data.get("data"), dict):
        return Problem(file, line, "data", "a Label Studio task (text in data.text), not a doccano record: "
                       "import a Label Studio export with --format labelstudio")
    text, problem = check_text(file, line, data)
    if problem:
        return problem
    assert text is not None
    if problem := surrogate_in(file, line, {k: v for k, v in data.items() if k != "text"}):
        return problem
    if problem := foreign_keys(file, line, data, FOREIGN):
        return problem
    offsets = Offsets(text, utf16)
    spans, doc_labels, relations = [], [], []
    doc_label_users: dict[str, list[str]] = {}
    ids: dict[Any, int] = {}
    for key in ("label", "labels", "entities", "annotations"):
        raw = data.get(key)
        if raw is None:
            continue
        if not isinstance(raw, list):
            return Problem(file, line, key, f"must be a list, got {describe(raw)}")
        for i, item in enumerate(raw):
            fld = f"{key}[{i}]"
            if isinstance(item, (str, int)) and not isinstance(item, bool) and key in ("label", "labels"):
                name, problem = _label(file, line, fld, item, labels)
                if problem:
                    return problem
                doc_labels.append(name)
                continue
            if isinstance(item, list) and key != "annotations":
                if len(item) != 3:
                    return Problem(file, line, fld, f"must be [start, end, label], got {len(item)} values")
                name, problem = _label(file, line, f"{fld}[2]", item[2], labels)
                span = problem or read_span(file, line, fld, item[0], item[1], name, text, offsets)
            elif isinstance(item, dict):
                name, problem = _label(file, line, f"{fld}.label", item.get("label"), labels)
                if problem and key == "annotations" and "label" not in item:
                    what = "a sequence-to-sequence answer" if "text" in item else "an annotation"
                    return Problem(file, line, fld, f"{what} without a label: this reader reads spans "
                                   "(label, start_offset, end_offset) and document labels (label)")
                if problem:
                    return problem
                user = _user(item.get("user"))
                if key == "annotations" and "start_offset" not in item and "end_offset" not in item:
                    doc_labels.append(name)  # doccano 1.x text classification: a label without offsets
                    if user is not None and user not in (users := doc_label_users.setdefault(name, [])):
                        users.append(user)
                    continue
                span = read_span(file, line, fld, item.get("start_offset"), item.get("end_offset"), name, text,
                                 offsets, annotator=user)
                if not isinstance(span, Problem) and "id" in item:
                    if not isinstance(item["id"], (int, str)) or isinstance(item["id"], bool):
                        return Problem(file, line, f"{fld}.id",
                                       f"must be a number or string, got {describe(item['id'])}")
                    if item["id"] in ids:
                        return Problem(file, line, f"{fld}.id", f"id {item['id']!r} is used twice")
                    ids[item["id"]] = len(spans)
            else:
                return Problem(file, line, fld, f"must be [start, end, label] or an object, got {describe(item)}")
            if isinstance(span, Problem):
                return span
            spans.append(span)
    cats = data.get("cats")
    if cats is not None:
        if not isinstance(cats, list):
            return Problem(file, line, "cats", f"must be a list of labels, got {describe(cats)}")
        for i, name in enumerate(cats):
            if (problem := check_label(file, line, f"cats[{i}]", name)) is not None:
                return problem
            doc_labels.append(name)
    raw_relations = data.get("relations") or []
    if not isinstance(raw_relations, list):
        return Problem(file, line, "relations", f"must be a list, got {describe(raw_relations)}")
    for i, rel in enumerate(raw_relations):
        fld = f"relations[{i}]"
        if not isinstance(rel, dict):
            return Problem(file, line, fld, f"must be an object, got {describe(rel)}")
        if (problem := check_label(file, line, f"{fld}.type", rel.get("type"))) is not None:
            return problem
        ends = []
        for side in ("from_id", "to_id"):
            value = rel.get(side)
            if not isinstance(value, (int, str)) or isinstance(value, bool) or value not in ids:
                return Problem(file, line, f"{fld}.{side}", f"no entity with id {value!r} in this record")
            ends.append(ids[value])
        relations.append(RelationRecord(ends[0], ends[1], rel["type"], fld, annotator=spans[ends[0]].annotator))
    claims: list = []
    ours = data.get(OURS)
    if isinstance(ours, dict) and "claims" in ours:
        claims, problem = claims_from_extras(file, line, f"{OURS}.claims", ours["claims"], spans, text)
        if problem:
            return problem
    title = data.get("title", "")
    if not isinstance(title, str):
        return Problem(file, line, "title", f"must be a string, got {describe(title)}")
    meta = {k: v for k, v in data.items() if k not in KNOWN}
    if isinstance(ours, dict) and len(ours) > 1:
        meta[OURS] = {k: v for k, v in ours.items() if k != "claims"}
    return DocumentRecord(text=text, line=line, title=title, source=file, meta=meta, spans=spans,
                          relations=relations, claims=claims, doc_labels=doc_labels,
                          doc_label_annotators=doc_label_users, status=_status(data))


def _status(data: dict) -> str:
    """doccano 1.x's one sign that a document is finished: an approver checked its
    annotations (``annotation_approver``, a user name; kept in meta). Per user it says
    nothing: the import gives every user the record's status."""
    approver = data.get("annotation_approver")
    return "done" if isinstance(approver, (str, int)) and not isinstance(approver, bool) and str(approver).strip() \
        else "todo"


_DOCCANO_KEYS = re.compile(r'"(?:label|labels|entities|annotations)"\s*:\s*\[')
# Keys of records that are not doccano's: Label Studio's tasks, Prodigy's spans.
_OTHERS = ("data", "predictions", "completions", "spans")


def sniff(head: str) -> bool:
    """doccano's keys on the first record, of JSON Lines or of doccano's JSON list: ``label``,
    ``labels``, ``entities`` or ``cats`` holding a list (Prodigy's ``label`` is a string), or
    doccano 1.x's ``annotations`` (objects without Label Studio's ``result``); and none of
    Label Studio's task keys or Prodigy's ``spans``. A Label Studio flat task is ``{"text",
    ...}`` with data keys only: a ``label`` string there stays Label Studio's."""
    head = head.lstrip()  # blank lines before the first record are skipped by the reader too
    record = first_element(head)
    if record is not None:
        return _doccano_record(record)
    if head.startswith("["):
        return False  # a first record longer than the head: Label Studio's reader names doccano's keys
    first = head.split("\n", 1)[0]  # a JSON line longer than the head: its keys, as far as they show
    return not any(f'"{key}"' in first for key in _OTHERS) and '"result"' not in first and bool(
        _DOCCANO_KEYS.search(first))


def _doccano_record(record: Any) -> bool:
    """Keys with doccano's shapes: a Label Studio JSON-MIN record also has a ``label`` list
    (its control's regions, objects with ``start``), which is not one."""
    if not isinstance(record, dict) or "text" not in record or any(key in record for key in _OTHERS):
        return False
    annotations = record.get("annotations")
    if isinstance(annotations, list) and any(isinstance(a, dict) and "result" in a for a in annotations):
        return False  # Label Studio's flat task with its annotations
    for key, shapes in (("label", (str, list)), ("labels", (str, list)), ("cats", (str,)), ("entities", (list,))):
        value = record.get(key)
        if isinstance(value, list) and all(isinstance(item, shapes) for item in value):
            return True
    entities = record.get("entities")
    if isinstance(entities, list) and all(isinstance(e, dict) and "start_offset" in e for e in entities):
        return True
    return isinstance(annotations, list) and all(isinstance(a, dict) and "result" not in a for a in annotations)


VARIANTS = ("", "relations", "annotations")


def encode(doc: ExportDocument, options: WriteOptions) -> Encoded:
    units = offset_map(doc, options.offsets == "utf16")
    at = (lambda offset: units[offset]) if units is not None else (lambda offset: offset)
    record: dict[str, Any] = {"text": doc.text}
    notes: list[str] = []
    if options.variant == "relations":
        record["entities"] = [{"id": span.id, "label": span.label, "start_offset": at(span.start),
                               "end_offset": at(span.end), **({"user": span.annotator} if span.annotator else {})}
                              for span in doc.spans]
        record["relations"] = [{"id": i + 1, "from_id": head, "to_id": child, "type": label}
                               for i, (head, child, label) in enumerate(doc.links())]
    elif options.variant == "annotations":  # doccano 1.x: each annotator's spans as that user's
        record["annotations"] = [{"label": span.label, "start_offset": at(span.start), "end_offset": at(span.end),
                                  **({"user": span.annotator} if span.annotator else {})} for span in doc.spans]
    else:
        # A span list has no annotators: the same span of two annotators is written once.
        spans = list(dict.fromkeys((at(span.start), at(span.end), span.label) for span in doc.spans))
        if len(spans) < len(doc.spans):
            notes.append(f"{where(doc)}: {len(doc.spans) - len(spans)} span(s) several annotators made are written "
                         "once; --variant annotations keeps each annotator's")
        record["label"] = [list(span) for span in spans]
    if doc.doc_labels:
        record["cats"] = list(doc.doc_labels)
    if doc.document.title:
        record["title"] = doc.document.title
    for key, value in plain_meta(doc).items():
        record.setdefault(key, value)
    if doc.claims:
        record[OURS] = {"claims": [claim_extras(doc, claim) for claim in doc.claims]}
    return Encoded([("", dumps(record) + "\n")], notes)


register(Reader("doccano", "doccano JSONL or JSON list (label lists, or entities + relations)",
                (".jsonl", ".json"),
                read_doccano, sniff=sniff))
register_writer(Writer("doccano", "doccano JSONL (label lists; variants 'relations': entities + relations, "
                       "'annotations': doccano 1.x, each annotator's spans)", encode,
                       suffix=".jsonl"))
