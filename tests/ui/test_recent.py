from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QMenu

from annotator.ui.window.recent import RecentProjects, populate_menu
from annotator.ui.common.settings import RECENT_MAX, Settings


def touch(path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(b"")
    return path


def entries(menu: QMenu) -> list[str]:
    return [a.text() for a in menu.actions() if not a.isSeparator()]


def test_recent_most_recent_first_without_duplicates(tmp_path):
    recent = RecentProjects(Settings())
    a, b = touch(tmp_path / "a.annotator"), touch(tmp_path / "b.annotator")
    recent.add(a)
    recent.add(b)
    recent.add(tmp_path / "sub" / ".." / "a.annotator")  # the same file, spelt differently
    assert recent.paths() == [a, b]
    assert Settings().value("recent/projects") == [str(a), str(b)]


def test_recent_keeps_at_most_ten(tmp_path):
    recent = RecentProjects(Settings())
    paths = [touch(tmp_path / f"p{i}.annotator") for i in range(RECENT_MAX + 3)]
    for path in paths:
        recent.add(path)
    assert recent.paths() == list(reversed(paths))[:RECENT_MAX]


def test_recent_forgets_files_that_are_gone(tmp_path):
    recent = RecentProjects(Settings())
    a, b = touch(tmp_path / "a.annotator"), touch(tmp_path / "b.annotator")
    recent.add(a)
    recent.add(b)
    b.unlink()
    assert recent.paths() == [a]
    assert Settings().value("recent/projects") == [str(a)]


def test_recent_single_entry_survives_the_settings_file(tmp_path):
    recent = RecentProjects(Settings())
    a = touch(tmp_path / "only.annotator")
    recent.add(a)
    Settings().sync()
    assert RecentProjects(Settings()).paths() == [a]


def test_recent_remove_and_clear(tmp_path):
    recent = RecentProjects(Settings())
    a, b = touch(tmp_path / "a.annotator"), touch(tmp_path / "b.annotator")
    recent.add(a)
    recent.add(b)
    recent.remove(b)
    assert recent.paths() == [a]
    recent.clear()
    assert recent.paths() == []


def test_recent_menu_opens_the_chosen_project(qtbot, tmp_path):
    recent = RecentProjects(Settings())
    a = touch(tmp_path / "R&D.annotator")
    b = touch(tmp_path / "news.annotator")
    recent.add(a)
    recent.add(b)
    menu = QMenu()
    qtbot.addWidget(menu)
    opened: list[Path] = []
    populate_menu(menu, opened.append)
    assert entries(menu) == [f"&1  news.annotator   —   {tmp_path}", f"&2  R&&D.annotator   —   {tmp_path}",
                             "&Clear Recent Projects"]
    assert menu.actions()[1].toolTip() == str(a)
    menu.actions()[1].trigger()
    assert opened == [a]


def test_recent_menu_clear_and_empty(qtbot, tmp_path):
    recent = RecentProjects(Settings())
    recent.add(touch(tmp_path / "a.annotator"))
    menu = QMenu()
    qtbot.addWidget(menu)
    recent.attach_menu(menu, lambda path: None)
    menu.actions()[-1].trigger()  # Clear Recent Projects
    assert recent.paths() == []
    menu.aboutToShow.emit()  # refilled before it shows
    assert entries(menu) == ["No Recent Projects"]
    assert not menu.actions()[0].isEnabled()


def test_recent_menu_refills_when_shown(qtbot, tmp_path):
    recent = RecentProjects(Settings())
    menu = QMenu()
    qtbot.addWidget(menu)
    recent.attach_menu(menu, lambda path: None)
    assert entries(menu) == ["No Recent Projects"]
    recent.add(touch(tmp_path / "late.annotator"))
    menu.aboutToShow.emit()
    assert entries(menu)[0] == f"&1  late.annotator   —   {tmp_path}"
