"""spaCy's ``DocBin`` without two costs that dominated the export (profiled on the benchmark corpus).

1. ``DocBin.add`` adds nine strings per token (text, tag, lemma, norm, morph, dep, entity
   type, KB id, entity id) in a Python loop: more time than tokenizing the document. The
   strings a DocBin needs are the ones its stored hashes refer to; ``LeanDocBin.add`` takes
   each distinct hash of a string-valued column once. For the attributes the export stores
   (ORTH, NORM, ENT_IOB, ENT_TYPE) the string set is the same as spaCy's, so ``to_bytes``
   gives the very same bytes (tests/nlp/test_lean_docbin.py compares them).
2. ``srsly.msgpack_dumps`` builds a new msgpack ``Packer`` per call, and each ``Packer`` asks
   ``catalogue`` for the registered encoders, which scans every installed package's entry
   points: about a millisecond per call, twice per document (user_data, span groups).
   ``one_packer()`` lends the calling thread a single Packer for the duration (same bytes:
   same encoders, same options); any other thread still gets srsly's own function.
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Iterator
from typing import Any

import numpy
import srsly
from spacy.attrs import ENT_IOB, ENT_TYPE, NORM, ORTH, SPACY
from spacy.tokens import Doc, DocBin

_STRING_COLUMNS = (ORTH, NORM, ENT_TYPE)
_SUPPORTED = {ORTH, NORM, ENT_TYPE, ENT_IOB}


class LeanDocBin(DocBin):
    def __init__(self, attrs: Any, store_user_data: bool = False) -> None:
        super().__init__(attrs=attrs, store_user_data=store_user_data)
        if not set(self.attrs) <= _SUPPORTED:
            raise ValueError("LeanDocBin stores ORTH, NORM, ENT_IOB and ENT_TYPE only; use spaCy's DocBin")

    def add(self, doc: Doc) -> None:
        """What ``DocBin.add`` does (spaCy 3.8), with the strings taken per distinct hash."""
        array = doc.to_array(self.attrs)
        if len(array.shape) == 1:
            array = array.reshape((array.shape[0], 1))
        self.tokens.append(array)
        spaces = doc.to_array(SPACY)
        spaces = spaces.reshape((spaces.shape[0], 1))
        self.spaces.append(numpy.asarray(spaces, dtype=bool))
        self.flags.append({"has_unknown_spaces": doc.has_unknown_spaces})
        strings = doc.vocab.strings
        if len(doc):
            # tag, lemma, morph, dep, KB id and entity id are never set here: spaCy adds them as "".
            self.strings.add("")
        for column, attr in enumerate(self.attrs):
            if attr in _STRING_COLUMNS:
                for value in numpy.unique(array[:, column]):
                    self.strings.add(strings[int(value)] if value else "")
        self.cats.append(doc.cats)
        if self.store_user_data:
            self.user_data.append(srsly.msgpack_dumps(doc.user_data))
        self.span_groups.append(doc.spans.to_bytes())
        for group in doc.spans.values():
            for span in group:
                self.strings.add(span.label_)
                if span.kb_id in span.doc.vocab.strings:
                    self.strings.add(span.kb_id_)
                if span.id in span.doc.vocab.strings:
                    self.strings.add(span.id_)


@contextlib.contextmanager
def one_packer() -> Iterator[None]:
    from srsly import msgpack

    packer = msgpack.Packer(use_bin_type=True)
    original = srsly.msgpack_dumps
    owner = threading.get_ident()

    def dumps(data: Any) -> bytes:
        if threading.get_ident() == owner:
            return packer.pack(data)
        return original(data)

    srsly.msgpack_dumps = dumps
    try:
        yield
    finally:
        if srsly.msgpack_dumps is dumps:
            srsly.msgpack_dumps = original
