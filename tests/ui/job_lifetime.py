"""An owner that ran a Job and then lost every reference but the Job's slots must not crash.

The Job deletes itself after ``finished`` and frees the slots connected to it. A lambda slot
holding the Job's parent (a dialog's ``self``) was then the parent's last reference: the parent
was destroyed inside the deletion of its own child Job and deleted that Job a second time (a
segfault, or heap corruption found later: ``malloc_consolidate(): unaligned fastbin chunk``).
The Job now leaves its parent before it goes. Each script runs in a child process, so a crash
fails the test that calls it instead of ending the test run. (A module of its own: test
modules import it.)

Kinds: "import" and "export" (the dialogs, after a run), "preferences" (its overlap scan,
whose ``failed`` slot is a lambda holding the dialog), "job" (a bare Job, a lambda holding its
parent widget).
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
from PySide6.QtWidgets import QApplication, QWidget
from annotator.store import Project
from annotator.ui.common.settings import Settings


def run_dialog(app, kind, project, settings, folder):
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


def run_preferences(app, kind, project, settings, folder):
    from annotator.ui.dialogs.preferences import PreferencesDialog
    from annotator.ui.session.document_session import DocumentSession
    project.set_setting("allow_overlapping_entities", "1")
    settings.set_value("annotator/name", "Ana")
    dialog = PreferencesDialog(settings, DocumentSession(project, "Ana"))
    dialog.overlap_check.setChecked(False)  # starts the overlap scan: a Job, child of the dialog
    dialog.accept()  # waits for the scan; the Job's deletion is posted, not yet done
    print("ran:", dialog.overlap_status.text(), flush=True)


def run_job(app, kind, project, settings, folder):
    from annotator.ui.jobs.worker import Job
    owner = QWidget()
    job = Job(lambda ctx: 42, owner)
    job.succeeded.connect(lambda value: owner.setWindowTitle(f"result {value}"))
    job.start()
    job.wait()  # the outcome went out; the Job's deletion is posted, not yet done
    print("ran:", owner.windowTitle(), flush=True)


def main(kind, folder):
    app = QApplication([])
    project = Project.create(folder / "p.annotator")
    (folder / "a.txt").write_text("An article about Lisbon.", encoding="utf-8")
    settings = Settings(QSettings(str(folder / "s.ini"), QSettings.Format.IniFormat))
    run = {"import": run_dialog, "export": run_dialog, "preferences": run_preferences, "job": run_job}[kind]
    run(app, kind, project, settings, folder)
    # run() has returned: the Job's slots may hold the last reference to their owner now.
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
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", PYTHONFAULTHANDLER="1",
               PYTHONPATH=str(Path(__file__).resolve().parents[2]))
    result = subprocess.run([sys.executable, str(script), kind, str(folder)], capture_output=True, text=True,
                            timeout=180, env=env)
    assert result.returncode == 0 and "survived" in result.stdout, (
        f"exit {result.returncode}\n{result.stdout}\n{result.stderr[-3000:]}")
    return result.stdout
