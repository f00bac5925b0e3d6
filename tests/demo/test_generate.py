"""The demo generator: deterministic, passes its own contracts, scales, calibrated, boundaries."""

from __future__ import annotations

import hashlib
from pathlib import Path

import duckdb
import numpy as np
import pytest

from tests.conftest import REPO
from yardstick.calendar import YearRange
from yardstick.datasets.contract import load_contracts
from yardstick.datasets.orgunits import load_org_units
from yardstick.demo import calibration, enforcement
from yardstick.demo.generate import generate, record_sets
from yardstick.metrics.project import Project

PLAN_DIR = REPO / "plans" / "moj-106-109"
CONTRACTS = load_contracts(PLAN_DIR / "datasets")
ORG_UNITS = load_org_units(PLAN_DIR / "orgunits.yaml")
SCALE = 0.002


def _checksums(folder: Path) -> dict[str, str]:
    return {
        path.name: hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(folder.iterdir())
    }


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("demo")
    generate(root / "files", SCALE, 7, CONTRACTS, ORG_UNITS, data_dir=root / "data")
    return root


def test_the_same_seed_gives_the_same_files(generated: Path, tmp_path: Path) -> None:
    generate(tmp_path / "again", SCALE, 7, CONTRACTS, ORG_UNITS)
    assert _checksums(tmp_path / "again") == _checksums(generated / "files")
    generate(tmp_path / "other", SCALE, 8, CONTRACTS, ORG_UNITS)
    other = _checksums(tmp_path / "other")
    assert other.keys() == _checksums(generated / "files").keys()
    assert (
        other["enforcement_cases.parquet"]
        != _checksums(generated / "files")["enforcement_cases.parquet"]
    )


def test_every_record_set_passes_its_contract(generated: Path) -> None:
    project = Project.from_folder(PLAN_DIR, generated / "data")
    batches = project.active_batches()
    datasets = {name for name, c in CONTRACTS.items() if c.kind == "dataset"}
    assert {name for name, found in batches.items() if found} == datasets
    from yardstick.datasets.registry_files import FileBatchRegistry

    for batch in FileBatchRegistry(generated / "data").batches():
        assert batch.rows_quarantined == 0, (batch.dataset, batch.quarantine_path)
        assert batch.rows_accepted > 0


def test_one_record_set_goes_through_the_big5_path(generated: Path) -> None:
    raw = (generated / "files" / "legal_assistance_cases.csv").read_bytes()
    assert "兩岸".encode("cp950") in raw and b"\r\n" in raw
    with pytest.raises(UnicodeDecodeError):
        raw.decode("utf-8")


def test_the_big_record_sets_scale_and_the_small_ones_stay_national() -> None:
    def rows(scale: float, name: str) -> int:
        return record_sets(scale, ORG_UNITS)[name](np.random.default_rng(1)).num_rows

    assert rows(0.004, "enforcement_cases") == pytest.approx(
        2 * rows(0.002, "enforcement_cases"), rel=0.05
    )
    assert rows(0.004, "drug_judgments") == rows(0.002, "drug_judgments")
    assert rows(0.002, "prison_population") == 52 * 1461


def test_enforcement_cases_sit_on_every_band_boundary() -> None:
    table = enforcement.generate(np.random.default_rng(3), 0.001, ["MOJ.AEA.TPE"])
    pairs = set(
        zip(table["referred_amount"].to_pylist(), table["paid_amount"].to_pylist(), strict=True)
    )
    for amount, payment in enforcement.BOUNDARIES:
        assert (amount, payment) in pairs


def test_partly_paid_cases_are_recorded_both_ways_on_every_boundary_and_beyond() -> None:
    """部分繳清 and 發憑證 / 撤回 / 退回 with an amount paid: the two recordings of one fact (8-1)."""
    rows = enforcement.generate(np.random.default_rng(3), 0.001, ["MOJ.AEA.TPE"]).to_pylist()
    paid = [r for r in rows if r["closure"] is not None and r["paid_amount"] > 0]
    by_closure = {
        (r["referred_amount"], r["paid_amount"], r["closure"] == "部分繳清") for r in paid
    }
    for amount, payment in enforcement.BOUNDARIES:
        assert {(amount, payment, True), (amount, payment, False)} <= by_closure
    for closure in ("發憑證", "撤回", "退回"):
        shares = [r["paid_amount"] / r["referred_amount"] for r in paid if r["closure"] == closure]
        assert min(shares) < 0.5 and max(shares) > 0.75, closure


def test_the_kpis_come_out_near_their_calibration(generated: Path) -> None:
    report = Project.from_folder(PLAN_DIR, generated / "data").compute(YearRange(106, 109))
    ministry = {(v.kpi, v.year): v.value for v in report.values if v.org_unit == "MOJ"}
    assert all(value is not None for value in ministry.values())
    for year in calibration.YEARS:
        assert ministry[("1-1", year)] == calibration.DRUG_DEALERS_SENTENCED[year]
        assert ministry[("5-1", year)] == pytest.approx(
            calibration.OVERCROWDING[year] * 100, abs=0.01
        )
        assert ministry[("8-1", year)] == pytest.approx(
            calibration.EFFECTIVE_CLOSURE[year] * 100, abs=0.5
        )
        assert ministry[("4-1", year)] == pytest.approx(
            calibration.PROSECUTION_MEAN_DAYS[year], abs=0.5
        )
    assert ministry[("5-1", 106)] == pytest.approx(9.6, abs=0.05)  # published 106 figure
    assert 45 < ministry[("1-3", 109)] < 60
    # some targets met in 109, some not
    plan = Project.from_folder(PLAN_DIR, generated / "data").plan
    met = [
        ministry[(k.code, 109)] >= k.targets[0].value
        if k.targets[0].direction.value == "at_least"
        else ministry[(k.code, 109)] <= k.targets[0].value
        for k in plan.kpis
    ]
    assert 0 < sum(met) < len(met)


def test_prison_capacity_starts_at_the_published_figure(generated: Path) -> None:
    path = generated / "files" / "prison_population.parquet"
    query = (
        "SELECT sum(approved_capacity) FROM read_parquet(?) WHERE counted_on = DATE '2017-12-31'"
    )
    assert duckdb.connect().execute(query, [str(path)]).fetchall() == [
        (calibration.APPROVED_CAPACITY,)
    ]
