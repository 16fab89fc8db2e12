from __future__ import annotations

import pytest
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QApplication

from annotator.core.resources import default_scheme_path
from annotator.core.scheme import PALETTE, load_scheme_file
from annotator.ui.common import themes
from annotator.ui.common.themes import (
    DARK_BASE,
    LIGHT_BASE,
    MIN_BORDER_CONTRAST,
    MIN_TEXT_CONTRAST,
    apply_theme,
    contrast_ratio,
    is_dark,
    label_colors,
    theme_palette,
)

SCHEME_COLORS = tuple(label.color for label in load_scheme_file(default_scheme_path()).labels)
ALL_COLORS = tuple(dict.fromkeys(PALETTE + SCHEME_COLORS))
Role = QPalette.ColorRole


@pytest.fixture
def back_to_system(qapp):
    yield qapp
    apply_theme(qapp, "system")


@pytest.mark.parametrize("dark", [False, True], ids=["light", "dark"])
@pytest.mark.parametrize("color", ALL_COLORS)
def test_themes_span_text_reads_on_every_label_colour(color, dark):
    background, text, _border = label_colors(color, dark)
    assert contrast_ratio(text, background) >= MIN_TEXT_CONTRAST


@pytest.mark.parametrize("dark", [False, True], ids=["light", "dark"])
@pytest.mark.parametrize("color", ALL_COLORS)
def test_themes_span_edge_and_fill_stand_out_from_the_page(color, dark):
    page = QColor(DARK_BASE if dark else LIGHT_BASE)
    background, _text, border = label_colors(color, dark)
    assert contrast_ratio(border, page) >= MIN_BORDER_CONTRAST
    assert contrast_ratio(background, page) >= 1.3  # visibly tinted, not page-coloured


@pytest.mark.parametrize("dark", [False, True], ids=["light", "dark"])
@pytest.mark.parametrize("color", ["#ffffff", "#000000", "#ffff00", "#000080", "#808080"])
def test_themes_span_text_reads_even_on_extreme_colours(color, dark):
    background, text, border = label_colors(color, dark)
    assert contrast_ratio(text, background) >= MIN_TEXT_CONTRAST
    assert contrast_ratio(border, QColor(DARK_BASE if dark else LIGHT_BASE)) >= MIN_BORDER_CONTRAST


@pytest.mark.parametrize("base", ["#fdf6e3", "#002b36", "#3c3f41"])
def test_themes_span_colours_follow_a_given_page_colour(base):
    page = QColor(base)
    background, text, _border = label_colors("#7aa6f0", is_dark_color(page), page)
    assert contrast_ratio(text, background) >= MIN_TEXT_CONTRAST


def is_dark_color(color: QColor) -> bool:
    return color.lightnessF() < 0.5


def test_themes_bad_label_colour_falls_back_to_grey():
    assert label_colors("not a colour", False) == label_colors(themes.FALLBACK_LABEL_COLOR, False)


@pytest.mark.parametrize("name", ["light", "dark"])
@pytest.mark.parametrize(("fg", "bg"), [
    (Role.Text, Role.Base), (Role.WindowText, Role.Window), (Role.ButtonText, Role.Button),
    (Role.HighlightedText, Role.Highlight), (Role.PlaceholderText, Role.Base), (Role.Link, Role.Base),
    (Role.ToolTipText, Role.ToolTipBase),
])
def test_themes_palette_text_roles_are_readable(name, fg, bg):
    palette = theme_palette(name)
    assert contrast_ratio(palette.color(fg), palette.color(bg)) >= MIN_TEXT_CONTRAST


@pytest.mark.parametrize("name", ["light", "dark"])
def test_themes_disabled_text_is_visible_but_dimmer(name):
    palette = theme_palette(name)
    disabled = palette.color(QPalette.ColorGroup.Disabled, Role.WindowText)
    window = palette.color(QPalette.ColorGroup.Disabled, Role.Window)
    assert 2.5 <= contrast_ratio(disabled, window) < contrast_ratio(palette.color(Role.WindowText), window)


def test_themes_apply_dark_then_light_then_system(back_to_system):
    app = back_to_system
    apply_theme(app, "system")
    system_style = app.style().name()
    system_base = QApplication.palette().color(Role.Base)

    apply_theme(app, "dark")
    assert app.style().name().lower() == "fusion"
    assert is_dark()
    assert QApplication.palette().color(Role.Base) == QColor(DARK_BASE)

    apply_theme(app, "light")
    assert not is_dark()
    assert QApplication.palette().color(Role.Base) == QColor(LIGHT_BASE)

    apply_theme(app, "system")
    assert app.style().name() == system_style
    assert QApplication.palette().color(Role.Base) == system_base


def test_themes_widgets_get_the_new_palette(back_to_system, qtbot):
    from PySide6.QtWidgets import QLineEdit

    edit = QLineEdit()
    qtbot.addWidget(edit)
    apply_theme(back_to_system, "dark")
    qtbot.waitUntil(lambda: edit.palette().color(Role.Base) == QColor(DARK_BASE))  # delivered by event
    assert edit.palette().color(Role.Base) == QColor(DARK_BASE)


def test_themes_unknown_theme_is_refused(qapp):
    with pytest.raises(ValueError):
        apply_theme(qapp, "purple")
    with pytest.raises(ValueError):
        theme_palette("system")
