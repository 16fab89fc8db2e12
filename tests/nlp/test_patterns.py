"""Pattern files (spaCy EntityRuler / Prodigy JSONL): matching, and errors naming file, line and field."""

from __future__ import annotations

import json

import pytest

from annotator.core.problems import InputError
from annotator.nlp.patterns import load_pattern_files, read_patterns

KINDS = {"PERSON": "entity", "GPE": "entity", "ORG": "entity", "CUE": "role", "CLAIM": "claim", "TOPIC": "doc"}


def write(tmp_path, lines, name="patterns.jsonl"):
    path = tmp_path / name
    path.write_text("\n".join(line if isinstance(line, str) else json.dumps(line) for line in lines) + "\n",
                    encoding="utf-8")
    return path


def test_patterns_token_and_phrase_patterns_match_at_code_points(tmp_path):
    path = write(tmp_path, [
        {"label": "GPE", "pattern": "Oslo"},
        {"label": "GPE", "pattern": [{"LOWER": "the"}, {"LOWER": "hague"}], "id": "hague"},
        {"label": "CUE", "pattern": [{"LOWER": {"IN": ["said", "told"]}}]},
        "",  # blank lines are fine
    ])
    matcher = load_pattern_files([path], "en", KINDS)
    text = "🇺🇦 🌍 Anna said THE HAGUE and Oslo agree."
    [(_doc, found)] = list(matcher.pipe([text]))
    assert [(text[p.start:p.end], p.label) for p in found] == [("said", "CUE"), ("THE HAGUE", "GPE"), ("Oslo", "GPE")]
    assert found[1].start == text.index("THE")


def test_patterns_overlapping_entities_keep_the_longest_other_labels_overlap(tmp_path):
    path = write(tmp_path, [
        {"label": "GPE", "pattern": "New York"},
        {"label": "GPE", "pattern": "New York City"},
        {"label": "ORG", "pattern": "York"},
        {"label": "CUE", "pattern": "York City"},
    ])
    matcher = load_pattern_files([path], "en", KINDS)
    text = "In New York City today."
    [(_doc, found)] = list(matcher.pipe([text]))
    assert sorted((text[p.start:p.end], p.label) for p in found) == [("New York City", "GPE"), ("York City", "CUE")]


@pytest.mark.parametrize(("line", "where"), [
    ("{not json", "patterns.jsonl:2: not valid JSON"),
    ('["label", "pattern"]', "patterns.jsonl:2: each line must be a JSON object"),
    ('{"pattern": "x"}', "patterns.jsonl:2: label: missing or empty"),
    ('{"label": "NOPE", "pattern": "x"}', "patterns.jsonl:2: label: 'NOPE' is not a span label of this project"),
    ('{"label": "TOPIC", "pattern": "x"}', "patterns.jsonl:2: label: 'TOPIC' is not a span label"),
    ('{"label": "GPE"}', "patterns.jsonl:2: pattern: missing"),
    ('{"label": "GPE", "pattern": 5}', "patterns.jsonl:2: pattern: missing; give a phrase"),
    ('{"label": "GPE", "pattern": ""}', "patterns.jsonl:2: pattern: an empty phrase"),
    ('{"label": "GPE", "pattern": []}', "patterns.jsonl:2: pattern: an empty token pattern"),
    ('{"label": "GPE", "pattern": ["oslo"]}', "patterns.jsonl:2: pattern[0]: each token pattern must be an object"),
    ('{"label": "GPE", "pattern": [{"LOWR": "oslo"}]}', "patterns.jsonl:2: pattern[0].LOWR: extra inputs"),
    ('{"label": "GPE", "pattern": [{"LOWER": {"IN": 5}}]}', "patterns.jsonl:2: pattern[0].LOWER.IN:"),
    ('{"label": "GPE", "pattern": "x", "id": 3}', "patterns.jsonl:2: id: must be a string"),
])
def test_patterns_bad_line_is_named_by_file_line_and_field(tmp_path, line, where):
    path = write(tmp_path, [{"label": "GPE", "pattern": "Oslo"}, line, {"label": "GPE", "pattern": "Lima"}])
    with pytest.raises(InputError) as caught:
        read_patterns(path, KINDS)
    [problem] = caught.value.problems
    assert str(problem).startswith(str(tmp_path / where.split(":")[0]) + ":" + where.split(":", 1)[1]), str(problem)


def test_patterns_every_bad_line_of_every_file_is_reported(tmp_path):
    first = write(tmp_path, ['{"label": "GPE"}', '{"label": "X", "pattern": "y"}'], "a.jsonl")
    second = write(tmp_path, ["oops"], "b.jsonl")
    with pytest.raises(InputError) as caught:
        load_pattern_files([first, second], "en", KINDS)
    assert [(p.file.rsplit("/", 1)[-1], p.line) for p in caught.value.problems] == [
        ("a.jsonl", 1), ("a.jsonl", 2), ("b.jsonl", 1)]


def test_patterns_empty_unreadable_and_binary_files(tmp_path):
    empty = write(tmp_path, [""], "empty.jsonl")
    with pytest.raises(InputError, match="no patterns in the file"):
        read_patterns(empty, KINDS)
    with pytest.raises(InputError, match="cannot read"):
        read_patterns(tmp_path / "missing.jsonl", KINDS)
    binary = tmp_path / "latin1.jsonl"
    binary.write_bytes(b'{"label": "GPE", "pattern": "Oslo"}\n{"label": "GPE", "pattern": "Bogot\xe1"}\n')
    with pytest.raises(InputError, match=r"latin1.jsonl:2: not UTF-8"):
        read_patterns(binary, KINDS)


def test_patterns_byte_order_mark_and_prodigy_lines_are_read(tmp_path):
    path = tmp_path / "prodigy.jsonl"
    path.write_text('\ufeff{"label": "ORG", "pattern": [{"lower": "acme"}]}\n', encoding="utf-8")
    [pattern] = read_patterns(path, KINDS)
    assert pattern.label == "ORG" and not pattern.is_phrase
