"""Label Studio JSON task export, both directions.

Read: a JSON list of tasks. ``data.text`` is the text (``data.title`` the title, other
``data`` keys and the task's ``meta`` go to meta). Of a task's ``annotations`` one is gold:
the one marked ``ground_truth``, else the first not ``was_cancelled``; the others are
reported, not merged (two annotators' identical spans would be duplicates here; import each
annotator's export separately with ``--annotator``). ``predictions`` are never gold.
In the result list: ``labels`` regions (``value.start/end/text/labels``) are spans; a
``relation`` (``from_id``, ``to_id``, ``labels``) links two regions; ``choices`` without a
region are document labels; ``choices``/``textarea`` results that share a region's id
(per-region controls) are claim attributes, ``from_name`` naming the attribute
(``claimant``: a free-text claimant). Offsets are checked against ``value.text``; Label
Studio counts UTF-16 units, so ``--offsets utf16`` converts them.

Write: one task per document, one annotation (cancelled for a skipped document), regions
with ids ``s<span id>``, relations for claimant and cue links and
other relations, per-region ``choices``/``textarea`` for claim attributes and free-text
claimants, ``choices`` from ``doc_labels`` for document labels.
"""

from __future__ import annotations

import json
from bisect import bisect_right
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from ..core.export import ExportDocument
from ..core.problems import InputError, Problem
from ..core.records import ClaimRecord, DocumentRecord, RelationRecord
from ..core.textutil import path_text
from .decoding import read_text
from .fields import check_label, describe, surrogate_in
from .registry import Encoded, Reader, ReadOptions, RecordStream, Writer, WriteOptions, register, register_writer
from .span_input import DECODER, Offsets, line_starts, read_span
from .writing import dumps, offset_map, plain_meta

DOC_LABELS_CONTROL = "doc_labels"
SPAN_CONTROL = "label"
CLAIMANT_CONTROL = "claimant"


def read_labelstudio(path: Path, options: ReadOptions) -> RecordStream:
    file = path_text(path)
    text = read_text(path)  # whole-file faults (encoding, binary) raise InputError
    starts = line_starts(text)
    for position, task in _elements(file, text, starts):
        line = bisect_right(starts, position)
        yield from parse_task(file, line, task, options.offsets == "utf16")


def _elements(file: str, text: str, starts: list[int]) -> Iterator[tuple[int, Any]]:
    """Each element of the top-level JSON list with where it starts, one at a time."""
    index = _skip(text, 0)
    if index >= len(text) or text[index] not in "[{":
        raise InputError([Problem(file, 1, None, "a Label Studio export is a JSON list of tasks")])
    if text[index] == "{":  # a single task, as the API returns it
        yield index, _decode(file, text, index, starts)[0]
        return
    index = _skip(text, index + 1)
    if index < len(text) and text[index] == "]":
        return
    while True:
        value, end = _decode(file, text, index, starts)
        yield index, value
        index = _skip(text, end)
        if index < len(text) and text[index] == ",":
            index = _skip(text, index + 1)
            continue
        if index < len(text) and text[index] == "]":
            return
        line = bisect_right(starts, index)
        raise InputError([Problem(file, line, None, "invalid JSON: expected ',' or ']' between tasks")])


def _decode(file: str, text: str, index: int, starts: list[int]) -> tuple[Any, int]:
    try:
        return DECODER.raw_decode(text, index)
    except json.JSONDecodeError as exc:
        raise InputError([Problem(file, exc.lineno, None, f"invalid JSON: {exc.msg} (column {exc.colno})")]) from exc
    except (ValueError, RecursionError) as exc:
        line = bisect_right(starts, index)
        raise InputError([Problem(file, line, None, f"invalid JSON: {exc}")]) from exc


def _skip(text: str, index: int) -> int:
    while index < len(text) and text[index] in " \t\r\n":
        index += 1
    return index


def parse_task(file: str, line: int, task: Any, utf16: bool) -> Iterator[DocumentRecord | Problem]:
    if not isinstance(task, dict):
        yield Problem(file, line, None, f"a task must be an object, got {describe(task)}")
        return
    if problem := surrogate_in(file, line, task):
        yield problem
        return
    data = task.get("data")
    if not isinstance(data, dict) or not isinstance(data.get("text"), str):
        yield Problem(file, line, "data.text", "a task needs data.text (a string)")
        return
    text = data["text"]
    if "\x00" in text:
        yield Problem(file, line, "data.text", "contains a NUL character (U+0000): binary data, not an article")
        return
    annotations = task.get("annotations") or []
    if not isinstance(annotations, list):
        yield Problem(file, line, "annotations", f"must be a list, got {describe(annotations)}")
        return
    usable = [(i, a) for i, a in enumerate(annotations) if isinstance(a, dict) and not a.get("was_cancelled")]
    usable.sort(key=lambda pair: not pair[1].get("ground_truth"))
    chosen = usable[0] if usable else None
    if len(usable) > 1:
        others = ", ".join(f"annotations[{i}]" for i, _ in usable[1:])
        yield Problem(file, line, "annotations", f"{len(usable)} annotations on this task; annotations[{chosen[0]}] "
                      f"is imported, {others} not (import one annotator's export at a time)", "notice")
    record = DocumentRecord(text=text, line=line, title=data.get("title", "") if isinstance(data.get("title"), str)
                            else "", source=file, meta=_meta(task, data))
    if chosen is not None:
        index, annotation = chosen
        problem = _read_result(file, line, f"annotations[{index}].result", annotation.get("result"), record, utf16,
                               _annotator(annotation.get("completed_by")))
        if problem:
            yield problem
            return
        record.status = "done"
    elif annotations:  # every annotation was cancelled: Label Studio's "skip"
        record.status = "skipped"
    yield record


def _meta(task: dict, data: dict) -> dict:
    meta = {k: v for k, v in data.items() if k not in ("text", "title")}
    if isinstance(task.get("meta"), dict) and task["meta"]:
        meta["labelstudio_meta"] = task["meta"]
    if "id" in task:
        meta["labelstudio_id"] = task["id"]
    return meta


def _annotator(value: Any) -> str | None:
    if isinstance(value, dict):
        value = value.get("email") or value.get("username") or value.get("id")
    if isinstance(value, (int, str)) and not isinstance(value, bool) and str(value).strip():
        return str(value)
    return None


def _read_result(file: str, line: int, fld: str, result: Any, record: DocumentRecord, utf16: bool,
                 annotator: str | None) -> Problem | None:
    if result is None:
        return None
    if not isinstance(result, list):
        return Problem(file, line, fld, f"must be a list, got {describe(result)}")
    text = record.text
    offsets = Offsets(text, utf16)
    regions: dict[str, int] = {}
    per_region: list[tuple[str, dict, str]] = []
    relations: list[tuple[str, dict]] = []
    for i, item in enumerate(result):
        where = f"{fld}[{i}]"
        if not isinstance(item, dict):
            return Problem(file, line, where, f"must be an object, got {describe(item)}")
        kind = item.get("type")
        value = item.get("value") if isinstance(item.get("value"), dict) else {}
        if kind == "relation":
            relations.append((where, item))
        elif kind in ("labels", "hypertextlabels") or (kind and kind.endswith("labels") and "start" in value):
            if "startOffset" in value and "start" not in value:
                return Problem(file, line, where, "HyperText regions (xpath offsets) are not supported; use a Text tag")
            labels = value.get("labels")
            if not isinstance(labels, list) or not labels:
                return Problem(file, line, f"{where}.value.labels", "a region needs at least one label")
            for label in labels:
                span = read_span(file, line, f"{where}.value", value.get("start"), value.get("end"), label, text,
                                 offsets, given=value.get("text"), annotator=annotator)
                if isinstance(span, Problem):
                    return span
                if item.get("id") is not None and str(item["id"]) not in regions:
                    regions[str(item["id"])] = len(record.spans)
                record.spans.append(span)
        elif kind in ("choices", "textarea"):
            if item.get("id") is not None and ("start" in value or str(item.get("id")) in regions):
                per_region.append((where, item, kind))
            elif kind == "choices":
                for j, name in enumerate(value.get("choices") or []):
                    if (problem := check_label(file, line, f"{where}.value.choices[{j}]", name)) is not None:
                        return problem
                    record.doc_labels.append(name)
        # other result types (ratings, taxonomies) have no place here and are left out: noted in meta
    for where, item in relations:
        ends = []
        for side in ("from_id", "to_id"):
            if str(item.get(side)) not in regions:
                return Problem(file, line, f"{where}.{side}",
                               f"no labels region with id {item.get(side)!r} in this result")
            ends.append(regions[str(item[side])])
        labels = item.get("labels") or ["RELATED"]
        if not isinstance(labels, list):
            return Problem(file, line, f"{where}.labels", "must be a list of labels")
        for label in labels:
            if (problem := check_label(file, line, f"{where}.labels", label)) is not None:
                return problem
            head, child = ends if item.get("direction", "right") != "left" else ends[::-1]
            record.relations.append(RelationRecord(head, child, label, where))
    return _claims_from_regions(file, line, per_region, regions, record)


def _claims_from_regions(file: str, line: int, per_region: list, regions: dict[str, int],
                         record: DocumentRecord) -> Problem | None:
    claims: dict[int, ClaimRecord] = {}
    for where, item, kind in per_region:
        index = regions.get(str(item["id"]))
        if index is None:
            return Problem(file, line, where,
                           f"per-region {kind} for region {item['id']!r}, which is not in this result")
        value = item["value"]
        values = value.get("choices") if kind == "choices" else value.get("text")
        if isinstance(values, str):
            values = [values]
        if not isinstance(values, list) or len(values) != 1 or not isinstance(values[0], str):
            return Problem(file, line, f"{where}.value", "a claim attribute holds exactly one value")
        name = item.get("from_name")
        if not isinstance(name, str) or not name:
            return Problem(file, line, f"{where}.from_name", "names the attribute and must be text")
        claim = claims.setdefault(index, ClaimRecord(index, field=where))
        if name == CLAIMANT_CONTROL:
            claim.claimant_text = values[0]
        else:
            claim.values[name] = values[0]
    record.claims.extend(claims[i] for i in sorted(claims))
    return None


def sniff(head: str) -> bool:
    return '"annotations"' in head or '"data"' in head


def _task(doc: ExportDocument, options: WriteOptions) -> dict[str, Any]:
    units = offset_map(doc, options.offsets == "utf16")
    at = (lambda offset: units[offset]) if units is not None else (lambda offset: offset)
    result: list[dict[str, Any]] = []
    for span in doc.spans:
        result.append({"id": f"s{span.id}", "from_name": SPAN_CONTROL, "to_name": "text", "type": "labels",
                       "value": {"start": at(span.start), "end": at(span.end), "text": span.text,
                                 "labels": [span.label]}})
    for head, child, label in doc.links():
        result.append({"from_id": f"s{head}", "to_id": f"s{child}", "type": "relation", "direction": "right",
                       "labels": [label]})
    attributes = {a.name: a for a in options.scheme.attributes}
    exported = {span.id for span in doc.spans}
    for claim in doc.claims:
        region = {"start": at(claim.content.start), "end": at(claim.content.end), "text": claim.content.text}
        for name, value in sorted(claim.values.items()):
            kind = "textarea" if attributes.get(name) is not None and attributes[name].kind == "text" else "choices"
            key = "text" if kind == "textarea" else "choices"
            result.append({"id": f"s{claim.content.id}", "from_name": name, "to_name": "text", "type": kind,
                           "value": {**region, key: [value]}})
        # A claimant span the export left out (another annotator's) is kept by its text.
        name = claim.claimant_text if claim.claimant is None else (
            None if claim.claimant.id in exported else claim.claimant.text)
        if name:
            result.append({"id": f"s{claim.content.id}", "from_name": CLAIMANT_CONTROL, "to_name": "text",
                           "type": "textarea", "value": {**region, "text": [name]}})
    if doc.doc_labels:
        result.append({"id": f"d{doc.id}", "from_name": DOC_LABELS_CONTROL, "to_name": "text", "type": "choices",
                       "value": {"choices": list(doc.doc_labels)}})
    meta = plain_meta(doc)
    task_meta = meta.pop("labelstudio_meta", None)
    task_id = meta.pop("labelstudio_id", None)  # the id a task had in Label Studio, if it came from there
    data = {"text": doc.text, **({"title": doc.document.title} if doc.document.title else {}), **meta}
    # done: an annotation; skipped: a cancelled one (Label Studio's skip); todo: an annotation
    # only when there is something in it (it comes back as done: Label Studio has no "to do").
    status = doc.document.status
    annotation: dict[str, Any] = {"result": result, "was_cancelled": status == "skipped", "ground_truth": False}
    task: dict[str, Any] = {**({"id": task_id} if task_id is not None else {}), "data": data,
                            "annotations": [annotation] if result or status != "todo" else []}
    if isinstance(task_meta, dict):
        task["meta"] = task_meta
    return task


def encode(doc: ExportDocument, options: WriteOptions) -> Encoded:
    notes = []
    if doc.document.status == "skipped" and doc.spans:
        notes.append(f"document {doc.id}: skipped, so its annotation is written as cancelled (not gold on import)")
    return Encoded([("", dumps(_task(doc, options)))], notes)


def _start(options: WriteOptions) -> list[tuple[str, str]]:
    return [("", "[\n")]


def _end(options: WriteOptions) -> list[tuple[str, str]]:
    return [("", "\n]\n")]


register(Reader("labelstudio", "Label Studio JSON export (data.text, annotations[].result)", (".json",),
                read_labelstudio, sniff=sniff), "label-studio")
register_writer(Writer("labelstudio", "Label Studio JSON tasks (regions, relations, per-region attributes)", encode,
                       suffix=".json", start=_start, end=_end, separator=",\n"), "label-studio")
