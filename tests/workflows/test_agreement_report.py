"""Agreement tables: CSV cells, LaTeX escaping, the dialog's pair matrix."""

from __future__ import annotations

import pytest
from agreement_projects import build

from annotator.store import Project
from annotator.workflows.agreement import compute_agreement
from annotator.workflows.agreement_report import Table, latex_escape, pair_matrix, tables, to_csv, to_latex


@pytest.fixture(scope="module")
def result(tmp_path_factory):
    path = tmp_path_factory.mktemp("report") / "team.annotator"
    build(path)
    with Project.open(path) as opened:
        return compute_agreement(opened)


def test_agreement_report_csv_leaves_undefined_cells_empty():
    table = Table("t", ("a", "value"), (("x,y", None), ("z", 0.5)))
    assert to_csv(table) == 'a,value\n"x,y",\nz,0.5\n'


def test_agreement_report_latex_escapes_and_formats():
    assert latex_escape("R&D 50% #1 a_b {x} ~^\\") == (
        r"R\&D 50\% \#1 a\_b \{x\} \textasciitilde{}\textasciicircum{}\textbackslash{}")
    latex = to_latex(Table("t", ("pair", "F1"), (("a & b", 0.66666), ("c", None))), digits=2, caption="Agreement")
    assert r"\begin{tabular}{lr}" in latex
    assert r"a \& b & 0.67 \\" in latex and r"c & -- \\" in latex
    assert latex.startswith(r"\begin{table}") and r"\caption{Agreement}" in latex
    # a column with no number at all (every cell empty) is text, left-aligned
    assert r"\begin{tabular}{ll}" in to_latex(Table("t", ("a", "b"), (("x", None),)))


def test_agreement_report_tables_have_one_row_per_pair(result):
    found = tables(result)
    assert set(found) == {"pairs", "labels", "claims", "attributes", "summary"}
    assert len(found["pairs"].rows) == 3
    assert len(found["labels"].rows) == 3 * (len(result.entity_labels) + len(result.claim_labels))
    alpha = next(row for row in found["summary"].rows if row[1] == "alpha_tokens")
    assert alpha[2] == round(result.alpha_tokens, 4) and alpha[3:] == (33, "tokens")


def test_agreement_report_pair_matrix_is_symmetric(result):
    names, matrix = pair_matrix(result, "exact_f1")
    assert names == ("alice", "bob", "carol")
    assert matrix[0][0] is None
    assert matrix[0][1] == matrix[1][0] == (pytest.approx(2 / 3), 3)
    _, claims = pair_matrix(result, "relaxed_f1", layer="claim")
    assert claims[0][1][0] == 1.0
