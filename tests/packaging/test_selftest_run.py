"""`annotator --self-test`: every step printed, exit 0; the first failure named, exit 1."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner
from packaging_helpers import REPO, without_display

from annotator.cli import main
from annotator.selftest import STEPS, SelfTestFailure, Step, check, run_self_test


def test_selftest_run_without_display_passes_and_touches_no_user_files(tmp_path):
    env = without_display(dict(os.environ))  # conftest's temporary home and XDG folders
    env["PYTHONPATH"] = str(REPO)  # this checkout, whatever the venv has installed
    result = subprocess.run([sys.executable, "-m", "annotator", "--self-test"], cwd=tmp_path, env=env,
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "QT_QPA_PLATFORM=offscreen" in result.stdout
    positions = [result.stdout.index(f"[{n}/{len(STEPS)}] {step.name} ...\n  ok")
                 for n, step in enumerate(STEPS, 1)]
    assert positions == sorted(positions)
    assert result.stdout.rstrip().splitlines()[-1].startswith(f"self-test passed: {len(STEPS)} steps")
    assert re.search(r"make a span and undo it \.\.\.\n  ok \(.*\): [A-Z]+ '[^']+' at \d+-\d+, undone\n", result.stdout)
    assert re.search(r"export to spaCy \.\.\.\n  ok \(.*\): 4 docs, [1-9]\d* entities in", result.stdout)
    touched = [p for var in ("XDG_DATA_HOME", "XDG_CONFIG_HOME") if Path(env[var]).exists()
               for p in Path(env[var]).rglob("*")]
    assert not touched, f"the self-test wrote into the user's folders: {touched}"
    assert list(tmp_path.iterdir()) == []


def test_selftest_run_stops_at_the_first_failure():
    ran: list[str] = []

    def passing(ctx):
        ran.append("one")
        return "fine"

    def failing(ctx):
        ran.append("two")
        check(False, "the sample project has no documents")
        return ""

    def never(ctx):
        ran.append("three")
        return ""

    lines: list[str] = []
    steps = [Step("first", passing), Step("second", failing), Step("third", never)]
    assert run_self_test(steps, out=lines.append) == 1
    assert ran == ["one", "two"]
    text = "\n".join(lines)
    assert "[1/3] first ...\n  ok" in text and ": fine" in text
    assert "[2/3] second ...\n  FAILED: SelfTestFailure: the sample project has no documents" in text
    assert "Traceback" not in text  # a failed check explains itself
    assert lines[-1] == "self-test FAILED at step 2 (second)"


def test_selftest_run_reports_a_crash_with_its_traceback():
    def crashing(ctx):
        raise KeyError("icons")

    lines: list[str] = []
    assert run_self_test([Step("crash", crashing)], out=lines.append) == 1
    text = "\n".join(lines)
    assert "FAILED: KeyError: 'icons'" in text
    assert "Traceback (most recent call last)" in text and "in crashing" in text


def test_selftest_run_steps_are_named_once():
    names = [step.name for step in STEPS]
    assert len(names) == len(set(names))
    assert issubclass(SelfTestFailure, AssertionError)


def test_selftest_run_option_in_help():
    result = CliRunner().invoke(main, ["--help"])
    assert result.exit_code == 0
    assert "--self-test" in result.output



# The steps that edit and export, run in this process with one part of the program broken:
# each must fail its step (a self-test that passes whatever happens checks nothing).
def run_real_steps() -> str:
    lines: list[str] = []
    run_self_test(STEPS, out=lines.append)
    return "\n".join(lines)


def test_selftest_run_real_steps_in_process(qapp):
    text = run_real_steps()
    assert f"self-test passed: {len(STEPS)} steps" in text, text
    [detail] = re.findall(r"make a span and undo it \.\.\.\n  ok \(.*\): (.*)", text)
    assert re.fullmatch(r"PERSON '[^']+' at \d+-\d+, undone", detail)
    assert re.search(r"export to spaCy \.\.\.\n  ok \(.*\): 4 docs, [1-9]\d* entities in [1-9]\d* DocBin files", text)


SPAN_STEP, EXPORT_STEP = "make a span and undo it", "export to spaCy"


@pytest.mark.parametrize(("target", "broken", "step", "message"), [
    ("annotator.ui.window.tagging.Tagging.tag", lambda self, start, end, name: None, SPAN_STEP,
     "expected PERSON"),
    ("annotator.ui.session.document_session.DocumentSession.undo", lambda self: None, SPAN_STEP, "undo left [("),
    ("annotator.workflows.export_spacy._config", lambda *args: None, EXPORT_STEP, "no config.cfg in"),
    ("annotator.nlp.docbin._set_ents", lambda sdoc, ents, left_out: None, EXPORT_STEP,
     "the exported docs hold no entities (doc.ents)"),
])
def test_selftest_run_fails_when_editing_or_export_breaks(qapp, monkeypatch, target, broken, step, message):
    monkeypatch.setattr(target, broken)  # before the window exists: its actions bind the broken method
    text = run_real_steps()
    number = [s.name for s in STEPS].index(step) + 1
    assert f"self-test FAILED at step {number} ({step})" in text, text
    assert message in text, text
