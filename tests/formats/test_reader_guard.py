"""One guard around every reader: whatever a reader did not foresee refuses its file with
``file:line: field:``, never a traceback; and messages quote at most ~80 characters of a value."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from annotator.core.problems import InputError, Problem
from annotator.core.records import DocumentRecord
from annotator.core.textutil import QUOTE_LIMIT, clip_quoted, quoted
from annotator.formats import registry
from annotator.formats.registry import READERS, Reader, ReadOptions, reader_for, register
from annotator.workflows.importing import import_paths


def test_reader_guard_wraps_every_registered_reader():
    reader_for("text")  # loads the built-in readers
    import annotator.workflows.nlp_formats  # noqa: F401  (registers the DocBin reader)

    assert {"text", "csv", "prodigy", "doccano", "labelstudio", "brat", "conll", "spacy"} <= set(READERS)
    for reader in READERS.values():
        assert getattr(reader.read, "__wrapped__", None) is not None, reader.name


def _faulty(path: Path, options: ReadOptions):
    yield DocumentRecord("A good record.", 1, source=str(path))
    for line in (2, 3):
        where = f"records[{line}].value"
        if line == 3:
            where.endswith(42)  # type: ignore[arg-type]  # a check a reader forgot
        yield DocumentRecord("Another.", line, source=str(path))


@pytest.fixture
def faulty_format(monkeypatch):
    reader_for("text")
    monkeypatch.setitem(READERS, "faulty", registry.READERS["text"])  # replaced below, restored after
    register(Reader("faulty", "a reader with a bug", (".faulty",), _faulty))
    return "faulty"


def test_reader_guard_names_file_line_and_field_of_an_unforeseen_fault(tmp_path, faulty_format):
    path = tmp_path / "in.faulty"
    path.write_text("x")
    read = READERS[faulty_format].read(path, ReadOptions())
    assert next(read).line == 1
    assert next(read).line == 2
    with pytest.raises(InputError) as caught:
        next(read)
    problem, = caught.value.problems
    assert (problem.file, problem.line, problem.field) == (str(path), 3, "records[3].value")
    assert "TypeError" in problem.message


def test_reader_guard_refuses_the_file_and_keeps_the_project(project, tmp_path, faulty_format):
    path = tmp_path / "in.faulty"
    path.write_text("x")
    report = import_paths(project, [path])
    assert report.refused and project.document_count() == 0
    assert str(report.files[0].errors[0]).startswith(f"{path}:3: records[3].value: ")


def test_reader_guard_checks_after_reading_are_guarded_too(project, tmp_path, monkeypatch):
    """A fault in the import's own checks (not the reader's) refuses the file at the record's line."""
    from annotator.workflows import importing

    def broken(*_args):
        raise KeyError("surprise")

    monkeypatch.setattr(importing, "check_claims_and_extras", broken)
    path = tmp_path / "a.jsonl"
    path.write_text(json.dumps({"text": "One."}) + "\n" + json.dumps({"text": "Two."}) + "\n")
    report = import_paths(project, [path])
    assert report.refused and project.document_count() == 0
    assert report.files[0].errors[0].line == 1


def test_reader_guard_quoted_cuts_long_values():
    assert quoted("short") == "'short'"
    long = "x" * 100_114
    text = quoted(long)
    assert text.endswith("…' (100,114 characters)") and len(text) < QUOTE_LIMIT + 40
    assert quoted(list(range(1000))).endswith("characters)")


def test_reader_guard_problem_clips_a_value_quoted_whole():
    problem = Problem("a.json", 3, "x.text", f"span text {'é' * 5000!r} does not match the document at "
                      f"0-4 ({'abcd'!r}); the file's offsets may be UTF-16 units")
    text = str(problem)
    assert len(text) < 300 and "(5,000 characters)" in text and "('abcd')" in text and "file's" in text
    assert clip_quoted("it's the file's own 'name'") == "it's the file's own 'name'"
