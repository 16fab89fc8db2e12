"""Shared by the packaging tests: paths, and the environment pip and PyInstaller run in."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
PACKAGING = REPO / "packaging"
ICONS = REPO / "resources" / "icons"
ICON_SIZES = (16, 32, 48, 64, 128, 256, 512)

# The environment as it was when the tests were collected, before conftest pointed HOME and the
# XDG folders at a temporary home for each test: pip needs the user's configuration (its index)
# and cache, exactly as a person installing the program has them.
BUILD_ENV = dict(os.environ)


def without_display(env: dict[str, str]) -> dict[str, str]:
    """``env`` as on a user's machine with no display (the self-test must pick offscreen itself)
    and no PYTHONPATH (a fresh venv or a bundle must not see this checkout)."""
    dropped = ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM", "PYTHONPATH")
    return {k: v for k, v in env.items() if k not in dropped}


def venv_program(venv: Path, name: str) -> Path:
    return venv / ("Scripts" if sys.platform == "win32" else "bin") / (name + (".exe" if sys.platform == "win32" else ""))


def run(args: list, *, timeout: float, **kwargs) -> subprocess.CompletedProcess:
    result = subprocess.run([str(a) for a in args], capture_output=True, text=True, timeout=timeout, **kwargs)
    assert result.returncode == 0, (
        f"{' '.join(map(str, args))} exited {result.returncode}\n"
        f"--- stdout\n{result.stdout[-6000:]}\n--- stderr\n{result.stderr[-6000:]}"
    )
    return result
