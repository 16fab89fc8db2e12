"""CoNLL-2003 / IOB token-per-line, both directions (entities only).

Read: one token per line, the NER tag in the last column, columns split on spaces or tabs;
a blank line ends a sentence; ``-DOCSTART- -X- -X- O`` (or ``-DOCSTART- -X- O O``) starts a
document (a file without one is one document). spaCy's one-sentence-per-line IOB
(``word|TAG`` or ``word|POS|TAG`` items, what ``spacy convert`` reads from ``.iob``) is read
too, a line a sentence. Tags in IOB2 (``B-PER I-PER``), IOB1 (an
entity starts with ``I-`` unless it follows one of the same type) or BIOES/BILOU; ``O`` is
outside. ``--tag-map PER=PERSON,LOC=GPE`` renames entity types. CoNLL keeps tokens, not
text: the text is rebuilt by joining a sentence's tokens with single spaces and sentences
with a line break, so offsets refer to that rebuilt text. The tokens are kept as the
document's own, so an export writes the same rows back.

Write: every document as ``-DOCSTART- -X- -X- O``, a blank line, then ``token _ _ TAG`` rows
in IOB2 from the document's own tokens (a CoNLL, Prodigy or WebAnno import keeps them), else
spaCy's (white-space tokens left out); a line break in the text ends a
sentence (blank line) unless an entity goes on across it. Only entity spans (label kind
"entity") are written; a span that cuts a token, or that overlaps another entity, is left out
and named in the notes. A label with white space in it is written with ``_`` for each
white-space character (``A B`` -> ``B-A_B``) and named in the notes. Title,
meta, claims, relations and document labels are not kept.
"""

from __future__ import annotations

import re
from pathlib import Path

from ..core.export import ExportDocument, TokenIndex
from ..core.problems import Problem
from ..core.records import DocumentRecord, SpanRecord
from ..core.textutil import path_text, quoted
from .decoding import iter_lines
from .fields import check_label
from .registry import Encoded, Reader, ReadOptions, RecordStream, Writer, WriteOptions, register, register_writer
from .writing import span_note, where as where_note

DOCSTART = "-DOCSTART-"
PREFIXES = {"B": "begin", "I": "inside", "E": "end", "L": "end", "S": "single", "U": "single"}
# Columns are split on spaces and tabs only (as the docs say): str.split() also splits on a
# no-break space, U+3000 and \r, which cut a token such as "New<NBSP>York" in two (its second
# half silently taken for a POS column) and read a \r-only file as one long line.
COLUMN_SEP = re.compile(r"[ \t]+")
# A WNUT-17 test file has rows such as "B-corporation,B-person": several tags in one column.
# partition("-") read that as one type "corporation,B-person", a label nobody meant.
# What would break a written row: a column separator, or a line break to str.splitlines. Other
# white space (a no-break space in "New<NBSP>York", as a file gave it) is written as it is,
# so the file's own tokens come back unchanged.
ROW_BREAKERS = " \t\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029"
SEVERAL_TAGS = re.compile(r",\s*(?:[BIESLU]-|O(?:,|$))")


class _Builder:
    """Tokens of one document -> text and spans."""

    def __init__(self, file: str, line: int, tag_map: dict[str, str]) -> None:
        self.file = file
        self.line = line
        self.tag_map = tag_map
        self.parts: list[str] = []
        self.length = 0
        self.sentence_open = False
        self.spans: list[SpanRecord] = []
        self.tokens: list[tuple[int, int]] = []  # the file's tokens: kept, and written back on export
        self.current: list | None = None  # [start, end, type, line]

    def token(self, number: int, token: str, tag: str) -> Problem | None:
        if self.sentence_open:
            self.parts.append(" ")
            self.length += 1
        elif self.parts:
            self.parts.append("\n")
            self.length += 1
        start = self.length
        self.parts.append(token)
        self.length += len(token)
        self.tokens.append((start, self.length))
        self.sentence_open = True
        if tag == "O":
            self._close()
            return None
        prefix, sep, kind = tag.partition("-")
        if not sep or prefix not in PREFIXES or not kind:
            return Problem(self.file, number, "tag", f"tag {quoted(tag)} is not O, B-TYPE, I-TYPE (IOB1/IOB2) or BIOES")
        kind = self.tag_map.get(kind, kind)
        if (problem := check_label(self.file, number, "tag", kind)) is not None:
            return problem
        if SEVERAL_TAGS.search(kind):
            return Problem(self.file, number, "tag", f"tag {quoted(tag)} holds several tags; a CoNLL row takes one "
                           "NER tag in its last column")
        role = PREFIXES[prefix]
        continues = self.current is not None and self.current[2] == kind and role in ("inside", "end")
        if continues:
            self.current[1] = self.length
        else:
            self._close()
            self.current = [start, self.length, kind, number]
        if role in ("end", "single"):
            self._close()
        return None

    def end_sentence(self) -> None:
        self._close()
        self.sentence_open = False

    def _close(self) -> None:
        if self.current is not None:
            start, end, kind, number = self.current
            self.spans.append(SpanRecord(start, end, kind, f"line {number}"))
            self.current = None

    def record(self, source: str) -> DocumentRecord | None:
        self._close()
        if not self.parts:
            return None
        return DocumentRecord(text="".join(self.parts), line=self.line, source=source, spans=self.spans,
                              tokens=tuple(self.tokens))


def read_conll(path: Path, options: ReadOptions) -> RecordStream:
    file = path_text(path)
    tag_map = dict(options.tag_map)
    builder = _Builder(file, 1, tag_map)
    failed = False
    for item in iter_lines(path):
        if isinstance(item, Problem):
            yield item
            failed = True
            continue
        number, line = item
        line = line.rstrip("\r")  # a CRLF file's \r; a \r inside the line is refused below
        stripped = line.strip(" \t")
        columns = COLUMN_SEP.split(stripped) if stripped else []
        if not columns:
            builder.end_sentence()
            continue
        if "\r" in line:
            yield Problem(file, number, None, "a carriage return (\\r) inside the line: lines must end with \\n or "
                          "\\r\\n (a file with old Mac \\r line endings? save it with \\n)")
            failed = True
            continue
        if columns[0] == DOCSTART:
            if not failed and (record := builder.record(file)) is not None:
                yield record
            builder, failed = _Builder(file, number, tag_map), False
            continue
        if all("|" in column for column in columns):
            # spaCy's one-sentence-per-line IOB (what `spacy convert` reads from .iob files):
            # word|TAG or word|POS|TAG items. A token row's tag never holds "|", so such a
            # line was always refused before: no file read as token rows reads differently.
            if not failed and (problem := _sentence_line(builder, number, columns)) is not None:
                yield problem
                failed = True
            continue
        if len(columns) < 2:
            yield Problem(file, number, "tag", f"a token line needs the token and its tag, got {quoted(line.strip())}")
            failed = True
            continue
        if failed:
            continue
        if columns[0].isspace():
            yield Problem(file, number, "token", f"token {quoted(columns[0])} is only white space")
            failed = True
            continue
        if (problem := builder.token(number, columns[0], columns[-1])) is not None:
            yield _with_hint(problem, columns)
            failed = True
    if not failed and (record := builder.record(file)) is not None:
        yield record


def _sentence_line(builder: _Builder, number: int, items: list[str]) -> Problem | None:
    """One line of spaCy's sentence-per-line IOB: a sentence of ``word|TAG`` or ``word|POS|TAG``."""
    builder.end_sentence()
    for i, item in enumerate(items, start=1):
        parts = item.split("|")
        if len(parts) not in (2, 3) or not parts[0]:
            return Problem(builder.file, number, "tag", f"item {i} {quoted(item)}: a sentence-per-line IOB item is "
                           "word|TAG or word|POS|TAG")
        if (problem := builder.token(number, parts[0], parts[-1])) is not None:
            return problem
    builder.end_sentence()
    return None


def _with_hint(problem: Problem, columns: list[str]) -> Problem:
    """A refused tag, with what the line more likely is when it is a comment or a CoNLL-U row
    (GermEval 2014 and CoNLL-U files have both; the bare "tag '1' is not O" misled)."""
    if columns[0].startswith("#"):
        hint = "a comment line? CoNLL-2003 files have none, and CoNLL-U and GermEval 2014 files are not read"
    elif len(columns) == 10 and columns[0].isdigit():
        hint = "a CoNLL-U row? CoNLL-U files are not read (the NER tag must be the last column)"
    else:
        return problem
    return Problem(problem.file, problem.line, problem.field, f"{problem.message}; {hint}")


def sniff(head: str) -> bool:
    return head.lstrip().startswith(DOCSTART)


def tag_label(label: str) -> str:
    """A label as a CoNLL tag can hold it: each white-space character becomes ``_``.

    Why: columns are split on spaces and tabs, so ``B-A B`` is a broken row (our own reader
    refuses it). Labels cannot hold line breaks (core.scheme), so this is the only case.
    """
    return "".join("_" if ch.isspace() else ch for ch in label)


def encode(doc: ExportDocument, options: WriteOptions) -> Encoded:
    if doc.tokens is None:
        raise ValueError("the CoNLL writer needs tokens")
    kinds = {label.name: label.kind for label in options.scheme.labels}
    index = TokenIndex(doc.tokens)
    notes: list[str] = []
    tags = ["O"] * len(doc.tokens)
    owner: list[object] = [None] * len(doc.tokens)
    placed = []
    for span in doc.spans:
        if kinds.get(span.label, "entity") != "entity":
            continue
        bounds = index.bounds(span.start, span.end)
        if bounds is None:
            notes.append(span_note(doc, span, "its edges are not token edges; left out of the CoNLL file"))
            continue
        placed.append((span, bounds))
    clashing = set()
    for span, (first, last) in placed:
        for i in range(first, last + 1):
            if owner[i] is not None:
                clashing.update({id(span), id(owner[i])})
            owner[i] = span
    renamed: set[str] = set()
    for span, (first, last) in placed:
        if id(span) in clashing:
            notes.append(span_note(doc, span, "overlaps another entity; left out of the CoNLL file"))
            continue
        tag = tag_label(span.label)
        if tag != span.label and span.label not in renamed:
            renamed.add(span.label)
            notes.append(f"{where_note(doc)}: label {quoted(span.label)} written as {quoted(tag)}: a CoNLL tag "
                         "cannot hold white space (columns are split on it)")
        tags[first] = f"B-{tag}"
        for i in range(first + 1, last + 1):
            tags[i] = f"I-{tag}"
    lines = [f"{DOCSTART} -X- -X- O\n", "\n"]
    text = doc.text
    in_sentence = False
    pending_break = False
    previous_end = 0
    for (start, end, _), tag in zip(doc.tokens, tags):
        token = text[start:end]
        # A line break between two tokens: in a white-space token (spaCy's) or in the gap
        # between them (a file's own tokens have no white-space tokens).
        gap = text[previous_end:start]
        previous_end = end
        if in_sentence and any(ch in gap for ch in "\n\r\u2028\u2029"):
            pending_break = True
        if token.isspace():
            pending_break = pending_break or (in_sentence and any(ch in token for ch in "\n\r\u2028\u2029"))
            continue
        # A line break ends a sentence, except inside an entity (a sentence break would end it).
        if pending_break and not tag.startswith("I-"):
            lines.append("\n")
        pending_break = False
        if any(ch in ROW_BREAKERS for ch in token):  # not with spaCy's tokenizer; never write a broken row
            token = "".join("_" if ch in ROW_BREAKERS else ch for ch in token)
        lines.append(f"{token} _ _ {tag}\n")
        in_sentence = True
    if in_sentence:
        lines.append("\n")
    return Encoded([("", "".join(lines))], notes)


register(Reader("conll", "CoNLL-2003 / IOB token-per-line (tag in the last column)",
                (".conll", ".conll03", ".iob", ".bio"), read_conll, sniff=sniff), "iob", "conll2003")
register_writer(Writer("conll", "CoNLL-2003 IOB2 token-per-line from spaCy's tokens (entities only)", encode,
                       suffix=".conll", needs_tokens=True))


def parse_tag_map(value: str) -> tuple[tuple[str, str], ...]:
    """``PER=PERSON,LOC=GPE``, or the path of a file with one ``TAG=LABEL`` (or ``TAG<TAB>LABEL``)
    per line; raises InputError naming the entry."""
    from pathlib import Path as _Path

    source, entries = "--tag-map", [(1, part) for part in value.split(",")]
    path = _Path(value)
    if path.is_file():
        source = path_text(path)
        entries = [(n, line.strip()) for n, line in enumerate(path.read_text(encoding="utf-8-sig").splitlines(), 1)
                   if line.strip() and not line.lstrip().startswith("#")]
    pairs = []
    for number, entry in entries:
        tag, sep, label = entry.replace("\t", "=", 1).partition("=")
        tag, label = tag.strip(), label.strip()
        if not sep or not tag or not label:
            from ..core.problems import InputError

            raise InputError([Problem(source, number if source != "--tag-map" else None, "--tag-map",
                                      f"{quoted(entry)} must look like TAG=LABEL (e.g. PER=PERSON)")])
        pairs.append((tag, label))
    return tuple(pairs)
