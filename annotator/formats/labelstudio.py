"""Label Studio JSON, both directions. Reading (tasks, flat tasks, JSON-MIN) is
formats.labelstudio_read.

Write: one task per document; one annotation per annotator of its spans (``completed_by``:
the annotator's name, a number when it is one; cancelled for a skipped document), regions
with ids ``s<span id>``, relations for claimant and cue links and other relations,
per-region ``choices``/``textarea`` for claim attributes, free-text claimants, span
attributes and notes; document labels as ``choices`` under the control they came from
(``doc_labels`` otherwise); a model's suggestions as ``predictions`` with its name as
``model_version``.
"""

from __future__ import annotations

from bisect import bisect_right
from pathlib import Path
from typing import Any

from ..core.export import ExportDocument
from ..core.model import Span
from ..core.textutil import path_text
from .decoding import read_text
from .json_list import elements
from .labelstudio_read import (
    CLAIMANT_CONTROL, CONTROLS_META, DOC_LABELS_CONTROL, NOTE_CONTROL, SPAN_CONTROL, TEXT_KEY_META, is_min_record,
    min_key, parse_min, parse_task,
)
from .registry import Encoded, Reader, ReadOptions, RecordStream, Writer, WriteOptions, register, register_writer
from .span_input import line_starts
from .writing import dumps, offset_map, plain_meta

def read_labelstudio(path: Path, options: ReadOptions) -> RecordStream:
    file = path_text(path)
    text = read_text(path)  # whole-file faults (encoding, binary) raise InputError
    starts = line_starts(text)
    utf16, key = options.offsets == "utf16", options.text_column
    group: list[tuple[int, dict]] = []  # JSON-MIN records of one task, one per annotation
    for position, task in elements(file, text, starts, "tasks", "a Label Studio export is a JSON list of tasks"):
        line = bisect_right(starts, position)
        if isinstance(task, dict) and is_min_record(task):
            if group and min_key(group[0][1], key) != min_key(task, key):
                yield from parse_min(file, group, utf16, key)
                group = []
            group.append((line, task))
            continue
        if group:
            yield from parse_min(file, group, utf16, key)
            group = []
        yield from parse_task(file, line, task, utf16, key)
    if group:
        yield from parse_min(file, group, utf16, key)


def sniff(head: str) -> bool:
    return '"annotations"' in head or '"data"' in head


def _region(span: Span, at: Any) -> dict[str, Any]:
    return {"start": at(span.start), "end": at(span.end), "text": span.text}


def _task(doc: ExportDocument, options: WriteOptions) -> dict[str, Any]:
    units = offset_map(doc, options.offsets == "utf16", [e for s in doc.suggestions for e in (s.start, s.end)])
    at = (lambda offset: units[offset]) if units is not None else (lambda offset: offset)
    meta = plain_meta(doc)
    controls = meta.pop(CONTROLS_META, {})
    controls = controls if isinstance(controls, dict) else {}

    def control(label: str, default: str) -> tuple[str, str]:
        given = controls.get(label)
        if isinstance(given, list) and len(given) == 2 and all(isinstance(g, str) for g in given):
            return given[0], given[1]
        return default, "text"

    layers: dict[str | None, list[dict[str, Any]]] = {}
    owner = {span.id: span.annotator for span in doc.spans}
    for span in doc.spans:
        from_name, to_name = control(span.label, SPAN_CONTROL)
        layers.setdefault(span.annotator, []).append(
            {"id": f"s{span.id}", "from_name": from_name, "to_name": to_name, "type": "labels",
             "value": {**_region(span, at), "labels": [span.label]}})
    for head, child, label in doc.links():
        layers.setdefault(owner.get(head), []).append({"from_id": f"s{head}", "to_id": f"s{child}", "type": "relation",
                                                        "direction": "right", "labels": [label]})
    by_id = {span.id: span for span in doc.spans}
    for (kind, target), values in doc.values.items():
        if kind == "span" and target in by_id:
            for name, value in sorted(values.items()):
                layers[owner[target]].append(_per_region(by_id[target], at, name, "choices", value))
    for (kind, target), note in doc.notes.items():
        if kind == "span" and target in by_id:
            layers[owner[target]].append(_per_region(by_id[target], at, NOTE_CONTROL, "textarea", note))
    attributes = {a.name: a for a in options.scheme.attributes}
    exported = set(by_id)
    for claim in doc.claims:
        results = layers.setdefault(claim.content.annotator, [])
        for name, value in sorted(claim.values.items()):
            kind = "textarea" if attributes.get(name) is not None and attributes[name].kind == "text" else "choices"
            results.append(_per_region(claim.content, at, name, kind, value))
        # A claimant span the export left out (another annotator's) is kept by its text.
        name = claim.claimant_text if claim.claimant is None else (
            None if claim.claimant.id in exported else claim.claimant.text)
        if name:
            results.append(_per_region(claim.content, at, CLAIMANT_CONTROL, "textarea", name))
    if doc.doc_labels:
        by_control: dict[tuple[str, str], list[str]] = {}
        for label in doc.doc_labels:
            by_control.setdefault(control(label, DOC_LABELS_CONTROL), []).append(label)
        first = next(iter(layers), None)
        for (from_name, to_name), names in by_control.items():
            layers.setdefault(first, []).append({"id": f"d{doc.id}-{from_name}", "from_name": from_name,
                                                 "to_name": to_name, "type": "choices", "value": {"choices": names}})
    task_meta = meta.pop("labelstudio_meta", None)
    task_id = meta.pop("labelstudio_id", None)  # the id a task had in Label Studio, if it came from there
    key = meta.pop(TEXT_KEY_META, "text")
    key = key if isinstance(key, str) and key and key not in meta else "text"
    data = {key: doc.text, **({"title": doc.document.title} if doc.document.title else {}), **meta}
    # done: an annotation; skipped: a cancelled one (Label Studio's skip); todo: an annotation
    # only when there is something in it (it comes back as done: Label Studio has no "to do").
    status = doc.document.status
    if not layers and status != "todo":
        layers[None] = []
    annotations = [{"result": result, "was_cancelled": status == "skipped", "ground_truth": False,
                    **({"completed_by": int(who) if who.isdigit() else who} if who else {})}
                   for who, result in layers.items()]
    task: dict[str, Any] = {**({"id": task_id} if task_id is not None else {}), "data": data,
                            "annotations": annotations}
    if doc.suggestions:
        task["predictions"] = _predictions(doc, at, control)
    if isinstance(task_meta, dict):
        task["meta"] = task_meta
    return task


def _per_region(span: Span, at: Any, name: str, kind: str, value: str) -> dict[str, Any]:
    key = "text" if kind == "textarea" else "choices"
    return {"id": f"s{span.id}", "from_name": name, "to_name": "text", "type": kind,
            "value": {**_region(span, at), key: [value]}}


def _predictions(doc: ExportDocument, at: Any, control: Any) -> list[dict[str, Any]]:
    """A model's suggestions, one prediction per model (origin ``model:<name>``)."""
    by_model: dict[str, list[dict[str, Any]]] = {}
    for span in doc.suggestions:
        model = span.origin.split(":", 1)[1] if ":" in span.origin else span.origin
        from_name, to_name = control(span.label, SPAN_CONTROL)
        by_model.setdefault(model, []).append({
            "id": f"p{span.id}", "from_name": from_name, "to_name": to_name, "type": "labels",
            "value": {**_region(span, at), "labels": [span.label]}})
    return [{"model_version": model, "result": result} for model, result in by_model.items()]


def encode(doc: ExportDocument, options: WriteOptions) -> Encoded:
    notes = []
    if doc.document.status == "skipped" and doc.spans:
        notes.append(f"document {doc.id}: skipped, so its annotations are written as cancelled (not gold on import)")
    return Encoded([("", dumps(_task(doc, options)))], notes)


def _start(options: WriteOptions) -> list[tuple[str, str]]:
    return [("", "[\n")]


def _end(options: WriteOptions) -> list[tuple[str, str]]:
    return [("", "\n]\n")]


register(Reader("labelstudio", "Label Studio JSON export (data.text, annotations[].result)", (".json",),
                read_labelstudio, sniff=sniff), "label-studio")
register_writer(Writer("labelstudio", "Label Studio JSON tasks (an annotation per annotator, predictions)", encode,
                       suffix=".json", start=_start, end=_end, separator=",\n", suggestions=True), "label-studio")
