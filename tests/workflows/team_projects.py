"""Projects for the team tests (split, merge), and a content dump of layers to compare files by.

A dump names nothing by row id: documents by content hash, annotators by UUID, spans by
(start, end, label), so two files that hold the same layers dump the same.
"""

from __future__ import annotations

import json
import random
from pathlib import Path

from annotator.core.model import Label
from annotator.store import EditRefused, Project
from annotator.store.claims import ClaimantLink
from annotator.workflows.importing import ImportOptions, import_paths

NAMES = ["Ana Ruiz", "Bo Lindqvist", "Chidi Eze", "Dora Haddad", "Emil Novak", "Fatou Diop"]
PLACES = ["Lisbon", "Nairobi", "Hanoi", "Oslo", "Lima", "Kraków"]


def article(i: int) -> str:
    rng = random.Random(i)
    who, other = rng.sample(NAMES, 2)
    where = rng.choice(PLACES)
    return (f"{i}. {who} said on Monday that the {where} council 🌍 would meet {other} "
            f"about water prices, according to a spokesperson.")


def make_lead(folder: Path, count: int = 8, *, name: str = "lead.annotator", annotator: str | None = None) -> Project:
    """``count`` articles imported from Prodigy JSONL; with ``annotator``, each carries that
    annotator's PERSON spans and a relation between them (their layer)."""
    project = Project.create(folder / name)
    project.add_label(Label("TOPIC", "doc"))
    lines = []
    for i in range(count):
        text = article(i)
        record: dict = {"text": text, "meta": {"title": f"Article {i}", "n": i}}
        if annotator:
            spans = [{"start": text.index(n), "end": text.index(n) + len(n), "label": "PERSON"}
                     for n in NAMES if n in text]
            record["spans"] = sorted(spans, key=lambda s: s["start"])
            record["relations"] = [{"head_span": record["spans"][0], "child_span": record["spans"][1],
                                    "label": "MET"}]
        lines.append(json.dumps(record, ensure_ascii=False))
    source = folder / f"{name}.jsonl"
    source.write_text("\n".join(lines) + "\n", encoding="utf-8")
    report = import_paths(project, [source], ImportOptions(annotator=annotator))
    assert report.ok, report.summary()
    return project


def doc_ids(project: Project) -> list[int]:
    return [r["id"] for r in project.db.query("SELECT id FROM documents ORDER BY position")]


# ------------------------------------------------------------------ dumps
def layer_dump(project: Project, uuid: str, hashes: set[str] | None = None) -> dict:
    """One annotator's layer, by document content hash (only ``hashes`` when given)."""
    annotator = project.find_annotator(uuid)
    docs = {r["id"]: r["content_hash"] for r in project.db.query("SELECT id, content_hash FROM documents")}
    found: dict = {}
    for doc_id, digest in docs.items():
        if hashes is not None and digest not in hashes:
            continue
        spans = project.layer_spans(doc_id, annotator.ref)
        ids = {s.id for s in spans}
        key = {s.id: (s.start, s.end, s.label) for s in project.spans(doc_id)}
        rows = {r["id"]: r for r in project.db.query("SELECT * FROM spans WHERE doc_id = ?", [doc_id])}
        claims = sorted(
            (key[c.content.id], c.claimant and (*key[c.claimant.id], c.claimant.annotator), c.claimant_text,
             c.claimant_relation, c.cue and (*key[c.cue.id], c.cue.annotator), tuple(sorted(c.values.items())))
            for c in project.claims(doc_id) if c.content.id in ids)
        relations = sorted((key[r["head_span_id"]], key[r["child_span_id"]], r["label"]) for r in project.db.query(
            "SELECT * FROM relations WHERE doc_id = ?", [doc_id]) if r["head_span_id"] in ids)
        found[digest] = {
            "spans": sorted((s.start, s.end, s.label, s.text, s.origin, s.state, rows[s.id]["created_at"],
                             rows[s.id]["updated_at"]) for s in spans),
            "claims": claims, "relations": relations,
            "doc_labels": project.doc_labels(doc_id, annotator.ref),
            "status": project.document_status(doc_id, annotator.ref),
        }
    return found


def project_dump(project: Project) -> dict:
    """Every layer of every document, the documents and the annotators: what a merge may change."""
    everyone = project.annotator_list()
    return {
        "documents": sorted((r["content_hash"], r["title"], r["meta"]) for r in project.db.query(
            "SELECT content_hash, title, meta FROM documents")),
        "annotators": sorted((a.uuid, a.name) for a in everyone),
        "layers": {a.uuid: layer_dump(project, a.uuid) for a in everyone},
        "unattributed": sorted(tuple(r.values()) for r in project.db.query(
            'SELECT d.content_hash, s.start, s."end", s.state FROM spans s JOIN documents d ON d.id = s.doc_id'
            " WHERE s.annotator_id IS NULL")),
        "aliases": project.claimant_aliases(),
    }


# ------------------------------------------------------------------ random work
def random_edits(project: Project, annotator: str, rng: random.Random, count: int = 12) -> None:
    """What an annotator might do in the window: tag, claim, link, set values, relabel,
    resize, delete, set statuses and document labels. Refused edits are simply skipped."""
    ids = doc_ids(project)
    attributes = [a for a in project.claim_attributes() if a.kind == "choice"]
    for _ in range(count):
        doc_id = rng.choice(ids)
        text = project.document(doc_id).text
        mine = project.layer_spans(doc_id, annotator)
        action = rng.randrange(9)
        try:
            if action <= 2 or not mine:
                start = rng.randrange(0, len(text) - 6)
                end = min(len(text), start + rng.randint(2, 12))
                label = rng.choice(["PERSON", "ORG", "GPE", "CUE", "DATE"])
                project.add_span(doc_id, start, end, label, annotator=annotator)
            elif action == 3:
                start = rng.randrange(0, len(text) - 30)
                values = {a.name: rng.choice(a.choices) for a in rng.sample(attributes, 2)}
                claim = project.add_claim(doc_id, start, start + 25, "CLAIM", annotator=annotator, values=values)
                others = [s for s in project.layer_spans(doc_id, annotator) if s.id != claim.content.id]
                if others:
                    project.set_claimant(claim.id, ClaimantLink(span_id=rng.choice(others).id))
                    project.set_cue(claim.id, rng.choice(others).id)
                else:
                    project.set_claimant(claim.id, ClaimantLink(text=rng.choice(NAMES)))
            elif action == 4:
                project.delete_span(rng.choice(mine).id)
            elif action == 5:
                span = rng.choice(mine)
                if span.label in ("PERSON", "ORG", "GPE", "DATE"):
                    project.relabel_span(span.id, rng.choice(["PERSON", "ORG", "GPE", "DATE"]))
            elif action == 6:
                span = rng.choice(mine)
                project.resize_span(span.id, span.start, min(len(text), span.end + 1))
            elif action == 7:
                claims = project.layer_claims(doc_id, annotator)
                if claims:
                    attribute = rng.choice(attributes)
                    project.set_claim_value(rng.choice(claims).id, attribute.name, rng.choice(attribute.choices))
                else:
                    project.set_doc_label(doc_id, "TOPIC", rng.random() < 0.7, annotator=annotator)
            else:
                project.set_status(doc_id, rng.choice(["done", "skipped", "todo", "done"]), annotator=annotator)
        except EditRefused:
            continue
