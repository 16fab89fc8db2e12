"""CoNLL reader against shapes real files have (WNUT-17, spaCy's .iob, GermEval, old Mac
line endings, a no-break space inside a token): each imports right or is refused clearly."""

from __future__ import annotations

from pathlib import Path

from annotator.core.export import ExportDocument
from annotator.core.model import Document, Span
from annotator.core.problems import InputError, Problem
from annotator.core.records import DocumentRecord
from annotator.formats import ReadOptions, reader_for
from annotator.formats.conll import encode
from annotator.formats.registry import WriteOptions


def _read(tmp_path: Path, content: str, name: str = "data.conll") -> list[DocumentRecord | Problem]:
    path = tmp_path / name
    path.write_bytes(content.encode("utf-8"))
    items: list[DocumentRecord | Problem] = []
    try:
        items.extend(reader_for("conll").read(path, ReadOptions()))
    except InputError as exc:
        items.extend(exc.problems)
    return items


def _spans(record: DocumentRecord) -> list[tuple[str, str]]:
    return [(record.text[s.start:s.end], s.label) for s in record.spans]


def test_several_tags_in_one_column_are_refused_not_made_a_label(tmp_path):
    # WNUT-17's emerging.test.conll has rows like this; it became a label "corporation,B-person".
    items = _read(tmp_path, "Gurez\tB-corporation,B-person\nvalley\tO\n")
    assert len(items) == 1 and isinstance(items[0], Problem)
    assert (items[0].line, items[0].field) == (1, "tag")
    assert "several tags" in items[0].message


def test_a_type_with_a_comma_or_dash_is_still_one_label(tmp_path):
    [record] = _read(tmp_path, "Ann B-creative-work\nLee I-creative-work\nx B-A,B\n")
    assert _spans(record) == [("Ann Lee", "creative-work"), ("x", "A,B")]


def test_no_break_space_inside_a_token_stays_in_the_token(tmp_path):
    # str.split() cut "New<NBSP>York" in two and took "York" for a POS column: silently lost.
    [record] = _read(tmp_path, "New\u00a0York B-LOC\nis O\n")
    assert record.text == "New\u00a0York is"
    assert _spans(record) == [("New\u00a0York", "LOC")]
    assert record.tokens == ((0, 8), (9, 11))


def test_a_token_of_white_space_only_is_refused(tmp_path):
    items = _read(tmp_path, "\u3000 O\nAnn B-PER\n")
    assert len(items) == 1 and isinstance(items[0], Problem)
    assert (items[0].line, items[0].field) == (1, "token")


def test_old_mac_line_endings_are_refused_not_read_as_nothing(tmp_path):
    # A \r-only file is one physical line starting with -DOCSTART-: it imported no document, rc 0.
    items = _read(tmp_path, "-DOCSTART- -X- -X- O\r\rAnn B-PER\rLee I-PER\r")
    assert len(items) == 1 and isinstance(items[0], Problem)
    assert items[0].line == 1 and "carriage return" in items[0].message


def test_crlf_tabs_spaces_and_trailing_blanks_read_alike(tmp_path):
    plain = _read(tmp_path, "Ann NNP B-PER\nLee NNP I-PER\n\nleft VBD O\n")
    mixed = _read(tmp_path, "Ann\tNNP B-PER \t\r\nLee  NNP\tI-PER\r\n \r\nleft VBD O  \r\n")
    assert [(r.text, _spans(r)) for r in mixed] == [(r.text, _spans(r)) for r in plain]
    assert plain[0].text == "Ann Lee\nleft"


def test_spacy_sentence_per_line_iob_is_read(tmp_path):
    # The shapes spaCy's iob_to_docs documents (IOB1 and IOB2, with and without POS).
    items = _read(tmp_path, "I|O like|O London|I-GPE and|O New|B-GPE York|I-GPE City|I-GPE .|O\n"
                            "I|PRP|O like|VBP|O London|NNP|B-GPE .|.|O\n", name="ner.iob")
    [record] = items
    assert record.text == "I like London and New York City .\nI like London ."
    assert _spans(record) == [("London", "GPE"), ("New York City", "GPE"), ("London", "GPE")]


def test_sentence_per_line_item_without_a_tag_is_refused(tmp_path):
    items = _read(tmp_path, "I|O like|VBP|X|O\n", name="ner.iob")
    assert len(items) == 1 and isinstance(items[0], Problem)
    assert items[0].line == 1 and "item 2" in items[0].message


def test_comment_and_conllu_lines_say_what_they_look_like(tmp_path):
    [problem] = _read(tmp_path, "#\thttp://example.org/a\t[2009-08-13]\t\n1\tAnn\tB-PER\tO\n")
    assert isinstance(problem, Problem) and "comment line" in problem.message and "GermEval" in problem.message
    [problem] = _read(tmp_path, "1\tAnn\tAnn\tPROPN\tNNP\t_\t0\troot\t_\tNER=B-PER\n")
    assert isinstance(problem, Problem) and "CoNLL-U" in problem.message


def test_writer_keeps_a_no_break_space_and_replaces_only_row_breakers():
    text = "New\u00a0York a\u2028b"
    doc = ExportDocument(Document(1, text, "h", title="t", status="done"), (Span(1, 0, 8, "GPE", text[:8], id=1),),
                         tokens=[(0, 8, True), (9, 12, False)])
    [(_, body)] = encode(doc, WriteOptions()).pieces
    assert "New\u00a0York _ _ B-GPE\n" in body
    assert "a_b _ _ O\n" in body
