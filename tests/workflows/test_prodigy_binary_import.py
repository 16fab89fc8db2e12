"""Prodigy's binary recipes (ner.teach, textcat.teach) write one line per question, many per
text: imported through the CLI, one annotator's answers to one text in one file land on one
document (workflows/binary_answers.py); a re-import adds nothing; two different manual
annotations of one text are still a conflict."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parents[1] / "cli"))
from cli_driver import rows, run  # noqa: E402

from annotator.workflows.importing import ImportOptions, import_paths  # noqa: E402

PLANT = "Lena Berg opened the Nordvik plant in Tromso."
STRIKE = "The Ferry Union struck on Friday."
REAL = Path(__file__).parents[1] / "formats" / "data" / "prodigy" / "reddit_product_teach_lines.jsonl"


def _span(text: str, words: str, label: str) -> dict:
    start = text.index(words)
    return {"start": start, "end": start + len(words), "label": label}


def _teach(text: str, who: str | None, words: str, label: str, answer: str, view: str = "ner") -> dict:
    line = {"text": text, "spans": [_span(text, words, label)], "answer": answer, "_view_id": view,
            "_input_hash": len(text), "_task_hash": hash((words, label)) % 10_000}
    return {**line, "_annotator_id": who, "_session_id": who} if who else line


def _label(text: str, who: str, label: str, answer: str) -> dict:
    return {"text": text, "label": label, "answer": answer, "_view_id": "classification", "_input_hash": len(text),
            "_task_hash": 1, "_annotator_id": who, "_session_id": who}


# Two texts interleaved, two annotators, each answer kind; one textcat.teach label each.
TEACH = [
    _teach(PLANT, "alice", "Lena Berg", "PERSON", "accept"),
    _teach(STRIKE, "alice", "Ferry Union", "ORG", "reject"),
    _teach(PLANT, "alice", "Nordvik", "ORG", "reject"),
    _teach(STRIKE, "alice", "Friday", "DATE", "ignore"),
    _teach(PLANT, "alice", "Tromso", "GPE", "ignore"),
    _teach(PLANT, "bob", "Lena Berg", "PERSON", "reject"),
    _label(PLANT, "alice", "ECONOMY", "accept"),
    _label(STRIKE, "bob", "ECONOMY", "reject"),
    _teach(PLANT, "alice", "Lena Berg", "PERSON", "accept"),  # the same question again, same answer
]


def _write(path: Path, lines: list[dict]) -> Path:
    path.write_text("".join(json.dumps(line) + "\n" for line in lines), encoding="utf-8")
    return path


def _spans(db: Path) -> list[tuple]:
    return rows(db, "SELECT d.text, a.name, s.text, l.name, s.state FROM spans s JOIN documents d ON d.id = s.doc_id"
                    " JOIN labels l ON l.id = s.label_id LEFT JOIN annotators a ON a.id = s.annotator_id"
                    " ORDER BY d.id, a.name, s.start")


def _statuses(db: Path) -> list[tuple]:
    return rows(db, "SELECT d.text, a.name, st.status FROM document_status st JOIN documents d ON d.id = st.doc_id"
                    " JOIN annotators a ON a.id = st.annotator_id ORDER BY d.id, a.name")


def _doc_labels(db: Path) -> list[tuple]:
    return rows(db, "SELECT d.text, a.name, l.name FROM doc_labels x JOIN documents d ON d.id = x.doc_id"
                    " JOIN labels l ON l.id = x.label_id LEFT JOIN annotators a ON a.id = x.annotator_id")


EXPECTED_SPANS = [
    (PLANT, "alice", "Lena Berg", "PERSON", "accepted"), (PLANT, "alice", "Nordvik", "ORG", "rejected"),
    (PLANT, "alice", "Tromso", "GPE", "suggested"), (PLANT, "bob", "Lena Berg", "PERSON", "rejected"),
    (STRIKE, "alice", "Ferry Union", "ORG", "rejected"), (STRIKE, "alice", "Friday", "DATE", "suggested"),
]
# An accept or a reject is an answer (done); bob only rejected a label of STRIKE: done too.
EXPECTED_STATUSES = [(PLANT, "alice", "done"), (PLANT, "bob", "done"), (STRIKE, "alice", "done"),
                     (STRIKE, "bob", "done")]


def test_teach_lines_of_one_text_land_on_one_document_per_annotator_layer(tmp_path):
    db, source = tmp_path / "p.annotator", _write(tmp_path / "teach.jsonl", TEACH)
    result = run("import", db, source, "--add-labels", "--format", "prodigy")
    assert result.exit_code == 0, result.output
    assert "0 conflicts" in result.output and "2 added" in result.output
    assert rows(db, "SELECT text FROM documents ORDER BY id") == [(PLANT,), (STRIKE,)]
    assert _spans(db) == EXPECTED_SPANS
    assert _doc_labels(db) == [(PLANT, "alice", "ECONOMY")]  # bob's rejected label is no document label
    assert _statuses(db) == EXPECTED_STATUSES

    again = run("import", db, source, "--add-labels", "--format", "prodigy")
    assert again.exit_code == 0, again.output
    assert "0 added" in again.output and f"{len(TEACH)} duplicates, 0 conflicts" in again.output
    assert _spans(db) == EXPECTED_SPANS and _statuses(db) == EXPECTED_STATUSES
    assert _doc_labels(db) == [(PLANT, "alice", "ECONOMY")]


@pytest.mark.parametrize("batch_size", [1, 2, 3])
def test_answers_join_a_document_of_an_earlier_batch(project, tmp_path, batch_size):
    # A 100k-line file is stored in batches: later answers join the document already written.
    source = _write(tmp_path / "teach.jsonl", TEACH)
    report = import_paths(project, [source], ImportOptions(format="prodigy", add_labels=True, batch_size=batch_size))
    assert report.ok and report.total("conflicts") == 0, report.files[0].problems
    assert _spans(project.path) == EXPECTED_SPANS
    assert _statuses(project.path) == EXPECTED_STATUSES
    assert _doc_labels(project.path) == [(PLANT, "alice", "ECONOMY")]


def test_anonymous_answers_raise_the_document_status(project, tmp_path):
    # No annotator: a reject alone leaves the document skipped (as one line does); an accept
    # of the same text later in the file, even in a later batch, makes it done.
    lines = [_teach(PLANT, None, "Nordvik", "ORG", "reject"), _teach(STRIKE, None, "Friday", "DATE", "reject"),
             _teach(PLANT, None, "Lena Berg", "PERSON", "accept")]
    report = import_paths(project, [_write(tmp_path / "t.jsonl", lines)],
                          ImportOptions(format="prodigy", add_labels=True, batch_size=1))
    assert report.ok and report.total("merged") == 1
    assert rows(project.path, "SELECT text, status FROM documents ORDER BY id") == [(PLANT, "done"), (STRIKE, "skipped")]
    assert [(s[2], s[4]) for s in _spans(project.path)] == [("Lena Berg", "accepted"), ("Nordvik", "rejected"),
                                                            ("Friday", "rejected")]


@pytest.mark.parametrize(("second", "said", "kept"), [
    (_teach(PLANT, "alice", "Nordvik", "ORG", "reject"), "answers span 21-28 ORG reject, but line 1 answered it accept",
     "Nordvik"),
    (_teach(PLANT, "alice", "Berg", "PERSON", "accept"), "accepts span 5-9 PERSON, which overlaps span 0-9 PERSON accepted at line 1",
     "Lena Berg"),
])
def test_contradicting_answers_are_a_conflict(tmp_path, second, said, kept):
    # A question answered both ways; an accepted span overlapping one accepted before.
    db, first = tmp_path / "p.annotator", dict(second, spans=[_span(PLANT, kept, second["spans"][0]["label"])])
    first["answer"] = "accept"
    result = run("import", db, _write(tmp_path / "t.jsonl", [first, second]), "--add-labels", "--format", "prodigy")
    assert result.exit_code == 0 and "1 conflicts" in result.output, result.output
    assert f"t.jsonl:2: {said}" in result.output
    assert [(s[2], s[4]) for s in _spans(db)] == [(kept, "accepted")]


@pytest.mark.parametrize("view", ["ner_manual", None])
def test_two_manual_annotations_of_one_text_still_conflict(tmp_path, view):
    # ner.manual (or a line with no view and no span answers) states the whole annotation.
    db = tmp_path / "p.annotator"
    lines = [_teach(PLANT, "alice", "Lena Berg", "PERSON", "accept", view),
             _teach(PLANT, "alice", "Tromso", "GPE", "accept", view)]
    for line in lines:
        if view is None:
            del line["_view_id"]
    result = run("import", db, _write(tmp_path / "m.jsonl", lines), "--add-labels", "--format", "prodigy")
    assert result.exit_code == 0 and "1 conflicts" in result.output, result.output
    assert "m.jsonl:2: same text as line 1 but different annotations" in result.output
    assert [s[2] for s in _spans(db)] == ["Lena Berg"]


def test_real_reddit_teach_lines_import_with_no_conflict(tmp_path):
    # prodigy-recipes' annotated_reddit-PRODUCT-ner.jsonl (README in tests/formats/data/prodigy):
    # a merged task then its spans one per line; a reject then an accept; two accepts.
    db = tmp_path / "p.annotator"
    result = run("import", db, REAL, "--add-labels", "--format", "prodigy")
    assert result.exit_code == 0, result.output
    assert "3 added" in result.output and "0 conflicts" in result.output
    spans = rows(db, "SELECT d.id, s.start, s.\"end\", s.state FROM spans s JOIN documents d ON d.id = s.doc_id"
                     " ORDER BY d.id, s.start")
    first, second, third = (r[0] for r in rows(db, "SELECT id FROM documents ORDER BY id"))
    assert [(s, e, st) for d, s, e, st in spans if d == first] == [
        (61, 64, "rejected"), (65, 73, "suggested"), (178, 182, "rejected"), (190, 197, "rejected"),
        (248, 250, "rejected")]
    assert [(s, e, st) for d, s, e, st in spans if d == second] == [(53, 55, "accepted"), (59, 62, "rejected")]
    assert [(s, e, st) for d, s, e, st in spans if d == third][-1] == (40, 45, "accepted")
    # No annotator named: the document's own status, done once any line accepted.
    assert [r[0] for r in rows(db, "SELECT status FROM documents ORDER BY id")] == ["skipped", "done", "done"]
    again = run("import", db, REAL, "--add-labels", "--format", "prodigy")
    assert "0 added" in again.output and "9 duplicates, 0 conflicts" in again.output, again.output
