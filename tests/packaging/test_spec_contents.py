"""packaging/annotator.spec, checked without building: excludes, data, the files it copies.

The bundle itself is built and run by test_bundle_build.py (slow) and packaging/build.sh.
"""

from __future__ import annotations

import ast
import os
import re
import subprocess
import sys

import pytest
from packaging_helpers import PACKAGING, REPO

from annotator.app import APP_ID

SPEC = PACKAGING / "annotator.spec"


def spec_tree() -> ast.Module:
    return ast.parse(SPEC.read_text(encoding="utf-8"), filename=str(SPEC))


def spec_literal(name: str):
    for node in spec_tree().body:
        if isinstance(node, ast.Assign) and any(getattr(t, "id", None) == name for t in node.targets):
            return ast.literal_eval(node.value)
    raise AssertionError(f"{name} is not assigned a literal in {SPEC}")


def qt_modules_imported_by_annotator() -> set[str]:
    found = set()
    for path in (REPO / "annotator").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module] + [f"{node.module}.{alias.name}" for alias in node.names]
            elif isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            else:
                continue
            found.update(n for n in names if re.fullmatch(r"PySide6\.Qt\w+", n))
    return found


def test_spec_contents_compiles():
    compile(SPEC.read_text(encoding="utf-8"), str(SPEC), "exec")


@pytest.mark.parametrize("family", ["PySide6.QtWebEngine", "PySide6.Qt3D", "PySide6.QtMultimedia",
                                    "PySide6.QtQml", "PySide6.QtQuick", "PySide6.QtCharts", "PySide6.QtPdf"])
def test_spec_contents_excludes_unused_qt(family):
    assert any(name.startswith(family) for name in spec_literal("QT_EXCLUDES"))


def test_spec_contents_keeps_every_qt_module_annotator_imports():
    used = qt_modules_imported_by_annotator()
    assert {"PySide6.QtCore", "PySide6.QtGui", "PySide6.QtWidgets"} <= used
    excluded = used & set(spec_literal("QT_EXCLUDES"))
    assert not excluded, f"annotator now uses {sorted(excluded)}: take them out of QT_EXCLUDES in {SPEC.name}"


def test_spec_contents_keeps_spacy_and_excludes_test_suites():
    assert {"spacy", "spacy-legacy", "spacy-loggers", "thinc"} <= set(spec_literal("SPACY_DISTRIBUTIONS"))
    assert {"spacy.tests", "thinc.tests", "pytest"} <= set(spec_literal("OTHER_EXCLUDES"))
    for hook in ("hook-spacy.py", "hook-thinc.py"):
        text = (PACKAGING / "hooks" / hook).read_text(encoding="utf-8")
        assert 'excludes=["tests"]' in text and "collect_submodules" in text


def test_spec_contents_references_files_that_exist():
    text = SPEC.read_text(encoding="utf-8")
    assert spec_literal("APP_ID") == APP_ID
    assert '(str(ROOT / "resources"), "annotator/resources")' in text
    assert '"annotator_main.py"' in text and (PACKAGING / "annotator_main.py").is_file()
    assert 'ROOT / "packaging" / "hooks"' in text and (PACKAGING / "hooks").is_dir()
    for name in ("{APP_ID}.desktop", "{APP_ID}.metainfo.xml", "annotator-mime.xml", "install-desktop.sh"):
        assert name in text
        assert (PACKAGING / name.replace("{APP_ID}", APP_ID)).is_file()
    assert (REPO / "resources" / "icons" / "annotator.svg").is_file()


def test_spec_contents_entry_script_runs_the_cli():
    result = subprocess.run([sys.executable, str(PACKAGING / "annotator_main.py"), "--version"],
                            env={**os.environ, "PYTHONPATH": str(REPO)}, capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("annotator, version ")


def test_spec_contents_keeps_what_pyqtgraph_needs_to_load(tmp_path):
    """The dashboard's charts load pyqtgraph, which imports Qt modules annotator itself does not
    (QtOpenGL as its curves load): with every excluded module missing, as in the bundle, a
    chart is still drawn."""
    blocked = spec_literal("QT_EXCLUDES") + spec_literal("OTHER_EXCLUDES")
    code = (
        "import os, sys\n"
        "os.environ['QT_QPA_PLATFORM'] = 'offscreen'\n"
        f"for name in {blocked!r}:\n"
        "    sys.modules[name] = None\n"
        "from PySide6.QtWidgets import QApplication\n"
        "app = QApplication([])\n"
        "from annotator.core.dashboard import Chart, Series\n"
        "from annotator.ui.charts.chart_view import ChartView\n"
        "chart = Chart('c', 'A chart', 'lines', ('2026-03-01', '2026-03-02'), (Series('s', (1.0, 2.0)),), ('day', 's'),"
        " (('2026-03-01', 1), ('2026-03-02', 2)))\n"
        "assert ChartView(chart).png_bytes().startswith(b'\\x89PNG')\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-2000:]


def test_spec_contents_bundles_orjson():
    """The Prodigy writer's JSON encoder is a compiled module imported by a plain top-level
    statement, which PyInstaller's analysis follows; nothing may exclude it."""
    excludes = spec_literal("QT_EXCLUDES") + spec_literal("OTHER_EXCLUDES")
    assert not any(name == "orjson" or name.startswith("orjson.") for name in excludes)
    tree = ast.parse((REPO / "annotator" / "formats" / "writing.py").read_text(encoding="utf-8"))
    assert any(isinstance(node, ast.Import) and [a.name for a in node.names] == ["orjson"] for node in tree.body)
