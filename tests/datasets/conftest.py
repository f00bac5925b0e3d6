"""Fixtures of the datasets tests: the MOJ contracts and org units, and a small contract."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from tests.conftest import REPO

MOJ_DATASETS = REPO / "plans" / "moj-106-109" / "datasets"
MOJ_ORG_UNITS = REPO / "plans" / "moj-106-109" / "orgunits.yaml"

SMALL_CONTRACT = """\
name: cases
title_zh: 案件
title_en: Cases
description: A small contract for tests.
version: 1
key: [case_id]
period_column: closed_on
org_unit_column: branch
columns:
  - {name: case_id, type: string, label_zh: 案號, doc_zh: 案號, doc_en: case number}
  - {name: branch, type: string, doc_zh: 分署, doc_en: branch}
  - {name: received_on, type: date, doc_zh: 移送日, doc_en: received}
  - {name: closed_on, type: date, nullable: true, doc_zh: 終結日, doc_en: closed}
  - {name: referred_amount, type: decimal, minimum: 0, doc_zh: 移送金額, doc_en: referred}
  - {name: paid_amount, type: decimal, minimum: 0, doc_zh: 清償金額, doc_en: paid}
  - {name: closure, type: string, nullable: true, allowed_values: [完全繳清, 部分繳清, 發憑證],
     doc_zh: 終結情形, doc_en: closure}
rules:
  - name: paid_within_referred
    expression: paid_amount <= referred_amount
    message_zh: 清償金額大於移送金額
    message_en: paid exceeds referred
"""


@pytest.fixture
def contract_folder(tmp_path: Path) -> Path:
    """A folder holding the small ``cases`` contract."""
    folder = tmp_path / "contracts"
    folder.mkdir()
    (folder / "cases.yaml").write_text(SMALL_CONTRACT, encoding="utf-8")
    return folder


_ENFORCEMENT_CASES = """
SELECT 'C' || i AS case_id, 'MOJ.AEA.TPE' AS branch, '稅款' AS obligation_type,
       DATE '2017-01-01' + CAST(i % 300 AS INTEGER) AS received_on,
       DATE '2017-12-31' AS closed_on, 1000 AS referred_amount,
       CASE WHEN list_contains($bad, i) THEN 5000 ELSE 1000 END AS paid_amount,
       '完全繳清' AS closure
FROM range($rows) AS t(i)
"""


def write_enforcement_cases(path: Path, rows: int, bad: list[int], options: str = "") -> Path:
    """``rows`` enforcement cases C0, C1, …, those at the indexes ``bad`` paying more than was
    referred, written by DuckDB (CSV with a header, or Parquet when ``path`` ends in .parquet);
    ``options``: more COPY options, e.g. ``FORCE_QUOTE *``."""
    fmt = "FORMAT parquet" if path.suffix == ".parquet" else "FORMAT csv, HEADER"
    duckdb.execute(
        f"COPY ({_ENFORCEMENT_CASES}) TO $path ({fmt}{', ' + options if options else ''})",
        {"rows": rows, "bad": bad, "path": str(path)},
    )
    return path
