"""The Prodigy writer's batch path (formats.prodigy_tokens.TokenBatch, formats.token_texts):
a batch of documents gives each one the line it would get alone, span token indices equal
``core.export.TokenIndex``'s, and the table of token texts stays right as it grows."""

from __future__ import annotations

import json
import random

import numpy
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from annotator.core.export import ExportDocument, TokenIndex, Tokens
from annotator.core.model import Document, Span
from annotator.formats.prodigy_tokens import TokenBatch
from annotator.formats.prodigy_writer import encode_task, encode_tasks
from annotator.formats.registry import WriteOptions
from annotator.formats.token_texts import TextTable, content
from annotator.nlp.chunked import token_triples, token_triples_many
from annotator.nlp.export_tokens import export_tokens

WORDS = ["Ann", "said", "don't", "U.S.", "\"q\"", "🌍", "e\u0301", "שלום", "\\", "\t", "\n\n", "x" * 20, "—", "3.14"]


def _expected(text, tokens):
    expected = [{"text": text[s:e], "start": s, "end": e, "id": i, "ws": w} for i, (s, e, w) in enumerate(tokens)]
    return json.dumps(expected, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


texts = st.lists(st.sampled_from(WORDS), max_size=25).map(" ".join)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(texts, min_size=1, max_size=6), st.integers(0, 2**32))
def test_token_batch_lines_equal_json_dumps_per_document(batch, seed):
    """Mixed in one batch: spaCy's tokens (keyed, numpy columns), plain triples (no keys),
    empty documents; each line is its document's json.dumps between its own before and after."""
    rng = random.Random(seed)
    tokens = [export_tokens(text, "en") for text in batch]
    given_tokens = [t if rng.random() < 0.6 else tuple(t) for t in tokens]
    befores = [b"<%d>" % i for i in range(len(batch))]
    afters = [b"</%d>" % i for i in range(len(batch))]
    lines = TokenBatch(batch, given_tokens).lines(befores, afters)
    assert lines == [b + _expected(text, t) + a for b, text, t, a in zip(befores, batch, tokens, afters)]


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(texts, min_size=1, max_size=5), st.integers(0, 2**32))
def test_token_batch_span_bounds_equal_token_index(batch, seed):
    rng = random.Random(seed)
    tokens = [export_tokens(text, "en") for text in batch]
    spans = [sorted((a, b) for a, b in ((rng.randint(0, len(t)), rng.randint(0, len(t) + 2)) for _ in range(8)))
             for t in batch]
    found = TokenBatch(batch, tokens).span_bounds([len(s) for s in spans], [a for s in spans for a, _ in s],
                                                  [b for s in spans for _, b in s])
    expected = [TokenIndex(t).bounds(a, b) for t, s in zip(tokens, spans) for a, b in s]
    assert found == expected


def test_token_batch_encode_tasks_equal_one_by_one():
    batch = ["Ann said so.", "", "Bob met Ann in Oslo \"today\".", "U.S. officials don't agree."]
    docs = [ExportDocument(Document(i + 1, text, f"h{i}", title=f"T{i}", status="done"),
                           tuple(Span(i + 1, 0, 3, "PERSON", text[:3], id=10 * i + 1) for _ in [0] if len(text) > 3),
                           tokens=export_tokens(text, "en")) for i, text in enumerate(batch)]
    for options in (WriteOptions(), WriteOptions(tokens=False)):
        assert encode_tasks(docs, options) == [encode_task(doc, options) for doc in docs]
    cut = ExportDocument(Document(9, "Annabel", "h9", status="done"), (Span(9, 0, 3, "PERSON", "Ann", id=99),),
                         tokens=export_tokens("Annabel", "en"))
    (encoded,) = encode_tasks([cut], WriteOptions())
    assert "token_start" not in json.loads(encoded.pieces[0][1])["spans"][0] and "not token edges" in encoded.notes[0]


def test_token_triples_many_equal_one_by_one():
    batch = ["Ann said don't.", "", "  ", "x " * 700 + "end.", "Zo\u00eb \U0001f30d ok "]
    many = token_triples_many(batch, "en", 50)
    for text, tokens in zip(batch, many):
        assert list(tokens) == list(token_triples(text, "en", 50))
        assert [text[s:e] for s, e, _ in tokens] == [t.text for t in _spacy(text)]
        assert tokens.keys is not None and len(tokens.keys) == len(tokens)
    assert token_triples_many([], "en") == []


def _spacy(text):
    from annotator.nlp.tokens import tokenizer

    return tokenizer("en")(text)


def test_tokens_with_array_columns_read_as_lists():
    tokens = Tokens(numpy.array([0, 4]), numpy.array([3, 8]), numpy.array([True, False]), numpy.array([7, 9]))
    assert list(tokens) == [(0, 3, True), (4, 8, False)] and tokens[1] == (4, 8, False)
    assert all(type(value) in (int, bool) for triple in tokens for value in triple)
    assert tokens == Tokens([0, 4], [3, 8], [True, False]) == [(0, 3, True), (4, 8, False)]
    assert list(tokens[1:]) == [(4, 8, False)] and list(tokens[1:].keys) == [9]
    assert TokenIndex(tokens).bounds(4, 8) == (1, 1)


def test_text_table_grows_and_keeps_every_text():
    """Thousands of distinct keys (the slots widen, some keys share a slot and live in the
    dict); every number still names its own text, asked again or not."""
    table = TextTable(numpy)
    rng = random.Random(3)
    words = [f"w{i}\u00e9\"" for i in range(5000)]
    keys = {word: rng.getrandbits(64) for word in words}
    keys[words[1]] = keys[words[0]] + (1 << 40)  # the same low bits: the same slot
    for _ in range(3):
        batch = [rng.choice(words) for _ in range(3000)]
        numbers = table.numbers(numpy.array([keys[w] for w in batch], dtype=numpy.uint64), batch.__getitem__)
        assert [table.made[n] for n in numbers.tolist()] == [content(w) for w in batch]
        assert table.pieces[numbers].tolist() == [content(w) for w in batch]
    assert table.bits > 12 and table.others
    assert table.text_numbers(["w1é\"", "plain"]) == [table.text_numbers(["w1é\""])[0], len(table.made) - 1]
