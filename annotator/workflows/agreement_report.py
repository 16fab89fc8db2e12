"""Agreement results as the JSON of docs/agreement.md, tidy tables (CSV for R and pandas),
LaTeX tables for a paper, and the readable text the CLI prints. No printing here.

Numbers are rounded to 4 places in JSON and CSV; undefined figures are null in JSON and
empty cells in CSV (R and pandas read both as missing).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..core.agreement import ClaimPair, EntityPair, LabelFigures, attribute_means
from .agreement import AgreementResult

PLACES = 4
Cell = str | int | float | None


def rounded(value: float | None) -> float | None:
    return None if value is None else round(value, PLACES)


@dataclass(frozen=True)
class Table:
    """A tidy table: one row per observation, one column per variable."""

    name: str
    header: tuple[str, ...]
    rows: tuple[tuple[Cell, ...], ...]


# --------------------------------------------------------------------------- JSON
def _labels_json(labels: Sequence[LabelFigures]) -> dict[str, Any]:
    return {f.label: {"exact_f1": rounded(f.exact_f1), "relaxed_f1": rounded(f.relaxed_f1), "a": f.a, "b": f.b,
                      "matched_exact": f.matched_exact, "matched_relaxed": f.matched_relaxed} for f in labels}


def _entity_pair_json(p: EntityPair) -> dict[str, Any]:
    return {"a": p.a, "b": p.b, "documents": p.documents, "exact_f1": rounded(p.exact_f1),
            "relaxed_f1": rounded(p.relaxed_f1), "kappa_tokens": rounded(p.kappa_tokens), "tokens": p.tokens,
            "counts": {"a": p.count_a, "b": p.count_b, "matched_exact": p.matched_exact,
                       "matched_relaxed": p.matched_relaxed},
            "labels": _labels_json(p.labels)}


def _claim_pair_json(p: ClaimPair) -> dict[str, Any]:
    return {"a": p.a, "b": p.b, "documents": p.documents, "exact_f1": rounded(p.exact_f1),
            "relaxed_f1": rounded(p.relaxed_f1), "matched": p.matched,
            "counts": {"a": p.count_a, "b": p.count_b, "matched_exact": p.matched_exact},
            "claimant_agreement": rounded(p.claimant_agreement), "cue_agreement": rounded(p.cue_agreement),
            "attributes": {f.name: {"agreement": rounded(f.agreement), "kappa": rounded(f.kappa), "n": f.n}
                           for f in p.attributes},
            "labels": _labels_json(p.labels)}


def as_json(result: AgreementResult) -> dict[str, Any]:
    """The shape of docs/agreement.md (issue 15), with a few more keys (counts, labels)."""
    f = result.figures
    claim_mean: dict[str, Any] = {k: rounded(v) for k, v in f.claim_mean.items()}
    claim_mean["attributes"] = {name: {k: rounded(v) for k, v in means.items()}
                                for name, means in attribute_means(f.claim_pairs).items()}
    claim_mean["pairs"] = len(f.claim_pairs)
    return {
        "annotators": list(f.annotators),
        "reference": result.reference,
        "documents": f.documents,
        "labels": {"entity": list(result.entity_labels), "claim": list(result.claim_labels)},
        "entities": {
            "alpha_tokens": rounded(result.alpha_tokens),
            "tokens": f.tokens,
            "pairs": [_entity_pair_json(p) for p in f.entity_pairs],
            "mean": {**{k: rounded(v) for k, v in f.entity_mean.items()}, "pairs": len(f.entity_pairs)},
        },
        "claims": {"pairs": [_claim_pair_json(p) for p in f.claim_pairs], "mean": claim_mean},
    }


# --------------------------------------------------------------------------- tables
def tables(result: AgreementResult) -> dict[str, Table]:
    """pairs, labels, claims, attributes (one row per pair, and per label or attribute) and
    summary (means over pairs and alpha, each with its n)."""
    f = result.figures
    pairs = Table("pairs", ("a", "b", "documents", "tokens", "spans_a", "spans_b", "matched_exact", "matched_relaxed",
                            "exact_f1", "relaxed_f1", "kappa_tokens"),
                  tuple((p.a, p.b, p.documents, p.tokens, p.count_a, p.count_b, p.matched_exact, p.matched_relaxed,
                         rounded(p.exact_f1), rounded(p.relaxed_f1), rounded(p.kappa_tokens)) for p in f.entity_pairs))
    labels = Table("labels", ("a", "b", "kind", "label", "spans_a", "spans_b", "matched_exact", "matched_relaxed",
                              "exact_f1", "relaxed_f1"),
                   tuple((p.a, p.b, kind, x.label, x.a, x.b, x.matched_exact, x.matched_relaxed, rounded(x.exact_f1),
                          rounded(x.relaxed_f1))
                         for kind, group in (("entity", f.entity_pairs), ("claim", f.claim_pairs))
                         for p in group for x in p.labels))
    claims = Table("claims", ("a", "b", "documents", "claims_a", "claims_b", "matched_exact", "matched", "exact_f1",
                              "relaxed_f1", "claimant_agreement", "cue_agreement"),
                   tuple((p.a, p.b, p.documents, p.count_a, p.count_b, p.matched_exact, p.matched, rounded(p.exact_f1),
                          rounded(p.relaxed_f1), rounded(p.claimant_agreement), rounded(p.cue_agreement))
                         for p in f.claim_pairs))
    attributes = Table("attributes", ("a", "b", "attribute", "n", "agreement", "kappa"),
                       tuple((p.a, p.b, x.name, x.n, rounded(x.agreement), rounded(x.kappa))
                             for p in f.claim_pairs for x in p.attributes))
    # A mean's n is the number of pairs it averages: pairs where the figure is undefined are
    # left out of the mean (docs/agreement.md), so counting every pair overstated n (a κ
    # "over 3 pairs" that averaged 2).
    summary_rows: list[tuple[Cell, ...]] = [("entity", "alpha_tokens", rounded(result.alpha_tokens), f.tokens, "tokens")]
    summary_rows += [("entity", f"mean_{k}", rounded(v), _defined(getattr(p, k) for p in f.entity_pairs), "pairs")
                     for k, v in f.entity_mean.items()]
    summary_rows += [("claim", f"mean_{k}", rounded(v), _defined(getattr(p, k) for p in f.claim_pairs), "pairs")
                     for k, v in f.claim_mean.items()]
    summary_rows += [("claim", f"mean_{k}_{name}", rounded(v),
                      _defined(getattr(a, k) for p in f.claim_pairs for a in p.attributes if a.name == name), "pairs")
                     for name, means in attribute_means(f.claim_pairs).items() for k, v in means.items()]
    summary = Table("summary", ("layer", "figure", "value", "n", "n_of"), tuple(summary_rows))
    return {t.name: t for t in (pairs, labels, claims, attributes, summary)}


def _defined(values: Iterable[float | None]) -> int:
    return sum(value is not None for value in values)


def to_csv(table: Table) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(table.header)
    writer.writerows(["" if cell is None else cell for cell in row] for row in table.rows)
    return out.getvalue()


def write_csv_folder(result: AgreementResult, folder: str | Path) -> list[Path]:
    """pairs.csv, labels.csv, claims.csv, attributes.csv and summary.csv in ``folder`` (made if
    missing; files of those names are replaced). Raises OSError when it cannot write."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for table in tables(result).values():
        path = folder / f"{table.name}.csv"
        path.write_text(to_csv(table), encoding="utf-8", newline="")
        written.append(path)
    return written


_LATEX_SPECIAL = {"&": r"\&", "%": r"\%", "$": r"\$", "#": r"\#", "_": r"\_", "{": r"\{", "}": r"\}",
                  "~": r"\textasciitilde{}", "^": r"\textasciicircum{}", "\\": r"\textbackslash{}"}


def latex_escape(text: str) -> str:
    return "".join(_LATEX_SPECIAL.get(ch, ch) for ch in text)


def to_latex(table: Table, *, digits: int = 3, caption: str | None = None) -> str:
    """A booktabs ``tabular`` (in a ``table`` float when ``caption`` is given); numbers right-aligned,
    undefined figures as an en dash."""
    def cell(value: Cell) -> str:
        if value is None:
            return "--"
        if isinstance(value, float):
            return f"{value:.{digits}f}"
        return latex_escape(str(value))

    numeric = [any(isinstance(row[i], (int, float)) for row in table.rows)
               and all(isinstance(row[i], (int, float)) or row[i] is None for row in table.rows)
               for i in range(len(table.header))]
    columns = "".join("r" if is_number else "l" for is_number in numeric)
    lines = [rf"\begin{{tabular}}{{{columns}}}", r"\toprule",
             " & ".join(latex_escape(h) for h in table.header) + r" \\", r"\midrule"]
    lines += [" & ".join(cell(v) for v in row) + r" \\" for row in table.rows]
    lines += [r"\bottomrule", r"\end{tabular}"]
    if caption is not None:
        lines = [r"\begin{table}", r"\centering", *lines, rf"\caption{{{latex_escape(caption)}}}", r"\end{table}"]
    return "\n".join(lines) + "\n"


# --------------------------------------------------------------------------- the dialog's matrix
def pair_matrix(result: AgreementResult, figure: str = "exact_f1", layer: str = "entity"
                ) -> tuple[tuple[str, ...], list[list[tuple[float | None, int] | None]]]:
    """(annotators, matrix): cell [i][j] is (figure, n) for the pair of annotators i and j (the
    same in [j][i]), None on the diagonal. n is the pair's documents for F1, κ and claim figures."""
    names = result.annotators
    index = {name: i for i, name in enumerate(names)}
    matrix: list[list[tuple[float | None, int] | None]] = [[None] * len(names) for _ in names]
    pairs = result.figures.entity_pairs if layer == "entity" else result.figures.claim_pairs
    for p in pairs:
        cell = (getattr(p, figure), p.documents)
        matrix[index[p.a]][index[p.b]] = matrix[index[p.b]][index[p.a]] = cell
    return names, matrix


# --------------------------------------------------------------------------- readable text
def _fixed(value: float | None) -> str:
    return "—" if value is None else f"{value:.3f}"


def _text_table(header: Sequence[str], rows: Sequence[Sequence[str]], names: int = 1) -> list[str]:
    """Columns padded to width; the first ``names`` columns left-aligned, the figures right-aligned."""
    widths = [max(len(str(r[i])) for r in [header, *rows]) for i in range(len(header))]

    def line(row: Sequence[str]) -> str:
        return "  ".join(str(c).ljust(w) if i < names else str(c).rjust(w)
                         for i, (c, w) in enumerate(zip(row, widths))).rstrip()
    return [line(header), "  ".join("-" * w for w in widths), *(line(r) for r in rows)]


def _mean_title(pairs: int) -> str:
    return f"mean ({pairs} pair{'s' if pairs != 1 else ''})"


def readable(result: AgreementResult) -> str:
    """The CLI's report: entities per pair and mean, per label, claims, attributes."""
    f = result.figures
    if result.reference:
        out = [f"Annotators: {', '.join(f.annotators[:-1])}, each against {result.reference}",
               f"Documents reviewed into {result.reference} that an annotator marked done: {f.documents:,}"]
    else:
        out = [f"Annotators: {', '.join(f.annotators)}",
               f"Documents that at least two of them marked done: {f.documents:,}"]
    if not f.documents:
        out.append("Nothing to compare: no document was marked done by two of these annotators.")
    if result.entity_labels:
        out += ["", f"Entities ({', '.join(result.entity_labels)})",
                f"Krippendorff's alpha (nominal, tokens): {_fixed(result.alpha_tokens)}  over {f.tokens:,} tokens"]
        rows = [[f"{p.a} / {p.b}", f"{p.documents:,}", f"{p.count_a:,}", f"{p.count_b:,}", _fixed(p.exact_f1),
                 _fixed(p.relaxed_f1), _fixed(p.kappa_tokens), f"{p.tokens:,}"] for p in f.entity_pairs]
        rows.append([_mean_title(len(f.entity_pairs)), "", "", "", _fixed(f.entity_mean["exact_f1"]),
                     _fixed(f.entity_mean["relaxed_f1"]), _fixed(f.entity_mean["kappa_tokens"]), ""])
        out += _text_table(["pair", "docs", "spans a", "spans b", "exact F1", "relaxed F1", "token κ", "tokens"], rows)
        out += ["", "Per label"]
        out += _text_table(["label", "pair", "spans a", "spans b", "exact F1", "relaxed F1"],
                           [[x.label, f"{p.a} / {p.b}", f"{x.a:,}", f"{x.b:,}", _fixed(x.exact_f1),
                             _fixed(x.relaxed_f1)] for i in range(len(result.entity_labels))
                            for p in f.entity_pairs for x in [p.labels[i]]], names=2)
    if result.claim_labels:
        out += ["", f"Claims ({', '.join(result.claim_labels)})"]
        rows = [[f"{p.a} / {p.b}", f"{p.documents:,}", f"{p.count_a:,}", f"{p.count_b:,}", _fixed(p.exact_f1),
                 _fixed(p.relaxed_f1), f"{p.matched:,}", _fixed(p.claimant_agreement), _fixed(p.cue_agreement)]
                for p in f.claim_pairs]
        m = f.claim_mean
        rows.append([_mean_title(len(f.claim_pairs)), "", "", "", _fixed(m["exact_f1"]), _fixed(m["relaxed_f1"]),
                     "", _fixed(m["claimant_agreement"]), _fixed(m["cue_agreement"])])
        out += _text_table(["pair", "docs", "claims a", "claims b", "exact F1", "relaxed F1", "matched", "claimant",
                            "cue"], rows)
        if result.attributes:
            out += ["", "Claim attributes (over matched claims where both gave a value)"]
            out += _text_table(["attribute", "pair", "n", "agreement", "κ"],
                               [[x.name, f"{p.a} / {p.b}", f"{x.n:,}", _fixed(x.agreement), _fixed(x.kappa)]
                                for i in range(len(result.attributes)) for p in f.claim_pairs for x in [p.attributes[i]]],
                               names=2)
    out += ["", "— : undefined (nothing to compare). Definitions: docs/agreement.md"]
    return "\n".join(out) + "\n"
