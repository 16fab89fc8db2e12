"""CSV/TSV reader: a text column, other columns to meta, exact cells, physical line numbers."""

from __future__ import annotations

from pathlib import Path

import pytest

from annotator.core.problems import InputError, Problem
from annotator.core.records import DocumentRecord
from annotator.formats import ReadOptions, guess_format, reader_for


def _read(path: Path, **options) -> list[DocumentRecord | Problem]:
    """Every item the reader yields; a whole-file fault (InputError) appended as its problems."""
    items: list[DocumentRecord | Problem] = []
    try:
        items.extend(reader_for("csv").read(path, ReadOptions(**options)))
    except InputError as exc:
        items.extend(exc.problems)
    return items


def _write(tmp_path: Path, content: bytes, name: str = "articles.csv") -> Path:
    path = tmp_path / name
    path.write_bytes(content)
    return path


@pytest.mark.parametrize("name, fmt", [("a.csv", "csv"), ("a.tsv", "csv"), ("a.TSV", "csv"), ("a.tab", "csv"),
                                       ("a.jsonl", "prodigy"), ("a.txt", "text"), ("a.pdf", None)])
def test_csv_reader_guess_format_by_suffix(name, fmt):
    assert guess_format(Path(name)) == fmt


def test_csv_reader_text_column_and_meta(tmp_path):
    path = _write(tmp_path, b"id,text,source\n1,Ann met Bob.,wire\n2,Second,paper\n")
    docs = _read(path)
    assert [d.text for d in docs] == ["Ann met Bob.", "Second"]
    assert docs[0].meta == {"id": "1", "source": "wire"}
    assert [d.line for d in docs] == [2, 3]
    assert docs[0].source == str(path)


def test_csv_reader_chosen_text_column_and_title(tmp_path):
    path = _write(tmp_path, b"body,headline,title\nText one,H1,T1\n")
    [doc] = _read(path, text_column="body", title_column="headline")
    assert doc.text == "Text one" and doc.title == "H1" and doc.meta == {"title": "T1"}
    [doc] = _read(path, text_column="body")
    assert doc.title == "T1" and doc.meta == {"headline": "H1"}


def test_csv_reader_tsv_by_suffix(tmp_path):
    path = _write(tmp_path, b"text\tsource\nhas, commas, inside\twire\n", "a.tsv")
    [doc] = _read(path)
    assert doc.text == "has, commas, inside" and doc.meta == {"source": "wire"}


def test_csv_reader_bom_dropped_from_header(tmp_path):
    path = _write(tmp_path, b"\xef\xbb\xbftext,id\nhello,1\n")
    [doc] = _read(path)
    assert doc.text == "hello" and doc.meta == {"id": "1"}


def test_csv_reader_quoted_newlines_keep_next_line_number(tmp_path):
    content = (b'text,id\n'
               b'"line one\nline two\r\nline three",1\n'  # record on lines 2-4
               b'"lone\rcr",2\n'  # line 5: a lone CR is not a line
               b'plain,3\n')  # line 6
    docs = _read(_write(tmp_path, content))
    assert [d.text for d in docs] == ["line one\nline two\r\nline three", "lone\rcr", "plain"]
    assert [d.line for d in docs] == [2, 5, 6]


def test_csv_reader_crlf_rows_keep_cell_text(tmp_path):
    docs = _read(_write(tmp_path, b'text,id\r\n"  spaced\ttext  ",1\r\nnext,2\r\n'))
    assert [d.text for d in docs] == ["  spaced\ttext  ", "next"]
    assert [d.line for d in docs] == [2, 3]


def test_csv_reader_exact_unicode_cell(tmp_path):
    text = ("e\u0301 \U0001F469\u200d\u2695\ufe0f \U00020000 \u0645\u0631\u062d\u0628\u0627 \u2028 "
            "'); DROP TABLE documents;--")
    content = "text\n".encode() + ('"' + text.replace('"', '""') + '"\n').encode("utf-8")
    [doc] = _read(_write(tmp_path, content))
    assert doc.text == text


def test_csv_reader_two_megabyte_cell(tmp_path):
    text = "word, \"quoted\"\nnext line " * 100_000
    assert len(text) >= 2_000_000
    content = b"id,text\n1,\"" + text.replace('"', '""').encode() + b"\"\n2,after\n"
    docs = _read(_write(tmp_path, content))
    assert docs[0].text == text
    assert docs[1].text == "after" and docs[1].line == 2 + text.count("\n") + 1


def test_csv_reader_missing_text_column_names_header(tmp_path):
    path = _write(tmp_path, b"body,id\nx,1\n")
    [problem] = _read(path)
    assert isinstance(problem, Problem) and problem.line == 1
    assert "'text'" in problem.field
    assert "'body'" in problem.message and "'id'" in problem.message


@pytest.mark.parametrize(
    "content, line, message",
    [
        (b"text,id\nok,1\ntoo,many,cells\n", 3, "3 columns, the header has 2"),
        (b"text,id\nok,1\nshort\n", 3, "1 columns, the header has 2"),
        (b"text,id\n\"multi\nline\",1\nbad\n", 4, "columns"),
        (b"", 1, "empty"),
        (b"text,text\nx,y\n", 1, "duplicate column"),
        (b"text,id\nok,1\n\"unterminated,2\n", 3, "unreadable CSV"),
        (b'text,id\nok,1\n"a"b,2\n', 3, "unreadable CSV"),
        (b"text,id\nok,1\ncaf\xff,2\n", 3, "byte offset 16"),
        (b"text,id\nok,1\nx\x00y,2\n", 3, "NUL"),
        (b"text,id\nok,1\n", None, None),
    ],
    ids=["too-many", "too-few", "after-multiline", "empty-file", "duplicate-header", "unterminated-quote",
         "stray-quote", "invalid-utf8", "nul-byte", "good"],
)
def test_csv_reader_reports_bad_rows(tmp_path, content, line, message):
    path = _write(tmp_path, content)
    items = _read(path)
    problems = [i for i in items if isinstance(i, Problem)]
    if message is None:
        assert problems == []
        return
    assert problems, items
    assert problems[0].is_error and problems[0].file == str(path)
    assert problems[0].line == line, problems[0]
    assert message in problems[0].message, problems[0]


@pytest.mark.parametrize(
    "content",
    [b"", b"body\nx\n", b"text,text\nx,y\n", b"text\nok\n\"open\n", b"text\n\xff\n", b"text\n\x00\n"],
    ids=["empty", "no-text-column", "duplicate-header", "unterminated", "invalid-utf8", "binary"],
)
def test_csv_reader_whole_file_fault_raises(tmp_path, content):
    with pytest.raises(InputError):
        list(reader_for("csv").read(_write(tmp_path, content), ReadOptions()))


def test_csv_reader_title_column_missing(tmp_path):
    [problem] = _read(_write(tmp_path, b"text\nx\n"), title_column="headline")
    assert isinstance(problem, Problem) and "'headline'" in problem.field


def test_csv_reader_continues_after_bad_row(tmp_path):
    items = _read(_write(tmp_path, b"text,id\na,1\nb\nc,3\n"))
    assert [type(i).__name__ for i in items] == ["DocumentRecord", "Problem", "DocumentRecord"]
    assert items[2].line == 4
