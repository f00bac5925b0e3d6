"""Plan versions: a folder loaded, dumped back and loaded again changes nothing; edits are versions."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

from tests.deployment import MOJ_FOLDER, run


def test_a_dumped_version_diffs_empty_and_loads_back_unchanged(
    deployment: Any, tmp_path: Path
) -> None:
    dumped = tmp_path / "dump"
    assert run("plan", "dump", str(dumped)).exit_code == 0
    diff = run("plan", "diff", str(MOJ_FOLDER / "plan.yaml"), str(dumped / "plan.yaml"))
    assert diff.exit_code == 0 and "the plans are the same" in diff.output
    for name in ("metrics/8-1.yaml", "datasets/enforcement_cases.yaml"):
        assert (dumped / name).read_text("utf-8") == (MOJ_FOLDER / name).read_text("utf-8")
    again = run("plan", "load", str(dumped), "--code", "moj-106-109")
    assert again.exit_code == 0 and "version 1 (unchanged" in again.output


def test_a_changed_folder_is_a_new_version_and_the_old_one_stays(
    deployment: Any, tmp_path: Path
) -> None:
    folder = tmp_path / "moj-106-109"
    shutil.copytree(MOJ_FOLDER, folder)
    definition = folder / "metrics" / "8-1.yaml"
    definition.write_text(
        definition.read_text("utf-8").replace("version: 2", "version: 3"), "utf-8"
    )
    loaded = run("plan", "load", str(folder), "--reason", "8-1 definition revised")
    assert loaded.exit_code == 0 and "version 2 (stored" in loaded.output
    versions = deployment.plans.versions("moj-106-109")
    assert [v.number for v in versions] == [1, 2]
    assert versions[0].bundle.definitions["8-1"].version == 2
    assert versions[1].bundle.definitions["8-1"].version == 3
    assert versions[1].reason == "8-1 definition revised" and versions[1].author == "planner"


def test_a_broken_definition_is_refused_at_load_and_nothing_is_stored(
    deployment: Any, tmp_path: Path
) -> None:
    folder = tmp_path / "moj-106-109"
    shutil.copytree(MOJ_FOLDER, folder)
    (folder / "metrics" / "8-1.yaml").write_text("kpi: 8-1\nkind: ratio\n", "utf-8")
    refused = run("plan", "load", str(folder))
    assert refused.exit_code == 2 and "8-1.yaml" in refused.error
    assert [v.number for v in deployment.plans.versions("moj-106-109")] == [1]


def test_a_target_edit_is_audited_and_refused_to_a_reviewer(deployment: Any) -> None:
    denied = run(
        "plan", "target", "8-1", "--year", "109", "--target", "30%", "--reason", "x", as_="reviewer"
    )
    assert denied.exit_code == 2 and "reviewer may not edit the targets" in denied.error
    edited = run(
        "plan", "target", "8-1", "--year", "109", "--target", "27%以上", "--reason", "raised"
    )
    assert edited.exit_code == 0
    [entry] = deployment.audit.entries("target", "moj-106-109/8-1/109")
    assert (entry.actor, entry.old["text"], entry.new["text"], entry.reason) == (
        "planner",
        "26%",
        "27%以上",
        "raised",
    )
