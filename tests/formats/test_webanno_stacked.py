"""WebAnno TSV: two stacked annotations with the same label on the same rows (a mention in two
coreference chains, an entity tagged twice) import as ONE span that keeps every link of both,
with a notice; other formats still refuse two identical spans as duplicates."""

from __future__ import annotations

import json
from pathlib import Path

from annotator.formats.registry import ReadOptions
from annotator.store import Project
from annotator.workflows.exporting import ExportOptions, export_project
from annotator.workflows.importing import ImportOptions, import_paths

DATA = Path(__file__).parent / "data" / "webanno"
NE = "de.tudarmstadt.ukp.dkpro.core.api.ner.type.NamedEntity"
MENTION = "Der Staatsanwalt Hasterer"
S184 = 24771  # the offset of coref.tsv's sentence 184: the text before it is spaces
COREF_SPANS = [
    (24775, 24800, "CM", MENTION), (24792, 24800, "PER", "Hasterer"), (24833, 24835, "CM", "er"),
    (24851, 24854, "CM", "ihm"), (24893, 24905, "CM", "der Aufseher"), (25030, 25033, "CM", "ihm"),
]
# Chains 79 and 80 both run mention -> ihm -> ihm: each link once. Chains 71 and 58 have one
# element in the excerpt, so no link.
COREF_RELATIONS = [(24775, 24851, "ANAPHORIC"), (24851, 25030, "ANAPHORIC")]


def _import(project, path, **options):
    report = import_paths(project, [path], ImportOptions(format="webanno", read=ReadOptions(), add_labels=True,
                                                         **options))
    problems = [p for f in report.files for p in f.problems]
    assert report.ok, [str(p) for p in problems]
    return problems


def _spans(project):
    doc = next(project.db.query("SELECT id FROM documents ORDER BY id DESC"))["id"]
    return sorted((s.start, s.end, s.label, s.text) for s in project.spans(doc))


def _relations(project):
    return sorted((r["head"], r["child"], r["label"]) for r in project.db.query(
        "SELECT h.start AS head, c.start AS child, r.label FROM relations r JOIN spans h ON h.id = r.head_span_id"
        " JOIN spans c ON c.id = r.child_span_id"))


def _notices(problems):
    return [f"{Path(p.file).name}:{p.line}: {p.field}: {p.message}" for p in problems
            if "kept as one" in p.message]


def test_a_mention_in_two_coreference_chains_is_one_span_in_both(project):
    problems = _import(project, DATA / "corefStackedChains.tsv")
    assert _spans(project) == COREF_SPANS
    assert _relations(project) == COREF_RELATIONS
    both = "two CM annotations on the same text (chains 79 and 80) are kept as one span, linked in both chains"
    assert _notices(problems) == [f"corefStackedChains.tsv:10: 184-3.CoreferenceLink: {both}",
                                  f"corefStackedChains.tsv:26: 184-19.CoreferenceLink: {both}",
                                  f"corefStackedChains.tsv:64: 185-33.CoreferenceLink: {both}"]
    assert all(p.severity == "notice" for p in problems)
    text = next(project.db.query("SELECT text FROM documents"))["text"]
    assert text[:S184].isspace() and text[S184 + 4:S184 + 29] == MENTION


def test_the_joined_chains_come_back_the_same_from_a_webanno_export(project, tmp_path):
    _import(project, DATA / "corefStackedChains.tsv")
    result = export_project(project, tmp_path / "out", ExportOptions(format="webanno", include=("todo",), workers=0))
    again = Project.create(tmp_path / "again.annotator")
    try:
        problems = _import(again, result.files[0])
        assert _spans(again) == COREF_SPANS
        assert _relations(again) == COREF_RELATIONS
        assert _notices(problems) == []  # written once, nothing stacked to join
    finally:
        again.close()


def test_crossing_stacked_chains_keep_every_link(project):
    # INCEpTION's testStackedChain: chain 1 runs This -> is -> a, chain 2 a -> is -> This.
    problems = _import(project, DATA / "testStackedChain.tsv")
    assert _spans(project) == [(0, 4, "SimpleLink", "This"), (5, 7, "SimpleLink", "is"), (8, 9, "SimpleLink", "a")]
    assert _relations(project) == [(0, 5, "SimpleLink"), (5, 0, "SimpleLink"), (5, 8, "SimpleLink"),
                                   (8, 5, "SimpleLink")]
    assert len(_notices(problems)) == 3


def test_a_slot_link_between_two_joined_hosts_stays_as_a_link_to_itself(project):
    # INCEpTION's sampleSlotAnnotation2: host 2 on "This" links (pr1) to host 1 on "This".
    problems = _import(project, DATA / "sampleSlotAnnotation2.tsv")
    assert _spans(project) == [(0, 4, "SimpleSlotHost", "This")]
    assert _relations(project) == [(0, 0, "pr1")]
    assert _notices(problems) == ["sampleSlotAnnotation2.tsv:6: 1-1.SimpleSlotHost: two SimpleSlotHost annotations "
                                  "on the same text are kept as one span"]


def test_two_stacked_entities_with_different_features_keep_the_first_and_name_the_dropped(project, tmp_path):
    path = tmp_path / "stacked.tsv"
    path.write_text(f"#FORMAT=WebAnno TSV 3.3\n#T_SP={NE}|identifier|value\n"
                    "#T_RL=webanno.custom.Relation|label|BT_" + NE + "\n\n\n"
                    "#Text=Ida met Tom .\n"
                    "1-1\t0-3\tIda\tQ1[1]|Q2[2]\tPER[1]|PER[2]\t_\t_\t\n"
                    "1-2\t4-7\tmet\t_\t_\t_\t_\t\n"
                    "1-3\t8-11\tTom\t*\tPER\tKNOWS|KNOWS\t1-1[1_0]|1-1[2_0]\t\n"
                    "1-4\t12-13\t.\t_\t_\t_\t_\t\n", encoding="utf-8")
    problems = _import(project, path)
    assert _spans(project) == [(0, 3, "PER", "Ida"), (8, 11, "PER", "Tom")]
    assert _relations(project) == [(0, 8, "KNOWS")]  # from either of the two: the same relation, once
    assert _notices(problems) == ["stacked.tsv:7: 1-1.NamedEntity: two PER annotations on the same text are kept "
                                  "as one span; dropped: identifier 'Q2' (kept 'Q1')"]
    doc = next(project.db.query("SELECT id FROM documents"))["id"]
    ida = next(s for s in project.spans(doc) if s.text == "Ida")
    assert project.span_details(doc)[ida.id].values == {"identifier": "Q1"}


def test_two_identical_spans_are_still_duplicates_in_other_formats(project, tmp_path):
    # doccano: Prodigy keeps one copy of a span given twice in a task (its merged binary
    # answers repeat model suggestions; tests/formats/test_prodigy_real_data.py).
    path = tmp_path / "twice.jsonl"
    span = [0, 3, "PERSON"]
    path.write_text(json.dumps({"text": "Ida met Tom.", "label": [span, span]}) + "\n", encoding="utf-8")
    report = import_paths(project, [path], ImportOptions(format="doccano"))
    assert not report.ok
    assert any("duplicate span 0-3 PERSON" in p.message for f in report.files for p in f.problems if p.is_error)
