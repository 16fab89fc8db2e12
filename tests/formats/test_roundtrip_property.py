"""Property: for every format that can hold the data, import(export(project)) gives it back.

Random texts full of emoji, ZWJ sequences, combining marks, CRLF and lone CR, tabs, Unicode
line breaks and right-to-left text; random entity, claim and cue spans; claims with span or
free-text claimants, relation labels, cues and attribute values (free text too).
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from interchange_projects import DOC_LABELS, ClaimSpec, DocSpec, build, new_project, round_trip, snapshot

SPECIAL = [
    "🌍", "👩‍⚕️", "🇺🇦", "𠀀", "\u200d", "e\u0301", "\u0301", "\r\n", "\r", "\n", "\t", "\u2028", "\u2029",
    "\x85", "\x0b", "\x0c", "مرحبا", "שלום", "\u200f", "\ufeff", '"', "\\", "%", " ", "  ", ";", ":",
]
characters = st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00")
texts = st.lists(st.one_of(characters, st.sampled_from(SPECIAL)), min_size=1, max_size=30).map("".join)
free_text = st.lists(st.one_of(characters, st.sampled_from(SPECIAL)), min_size=1, max_size=8).map("".join).filter(
    lambda t: t.strip())
ENTITY_LABELS = ("PERSON", "ORG", "GPE")
STANCES = ("asserts", "denies", "hedges", "questions")
VERDICTS = ("unverified", "true", "mostly true", "half true", "mostly false", "false")


@st.composite
def documents(draw):
    text = draw(texts.filter(lambda t: t.strip()))
    n = len(text)
    cuts = sorted(draw(st.sets(st.integers(0, n), max_size=6)))
    entities = [(a, b, draw(st.sampled_from(ENTITY_LABELS))) for a, b in zip(cuts[::2], cuts[1::2]) if a < b]
    ranges = st.tuples(st.integers(0, n - 1), st.integers(1, n)).map(sorted).filter(lambda r: r[0] < r[1])
    claims = [(a, b, "CLAIM") for a, b in draw(st.lists(ranges, max_size=3))]
    cues = [(a, b, "CUE") for a, b in draw(st.lists(ranges, max_size=2))]
    spans = list(dict.fromkeys([*entities, *claims, *cues]))
    claim_specs = []
    for index, (_, _, label) in enumerate(spans):
        if label != "CLAIM":
            continue
        partners = [i for i, s in enumerate(spans) if s[2] in ENTITY_LABELS]
        cue_spans = [i for i, s in enumerate(spans) if s[2] == "CUE"]
        claimant = draw(st.one_of(st.none(), free_text, *([st.sampled_from(partners)] if partners else [])))
        relation = draw(st.sampled_from([None, "ASSERTED_BY", "DENIED_BY"])) if isinstance(claimant, int) else None
        cue = draw(st.one_of(st.none(), st.sampled_from(cue_spans))) if cue_spans else None
        values = {"stance": draw(st.sampled_from(STANCES)), "verdict": draw(st.sampled_from(VERDICTS))}
        if draw(st.booleans()):
            values["note"] = draw(free_text)
        claim_specs.append(ClaimSpec(index, claimant, relation, cue, values))
    labels = draw(st.lists(st.sampled_from(DOC_LABELS), unique=True))
    return DocSpec(text, spans, claim_specs, title=draw(st.sampled_from(["", "Tïtle 🌍"])),
                   meta=draw(st.sampled_from([{}, {"k": "v\r\n", "n": [1, 2]}])),
                   status=draw(st.sampled_from(["done", "todo"])), doc_labels=labels)


FORMATS = [
    ("prodigy", "out.jsonl", {}, {"title", "meta", "status", "doc_labels"}),
    ("prodigy", "plain.jsonl", {"tokens": False}, {"title", "meta", "status", "doc_labels"}),
    ("doccano", "out-d.jsonl", {"variant": "relations"}, {"title", "meta", "doc_labels"}),
    ("doccano", "out-l.jsonl", {}, {"title", "meta", "doc_labels"}),
    ("labelstudio", "out.json", {}, {"title", "meta", "doc_labels"}),
    ("brat", "brat", {}, set()),
]


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(docs=st.lists(documents(), min_size=1, max_size=3, unique_by=lambda d: d.text))
def test_roundtrip_property_every_format_gives_the_project_back(docs):
    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        with new_project(folder / "a.annotator") as project:
            build(project, docs, folder)
            for fmt, target, options, keep in FORMATS:
                other, _ = round_trip(project, folder, fmt, target, **options)
                with other:
                    assert snapshot(other, frozenset(keep)) == snapshot(project, frozenset(keep)), fmt
