"""A killed ingest leaves no visible batch and no registry entry; the next run cleans up.

Also: row numbers in the quarantine report stay right when DuckDB reads a big file in parallel.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.datasets.conftest import MOJ_DATASETS, write_enforcement_cases
from yardstick.datasets import FileBatchRegistry, IngestStatus, ingest_file, load_dataset_contract
from yardstick.datasets.storage import DataRoot

CONTRACT = load_dataset_contract(MOJ_DATASETS, "enforcement_cases")

_INGEST = """
import sys
from pathlib import Path
from yardstick.datasets import ingest_file, load_dataset_contract
contract = load_dataset_contract(Path(sys.argv[1]), "enforcement_cases")
ingest_file(contract, Path(sys.argv[2]), data_dir=Path(sys.argv[3]), user="killed")
"""


def test_row_numbers_stay_in_file_order_over_a_parallel_read(tmp_path: Path) -> None:
    bad = [5, 123_456, 299_998]
    path = write_enforcement_cases(tmp_path / "big.csv", 300_000, bad)
    result = ingest_file(CONTRACT, path, data_dir=tmp_path / "data")
    assert result.rows_accepted == 300_000 - len(bad)
    assert sorted({fault.row for fault in result.first_faults}) == [index + 2 for index in bad]
    rules = {(fault.row, fault.rule) for fault in result.first_faults}
    assert (bad[1] + 2, "paid_within_referred") in rules
    assert (bad[1] + 2, "paid_in_full_is_paid") in rules


def _wait_for_work_folder(data: Path, process: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and process.poll() is None:
        tmp = data / "tmp"
        if tmp.is_dir() and any(entry.is_dir() for entry in tmp.iterdir()):
            return
        time.sleep(0.01)
    pytest.fail("the ingest finished or stalled before it could be killed")


@pytest.mark.slow
@pytest.mark.parametrize("delay", [0.0, 0.5, 1.5])
def test_a_killed_ingest_leaves_no_batch_and_no_registry_entry(
    tmp_path: Path, delay: float
) -> None:
    path = write_enforcement_cases(tmp_path / "big.csv", 3_000_000, [7])
    data = tmp_path / "data"
    process = subprocess.Popen(
        [sys.executable, "-c", _INGEST, str(MOJ_DATASETS), str(path), str(data)],
        env={**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)},
    )
    _wait_for_work_folder(data, process)
    time.sleep(delay)
    if process.poll() is not None:
        pytest.fail(f"the ingest ended (code {process.returncode}) before the kill at {delay}s")
    os.kill(process.pid, signal.SIGKILL)
    process.wait()
    registry = FileBatchRegistry(data)
    assert registry.batches() == []
    assert [p for p in (data / "batches").rglob("*") if p.is_file()] == []
    assert DataRoot(data).remove_stale_work() != []
    result = ingest_file(CONTRACT, path, data_dir=data)
    assert result.status is IngestStatus.INGESTED and result.rows_quarantined == 1
    assert [b.id for b in registry.batches()] == [result.batch.id]  # type: ignore[union-attr]
    assert [p.name for p in (data / "tmp").iterdir()] == []
