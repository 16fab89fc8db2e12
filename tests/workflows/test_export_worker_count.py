"""How many worker processes an export starts: from the free cores and the size of the export."""

from __future__ import annotations

import pytest

from annotator.workflows import export_common
from annotator.workflows.export_common import PARALLEL_FROM_BYTES, ExportOptions, auto_workers, choose_workers, free_cores


@pytest.mark.parametrize("cores, free, expected", [
    (2, 2.0, 2),   # a quiet 2-core machine: both cores
    (2, 1.5, 2),   # half a core taken by others: still worth it
    (2, 1.4, 0),   # more taken: one process beats two workers fighting for the second core
    (2, 0.0, 0),   # busy machine
    (4, 3.4, 3),   # one per free core
    (4, 4.0, 4),
    (1, 1.0, 0),   # one core: never a pool
])
def test_export_worker_count_from_free_cores(cores, free, expected):
    assert auto_workers(PARALLEL_FROM_BYTES, (cores, free)) == expected


def test_export_worker_count_small_exports_stay_in_process():
    assert auto_workers(PARALLEL_FROM_BYTES - 1, (8, 8.0)) == 0
    assert auto_workers(0, (8, 8.0)) == 0


def test_export_worker_count_explicit_option_wins(monkeypatch):
    class Reader:
        def text_bytes(self) -> int:
            raise AssertionError("not asked when --workers is given")

    assert choose_workers(ExportOptions(workers=3), Reader()) == 3
    assert choose_workers(ExportOptions(workers=-1), Reader()) == 0


def test_export_worker_count_reads_the_machine():
    cores, free = free_cores()
    assert cores >= 1 and 0.0 <= free <= cores


def test_export_worker_count_one_tokenizing_worker_for_formats_with_tokens(monkeypatch):
    """Prodigy and CoNLL: one worker tokenizes while this process encodes; more would only
    wait for this process. Small exports and busy machines stay in one process."""
    from annotator.workflows import export_common

    class Reader:
        def __init__(self, size: int) -> None:
            self.size = size

        def text_bytes(self) -> int:
            return self.size

    monkeypatch.setattr(export_common, "free_cores", lambda: (8, 8.0))
    assert export_common.choose_token_workers(ExportOptions(), Reader(PARALLEL_FROM_BYTES)) == 1
    assert export_common.choose_token_workers(ExportOptions(), Reader(PARALLEL_FROM_BYTES - 1)) == 0
    assert export_common.choose_token_workers(ExportOptions(workers=3), Reader(0)) == 3
    monkeypatch.setattr(export_common, "free_cores", lambda: (2, 0.5))
    assert export_common.choose_token_workers(ExportOptions(), Reader(PARALLEL_FROM_BYTES)) == 0


class _Stat:
    """A /proc/stat that reads differently each time (the kernel's counters going on)."""

    def __init__(self, *readings: str) -> None:
        self.readings = list(readings)

    def read_text(self) -> str:
        return self.readings.pop(0)


def test_export_worker_count_idle_cores_from_the_kernel_counters():
    before = "cpu  100 0 100 800 0 0 0 0 0 0\ncpu0 50 0 50 400 0 0 0 0 0 0\ncpu1 50 0 50 400 0 0 0 0 0 0\nintr 1\n"
    # 200 ticks later: 40 user, 10 nice, 120 idle, 30 waiting for the disk -> 150 of 200 idle.
    after = "cpu  140 10 100 920 30 0 0 0 0 0\ncpu0 70 5 50 460 15 0 0 0 0 0\ncpu1 70 5 50 460 15 0 0 0 0 0\n"
    assert export_common.idle_cores(0.0, _Stat(before, after)) == pytest.approx(1.5)
    assert export_common.idle_cores(0.0, _Stat(before, before)) is None  # no time passed: no answer
    assert export_common.idle_cores(0.0, _Stat("not a stat file", "")) is None


def test_export_worker_count_free_cores_fall_back_to_the_load_average(monkeypatch):
    """Where the counters are missing (macOS), the 1-minute load average decides; the
    counters win where they exist: the load average still counts this program's last minute."""
    monkeypatch.setattr(export_common, "idle_cores", lambda: None)
    monkeypatch.setattr(export_common.os, "getloadavg", lambda: (1.5, 1.0, 1.0))
    cores, free = export_common.free_cores()
    assert free == pytest.approx(max(0.0, cores - 1.5))
    monkeypatch.setattr(export_common, "idle_cores", lambda: 0.25)
    assert export_common.free_cores()[1] == 0.25
