"""store.prepared: cutting a record into annotators' layers and joining layers of one text."""

from __future__ import annotations

from annotator.core.records import ClaimRecord, DocumentRecord, RelationRecord, SpanRecord
from annotator.store.prepared import PreparedDocument

TEXT = "Mara Lind said that prices rose in Oslo."


def _record(*, across: bool = False) -> DocumentRecord:
    spans = [SpanRecord(0, 9, "PERSON", annotator="alice"), SpanRecord(20, 31, "CLAIM", annotator="alice"),
             SpanRecord(0, 9, "ORG", annotator="bob"), SpanRecord(20, 26, "CLAIM", annotator="bob"),
             SpanRecord(35, 39, "GPE")]
    relations = [RelationRecord(1, 0, "SAID", annotator="alice"), RelationRecord(3, 0 if across else 2, "SAID")]
    return DocumentRecord(text=TEXT, line=4, spans=spans, relations=relations,
                          claims=[ClaimRecord(3, claimant=0 if across else 2)],
                          doc_labels=["NEWS", "SPORT"], doc_label_annotators={"NEWS": ["alice", "bob"]},
                          annotator_statuses={"alice": "done", "bob": "skipped"})


def test_prepared_layers_by_annotator_with_the_imports_own_for_unnamed():
    layers = PreparedDocument(_record()).layers("dave")
    assert set(layers) == {"alice", "bob", "dave"}
    assert layers["bob"].spans == ((0, 9, "ORG", "accepted"), (20, 26, "CLAIM", "accepted"))
    assert layers["bob"].doc_labels == {"NEWS"} and layers["bob"].status == "skipped"
    assert layers["dave"].spans == ((35, 39, "GPE", "accepted"),) and layers["dave"].doc_labels == {"SPORT"}


def test_prepared_layers_only_keeps_one_layer_with_its_links_renumbered():
    part = PreparedDocument(_record()).only({"bob"}, None)
    assert part is not None
    assert [s[:4] for s in part.spans] == [(0, 9, "ORG", "bob"), (20, 26, "CLAIM", "bob")]
    assert [r[:3] for r in part.relations] == [(1, 0, "SAID")]
    assert [c[:2] for c in part.claims] == [(1, 0)]
    assert part.doc_labels == (("NEWS", "bob"),) and part.annotator_statuses == (("bob", "skipped"),)
    assert part.tokens is None  # the stored document keeps its own tokens


def test_prepared_layers_only_refuses_a_link_across_layers():
    assert PreparedDocument(_record(across=True)).only({"bob"}, None) is None


def test_prepared_layers_absorb_shifts_indices():
    first = PreparedDocument(DocumentRecord(text=TEXT, line=1, spans=[SpanRecord(35, 39, "GPE", annotator="carol")]))
    part = PreparedDocument(_record()).only({"bob"}, None)
    first.absorb(part)
    assert [s[:4] for s in first.spans] == [(35, 39, "GPE", "carol"), (0, 9, "ORG", "bob"), (20, 26, "CLAIM", "bob")]
    assert [r[:2] for r in first.relations] == [(2, 1)] and [c[:2] for c in first.claims] == [(2, 1)]
    assert first.annotator_statuses == (("bob", "skipped"),)
