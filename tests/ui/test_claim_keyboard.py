"""A whole claim made with the keyboard only in the real window; every assertion reads SQLite."""

from __future__ import annotations

import pytest
from claim_driver import answering, back_in, claim_rows, move_to, press, select_tokens
from PySide6.QtCore import Qt
from PySide6.QtGui import QInputMethodEvent
from PySide6.QtWidgets import QApplication
from window_driver import key, rows, show_window

from annotator.ui.claims.claim_editor import TextField
from annotator.ui.window.main_window import MainWindow
from annotator.ui.common.settings import Settings

K, M = Qt.Key, Qt.KeyboardModifier
TEXT = ("Fans 😀🇵🇹 cheered.\r\nAnatoly Antonov said on Tuesday that Russia would respond firmly, "
        "a source at the foreign ministry added. Antonov also denied the report.")
OTHER = "Second article: the Kremlin said nothing."


def at(part: str, nth: int = 0) -> int:
    start = -1
    for _ in range(nth + 1):
        start = TEXT.index(part, start + 1)
    return start


@pytest.fixture
def window(make_project, qtbot):
    Settings().set_value("annotator/name", "alice")
    project = make_project([("Claims", TEXT), ("Other", OTHER)])
    win = show_window(qtbot, MainWindow(project), size=(1300, 850), tokens=True, focus_text=True)
    yield win
    win.shut_down()


def make_claim(qtbot, window) -> dict:
    """PERSON "Anatoly Antonov", then the claim "Russia would respond firmly" (key c)."""
    assert select_tokens(qtbot, window, at("Anatoly"), 2) == (at("Anatoly"), at("Anatoly") + 15)
    press(qtbot, window, K.Key_1)
    content = at("Russia")
    assert select_tokens(qtbot, window, content, 4) == (content, content + len("Russia would respond firmly"))
    press(qtbot, window, K.Key_C)
    [claim] = claim_rows(window.project.path)
    assert window.claim_flow.active is not None and window.claim_flow.active.id == claim["id"]
    assert window.claim_flow.panel.page.isVisible()
    return claim


def test_claim_keyboard_complete_claim_after_emoji_and_crlf(window, qtbot):
    view = window.text_view
    make_claim(qtbot, window)
    # Claimant: K with no selection waits; the cursor goes to the name; Enter takes the span there.
    press(qtbot, window, K.Key_K)
    assert window.claim_flow.picking == "claimant" and window.claim_flow.panel.banner.isVisible()
    move_to(qtbot, window, at("Antonov"))
    press(qtbot, window, K.Key_Return)
    assert window.claim_flow.picking is None
    # Cue: select "said", U makes a CUE span of it and links it.
    select_tokens(qtbot, window, at("said"), 1)
    press(qtbot, window, K.Key_U)
    # Attributes: a key, then a digit; the note takes typing, Enter keeps it.
    press(qtbot, window, K.Key_Q, K.Key_2, K.Key_S, K.Key_2, K.Key_W, K.Key_1, K.Key_V, K.Key_5)
    press(qtbot, window, K.Key_N)
    field = QApplication.focusWidget()
    assert isinstance(field, TextField)
    qtbot.keyClicks(field, "checked ")
    emoji = QInputMethodEvent()  # an emoji arrives as an input method's commit, not as a key
    emoji.setCommitString("😀")
    QApplication.sendEvent(field, emoji)
    qtbot.keyClicks(field, " with Tass")
    key(qtbot, window, K.Key_Return, widget=field)
    assert QApplication.focusWidget() is view  # the article has the keys again
    [claim] = claim_rows(window.project.path)
    content = at("Russia")
    assert (claim["start"], claim["end"], claim["text"]) == (content, content + 27, "Russia would respond firmly")
    assert TEXT[claim["start"]:claim["end"]] == claim["text"]
    assert (claim["claimant"], claim["claimant_start"], claim["claimant_end"]) == (
        "Anatoly Antonov", at("Anatoly"), at("Anatoly") + 15)
    assert (claim["cue"], claim["cue_start"], claim["cue_end"]) == ("said", at("said"), at("said") + 4)
    assert claim["values"] == {"quote_type": "indirect", "stance": "denies", "checkworthiness": "check-worthy factual",
                               "verdict": "mostly false", "note": "checked 😀 with Tass"}
    assert [r[3:5] for r in rows(window.project.path)] == [
        ("PERSON", "Anatoly Antonov"), ("CLAIM", "Russia would respond firmly"), ("CUE", "said")]
    # Esc leaves claim editing; the attribute keys are plain keys again.
    press(qtbot, window, K.Key_Escape)
    assert window.claim_flow.active is None and not window.claim_flow.panel.page.isVisible()
    press(qtbot, window, K.Key_S, K.Key_1)
    assert claim_rows(window.project.path)[0]["values"]["stance"] == "denies"


def test_claim_keyboard_pending_digit_cancel_and_clear(window, qtbot):
    make_claim(qtbot, window)
    flow = window.claim_flow
    press(qtbot, window, K.Key_S)
    assert flow.pending == "stance" and flow.panel.hints["stance"].isVisible()
    press(qtbot, window, K.Key_Escape)
    assert flow.pending is None and flow.active is not None  # Esc cancelled the wait, not the claim
    press(qtbot, window, K.Key_S, K.Key_9)  # stance has 4 choices: nothing stored
    assert "stance" not in claim_rows(window.project.path)[0]["values"]
    press(qtbot, window, K.Key_V, K.Key_0)  # 0 clears the default verdict
    assert "verdict" not in claim_rows(window.project.path)[0]["values"]
    # A text field: Esc puts the stored value back and returns the focus.
    press(qtbot, window, K.Key_N)
    field = QApplication.focusWidget()
    qtbot.keyClicks(field, "draft")
    key(qtbot, window, K.Key_Escape, widget=field)
    assert QApplication.focusWidget() is window.text_view
    assert "note" not in claim_rows(window.project.path)[0]["values"]


def test_claim_keyboard_relink_with_the_list_and_free_text(window, qtbot):
    make_claim(qtbot, window)
    # A second name, farther from the claim than "Anatoly Antonov".
    select_tokens(qtbot, window, at("Antonov", 1), 1)
    press(qtbot, window, K.Key_1)
    flow = window.claim_flow
    assert flow.active is not None  # tagging an entity kept the claim open
    press(qtbot, window, (K.Key_K, M.ShiftModifier))
    chooser = flow.panel.claimant
    assert chooser.is_open and QApplication.focusWidget() is chooser.line
    # Nearest first; the same name further away is listed once.
    assert [(c.text, c.where) for c in chooser.candidates()] == [("Anatoly Antonov", "before"), ("Antonov", "after")]
    press(qtbot, window, K.Key_Down, K.Key_Return)
    assert claim_rows(window.project.path)[0]["claimant_start"] == at("Antonov", 1)
    assert QApplication.focusWidget() is window.text_view
    # Typed text that names no span: a free-text claimant.
    press(qtbot, window, (K.Key_K, M.ShiftModifier))
    qtbot.keyClicks(chooser.line, "the Kremlin")
    assert [c.span_id for c in chooser.candidates()] == [None]
    press(qtbot, window, K.Key_Return)
    claim = claim_rows(window.project.path)[0]
    assert (claim["claimant"], claim["claimant_start"]) == ("the Kremlin", None)
    assert "the Kremlin" in chooser.line.text()


def test_claim_keyboard_pick_new_source_span_with_the_mouse(window, qtbot):
    from window_driver import drag

    make_claim(qtbot, window)
    press(qtbot, window, K.Key_K)
    start = at("a source")
    drag(qtbot, window.text_view, start, at("ministry") + 2)
    claim = claim_rows(window.project.path)[0]
    assert (claim["claimant"], claim["claimant_start"]) == ("a source at the foreign ministry", start)
    assert [r[3] for r in rows(window.project.path)] == ["PERSON", "CLAIM", "SOURCE"]
    press(qtbot, window, (K.Key_Z, M.ControlModifier))  # one undo takes span and link back
    assert claim_rows(window.project.path)[0]["claimant"] is None
    assert [r[3] for r in rows(window.project.path)] == ["PERSON", "CLAIM"]


def test_claim_keyboard_delete_claimant_asks_then_unlinks_and_undo_relinks(window, qtbot):
    make_claim(qtbot, window)
    select_tokens(qtbot, window, at("Anatoly"), 2)
    press(qtbot, window, K.Key_K)
    assert claim_rows(window.project.path)[0]["claimant"] == "Anatoly Antonov"
    move_to(qtbot, window, at("Anatoly"))
    asked: list[str] = []
    with answering("Keep", asked):
        press(qtbot, window, K.Key_Delete)
    back_in(qtbot, window)
    assert asked == ["“Anatoly Antonov” is the claimant of 1 claim; delete it and unlink it?\n\n"
                     "The claims stay; Undo puts the links back."]
    assert claim_rows(window.project.path)[0]["claimant"] == "Anatoly Antonov"
    with answering("Delete and Unlink"):
        press(qtbot, window, K.Key_Delete)
    back_in(qtbot, window)
    assert claim_rows(window.project.path)[0]["claimant"] is None
    assert [r[3] for r in rows(window.project.path)] == ["CLAIM"]
    assert window.claim_flow.active is not None and window.claim_flow.active.claimant is None
    press(qtbot, window, (K.Key_Z, M.ControlModifier))
    assert claim_rows(window.project.path)[0]["claimant"] == "Anatoly Antonov"
    press(qtbot, window, (K.Key_Z, M.ShiftModifier | M.ControlModifier))
    assert claim_rows(window.project.path)[0]["claimant"] is None
    # Deleting the claim keeps the names.
    move_to(qtbot, window, at("Russia"))
    press(qtbot, window, K.Key_Delete)
    assert claim_rows(window.project.path) == [] and window.claim_flow.active is None


def test_claim_keyboard_undo_redo_of_values_and_undo_in_another_document(window, qtbot):
    make_claim(qtbot, window)
    press(qtbot, window, K.Key_S, K.Key_1, K.Key_S, K.Key_3)
    assert claim_rows(window.project.path)[0]["values"]["stance"] == "hedges"
    press(qtbot, window, (K.Key_Z, M.ControlModifier))
    assert claim_rows(window.project.path)[0]["values"]["stance"] == "asserts"
    assert window.claim_flow.panel.fields["stance"].currentText() == "asserts"
    # In another document, Undo goes back to the claim's document and opens the claim.
    claim_doc = window.text_view.doc_id
    press(qtbot, window, (K.Key_Right, M.AltModifier))
    assert window.text_view.doc_id != claim_doc and window.claim_flow.active is None
    press(qtbot, window, (K.Key_Z, M.ControlModifier))
    claim = claim_rows(window.project.path)[0]
    assert "stance" not in claim["values"]
    assert window.text_view.doc_id == window.project.claim(claim["id"]).doc_id
    assert window.claim_flow.active is not None and window.claim_flow.active.id == claim["id"]
    press(qtbot, window, (K.Key_Z, M.ShiftModifier | M.ControlModifier))
    assert claim_rows(window.project.path)[0]["values"]["stance"] == "asserts"


def test_claim_keyboard_claim_key_on_a_claim_opens_it(window, qtbot):
    claim = make_claim(qtbot, window)
    press(qtbot, window, K.Key_Escape)
    assert window.claim_flow.active is None
    move_to(qtbot, window, at("would"))
    press(qtbot, window, K.Key_C)
    assert window.claim_flow.active is not None and window.claim_flow.active.id == claim["id"]
    assert len(claim_rows(window.project.path)) == 1


def test_claim_keyboard_note_being_typed_is_kept_when_the_document_changes(window, qtbot):
    claim = make_claim(qtbot, window)
    press(qtbot, window, K.Key_N)
    field = QApplication.focusWidget()
    assert isinstance(field, TextField)
    qtbot.keyClicks(field, "half typed")
    key(qtbot, window, K.Key_PageDown, widget=field)  # next document, without Enter
    assert window.text_view.doc_id != window.project.claim(claim["id"]).doc_id
    assert claim_rows(window.project.path)[0]["values"]["note"] == "half typed"
    assert window.session.stack.undoText().startswith("Note “half typed”")


def test_claim_keyboard_prompts_leave_the_status_bar_when_their_step_ends(window, qtbot):
    make_claim(qtbot, window)
    bar = window.statusBar()
    press(qtbot, window, K.Key_K)  # no selection: K waits for one
    assert bar.currentMessage().startswith("Select the claimant")
    select_tokens(qtbot, window, at("Anatoly"), 2)
    press(qtbot, window, K.Key_Return)
    assert claim_rows(window.project.path)[0]["claimant"] == "Anatoly Antonov"
    assert bar.currentMessage() == ""  # the step is over: its prompt is gone
    press(qtbot, window, K.Key_S)
    assert bar.currentMessage().startswith("Stance: 1 asserts")
    press(qtbot, window, K.Key_2)
    assert claim_rows(window.project.path)[0]["values"]["stance"] == "denies"
    assert bar.currentMessage() == ""
    press(qtbot, window, K.Key_Q, K.Key_Escape)  # cancelled: gone too
    assert bar.currentMessage() == ""
