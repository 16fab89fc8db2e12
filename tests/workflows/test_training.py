"""Training on a small annotated project in a subprocess, then suggesting and ranking with the model."""

from __future__ import annotations

import pytest
from suggest_helpers import add_documents, span_rows, tiny_corpus, tiny_project

from annotator.nlp.suggest import SourceSpec
from annotator.store import Project
from annotator.workflows.suggesting import suggest_project
from annotator.workflows.training import (
    TrainCancelled,
    TrainError,
    TrainSettings,
    models_folder,
    per_label_table,
    train_project,
)


@pytest.fixture(scope="module")
def trained(tmp_path_factory):
    """One small project and one model trained on it (a few seconds), shared by the tests here."""
    path = tmp_path_factory.mktemp("train") / "tiny.annotator"
    project = Project.create(path)
    tiny_project(project, 30)
    states = []
    result = train_project(project, TrainSettings(components=("ner", "spancat"), epochs=4, patience=0),
                           name="tiny", progress=states.append)
    project.close()
    return path, result, states


def test_training_records_the_model_with_per_label_scores(trained):
    path, result, states = trained
    with Project.open(path) as project:
        [model] = project.models()
    assert model.name == "tiny" and model.components == ("ner", "spancat")
    assert model.path == str(models_folder_of(path) / "tiny" / "output" / "model-best")
    assert model.documents == 30 and sum(result.documents.values()) == 30
    labels = {(component, label) for component, label, *_ in model.per_label()}
    assert {("ner", "PERSON"), ("ner", "GPE"), ("spancat", "CLAIM")} <= labels
    assert model.scores["per_label"]["ner"]["PERSON"]["f"] > 0.5  # the names repeat: easy to learn
    assert "PERSON" in per_label_table(model)
    # A row per epoch (0 = after the first batch), shown live: the progress grew one row at a time.
    assert [row.epoch for row in result.epochs] == [0, 1, 2, 3, 4]
    assert [len(s.epochs) for s in states if s.stage == "train"] == sorted(len(s.epochs) for s in states
                                                                           if s.stage == "train")
    folder = models_folder_of(path) / "tiny"
    assert {p.name for p in folder.iterdir()} >= {"data", "config.cfg", "output", "train.log", "command.txt",
                                                  "annotator_logger.py"}


def models_folder_of(path):
    return path.with_name(f"{path.stem}.models")


def test_training_model_suggests_and_ranks_documents(trained, tmp_path):
    path, result, _states = trained
    with Project.open(path) as project:
        new = add_documents(project, ["Li Wei visited Quito on Friday.", "Sara Okafor left Oslo on Monday.",
                                      "Nobody went anywhere."])
        run = suggest_project(project, SourceSpec("model", "tiny"), "todo", with_scores=True)
        assert run.counts.documents == 3 and run.scored == 3
        rows = span_rows(project, new[0])
        assert ("PERSON", "Li Wei", "model:tiny", "suggested") in [(r[3], r[4], r[5], r[6]) for r in rows]
        model = project.model("tiny")
        assert project.scored_document_count(model.id) == 3
        assert all(0.0 <= project.document_score(i, model.id) <= 1.0 for i in new)
        assert project.next_uncertain_document(model.id) in new
        # Gold is untouched: the done documents keep exactly their accepted spans.
        assert all(r[6] == "accepted" for i in range(1, 31) for r in span_rows(project, i))


def test_training_cancel_leaves_nothing_behind(tmp_path):
    project = Project.create(tmp_path / "c.annotator")
    tiny_project(project, 12)
    states = []
    with pytest.raises(TrainCancelled):
        train_project(project, TrainSettings(epochs=50, patience=0), name="never", progress=states.append,
                      cancelled=lambda: any(s.epochs for s in states))
    assert project.models() == []
    assert not (models_folder(project) / "never").exists()
    assert project.integrity_check() == ["ok"]
    project.close()


def test_training_refuses_too_little_data(tmp_path):
    project = Project.create(tmp_path / "few.annotator")
    corpus = tiny_corpus(3)[1:]  # the first one has a claim
    add_documents(project, [t for t, _ in corpus], statuses=["done", "todo"], spans=[s for _, s in corpus])
    with pytest.raises(TrainError, match="at least 2 done documents"):
        train_project(project, TrainSettings())
    add_documents(project, ["Plain text without any tags."], statuses=["done"])
    with pytest.raises(TrainError, match="no accepted claims to train spancat on"):
        train_project(project, TrainSettings(components=("spancat",)))
    assert project.models() == [] and not any(models_folder(project).glob("*"))
    project.close()


@pytest.mark.slow
def test_training_from_a_base_pipeline(trained, tmp_path):
    path, result, _states = trained
    with Project.open(path) as project:
        again = train_project(project, TrainSettings(components=("ner",), epochs=1, base=result.model.path),
                              name="tuned")
        assert again.model.base == result.model.path
        assert again.model.scores["per_label"]["ner"]["PERSON"]["f"] > 0.5  # starts from what it knew
