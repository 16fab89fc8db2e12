"""brat standoff, both directions: ``NAME.txt`` (the text, byte-exact) + ``NAME.ann``.

``.ann`` lines (tab-separated):
- ``T1<TAB>LABEL START END<TAB>text``: a span; ``text`` must equal the ``.txt`` at those
  offsets (checked on import). The ``.ann`` format is one annotation per line, so in ``text``
  every line-break character of the span is written as one space (lengths stay equal and
  the check stays exact). A discontinuous span ``LABEL 0 5;7 9`` whose gaps are only line
  breaks or spaces (how brat itself writes a span across lines) is read as one span; any
  other discontinuous span is refused with its line, because a span here is one range.
- ``R1<TAB>LABEL Arg1:T3 Arg2:T1``: a relation; between a claim and another span it is the
  claimant (any label) or the cue (``CUE``), written claim -> partner.
- ``A1<TAB>ATTRIBUTE T3 VALUE``: a claim attribute of the claim whose content is T3. brat
  values are single words: white space and ``%`` are percent-encoded (``mostly%20true``).
- ``#1<TAB>AnnotatorNotes T3<TAB>claimant: NAME``: a free-text claimant; text attributes are
  notes too (``note: ...``), with ``\\``, line breaks and tabs backslash-escaped.
Not kept: title, meta, status, document labels (brat has no document-level annotation).
Offsets are code points of the ``.txt`` as Python reads it (``newline=""``: a CRLF is two).
"""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import quote, unquote

from ..core.export import ExportDocument
from ..core.problems import InputError, Problem
from ..core.records import ClaimRecord, DocumentRecord, RelationRecord
from ..core.textutil import path_text
from .decoding import iter_lines, read_text
from .fields import check_label
from .registry import Encoded, Reader, ReadOptions, RecordStream, Writer, WriteOptions, register, register_writer
from .span_input import Offsets, read_span

LINE_BREAKS = "\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029"  # what str.splitlines() breaks on
_BREAKS = str.maketrans({ch: " " for ch in LINE_BREAKS})
CLAIMANT_NOTE = "claimant"


def one_line(text: str) -> str:
    return text.translate(_BREAKS)


def encode_value(value: str) -> str:
    """A label, attribute name or value as one brat word: white space and % percent-encoded
    (``mostly true`` -> ``mostly%20true``); everything else as it is."""
    return "".join(quote(ch, safe="") if ch.isspace() or ch == "%" else ch for ch in value)


def escape_note(text: str) -> str:
    return text.replace("\\", "\\\\").replace("\n", "\\n").replace("\r", "\\r").replace("\t", "\\t")


def unescape_note(text: str) -> str:
    return re.sub(r"\\(.)", lambda m: {"n": "\n", "r": "\r", "t": "\t"}.get(m.group(1), m.group(1)), text)


# --------------------------------------------------------------------------------- reading
def read_brat(path: Path, options: ReadOptions) -> RecordStream:
    file = path_text(path)
    if path.suffix.lower() != ".ann":
        raise InputError([Problem(file, None, None,
                                  "a brat document is read from its .ann file (NAME.ann + NAME.txt)")])
    txt = path.with_suffix(".txt")
    if not txt.exists():
        raise InputError([Problem(file, None, None, f"no {txt.name} beside it: brat keeps the text in NAME.txt")])
    text = read_text(txt)  # strict UTF-8, nothing changed but a leading BOM dropped, which
    # brat does not drop (Python reads U+FEFF as a character): offsets count it, so it stays.
    if txt.read_bytes()[:3] == b"\xef\xbb\xbf":
        text = "\ufeff" + text
    record = DocumentRecord(text=text, line=1, title=path_text(path.stem), source=path_text(txt))
    offsets = Offsets(text, options.offsets == "utf16")
    ids: dict[str, int] = {}
    relations: list[tuple[int, str, str, str, str]] = []
    attributes: list[tuple[int, str, str, str]] = []
    notes: list[tuple[int, str, str]] = []
    problems: list[Problem] = []
    for item in iter_lines(path):
        if isinstance(item, Problem):
            problems.append(item)
            continue
        number, line = item
        line = line.rstrip("\r")
        if not line.strip():
            continue
        kind = line[0]
        if kind == "T":
            problem = _read_text_bound(file, number, line, text, offsets, ids, record)
            if problem:
                problems.append(problem)
        elif kind == "R":
            parts = line.split("\t")
            match = re.fullmatch(r"(\S+) Arg1:(\S+) Arg2:(\S+)", parts[1]) if len(parts) >= 2 else None
            if match is None:
                problems.append(Problem(file, number, parts[0], "a relation line is 'R1<TAB>LABEL Arg1:T1 Arg2:T2'"))
                continue
            relations.append((number, parts[0], unquote(match.group(1)), match.group(2), match.group(3)))
        elif kind in ("A", "M"):
            parts = line.split("\t")
            fields = parts[1].split(" ") if len(parts) >= 2 else []
            if len(fields) not in (2, 3):
                problems.append(Problem(file, number, parts[0], "an attribute line is 'A1<TAB>NAME T1 [VALUE]'"))
                continue
            value = unquote(fields[2]) if len(fields) == 3 else "true"  # a binary attribute has no value
            attributes.append((number, unquote(fields[0]), fields[1], value))
        elif kind == "#":
            parts = line.split("\t")
            target = parts[1].split(" ") if len(parts) >= 2 else []
            if len(parts) < 3 or len(target) != 2:
                problems.append(Problem(file, number, parts[0], "a note line is '#1<TAB>AnnotatorNotes T1<TAB>text'"))
                continue
            notes.append((number, target[1], parts[2]))
        elif kind in ("E", "N", "*"):
            what = {"E": "events", "N": "normalizations", "*": "equivalences"}[kind]
            problems.append(Problem(file, number, line.split("\t")[0], f"brat {what} are not supported", "notice"))
        else:
            problems.append(Problem(file, number, None, f"not a brat annotation line: {line[:40]!r}"))
    problems.extend(_link(file, ids, relations, attributes, notes, record))
    errors = [p for p in problems if p.is_error]
    yield from problems
    if not errors:
        yield record


def _read_text_bound(file: str, number: int, line: str, text: str, offsets: Offsets, ids: dict[str, int],
                     record: DocumentRecord) -> Problem | None:
    parts = line.split("\t", 2)  # the text may hold tabs
    name = parts[0]
    head = parts[1].split(" ", 1) if len(parts) >= 2 else []
    if len(parts) < 2 or len(head) != 2:
        return Problem(file, number, name, "a span line is 'T1<TAB>LABEL START END<TAB>text'")
    label, ranges = unquote(head[0]), head[1]
    if (problem := check_label(file, number, f"{name}.label", label)) is not None:
        return problem
    fragments = []
    for piece in ranges.split(";"):
        bounds = piece.split(" ")
        if len(bounds) != 2 or not all(b.isdigit() for b in bounds):
            return Problem(file, number, name, f"offsets {ranges!r} must be 'START END' (or fragments 'S E;S E')")
        fragments.append((int(bounds[0]), int(bounds[1])))
    given = parts[2] if len(parts) >= 3 else None
    start, end = fragments[0][0], fragments[-1][1]
    if len(fragments) > 1:
        converted = [(offsets(a), offsets(b)) for a, b in fragments]
        if all(a is not None and b is not None for a, b in converted):
            gaps = [text[converted[i][1]:converted[i + 1][0]] for i in range(len(converted) - 1)]
            if any(gap.strip() for gap in gaps) or any(b <= a for a, b in zip([c[1] for c in converted],
                                                                              [c[0] for c in converted[1:]])):
                return Problem(file, number, name,
                               f"discontinuous span {ranges!r}: annotator keeps one range per span; "
                               "split it into separate spans (or join the fragments) in brat first")
            joined = " ".join(text[a:b] for a, b in converted)  # brat's text of a fragmented span
            if given is not None and given == joined:
                given = None  # checked; the merged span's own text differs only in the gaps
    span = read_span(file, number, name, start, end, label, text, offsets,
                     given=None if given is None else given)
    if isinstance(span, Problem) and given is not None and span.field == f"{name}.text":
        # Line breaks inside a span are written as spaces (module docstring).
        plain = read_span(file, number, name, start, end, label, text, offsets)
        if not isinstance(plain, Problem) and one_line(text[plain.start:plain.end]) == given:
            span = plain
    if isinstance(span, Problem):
        return span
    if name in ids:
        return Problem(file, number, name, f"{name} is defined twice")
    ids[name] = len(record.spans)
    record.spans.append(span)
    return None


def _link(file: str, ids: dict[str, int], relations: list, attributes: list, notes: list,
          record: DocumentRecord) -> list[Problem]:
    problems: list[Problem] = []
    for number, name, label, arg1, arg2 in relations:
        if (problem := check_label(file, number, f"{name}.label", label)) is not None:
            problems.append(problem)
        elif arg1 not in ids or arg2 not in ids:
            missing = arg1 if arg1 not in ids else arg2
            problems.append(Problem(file, number, name, f"names {missing}, which is not a T line"))
        else:
            record.relations.append(RelationRecord(ids[arg1], ids[arg2], label, name))
    claims: dict[int, ClaimRecord] = {}
    for number, attribute, target, value in attributes:
        if target not in ids:
            problems.append(Problem(file, number, attribute, f"names {target}, which is not a T line"))
            continue
        claims.setdefault(ids[target], ClaimRecord(ids[target], field=target)).values[attribute] = value
    for number, target, text in notes:
        if target not in ids:
            problems.append(Problem(file, number, "AnnotatorNotes", f"names {target}, which is not a T line"))
            continue
        key, sep, value = text.partition(": ")
        if not sep or " " in key:
            problems.append(Problem(file, number, "AnnotatorNotes", f"note on {target} not imported: annotator keeps "
                                    "no notes on spans (only 'claimant: NAME' and 'ATTRIBUTE: value' on claims)",
                                    "notice"))
            continue
        claim = claims.setdefault(ids[target], ClaimRecord(ids[target], field=target))
        if key == CLAIMANT_NOTE:
            claim.claimant_text = unescape_note(value)
        else:
            claim.values[key] = unescape_note(value)
    record.claims = [claims[i] for i in sorted(claims)]
    return problems


# --------------------------------------------------------------------------------- writing
def encode(doc: ExportDocument, options: WriteOptions) -> Encoded:
    stem = f"doc-{doc.id:06d}"
    names = {span.id: f"T{i + 1}" for i, span in enumerate(doc.spans)}
    lines = [f"{names[span.id]}\t{encode_value(span.label)} {span.start} {span.end}\t{one_line(span.text)}\n"
             for span in doc.spans]
    for i, (head, child, label) in enumerate(doc.links()):
        lines.append(f"R{i + 1}\t{encode_value(label)} Arg1:{names[head]} Arg2:{names[child]}\n")
    text_attributes = {a.name for a in options.scheme.attributes if a.kind == "text"}
    attribute_number = note_number = 0
    notes: list[str] = []
    for claim in doc.claims:
        target = names[claim.content.id]
        for name, value in sorted(claim.values.items()):
            if name in text_attributes:
                note_number += 1
                lines.append(f"#{note_number}\tAnnotatorNotes {target}\t{name}: {escape_note(value)}\n")
            else:
                attribute_number += 1
                lines.append(f"A{attribute_number}\t{encode_value(name)} {target} {encode_value(value)}\n")
        claimant = claim.claimant_text
        if claim.claimant is not None and claim.claimant.id not in names:
            claimant = claim.claimant.text  # the span is not exported: its text is kept
        if claimant:
            note_number += 1
            lines.append(f"#{note_number}\tAnnotatorNotes {target}\t{CLAIMANT_NOTE}: {escape_note(claimant)}\n")
    if doc.doc_labels:
        notes.append(f"document {doc.id}: document labels {', '.join(doc.doc_labels)} are not written (brat has no "
                     "document-level annotation)")
    return Encoded([(f"{stem}.txt", doc.text), (f"{stem}.ann", "".join(lines))], notes)


register(Reader("brat", "brat standoff (NAME.ann beside NAME.txt)", (".ann",), read_brat))
register_writer(Writer("brat", "brat standoff: a .txt and an .ann per document", encode))
