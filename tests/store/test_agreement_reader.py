"""The agreement reader: one query for spans, one for claims, in document order; bad rows are errors."""

from __future__ import annotations

import sqlite3

import pytest
from agreement_projects import build, offsets

from annotator.store import Project, ProjectError
from annotator.store.agreement_reader import AgreementReader


@pytest.fixture
def path(tmp_path):
    path = tmp_path / "team.annotator"
    build(path)
    return path


def reader(project, names=("alice", "bob")):
    chosen = [AgreementReader.find(project, name) for name in names]
    return AgreementReader(project, chosen, ["PERSON", "GPE", "LOC"], ["CLAIM"])


def test_agreement_reader_spans_by_document_and_annotator(path):
    with Project.open(path) as project:
        read = reader(project)
        ids = {a.name: a.id for a in read.annotators}
        docs = list(read.spans())
    assert [doc_id for doc_id, _ in docs] == sorted(doc_id for doc_id, _ in docs)
    first = dict(docs)[docs[0][0]]
    assert sorted(first[ids["alice"]]) == sorted([(*offsets(0, "Ana Ruiz"), "PERSON"), (*offsets(0, "Lima"), "GPE")])
    assert sorted(first[ids["bob"]]) == sorted([(*offsets(0, "Ana Ruiz"), "PERSON"), (*offsets(0, "Lima"), "LOC")])
    # offsets are code points: the emoji ZWJ sequence before them counts 4
    assert offsets(0, "Ana Ruiz")[0] == 8


def test_agreement_reader_claims_with_claimant_cue_and_values(path):
    with Project.open(path) as project:
        read = reader(project)
        ids = {a.name: a.id for a in read.annotators}
        [(_, layers)] = list(read.claims())
    [claim] = layers[ids["alice"]]
    assert (claim.start, claim.end) == offsets(0, "the clinic would close")
    assert claim.claimant == offsets(0, "Ana Ruiz") and claim.cue == offsets(0, "told")
    assert claim.values == {"stance": "asserts", "verdict": "unverified"}  # the scheme's default is stored
    assert layers[ids["bob"]][0].cue is None


def test_agreement_reader_free_text_claimant_is_canonical(path):
    conn = sqlite3.connect(path)
    conn.execute("UPDATE claims SET claimant_span_id = NULL, claimant_text = 'Ruiz'")
    conn.execute("INSERT INTO claimant_aliases (alias, canonical) VALUES ('Ruiz', 'Ana Ruiz')")
    conn.commit()
    conn.close()
    with Project.open(path) as project:
        [(_, layers)] = list(reader(project).claims())
    assert {c.claimant_text for claims in layers.values() for c in claims} == {"Ana Ruiz"}


def test_agreement_reader_reversed_span_is_an_error_naming_the_row(path):
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA ignore_check_constraints = 1")
    conn.execute("UPDATE spans SET \"end\" = start - 1 WHERE text = 'Lima'")
    conn.commit()
    conn.close()
    with Project.open(path, check=False) as project, pytest.raises(ProjectError, match="spans row of document"):
        list(reader(project).spans())
