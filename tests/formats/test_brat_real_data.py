"""brat standoff against what real brat corpora hold (brat's example-data, MIT) and hostile
variants of it: every file either imports exactly or is refused naming file, line and field."""

from __future__ import annotations

from brat_fixture import everything, write_corpus

from annotator.workflows.importing import ImportOptions, import_paths


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
