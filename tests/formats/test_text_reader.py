"""Plain-text reader: one file is one document, stored exactly as it arrived."""

from __future__ import annotations

from pathlib import Path

import pytest

from annotator.core.problems import InputError, Problem
from annotator.core.records import DocumentRecord
from annotator.formats import ReadOptions, reader_for
from annotator.formats.plain_text import first_line_title

EXACT_TEXTS = {
    "crlf": "one\r\ntwo\r\n",
    "lone-cr": "one\rtwo\r",
    "tabs-trailing": "\tindented  \n  trailing   \n\n",
    "nfd": "Cafe\u0301 e\u0301",
    "nfc": "Caf\u00e9",
    "emoji": "Hello \U0001F30D world",
    "zwj-emoji": "\U0001F469\u200d\u2695\ufe0f doctor",
    "flag": "\U0001F1FA\U0001F1E6 Ukraine",
    "cjk-ext-b": "\U00020000\U0002A6D6 chars",
    "arabic": "\u0645\u0631\u062d\u0628\u0627 \u0628\u0627\u0644\u0639\u0627\u0644\u0645",
    "hebrew": "\u05e9\u05dc\u05d5\u05dd \u05e2\u05d5\u05dc\u05dd",
    "zwnj": "\u0645\u06cc\u200c\u062e\u0648\u0627\u0647\u0645",
    "line-separator": "a\u2028b\u2029c\x85d\x0be\x0cf",
    "sql": "'); DROP TABLE documents;--",
    "html": "<script>alert('x')</script> &amp; <b>bold</b>",
    "inner-bom": "start \ufeff middle",
}


def _read(path: Path) -> list[DocumentRecord | Problem]:
    """Every item the reader yields; a whole-file fault (InputError) appended as its problems."""
    items: list[DocumentRecord | Problem] = []
    try:
        items.extend(reader_for("text").read(path, ReadOptions()))
    except InputError as exc:
        items.extend(exc.problems)
    return items


@pytest.mark.parametrize("text", EXACT_TEXTS.values(), ids=EXACT_TEXTS.keys())
def test_text_reader_stores_text_exactly(tmp_path, text):
    path = tmp_path / "article.txt"
    path.write_bytes(text.encode("utf-8"))
    [doc] = _read(path)
    assert doc.text == text
    # The title: the first line when it reads as a headline (a line with more text after it).
    assert doc.line == 1 and doc.title == (first_line_title(text) or "article") and doc.source == str(path)


def test_text_reader_drops_one_leading_bom(tmp_path):
    path = tmp_path / "bom.txt"
    path.write_bytes(b"\xef\xbb\xbf\xef\xbb\xbfText")
    [doc] = _read(path)
    assert doc.text == "\ufeffText"


def test_text_reader_two_megabyte_article(tmp_path):
    text = "Ein Satz mit \U0001F30D und e\u0301.\r\n" * 90_000
    assert len(text) > 2_000_000
    path = tmp_path / "big.txt"
    path.write_bytes(text.encode("utf-8"))
    [doc] = _read(path)
    assert doc.text == text


@pytest.mark.parametrize(
    "content, line, message",
    [
        (b"line one\nline two\nbad \xff here\n", 3, "byte offset 22"),
        (b"\xc3(", 1, "byte offset 0"),
        (b"text\x00more", 1, "NUL byte at byte offset 4"),
        (b"a\n" * 10_000 + b"\x00", 10_001, "NUL byte at byte offset 20000"),
        ("utf16".encode("utf-16"), None, "UTF-16"),
    ],
    ids=["ff-line3", "bad-start", "nul", "nul-after-sniff", "utf16"],
)
def test_text_reader_refuses_undecodable(tmp_path, content, line, message):
    path = tmp_path / "bad.txt"
    path.write_bytes(content)
    [problem] = _read(path)
    assert isinstance(problem, Problem) and problem.is_error
    assert problem.file == str(path) and problem.line == line
    assert message in problem.message


def test_text_reader_non_utf8_file_name(tmp_path):
    import os

    raw_name = os.fsencode(str(tmp_path)) + b"/caf\xe9.txt"
    try:
        with open(raw_name, "wb") as handle:
            handle.write(b"text")
    except OSError:
        pytest.skip("file system refuses non-UTF-8 names")
    path = Path(os.fsdecode(raw_name))
    [doc] = _read(path)
    assert doc.text == "text"
    doc.source.encode("utf-8")  # storable: no lone surrogates
    doc.title.encode("utf-8")
    assert "\\xe9" in doc.title


def test_text_reader_whole_file_fault_raises(tmp_path):
    path = tmp_path / "bad.txt"
    path.write_bytes(b"ok\n\xff")
    with pytest.raises(InputError):
        list(reader_for("text").read(path, ReadOptions()))


@pytest.mark.parametrize(("text", "title_from", "expected"), [
    ("Port strike ends after ten days\n\nDock workers voted on Monday.", "auto", "Port strike ends after ten days"),
    ("\n  Headline  with   spaces \nBody follows at once.", "auto", "Headline with spaces"),
    ("Only one line, no body.", "auto", "3f9a2c"),  # a lone line is the text, not a headline
    ("x" * 250 + "\n\nbody", "auto", "3f9a2c"),  # a paragraph is not a headline
    ("x" * 250 + "\n\nbody", "first-line", "x" * 250),
    ("Port strike ends\n\nbody", "filename", "3f9a2c"),
    ("   \n\n", "auto", "3f9a2c"),
])
def test_text_reader_title_from_the_first_line(tmp_path, text, title_from, expected):
    path = tmp_path / "3f9a2c.txt"
    path.write_text(text, encoding="utf-8", newline="")
    [record] = reader_for("text").read(path, ReadOptions(title_from=title_from))
    assert record.title == expected
    assert record.text == text and record.source == str(path)  # the text keeps its first line


def test_text_reader_unknown_title_source_is_refused(tmp_path):
    path = tmp_path / "a.txt"
    path.write_text("Title\n\nbody", encoding="utf-8")
    with pytest.raises(InputError, match="title_from"):
        list(reader_for("text").read(path, ReadOptions(title_from="middle")))
