"""The dashboard's charts as data, on a real project file with hand-counted figures."""

from __future__ import annotations

import datetime as dt

import pytest
from dashboard_projects import CANONICAL, SPANS, TODAY, build, clock

from annotator.core.changes import Change
from annotator.core.dashboard import DashboardFilter
from annotator.store import Project
from annotator.workflows.dashboard import (
    AGREEMENT, CLAIMS, LABELS, PROGRESS, DashboardError, check_filter, dashboard_charts, parts_for,
)


@pytest.fixture
def team(tmp_path):
    path = tmp_path / "team.annotator"
    ids = build(path)
    with Project.open(path) as opened:
        yield opened, ids


def charts(project, **filters):
    return {c.key: c for c in dashboard_charts(project, DashboardFilter(**filters), today=TODAY)}


def values(chart) -> dict[str, dict[str, float | None]]:
    return {s.name: dict(zip(chart.categories, s.values)) for s in chart.series}


def test_dashboard_progress_counts_each_annotators_done_days(team):
    project, _ = team
    progress = charts(project)["progress"]
    assert progress.categories == ("2026-03-02", "2026-03-03", "2026-03-04")
    assert values(progress) == {
        "alice": {"2026-03-02": 2, "2026-03-03": 0, "2026-03-04": 1},
        "bob": {"2026-03-02": 0, "2026-03-03": 1, "2026-03-04": 2},
        "carol": {"2026-03-02": 0, "2026-03-03": 0, "2026-03-04": 1},
    }
    assert progress.rows[0] == ("2026-03-02", 2, 0, 0)
    assert progress.csv().splitlines()[:2] == ["day,alice,bob,carol", "2026-03-02,2,0,0"]


def test_dashboard_cumulative_counts_a_document_once_when_first_done_and_projects_the_finish(team):
    project, _ = team
    cumulative = charts(project)["cumulative"]
    finished = values(cumulative)["finished"]
    # Documents 0 and 1 on the 2nd (alice), 2 on the 4th; the two others are still to do.
    assert (finished["2026-03-02"], finished["2026-03-03"], finished["2026-03-04"], finished["2026-03-10"]) == (2, 2, 3, 3)
    assert set(values(cumulative)["project size"].values()) == {5}
    # 3 in the last 14 days: 3/14 a day, 2 left: ceil(2 / (3/14)) = 10 days from the 10th.
    assert "finished around 2026-03-20" in cumulative.note
    projected = values(cumulative)["projected at the current pace"]
    assert projected["2026-03-10"] == 3 and projected["2026-03-20"] == 5 and projected["2026-03-09"] is None


def test_dashboard_cumulative_with_an_assignment_waits_for_everyone_assigned(team):
    project, ids = team
    project.assign({"alice": ids[:3], "bob": ids[:3], "carol": ids[:1]})
    cumulative = charts(project)["cumulative"]
    finished = values(cumulative)["finished"]
    # Each of the three is finished only on the 4th, when its last assignee marked it done.
    assert cumulative.categories[0] == "2026-03-04" and finished["2026-03-04"] == 3
    assert "3 of 3 documents finished (100%): all done, the last on 2026-03-04" in cumulative.note


def test_dashboard_projection_needs_recent_work(team):
    project, _ = team
    cumulative = {c.key: c for c in dashboard_charts(project, today=dt.date(2026, 5, 1))}["cumulative"]
    assert "none in the last 14 days, so no finish date" in cumulative.note
    assert [s.name for s in cumulative.series] == ["finished", "project size"]


def test_dashboard_a_status_set_again_keeps_the_day_it_was_done(team):
    project, ids = team
    clock(project, "2026-03-09")
    project.set_status(ids[0], "done", annotator="alice")  # again: still done on the 2nd
    assert values(charts(project)["progress"])["alice"]["2026-03-02"] == 2
    project.set_status(ids[0], "todo", annotator="alice")
    project.set_status(ids[0], "done", annotator="alice")  # done again: now on the 9th
    progress = values(charts(project)["progress"])["alice"]
    assert (progress["2026-03-02"], progress["2026-03-09"]) == (1, 1)


def test_dashboard_spans_per_label_and_annotator(team):
    project, _ = team
    labels = charts(project)["labels"]
    assert values(labels) == {who: {label: float(counts.get(label, 0)) for label in labels.categories}
                              for who, counts in SPANS.items()}
    assert labels.categories[:2] == ("PERSON", "ORG")  # most used first
    assert "Never used:" in labels.note and "NORP" in labels.note and "NORP" not in labels.categories


@pytest.mark.parametrize(("filters", "expected"), [
    ({"annotators": ("carol",)}, {"carol": {"PERSON": 2, "GPE": 1}}),
    ({"labels": ("GPE", "LOC")}, {"alice": {"GPE": 1}, "bob": {"GPE": 1, "LOC": 1}, "carol": {"GPE": 1}}),
    # carol marked only document 0 done: her Pedro (document 1) is left out
    ({"annotators": ("carol",), "statuses": ("done",)}, {"carol": {"PERSON": 1, "GPE": 1}}),
    ({"annotators": ("carol",), "statuses": ("todo",)}, {"carol": {"PERSON": 1}}),
    ({"since": "2030-01-01"}, {}),
])
def test_dashboard_label_filters(team, filters, expected):
    project, _ = team
    got = {who: {k: v for k, v in counts.items() if v} for who, counts in values(charts(project, **filters)["labels"]).items()}
    assert got == expected


def test_dashboard_claims_per_attribute_value_and_claimants_by_stance(team):
    project, _ = team
    shown = charts(project)
    stance = values(shown["attribute-stance"])["claims"]
    assert stance == {"asserts": 1, "denies": 0, "hedges": 1, "questions": 0, "(no value)": 0}
    quote = values(shown["attribute-quote_type"])["claims"]
    assert quote["(no value)"] == 2
    claimants = shown["claimants"]
    assert claimants.categories == (CANONICAL,)
    assert values(claimants) == {"asserts": {CANONICAL: 1}, "hedges": {CANONICAL: 1}}
    assert claimants.rows == ((CANONICAL, 1, 1, 2),)
    only_bob = charts(project, annotators=("bob",))
    assert values(only_bob["attribute-stance"])["claims"]["asserts"] == 0
    assert values(only_bob["claimants"]) == {"hedges": {CANONICAL: 1}}


def test_dashboard_claims_leave_out_undecided_suggestions(team):
    project, ids = team
    from annotator.store.claims import ClaimantLink

    made = project.add_claim(ids[1], 0, 11, "CLAIM", annotator="alice", values={"stance": "denies"})
    project.set_claimant(made.id, ClaimantLink(text="a spokesperson"))
    assert values(charts(project)["attribute-stance"])["claims"]["denies"] == 1
    project.set_span_state(made.content.id, "rejected")
    shown = charts(project)
    assert values(shown["attribute-stance"])["claims"]["denies"] == 0
    assert "a spokesperson" not in shown["claimants"].categories


def test_dashboard_models_per_label_over_time_skip_what_is_not_a_number(team):
    project, _ = team
    models = charts(project)["models"]
    assert models.extra["points"] == ("round-1", "round-2")
    assert values(models) == {"PERSON": {"2026-03-01T10:00:00.000000Z": 50.0, "2026-03-08T10:00:00.000000Z": 75.0},
                              "ORG": {"2026-03-01T10:00:00.000000Z": 25.0, "2026-03-08T10:00:00.000000Z": 50.0}}
    assert values(charts(project, labels=("ORG",))["models"]).keys() == {"ORG"}
    assert charts(project, until="2026-03-05")["models"].extra["points"] == ("round-1",)


@pytest.mark.parametrize(("filters", "message"), [
    ({"annotators": ("dave",)}, "no annotator named 'dave'"),
    ({"labels": ("PLACE",)}, "there is no label 'PLACE'"),
    ({"statuses": ("finished",)}, "status 'finished' must be one of todo, done, skipped"),
    ({"since": "03/02/2026"}, "since: '03/02/2026' is not a date"),
    ({"since": "2026-03-05", "until": "2026-03-01"}, "ends (2026-03-01) before it starts"),
])
def test_dashboard_bad_filters_are_refused_with_a_message(team, filters, message):
    project, _ = team
    with pytest.raises(DashboardError, match=message.replace("(", r"\(").replace(")", r"\)")):
        check_filter(project, DashboardFilter(**filters))


def test_dashboard_parts_follow_what_an_edit_changed():
    assert parts_for(Change.DOCUMENT_STATUS) == {PROGRESS, AGREEMENT}
    assert parts_for(Change.DOCUMENT_STATUS, DashboardFilter(statuses=("done",))) >= {LABELS, CLAIMS}
    assert parts_for(Change.SPANS) == {LABELS, CLAIMS, AGREEMENT}
    assert PROGRESS not in parts_for(Change.CLAIMS)


def test_dashboard_an_empty_project_says_what_is_missing(project):
    shown = {c.key: c for c in dashboard_charts(project, today=TODAY)}
    assert shown["progress"].empty and "No document has been marked done yet" in shown["progress"].note
    assert "No document finished yet" in shown["cumulative"].note
    assert "No model trained" in shown["models"].note
    assert shown["claimants"].note.startswith("No claim names a claimant")


def test_dashboard_a_project_without_annotators_counts_the_projects_own_status(project):
    """A researcher alone (no annotator keeps a status of their own): the documents' status is
    the only one, and the cumulative chart reads it (its query once named no column ``day``)."""
    from annotator.core.records import DocumentRecord
    from annotator.store.import_writer import ImportWriter, PreparedDocument

    with project.transaction():
        ids = ImportWriter(project, None).write([PreparedDocument(DocumentRecord(t, i)) for i, t in
                                                 enumerate(("First text.", "Second text.", "Third text."))])
    for doc, day in ((ids[0], "2026-03-02"), (ids[1], "2026-03-04")):
        clock(project, day)
        project.set_status(doc, "done")
    shown = {c.key: c for c in dashboard_charts(project, today=TODAY)}
    finished = values(shown["cumulative"])["finished"]
    assert (finished["2026-03-02"], finished["2026-03-03"], finished["2026-03-04"]) == (1, 1, 2)
    assert shown["cumulative"].note.startswith("2 of 3 documents finished (67%)")
    assert [sum(s.values) for s in shown["progress"].series] == [2]
