"""Reading brat standoff: everything brat writes in an ``.ann`` file.

- ``T``: text-bound annotations. A discontinuous one (``LOC 0 5;10 15``) whose gaps are only
  white space (how brat writes a span across lines) is one span; any other is one span per
  fragment, the fragments joined by ``FRAGMENT`` relations from the first (written back as
  one ``T`` line).
- ``R``: relations (any two ``ROLE:ID`` arguments; the first is the head).
- ``E``: events: the trigger span, one relation per role from the trigger (label = role)
  and the event grouping them; an argument may be another event (its trigger is the span).
- ``A``/``M``: attributes, binary (``A1 Negation E2``) or valued (``A2 Confidence T5 High``),
  on any annotation; ``#``: AnnotatorNotes (free text) on any annotation; ``*``: equivalences.
- ``N`` (normalizations) are reported as not imported.

Every problem names the line it is on. Which attributes belong to claims, and which are
span attributes, the import decides (core.extras): a reader does not know the claim labels.
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path
from urllib.parse import unquote

from ..core.problems import InputError, Problem
from ..core.records import DocumentRecord, EquivalenceRecord, EventRecord, Extras, RelationRecord, SpanRecord
from ..core.textutil import path_text
from .brat_conf import find_conf, read_conf
from .decoding import iter_lines, read_text
from .fields import check_label
from .registry import ReadOptions, RecordStream
from .span_input import Offsets, read_span

LINE_BREAKS = "\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029"  # what str.splitlines() breaks on
_BREAKS = str.maketrans({ch: " " for ch in LINE_BREAKS})
FRAGMENT_RELATION = "FRAGMENT"  # joins the fragments of a discontinuous brat span
_ESCAPES = {"n": "\n", "r": "\r", "t": "\t", "\\": "\\"}
# The other line breaks our writer escapes as \uXXXX (brat would split the note's line there).
_ESCAPES.update({f"u{ord(ch):04x}": ch for ch in LINE_BREAKS if ch not in "\n\r"})


def one_line(text: str) -> str:
    return text.translate(_BREAKS)


def unescape_note(text: str) -> str:
    r"""Our writer's escapes (\\, \n, \r, \t, \u2028 and the other line breaks); any other
    backslash is the note's own (C:\data)."""
    return re.sub(r"\\(u000b|u000c|u001c|u001d|u001e|u0085|u2028|u2029|[nrt\\])", lambda m: _ESCAPES[m.group(1)],
                  text)


@lru_cache(maxsize=8)
def _conf(path: Path, mtime: float):  # noqa: ANN202 - SchemeHints; cached per import of a folder
    return read_conf(path)


class _Ann:
    """One ``.ann`` file being read: ids to what they name, and the problems found."""

    def __init__(self, file: str, text: str, record: DocumentRecord, offsets: Offsets) -> None:
        self.file, self.text, self.record, self.offsets = file, text, record, offsets
        self.spans: dict[str, int] = {}  # T id -> index of its (first) span
        self.events: dict[str, int] = {}  # E id -> index in record.events
        self.relations: dict[str, int] = {}  # R id -> index in record.relations
        self.problems: list[Problem] = []

    def problem(self, line: int, fld: str | None, message: str, severity: str = "error") -> None:
        self.problems.append(Problem(self.file, line, fld, message, severity))

    # ------------------------------------------------------------------ T
    def text_bound(self, number: int, line: str) -> None:
        parts = line.split("\t", 2)  # the text may hold tabs
        name = parts[0]
        head = parts[1].split(" ", 1) if len(parts) >= 2 else []
        if len(parts) < 2 or len(head) != 2:
            return self.problem(number, name, "a span line is 'T1<TAB>LABEL START END<TAB>text'")
        label, ranges = unquote(head[0]), head[1]
        if (problem := check_label(self.file, number, f"{name}.label", label)) is not None:
            return self.problems.append(problem)
        if name in self.spans:
            return self.problem(number, name, f"{name} is defined twice")
        fragments = []
        for piece in ranges.split(";"):
            bounds = piece.split(" ")
            # ASCII digits only: str.isdigit() takes "³" (int() then fails) and "٣" (brat never writes it)
            if len(bounds) != 2 or not all(re.fullmatch(r"[0-9]+", b) for b in bounds):
                return self.problem(number, name, f"offsets {ranges!r} must be 'START END' (or fragments 'S E;S E')")
            fragments.append((int(bounds[0]), int(bounds[1])))
        given = parts[2] if len(parts) >= 3 else None
        if len(fragments) > 1:
            return self._fragments(number, name, label, fragments, given)
        span = read_span(self.file, number, name, fragments[0][0], fragments[0][1], label, self.text, self.offsets,
                         given=given)
        if isinstance(span, Problem) and given is not None and span.field == f"{name}.text":
            # Line breaks inside a span are written as spaces (the .ann is one annotation per line).
            plain = read_span(self.file, number, name, fragments[0][0], fragments[0][1], label, self.text,
                              self.offsets)
            if not isinstance(plain, Problem) and one_line(self.text[plain.start:plain.end]) == given:
                span = plain
        if isinstance(span, Problem):
            return self.problems.append(span)
        span.placed(line=number)
        self.spans[name] = len(self.record.spans)
        self.record.spans.append(span)

    def _fragments(self, number: int, name: str, label: str, fragments: list[tuple[int, int]],
                   given: str | None) -> None:
        spans = []
        for i, (a, b) in enumerate(fragments):
            span = read_span(self.file, number, f"{name}[{i}]", a, b, label, self.text, self.offsets)
            if isinstance(span, Problem):
                return self.problems.append(span)
            spans.append(span)
        if any(later.start < earlier.end for earlier, later in zip(spans, spans[1:])):
            return self.problem(number, name, f"fragments {'; '.join(f'{s.start} {s.end}' for s in spans)} overlap or "
                                "are out of order")
        joined = " ".join(one_line(self.text[s.start:s.end]) for s in spans)  # brat's text of a fragmented span
        if given is not None and given != joined:
            return self.problem(number, f"{name}.text", f"span text {given!r} does not match the document's "
                                f"fragments ({joined!r})")
        gaps = [self.text[a.end:b.start] for a, b in zip(spans, spans[1:])]
        first = len(self.record.spans)
        self.spans[name] = first
        if not any(gap.strip() for gap in gaps):  # a span brat broke at line ends: one span
            self.record.spans.append(SpanRecord(spans[0].start, spans[-1].end, label, name).placed(line=number))
            return
        for i, span in enumerate(spans):
            span.field = name if i == 0 else f"{name}[{i}]"
            span.placed(line=number)
            self.record.spans.append(span)
            if i:
                self.record.relations.append(RelationRecord(first, first + i, FRAGMENT_RELATION, name, line=number))

    # ------------------------------------------------------- R, E, A, #, *
    def target(self, ref: str) -> tuple[str, int] | None:
        """What an id names: ("span", index) for T, ("event", index) for E, ("relation", index) for R."""
        for kind, table in (("span", self.spans), ("event", self.events), ("relation", self.relations)):
            if ref in table:
                return kind, table[ref]
        return None

    def span_of(self, ref: str) -> int | None:
        """The span an argument names: a T's span, or an E's trigger."""
        found = self.target(ref)
        if found is None or found[0] == "relation":
            return None
        return found[1] if found[0] == "span" else self.record.events[found[1]].trigger

    def relation(self, number: int, line: str) -> None:
        parts = line.split("\t")
        match = re.fullmatch(r"(\S+) (\S+?):(\S+) (\S+?):(\S+)", parts[1].strip()) if len(parts) >= 2 else None
        if match is None:
            return self.problem(number, parts[0], "a relation line is 'R1<TAB>LABEL Arg1:T1 Arg2:T2'")
        label = unquote(match.group(1))
        if (problem := check_label(self.file, number, f"{parts[0]}.label", label)) is not None:
            return self.problems.append(problem)
        if parts[0] in self.relations:  # a later A or # line naming it would not know which one
            return self.problem(number, parts[0], f"{parts[0]} is defined twice")
        ends = []
        for ref in (match.group(3), match.group(5)):
            index = self.span_of(ref)
            if index is None:
                return self.problem(number, parts[0], f"names {ref}, which is not a T or E line of this file")
            ends.append(index)
        self.relations[parts[0]] = len(self.record.relations)
        self.record.relations.append(RelationRecord(ends[0], ends[1], label, parts[0], line=number))

    def event_head(self, number: int, line: str) -> tuple[str, int, list[str]] | None:
        """An E line's id and trigger (its arguments are read once every E has an index)."""
        parts = line.split("\t")
        fields = parts[1].split() if len(parts) >= 2 else []
        head = fields[0].rpartition(":") if fields else ("", "", "")
        if not fields or not head[1]:
            self.problem(number, parts[0], "an event line is 'E1<TAB>TYPE:T1 ROLE:T2 ...'")
            return None
        label, trigger = unquote(head[0]), head[2]
        if (problem := check_label(self.file, number, f"{parts[0]}.type", label)) is not None:
            self.problems.append(problem)
            return None
        if trigger not in self.spans:
            self.problem(number, parts[0], f"its trigger {trigger} is not a T line of this file")
            return None
        if parts[0] in self.events:
            self.problem(number, parts[0], f"{parts[0]} is defined twice")
            return None
        self.events[parts[0]] = len(self.record.events)
        self.record.events.append(EventRecord(self.spans[trigger], label, [], parts[0], line=number))
        self.record.label_kinds.setdefault(self.record.spans[self.spans[trigger]].label, "role")
        return parts[0], number, fields[1:]

    def event_roles(self, name: str, number: int, arguments: list[str]) -> None:
        event = self.record.events[self.events[name]]
        for argument in arguments:
            role, sep, ref = argument.rpartition(":")
            role = unquote(role)
            if not sep or check_label(self.file, number, f"{name}.role", role) is not None:
                self.problem(number, name, f"argument {argument!r} must be ROLE:ID")
                return
            span = self.span_of(ref)
            if span is None:
                self.problem(number, name, f"names {ref}, which is not a T or E line of this file")
                return
            event.roles.append((role, span, self.events.get(ref)))

    def extras_of(self, ref: str) -> Extras | None:
        found = self.target(ref)
        if found is None:
            return None
        kind, index = found
        item = {"span": self.record.spans, "event": self.record.events, "relation": self.record.relations}[kind][index]
        if item.extras is None:
            if kind == "span":
                item.placed(extras=Extras())
            else:
                item.extras = Extras()
        return item.extras

    def attribute(self, number: int, line: str) -> None:
        parts = line.split("\t")
        fields = parts[1].split() if len(parts) >= 2 else []
        if len(fields) not in (2, 3):
            return self.problem(number, parts[0], "an attribute line is 'A1<TAB>NAME ID [VALUE]'")
        name = unquote(fields[0])
        if (problem := check_label(self.file, number, f"{parts[0]}.name", name)) is not None:
            return self.problems.append(problem)
        extras = self.extras_of(fields[1])
        if extras is None:
            return self.problem(number, parts[0], f"names {fields[1]}, which is not a T, E or R line of this file")
        value = unquote(fields[2]) if len(fields) == 3 else None  # None: binary, present
        if name in extras.values and extras.values[name] != value:  # one value per name: never keep just the last
            line, other = extras.where[name]
            return self.problem(number, parts[0], f"{fields[1]} already has {name} = {extras.values[name]!r} "
                                f"({other}, line {line}); {name} = {value!r} here contradicts it")
        extras.values[name] = value
        extras.where[name] = (number, parts[0])

    def note(self, number: int, line: str) -> None:
        parts = line.split("\t", 2)
        target = parts[1].split() if len(parts) >= 2 else []
        if len(parts) < 3 or len(target) != 2:
            return self.problem(number, parts[0], "a note line is '#1<TAB>AnnotatorNotes T1<TAB>text'")
        extras = self.extras_of(target[1])
        if extras is None:
            return self.problem(number, parts[0], f"names {target[1]}, which is not a T, E or R line of this file")
        text = unescape_note(parts[2])
        extras.note = text if extras.note is None else f"{extras.note}\n{text}"
        extras.where["#note"] = (number, parts[0])

    def equivalence(self, number: int, line: str) -> None:
        parts = line.split("\t")
        fields = parts[1].split() if len(parts) >= 2 else []
        if len(fields) < 3:
            return self.problem(number, "*", "an equivalence line is '*<TAB>Equiv T1 T2 ...'")
        label = unquote(fields[0])
        members = []
        for ref in fields[1:]:
            if ref not in self.spans:
                return self.problem(number, "*", f"names {ref}, which is not a T line of this file")
            if self.spans[ref] not in members:  # real brat data has "Equiv T63 T63" (BioNLP-ST 2011 ID)
                members.append(self.spans[ref])
        if len(members) < 2:
            return self.problem(number, "*", "an equivalence of one span with itself: not imported", "notice")
        if len(members) < len(fields) - 1:
            self.problem(number, "*", "a span named twice is a member once", "notice")
        self.record.equivalences.append(EquivalenceRecord(label, members, f"*{len(self.record.equivalences) + 1}",
                                                          line=number))


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
    conf = find_conf(path)
    if conf is not None:
        yield _conf(conf, conf.stat().st_mtime)
    record = DocumentRecord(text=text, line=1, title=path_text(path.stem), source=path_text(txt))
    ann = _Ann(file, text, record, Offsets(text, options.offsets == "utf16"))
    lines: dict[str, list[tuple[int, str]]] = {kind: [] for kind in "TERA#*"}
    for item in iter_lines(path):
        if isinstance(item, Problem):
            ann.problems.append(item)
            continue
        number, line = item
        line = line.rstrip("\r")
        if not line.strip():
            continue
        kind = "A" if line[0] == "M" else line[0]
        if "\t" not in line and kind in "TERAM#*N":  # e.g. copied from a web page, tabs turned into spaces
            ann.problem(number, line.split()[0], "no tab after the id: brat separates an id from the rest of "
                        "its line with a tab (were the tabs turned into spaces?)")
        elif kind in lines:
            lines[kind].append((number, line))
        elif kind == "N":
            ann.problem(number, line.split("\t")[0], "brat normalizations are not imported", "notice")
        else:
            ann.problem(number, None, f"not a brat annotation line: {line[:40]!r}")
    # In dependency order, whatever order the file has them in: spans, events (their
    # arguments may be later events), relations, then what is said about any of them.
    for number, line in lines["T"]:
        ann.text_bound(number, line)
    heads = [head for number, line in lines["E"] if (head := ann.event_head(number, line)) is not None]
    for name, number, arguments in heads:
        ann.event_roles(name, number, arguments)
    for number, line in lines["R"]:
        ann.relation(number, line)
    for number, line in lines["A"]:
        ann.attribute(number, line)
    for number, line in lines["#"]:
        ann.note(number, line)
    for number, line in lines["*"]:
        ann.equivalence(number, line)
    yield from sorted(ann.problems, key=lambda p: (p.line or 0))
    if not any(p.is_error for p in ann.problems):
        yield record
