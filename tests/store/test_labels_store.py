"""Labels in the store: add, update, rename (spans follow), remove (refused while used)."""

from __future__ import annotations

import pytest

from annotator.core.model import Label
from annotator.core.records import DocumentRecord, SpanRecord
from annotator.core.scheme import PALETTE
from annotator.store import LabelInUse, ProjectError
from annotator.store.import_writer import ImportWriter, PreparedDocument

TEXT = "Angela Merkel met Emmanuel Macron in Paris."


def _add_doc(project, text=TEXT, spans=()):
    with project.transaction():
        writer = ImportWriter(project, "tester")
        return writer.write([PreparedDocument(DocumentRecord(text, 1, spans=[SpanRecord(*s) for s in spans]))])[0]


def _label_row(project, name):
    return next(project.db.query("SELECT * FROM labels WHERE name = ?", [name]))


def test_labels_store_add_uses_palette_colour_and_position(project):
    used = {lab.color for lab in project.labels()}
    label = project.add_label(Label("QUOTE", kind="claim", key="x", description="a quote"))
    row = _label_row(project, "QUOTE")
    assert row["color"] == label.color and label.color in PALETTE and label.color not in used
    assert row["kind"] == "claim" and row["shortcut"] == "x" and row["description"] == "a quote"
    assert row["position"] == len(used)  # after every label of the default scheme
    assert label.id == row["id"]


def test_labels_store_add_explicit_colour_and_key_lowercased(project):
    project.add_label(Label("X", color="#ABCDEF", key="Z"))
    row = _label_row(project, "X")
    assert (row["color"], row["shortcut"]) == ("#abcdef", "z")


@pytest.mark.parametrize(
    "label, message",
    [
        (Label(""), "non-empty"),
        (Label(" PAD"), "white space"),
        (Label("TAIL "), "white space"),
        (Label("A\nB"), "line breaks"),
        (Label("X" * 101), "longer than 100"),
        (Label("PERSON"), "already exists"),
        (Label("NEW", key="1"), "already used by label 'PERSON'"),
        (Label("NEW", key="11"), "one digit or letter"),
        (Label("NEW", key="ctrl+1"), "one digit or letter"),
        (Label("NEW", kind="relation"), "kind"),
        (Label("NEW", color="red"), "#rrggbb"),
    ],
    ids=["empty", "lead-space", "trail-space", "newline", "long", "dup-name", "dup-key", "long-key",
         "ctrl-key", "bad-kind", "bad-colour"],
)
def test_labels_store_add_refuses_bad_labels(project, label, message):
    before = list(project.db.query("SELECT * FROM labels ORDER BY id"))
    with pytest.raises(ProjectError, match=message):
        project.add_label(label)
    assert list(project.db.query("SELECT * FROM labels ORDER BY id")) == before


def test_labels_store_rename_propagates_to_spans(project):
    doc = _add_doc(project, spans=[(0, 13, "PERSON"), (37, 42, "GPE")])
    project.rename_label("PERSON", "PER")
    assert [s.label for s in project.spans(doc)] == ["PER", "GPE"]
    assert {r["label"] for r in project.db.query("SELECT label FROM span_view")} == {"PER", "GPE"}
    assert _label_row(project, "PER")["shortcut"] == "1"


@pytest.mark.parametrize("old, new, message", [
    ("PERSON", "ORG", "already exists"),
    ("NOPE", "X", "no label named"),
    ("PERSON", " PER", "white space"),
])
def test_labels_store_rename_refused(project, old, new, message):
    with pytest.raises(ProjectError, match=message):
        project.rename_label(old, new)
    assert "PERSON" in project.label_ids()


def test_labels_store_update_colour_key_description(project):
    project.update_label("ORG", color="#123456", key="o", description="organisations")
    row = _label_row(project, "ORG")
    assert (row["color"], row["shortcut"], row["description"]) == ("#123456", "o", "organisations")
    project.update_label("ORG", clear_key=True)
    assert _label_row(project, "ORG")["shortcut"] is None


@pytest.mark.parametrize("kwargs, message", [
    ({"key": "1"}, "already used"),
    ({"key": "!!"}, "one digit or letter"),
    ({"color": "blue"}, "#rrggbb"),
])
def test_labels_store_update_refused_leaves_label(project, kwargs, message):
    before = _label_row(project, "ORG")
    with pytest.raises(ProjectError, match=message):
        project.update_label("ORG", **kwargs)
    assert _label_row(project, "ORG") == before


def test_labels_store_remove_unused(project):
    assert project.remove_label("EVENT") == 0
    assert "EVENT" not in project.label_ids()


def test_labels_store_remove_refused_while_used_then_forced(project):
    doc = _add_doc(project, spans=[(0, 13, "PERSON"), (18, 33, "PERSON"), (37, 42, "GPE")])
    assert project.label_usage("PERSON") == 2
    with pytest.raises(LabelInUse) as info:
        project.remove_label("PERSON")
    assert info.value.count == 2 and "PERSON" in str(info.value)
    assert "PERSON" in project.label_ids()
    assert project.db.table("spans").count == 3
    assert project.remove_label("PERSON", force=True) == 2
    assert "PERSON" not in project.label_ids()
    assert [(s.label, s.text) for s in project.spans(doc)] == [("GPE", "Paris")]


def test_labels_store_label_usage_unknown_label(project):
    with pytest.raises(ProjectError, match="no label named"):
        project.label_usage("NOPE")
