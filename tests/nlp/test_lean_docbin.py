"""LeanDocBin and one_packer write exactly what spaCy's DocBin writes."""

from __future__ import annotations

import threading
import zlib

import srsly
from spacy.tokens import DocBin

from annotator.core.export import ExportDocument
from annotator.core.model import Claim, Document, Span
from annotator.nlp.docbin import DOCBIN_ATTRS, DocBinSettings, build_doc
from annotator.nlp.lean_docbin import LeanDocBin, one_packer

KINDS = (("PERSON", "entity"), ("CLAIM", "claim"), ("CUE", "role"), ("TOPIC", "doc"))
TEXTS = ["Ann Lee said the sky isn't green — really.\n\nBob didn't 🌍.", "", "   ", "U.S. officials (don't) agree."]


def _docs():
    settings = DocBinSettings("en", "strict", ("TOPIC",), KINDS)
    docs = []
    for i, text in enumerate(TEXTS):
        spans = (Span(i, 0, 3, "PERSON", text[0:3], id=1), Span(i, 4, 7, "CLAIM", text[4:7], id=2)) if len(text) > 8 \
            else ()
        claims = (Claim(1, spans[1], claimant=spans[0], values={"stance": "asserts"}),) if spans else ()
        docs.append(build_doc(ExportDocument(Document(i, text, "h"), spans, claims, ("TOPIC",) if i else ()),
                              settings))
    return docs


def test_lean_docbin_bytes_equal_spacy_docbin():
    docs = _docs()
    stock = DocBin(attrs=DOCBIN_ATTRS, store_user_data=True)
    lean = LeanDocBin(attrs=DOCBIN_ATTRS, store_user_data=True)
    for doc in docs:
        stock.add(doc)
    with one_packer():
        for doc in docs:
            lean.add(doc)
        fast = lean.to_bytes()
    assert stock.strings == lean.strings  # looked up when written
    # The same message; only the zlib level differs (lean_docbin.COMPRESSION).
    assert zlib.decompress(fast) == zlib.decompress(stock.to_bytes())
    again = DocBin(store_user_data=True).from_bytes(fast)
    assert [d.to_json() for d in again.get_docs(docs[0].vocab)] == [d.to_json() for d in stock.get_docs(docs[0].vocab)]


def test_lean_docbin_one_packer_only_for_its_thread():
    original = srsly.msgpack_dumps
    seen = []
    with one_packer():
        assert srsly.msgpack_dumps is not original
        other = threading.Thread(target=lambda: seen.append(srsly.msgpack_dumps({"a": [1, 2]})))
        other.start()
        other.join()
        assert srsly.msgpack_dumps({"a": [1, 2]}) == original({"a": [1, 2]}) == seen[0]
    assert srsly.msgpack_dumps is original
