"""Build projects with spans, claims, attributes and document labels; compare two projects.

Used by the format tests: a project is built through the store (as the window would),
exported, imported into a fresh project with the same scheme, and the two are compared.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

from annotator.core.model import Label
from annotator.store import Project
from annotator.store.claims import ClaimantLink
from annotator.workflows.exporting import ExportOptions, export_project
from annotator.workflows.importing import ImportOptions, import_paths
from annotator.formats.registry import ReadOptions

DOC_LABELS = ("POLITICS", "ECONOMY")
ALL = ("done", "todo", "skipped")


@dataclass
class ClaimSpec:
    content: int  # index into DocSpec.spans
    claimant: int | str | None = None  # span index or free text
    relation: str | None = None
    cue: int | None = None
    values: dict[str, str] = field(default_factory=dict)


@dataclass
class DocSpec:
    text: str
    spans: list[tuple[int, int, str]] = field(default_factory=list)
    claims: list[ClaimSpec] = field(default_factory=list)
    title: str = ""
    meta: dict = field(default_factory=dict)
    status: str = "done"
    doc_labels: list[str] = field(default_factory=list)


def new_project(path: Path) -> Project:
    project = Project.create(path)
    for name in DOC_LABELS:
        project.add_label(Label(name, "doc"))
    return project


def build(project: Project, docs: list[DocSpec], folder: Path) -> None:
    """Documents through an import (spans), then claims, links, values, labels, status through the store."""
    source = folder / "build-input.jsonl"
    with source.open("w", encoding="utf-8", newline="\n") as handle:
        for doc in docs:
            meta = {**doc.meta, **({"title": doc.title} if doc.title else {})}
            handle.write(json.dumps({"text": doc.text, "meta": meta,
                                     "spans": [{"start": s, "end": e, "label": lab} for s, e, lab in doc.spans]})
                         + "\n")
    report = import_paths(project, [source])
    assert report.ok and report.total("added") == len(docs), [str(p) for f in report.files for p in f.problems]
    rows = list(project.db.query("SELECT id FROM documents ORDER BY position DESC LIMIT ?", [len(docs)]))[::-1]
    for doc, row in zip(docs, rows):
        doc_id = row["id"]
        by_key = {(s.start, s.end, s.label): s for s in project.spans(doc_id)}
        span_ids = [by_key[key].id for key in doc.spans]
        claims = {c.content.id: c for c in project.claims(doc_id)}
        for spec in doc.claims:
            claim = claims[span_ids[spec.content]]
            if isinstance(spec.claimant, int):
                project.set_claimant(claim.id, ClaimantLink(span_ids[spec.claimant], None, spec.relation))
            elif isinstance(spec.claimant, str):
                project.set_claimant(claim.id, ClaimantLink(None, spec.claimant, spec.relation))
            if spec.cue is not None:
                project.set_cue(claim.id, span_ids[spec.cue])
            for name, value in spec.values.items():
                project.set_claim_value(claim.id, name, value)
        for label in doc.doc_labels:
            project.set_doc_label(doc_id, label, True)
        if doc.status != "todo":
            project.set_status(doc_id, doc.status)


def snapshot(project: Project, keep: frozenset[str] = frozenset({"title", "meta", "status", "doc_labels"})) -> dict:
    """Every document by text: what a round trip must give back (``keep`` names what the format holds)."""
    found = {}
    for summary in project.document_summaries(0, 10**6):
        doc = project.document(summary.id)
        spans = sorted((s.start, s.end, s.label) for s in project.spans(doc.id))
        claims = sorted(
            ((c.content.start, c.content.end, c.content.label),
             (c.claimant.start, c.claimant.end, c.claimant.label) if c.claimant else ("text", c.claimant_text or ""),
             c.claimant_relation or "", (c.cue.start, c.cue.end, c.cue.label) if c.cue else (),
             tuple(sorted(c.values.items())))
            for c in project.claims(doc.id))
        entry = {"spans": spans, "claims": claims}
        if "title" in keep:
            entry["title"] = doc.title
        if "meta" in keep:
            entry["meta"] = {k: v for k, v in doc.meta.items() if k not in ("title", "_prodigy")}
        if "status" in keep:
            entry["status"] = doc.status
        if "doc_labels" in keep:
            entry["doc_labels"] = sorted(project.doc_labels(doc.id))
        assert doc.text not in found
        found[doc.text] = entry
    return found


def round_trip(project: Project, folder: Path, fmt: str, target: str, *, import_format: str = "auto",
               offsets: str = "codepoints", export_offsets: str = "codepoints", **options) -> tuple[Project, object]:
    """Export ``project`` as ``fmt`` to ``folder/target``, import that into a new project
    (with the same span attributes)."""
    output = folder / target
    result = export_project(project, output, ExportOptions(format=fmt, include=ALL, workers=0, offsets=export_offsets,
                                                           **options))
    other = new_project(folder / f"back-{fmt}-{target.replace('/', '_')}.annotator")
    for attribute in project.span_attributes():
        other.add_span_attribute(attribute)
    report = import_paths(other, [output], ImportOptions(format=import_format, read=ReadOptions(offsets=offsets)))
    assert report.ok, [str(p) for f in report.files for p in f.problems]
    return other, result
