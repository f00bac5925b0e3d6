"""The command line on the deployment's database: the README's commands as a user runs them."""

from __future__ import annotations

from typing import Any

from tests.deployment import run


def test_kpi_compute_reads_the_stored_plan_and_values(demo_deployment: Any) -> None:
    result = run("kpi", "compute", "--year", "109")
    assert result.exit_code == 0, result.error
    assert "提升執行案件有效結案率" in result.output
    assert "recomputed 3 (KPI, year) on duckdb, reused 13" in result.output.replace(
        "\n", " "
    )  # manual KPIs always
