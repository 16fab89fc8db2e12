"""Property: any valid text with valid spans, written as JSONL, imports to exactly that text and spans."""

from __future__ import annotations

import json
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from annotator.store import Project
from annotator.workflows.importing import import_paths

LABELS = ("PERSON", "ORG", "GPE", "DATE")

# Characters that have broken offset handling elsewhere: astral (emoji, flags, CJK-B), ZWJ and
# combining marks, CRLF and lone CR, Unicode line breaks, right-to-left scripts, a BOM.
SPECIAL = [
    "🌍", "👩‍⚕️", "🇺🇦", "𠀀", "\u200d", "\u200c", "e\u0301", "\u0301", "\r\n", "\r", "\n", "\t",
    "\u2028", "\u2029", "\x85", "\x0b", "\x0c", "مرحبا", "שלום", "\u200f", "\ufeff", '"', "\\",
]
# Lone surrogates and NUL are refused (never imported), so they are not "valid text" here.
characters = st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00")
text_strategy = st.lists(st.one_of(characters, st.sampled_from(SPECIAL)), min_size=1, max_size=40).map("".join)


@st.composite
def documents(draw):
    text = draw(text_strategy.filter(lambda t: t.strip()))
    cuts = sorted(draw(st.sets(st.integers(0, len(text)), max_size=8)))
    pairs = [(a, b) for a, b in zip(cuts[::2], cuts[1::2]) if a < b]  # disjoint, in order
    spans = [{"start": a, "end": b, "label": draw(st.sampled_from(LABELS))} for a, b in pairs]
    return text, spans


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(doc=documents(), ensure_ascii=st.booleans(), with_surface=st.booleans(), crlf=st.booleans())
def test_import_roundtrip_property_text_and_spans_exact(doc, ensure_ascii, with_surface, crlf):
    text, spans = doc
    if with_surface:
        spans = [{**s, "text": text[s["start"]:s["end"]]} for s in spans]
    line = json.dumps({"text": text, "spans": spans}, ensure_ascii=ensure_ascii).encode("utf-8")
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "in.jsonl"
        path.write_bytes(line + (b"\r\n" if crlf else b"\n"))
        with Project.create(Path(folder) / "p.annotator") as project:
            report = import_paths(project, [path])

            assert report.ok, [str(p) for f in report.files for p in f.problems]
            assert report.files[0].added == 1
            (row,) = project.db.query("SELECT id, text FROM documents")
            assert row["text"] == text
            stored = project.spans(row["id"])
            assert [(s.start, s.end, s.label) for s in stored] == [(s["start"], s["end"], s["label"]) for s in spans]
            assert [s.text for s in stored] == [text[s["start"]:s["end"]] for s in spans]
            assert project.stale_spans(row["id"]) == []
