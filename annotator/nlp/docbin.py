"""ExportDocument -> spaCy ``Doc`` -> DocBin shards, with every alignment problem reported.

Runs in the export's worker processes (see annotator.workflows.exporting): every function
here takes plain, picklable data and returns plain data, so a batch can be handed to a
process and its statistics and alignment report sent back.

What goes where (docs/formats.md has the full shape):
- ``doc.ents``: accepted entity spans (label kind "entity") that align to tokens, do not
  overlap another entity and do not start or end on white space. Tokens of an entity span
  left out are marked *missing* (not "O"), so NER is never taught that they are outside.
- ``doc.spans["claims"]``: claim content spans; ``doc.spans["sc"]``: every exported span
  (entities, claims, roles; overlaps allowed).
- ``doc.cats``: every document label of the project, 1.0 / 0.0.
- ``doc.user_data["annotator"]``: document id, title, source, status, meta, claims with
  claimant, canonical claimant, relation label, cue and attributes; other relations.
"""

from __future__ import annotations

import atexit
import json
import os
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..core.export import ExportDocument, claim_extras
from .chunked import tokenize
from .tokens import tokenizer

ALIGNMENT_MODES = ("strict", "contract", "expand")
CLAIMS_KEY = "claims"  # the span group spancat trains on (claim content)
ALL_SPANS_KEY = "sc"  # every span, for custom training; spaCy's default spancat key
USER_DATA_KEY = "annotator"
USER_DATA_VERSION = 1
# What a token needs for training: its text, its norm (tokenizer exceptions set norms such
# as "n't" -> "not", which tok2vec features read) and the entity annotation. Leaving out
# tags, heads, lemmas (which we never set) makes shards smaller and faster to write.
DOCBIN_ATTRS = ("ORTH", "NORM", "ENT_IOB", "ENT_TYPE")
SPLITS = ("train", "dev")


@dataclass(frozen=True)
class DocBinSettings:
    language: str
    alignment: str = "strict"
    doc_labels: tuple[str, ...] = ()  # every document label of the project: the keys of doc.cats
    kinds: tuple[tuple[str, str], ...] = ()  # (label, kind) for every label of the project

    def kind_of(self) -> dict[str, str]:
        return dict(self.kinds)


@dataclass(frozen=True)
class AlignmentIssue:
    """One span that did not go where its label says, or went there changed."""

    doc_id: int
    title: str
    start: int
    end: int
    label: str
    text: str
    problem: str  # "misaligned", "adjusted", "overlapping entity", "white-space entity"
    detail: str
    aligned_start: int | None = None  # where contract/expand put it, when it was adjusted
    aligned_end: int | None = None

    def as_dict(self) -> dict[str, Any]:
        return {k: getattr(self, k) for k in self.__dataclass_fields__}

    def __str__(self) -> str:
        where = f"document {self.doc_id}" + (f" ({self.title})" if self.title else "")
        return f"{where}: {self.start}-{self.end} {self.label} {self.text!r}: {self.problem}: {self.detail}"


@dataclass
class ShardResult:
    """What one batch produced: counts per split and label, files written, the issues."""

    documents: Counter = field(default_factory=Counter)  # split -> documents
    tokens: Counter = field(default_factory=Counter)  # split -> tokens
    entities: dict[str, Counter] = field(default_factory=dict)  # split -> label -> in doc.ents
    spans: dict[str, Counter] = field(default_factory=dict)  # split -> label -> in doc.spans["sc"]
    claims: dict[str, Counter] = field(default_factory=dict)  # split -> label -> in doc.spans["claims"]
    cats: dict[str, Counter] = field(default_factory=dict)  # split -> doc label -> documents with it
    exclusive_cats: bool = True  # every document has exactly one document label
    longest_claim: int = 0  # in tokens, for the spancat suggester
    issues: list[AlignmentIssue] = field(default_factory=list)
    files: list[str] = field(default_factory=list)

    def merge(self, other: ShardResult) -> None:
        self.documents.update(other.documents)
        self.tokens.update(other.tokens)
        for name in ("entities", "spans", "claims", "cats"):
            mine, theirs = getattr(self, name), getattr(other, name)
            for split, counts in theirs.items():
                mine.setdefault(split, Counter()).update(counts)
        self.exclusive_cats = self.exclusive_cats and other.exclusive_cats
        self.longest_claim = max(self.longest_claim, other.longest_claim)
        self.issues.extend(other.issues)
        self.files.extend(other.files)


def build_doc(doc: ExportDocument, settings: DocBinSettings, result: ShardResult | None = None,
              split: str = "train", kinds: dict[str, str] | None = None) -> Any:
    """The ``Doc`` of one exported document; issues and counts go into ``result``.

    The tokenizer is called directly (in pieces, nlp.chunked: the same tokens, faster), not
    ``nlp(text)`` or ``make_doc``: no length limit applies to tokenizing alone, so a text over
    ``nlp.max_length`` exports like any other.
    """
    result = result if result is not None else ShardResult()
    kinds = kinds if kinds is not None else settings.kind_of()
    text = doc.text
    sdoc = tokenize(text, settings.language)
    mode = settings.alignment
    title = doc.document.title
    issues = result.issues
    all_spans, claim_spans, entity_candidates, left_out = [], [], [], []
    for span in doc.spans:
        aligned = sdoc.char_span(span.start, span.end, label=span.label, alignment_mode=mode)
        kind = kinds.get(span.label, "entity")
        if aligned is None or len(aligned) == 0:
            detail = ("its edges are not token edges; left out of doc.ents and doc.spans "
                      "(use --alignment contract or expand to adjust it)" if mode == "strict"
                      else f"no token lies inside it even with alignment '{mode}'; left out")
            issues.append(AlignmentIssue(doc.id, title, span.start, span.end, span.label, span.text, "misaligned",
                                         detail))
            if kind == "entity":
                left_out.append((span.start, span.end))
            continue
        if (aligned.start_char, aligned.end_char) != (span.start, span.end):
            issues.append(AlignmentIssue(doc.id, title, span.start, span.end, span.label, span.text, "adjusted",
                                         f"'{mode}' alignment moved it to {aligned.start_char}-{aligned.end_char} "
                                         f"{aligned.text!r}", aligned.start_char, aligned.end_char))
        all_spans.append(aligned)
        if kind == "claim":
            claim_spans.append(aligned)
            result.longest_claim = max(result.longest_claim, len(aligned))
        elif kind == "entity":
            # A token is white space through and through or holds none (spaCy splits on it),
            # so the characters at the edges tell, without making two Token objects a span.
            if text[aligned.start_char].isspace() or text[aligned.end_char - 1].isspace():
                issues.append(AlignmentIssue(doc.id, title, span.start, span.end, span.label, span.text,
                                             "white-space entity", "starts or ends with a white-space token, which "
                                             "NER cannot learn; left out of doc.ents, kept in doc.spans"))
                left_out.append((span.start, span.end))
            else:
                entity_candidates.append((aligned, span))
    ents = _without_overlaps(entity_candidates, doc, issues, left_out)
    _set_ents(sdoc, ents, left_out)
    sdoc.spans[ALL_SPANS_KEY] = all_spans
    sdoc.spans[CLAIMS_KEY] = claim_spans
    present = set(doc.doc_labels)
    sdoc.cats = {label: 1.0 if label in present else 0.0 for label in settings.doc_labels}
    if settings.doc_labels and len(present) != 1:
        result.exclusive_cats = False
    sdoc.user_data[USER_DATA_KEY] = user_data(doc)
    result.documents[split] += 1
    result.tokens[split] += len(sdoc)
    result.entities.setdefault(split, Counter()).update(e.label_ for e in ents)
    result.spans.setdefault(split, Counter()).update(s.label_ for s in all_spans)
    result.claims.setdefault(split, Counter()).update(s.label_ for s in claim_spans)
    result.cats.setdefault(split, Counter()).update(present)
    return sdoc


def _without_overlaps(candidates: list, doc: ExportDocument, issues: list, left_out: list) -> list:
    """Entity spans that share a token with another go to doc.spans only, all of them: which
    one is right is the annotator's call, not the exporter's."""
    candidates.sort(key=lambda pair: (pair[0].start, pair[0].end))
    keep = []
    group: list = []
    reach = -1
    for pair in [*candidates, None]:
        if pair is not None and group and pair[0].start < reach:
            group.append(pair)
            reach = max(reach, pair[0].end)
            continue
        if len(group) == 1:
            keep.append(group[0][0])
        elif group:
            for aligned, span in group:
                others = ", ".join(f"{o.start}-{o.end} {o.label}" for _, o in group if o is not span)
                issues.append(AlignmentIssue(doc.id, doc.document.title, span.start, span.end, span.label,
                                             span.text, "overlapping entity",
                                             f"shares tokens with {others}; left out of doc.ents, kept in doc.spans"))
                left_out.append((span.start, span.end))
        if pair is not None:
            group, reach = [pair], pair[0].end
    return keep


def _set_ents(sdoc: Any, ents: list, left_out: list[tuple[int, int]]) -> None:
    """Entities, with the tokens of left-out entity spans marked missing instead of O."""
    taken = {i for ent in ents for i in range(ent.start, ent.end)}
    unknown: set[int] = set()
    for start, end in left_out:
        covering = sdoc.char_span(start, end, alignment_mode="expand")
        if covering is not None:
            unknown.update(i for i in range(covering.start, covering.end) if i not in taken)
    missing = []
    for i in sorted(unknown):
        if missing and missing[-1][1] == i:
            missing[-1][1] = i + 1
        else:
            missing.append([i, i + 1])
    sdoc.set_ents(ents, missing=[sdoc[a:b] for a, b in missing], default="outside")


def user_data(doc: ExportDocument) -> dict[str, Any]:
    """The project's view of the document, kept beside the Doc (docs/formats.md, "spaCy")."""
    index = {span.id: span for span in doc.spans}
    exported_claims = {claim.id for claim in doc.claims}
    relations = []
    for relation in doc.relations:
        head, child = index[relation.head], index[relation.child]
        relations.append({"head": {"start": head.start, "end": head.end, "label": head.label},
                          "child": {"start": child.start, "end": child.end, "label": child.label},
                          "label": relation.label})
    document = doc.document
    meta: dict[str, Any] = {"meta": document.meta}
    if not _msgpack_fits(document.meta):  # a JSON integer beyond 64 bits: kept as JSON text
        meta = {"meta": None, "meta_json": json.dumps(document.meta, ensure_ascii=False)}
    return {
        "version": USER_DATA_VERSION,
        "id": document.id,
        "title": document.title,
        "source": document.source,
        "status": document.status,
        "content_hash": document.content_hash,
        **meta,
        "doc_labels": list(doc.doc_labels),
        "claims": [claim_extras(doc, claim) for claim in doc.claims if claim.id in exported_claims],
        "relations": relations,
    }


def _msgpack_fits(value: Any) -> bool:
    """Whether msgpack (DocBin's user_data) can hold a JSON value: only integers past 64 bits fail."""
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, int) and not isinstance(item, bool) and not -2**63 <= item < 2**64:
            return False
        if isinstance(item, dict):
            stack.extend(item.values())
        elif isinstance(item, (list, tuple)):
            stack.extend(item)
    return True


def write_shard(batch: list[tuple[str, ExportDocument]], settings: DocBinSettings, folder: str,
                number: int) -> ShardResult:
    """One batch -> ``folder/train/NNNNN.spacy`` and ``folder/dev/NNNNN.spacy`` (a split with
    no document in this batch gets no file). Runs in a worker process."""
    from .lean_docbin import LeanDocBin, one_packer

    result = ShardResult()
    kinds = settings.kind_of()
    bins = {split: LeanDocBin(attrs=DOCBIN_ATTRS, store_user_data=True) for split in SPLITS}
    with one_packer():
        for split, doc in batch:
            bins[split].add(build_doc(doc, settings, result, split, kinds))
        for split, docbin in bins.items():
            if len(docbin):
                path = Path(folder) / split / f"{number:05d}.spacy"
                path.parent.mkdir(parents=True, exist_ok=True)
                path.write_bytes(docbin.to_bytes())
                result.files.append(str(path))
    return result


def merge_shards(paths: list[Path], target: Path) -> int:
    """Several shards -> one DocBin file (``--single-file``); returns the number of documents."""
    from spacy.tokens import DocBin

    merged = DocBin(attrs=DOCBIN_ATTRS, store_user_data=True)
    for path in paths:
        merged.merge(DocBin(attrs=DOCBIN_ATTRS, store_user_data=True).from_disk(path))
    target.write_bytes(merged.to_bytes())
    return len(merged)


def warm_up(language: str) -> None:
    """Load spaCy and build the tokenizer in a fresh worker, before the first batch arrives;
    and let the worker leave without tearing its interpreter down.

    Why: the export waits for its workers to end, and a worker's interpreter takes 0.15-0.2 s
    to free spaCy's vocabulary and modules at exit, every byte of it about to be given back by
    the system anyway. A worker has nothing to flush when it ends: its results went through the
    pipe when each batch was done, and its shards were closed when written. ``os._exit``
    registered last runs first among the exit handlers (they run in reverse order).
    """
    tokenizer(language)
    atexit.register(os._exit, 0)
