"""A brat document in the shape brat's own tutorial corpus has (our own text): entities,
an event whose argument is another event, a relation, binary and valued attributes on
entities, events and relations, notes on all three, an equivalence, a discontinuous span,
and the annotation.conf beside it. Plus a reader of everything a project holds about them,
to compare projects after a round trip."""

from __future__ import annotations

from pathlib import Path

TEXT = ("Mara Quell reported that Tarn Mills merged with Oxley Foods.\n"
        "Quell, a former and junior clerk, called the merger overdue.\n")

ANN = """T1\tPerson 0 10\tMara Quell
T2\tOrganization 25 35\tTarn Mills
T3\tOrganization 48 59\tOxley Foods
T4\tReport 11 19\treported
T5\tMerge-org 36 42\tmerged
E1\tReport:T4 Reporter-Arg:T1 Event-Arg:E2
E2\tMerge-org:T5 Org-Arg:T2 Org-Arg2:T3
T6\tPerson 61 66\tQuell
T7\tPosition 70 76;88 93\tformer clerk
R1\tAlias Arg1:T6 Arg2:T1\t
*\tEquiv T1 T6
A1\tConfidence E1 Low
A2\tNegation E2
A3\tIndividual T1
A4\tMention T6 Nominal
A5\tCertain R1
#1\tAnnotatorNotes T1\tsource: press briefing, checked against wire copy
#2\tAnnotatorNotes E2\tone merger or two?
#3\tAnnotatorNotes R1\tsame person, shorter name
"""

CONF = """[entities]
Person
Organization
Position

[relations]
Alias\tArg1:Person, Arg2:Person

[events]
!Business
\tMerge-org\tOrg-Arg+:Organization
Report\tReporter-Arg:Person, Event-Arg:<EVENT>

[attributes]
Negation\tArg:<EVENT>
Confidence\tArg:<EVENT>, Value:High|Neutral|Low
Individual\tArg:<ENTITY>
Mention\tArg:<ENTITY>, Value:Name|Nominal|Other
Certain\tArg:<RELATION>
"""


def write_corpus(folder: Path, conf: bool = True, ann: str = ANN, text: str = TEXT) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "merger.txt").write_bytes(text.encode("utf-8"))
    (folder / "merger.ann").write_bytes(ann.encode("utf-8"))
    if conf:
        (folder / "annotation.conf").write_text(CONF, encoding="utf-8")
    return folder / "merger.ann"


def everything(project) -> dict:  # noqa: ANN001 - a Project
    """Spans, relations, events, equivalences, notes and attribute values, by content (no ids)."""
    q = project.db.query
    spans = {r["id"]: (r["start"], r["end"], r["label"]) for r in q(
        'SELECT spans.id, start, "end", labels.name AS label FROM spans JOIN labels ON labels.id = spans.label_id')}
    events = {r["id"]: (spans[r["trigger_span_id"]], r["label"]) for r in q("SELECT * FROM events")}
    relations = {r["id"]: (spans[r["head_span_id"]], spans[r["child_span_id"]], r["label"],
                           events.get(r["event_id"]), events.get(r["child_event_id"]))
                 for r in q("SELECT * FROM relations")}
    members: dict[int, list] = {}
    for r in q("SELECT * FROM equivalence_members ORDER BY position"):
        members.setdefault(r["equivalence_id"], []).append(spans[r["span_id"]])
    equivalences = {r["id"]: (r["label"], tuple(members.get(r["id"], ()))) for r in q("SELECT * FROM equivalences")}
    targets = {"span_id": spans, "relation_id": relations, "event_id": events, "equivalence_id": equivalences}

    def target(row: dict) -> tuple:
        return next((column, table[row[column]]) for column, table in targets.items() if row.get(column) is not None)

    return {
        "spans": sorted(spans.values()),
        "relations": sorted(relations.values(), key=repr),
        "events": sorted(events.values()),
        "equivalences": sorted(equivalences.values()),
        "notes": sorted(((target(r), r["note"]) for r in q("SELECT * FROM annotation_notes")), key=repr),
        "values": sorted(((target(r), r["attribute"], r["value"]) for r in q("SELECT * FROM attribute_values")),
                         key=repr),
    }
