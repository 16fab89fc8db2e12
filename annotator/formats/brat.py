"""brat standoff, both directions: ``NAME.txt`` (the text, byte-exact) + ``NAME.ann``.

Reading is formats.brat_reader (and brat_conf for annotation.conf). Writing, per document:
- ``T``: spans (the text with line breaks as spaces, so lengths stay equal); spans joined by
  ``FRAGMENT`` relations are one discontinuous ``T`` line again;
- ``R``: claim links (claim -> claimant under its relation label, claim -> cue as ``CUE``)
  and the other relations; ``E``: events, their roles from the relations that are theirs;
- ``A``: span attributes (a flag has no value), attributes of relations and events, and
  claim attributes: choices, and text attributes other than the note, as one word
  (white space and ``%`` percent-encoded: ``mostly%20true``); a free-text claimant as the
  attribute ``claimant``;
- ``#`` AnnotatorNotes: notes of spans, relations and events, and a claim's note attribute
  (``\\``, line breaks and tabs backslash-escaped, as a note is one line);
- ``*``: equivalences.
Not kept: title, meta, status, document labels (brat has no document-level annotation).
Offsets are code points of the ``.txt`` as Python reads it (``newline=""``: a CRLF is two).
"""

from __future__ import annotations

from urllib.parse import quote

from ..core.export import ExportDocument, Target
from ..core.extras import CLAIMANT_ATTRIBUTE, NOTE_ATTRIBUTE
from .brat_reader import FRAGMENT_RELATION, LINE_BREAKS, one_line, read_brat
from .registry import Encoded, Reader, Writer, WriteOptions, register, register_writer


def encode_value(value: str) -> str:
    """A label, attribute name or value as one brat word: white space and % percent-encoded
    (``mostly true`` -> ``mostly%20true``); everything else as it is."""
    return "".join(quote(ch, safe="") if ch.isspace() or ch == "%" else ch for ch in value)


def escape_note(text: str) -> str:
    r"""A note as one line: \\, \n, \r, \t, and the other characters brat breaks lines at
    (it reads an .ann with str.splitlines: \x0c, U+2028, ...) as \uXXXX."""
    text = text.replace("\\", "\\\\").replace("\n", "\\n").replace("\r", "\\r").replace("\t", "\\t")
    return "".join(f"\\u{ord(ch):04x}" if ch in LINE_BREAKS else ch for ch in text)


class _Ann:
    """The lines of one ``.ann`` file, with brat's running ids."""

    def __init__(self) -> None:
        self.lines: list[str] = []
        self.counts = {"A": 0, "#": 0}

    def attribute(self, target: str, name: str, value: str | None) -> None:
        self.counts["A"] += 1
        word = "" if value is None else f" {encode_value(value)}"
        self.lines.append(f"A{self.counts['A']}\t{encode_value(name)} {target}{word}\n")

    def note(self, target: str, text: str) -> None:
        self.counts["#"] += 1
        self.lines.append(f"#{self.counts['#']}\tAnnotatorNotes {target}\t{escape_note(text)}\n")


def encode(doc: ExportDocument, options: WriteOptions) -> Encoded:
    stem = f"doc-{doc.id:06d}"
    ann = _Ann()
    fragments: dict[int, list[int]] = {}  # first fragment's span id -> the later fragments' ids
    for relation in doc.relations:
        if relation.label == FRAGMENT_RELATION and relation.event is None:
            fragments.setdefault(relation.head, []).append(relation.child)
    later = {child for children in fragments.values() for child in children}
    by_id = {span.id: span for span in doc.spans}
    names: dict[int | None, str] = {}
    for span in doc.spans:
        if span.id in later and span.id not in fragments:
            continue
        names[span.id] = f"T{len(names) + 1}"
        parts = [span, *sorted((by_id[c] for c in fragments.get(span.id, ()) if c in by_id), key=lambda s: s.start)]
        ranges = ";".join(f"{s.start} {s.end}" for s in parts)
        ann.lines.append(f"{names[span.id]}\t{encode_value(span.label)} {ranges}\t"
                         f"{' '.join(one_line(s.text) for s in parts)}\n")
    for fragment in later:
        names.setdefault(fragment, next((names[h] for h, cs in fragments.items() if fragment in cs and h in names), ""))
    events = {event.id: f"E{i + 1}" for i, event in enumerate(doc.events)}
    relation_names = _relations(doc, names, ann)
    for event in doc.events:
        roles = [f"{encode_value(r.label)}:{events.get(r.child_event) or names[r.child]}"
                 for r in doc.relations if r.event == event.id]
        ann.lines.append(f"{events[event.id]}\t{encode_value(event.label)}:{names[event.trigger]}"
                         f"{''.join(' ' + role for role in roles)}\n")
    for equivalence in doc.equivalences:
        ann.lines.append(f"*\t{encode_value(equivalence.label)} "
                         f"{' '.join(names[m] for m in equivalence.members)}\n")
    flags = {a.name for a in options.scheme.span_attributes if a.kind == "flag"}
    targets: dict[Target, str] = {**{("span", k): v for k, v in names.items() if k is not None and k not in later},
                                  **{("relation", k): v for k, v in relation_names.items()},
                                  **{("event", k): v for k, v in events.items()}}
    for key, target in targets.items():
        for name, value in sorted(doc.values.get(key, {}).items()):
            ann.attribute(target, name, None if name in flags else value)
        if key in doc.notes:
            ann.note(target, doc.notes[key])
    _claims(doc, options, names, ann)
    notes = []
    if doc.doc_labels:
        notes.append(f"document {doc.id}: document labels {', '.join(doc.doc_labels)} are not written (brat has no "
                     "document-level annotation)")
    return Encoded([(f"{stem}.txt", doc.text), (f"{stem}.ann", "".join(ann.lines))], notes)


def _relations(doc: ExportDocument, names: dict, ann: _Ann) -> dict[int, str]:
    """``R`` lines: claim links, then the relations that are neither fragments nor event roles."""
    exported = {span.id for span in doc.spans}
    found: dict[int, str] = {}
    lines = [(head, child, label, None) for head, child, label in doc.claim_links(exported)]
    lines.extend((r.head, r.child, r.label, r.id) for r in doc.relations
                 if r.event is None and r.label != FRAGMENT_RELATION and r.head in exported and r.child in exported)
    for count, (head, child, label, relation_id) in enumerate(lines, 1):
        ann.lines.append(f"R{count}\t{encode_value(label)} Arg1:{names[head]} Arg2:{names[child]}\n")
        if relation_id is not None:
            found[relation_id] = f"R{count}"
    return found


def _claims(doc: ExportDocument, options: WriteOptions, names: dict, ann: _Ann) -> None:
    text_attributes = {a.name for a in options.scheme.attributes if a.kind == "text"}
    for claim in doc.claims:
        target = names[claim.content.id]
        for name, value in sorted(claim.values.items()):
            if name == NOTE_ATTRIBUTE and name in text_attributes:
                ann.note(target, value)
            else:
                ann.attribute(target, name, value)
        claimant = claim.claimant_text
        if claim.claimant is not None and claim.claimant.id not in names:
            claimant = claim.claimant.text  # the span is not exported: its text is kept
        if claimant:
            ann.attribute(target, CLAIMANT_ATTRIBUTE, claimant)


register(Reader("brat", "brat standoff (NAME.ann beside NAME.txt)", (".ann",), read_brat))
register_writer(Writer("brat", "brat standoff: a .txt and an .ann per document", encode))
