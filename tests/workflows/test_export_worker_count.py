"""How many worker processes an export starts: from the free cores and the size of the export."""

from __future__ import annotations

import pytest

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
