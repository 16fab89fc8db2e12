"""The import rule between layers (pyproject [tool.importlinter]) holds: core <- store <- ... <- cli."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


def test_layers_import_contracts_hold():
    lint = Path(sys.executable).with_name("lint-imports")
    assert lint.exists(), f"import-linter is not installed next to {sys.executable}"
    result = subprocess.run([str(lint), "--no-cache"], cwd=REPO, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, f"import contracts broken:\n{result.stdout}\n{result.stderr}"
    assert "0 broken" in result.stdout, result.stdout


def test_layers_contracts_cover_every_layer():
    import tomllib

    config = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["importlinter"]
    [layers] = [c["layers"] for c in config["contracts"] if c["type"] == "layers" and "containers" not in c]
    flat = [name.strip() for layer in layers for name in layer.split("|")]
    for package in ("core", "store", "formats", "nlp", "workflows", "ui", "app", "launch", "cli"):
        assert f"annotator.{package}" in flat
    assert flat.index("annotator.core") == len(flat) - 1


def test_layers_ui_contract_names_every_ui_subpackage():
    """A new folder under ui/ must take its place in the direction between ui's parts."""
    import tomllib

    config = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["importlinter"]
    [layers] = [c["layers"] for c in config["contracts"] if c.get("containers") == ["annotator.ui"]]
    named = {name.strip() for layer in layers for name in layer.split("|")}
    ui = REPO / "annotator" / "ui"
    packages = {p.name for p in ui.iterdir() if (p / "__init__.py").is_file()}
    assert packages == named
    loose = sorted(p.name for p in ui.glob("*.py") if p.name != "__init__.py")
    assert not loose, f"modules directly under ui/ belong in a sub-package: {loose}"
