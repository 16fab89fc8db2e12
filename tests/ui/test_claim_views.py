"""The claims list, the claimants dialog, link painting and a custom scheme, in the real window."""

from __future__ import annotations

import pytest
from claim_driver import answering, back_in, claim_rows, press, select_tokens
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QApplication
from window_driver import click, rows, show_window, statuses

from annotator.core.scheme import parse_scheme
from annotator.store import Project
from annotator.store.claims import ClaimantLink
from annotator.ui.claims.claim_links import span_rects
from annotator.ui.claims.claimants_dialog import ClaimantsDialog
from annotator.ui.claims.claims_list import AttributesRole, MissingRole
from annotator.ui.window.main_window import MainWindow
from annotator.ui.common.settings import Settings
from annotator.ui.claims.span_chooser import Candidate, CandidateModel

K, M = Qt.Key, Qt.KeyboardModifier
TEXT = ("Anatoly Antonov said that Russia would respond. Later, Antonov denied it, according to Tass.\n\n"
        "A Kremlin source told <b>reporters</b> the talks would resume.")


def at(part: str, nth: int = 0) -> int:
    start = -1
    for _ in range(nth + 1):
        start = TEXT.index(part, start + 1)
    return start


def span(project, doc, part, label, nth=0):
    start = at(part, nth)
    return project.add_span(doc, start, start + len(part), label)


def open_window(project: Project, qtbot) -> MainWindow:
    return show_window(qtbot, MainWindow(project), size=(1300, 850), tokens=True, focus_text=True)


@pytest.fixture
def filled(make_project, qtbot):
    Settings().set_value("annotator/name", "alice")
    project = make_project([("Claims", TEXT), ("Other", "Antonov spoke again. Tass reported it.")])
    doc, other = (s.id for s in project.document_summaries(0, 10))
    antonov = span(project, doc, "Anatoly Antonov", "PERSON")
    said = span(project, doc, "said", "CUE")
    first = project.add_claim(doc, at("Russia"), at("Russia") + len("Russia would respond"), "CLAIM")
    project.set_claimant(first.id, ClaimantLink(span_id=antonov.id))
    project.set_cue(first.id, said.id)
    project.set_claim_value(first.id, "stance", "asserts")
    second = project.add_claim(doc, at("denied it"), at("denied it") + 9, "CLAIM")
    project.set_claimant(second.id, ClaimantLink(span_id=span(project, doc, "Antonov", "PERSON", 1).id))
    third = project.add_claim(other, 0, 7, "CLAIM")
    project.set_claimant(third.id, ClaimantLink(text="Anatoly Antonov"))
    fourth = project.add_claim(other, 21, 25, "CLAIM")
    project.set_claimant(fourth.id, ClaimantLink(text="Tass"))
    win = open_window(project, qtbot)
    yield win, (first, second)
    win.shut_down()


def test_claim_views_list_model_rows_and_clicks(filled, qtbot, qtmodeltester):
    window, (first, second) = filled
    model = window.claim_flow.model
    qtmodeltester.check(model)
    assert model.rowCount() == 2
    assert model.index(0).data() == "Anatoly Antonov → said → “Russia would respond”"
    assert model.index(0).data(AttributesRole) == "asserts · unverified"
    assert model.index(1).data() == "Antonov → “denied it”" and model.index(1).data(MissingRole) == []
    assert window.side_tabs.tabText(1) == "Claims (2)"
    # Clicking a row opens that claim and takes the article there.
    window.side_tabs.setCurrentIndex(1)
    listing = window.claim_flow.list
    qtbot.mouseClick(listing.viewport(), Qt.MouseButton.LeftButton, pos=listing.visualRect(model.index(1)).center())
    assert window.claim_flow.active.id == second.id
    assert window.text_view.cursor_offset() == at("denied it")
    assert window.claim_flow.panel.claimant.line.text().startswith("Antonov")
    # Enter in the list gives the keys back to the article, where the claim keys work.
    press(qtbot, window, K.Key_Return)
    assert QApplication.focusWidget() is window.text_view
    press(qtbot, window, K.Key_S, K.Key_4)
    assert claim_rows(window.project.path)[1]["values"]["stance"] == "questions"
    qtmodeltester.check(model)


def test_claim_views_clicking_a_claim_in_the_text_opens_it_and_links_are_drawn(filled, qtbot):
    window, (first, _second) = filled
    view = window.text_view
    view.viewport().repaint()
    before = view.viewport().grab().toImage()
    click(qtbot, view, at("would"))
    assert window.claim_flow.active.id == first.id
    view.viewport().repaint()
    after = view.viewport().grab().toImage()
    claimant = view.index.get(window.claim_flow.active.claimant.id)
    [ring] = span_rects(view, view.index, view.styles, claimant, with_tag=True)
    colour = QColor(view.styles.style("CLAIM").border)
    ratio = after.devicePixelRatio()

    def claim_coloured(image, x, y) -> bool:
        pixel = image.pixelColor(int(x * ratio), int(y * ratio))
        return abs(pixel.red() - colour.red()) + abs(pixel.green() - colour.green()) \
            + abs(pixel.blue() - colour.blue()) < 90

    # The ring around the claimant: claim-coloured pixels just outside its box, none before.
    edge = [(ring.left() - d, ring.center().y()) for d in range(1, 6)]
    assert any(claim_coloured(after, x, y) for x, y in edge)
    assert not any(claim_coloured(before, x, y) for x, y in edge)
    # Esc leaves the claim: the marks go.
    press(qtbot, window, K.Key_Escape)
    view.viewport().repaint()
    assert not any(claim_coloured(view.viewport().grab().toImage(), x, y) for x, y in edge)


def test_claim_views_candidate_model(qtmodeltester, qapp):
    model = CandidateModel()
    model.set_rows([Candidate(1, "Anatoly Antonov", "PERSON", "before", "#7aa6f0"), Candidate(None, "the Kremlin")])
    qtmodeltester.check(model)
    assert model.index(0).data() == "Anatoly Antonov   PERSON · before"
    assert model.index(1).data() == "“the Kremlin” — free text (not in the article)"


def test_claim_views_claimants_dialog_merge_undo_unmerge(filled, qtbot, qtmodeltester):
    window, (_first, second) = filled
    window.claim_flow.activate(second.id)
    press(qtbot, window, (K.Key_K, M.ControlModifier | M.ShiftModifier))
    dialog = window.claimants_dialog
    assert isinstance(dialog, ClaimantsDialog) and dialog.isVisible()
    qtmodeltester.check(dialog.model)
    shown = [(r.name, r.canonical, r.claims, r.documents) for r in dialog.model.rows()]
    assert shown == [("Anatoly Antonov", "Anatoly Antonov", 2, 2), ("Antonov", "Antonov", 1, 1),
                     ("Tass", "Tass", 1, 1)]
    dialog.select_names(["Antonov", "Anatoly Antonov"])
    assert dialog.into.currentText() == "Anatoly Antonov" and dialog.merge_button.isEnabled()
    qtbot.mouseClick(dialog.merge_button, Qt.MouseButton.LeftButton)
    aliases = rows(window.project.path, "SELECT alias, canonical FROM claimant_aliases")
    assert aliases == [("Antonov", "Anatoly Antonov")]
    assert {r["canonical_claimant"] for r in claim_rows(window.project.path)} == {"Anatoly Antonov", "Tass"}
    assert [(r.name, r.canonical) for r in dialog.model.rows()][:2] == [
        ("Anatoly Antonov", "Anatoly Antonov"), ("Antonov", "Anatoly Antonov")]
    assert window.claim_flow.panel.claimant.line.text().endswith("= Anatoly Antonov")  # the editor follows
    qtmodeltester.check(dialog.model)
    # Undo from the dialog (the window's stack), then redo.
    dialog.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is dialog)
    qtbot.keyClick(dialog.table, K.Key_Z, M.ControlModifier)
    assert rows(window.project.path, "SELECT alias FROM claimant_aliases") == []
    qtbot.keyClick(dialog.table, K.Key_Z, M.ControlModifier | M.ShiftModifier)
    assert rows(window.project.path, "SELECT alias FROM claimant_aliases") == [("Antonov",)]
    # Unmerging the canonical name lets its alias go.
    dialog.select_names(["Anatoly Antonov"])
    assert dialog.unmerge_button.isEnabled()
    qtbot.mouseClick(dialog.unmerge_button, Qt.MouseButton.LeftButton)
    assert rows(window.project.path, "SELECT alias FROM claimant_aliases") == []
    dialog.close()


def test_claim_views_claimants_dialog_mnemonics(project, qtbot):
    from test_shortcuts_dialog_mnemonics import mnemonics

    from annotator.ui.session.document_session import DocumentSession

    dialog = ClaimantsDialog(DocumentSession(project))
    qtbot.addWidget(dialog)
    dialog.show()
    keys = [k for k, _text in mnemonics(dialog)]
    assert len(keys) >= 4 and len(keys) == len(set(keys))


CUSTOM = {
    "labels": [
        {"name": "PERSON", "kind": "entity", "key": "1"},
        {"name": "CLAIM", "kind": "claim", "key": "c"},
        {"name": "PREDICTION", "kind": "claim", "key": "p", "color": "#2f7dd1"},
        {"name": "SPEAKER", "kind": "role"},
        {"name": "CUE", "kind": "role"},
    ],
    "attributes": [
        {"name": "confidence", "title": "Confidence", "kind": "choice", "choices": ["low", "medium", "high"],
         "required": True, "key": "f"},
        {"name": "stance", "kind": "choice", "choices": ["asserts", "denies"], "key": "s"},
    ],
}


def test_claim_views_custom_scheme_prediction_and_required_attribute(tmp_path, qtbot):
    from ui_projects import write_documents

    Settings().set_value("annotator/name", "alice")
    project = Project.create(tmp_path / "custom.annotator", parse_scheme(CUSTOM))
    write_documents(project, [("Claims", TEXT), ("Next", "Another article.")])
    window = open_window(project, qtbot)
    try:
        content = at("Russia")
        select_tokens(qtbot, window, content, 3)
        press(qtbot, window, K.Key_P)  # PREDICTION, a claim label of this scheme
        flow = window.claim_flow
        assert flow.active is not None and flow.active.label == "PREDICTION"
        assert flow.panel.missing.isVisible() and "Confidence" in flow.panel.missing.text()
        assert flow.model.index(0).data().startswith("⚠") and window.side_tabs.tabText(1) == "Claims (1) ⚠1"
        # The new claimant span takes the scheme's role label (no SOURCE here: SPEAKER).
        select_tokens(qtbot, window, at("Anatoly"), 2)
        press(qtbot, window, K.Key_K)
        assert claim_rows(project.path)[0]["claimant"] == "Anatoly Antonov"
        assert [r[3] for r in rows(project.path)] == ["PREDICTION", "SPEAKER"]
        # Done with a required attribute missing: asked; "Show the Claim" keeps the document to do.
        press(qtbot, window, K.Key_Escape)
        asked: list[str] = []
        with answering("Show the Claim", asked):
            press(qtbot, window, (K.Key_Return, M.ControlModifier))
        back_in(qtbot, window)
        assert asked and "Confidence" in asked[0]
        assert statuses(project.path)["Claims"] == "todo" and flow.active is not None
        press(qtbot, window, K.Key_F, K.Key_3)
        [claim] = claim_rows(project.path)
        assert claim["label"] == "PREDICTION" and claim["values"] == {"confidence": "high"}
        assert not flow.panel.missing.isVisible() and window.side_tabs.tabText(1) == "Claims (1)"
        unexpected: list[str] = []
        with answering("Mark Done Anyway", unexpected):
            press(qtbot, window, (K.Key_Return, M.ControlModifier))
        assert statuses(project.path)["Claims"] == "done" and unexpected == []
    finally:
        window.shut_down()
        project.close()


def test_claim_views_html_in_a_claim_is_shown_as_text(filled, qtbot):
    window, _claims = filled
    flow = window.claim_flow
    start = at("told <b>")
    end = at("</b>") + 4
    claim = window.project.add_claim(window.text_view.doc_id, start, end, "CLAIM")
    window.project.set_claimant(claim.id, ClaimantLink(text="<i>insider</i>"))
    window.navigation.show(window.text_view.doc_id)
    flow.activate(claim.id, reveal=True)
    assert flow.panel.content.textFormat() == Qt.TextFormat.PlainText
    assert flow.panel.content.text() == "“told <b>reporters</b>”"
    assert "<i>insider</i>" in flow.panel.claimant.line.text()
    row = flow.model.row_of(claim.id)
    assert flow.model.index(row).data() == "“<i>insider</i>” → “told <b>reporters</b>”"
    assert "&lt;b&gt;" in flow.model.index(row).data(Qt.ItemDataRole.ToolTipRole)


def test_claim_views_mouse_in_the_claim_editor(filled, qtbot):
    from PySide6.QtWidgets import QToolButton
    from window_driver import click as click_text

    window, (first, second) = filled
    flow = window.claim_flow
    flow.activate(second.id)
    panel = flow.panel
    combo = panel.fields["stance"]
    combo.activated.emit(combo.findData("hedges"))  # what choosing in the open combo sends
    assert claim_rows(window.project.path)[1]["values"]["stance"] == "hedges"
    qtbot.mouseClick(panel.findChild(QToolButton, "clear:claimant"), Qt.MouseButton.LeftButton)
    assert claim_rows(window.project.path)[1]["claimant"] is None
    # The crosshair waits for a pick in the article; clicking a span takes it.
    qtbot.mouseClick(panel.findChild(QToolButton, "pick:cue"), Qt.MouseButton.LeftButton)
    assert flow.picking == "cue"
    click_text(qtbot, window.text_view, at("according") + 2)
    assert flow.picking == "cue" and claim_rows(window.project.path)[1]["cue"] is None  # no span there
    click_text(qtbot, window.text_view, at("said") + 1)
    assert flow.picking is None and claim_rows(window.project.path)[1]["cue"] == "said"
    # Clicking the claimant line opens its list; clicking a row takes it.
    qtbot.mouseClick(panel.claimant.line, Qt.MouseButton.LeftButton)
    assert panel.claimant.is_open
    names = [c.text for c in panel.claimant.candidates()]
    assert names == ["Antonov", "Anatoly Antonov"]  # "said" is a cue, not a claimant candidate
    listing = panel.claimant.list
    qtbot.mouseClick(listing.viewport(), Qt.MouseButton.LeftButton,
                     pos=listing.visualRect(panel.claimant.model.index(1)).center())
    assert claim_rows(window.project.path)[1]["claimant"] == "Anatoly Antonov" and not panel.claimant.is_open
    # Shift+U opens the cue list; Esc closes it without a change.
    window.text_view.setFocus()
    press(qtbot, window, (K.Key_U, M.ShiftModifier))
    assert panel.cue.is_open and [c.text for c in panel.cue.candidates()] == ["said"]
    press(qtbot, window, K.Key_Escape)
    assert not panel.cue.is_open and QApplication.focusWidget() is window.text_view
    assert claim_rows(window.project.path)[1]["cue"] == "said"


def test_claim_views_suggested_claims_listed_rejected_not(filled, qtbot):
    window, _claims = filled
    project = window.project
    doc = window.text_view.doc_id
    suggested = project.add_claim(doc, at("the talks"), at("the talks") + 9, "CLAIM", state="suggested",
                                  origin="model:demo")
    project.add_claim(doc, at("would resume"), at("would resume") + 12, "CLAIM", state="rejected",
                      origin="model:demo")
    window.navigation.show(doc)
    model = window.claim_flow.model
    assert [c.id for c in model.claims()][-1] == suggested.id and model.rowCount() == 3
    row = model.row_of(suggested.id)
    assert model.index(row).data(Qt.ItemDataRole.FontRole).italic()
    assert model.index(row).data(AttributesRole).startswith("suggested")


def test_claim_views_partner_far_away_in_a_long_article(make_project, qtbot):
    paragraphs = ["Officials said the plan would work."] + [f"Paragraph {i} about nothing." for i in range(200)] \
        + ["The minister Ana Lima spoke."]
    text = "\n\n".join(paragraphs)
    project = make_project([("Long", text)])
    doc = project.document_summaries(0, 1)[0].id
    claim = project.add_claim(doc, text.index("the plan"), text.index(" would work"), "CLAIM")
    lima = project.add_span(doc, text.index("Ana Lima"), text.index("Ana Lima") + 8, "PERSON")
    project.set_claimant(claim.id, ClaimantLink(span_id=lima.id))
    window = open_window(project, qtbot)
    try:
        window.claim_flow.activate(claim.id, reveal=True)
        view = window.text_view
        shown = view.index.get(lima.id)
        assert span_rects(view, view.index, view.styles, shown) is None  # not laid out from up here
        view.viewport().repaint()  # the arc points off the bottom edge; nothing fails
        view.reveal_span(lima.id)
        view.viewport().repaint()
        assert span_rects(view, view.index, view.styles, shown)
    finally:
        window.shut_down()


def test_claim_views_editor_shows_the_claimant_label_whole(filled, qtbot):
    window, (first, _second) = filled
    window.claim_flow.activate(first.id)
    panel = window.claim_flow.panel
    for chooser, text, label in ((panel.claimant, "Anatoly Antonov", "PERSON"), (panel.cue, "said", "CUE")):
        assert chooser.line.text() == text and chooser.tag.text() == label and chooser.tag.isVisible()
        # The label is drawn whole, inside the editor (a long name is what gets cut).
        assert chooser.tag.width() >= chooser.tag.sizeHint().width()
        right = chooser.tag.mapTo(panel, chooser.tag.rect().topRight()).x()
        assert right <= panel.width()
    window.resize(900, 700)  # a narrow window: still whole
    qtbot.wait(10)
    assert panel.claimant.tag.width() >= panel.claimant.tag.sizeHint().width()
