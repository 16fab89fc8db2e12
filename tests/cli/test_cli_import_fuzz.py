"""Bounded fuzzing of ``annotator import``: small valid files of every import format, mutated by
a seeded mutator (bytes, and JSON values swapped for values of other types), a few hundred
cases. Every outcome must be exit 0, or a clean exit 2 whose errors name the file (and the
line, for a record), with the project unchanged; never a traceback.

Seeded, so a failure is reproducible: the case id names the format and the case number.
"""

from __future__ import annotations

import json
import random
import re
import shutil
import sqlite3

import pytest
from click.testing import CliRunner

from annotator.cli import main
from annotator.store import Project

SEED = 11
CASES_PER_FORMAT = 34  # x 9 formats: ~300 cases, about half a minute on a loaded 2-core machine
TABLES = ("documents", "spans", "labels", "claims", "claim_values", "relations", "doc_labels", "annotators")

TEXT = "Ann Lee met Bob Smith in Rome 🌍.\n\nThe mayor said prices rose."
PERSON, BOB, ROME = (0, 7), (12, 21), (25, 29)
SAID = (TEXT.index("said"), TEXT.index("said") + 4)
CLAIM = (TEXT.index("prices"), TEXT.index(" rose") + 5)

PRODIGY = [
    {"text": TEXT, "meta": {"title": "One", "source": "x"}, "answer": "accept", "accept": ["TOPIC"],
     "spans": [{"start": 0, "end": 7, "label": "PERSON", "text": "Ann Lee"},
               {"start": 25, "end": 29, "label": "GPE"}, {"start": CLAIM[0], "end": CLAIM[1], "label": "CLAIM"}],
     "relations": [{"head_span": {"start": CLAIM[0], "end": CLAIM[1], "label": "CLAIM"},
                    "child_span": {"start": 0, "end": 7, "label": "PERSON"}, "label": "ASSERTED_BY"}]},
    {"text": "A second article, plain.", "answer": "reject"},
]
DOCCANO = [
    {"text": TEXT, "label": [[0, 7, "PERSON"], [25, 29, "GPE"]], "title": "One"},
    {"text": TEXT, "entities": [{"id": 1, "label": "PERSON", "start_offset": 0, "end_offset": 7},
                                {"id": 2, "label": "PERSON", "start_offset": 12, "end_offset": 21}],
     "relations": [{"id": 1, "from_id": 1, "to_id": 2, "type": "MET"}]},
]
LABELSTUDIO = [
    {"id": 1, "data": {"text": TEXT, "title": "One"}, "annotations": [{"completed_by": 3, "result": [
        {"id": "a", "type": "labels", "from_name": "label", "to_name": "text",
         "value": {"start": 0, "end": 7, "text": "Ann Lee", "labels": ["PERSON"]}},
        {"id": "b", "type": "labels", "from_name": "label", "to_name": "text",
         "value": {"start": CLAIM[0], "end": CLAIM[1], "text": TEXT[CLAIM[0]:CLAIM[1]], "labels": ["CLAIM"]}},
        {"id": "b", "type": "choices", "from_name": "stance", "to_name": "text", "value": {"choices": ["asserts"]}},
        {"type": "relation", "from_id": "b", "to_id": "a", "labels": ["ASSERTED_BY"]},
        {"type": "choices", "from_name": "doc_labels", "value": {"choices": ["TOPIC"]}}]}]},
    {"data": {"text": "A second article."}, "annotations": [{"was_cancelled": True, "result": []}]},
]
BRAT_ANN = (f"T1\tPERSON {PERSON[0]} {PERSON[1]}\tAnn Lee\nT2\tPERSON {BOB[0]} {BOB[1]}\tBob Smith\n"
            f"T3\tGPE {ROME[0]} {ROME[1]}\tRome\nR1\tMET Arg1:T1 Arg2:T2\n#1\tAnnotatorNotes T1\ta note\n")
CONLL = "-DOCSTART- -X- -X- O\n\nAnn B-PERSON\nLee I-PERSON\nmet O\nBob B-PERSON\nin O\nRome B-GPE\n. O\n\nIt O\nrained O\n"
CSV = 'text,title\n"Ann Lee met Bob, in Rome.",One\n"Line one\nline two",Two\n'
TSV = "text\ttitle\nAnn Lee met Bob in Rome.\tOne\n"

INTERESTING = [None, True, False, 0, -1, 1, 7, 2**63, -2**70, 1.5, 1e308, "", "x", "PERSON", "\ud800", "a\x00b",
               "𝔘" * 3, [], [1, "a"], [[0, 3, "PERSON"]], {}, {"a": 1}, {"start": 0, "end": 3, "label": "X"},
               "z" * 300]
TOKENS = [b"null", b"-1", b"1e309", b'"\\ud800"', b"{}", b"[]", b"\x00", b"\t", b"\r\n", b'"', b",", b"]", b"}",
          b"99999999999999999999", b"\xff\xfe", "é".encode(), "🌍".encode(), b"T9", b";", b" B-", b"I-PER"]


# ----------------------------------------------------------------------------- mutators
def _mutate_bytes(rng: random.Random, data: bytes) -> bytes:
    data = bytearray(data)
    for _ in range(rng.randint(1, 3)):
        kind = rng.randrange(5)
        at = rng.randrange(len(data) + 1)
        if kind == 0 and data:
            data[min(at, len(data) - 1)] = rng.randrange(256)
        elif kind == 1:
            del data[at:at + rng.randint(1, 12)]
        elif kind == 2:
            end = min(len(data), at + rng.randint(1, 20))
            data[at:at] = data[at:end]
        elif kind == 3:
            data[at:at] = rng.choice(TOKENS)
        else:
            del data[rng.randrange(len(data) + 1):]
    return bytes(data)


def _paths(value, path=()):
    yield path
    if isinstance(value, dict):
        for key, child in value.items():
            yield from _paths(child, (*path, key))
    elif isinstance(value, list):
        for index, child in enumerate(value):
            yield from _paths(child, (*path, index))


def _mutate_json(rng: random.Random, value):
    """Swap a value somewhere for one of another type, or drop a key or an element."""
    value = json.loads(json.dumps(value))
    for _ in range(rng.randint(1, 2)):
        paths = [p for p in _paths(value) if p]
        if not paths:
            return rng.choice(INTERESTING)
        path = rng.choice(paths)
        parent = value
        for step in path[:-1]:
            parent = parent[step]
        if rng.random() < 0.2:
            del parent[path[-1]]
        else:
            parent[path[-1]] = rng.choice(INTERESTING)
    return value


def _jsonl(records) -> bytes:
    return "".join(json.dumps(r) + "\n" for r in records).encode("utf-8")


def _json_case(rng, records, as_list: bool) -> bytes:
    if rng.random() < 0.6:
        records = _mutate_json(rng, records)
        text = json.dumps(records) if as_list else "".join(json.dumps(r) + "\n" for r in (
            records if isinstance(records, list) else [records]))
        return text.encode("utf-8", "surrogatepass")
    return _mutate_bytes(rng, json.dumps(records).encode() if as_list else _jsonl(records))


def _docbin(user_data, spans=True) -> bytes:
    from spacy.tokens import Doc, DocBin
    from spacy.vocab import Vocab

    doc = Doc(Vocab(), words=["Ann", "Lee", "met", "Bob", "in", "Rome", "."],
              spaces=[True, True, True, True, True, False, False])
    if spans:
        doc.ents = [doc.char_span(0, 7, label="PERSON"), doc.char_span(19, 23, label="GPE")]
        doc.spans["claims"] = [doc.char_span(8, 15, label="CLAIM")]
    doc.cats = {"TOPIC": 1.0, "OTHER": 0.0}
    doc.user_data["annotator"] = user_data
    return DocBin(store_user_data=True, docs=[doc]).to_bytes()


DOCBIN_USER_DATA = {"version": 1, "id": 1, "title": "One", "meta": {"k": "v"}, "status": "done",
                    "claims": [{"start": 8, "end": 15, "label": "CLAIM", "claimant": {"start": 0, "end": 7,
                                                                                       "label": "PERSON"},
                                "attributes": {"stance": "asserts"}}],
                    "relations": [{"head": {"start": 0, "end": 7, "label": "PERSON"},
                                   "child": {"start": 19, "end": 23, "label": "GPE"}, "label": "IN"}]}


def _case(fmt: str, rng: random.Random) -> dict[str, bytes]:
    """The files of one case, by name; the first is the one given to import."""
    if fmt == "text":
        return {"a.txt": _mutate_bytes(rng, TEXT.encode())}
    if fmt == "csv":
        return {"a.csv": _mutate_bytes(rng, CSV.encode())}
    if fmt == "tsv":
        return {"a.tsv": _mutate_bytes(rng, TSV.encode())}
    if fmt == "prodigy":
        return {"a.jsonl": _json_case(rng, PRODIGY, as_list=False)}
    if fmt == "doccano":
        return {"a.jsonl": _json_case(rng, DOCCANO, as_list=False)}
    if fmt == "labelstudio":
        return {"a.json": _json_case(rng, LABELSTUDIO, as_list=True)}
    if fmt == "brat":
        text = TEXT.encode()
        ann = _mutate_bytes(rng, BRAT_ANN.encode())
        if rng.random() < 0.2:
            text = _mutate_bytes(rng, text)
        return {"d.ann": ann, "d.txt": text}
    if fmt == "conll":
        return {"a.conll": _mutate_bytes(rng, CONLL.encode())}
    if fmt == "spacy":
        if rng.random() < 0.8:
            spans = rng.random() < 0.8
            while True:  # msgpack holds no huge ints or lone surrogates: draw again
                try:
                    return {"a.spacy": _docbin(_mutate_json(rng, DOCBIN_USER_DATA), spans=spans)}
                except (OverflowError, UnicodeEncodeError):
                    continue
        return {"a.spacy": _mutate_bytes(rng, _docbin(DOCBIN_USER_DATA))}
    raise AssertionError(fmt)


def _valid(fmt: str) -> dict[str, bytes]:
    """The unmutated sample of a format (each imports cleanly: the fuzzing starts from valid files)."""
    return {"text": {"a.txt": TEXT.encode()}, "csv": {"a.csv": CSV.encode()}, "tsv": {"a.tsv": TSV.encode()},
            "prodigy": {"a.jsonl": _jsonl(PRODIGY)}, "doccano": {"a.jsonl": _jsonl(DOCCANO)},
            "labelstudio": {"a.json": json.dumps(LABELSTUDIO).encode()},
            "brat": {"d.ann": BRAT_ANN.encode(), "d.txt": TEXT.encode()}, "conll": {"a.conll": CONLL.encode()},
            "spacy": {"a.spacy": _docbin(DOCBIN_USER_DATA)}}[fmt]


FORMATS = ("text", "csv", "tsv", "prodigy", "doccano", "labelstudio", "brat", "conll", "spacy")
CASES = [(fmt, number) for fmt in FORMATS for number in range(CASES_PER_FORMAT)]


# ------------------------------------------------------------------------------- the test
@pytest.fixture(scope="module")
def base_project(tmp_path_factory):
    path = tmp_path_factory.mktemp("fuzz") / "base.annotator"
    from annotator.core.model import Label

    with Project.create(path) as project:
        project.add_label(Label("TOPIC", "doc"))
        project.add_label(Label("MET", "entity"))
    return path


def _snapshot(path) -> dict:
    conn = sqlite3.connect(path)
    try:
        return {table: conn.execute(f"SELECT * FROM {table} ORDER BY 1").fetchall() for table in TABLES}
    finally:
        conn.close()


def _import(base_project, tmp_path, fmt: str, files: dict[str, bytes], *options: str):
    project = tmp_path / "p.annotator"
    shutil.copyfile(base_project, project)
    for name, data in files.items():
        (tmp_path / name).write_bytes(data)
    given = tmp_path / next(iter(files))
    args = ["import", str(project), str(given), "--format", "csv" if fmt == "tsv" else fmt, *options]
    return project, given, CliRunner().invoke(main, args, catch_exceptions=True)


@pytest.mark.parametrize("fmt", FORMATS)
def test_cli_import_fuzz_valid_samples_import(base_project, tmp_path, fmt):
    project, _given, result = _import(base_project, tmp_path, fmt, _valid(fmt))
    assert result.exit_code == 0, result.stderr
    assert _snapshot(project)["documents"]


@pytest.mark.parametrize("fmt, number", CASES, ids=[f"{fmt}-{n}" for fmt, n in CASES])
def test_cli_import_fuzz_outcome_is_clean(base_project, tmp_path, fmt, number):
    rng = random.Random(f"{SEED}-{fmt}-{number}")
    before = _snapshot(base_project)
    files = _case(fmt, rng)
    project, given, result = _import(base_project, tmp_path, fmt, files,
                                     *(["--add-labels"] if rng.random() < 0.5 else []))
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise result.exception  # a traceback: the test fails showing it
    assert result.exit_code in (0, 2), (result.exit_code, result.output)
    assert "Traceback" not in result.output
    if result.exit_code == 2:
        errors = [line for line in result.stderr.splitlines() if line.startswith("error: ")]
        assert errors, result.stderr
        name = re.escape(str(given))
        for line in errors:
            assert re.match(rf"error: ({name}|{re.escape(str(tmp_path / 'd.txt'))})(:\d+)?: ", line), line
        assert _snapshot(project) == before, "a refused file changed the project"
