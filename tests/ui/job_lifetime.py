"""A dialog that ran a Job and then lost every reference but the Job's slots must not crash.

The Job deletes itself after ``finished`` and frees the slots connected to it. A lambda slot
holding the dialog was then its last reference: the dialog was destroyed inside the deletion of
its own child Job (a segfault). The script runs in a child process, so a crash fails the test
that calls it instead of ending the test run. (A module of its own: test modules import it.)
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

SCRIPT = r'''
import gc, os, sys, time
from pathlib import Path
from PySide6.QtCore import QCoreApplication, QEvent, QSettings
from PySide6.QtWidgets import QApplication
from annotator.store import Project
from annotator.ui.common.settings import Settings

def main(kind, folder):
    app = QApplication([])
    project = Project.create(folder / "p.annotator")
    (folder / "a.txt").write_text("An article about Lisbon.", encoding="utf-8")
    settings = Settings(QSettings(str(folder / "s.ini"), QSettings.Format.IniFormat))
    if kind == "import":
        from annotator.ui.dialogs.import_dialog import ImportDialog
        dialog = ImportDialog(project, settings, paths=[folder / "a.txt"])
    else:
        from annotator.workflows.importing import import_paths
        import_paths(project, [folder / "a.txt"])
        from annotator.ui.dialogs.export_dialog import ExportDialog
        dialog = ExportDialog(project, settings)
        dialog.set_include(["todo"])
        dialog.set_format("prodigy")
        dialog.set_output(folder / "out.jsonl")
    dialog.show()
    dialog.start()
    deadline = time.monotonic() + 60
    while dialog.is_running and time.monotonic() < deadline:
        app.processEvents()
        time.sleep(0.01)
    print("ran:", dialog.summary_label.text(), flush=True)
    dialog.close()
    del dialog  # the Job's slots may hold the last reference now
    gc.collect()
    for _ in range(5):
        QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
        app.processEvents()
    print("survived", flush=True)
    project.close()

if __name__ == "__main__":
    main(sys.argv[1], Path(sys.argv[2]))
'''


def run_lifetime_script(folder: Path, kind: str) -> str:
    script = folder / "lifetime.py"
    script.write_text(SCRIPT, encoding="utf-8")
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", PYTHONPATH=str(Path(__file__).resolve().parents[2]))
    result = subprocess.run([sys.executable, str(script), kind, str(folder)], capture_output=True, text=True,
                            timeout=180, env=env)
    assert result.returncode == 0 and "survived" in result.stdout, (
        f"exit {result.returncode}\n{result.stdout}\n{result.stderr[-3000:]}")
    return result.stdout
