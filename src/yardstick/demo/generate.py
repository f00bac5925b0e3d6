"""``yardstick demo generate``: every MOJ record set, written to files and ingested like user data.

Deterministic: one seed gives byte-identical files (and so the same checksums and batches).
``scale`` sizes the two big record sets (administrative enforcement: ~1.8 million cases closed a
year at scale 1; prosecution: ~560,000); the others are small and always at national volume, so
count KPIs stay realistic at any scale. One set (legal assistance) is written as Big5 CSV, the
way many Taiwanese government systems export, to go through that path of the ingest too.
"""

from __future__ import annotations

import csv
import io
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq

from yardstick.datasets.contract import Contract, DataElement
from yardstick.datasets.ingest import IngestResult, ingest_file
from yardstick.datasets.orgunits import OrgUnitKind, OrgUnits
from yardstick.datasets.registry_files import FileBatchRegistry
from yardstick.demo import (
    assistance,
    budget,
    calibration,
    confiscation,
    corrections,
    corruption,
    drugs,
    enforcement,
    prosecution,
)
from yardstick.metrics.elements import FileElementStore
from yardstick.spreadsheet_cells import neutralise

BIG5_DATASETS = {"legal_assistance_cases"}


@dataclass(frozen=True)
class GeneratedFile:
    """A record set written by the generator, and its ingest, if any."""

    dataset: str
    path: Path
    rows: int
    seconds: float
    ingest: IngestResult | None = None


def _units(org_units: OrgUnits) -> dict[str, list[str]]:
    def kind(wanted: OrgUnitKind, depth: int | None = None) -> list[str]:
        return [
            u.code
            for u in org_units
            if u.kind is wanted and (depth is None or len(org_units.path(u.code)) == depth)
        ]

    return {
        "districts": kind(OrgUnitKind.PROSECUTORS_OFFICE, 3),
        "branches": kind(OrgUnitKind.ENFORCEMENT_BRANCH),
        "facilities": kind(OrgUnitKind.CORRECTIONAL_FACILITY),
        "top": [u.code for u in org_units if len(org_units.path(u.code)) <= 2],
    }


def record_sets(
    scale: float, org_units: OrgUnits
) -> dict[str, Callable[[np.random.Generator], pa.Table]]:
    """How to make each record set, by dataset name."""
    units = _units(org_units)
    districts, top = units["districts"], units["top"]
    return {
        "enforcement_cases": lambda rng: enforcement.generate(rng, scale, units["branches"]),
        "prosecution_cases": lambda rng: prosecution.generate(rng, scale, districts),
        "drug_judgments": lambda rng: drugs.judgments(rng, districts),
        "drug_seizures": lambda rng: drugs.seizures(rng, districts),
        "confiscation_ledger": lambda rng: confiscation.generate(rng, districts),
        "legal_assistance_cases": lambda rng: assistance.generate(
            rng, [org_units.root.code, *districts[:6]]
        ),
        "corruption_investigations": lambda rng: corruption.investigations(rng, districts),
        "corruption_judgments": lambda rng: corruption.judgments(rng, districts),
        "prison_population": lambda rng: corrections.population(rng, units["facilities"]),
        "employment_referrals": lambda rng: corrections.referrals(rng, units["facilities"]),
        "capital_budget_execution": lambda rng: budget.capital(rng, top),
        "expenditure_estimates": lambda rng: budget.estimates(rng, top),
    }


def generate(
    out: Path,
    scale: float,
    seed: int,
    contracts: dict[str, Contract | DataElement],
    org_units: OrgUnits,
    data_dir: Path | None = None,
    report: Callable[[GeneratedFile], None] | None = None,
    sink: DemoSink | None = None,
) -> list[GeneratedFile]:
    """Write every record set under ``out``; ingest each and enter the data elements' values
    through ``sink`` (the deployment's database, through the same actions people use) or, given
    ``data_dir``, into the files under it; neither: files only."""
    out.mkdir(parents=True, exist_ok=True)
    if sink is None and data_dir is not None:
        sink = FileSink(data_dir, org_units)
    done = []
    for index, (name, make) in enumerate(record_sets(scale, org_units).items()):
        started = time.perf_counter()
        rows = make(np.random.default_rng([seed, index]))
        path = _write(rows, out / name, big5=name in BIG5_DATASETS)
        result = None
        contract = contracts[name]
        if sink is not None and isinstance(contract, Contract):
            result = sink.ingest(contract, path)
        generated = GeneratedFile(name, path, rows.num_rows, time.perf_counter() - started, result)
        done.append(generated)
        if report:
            report(generated)
    if sink is not None:
        enter_data_elements(contracts, sink)
    return done


DEMO_USER = "demo"
REGENERATED = "demo data generated again"
AGENCY_DATASETS = {
    "enforcement_cases": "MOJ.AEA",
    "prison_population": "MOJ.AOC",
    "employment_referrals": "MOJ.AOC",
}
"""Record sets an agency sends for itself and its branches or facilities (the others, the
ministry for all its units), so each agency's data officers see their own batches."""


def demo_org_unit(dataset: str, org_units: OrgUnits) -> str:
    """The org unit a generated record set is ingested for."""
    unit = AGENCY_DATASETS.get(dataset)
    return unit if unit is not None and unit in org_units else org_units.root.code


class DemoSink(Protocol):
    """Where generated records and values go."""

    def ingest(self, contract: Contract, path: Path) -> IngestResult:
        """Ingest a generated file, replacing the demo's earlier batches of its dataset (another
        seed or scale holds the same case numbers, which must not be counted twice)."""
        ...

    def entered(self) -> set[tuple[str, int, str]]:
        """The (element, year, org unit) that already have an approved value."""
        ...

    def enter(self, element: DataElement, year: int, value: float) -> None:
        """Enter and approve a value, as an officer and a reviewer would."""
        ...


class FileSink:
    """The files of a data folder (registry, elements), without a database."""

    def __init__(self, data_dir: Path, org_units: OrgUnits) -> None:
        self.data_dir = data_dir
        self.org_units = org_units

    def ingest(self, contract: Contract, path: Path) -> IngestResult:
        earlier = [
            batch.id
            for batch in FileBatchRegistry(self.data_dir).active_batches(contract.name)
            if batch.ingested_by == DEMO_USER
        ]
        return ingest_file(
            contract,
            path,
            org_unit=demo_org_unit(contract.name, self.org_units),
            org_units=self.org_units,
            data_dir=self.data_dir,
            user=DEMO_USER,
            replaces=earlier,
            reason=REGENERATED if earlier else "",
        )

    def entered(self) -> set[tuple[str, int, str]]:
        return set(FileElementStore(self.data_dir).approved())

    def enter(self, element: DataElement, year: int, value: float) -> None:
        FileElementStore(self.data_dir).enter(
            element, year, element.org_unit, value, "demo-officer", "demo-reviewer", "demo data"
        )


def _write(rows: pa.Table, stem: Path, big5: bool) -> Path:
    if not big5:
        path = stem.with_suffix(".parquet")
        pq.write_table(rows, path, compression="zstd")
        return path
    path = stem.with_suffix(".csv")
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(rows.column_names)
    for record in rows.to_pylist():
        writer.writerow("" if value is None else neutralise(value) for value in record.values())
    path.write_bytes(buffer.getvalue().encode("cp950"))
    return path


ELEMENT_VALUES = {
    "integrity_evaluation_progress": calibration.INTEGRITY_MILESTONE,
    "community_service_satisfaction": calibration.COMMUNITY_SERVICE_SATISFACTION,
    "legal_aid_satisfaction": calibration.LEGAL_AID_SATISFACTION,
    "human_rights_event_satisfaction": calibration.HUMAN_RIGHTS_SATISFACTION,
}


def enter_data_elements(contracts: dict[str, Contract | DataElement], sink: DemoSink) -> None:
    """The survey results and milestone progress an officer would enter and a reviewer approve."""
    already = sink.entered()
    for name, values in ELEMENT_VALUES.items():
        element = contracts[name]
        assert isinstance(element, DataElement)
        for year, value in values.items():
            if (name, year, element.org_unit) not in already:
                sink.enter(element, year, value)
