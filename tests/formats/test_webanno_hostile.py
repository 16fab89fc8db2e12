"""WebAnno TSV 3.x against real INCEpTION files (tests/formats/data/webanno, see its README)
and hostile variants: each imports right or is refused naming file, line and field, with the
project unchanged."""

from __future__ import annotations

from pathlib import Path

import pytest

from annotator.formats.registry import ReadOptions
from annotator.workflows.importing import ImportOptions, import_paths

DATA = Path(__file__).parent / "data" / "webanno"
NE = "de.tudarmstadt.ukp.dkpro.core.api.ner.type.NamedEntity"
HEAD = f"#FORMAT=WebAnno TSV 3.3\n#T_SP={NE}|value\n\n\n"
ROWS = "#Text=Ida saw Tom .\n1-1\t0-3\tIda\tPER\t\n1-2\t4-7\tsaw\t_\t\n1-3\t8-11\tTom\tPER\t\n1-4\t12-13\t.\t_\t\n"


def _import(project, path, offsets="codepoints"):
    return import_paths(project, [path], ImportOptions(format="webanno", read=ReadOptions(offsets=offsets),
                                                       add_labels=True))


def _refused(project, tmp_path, body):
    """The one problem of a file that must be refused, as 'line: field: message'."""
    path = tmp_path / "bad.tsv"
    path.write_text(body, encoding="utf-8", newline="")
    report = _import(project, path)
    assert not report.ok
    assert project.db.query("SELECT COUNT(*) AS n FROM documents").__next__()["n"] == 0
    errors = [p for f in report.files for p in f.problems if p.is_error]
    assert len(errors) == 1, [str(p) for p in errors]
    assert errors[0].file == str(path)
    return f"{errors[0].line}: {errors[0].field}: {errors[0].message}"


def _document(project):
    doc = next(project.db.query("SELECT id, text FROM documents"))
    spans = sorted((s.start, s.end, s.label, s.text) for s in project.spans(doc["id"]))
    relations = sorted((r["head"], r["child"], r["label"]) for r in project.db.query(
        "SELECT h.text AS head, c.text AS child, r.label FROM relations r JOIN spans h ON h.id = r.head_span_id"
        " JOIN spans c ON c.id = r.child_span_id"))
    return doc["text"], spans, relations


@pytest.mark.parametrize(("name", "offsets", "text", "spans", "relations"), [
    ("testSentenceWithEmoji", "utf16", "I like it 😊 .", [(10, 11, "Span", "😊")], []),
    ("testAnnotationWithLeadingWhitespaceAtStart", "codepoints", " one two", [(1, 4, "NamedEntity", "one")], []),
    ("testTwoSentencesWithNoSpaceInBetween", "codepoints", "onetwo", [], []),
    ("testSubTokenRelation", "codepoints", "Test", [(0, 1, "OTH", "T"), (3, 4, "OTH", "t")], [("T", "t", "Relation")]),
    ("sampleSlotAnnotation1", "codepoints", "This is a test .",
     [(0, 4, "SimpleSlotHost", "This"), (5, 7, "SimpleSpan", "is"), (8, 9, "SimpleSpan", "a"),
      (10, 14, "SurfaceForm", "test")], [("This", "a", "pr2"), ("This", "is", "pr1")]),
    ("testSimpleChain", "codepoints", "This is a test .",
     [(0, 4, "SimpleLink", "This"), (5, 7, "SimpleLink", "is"), (8, 9, "SimpleLink", "a")],
     [("This", "is", "SimpleLink"), ("is", "a", "SimpleLink")]),
])
def test_webanno_real_inception_files_import_right(project, name, offsets, text, spans, relations):
    report = _import(project, DATA / f"{name}.tsv", offsets)
    assert report.ok, [str(p) for f in report.files for p in f.problems]
    assert _document(project) == (text, spans, relations)


def test_webanno_an_empty_layer_declaration_is_refused_by_its_line(project, tmp_path):
    # was: "a value here has an unexpected type or shape (ValueError: not enough values to unpack)"
    assert _refused(project, tmp_path, HEAD.replace("\n\n\n", "\n#T_SP=||\n\n\n") + ROWS) == \
        "3: #T_SP=: the layer declaration names no layer"


def test_webanno_a_relation_layer_without_its_bt_column_is_refused(project, tmp_path):
    # was: imported, every relation of the layer silently dropped
    body = HEAD.replace("\n\n\n", "\n#T_RL=webanno.custom.Knows|label\n\n\n") + ROWS.replace("\tPER\t\n", "\tPER\t_\t\n")
    assert _refused(project, tmp_path, body).startswith("3: Knows: the relation layer webanno.custom.Knows has no BT_")


def test_webanno_a_layer_declared_after_the_header_is_refused(project, tmp_path):
    # was: the header ended at the stray line, the layer's columns were read as extra columns
    # and its annotations dropped without a word
    body = HEAD.replace(f"#T_SP={NE}|value\n", f"#T_SP={NE}|value\n#Stray\n#T_SP=webanno.custom.Span|label\n")
    body += ROWS.replace("\tPER\t\n", "\tPER\tX\t\n").replace("\t_\t\n", "\t_\t_\t\n")
    assert _refused(project, tmp_path, body) == "4: #T_SP: a layer declaration after the header's blank line"


def test_webanno_a_file_cut_after_a_text_line_is_refused(project, tmp_path):
    # was: imported without the last sentence's text
    body = HEAD + ROWS + "\n#Text=They le"
    assert _refused(project, tmp_path, body).startswith("11: #Text: the file ends after a sentence's text")


def test_webanno_offsets_far_beyond_the_text_are_refused_without_padding_to_them(project, tmp_path):
    # was: the gap before the sentence was filled with that many spaces (memory for 10^11)
    body = HEAD + ROWS + "\n#Text=Go .\n2-1\t99999999999-100000000001\tGo\t_\t\n2-2\t100000000002-100000000003\t.\t_\t\n"
    assert _refused(project, tmp_path, body).startswith("12: 2-1: the sentence starts at 99999999999, 99999999985 "
                                                        "characters after the text before it (14)")


def test_webanno_begin_after_end_says_so(project, tmp_path):
    # was: "offsets 7-4 are outside the text"
    assert _refused(project, tmp_path, HEAD + ROWS.replace("4-7\tsaw", "7-4\tsaw")) == \
        "7: 1-2: offsets 7-4: the begin is after the end"


def test_webanno_a_unit_id_used_twice_is_refused(project, tmp_path):
    # was: the second row's annotations were joined to the first row's (stacks are keyed by id)
    assert _refused(project, tmp_path, HEAD + ROWS.replace("1-3\t8-11", "1-1\t8-11")) == \
        "8: 1-1: the unit id 1-1 is already used on line 6"


def test_webanno_a_disambiguation_id_of_another_layer_is_refused(project, tmp_path):
    # was: layer B's value went onto layer A's annotation, stretched over both rows
    body = ("#FORMAT=WebAnno TSV 3.3\n#T_SP=webanno.custom.A|label\n#T_SP=webanno.custom.B|label\n\n\n"
            "#Text=Ida saw Tom\n1-1\t0-3\tIda\tX[1]\t_\t\n1-2\t4-7\tsaw\t_\t_\t\n1-3\t8-11\tTom\t_\tY[1]\t\n")
    assert _refused(project, tmp_path, body) == \
        "9: 1-3.B: the disambiguation id [1] already names a A annotation (line 7)"


def _v31(text_line: str, token_rows: str) -> str:
    return f"#FORMAT=WebAnno TSV 3.1\n#T_SP=webanno.custom.Span|label\n\n\n#Text={text_line}\n{token_rows}"


def test_webanno_3_1_java_escaped_surrogate_pairs_are_one_character(project, tmp_path):
    # was: two lone surrogates in the text, so the token row never matched
    path = tmp_path / "v31.tsv"
    path.write_text(_v31("Caf\\u00E9 \\uD83D\\uDE0A ok \\uu0041 \\u+0042",
                         "1-1\t0-4\tCafé\tX\t\n1-2\t5-7\t😊\tY\t\n1-3\t8-10\tok\t_\t\n1-4\t11-12\tA\t_\t\n"
                         "1-5\t13-14\tB\t_\t\n"), encoding="utf-8")
    report = _import(project, path, "utf16")
    assert report.ok, [str(p) for f in report.files for p in f.problems]
    assert _document(project) == ("Café 😊 ok A B", [(0, 4, "X", "Café"), (5, 6, "Y", "😊")], [])


def test_webanno_3_1_half_a_surrogate_pair_is_refused(project, tmp_path):
    # was: a traceback from SQLite ("surrogates not allowed") after the file was read
    body = _v31("Caf \\uD83D ok", "1-1\t0-3\tCaf\tX\t\n1-2\t6-8\tok\t_\t\n")
    assert _refused(project, tmp_path, body) == "5: #Text: \\uD83D is half of a UTF-16 surrogate pair, without its other half"


def test_webanno_3_1_octal_escapes_stop_where_java_stops():
    from annotator.formats.webanno_tsv import unescape_text

    assert unescape_text("\\101\\777\\0", 1) == "A?7\0"  # \777 is \77 ('?') then '7'
