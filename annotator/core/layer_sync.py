"""One annotator's layer of one document as the team server holds it, and back.

The unit a client pushes and pulls is the unit ``merge`` reconciles (core.layer_merge): one
annotator's layer of one document. On the server its rows carry no row ids of any file:
spans are numbered within the unit (``sid``, the pushing file's span id, meaningful only
inside the unit), labels are names, and a claimant, cue or relation child in another layer
(a suggestion, a colleague's span) is a *key*, ``[annotator uuid or null, start, end,
label]``, found again in the pulling file as merge finds it (``PartnerKey``).

A pulled unit becomes a ``LayerContent`` with made-up span ids, so ``MergePlanner`` brings
the local layer up to date with it exactly as merging a file does.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from .layer_merge import LayerContent, PartnerKey

ServerSpan = tuple[int, int, int, str, str, str, str, str, str]  # sid, start, end, label, text, origin, state, created, updated
# sid, claimant_sid, claimant_key, claimant_text, claimant_relation, cue_sid, cue_key, created, updated, values (JSON)
ServerClaim = tuple[int, int | None, str | None, str | None, str | None, int | None, str | None, str, str, str]
ServerRelation = tuple[int, int | None, str | None, str, str]  # head_sid, child_sid, child_key, label, created
ServerDocLabel = tuple[str, str]  # label, created


@dataclass
class ServerUnit:
    """One layer of one document in the server's terms (document id and labels the server's)."""

    doc: int
    annotator: str  # uuid
    status: str = "todo"
    status_at: str = ""
    spans: list[ServerSpan] = field(default_factory=list)
    claims: list[ServerClaim] = field(default_factory=list)
    relations: list[ServerRelation] = field(default_factory=list)
    doc_labels: list[ServerDocLabel] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        return not (self.spans or self.claims or self.relations or self.doc_labels) and self.status == "todo"


class UnitDecodeError(ValueError):
    """A server row this client cannot read (another scheme, a damaged row)."""


@dataclass
class PulledLayers:
    """Pulled units as merge's input: layers by (local document id, local annotator id), and the
    keys of the spans outside them that their claims and relations point at."""

    layers: dict[tuple[int, int], LayerContent] = field(default_factory=dict)
    partners: dict[int, PartnerKey] = field(default_factory=dict)


def from_server(units: Iterable[tuple[int, int, ServerUnit]], label_ids: Mapping[str, int]) -> PulledLayers:
    """Server units (each with its local document id and local annotator id) as ``LayerContent``.

    Span ids are made up (negative, so they can never be taken for a file's); a link to a span
    of another pulled unit of the same document uses that span's made-up id, as merge links
    spans of layers read in the same batch."""
    result = PulledLayers()
    units = list(units)
    next_id = -1
    local_ids: dict[tuple[int, int, int], int] = {}  # (doc, annotator, sid) -> made-up id
    by_content: dict[tuple, int] = {}  # (doc, uuid, start, end, label id) -> made-up id
    for doc_id, annotator_id, unit in units:
        content = result.layers.setdefault((doc_id, annotator_id), LayerContent())
        for sid, start, end, label, text, origin, state, created, updated in unit.spans:
            label_id = _label(label_ids, label)
            local_ids[(doc_id, annotator_id, sid)] = next_id
            by_content.setdefault((doc_id, unit.annotator, start, end, label_id), next_id)
            content.spans.append((next_id, start, end, label_id, text, origin, state, created, updated))
            next_id -= 1
    claim_id = relation_id = -1
    for doc_id, annotator_id, unit in units:
        content = result.layers[(doc_id, annotator_id)]

        def link(sid: int | None, key: str | None) -> int | None:
            nonlocal next_id
            if sid is not None:
                return local_ids.get((doc_id, annotator_id, sid))
            if key is None:
                return None
            partner = _key(key, label_ids)
            found = by_content.get((doc_id, *partner))
            if found is not None:
                return found
            result.partners[next_id] = partner
            next_id -= 1
            return next_id + 1

        for sid, claimant_sid, claimant_key, text, relation, cue_sid, cue_key, created, updated, values in unit.claims:
            span_id = local_ids.get((doc_id, annotator_id, sid))
            if span_id is None:
                raise UnitDecodeError(f"a claim of document {unit.doc} points at span {sid}, which its layer lacks")
            content.claims.append((claim_id, span_id, link(claimant_sid, claimant_key), text, relation,
                                   link(cue_sid, cue_key), created, updated, _values(values)))
            claim_id -= 1
        for head_sid, child_sid, child_key, label, created in unit.relations:
            head = local_ids.get((doc_id, annotator_id, head_sid))
            child = link(child_sid, child_key)
            if head is not None and child is not None:
                content.relations.append((relation_id, head, child, label, created))
                relation_id -= 1
        content.doc_labels.extend((_label(label_ids, label), created) for label, created in unit.doc_labels)
    return result


def _label(label_ids: Mapping[str, int], name: str) -> int:
    try:
        return label_ids[name]
    except KeyError:
        raise UnitDecodeError(f"the server has label {name!r}, which this project lacks") from None


def _key(text: str, label_ids: Mapping[str, int]) -> PartnerKey:
    try:
        uuid, start, end, label = json.loads(text)
        if not (uuid is None or isinstance(uuid, str)) or not isinstance(start, int) or not isinstance(end, int):
            raise ValueError(text)
    except (ValueError, TypeError) as exc:
        raise UnitDecodeError(f"a span key {text!r} on the server cannot be read") from exc
    return uuid, start, end, _label(label_ids, label)


def _values(text: str) -> tuple[tuple[str, str], ...]:
    try:
        pairs = json.loads(text)
        return tuple(sorted((str(name), str(value)) for name, value in pairs))
    except (ValueError, TypeError) as exc:
        raise UnitDecodeError(f"claim values {text!r} on the server cannot be read") from exc
