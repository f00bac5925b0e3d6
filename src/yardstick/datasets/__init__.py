"""Operational data (資料集): contracts, org units, validated ingest into Parquet batches."""

from __future__ import annotations

from yardstick.datasets.contract import (
    Column,
    ColumnType,
    Contract,
    DataElement,
    Rule,
    load_contract,
    load_contracts,
    load_dataset_contract,
)
from yardstick.datasets.orgunits import OrgUnit, OrgUnitKind, OrgUnits, load_org_units

__all__ = [
    "Column",
    "ColumnType",
    "Contract",
    "DataElement",
    "OrgUnit",
    "OrgUnitKind",
    "OrgUnits",
    "Rule",
    "load_contract",
    "load_contracts",
    "load_dataset_contract",
    "load_org_units",
]
