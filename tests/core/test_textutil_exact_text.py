"""Text facts: content hash, BOM, lone surrogates, blank, printable paths."""

from __future__ import annotations

import os

import pytest

from annotator.core.textutil import content_hash, find_lone_surrogate, is_blank, path_text, snippet, strip_bom


def test_textutil_content_hash_is_exact():
    variants = ["caf\u00e9", "cafe\u0301", "caf\u00e9 ", "caf\u00e9\r\n", "caf\u00e9\n", "\ufeffcaf\u00e9"]

    assert len({content_hash(v) for v in variants}) == len(variants)
    assert content_hash("🌍") == content_hash("🌍")
    assert content_hash("\ud800")  # malformed text hashes instead of raising


def test_textutil_strip_bom_drops_one():
    assert strip_bom("\ufeff\ufeffx") == "\ufeffx"
    assert strip_bom("x\ufeff") == "x\ufeff"


@pytest.mark.parametrize(("text", "index"), [("ok 🌍", None), ("\ud800", 0), ("ab\udfffc", 2), ("🌍\udc00", 1)])
def test_textutil_find_lone_surrogate(text, index):
    assert find_lone_surrogate(text) == index


@pytest.mark.parametrize(("text", "blank"), [("", True), (" \t\r\n\u2028\u3000\x85", True), ("\u200b", False),
                                             (" x ", False)])
def test_textutil_is_blank(text, blank):
    assert is_blank(text) is blank


def test_textutil_path_text_keeps_valid_names_and_escapes_undecodable_bytes():
    assert path_text("dir/Ünïcode 🌍.txt") == "dir/Ünïcode 🌍.txt"
    escaped = path_text(os.fsdecode(b"dir/caf\xe9.txt"))
    assert escaped == "dir/caf\\xe9.txt"
    escaped.encode("utf-8")
    assert path_text("\ud800.txt").encode("utf-8")


def test_textutil_snippet_is_one_line():
    assert snippet("a\r\nb\u2028c   d") == "a b c d"
    assert len(snippet("word " * 100, 20)) <= 20
