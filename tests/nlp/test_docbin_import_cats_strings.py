"""DocBin cats and span labels as a damaged or foreign file can hold them: each refused with
its field, never skipped silently or reported without one."""

from __future__ import annotations

import zlib

import srsly
from spacy.tokens import Doc, DocBin, Span
from spacy.vocab import Vocab

from annotator.core.problems import Problem
from annotator.nlp.docbin_import import read_docbin


def _raw_docbin(path, change):
    """A DocBin of one document with a span group, its msgpack changed by ``change``."""
    doc = Doc(Vocab(), words=["Ann", "met", "Bob"])
    doc.spans["sc"] = [Span(doc, 0, 1, "ZZPERSON")]
    doc.cats = {"NEWS": 1.0}
    msg = srsly.msgpack_loads(zlib.decompress(DocBin(docs=[doc]).to_bytes()))
    change(msg)
    path.write_bytes(zlib.compress(srsly.msgpack_dumps(msg)))
    return path


def test_a_cats_score_that_is_not_a_number_is_refused(tmp_path):
    # It was skipped silently: the document lost its label.
    path = _raw_docbin(tmp_path / "d.spacy", lambda msg: msg.update(cats=[{"NEWS": "high"}]))
    [problem] = read_docbin(path)
    assert isinstance(problem, Problem) and (problem.line, problem.field) == (1, "doc.cats['NEWS']")


def test_cats_that_are_not_a_dict_name_the_field(tmp_path):
    path = _raw_docbin(tmp_path / "d.spacy", lambda msg: msg.update(cats=["NEWS"]))
    [problem] = read_docbin(path)
    assert isinstance(problem, Problem) and (problem.line, problem.field) == (1, "doc.cats")


def test_a_span_label_missing_from_the_strings_names_the_span(tmp_path):
    def drop(msg):
        msg["strings"] = [s for s in msg["strings"] if s != "ZZPERSON"]
    [problem] = read_docbin(_raw_docbin(tmp_path / "d.spacy", drop))
    assert isinstance(problem, Problem) and problem.field == "doc.spans['sc'][0].label"
    assert "strings" in problem.message


def test_good_cats_still_read_and_low_scores_left_out(tmp_path):
    path = _raw_docbin(tmp_path / "d.spacy", lambda msg: msg.update(cats=[{"NEWS": 0.75, "SPORT": 0.25, "x ": 0.0}]))
    [record] = read_docbin(path)
    assert record.doc_labels == ["NEWS"] and [s.label for s in record.spans] == ["ZZPERSON"]
