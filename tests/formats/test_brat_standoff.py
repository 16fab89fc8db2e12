"""brat: everything brat writes comes in, is kept, and goes out again (issue 12)."""

from __future__ import annotations

from brat_fixture import ANN, everything, write_corpus

from annotator.store import Project
from annotator.workflows.exporting import ExportOptions, export_project
from annotator.workflows.importing import ImportOptions, import_paths

ALL = ("done", "todo", "skipped")


def _import(project, path, **options):
    return import_paths(project, [path], ImportOptions(format="brat", **options))


def _problems(report):
    return [p for f in report.files for p in f.problems]


def test_brat_standoff_reads_events_attributes_notes_equivalences(project, tmp_path):
    report = _import(project, write_corpus(tmp_path / "corpus"), add_labels=True)
    assert report.ok, [str(p) for p in _problems(report)]
    kinds = {label.name: label.kind for label in project.labels()}
    # annotation.conf's types: entities as entity labels, event types as role labels
    assert kinds["Organization"] == "entity" and kinds["Merge-org"] == "role" and kinds["Report"] == "role"
    attributes = {a.name: (a.kind, a.choices) for a in project.span_attributes()}
    assert attributes["Negation"] == ("flag", ()) and attributes["Confidence"] == ("choice", ("High", "Neutral", "Low"))
    got = everything(project)
    person, quell = (0, 10, "Person"), (61, 66, "Person")
    report_event, merge_event = ((11, 19, "Report"), "Report"), ((36, 42, "Merge-org"), "Merge-org")
    assert got["events"] == sorted([report_event, merge_event])
    # roles are relations from the trigger; an event argument points at that event's trigger
    assert ((11, 19, "Report"), (36, 42, "Merge-org"), "Event-Arg", report_event, merge_event) in got["relations"]
    assert ((36, 42, "Merge-org"), (48, 59, "Organization"), "Org-Arg2", merge_event, None) in got["relations"]
    assert (quell, person, "Alias", None, None) in got["relations"]
    # a discontinuous span with words in its gap: one span per fragment, joined
    assert ((70, 76, "Position"), (88, 93, "Position"), "FRAGMENT", None, None) in got["relations"]
    assert got["equivalences"] == [("Equiv", (person, quell))]
    assert (("event_id", report_event), "Confidence", "Low") in got["values"]
    assert (("event_id", merge_event), "Negation", "true") in got["values"]  # binary: set
    assert (("span_id", person), "Individual", "true") in got["values"]
    assert (("span_id", quell), "Mention", "Nominal") in got["values"]
    assert any(t[0] == "relation_id" and name == "Certain" for t, name, _ in got["values"])
    # a note is free text, never an attribute named "source"
    assert (("span_id", person), "source: press briefing, checked against wire copy") in got["notes"]
    assert (("event_id", merge_event), "one merger or two?") in got["notes"]
    assert "source" not in attributes


def test_brat_standoff_round_trip_writes_e_lines_attributes_notes_and_equivalences(project, tmp_path):
    assert _import(project, write_corpus(tmp_path / "corpus"), add_labels=True).ok
    result = export_project(project, tmp_path / "out", ExportOptions(format="brat", include=ALL, workers=0))
    ann = next(p for p in result.files if p.suffix == ".ann").read_text(encoding="utf-8")
    lines = ann.splitlines()
    assert any(line.startswith("E") and "\tReport:T" in line and "Event-Arg:E" in line for line in lines)
    assert any(line.startswith("E") and "\tMerge-org:T" in line and " Org-Arg2:T" in line for line in lines)
    assert any(line.startswith("*\tEquiv T") for line in lines)
    assert any("\tPosition 70 76;88 93\tformer clerk" in line for line in lines)
    assert any(line.startswith("A") and line.split("\t")[1].startswith("Negation E") and
               len(line.split("\t")[1].split()) == 2 for line in lines)  # a flag has no value
    assert not any("Org-Arg" in line for line in lines if line.startswith("R"))  # roles are E lines, not R
    with Project.create(tmp_path / "back.annotator") as back:
        report = _import(back, tmp_path / "out", add_labels=True)
        assert report.ok, [str(p) for p in _problems(report)]
        assert everything(back) == everything(project)


def test_brat_standoff_unknown_attributes_named_once_with_their_line(project, tmp_path):
    ann = ANN + "A6\tConfidence E2 High\n"
    path = write_corpus(tmp_path / "corpus", conf=False, ann=ann)
    for name in ("Person", "Organization", "Position"):
        project.add_label(_label(name, "entity"))
    for name in ("Report", "Merge-org"):
        project.add_label(_label(name, "role"))
    before = project.row_counts()
    report = _import(project, path)
    assert not report.ok and project.row_counts() == before
    errors = [(p.line, p.field, p.message) for p in _problems(report) if p.is_error]
    # Confidence is on lines 12 and 20: named once, at the first
    assert errors == [
        (12, "A1", "unknown span attribute 'Confidence'; add it to the scheme first or import with --add-labels"),
        (13, "A2", "unknown span attribute 'Negation'; add it to the scheme first or import with --add-labels"),
        (14, "A3", "unknown span attribute 'Individual'; add it to the scheme first or import with --add-labels"),
        (15, "A4", "unknown span attribute 'Mention'; add it to the scheme first or import with --add-labels"),
        (16, "A5", "unknown span attribute 'Certain'; add it to the scheme first or import with --add-labels"),
    ]


def test_brat_standoff_add_labels_without_conf_adds_attributes_as_met(project, tmp_path):
    report = _import(project, write_corpus(tmp_path / "corpus", conf=False), add_labels=True)
    assert report.ok, [str(p) for p in _problems(report)]
    attributes = {a.name: (a.kind, a.choices) for a in project.span_attributes()}
    assert attributes == {"Certain": ("flag", ()), "Confidence": ("choice", ("Low",)), "Individual": ("flag", ()),
                          "Mention": ("choice", ("Nominal",)), "Negation": ("flag", ())}
    kinds = {label.name: label.kind for label in project.labels()}
    assert kinds["Report"] == kinds["Merge-org"] == "role"  # event triggers, even without a conf
    assert kinds["Person"] == "entity"


def test_brat_standoff_attribute_on_a_claim_is_a_claim_value(project, tmp_path):
    text = "Ann said the sky is green."
    ann = ("T1\tPERSON 0 3\tAnn\nT2\tCLAIM 9 25\tthe sky is green\nR1\tASSERTED_BY Arg1:T2 Arg2:T1\n"
           "A1\tstance T2 denies\nA2\tmood T2 angry\nA3\tHedged T2\n#1\tAnnotatorNotes T2\tsource: wire\n")
    path = write_corpus(tmp_path / "c", conf=False, ann=ann, text=text)
    report = _import(project, path, add_labels=True)
    assert report.ok, [str(p) for p in _problems(report)]
    doc_id = next(project.db.query("SELECT id FROM documents"))["id"]
    (claim,) = project.claims(doc_id)
    assert claim.claimant.text == "Ann" and claim.claimant_relation == "ASSERTED_BY"
    assert claim.values == {"stance": "denies", "mood": "angry", "Hedged": "true", "note": "source: wire",
                            "verdict": "unverified"}
    assert {a.name: a.choices for a in project.claim_attributes()}["mood"] == ("angry",)


def test_brat_standoff_errors_name_the_wrong_line(project, tmp_path):
    ann = "T1\tPERSON 0 3\tAnn\nT2\tPERSON 4 7\tmet\nR1\tKNOWS Arg1:T1 Arg2:T2\n\nA1\tmood T9 angry\n"
    report = _import(project, write_corpus(tmp_path / "c", conf=False, ann=ann, text="Ann met Bob."))
    (error,) = [p for p in _problems(report) if p.is_error]
    assert (error.line, error.field) == (5, "A1") and "T9" in error.message
    ann = "T1\tPERSON 0 3\tAnn\n\n\nT2\tNOPE 4 7\tmet\n"
    report = _import(project, write_corpus(tmp_path / "d", conf=False, ann=ann, text="Ann met Bob."))
    (error,) = [p for p in _problems(report) if p.is_error]
    assert (error.line, error.field) == (4, "T2.label") and "NOPE" in error.message


def test_brat_standoff_events_need_a_trigger_and_known_arguments(project, tmp_path):
    ann = "T1\tPERSON 0 3\tAnn\nE1\tMeet:T7 Agent:T1\nE2\tMeet:T1 Agent:T4\n"
    report = _import(project, write_corpus(tmp_path / "c", conf=False, ann=ann, text="Ann met Bob."))
    errors = [(p.line, p.field, p.message) for p in _problems(report) if p.is_error]
    assert errors == [(2, "E1", "its trigger T7 is not a T line of this file"),
                      (3, "E2", "names T4, which is not a T or E line of this file")]


def _label(name, kind):
    from annotator.core.model import Label

    return Label(name, kind)
