"""Reading WebAnno TSV 3.x (INCEpTION's and WebAnno's TSV export): one file, one document.

The text is rebuilt from the ``#Text=`` lines exactly as INCEpTION rebuilds it: sentences
joined by a line break, the gap before a sentence's first token padded with spaces.
Offsets are taken as the file gives them; INCEpTION counts UTF-16 units (an emoji counts
2), so every token's text is checked against the rebuilt text and a mismatch in a text with
such characters says to import with ``--offsets utf16``. The file's tokens are kept as the
document's own.

- Span layers: ``NamedEntity`` gives entity spans labelled by ``value``; annotator's own
  ``webanno.custom.Claim`` claim spans and ``webanno.custom.Span`` role spans, labelled by
  ``label``; any other span layer spans labelled by its ``label`` or ``value`` feature (else
  the layer's name). The other features are the span's attributes (on a claim: its claim
  attributes; ``claimant``: a free-text claimant).
- Relation layers: relations (``BT_`` a span layer); chain layers: a span per element and a
  relation from each element to the next, labelled by its ``referenceRelation``; slot
  features: a relation from the slot's host to each target, labelled by the role.
- Token-level layers (part of speech, lemma, dependency, ...) are reported, not imported.
- Stacked annotations with the same label on the same rows are one span (webanno_spans).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from ..core.problems import InputError, Problem
from ..core.records import DocumentRecord, Extras, RelationRecord, SpanRecord
from ..core.textutil import path_text
from .decoding import read_text
from .fields import check_label
from .registry import ReadOptions, RecordStream
from .span_input import Offsets, has_astral
from .webanno_spans import Ann, SpanMaker
from .webanno_tsv import (
    ANY_TYPE, LABEL_FEATURE, short_name, split_disambiguation, split_unescaped,
    unescape_text, unescape_value,
)

_FORMAT = re.compile(r"#FORMAT=(.*) (\d+)\.(\d+)")
# WebAnno 2's TSV (versions 1 and 2) has no #FORMAT line: it starts " # <layer type> | <feature>".
OLD_HEADER = re.compile(r" ?# (?:de\.tudarmstadt\.ukp\.|webanno\.custom\.)")
_UNIT = re.compile(r"(\d+)-(\d+)(?:\.(\d+))?")
_CHAIN = re.compile(r"(.*?)(?<!\\)->(\d+)-(\d+)")
_DKPRO = "de.tudarmstadt.ukp.dkpro.core.api."
TOKEN_LEVEL = {f"{_DKPRO}{name}" for name in (
    "lexmorph.type.pos.POS", "segmentation.type.Lemma", "segmentation.type.Stem", "segmentation.type.Token",
    "lexmorph.type.morph.MorphologicalFeatures", "syntax.type.dependency.Dependency", "segmentation.type.Sentence")}
# White space the file does not hold, put in front of a sentence whose first token starts after
# the text so far: beyond this the offsets are wrong, and padding to them could exhaust memory.
MAX_GAP = 1_000_000
UTF16_HINT = "INCEpTION counts offsets in UTF-16 units (an emoji counts 2): import with --offsets utf16"


@dataclass
class Column:
    index: int
    layer: str
    kind: str  # "span" | "relation" | "chain"
    feature: str | None  # None: the placeholder column of a layer without features
    role: str = "primitive"  # primitive | placeholder | slot_role | slot_target | ref | chain_type | chain_link
    target: str = ""  # the type a relation attaches to (ref) or a slot points at (slot_target)


@dataclass
class _Unit:
    line: int
    id: str
    begin: int
    end: int
    text: str
    fields: list[str]


def read_header(file: str, lines: list[str]) -> tuple[int, list[Column], int]:
    """(minor version, columns, index of the first body line); raises InputError."""
    match = _FORMAT.fullmatch(lines[0].lstrip("\ufeff")) if lines else None
    if match is None and lines and OLD_HEADER.match(lines[0].lstrip("\ufeff")):
        raise InputError([Problem(file, 1, None, "a WebAnno TSV 1/2 file (WebAnno 2 and older), which annotator "
                                  "does not read: export the documents again as 'WebAnno TSV v3.x' from "
                                  "INCEpTION or WebAnno 3 and later")])
    if match is None or match.group(1) != "WebAnno TSV" or match.group(2) != "3":
        raise InputError([Problem(file, 1, None, "not a WebAnno TSV 3 file: the first line must be "
                                  "'#FORMAT=WebAnno TSV 3.x'")])
    columns: list[Column] = []
    number = 1
    prefixes = {"#T_SP=": "span", "#T_RL=": "relation", "#T_CH=": "chain"}
    while number < len(lines) and lines[number].strip():
        line = lines[number]
        kind = next((k for prefix, k in prefixes.items() if line.startswith(prefix)), None)
        if kind is None:
            break
        names = [f for f in line.split("=", 1)[1].split("|") if f]
        if not names:  # "#T_SP=" or "#T_SP=||": no layer to read the columns as
            raise InputError([Problem(file, number + 1, line[:6], "the layer declaration names no layer")])
        layer, *features = names
        if kind == "relation" and not any(f.startswith("BT_") for f in features):
            # Without it no row says where its relation starts: every relation would be dropped.
            raise InputError([Problem(file, number + 1, short_name(layer), f"the relation layer {layer} has no "
                                      "BT_ feature naming the layer its relations join")])
        if not features:
            columns.append(Column(len(columns), layer, kind, None, "placeholder"))
        previous: Column | None = None
        for feature in features:
            if kind == "span" and feature.startswith("ROLE_"):
                column = Column(len(columns), layer, kind, feature, "slot_role")
            elif kind == "relation" and feature.startswith("BT_"):
                column = Column(len(columns), layer, kind, None, "ref", feature[3:])
            elif kind == "chain" and feature in ("referenceType", "referenceRelation"):
                column = Column(len(columns), layer, kind, feature,
                                "chain_type" if feature == "referenceType" else "chain_link")
            elif kind == "span" and previous is not None and previous.role == "slot_role" and "." in feature:
                column = Column(len(columns), layer, kind, previous.feature, "slot_target", feature)
            else:
                column = Column(len(columns), layer, kind, feature)
            columns.append(column)
            previous = column
        number += 1
    return int(match.group(3)), columns, number


def read_webanno(path: Path, options: ReadOptions) -> RecordStream:
    file = path_text(path)
    lines = re.split(r"\r\n|\r|\n", read_text(path))  # Java's line ends; U+2028 is text
    minor, columns, start = read_header(file, lines)
    reader = _Body(file, columns, minor, options.offsets == "utf16")
    reader.read(lines, start)
    if not any(p.is_error for p in reader.problems):
        reader.annotate()
    yield from reader.problems
    if not any(p.is_error for p in reader.problems):
        yield reader.record(file)


class _Body:
    def __init__(self, file: str, columns: list[Column], minor: int, utf16: bool) -> None:
        self.file, self.columns, self.minor, self.utf16 = file, columns, minor, utf16
        self.problems: list[Problem] = []
        self.units: list[_Unit] = []
        self.tokens: list[tuple[int, int]] = []
        self.text = ""
        self.spans: list[SpanRecord] = []
        self.relations: list[RelationRecord] = []
        self.kinds: dict[str, str] = {}

    def problem(self, line: int, fld: str | None, message: str, severity: str = "error") -> None:
        self.problems.append(Problem(self.file, line, fld, message, severity))

    # ------------------------------------------------------------------ text
    def read(self, lines: list[str], start: int) -> None:
        parts: list[str] = []
        length = 0  # in the file's units
        sentence: list[str] = []
        state = "between"  # between sentences, in a sentence's header, or in its token rows
        width = len(self.columns) + 3
        seen: dict[str, int] = {}  # unit id -> its line: annotations are joined by unit id
        padded, text_line = 0, start + 1
        for number, line in enumerate(lines[start:], start + 1):
            if state != "tokens" and line.startswith("#"):
                state = "header"
                if line.startswith(("#T_SP=", "#T_RL=", "#T_CH=")):
                    # A layer declared after the header ended (INCEpTION would read its
                    # columns as none): its annotations would be dropped without a word.
                    self.problem(number, line[:5], "a layer declaration after the header's blank line")
                    return
                if line.startswith("#Text="):
                    text_line = number if not sentence else text_line
                    try:
                        sentence.append(unescape_text(line[6:], self.minor) + "\n")
                    except ValueError as exc:
                        self.problem(number, "#Text", str(exc))
                        return
                continue
            if not line:
                state = "between"
                continue
            fields = line.split("\t")
            unit = _UNIT.fullmatch(fields[0])
            bounds = re.fullmatch(r"(\d+)-(\d+)", fields[1]) if len(fields) > 1 else None
            if len(fields) < width or unit is None or bounds is None:
                self.problem(number, None, f"a token row is 'SENTENCE-TOKEN<TAB>BEGIN-END<TAB>TOKEN' and {width - 3} "
                             f"annotation column(s); got {line[:60]!r}")
                return
            if state == "between":
                self.problem(number, fields[0], "a token row must follow its sentence's #Text= line")
                return
            begin, end = int(bounds.group(1)), int(bounds.group(2))
            if fields[0] in seen:
                self.problem(number, fields[0], f"the unit id {fields[0]} is already used on line {seen[fields[0]]}")
                return
            seen[fields[0]] = number
            if state == "header":  # the first token of a sentence: its text goes in here
                if length > begin:
                    if length != begin + 1 or not parts or not parts[-1].endswith("\n"):
                        self.problem(number, fields[0], f"the sentence starts at {begin}, inside the previous one")
                        return
                    parts[-1], length = parts[-1][:-1], length - 1  # adjacent sentences: no line break
                if length < begin:
                    padded += begin - length
                    if padded > MAX_GAP:
                        self.problem(number, fields[0], f"the sentence starts at {begin}, {begin - length} characters "
                                     f"after the text before it ({length}): over {MAX_GAP:,} characters of white "
                                     "space the file does not hold; the offsets are wrong")
                        return
                    parts.append(" " * (begin - length))
                    length = begin
                joined = "".join(sentence)
                parts.append(joined)
                length += self._width(joined)
                sentence, state = [], "tokens"
            self.units.append(_Unit(number, fields[0], begin, end, fields[2], fields))
            if unit.group(3) is None:
                self.tokens.append((begin, end))
        if "".join(sentence).strip():
            # #Text= lines with no token rows after them: the file was cut short, and their
            # text would be lost (INCEpTION adds a sentence's text at its first token).
            self.problem(text_line, "#Text", "the file ends after a sentence's text, before its token rows "
                         "(is it cut short?)")
            return
        text = "".join(parts)
        self.text = text[:-1] if text.endswith("\n") else text  # the line break INCEpTION adds after the last
        self._offsets()

    def _width(self, text: str) -> int:
        return len(text) + (sum(1 for ch in text if ord(ch) > 0xFFFF) if self.utf16 and not text.isascii() else 0)

    def _offsets(self) -> None:
        """The file's offsets as code points, every token's text checked against the text."""
        offsets = Offsets(self.text, self.utf16)
        length = len(self.text)
        for unit in self.units:
            if unit.begin > unit.end:
                self.problem(unit.line, unit.id, f"offsets {unit.begin}-{unit.end}: the begin is after the end")
                return
            begin, end = offsets(unit.begin), offsets(unit.end)
            if begin is None or end is None or not 0 <= begin <= end <= length:
                self.problem(unit.line, unit.id, f"offsets {unit.begin}-{unit.end} are outside the text "
                             f"({length} characters)" + (f"; {UTF16_HINT}" if has_astral(self.text) else ""))
                return
            if unit.text != self.text[begin:end]:
                hint = f"; {UTF16_HINT}" if has_astral(self.text) and not self.utf16 else ""
                self.problem(unit.line, unit.id, f"token {unit.text!r} does not match the text at {unit.begin}-"
                             f"{unit.end} ({self.text[begin:end]!r}){hint}")
                return
            unit.begin, unit.end = begin, end
        self.tokens = [(offsets(b), offsets(e)) for b, e in self.tokens]  # type: ignore[misc]

    # ------------------------------------------------------------ annotations
    def annotate(self) -> None:
        anns: list[Ann] = []
        by_id: dict[str, Ann] = {}
        stacks: dict[tuple[str, str, int], Ann] = {}  # (unit, layer, stack index) -> annotation
        relations: list[tuple[_Unit, Column, int, str, dict[str, str]]] = []
        chains: dict[tuple[str, str, str], Ann] = {}  # (layer, chain, element) -> element
        skipped: set[str] = set()
        # A chain element is made by its link column (chain and element number), then typed.
        ordered = sorted(self.columns, key=lambda c: c.role == "chain_type")
        for unit in self.units:
            for column in ordered:
                raw = unit.fields[column.index + 3]
                if raw == "_":
                    continue
                if column.layer in TOKEN_LEVEL or column.target in TOKEN_LEVEL:
                    skipped.add(column.layer)
                    continue
                for stack, value in enumerate(split_unescaped(raw, "|")):
                    if column.kind == "span":
                        self._span_value(unit, column, stack, value, anns, by_id, stacks)
                    elif column.kind == "chain":
                        self._chain_value(unit, column, stack, value, anns, chains, stacks)
                    else:
                        relations.append((unit, column, stack, value, {}))
        for layer in sorted(skipped):
            self.problem(self.units[0].line if self.units else 1, short_name(layer),
                         f"the token-level layer {layer} has no place in annotator and is not imported", "notice")
        # Stacked twins (same label on the same rows) become one span here, before any
        # relation is made, so every relation to either finds that span.
        maker = SpanMaker(self.file, self.problems, self.spans, self.kinds)
        maker.make(anns)
        self._relations(relations, by_id, stacks)
        self._slots(anns, by_id, stacks)
        self._chain_links(chains)
        self.relations = maker.dedupe(self.relations)

    def _span_value(self, unit: _Unit, column: Column, stack: int, value: str, anns: list[Ann],
                    by_id: dict[str, Ann], stacks: dict) -> None:
        ident = None
        if column.role != "slot_target":
            value, ident = split_disambiguation(value)
        ann = stacks.get((unit.id, column.layer, stack))
        if ann is None and ident is not None and ident in by_id:
            ann = by_id[ident]
            if ann.layer != column.layer:
                # INCEpTION numbers annotations once per document: joining the two would put
                # this layer's value on the other layer's annotation.
                return self.problem(unit.line, f"{unit.id}.{short_name(column.layer)}", f"the disambiguation id "
                                    f"[{ident}] already names a {short_name(ann.layer)} annotation (line {ann.line})")
            ann.end = max(ann.end, unit.end)
        if ann is None:
            ann = Ann(column.layer, unit.begin, unit.end, unit.line, unit.id)
            anns.append(ann)
        stacks[(unit.id, column.layer, stack)] = ann
        if ident is not None:
            by_id[ident] = ann
        if column.role == "primitive" and value != "*" and column.feature is not None:
            ann.values.setdefault(column.feature, unescape_value(value))
        elif column.role == "slot_role" and ann.roles is None:
            ann.roles = [] if value == "_" else [unescape_value(r) for r in split_unescaped(value, ";")]
        elif column.role == "slot_target" and ann.targets is None:
            ann.targets = [] if value in ("*", "_") else split_unescaped(value, ";")
            ann.values.setdefault(f"\0target:{column.target}", "")

    def _chain_value(self, unit: _Unit, column: Column, stack: int, value: str, anns: list[Ann],
                     chains: dict, stacks: dict) -> None:
        if column.role == "chain_link":
            match = _CHAIN.fullmatch(value)
            if match is None:
                return self.problem(unit.line, column.feature, f"{value!r} must be RELATION->CHAIN-ELEMENT")
            key = (column.layer, match.group(2), match.group(3))
            ann = chains.get(key)
            if ann is None:
                ann = chains[key] = Ann(column.layer, unit.begin, unit.end, unit.line, unit.id, chain=match.group(2))
                anns.append(ann)
            ann.end = max(ann.end, unit.end)
            stacks[(unit.id, column.layer, stack)] = ann
            if match.group(1) != "*":
                ann.values.setdefault("\0relation", unescape_value(match.group(1)))
        else:
            name, _ = split_disambiguation(value)
            ann = stacks.get((unit.id, column.layer, stack))
            if ann is not None and name != "*":
                ann.values.setdefault("referenceType", unescape_value(name))
        return None

    def _find(self, ref: str, ident: str | None, layer: str, by_id: dict, stacks: dict, line: int,
              fld: str) -> Ann | None:
        if ident not in (None, "0"):
            found = by_id.get(ident)
        else:
            found = stacks.get((ref, layer, 0))
            if found is None and layer == ANY_TYPE:
                found = next((ann for (unit, _, stack), ann in stacks.items() if unit == ref and stack == 0), None)
        if found is None or found.index < 0:
            self.problem(line, fld, f"names {ref}{'' if ident is None else f'[{ident}]'}, where there is no "
                         f"{short_name(layer)} annotation that was imported")
            return None
        return found

    def _relations(self, relations: list, by_id: dict, stacks: dict) -> None:
        grouped: dict[tuple[str, str, int], dict[str, str]] = {}
        refs: dict[tuple[str, str, int], tuple[_Unit, Column, str]] = {}
        for unit, column, stack, value, _ in relations:
            key = (unit.id, column.layer, stack)
            if column.role == "ref":
                refs[key] = (unit, column, value)
            elif value != "*" and column.feature is not None:
                grouped.setdefault(key, {})[column.feature] = unescape_value(value)
        for key, (unit, column, value) in refs.items():
            source, ids = split_disambiguation(value)
            source_id, _, target_id = (ids or "").partition("_")
            fld = f"{unit.id}.{short_name(column.layer)}"
            head = self._find(source, source_id or None, column.target, by_id, stacks, unit.line, fld)
            child = self._find(unit.id, target_id or None, column.target, by_id, stacks, unit.line, fld)
            if head is None or child is None:
                return
            values = grouped.get(key, {})
            label = values.pop(LABEL_FEATURE, None) or values.pop("value", None) or short_name(column.layer)
            if (problem := check_label(self.file, unit.line, fld, label)) is not None:
                self.problems.append(problem)
                return
            extras = Extras(dict(values)) if values else None
            self.relations.append(RelationRecord(head.index, child.index, label, fld, extras=extras, line=unit.line))

    def _slots(self, anns: list[Ann], by_id: dict, stacks: dict) -> None:
        for ann in anns:
            if not ann.roles or ann.index < 0:
                continue
            target_type = next((k.split(":", 1)[1] for k in ann.values if k.startswith("\0target:")), ANY_TYPE)
            targets = ann.targets or []
            fld = f"{ann.unit}.{short_name(ann.layer)}"
            if len(targets) != len(ann.roles):
                return self.problem(ann.line, fld, f"{len(ann.roles)} slot role(s) but {len(targets)} target(s)")
            for role, target in zip(ann.roles, targets):
                ref, ident = split_disambiguation(target)
                found = self._find(ref, ident, target_type, by_id, stacks, ann.line, fld)
                if found is None:
                    return None
                label = role if role not in ("", "*") else "LINK"
                self.relations.append(RelationRecord(ann.index, found.index, label, fld, line=ann.line))
        return None

    def _chain_links(self, chains: dict) -> None:
        by_chain: dict[tuple[str, str], list[tuple[int, Ann]]] = {}
        for (layer, chain, element), ann in chains.items():
            by_chain.setdefault((layer, chain), []).append((int(element), ann))
        for (layer, _), elements in sorted(by_chain.items()):
            elements.sort(key=lambda pair: pair[0])
            for (_, ann), (_, following) in zip(elements, elements[1:]):
                if ann.index >= 0 and following.index >= 0:
                    label = ann.values.get("\0relation") or short_name(layer)
                    self.relations.append(RelationRecord(ann.index, following.index, label,
                                                         f"{ann.unit}.{short_name(layer)}", line=ann.line))

    def record(self, file: str) -> DocumentRecord:
        return DocumentRecord(text=self.text, line=1, title=Path(file).stem, source=file, spans=self.spans,
                              relations=self.relations, tokens=tuple(self.tokens), label_kinds=self.kinds)
