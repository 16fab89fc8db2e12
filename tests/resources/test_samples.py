"""The bundled sample articles (resources/samples/articles.jsonl) are valid Prodigy tasks."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

SAMPLES = Path(__file__).parents[2] / "resources" / "samples" / "articles.jsonl"
ENTITY_LABELS = {"PERSON", "ORG", "GPE", "LOC", "NORP", "DATE", "MONEY", "EVENT"}
LABELS = ENTITY_LABELS | {"CLAIM"}


def _load() -> list[dict]:
    with SAMPLES.open(encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


RECORDS = _load()
IDS = [f"article{i + 1}" for i in range(len(RECORDS))]


def test_samples_count() -> None:
    assert len(RECORDS) == 4


def test_samples_first_two_annotated_last_two_not() -> None:
    assert [("spans" in r) for r in RECORDS] == [True, True, False, False]
    assert all(r.get("answer") == "accept" for r in RECORDS[:2])


@pytest.mark.parametrize("record", RECORDS, ids=IDS)
def test_samples_have_title_and_text(record: dict) -> None:
    assert isinstance(record["meta"]["title"], str) and record["meta"]["title"].strip()
    text = record["text"]
    assert isinstance(text, str) and text == text.strip()
    assert "\r" not in text
    assert record["meta"]["title"] not in text


@pytest.mark.parametrize("record", RECORDS, ids=IDS)
def test_samples_span_offsets_in_range(record: dict) -> None:
    n = len(record["text"])
    for span in record.get("spans", []):
        assert isinstance(span["start"], int) and isinstance(span["end"], int)
        assert 0 <= span["start"] < span["end"] <= n, span


@pytest.mark.parametrize("record", RECORDS, ids=IDS)
def test_samples_spans_not_whitespace_bordered(record: dict) -> None:
    text = record["text"]
    for span in record.get("spans", []):
        surface = text[span["start"]:span["end"]]
        assert surface == surface.strip(), (span, surface)


@pytest.mark.parametrize("record", RECORDS, ids=IDS)
def test_samples_labels_known(record: dict) -> None:
    for span in record.get("spans", []):
        assert span["label"] in LABELS, span


@pytest.mark.parametrize("record", RECORDS, ids=IDS)
def test_samples_entity_spans_do_not_overlap(record: dict) -> None:
    entities = sorted(
        (s["start"], s["end"]) for s in record.get("spans", []) if s["label"] != "CLAIM"
    )
    for (_, prev_end), (start, _) in zip(entities, entities[1:]):
        assert prev_end <= start


@pytest.mark.parametrize("record", RECORDS[:2], ids=IDS[:2])
def test_samples_annotated_have_claims_and_entities(record: dict) -> None:
    labels = [s["label"] for s in record["spans"]]
    assert 2 <= labels.count("CLAIM") <= 4
    assert len(labels) - labels.count("CLAIM") >= 15


def test_samples_contain_non_ascii() -> None:
    texts = "".join(r["text"] for r in RECORDS)
    for char in ("“", "”", "’", "—", "€", "é"):
        assert char in texts
    assert any(ord(c) > 0xFFFF for c in texts)  # an astral emoji
    assert any("\u0600" <= c <= "\u06ff" for c in texts)  # Arabic script
