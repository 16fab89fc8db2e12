"""CSV / TSV: one row per document; one column holds the text, the others go to meta."""

from __future__ import annotations

import csv
from pathlib import Path

from ..core.problems import InputError, Problem
from ..core.records import DocumentRecord
from .decoding import check_utf8_stream
from .fields import surrogate_problem
from .registry import Reader, ReadOptions, RecordStream, register

csv.field_size_limit(2**31 - 1)  # a 2 MB article in one cell is normal here


def read_csv(path: Path, options: ReadOptions) -> RecordStream:
    file = str(path)
    try:
        check_utf8_stream(path)  # exact byte offsets for encoding faults before csv sees the text
    except InputError as exc:
        yield from exc.problems
        return
    delimiter = options.delimiter or ("\t" if path.suffix.lower() in (".tsv", ".tab") else ",")
    with path.open("r", encoding="utf-8-sig", newline="") as handle:
        reader = csv.reader(handle, delimiter=delimiter)
        try:
            header = next(reader)
        except StopIteration:
            yield Problem(file, 1, None, "the file is empty (a header row is needed)")
            return
        except csv.Error as exc:
            yield Problem(file, 1, None, f"unreadable CSV: {exc}")
            return
        if options.text_column not in header:
            yield Problem(file, 1, f"column {options.text_column!r}",
                          f"no such column; the header has: {', '.join(map(repr, header))} (use --text-column)")
            return
        if len(set(header)) != len(header):
            dupes = sorted({h for h in header if header.count(h) > 1})
            yield Problem(file, 1, None, f"duplicate column names: {', '.join(map(repr, dupes))}")
            return
        text_index = header.index(options.text_column)
        title_column = options.title_column or ("title" if "title" in header else None)
        if title_column is not None and title_column not in header:
            yield Problem(file, 1, f"column {title_column!r}", "no such column (use --title-column)")
            return
        first_line = reader.line_num + 1
        while True:
            try:
                row = next(reader)
            except StopIteration:
                break
            except csv.Error as exc:
                yield Problem(file, first_line, None, f"unreadable CSV row: {exc}")
                return
            line, first_line = first_line, reader.line_num + 1
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
