from __future__ import annotations

import gc
import threading
import time

import pytest
from PySide6.QtCore import QThread, QTimer

from annotator.ui.jobs import worker
from annotator.ui.jobs.worker import Job, JobCancelled


def collect(job: Job) -> dict:
    seen: dict = {"progress": [], "events": [], "threads": set()}

    def note(name):
        def slot(*args):
            seen["events"].append((name, *args))
            seen["threads"].add(QThread.currentThread())
        return slot

    job.progress.connect(lambda value: (seen["progress"].append(value),
                                        seen["threads"].add(QThread.currentThread())))
    for name in ("succeeded", "cancelled", "failed", "finished"):
        getattr(job, name).connect(note(name))
    return seen


def test_worker_returns_the_result_on_the_gui_thread(qtbot, qapp):
    gui_thread = QThread.currentThread()
    ran_on: list = []

    def work(ctx):
        ran_on.append(QThread.currentThread())
        ctx.progress(1, 2)
        return 42

    job = Job(work)
    seen = collect(job)
    with qtbot.waitSignal(job.finished, timeout=5000):
        job.start()
    assert ran_on and ran_on[0] is not gui_thread
    assert seen["events"] == [("succeeded", 42), ("finished",)]
    assert seen["progress"] == [(1, 2)]
    assert seen["threads"] == {gui_thread}
    assert not job.is_running


def test_worker_coalesces_progress_and_keeps_the_last_report(qtbot):
    def work(ctx):
        for i in range(20000):
            ctx.progress(i)
        return "done"

    job = Job(work)
    seen = collect(job)
    with qtbot.waitSignal(job.finished, timeout=5000):
        job.start()
    assert seen["progress"][-1] == 19999
    assert len(seen["progress"]) < 200  # not one event per call
    assert seen["progress"] == sorted(seen["progress"])


def test_worker_cancel_stops_the_function_and_hands_back_what_was_done(qtbot):
    started = threading.Event()

    def work(ctx):
        done = 0
        started.set()
        while True:
            time.sleep(0.005)
            done += 1
            ctx.check_cancelled(partial=done)

    job = Job(work)
    seen = collect(job)
    job.start()
    assert job.is_running
    assert started.wait(5)
    with qtbot.waitSignal(job.finished, timeout=5000):
        job.cancel()
    assert job.is_cancel_requested
    (name, partial), finished = seen["events"]
    assert name == "cancelled" and partial >= 1
    assert finished == ("finished",)


def test_worker_failure_is_reported_with_its_traceback(qtbot):
    def work(ctx):
        raise ValueError("bad record")

    job = Job(work)
    seen = collect(job)
    with qtbot.waitSignal(job.finished, timeout=5000):
        job.start()
    (name, exc, trace), _finished = seen["events"]
    assert name == "failed"
    assert isinstance(exc, ValueError) and str(exc) == "bad record"
    assert "ValueError: bad record" in trace and "work" in trace


def test_worker_gui_keeps_running_during_a_job(qtbot):
    ticks: list[int] = []
    timer = QTimer()
    timer.setInterval(10)
    timer.timeout.connect(lambda: ticks.append(1))
    timer.start()
    job = Job(lambda ctx: time.sleep(0.4))
    with qtbot.waitSignal(job.finished, timeout=5000):
        job.start()
    timer.stop()
    assert len(ticks) >= 10  # the event loop turned while the job slept


def test_worker_runs_once(qtbot):
    job = Job(lambda ctx: None)
    with qtbot.waitSignal(job.finished, timeout=5000):
        job.start()
    with pytest.raises(RuntimeError):
        job.start()


def test_worker_cancel_and_wait_delivers_the_outcome_at_once(qtbot):
    def work(ctx):
        while not ctx.is_cancelled():
            time.sleep(0.005)
        raise JobCancelled("partial")

    job = Job(work)
    seen = collect(job)
    job.start()
    assert job.cancel_and_wait(5000)
    assert seen["events"] == [("cancelled", "partial"), ("finished",)]
    qtbot.wait(20)  # the queued copy of "finished" changes nothing
    assert seen["events"] == [("cancelled", "partial"), ("finished",)]


def test_worker_dropped_job_keeps_running_until_it_ends(qtbot):
    release = threading.Event()
    results: list = []
    job = Job(lambda ctx: release.wait(5) and "ok")
    job.succeeded.connect(results.append)
    job.start()
    del job
    gc.collect()  # must not destroy the running thread
    release.set()
    qtbot.waitUntil(lambda: results == ["ok"], timeout=5000)
    qtbot.waitUntil(lambda: not worker._running, timeout=5000)


def test_worker_wait_on_a_job_never_started_returns_at_once():
    assert Job(lambda ctx: None).wait(0)


def test_worker_finished_jobs_do_not_pile_up_under_their_parent(qtbot):
    from PySide6.QtCore import QCoreApplication, QEvent, QObject

    owner = QObject()
    jobs = []
    for i in range(5):
        job = Job(lambda ctx, i=i: i, parent=owner)
        with qtbot.waitSignal(job.finished, timeout=5000):
            job.start()
        jobs.append(job)
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    assert owner.findChildren(Job) == []
    for job in jobs:  # what an owner may still ask of a reference it kept
        assert not job.is_running
        job.cancel()
        assert job.wait(0) and job.cancel_and_wait(0)
        assert job.is_cancel_requested


def test_worker_leaves_its_parent_as_soon_as_it_has_finished(qtbot):
    from PySide6.QtCore import QObject

    owner = QObject()
    job = Job(lambda ctx: 1, parent=owner)
    assert job.parent() is owner
    job.start()
    assert job.wait(5000)
    # Before Qt deletes it: the slots it frees then may hold the owner's last reference.
    assert owner.findChildren(Job) == [] and job.parent() is None


def test_worker_owner_held_only_by_a_lambda_on_its_job_survives_the_jobs_deletion(tmp_path):
    # The owner was destroyed inside its child Job's destructor and deleted that Job twice
    # (heap corruption; the suite's malloc_consolidate abort). In a child process.
    from job_lifetime import run_lifetime_script

    assert "ran: result 42" in run_lifetime_script(tmp_path, "job")
