"""Scheme files (TOML/JSON): the default scheme, variants, and refusals naming file and field."""

from __future__ import annotations

import json

import pytest

from annotator.core.problems import InputError
from annotator.core.resources import default_scheme_path
from annotator.core.scheme import load_scheme_file, parse_scheme
from annotator.store import Project

GOOD = {
    "language": "de",
    "allow_overlapping_entities": True,
    "labels": [
        {"name": "PER", "kind": "entity", "color": "#112233", "key": "1"},
        {"name": "QUOTE", "kind": "claim", "key": "Q", "description": "what was said"},
        {"name": "OPINION", "kind": "doc"},
    ],
    "attributes": [
        {"name": "stance", "choices": ["pro", "contra"], "default": "pro", "key": "s", "required": True},
        {"name": "note", "kind": "text"},
    ],
}

TOML = """
language = "de"
allow_overlapping_entities = true

[[labels]]
name = "PER"
kind = "entity"
color = "#112233"
key = "1"

[[labels]]
name = "QUOTE"
kind = "claim"
key = "Q"
description = "what was said"

[[labels]]
name = "OPINION"
kind = "doc"

[[attributes]]
name = "stance"
choices = ["pro", "contra"]
default = "pro"
key = "s"
required = true

[[attributes]]
name = "note"
kind = "text"
"""


def test_scheme_file_default_loads():
    scheme = load_scheme_file(default_scheme_path())
    assert len(scheme.labels) == 11
    assert scheme.label("CLAIM").kind == "claim"
    assert [lab.kind for lab in scheme.labels].count("entity") == 8
    assert len(scheme.attributes) == 5
    verdict = next(a for a in scheme.attributes if a.name == "verdict")
    assert verdict.default == "unverified" and "false" in verdict.choices
    assert scheme.language == "en" and scheme.allow_overlapping_entities is False
    keys = [lab.key for lab in scheme.labels if lab.key]
    assert len(set(keys)) == len(keys)


@pytest.mark.parametrize("suffix", [".toml", ".json"])
def test_scheme_file_toml_and_json_agree(tmp_path, suffix):
    path = tmp_path / f"scheme{suffix}"
    path.write_text(TOML if suffix == ".toml" else json.dumps(GOOD), encoding="utf-8")
    scheme = load_scheme_file(path)
    assert [(lab.name, lab.kind, lab.key) for lab in scheme.labels] == [
        ("PER", "entity", "1"), ("QUOTE", "claim", "q"), ("OPINION", "doc", None)]
    assert scheme.labels[0].color == "#112233"
    assert scheme.labels[1].color.startswith("#") and scheme.labels[1].description == "what was said"
    assert scheme.language == "de" and scheme.allow_overlapping_entities
    stance, note = scheme.attributes
    assert stance.choices == ("pro", "contra") and stance.default == "pro" and stance.required
    assert stance.title == "Stance"
    assert note.kind == "text" and note.choices == ()


def test_scheme_file_json_with_bom(tmp_path):
    path = tmp_path / "s.json"
    path.write_bytes(b"\xef\xbb\xbf" + json.dumps(GOOD).encode())
    assert len(load_scheme_file(path).labels) == 3


def test_scheme_file_new_project_uses_scheme(tmp_path):
    path = tmp_path / "s.toml"
    path.write_text(TOML, encoding="utf-8")
    with Project.create(tmp_path / "p.annotator", load_scheme_file(path)) as project:
        rows = list(project.db.query("SELECT name, kind, color, shortcut FROM labels ORDER BY position"))
        assert [r["name"] for r in rows] == ["PER", "QUOTE", "OPINION"]
        assert rows[0]["color"] == "#112233"
        attrs = list(project.db.query("SELECT name, choices, default_value, required FROM claim_attributes"))
        assert attrs[0]["name"] == "stance" and json.loads(attrs[0]["choices"]) == ["pro", "contra"]
        assert attrs[0]["default_value"] == "pro" and attrs[0]["required"] == 1
        assert project.language == "de" and project.allow_overlapping_entities


def _with(change):
    data = json.loads(json.dumps(GOOD))
    change(data)
    return data


BAD = [
    ("bad-colour", lambda d: d["labels"][2].update(color="red"), "labels[2].color", "#rrggbb"),
    ("short-colour", lambda d: d["labels"][0].update(color="#123"), "labels[0].color", "#rrggbb"),
    ("dup-key", lambda d: d["labels"][2].update(key="1"), "labels[2].key", "already used"),
    ("dup-key-case", lambda d: d["labels"][2].update(key="q"), "labels[2].key", "already used"),
    ("bad-key", lambda d: d["labels"][0].update(key="F1"), "labels[0].key", "one digit or letter"),
    ("dup-name", lambda d: d["labels"][2].update(name="PER"), "labels[2].name", "defined twice"),
    ("empty-name", lambda d: d["labels"][1].update(name=""), "labels[1].name", "non-empty"),
    ("unknown-kind", lambda d: d["labels"][1].update(kind="relation"), "labels[1].kind", "must be one of"),
    ("labels-not-list", lambda d: d.update(labels={"name": "X"}), "labels", "list"),
    ("label-not-table", lambda d: d["labels"].append("X"), "labels[3]", "table"),
    ("unknown-label-field", lambda d: d["labels"][0].update(colour="#123456"), "labels[0].colour", "unknown"),
    ("unknown-top-field", lambda d: d.update(label=[]), "label", "unknown"),
    ("default-not-choice", lambda d: d["attributes"][0].update(default="neutral"), "attributes[0].default",
     "not one of the choices"),
    ("empty-choices", lambda d: d["attributes"][0].update(choices=[]), "attributes[0].choices", "non-empty"),
    ("attr-kind", lambda d: d["attributes"][1].update(kind="number"), "attributes[1].kind", "must be one of"),
    ("attr-name", lambda d: d["attributes"][1].update(name="my note"), "attributes[1].name", "identifier"),
    ("attr-dup", lambda d: d["attributes"][1].update(name="stance"), "attributes[1].name", "defined twice"),
    ("attr-dup-key", lambda d: d["attributes"][1].update(key="S"), "attributes[1].key", "already used"),
    ("attr-required", lambda d: d["attributes"][0].update(required="yes"), "attributes[0].required",
     "true or false"),
    ("language", lambda d: d.update(language="English"), "language", "language code"),
    ("overlap", lambda d: d.update(allow_overlapping_entities="no"), "allow_overlapping_entities",
     "true or false"),
]


@pytest.mark.parametrize("change, fld, message", [b[1:] for b in BAD], ids=[b[0] for b in BAD])
def test_scheme_file_bad_field_names_file_and_field(tmp_path, change, fld, message):
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(_with(change)), encoding="utf-8")
    with pytest.raises(InputError) as info:
        load_scheme_file(path)
    text = str(info.value)
    assert f"{path}: {fld}: " in text
    assert message in text
    assert any(p.field == fld for p in info.value.problems)


def test_scheme_file_reports_every_problem(tmp_path):
    data = _with(lambda d: (d["labels"][0].update(color="red"), d["labels"][1].update(kind="x")))
    with pytest.raises(InputError) as info:
        parse_scheme(data, "s.json")
    assert {p.field for p in info.value.problems} == {"labels[0].color", "labels[1].kind"}


def test_scheme_file_bad_toml_syntax_gives_line(tmp_path):
    path = tmp_path / "bad.toml"
    path.write_text('language = "en"\n\n[[labels]]\nname = "PER\nkind = "entity"\n', encoding="utf-8")
    with pytest.raises(InputError) as info:
        load_scheme_file(path)
    [problem] = info.value.problems
    assert problem.file == str(path) and problem.line == 4
    assert str(info.value).startswith(f"{path}:4: ")
    assert "invalid TOML" in str(info.value)


def test_scheme_file_bad_json_syntax_gives_line(tmp_path):
    path = tmp_path / "bad.json"
    path.write_text('{\n  "labels": [\n    {"name": "PER",}\n  ]\n}\n', encoding="utf-8")
    with pytest.raises(InputError) as info:
        load_scheme_file(path)
    assert str(info.value).startswith(f"{path}:3: invalid JSON")


@pytest.mark.parametrize("suffix", [".toml", ".json"])
def test_scheme_file_invalid_utf8(tmp_path, suffix):
    path = tmp_path / f"bad{suffix}"
    path.write_bytes(b'language = "en"\n# caf\xe9\n')
    with pytest.raises(InputError, match="invalid UTF-8 at byte 21") as info:
        load_scheme_file(path)
    assert str(info.value).startswith(f"{path}:2: ")


def test_scheme_file_missing(tmp_path):
    with pytest.raises(InputError, match="cannot read file"):
        load_scheme_file(tmp_path / "nope.toml")


def test_scheme_file_top_level_not_table():
    with pytest.raises(InputError, match="table/object"):
        parse_scheme([1, 2], "s.json")
