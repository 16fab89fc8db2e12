"""Random sequences of edits, label scheme changes, preferences, undos and redos over the document
session (its own bare QUndoStack, no window) keep the project file equal to what the views show.

The views are the real ones, following the session as in the window: the article view's span
index, the span table's rows, the label bar's buttons and the claims list.
"""

from __future__ import annotations

import itertools

import pytest
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, precondition, rule
from ui_projects import write_documents

from annotator.core.model import Label
from annotator.store import Project
from annotator.ui.claims.claims_list import ClaimListModel
from annotator.ui.session.claim_commands import SetClaimValueCommand
from annotator.ui.session.document_session import DocumentSession
from annotator.ui.session.scheme_commands import (
    AddLabelCommand,
    EditLabelCommand,
    RemoveLabelCommand,
    SetProjectSettingCommand,
)
from annotator.ui.text.text_view import AnnotationView
from annotator.ui.views.label_bar import BAR_KINDS, LabelBar
from annotator.ui.views.span_table import SpanTableModel

TEXTS = (
    "Ana Souza met Reuters in Lisbon on Monday; prices would fall, she said.",
    "Kenya 😀 and Ghana signed; the ministry denied it\r\nlater that week.",
)
STARTS = st.integers(0, 60)
LENGTHS = st.integers(1, 12)
PICK = st.integers(0, 10_000)
NAMES = itertools.count()


@pytest.fixture(autouse=True)
def _qt(qapp):
    """The machine builds widgets: a QApplication must exist (pytest-qt's)."""


class SessionMachine(RuleBasedStateMachine):
    @initialize()
    def start(self) -> None:
        import tempfile
        from pathlib import Path

        self.folder = tempfile.TemporaryDirectory()
        self.project = Project.create(Path(self.folder.name) / "machine.annotator")
        write_documents(self.project, [(f"Doc {i}", text) for i, text in enumerate(TEXTS)])
        self.doc_ids = [s.id for s in self.project.document_summaries(0, 10)]
        self.session = DocumentSession(self.project, "ann")
        self.view = AnnotationView()
        self.table = SpanTableModel()
        self.bar = LabelBar()
        self.claims = ClaimListModel()
        for follower in (self.view, self.table, self.bar):
            follower.follow(self.session)
        self.session.document_shown.connect(lambda shown: self.claims.set_claims(shown.claims if shown else []))
        self.session.claims_changed.connect(lambda claims, _focus: self.claims.set_claims(claims))
        self.session.show(self.doc_ids[0])

    def teardown(self) -> None:
        if hasattr(self, "session"):
            self.session.blockSignals(True)
            self.session.stack.blockSignals(True)
            for widget in (self.view, self.bar):
                widget.deleteLater()
            self.project.close()
            self.folder.cleanup()

    # ------------------------------------------------------------------ helpers
    def _text(self) -> str:
        return self.session.shown.text

    def _labels(self, *kinds: str) -> list[Label]:
        return [label for label in self.session.labels if label.kind in kinds]

    def _spans(self):
        return sorted(self.session.shown.spans.values(), key=lambda s: (s.start, s.end, s.id))

    # ------------------------------------------------------------------ edits
    @rule(start=STARTS, length=LENGTHS, pick=PICK)
    def tag(self, start: int, length: int, pick: int) -> None:
        labels = self._labels("entity", "claim", "role")
        text = self._text()
        start = min(start, len(text) - 1)
        end = min(len(text), start + length)
        if labels:
            self.session.add_span(start, end, labels[pick % len(labels)].name)

    @precondition(lambda self: bool(self.session.shown.spans))
    @rule(pick=PICK)
    def delete(self, pick: int) -> None:
        spans = self._spans()
        self.session.delete_span(spans[pick % len(spans)].id)

    @precondition(lambda self: bool(self.session.shown.spans))
    @rule(pick=PICK, other=PICK)
    def relabel(self, pick: int, other: int) -> None:
        span = self._spans()[pick % len(self._spans())]
        kind = self.session.kind(span.label)
        labels = self._labels(kind)
        self.session.relabel_span(span.id, labels[other % len(labels)].name)

    @precondition(lambda self: bool(self.session.shown.spans))
    @rule(pick=PICK, grow=st.integers(-3, 3))
    def resize(self, pick: int, grow: int) -> None:
        span = self._spans()[pick % len(self._spans())]
        end = max(span.start + 1, min(len(self._text()), span.end + grow))
        self.session.resize_span(span.id, span.start, end)

    @precondition(lambda self: bool(self.session.shown.claims))
    @rule(pick=PICK, choice=PICK)
    def claim_value(self, pick: int, choice: int) -> None:
        claim = self.session.shown.claims[pick % len(self.session.shown.claims)]
        attribute = next(a for a in self.session.attributes if a.kind == "choice")
        value = attribute.choices[choice % len(attribute.choices)]
        self.session.run(lambda: SetClaimValueCommand(self.project, claim.id, attribute.name, value))

    @rule(status=st.sampled_from(["todo", "done", "skipped"]))
    def status(self, status: str) -> None:
        self.session.set_status(self.session.doc_id, status)

    @rule(pick=PICK)
    def switch(self, pick: int) -> None:
        self.session.show(self.doc_ids[pick % len(self.doc_ids)])

    # ------------------------------------------------------------------ scheme and preferences
    @rule(kind=st.sampled_from(["entity", "claim", "role"]))
    def add_label(self, kind: str) -> None:
        name = f"L{next(NAMES)}"
        self.session.run(lambda: AddLabelCommand(self.project, Label(name, kind, "#a0b0c0")))

    @rule(pick=PICK)
    def rename_label(self, pick: int) -> None:
        labels = self._labels("entity", "claim", "role")
        label = labels[pick % len(labels)]
        self.session.run(lambda: EditLabelCommand(self.project, label.name, new_name=f"R{next(NAMES)}",
                                                  color="#123456"))

    @rule(pick=PICK)
    def remove_label(self, pick: int) -> None:
        labels = self._labels("entity", "claim", "role")
        if len(labels) > 2:
            name = labels[pick % len(labels)].name
            self.session.run(lambda: RemoveLabelCommand(self.project, name, used=self.project.label_usage(name)))

    @rule(allow=st.booleans())
    def overlaps(self, allow: bool) -> None:
        self.session.run(lambda: SetProjectSettingCommand(self.project, "allow_overlapping_entities",
                                                          "1" if allow else "0", default="0", text="overlaps"))

    # ------------------------------------------------------------------ history
    @rule(times=st.integers(1, 4))
    def undo(self, times: int) -> None:
        for _ in range(times):
            self.session.undo()

    @rule(times=st.integers(1, 4))
    def redo(self, times: int) -> None:
        for _ in range(times):
            self.session.redo()

    # ------------------------------------------------------------------ the file equals the views
    @invariant()
    def views_show_the_file(self) -> None:
        if not hasattr(self, "session"):
            return
        doc_id = self.session.doc_id
        stored = {s.id: (s.start, s.end, s.label, s.text, s.state) for s in self.project.spans(doc_id)}
        held = {s.id: (s.start, s.end, s.label, s.text, s.state) for s in self.session.shown.spans.values()}
        drawn = {s.id: (s.span.start, s.span.end, s.span.label, s.span.text, s.span.state)
                 for s in self.view.index.all()}
        rows = {span.id: (span.start, span.end, span.label, span.text, span.state)
                for span in (self.table.span_at(r) for r in range(self.table.rowCount()))}
        assert held == stored
        assert drawn == stored
        assert rows == stored
        assert [c.id for c in self.claims.claims()] == [c.id for c in self.project.claims(doc_id)]
        assert [c.values for c in self.claims.claims()] == [c.values for c in self.project.claims(doc_id)]
        labels = self.project.labels()
        assert [(lab.name, lab.color, lab.key) for lab in self.session.labels] == \
            [(lab.name, lab.color, lab.key) for lab in labels]
        assert sorted(self.bar.label_actions) == sorted(lab.name for lab in labels if lab.kind in BAR_KINDS)
        assert self.session.shown.status == self.project.document_status(doc_id, annotator=self.session.annotator)


SessionMachine.TestCase.settings = settings(
    max_examples=40, stateful_step_count=25, deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
test_session_state_machine_keeps_the_file_equal_to_the_views = SessionMachine.TestCase
