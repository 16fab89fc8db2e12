"""A claim's claimant, cue and values proposed from its sentence, taken with one key (A); the
keys of a whole claim counted from the moment its content is selected."""

from __future__ import annotations

import pytest
from claim_driver import claim_rows, select_tokens
from PySide6.QtCore import Qt
from window_driver import key, rows, show_window

from annotator.nlp.claim_cues import parts_for
from annotator.ui.common.settings import Settings
from annotator.ui.text.token_cursor import fallback_token_spans
from annotator.ui.window.main_window import MainWindow

K, M = Qt.Key, Qt.KeyboardModifier
TEXT = ("Maria Okonkwo said on Tuesday that prices would fall next year. "
        "The ministry denied that it had ordered the strikes.\n\n"
        "“We will not respond,” a source at the ministry told reporters.")
CONTENT = "prices would fall next year"


@pytest.fixture
def window(make_project, qtbot):
    Settings().set_value("annotator/name", "alice")
    project = make_project([("Claims", TEXT, "todo", [(0, 13, "PERSON")])])
    win = show_window(qtbot, MainWindow(project), size=(1300, 850), tokens=True, focus_text=True)
    yield win
    win.shut_down()


class Keys:
    def __init__(self, qtbot, window):
        self.qtbot, self.window, self.count = qtbot, window, 0

    def __call__(self, *keys: Qt.Key | tuple[Qt.Key, Qt.KeyboardModifier]) -> None:
        for item in keys:
            k, mod = item if isinstance(item, tuple) else (item, M.NoModifier)
            key(self.qtbot, self.window, k, mod)
            self.count += 1


def select(qtbot, window, part: str) -> None:
    start = TEXT.index(part)
    words = len(part.split())
    assert select_tokens(qtbot, window, start, words) == (start, start + len(part))


def test_claim_proposals_a_whole_claim_is_five_keys_after_the_content_when_right(window, qtbot):
    select(qtbot, window, CONTENT)
    press = Keys(qtbot, window)
    press(K.Key_C)  # the claim; its claimant, cue and quote type are proposed in the editor
    proposal = window.claim_flow.panel.proposal
    assert proposal.isVisible()
    assert "claimant “Maria Okonkwo”" in proposal.text() and "cue “said”" in proposal.text()
    assert "Quote type: indirect" in proposal.text()
    press(K.Key_A)  # take them: one undo step
    [claim] = claim_rows(window.project.path)
    assert (claim["text"], claim["claimant"], claim["cue"]) == (CONTENT, "Maria Okonkwo", "said")
    assert claim["values"]["quote_type"] == "indirect"
    assert not proposal.isVisible()  # nothing left to propose
    press(K.Key_S, K.Key_1)  # stance: asserts
    press(K.Key_Escape)
    assert press.count == 5  # 19 before (14 with the claimant already tagged)
    [claim] = claim_rows(window.project.path)
    assert claim["values"] == {"quote_type": "indirect", "stance": "asserts", "verdict": "unverified"}
    # The claimant was the PERSON span; the cue a new CUE span.
    assert sorted((r[3], r[4]) for r in rows(window.project.path)) == [
        ("CLAIM", CONTENT), ("CUE", "said"), ("PERSON", "Maria Okonkwo")]
    # Taking the proposal is one undo step.
    key(qtbot, window, K.Key_Z, M.ControlModifier)  # stance
    key(qtbot, window, K.Key_Z, M.ControlModifier)  # the proposal
    [claim] = claim_rows(window.project.path)
    assert claim["claimant"] is None and claim["cue"] is None and "quote_type" not in claim["values"]
    assert sorted(r[3] for r in rows(window.project.path)) == ["CLAIM", "PERSON"]


def test_claim_proposals_two_attributes_by_hand_stay_within_seven_keys(window, qtbot):
    select(qtbot, window, "it had ordered the strikes")
    press = Keys(qtbot, window)
    press(K.Key_C, K.Key_A)
    [claim] = claim_rows(window.project.path)
    assert (claim["claimant"], claim["cue"]) == ("The ministry", "denied")
    assert claim["values"]["stance"] == "denies"  # told by the cue
    press(K.Key_Q, K.Key_2, K.Key_W, K.Key_1, K.Key_Escape)
    assert press.count == 7
    [claim] = claim_rows(window.project.path)
    assert claim["values"]["checkworthiness"] == "check-worthy factual"


def test_claim_proposals_wrong_proposal_costs_nothing_and_k_still_picks(window, qtbot):
    """When the proposal is wrong, the keys are those of before: select the claimant, K."""
    select(qtbot, window, "We will not respond")
    key(qtbot, window, K.Key_C)
    assert "cue “told”" in window.claim_flow.panel.proposal.text()
    select(qtbot, window, "Maria Okonkwo")
    key(qtbot, window, K.Key_K)
    [claim] = claim_rows(window.project.path)
    assert claim["claimant"] == "Maria Okonkwo" and claim["cue"] is None
    # The proposal now offers only what is still missing.
    assert "claimant" not in window.claim_flow.panel.proposal.text()
    assert "cue “told”" in window.claim_flow.panel.proposal.text()


@pytest.mark.parametrize(("content", "cue", "claimant", "values"), [
    (CONTENT, "said", "Maria Okonkwo", (("quote_type", "indirect"),)),
    ("it had ordered the strikes", "denied", "The ministry", (("quote_type", "indirect"), ("stance", "denies"))),
    ("We will not respond", "told", "a source at the ministry", (("quote_type", "direct"),)),
])
def test_claim_proposals_rules_on_window_tokens(content, cue, claimant, values):
    start = TEXT.index(content)
    found = parts_for(TEXT, fallback_token_spans(TEXT), (start, start + len(content)), [(0, 13, "PERSON")])
    assert found is not None
    assert (TEXT[slice(*found.cue)], TEXT[slice(*found.claimant)], found.values) == (cue, claimant, values)
