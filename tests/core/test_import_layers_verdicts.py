"""core.import_layers: what a record of a known text adds, duplicates, or conflicts with."""

from __future__ import annotations

from annotator.core.import_layers import LayerContent, compare_layers

A = LayerContent(((0, 4, "PERSON", "accepted"),))
B = LayerContent(((5, 9, "GPE", "accepted"),))


def test_import_layers_new_annotator_is_added_known_one_same_is_duplicate():
    assert compare_layers({"bob": B}, {"alice": A}).add == ("bob",)
    assert compare_layers({"alice": A, "bob": B}, {"alice": A}).add == ("bob",)
    assert compare_layers({"alice": A}, {"alice": A}).kind == "duplicate"


def test_import_layers_a_different_layer_of_a_known_annotator_is_a_conflict():
    verdict = compare_layers({"alice": B, "bob": B}, {"alice": A})
    assert verdict.kind == "conflict" and verdict.differs == "alice"


def test_import_layers_statuses_are_never_compared_but_make_a_layer():
    assert compare_layers({"alice": LayerContent(A.spans, status="skipped")},
                          {"alice": LayerContent(A.spans, status="done")}).kind == "duplicate"
    # a layer of nothing but a status the document lacks is added; an empty todo is nothing
    assert compare_layers({"bob": LayerContent(status="skipped")}, {"alice": A}).add == ("bob",)
    assert compare_layers({"bob": LayerContent(status="todo")}, {"alice": A}).kind == "duplicate"
    assert compare_layers({"bob": B}, {"bob": LayerContent(status="todo")}).add == ("bob",)


def test_import_layers_records_naming_nobody_are_judged_as_before_layers():
    assert compare_layers({None: A}, {None: A}).kind == "duplicate"
    assert compare_layers({None: A}, {"alice": A}).kind == "duplicate"  # same spans, whoever holds them
    assert compare_layers({None: B}, {None: A}).kind == "conflict"
    assert compare_layers({None: LayerContent()}, {None: A}).kind == "duplicate"  # the text alone
    # unnamed spans beside named layers must be the document's unnamed ones
    assert compare_layers({None: A, "bob": B}, {None: A}).add == ("bob",)
    assert compare_layers({None: B, "bob": B}, {None: A}).kind == "conflict"
