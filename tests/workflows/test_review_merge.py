"""Merging carries the gold layer and its provenance like any layer: by content, idempotently."""

from __future__ import annotations

import sqlite3

from review_projects import build, offsets

from annotator.core.team import GOLD_UUID
from annotator.store import Project
from annotator.workflows.merging import merge_projects, summary_text
from annotator.workflows.reviewing import AutoReviewOptions, auto_review


def gold_with_provenance(path):
    conn = sqlite3.connect(path)
    try:
        spans = conn.execute(
            'SELECT d.content_hash, g.start, g."end", g.label, g.state, g.decision, g.agreed, g.decided_by,'
            " g.decided_at FROM gold_view g JOIN documents d ON d.id = g.doc_id ORDER BY 1, 2, 3, 4, 5").fetchall()
        labels = conn.execute(
            "SELECT d.content_hash, l.name, p.rejected, p.agreed, p.decided_by, p.decision FROM gold_label_provenance p"
            " JOIN documents d ON d.id = p.doc_id JOIN labels l ON l.id = p.label_id ORDER BY 1, 2").fetchall()
        status = conn.execute("SELECT d.content_hash FROM annotator_status s JOIN documents d ON d.id = s.doc_id"
                              " WHERE s.annotator_uuid = ? AND s.status = 'done' ORDER BY 1", [GOLD_UUID]).fetchall()
        return spans, labels, status
    finally:
        conn.close()


def test_review_merge_brings_gold_with_provenance_and_updates_it(tmp_path):
    source, target = tmp_path / "reviewer.annotator", tmp_path / "lead.annotator"
    ids = build(source)
    build(target)
    with Project.open(source) as project:
        auto_review(project, AutoReviewOptions("majority", reviewer="rita"))
        doc = project.review_document(ids[2])
        project.reject_unit(ids[2], next(u for u in doc.units if u.group == "doc").locator, "rita")
        project.set_reviewed(ids[2])
    with Project.open(target) as project:
        result = merge_projects(project, [source])
    assert result.ok
    assert "gold's decisions on 3 documents" in summary_text(result.summaries[0])
    assert gold_with_provenance(target) == gold_with_provenance(source)
    labels = gold_with_provenance(target)[1]
    assert [(name, rejected, who, how) for _, name, rejected, _, who, how in labels] == [
        ("URGENT", 1, "rita", "rejected")]
    assert len(gold_with_provenance(target)[2]) == 1  # the reviewed document
    with Project.open(target) as project:
        again = merge_projects(project, [source])
    assert again.summaries[0].nothing_new

    # The reviewer changes a decision: the lead's copy follows.
    with Project.open(source) as project:
        unit = next(u for u in project.review_document(ids[0]).units if u.start == offsets(0, "Porto")[0])
        project.accept_version(ids[0], unit.locator, "carol", "rita")
    with Project.open(target) as project:
        merge_projects(project, [source])
    assert gold_with_provenance(target) == gold_with_provenance(source)


def test_review_merge_a_provenance_only_change_is_merged(tmp_path):
    source, target = tmp_path / "reviewer.annotator", tmp_path / "lead.annotator"
    build(source)
    build(target)
    with Project.open(source) as project:
        auto_review(project, AutoReviewOptions("unanimous", reviewer="rita"))
    with Project.open(target) as project:
        merge_projects(project, [source])
    conn = sqlite3.connect(source)
    conn.execute("UPDATE gold_provenance SET decided_by = 'rita m.'")
    conn.commit()
    conn.close()
    with Project.open(target) as project:
        result = merge_projects(project, [source])
    assert not result.summaries[0].nothing_new
    assert {row[7] for row in gold_with_provenance(target)[0]} == {"rita m."}
