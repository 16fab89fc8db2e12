"""Render resources/icons/annotator.svg to the PNG sizes desktops and installers ask for.

    QT_QPA_PLATFORM=offscreen python packaging/render_icons.py [--check]

Run it after editing the SVG and commit the PNGs: the program, the wheel and the bundle use
the PNGs where an SVG cannot be read (no SVG plugin, Windows/macOS installers). With --check it
only verifies that the committed PNGs match a fresh rendering within one or two steps of a
colour channel (exit 1 otherwise).
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QRectF, Qt  # noqa: E402
from PySide6.QtGui import QGuiApplication, QImage, QPainter  # noqa: E402
from PySide6.QtSvg import QSvgRenderer  # noqa: E402

ICONS = Path(__file__).resolve().parents[1] / "resources" / "icons"
SOURCE = ICONS / "annotator.svg"
SIZES = (16, 32, 48, 64, 128, 256, 512)
# Qt's antialiasing differs by one step of a channel between Qt builds; a real change to the
# SVG moves many pixels by much more.
TOLERANCE = 2


def max_channel_difference(a: QImage, b: QImage) -> int:
    """The largest difference of any channel of any pixel (255 when the sizes differ)."""
    if a.size() != b.size():
        return 255
    worst = 0
    for y in range(a.height()):
        for x in range(a.width()):
            pa, pb = a.pixel(x, y), b.pixel(x, y)
            if pa != pb:
                worst = max(worst, *(abs(((pa >> s) & 255) - ((pb >> s) & 255)) for s in (0, 8, 16, 24)))
    return worst


def png_path(size: int) -> Path:
    return ICONS / f"annotator-{size}.png"


def render(renderer: QSvgRenderer, size: int) -> QImage:
    image = QImage(size, size, QImage.Format.Format_ARGB32)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
    renderer.render(painter, QRectF(0, 0, size, size))
    painter.end()
    return image


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="compare with the committed PNGs, write nothing")
    args = parser.parse_args()
    _app = QGuiApplication.instance() or QGuiApplication(sys.argv[:1])
    renderer = QSvgRenderer(str(SOURCE))
    if not renderer.isValid():
        print(f"cannot read {SOURCE}", file=sys.stderr)
        return 1
    stale = []
    for size in SIZES:
        image = render(renderer, size)
        target = png_path(size)
        if args.check:
            committed = QImage(str(target)).convertToFormat(QImage.Format.Format_ARGB32)
            if max_channel_difference(committed, image) > TOLERANCE:
                stale.append(target.name)
            continue
        if not image.save(str(target), "PNG"):
            print(f"cannot write {target}", file=sys.stderr)
            return 1
        print(target)
    if stale:
        print("out of date, run packaging/render_icons.py: " + ", ".join(stale), file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
