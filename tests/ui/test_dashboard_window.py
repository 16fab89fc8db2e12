"""Analysis > Dashboard in the real window: opened with its key on a project with hand-counted
figures (tests/dashboard_projects.py), the plotted values read back from the plot items, the
filters ticked in their menus, the theme switched, an edit followed, and each chart's PNG, SVG
and CSV written and read back."""

from __future__ import annotations

import csv
import datetime as dt
import io
import xml.etree.ElementTree as ET

import pytest
from dashboard_projects import SPANS, build
from PySide6.QtCore import QDate, Qt
from PySide6.QtGui import QColor, QGuiApplication, QImage
from PySide6.QtWidgets import QApplication
from window_driver import key, rows, show_window

from annotator.store import Project
from annotator.ui.charts.chart_view import FIGURE_SIZE
from annotator.ui.charts.style import DARK_SERIES, LIGHT_SERIES
from annotator.ui.common import file_chooser
from annotator.ui.common.settings import Settings
from annotator.ui.common.themes import apply_theme
from annotator.ui.window.main_window import MainWindow
from annotator.workflows.dashboard_agreement import PENDING

K, M = Qt.Key, Qt.KeyboardModifier
WAIT_MS = 60_000  # agreement loads spaCy's tokenizer the first time


@pytest.fixture
def team(tmp_path):
    path = tmp_path / "team.annotator"
    ids = build(path)
    return path, ids


@pytest.fixture
def window(team, qtbot, qapp):
    Settings().set_value("annotator/name", "carol")
    win = show_window(qtbot, MainWindow(Project.open(team[0])), focus_text=True)
    yield win
    win.shut_down()
    apply_theme(qapp, "system")


def settled(dashboard) -> bool:
    agreement = dashboard.views.get("agreement")
    return not dashboard.busy and agreement is not None and agreement.chart.note != PENDING


def open_dashboard(qtbot, win):
    key(qtbot, win, K.Key_D, M.ControlModifier | M.ShiftModifier)
    qtbot.waitUntil(lambda: win.dashboard is not None and win.dashboard.isVisible())
    qtbot.waitUntil(lambda: settled(win.dashboard), timeout=WAIT_MS)
    return win.dashboard


def refreshed_after(qtbot, dashboard, action) -> None:
    with qtbot.waitSignal(dashboard.refreshed, timeout=WAIT_MS):
        action()
    qtbot.waitUntil(lambda: settled(dashboard), timeout=WAIT_MS)


def test_dashboard_opens_with_its_key_and_plots_the_projects_figures(window, qtbot):
    dashboard = open_dashboard(qtbot, window)
    progress = dashboard.views["progress"]
    assert {name: list(item.opts["height"]) for name, item in progress.drawn.bars.items()} == {
        "alice": [2, 0, 1], "bob": [0, 1, 2], "carol": [0, 0, 1]}
    # Stacked: bob's bars stand on alice's.
    assert list(progress.drawn.bars["bob"].opts["y0"]) == [2, 0, 1]
    labels = dashboard.views["labels"]
    drawn = dict(zip(labels.chart.categories, zip(*(labels.drawn.bars[w].opts["height"]
                                                     for w in ("alice", "bob", "carol")))))
    for label, counts in drawn.items():
        assert counts == tuple(SPANS[w].get(label, 0) for w in ("alice", "bob", "carol"))
    # The number on hover: over alice's PERSON bar (the first category, the first of three).
    person = labels.chart.categories.index("PERSON")
    centre = labels.drawn.bars["alice"].opts["x"][person]
    assert labels.hover_at(centre, 1.0) == "PERSON\nalice: 2"
    heat = dashboard.views["agreement"]
    assert heat.chart.categories == ("alice", "bob", "carol") and len(heat.drawn.cells) == 9
    assert [item.toPlainText() for _, item in heat.drawn.cells][::4] == ["—", "—", "—"]
    assert heat.hover_at(1.5, 0.5).startswith("alice / bob\nexact F1")
    cumulative = dashboard.views["cumulative"]
    finished = cumulative.drawn.lines["finished"].getData()[1]
    assert list(finished[:3]) == [2, 2, 3]  # documents 0 and 1 on the 2nd, 2 on the 4th
    assert set(cumulative.drawn.lines["project size"].getData()[1]) == {5}
    claimants = dashboard.views["claimants"]
    assert claimants.chart.categories[0] == "Dr Ana Ruiz"


def test_dashboard_filters_from_their_menus_redraw_the_charts(window, qtbot):
    dashboard = open_dashboard(qtbot, window)
    bar = dashboard.filter_bar
    refreshed_after(qtbot, dashboard, lambda: bar.annotators.actions_by_value["alice"].setChecked(True))
    assert bar.annotators.text() == "Annotators: alice"
    assert list(dashboard.views["progress"].drawn.bars) == ["alice"]
    assert list(dashboard.views["labels"].drawn.bars) == ["alice"]
    assert "at least two annotators" in dashboard.views["agreement"].chart.note
    refreshed_after(qtbot, dashboard, lambda: bar.labels.actions_by_value["PERSON"].setChecked(True))
    assert dashboard.views["labels"].chart.categories == ("PERSON",)
    refreshed_after(qtbot, dashboard, lambda: bar.since.setDate(QDate(2026, 3, 3)))
    assert dashboard.views["progress"].chart.categories[0] == "2026-03-03"
    assert list(dashboard.views["progress"].drawn.bars["alice"].opts["height"]) == [0, 1]
    refreshed_after(qtbot, dashboard, lambda: qtbot.mouseClick(bar.reset, Qt.MouseButton.LeftButton))
    assert bar.value().is_empty
    assert set(dashboard.views["labels"].drawn.bars) == {"alice", "bob", "carol"}


def test_dashboard_follows_an_edit_made_in_the_window(window, qtbot, team):
    path, ids = team
    dashboard = open_dashboard(qtbot, window)
    window.session.show(ids[1])
    qtbot.waitUntil(lambda: window.session.doc_id == ids[1])
    window.activateWindow()  # back from the dashboard to the article, as a user clicks it
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)
    window.text_view.setFocus()
    # Carol marks document 1 done today: the progress chart gains today, in her colour.
    refreshed_after(qtbot, dashboard, lambda: key(qtbot, window, K.Key_Return, M.ControlModifier))
    today = dt.datetime.now(dt.timezone.utc).date().isoformat()
    assert rows(path, "SELECT d.status FROM document_status d JOIN annotators a ON a.id = d.annotator_id"
                      f" WHERE a.name = 'carol' AND d.doc_id = {ids[1]}") == [("done",)]
    progress = dashboard.views["progress"]
    assert progress.chart.categories[-1] == today
    assert progress.drawn.bars["carol"].opts["height"][-1] == 1


def test_dashboard_follows_the_theme(window, qtbot, qapp):
    dashboard = open_dashboard(qtbot, window)
    labels = dashboard.views["labels"]
    apply_theme(qapp, "light")
    qtbot.waitUntil(lambda: labels.drawn.bars["alice"].opts["brush"].color() == QColor(LIGHT_SERIES[0]))
    light_background = labels.graphics.backgroundBrush().color()
    apply_theme(qapp, "dark")
    qtbot.waitUntil(lambda: labels.drawn.bars["alice"].opts["brush"].color() == QColor(DARK_SERIES[0]))
    assert labels.graphics.backgroundBrush().color().lightnessF() < 0.3 < light_background.lightnessF()
    assert labels.title.palette().color(labels.title.foregroundRole()).lightnessF() > 0.7


def test_dashboard_chart_buttons_write_png_svg_and_copy_csv(window, qtbot, tmp_path, monkeypatch):
    dashboard = open_dashboard(qtbot, window)
    view = dashboard.views["labels"]
    asked = iter([str(tmp_path / "labels"), str(tmp_path / "labels.svg")])  # ".png" is added when missing
    monkeypatch.setattr(file_chooser, "save_file", lambda *args, **kwargs: next(asked))
    with qtbot.waitSignal(view.saved) as png:
        qtbot.mouseClick(view.png_button, Qt.MouseButton.LeftButton)
    assert png.args == [str(tmp_path / "labels.png")]
    image = QImage(str(tmp_path / "labels.png"))
    assert (image.width(), image.height()) == (FIGURE_SIZE.width(), FIGURE_SIZE.height())
    with qtbot.waitSignal(view.saved):
        qtbot.mouseClick(view.svg_button, Qt.MouseButton.LeftButton)
    svg = ET.parse(tmp_path / "labels.svg").getroot()
    assert svg.tag.endswith("svg") and "Accepted spans per label" in ET.tostring(svg, encoding="unicode")
    qtbot.mouseClick(view.csv_button, Qt.MouseButton.LeftButton)
    table = list(csv.reader(io.StringIO(QGuiApplication.clipboard().text())))
    assert table[0] == ["label", "alice", "bob", "carol"]
    assert ["PERSON", "2", "2", "2"] in table
    # The window's chart keeps its size: the file was drawn at the figure size, not the window's.
    assert view.size() != FIGURE_SIZE


def test_dashboard_a_write_that_fails_is_said_not_raised(window, qtbot, tmp_path, monkeypatch):
    dashboard = open_dashboard(qtbot, window)
    view = dashboard.views["progress"]
    monkeypatch.setattr(file_chooser, "save_file", lambda *a, **k: str(tmp_path / "missing" / "deep" / "p.png"))
    qtbot.mouseClick(view.png_button, Qt.MouseButton.LeftButton)
    assert "cannot write" in dashboard.state.text() and "p.png" in dashboard.state.text()


def test_dashboard_on_an_empty_project_says_why_each_chart_is_empty(make_project, qtbot):
    win = show_window(qtbot, MainWindow(make_project([("One", "Nothing done here yet.")])))
    try:
        dashboard = open_dashboard(qtbot, win)
        notes = {k: v.chart.note for k, v in dashboard.views.items()}
        assert notes["progress"].startswith("No document has been marked done yet")
        assert notes["cumulative"].startswith("No document finished yet (1 to do")
        assert notes["labels"].startswith("No accepted span")
        assert notes["models"].startswith("No model trained")
        for view in dashboard.views.values():  # said in the middle of the plot, with no axes
            assert view.empty_text is not None and view.empty_text.toPlainText() == view.chart.note
            assert not view.plot.getAxis("left").isVisible()
    finally:
        win.shut_down()
