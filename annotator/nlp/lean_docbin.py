"""spaCy's ``DocBin`` without three costs that dominated the export (profiled on the benchmark corpus).

1. ``DocBin.add`` adds nine strings per token (text, tag, lemma, norm, morph, dep, entity
   type, KB id, entity id) in a Python loop: more time than tokenizing the document. The
   strings a DocBin needs are the ones its stored hashes refer to; ``LeanDocBin`` keeps the
   hashes of the string-valued columns and looks each distinct one up once per shard, when
   it is written (per document, the lookups of the same frequent words again and again were
   a third of the export). For the attributes the export stores (ORTH, NORM, ENT_IOB,
   ENT_TYPE) the string set is the same as spaCy's, so ``to_bytes`` packs the very same
   message (tests/nlp/test_lean_docbin.py compares them).
2. ``srsly.msgpack_dumps`` builds a new msgpack ``Packer`` per call, and each ``Packer`` asks
   ``catalogue`` for the registered encoders, which scans every installed package's entry
   points: about a millisecond per call, twice per document (user_data, span groups).
   ``one_packer()`` lends the calling thread a single Packer for the duration (same bytes:
   same encoders, same options); any other thread still gets srsly's own function.
3. ``DocBin.to_bytes`` compresses with zlib's default level; see ``COMPRESSION``.
"""

from __future__ import annotations

import contextlib
import threading
import zlib
from collections.abc import Iterator
from typing import Any

import numpy
import srsly
from spacy.attrs import ENT_IOB, ENT_TYPE, NORM, ORTH, SPACY
from spacy.tokens import Doc, DocBin

_STRING_COLUMNS = (ORTH, NORM, ENT_TYPE)
# zlib level of the shards. spaCy's default (6) spent a quarter of the export compressing
# token arrays; level 2 is 2.5x faster there for files about a fifth larger, and
# ``DocBin.from_bytes`` reads any level.
COMPRESSION = 2
_SUPPORTED = {ORTH, NORM, ENT_TYPE, ENT_IOB}


class LeanDocBin(DocBin):
    def __init__(self, attrs: Any, store_user_data: bool = False) -> None:
        super().__init__(attrs=attrs, store_user_data=store_user_data)
        if not set(self.attrs) <= _SUPPORTED:
            raise ValueError("LeanDocBin stores ORTH, NORM, ENT_IOB and ENT_TYPE only; use spaCy's DocBin")
        self._string_columns = [i for i, attr in enumerate(self.attrs) if attr in _STRING_COLUMNS]
        self._hashes: list[numpy.ndarray] = []  # string-valued columns of documents added since the last lookup
        self._string_store: Any = None

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
        if len(doc):
            # tag, lemma, morph, dep, KB id and entity id are never set here: spaCy adds them as "".
            self.strings.add("")
            self._hashes.append(array[:, self._string_columns].ravel())
            self._string_store = doc.vocab.strings
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


    def resolve_strings(self) -> None:
        """Add the string of every distinct hash stored so far (each looked up once)."""
        if not self._hashes:
            return
        strings = self._string_store
        for value in numpy.unique(numpy.concatenate(self._hashes)).tolist():
            self.strings.add(strings[value] if value else "")
        self._hashes.clear()

    def to_bytes(self) -> bytes:
        """``DocBin.to_bytes`` (spaCy 3.8) with zlib level ``COMPRESSION``: the same message."""
        self.resolve_strings()
        lengths = [len(tokens) for tokens in self.tokens]
        msg = {
            "version": self.version,
            "attrs": self.attrs,
            "tokens": (numpy.vstack(self.tokens) if self.tokens else numpy.asarray([])).tobytes("C"),
            "spaces": (numpy.vstack(self.spaces) if self.spaces else numpy.asarray([])).tobytes("C"),
            "lengths": numpy.asarray(lengths, dtype="int32").tobytes("C"),
            "strings": sorted(self.strings),
            "cats": self.cats,
            "flags": self.flags,
            "span_groups": self.span_groups,
        }
        if self.store_user_data:
            msg["user_data"] = self.user_data
        return zlib.compress(srsly.msgpack_dumps(msg), COMPRESSION)


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
