"""The Prodigy writer's hand-formatted tokens are exactly what json.dumps writes."""

from __future__ import annotations

import json

from hypothesis import given, settings
from hypothesis import strategies as st

from annotator.core.export import ExportDocument
from annotator.core.model import Document, Span
from annotator.formats.prodigy_writer import _Numbers, encode_task, tokens_json
from annotator.formats.registry import WriteOptions
from annotator.nlp.export_tokens import export_tokens

TEXT = 'He said "no" \\ back\tslash\r\n\x0b🌍 e\u0301 \u2028 שלום "'


def _expected(text, tokens):
    expected = [{"text": text[s:e], "start": s, "end": e, "id": i, "ws": w} for i, (s, e, w) in enumerate(tokens)]
    return json.dumps(expected, ensure_ascii=False, separators=(",", ":"))


def test_prodigy_writer_tokens_json_equals_json_dumps():
    tokens = export_tokens(TEXT, "en")
    assert tokens_json(TEXT, tokens) == _expected(TEXT, tokens)
    assert tokens_json(TEXT, tuple(tokens)) == _expected(TEXT, tokens)  # plain triples work too
    assert tokens_json("", ()) == "[]"


@settings(max_examples=150, deadline=None)
@given(st.lists(st.sampled_from(list('ab "\\\t\n\r\x00\x1f\x7f\u2028é🌍-.,\'') + ["don't", "U.S."]),
                max_size=60).map("".join))
def test_prodigy_writer_tokens_json_property(text):
    tokens = export_tokens(text, "en")
    assert tokens_json(text, tokens) == _expected(text, tokens)


def test_prodigy_writer_tokens_json_long_text_past_the_number_cache():
    text = ("word " * 30_000) + "end \"q\""
    tokens = export_tokens(text, "en")
    assert tokens.ends[-1] > _Numbers.LIMIT
    assert tokens_json(text, tokens) == _expected(text, tokens)


def test_prodigy_writer_line_is_one_json_object_in_order():
    tokens = export_tokens(TEXT, "en")
    doc = ExportDocument(Document(1, TEXT, "h", title="T", meta={"_prodigy": {"_input_hash": 5, "answer": "accept"}},
                                  status="done"), (Span(1, 0, 2, "PERSON", "He", id=7),), tokens=tokens)
    (piece,) = encode_task(doc, WriteOptions()).pieces
    line = piece[1]
    assert line.endswith("\n") and line.count("\n") == 1
    task = json.loads(line)
    assert list(task) == ["text", "meta", "tokens", "spans", "answer", "_input_hash"]
    assert task["text"] == TEXT and task["meta"] == {"title": "T"} and task["_input_hash"] == 5
    assert task["spans"] == [{"start": 0, "end": 2, "label": "PERSON", "token_start": 0, "token_end": 0}]
    plain = json.loads(encode_task(doc, WriteOptions(tokens=False)).pieces[0][1])
    assert "tokens" not in plain and plain["spans"] == [{"start": 0, "end": 2, "label": "PERSON"}]
