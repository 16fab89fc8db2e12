"""doccano's JSON export (one JSON list of records, as doccano writes it for text
classification and sequence to sequence, and the same records for sequence labelling and
relations) through the real command line, checked in the SQLite file.

It used to be guessed as Label Studio flat tasks, its ``label`` lists going silently into
meta, and ``--format doccano`` refused it with advice to use ``--format labelstudio``.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parents[1] / "cli"))
from cli_driver import rows, run  # noqa: E402

from annotator.formats.registry import guess_format_why  # noqa: E402

# As doccano's JsonWriter writes it: pandas ``to_json(orient="records", force_ascii=False)``,
# the whole list on one line, "/" escaped, ``id`` and meta keys before ``label``, a
# ``Comments`` column, and null for a meta key another record has.
CLASSIFICATION = (
    '[{"id":41,"text":"The ferry to Haldøy runs again.","url":"https:\\/\\/news.example\\/ferry",'
    '"label":["transport"],"Comments":[]},'
    '{"id":42,"text":"Nobody won the lottery this week 🎟️.","url":null,'
    '"label":["local","money"],"Comments":["check the amount"]},'
    '{"id":43,"text":"A quiet day at the harbour.","url":null,"label":[],"Comments":[]}]'
)


def _doc(text: str, **keys) -> dict:
    return {"text": text, **keys}


def _at(text: str, words: str, label: str) -> list:
    start = text.index(words)
    return [start, start + len(words), label]


def _utf16(text: str, offset: int) -> int:
    """A code-point offset as JavaScript (doccano) counts it."""
    return len(text[:offset].encode("utf-16-le")) // 2


T1 = "Mira Holt met the Dock Union in Tarsby."
T2 = "Then 🚢 Ola Vik sailed to Brenn"  # a span at the very end: UTF-16 offsets run past it


def _snapshot(path):
    return {t: rows(path, f"SELECT * FROM {t} ORDER BY 1")
            for t in ("documents", "spans", "labels", "relations", "doc_labels", "annotators")}


def _spans(path):
    return rows(path, 'SELECT d.text, s.start, s."end", s.text, l.name, a.name FROM spans s JOIN documents d '
                      "ON d.id = s.doc_id JOIN labels l ON l.id = s.label_id LEFT JOIN annotators a "
                      "ON a.id = s.annotator_id ORDER BY d.id, s.start, a.name")


def _write(path: Path, content) -> Path:
    path.write_text(content if isinstance(content, str) else json.dumps(content, indent=4, ensure_ascii=False),
                    encoding="utf-8")
    return path


def _record_lines(source: Path) -> list[int]:
    """The line each record of a list written with ``indent=4`` starts on."""
    return [n for n, text in enumerate(source.read_text(encoding="utf-8").splitlines(), 1) if text == "    {"]


# ------------------------------------------------------------------ the three shapes
@pytest.mark.parametrize("fmt", [None, "doccano"])
def test_doccano_json_list_classification_labels_land_as_document_labels(tmp_path, fmt):
    project, source = tmp_path / "p.annotator", _write(tmp_path / "export.json", CLASSIFICATION)
    result = run("import", project, source, "--add-labels", *(("--format", fmt) if fmt else ()))
    assert result.exit_code == 0, result.output
    if fmt is None:
        assert "export.json: read as doccano (guessed from the content)" in result.stderr
    assert rows(project, "SELECT d.text, l.name, l.kind FROM doc_labels x JOIN documents d ON d.id = x.doc_id "
                         "JOIN labels l ON l.id = x.label_id ORDER BY d.id, l.name") == [
        ("The ferry to Haldøy runs again.", "transport", "doc"),
        ("Nobody won the lottery this week 🎟️.", "local", "doc"),
        ("Nobody won the lottery this week 🎟️.", "money", "doc")]
    # Everything but the labels is the record's meta: id, the user's columns, Comments.
    metas = [json.loads(m) for (m,) in rows(project, "SELECT meta FROM documents ORDER BY id")]
    assert metas == [{"id": 41, "url": "https://news.example/ferry", "Comments": []},
                     {"id": 42, "url": None, "Comments": ["check the amount"]},
                     {"id": 43, "url": None, "Comments": []}]
    assert "label" not in json.dumps(metas)


def test_doccano_json_list_sequence_labelling_offsets_as_given_or_utf16(tmp_path):
    # doccano counts UTF-16 units: after the ship emoji its offsets are one more than ours.
    spans = {T1: [_at(T1, "Mira Holt", "PERSON"), _at(T1, "Dock Union", "ORG"), _at(T1, "Tarsby", "GPE")],
             T2: [_at(T2, "Ola Vik", "PERSON"), _at(T2, "Brenn", "GPE")]}
    utf16 = [_doc(t, id=i, label=[[_utf16(t, s), _utf16(t, e), lab] for s, e, lab in spans[t]], Comments=[])
             for i, t in enumerate(spans, 1)]
    source = _write(tmp_path / "seq.json", utf16)
    project = tmp_path / "p.annotator"
    run("new", project)
    before = _snapshot(project)
    # Taken as code points (the default), the last span runs past the end: refused, named by
    # the record's line and index, with the hint; nothing lands.
    result = run("import", project, source)
    assert result.exit_code == 2
    line = _record_lines(source)[1]
    assert f"{source}:{line}: [1].label[1].end: offset {len(T2) + 1} is out of range" in result.stderr
    assert "--offsets utf16" in result.stderr and _snapshot(project) == before
    result = run("import", project, source, "--offsets", "utf16", "--annotator", "ines")
    assert result.exit_code == 0, result.output
    assert _spans(project) == [
        (T1, 0, 9, "Mira Holt", "PERSON", "ines"), (T1, 18, 28, "Dock Union", "ORG", "ines"),
        (T1, 32, 38, "Tarsby", "GPE", "ines"), (T2, 7, 14, "Ola Vik", "PERSON", "ines"),
        (T2, 25, 30, "Brenn", "GPE", "ines")]


def test_doccano_json_list_second_annotators_export_adds_a_layer(tmp_path):
    project = tmp_path / "p.annotator"
    first = _write(tmp_path / "ines.json", [_doc(T1, id=1, label=[_at(T1, "Mira Holt", "PERSON")])])
    second = _write(tmp_path / "jon.json", [_doc(T1, id=1, label=[_at(T1, "Mira", "PERSON"),
                                                                  _at(T1, "Tarsby", "GPE")])])
    assert run("import", project, first, "--annotator", "ines").exit_code == 0
    result = run("import", project, second, "--annotator", "jon")
    assert result.exit_code == 0, result.output
    assert rows(project, "SELECT count(*) FROM documents") == [(1,)]
    assert _spans(project) == [(T1, 0, 9, "Mira Holt", "PERSON", "ines"), (T1, 0, 4, "Mira", "PERSON", "jon"),
                               (T1, 32, 38, "Tarsby", "GPE", "jon")]
    # The same file again changes nothing.
    assert run("import", project, second, "--annotator", "jon").stdout.startswith("0 added, 1 duplicates")


def test_doccano_json_list_relations(tmp_path):
    holt, union = _at(T1, "Mira Holt", "PERSON"), _at(T1, "Dock Union", "ORG")
    record = _doc(T1, id=7, entities=[
        {"id": 101, "label": "PERSON", "start_offset": holt[0], "end_offset": holt[1]},
        {"id": 102, "label": "ORG", "start_offset": union[0], "end_offset": union[1]}],
        relations=[{"id": 5, "from_id": 101, "to_id": 102, "type": "member_of"}], Comments=[])
    project, source = tmp_path / "p.annotator", _write(tmp_path / "rel.json", [record])
    result = run("import", project, source, "--add-labels")
    assert result.exit_code == 0, result.output
    assert "read as doccano (guessed from the content)" in result.stderr
    assert rows(project, "SELECT h.text, c.text, r.label FROM relations r JOIN spans h ON h.id = r.head_span_id "
                         "JOIN spans c ON c.id = r.child_span_id") == [("Mira Holt", "Dock Union", "member_of")]
    assert json.loads(rows(project, "SELECT meta FROM documents")[0][0]) == {"id": 7, "Comments": []}


# ------------------------------------------------------------------ hostile variants
def _refused(tmp_path, content, fmt=()):
    project = tmp_path / "p.annotator"
    run("import", project, _write(tmp_path / "ok.jsonl", json.dumps({"text": "Already here."}) + "\n"))
    before = _snapshot(project)
    source = _write(tmp_path / "bad.json", content)
    result = run("import", project, source, "--add-labels", *fmt)
    assert result.exit_code == 2 and "1 file(s) refused" in result.stdout
    assert _snapshot(project) == before
    return source, result.stderr


def test_doccano_json_list_of_non_objects_refused_by_record(tmp_path):
    source, errors = _refused(tmp_path, '[{"text": "Fine.", "label": ["a"]}, "just words", 7]', ("--format", "doccano"))
    assert f"{source}:1: [1]: a record must be a JSON object, got a string" in errors
    assert f"{source}:1: [2]: a record must be a JSON object, got an integer" in errors


def test_doccano_json_list_truncated_refused_with_its_line(tmp_path):
    whole = json.dumps([_doc(T1, label=[_at(T1, "Tarsby", "GPE")]), _doc(T2, label=[])], indent=4)
    source, errors = _refused(tmp_path, whole[: whole.rindex('"label"')])
    assert "read as doccano (guessed from the content)" in errors
    assert f"{source}:{whole[: whole.rindex(chr(34) + 'label')].count(chr(10)) + 1}: invalid JSON" in errors


def test_doccano_json_list_mixed_shapes_refused_by_field(tmp_path):
    records = [_doc(T1, label=[_at(T1, "Tarsby", "GPE")]),
               {"data": {"text": T2}, "annotations": [{"result": []}]},
               _doc("Short.", label=[[0, 5]]),
               _doc("Short two.", label=[{"start": 0, "end": 5, "label": "GPE"}])]
    source, errors = _refused(tmp_path, records)
    lines = _record_lines(source)
    assert f"{source}:{lines[1]}: [1].data: a Label Studio task" in errors and "--format labelstudio" in errors
    assert f"{source}:{lines[2]}: [2].label[0]: must be [start, end, label], got 2 values" in errors
    assert f"{source}:{lines[3]}: [3].label[0].start: offset must be an integer" in errors  # no start_offset


def test_doccano_json_list_after_the_list_refused(tmp_path):
    _, errors = _refused(tmp_path, CLASSIFICATION + "\n" + CLASSIFICATION)
    assert ":2: invalid JSON: more after the end of the records" in errors


# ------------------------------------------------------------------ Label Studio stays Label Studio
def test_doccano_json_list_label_studio_flat_tasks_still_label_studio(tmp_path):
    # Label Studio's flat tasks are data only; a "label" key there is data (a string), kept.
    flat = [{"text": "One.", "label": "spam", "source": "wire"}, {"text": "Two."}]
    tasks = [{"id": 3, "data": {"text": "Three.", "label": ["kept", "as data"]}, "annotations": []}]
    project = tmp_path / "p.annotator"
    for name, content in (("flat.json", flat), ("tasks.json", tasks)):
        result = run("import", project, _write(tmp_path / name, content))
        assert result.exit_code == 0, result.output
        assert f"{name}: read as labelstudio" in result.stderr
    assert [json.loads(m) for (m,) in rows(project, "SELECT meta FROM documents ORDER BY id")] == [
        {"label": "spam", "source": "wire"}, {}, {"label": ["kept", "as data"], "labelstudio_id": 3}]
    assert rows(project, "SELECT count(*) FROM doc_labels") == [(0,)]


def test_doccano_json_list_read_as_label_studio_is_never_silent(tmp_path):
    # Given to Label Studio's reader (by --format, or a first record too long to guess by),
    # doccano's label list stays data, as a Label Studio task's key would, with a notice.
    long_text = "Word " * 20000
    source = _write(tmp_path / "long.json", [_doc(long_text, label=["news"]), _doc("Short.", label=["news"])])
    assert guess_format_why(source) == ("labelstudio", "name")
    project = tmp_path / "p.annotator"
    result = run("import", project, source)
    assert result.exit_code == 0, result.output
    assert f"notice: {source}:2: label: kept as data in meta" in result.stderr and "--format doccano" in result.stderr
    result = run("import", tmp_path / "q.annotator", source, "--format", "doccano", "--add-labels")
    assert result.exit_code == 0, result.output
    assert rows(tmp_path / "q.annotator", "SELECT count(*) FROM doc_labels") == [(2,)]


@pytest.mark.parametrize("content, expected", [
    (CLASSIFICATION, ("doccano", "content")),
    ("\ufeff\n\n" + CLASSIFICATION, ("doccano", "content")),
    ([_doc(T1, entities=[], relations=[])], ("doccano", "content")),
    ([{"text": "x", "label": [{"start": 0, "end": 1, "text": "x", "labels": ["A"]}], "annotator": 1,
       "annotation_id": 2}], ("labelstudio", "name")),  # JSON-MIN: a control named "label"
    ([{"text": "x", "label": ["A"], "annotations": [{"result": []}]}], ("labelstudio", "content")),
    ([{"data": {"text": "x", "label": ["A"]}}], ("labelstudio", "content")),
    ([{"text": "x", "label": "A"}], ("labelstudio", "name")),
    ([], ("labelstudio", "name")),
])
def test_doccano_json_list_guess(tmp_path, content, expected):
    assert guess_format_why(_write(tmp_path / "a.json", content)) == expected
