"""Fixtures of the datasets tests: the MOJ contracts and org units, and a small contract."""

from __future__ import annotations

from pathlib import Path

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
