"""The data root (資料目錄): where batches, refused reports, the registry and work files live.

::

    var/data/                      (default; --data-dir or YARDSTICK_DATA_DIR)
      registry.sqlite              the batch registry (SQLite, WAL)
      batches/<dataset>/<id>/      data.parquet, quarantine.csv, manifest.json of a batch
      refused/<dataset>/<id>/      quarantine.csv, manifest.json of a batch refused by --strict
      tmp/<work>/ + <work>.lock    work folders of running ingests

An ingest works in ``tmp/<work>/`` while holding an exclusive lock on ``tmp/<work>.lock``; the
batch becomes visible only when its folder is renamed into ``batches/`` and registered. A work
folder whose lock nobody holds belongs to a killed ingest and is removed by the next one.
"""

from __future__ import annotations

import fcntl
import os
import shutil
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from yardstick.datasets.errors import IngestError

ENV_DATA_DIR = "YARDSTICK_DATA_DIR"
DEFAULT_DATA_DIR = Path("var/data")
_STALE_AFTER_SECONDS = 60.0


def resolve_data_dir(explicit: Path | None = None) -> Path:
    """``explicit``, else ``$YARDSTICK_DATA_DIR``, else ``var/data``; an empty variable is an error."""
    if explicit is not None:
        return explicit
    value = os.environ.get(ENV_DATA_DIR)
    if value is None:
        return DEFAULT_DATA_DIR
    if not value.strip():
        raise IngestError(f"{ENV_DATA_DIR} is set but empty; unset it or name a folder")
    return Path(value)


class DataRoot:
    """The folders under a data root, created on first use."""

    def __init__(self, path: Path) -> None:
        self.path = path
        try:
            for folder in (self.batches, self.refused, self.tmp):
                folder.mkdir(parents=True, exist_ok=True)
        except OSError as error:
            raise IngestError(f"cannot use the data folder {path}: {error.strerror}") from None

    @property
    def registry(self) -> Path:
        """The registry database file."""
        return self.path / "registry.sqlite"

    @property
    def batches(self) -> Path:
        """Where registered batches live, one folder per dataset."""
        return self.path / "batches"

    @property
    def refused(self) -> Path:
        """Where the reports of refused (``--strict``) batches live."""
        return self.path / "refused"

    @property
    def tmp(self) -> Path:
        """Work folders of running ingests."""
        return self.path / "tmp"

    def batch_folder(self, dataset: str, batch_id: str) -> Path:
        """The folder of a registered batch."""
        return self.batches / dataset / batch_id

    @contextmanager
    def work_folder(self) -> Iterator[Path]:
        """A fresh work folder, locked while in use and removed afterwards."""
        name = uuid.uuid4().hex
        lock_path = self.tmp / f"{name}.lock"
        with lock_path.open("w") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            folder = self.tmp / name
            folder.mkdir()
            try:
                yield folder
            finally:
                shutil.rmtree(folder, ignore_errors=True)
                lock_path.unlink(missing_ok=True)

    def remove_stale_work(self, min_age: float = _STALE_AFTER_SECONDS) -> list[Path]:
        """Remove work folders of ingests that are no longer running; the folders removed.

        A folder is stale when nobody holds its lock (its ingest was killed). A lock file with no
        folder is removed only once older than ``min_age`` seconds, as a new ingest creates its
        lock file a moment before it takes the lock.
        """
        removed = []
        now = time.time()
        for entry in sorted(self.tmp.iterdir()):
            if entry.suffix == ".lock" or not entry.exists():
                young = entry.exists() and now - entry.stat().st_mtime < min_age
                if not young and not entry.with_suffix("").exists() and _unlocked(entry):
                    entry.unlink(missing_ok=True)
                continue
            if _unlocked(self.tmp / f"{entry.name}.lock"):
                shutil.rmtree(entry, ignore_errors=True)
                (self.tmp / f"{entry.name}.lock").unlink(missing_ok=True)
                removed.append(entry)
        return removed


def _unlocked(lock_path: Path) -> bool:
    """True when no running process holds the lock (or there is no lock file at all)."""
    try:
        with lock_path.open("r") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
            return True
    except FileNotFoundError:
        return True
    except BlockingIOError:
        return False


def publish_folder(source: Path, target: Path) -> None:
    """Move a finished folder into place with one rename, and make the rename durable."""
    target.parent.mkdir(parents=True, exist_ok=True)
    for file in source.iterdir():
        _fsync(file)
    os.rename(source, target)
    _fsync(target.parent)


def _fsync(path: Path) -> None:
    descriptor = os.open(path, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)
