"""``annotator report``: the dashboard as files (html, png, svg with CSV), without a display, and
bad input refused with exit 2 (3 for an unusable project), the project left as it was."""

from __future__ import annotations

import base64
import csv
import hashlib
import io
import os
import re
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from cli_driver import run
from dashboard_projects import SPANS, build

PNG = b"\x89PNG\r\n\x1a\n"


@pytest.fixture
def project(tmp_path):
    path = tmp_path / "team.annotator"
    build(path)
    return path


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_cli_report_html_is_one_page_with_every_chart_inline_and_its_numbers(project, tmp_path):
    out = tmp_path / "out"
    result = run("report", project, "--output", out)
    assert result.exit_code == 0, result.output
    assert list(out.iterdir()) == [out / "report.html"]
    page = (out / "report.html").read_text(encoding="utf-8")
    keys = re.findall(r'<section id="([^"]+)">', page)
    assert keys[:3] == ["progress", "cumulative", "labels"] and "agreement" in keys and "models" in keys
    assert f"wrote {len(keys)} charts to {out / 'report.html'}" in result.output
    pictures = re.findall(r'src="data:image/png;base64,([^"]+)"', page)
    assert len(pictures) == len(keys) and all(base64.b64decode(p).startswith(PNG) for p in pictures)
    assert "http" not in page.replace("http-equiv", "")  # nothing fetched: readable offline
    labels = page[page.index('<section id="labels">'):]
    labels = labels[:labels.index("</section>")]
    person = re.search(r"<tr><td>PERSON</td>(.*?)</tr>", labels).group(1)
    assert re.findall(r">(\d+)<", person) == [str(SPANS[w]["PERSON"]) for w in ("alice", "bob", "carol")]


@pytest.mark.parametrize("fmt", ["png", "svg"])
def test_cli_report_pictures_come_with_their_numbers_as_csv(project, tmp_path, fmt):
    out = tmp_path / fmt
    result = run("report", project, "--output", out, "--format", fmt, "--annotators", "alice,bob",
                 "--no-agreement")
    assert result.exit_code == 0, result.output
    pictures = sorted(p.stem for p in out.glob(f"*.{fmt}"))
    assert pictures == sorted(p.stem for p in out.glob("*.csv"))
    assert "agreement" not in pictures and {"progress", "labels", "claimants", "models"} <= set(pictures)
    table = list(csv.reader(io.StringIO((out / "progress.csv").read_text(encoding="utf-8"))))
    assert table == [["day", "alice", "bob"], ["2026-03-02", "2", "0"], ["2026-03-03", "0", "1"],
                     ["2026-03-04", "1", "2"]]
    drawing = (out / f"labels.{fmt}").read_bytes()
    if fmt == "png":
        assert drawing.startswith(PNG)
    else:
        root = ET.fromstring(drawing)
        assert root.tag.endswith("svg") and "Accepted spans per label" in drawing.decode("utf-8")


def test_cli_report_runs_without_a_display(project, tmp_path):
    """A fresh process with no DISPLAY, no WAYLAND_DISPLAY and no Qt platform chosen: the
    report picks the offscreen platform itself, as on a server or in CI."""
    env = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM")}
    done = subprocess.run([sys.executable, "-m", "annotator", "report", str(project), "--output", str(tmp_path / "r"),
                           "--no-agreement"], env=env, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    assert (tmp_path / "r" / "report.html").stat().st_size > 10_000
    assert "Traceback" not in done.stderr


@pytest.mark.parametrize(("args", "message"), [
    (("--annotators", "alice,zed"), "zed"),
    (("--annotators", "alice,,bob"), "--annotators: an empty name"),
    (("--labels", "NOPE"), "NOPE"),
    (("--status", "finished"), "status 'finished' must be one of"),
    (("--since", "2026-13-01"), "since: '2026-13-01' is not a date"),
    (("--since", "2026-03-05", "--until", "2026-03-01"), "ends (2026-03-01) before it starts (2026-03-05)"),
])
def test_cli_report_bad_filters_exit_2_and_write_nothing(project, tmp_path, args, message):
    before = digest(project)
    result = run("report", project, "--output", tmp_path / "out", *args)
    assert result.exit_code == 2 and message in result.output and "Traceback" not in result.output
    assert not (tmp_path / "out").exists() and digest(project) == before


def test_cli_report_an_output_that_is_a_file_exits_2(project, tmp_path):
    blocker = tmp_path / "taken"
    blocker.write_text("a file, not a folder", encoding="utf-8")
    result = run("report", project, "--output", blocker, "--no-agreement")
    assert result.exit_code == 2 and "is a file" in result.output  # click's own check
    result = run("report", project, "--output", blocker / "inside", "--no-agreement")
    assert result.exit_code == 2 and f"{blocker / 'inside'}: cannot write" in result.output
    assert blocker.read_text(encoding="utf-8") == "a file, not a folder"


def test_cli_report_a_file_that_is_no_project_exits_3(tmp_path):
    junk = tmp_path / "junk.annotator"
    junk.write_bytes(b"not sqlite at all" * 100)
    result = run("report", junk, "--output", tmp_path / "out")
    assert result.exit_code == 3 and "error:" in result.output and not (tmp_path / "out").exists()
