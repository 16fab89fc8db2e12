"""The sample project a first start opens."""

from __future__ import annotations

import pytest

from annotator.core.resources import resource
from annotator.store import Project
from annotator.workflows import sample
from annotator.workflows.sample import ensure_sample_project

SAMPLES = resource("samples", "articles.jsonl")


@pytest.fixture(autouse=True)
def _need_samples():
    if not SAMPLES.exists():
        pytest.skip("resources/samples/articles.jsonl is not written yet")


def test_sample_project_created_with_articles(tmp_path):
    path = ensure_sample_project(tmp_path / "data" / "sample.annotator")
    assert path == tmp_path / "data" / "sample.annotator"
    lines = [line for line in SAMPLES.read_text(encoding="utf-8").splitlines() if line.strip()]
    with Project.open(path) as project:
        assert project.document_count() == len(lines)
        assert project.annotators() in ([], ["sample"])
        for summary in project.document_summaries(0, 100):
            assert project.stale_spans(summary.id) == []
    assert sorted(p.name for p in path.parent.iterdir()) == ["sample.annotator"]


def test_sample_project_existing_is_kept(tmp_path):
    path = ensure_sample_project(tmp_path / "sample.annotator")
    with Project.open(path) as project:
        project.set_setting("marker", "kept")
    assert ensure_sample_project(path) == path
    with Project.open(path) as project:
        assert project.setting("marker") == "kept"


def test_sample_project_failure_leaves_nothing(tmp_path, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("import failed")

    monkeypatch.setattr(sample, "import_paths", broken)
    path = tmp_path / "sample.annotator"
    with pytest.raises(RuntimeError):
        ensure_sample_project(path)
    assert list(tmp_path.iterdir()) == []


def test_sample_project_default_path_under_isolated_home(tmp_path):
    path = sample.default_sample_path()
    assert path.name == "sample.annotator"
    assert "annotator" in path.parts
