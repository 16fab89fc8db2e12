"""Training in a project with several annotators' layers takes one layer (the Train dialog's
choice, docs/teams.md "Export"): its documents done and its spans only, never a mix."""

from __future__ import annotations

import pytest
import spacy
from spacy.tokens import DocBin

from annotator.core.records import DocumentRecord
from annotator.store import Project
from annotator.store.import_writer import ImportWriter, PreparedDocument
from annotator.workflows.merging import merge_projects
from annotator.workflows.splitting import SplitOptions, split_project
from annotator.workflows.training import TrainError, TrainProgress, TrainSettings, _prepare, train_project

TEXTS = ["Ana Silva flew to Lisbon.", "Bruno Costa lives in Porto.", "Carla Reis met Dina in Faro.",
         "Eva Lima left Braga."]
CITIES = ("Lisbon", "Porto", "Faro", "Braga")


@pytest.fixture
def project(tmp_path):
    """alice tags the cities GPE and marks all done; bob tags them LOC and marks the first two done."""
    path = tmp_path / "study.annotator"
    with Project.create(path) as lead:
        with lead.transaction():
            ImportWriter(lead, None).write([PreparedDocument(DocumentRecord(text=t, line=i + 1, title=f"d{i}"))
                                            for i, t in enumerate(TEXTS)])
        split_project(lead, tmp_path / "team", SplitOptions(("alice", "bob"), overlap=1.0))
    for name, label, done in (("alice", "GPE", 4), ("bob", "LOC", 2)):
        with Project.open(tmp_path / "team" / f"{name}.annotator") as copy:
            summaries = copy.document_summaries(0, 10)
            for summary, city in zip(summaries, CITIES):
                text = copy.document(summary.id).text
                copy.add_span(summary.id, text.index(city), text.index(city) + len(city), label, annotator=name)
            copy.set_statuses([s.id for s in summaries[:done]], "done")
    opened = Project.open(path)
    merge_projects(opened, [tmp_path / "team" / "alice.annotator", tmp_path / "team" / "bob.annotator"])
    yield opened
    opened.close()


def test_training_layers_refuses_a_mix_naming_the_layers(project):
    project.set_statuses([s.id for s in project.document_summaries(0, 10)], "done")  # the lead's own
    with pytest.raises(TrainError, match="2 annotators' layers: alice .*bob"):
        train_project(project, TrainSettings(epochs=1))
    assert project.models() == []


def test_training_layers_exports_only_the_chosen_layer(project, tmp_path):
    for name, label, done in (("alice", "GPE", 4), ("bob", "LOC", 2)):
        folder = tmp_path / f"train-{name}"
        documents, _steps = _prepare(project, TrainSettings(dev=0.5), folder, TrainProgress(), lambda state: None,
                                     lambda: False, name)
        assert sum(documents.values()) == done  # this annotator's done documents, not the project's
        nlp = spacy.blank("en")
        shards = [f for split in ("train", "dev") for f in sorted((folder / "data" / f"{split}.spacy").rglob("*.spacy"))]
        ents = [(e.text, e.label_) for shard in shards for doc in DocBin().from_disk(shard).get_docs(nlp.vocab)
                for e in doc.ents]
        assert sorted(ents) == sorted((city, label) for city in CITIES[:done])
