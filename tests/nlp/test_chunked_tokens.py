"""Tokenizing in pieces gives exactly the tokens of the whole text (annotator.nlp.chunked)."""

from __future__ import annotations

import random

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from annotator.nlp.chunked import cuts, token_triples, tokenize
from annotator.nlp.tokens import tokenizer

TOKENIZER = tokenizer("en")
EXCEPTIONS = sorted(TOKENIZER.rules)  # every English tokenizer exception: "don't", "a.m.", ":)", "—", ...
PIECES = ["Ann", "said", "cannot", "gonna", "U.S.", "e.g.", "10%", "$5", "3.14", "(", ")", "“", "”", "’s", "—",
          "🌍", "👩‍⚕️", "e\u0301", "שלום", "https://example.org/a?b=c", "a@b.org", "Mr.", "St.", "n't", "'s", ":-)",
          "o'clock", "1st", "km", "5km", "I'm", "y'all", "Zürich", "-", "--", "...", "!", "?", ",", "."]
GAPS = [" ", " ", " ", " ", "  ", "\n", "\n\n", "\r\n", "\t", " \n "]


@st.composite
def texts(draw):
    words = draw(st.lists(st.one_of(st.sampled_from(PIECES), st.sampled_from(EXCEPTIONS),
                                    st.from_regex(r"[A-Za-z]{1,8}", fullmatch=True)), min_size=1, max_size=60))
    gaps = draw(st.lists(st.sampled_from(GAPS), min_size=len(words), max_size=len(words)))
    return "".join(w + g for w, g in zip(words, gaps)).rstrip(draw(st.sampled_from(["", " ", "\n"])))


def _whole(text):
    return [(t.idx, t.idx + len(t), bool(t.whitespace_), t.norm_) for t in TOKENIZER(text)]


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=texts(), size=st.integers(1, 40))
def test_chunked_tokens_equal_whole_text_tokenization(text, size):
    whole = _whole(text)
    assert [t[:3] for t in whole] == list(token_triples(text, "en", size))
    doc = tokenize(text, "en", size)
    assert doc.text == text
    assert [(t.idx, t.idx + len(t), bool(t.whitespace_), t.norm_) for t in doc] == whole


def test_chunked_tokens_cut_only_between_letter_words():
    text = "Ann said don't go — Bob agreed again and again."
    for cut in cuts(text, 1):
        assert text[cut - 1] == " " and text[cut - 2].isalpha() and text[cut].isalpha()
    assert cuts("short", 1000) == []


def test_chunked_tokens_long_random_article_matches():
    rng = random.Random(5)
    text = " ".join(rng.choice(PIECES + EXCEPTIONS[:300] + ["word"] * 50) for _ in range(20_000))
    assert list(token_triples(text, "en")) == [t[:3] for t in _whole(text)]


def test_chunked_tokens_really_cut_where_safe():
    from spacy.tokenizer import Tokenizer

    from annotator.nlp.chunked import _cuttable

    for language in ("en", "de", "es", "fr", "ru"):
        assert _cuttable(tokenizer(language)), language
    risky = Tokenizer(TOKENIZER.vocab, rules={"foo bar": [{"ORTH": "foo bar"}]})
    assert not _cuttable(risky)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=texts(), size=st.integers(1, 40))
def test_chunked_tokens_word_bounds_are_the_windows_tokens(text, size):
    from annotator.nlp.chunked import word_bounds
    from annotator.nlp.tokens import token_spans

    starts, ends = word_bounds(text, "en", size)
    assert list(zip(starts, ends)) == token_spans(text, "en")
    assert word_bounds("", "en") == ([], [])
