"""The synthetic benchmark corpus (benchmarks/corpus.py): deterministic, exact offsets, sane spans."""

from __future__ import annotations

import itertools
import json
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parents[2] / "benchmarks"))

from corpus import generate, write_corpus  # noqa: E402

ENTITY_LABELS = {"PERSON", "ORG", "GPE", "LOC", "NORP", "DATE", "MONEY", "EVENT"}
N = 50
RECORDS = list(generate(N, seed=7))


def test_corpus_is_deterministic() -> None:
    assert list(generate(20, seed=7)) == RECORDS[:20]
    assert list(itertools.islice(generate(10**9, seed=7), 20)) == RECORDS[:20]


def test_corpus_seed_changes_output() -> None:
    assert [r["text"] for r in generate(5, seed=8)] != [r["text"] for r in RECORDS[:5]]


def test_corpus_texts_unique_and_ids_unique() -> None:
    assert len({r["text"] for r in RECORDS}) == N
    assert len({r["meta"]["id"] for r in RECORDS}) == N


@pytest.mark.parametrize("index", range(N))
def test_corpus_record_shape(index: int) -> None:
    record = RECORDS[index]
    assert set(record) == {"text", "meta", "spans"}
    assert record["meta"]["title"] and record["meta"]["source"] and record["meta"]["id"]
    text = record["text"]
    assert text == text.strip() and "\n\n" in text and "\n\n\n" not in text
    assert 500 <= len(text.split()) <= 750


@pytest.mark.parametrize("index", range(N))
def test_corpus_offsets_exact(index: int) -> None:
    record = RECORDS[index]
    text = record["text"]
    for span in record["spans"]:
        assert 0 <= span["start"] < span["end"] <= len(text)
        surface = text[span["start"]:span["end"]]
        assert surface and surface == surface.strip(), span
        assert surface[-1] not in ",.;:", span
        if span["label"] != "CLAIM":
            # entities are whole words
            assert span["start"] == 0 or not text[span["start"] - 1].isalnum(), span
            assert span["end"] == len(text) or not text[span["end"]].isalnum(), span


@pytest.mark.parametrize("index", range(N))
def test_corpus_span_counts_and_labels(index: int) -> None:
    spans = RECORDS[index]["spans"]
    labels = [s["label"] for s in spans]
    assert set(labels) <= ENTITY_LABELS | {"CLAIM"}
    assert 2 <= labels.count("CLAIM") <= 4
    assert 15 <= len(labels) - labels.count("CLAIM") <= 30


@pytest.mark.parametrize("index", range(N))
def test_corpus_entity_spans_do_not_overlap(index: int) -> None:
    entities = sorted((s["start"], s["end"]) for s in RECORDS[index]["spans"] if s["label"] != "CLAIM")
    for (_, prev_end), (start, _) in zip(entities, entities[1:]):
        assert prev_end <= start


def test_corpus_claims_contain_whole_entities_only() -> None:
    for record in RECORDS:
        claims = [s for s in record["spans"] if s["label"] == "CLAIM"]
        for ent in (s for s in record["spans"] if s["label"] != "CLAIM"):
            for claim in claims:
                inside = claim["start"] <= ent["start"] and ent["end"] <= claim["end"]
                outside = ent["end"] <= claim["start"] or claim["end"] <= ent["start"]
                assert inside or outside


def test_corpus_has_astral_characters_before_spans() -> None:
    astral_before = 0
    for record in RECORDS:
        text = record["text"]
        first_astral = next((i for i, c in enumerate(text) if ord(c) > 0xFFFF), None)
        if first_astral is not None and any(s["start"] > first_astral for s in record["spans"]):
            astral_before += 1
        assert "—" in text and ("“" in text or "‘" in text)
    assert astral_before >= N * 0.9


def test_corpus_write_roundtrip(tmp_path: Path) -> None:
    path = tmp_path / "corpus.jsonl"
    write_corpus(20, path, seed=7)
    raw = path.read_bytes()
    assert raw.endswith(b"\n") and b"\r" not in raw
    lines = raw.decode("utf-8").splitlines()
    assert [json.loads(line) for line in lines] == RECORDS[:20]
