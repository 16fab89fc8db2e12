r"""CSV for pandas and R (export only): ``claims.csv`` (one row per claim) and ``entities.csv``
(one row per span that is not a claim: entities and role spans such as cues).

    import pandas as pd; claims = pd.read_csv("out/claims.csv")          # Python
    claims <- read.csv("out/claims.csv", encoding = "UTF-8")             # R

UTF-8 without a byte-order mark, RFC 4180 quoting (cells may hold line breaks), one header
row. Offsets are code points, end exclusive. Empty cells mean "none". Every claim attribute
of the scheme is a column, in scheme order.

Text cells that a spreadsheet would run as a formula (CSV injection: a cell beginning with
``=``, ``+``, ``-``, ``@``, a tab or a carriage return) get a leading ``'``, as OWASP
recommends; so does a cell that already begins with ``'`` before one of those, so the change
can be undone exactly: drop the first ``'`` of every cell matching ``^'+[=+\-@\t\r]``
(docs/formats.md). ``WriteOptions.raw_cells`` (``--raw-cells``) writes every cell as it is.
"""

from __future__ import annotations

import csv
import io
import re

from ..core.export import ExportDocument
from ..core.model import Span
from .registry import Encoded, Writer, WriteOptions, register_writer

CLAIM_COLUMNS = ("document_id", "title", "claim_id", "label", "start", "end", "content", "claimant",
                 "canonical_claimant", "claimant_start", "claimant_end", "claimant_label", "claimant_relation", "cue",
                 "cue_start", "cue_end", "annotator")
ENTITY_COLUMNS = ("document_id", "title", "span_id", "label", "kind", "start", "end", "text", "annotator")


# A cell a spreadsheet takes for a formula, or one that already carries our quote before one.
FORMULA_START = re.compile(r"'*[=+\-@\t\r]")


def neutralise(cell: object) -> object:
    """``cell`` as a spreadsheet shows it as text (OWASP's CSV-injection advice)."""
    if isinstance(cell, str) and FORMULA_START.match(cell):
        return "'" + cell
    return cell


def _rows(rows: list[list[object]], raw: bool = False) -> str:
    buffer = io.StringIO()
    if not raw:
        rows = [[neutralise(cell) for cell in row] for row in rows]
    csv.writer(buffer, lineterminator="\r\n").writerows(rows)
    return buffer.getvalue()


def _start(options: WriteOptions) -> list[tuple[str, str]]:
    attributes = [a.name for a in options.scheme.attributes]
    return [("claims.csv", _rows([[*CLAIM_COLUMNS, *attributes]], options.raw_cells)),
            ("entities.csv", _rows([list(ENTITY_COLUMNS)]))]


def _edges(span: Span | None) -> tuple[object, object, object]:
    return (span.start, span.end, span.label) if span is not None else ("", "", "")


def encode(doc: ExportDocument, options: WriteOptions) -> Encoded:
    attributes = [a.name for a in options.scheme.attributes]
    kinds = {label.name: label.kind for label in options.scheme.labels}
    title = doc.document.title
    claims = []
    for claim in doc.claims:
        claimant_start, claimant_end, claimant_label = _edges(claim.claimant)
        cue_start, cue_end, _ = _edges(claim.cue)
        claims.append([
            doc.id, title, claim.id, claim.content.label, claim.content.start, claim.content.end, claim.content.text,
            claim.claimant_name or "", doc.canonical.get(claim.id, ""), claimant_start, claimant_end, claimant_label,
            claim.claimant_relation or "", claim.cue.text if claim.cue else "", cue_start, cue_end,
            claim.content.annotator or "", *(claim.values.get(name, "") for name in attributes),
        ])
    entities = [[doc.id, title, span.id, span.label, kinds.get(span.label, "entity"), span.start, span.end, span.text,
                 span.annotator or ""] for span in doc.spans if kinds.get(span.label, "entity") != "claim"]
    return Encoded([("claims.csv", _rows(claims, options.raw_cells)), ("entities.csv", _rows(entities, options.raw_cells))])


register_writer(Writer("csv", "CSV for pandas and R: claims.csv and entities.csv", encode, start=_start))
