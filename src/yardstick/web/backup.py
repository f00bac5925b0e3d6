"""``yardstick backup`` / ``restore``: a consistent snapshot of the database and its batch files.

The snapshot is one tar file: ``manifest.json`` (format, time, counts, the database dump's
SHA-256), ``database.json`` (every row of yardstick's tables and the accounts, read in one
transaction — REPEATABLE READ on PostgreSQL, a read lock on SQLite — so no change is half in it)
and ``batches/<dataset>/<id>/`` for every batch the dump names. Batch folders never change once
published, so copying them after the rows is consistent. A restore goes into an empty database
(or one emptied with ``--replace``), writes the rows in one transaction and the batch folders
through a work folder renamed into place; it refuses a file whose dump does not match its hash.
"""

from __future__ import annotations

import hashlib
import io
import json
import shutil
import tarfile
import tempfile
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from django.apps import apps
from django.core import serializers
from django.core.management.color import no_style
from django.db import connection, transaction
from django.db.models import Model

from yardstick.errors import YardstickError

FORMAT = 1
_APPS = ("orgunits", "accounts", "plans", "datasets", "values", "jobs", "audit")


class BackupError(YardstickError):
    """A snapshot that cannot be written, read or restored as asked."""


def _models() -> list[type[Model]]:
    """Every model a snapshot holds, parents before the rows that refer to them."""
    found: list[type[Model]] = [apps.get_model("auth", "User")]
    for label in _APPS:
        found += list(apps.get_app_config(label).get_models())
    found.append(apps.get_model("dashboard", "MonthlyValue"))  # computed, like the values
    return found


def write_backup(target: Path, data_dir: Path) -> dict[str, Any]:
    """Write the snapshot to ``target`` (a ``.tar`` file); the manifest written."""
    outermost = not connection.in_atomic_block
    with transaction.atomic():
        if connection.vendor == "postgresql" and outermost:
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY")
        counts = {model._meta.label: model._default_manager.count() for model in _models()}
        dump = dump_rows()
        batches = [
            (row.dataset, row.id) for row in apps.get_model("datasets", "Batch").objects.all()
        ]
    manifest = {
        "format": FORMAT,
        "created_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "database": connection.vendor,
        "rows": counts,
        "batches": len(batches),
        "database_sha256": hashlib.sha256(dump).hexdigest(),
    }
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(f".{target.name}.partial")
    with tarfile.open(partial, "w") as archive:
        _add_bytes(archive, "manifest.json", json.dumps(manifest, indent=2).encode("utf-8"))
        _add_bytes(archive, "database.json", dump)
        for dataset, batch_id in batches:
            folder = data_dir / "batches" / dataset / batch_id
            if not folder.is_dir():
                partial.unlink(missing_ok=True)
                raise BackupError(f"batch {batch_id} has no folder at {folder}")
            archive.add(folder, arcname=f"batches/{dataset}/{batch_id}")
    partial.replace(target)
    return manifest


def _add_bytes(archive: tarfile.TarFile, name: str, data: bytes) -> None:
    info = tarfile.TarInfo(name)
    info.size = len(data)
    info.mtime = int(datetime.now(UTC).timestamp())
    archive.addfile(info, io.BytesIO(data))


def restore_backup(source: Path, data_dir: Path, replace: bool = False) -> dict[str, Any]:
    """Bring a snapshot back into this database and storage folder; its manifest."""
    if not source.is_file():
        raise BackupError(f"{source}: no such file")
    try:
        archive = tarfile.open(source, "r")
    except tarfile.TarError as error:
        raise BackupError(f"{source}: not a yardstick backup ({error})") from None
    with archive:
        manifest, dump = _read_head(archive, source)
        with tempfile.TemporaryDirectory(dir=_work_parent(data_dir)) as work:
            _extract_batches(archive, Path(work))
            _restore_rows(dump, replace)
            _place_batches(Path(work) / "batches", data_dir / "batches", replace)
    return manifest


def _read_head(archive: tarfile.TarFile, source: Path) -> tuple[dict[str, Any], bytes]:
    try:
        manifest = json.loads(_member(archive, "manifest.json"))
        dump = _member(archive, "database.json")
    except (KeyError, ValueError):
        raise BackupError(f"{source}: not a yardstick backup (no manifest or dump)") from None
    if manifest.get("format") != FORMAT:
        raise BackupError(f"{source}: backup format {manifest.get('format')!r} is not {FORMAT}")
    if hashlib.sha256(dump).hexdigest() != manifest.get("database_sha256"):
        raise BackupError(f"{source}: the database dump does not match its checksum")
    return manifest, dump


def _member(archive: tarfile.TarFile, name: str) -> bytes:
    handle = archive.extractfile(name)
    if handle is None:
        raise KeyError(name)
    return handle.read()


def _work_parent(data_dir: Path) -> Path:
    data_dir.mkdir(parents=True, exist_ok=True)
    return data_dir


def _extract_batches(archive: tarfile.TarFile, work: Path) -> None:
    members = [m for m in archive.getmembers() if m.name.startswith("batches/")]
    archive.extractall(work, members=members, filter="data")


def _restore_rows(dump: bytes, replace: bool) -> None:
    models = _models()
    with transaction.atomic():
        occupied = [m._meta.label for m in models if m._default_manager.exists()]
        if occupied and not replace:
            raise BackupError(
                "the database is not empty (" + ", ".join(occupied) + "); restore with --replace"
            )
        _empty(models)
        load_rows(dump)


def _empty(models: list[type[Model]]) -> None:
    """Every row of ``models`` gone, children first, in one statement per table (the org units
    refer to each other, which a row-by-row delete would refuse). Rendered reports are not in a
    snapshot (the worker renders them again from the restored values), but their rows go too."""
    quote = connection.ops.quote_name
    dependent = [
        apps.get_model("admin", "LogEntry"),
        apps.get_model("sessions", "Session"),
        apps.get_model("dashboard", "ReportFile"),
    ]
    with connection.cursor() as cursor:
        for model in [*dependent, *reversed(models)]:
            for field in model._meta.local_many_to_many:
                through: Any = field.remote_field.through
                cursor.execute(f"DELETE FROM {quote(through._meta.db_table)}")
            cursor.execute(f"DELETE FROM {quote(model._meta.db_table)}")


def dump_rows() -> bytes:
    """Every row of the snapshot's models as Django's JSON serialisation (in the caller's
    transaction)."""
    rows: list[Any] = []
    for model in _models():
        rows.extend(model._default_manager.order_by("pk"))
    text: str = serializers.serialize("json", rows)
    return text.encode("utf-8")


def load_rows(dump: bytes) -> None:
    """Insert the rows of a dump, model by model in bulk, and move the id sequences past them."""
    items = list(serializers.deserialize("json", dump))
    models = _models()
    for model in models:
        objects = [item.object for item in items if type(item.object) is model]
        model._default_manager.bulk_create(objects, batch_size=500)
    for item in items:
        for field, values in (item.m2m_data or {}).items():
            getattr(item.object, field).set(values)
    statements = connection.ops.sequence_reset_sql(no_style(), models)
    with connection.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement)


def _place_batches(extracted: Path, batches: Path, replace: bool) -> None:
    if not extracted.is_dir():
        return
    for dataset in sorted(extracted.iterdir()):
        for folder in sorted(dataset.iterdir()):
            target = batches / dataset.name / folder.name
            if target.exists():
                if not replace:
                    continue
                shutil.rmtree(target)
            target.parent.mkdir(parents=True, exist_ok=True)
            folder.rename(target)
