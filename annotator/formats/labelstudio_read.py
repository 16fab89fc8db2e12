"""Reading Label Studio: JSON task exports (with ``data`` or flat) and the JSON-MIN export.

A task is ``{"data": {"text", ...}, "annotations": [...], "predictions": [...]}``, or flat
(``{"text", ...}``: the whole object is the data, as Label Studio's own import takes it).
- Every annotation that is not cancelled is imported as its annotator's layer
  (``completed_by``: an id, an email, or an object with either), so agreement can be
  measured on them, and the task is done for that annotator; a cancelled one makes it
  skipped for its annotator; a task whose annotations are all cancelled is skipped.
- ``predictions`` are suggestions (not gold) with origin ``model:<model_version>``.
- Results: ``labels`` regions (``value.start/end/text/labels``; the text is checked) are
  spans; ``relation`` results link regions; ``choices`` without a region are document
  labels; ``choices``/``textarea`` sharing a region's id are that region's attributes,
  named by ``from_name`` (on a claim: claim attributes, ``claimant`` a free-text claimant;
  ``note`` the span's note). Other result types are reported, never dropped silently.
- The controls a label came from (``from_name``/``to_name``) are kept in the document's meta
  (``labelstudio_controls``) when they are not annotator's own, so an export writes them back.

JSON-MIN (``[{<data keys>, "id", "<from_name>": [regions] | {"choices": [...]}, "annotator",
"annotation_id", ...}]``) has one record per annotation: consecutive records of one task
(same ``id`` and text) are one document with each annotator's layer. JSON-MIN drops region
ids and relations; a single choice there is a bare string, indistinguishable from a data
field, and is kept in meta.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ..core.problems import Problem
from ..core.records import DocumentRecord, Extras, RelationRecord, is_int
from .fields import check_label, describe, foreign_keys, surrogate_in
from .span_input import Offsets, read_span

CLAIMANT_CONTROL = "claimant"
NOTE_CONTROL = "note"
SPAN_CONTROL = "label"
DOC_LABELS_CONTROL = "doc_labels"
CONTROLS_META = "labelstudio_controls"  # meta: label -> [from_name, to_name] of the file's own controls
TEXT_KEY_META = "labelstudio_text_key"  # meta: the data key that held the text, when not "text"
TASK_KEYS = {"id", "data", "annotations", "predictions", "meta", "drafts", "file_upload", "created_at",
             "updated_at", "inner_id", "total_annotations", "cancelled_annotations", "total_predictions",
             "comment_count", "unresolved_comment_count", "last_comment_updated_at", "project", "updated_by",
             "comment_authors", "agreement", "annotators", "completions"}
MIN_KEYS = {"id", "annotator", "annotation_id", "created_at", "updated_at", "lead_time", "agreement"}
# Region types whose start/end are not character offsets (times, paragraph indices): read as
# text spans they would land on arbitrary characters, so they get the "no place" notice.
NOT_TEXT = {"timeserieslabels", "paragraphlabels"}
# Keys of a flat task holding other tools' annotations: refused by name, never kept as data.
FOREIGN = {"spans": "Prodigy's spans: import with --format prodigy",
           "entities": "doccano's entities: import with --format doccano",
           "relations": "relations outside an annotation's result"}


@dataclass
class _Layer:
    """One annotation (or prediction) being read into the record."""

    where: str  # e.g. "annotations[1].result"
    annotator: str | None
    state: str = "accepted"
    origin: str | None = None
    regions: dict[str, int] = field(default_factory=dict)  # region id -> span index


def annotator_name(value: Any) -> str | None:
    if isinstance(value, dict):
        value = value.get("email") or value.get("username") or value.get("id")
    if isinstance(value, (int, str)) and not isinstance(value, bool) and str(value).strip():
        return str(value)
    return None


def is_min_record(task: dict) -> bool:
    """A JSON-MIN record: no ``data``, and annotation keys or region lists at the top level."""
    if "data" in task:
        return False
    return bool(MIN_KEYS.intersection(task) - {"id"}) or any(_regions_like(v) for v in task.values())


def _regions_like(value: Any) -> bool:
    """A JSON-MIN control's regions: ``[{"start", "end", "text", "labels": [...]}, ...]`` (a
    list of Prodigy spans, with ``label``, is not one)."""
    return isinstance(value, list) and bool(value) and all(
        isinstance(v, dict) and "start" in v and any(k.endswith("labels") for k in v) for v in value)


# ------------------------------------------------------------------------ tasks
def parse_task(file: str, line: int, task: Any, utf16: bool, text_key: str = "text") -> list[DocumentRecord | Problem]:
    if not isinstance(task, dict):
        return [Problem(file, line, None, f"a task must be an object, got {describe(task)}")]
    if problem := surrogate_in(file, line, task):
        return [problem]
    flat = "data" not in task
    if flat and (problem := foreign_keys(file, line, task, FOREIGN)):
        return [problem]
    data = {k: v for k, v in task.items() if k not in TASK_KEYS} if flat else task.get("data")
    fld = text_key if flat else f"data.{text_key}"
    if not isinstance(data, dict) or not isinstance(data.get(text_key), str):
        keys = ", ".join(k for k, v in data.items() if isinstance(v, str)) if isinstance(data, dict) else ""
        return [Problem(file, line, fld, f"a task needs its text in data.{text_key} (or {text_key}, for a flat "
                        "task); --text-column names another key" + (f" (its text keys: {keys})" if keys else ""))]
    if text_key != "text":  # written back under its own key (the labelling config's $reviewText)
        data = {"text": data[text_key], TEXT_KEY_META: text_key, **{k: v for k, v in data.items() if k != text_key}}
    record, problem = _new_record(file, line, fld, data, task)
    if problem:
        return [problem]
    problems: list[Problem] = [notice] if flat and (notice := _doccano_labels(file, line, task)) else []
    for key, state in (("annotations", "accepted"), ("completions", "accepted"), ("predictions", "suggested")):
        items = task.get(key)
        if items is None:
            continue
        if not isinstance(items, list):
            return [Problem(file, line, key, f"must be a list, got {describe(items)}")]
        usable = 0
        for i, item in enumerate(items):
            where = f"{key}[{i}]"
            if not isinstance(item, dict):
                return [Problem(file, line, where, f"must be an object, got {describe(item)}")]
            if item.get("was_cancelled") or item.get("skipped"):
                # Its annotator looked at the task and skipped it (unless they also finished it).
                if state == "accepted" and (who := annotator_name(item.get("completed_by"))) is not None:
                    record.annotator_statuses.setdefault(who, "skipped")
                continue
            usable += 1
            layer = _layer(where, item, state, items, i)
            if layer.annotator is not None and state == "accepted":
                record.annotator_statuses[layer.annotator] = "done"  # an annotation submitted: finished
            problem = read_result(file, line, f"{where}.result", item.get("result"), record, utf16, layer, problems)
            if problem:
                return [problem]
        if state == "accepted" and items:
            record.status = "done" if usable or record.status == "done" else "skipped"
    return [*problems, record]


def _doccano_labels(file: str, line: int, task: dict) -> Problem | None:
    """A flat task holding doccano's ``label`` list and no annotations: a doccano JSON export
    read as Label Studio (its first record too long to guess by, or ``--format labelstudio``).
    The list stays data (a Label Studio task may have a ``label`` key), but never silently."""
    label = task.get("label")
    if any(key in task for key in ("annotations", "predictions", "completions")) or not isinstance(label, list) \
            or not label or not all(isinstance(item, (str, list)) for item in label):
        return None
    return Problem(file, line, "label", "kept as data in meta, not as labels: this is how doccano's JSON export "
                   "writes labels; import a doccano file with --format doccano", "notice")


def _layer(where: str, item: dict, state: str, items: list, index: int) -> _Layer:
    if state == "suggested":
        version = item.get("model_version")
        name = version.strip() if isinstance(version, str) and version.strip() else "labelstudio"
        return _Layer(where, None, "suggested", f"model:{name}")
    who = annotator_name(item.get("completed_by"))
    others = [annotator_name(other.get("completed_by")) for j, other in enumerate(items)
              if j != index and isinstance(other, dict) and not other.get("was_cancelled")]
    if who is None and others:
        who = f"annotation {item.get('id', index + 1)}"  # two unnamed layers must not merge
    elif who is not None and who in others[:index]:
        who = f"{who} (annotation {item.get('id', index + 1)})"  # a second annotation by the same person
    return _Layer(where, who)


def _new_record(file: str, line: int, fld: str, data: dict, task: dict) -> tuple[DocumentRecord, Problem | None]:
    text = data["text"]
    record = DocumentRecord(text=text, line=line, source=file)
    if "\x00" in text:
        return record, Problem(file, line, fld, "contains a NUL character (U+0000): binary data, not an article")
    title = data.get("title", "")
    record.title = title if isinstance(title, str) else ""
    record.meta = {k: v for k, v in data.items() if k not in ("text", "title")}
    if isinstance(task.get("meta"), dict) and task["meta"]:
        record.meta["labelstudio_meta"] = task["meta"]
    if "id" in task:
        record.meta["labelstudio_id"] = task["id"]
    return record, None


def read_result(file: str, line: int, fld: str, result: Any, record: DocumentRecord, utf16: bool, layer: _Layer,
                notices: list[Problem]) -> Problem | None:
    if result is None:
        return None
    if not isinstance(result, list):
        return Problem(file, line, fld, f"must be a list, got {describe(result)}")
    offsets = Offsets(record.text, utf16)
    per_region: list[tuple[str, dict, str]] = []
    relations: list[tuple[str, dict]] = []
    for i, item in enumerate(result):
        where = f"{fld}[{i}]"
        if not isinstance(item, dict):
            return Problem(file, line, where, f"must be an object, got {describe(item)}")
        kind = item.get("type")
        if not isinstance(kind, str):
            return Problem(file, line, f"{where}.type", f"must be a string, got {describe(kind)}")
        value = item.get("value", {})
        if kind != "relation" and not isinstance(value, dict):
            return Problem(file, line, f"{where}.value", f"must be an object, got {describe(value)}")
        for key in ("from_name", "to_name"):
            if key in item and not isinstance(item[key], str):
                return Problem(file, line, f"{where}.{key}", f"must be a string, got {describe(item[key])}")
        if "id" in item and (isinstance(item["id"], bool) or not isinstance(item["id"], (str, int))):
            return Problem(file, line, f"{where}.id", f"must be a string, got {describe(item['id'])}")
        if kind == "relation":
            relations.append((where, item))
        elif kind.endswith("labels") and kind not in NOT_TEXT and ("start" in value or "startOffset" in value):
            problem = _region(file, line, where, item, value, record, offsets, layer)
            if problem:
                return problem
        elif kind in ("choices", "textarea"):
            if item.get("id") is not None and ("start" in value or str(item["id"]) in layer.regions):
                per_region.append((where, item, kind))
            elif kind == "choices":
                problem = _doc_labels(file, line, where, item, value, record, layer, notices)
                if problem:
                    return problem
            else:
                notices.append(Problem(file, line, where, f"a text answer for the whole task (from_name "
                                       f"{item.get('from_name')!r}) is not imported", "notice"))
        else:
            notices.append(Problem(file, line, where, f"result type {kind!r} (from_name {item.get('from_name')!r}) "
                                   "has no place in annotator and is not imported", "notice"))
    for where, item in relations:
        problem = _relation(file, line, where, item, record, layer)
        if problem:
            return problem
    return _region_values(file, line, per_region, record, layer)


def _region(file: str, line: int, where: str, item: dict, value: dict, record: DocumentRecord, offsets: Offsets,
            layer: _Layer) -> Problem | None:
    # Label Studio's HyperText regions carry both: an xpath as start and startOffset.
    if "startOffset" in value and not is_int(value.get("start")):
        return Problem(file, line, where, "HyperText regions (xpath offsets) are not supported; use a Text tag")
    labels = value.get(item["type"]) if isinstance(value.get(item["type"]), list) else value.get("labels")
    if not isinstance(labels, list) or not labels:
        return Problem(file, line, f"{where}.value.labels", "a region needs a list of at least one label")
    for label in labels:
        span = read_span(file, line, f"{where}.value", value.get("start"), value.get("end"), label, record.text,
                         offsets, given=value.get("text"), annotator=layer.annotator, state=layer.state)
        if isinstance(span, Problem):
            return span
        span.placed(origin=layer.origin)
        if item.get("id") is not None and str(item["id"]) not in layer.regions:
            layer.regions[str(item["id"])] = len(record.spans)
        record.spans.append(span)
        _remember_control(record, label, item, SPAN_CONTROL)
    return None


def _remember_control(record: DocumentRecord, label: str, item: dict, default: str) -> None:
    """The control a label came from, when it is not the name annotator writes (export reuses it)."""
    from_name, to_name = item.get("from_name", default), item.get("to_name", "text")
    if (from_name, to_name) != (default, "text"):
        record.meta.setdefault(CONTROLS_META, {})[label] = [from_name, to_name]


def _doc_labels(file: str, line: int, where: str, item: dict, value: dict, record: DocumentRecord, layer: _Layer,
                notices: list[Problem]) -> Problem | None:
    choices = value.get("choices")
    if not isinstance(choices, list):
        return Problem(file, line, f"{where}.value.choices", f"must be a list, got {describe(choices)}")
    if layer.state != "accepted":
        if choices:
            notices.append(Problem(file, line, where, "document labels a model predicted are not imported "
                                   "(they would be gold: document labels have no suggestions)", "notice"))
        return None
    for j, name in enumerate(choices):
        if (problem := check_label(file, line, f"{where}.value.choices[{j}]", name)) is not None:
            return problem
        if name not in record.doc_labels:
            record.doc_labels.append(name)
        if layer.annotator is not None and layer.annotator not in (who := record.doc_label_annotators.setdefault(name, [])):
            who.append(layer.annotator)
        _remember_control(record, name, item, DOC_LABELS_CONTROL)
    return None


def _relation(file: str, line: int, where: str, item: dict, record: DocumentRecord, layer: _Layer) -> Problem | None:
    ends = []
    for side in ("from_id", "to_id"):
        if str(item.get(side)) not in layer.regions:
            return Problem(file, line, f"{where}.{side}", f"no labels region with id {item.get(side)!r} in this result")
        ends.append(layer.regions[str(item[side])])
    labels = item.get("labels") or ["RELATED"]
    if not isinstance(labels, list):
        return Problem(file, line, f"{where}.labels", f"must be a list of labels, got {describe(labels)}")
    direction = item.get("direction", "right")
    if direction not in ("right", "left", "bi"):
        return Problem(file, line, f"{where}.direction", f"must be right, left or bi, got {direction!r}")
    head, child = ends if direction != "left" else ends[::-1]
    for label in labels:
        if (problem := check_label(file, line, f"{where}.labels", label)) is not None:
            return problem
        record.relations.append(RelationRecord(head, child, label, where, layer.annotator))
    return None


def _region_values(file: str, line: int, per_region: list, record: DocumentRecord, layer: _Layer) -> Problem | None:
    """Per-region controls: the region's attributes (core.extras sorts claim from span ones)."""
    for where, item, kind in per_region:
        index = layer.regions.get(str(item["id"]))
        if index is None:
            return Problem(file, line, where,
                           f"per-region {kind} for region {item['id']!r}, which is not in this result")
        value = item["value"]
        values = value.get("choices") if kind == "choices" else value.get("text")
        if isinstance(values, str):
            values = [values]
        if not isinstance(values, list) or len(values) != 1 or not isinstance(values[0], str):
            return Problem(file, line, f"{where}.value", "a region attribute holds exactly one value")
        name = item.get("from_name")
        if not isinstance(name, str) or not name:
            return Problem(file, line, f"{where}.from_name", "names the attribute and must be text")
        span = record.spans[index]
        extras = span.extras if span.extras is not None else Extras()
        span.placed(extras=extras)
        if name == NOTE_CONTROL and kind == "textarea":
            extras.note = values[0]
        else:
            extras.values[name] = values[0]
            extras.where[name] = (line, where)
    return None


# --------------------------------------------------------------------- JSON-MIN
def min_key(record: dict, text_key: str = "text") -> tuple[str, Any]:
    """Which task a JSON-MIN record belongs to: consecutive records with the same key are one."""
    return repr(record.get("id")), record.get(text_key)


def parse_min(file: str, group: list[tuple[int, dict]], utf16: bool, text_key: str = "text"
              ) -> list[DocumentRecord | Problem]:
    """One task's JSON-MIN records (one per annotation) as one document with a layer each."""
    line, first = group[0]
    if problem := surrogate_in(file, line, first):
        return [problem]
    data = {k: v for k, v in first.items() if k not in MIN_KEYS and not _result_like(v)}
    if not isinstance(data.get(text_key), str):
        return [Problem(file, line, text_key, f"a JSON-MIN record needs its text in {text_key} (--text-column "
                        "names another key)")]
    if text_key != "text":
        data = {"text": data[text_key], TEXT_KEY_META: text_key, **{k: v for k, v in data.items() if k != text_key}}
    record, problem = _new_record(file, line, "text", data, {k: v for k, v in first.items() if k == "id"})
    if problem:
        return [problem]
    problems: list[Problem] = []
    seen: list[str | None] = []
    for number, item in group:
        if number != line and (problem := surrogate_in(file, number, item)):
            return [problem]
        who = annotator_name(item.get("annotator"))
        if who is None and len(group) > 1 or who in seen:
            who = f"{who or 'annotation'} (annotation {item.get('annotation_id', len(seen) + 1)})"
        seen.append(who)
        layer = _Layer(f"annotation {item.get('annotation_id', len(seen))}", who)
        if who is not None:
            record.annotator_statuses[who] = "done"  # JSON-MIN lists submitted annotations only
        offsets = Offsets(record.text, utf16)
        for key, value in item.items():
            if key in MIN_KEYS or not _result_like(value):
                continue
            problem = _min_result(file, number, key, value, record, offsets, layer, problems)
            if problem:
                return [problem]
        record.status = "done"
    return [*problems, record]


def _result_like(value: Any) -> bool:
    return _regions_like(value) or (isinstance(value, dict) and isinstance(value.get("choices"), list))


def _min_result(file: str, line: int, key: str, value: Any, record: DocumentRecord, offsets: Offsets, layer: _Layer,
                notices: list[Problem]) -> Problem | None:
    if isinstance(value, dict):  # several choices of a Choices control: document labels
        return _doc_labels(file, line, key, {"from_name": key}, value, record, layer, notices)
    for j, region in enumerate(value):
        where = f"{key}[{j}]"
        names = next((region[k] for k in region if k.endswith("labels") and isinstance(region[k], list)), None)
        if names is None:
            notices.append(Problem(file, line, where, "a region answer without labels (JSON-MIN keeps no region "
                                   "ids, so it cannot be matched to its region) is not imported", "notice"))
            continue
        item = {"type": "labels", "from_name": key, "to_name": "text"}
        problem = _region(file, line, where, item, {**region, "labels": names}, record, offsets, layer)
        if problem:
            return problem
    return None
