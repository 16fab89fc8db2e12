"""The wheel carries the resources and runs from a fresh venv: `annotator`, `python -m annotator`."""

from __future__ import annotations

import configparser
import os
import sys
import time
import zipfile
from pathlib import Path

import pytest
from packaging_helpers import BUILD_ENV, ICON_SIZES, REPO, run, venv_program, without_display

import annotator

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("wheel")
    run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--quiet", "--wheel-dir", out, REPO],
        env=BUILD_ENV, timeout=300)
    [built] = out.glob("annotator-*.whl")
    return built


def test_wheel_install_carries_resources_and_entry_points(wheel):
    with zipfile.ZipFile(wheel) as archive:
        names = set(archive.namelist())
        entry_points = archive.read(f"annotator-{annotator.__version__}.dist-info/entry_points.txt").decode()
    expected = ["annotator/resources/schemes/default.toml", "annotator/resources/samples/articles.jsonl",
                "annotator/resources/icons/annotator.svg", "annotator/__main__.py", "annotator/selftest.py"]
    expected += [f"annotator/resources/icons/annotator-{size}.png" for size in ICON_SIZES]
    assert not [name for name in expected if name not in names]
    assert not [name for name in names if name.startswith(("tests/", "packaging/", "resources/"))]
    parser = configparser.ConfigParser()
    parser.read_string(entry_points)
    assert parser["console_scripts"]["annotator"] == "annotator.cli:main"
    assert parser["gui_scripts"]["annotator-gui"] == "annotator.cli:main"


def test_wheel_install_runs_from_a_fresh_venv(wheel, tmp_path):
    venv = tmp_path / "venv"
    started = time.perf_counter()
    run([sys.executable, "-m", "venv", venv], env=BUILD_ENV, timeout=120)
    python = venv_program(venv, "python")
    run([python, "-m", "pip", "install", "--quiet", wheel], env=BUILD_ENV, timeout=600)
    installed = time.perf_counter()

    # The program runs as the user would run it: another folder, the test's own (empty) home.
    env = without_display(dict(os.environ))
    for args in ([venv_program(venv, "annotator"), "--version"], [python, "-m", "annotator", "--version"]):
        assert run(args, cwd=tmp_path, env=env, timeout=60).stdout.strip() == f"annotator, version {annotator.__version__}"
    result = run([venv_program(venv, "annotator"), "--self-test"], cwd=tmp_path, env=env, timeout=300)
    assert "QT_QPA_PLATFORM=offscreen" in result.stdout
    assert "self-test passed" in result.stdout
    # The resources came from the installed package, not from this checkout.
    [resources_line] = [line for line in result.stdout.splitlines() if line.endswith("resources")]
    assert str(venv) in resources_line and str(REPO / "resources") not in resources_line
    print(f"\nvenv + install: {installed - started:.1f} s, runs: {time.perf_counter() - installed:.1f} s")
