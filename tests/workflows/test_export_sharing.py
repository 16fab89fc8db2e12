"""Sharing a token export's batches between this process and its tokenizing worker
(workflows/export_sharing): order kept, memory bounded, work done here only when allowed,
cancel and worker errors honoured; and the real export writes the same bytes either way."""

from __future__ import annotations

import concurrent.futures as cf
import threading
import time
from types import SimpleNamespace

import pytest
from export_projects import make_project

from annotator.nlp.tokens import tokenizer
from annotator.workflows import export_sharing, exporting
from annotator.workflows.export_common import ExportCancelled
from annotator.workflows.export_sharing import share_batches
from annotator.workflows.exporting import ExportOptions, export_project


def _batches(count: int, size: int = 10) -> list[list]:
    """Stand-ins for batches of documents: share_batches only needs each one's texts."""
    return [[SimpleNamespace(text="x" * size, number=n)] for n in range(count)]


class Run:
    """One share_batches run with a thread pool as the 'worker', recording what happened."""

    def __init__(self, worker_seconds: float = 0.0, fail_on: int | None = None,
                 gate: threading.Event | None = None) -> None:
        self.worker_seconds = worker_seconds
        self.gate = gate  # the worker holds each batch until it is set
        self.futures: list[cf.Future] = []
        self.fail_on = fail_on
        self.written: list[int] = []
        self.here: list[int] = []
        self.sent: list[int] = []
        self.outstanding = 0  # read and not yet written
        self.most_outstanding = 0

    def batches(self, batches: list[list]):
        for batch in batches:
            self.outstanding += 1
            self.most_outstanding = max(self.most_outstanding, self.outstanding)
            yield batch

    def tokenize(self, number: int) -> str:
        time.sleep(self.worker_seconds)
        if self.gate is not None:
            self.gate.wait(10)
        if number == self.fail_on:
            raise ValueError(f"worker failed on batch {number}")
        return f"columns {number}"

    def go(self, batches: list[list], **options) -> None:
        with cf.ThreadPoolExecutor(1) as pool:
            def submit(batch):
                self.sent.append(batch[0].number)
                self.futures.append(pool.submit(self.tokenize, batch[0].number))
                return self.futures[-1]

            def encode(batch, columns):
                number = batch[0].number
                if columns is None:
                    self.here.append(number)
                else:
                    assert columns == f"columns {number}"
                return [([("", b"%d\n" % number)], [])]

            def write(batch, encoded):
                self.outstanding -= 1
                self.written.append(batch[0].number)

            share_batches(self.batches(batches), submit=submit, encode=encode, write=write,
                          cancelled=options.pop("cancelled", lambda: False), workers=1, **options)


def test_export_sharing_a_slow_worker_leaves_batches_to_this_process_in_order():
    run = Run(worker_seconds=0.2)
    run.go(_batches(12), tokenize_here=True, ahead=24)
    assert run.written == list(range(12))
    assert run.here and run.sent  # both did some
    assert sorted(run.here + run.sent) == list(range(12))
    # What this process cannot take back stays small: a few batches queued for the worker.
    assert run.sent[:export_sharing.FEED_WHEN_SHARING] == list(range(export_sharing.FEED_WHEN_SHARING))


def test_export_sharing_without_a_tokenizer_here_every_batch_goes_to_the_worker():
    run = Run(worker_seconds=0.01)
    run.go(_batches(30), tokenize_here=False, ahead=4)
    assert run.written == list(range(30)) and run.here == [] and run.sent == list(range(30))
    assert run.most_outstanding <= 4  # read ahead at most ``ahead`` batches


def test_export_sharing_memory_bound_holds_one_batch_at_a_time_when_it_is_reached():
    run = Run(worker_seconds=0.01)
    run.go(_batches(8, size=100), tokenize_here=False, ahead=24, held_limit=100)
    assert run.written == list(range(8)) and run.most_outstanding == 1
    run = Run(worker_seconds=0.01)
    run.go(_batches(8, size=100), tokenize_here=False, ahead=24, held_limit=350)
    assert run.written == list(range(8)) and run.most_outstanding == 4  # under 350 characters, then one more


def test_export_sharing_cancel_stops_between_batches():
    run = Run(worker_seconds=0.05)
    with pytest.raises(ExportCancelled):
        run.go(_batches(20), tokenize_here=True, ahead=24, cancelled=lambda: len(run.written) >= 3)
    assert run.written == [0, 1, 2]


def test_export_sharing_a_worker_error_reaches_the_caller():
    run = Run(fail_on=2)
    with pytest.raises(ValueError, match="batch 2"):
        run.go(_batches(6), tokenize_here=False, ahead=24)
    assert run.written == [0, 1]


@pytest.mark.parametrize("fmt", ["prodigy", "conll"])
def test_export_sharing_one_worker_and_this_process_write_what_one_process_writes(tmp_path, monkeypatch, fmt):
    """Batches of two documents, a real spawned worker, the tokenizer loaded here so this
    process takes batches too: the file is byte for byte the one-process file."""
    real_reader = exporting.ExportReader
    monkeypatch.setattr(exporting, "ExportReader", lambda *a, **k: real_reader(*a, batch_documents=2, **k))
    real_encode, here = exporting.encode_batch, []
    monkeypatch.setattr(exporting, "encode_batch", lambda *a: (here.append(len(a) < 5 or a[4] is None), real_encode(*a))[1])
    tokenizer("en")
    with make_project(tmp_path, 14) as project:
        alone = export_project(project, tmp_path / "one", ExportOptions(format=fmt, workers=0))
        shared = export_project(project, tmp_path / "two", ExportOptions(format=fmt, workers=1))
    assert shared.workers == 1 and shared.documents == alone.documents == 14
    assert (tmp_path / "one").read_bytes() == (tmp_path / "two").read_bytes()
    assert shared.notes == alone.notes
    assert {k: v for k, v in shared.summary.items() if k not in ("output", "seconds")} == \
        {k: v for k, v in alone.summary.items() if k not in ("output", "seconds")}
    assert here.count(True) > 7 and here.count(False) > 0  # 7 batches alone, then some of the 7 here


def test_export_sharing_cancel_is_honoured_while_waiting_for_a_slow_worker():
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
        run.go(_batches(2), tokenize_here=False, ahead=24, cancelled=cancelled)
    assert busy == [True]  # stopped while the worker still held the oldest batch
    assert run.written == []
