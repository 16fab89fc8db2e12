"""Feeding an export's batches to worker processes (export_common.run_batches): order kept,
memory bounded by count and by characters, Cancel honoured while a worker is awaited, worker
errors reaching the caller; and the token exports writing the same bytes with a worker."""

from __future__ import annotations

import concurrent.futures as cf
import threading
import time
from types import SimpleNamespace

import pytest
from export_projects import make_project

from annotator.workflows import exporting
from annotator.workflows.export_common import ExportCancelled, run_batches
from annotator.workflows.exporting import ExportOptions, export_project


def _batches(count: int, size: int = 10) -> list[list]:
    """Stand-ins for batches of documents: run_batches only needs each one's texts."""
    return [[SimpleNamespace(text="x" * size, number=n)] for n in range(count)]


class Run:
    """One run_batches run with a thread pool as the 'worker', recording what happened."""

    def __init__(self, worker_seconds: float = 0.0, fail_on: int | None = None,
                 gate: threading.Event | None = None) -> None:
        self.worker_seconds = worker_seconds
        self.fail_on = fail_on
        self.gate = gate  # the worker holds each batch until it is set
        self.futures: list[cf.Future] = []
        self.handled: list[int] = []
        self.outstanding = 0  # read and not yet handled
        self.most_outstanding = 0

    def batches(self, batches: list[list]):
        for batch in batches:
            self.outstanding += 1
            self.most_outstanding = max(self.most_outstanding, self.outstanding)
            yield batch

    def work(self, number: int) -> str:
        time.sleep(self.worker_seconds)
        if self.gate is not None:
            self.gate.wait(10)
        if number == self.fail_on:
            raise ValueError(f"worker failed on batch {number}")
        return f"tokens {number}"

    def go(self, batches: list[list], cancelled=lambda: False, **options) -> None:
        with cf.ThreadPoolExecutor(1) as pool:
            def submit(batch):
                self.futures.append(pool.submit(self.work, batch[0].number))
                return self.futures[-1]

            def handle(batch, made):
                assert made == f"tokens {batch[0].number}"
                self.outstanding -= 1
                self.handled.append(batch[0].number)

            run_batches(self.batches(batches), submit, pool, handle, cancelled, 1, **options)


def test_export_batches_handed_over_in_reading_order_with_at_most_ahead_read():
    run = Run(worker_seconds=0.01)
    run.go(_batches(30), ahead=4)
    assert run.handled == list(range(30))
    assert run.most_outstanding <= 4


def test_export_batches_memory_bound_in_characters():
    """Long texts: the characters held, not only the count of batches, stop the reading ahead."""
    run = Run(worker_seconds=0.01)
    run.go(_batches(8, size=100), ahead=24, held_limit=100)
    assert run.handled == list(range(8)) and run.most_outstanding == 1
    run = Run(worker_seconds=0.01)
    run.go(_batches(8, size=100), ahead=24, held_limit=350)
    assert run.handled == list(range(8)) and run.most_outstanding == 4  # 400 characters reach 350


def test_export_batches_cancel_between_batches():
    run = Run(worker_seconds=0.02)
    with pytest.raises(ExportCancelled):
        run.go(_batches(20), cancelled=lambda: len(run.handled) >= 3, ahead=24)
    assert run.handled == [0, 1, 2]


def test_export_batches_cancel_is_honoured_while_waiting_for_a_slow_worker():
    """Cancel while the worker still holds the oldest batch: the export stops then, not when
    the worker is done (it could be starting: spaCy loading for seconds)."""
    gate = threading.Event()
    run = Run(gate=gate)
    asked, busy = [], []

    def cancelled() -> bool:
        asked.append(True)
        if len(asked) <= 5:  # a few checks in: by then this process is waiting for the worker
            return False
        busy.append(not run.futures[0].done())
        gate.set()  # let the worker go once the answer is given
        return True

    with pytest.raises(ExportCancelled):
        run.go(_batches(2), cancelled=cancelled, ahead=24)
    assert busy == [True]  # stopped while the worker still held the oldest batch
    assert run.handled == []


def test_export_batches_a_worker_error_reaches_the_caller():
    run = Run(fail_on=2)
    with pytest.raises(ValueError, match="batch 2"):
        run.go(_batches(6), ahead=24)
    assert run.handled == [0, 1]


@pytest.mark.parametrize("fmt", ["prodigy", "conll"])
def test_export_batches_a_tokenizing_worker_writes_what_one_process_writes(tmp_path, monkeypatch, fmt):
    """Batches of two documents and a real spawned worker that sends back only starts,
    spaces and keys: the file is byte for byte the one-process file."""
    real_reader = exporting.ExportReader
    monkeypatch.setattr(exporting, "ExportReader", lambda *a, **k: real_reader(*a, batch_documents=2, **k))
    with make_project(tmp_path, 14) as project:
        alone = export_project(project, tmp_path / "one", ExportOptions(format=fmt, workers=0))
        shared = export_project(project, tmp_path / "two", ExportOptions(format=fmt, workers=1))
    assert shared.workers == 1 and shared.documents == alone.documents == 14
    assert (tmp_path / "one").read_bytes() == (tmp_path / "two").read_bytes()
    assert shared.notes == alone.notes
    assert {k: v for k, v in shared.summary.items() if k not in ("output", "seconds")} == \
        {k: v for k, v in alone.summary.items() if k not in ("output", "seconds")}
