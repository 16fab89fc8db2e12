"""The dashboard's agreement charts (issue 15's figures, cached per project change) and the
HTML report (escaped, self-contained)."""

from __future__ import annotations

import base64
import re

import pytest
from dashboard_projects import build

from annotator.core.dashboard import HEATMAP, Chart, DashboardFilter, Series
from annotator.store import Project
from annotator.workflows.agreement import AgreementOptions, compute_agreement
from annotator.workflows.dashboard_agreement import (
    AgreementCache, agreement_charts, agreement_key, dashboard_agreement,
)
from annotator.workflows.report_html import report_html


@pytest.fixture
def team(tmp_path):
    path = tmp_path / "team.annotator"
    ids = build(path)
    with Project.open(path) as opened:
        yield opened, ids


def test_dashboard_agreement_matrix_and_labels_are_issue_15s_figures(team):
    project, _ = team
    result = dashboard_agreement(project, DashboardFilter())
    expected = compute_agreement(project, AgreementOptions())
    matrix, by_label = agreement_charts(result)
    assert matrix.kind == HEATMAP and matrix.categories == ("alice", "bob", "carol")
    cells = {(a, b): v for a, s in zip(matrix.categories, matrix.series) for b, v in zip(matrix.categories, s.values)}
    pairs = {(p.a, p.b): p for p in expected.figures.entity_pairs}
    assert cells[("alice", "bob")] == cells[("bob", "alice")] == pytest.approx(pairs[("alice", "bob")].exact_f1)
    assert cells[("alice", "alice")] is None
    assert matrix.extra["documents"][0][1] == pairs[("alice", "bob")].documents == 3
    person = by_label.categories.index("PERSON")
    exact = by_label.series[0].values[person]
    assert exact == pytest.approx(sum(next(x.exact_f1 for x in p.labels if x.label == "PERSON")
                                      for p in expected.figures.entity_pairs) / 3)


def test_dashboard_agreement_says_why_there_is_nothing_to_compare(team):
    project, _ = team
    reason = dashboard_agreement(project, DashboardFilter(annotators=("alice",)))
    assert isinstance(reason, str) and "at least two annotators" in reason
    assert agreement_charts(reason)[0].note == reason
    assert "no entity or claim label" in dashboard_agreement(project, DashboardFilter(labels=("CUE",)))


def test_dashboard_agreement_cache_holds_until_the_project_changes(team):
    project, ids = team
    cache = AgreementCache()
    key = agreement_key(project, DashboardFilter())
    cache.put(key, "figures")
    assert cache.get(agreement_key(project, DashboardFilter())) == "figures"
    assert cache.get(agreement_key(project, DashboardFilter(annotators=("alice", "bob")))) is None
    project.add_span(ids[2], 0, 6, "PERSON", annotator="alice")
    assert cache.get(agreement_key(project, DashboardFilter())) is None
    with Project.open(project.path) as other:  # another program's write counts too
        cache.put(agreement_key(project, DashboardFilter()), "again")
        other.add_span(ids[2], 11, 17, "ORG", annotator="bob")
    assert cache.get(agreement_key(project, DashboardFilter())) is None


def test_dashboard_report_page_escapes_names_and_inlines_pictures():
    chart = Chart("labels", "Spans <per> label", "grouped", ("<script>alert(1)</script>",),
                  (Series("bob & co", (3.0,)),), ("label", "bob & co"), (("<script>alert(1)</script>", 3),),
                  note="Rarest: <b>")
    page = report_html("my <project>", [chart], {"labels": b"\x89PNG\r\n\x1a\nfake"},
                       DashboardFilter(annotators=("bob & co",)))
    assert "<script>" not in page and "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "my &lt;project&gt;: dashboard" in page and "annotators: bob &amp; co" in page
    [data] = re.findall(r'src="data:image/png;base64,([^"]+)"', page)
    assert base64.b64decode(data).startswith(b"\x89PNG")
    assert '<td class="n">3</td>' in page
