"""Ingest (匯入): a source file → a validated, typed Parquet batch, a quarantine report, a manifest.

:func:`ingest_file` is the one entry point (the CLI, the demo generator and the web upload all
call it). By default good rows are kept and bad rows quarantined; ``strict=True`` refuses the
whole batch when any row is bad, writing only the quarantine report (under ``refused/``). The
same file ingested again for the same dataset and org unit returns the existing batch unchanged.
A file whose keys are in an active batch of the dataset is refused
(:class:`~yardstick.datasets.errors.KeyOverlapError`) unless it ``replaces`` that batch.
"""

from __future__ import annotations

import getpass
import hashlib
import json
import os
import uuid
from collections.abc import Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from enum import StrEnum
from pathlib import Path

import duckdb

from yardstick.datasets import duplicates, quarantine, validation
from yardstick.datasets.checks import Check, contract_checks
from yardstick.datasets.contract import Contract
from yardstick.datasets.errors import IngestError, StrictModeRefusal
from yardstick.datasets.header import match_header
from yardstick.datasets.orgunits import OrgUnits
from yardstick.datasets.overlaps import OverlapGuard
from yardstick.datasets.places import place_rows
from yardstick.datasets.progress import Progress, watch_query
from yardstick.datasets.registry import Batch, BatchRegistry, BatchStatus, OnRegistered
from yardstick.datasets.registry_files import FileBatchRegistry
from yardstick.datasets.sources import Source, open_source
from yardstick.datasets.storage import publish_folder, resolve_data_dir

DEFAULT_MEMORY_LIMIT = "1GB"
SAMPLE_FAULTS = 20


class IngestStatus(StrEnum):
    """What became of a file."""

    INGESTED = "ingested"
    ALREADY_INGESTED = "already_ingested"
    REFUSED = "refused"


@dataclass(frozen=True)
class IngestResult:
    """The outcome of one ingest: the batch (if any), row counts and the faults found."""

    status: IngestStatus
    dataset: str
    checksum: str
    rows_read: int
    rows_accepted: int
    rows_quarantined: int
    batch: Batch | None = None
    quarantine_path: Path | None = None
    faults: list[quarantine.FaultCount] = field(default_factory=list)
    first_faults: list[quarantine.Fault] = field(default_factory=list)


def file_checksum(path: Path, progress: Progress | None = None) -> str:
    """SHA-256 of the file's bytes, as hex."""
    digest = hashlib.sha256()
    size = max(path.stat().st_size, 1)
    done = 0
    with path.open("rb") as handle:
        while chunk := handle.read(1 << 22):
            digest.update(chunk)
            done += len(chunk)
            if progress:
                progress("checksum", done / size)
    return digest.hexdigest()


def _allowed_org_units(org_units: OrgUnits | None, org_unit: str | None) -> list[str] | None:
    if org_units is None:
        return None
    if org_unit is None:
        return [unit.code for unit in org_units]
    return org_units.subtree_codes(org_units.get(org_unit).code)


def ingest_file(
    contract: Contract,
    path: Path,
    *,
    org_unit: str | None = None,
    org_units: OrgUnits | None = None,
    strict: bool = False,
    data_dir: Path | None = None,
    user: str | None = None,
    encoding: str = "auto",
    progress: Progress | None = None,
    memory_limit: str = DEFAULT_MEMORY_LIMIT,
    replaces: Sequence[str] = (),
    reason: str = "",
    registry: BatchRegistry | None = None,
    on_registered: OnRegistered | None = None,
) -> IngestResult:
    """Validate ``path`` against ``contract`` and register the result as a batch.

    ``org_unit``: the org unit the batch is for (its rows' org-unit column must name it or a unit
    below it, when ``org_units`` is given). ``data_dir``: the data root (default
    ``$YARDSTICK_DATA_DIR`` or ``var/data``). ``user``: who ingests (default ``$USER``).
    ``replaces``: ids of active batches of the dataset this file corrects, withdrawn (for
    ``reason``) when it is registered; only these may hold keys of the file. ``registry``: where
    the batch is registered (default: the SQLite file under the data root); ``on_registered``
    runs inside the registering transaction (the caller's audit entry and recompute job).
    Raises :class:`StrictModeRefusal` (carrying the result) when ``strict`` and a row is bad,
    :class:`KeyOverlapError` when another active batch holds some of the file's keys.
    """
    allowed = _allowed_org_units(org_units, org_unit)
    if registry is None:
        registry = FileBatchRegistry(resolve_data_dir(data_dir))
    registry.root.remove_stale_work()
    registry.remove_orphan_folders()
    if not path.is_file():
        raise IngestError(f"{path}: no such file")
    if reason.strip() and not replaces:
        raise IngestError("a reason (--reason) goes with --replaces: name the batch replaced")
    registry.replaceable(contract.name, replaces, reason)  # refused before the work, if at all
    size = path.stat().st_size
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="checksum") as pool:
        if registry.may_hold(contract.name, org_unit, size):
            checksum: Future[str] | str = file_checksum(path, progress)
            existing = registry.find(contract.name, org_unit, str(checksum))
            if existing is not None:
                return _already(existing)
        else:  # a new file for sure: its checksum is taken while it is validated
            checksum = pool.submit(file_checksum, path)
        job = _Job(contract, path, checksum, size, org_unit, user or current_user(), strict)
        with registry.root.work_folder() as work:
            outcome = job.run(work, allowed, encoding, memory_limit, progress)
            if strict and outcome.rows_quarantined:
                refused = job.refuse(work / "batch", registry.root.refused, outcome)
                raise StrictModeRefusal(
                    f"{path.name}: refused (--strict): {outcome.rows_quarantined} of "
                    f"{outcome.rows_read} rows break the contract; see {refused.quarantine_path}",
                    refused,
                )
            if progress:
                progress("register", 0.0)
            guard = OverlapGuard(contract, path.name, work / "batch" / "data.parquet", memory_limit)
            guard([b for b in registry.active_batches(contract.name) if b.id not in replaces])
            batch, fresh = registry.register(
                job.batch(outcome, registry),
                work / "batch",
                replaces=replaces,
                reason=reason,
                guard=guard,  # again under the lock, against batches registered meanwhile
                on_registered=on_registered,
            )
    if not fresh:
        return _already(batch)
    return outcome.result(IngestStatus.INGESTED, batch, batch.folder / "quarantine.csv")


def current_user() -> str:
    """Who is ingesting: $USER, else the login name."""
    return os.environ.get("USER") or getpass.getuser()


def _already(batch: Batch) -> IngestResult:
    return IngestResult(
        status=IngestStatus.ALREADY_INGESTED,
        dataset=batch.dataset,
        checksum=batch.checksum,
        rows_read=batch.rows_accepted + batch.rows_quarantined,
        rows_accepted=batch.rows_accepted,
        rows_quarantined=batch.rows_quarantined,
        batch=batch,
        quarantine_path=batch.quarantine_path if batch.rows_quarantined else None,
    )


@dataclass
class _Outcome:
    contract: Contract
    checksum: str
    source: Source
    rows_read: int
    rows_accepted: int
    rows_quarantined: int
    faults: list[quarantine.FaultCount]
    first_faults: list[quarantine.Fault]

    def result(self, status: IngestStatus, batch: Batch | None, report: Path) -> IngestResult:
        return IngestResult(
            status=status,
            dataset=self.contract.name,
            checksum=self.checksum,
            rows_read=self.rows_read,
            rows_accepted=self.rows_accepted,
            rows_quarantined=self.rows_quarantined,
            batch=batch,
            quarantine_path=report if self.rows_quarantined else None,
            faults=self.faults,
            first_faults=self.first_faults,
        )


@dataclass
class _Job:
    contract: Contract
    path: Path
    pending_checksum: Future[str] | str
    source_bytes: int
    org_unit: str | None
    user: str
    strict: bool
    batch_id: str = field(default_factory=lambda: uuid.uuid4().hex[:16])
    started: datetime = field(default_factory=lambda: datetime.now(UTC))

    def run(
        self,
        work: Path,
        allowed: list[str] | None,
        encoding: str,
        memory_limit: str,
        progress: Progress | None,
    ) -> _Outcome:
        """Read, check and write the batch's files into ``work/batch``."""
        folder = work / "batch"
        folder.mkdir()
        data = folder / "data.parquet"
        source = open_source(self.path, work, encoding)
        positions = match_header(self.contract, source.header)
        checks = contract_checks(self.contract, allowed)
        groups = validation.uniqueness_groups(self.contract)
        with _duckdb(work, memory_limit) as connection, source.reading():
            with watch_query(connection, "validate", progress):
                written, set_aside = self._validate(connection, source, positions, checks, work)
            if set_aside:
                with watch_query(connection, "locate", progress):
                    place_rows(connection, source)
            repeated = duplicates.find_repeated(connection, groups, data, bool(set_aside))
            removed = 0
            if repeated:
                removed = duplicates.collect_duplicate_rows(
                    connection, repeated, data, bool(set_aside)
                )
            quarantined = quarantine.build_quarantine(
                connection, checks, repeated, bool(set_aside), source.first_row
            )
            refused = self.strict and quarantined > 0
            if refused:
                data.unlink()
            elif removed:
                with watch_query(connection, "write", progress):
                    duplicates.remove_duplicate_rows(connection, self.contract, data)
            if quarantined:
                quarantine.write_quarantine_csv(connection, folder / "quarantine.csv")
            outcome = _Outcome(
                self.contract,
                self.checksum,
                source,
                written + set_aside,
                0 if refused else written - removed,
                quarantined,
                quarantine.fault_counts(connection),
                quarantine.first_faults(connection, SAMPLE_FAULTS),
            )
        self._write_manifest(folder, outcome, refused=refused)
        return outcome

    def _validate(
        self,
        connection: duckdb.DuckDBPyConnection,
        source: Source,
        positions: list[int],
        checks: list[Check],
        work: Path,
    ) -> tuple[int, int]:
        return validation.validate(
            connection,
            self.contract,
            source,
            positions,
            checks,
            work / "batch" / "data.parquet",
            work / "set-aside.jsonl",
        )

    @property
    def checksum(self) -> str:
        """The SHA-256 of the source, waiting for it if it is still being taken."""
        if isinstance(self.pending_checksum, str):
            return self.pending_checksum
        return self.pending_checksum.result()

    def batch(self, outcome: _Outcome, registry: BatchRegistry) -> Batch:
        """The registry entry for this job's batch."""
        return Batch(
            id=self.batch_id,
            dataset=self.contract.name,
            contract_version=self.contract.version,
            org_unit=self.org_unit,
            source_name=self.path.name,
            checksum=self.checksum,
            rows_accepted=outcome.rows_accepted,
            rows_quarantined=outcome.rows_quarantined,
            ingested_by=self.user,
            ingested_at=self.started,
            status=BatchStatus.ACTIVE,
            folder=registry.root.batch_folder(self.contract.name, self.batch_id),
            source_bytes=self.source_bytes,
        )

    def refuse(self, finished: Path, refused_root: Path, outcome: _Outcome) -> IngestResult:
        """Keep only the report of a refused batch, under ``refused/``."""
        target = refused_root / self.contract.name / self.batch_id
        publish_folder(finished, target)
        return outcome.result(IngestStatus.REFUSED, None, target / "quarantine.csv")

    def _write_manifest(self, folder: Path, outcome: _Outcome, refused: bool) -> None:
        manifest = {
            "batch_id": self.batch_id,
            "status": "refused" if refused else "active",
            "dataset": self.contract.name,
            "contract_version": self.contract.version,
            "org_unit": self.org_unit,
            "source_name": self.path.name,
            "source_format": outcome.source.format.value,
            "source_encoding": outcome.source.encoding,
            "checksum_sha256": self.checksum,
            "rows_read": outcome.rows_read,
            "rows_accepted": outcome.rows_accepted,
            "rows_quarantined": outcome.rows_quarantined,
            "faults": [asdict(count) for count in outcome.faults],
            "strict": self.strict,
            "ingested_by": self.user,
            "ingested_at": self.started.isoformat(),
        }
        text = json.dumps(manifest, ensure_ascii=False, indent=2) + "\n"
        (folder / "manifest.json").write_text(text, encoding="utf-8")


def _duckdb(work: Path, memory_limit: str) -> duckdb.DuckDBPyConnection:
    connection = duckdb.connect(":memory:")
    connection.execute("SET memory_limit = $limit", {"limit": memory_limit})
    connection.execute("SET temp_directory = $dir", {"dir": str(work / "spill")})
    connection.execute("SET preserve_insertion_order = true")
    connection.execute("SET enable_progress_bar_print = false")  # progress goes to `progress`
    return connection
