"""Reviewing suggestions in the real window with real key events; every assertion reads the SQLite file."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from suggest_helpers import ruler_pipeline
from window_driver import click, key, rows, show_window

from annotator.core.suggestions import ClaimLabels, ClaimProposal, DocSuggestions, Proposal
from annotator.nlp.suggest import SourceSpec
from annotator.ui.window.main_window import MainWindow
from annotator.ui.common.settings import Settings
from annotator.workflows.suggesting import save_source

K, M = Qt.Key, Qt.KeyboardModifier
TEXT = "Anna Berg said that the port of Oslo will close in May. Lima and The Hague agreed on Monday."
OTHER = "A second article about nothing much."
SQL = 'SELECT start, "end", label, text, origin, state FROM span_view WHERE doc_id = 1 ORDER BY start, "end", label'


def at(surface: str, label: str) -> Proposal:
    start = TEXT.index(surface)
    return Proposal(start, start + len(surface), label)


@pytest.fixture
def window(make_project, qtbot):
    Settings().set_value("annotator/name", "alice")
    project = make_project([("News", TEXT), ("Other", OTHER)])
    manual = TEXT.index("Lima")
    project.add_span(1, manual, manual + 4, "GPE", annotator="alice")  # a span tagged by hand
    claim = ClaimProposal((TEXT.index("the port"), TEXT.index(" in May") + 7), (10, 14), (0, 9))
    project.write_suggestions([DocSuggestions(1, TEXT, (at("Anna Berg", "PERSON"), at("Oslo", "GPE"),
                                                        at("The Hague", "GPE"), at("Monday", "DATE")), (claim,))],
                              "model:test", claim_labels=ClaimLabels("CLAIM", "CUE", "SOURCE"))
    win = show_window(qtbot, MainWindow(project), size=(1200, 800), tokens=True, focus_text=True)
    yield win
    win.shut_down()


def states(win) -> dict[str, str]:
    return {f"{r[3]}/{r[2]}": r[5] for r in rows(win.project.path, SQL)}


def test_suggestions_tab_enter_x_review_in_text_order(window, qtbot):
    view = window.text_view
    key(qtbot, window, K.Key_Tab)
    assert view.cursor_offset() == 0  # Anna Berg: the first suggestion
    key(qtbot, window, K.Key_Return)  # the shortest suggestion here: the PERSON entity
    assert states(window)["Anna Berg/PERSON"] == "accepted"
    assert view.cursor_offset() == TEXT.index("said")  # on to the next suggestion (the cue)
    key(qtbot, window, K.Key_Tab)
    key(qtbot, window, K.Key_Tab)
    assert view.cursor_offset() == TEXT.index("Oslo")
    key(qtbot, window, K.Key_X)
    assert states(window)["Oslo/GPE"] == "rejected"
    key(qtbot, window, K.Key_Tab, M.ShiftModifier)
    assert view.cursor_offset() == TEXT.index("the port")
    # Gold stays what it was: the hand-tagged span is untouched.
    assert states(window)["Lima/GPE"] == "accepted"
    assert [r for r in rows(window.project.path, SQL) if r[3] == "Lima"] == [
        (TEXT.index("Lima"), TEXT.index("Lima") + 4, "GPE", "Lima", "manual", "accepted")]


def test_suggestions_enter_on_a_claim_accepts_its_cue_and_claimant(window, qtbot):
    view = window.text_view
    click(qtbot, view, TEXT.index("port"))
    key(qtbot, window, K.Key_Return)
    found = states(window)
    assert found["the port of Oslo will close in May/CLAIM"] == "accepted"
    assert found["said/CUE"] == "accepted" and found["Anna Berg/PERSON"] == "accepted"  # the claimant
    assert found["Oslo/GPE"] == "suggested"  # inside the claim, but not part of it
    key(qtbot, window, K.Key_Z, M.ControlModifier)
    assert set(states(window).values()) == {"suggested", "accepted"}
    assert states(window)["said/CUE"] == "suggested" and states(window)["Lima/GPE"] == "accepted"


def test_suggestions_accept_all_is_one_undo_step(window, qtbot):
    key(qtbot, window, K.Key_A, M.ControlModifier | M.ShiftModifier)
    assert set(states(window).values()) == {"accepted"}
    assert window.project.suggestion_count(1) == 0
    key(qtbot, window, K.Key_Z, M.ControlModifier)
    found = states(window)
    assert found["Lima/GPE"] == "accepted" and all(v == "suggested" for k, v in found.items() if k != "Lima/GPE")
    key(qtbot, window, K.Key_Z, M.ControlModifier | M.ShiftModifier)
    assert set(states(window).values()) == {"accepted"}


def test_suggestions_x_is_a_label_key_again_off_a_suggestion(window, qtbot):
    view = window.text_view
    click(qtbot, view, TEXT.index("agreed"))
    key(qtbot, window, K.Key_X)
    assert "rejected" not in states(window).values()


def test_suggestions_label_key_accepts_as_that_label(window, qtbot):
    view = window.text_view
    click(qtbot, view, TEXT.index("Monday"))
    key(qtbot, window, K.Key_3)  # GPE's key: accept the DATE suggestion as GPE
    assert states(window).get("Monday/GPE") == "accepted" and "Monday/DATE" not in states(window)


def test_suggestions_in_this_document_never_touch_a_manual_span_and_undo(window, qtbot, tmp_path):
    window.project.clear_suggestions()
    before = rows(window.project.path, SQL)
    save_source(window.project, SourceSpec("model", str(ruler_pipeline(tmp_path / "ruler")), "ruler", claims=True))
    key(qtbot, window, K.Key_M, M.ControlModifier | M.ShiftModifier)
    qtbot.waitUntil(lambda: window.project.suggestion_count(1) > 0, timeout=30_000)
    found = rows(window.project.path, SQL)
    assert [r for r in found if r[4] == "manual"] == before
    assert {(r[3], r[2], r[4]) for r in found if r[5] == "suggested"} >= {
        ("Anna Berg", "PERSON", "model:ruler"), ("Oslo", "GPE", "model:ruler"), ("The Hague", "GPE", "model:ruler"),
        ("said", "CUE", "model:ruler")}
    assert not any(r[3] == "Lima" and r[4] == "model:ruler" for r in found)  # Lima is tagged already
    key(qtbot, window, K.Key_Z, M.ControlModifier)
    assert rows(window.project.path, SQL) == before and window.project.claim_count() == 0
    key(qtbot, window, K.Key_Z, M.ControlModifier | M.ShiftModifier)
    assert len(rows(window.project.path, SQL)) == len(found) and window.project.claim_count() == 1


def test_suggestions_decided_are_stamped_with_the_annotator_and_undo_clears_it(window, qtbot):
    who = 'SELECT text, label, state, annotator FROM span_view WHERE doc_id = 1 AND origin = "model:test"'

    def stamps():
        return {f"{r[0]}/{r[1]}": (r[2], r[3]) for r in rows(window.project.path, who)}

    assert {annotator for _state, annotator in stamps().values()} == {None}  # suggestions are nobody's
    view = window.text_view
    click(qtbot, view, TEXT.index("Monday"))
    key(qtbot, window, K.Key_Return)
    click(qtbot, view, TEXT.index("Oslo"))
    key(qtbot, window, K.Key_X)
    assert stamps()["Monday/DATE"] == ("accepted", "alice")  # gold now: alice's, for export --annotator
    assert stamps()["Oslo/GPE"] == ("rejected", "alice")
    key(qtbot, window, K.Key_Z, M.ControlModifier)
    key(qtbot, window, K.Key_Z, M.ControlModifier)
    assert stamps()["Monday/DATE"] == ("suggested", None) and stamps()["Oslo/GPE"] == ("suggested", None)
    key(qtbot, window, K.Key_A, M.ControlModifier | M.ShiftModifier)  # accept all: every one stamped
    assert set(stamps().values()) == {("accepted", "alice")}
