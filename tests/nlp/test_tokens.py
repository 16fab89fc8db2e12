from __future__ import annotations

import pytest

from annotator.nlp import tokens
from annotator.nlp.tokens import Cancelled, token_spans

TEXT = "LISBON — Portugal's minister 😀 said\r\n“No deal,” on Tuesday.\n\nThe  🇵🇹 team (U.S.) paid $5.5m."


def surfaces(text, spans):
    return [text[s:e] for s, e in spans]


def test_tokens_are_code_point_offsets_of_non_space_tokens():
    spans = token_spans(TEXT, "en")
    words = surfaces(TEXT, spans)
    assert words[:6] == ["LISBON", "—", "Portugal", "'s", "minister", "😀"]
    assert "said" in words and "\r\n" not in words and "Tuesday" in words
    assert all(not w.isspace() for w in words)
    assert spans == sorted(spans) and all(s < e for s, e in spans)
    said = TEXT.index("said")
    assert (said, said + 4) in spans  # after an astral emoji: code points, not UTF-16


@pytest.mark.parametrize("size", [5, 17, 40, 1000])
def test_tokens_chunked_are_the_same_as_whole(size):
    text = TEXT * 7 + " " + "x" * 60 + " tail."
    assert token_spans(text, "en", chunk_chars=size) == token_spans(text, "en", chunk_chars=10**9)


def test_tokens_unknown_language_falls_back_to_multilanguage():
    assert surfaces("two words.", token_spans("two words.", "qq")) == ["two", "words", "."]
    assert tokens.is_loaded("qq")


def test_tokens_can_be_cancelled_between_chunks():
    with pytest.raises(Cancelled):
        token_spans(TEXT * 50, "en", chunk_chars=50, should_stop=lambda: True)


def test_tokens_empty_text():
    assert token_spans("", "en") == []
    assert token_spans("  \n ", "en") == []
