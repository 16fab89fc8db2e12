"""A DocBin's ``user_data["annotator"]`` is msgpack from a file: every field of it may hold
any type (bytes and tuples included). Each wrong one refuses its document with the field."""

from __future__ import annotations

import json

import pytest
from spacy.tokens import Doc, DocBin
from spacy.vocab import Vocab

from annotator.core.problems import Problem
from annotator.nlp.docbin_import import read_docbin

SPAN = {"start": 0, "end": 3, "label": "PERSON"}


def _docbin(path, user_data: dict):
    doc = Doc(Vocab(), words=["Ann", "met", "Bob"])
    doc.ents = [doc.char_span(0, 3, label="PERSON")]
    doc.user_data["annotator"] = user_data
    DocBin(store_user_data=True, docs=[doc]).to_disk(path)
    return path


@pytest.mark.parametrize("user_data, field", [
    ({"relations": 7}, "relations"),
    ({"relations": "R"}, "relations"),
    ({"relations": [7]}, "relations[0]"),
    ({"relations": [{"head": SPAN, "child": [1, 2], "label": "R"}]}, "relations[0]"),
    ({"relations": [{"head": SPAN, "child": SPAN, "label": 5}]}, "relations[0].label"),
    ({"relations": [{"head": {"start": [], "end": 3, "label": "PERSON"}, "child": SPAN, "label": "R"}]}, "relations[0]"),
    ({"meta_json": "{not json"}, "meta_json"),
    ({"meta_json": 12}, "meta_json"),
    ({"meta": {"raw": b"\x00\x01"}}, "meta"),
    ({"meta": [1, 2]}, "meta"),
    ({"title": 3}, "title"),
    ({"title": "a\x00b"}, "title"),
    ({"status": ["done"]}, "status"),
    ({"claims": 5}, "claims"),
    ({"claims": [{"start": 0, "end": 3, "label": "PERSON", "attributes": [1]}]}, "claims[0].attributes"),
])
def test_docbin_import_untrusted_user_data_field_refused(tmp_path, user_data, field):
    path = _docbin(tmp_path / "d.spacy", user_data)
    items = list(read_docbin(path))
    assert len(items) == 1 and isinstance(items[0], Problem), items
    assert items[0].line == 1 and items[0].field == f'user_data["annotator"].{field}', items[0]


def test_docbin_import_untrusted_good_user_data_still_read(tmp_path):
    path = _docbin(tmp_path / "d.spacy", {"title": "T", "meta": {"k": [1, "x"]}, "status": "done",
                                          "relations": [{"head": SPAN, "child": SPAN, "label": "SELF"}]})
    record, = read_docbin(path)
    meta = json.loads(json.dumps(record.meta))  # msgpack gives tuples for lists; stored as JSON they are lists
    assert (record.title, meta, record.status, len(record.relations)) == ("T", {"k": [1, "x"]}, "done", 1)
