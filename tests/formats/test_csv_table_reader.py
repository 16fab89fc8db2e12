"""The CSV/TSV reader: columns, quoting, physical line numbers, exact cells."""

from __future__ import annotations

from pathlib import Path

import pytest

from annotator.core.problems import InputError, Problem
from annotator.core.records import DocumentRecord
from annotator.formats.csv_table import read_csv
from annotator.formats.registry import ReadOptions, guess_format


def read(tmp_path: Path, name: str, data: bytes, **options: object) -> list[DocumentRecord | Problem]:
    path = tmp_path / name
    path.write_bytes(data)
    return list(read_csv(path, ReadOptions(**options)))  # type: ignore[arg-type]


def records(items: list) -> list[DocumentRecord]:
    assert all(isinstance(i, DocumentRecord) for i in items), [str(i) for i in items]
    return items


def test_csv_reader_text_title_and_meta_columns(tmp_path):
    items = read(tmp_path, "in.csv", b"id,title,text,url\n1,Head,Body text,http://x\n")

    (record,) = records(items)
    assert (record.text, record.title, record.line) == ("Body text", "Head", 2)
    assert record.meta == {"id": "1", "url": "http://x"}
    assert record.source == str(tmp_path / "in.csv")


def test_csv_reader_title_column_option(tmp_path):
    items = read(tmp_path, "in.csv", b"headline,text\nH,B\n", title_column="headline")

    assert [(r.title, r.meta) for r in records(items)] == [("H", {})]


def test_csv_reader_missing_title_column_is_refused(tmp_path):
    with pytest.raises(InputError) as caught:
        read(tmp_path, "in.csv", b"text\nB\n", title_column="headline")

    (problem,) = caught.value.problems
    assert (problem.line, problem.field) == (1, "column 'headline'")


@pytest.mark.parametrize(
    ("cell", "raw"),
    [
        ("two\nlines", b'"two\nlines"'),
        ("crlf\r\ninside", b'"crlf\r\ninside"'),
        ("lone\rcr", b'"lone\rcr"'),
        ("three\n\n\nlines", b'"three\n\n\nlines"'),
    ],
)
def test_csv_reader_line_numbers_after_multiline_cells(tmp_path, cell, raw):
    data = b"text,n\n" + raw + b",1\nnext,2\n" + raw + b",3\nlast,4,extra\n"

    items = read(tmp_path, "in.csv", data)

    newlines = raw.count(b"\n")
    first, second, third, problem = items
    assert (first.text, first.line) == (cell, 2)
    assert (second.text, second.line) == ("next", 3 + newlines)
    assert (third.text, third.line) == (cell, 4 + newlines)
    assert isinstance(problem, Problem)
    assert problem.line == 5 + 2 * newlines
    assert "3 columns, the header has 2" in problem.message


def test_csv_reader_crlf_row_ends_are_not_text(tmp_path):
    items = read(tmp_path, "in.csv", b"text,n\r\nplain  ,1\r\n\"quoted \r\n\",2\r\n")

    assert [(r.text, r.line) for r in records(items)] == [("plain  ", 2), ("quoted \r\n", 3)]


def test_csv_reader_bom_is_dropped_from_header_only(tmp_path):
    items = read(tmp_path, "in.csv", "\ufefftext\n\ufeffinner\n".encode())

    assert [r.text for r in records(items)] == ["\ufeffinner"]


def test_csv_reader_tsv_by_suffix_keeps_commas(tmp_path):
    items = read(tmp_path, "in.tsv", b"text\tsource\nHello, world; a, b\tAP\n")

    assert [(r.text, r.meta) for r in records(items)] == [("Hello, world; a, b", {"source": "AP"})]
    assert guess_format(Path("x.tsv")) == guess_format(Path("x.TAB")) == "csv"


def test_csv_reader_missing_text_column_names_the_header(tmp_path):
    with pytest.raises(InputError) as caught:
        read(tmp_path, "in.csv", b"body,author\nx,y\n")

    (problem,) = caught.value.problems
    assert (problem.line, problem.field) == (1, "column 'text'")
    assert "'body', 'author'" in problem.message and "--text-column" in problem.message


def test_csv_reader_text_column_option(tmp_path):
    items = read(tmp_path, "in.csv", b"body,author\nx,y\n", text_column="body")

    assert [(r.text, r.meta) for r in records(items)] == [("x", {"author": "y"})]


def test_csv_reader_two_megabyte_cell(tmp_path):
    big = ("Zwei Megabyte 🌍 \"quoted\", " * 90_000)[: 2 * 1024 * 1024]
    quoted = '"' + big.replace('"', '""') + '"'

    items = read(tmp_path, "in.csv", ("text,n\n" + quoted + ",1\nafter,2\n").encode())

    first, second = records(items)
    assert first.text == big and len(first.text) == 2 * 1024 * 1024
    assert second.line == 3


@pytest.mark.parametrize(
    ("data", "line", "message"),
    [
        (b"text,n\na,1\nb\n", 3, "1 columns, the header has 2"),
        (b"text,n\na,1,2,3\n", 2, "4 columns"),
    ],
)
def test_csv_reader_record_problems(tmp_path, data, line, message):
    items = read(tmp_path, "in.csv", data)

    problems = [i for i in items if isinstance(i, Problem)]
    assert len(problems) == 1
    assert problems[0].line == line
    assert message in problems[0].message


@pytest.mark.parametrize(
    ("data", "line", "message"),
    [
        (b'text,n\n"Hello," she said,1\n', 2, "unreadable CSV row"),
        (b'text,n\nok,1\n"never closed,2\nmore\n', 3, "unreadable CSV row"),
        (b"text,n\nok,1\ncaf\xe9,2\n", 3, "invalid UTF-8 at byte offset 15"),
        (b"text,text\na,b\n", 1, "duplicate column names: 'text'"),
        (b"", 1, "empty"),
    ],
)
def test_csv_reader_whole_file_faults_raise(tmp_path, data, line, message):
    with pytest.raises(InputError) as caught:
        read(tmp_path, "in.csv", data)

    (problem,) = caught.value.problems
    assert problem.line == line
    assert message in problem.message


def test_csv_reader_quotes_inside_unquoted_cells_are_kept(tmp_path):
    items = read(tmp_path, "in.csv", b'text,n\nhe said "no" twice,1\n')

    assert [r.text for r in records(items)] == ['he said "no" twice']


def test_csv_reader_blank_lines_are_skipped(tmp_path):
    items = read(tmp_path, "in.csv", b"text\n\na\n\nb\n")

    assert [(r.text, r.line) for r in records(items)] == [("a", 3), ("b", 5)]


def test_csv_reader_empty_cell_is_a_blank_record(tmp_path):
    items = read(tmp_path, "in.csv", b'text,n\n"",1\n   ,2\n')

    assert [r.text for r in records(items)] == ["", "   "]
