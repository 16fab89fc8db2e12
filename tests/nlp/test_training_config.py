"""The training config, the logger's lines and the scores of a trained pipeline (no training here)."""

from __future__ import annotations

import json

import pytest

from annotator.nlp.training import (
    LINE_MARK,
    LOGGER_CODE,
    TrainError,
    TrainSettings,
    batch_size_for,
    model_scores,
    parse_line,
    spacy_command,
    steps_per_epoch,
    write_config,
)


def test_training_parse_line_reads_only_our_rows():
    row = parse_line(LINE_MARK + json.dumps({"epoch": 2, "step": 40, "score": 0.5, "losses": {"ner": 3.5},
                                             "scores": {"ents_f": 0.5, "ents_p": 0.4, "ents_r": 0.6,
                                                        "speed": 9000.0}, "seconds": 7}))
    assert (row.epoch, row.step, row.score, row.losses, row.seconds) == (2, 40, 0.5, {"ner": 3.5}, 7)
    assert [k for k, _v in row.main_scores()] == ["ents_p", "ents_r", "ents_f"]
    assert parse_line("ℹ Saving to output directory") is None
    assert parse_line(LINE_MARK + "{broken") is None


@pytest.mark.parametrize(("documents", "batch", "steps"), [(3, 1, 3), (33, 1, 33), (250, 2, 125), (5000, 4, 1250)])
def test_training_batches_and_steps_per_epoch(documents, batch, steps):
    assert batch_size_for(documents) == batch
    assert steps_per_epoch(documents, batch) == steps


@pytest.mark.parametrize(("settings", "message"), [
    (TrainSettings(components=()), "components"),
    (TrainSettings(components=("parser",)), "components"),
    (TrainSettings(epochs=0), "at least one epoch"),
    (TrainSettings(patience=-1), "patience"),
    (TrainSettings(dev=0), "dev share"),
])
def test_training_settings_are_checked(settings, message):
    with pytest.raises(TrainError, match=message):
        settings.check()


def test_training_config_evaluates_once_an_epoch(tmp_path):
    from spacy import util

    train, dev = tmp_path / "train", tmp_path / "dev"
    steps = write_config(None, tmp_path / "config.cfg", language="en", train=train, dev=dev,
                         settings=TrainSettings(components=("ner", "spancat"), epochs=4, patience=2),
                         train_documents=30, claims_key="claims")
    config = util.load_config(tmp_path / "config.cfg", interpolate=False)
    training = config["training"]
    assert steps == 30
    assert (training["eval_frequency"], training["max_steps"], training["max_epochs"], training["patience"]) == (
        30, 120, 5, 60)
    assert training["batcher"]["@batchers"] == "spacy.batch_by_sequence.v1" and training["batcher"]["size"] == 1
    assert training["logger"] == {"@loggers": "annotator.JSONLogger.v1"}
    assert config["nlp"]["pipeline"] == ["tok2vec", "ner", "spancat"]
    assert config["components"]["spancat"]["spans_key"] == "claims"
    assert (tmp_path / "annotator_logger.py").read_text(encoding="utf-8") == LOGGER_CODE


def test_training_model_scores_from_meta(tmp_path):
    (tmp_path / "meta.json").write_text(json.dumps({"performance": {
        "ents_p": 0.5, "ents_r": 0.25, "ents_f": 0.333, "ner_loss": 3.0,
        "ents_per_type": {"GPE": {"p": 1.0, "r": 0.5, "f": 0.667}},
        "spans_claims_p": 0.1, "spans_claims_r": 0.2, "spans_claims_f": 0.133,
        "spans_claims_per_type": {"CLAIM": {"p": 0.1, "r": 0.2, "f": 0.133}}}}), encoding="utf-8")
    scores = model_scores(tmp_path, "claims")
    assert scores["totals"] == {"ents_p": 0.5, "ents_r": 0.25, "ents_f": 0.333, "spans_claims_p": 0.1,
                                "spans_claims_r": 0.2, "spans_claims_f": 0.133}
    assert scores["per_label"] == {"ner": {"GPE": {"p": 1.0, "r": 0.5, "f": 0.667}},
                                   "spancat": {"CLAIM": {"p": 0.1, "r": 0.2, "f": 0.133}}}


def test_training_command_is_spacy_train_in_a_subprocess(tmp_path, monkeypatch):
    import sys

    command = spacy_command(tmp_path / "config.cfg", tmp_path / "output", tmp_path / "code.py")
    assert command[:4] == [sys.executable, "-m", "spacy", "train"] and "--code" in command
    monkeypatch.setattr(sys, "frozen", True, raising=False)
    assert spacy_command(tmp_path / "c", tmp_path / "o", tmp_path / "k")[1:3] == ["spacy-cli", "train"]
