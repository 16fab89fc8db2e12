"""Worker processes started from the ``annotator`` command do not run the command's script
again (workflows/spawning); any other main script is left alone."""

from __future__ import annotations

import json
import multiprocessing.spawn
import shutil
import subprocess
import sys
import types
from pathlib import Path

import pytest
from export_projects import make_project

from annotator.workflows.spawning import is_command_wrapper, spawn_context


def _main_module(monkeypatch, **names) -> types.ModuleType:
    module = types.ModuleType("__main__")
    module.__file__ = "/somewhere/bin/annotator"
    module.__spec__ = None
    for name, value in names.items():
        setattr(module, name, value)
    monkeypatch.setitem(sys.modules, "__main__", module)
    return module


def test_spawning_the_command_wrapper_is_not_run_again_in_a_worker(monkeypatch):
    from annotator.cli import main

    wrapper = _main_module(monkeypatch, main=main)  # what pip writes: from annotator.cli import main
    assert is_command_wrapper(wrapper)
    assert "init_main_from_path" in multiprocessing.spawn.get_preparation_data("worker")
    spawn_context()
    data = multiprocessing.spawn.get_preparation_data("worker")
    assert "init_main_from_path" not in data and data["init_main_from_name"] == "annotator.__main__"


def test_spawning_other_main_scripts_are_left_alone(monkeypatch):
    """A user's own script (its children may need its functions), or a frozen bundle."""
    def main():  # a function of the user's named main
        pass

    script = _main_module(monkeypatch, main=main)
    spawn_context()
    assert script.__spec__ is None
    assert multiprocessing.spawn.get_preparation_data("worker")["init_main_from_path"] == "/somewhere/bin/annotator"

    from annotator.cli import main as command

    wrapper = _main_module(monkeypatch, main=command)
    monkeypatch.setattr(sys, "frozen", True, raising=False)
    spawn_context()
    assert wrapper.__spec__ is None


@pytest.mark.skipif(shutil.which("annotator") is None and not (Path(sys.executable).parent / "annotator").exists(),
                    reason="the annotator command is not installed in this environment")
def test_spawning_the_installed_command_exports_with_a_worker(tmp_path):
    """The real command, as a user runs it: a Prodigy export with one tokenizing worker gives
    the file the one-process export gives."""
    command = shutil.which("annotator", path=str(Path(sys.executable).parent)) or shutil.which("annotator")
    with make_project(tmp_path, 6):
        pass
    project = tmp_path / "p.annotator"
    for workers, name in ((0, "one.jsonl"), (1, "worker.jsonl")):
        done = subprocess.run([command, "export", str(project), "--format", "prodigy", "--include", "all",
                               "--workers", str(workers), "-o", str(tmp_path / name)],
                              capture_output=True, text=True, timeout=120)
        assert done.returncode == 0, done.stderr
    assert (tmp_path / "one.jsonl").read_bytes() == (tmp_path / "worker.jsonl").read_bytes()
    assert len([json.loads(line) for line in (tmp_path / "one.jsonl").read_text().splitlines()]) == 6
