"""The export's counts and its human summary (printed by the command line, shown by the window)."""

from __future__ import annotations

from collections import Counter
from typing import Any

from ..core.export import ExportDocument


def count_documents(batch: list[ExportDocument], kinds: dict[str, str], counts: Counter,
                    labels: dict[str, Counter]) -> None:
    """Spans per kind and label, claims, document labels and relations of one batch.

    One Counter over the whole batch (counted in C), then folded in: counting span by span
    took a tenth of a big export's main-process time.
    """
    pairs = Counter([span.label for doc in batch for span in doc.spans])
    for label, n in pairs.items():
        labels.setdefault(kinds.get(label, "entity"), Counter())[label] += n
    claims = [claim for doc in batch for claim in doc.claims]
    counts["documents"] += len(batch)
    counts["claims"] += len(claims)
    counts["claims with a claimant"] += sum(1 for c in claims if c.claimant or c.claimant_text)
    counts["claims with a cue"] += sum(1 for c in claims if c.cue)
    labels.setdefault("doc_labels", Counter()).update([name for doc in batch for name in doc.doc_labels])
    labels.setdefault("relations", Counter()).update([r.label for doc in batch for r in doc.relations])


def label_summary(counts: Counter, labels: dict[str, Counter]) -> dict[str, Any]:
    return {"counts": dict(counts), **{kind: dict(sorted(c.items())) for kind, c in sorted(labels.items()) if c}}


def writer_text(result: Any) -> str:
    summary = result.summary
    lines = [f"exported {result.documents} documents as {result.format} to {result.output}{_layer(summary)}"]
    for kind in ("entity", "claim", "role", "doc_labels", "relations"):
        counts = summary.get(kind)
        if counts:
            lines.append(f"  {kind}: " + ", ".join(f"{label} {n}" for label, n in counts.items()))
    claims = summary.get("counts", {})
    if claims.get("claims"):
        lines.append(f"  claims: {claims['claims']} ({claims.get('claims with a claimant', 0)} with a claimant, "
                     f"{claims.get('claims with a cue', 0)} with a cue)")
    notes = len(result.notes) + result.notes_not_shown
    if notes:
        lines.append(f"  NOTE: {notes} thing(s) this format could not hold as they are (listed above)")
    return "\n".join(lines)


def _layer(summary: dict[str, Any]) -> str:
    """Which layer went out, for the first line of a summary."""
    layer = summary.get("selection", {}).get("layer")
    if not layer:
        return ""
    if layer == "gold":
        return "; layer: gold (the reviewed gold layer: documents marked reviewed)"
    return f"; layer: {layer}"


def spacy_text(summary: dict[str, Any]) -> str:
    """Counts per label and split, then anything left out, loudly."""
    splits = ("train", "dev")
    docs = summary["documents"]
    lines = [f"spaCy export to {summary['output']}: {docs.get('train', 0)} train / {docs.get('dev', 0)} dev "
             f"documents ({summary['tokens'].get('train', 0)} / {summary['tokens'].get('dev', 0)} tokens)"
             f"{_layer(summary)}"]
    for title, key in (("doc.ents", "entities"), ("doc.spans['claims']", "claims"), ("doc.spans['sc']", "spans"),
                       ("doc.cats (documents with the label)", "cats")):
        table = summary[key]
        names = sorted({name for split in splits for name in table.get(split, {})})
        if not names:
            continue
        width = max([len(n) for n in names] + [5])
        lines.append(f"{title}:")
        lines.append(f"  {'label':<{width}}  {'train':>8}  {'dev':>8}")
        for name in names:
            lines.append(f"  {name:<{width}}  {table.get('train', {}).get(name, 0):>8}  "
                         f"{table.get('dev', {}).get(name, 0):>8}")
    alignment = summary["alignment"]
    left_out = alignment["misaligned"] + alignment["overlapping entity"] + alignment["white-space entity"]
    if alignment["misaligned"]:
        lines.append(f"WARNING: {alignment['misaligned']} span(s) do not align to spaCy tokens (alignment "
                     f"'{alignment['mode']}') and were LEFT OUT of doc.ents and doc.spans: see {alignment['report']}")
    if alignment["overlapping entity"] or alignment["white-space entity"]:
        lines.append(f"WARNING: {alignment['overlapping entity']} overlapping and {alignment['white-space entity']} "
                     "white-space entity span(s) are in doc.spans['sc'] but not in doc.ents: "
                     f"see {alignment['report']}")
    if alignment["adjusted"]:
        lines.append(f"NOTE: {alignment['adjusted']} span(s) were moved to token edges by '{alignment['mode']}' "
                     f"alignment, as asked: see {alignment['report']}")
    if left_out and alignment["mode"] == "strict":
        lines.append("      (tokens of entity spans left out are marked missing for NER, never 'O')")
    if summary.get("config"):
        lines.append(f"components: {', '.join(summary['components'])}; config: {summary['config']}")
        lines.append(f"train with: {summary['command']}")
    else:
        lines.append(f"no config.cfg: {summary.get('config_note', 'nothing to train')}")
    for note in summary.get("notes", []):
        lines.append(f"NOTE: {note}")
    return "\n".join(lines)
