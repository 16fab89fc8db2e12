"""packaging/build.sh builds the PyInstaller bundle from scratch and its --self-test passes.

About 1.5 minutes on the CI machine (fresh venv, install, PyInstaller, self-test); deselect
with `-m "not slow"` while working on something else.
"""

from __future__ import annotations

import shutil
import sys
import time

import pytest
from packaging_helpers import BUILD_ENV, PACKAGING, run, without_display

from annotator.workflows.sample import ensure_sample_project

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(sys.platform == "win32", reason="build.sh is a bash script"),
    pytest.mark.skipif(sys.platform.startswith("linux") and not shutil.which("objdump"),
                       reason="PyInstaller needs binutils on Linux"),
]

SIZE_BUDGET_MB = 320  # 245 MB when written (Qt 6.11, spaCy 3.8); a jump means excludes broke
UNUSED_QT_LIBRARIES = ("Qt6Qml", "Qt6Quick", "Qt6WebEngine", "Qt63D", "Qt6Multimedia", "Qt6Pdf", "Qt6Charts")


def test_bundle_build_script_builds_and_self_tests(tmp_path):
    started = time.perf_counter()
    result = run(["bash", PACKAGING / "build.sh", "--out", tmp_path], env=without_display(BUILD_ENV), timeout=1500)
    elapsed = time.perf_counter() - started
    assert "self-test passed" in result.stdout
    assert "QT_QPA_PLATFORM=offscreen" in result.stdout
    for step in ("spaCy tokenizes English", "make a span and undo it", "export to spaCy"):
        assert f"{step} ...\n  ok" in result.stdout

    bundle = tmp_path / "dist" / "annotator"
    files = [path for path in bundle.rglob("*") if path.is_file() and not path.is_symlink()]
    size_mb = sum(path.stat().st_size for path in files) / 2**20
    print(f"\nbundle: {size_mb:.0f} MB in {len(files)} files, built and tested in {elapsed:.0f} s")
    assert size_mb < SIZE_BUDGET_MB
    unwanted = [p.name for p in files if any(lib in p.name for lib in UNUSED_QT_LIBRARIES)]
    assert not unwanted
    assert (bundle / "_internal" / "annotator" / "resources" / "samples" / "articles.jsonl").is_file()

    # Worker processes of the export are the bundle itself, started again with multiprocessing's
    # arguments: packaging/annotator_main.py calls freeze_support() so they run the worker (without
    # it the pool breaks and click refuses the option "-B").
    sample = ensure_sample_project(tmp_path / "sample.annotator")
    exported = tmp_path / "export"
    run([bundle / "annotator", "export", sample, "-o", exported, "--include", "all", "--workers", "2"],
        env=without_display(BUILD_ENV), timeout=300)
    assert (exported / "config.cfg").is_file()
    assert [path for path in exported.rglob("*.spacy") if path.is_file()]

    # The bundle registers itself with the desktop, pointing at its own program.
    prefix = tmp_path / "share"
    run(["sh", bundle / "desktop" / "install-desktop.sh", "--prefix", prefix], env=BUILD_ENV, timeout=60)
    entry = (prefix / "applications" / "org.annotator.Annotator.desktop").read_text(encoding="utf-8")
    assert f"Exec={bundle / 'annotator'} open %f" in entry.splitlines()
    assert (prefix / "icons" / "hicolor" / "256x256" / "apps" / "org.annotator.Annotator.png").is_file()
