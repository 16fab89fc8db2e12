"""Projects with several annotators' layers, span attributes, notes, events and equivalences,
and a snapshot of all of it by document text, for the round-trip tests of issue 12."""

from __future__ import annotations

import random

from annotator.core.model import SpanAttribute
from annotator.store import Project

ENTITY_LABELS = ("PERSON", "ORG", "GPE")


def add_second_annotator(project: Project, seed: int, first: str = "ann", second: str = "bea") -> None:
    """Every span becomes ``first``'s; ``second`` tags a random share of the entity spans too
    (the same span twice is what agreement is measured on)."""
    rng = random.Random(seed)
    with project.transaction():
        ids = [project.annotator_id(first), project.annotator_id(second)]
        project.db.execute("UPDATE spans SET annotator_id = ?", [ids[0]])
        rows = list(project.db.query(
            "SELECT spans.* FROM spans JOIN labels ON labels.id = spans.label_id WHERE labels.kind = 'entity'"))
        for row in rows:
            if rng.random() < 0.6:
                project.db.execute(
                    'INSERT INTO spans (doc_id, start, "end", label_id, text, annotator_id, origin, state, created_at,'
                    " updated_at) VALUES (?,?,?,?,?,?,?,?,?,?)",
                    [row["doc_id"], row["start"], row["end"], row["label_id"], row["text"], ids[1], "import",
                     "accepted", row["created_at"], row["updated_at"]])


def add_extras(project: Project, seed: int, note_text: str, events: bool = True) -> None:
    """Span attributes (a flag and a choice), a note on a span, an event over entity spans,
    an equivalence of two entity spans: what brat files carry."""
    rng = random.Random(seed)
    project.add_span_attribute(SpanAttribute("Negation", "flag"))
    project.add_span_attribute(SpanAttribute("Mention", "choice", ("Name", "Nominal")))
    with project.transaction():
        db = project.db
        for doc in db.query("SELECT id FROM documents"):
            spans = [r["id"] for r in db.query(
                "SELECT spans.id FROM spans JOIN labels ON labels.id = spans.label_id WHERE doc_id = ? AND"
                " labels.kind = 'entity' ORDER BY spans.id", [doc["id"]])]
            for span_id in spans:
                if rng.random() < 0.5:
                    db.execute("INSERT INTO attribute_values (span_id, attribute, value) VALUES (?,?,?)",
                               [span_id, "Mention", rng.choice(["Name", "Nominal"])])
                if rng.random() < 0.3:
                    db.execute("INSERT INTO attribute_values (span_id, attribute, value) VALUES (?,?,?)",
                               [span_id, "Negation", "true"])
            if spans and rng.random() < 0.7:
                db.execute("INSERT INTO annotation_notes (span_id, note) VALUES (?,?)", [spans[0], note_text])
            if events and len(spans) >= 2:
                trigger, *args = spans
                cursor = db.execute("INSERT INTO events (doc_id, trigger_span_id, label, annotator_id, created_at)"
                                    " VALUES (?,?,?,?,?)", [doc["id"], trigger, "Meet", None, "now"])
                event_id = cursor.lastrowid
                for i, arg in enumerate(args):
                    db.execute("INSERT INTO relations (doc_id, head_span_id, child_span_id, label, created_at,"
                               " event_id) VALUES (?,?,?,?,?,?)", [doc["id"], trigger, arg, f"Arg{i + 1}", "now",
                                                                    event_id])
                db.execute("INSERT INTO attribute_values (event_id, attribute, value) VALUES (?,?,?)",
                           [event_id, "Negation", "true"])
                db.execute("INSERT INTO annotation_notes (event_id, note) VALUES (?,?)", [event_id, note_text])
                cursor = db.execute("INSERT INTO equivalences (doc_id, label, created_at) VALUES (?,?,?)",
                                    [doc["id"], "Equiv", "now"])
                for position, member in enumerate(spans[:2]):
                    db.execute("INSERT INTO equivalence_members (equivalence_id, span_id, position) VALUES (?,?,?)",
                               [cursor.lastrowid, member, position])


def layers(project: Project, annotators: bool = True) -> dict:
    """Per document text: spans (with annotator), claims, relations (with the event they are
    roles of), events, equivalences, notes and attribute values, all by content."""
    q = project.db.query
    found: dict[str, dict] = {}
    for doc in q("SELECT id, text FROM documents"):
        spans = {r["id"]: (r["start"], r["end"], r["label"], (r["annotator"] or "") if annotators else "")
                 for r in q('SELECT spans.id, start, "end", labels.name AS label, annotators.name AS annotator'
                            " FROM spans JOIN labels ON labels.id = spans.label_id LEFT JOIN annotators"
                            " ON annotators.id = spans.annotator_id WHERE doc_id = ?", [doc["id"]])}
        events = {r["id"]: (spans[r["trigger_span_id"]], r["label"])
                  for r in q("SELECT * FROM events WHERE doc_id = ?", [doc["id"]])}
        relations = {r["id"]: (spans[r["head_span_id"]], spans[r["child_span_id"]], r["label"],
                               events.get(r["event_id"]))
                     for r in q("SELECT * FROM relations WHERE doc_id = ?", [doc["id"]])}
        members: dict[int, list] = {}
        for r in q("SELECT m.* FROM equivalence_members m JOIN equivalences e ON e.id = m.equivalence_id"
                   " WHERE e.doc_id = ? ORDER BY position", [doc["id"]]):
            members.setdefault(r["equivalence_id"], []).append(spans[r["span_id"]])
        claims = sorted(
            (c.content.start, c.content.end, c.content.label,
             (c.claimant.start, c.claimant.end, c.claimant.label) if c.claimant else ("text", c.claimant_text or ""),
             c.claimant_relation or "", (c.cue.start, c.cue.end, c.cue.label) if c.cue else (),
             tuple(sorted(c.values.items())))
            for c in project.claims(doc["id"]))
        targets = {"span_id": spans, "relation_id": relations, "event_id": events}

        def target(row: dict) -> tuple:
            return next(((c, t[row[c]]) for c, t in targets.items() if row.get(c) is not None and row[c] in t),
                        ("?",))

        found[doc["text"]] = {
            "spans": sorted(spans.values()), "claims": claims,
            "relations": sorted(relations.values(), key=repr), "events": sorted(events.values()),
            "equivalences": sorted(tuple(m) for m in members.values()),
            "notes": sorted((target(r), r["note"]) for r in q(
                "SELECT n.* FROM annotation_notes n LEFT JOIN spans s ON s.id = n.span_id LEFT JOIN events e"
                " ON e.id = n.event_id WHERE s.doc_id = ? OR e.doc_id = ?", [doc["id"], doc["id"]])),
            "values": sorted((target(r), r["attribute"], r["value"]) for r in q(
                "SELECT v.* FROM attribute_values v LEFT JOIN spans s ON s.id = v.span_id LEFT JOIN events e"
                " ON e.id = v.event_id WHERE s.doc_id = ? OR e.doc_id = ?", [doc["id"], doc["id"]])),
        }
    return found
