"""The Prodigy writer's hand-formatted tokens are exactly what json.dumps writes, as UTF-8; its
lines are one JSON object each, whatever the text holds (astral characters, lone surrogates)."""

from __future__ import annotations

import json

from hypothesis import given, settings
from hypothesis import strategies as st

from annotator.core.export import ExportDocument, Tokens
from annotator.core.model import Document, Span
from annotator.formats.prodigy_tokens import _Pieces, pieces, tokens_json
from annotator.formats.prodigy_writer import encode_task
from annotator.formats.registry import WriteOptions
from annotator.nlp.export_tokens import export_tokens

TEXT = 'He said "no" \\ back\tslash\r\n\x0b🌍 e\u0301 \u2028 שלום "'


def _expected(text, tokens):
    expected = [{"text": text[s:e], "start": s, "end": e, "id": i, "ws": w} for i, (s, e, w) in enumerate(tokens)]
    return json.dumps(expected, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def test_prodigy_writer_tokens_json_equals_json_dumps():
    tokens = export_tokens(TEXT, "en")
    assert tokens_json(TEXT, tokens) == _expected(TEXT, tokens)
    assert tokens_json(TEXT, tuple(tokens)) == _expected(TEXT, tokens)  # plain triples work too
    assert tokens_json("", ()) == b"[]"
    assert tokens_json("", (), b"<", b">") == b"<[]>"


@settings(max_examples=150, deadline=None)
@given(st.lists(st.sampled_from(list('ab "\\\t\n\r\x00\x1f\x7f\u2028é🌍-.,\'') + ["don't", "U.S."]),
                max_size=60).map("".join))
def test_prodigy_writer_tokens_json_property(text):
    tokens = export_tokens(text, "en")
    assert tokens_json(text, tokens) == _expected(text, tokens)


def test_prodigy_writer_tokens_json_long_text_past_the_number_cache():
    text = ("a " * 140_000) + "end \"q\""  # more tokens and characters than the pieces' tables hold
    tokens = export_tokens(text, "en")
    assert len(tokens) > _Pieces.LIMIT and tokens.ends[-1] > _Pieces.OFFSETS
    assert tokens_json(text, tokens) == _expected(text, tokens)


def test_prodigy_writer_line_is_one_json_object_in_order():
    tokens = export_tokens(TEXT, "en")
    doc = ExportDocument(Document(1, TEXT, "h", title="T", meta={"_prodigy": {"_input_hash": 5, "answer": "accept"}},
                                  status="done"), (Span(1, 0, 2, "PERSON", "He", id=7),), tokens=tokens)
    (piece,) = encode_task(doc, WriteOptions()).pieces
    line = piece[1]
    assert line.endswith(b"\n") and line.count(b"\n") == 1
    task = json.loads(line)
    assert list(task) == ["text", "meta", "tokens", "spans", "answer", "_input_hash"]
    assert task["text"] == TEXT and task["meta"] == {"title": "T"} and task["_input_hash"] == 5
    assert task["spans"] == [{"start": 0, "end": 2, "label": "PERSON", "token_start": 0, "token_end": 0}]
    plain = json.loads(encode_task(doc, WriteOptions(tokens=False)).pieces[0][1])
    assert "tokens" not in plain and plain["spans"] == [{"start": 0, "end": 2, "label": "PERSON"}]


def test_prodigy_writer_tokens_by_key_equal_tokens_by_text():
    """The tokenizer's keys (ORTH hashes) and plain triples (the text as key) give the same JSON,
    a text seen for the first time twice in one document included."""
    text = "Zyx\u00e9 zyx\u00e9 Zyx\u00e9 \U0001f30d\U0001f30d \"q\" Zyx\u00e9"
    tokens = export_tokens(text, "en")
    assert tokens.keys is not None
    plain = Tokens(tokens.starts, tokens.ends, tokens.spaces)
    pieces().texts.clear()
    assert tokens_json(text, tokens) == tokens_json(text, plain) == _expected(text, tokens)
    assert list(tokens[2:5].keys) == list(tokens.keys[2:5])  # a slice keeps its keys
    assert tokens_json(text, tokens[2:5]) == _expected(text, list(tokens)[2:5])


def _task(text, meta=None, spans=()):
    return ExportDocument(Document(1, text, "h", title="", meta=meta or {}, status="done"), tuple(spans),
                          tokens=export_tokens(text, "en"))


def test_prodigy_writer_lone_surrogate_is_escaped_not_a_crash():
    """SQLite refuses to store a lone surrogate and spaCy to tokenize one, but the writer is
    handed plain objects: it writes them as \\u escapes (valid UTF-8, the same strings read back)."""
    text = "Bad \ud800 half and \U0001f30d whole"
    meta = {"note": "x\udfff", "ok": "caf\u00e9"}
    words = [(0, 3), (4, 5), (6, 10), (11, 14), (15, 16), (17, 22)]
    doc = ExportDocument(Document(1, text, "h", title="", meta=meta, status="done"),
                         tokens=Tokens([s for s, _ in words], [e for _, e in words], [True] * 5 + [False]))
    line = encode_task(doc, WriteOptions()).pieces[0][1]
    assert isinstance(line, bytes) and line.count(b"\n") == 1
    line.decode("utf-8")  # valid UTF-8: the surrogates are \u escapes
    assert b"\\ud800" in line and b"\\udfff" in line
    task = json.loads(line)
    assert task["text"] == text and task["meta"] == meta
    assert [t["text"] for t in task["tokens"]] == [text[t["start"]:t["end"]] for t in task["tokens"]]
    assert "".join(t["text"] + " " * t["ws"] for t in task["tokens"]) == text


def test_prodigy_writer_line_is_utf8_unescaped_like_json_dumps():
    """Non-ASCII and astral characters are written as UTF-8 (ensure_ascii=False), as before."""
    text = 'Zo\u00eb said "\U0001f30d" \u2028 \u05e9\u05dc\u05d5\u05dd\n'
    meta = {"source": "\u00e9\U0001f600", "n": 3, "f": 0.5, "list": [1, None, True]}
    doc = _task(text, meta, (Span(1, 0, 3, "PERSON", "Zo\u00eb", id=1),))
    line = encode_task(doc, WriteOptions()).pieces[0][1]
    task = {"text": text, "meta": meta, "tokens": json.loads(tokens_json(text, doc.tokens))}
    task.update(spans=[{"start": 0, "end": 3, "label": "PERSON", "token_start": 0, "token_end": 0}], answer="accept")
    assert line == json.dumps(task, ensure_ascii=False, separators=(",", ":")).encode("utf-8") + b"\n"


def test_prodigy_writer_values_orjson_refuses_go_through_json():
    """An integer past 64 bits and nesting past orjson's limit are still written (by json)."""
    deep: object = "end"
    for _ in range(300):
        deep = [deep]
    meta = {"big": 2**70, "deep": deep}
    line = encode_task(_task("One two.", meta), WriteOptions()).pieces[0][1]
    assert json.loads(line)["meta"] == meta
