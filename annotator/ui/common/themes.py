"""Colour themes (system, light, dark) and span colours that stay readable in each.

Light and dark use the Fusion style with a palette of our own, so the program looks the same
on every platform; "system" gives back whatever style and palette the platform gave us.
Widgets repaint on the palette change Qt sends (``QEvent.ApplicationPaletteChange``); a view
that caches span colours from ``label_colors`` recomputes them then, asking ``is_dark()``.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QGuiApplication, QPalette
from PySide6.QtWidgets import QApplication, QStyleFactory

from .settings import THEMES

FALLBACK_LABEL_COLOR = "#999999"

# Our own light and dark bases: the span colours are tuned (and tested) against them.
LIGHT_BASE = "#ffffff"
DARK_BASE = "#1e1f22"
LIGHT_TEXT = "#1b1b1b"
DARK_TEXT = "#e8e8e8"

# How much of the label colour shows in a span's background; the rest is the page colour.
# Dark pages take less: a pale pastel on a dark page glares and pushes text to black.
SPAN_TINT_LIGHT = 0.55
SPAN_TINT_DARK = 0.42
MIN_TEXT_CONTRAST = 4.5  # WCAG 2 AA for body text
MIN_BORDER_CONTRAST = 3.0  # WCAG 2.1 1.4.11 for the edges of graphical objects

_Role = QPalette.ColorRole
_Group = QPalette.ColorGroup

_LIGHT: dict[QPalette.ColorRole, str] = {
    _Role.Window: "#efefef", _Role.WindowText: LIGHT_TEXT, _Role.Base: LIGHT_BASE,
    _Role.AlternateBase: "#f5f6f7", _Role.ToolTipBase: "#ffffff", _Role.ToolTipText: LIGHT_TEXT,
    _Role.PlaceholderText: "#6b6b6b", _Role.Text: LIGHT_TEXT, _Role.Button: "#f6f6f6",
    _Role.ButtonText: LIGHT_TEXT, _Role.BrightText: "#ffffff", _Role.Highlight: "#2862c9",
    _Role.HighlightedText: "#ffffff", _Role.Link: "#1f5bbf", _Role.LinkVisited: "#7042a8",
    _Role.Light: "#ffffff", _Role.Midlight: "#f4f4f4", _Role.Mid: "#b8b8b8", _Role.Dark: "#9a9a9a",
    _Role.Shadow: "#5a5a5a", _Role.Accent: "#2862c9",
}
_DARK: dict[QPalette.ColorRole, str] = {
    _Role.Window: "#2b2d31", _Role.WindowText: DARK_TEXT, _Role.Base: DARK_BASE,
    _Role.AlternateBase: "#26282c", _Role.ToolTipBase: "#3a3d42", _Role.ToolTipText: DARK_TEXT,
    _Role.PlaceholderText: "#9c9c9c", _Role.Text: DARK_TEXT, _Role.Button: "#35383d",
    _Role.ButtonText: DARK_TEXT, _Role.BrightText: "#ffffff", _Role.Highlight: "#3b6fd6",
    _Role.HighlightedText: "#ffffff", _Role.Link: "#7fb0ff", _Role.LinkVisited: "#c29bf0",
    _Role.Light: "#4a4d52", _Role.Midlight: "#404348", _Role.Mid: "#2a2c30", _Role.Dark: "#1a1b1e",
    _Role.Shadow: "#0e0e10", _Role.Accent: "#3b6fd6",
}
# Disabled controls: readable but plainly inactive.
_DISABLED_LIGHT = {_Role.WindowText: "#8a8a8a", _Role.Text: "#8a8a8a", _Role.ButtonText: "#8a8a8a",
                   _Role.Base: "#f4f4f4", _Role.Highlight: "#b9c6dc", _Role.PlaceholderText: "#a0a0a0"}
_DISABLED_DARK = {_Role.WindowText: "#7c7c7c", _Role.Text: "#7c7c7c", _Role.ButtonText: "#7c7c7c",
                  _Role.Base: "#25272a", _Role.Highlight: "#3c4556", _Role.PlaceholderText: "#6a6a6a"}

# What the platform gave us before the first theme was applied: "system" goes back to it.
_system: tuple[str, QPalette] | None = None


def theme_palette(name: str) -> QPalette:
    """The palette of the "light" or "dark" theme."""
    if name not in ("light", "dark"):
        raise ValueError(f"theme {name!r} has no palette of its own; choose light or dark")
    roles, disabled = (_LIGHT, _DISABLED_LIGHT) if name == "light" else (_DARK, _DISABLED_DARK)
    palette = QPalette()
    for role, color in roles.items():
        palette.setColor(role, QColor(color))
    for role, color in disabled.items():
        palette.setColor(_Group.Disabled, role, QColor(color))
    return palette


def apply_theme(app: QApplication, name: str) -> None:
    """Switch the whole application to a theme: "system", "light" or "dark"."""
    global _system
    if name not in THEMES:
        raise ValueError(f"unknown theme {name!r}; choose one of {', '.join(THEMES)}")
    if _system is None:
        _system = (app.style().name(), QPalette(app.palette()))
    style_name, palette = _system
    hints = QGuiApplication.styleHints()
    if name == "system":
        if app.style().name().lower() != style_name.lower():
            app.setStyle(QStyleFactory.create(style_name) or style_name)
        hints.unsetColorScheme()
        app.setPalette(palette)
        _restyle(app)
        return
    if app.style().name().lower() != "fusion":
        app.setStyle("Fusion")
    # Native dialogs (file chooser, colour picker) and window frames follow the scheme hint.
    hints.setColorScheme(Qt.ColorScheme.Dark if name == "dark" else Qt.ColorScheme.Light)
    app.setPalette(theme_palette(name))
    _restyle(app)


def _restyle(app: QApplication) -> None:
    """Widgets with a style sheet of their own (the label bar, badges, error labels) keep the
    colours they were polished with when the application's palette changes: set each sheet
    again, so the whole window takes the new theme at once, not after a restart."""
    for widget in app.allWidgets():
        sheet = widget.styleSheet()
        if sheet:
            widget.setStyleSheet(sheet)


def is_dark(palette: QPalette | None = None) -> bool:
    """Whether text is light on dark: decided by the page colour, whatever theme set it."""
    if palette is None:
        palette = QGuiApplication.palette()
    return palette.color(_Role.Base).lightnessF() < 0.5


# ------------------------------------------------------------------- contrast
def relative_luminance(color: QColor) -> float:
    """WCAG 2 relative luminance of an sRGB colour."""
    def channel(value: float) -> float:
        return value / 12.92 if value <= 0.04045 else ((value + 0.055) / 1.055) ** 2.4

    return 0.2126 * channel(color.redF()) + 0.7152 * channel(color.greenF()) + 0.0722 * channel(color.blueF())


def contrast_ratio(a: QColor, b: QColor) -> float:
    """WCAG 2 contrast ratio, from 1 (same) to 21 (black on white)."""
    la, lb = relative_luminance(a), relative_luminance(b)
    lighter, darker = max(la, lb), min(la, lb)
    return (lighter + 0.05) / (darker + 0.05)


def blend(color: QColor, base: QColor, amount: float) -> QColor:
    """``amount`` of ``color`` over ``base`` (0: base, 1: color), as an opaque colour."""
    def mix(a: float, b: float) -> float:
        return a * amount + b * (1.0 - amount)

    return QColor.fromRgbF(mix(color.redF(), base.redF()), mix(color.greenF(), base.greenF()),
                           mix(color.blueF(), base.blueF()))


def readable_text(background: QColor, preferred: QColor) -> QColor:
    """``preferred`` if it reads well on ``background``, else black or white (one always does)."""
    if contrast_ratio(preferred, background) >= MIN_TEXT_CONTRAST:
        return QColor(preferred)
    black, white = QColor("#000000"), QColor("#ffffff")
    return black if contrast_ratio(black, background) >= contrast_ratio(white, background) else white


def _border(color: QColor, base: QColor, dark: bool) -> QColor:
    """The label colour, moved toward white (dark page) or black (light page) until it shows."""
    target = QColor("#ffffff") if dark else QColor("#000000")
    for step in range(21):
        border = blend(target, color, step / 20)
        if contrast_ratio(border, base) >= MIN_BORDER_CONTRAST:
            return border
    return target


def label_colors(hex_color: str, dark: bool, base: QColor | None = None) -> tuple[QColor, QColor, QColor]:
    """Background, text and border colours for a span of a label, on a light or dark page.

    The background is the label colour blended toward the page (``base``; our theme's page
    when not given), the text is the theme's text colour when it has a contrast of at least
    4.5 against that background (else black or white), and the border is the label colour
    shifted until it stands out from the page by 3:1.
    """
    color = QColor(hex_color)
    if not color.isValid():
        color = QColor(FALLBACK_LABEL_COLOR)
    page = QColor(base) if base is not None else QColor(DARK_BASE if dark else LIGHT_BASE)
    background = blend(color, page, SPAN_TINT_DARK if dark else SPAN_TINT_LIGHT)
    text = readable_text(background, QColor(DARK_TEXT if dark else LIGHT_TEXT))
    return background, text, _border(color, page, dark)
