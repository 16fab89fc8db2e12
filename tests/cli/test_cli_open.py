"""``annotator open`` without a display: a clear message, exit 1, and Qt never imported."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from annotator.launch import display_available

REPO = Path(__file__).resolve().parents[2]

WRAPPER = """
import sys
from annotator.cli import main
try:
    main(sys.argv[1:])
except SystemExit as exc:
    code = exc.code
else:
    code = 0
print("PySide6 imported:", "PySide6" in sys.modules, "shiboken6" in sys.modules)
sys.exit(code)
"""


def _no_display_env(tmp_path):
    env = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM")}
    env["HOME"] = str(tmp_path)
    env["XDG_DATA_HOME"] = str(tmp_path / "data")
    return env


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="display detection is for X11/Wayland")
@pytest.mark.parametrize("args", [["open", "some.annotator"], ["open"], []], ids=["open-path", "open", "bare"])
def test_cli_open_no_display_exits_1_without_qt(tmp_path, args):
    result = subprocess.run([sys.executable, "-c", WRAPPER, *args], env=_no_display_env(tmp_path),
                            cwd=tmp_path, capture_output=True, text=True, timeout=60)
    assert result.returncode == 1, result.stderr
    assert "no display" in result.stderr
    assert "PySide6 imported: False False" in result.stdout
    assert not (tmp_path / "data" / "annotator").exists()  # no sample project made for nothing


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="display detection is for X11/Wayland")
def test_cli_open_module_entry_importtime(tmp_path):
    result = subprocess.run([sys.executable, "-X", "importtime", "-m", "annotator", "open", "x.annotator"],
                            env=_no_display_env(tmp_path), cwd=tmp_path, capture_output=True, text=True,
                            timeout=60)
    assert result.returncode == 1
    assert "no display" in result.stderr
    imported = [line.rsplit("|", 1)[-1].strip() for line in result.stderr.splitlines()
                if line.startswith("import time:")]
    assert "annotator.cli" in imported
    assert not [m for m in imported if m.startswith(("PySide6", "shiboken6", "spacy"))]


@pytest.mark.parametrize("env, expected", [
    ({}, False),
    ({"DISPLAY": ":0"}, True),
    ({"WAYLAND_DISPLAY": "wayland-0"}, True),
    ({"QT_QPA_PLATFORM": "offscreen"}, True),
    ({"QT_QPA_PLATFORM": "xcb"}, False),
])
def test_cli_open_display_available(monkeypatch, env, expected):
    for var in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM"):
        monkeypatch.delenv(var, raising=False)
    for var, value in env.items():
        monkeypatch.setenv(var, value)
    monkeypatch.setattr(sys, "platform", "linux")
    assert display_available() is expected
