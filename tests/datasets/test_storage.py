"""The data root: where it is, work folders, and leftovers of killed ingests."""

from __future__ import annotations

import fcntl
import os
from pathlib import Path

import pytest

from yardstick.datasets.errors import IngestError
from yardstick.datasets.storage import DEFAULT_DATA_DIR, DataRoot, publish_folder, resolve_data_dir


def test_the_data_dir_comes_from_the_option_then_the_environment_then_the_default(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.delenv("YARDSTICK_DATA_DIR", raising=False)
    assert resolve_data_dir() == DEFAULT_DATA_DIR == Path("var/data")
    monkeypatch.setenv("YARDSTICK_DATA_DIR", str(tmp_path / "env"))
    assert resolve_data_dir() == tmp_path / "env"
    assert resolve_data_dir(tmp_path / "option") == tmp_path / "option"
    monkeypatch.setenv("YARDSTICK_DATA_DIR", " ")
    with pytest.raises(IngestError, match="YARDSTICK_DATA_DIR is set but empty"):
        resolve_data_dir()


def test_a_work_folder_is_removed_when_done(tmp_path: Path) -> None:
    root = DataRoot(tmp_path)
    with root.work_folder() as work:
        (work / "x").write_text("x")
        assert work.parent == root.tmp
    assert list(root.tmp.iterdir()) == []


def test_only_work_folders_whose_lock_is_free_are_stale(tmp_path: Path) -> None:
    root = DataRoot(tmp_path)
    (root.tmp / "dead").mkdir()
    (root.tmp / "dead.lock").touch()
    (root.tmp / "alive").mkdir()
    with (root.tmp / "alive.lock").open("w") as held:
        fcntl.flock(held, fcntl.LOCK_EX)
        assert root.remove_stale_work() == [root.tmp / "dead"]
        assert root.remove_stale_work() == []
    assert sorted(p.name for p in root.tmp.iterdir()) == ["alive", "alive.lock"]


def test_a_young_lock_file_without_a_folder_is_left_alone(tmp_path: Path) -> None:
    root = DataRoot(tmp_path)
    lock = root.tmp / "starting.lock"
    lock.touch()
    root.remove_stale_work()
    assert lock.exists()
    old = lock.stat().st_mtime - 3600
    os.utime(lock, (old, old))
    root.remove_stale_work()
    assert not lock.exists()


def test_publishing_moves_the_whole_folder_at_once(tmp_path: Path) -> None:
    source = tmp_path / "work" / "batch"
    source.mkdir(parents=True)
    (source / "data.parquet").write_bytes(b"x")
    target = tmp_path / "batches" / "cases" / "b1"
    publish_folder(source, target)
    assert not source.exists() and (target / "data.parquet").read_bytes() == b"x"


def test_an_unusable_data_dir_is_a_user_error(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    with pytest.raises(IngestError, match="cannot use the data folder"):
        DataRoot(blocker / "data")
