from __future__ import annotations

import pytest

from annotator.nlp.tokens import token_spans
from annotator.ui.text.token_cursor import Tokens, fallback_token_spans, join_clusters

TEXT = "Ana  met Bo in Lisbon."
TOKENS = Tokens([(0, 3), (5, 8), (9, 11), (12, 14), (15, 21), (21, 22)])


@pytest.mark.parametrize(("start", "end", "expected"), [
    (1, 2, (0, 3)), (1, 7, (0, 8)), (3, 5, None), (7, 1, (0, 8)), (3, 6, (5, 8)), (0, 22, (0, 22)),
    (20, 22, (15, 22)), (4, 4, None), (1, 1, (0, 3)),
])
def test_token_cursor_snap(start, end, expected):
    assert TOKENS.snap(start, end) == expected


@pytest.mark.parametrize(("offset", "at", "nearest"), [(0, 0, 0), (3, 1, 0), (4, 1, 0), (11, 3, 2), (22, 5, 5)])
def test_token_cursor_index_at_and_nearest(offset, at, nearest):
    assert TOKENS.index_at(offset) == at
    assert TOKENS.nearest(offset) == nearest


def test_token_cursor_empty():
    empty = Tokens([])
    assert empty.index_at(3) is None and empty.nearest(3) is None and empty.snap(0, 3) is None


@pytest.mark.parametrize(("text", "expected"), [
    ("Flag 🇵🇹🇰🇪 here", ["Flag", "🇵🇹", "🇰🇪", "here"]),  # spaCy gives four halves of two flags
    ("Family 👩‍👩‍👧 and 👍🏽 ok", ["Family", "👩‍👩‍👧", "and", "👍🏽", "ok"]),
    ("Cafe\u0301 x", ["Cafe\u0301", "x"]),
    ("Tag 🏴󠁧󠁢󠁳󠁣󠁴󠁿 flag", ["Tag", "🏴󠁧󠁢󠁳󠁣󠁴󠁿", "flag"]),
])
def test_token_cursor_clusters_are_never_split(text, expected):
    joined = join_clusters(text, token_spans(text, "en"))
    assert [text[s:e] for s, e in joined] == expected


def test_token_cursor_fallback_is_close_to_spacy_on_plain_words():
    text = "Finance ministers failed to agree on Tuesday, officials said."
    assert fallback_token_spans(text) == token_spans(text, "en")


@pytest.mark.parametrize(("text", "expected"), [
    ("The envoy met Viktor Bout in Lisbon on Monday.", ["Viktor Bout", "Lisbon", "Monday"]),
    ("In Kenya, Ruto said the Bank of England would act.", ["Kenya", "Ruto", "Bank", "England"]),
    ("“We will act,” Maria Okonkwo said. She added: Reuters reported it.", ["Maria Okonkwo", "Reuters"]),
    ("Prices rose.\nNew York traders sold.", ["Prices", "New York"]),
    ("no names here at all", []),
])
def test_token_cursor_name_runs(text, expected):
    from annotator.ui.text.token_cursor import name_runs

    assert [text[s:e] for s, e in name_runs(text, fallback_token_spans(text))] == expected
