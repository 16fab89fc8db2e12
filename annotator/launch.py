"""Start the window, or explain why it cannot start (no display), without importing Qt early."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import click

from .store import ProjectError


def display_available() -> bool:
    """Whether Qt can open a window here; avoids Qt's abort when there is no display."""
    if os.environ.get("QT_QPA_PLATFORM", "").split(":")[0] in ("offscreen", "minimal", "vnc", "eglfs", "linuxfb"):
        return True
    if sys.platform.startswith("linux") or "bsd" in sys.platform:
        return bool(os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))
    return True  # Windows and macOS always have a window system


def launch_gui(project: str | None) -> int:
    if not display_available():
        click.echo(
            "annotator: no display found (neither DISPLAY nor WAYLAND_DISPLAY is set), so the window "
            "cannot open.\nRun it in a desktop session, or use the command-line tools: annotator --help",
            err=True,
        )
        return 1
    from .workflows.sample import ensure_sample_project

    try:
        path = Path(project) if project else ensure_sample_project()
    except ProjectError as exc:
        click.echo(f"error: {exc}", err=True)
        return 3
    from .app import run

    return run(path)
