"""Teams: annotators, their layers, and the scheme fingerprint merges compare.

Every annotation belongs to an annotator's layer. Annotators are told apart by a UUID made
when they are first named in a project file; a copy of that file (``team split``) carries it,
so the same person working in the same copy is one annotator on every machine, and two people
who both call themselves "alex" in projects of their own are two. Where a name is shared, an
annotator is named ``alex#1a2b3c4d`` (the name and the start of the UUID): a *ref*.
"""

from __future__ import annotations

import hashlib
import json
import random
from dataclasses import dataclass, field

from .model import Scheme

UNATTRIBUTED = ""  # the ref of the layer of annotations nobody is named for (imports, no name set)
UNATTRIBUTED_TITLE = "(no annotator)"
REF_UUID_CHARS = 8
# The gold layer (review, docs/review.md) is the layer of a reserved annotator: the same UUID in
# every project file, so gold layers of two files merge as one layer, like any annotator's.
GOLD_UUID = "601d0000-0000-4000-8000-000000000000"
GOLD_NAME = "gold"


@dataclass(frozen=True)
class Annotator:
    id: int
    uuid: str
    name: str
    ref: str  # the name, or name#uuid-prefix when another annotator has the same name
    own: bool = False  # the project file is this annotator's own copy (documents.status is theirs)
    separate_status: bool = False  # statuses in document_status rather than shared documents.status
    created_at: str = ""  # when the name was first used (kept by merges)


@dataclass(frozen=True)
class Layer:
    """One annotator's annotations in a project (or the unattributed ones: ``annotator`` None).

    Suggestions nobody has decided on yet belong to no layer and are not counted.
    """

    annotator: Annotator | None
    spans: int = 0
    claims: int = 0
    doc_labels: int = 0
    documents: int = 0  # documents with at least one annotation of the layer

    @property
    def ref(self) -> str:
        return self.annotator.ref if self.annotator else UNATTRIBUTED

    @property
    def title(self) -> str:
        return self.annotator.ref if self.annotator else UNATTRIBUTED_TITLE


@dataclass(frozen=True)
class Progress:
    """How far one annotator is: over the documents assigned to them, or all when none are."""

    annotator: Annotator
    assigned: int
    total: int  # the documents counted: assigned ones, or every document
    done: int
    skipped: int
    spans: int = 0
    claims: int = 0

    @property
    def todo(self) -> int:
        return self.total - self.done - self.skipped


def annotator_refs(annotators: list[tuple[str, str]]) -> dict[str, str]:
    """uuid -> ref for (uuid, name) pairs: the bare name where it is unique, else name#prefix,
    the prefix long enough to tell the namesakes apart."""
    by_name: dict[str, list[str]] = {}
    for uid, name in annotators:
        by_name.setdefault(name, []).append(uid)
    refs = {}
    for name, uids in by_name.items():
        if len(uids) == 1:
            refs[uids[0]] = name
            continue
        width = REF_UUID_CHARS
        while len({u.replace("-", "")[:width] for u in uids}) < len(uids):
            width += 4
        for uid in uids:
            refs[uid] = f"{name}#{uid.replace('-', '')[:width]}"
    return refs


def check_annotator_name(name: object) -> str | None:
    """Why a name cannot be an annotator's, or None."""
    if not isinstance(name, str) or not name.strip():
        return "an annotator name must not be empty"
    if name != name.strip() or any(c in name for c in "\r\n\t"):
        return f"annotator name {name!r} must not start or end with white space or hold line breaks"
    if len(name) > 100:
        return "an annotator name is longer than 100 characters"
    return None


# ------------------------------------------------------------------ scheme fingerprint
def scheme_identity(scheme: Scheme) -> dict:
    """What two project files must share to merge: label names and kinds, attribute names,
    kinds and choices. Colours, keys, descriptions and order are each person's own."""
    return {
        "labels": sorted([label.name, label.kind] for label in scheme.labels),
        "attributes": sorted([a.name, a.kind, sorted(a.choices)] for a in scheme.attributes),
    }


def scheme_fingerprint(scheme: Scheme) -> str:
    """A SHA-256 of ``scheme_identity``: equal fingerprints, mergeable schemes."""
    canonical = json.dumps(scheme_identity(scheme), ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


@dataclass
class SchemeDifference:
    """How a source scheme differs from a target's, in what merging needs to know."""

    missing_labels: list[tuple[str, str]] = field(default_factory=list)  # (name, kind) the target lacks
    label_kinds: list[tuple[str, str, str]] = field(default_factory=list)  # (name, target kind, source kind)
    missing_attributes: list[str] = field(default_factory=list)
    attribute_kinds: list[tuple[str, str, str]] = field(default_factory=list)
    missing_choices: list[tuple[str, str]] = field(default_factory=list)  # (attribute, choice)

    @property
    def conflicts(self) -> list[str]:
        """Differences nothing can reconcile: one name, two kinds."""
        return ([f"label {name} is a {target} label here and a {source} label there"
                 for name, target, source in self.label_kinds]
                + [f"claim attribute {name} is a {target} attribute here and a {source} attribute there"
                   for name, target, source in self.attribute_kinds])

    @property
    def missing(self) -> list[str]:
        """What ``--add-labels`` would add to the target."""
        return ([f"label {name} ({kind})" for name, kind in self.missing_labels]
                + [f"claim attribute {name}" for name in self.missing_attributes]
                + [f"choice {choice!r} of claim attribute {name}" for name, choice in self.missing_choices])

    def __bool__(self) -> bool:
        return bool(self.conflicts or self.missing)


def compare_schemes(target: Scheme, source: Scheme) -> SchemeDifference:
    diff = SchemeDifference()
    kinds = {label.name: label.kind for label in target.labels}
    for label in source.labels:
        if label.name not in kinds:
            diff.missing_labels.append((label.name, label.kind))
        elif kinds[label.name] != label.kind:
            diff.label_kinds.append((label.name, kinds[label.name], label.kind))
    attributes = {a.name: a for a in target.attributes}
    for attribute in source.attributes:
        mine = attributes.get(attribute.name)
        if mine is None:
            diff.missing_attributes.append(attribute.name)
        elif mine.kind != attribute.kind:
            diff.attribute_kinds.append((attribute.name, mine.kind, attribute.kind))
        elif attribute.kind == "choice":
            diff.missing_choices.extend((attribute.name, c) for c in attribute.choices if c not in mine.choices)
    return diff


# ------------------------------------------------------------------ splitting the work
def plan_split(doc_ids: list[int], annotators: list[str], *, overlap: float | None = None,
               overlap_docs: int | None = None, per_doc: int = 1, seed: int = 0) -> dict[str, list[int]]:
    """Who gets which documents (each list in the order given).

    A share of the documents (``overlap``, or ``overlap_docs`` of them), drawn at random with
    ``seed``, goes to every annotator, so agreement can be measured; each of the others goes
    to ``per_doc`` annotators, dealt in turn so everyone gets as many as anyone (give or take
    one). Raises ValueError with a message for the user when the options do not fit.
    """
    if not annotators:
        raise ValueError("name at least one annotator")
    for name in annotators:
        if (reason := check_annotator_name(name)) is not None:
            raise ValueError(reason)
    if len(set(annotators)) != len(annotators):
        twice = sorted({name for name in annotators if annotators.count(name) > 1})
        raise ValueError(f"annotator {', '.join(twice)} is named twice")
    if overlap is not None and overlap_docs is not None:
        raise ValueError("give the overlap as a share (--overlap) or a number of documents (--overlap-docs), not both")
    if overlap is not None and not 0 <= overlap <= 1:
        raise ValueError(f"the overlap share must be between 0 and 1, not {overlap}")
    if overlap_docs is not None and not 0 <= overlap_docs <= len(doc_ids):
        raise ValueError(f"the overlap must be between 0 and {len(doc_ids)} documents, not {overlap_docs}")
    if not 1 <= per_doc <= len(annotators):
        raise ValueError(f"documents per annotator must be between 1 and {len(annotators)} (the number of "
                         f"annotators), not {per_doc}")
    shuffled = list(doc_ids)
    random.Random(seed).shuffle(shuffled)
    shared = overlap_docs if overlap_docs is not None else round((overlap or 0) * len(shuffled))
    chosen: dict[str, set[int]] = {name: set(shuffled[:shared]) for name in annotators}
    for i, doc_id in enumerate(shuffled[shared:]):
        for j in range(per_doc):
            chosen[annotators[(i * per_doc + j) % len(annotators)]].add(doc_id)
    return {name: [d for d in doc_ids if d in mine] for name, mine in chosen.items()}
