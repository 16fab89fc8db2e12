"""Property: any valid text with valid non-overlapping spans imports to exactly itself."""

from __future__ import annotations

import json
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from annotator.store import Project
from annotator.workflows.importing import import_paths

# Characters that break naive offset handling: astral (emoji, flags, CJK ext B), combining
# marks, CR/LF/CRLF, RTL, ZWJ/ZWNJ, U+2028/2029, BOM inside, quotes and backslashes for JSON.
TRICKY = ["\U0001F30D", "\U0001F469\u200d\u2695\ufe0f", "\U0001F1FA\U0001F1E6", "\U00020000", "e\u0301",
          "\r\n", "\r", "\n", "\t", "\u05e9\u05dc", "\u0645\u0631", "\u200c", "\u200d", "\u2028", "\u2029",
          "\ufeff", '"', "\\", "\x0b", "\x85", "<b>", "';--"]
TEXT_CHARS = st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00")
PIECES = st.one_of(st.sampled_from(TRICKY), st.text(TEXT_CHARS, min_size=1, max_size=4))
LABELS = ["PERSON", "ORG", "GPE", "DATE"]


@st.composite
def documents(draw):
    text = "".join(draw(st.lists(PIECES, min_size=1, max_size=30)))
    if not text.strip():
        text = "x" + text
    cuts = sorted(set(draw(st.lists(st.integers(0, len(text)), max_size=8))))
    spans = []
    for start, end in zip(cuts[::2], cuts[1::2]):  # disjoint by construction
        if end > start:
            spans.append({"start": start, "end": end, "label": draw(st.sampled_from(LABELS))})
    return text, spans


@settings(max_examples=50, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(docs=st.lists(documents(), min_size=1, max_size=3), ensure_ascii=st.booleans())
def test_import_roundtrip_text_and_spans_exact(docs, ensure_ascii):
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        path = folder / "in.jsonl"
        path.write_bytes(b"".join(
            (json.dumps({"text": text, "spans": spans}, ensure_ascii=ensure_ascii) + "\n").encode("utf-8")
            for text, spans in docs))
        with Project.create(folder / "p.annotator") as project:
            report = import_paths(project, [path])
            assert report.ok, [str(p) for f in report.files for p in f.problems]
            # Identical texts are one document (the first one's spans win or a conflict is noted).
            expected: dict[str, list] = {}
            for text, spans in docs:
                expected.setdefault(text, spans)
            stored = [project.document(s.id) for s in project.document_summaries(0, 100)]
            assert [d.text for d in stored] == list(expected)
            for doc in stored:
                got = [(s.start, s.end, s.label, s.text) for s in project.spans(doc.id)]
                want = sorted((s["start"], s["end"], s["label"], doc.text[s["start"]:s["end"]])
                              for s in expected[doc.text])
                assert got == want
                assert project.stale_spans(doc.id) == []
            assert project.integrity_check() == ["ok"]


@settings(max_examples=30, deadline=None)
@given(text=st.text(TEXT_CHARS, min_size=1, max_size=60).filter(lambda t: t.strip() and not t.startswith("\ufeff")))
def test_import_roundtrip_plain_text_exact(text):
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        path = folder / "in.txt"
        path.write_bytes(b"\xef\xbb\xbf" + text.encode("utf-8"))
        with Project.create(folder / "p.annotator") as project:
            assert import_paths(project, [path]).ok
            [summary] = project.document_summaries(0, 10)
            assert project.document(summary.id).text == text
