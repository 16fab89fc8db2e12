"""WebAnno TSV 3.3, both directions: what INCEpTION exports by default, and imports.

Reading is formats.webanno_read. Writing, one ``doc-000012.tsv`` per document:
- the document's own tokens (a CoNLL, Prodigy or WebAnno import keeps them), else spaCy's,
  without white-space tokens; a line break between two tokens starts a new sentence, and a
  sentence runs up to the next one's first token, so every character of the text is in a
  ``#Text=`` line and the text comes back exactly (except white space before the first
  word, which the format can only give back as spaces);
- entity spans on INCEpTION's built-in ``NamedEntity`` layer (``value`` = the label), claim
  spans on ``webanno.custom.Claim`` (``label``, one feature per claim attribute,
  ``claimant`` for a free-text claimant), other spans (cues, sources, event triggers) on
  ``webanno.custom.Span`` (``label``); span attributes are features of their span's layer;
- a claim's claimant and cue, and any relation from a claim or other span, as the slot
  feature ``links`` of its layer (role = the relation's label; the target may be on any
  layer, as INCEpTION's relation layers cannot join two layers); relations between two
  entities on ``webanno.custom.Relation`` (``label``, attached to NamedEntity);
- a span that cuts a token gets sub-token rows (``1-3.1``); stacked annotations are joined
  with ``|`` and carry disambiguation ids (``PER[3]``), as do annotations over several rows.
Only the layers a document uses are declared in its header; INCEpTION needs them (with
those features) in the project before it imports the file.
Not kept: notes, equivalences, which relations make up an event (they come back as
relations), document labels, title, meta, status; a span that starts or ends on white
space is written from its first to its last token (named in the notes).
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field

from ..core.export import ExportDocument, utf16_offsets
from ..core.model import Span
from .registry import Encoded, Reader, Writer, WriteOptions, register, register_writer
from .span_input import has_astral
from .webanno_read import OLD_HEADER, read_webanno
from .webanno_tsv import (
    ANY_TYPE, CLAIM_LAYER, CLAIMANT_FEATURE, LABEL_FEATURE, LINKS_FEATURE, NAMED_ENTITY, RELATION_LAYER, SPAN_LAYER,
    escape_text, escape_value,
)
from .writing import span_note, where

_BREAKS = re.compile(r"[\t\n\r]")  # a token row cannot hold these (tabs split columns, line ends rows)


@dataclass
class _Layer:
    name: str
    features: list[str]  # primitive features, in column order
    slots: bool = False  # has the "links" slot feature (role + target columns)
    spans: list[Span] = field(default_factory=list)


def _tokens(doc: ExportDocument) -> list[tuple[int, int]]:
    """Token rows: no white-space tokens, and no token holding a tab or line break."""
    text = doc.text
    found = []
    for start, end, _ in doc.tokens or ():
        if text[start:end].isspace():
            continue
        position = start
        for match in _BREAKS.finditer(text, start, end):
            if match.start() > position:
                found.append((position, match.start()))
            position = match.end()
        if position < end:
            found.append((position, end))
    return found


def encode(doc: ExportDocument, options: WriteOptions) -> Encoded:
    if doc.tokens is None:
        raise ValueError("the WebAnno TSV writer needs tokens")
    text, notes = doc.text, []
    tokens = _tokens(doc)
    if not tokens:
        return Encoded([], [f"{where(doc)}: no words, not written"])
    kinds = {label.name: label.kind for label in options.scheme.labels}
    layers = {name: _Layer(name, []) for name in (NAMED_ENTITY, CLAIM_LAYER, SPAN_LAYER)}
    layer_of: dict[int | None, str] = {}
    units_of: dict[int | None, list[tuple[int, int, int]]] = {}  # span id -> (token index, start, end) units
    starts = [t[0] for t in tokens]
    for span in doc.spans:
        placed = _units(span, tokens, starts)
        if not placed:
            notes.append(span_note(doc, span, "only white space: not written (WebAnno TSV rows are tokens)"))
            continue
        if placed[0][1] != span.start or placed[-1][2] != span.end:
            notes.append(span_note(doc, span, f"starts or ends on white space: written as {placed[0][1]}-"
                                              f"{placed[-1][2]}, its first to last word"))
        kind = kinds.get(span.label, "entity")
        name = NAMED_ENTITY if kind == "entity" else CLAIM_LAYER if kind == "claim" else SPAN_LAYER
        layer_of[span.id] = name
        units_of[span.id] = placed
        layers[name].spans.append(span)
    values = _feature_values(doc, options, layer_of, layers)
    links, relations = _links(doc, layer_of, notes)
    for head, _, _ in links:
        layers[layer_of[head]].slots = True
    writer = _Writer(doc, tokens, layers, layer_of, units_of, values, links, relations,
                     options.offsets == "utf16")
    if has_astral(text) and options.offsets != "utf16":
        notes.append(f"{where(doc)}: has characters beyond U+FFFF (emoji): INCEpTION counts UTF-16 units, so export "
                     "with --offsets utf16 for INCEpTION")
    if text[:tokens[0][0]].strip(" "):
        notes.append(f"{where(doc)}: the white space before its first word comes back as spaces")
    for what, count in (("notes", len(doc.notes)), ("equivalences", len(doc.equivalences))):
        if count:
            notes.append(f"{where(doc)}: {count} {what} are not written (WebAnno TSV has no place for them)")
    if doc.doc_labels:
        notes.append(f"{where(doc)}: document labels {', '.join(doc.doc_labels)} are not written")
    return Encoded([(f"doc-{doc.id:06d}.tsv", writer.text())], notes)


def _units(span: Span, tokens: list[tuple[int, int]], starts: list[int]) -> list[tuple[int, int, int]]:
    """(token index, start, end) of the rows a span covers: whole tokens, or the part of a
    token it covers (a sub-token row)."""
    from bisect import bisect_right

    first = max(0, bisect_right(starts, span.start) - 1)
    placed = []
    for index in range(first, len(tokens)):
        start, end = tokens[index]
        if start >= span.end:
            break
        if end <= span.start:
            continue
        placed.append((index, max(start, span.start), min(end, span.end)))
    return placed


def _feature_values(doc: ExportDocument, options: WriteOptions, layer_of: dict, layers: dict) -> dict:
    """Every span's feature values by layer feature, and each layer's feature columns."""
    found: dict[int | None, dict[str, str]] = defaultdict(dict)
    claims = {claim.content.id: claim for claim in doc.claims}
    exported = {span.id for span in doc.spans}
    order = [a.name for a in options.scheme.attributes]
    for span_id, layer in layer_of.items():
        label_feature = "value" if layer == NAMED_ENTITY else LABEL_FEATURE
        span = next(s for s in layers[layer].spans if s.id == span_id)
        found[span_id][label_feature] = span.label
        claim = claims.get(span_id)
        if claim is not None:
            found[span_id].update(claim.values)
            name = claim.claimant_text if claim.claimant is None else (
                None if claim.claimant.id in exported else claim.claimant.text)
            if name:
                found[span_id][CLAIMANT_FEATURE] = name
        for attribute, value in doc.values.get(("span", span_id), {}).items():
            found[span_id].setdefault(attribute, value)
    for layer in layers.values():
        used = {name for span in layer.spans for name in found[span.id]}
        first = ["identifier", "value"] if layer.name == NAMED_ENTITY else [LABEL_FEATURE]
        rest = sorted(used - set(first), key=lambda n: (order.index(n) if n in order else len(order), n))
        layer.features = first + rest
    return found


def _links(doc: ExportDocument, layer_of: dict, notes: list[str]) -> tuple[list, list]:
    """(slot links from claim and role spans, relations between two entities)."""
    links, relations = [], []
    by_id = {span.id: span for span in doc.spans}
    for head, child, label in doc.links():
        if head not in layer_of or child not in layer_of:
            continue
        if layer_of[head] != NAMED_ENTITY:
            links.append((head, child, label))
        elif layer_of[child] == NAMED_ENTITY:
            relations.append((head, child, label))
        else:
            notes.append(span_note(doc, by_id[head], f"its {label} relation to {by_id[child].label} "
                                                     f"{by_id[child].text!r} is not written (an entity has no slots)"))
    return links, relations


class _Writer:
    """Rows, units, stacks and disambiguation ids of one document."""

    def __init__(self, doc: ExportDocument, tokens: list[tuple[int, int]], layers: dict, layer_of: dict,
                 units_of: dict, values: dict, links: list, relations: list, utf16: bool) -> None:
        self.doc, self.tokens, self.layers, self.layer_of = doc, tokens, layers, layer_of
        self.values, self.links, self.relations = values, links, relations
        text = doc.text
        # Sentences: a new one at each token after a line break.
        self.sentence_starts = [0] + [i for i in range(1, len(tokens))
                                      if any(ch in text[tokens[i - 1][1]:tokens[i][0]] for ch in "\n\r")]
        self.ids: dict[int | None, str] = {}  # unit ids: token "1-2", sub-token "1-2.1"
        self.subtokens: dict[int, list[tuple[int, int]]] = defaultdict(list)
        self.span_units: dict[int | None, list[str]] = {}
        for span_id, placed in units_of.items():
            for index, start, end in placed:
                if (start, end) != tokens[index] and (start, end) not in self.subtokens[index]:
                    self.subtokens[index].append((start, end))
        self._name_units()
        for span_id, placed in units_of.items():
            self.span_units[span_id] = [self.unit_name(index, start, end) for index, start, end in placed]
        self.stacks: dict[tuple[str, str], list[int | None]] = defaultdict(list)  # (unit, layer) -> span ids
        for span_id in sorted(units_of, key=lambda i: (units_of[i][0][1], units_of[i][-1][2], i or 0)):
            for unit in self.span_units[span_id]:
                self.stacks[(unit, layer_of[span_id])].append(span_id)
        self._disambiguate()
        edges = [e for t in tokens for e in t] + [e for subs in self.subtokens.values() for s in subs for e in s]
        self.offset = utf16_offsets(text, edges) if utf16 else None

    def _name_units(self) -> None:
        self.names: dict[tuple[int, int, int], str] = {}
        sentence, position = 0, 0
        starts = set(self.sentence_starts)
        for index, (start, end) in enumerate(self.tokens):
            if index in starts:
                sentence, position = sentence + 1, 0
            position += 1
            self.names[(index, start, end)] = f"{sentence}-{position}"
            self.subtokens[index].sort()
            for number, (a, b) in enumerate(self.subtokens[index], 1):
                self.names[(index, a, b)] = f"{sentence}-{position}.{number}"

    def unit_name(self, index: int, start: int, end: int) -> str:
        return self.names[(index, start, end)]

    def _disambiguate(self) -> None:
        """Ids for annotations over several rows, stacked ones, and every slot target."""
        needs = {span_id for span_id, units in self.span_units.items() if len(units) > 1}
        needs.update(span_id for stack in self.stacks.values() if len(stack) > 1 for span_id in stack)
        needs.update(child for _, child, _ in self.links)
        self.disambiguation: dict[int | None, int] = {}
        for key in self.stacks:
            for span_id in self.stacks[key]:
                if span_id in needs and span_id not in self.disambiguation:
                    self.disambiguation[span_id] = len(self.disambiguation) + 1

    def _suffix(self, span_id: int | None) -> str:
        number = self.disambiguation.get(span_id)
        return "" if number is None else f"[{number}]"

    def header(self) -> tuple[list[str], list[tuple[str, str, str]]]:
        lines, columns = ["#FORMAT=WebAnno TSV 3.3"], []
        for layer in self.layers.values():
            if not layer.spans:
                continue
            slots = [f"ROLE_{layer.name}:{LINKS_FEATURE}_{layer.name}{LINKS_FEATURE.title()}Link", ANY_TYPE] \
                if layer.slots else []
            lines.append(f"#T_SP={layer.name}|{'|'.join([*layer.features, *slots])}")
            columns.extend((layer.name, "feature", f) for f in layer.features)
            if layer.slots:
                columns.extend([(layer.name, "roles", ""), (layer.name, "targets", "")])
        if self.relations:
            lines.append(f"#T_RL={RELATION_LAYER}|{LABEL_FEATURE}|BT_{NAMED_ENTITY}")
            columns.extend([(RELATION_LAYER, "relation", LABEL_FEATURE), (RELATION_LAYER, "source", "")])
        return lines, columns

    def text(self) -> str:
        lines, columns = self.header()
        out = ["\n".join(lines), "\n\n"]
        text, tokens = self.doc.text, self.tokens
        links_of: dict[int | None, list[tuple[int, str]]] = defaultdict(list)
        for head, child, label in self.links:
            links_of[head].append((child, label))
        incoming: dict[str, list[tuple[int, int, str]]] = defaultdict(list)
        for head, child, label in self.relations:
            incoming[self.span_units[child][0]].append((head, child, label))
        bounds = [*self.sentence_starts, len(tokens)]
        for number, (first, stop) in enumerate(zip(bounds, bounds[1:]), 1):
            begin = tokens[first][0]
            end = tokens[stop][0] if stop < len(tokens) else len(text)
            out.append("\n" + "".join(f"#Text={escape_text(part)}\n" for part in text[begin:end].split("\n")))
            for index in range(first, stop):
                start, finish = tokens[index]
                rows = [(start, finish), *self.subtokens[index]]
                for a, b in rows:
                    unit = self.unit_name(index, a, b)
                    cells = [self._cell(unit, column, links_of, incoming) for column in columns]
                    out.append(f"{unit}\t{self._at(a)}-{self._at(b)}\t{text[a:b]}\t" + "".join(c + "\t" for c in cells)
                               + "\n")
        return "".join(out)

    def _at(self, offset: int) -> int:
        return offset if self.offset is None else self.offset[offset]

    def _cell(self, unit: str, column: tuple[str, str, str], links_of: dict, incoming: dict) -> str:
        layer, role, feature = column
        if role in ("relation", "source"):
            found = incoming.get(unit, [])
            if not found:
                return "_"
            if role == "relation":
                return "|".join(escape_value(label) for _, _, label in found)
            parts = []
            for head, child, _ in found:
                ids = (self.disambiguation.get(head), self.disambiguation.get(child))
                parts.append(self.span_units[head][0] + (f"[{ids[0] or 0}_{ids[1] or 0}]" if any(ids) else ""))
            return "|".join(parts)
        stack = self.stacks.get((unit, layer))
        if not stack:
            return "_"
        cells = []
        for span_id in stack:
            if role == "feature":
                value = self.values[span_id].get(feature)
                cells.append(("*" if value is None else escape_value(value)) + self._suffix(span_id))
            elif role == "roles":
                roles = [escape_value(label) for _, label in links_of.get(span_id, [])]
                cells.append((";".join(roles) or "_") + self._suffix(span_id))
            else:
                targets = [self.span_units[child][0] + self._suffix(child) for child, _ in links_of.get(span_id, [])]
                cells.append(";".join(targets) or "*")
        return "|".join(cells)


def sniff(head: str) -> bool:
    """TSV 3, and WebAnno 2's TSV 1/2 too: the reader then says what the file is (a table
    reader would only say it has no text column)."""
    head = head.lstrip("\ufeff")
    return head.startswith("#FORMAT=WebAnno TSV 3") or OLD_HEADER.match(head) is not None


register(Reader("webanno", "WebAnno TSV 3.x (INCEpTION's export)", (".tsv",), read_webanno, sniff=sniff), "inception")
register_writer(Writer("webanno", "WebAnno TSV 3.3 for INCEpTION: a .tsv per document", encode, needs_tokens=True),
                "inception")
