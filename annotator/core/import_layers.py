"""When an import meets a text the project already holds: which annotators' layers it adds.

A document is matched by its text (content hash). Its annotations are layers, one per
annotator (core.team); a record of a known text may bring the layers of annotators who have
none on that document yet (another annotator's line of a Prodigy dataset, a second
annotator's export of the same texts), and those are added to it. A layer the document
already holds is never changed: a record that brings it again, the same, is a duplicate; one
that brings it different is a conflict and nothing of the record is taken.

Pure functions over plain values: the store reads the held layers, the import workflow
decides with ``compare_layers`` and writes what it says.
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping
from dataclasses import dataclass

SpanKey = tuple[int, int, str, str]  # start, end, label, state


@dataclass(frozen=True)
class LayerContent:
    """What one layer holds on one document, as compared between a file and the project.

    ``status``: the annotator's own status there, when it is theirs alone (None when the
    file gives none, or when they share the project's status): a layer with nothing but a
    status (a text someone finished without tagging anything) still exists.
    """

    spans: tuple[SpanKey, ...] = ()  # sorted
    doc_labels: frozenset[str] = frozenset()
    status: str | None = None

    @property
    def empty(self) -> bool:
        return not self.spans and not self.doc_labels and self.status in (None, "todo")

    def same_annotations(self, other: LayerContent) -> bool:
        """Equal spans and document labels (statuses are not compared: never overwritten)."""
        return self.spans == other.spans and self.doc_labels == other.doc_labels


@dataclass(frozen=True)
class Verdict:
    kind: str  # "duplicate" | "conflict" | "add"
    add: tuple[Hashable, ...] = ()  # the layers (keys) to add, for "add"
    differs: Hashable | None = None  # for "conflict": the first layer that differs (None: no one's)


DUPLICATE = Verdict("duplicate")


def compare_layers(incoming: Mapping[Hashable | None, LayerContent], held: Mapping[Hashable | None, LayerContent]
                   ) -> Verdict:
    """What to do with a record (``incoming``: its layers) of a text the project holds
    (``held``: that document's layers). Key None is the layer nobody is named for (spans
    without an annotator, and suggestions nobody decided on); other keys name annotators.

    - A record naming no annotator is judged as before layers: a duplicate unless it has
      spans and they differ from the document's (all layers together): then a conflict.
    - Otherwise its unnamed spans (if any) must be the document's unnamed ones; each named
      layer is added when the document has none of that annotator's, a duplicate when the
      document's is the same, a conflict when it differs. One conflict refuses the record.
    """
    named = [key for key, layer in incoming.items() if key is not None and not layer.empty]
    unnamed = incoming.get(None, LayerContent())
    if not named:
        mine = {s for layer in incoming.values() for s in layer.spans}
        theirs = {s for layer in held.values() for s in layer.spans}
        return Verdict("conflict") if mine and mine != theirs else DUPLICATE
    if unnamed.spans and set(unnamed.spans) != set(held.get(None, LayerContent()).spans):
        return Verdict("conflict")
    add = []
    for key in named:
        there = held.get(key)
        if there is None or there.empty:
            add.append(key)
        elif not incoming[key].same_annotations(there):
            return Verdict("conflict", differs=key)
    return Verdict("add", tuple(add)) if add else DUPLICATE
