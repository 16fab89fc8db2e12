"""The spaCy export is accepted by spaCy itself: ``debug data`` loads it and a short ``train`` runs.

Blank pipeline, CPU, a tiny corpus, two epochs: seconds. The trained pipeline is loaded and
predicts. No network and no downloaded model.
"""

from __future__ import annotations

import json
import shlex
import subprocess
import sys

import pytest

from annotator.core.model import Label
from annotator.store import Project
from annotator.workflows.exporting import ExportOptions, export_project
from annotator.workflows.importing import import_paths

PEOPLE = ["Ann Lee", "Bob Smith", "Zoë Núñez", "Karim Haddad"]
ORGS = ["Health Agency", "Reserve Bank", "Meridian Corp"]


def _corpus(path):
    lines = []
    for i in range(16):
        person, org = PEOPLE[i % 4], ORGS[i % 3]
        text = (f"{person} said that prices would rise by {i} percent. Officials at the {org} in Paris 🌍 "
                f"disagreed.\r\n\r\nDocument {i}.")
        claim = (text.index("prices"), text.index(" percent") + len(" percent"))
        spans = [{"start": 0, "end": len(person), "label": "PERSON"},
                 {"start": claim[0], "end": claim[1], "label": "CLAIM"},
                 {"start": text.index("said"), "end": text.index("said") + 4, "label": "CUE"},
                 {"start": text.index(org), "end": text.index(org) + len(org), "label": "ORG"},
                 {"start": text.index("Paris"), "end": text.index("Paris") + 5, "label": "GPE"}]
        lines.append(json.dumps({
            "text": text, "answer": "accept", "accept": ["ECONOMY" if i % 2 else "POLITICS"], "spans": spans,
            "relations": [{"head_span": spans[1], "child_span": spans[0], "label": "ASSERTED_BY"},
                          {"head_span": spans[1], "child_span": spans[2], "label": "CUE"}]}))
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


@pytest.fixture
def exported(tmp_path):
    source = tmp_path / "in.jsonl"
    _corpus(source)
    with Project.create(tmp_path / "p.annotator") as project:
        for name in ("POLITICS", "ECONOMY"):
            project.add_label(Label(name, "doc"))
        assert import_paths(project, [source]).ok
        result = export_project(project, tmp_path / "out", ExportOptions(dev=0.25, workers=0))
    return tmp_path / "out", result


def _spacy(*args, cwd):
    return subprocess.run([sys.executable, "-m", "spacy", *map(str, args)], capture_output=True, text=True,
                          cwd=cwd, timeout=300, env={"PYTHONIOENCODING": "utf-8", "PATH": "", "HOME": str(cwd)})


def test_spacy_train_debug_data_accepts_the_export(exported):
    out, result = exported
    assert result.summary["components"] == ["ner", "spancat", "textcat"]
    done = _spacy("debug", "data", out / "config.cfg", "--paths.train", out / "train.spacy",
                  "--paths.dev", out / "dev.spacy", cwd=out)
    report = done.stdout
    assert "Corpus is loadable" in report and "Pipeline can be initialized with data" in report, report
    # The only error a 16-document corpus can have: spaCy wants thousands of examples for a new pipeline.
    errors = [line for line in report.splitlines() if "✘" in line and "error" not in line.split("✘")[1][:8]]
    assert all("Low number of examples to train a new pipeline" in line for line in errors), errors
    assert "✘ 1 error" in report
    assert "claims" in report and "No entities consisting of or starting/ending with whitespace" in report


def test_spacy_train_short_run_finishes_and_the_model_predicts(exported, tmp_path):
    out, result = exported
    # The printed command as it is (it must save the model: --output DIR/model), plus a short
    # training for the test; train.spacy and dev.spacy are folders of shards here, which spaCy
    # reads as one corpus.
    printed = shlex.split(result.summary["command"])
    assert printed[:4] == ["python", "-m", "spacy", "train"] and printed[-2:] == ["--output", str(out / "model")]
    done = _spacy(*printed[3:], "--training.max_epochs", 2, "--training.max_steps", 20,
                  "--training.eval_frequency", 10, cwd=tmp_path)
    assert done.returncode == 0, done.stdout + done.stderr
    model = out / "model"
    check = subprocess.run([sys.executable, "-c", (
        "import spacy, json, sys\n"
        f"nlp = spacy.load({str(model / 'model-last')!r})\n"
        "doc = nlp('Ann Lee said that prices would rise by 3 percent at the Reserve Bank in Paris.')\n"
        "print(json.dumps({'pipe': nlp.pipe_names, 'cats': sorted(doc.cats), 'claims': 'claims' in doc.spans,"
        " 'ents': isinstance(doc.ents, tuple)}))")], capture_output=True, text=True, timeout=120)
    assert check.returncode == 0, check.stderr
    predicted = json.loads(check.stdout.strip().splitlines()[-1])
    assert predicted == {"pipe": ["tok2vec", "ner", "spancat", "textcat"], "cats": ["ECONOMY", "POLITICS"],
                         "claims": True, "ents": True}


def test_spacy_train_config_defaults_point_at_the_export(exported, tmp_path):
    out, result = exported
    config = (out / "config.cfg").read_text(encoding="utf-8")
    assert f'train = "{(out / "train.spacy").resolve()}"' in config and 'spans_key = "claims"' in config
    assert "ngram_range_suggester" in config
    assert result.summary["command"].startswith("python -m spacy train ")
