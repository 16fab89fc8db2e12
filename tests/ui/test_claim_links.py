"""Links from a claim to its claimant and cue never cover text: they run in the room between
lines and down the margin, and reach partners on the same line, the next line, or far away."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QPointF, QRectF
from window_driver import show_window

from annotator.store.claims import ClaimantLink
from annotator.ui.claims.claim_links import link_route, span_rects
from annotator.ui.common.settings import Settings
from annotator.ui.window.main_window import MainWindow

WORDS = ("alpha beta gamma delta epsilon zeta eta theta iota kappa lambda mu nu xi omicron pi rho sigma "
         "tau upsilon phi chi psi omega ").split()
FILLER = " ".join(WORDS * 3)
TEXT = (f"Maria Okonkwo said that prices would fall. {FILLER} The envoy, Viktor Bout, told reporters "
        f"{FILLER} that the talks would go on.")


@pytest.fixture
def window(make_project, qtbot):
    Settings().set_value("annotator/name", "alice")
    project = make_project([("Links", TEXT)])
    win = show_window(qtbot, MainWindow(project), size=(1100, 900), focus_text=True)
    yield win
    win.shut_down()


def at(part: str) -> tuple[int, int]:
    return TEXT.index(part), TEXT.index(part) + len(part)


def line_boxes(view) -> list[QRectF]:
    """Where the article's text is drawn: one rectangle per laid-out line, viewport coordinates."""
    boxes = []
    block = view.firstVisibleBlock()
    offset = view.contentOffset()
    while block.isValid():
        geometry = view.blockBoundingGeometry(block).translated(offset)
        layout = block.layout()
        for i in range(layout.lineCount()):
            line = layout.lineAt(i)
            rect = line.naturalTextRect().translated(geometry.topLeft())
            boxes.append(rect.adjusted(0, 2, 0, -2))  # the glyphs, not the line's leading
        block = block.next()
    return boxes


def samples(points: list[QPointF]) -> list[QPointF]:
    found = []
    for a, b in zip(points, points[1:], strict=False):
        steps = max(1, int(max(abs(b.x() - a.x()), abs(b.y() - a.y())) / 2))
        found += [QPointF(a.x() + (b.x() - a.x()) * i / steps, a.y() + (b.y() - a.y()) * i / steps)
                  for i in range(steps + 1)]
    return found


@pytest.mark.parametrize(("content", "partner"), [
    ("prices would fall", "Maria Okonkwo"),  # one line
    ("the talks would go on", "Viktor Bout"),  # lines apart: down the margin
    ("Viktor Bout, told reporters", "Maria Okonkwo"),  # far up
])
def test_claim_links_never_cover_text(window, qtbot, content, partner):
    project = window.project
    doc = window.session.doc_id
    person = project.add_span(doc, *at(partner), "PERSON")
    claim = project.add_claim(doc, *at(content), "CLAIM")
    project.set_claimant(claim.id, ClaimantLink(span_id=person.id))
    window.session.reload()
    window.claim_flow.activate(claim.id, reveal=True)
    view = window.text_view
    view.viewport().repaint()
    index, styles = view.index, view.styles
    content_rects = span_rects(view, index, styles, index.get(claim.content.id))
    partner_rects = span_rects(view, index, styles, index.get(person.id))
    assert content_rects
    route = link_route(view, content_rects, partner_rects, person.start < claim.content.start, 0,
                       (styles.style("CLAIM").tag_width, styles.style("PERSON").tag_width))
    own = [r.adjusted(-6, -8, 6, 8) for r in (content_rects + (partner_rects or []))[:1]]
    ends = [r.adjusted(-8, -10, 8, 10) for r in (partner_rects or [])]
    for point in samples(route)[1:]:
        if any(r.contains(point) for r in ends + own):
            continue  # leaving the content, entering the partner's ring
        covered = [box for box in line_boxes(view) if box.contains(point)]
        assert not covered, f"the link crosses text at {point}"
    if partner_rects:  # it ends at the partner (its ring), with an arrow
        end = route[-1]
        assert any(r.adjusted(-10, -12, 10, 12).contains(end) for r in partner_rects)
