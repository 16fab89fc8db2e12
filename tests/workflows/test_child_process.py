"""Long work in a spawned child: a function (never our command line), its reports and result
followed, its errors coming back typed."""

from __future__ import annotations

import pytest
from suggest_helpers import add_documents, span_rows

from annotator.core.problems import InputError, Problem
from annotator.nlp.suggest import SourceSpec, SuggestError
from annotator.workflows.child_process import ChildFailed, ChildFunction
from annotator.workflows.suggesting import suggest_in_child


def count_to(n: int, *, report, cancelled) -> int:
    done = 0
    for i in range(n):
        if cancelled():
            break
        report(i)
        done += 1
    return done


def refuse(*, report, cancelled) -> None:
    raise InputError([Problem("bad.jsonl", 2, "pattern[0].LOWR", "unknown attribute")])


def test_child_process_result_and_reports_come_back():
    seen: list[int] = []
    assert ChildFunction(count_to, 5).follow(lambda: False, seen.append) == 5
    assert seen == [0, 1, 2, 3, 4]


def test_child_process_errors_come_back_with_their_kind_and_problems():
    with pytest.raises(ChildFailed) as failed:
        ChildFunction(refuse).follow(lambda: False)
    assert failed.value.kind == "InputError"
    assert [str(p) for p in failed.value.problems] == ["bad.jsonl:2: pattern[0].LOWR: unknown attribute"]


def test_child_process_suggest_in_child_runs_the_workflow_and_types_its_errors(project, tmp_path):
    ids = add_documents(project)
    good = tmp_path / "places.jsonl"
    good.write_text('{"label": "GPE", "pattern": "Oslo"}\n', encoding="utf-8")
    reports: list[tuple[int, int, int]] = []
    run = suggest_in_child(project.path, SourceSpec("patterns", str(good)), "all", score=False,
                           progress=lambda *value: reports.append(value))
    assert run.counts.added == 2 and not run.cancelled and reports[-1][:2] == (4, 4)
    assert {r[5] for r in span_rows(project)} == {"pattern:places.jsonl"} and span_rows(project, ids[0])
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"label": "GPE", "pattern": [{"LOWR": "x"}]}\n', encoding="utf-8")
    with pytest.raises(InputError, match=r"bad.jsonl:1: pattern\[0\].LOWR"):
        suggest_in_child(project.path, SourceSpec("patterns", str(bad)), "all", score=False)
    with pytest.raises(SuggestError):
        suggest_in_child(project.path, SourceSpec("model", str(tmp_path / "no-such-model")), "all", score=False)


def test_child_process_the_cli_has_no_hidden_flags_for_the_window():
    from annotator.cli import main

    suggest = main.commands["suggest"]
    assert {p.name for p in suggest.params} >= {"model", "patterns", "claims"}
    assert not {"progress_json", "name"} & {p.name for p in suggest.params}
