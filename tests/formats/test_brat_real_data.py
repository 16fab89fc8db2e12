"""brat standoff against what real brat corpora hold (brat's example-data, MIT) and hostile
variants of it: every file either imports exactly or is refused naming file, line and field."""

from __future__ import annotations

from brat_fixture import everything, write_corpus

from annotator.store import Project
from annotator.workflows.exporting import ExportOptions, export_project
from annotator.workflows.importing import ImportOptions, import_paths

ALL = ("done", "todo", "skipped")


def _import(project, path, **options):
    return import_paths(project, [path], ImportOptions(format="brat", **options))


def _problems(report):
    return [(p.line, p.field, p.severity, p.message) for f in report.files for p in f.problems]


def test_equivalence_naming_one_span_twice_is_a_notice_not_a_crash(project, tmp_path):
    # brat example-data/corpora/BioNLP-ST_2011/BioNLP-ST_2011_ID/PMC2858072-02-Results_and_Discussion-01.ann
    # line 103 is "*\tEquiv T63 T63": the store's (equivalence, span) key made this a traceback.
    ann = ("T1\tPERSON 0 3\tAnn\nT2\tPERSON 8 11\tBob\nT3\tPERSON 16 19\tAnn\n"
           "*\tEquiv T1 T1\n*\tEquiv T1 T3 T1\n")
    report = _import(project, write_corpus(tmp_path / "c", conf=False, ann=ann, text="Ann met Bob and Ann."))
    assert report.ok and report.total("added") == 1, _problems(report)
    assert _problems(report) == [(4, "*", "notice", "an equivalence of one span with itself: not imported"),
                                 (5, "*", "notice", "a span named twice is a member once")]
    assert everything(project)["equivalences"] == [("Equiv", ((0, 3, "PERSON"), (16, 19, "PERSON")))]


def _errors(project, tmp_path, ann, text="Ann met Bob in Paris."):
    report = _import(project, write_corpus(tmp_path / "c", conf=False, ann=ann, text=text), add_labels=True)
    assert not report.ok and not list(project.db.query("SELECT id FROM documents"))
    return [(line, fld, message) for line, fld, severity, message in _problems(report) if severity == "error"]


OK = "T1\tPERSON 0 3\tAnn\nT2\tPERSON 8 11\tBob\n"


def test_offsets_are_ascii_digits(project, tmp_path):
    # str.isdigit() took "³" (then int() failed: a generic "unexpected shape" error with no field)
    # and "٣" (read as 3): brat writes ASCII digits only.
    for offsets in ("0 \u00b3", "\u0660 \u0663"):
        assert _errors(project, tmp_path, f"T1\tPERSON {offsets}\tAnn\n") == [
            (1, "T1", f"offsets {offsets!r} must be 'START END' (or fragments 'S E;S E')")]


def test_a_relation_id_defined_twice_is_refused(project, tmp_path):
    # Both were imported, and "A1 Sure R1" went to whichever came last.
    ann = OK + "R1\tKnows Arg1:T1 Arg2:T2\nR1\tLikes Arg1:T2 Arg2:T1\nA1\tSure R1\n"
    assert _errors(project, tmp_path, ann) == [(4, "R1", "R1 is defined twice")]


def test_one_attribute_given_two_values_is_refused_not_the_last_kept(project, tmp_path):
    ann = OK + "A1\tMood T1 Happy\nA2\tMood T1 Sad\n"
    assert _errors(project, tmp_path, ann) == [
        (4, "A2", "T1 already has Mood = 'Happy' (A1, line 3); Mood = 'Sad' here contradicts it")]


def test_the_same_flag_twice_is_one_value(project, tmp_path):
    report = _import(project, write_corpus(tmp_path / "c", conf=False, ann=OK + "A1\tNeg T1\nM2\tNeg T1\n",
                                           text="Ann met Bob in Paris."), add_labels=True)
    assert report.ok, _problems(report)
    assert everything(project)["values"] == [(("span_id", (0, 3, "PERSON")), "Neg", "true")]


def test_a_line_without_tabs_says_so(project, tmp_path):
    # Tabs turned into spaces (copied from a web page): the message named the whole line as the field.
    ann = "T1 PERSON 0 3 Ann\nT2\tPERSON 8 11\tBob\nR1 Knows Arg1:T1 Arg2:T2\n"
    message = ("no tab after the id: brat separates an id from the rest of its line with a tab "
               "(were the tabs turned into spaces?)")
    assert _errors(project, tmp_path, ann) == [(1, "T1", message), (3, "R1", message)]


def test_a_note_with_other_line_breaks_stays_one_line_brat_can_read(project, tmp_path):
    # brat reads an .ann with str.splitlines(): a note holding U+2028, U+0085 or a form feed
    # (pasted text) was written raw and broke its line in two for brat.
    note = "first\u2028second\x0cthird\x85fourth\nfifth C:\\data"
    ann = OK + "#1\tAnnotatorNotes T1\t" + note.replace("\\", "\\\\").replace("\n", "\\n") + "\n"
    assert _import(project, write_corpus(tmp_path / "c", conf=False, ann=ann, text="Ann met Bob in Paris."),
                   add_labels=True).ok
    result = export_project(project, tmp_path / "out", ExportOptions(format="brat", include=ALL, workers=0))
    written = next(p for p in result.files if p.suffix == ".ann").read_text(encoding="utf-8")
    assert written.splitlines() == written.split("\n")[:-1]  # brat sees the lines we wrote
    assert everything(project)["notes"] == [(("span_id", (0, 3, "PERSON")), note)]
    again = Project.create(tmp_path / "again.annotator")
    try:
        assert import_paths(again, [next(p for p in result.files if p.suffix == ".ann")],
                            ImportOptions(format="brat", add_labels=True)).ok
        assert everything(again)["notes"] == [(("span_id", (0, 3, "PERSON")), note)]
    finally:
        again.close()
