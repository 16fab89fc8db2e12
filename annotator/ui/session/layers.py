"""Which annotation layers the window shows, and which one it edits.

Every span belongs to an annotator's layer (DESIGN.md habit 14; gold is a layer too). The
window edits one layer and shows others beside it, read-only:

- one layer, ``merged``: every span of the document, editable, as annotator worked before
  teams. The window keeps to it until another annotator's file is merged in or other layers
  are shown (``window_layers``);
- side by side (Teams): ``Layers(editable="alice", others=("bob", "carol"), merged=False)``
  edits Alice's spans and shows Bob's and Carol's read-only;
- review into gold: ``Layers(editable="gold", others=("alice", "bob"), merged=False)``.

Layers are named by *refs* (``Project.annotators()``): the name, or ``alex#1a2b3c4d`` where two
annotators share a name. Spans read from the store carry the plain name, so ``editable_name``
holds it beside the ref; the session reads each layer with ``Project.layer_spans`` (by ref), so
namesakes never mix. ``""`` is the layer of annotations nobody is named for.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from ...core.model import Span, SpanDetails
from ...core.team import UNATTRIBUTED, UNATTRIBUTED_TITLE, Layer
from ...store import ProjectError
from ...store.migrations import TEAM_LAYERS_KEY
from ...store.project import Project


@dataclass(frozen=True)
class Layers:
    editable: str | None = None  # whose spans edits create and change (the annotator's ref; None: nobody's)
    others: tuple[str, ...] = ()  # other layers' refs shown read-only ("": the unattributed layer)
    merged: bool = True  # one layer: every span of the document, editable (before Teams)
    editable_name: str | None = None  # the plain name the editable layer's spans carry, when not the ref

    def owns(self, span: Span) -> bool:
        """Whether ``span`` is in the editable layer (undecided suggestions are everyone's)."""
        if self.merged:
            return True
        if span.annotator is None:
            return self.editable is None or span.state == "suggested"
        return span.annotator == self.editable or (self.editable_name is not None and span.annotator == self.editable_name)

    def split(self, spans: Iterable[Span]) -> tuple[list[Span], dict[str, list[Span]]]:
        """The editable layer's spans, and each shown other layer's (read-only), for spans whose
        ``annotator`` is a ref (namesakes: the session reads each layer by ref instead)."""
        mine: list[Span] = []
        others: dict[str, list[Span]] = {name: [] for name in self.others}
        for span in spans:
            if self.owns(span):
                mine.append(span)
            elif (span.annotator or UNATTRIBUTED) in others:
                others[span.annotator or UNATTRIBUTED].append(span)
        return mine, others

    @property
    def editable_title(self) -> str:
        return layer_title(self.editable or UNATTRIBUTED)


def layer_title(ref: str) -> str:
    """How a layer is named on screen."""
    return ref or UNATTRIBUTED_TITLE


def window_layers(project: Project, editable: str | None, shown: Iterable[str] = ()) -> Layers:
    """The layers the window shows: ``editable``'s layer, editable, and those of ``shown`` that
    the project holds, read-only.

    One merged layer (every span editable, as before teams) unless other layers are shown or
    another annotator's file was merged into this project (``TEAM_LAYERS_KEY``, set by a
    merge): spans an import named for someone (a doccano user, the importer) stay the
    user's to edit, while a lead's project never lets an edit land in Alice's layer by mistake.
    """
    mine = editable or UNATTRIBUTED
    refs = set(project.layer_refs())
    others = tuple(dict.fromkeys(ref for ref in shown if ref in refs and ref != mine))
    merged = not others and project.setting(TEAM_LAYERS_KEY) != "1"
    name = None
    if editable:
        try:
            found = project.known_annotator(editable)
        except ProjectError:  # an ambiguous plain name: the ref is all there is
            found = None
        name = found.name if found is not None and found.name != editable else None
    return Layers(editable, others, merged, name)


def other_layers(project: Project, editable: str | None, *, counted: bool = False) -> list:
    """The project's layers other than the editable one (``core.team.Layer``), in its order;
    their counts only when ``counted`` (a pass over every span: the Layers menu shows them)."""
    mine = editable or UNATTRIBUTED
    layers = project.layers() if counted else [Layer(annotator) for annotator in project.layer_holders()]
    return [layer for layer in layers if layer.ref != mine]


@dataclass
class ShownDocument:
    """The document on screen as the session holds it (views read it; only the session changes it)."""

    doc_id: int
    title: str
    text: str
    status: str
    spans: dict[int, Span]  # the editable layer, by id
    others: dict[str, list[Span]] = field(default_factory=dict)  # read-only layers, by ref
    claims: list = field(default_factory=list)  # core Claims of the editable layer
    stale: set[int] = field(default_factory=set)  # spans whose stored text no longer matches
    # Attribute values and notes other tools' files brought, by span id (spans with neither
    # are left out). Views keep this very dict: the session updates it before each span signal.
    details: dict[int, SpanDetails] = field(default_factory=dict)
    other_status: dict[str, str] = field(default_factory=dict)  # each shown other layer's status, by ref

    def linked_span_ids(self) -> set[int]:
        """Spans the document's claims use (content, claimant, cue)."""
        return {s.id for c in self.claims for s in (c.content, c.claimant, c.cue) if s is not None and s.id}
