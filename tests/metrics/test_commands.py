"""The ``kpi`` commands print what users wrote and what engines said as text, never as markup."""

from __future__ import annotations

import io

from rich.console import Console

from tests.conftest import REPO
from yardstick.cli.kpi import values_table
from yardstick.metrics.project import Project
from yardstick.metrics.results import KpiValue


def test_a_reason_or_unit_that_looks_like_markup_is_printed_as_it_is() -> None:
    project = Project.from_folder(REPO / "plans" / "moj-106-109", REPO / "var" / "unused")
    values = [
        KpiValue("8-1", 109, "MOJ", None, "%", 2, reason="Could not convert string '[/b]'"),
        KpiValue("4-1", 109, "MOJ", 50.5, "[/日]", 1),
    ]
    out = io.StringIO()
    Console(file=out, width=300).print(values_table(project, values, [109]))
    assert "Could not convert string '[/b]'" in out.getvalue()
    assert "50.5[/日]" in out.getvalue()
