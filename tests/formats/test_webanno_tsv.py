"""WebAnno TSV 3.x: files in the shapes INCEpTION's own test suite has (our own texts), read
as INCEpTION reads them; what we write has the rows, stacks and ids INCEpTION expects."""

from __future__ import annotations

import pytest

from annotator.core.model import Label
from annotator.formats.registry import ReadOptions, guess_format_why
from annotator.formats.webanno_tsv import escape_text, escape_value, unescape_text, unescape_value
from annotator.workflows.exporting import ExportOptions, export_project
from annotator.workflows.importing import ImportOptions, import_paths

NE = "de.tudarmstadt.ukp.dkpro.core.api.ner.type.NamedEntity"
HEAD = "#FORMAT=WebAnno TSV 3.3\n"


def _import(project, path, **options):
    offsets = options.pop("offsets", "codepoints")
    return import_paths(project, [path], ImportOptions(format="webanno", read=ReadOptions(offsets=offsets),
                                                       add_labels=True, **options))


def _write(tmp_path, body, name="a.tsv"):
    path = tmp_path / name
    path.write_text(body, encoding="utf-8")
    return path


def _doc(project):
    return next(project.db.query("SELECT id FROM documents ORDER BY id DESC"))["id"]


def _spans(project):
    return sorted((s.start, s.end, s.label, s.text) for s in project.spans(_doc(project)))


def _relations(project):
    return sorted((r["head"], r["child"], r["label"]) for r in project.db.query(
        "SELECT h.text AS head, c.text AS child, r.label FROM relations r JOIN spans h ON h.id = r.head_span_id"
        " JOIN spans c ON c.id = r.child_span_id"))


def test_webanno_tsv_stacked_multi_token_and_sub_token_spans(project, tmp_path):
    project.set_setting("allow_overlapping_entities", "1")
    path = _write(tmp_path, HEAD + f"#T_SP={NE}|identifier|value\n\n\n"
                  "#Text=Mara Quell joined Oxley .\n"
                  "1-1\t0-4\tMara\t*[1]\tPERSON[1]\t\n"
                  "1-2\t5-10\tQuell\t*[1]|Q42\tPERSON[1]|LASTNAME\t\n"
                  "1-3\t11-17\tjoined\t_\t_\t\n"
                  "1-4\t18-23\tOxley\t_\t_\t\n"
                  "1-4.1\t18-20\tOx\t*\tPREFIX\t\n"
                  "1-5\t24-25\t.\t_\t_\t\n")
    assert _import(project, path).ok
    assert _spans(project) == [(0, 10, "PERSON", "Mara Quell"), (5, 10, "LASTNAME", "Quell"), (18, 20, "PREFIX", "Ox")]
    assert project.document(_doc(project)).text == "Mara Quell joined Oxley ."
    lastname = next(s for s in project.spans(_doc(project)) if s.label == "LASTNAME")
    assert project.span_details(_doc(project))[lastname.id].values == {"identifier": "Q42"}
    assert project.document_tokens(_doc(project)) == ((0, 4), (5, 10), (11, 17), (18, 23), (24, 25))


def test_webanno_tsv_relations_slots_and_chains(project, tmp_path):
    path = _write(tmp_path, HEAD + "#T_SP=webanno.custom.Span|value\n"
                  "#T_SP=webanno.custom.Host|ROLE_webanno.custom.Host:links_webanno.custom.HostLink|uima.tcas.Annotation\n"
                  "#T_CH=webanno.custom.CorefLink|referenceType|referenceRelation\n"
                  "#T_RL=webanno.custom.Relation|value|BT_webanno.custom.Span\n\n\n"
                  "#Text=Ann met Bob and she left .\n"
                  "1-1\t0-3\tAnn\tP[1]\t_\t_\tname[5]\tcoref->1-1\t_\t_\t\n"
                  "1-2\t4-7\tmet\t_\tagent;patient\t1-1[1];1-3[2]\t_\t_\t_\t_\t\n"
                  "1-3\t8-11\tBob\tP[2]\t_\t_\t_\t_\tKNOWS\t1-1[1_2]\t\n"
                  "1-4\t12-15\tand\t_\t_\t_\t_\t_\t_\t_\t\n"
                  "1-5\t16-19\tshe\t_\t_\t_\tpronoun[5]\t*->1-2\t_\t_\t\n"
                  "1-6\t20-24\tleft\t_\t_\t_\t_\t_\t_\t_\t\n"
                  "1-7\t25-26\t.\t_\t_\t_\t_\t_\t_\t_\t\n")
    report = _import(project, path)
    assert report.ok, [str(p) for f in report.files for p in f.problems]
    # a relation (source unit[source id _ target id]), slot links (role -> target), a chain
    # (element 1 -> element 2, labelled by element 1's referenceRelation)
    assert _relations(project) == [("Ann", "Bob", "KNOWS"), ("Ann", "she", "coref"), ("met", "Ann", "agent"),
                                   ("met", "Bob", "patient")]
    assert {s.text: s.label for s in project.spans(_doc(project)) if s.label != "name"} == {
        "Bob": "P", "met": "Host", "she": "pronoun", "Ann": "P"}


def test_webanno_tsv_escaping_and_sentence_text(project, tmp_path):
    path = _write(tmp_path, HEAD + "#T_SP=webanno.custom.Span|value|note\n\n\n"
                  "#Text=Tab\\there\n"
                  "#Text=and more\\r\n"
                  "1-1\t0-3\tTab\ta\\|b\\_c\\->d\tsemi\\;colon \\[x\\]\t\n"
                  "1-2\t4-8\there\t_\t_\t\n"
                  "1-3\t9-12\tand\t_\t_\t\n"
                  "1-4\t13-17\tmore\t_\t_\t\n"
                  "\n#Text=Next\n"
                  "2-1\t19-23\tNext\t*\t*\t\n")
    assert _import(project, path).ok
    doc = project.document(_doc(project))
    assert doc.text == "Tab\there\nand more\r\nNext"
    (first, second) = project.spans(doc.id)
    assert first.label == "a|b_c->d" and second.label == "Span"
    assert project.span_details(doc.id)[first.id].values == {"note": "semi;colon [x]"}


@pytest.mark.parametrize("offsets, ok", [("codepoints", False), ("utf16", True)])
def test_webanno_tsv_utf16_offsets_checked_by_the_token_text(project, tmp_path, offsets, ok):
    path = _write(tmp_path, HEAD + "#T_SP=webanno.custom.Span|value\n\n\n"
                  "#Text=I like it 😊 .\n1-1\t0-1\tI\t_\t\n1-2\t2-6\tlike\t_\t\n1-3\t7-9\tit\t_\t\n"
                  "1-4\t10-12\t😊\tJOY\t\n1-5\t13-14\t.\t_\t\n")
    report = _import(project, path, offsets=offsets)
    assert report.ok is ok
    if ok:
        assert _spans(project) == [(10, 11, "JOY", "😊")]
    else:
        (error,) = [p for f in report.files for p in f.problems if p.is_error]
        assert (error.line, error.field) == (9, "1-4") and "--offsets utf16" in error.message


def test_webanno_tsv_token_level_layers_reported_and_sentences_without_space(project, tmp_path):
    path = _write(tmp_path, HEAD + "#T_SP=de.tudarmstadt.ukp.dkpro.core.api.lexmorph.type.pos.POS|PosValue\n\n\n"
                  "#Sentence.id=s1\n#Text=one\n1-1\t0-3\tone\tCD\t\n\n#Text=two\n2-1\t3-6\ttwo\tCD\t\n")
    report = _import(project, path)
    assert report.ok and project.document(_doc(project)).text == "onetwo"
    (notice,) = report.files[0].problems
    assert notice.severity == "notice" and "token-level layer" in notice.message


@pytest.mark.parametrize("body, line, words", [
    ("#FORMAT=WebAnno TSV 2\n", 1, "WebAnno TSV 3"),
    (HEAD + "#T_SP=webanno.custom.Span|value\n\n\n#Text=ab\n1-1\t0-2\tab\n", 6, "annotation column"),
    (HEAD + "\n\n1-1\t0-2\tab\t\n", 4, "#Text="),
    (HEAD + "#T_SP=webanno.custom.Span|value\n\n\n#Text=ab\n1-1\t0-2\tax\tX\t\n", 6, "does not match"),
    (HEAD + "#T_RL=webanno.custom.Rel|value|BT_webanno.custom.Span\n\n\n#Text=ab\n1-1\t0-2\tab\tR\t1-9\t\n", 6,
     "no Span annotation"),
])
def test_webanno_tsv_bad_files_name_the_line(project, tmp_path, body, line, words):
    before = project.row_counts()
    report = _import(project, _write(tmp_path, body))
    errors = [p for f in report.files for p in f.problems if p.is_error]
    assert not report.ok and project.row_counts() == before
    assert errors[0].line == line and words in errors[0].message, errors


def test_webanno_tsv_guessed_from_content_beside_csv(tmp_path):
    (tmp_path / "a.tsv").write_text(HEAD, encoding="utf-8")
    (tmp_path / "b.tsv").write_text("text\ttitle\nx\ty\n", encoding="utf-8")
    assert guess_format_why(tmp_path / "a.tsv") == ("webanno", "content")
    assert guess_format_why(tmp_path / "b.tsv") == ("csv", "name")


@pytest.mark.parametrize("value", ["a|b", "x->y", "p_q", "*", "a\\b", "tab\there", "semi;colon[3]", "n\nl"])
def test_webanno_tsv_value_escaping_round_trips(value):
    assert unescape_value(escape_value(value)) == value


def test_webanno_tsv_text_escaping_round_trips():
    text = "a\tb\r\\c\x01d\x0be\x0cf\x08"
    assert unescape_text(escape_text(text), 3) == text
    assert unescape_text("caf\\u00e9\\t", 1) == "café\t"  # 3.0 and 3.1 escaped as Java does


def test_webanno_tsv_written_rows_stacks_ids_and_slots(project, tmp_path):
    text = "Ann Lee said the sky is green."
    source = tmp_path / "in.jsonl"
    import json

    source.write_text(json.dumps({"text": text, "spans": [
        {"start": 0, "end": 7, "label": "PERSON"}, {"start": 0, "end": 3, "label": "ORG"},
        {"start": 8, "end": 12, "label": "CUE"}, {"start": 13, "end": 29, "label": "CLAIM"},
        {"start": 17, "end": 19, "label": "LOC"}],
        "relations": [{"head_span": {"start": 13, "end": 29, "label": "CLAIM"},
                       "child_span": {"start": 0, "end": 7, "label": "PERSON"}, "label": "SAID"},
                      {"head_span": {"start": 0, "end": 3, "label": "ORG"},
                       "child_span": {"start": 17, "end": 19, "label": "LOC"}, "label": "IN"}]}) + "\n",
                      encoding="utf-8")
    project.add_label(Label("ORG2", "entity"))
    project.set_setting("allow_overlapping_entities", "1")
    assert import_paths(project, [source], ImportOptions(add_labels=True)).ok
    result = export_project(project, tmp_path / "out", ExportOptions(format="webanno", include=("todo",), workers=0))
    lines = result.files[0].read_text(encoding="utf-8").split("\n")
    assert lines[:4] == ["#FORMAT=WebAnno TSV 3.3", f"#T_SP={NE}|identifier|value",
                         "#T_SP=webanno.custom.Claim|label|verdict|ROLE_webanno.custom.Claim:links_webanno.custom."
                         "ClaimLinksLink|uima.tcas.Annotation", "#T_SP=webanno.custom.Span|label"]
    assert lines[4] == f"#T_RL=webanno.custom.Relation|label|BT_{NE}"
    assert lines[7] == "#Text=Ann Lee said the sky is green."
    # Ann: two stacked entities (ids), the start of a two-token PERSON; "sky" has a LOC on a
    # sub-token row, the target of a relation from ORG (ids source_target, 0: unambiguous)
    assert lines[8] == "1-1\t0-3\tAnn\t*[1]|*[2]\tORG[1]|PERSON[2]\t_\t_\t_\t_\t_\t_\t_\t"
    assert lines[9] == "1-2\t4-7\tLee\t*[2]\tPERSON[2]\t_\t_\t_\t_\t_\t_\t_\t"
    assert "1-5.1\t17-19\tsk\t*\tLOC\t_\t_\t_\t_\t_\tIN\t1-1[1_0]\t" in lines
    # the claim: its attribute, and its claimant as a slot link to the PERSON's first row and id
    assert "1-4\t13-16\tthe\t_\t_\tCLAIM[3]\tunverified[3]\tSAID[3]\t1-1[2]\t_\t_\t_\t" in lines
