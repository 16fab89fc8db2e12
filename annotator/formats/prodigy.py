"""Prodigy task JSONL (also ``jsonl``): one JSON object per physical line.

Shape: ``text``, optional ``meta``, ``spans`` (start/end/label[, text, token_start,
token_end]), ``tokens``, ``relations``, ``answer``. ``answer: reject|ignore`` records carry
no gold spans: their spans are stored as rejected / suggested and the document as skipped.
Prodigy's own keys (``_input_hash`` etc.) are kept in meta["_prodigy"] as opaque values.
``accept`` (the choice interface's selected options) gives the document labels, and so does
an accepted binary classification's ``label``; a span's own ``answer`` (merged binary answers)
sets its state. Claims that
annotator's own export wrote to ``meta["annotator"]["claims"]`` are read back as claims.
``tokens`` are the document's own tokenization (kept, and written back on export); a span's
``token_start``/``token_end`` must agree with its offsets. The spans of a line with
``_annotator_id`` (else ``_session_id``) are that annotator's, and its ``answer`` their status
(accept, reject: done; ignore: skipped): a dataset with one line per annotator of a text
(``prodigy db-out`` of a multi-annotator session) gives each annotator's layer of one
document (the import joins them by text). The lines of a binary recipe (ner.teach,
textcat.teach: one question per line) carry their answers as ``questions``, and the import
merges one annotator's answers to one text (workflows/binary_answers.py). A key holding another tool's
annotations (doccano's ``entities``, Label Studio's ``predictions``) refuses the line.
"""

from __future__ import annotations

import json
import math
import re
from pathlib import Path
from typing import Any

from ..core.interchange import claims_from_extras
from ..core.problems import Problem
from ..core.records import DocumentRecord, RelationRecord, SpanRecord, is_int
from ..core.textutil import path_text
from .decoding import iter_lines
from .fields import (
    check_label, check_meta, check_text, describe, foreign_keys, nul_problem, parse_spans, surrogate_in,
)
from .registry import Reader, ReadOptions, RecordStream, register
from .span_input import spread_json_check
from .token_input import check_token_refs, read_tokens

ANSWERS = {"accept": ("done", "accepted"), "reject": ("skipped", "rejected"), "ignore": ("skipped", "suggested")}
# The answering annotator's own status: a reject is an answer given (the task is finished,
# its spans rejected), an ignore a task passed over.
ANNOTATOR_STATUS = {"accept": "done", "reject": "done", "ignore": "skipped"}
KNOWN_KEYS = {"text", "meta", "spans", "tokens", "relations", "answer", "title", "accept"}
CLAIMS_META_KEY = "annotator"  # meta["annotator"]["claims"], as formats/prodigy_writer.py writes it
# Keys holding annotations in other tools' shapes: refused by name, never dropped silently.
FOREIGN = {"entities": "doccano's entities: import with --format doccano",
           "annotations": "doccano or Label Studio annotations: import with --format doccano or labelstudio",
           "predictions": "Label Studio predictions: import with --format labelstudio",
           "completions": "Label Studio completions: import with --format labelstudio",
           "ents": "spaCy's JSON entities"}
# doccano's span lists, [[start, end, "LABEL"]]: Prodigy's own "label" is one string.
_LISTS = {"label": "doccano's span list: import with --format doccano",
          "labels": "doccano's span list: import with --format doccano"}


def _refuse_constant(name: str) -> Any:
    # Python's json accepts NaN/Infinity, which are not JSON; stored in meta they made the
    # project's meta column unreadable by any strict JSON reader.
    raise ValueError(f"{name} is not valid JSON")


def _parse_float(literal: str) -> float:
    # 1e400 is valid JSON but overflows to inf, which json.dumps writes back as the non-JSON
    # Infinity: the same unreadable meta column _refuse_constant guards against.
    value = float(literal)
    if not math.isfinite(value):
        raise ValueError(f"number {literal[:40]} is too large")
    return value


# strict=False: a raw \r, \x0b or \x0c inside a JSON string is part of the text, as
# docs/formats.md promises (lines are split on \n only); strict mode refused the record.
# One decoder for every line: json.loads with arguments builds a new one per call.
_DECODER = json.JSONDecoder(strict=False, parse_constant=_refuse_constant, parse_float=_parse_float)

# Lines come strictly UTF-8 decoded (no encoded surrogates) and a raw NUL byte refuses the
# line, so a decoded string can hold a lone surrogate only through a \uD800-\uDFFF escape and
# a U+0000 only through \u0000. A line with neither skips those checks over every string of
# the record. A false alarm (an emoji written as a surrogate-pair escape, an escaped
# backslash before "ud800") only costs the checks.
_RISKY_ESCAPE = re.compile(r"\\u(?:[dD][89a-fA-F]|0000)")


def _loads(line: str) -> Any:
    if line.startswith("\ufeff"):  # json.loads' own message for a BOM inside the file
        return json.loads(line, strict=False, parse_constant=_refuse_constant, parse_float=_parse_float)
    return _DECODER.decode(line)


def read_prodigy(path: Path, options: ReadOptions) -> RecordStream:
    """Lazy: one line is read, parsed and handed over at a time.

    A whole-file fault (unreadable, binary, UTF-16) raises InputError, as the registry
    promises: it used to be yielded like a bad record, so ``skip_invalid`` reported such a
    file as imported (with nothing in it) instead of refused.
    """
    file = path_text(path)
    first = True
    for item in iter_lines(path):
        if isinstance(item, Problem):
            yield item
            continue
        number, line = item
        if not line or line.isspace():  # what ``not line.strip()`` means, without copying the line
            continue
        try:
            data = _loads(line)
        except json.JSONDecodeError as exc:
            if first:  # a pretty-printed JSON file: say so once, not once per line
                spread_json_check(path, file, number, line)
            first = False
            yield Problem(file, number, None, f"invalid JSON: {exc.msg} (column {exc.colno})")
            continue
        except ValueError as exc:  # NaN/Infinity, or an integer over Python's 4300-digit limit
            yield Problem(file, number, None, f"invalid JSON: {exc}")
            continue
        except RecursionError:  # was an uncaught crash that aborted the whole import
            yield Problem(file, number, None, "invalid JSON: nested too deeply")
            continue
        finally:
            first = False
        notices: list[Problem] = []
        record = parse_task(file, number, data, unicode_safe=_RISKY_ESCAPE.search(line) is None,
                            token_refs='"token_' in line, notices=notices)
        yield from notices
        yield record


def parse_task(file: str, line: int, data: Any, *, unicode_safe: bool = False,
               token_refs: bool = True, notices: list[Problem] | None = None) -> DocumentRecord | Problem:
    """One task object; the first problem found, or the record.

    ``notices``: where to put what the import should say without refusing the line (a span
    given twice, kept once); the caller yields them before the record.

    ``unicode_safe``: the caller knows no string in ``data`` can hold a lone surrogate or a
    U+0000 (see _RISKY_ESCAPE), so those checks are skipped; every other check still runs.
    ``token_refs`` False: the caller knows no span has ``token_start``/``token_end`` (the line
    has no ``"token_``), so the per-span check of token indices is skipped.
    """
    if not isinstance(data, dict):
        return Problem(file, line, None, f"line is not a JSON object (got {describe(data)})")
    checks = not unicode_safe
    if notices is None:
        notices = []
    text, problem = check_text(file, line, data, chars=checks)
    if problem:
        return problem
    assert text is not None
    # Every other string (keys too) must be valid Unicode before anything reaches the store.
    if checks and (problem := surrogate_in(file, line, {k: v for k, v in data.items() if k != "text"})):
        return problem
    meta, problem = check_meta(file, line, data.get("meta"), chars=checks)
    if problem:
        return problem
    answer = data.get("answer")
    # isinstance first: an unhashable answer (a list) made ``in ANSWERS`` raise TypeError.
    if answer is not None and (not isinstance(answer, str) or answer not in ANSWERS):
        return Problem(file, line, "answer", f"answer {answer!r} must be accept, reject or ignore")
    status, span_state = ANSWERS.get(answer, ("todo", "accepted"))
    if problem := (foreign_keys(file, line, data, FOREIGN) or foreign_keys(
            file, line, {k: data[k] for k in data.keys() & _LISTS.keys() if isinstance(data[k], list)}, _LISTS)):
        return problem
    # Whose answer it is: Prodigy names the annotator (_annotator_id) or only the session.
    # Prodigy writes strings (or null for the default session); anything else was dropped
    # silently, leaving that annotator's spans unattributed (merged into the no-one layer).
    annotator = None
    for key in ("_annotator_id", "_session_id"):
        value = data.get(key)
        if value is not None and not isinstance(value, str):
            return Problem(file, line, key, f"must be a string (the annotator's name), got {describe(value)}")
        if annotator is None and value and value.strip():
            annotator = value

    spans_raw = data.get("spans", [])
    if spans_raw is None:
        spans_raw = []
    if not isinstance(spans_raw, list):
        return Problem(file, line, "spans", f"must be a list, got {describe(spans_raw)}")
    spans, problem = parse_spans(file, line, spans_raw, text, span_state, annotator)
    if problem:
        return problem
    if problem := _span_answers(file, line, spans_raw, spans):
        return problem

    tokens = None
    if data.get("tokens") is not None:
        tokens, problem = read_tokens(file, line, data["tokens"], text)
        if problem:
            return problem
    if (token_refs or tokens is not None) and (problem := check_token_refs(file, line, spans_raw, spans, tokens)):
        return problem

    spans = _drop_repeated_spans(file, line, spans, notices)
    relations, problem = _parse_relations(file, line, data.get("relations"), spans)
    if problem:
        return problem
    claims: list = []
    ours = meta.get(CLAIMS_META_KEY)
    if isinstance(ours, dict) and "claims" in ours:
        claims, problem = claims_from_extras(file, line, f"meta.{CLAIMS_META_KEY}.claims", ours["claims"], spans,
                                             text, span_state, annotator)
        if problem:
            return problem
        meta = {k: v for k, v in meta.items() if k != CLAIMS_META_KEY}
        if len(ours) > 1:  # someone else's keys under the same name stay where they were
            meta[CLAIMS_META_KEY] = {k: v for k, v in ours.items() if k != "claims"}
    doc_labels = data.get("accept", [])
    if doc_labels is None:
        doc_labels = []
    if not isinstance(doc_labels, list) or not all(isinstance(x, str) for x in doc_labels):
        return Problem(file, line, "accept", "must be a list of document label names")
    for i, name in enumerate(doc_labels):
        if (problem := check_label(file, line, f"accept[{i}]", name)) is not None:
            return problem
    doc_labels, problem = _classification_label(file, line, data, answer, spans, doc_labels)
    if problem:
        return problem

    title_field = "title" if "title" in data else "meta.title"  # name the field the title came from
    title = data.get("title", meta.get("title", ""))
    if not isinstance(title, str):
        return Problem(file, line, title_field, f"must be a string, got {describe(title)}")
    if checks and (problem := nul_problem(file, line, title_field, title)):
        return problem
    extra = {k: v for k, v in data.items() if k not in KNOWN_KEYS}
    if answer == "accept" and _is_classification(data, spans):
        del extra["label"]  # now a document label: kept here too, it came back on export after removal
    if answer is not None:
        extra["answer"] = answer
    if extra:
        meta = {**meta, "_prodigy": extra}
    questions = _questions(data, answer, spans_raw, spans) if not relations and not claims else None
    return DocumentRecord(text=text, line=line, title=title, source=file, meta=meta, spans=spans,
                          relations=relations, status=status, claims=claims, doc_labels=list(doc_labels),
                          questions=questions,
                          tokens=tokens or None,
                          # a choice answered in the annotator's session is theirs, like the spans
                          doc_label_annotators={name: [annotator] for name in doc_labels} if annotator else {},
                          annotator_statuses={annotator: ANNOTATOR_STATUS[answer]} if annotator and answer else {})


def _span_answers(file: str, line: int, raw_spans: list, spans: list[SpanRecord]) -> Problem | None:
    """A span's own ``answer`` sets its state.

    Why: Prodigy merges the binary answers of one text (``ner.teach``, db-merge) into one task
    whose spans each keep their answer, while the task's ``answer`` is only the first one's:
    a span rejected in a task answered accept was stored as gold, and one accepted in a task
    answered reject as rejected (explosion/prodigy-recipes' annotated_reddit-PRODUCT-ner.jsonl).
    """
    for i, (raw, span) in enumerate(zip(raw_spans, spans)):
        if type(raw) is not dict or raw.get("answer") is None:
            continue
        answer = raw["answer"]
        if not isinstance(answer, str) or answer not in ANSWERS:
            return Problem(file, line, f"spans[{i}].answer", f"answer {answer!r} must be accept, reject or ignore")
        span.state = ANSWERS[answer][1]
    return None


def _drop_repeated_spans(file: str, line: int, spans: list[SpanRecord], notices: list[Problem]) -> list[SpanRecord]:
    """The spans with a second copy of one (same range, label and answer) left out, and said.

    Why: Prodigy's merged binary data repeats a span the model suggested twice (two scores,
    both accepted); one task is one annotator's, so the copy adds nothing, but the layer check
    refused it as a duplicate, and with it every line of the file. Relations and claims name
    spans by range and label, so they find the one kept.
    """
    if len(spans) < 2:
        return spans
    seen: dict[tuple[int, int, str, str], SpanRecord] = {}
    kept = []
    for span in spans:
        key = (span.start, span.end, span.label, span.state)
        if (first := seen.get(key)) is not None:
            notices.append(Problem(file, line, span.field, f"span {span.start}-{span.end} {span.label} is given "
                                   f"again (as {first.field}): imported once", "notice"))
            continue
        seen[key] = span
        kept.append(span)
    return kept


def _classification_label(file: str, line: int, data: dict, answer: Any, spans: list[SpanRecord],
                          doc_labels: list[str]) -> tuple[list[str], Problem | None]:
    """The document labels with a binary classification's ``label`` when it was accepted.

    Why: Prodigy's classification interface (textcat.teach, textcat.manual with one label,
    mark --label) asks one question, ``label``, and stores the ``answer``; the label was kept
    as opaque meta, so a whole textcat dataset (and each annotator's choices in a
    multi-annotator one) imported with no document label at all. A rejected or ignored label
    is not the document's: it stays in meta, and comes back on export with its answer. Only
    where the task asks about nothing else (``_is_classification``): beside spans or options
    a top-level ``label`` need not be the document's.
    """
    label = data.get("label")
    if answer is None or not _is_classification(data, spans):
        return doc_labels, None
    assert isinstance(label, str)
    if (problem := check_label(file, line, "label", label)) is not None:
        return doc_labels, problem
    if answer != "accept" or label in doc_labels:
        return doc_labels, None
    return [*doc_labels, label], None


_STATE_ANSWER = {state: answer for answer, (_, state) in ANSWERS.items()}
BINARY_VIEWS = ("ner", "classification")  # Prodigy's accept/reject interfaces (ner.teach, textcat.teach, mark)


def _questions(data: dict, answer: Any, raw_spans: list, spans: list[SpanRecord]
               ) -> dict[tuple[int, int, str], str] | None:
    """The binary questions a line answers, or None when it is a text's whole annotation.

    Why: ner.teach and textcat.teach write one line per question (one suggested span, one
    label) with the same text; each line says nothing about the rest of the text, so the
    import merges them (workflows/binary_answers.py) where it compared each line with the
    first as a whole annotation and reported the others as conflicts. A line is binary when
    its view is one (``_view_id`` ner or classification), or, with no view named, when it is
    a classification question or every span carries its own answer (db-merge's shape, as in
    prodigy-recipes' annotated_reddit-PRODUCT-ner.jsonl). A manual view's line (ner_manual,
    choice...) states the whole annotation: two different ones of one text still conflict.
    """
    view = data.get("_view_id")
    if answer is None or data.get("options") or (view is not None and view not in BINARY_VIEWS):
        return None
    if _is_classification(data, spans):
        return {(-1, -1, data["label"]): answer}
    if view is None and not (raw_spans and all(type(r) is dict and isinstance(r.get("answer"), str)
                                                for r in raw_spans)):
        return None
    questions: dict[tuple[int, int, str], str] = {}
    for span in spans:  # their states are their answers now (_span_answers)
        given = _STATE_ANSWER[span.state]
        if questions.setdefault((span.start, span.end, span.label), given) != given:
            return None  # one line answering one span both ways: no merge, compared whole
    return questions


def _is_classification(data: dict, spans: list[SpanRecord]) -> bool:
    """The classification view's, or a task that can only be asking about ``label``: no spans to
    ask about, no options to choose from (a custom recipe's binary question in a ``choice`` or
    ``text`` view, as explosion/projects' textcat_docs_issues has)."""
    return isinstance(data.get("label"), str) and (
        data.get("_view_id") == "classification" or (not spans and not data.get("options")))


def _parse_relations(
    file: str, line: int, raw: Any, spans: list[SpanRecord]
) -> tuple[list[RelationRecord], Problem | None]:
    """Relations name their spans by ``head_span``/``child_span``, matched to ``spans`` by offsets."""
    if raw is None:
        return [], None
    if not isinstance(raw, list):
        return [], Problem(file, line, "relations", f"must be a list, got {describe(raw)}")
    by_range: dict[tuple[int, int], int] = {}
    # Two spans may share a range with different labels (a claim that is also a person's
    # words); a relation span naming its label picks the right one.
    by_label: dict[tuple[int, int, str], int] = {}
    for index, span in enumerate(spans):
        by_range.setdefault((span.start, span.end), index)
        by_label.setdefault((span.start, span.end, span.label), index)
    relations = []
    for i, rel in enumerate(raw):
        fld = f"relations[{i}]"
        if not isinstance(rel, dict):
            return [], Problem(file, line, fld, f"must be an object, got {describe(rel)}")
        if (problem := check_label(file, line, f"{fld}.label", rel.get("label"))) is not None:
            return [], problem
        ends = []
        for side in ("head_span", "child_span"):
            span = rel.get(side)
            if not isinstance(span, dict):
                return [], Problem(file, line, f"{fld}.{side}", "must be an object with start and end")
            # Integers only: a list offset crashed the dict lookup (unhashable), and true / 1.0
            # silently matched the span at offset 1.
            for key in ("start", "end"):
                if not is_int(span.get(key)):
                    return [], Problem(file, line, f"{fld}.{side}.{key}",
                                       f"offset must be an integer, got {describe(span.get(key))}")
            label = span.get("label")
            index = by_label.get((span["start"], span["end"], label)) if isinstance(label, str) else None
            if index is None:
                index = by_range.get((span["start"], span["end"]))
            if index is None:
                return [], Problem(file, line, f"{fld}.{side}",
                                   f"no span {span.get('start')}-{span.get('end')} in this record's spans")
            ends.append(index)
        relations.append(RelationRecord(ends[0], ends[1], rel["label"], fld))
    return relations, None


register(Reader("prodigy", "Prodigy task JSONL (text, meta, spans, relations)", (".jsonl", ".ndjson"),
                read_prodigy), "jsonl")
