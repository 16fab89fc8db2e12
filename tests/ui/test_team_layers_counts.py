"""View > Layers opens at once: its entries are there, named, before the layers are counted;
the counts (a pass over every span: seconds at 100,000 documents) come from a background
count, are written into the open menu, kept for the next opening, and counted again after
the project changes; an answer counted before a change never replaces a newer one."""

from __future__ import annotations

import threading

import pytest
import test_team_layers as team_tests
from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QMenu
from window_driver import key

from annotator.core.team import GOLD_NAME
from annotator.store import Project
from annotator.ui.session.layers import other_layers
from annotator.ui.team import layer_counts

K, M = Qt.Key, Qt.KeyboardModifier

path, window = team_tests.path, team_tests.window  # the lead (carol) with alice's and bob's work merged in


class Gate:
    """Holds every count, once it has counted, until the test lets it go: "before the count
    ends" is then a fact, not a race with the count's thread."""

    def __init__(self) -> None:
        self.counted: list[dict] = []  # each count's answer, in the order they counted
        self.releases: list[threading.Event] = []
        self._lock = threading.Lock()

    def count(self, real, project):  # noqa: ANN001, ANN201 - stands in for layer_counts.count_layers
        counts = real(project)
        release = threading.Event()
        with self._lock:
            self.counted.append(counts)
            self.releases.append(release)
        if not release.wait(30):
            raise RuntimeError("the test never let this count go")
        return counts

    def release(self, index: int) -> None:
        self.releases[index].set()

    def release_all(self) -> None:
        for release in list(self.releases):
            release.set()


@pytest.fixture
def gate(monkeypatch, window):  # after the window: let go before the window shuts down
    held = Gate()
    real = layer_counts.count_layers
    monkeypatch.setattr(layer_counts, "count_layers", lambda project: held.count(real, project))
    yield held
    held.release_all()


def layers_menu(window) -> QMenu:
    return window.menuBar().findChild(QMenu, "menu.view.layers")


def open_menu(window) -> QMenu:
    menu = layers_menu(window)
    menu.popup(window.mapToGlobal(QPoint(200, 120)))  # aboutToShow fills it, as a click on View > Layers does
    assert menu.isVisible()
    return menu


def entries(menu: QMenu) -> dict[str, str]:
    return {a.objectName().removeprefix("view.layer:"): a.text() for a in menu.actions()
            if a.objectName().startswith("view.layer:")}


def expected(path, editing: str) -> dict[str, str]:
    """The entries' texts from ``other_layers(..., counted=True)`` on a connection of our own."""
    with Project.open(path, check=False, read_only=True) as project:
        layers = other_layers(project, editing, counted=True)
    return {layer.ref: f"{layer.title}  ({layer.spans:,} spans, {layer.claims:,} claims, "
                       f"{layer.documents:,} documents)" for layer in layers}


def test_layers_menu_opens_before_the_count_and_fills_in_the_counts(window, gate, path, qtbot):
    menu = open_menu(window)
    # At once, with the count held: every entry, named, checkable, waiting for its counts.
    assert entries(menu) == {"alice": "alice  (counting…)", "bob": "bob  (counting…)"}
    assert window.layers_control.counts.counting
    for action in menu.actions():
        if action.objectName().startswith("view.layer:"):
            assert action.isCheckable() and not action.isChecked() and action.isEnabled()
    qtbot.waitUntil(lambda: len(gate.counted) == 1)  # counted, held: the menu still waits
    assert entries(menu)["bob"] == "bob  (counting…)"

    gate.release(0)
    qtbot.waitUntil(lambda: "counting" not in entries(menu)["alice"])
    assert menu.isVisible()  # filled in the open menu, in place
    assert entries(menu) == expected(path, "carol")
    assert entries(menu)["bob"] == "bob  (6 spans, 0 claims, 2 documents)"

    # Opened again: the counts kept are shown at once, and nothing is counted again.
    menu.hide()
    menu = open_menu(window)
    assert entries(menu) == expected(path, "carol") and not window.layers_control.counts.counting
    assert len(gate.counted) == 1
    # The entries still choose the layers shown, as before.
    next(a for a in menu.actions() if a.objectName() == "view.layer:bob").trigger()
    assert window.session.layers.others == ("bob",)
    menu = open_menu(window)
    checked = {a.objectName(): a.isChecked() for a in menu.actions() if a.objectName().startswith("view.layer:")}
    assert checked == {"view.layer:alice": False, "view.layer:bob": True}
    assert len(gate.counted) == 1  # showing a layer changes no count
    menu.hide()


def test_layers_menu_counts_again_after_an_edit_and_drops_an_older_answer(window, gate, path, qtbot):
    menu = open_menu(window)
    qtbot.waitUntil(lambda: len(gate.counted) == 1)  # the first count has counted the project as it was
    menu.hide()

    # The lead decides in review mode: gold gets the two spans alice and bob agree on.
    window.text_view.setFocus()
    key(qtbot, window, K.Key_R, M.ControlModifier)
    assert window.review.active
    key(qtbot, window, K.Key_A, M.ShiftModifier)
    key(qtbot, window, K.Key_R, M.ControlModifier)
    assert not window.review.active
    assert GOLD_NAME not in gate.counted[0]

    menu = open_menu(window)  # a new count: the first one's answer is out of date
    assert entries(menu) == {"alice": "alice  (counting…)", "bob": "bob  (counting…)",
                             GOLD_NAME: f"{GOLD_NAME}  (counting…)"}
    qtbot.waitUntil(lambda: len(gate.counted) == 2)
    gate.release(1)
    qtbot.waitUntil(lambda: "counting" not in entries(menu)[GOLD_NAME])
    now = expected(path, "carol")
    assert entries(menu) == now and now[GOLD_NAME] == f"{GOLD_NAME}  (2 spans, 0 claims, 1 documents)"

    gate.release(0)  # the old count's answer arrives last: it must not replace the newer one
    qtbot.waitUntil(lambda: window.layers_control.counts.running == 0)
    qtbot.wait(50)
    assert entries(menu) == now and GOLD_NAME in window.layers_control.counts.counts
    menu.hide()
    menu = open_menu(window)
    assert entries(menu) == now and len(gate.counted) == 2
    menu.hide()


def test_layers_menu_count_is_interrupted_when_the_window_closes(window, monkeypatch, qtbot):
    """Closing the window mid-count stops the count's query (it does not wait for its end)."""
    import sqlite3

    started, outcome = threading.Event(), []
    # A query that runs for a long time (tens of seconds) unless interrupted.
    slow = "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 300000000) SELECT count(*) FROM n"

    def count(project):  # noqa: ANN001, ANN202
        started.set()
        try:
            project.db.execute(slow).fetchall()
        except sqlite3.OperationalError as exc:
            outcome.append(str(exc))
            raise
        outcome.append("counted to the end")
        return {}

    monkeypatch.setattr(layer_counts, "count_layers", count)
    menu = open_menu(window)
    assert started.wait(30)
    menu.hide()
    window.shut_down()  # stops the count: the query is interrupted, the job ends
    assert outcome == ["interrupted"] and window.layers_control.counts.running == 0
    assert entries(menu)["alice"] == "alice  (counting…)"  # no answer, no error shown over it
