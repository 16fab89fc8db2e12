"""Multi-annotator imports: each annotator's answer becomes their layer of one document, a second
annotator's file adds their layer to the documents already there, re-imports change nothing,
and each annotator's status comes from the file (Prodigy answers, Label Studio annotations)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from annotator.core.model import Label
from annotator.store import Project
from annotator.workflows.importing import ImportOptions, import_paths

MARA = "Mara Lind visited Oslo on Monday."
BOARD = "The Harbour Board met in Bergen."
EMPTY = "Nobody was named in this one."


def _prodigy(text: str, who: str, spans: list[tuple[int, int, str]], answer: str = "accept", **extra) -> dict:
    return {"text": text, "spans": [{"start": s, "end": e, "label": label} for s, e, label in spans],
            "answer": answer, "_input_hash": hash(text) % 1000, "_task_hash": 7, "_annotator_id": f"news-{who}",
            "_session_id": f"news-{who}", **extra}


def _write(path: Path, records: list[dict]) -> Path:
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), encoding="utf-8")
    return path


MULTI = [
    _prodigy(MARA, "alice", [(0, 9, "PERSON"), (18, 22, "GPE")]),
    _prodigy(MARA, "bob", [(0, 4, "PERSON"), (18, 22, "GPE")]),
    _prodigy(BOARD, "alice", [(4, 17, "ORG"), (25, 31, "GPE")]),
    _prodigy(BOARD, "bob", [(4, 17, "ORG")], answer="reject"),
    _prodigy(EMPTY, "alice", []),
    _prodigy(EMPTY, "bob", [], answer="ignore"),
]


def _layer_spans(project: Project, text: str) -> dict[str, list[tuple[int, int, str, str]]]:
    doc_id = next(s.id for s in project.document_summaries(0, 100) if project.document(s.id).text == text)
    found: dict[str, list] = {}
    for span in project.spans(doc_id):
        found.setdefault(span.annotator, []).append((span.start, span.end, span.label, span.state))
    return {who: sorted(spans) for who, spans in found.items()}


def _statuses(project: Project) -> dict[str, dict[str, str]]:
    return {project.document(s.id).text: project.statuses(s.id) for s in project.document_summaries(0, 100)}


def _snapshot(project: Project) -> tuple:
    q = project.db.query
    return (project.row_counts(), list(q("SELECT * FROM spans ORDER BY id")),
            list(q("SELECT doc_id, annotator_id, status FROM document_status ORDER BY 1, 2")),
            list(q("SELECT id, status FROM documents ORDER BY id")), list(q("SELECT * FROM annotators ORDER BY id")))


@pytest.fixture
def project(tmp_path):
    with Project.create(tmp_path / "p.annotator") as opened:
        yield opened


def test_import_layers_prodigy_lines_of_one_text_become_each_annotators_layer(project, tmp_path):
    report = import_paths(project, [_write(tmp_path / "multi.jsonl", MULTI)])
    assert report.ok and report.total("conflicts") == 0, report.files[0].problems
    assert (report.total("added"), report.total("layered"), report.total("spans")) == (3, 3, 7)
    assert project.row_counts()["documents"] == 3
    assert _layer_spans(project, MARA) == {"news-alice": [(0, 9, "PERSON", "accepted"), (18, 22, "GPE", "accepted")],
                                           "news-bob": [(0, 4, "PERSON", "accepted"), (18, 22, "GPE", "accepted")]}
    # a reject is an answer given: bob finished the text, his span is rejected
    assert _layer_spans(project, BOARD)["news-bob"] == [(4, 17, "ORG", "rejected")]
    statuses = _statuses(project)
    assert statuses[MARA] == {"news-alice": "done", "news-bob": "done"}
    assert statuses[BOARD] == {"news-alice": "done", "news-bob": "done"}
    assert statuses[EMPTY] == {"news-alice": "done", "news-bob": "skipped"}  # bob ignored it


def test_import_layers_reimport_changes_nothing(project, tmp_path):
    path = _write(tmp_path / "multi.jsonl", MULTI)
    import_paths(project, [path])
    before = _snapshot(project)
    report = import_paths(project, [path])
    assert report.ok
    assert (report.total("added"), report.total("layered"), report.total("duplicates"),
            report.total("conflicts")) == (0, 0, 6, 0)
    assert _snapshot(project) == before


def test_import_layers_split_files_land_as_the_same_layers(project, tmp_path):
    """Each annotator's lines in a file of their own, imported one after the other (and in
    batches of one): the same project as the one file gives."""
    alice = _write(tmp_path / "alice.jsonl", [r for r in MULTI if r["_annotator_id"] == "news-alice"])
    bob = _write(tmp_path / "bob.jsonl", [r for r in MULTI if r["_annotator_id"] == "news-bob"])
    assert import_paths(project, [alice], ImportOptions(batch_size=1)).ok
    report = import_paths(project, [bob], ImportOptions(batch_size=1))
    assert report.ok and (report.total("added"), report.total("layered"), report.total("spans")) == (0, 3, 3)
    with Project.create(tmp_path / "one.annotator") as whole:
        import_paths(whole, [_write(tmp_path / "multi.jsonl", MULTI)])
        for text in (MARA, BOARD, EMPTY):
            assert _layer_spans(project, text) == _layer_spans(whole, text)
        assert _statuses(project) == _statuses(whole)
    assert import_paths(project, [alice, bob]).total("duplicates") == 6


def test_import_layers_another_annotators_plain_file_adds_their_layer(project, tmp_path):
    """A file that names nobody, imported with --annotator: that annotator's layer on the
    documents of the same text; the same file again, or with changed spans, changes nothing."""
    first = [{"text": MARA, "spans": [{"start": 0, "end": 9, "label": "PERSON"}], "answer": "accept"},
             {"text": BOARD, "spans": [], "answer": "accept"}]
    second = [{"text": MARA, "spans": [{"start": 18, "end": 22, "label": "GPE"}], "answer": "accept"},
              {"text": BOARD, "spans": [{"start": 25, "end": 31, "label": "GPE"}], "answer": "ignore"},
              {"text": EMPTY, "spans": []}]
    assert import_paths(project, [_write(tmp_path / "a.jsonl", first)], ImportOptions(annotator="alice")).ok
    path = _write(tmp_path / "b.jsonl", second)
    report = import_paths(project, [path], ImportOptions(annotator="bob"))
    assert (report.total("added"), report.total("layered"), report.total("conflicts")) == (1, 2, 0)
    assert _layer_spans(project, MARA) == {"alice": [(0, 9, "PERSON", "accepted")],
                                           "bob": [(18, 22, "GPE", "accepted")]}
    statuses = _statuses(project)
    assert statuses[MARA] == {"alice": "done", "bob": "done"}
    assert statuses[BOARD] == {"alice": "done", "bob": "skipped"}
    assert statuses[EMPTY]["bob"] == "todo"
    before = _snapshot(project)
    assert import_paths(project, [path], ImportOptions(annotator="bob")).total("duplicates") == 3
    changed = _write(tmp_path / "b2.jsonl", [{**second[0], "spans": [{"start": 0, "end": 4, "label": "PERSON"}]}])
    report = import_paths(project, [changed], ImportOptions(annotator="bob"))
    assert report.total("conflicts") == 1 and "bob's layer there is different" in report.files[0].problems[0].message
    assert _snapshot(project) == before


def test_import_layers_claims_come_with_their_annotators_layer(project, tmp_path):
    """A second annotator's claim (content, claimant, attribute values) lands with their layer."""
    text = "Mara Lind said that prices rose in Oslo."
    content, claimant = (text.index("prices"), text.index(" in Oslo")), (0, 9)

    def line(who: str, label: str) -> dict:
        spans = [{"start": claimant[0], "end": claimant[1], "label": label},
                 {"start": content[0], "end": content[1], "label": "CLAIM"}]
        return {**_prodigy(text, who, [(s["start"], s["end"], s["label"]) for s in spans]),
                "relations": [{"head_span": spans[1], "child_span": spans[0], "label": "SAID"}]}

    project.add_label(Label("SAID", "role"))
    report = import_paths(project, [_write(tmp_path / "c.jsonl", [line("alice", "PERSON"), line("bob", "ORG")])])
    assert report.ok and report.total("layered") == 1, report.files[0].problems
    doc_id = project.document_summaries(0, 10)[0].id
    claims = {c.content.annotator: c for c in project.claims(doc_id)}
    assert set(claims) == {"news-alice", "news-bob"}
    assert claims["news-bob"].claimant.label == "ORG" and claims["news-bob"].claimant.annotator == "news-bob"


LABEL_STUDIO = [{
    "id": 1, "data": {"text": MARA},
    "annotations": [
        {"id": 11, "completed_by": {"id": 3, "email": "alice@example.org"}, "was_cancelled": False,
         "result": [{"id": "a1", "from_name": "label", "to_name": "text", "type": "labels",
                     "value": {"start": 0, "end": 9, "text": "Mara Lind", "labels": ["PERSON"]}}]},
        {"id": 12, "completed_by": 4, "was_cancelled": False,
         "result": [{"id": "b1", "from_name": "label", "to_name": "text", "type": "labels",
                     "value": {"start": 0, "end": 4, "text": "Mara", "labels": ["PERSON"]}}]},
        {"id": 13, "completed_by": 5, "was_cancelled": True, "result": []},
    ]}, {
    "id": 2, "data": {"text": BOARD},
    "annotations": [{"id": 21, "completed_by": {"id": 3, "email": "alice@example.org"}, "was_cancelled": True,
                     "result": []}]},
]


def test_import_layers_label_studio_statuses_per_annotator(project, tmp_path):
    path = tmp_path / "ls.json"
    path.write_text(json.dumps(LABEL_STUDIO), encoding="utf-8")
    report = import_paths(project, [path])
    assert report.ok, report.files[0].problems
    assert _layer_spans(project, MARA) == {"alice@example.org": [(0, 9, "PERSON", "accepted")],
                                           "4": [(0, 4, "PERSON", "accepted")]}
    statuses = _statuses(project)
    # submitted: done; cancelled: skipped for the one who cancelled, nobody else
    assert statuses[MARA] == {"alice@example.org": "done", "4": "done", "5": "skipped"}
    assert statuses[BOARD] == {"alice@example.org": "skipped", "4": "todo", "5": "todo"}
    before = _snapshot(project)
    assert import_paths(project, [path]).total("duplicates") == 2
    assert _snapshot(project) == before


def test_import_layers_into_an_annotators_own_copy(project, tmp_path):
    """In news-alice's own copy the project's status is hers: a file's statuses of others never
    become it, and her own answer does."""
    project.annotator_id("news-alice")
    project.set_own_annotator("news-alice")
    assert import_paths(project, [_write(tmp_path / "multi.jsonl", MULTI)]).ok
    rows = dict(project.db.execute("SELECT text, status FROM documents").fetchall())
    assert rows == {MARA: "done", BOARD: "done", EMPTY: "done"}
    assert _statuses(project)[EMPTY] == {"news-alice": "done", "news-bob": "skipped"}
    bob_only = _write(tmp_path / "bob.jsonl", [_prodigy("A text only bob saw.", "bob", [], answer="ignore")])
    assert import_paths(project, [bob_only]).ok
    assert _statuses(project)["A text only bob saw."] == {"news-alice": "todo", "news-bob": "skipped"}


def test_import_layers_a_later_label_studio_export_adds_the_new_annotations(project, tmp_path):
    """The same task exported again after bob annotated it too: bob's layer is added, alice's
    (unchanged) is a duplicate, the predictions are not added twice."""
    prediction = {"model_version": "v1", "result": [{"id": "p", "from_name": "label", "to_name": "text",
                                                      "type": "labels", "value": {"start": 18, "end": 22,
                                                                                  "text": "Oslo", "labels": ["GPE"]}}]}
    first = [{**LABEL_STUDIO[0], "annotations": LABEL_STUDIO[0]["annotations"][:1], "predictions": [prediction]}]
    later = [{**LABEL_STUDIO[0], "predictions": [prediction]}]
    (tmp_path / "first.json").write_text(json.dumps(first), encoding="utf-8")
    (tmp_path / "later.json").write_text(json.dumps(later), encoding="utf-8")
    assert import_paths(project, [tmp_path / "first.json"]).ok
    report = import_paths(project, [tmp_path / "later.json"])
    assert (report.total("added"), report.total("layered"), report.total("conflicts")) == (0, 1, 0)
    assert _layer_spans(project, MARA) == {None: [(18, 22, "GPE", "suggested")],
                                           "alice@example.org": [(0, 9, "PERSON", "accepted")],
                                           "4": [(0, 4, "PERSON", "accepted")]}
    assert _statuses(project)[MARA] == {"alice@example.org": "done", "4": "done", "5": "skipped"}


def test_import_layers_doccano_users_of_an_approved_record_are_done(project, tmp_path):
    records = [{"id": 1, "text": MARA, "annotation_approver": "carol", "annotations": [
                    {"label": "PERSON", "start_offset": 0, "end_offset": 9, "user": 1},
                    {"label": "PERSON", "start_offset": 0, "end_offset": 4, "user": 2}]},
               {"id": 2, "text": BOARD, "annotation_approver": None, "annotations": [
                    {"label": "ORG", "start_offset": 4, "end_offset": 17, "user": 2}]}]
    report = import_paths(project, [_write(tmp_path / "d.jsonl", records)], ImportOptions(format="doccano"))
    assert report.ok, report.files[0].problems
    assert _layer_spans(project, MARA) == {"1": [(0, 9, "PERSON", "accepted")], "2": [(0, 4, "PERSON", "accepted")]}
    statuses = _statuses(project)
    assert statuses[MARA] == {"1": "done", "2": "done"} and statuses[BOARD] == {"1": "todo", "2": "todo"}


def test_import_layers_one_annotators_file_shares_the_status_beside_a_gold_layer(project, tmp_path):
    """The reviewers' gold layer has statuses of its own: a one-annotator import beside it still
    shares the project's status, as before layers; a second annotator then separates them."""
    project.ensure_gold()
    first = [{"text": MARA, "spans": [{"start": 0, "end": 9, "label": "PERSON"}], "answer": "accept"}]
    assert import_paths(project, [_write(tmp_path / "a.jsonl", first)], ImportOptions(annotator="alice")).ok
    alice = project.find_annotator("alice")
    assert not alice.separate_status and _statuses(project)[MARA]["alice"] == "done"
    second = [{"text": MARA, "spans": [{"start": 18, "end": 22, "label": "GPE"}], "answer": "ignore"}]
    assert import_paths(project, [_write(tmp_path / "b.jsonl", second)], ImportOptions(annotator="bob")).ok
    assert project.find_annotator("alice").separate_status
    assert {k: v for k, v in _statuses(project)[MARA].items() if k != "gold"} == {"alice": "done", "bob": "skipped"}
