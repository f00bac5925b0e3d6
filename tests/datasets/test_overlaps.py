"""Keys across batches: a corrected re-extract is refused naming the overlap, or replaces the
batch it corrects in one transaction, so every case is counted once."""

from __future__ import annotations

import csv
import sqlite3
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from tests.conftest import REPO
from tests.datasets.conftest import MOJ_DATASETS
from yardstick.calendar import YearRange
from yardstick.datasets import (
    BatchStatus,
    FileBatchRegistry,
    IngestResult,
    IngestStatus,
    ingest_file,
    load_dataset_contract,
)
from yardstick.datasets.errors import BatchError, IngestError, KeyOverlapError
from yardstick.metrics.project import Project

PLAN_DIR = REPO / "plans" / "moj-106-109"
CONTRACT = load_dataset_contract(MOJ_DATASETS, "enforcement_cases")
HEADER = [column.name for column in CONTRACT.columns]


def _case(number: int, branch: str = "MOJ.AEA.TPE", paid: int = 150_000) -> list[str]:
    closure = "完全繳清" if paid == 150_000 else "部分繳清"
    return [
        f"C{number:02}",
        branch,
        "稅款",
        "2019-03-01",
        "2020-02-01",
        "150000",
        str(paid),
        closure,
    ]


def _extract(path: Path, cases: list[list[str]]) -> Path:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(HEADER)
        writer.writerows(cases)
    return path


TEN = [_case(number) for number in range(1, 11)]
CORRECTED = [_case(3, paid=75_000) if case[0] == "C03" else case for case in TEN]


def _ingest(data: Path, path: Path, **options: object) -> IngestResult:
    return ingest_file(CONTRACT, path, data_dir=data, user="officer", **options)  # type: ignore[arg-type]


def _batch_id(result: IngestResult) -> str:
    assert result.batch is not None
    return result.batch.id


def test_a_corrected_re_extract_is_refused_naming_the_overlap(tmp_path: Path) -> None:
    data = tmp_path / "data"
    first = _batch_id(_ingest(data, _extract(tmp_path / "cases-109.csv", TEN)))
    corrected = _extract(tmp_path / "cases-109-v2.csv", CORRECTED)
    with pytest.raises(KeyOverlapError) as raised:
        _ingest(data, corrected)
    assert str(raised.value) == (
        "cases-109-v2.csv: 10 keys (case_id) already in active batches of enforcement_cases, "
        f"which would count those records twice — batch {first} (cases-109.csv) holds 10: "
        f"C01, C02, C03, …; if this file corrects them, ingest it with --replaces {first} "
        '--reason "…"'
    )
    registry = FileBatchRegistry(data)
    assert [b.id for b in registry.batches()] == [first]
    assert [p.name for p in (data / "batches" / "enforcement_cases").iterdir()] == [first]
    assert list((data / "tmp").iterdir()) == []


def test_with_replaces_the_kpi_counts_each_case_once(tmp_path: Path) -> None:
    project = Project.from_folder(PLAN_DIR, tmp_path / "data")

    def denominator() -> float:
        report = project.compute(YearRange(109, 109), kpis=["8-1"])
        [value] = [v for v in report.values if v.org_unit == "MOJ"]
        assert value.inputs is not None
        return value.inputs["denominator"]

    first = _batch_id(_ingest(project.data_dir, _extract(tmp_path / "v1.csv", TEN)))
    assert denominator() == 10
    corrected = _extract(tmp_path / "v2.csv", CORRECTED)
    second = _ingest(project.data_dir, corrected, replaces=[first], reason="C03 partly paid")
    assert second.status is IngestStatus.INGESTED
    assert denominator() == 10
    report = project.compute(YearRange(109, 109), kpis=["8-1"])
    [value] = [v for v in report.values if v.org_unit == "MOJ"]
    assert value.inputs == {"numerator": 9.0, "denominator": 10.0}
    registry = FileBatchRegistry(project.data_dir)
    assert [b.id for b in registry.active_batches("enforcement_cases")] == [_batch_id(second)]


def test_the_events_say_who_replaced_what_and_why(tmp_path: Path) -> None:
    data = tmp_path / "data"
    first = _batch_id(_ingest(data, _extract(tmp_path / "v1.csv", TEN)))
    second = _batch_id(
        ingest_file(
            CONTRACT,
            _extract(tmp_path / "v2.csv", CORRECTED),
            data_dir=data,
            user="reviewer",
            replaces=[first],
            reason=" C03 was partly paid ",
        )
    )
    registry = FileBatchRegistry(data)
    assert registry.get(first).status is BatchStatus.WITHDRAWN
    withdrawn = registry.events(first)[-1]
    assert (withdrawn.old_status, withdrawn.new_status) == (
        BatchStatus.ACTIVE,
        BatchStatus.WITHDRAWN,
    )
    assert (withdrawn.actor, withdrawn.reason, withdrawn.replaced_by) == (
        "reviewer",
        "C03 was partly paid",
        second,
    )
    [ingested] = registry.events(second)
    assert ingested.reason == f"ingested, replacing {first}: C03 was partly paid"
    assert ingested.actor == "reviewer" and ingested.replaced_by is None
    assert ingested.at == withdrawn.at or abs((ingested.at - withdrawn.at).total_seconds()) < 1


def test_replaces_is_repeatable_and_every_overlapping_batch_is_named(tmp_path: Path) -> None:
    data = tmp_path / "data"
    tpe = _batch_id(_ingest(data, _extract(tmp_path / "tpe.csv", TEN[:6])))
    khh_cases = [_case(n, "MOJ.AEA.KHH") for n in range(7, 11)]
    khh = _batch_id(_ingest(data, _extract(tmp_path / "khh.csv", khh_cases)))
    both = _extract(tmp_path / "all.csv", [*TEN[:6], *khh_cases, _case(11)])
    with pytest.raises(KeyOverlapError) as raised:
        _ingest(data, both, replaces=[tpe], reason="one extract for the agency")
    message = str(raised.value)
    assert message.startswith("all.csv: 4 keys (case_id)") and f"batch {khh} (khh.csv)" in message
    assert tpe not in message  # the batch being replaced may hold them
    assert registry_ids(data) == {tpe: "active", khh: "active"}
    combined = _batch_id(_ingest(data, both, replaces=[tpe, khh], reason="one extract"))
    assert registry_ids(data) == {tpe: "withdrawn", khh: "withdrawn", combined: "active"}


def registry_ids(data: Path) -> dict[str, str]:
    return {b.id: b.status.value for b in FileBatchRegistry(data).batches()}


def test_disjoint_keys_and_a_multi_column_key(tmp_path: Path) -> None:
    contract = load_dataset_contract(MOJ_DATASETS, "prison_population")
    header = ["facility", "counted_on", "inmates", "approved_capacity"]
    data = tmp_path / "data"

    def extract(name: str, rows: list[str]) -> Path:
        path = tmp_path / name
        path.write_text("\n".join([",".join(header), *rows]) + "\n", encoding="utf-8")
        return path

    december = ["MOJ.AGC.TPP,2020-12-31,100,90", "MOJ.AGC.TCP,2020-12-31,80,90"]
    ingest_file(contract, extract("dec.csv", december), data_dir=data)
    same_day_other_facility = ["MOJ.AGC.KSP,2020-12-31,70,90", "MOJ.AGC.TPP,2020-11-30,99,90"]
    assert ingest_file(contract, extract("more.csv", same_day_other_facility), data_dir=data)
    with pytest.raises(KeyOverlapError, match=r"holds 1: \(facility=MOJ.AGC.TCP, counted_on="):
        ingest_file(contract, extract("again.csv", ["MOJ.AGC.TCP,2020-12-31,81,90"]), data_dir=data)


@pytest.mark.parametrize(
    ("replaces", "reason", "error", "expected"),
    [
        (["withdrawn"], "again", BatchError, "is already withdrawn; there is nothing to replace"),
        (["other"], "wrong", BatchError, "holds prison_population, not enforcement_cases"),
        (["nope"], "why", BatchError, "no batch 'nope'"),
        (["active"], "  ", BatchError, "replacing a batch needs a reason"),
        ([], "a reason", IngestError, "a reason .--reason. goes with --replaces"),
    ],
)
def test_a_replacement_that_cannot_be_is_refused_before_any_work(
    tmp_path: Path,
    replaces: list[str],
    reason: str,
    error: type[Exception],
    expected: str,
) -> None:
    data = tmp_path / "data"
    ids = {
        "active": _batch_id(_ingest(data, _extract(tmp_path / "a.csv", TEN[:3]))),
        "withdrawn": _batch_id(_ingest(data, _extract(tmp_path / "w.csv", TEN[3:6]))),
        "nope": "nope",
    }
    FileBatchRegistry(data).withdraw(ids["withdrawn"], "wrong year", "officer")
    prisons = load_dataset_contract(MOJ_DATASETS, "prison_population")
    other = tmp_path / "p.csv"
    other.write_text("facility,counted_on,inmates,approved_capacity\nX,2020-12-31,1,1\n", "utf-8")
    ids["other"] = _batch_id(ingest_file(prisons, other, data_dir=data))
    before = registry_ids(data)
    with pytest.raises(error, match=expected):
        _ingest(
            data,
            _extract(tmp_path / "new.csv", TEN[6:]),
            replaces=[ids[name] for name in replaces],
            reason=reason,
        )
    assert registry_ids(data) == before


def test_an_old_registry_gains_the_replaced_by_column(tmp_path: Path) -> None:
    data = tmp_path / "data"
    first = _batch_id(_ingest(data, _extract(tmp_path / "v1.csv", TEN)))
    with sqlite3.connect(data / "registry.sqlite") as db:
        db.execute("ALTER TABLE batch_events DROP COLUMN replaced_by")
    second = _ingest(data, _extract(tmp_path / "v2.csv", CORRECTED), replaces=[first], reason="x")
    assert FileBatchRegistry(data).events(first)[-1].replaced_by == _batch_id(second)


_RACE = """
import sys, time
from pathlib import Path
from yardstick.datasets import ingest_file, load_dataset_contract, overlaps
from yardstick.datasets.errors import KeyOverlapError

found = overlaps.find_overlaps
def slow(*args, **kwargs):  # widen the window between the check and the registration
    result = found(*args, **kwargs)
    time.sleep(1.0)
    return result
overlaps.find_overlaps = slow
contract = load_dataset_contract(Path(sys.argv[1]), "enforcement_cases")
try:
    ingest_file(contract, Path(sys.argv[2]), data_dir=Path(sys.argv[3]), user=sys.argv[2])
except KeyOverlapError:
    print("refused")
else:
    print("ingested")
"""


@pytest.mark.slow
def test_two_ingests_of_overlapping_extracts_at_once_exactly_one_wins(tmp_path: Path) -> None:
    data = tmp_path / "data"
    _ingest(data, _extract(tmp_path / "other.csv", [_case(99)]))  # the registry exists
    files = [_extract(tmp_path / "a.csv", TEN), _extract(tmp_path / "b.csv", CORRECTED)]
    processes = [
        subprocess.Popen(
            [sys.executable, "-c", textwrap.dedent(_RACE), str(MOJ_DATASETS), str(f), str(data)],
            stdout=subprocess.PIPE,
            text=True,
        )
        for f in files
    ]
    outcomes = sorted(process.communicate(timeout=120)[0].strip() for process in processes)
    assert outcomes == ["ingested", "refused"]
    active = FileBatchRegistry(data).active_batches("enforcement_cases")
    assert len({b.source_name for b in active} - {"other.csv"}) == 1
    assert len(list((data / "batches" / "enforcement_cases").iterdir())) == 2
