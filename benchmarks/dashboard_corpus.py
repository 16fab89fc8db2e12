"""Turn an imported benchmark project (benchmarks/corpus.py) into a team's project for the
dashboard: three annotators with statuses of their own and the documents done over 60 days,
every span in one of their layers, an overlap of doubly annotated documents, claimants (span
and free text, some merged by aliases), claim attribute values and trained models.

    python benchmarks/dashboard_corpus.py project.annotator [LAST-DAY]

Raw SQL on purpose: the benchmark's input is made the fastest way, not through the program
(it measures reading, not writing). Deterministic: the same project gives the same result.
"""

from __future__ import annotations

import json
import sqlite3
import sys
import uuid
from pathlib import Path

PEOPLE = ("alice", "bob", "carol")
DAYS = 60  # the documents were done over this many days, ending on END
END = "2026-03-31"  # the default; --end moves it (today, for screenshots with a projected finish)
OVERLAP_EVERY = 50  # every 50th document is also annotated (and done) by the next annotator
STANCES = ("asserts", "denies", "hedges", "questions")
WORTH = ("check-worthy factual", "unimportant factual", "not factual")


def dress(path: Path, end: str = END) -> None:
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA foreign_keys = ON")
    with conn:
        conn.executemany("INSERT INTO annotators (id, uuid, name, separate_status, created_at) VALUES (?,?,?,1,?)",
                         [(i + 1, str(uuid.UUID(int=i + 1)), name, "2026-01-01T00:00:00Z")
                          for i, name in enumerate(PEOPLE)])
        n = len(PEOPLE)
        conn.execute(f"UPDATE spans SET annotator_id = doc_id % {n} + 1, state = 'accepted'")
        conn.execute(f"INSERT INTO assignments (doc_id, annotator_id, assigned_at) SELECT id, id % {n} + 1,"
                     " '2026-01-01T00:00:00Z' FROM documents")
        # Done over DAYS days (a tenth skipped, a quarter still to do), at a pace that grows.
        conn.execute(
            "INSERT INTO document_status (doc_id, annotator_id, status, updated_at)"
            f" SELECT id, id % {n} + 1, CASE WHEN id % 10 = 3 THEN 'skipped' ELSE 'done' END,"
            f" strftime('%Y-%m-%dT%H:%M:%fZ', date(?, '-' || (({DAYS} - 1) - ((id * 7919) % 1000) * {DAYS} / 1000)"
            "  || ' days'), '+' || (id % 600) || ' minutes')"
            " FROM documents WHERE id % 4 != 0", [end])
        # The overlap: the next annotator's copy of the same spans (a few moved by a character).
        overlap = f"doc_id % {OVERLAP_EVERY} = 1"
        conn.execute(
            'INSERT INTO spans (doc_id, start, "end", label_id, text, annotator_id, origin, state, created_at,'
            " updated_at) SELECT doc_id, start, CASE WHEN id % 9 = 0 AND \"end\" - start > 2 THEN \"end\" - 1"
            ' ELSE "end" END, label_id, CASE WHEN id % 9 = 0 AND "end" - start > 2 THEN substr(text, 1,'
            f' length(text) - 1) ELSE text END, (doc_id + 1) % {n} + 1, origin, state, created_at, updated_at'
            f" FROM spans WHERE {overlap} AND id NOT IN (SELECT span_id FROM claims)")
        conn.execute(
            "INSERT OR REPLACE INTO document_status (doc_id, annotator_id, status, updated_at)"
            f" SELECT doc_id, (doc_id + 1) % {n} + 1, 'done', updated_at FROM document_status"
            f" WHERE {overlap} AND status = 'done'")
        # Claimants: the first PERSON span of the document; every fifth claim a free-text source.
        person = conn.execute("SELECT id FROM labels WHERE name = 'PERSON'").fetchone()[0]
        conn.execute(
            "UPDATE claims SET claimant_span_id = (SELECT p.id FROM spans p, spans c WHERE c.id = claims.span_id"
            " AND p.doc_id = c.doc_id AND p.label_id = ? AND p.annotator_id = c.annotator_id ORDER BY p.start"
            " LIMIT 1) WHERE id % 5 != 0", [person])
        conn.execute("UPDATE claims SET claimant_text = CASE id % 3 WHEN 0 THEN 'a government spokesperson'"
                     " WHEN 1 THEN 'officials' ELSE 'the ministry' END WHERE id % 5 = 0")
        conn.execute("INSERT OR IGNORE INTO claimant_aliases (alias, canonical) VALUES"
                     " ('officials', 'a government spokesperson'), ('the ministry', 'a government spokesperson')")
        conn.execute("DELETE FROM claim_values WHERE attribute IN ('stance', 'checkworthiness')")
        conn.executemany(
            "INSERT INTO claim_values (claim_id, attribute, value) SELECT id, ?, ? FROM claims WHERE id % ? = ?",
            [("stance", s, len(STANCES), i) for i, s in enumerate(STANCES)]
            + [("checkworthiness", w, len(WORTH), i) for i, w in enumerate(WORTH)])
        labels = [r[0] for r in conn.execute("SELECT name FROM labels WHERE kind = 'entity' ORDER BY position")]
        for round_ in range(6):
            per_label = {"ner": {lab: {"p": 0.5 + 0.07 * round_, "r": 0.45 + 0.08 * round_,
                                       "f": round(0.47 + 0.075 * round_ - 0.01 * k, 4)}
                                 for k, lab in enumerate(labels)},
                         "spancat": {"CLAIM": {"p": 0.3 + 0.05 * round_, "r": 0.25 + 0.05 * round_,
                                               "f": 0.27 + 0.05 * round_}}}
            conn.execute(
                "INSERT INTO models (name, path, created_at, components, base, documents, scores, settings)"
                " VALUES (?,?,?,?,?,?,?,?)",
                [f"round-{round_ + 1}", f"/nowhere/round-{round_ + 1}", f"2026-0{1 + round_ // 2}-{10 + 9 * (round_ % 2)}"
                 "T12:00:00Z", '["ner", "spancat"]', None, 10_000 * (round_ + 1),
                 json.dumps({"totals": {}, "per_label": per_label}), "{}"])
    conn.execute("ANALYZE")
    conn.close()


if __name__ == "__main__":
    dress(Path(sys.argv[1]), *sys.argv[2:3])
