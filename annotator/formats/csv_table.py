"""CSV / TSV: one row per document; one column holds the text, the others go to meta."""

from __future__ import annotations

import csv
from collections.abc import Iterator
from pathlib import Path

from ..core.problems import InputError, Problem
from ..core.records import DocumentRecord
from ..core.textutil import path_text, quoted
from .decoding import check_utf8_stream
from .fields import surrogate_problem
from .registry import Reader, ReadOptions, RecordStream, register

csv.field_size_limit(2**31 - 1)  # a 2 MB article in one cell is normal here


ANNOTATION_COLUMNS = {"label", "labels", "spans", "entities", "annotations", "relations", "ner", "cats"}


def read_csv(path: Path, options: ReadOptions) -> RecordStream:
    file = path_text(path)
    # Whole-file faults (encoding, header, a row the csv module cannot resync after) raise
    # InputError, as the registry promises, so the file is refused even with skip_invalid;
    # yielded as record problems, such a file was reported as imported with nothing (or only
    # its first rows) in it.
    check_utf8_stream(path)  # exact byte offsets for encoding faults before csv sees the text
    delimiter = options.delimiter or ("\t" if path.suffix.lower() in (".tsv", ".tab") else ",")
    with path.open("r", encoding="utf-8-sig", newline="") as handle:
        # Physical lines count "\n" only, like every other message (and the UTF-8 check above):
        # reader.line_num also counted a lone "\r" inside a quoted cell, so every later row
        # was reported one line too far. Counted before each chunk is handed over, because
        # the csv reader never reads past the end of the row it returns.
        newlines = 0

        def chunks() -> Iterator[str]:
            nonlocal newlines
            for chunk in handle:
                newlines += chunk.count("\n")
                yield chunk

        # strict: with the default, a malformed quoted cell ('"Hello," she said') or an
        # unterminated quote was silently rewritten (quotes dropped, or the rest of the file
        # swallowed into one cell); refusing with a line number keeps text exact.
        reader = csv.reader(chunks(), delimiter=delimiter, strict=True)
        try:
            header = next(reader)
        except StopIteration:
            raise InputError([Problem(file, 1, None, "the file is empty (a header row is needed)")]) from None
        except csv.Error as exc:
            raise InputError([Problem(file, 1, None, f"unreadable CSV: {exc}")]) from exc
        if options.text_column not in header:
            raise InputError([Problem(
                file, 1, f"column {quoted(options.text_column)}",
                f"no such column; the header has: {', '.join(map(repr, header))} (use --text-column)")])
        if len(set(header)) != len(header):
            dupes = sorted({h for h in header if header.count(h) > 1})
            raise InputError([Problem(file, 1, None, f"duplicate column names: {', '.join(map(repr, dupes))}")])
        text_index = header.index(options.text_column)
        title_column = options.title_column or ("title" if "title" in header else None)
        if title_column is not None and title_column not in header:
            raise InputError([Problem(file, 1, f"column {quoted(title_column)}", "no such column (use --title-column)")])
        # A column that holds annotations in another tool (doccano's label, Prodigy's spans) is
        # text in a table: kept in meta, and said so, never taken silently for "no spans".
        for name in [h for h in header if h.strip().lower() in ANNOTATION_COLUMNS]:
            yield Problem(file, 1, f"column {quoted(name)}", "kept in each document's meta as text: a CSV file's "
                          "annotations are not read (export them as JSONL from their tool)", "notice")
        first_line = newlines + 1
        while True:
            try:
                row = next(reader)
            except StopIteration:
                break
            except csv.Error as exc:
                raise InputError([Problem(
                    file, first_line, None, f"unreadable CSV row: {exc} (the rest of the file was not read)")]) from exc
            line, first_line = first_line, newlines + 1
            if not row:
                continue
            if len(row) != len(header):
                yield Problem(file, line, None, f"row has {len(row)} columns, the header has {len(header)}")
                continue
            text = row[text_index]
            if (problem := surrogate_problem(file, line, options.text_column, text)) is not None:
                yield problem
                continue
            meta = {name: value for name, value in zip(header, row) if name not in (options.text_column, title_column)}
            title = row[header.index(title_column)] if title_column else ""
            yield DocumentRecord(text=text, line=line, title=title, source=file, meta=meta)


register(Reader("csv", "CSV or TSV with a text column (--text-column); other columns become meta",
                (".csv", ".tsv", ".tab"), read_csv), "tsv")
