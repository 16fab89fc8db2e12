"""Bytes to text: strict UTF-8, BOM, binary detection, lines split on \\n only; plain-text reader."""

from __future__ import annotations

import pytest

from annotator.core.problems import InputError, Problem
from annotator.formats.decoding import SNIFF_BYTES, iter_lines, read_text
from annotator.formats.plain_text import read_plain_text
from annotator.formats.registry import ReadOptions


def test_decoding_iter_lines_splits_on_newline_only(tmp_path):
    path = tmp_path / "x"
    path.write_bytes("a\u2028b\r\nc\rd\x85e\x0bf\x0cg\u2029h\n\nlast".encode())

    assert list(iter_lines(path)) == [(1, "a\u2028b\r"), (2, "c\rd\x85e\x0bf\x0cg\u2029h"), (3, ""), (4, "last")]


def test_decoding_iter_lines_reports_bad_line_and_continues(tmp_path):
    path = tmp_path / "x"
    path.write_bytes(b"\xef\xbb\xbfok\nstill ok\nbad \xc3\x28 here\nafter\n")

    items = list(iter_lines(path))

    assert items[0] == (1, "ok") and items[1] == (2, "still ok") and items[3] == (4, "after")
    problem = items[2]
    assert isinstance(problem, Problem) and problem.line == 3
    assert "byte offset 19 (bytes c3 28" in problem.message  # the BOM counts: offsets are file bytes


def test_decoding_iter_lines_truncated_sequence_at_end(tmp_path):
    path = tmp_path / "x"
    path.write_bytes(b"ok\n\xf0\x9f\x8c")

    problem = list(iter_lines(path))[1]

    assert isinstance(problem, Problem) and problem.line == 2 and "byte offset 3 " in problem.message


def test_decoding_iter_lines_binary_head_raises(tmp_path):
    path = tmp_path / "x"
    path.write_bytes(b"ok\nbin\x00ary")

    with pytest.raises(InputError) as caught:
        list(iter_lines(path))

    (problem,) = caught.value.problems
    assert problem.line == 2 and "NUL byte at byte offset 6" in problem.message


def test_decoding_iter_lines_nul_after_head_is_a_line_problem(tmp_path):
    path = tmp_path / "x"
    path.write_bytes(b"a" * SNIFF_BYTES + b"\nx\x00y\nz\n")

    items = list(iter_lines(path))

    assert isinstance(items[1], Problem) and items[1].line == 2
    assert f"byte offset {SNIFF_BYTES + 2}" in items[1].message
    assert items[2] == (3, "z")


def test_decoding_read_text_exact(tmp_path):
    path = tmp_path / "x.txt"
    text = "\ufeff kept\r\n\rlines\t \u2028 e\u0301 🌍 "
    path.write_bytes(b"\xef\xbb\xbf" + text.encode())

    assert read_text(path) == text


@pytest.mark.parametrize(
    ("data", "line", "fragment"),
    [
        (b"line one\nline two\n\xff third", 3, "byte offset 18 (bytes ff"),
        (b"\xef\xbb\xbf\xc0\xaf", 1, "byte offset 3 "),  # overlong encoding
        (b"\xed\xb2\x80", 1, "byte offset 0 "),  # an encoded lone surrogate is not UTF-8
        (b"a" * 10_000 + b"\n\x00", 2, "NUL byte at byte offset 10001"),
    ],
)
def test_decoding_read_text_refuses_bad_bytes(tmp_path, data, line, fragment):
    path = tmp_path / "x.txt"
    path.write_bytes(data)

    with pytest.raises(InputError) as caught:
        read_text(path)

    (problem,) = caught.value.problems
    assert problem.line == line and fragment in problem.message


def test_decoding_plain_text_reader_one_record(tmp_path):
    path = tmp_path / "My Article.txt"
    path.write_bytes(b"Body\r\n")

    (record,) = read_plain_text(path, ReadOptions())

    assert (record.text, record.title, record.source, record.line) == ("Body\r\n", "My Article", str(path), 1)


def test_decoding_plain_text_reader_undecodable_file_raises(tmp_path):
    path = tmp_path / "x.txt"
    path.write_bytes(b"\xff")

    with pytest.raises(InputError) as caught:
        list(read_plain_text(path, ReadOptions()))

    (problem,) = caught.value.problems
    assert problem.file == str(path) and problem.line == 1
