"""Model in the loop, in the store: suggestions written in bulk, trained models, document scores.

Mixed into ``Project``. A batch of suggestions is ONE transaction: a run that is cancelled
or dies between batches leaves whole batches, never half of one. The rules for what may be
written are ``core.suggestions.plan_proposals`` (duplicates, rejected before, overlaps with
accepted entities), the same ``find_conflict`` that ``add_span`` uses.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..core.model import Span, is_valid_origin
from ..core.suggestions import (
    ClaimLabels,
    ClaimProposal,
    DocSuggestions,
    Existing,
    Proposal,
    SuggestCounts,
    TrainedModel,
    entity_at,
    plan_proposals,
)
from .errors import ProjectError
from .spans import SPAN_COLUMNS, SPAN_JOINS, span_from_row

SUGGEST_ONLY = ("todo", "all")


@dataclass
class WrittenSuggestions:
    """What one ``write_suggestions`` call stored: counts, and the ids undo needs."""

    counts: SuggestCounts = field(default_factory=SuggestCounts)
    span_ids: list[int] = field(default_factory=list)
    doc_ids: list[int] = field(default_factory=list)  # documents that got at least one suggestion


class ModelStore:
    """Mixed into ``Project``: needs ``db``, ``transaction``, ``_now``, ``label_kinds``."""

    # ------------------------------------------------------------ suggestions
    def suggestion_documents(self, only: str = "todo", *, after: tuple[int, int] | None = None,
                             limit: int = 64) -> list[tuple[int, int, str]]:
        """The next page of (position, id, text) to pre-annotate, in list order after ``after``
        (a (position, id) pair): keyset paging, so a run over 100,000 documents never re-reads."""
        if only not in SUGGEST_ONLY:
            raise ProjectError(f"--only must be one of {', '.join(SUGGEST_ONLY)}, not {only!r}")
        where, params = ["1"], []
        if only == "todo":
            where.append("status = 'todo'")
        if after is not None:
            where.append("(position, id) > (?, ?)")
            params += list(after)
        rows = self.db.query(f"SELECT position, id, text FROM documents WHERE {' AND '.join(where)}"
                             " ORDER BY position, id LIMIT ?", [*params, limit])
        return [(r["position"], r["id"], r["text"]) for r in rows]

    def suggestion_document_count(self, only: str = "todo") -> int:
        return self.document_count("todo" if only == "todo" else None)

    def existing_spans(self, doc_ids: Sequence[int]) -> dict[int, list[Existing]]:
        """Every stored span of these documents (any state) with its label's kind."""
        found: dict[int, list[Existing]] = {doc_id: [] for doc_id in doc_ids}
        for i in range(0, len(doc_ids), 500):
            chunk = list(doc_ids[i:i + 500])
            marks = ",".join("?" * len(chunk))
            for r in self.db.query(f"SELECT {SPAN_COLUMNS} FROM spans {SPAN_JOINS} WHERE spans.doc_id IN ({marks})"
                                   " ORDER BY spans.start, spans.\"end\", spans.id", chunk):
                found[r["doc_id"]].append((span_from_row(r), r["kind"]))
        return found

    def write_suggestions(self, batch: Sequence[DocSuggestions], origin: str, *,
                          claim_labels: ClaimLabels | None = None) -> WrittenSuggestions:
        """Store a batch of proposals as suggested spans (and claims), in one transaction.

        Never touches a stored span: what would duplicate or overlap one is left out and
        counted. A proposed claim becomes a suggested content span plus a claim row; its cue
        a suggested cue span (or the existing one at that range); its claimant the entity
        span at exactly that range when there is one (tagged or suggested), else a suggested
        source-phrase span, else free text.
        """
        if not is_valid_origin(origin) or origin in ("manual", "import"):
            raise ProjectError(f"suggestions need an origin model:NAME or pattern:NAME, not {origin!r}")
        result = WrittenSuggestions()
        result.counts.documents = len(batch)
        if not batch:
            return result
        with self.transaction():
            kinds = self.label_kinds()
            label_ids = {r["name"]: r["id"] for r in self.db.query("SELECT id, name FROM labels")}
            allow = self.allow_overlapping_entities
            defaults = self._claim_defaults()
            existing = self.existing_spans([d.doc_id for d in batch])
            now = self._now()
            for doc in batch:
                here = existing[doc.doc_id]
                spans = plan_proposals(here, _in_text(doc.spans, doc.text), kinds, allow_overlap=allow,
                                       counts=result.counts)
                added = [self._insert_suggestion(doc, p, label_ids[p.label], origin, now) for p in spans]
                for span, proposal in zip(added, spans):
                    here.append((span, kinds[proposal.label]))
                if claim_labels is not None and doc.claims:
                    added += self._write_claims(doc, here, kinds, label_ids, claim_labels, defaults, origin, now,
                                                allow, result.counts)
                if added:
                    result.doc_ids.append(doc.doc_id)
                    result.span_ids += [s.id for s in added if s.id is not None]
            result.counts.added = len(result.span_ids)
        return result

    def _insert_suggestion(self, doc: DocSuggestions, p: Proposal, label_id: int, origin: str, now: str) -> Span:
        text = doc.text[p.start:p.end]
        cursor = self.db.execute(
            'INSERT INTO spans (doc_id, start, "end", label_id, text, annotator_id, origin, state, created_at,'
            " updated_at) VALUES (?,?,?,?,?,NULL,?,'suggested',?,?)",
            [doc.doc_id, p.start, p.end, label_id, text, origin, now, now])
        return Span(doc.doc_id, p.start, p.end, p.label, text, None, origin, "suggested", cursor.lastrowid)

    def _write_claims(self, doc: DocSuggestions, here: list[Existing], kinds: Mapping[str, str],
                      label_ids: Mapping[str, int], labels: ClaimLabels, defaults: Mapping[str, str],
                      origin: str, now: str, allow: bool, counts: SuggestCounts) -> list[Span]:
        added: list[Span] = []
        live = {(s.start, s.end, s.label): s for s, _kind in here if s.state != "rejected"}

        def span_for(start: int, end: int, label: str) -> Span | None:
            """The span at this range and label: one already there, else a new suggestion."""
            if (start, end, label) in live:
                return live[(start, end, label)]
            planned = plan_proposals(here, [Proposal(start, end, label)], kinds, allow_overlap=allow,
                                     counts=SuggestCounts())
            if not planned:
                return None
            span = self._insert_suggestion(doc, planned[0], label_ids[label], origin, now)
            here.append((span, kinds[label]))
            live[(start, end, label)] = span
            added.append(span)
            return span

        for claim in doc.claims:
            if not _ranges_fit(claim, len(doc.text)):
                continue
            content = plan_proposals(here, [Proposal(*claim.content, labels.content)], kinds, allow_overlap=allow,
                                     counts=counts)
            if not content:
                continue  # already there (as a claim or not), or rejected before: leave it alone
            content_span = self._insert_suggestion(doc, content[0], label_ids[labels.content], origin, now)
            here.append((content_span, kinds[labels.content]))
            live[(*claim.content, labels.content)] = content_span
            added.append(content_span)
            cue_id = claimant_id = None
            claimant_text = None
            if claim.cue is not None and labels.cue is not None:
                cue = span_for(*claim.cue, labels.cue)
                cue_id = cue.id if cue is not None else None
            if claim.claimant is not None:
                entity = entity_at(here, *claim.claimant)
                if entity is not None:
                    claimant_id = entity.id
                elif labels.source is not None:
                    source = span_for(*claim.claimant, labels.source)
                    claimant_id = source.id if source is not None else None
                else:
                    claimant_text = doc.text[claim.claimant[0]:claim.claimant[1]]
            claim_id = self.db.execute(
                "INSERT INTO claims (span_id, claimant_span_id, claimant_text, cue_span_id, created_at, updated_at)"
                " VALUES (?,?,?,?,?,?)", [content_span.id, claimant_id, claimant_text, cue_id, now, now]).lastrowid
            values = dict(defaults)
            values.update(v for v in claim.values if self._claim_value_ok(*v))
            self.db.conn.executemany("INSERT INTO claim_values (claim_id, attribute, value) VALUES (?,?,?)",
                                     [(claim_id, name, value) for name, value in values.items()])
            counts.claims += 1
        return added

    def _claim_defaults(self) -> dict[str, str]:
        self._attribute_choices = {a.name: (a.kind, a.choices) for a in self.claim_attributes()}
        return {a.name: a.default for a in self.claim_attributes() if a.default is not None}

    def _claim_value_ok(self, name: str, value: str) -> bool:
        kind, choices = self._attribute_choices.get(name, (None, ()))
        return kind == "text" or (kind == "choice" and value in choices)

    def suggested_spans(self, doc_id: int) -> list[Span]:
        return [span_from_row(r) for r in self.db.query(
            f"SELECT {SPAN_COLUMNS} FROM spans {SPAN_JOINS} WHERE spans.doc_id = ? AND spans.state = 'suggested'"
            ' ORDER BY spans.start, spans."end", spans.id', [doc_id])]

    def suggestion_count(self, doc_id: int | None = None) -> int:
        where, params = ("AND doc_id = ?", [doc_id]) if doc_id is not None else ("", [])
        return next(self.db.query(f"SELECT count(*) AS n FROM spans WHERE state = 'suggested' {where}", params))["n"]

    def claim_parts(self, span_id: int) -> list[int]:
        """The suggested cue and claimant spans of the claim whose content is ``span_id`` that
        belong to that claim alone: accepting or rejecting the claim takes them along."""
        rows = list(self.db.query("SELECT id, claimant_span_id, cue_span_id FROM claims WHERE span_id = ?", [span_id]))
        if not rows:
            return []
        parts = []
        for part in (rows[0]["cue_span_id"], rows[0]["claimant_span_id"]):
            if part is None:
                continue
            state = list(self.db.query("SELECT state FROM spans WHERE id = ?", [part]))
            others = next(self.db.query("SELECT count(*) AS n FROM claims WHERE id != ? AND (claimant_span_id = ?"
                                        " OR cue_span_id = ?)", [rows[0]["id"], part, part]))["n"]
            if state and state[0]["state"] == "suggested" and not others:
                parts.append(part)
        return parts

    def clear_suggestions(self, doc_ids: Iterable[int] | None = None, origin: str | None = None) -> int:
        """Delete pending suggestions (of one origin, or all) from these documents (or all);
        rejected suggestions stay: they remember what not to propose again."""
        where, params = ["state = 'suggested'"], []
        if origin is not None:
            where.append("origin = ?")
            params.append(origin)
        ids = list(doc_ids) if doc_ids is not None else None
        with self.transaction():
            if ids is None:
                return self.db.execute(f"DELETE FROM spans WHERE {' AND '.join(where)}", params).rowcount
            removed = 0
            for i in range(0, len(ids), 500):
                chunk = ids[i:i + 500]
                removed += self.db.execute(
                    f"DELETE FROM spans WHERE {' AND '.join(where)} AND doc_id IN ({','.join('?' * len(chunk))})",
                    [*params, *chunk]).rowcount
            return removed

    # ------------------------------------------------------------------ models
    def add_model(self, name: str, path: str, *, components: Sequence[str], documents: int,
                  scores: Mapping[str, Any], settings: Mapping[str, Any] | None = None,
                  base: str | None = None) -> TrainedModel:
        if not name.strip():
            raise ProjectError("a model needs a name")
        with self.transaction():
            if list(self.db.query("SELECT 1 FROM models WHERE name = ?", [name])):
                raise ProjectError(f"there is already a model named {name!r}")
            model_id = self.db.execute(
                "INSERT INTO models (name, path, created_at, components, base, documents, scores, settings)"
                " VALUES (?,?,?,?,?,?,?,?)",
                [name, self._stored_model_path(path), self._now(), json.dumps(list(components)), base, documents,
                 json.dumps(scores, ensure_ascii=False), json.dumps(dict(settings or {}), ensure_ascii=False)],
            ).lastrowid
        return self.model(model_id)

    def models(self) -> list[TrainedModel]:
        """Every trained model, newest first."""
        return [self._model(r) for r in self.db.query("SELECT * FROM models ORDER BY created_at DESC, id DESC")]

    def model(self, key: int | str) -> TrainedModel:
        column = "id" if isinstance(key, int) else "name"
        rows = list(self.db.query(f"SELECT * FROM models WHERE {column} = ?", [key]))
        if not rows:
            raise ProjectError(f"no trained model {key!r} in this project")
        return self._model(rows[0])

    # A model beside the project (in <stem>.models/) is stored relative to the project's
    # folder, so the project and its models can be moved or shared together; models
    # elsewhere keep their absolute path. Handed out, a path is always absolute.
    def _stored_model_path(self, path: str) -> str:
        target = Path(path).resolve()
        try:
            return target.relative_to(self.path.resolve().parent).as_posix()
        except ValueError:
            return str(target)

    def _model(self, r: Mapping[str, Any]) -> TrainedModel:
        stored = Path(r["path"])
        path = stored if stored.is_absolute() else self.path.resolve().parent / stored
        return TrainedModel(r["id"], r["name"], str(path), r["created_at"], tuple(json.loads(r["components"])),
                            r["base"], r["documents"], json.loads(r["scores"]), json.loads(r["settings"]))

    def unique_model_name(self, stem: str) -> str:
        names = {r["name"] for r in self.db.query("SELECT name FROM models")}
        if stem not in names:
            return stem
        n = 2
        while f"{stem}-{n}" in names:
            n += 1
        return f"{stem}-{n}"

    def remove_model(self, name: str) -> None:
        """Forget a model (its scores go with it); its folder on disk is left to the caller."""
        model = self.model(name)
        with self.transaction():
            self.db.execute("DELETE FROM models WHERE id = ?", [model.id])

    # -------------------------------------------------------- document scores
    def set_document_scores(self, model_id: int, scores: Mapping[int, float]) -> None:
        """Store how unsure a model is about each document (0 sure .. 1), replacing old scores."""
        with self.transaction():
            self.db.conn.executemany(
                "INSERT INTO document_scores (doc_id, model_id, uncertainty) VALUES (?,?,?)"
                " ON CONFLICT(doc_id, model_id) DO UPDATE SET uncertainty = excluded.uncertainty",
                [(doc_id, model_id, float(value)) for doc_id, value in scores.items()])

    def document_score(self, doc_id: int, model_id: int) -> float | None:
        rows = list(self.db.query("SELECT uncertainty FROM document_scores WHERE doc_id = ? AND model_id = ?",
                                  [doc_id, model_id]))
        return rows[0]["uncertainty"] if rows else None

    def scored_document_count(self, model_id: int) -> int:
        return next(self.db.query("SELECT count(*) AS n FROM document_scores WHERE model_id = ?", [model_id]))["n"]

    def latest_scored_model(self) -> TrainedModel | None:
        """The newest model that has scored documents (the one "next uncertain" follows)."""
        rows = list(self.db.query("SELECT models.* FROM models WHERE EXISTS (SELECT 1 FROM document_scores"
                                  " WHERE model_id = models.id) ORDER BY created_at DESC, id DESC LIMIT 1"))
        return self._model(rows[0]) if rows else None

    def next_uncertain_document(self, model_id: int, current: int | None = None,
                                status: str = "todo") -> int | None:
        """The document with ``status`` the model is least sure about (not ``current``); ties go
        to list order."""
        rows = list(self.db.query(
            "SELECT documents.id FROM document_scores JOIN documents ON documents.id = document_scores.doc_id"
            " WHERE document_scores.model_id = ? AND documents.status = ? AND documents.id != ?"
            " ORDER BY document_scores.uncertainty DESC, documents.position LIMIT 1",
            [model_id, status, current if current is not None else -1]))
        return rows[0]["id"] if rows else None


def _in_text(proposals: Iterable[Proposal], text: str) -> list[Proposal]:
    n = len(text)
    return [p for p in proposals if 0 <= p.start < p.end <= n]


def _ranges_fit(claim: ClaimProposal, n: int) -> bool:
    ranges = [claim.content, claim.cue, claim.claimant]
    return all(0 <= r[0] < r[1] <= n for r in ranges if r is not None)
