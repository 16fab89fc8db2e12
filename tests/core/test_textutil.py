"""Text facts: exact hashing, BOM, lone surrogates, storable file names."""

from __future__ import annotations

import os

import pytest

from annotator.core.textutil import (
    content_hash, find_lone_surrogate, is_blank, is_right_to_left, path_text, snippet, strip_bom,
)


@pytest.mark.parametrize("a, b", [("Caf\u00e9", "Cafe\u0301"), ("a\r\nb", "a\nb"), ("x ", "x"), ("\ufeffx", "x")])
def test_textutil_content_hash_is_exact(a, b):
    assert content_hash(a) != content_hash(b)
    assert content_hash(a) == content_hash(str(a))


def test_textutil_content_hash_survives_surrogates():
    assert len(content_hash("a\ud800")) == 32


@pytest.mark.parametrize("text, expected", [("\ufeffabc", "abc"), ("\ufeff\ufeffa", "\ufeffa"), ("a\ufeff", "a\ufeff"),
                                            ("", "")])
def test_textutil_strip_bom_only_one_leading(text, expected):
    assert strip_bom(text) == expected


@pytest.mark.parametrize("text, index", [("abc", None), ("\U0001F30D", None), ("ab\ud800", 2), ("\udc00x", 0),
                                         ("\U0001F30D\udfff", 1)])
def test_textutil_find_lone_surrogate(text, index):
    assert find_lone_surrogate(text) == index


@pytest.mark.parametrize("text, blank", [("", True), (" \t\r\n", True), ("\u3000\u2028", True), ("\u200b", False),
                                         ("x", False)])
def test_textutil_is_blank(text, blank):
    assert is_blank(text) is blank


def test_textutil_path_text():
    assert path_text("caf\u00e9/\U0001F30D.txt") == "caf\u00e9/\U0001F30D.txt"
    name = os.fsdecode(b"caf\xe9.txt")
    shown = path_text(name)
    shown.encode("utf-8")
    assert shown == "caf\\xe9.txt"


def test_textutil_snippet():
    assert snippet("a\r\nb\tc") == "a b c"
    long = snippet("word " * 100, 20)
    assert len(long) <= 20 and long.endswith("…")


@pytest.mark.parametrize("text, rtl", [
    ("قال الوزير إن المحادثات كانت بناءة.", True),  # Arabic
    ("«2024» — שר האוצר אמר", True),  # Hebrew after digits and punctuation
    ("ܫܠܡܐ", True),  # Syriac
    ("The minister said قال الوزير today.", False),  # an English article quoting Arabic
    ("12, 13 — 😀 Lisbon", False),
    ("", False), ("2024 — 15 %", False),  # no letter at all: left to right
])
def test_textutil_right_to_left_is_decided_by_the_first_letter(text, rtl):
    assert is_right_to_left(text) is rtl
