"""What review reads: layers of documents as ``core.review.ReviewLayer``, from a few queries.

One document (the window, a decision) and a whole project (``review --auto``) go through the
same queries and the same conversion, so both see the same units. Rows are plain tuples:

- spans: ``(doc_id, annotator_id, id, start, end, label_id, state)``;
- claims: ``(doc_id, annotator_id, content span id, claimant start, end, label_id, canonical
  free-text claimant, cue start, end, label_id, claimant span id, cue span id, values JSON,
  content start, end, label_id, claim id)``, one for every accepted span of a claim label
  (the claim's columns null where the span carries no claim);
- document labels: ``(doc_id, annotator_id, label_id, rejected)``.

Annotators' layers are read with their accepted spans only; the gold layer with its
rejections too (a unit decided not to be gold). Every value is checked before it becomes a
mark: a file written by another program gives an error naming the row, never a traceback.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator, Sequence
from functools import lru_cache
from itertools import groupby
from operator import itemgetter
from typing import Any

from ..core.review import ReviewLayer
from .errors import ProjectError

LabelInfo = dict[int, tuple[str, str]]  # label id -> (name, kind)


def marks(ids: Sequence[Any]) -> str:
    return ",".join("?" * len(ids))


def span_query(annotator_ids: Sequence[int], gold_id: int | None, where: str = "", scan: bool = False) -> str:
    """Spans of these annotators (accepted) and of gold (accepted or rejected), by document
    and start; ``where`` narrows it (e.g. ``AND doc_id = ?``). ``scan``: over the whole
    project, one pass over the table and a sort of what matches, not a walk of the
    ``spans_doc`` index with a row lookup per span (5x slower for one layer of three)."""
    gold = " OR (annotator_id = ? AND state = 'rejected')" if gold_id is not None else ""
    return (f'SELECT doc_id, annotator_id, id, start, "end", label_id, state FROM spans'
            f" WHERE annotator_id IN ({marks([*annotator_ids, *([gold_id] if gold_id is not None else [])])})"
            f" AND (state = 'accepted'{gold}){where} ORDER BY {'+' if scan else ''}doc_id, start")


def span_params(annotator_ids: Sequence[int], gold_id: int | None) -> list[int]:
    return [*annotator_ids, *([gold_id, gold_id] if gold_id is not None else [])]


CLAIM_COLUMNS = (
    'content.doc_id, content.annotator_id, content.id, claimant.start, claimant."end", claimant.label_id,'
    " coalesce(claimant_aliases.canonical, claims.claimant_text), cue.start, cue.\"end\", cue.label_id,"
    " claims.claimant_span_id, claims.cue_span_id,"
    " (SELECT json_group_object(attribute, value) FROM claim_values WHERE claim_id = claims.id),"
    ' content.start, content."end", content.label_id, claims.id')


def claim_query(people: int, labels: int, where: str = "") -> str:
    """The accepted spans of ``labels`` claim labels of ``people`` annotators (parameters:
    the annotator ids, then the label ids), with their claims where they have one."""
    return (f"SELECT {CLAIM_COLUMNS} FROM spans AS content"
            " LEFT JOIN claims ON claims.span_id = content.id"
            " LEFT JOIN spans AS claimant ON claimant.id = claims.claimant_span_id"
            " LEFT JOIN spans AS cue ON cue.id = claims.cue_span_id"
            " LEFT JOIN claimant_aliases ON claimant_aliases.alias = claims.claimant_text"
            f" WHERE content.annotator_id IN ({','.join('?' * people)}) AND content.label_id IN ({','.join('?' * labels)})"
            # "+": through the label index (claims are a few of the spans), sorted after.
            f" AND content.state = 'accepted'{where} ORDER BY +content.doc_id")


def label_ids(labels: LabelInfo, *kinds: str) -> list[int]:
    """The ids of the labels of these kinds (-1 when there are none: ``IN (-1)`` matches nothing)."""
    return [i for i, (_, kind) in labels.items() if kind in kinds] or [-1]


def label_query(people: int, where: str = "") -> str:
    """Document labels of ``people`` annotators, and gold's rejected document labels."""
    return (f"SELECT doc_id, annotator_id, label_id, 0 FROM doc_labels WHERE annotator_id IN ({','.join('?' * people)})"
            f"{where} UNION ALL SELECT doc_id, annotator_id, label_id, 1 FROM gold_label_provenance"
            f" WHERE rejected = 1{where} ORDER BY 1")


def by_document(rows: Iterable[tuple]) -> Iterator[tuple[int, list[tuple]]]:
    """(doc id, its rows) of rows ordered by document (a GROUP BY's order too: checked, since
    SQLite gives it without promising it)."""
    last = None
    for doc_id, group in groupby(rows, key=itemgetter(0)):
        if last is not None and not last < doc_id:
            raise ProjectError(f"review: rows of document {doc_id} came out of order (after {last})")
        last = doc_id
        yield doc_id, list(group)


def check_span_row(doc_id: Any, span_id: Any, start: Any, end: Any, label_id: Any, labels: LabelInfo) -> None:
    """Raise the error a bad span row deserves (the bulk reader checks cheaply first)."""
    _key(start, end, label_id, labels, f"spans row {span_id} (document {doc_id})")


def claim_row_mark(row: tuple, labels: LabelInfo) -> tuple:
    """The mark of one claims row (its content from the row's last columns)."""
    key = _fast_key(row[13], row[14], row[15], labels) or _key(row[13], row[14], row[15], labels,
                                                                f"spans row {row[2]} (document {row[0]})")
    if row[16] is None:
        return (*key, None, None, None, ())
    return (*key, *_claim_parts(row, labels))


def _fast_key(start: Any, end: Any, label_id: Any, labels: LabelInfo) -> tuple[int, int, str] | None:
    """The key of a sound span row; None sends the caller to ``_key`` for the error."""
    if type(start) is int and type(end) is int and 0 <= start < end and label_id in labels:
        return (start, end, labels[label_id][0])
    return None


def _offset(value: Any, where: str) -> int:
    if not isinstance(value, int) or isinstance(value, bool) or value < 0:
        raise ProjectError(f"{where}: offset {value!r} is not a non-negative integer")
    return value


def _key(start: Any, end: Any, label_id: Any, labels: LabelInfo, where: str) -> tuple[int, int, str]:
    s, e = _offset(start, f"{where}.start"), _offset(end, f"{where}.end")
    if e <= s:
        raise ProjectError(f"{where}: span {s}-{e} is empty or reversed")
    if label_id not in labels:
        raise ProjectError(f"{where}: label_id {label_id!r} is not a label of this project")
    return (s, e, labels[label_id][0])


def _claim_parts(row: tuple, labels: LabelInfo) -> tuple:
    """(claimant key, free-text claimant, cue key, values) of a claims row, as
    ``core.review.claim_mark`` keeps them."""
    where = f"claims row of span {row[2]} (document {row[0]})"
    claimant = cue = None
    if row[3] is not None:
        claimant = _fast_key(row[3], row[4], row[5], labels) or _key(row[3], row[4], row[5], labels,
                                                                      f"{where}: claimant")
    if row[7] is not None:
        cue = _fast_key(row[7], row[8], row[9], labels) or _key(row[7], row[8], row[9], labels, f"{where}: cue")
    values = _values(row[12]) if row[12] else ()
    if values is None:
        raise ProjectError(f"{where}: claim_values: not a set of attribute names and text values")
    text = row[6] if claimant is None and isinstance(row[6], str) and row[6].strip() else None
    return claimant, text, cue, values


@lru_cache(maxsize=8192)
def _values(text: str) -> tuple[tuple[str, str], ...] | None:
    """A claim's values (JSON, from SQL) as claim_mark keeps them; None if they are not text.
    Cached: most claims of a project share a few combinations of values."""
    try:
        values = json.loads(text)
    except ValueError:
        return None
    if not isinstance(values, dict) or not all(isinstance(v, str) for v in values.values()):
        return None
    return tuple(sorted((k, v) for k, v in values.items() if v))


def document_layers(span_rows: Sequence[tuple], claim_rows: Sequence[tuple], label_rows: Sequence[tuple],
                    labels: LabelInfo, linked: set[int] | None = None) -> dict[int, ReviewLayer]:
    """{annotator id: layer} of one document's rows (gold's rejections marked). ``linked``:
    the spans any claim of the document links (role spans among them belong to their claim's
    unit); by default those the given claims link."""
    claims = {row[2]: row for row in claim_rows if row[16] is not None}
    if linked is None:
        linked = {i for row in claim_rows for i in (row[10], row[11]) if i is not None}
    groups: dict[int, dict[str, list[tuple]]] = {}
    for doc_id, annotator_id, span_id, start, end, label_id, state in span_rows:
        key = _fast_key(start, end, label_id, labels) or _key(start, end, label_id, labels,
                                                               f"spans row {span_id} (document {doc_id})")
        kind = labels[label_id][1]
        if kind == "role" and span_id in linked:
            continue  # part of a claim's unit
        if kind == "claim":
            row = claims.get(span_id)
            mark = (*key, *_claim_parts(row, labels)) if row is not None else (*key, None, None, None, ())
        elif kind in ("entity", "role"):
            mark = key
        else:
            continue
        layer = groups.setdefault(annotator_id, {"entity": [], "claim": [], "role": [], "doc": []})
        layer[kind].append((mark, span_id, state == "rejected"))
    for doc_id, annotator_id, label_id, rejected in label_rows:
        if label_id not in labels:
            raise ProjectError(f"doc_labels row of document {doc_id}: label_id {label_id!r} is not a label")
        layer = groups.setdefault(annotator_id, {"entity": [], "claim": [], "role": [], "doc": []})
        layer["doc"].append(((0, 0, labels[label_id][0]), None, bool(rejected)))
    return {annotator_id: ReviewLayer(tuple(g["entity"]), tuple(g["claim"]), tuple(g["role"]), tuple(g["doc"]))
            for annotator_id, g in groups.items()}
