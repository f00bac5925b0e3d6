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
from yardstick.datasets.ingest import IngestResult, IngestStatus, ingest_file
from yardstick.datasets.orgunits import OrgUnit, OrgUnitKind, OrgUnits, load_org_units
from yardstick.datasets.registry import Batch, BatchRegistry, BatchStatus
from yardstick.datasets.registry_files import FileBatchRegistry

__all__ = [
    "Batch",
    "BatchRegistry",
    "BatchStatus",
    "FileBatchRegistry",
    "IngestResult",
    "IngestStatus",
    "ingest_file",
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
