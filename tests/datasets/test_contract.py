"""Data contracts: loading, and the faults a contract file can have (file + field + what)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.datasets.conftest import MOJ_DATASETS, SMALL_CONTRACT
from yardstick.datasets import (
    ColumnType,
    Contract,
    DataElement,
    load_contract,
    load_contracts,
    load_dataset_contract,
)
from yardstick.datasets.errors import ContractError


def _write(tmp_path: Path, text: str, name: str = "cases") -> Path:
    path = tmp_path / f"{name}.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_it_loads_a_contract_with_types_keys_and_rules(contract_folder: Path) -> None:
    contract = load_contract(contract_folder / "cases.yaml")
    assert isinstance(contract, Contract)
    assert contract.column("closed_on").type is ColumnType.DATE
    assert contract.column("closed_on").nullable
    assert contract.key == ["case_id"]
    assert contract.rules[0].expression == "paid_amount <= referred_amount"
    assert contract.column_names[:2] == ["case_id", "branch"]


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (
            ("version: 1", "version: 1\nowner: someone"),
            "cases.yaml: owner: Extra inputs are not permitted",
        ),
        (
            (
                "type: decimal, minimum: 0, doc_zh: 移送金額",
                "type: money, minimum: 0, doc_zh: 移送金額",
            ),
            "cases.yaml: columns.4.type: Input should be 'string', 'integer'",
        ),
        (("key: [case_id]", "key: [case_no]"), "key names 'case_no', which is not a column"),
        (
            ("period_column: closed_on", "period_column: branch"),
            "period_column 'branch' must be a date or timestamp",
        ),
        (
            ("org_unit_column: branch", "org_unit_column: referred_amount"),
            "org_unit_column 'referred_amount' must be a string",
        ),
        (
            ("{name: branch, type: string,", "{name: branch, type: date, allowed_values: [a],"),
            "columns.1: allowed_values needs a string or integer column, not date",
        ),
        (
            ("{name: received_on, type: date,", "{name: received_on, type: date, minimum: 5,"),
            "columns.2: bound 5 does not fit a date column",
        ),
        (("name: cases", "name: Cases"), "name: String should match pattern"),
        (
            ("allowed_values: [完全繳清, 部分繳清, 發憑證]", "allowed_values: [完全繳清, 01]"),
            "columns.6: allowed value 1 is not a string; quote text in YAML",
        ),
        (
            (
                "allowed_values: [完全繳清, 部分繳清, 發憑證]",
                "allowed_values: [完全繳清, ' 部分繳清']",
            ),
            "columns.6: allowed value ' 部分繳清' has spaces around it or is empty",
        ),
        (
            ("paid_amount <= referred_amount", "paid_amount <= refered_amount"),
            "rule 'paid_within_referred': unknown column 'refered_amount' (at column 16)",
        ),
        (("  - {name: branch,", "  - {name: case_id,"), "columns named more than once: case_id"),
    ],
)
def test_it_names_the_file_and_field_of_a_fault(
    tmp_path: Path, change: tuple[str, str], expected: str
) -> None:
    old, new = change
    assert old in SMALL_CONTRACT
    path = _write(tmp_path, SMALL_CONTRACT.replace(old, new, 1))
    with pytest.raises(ContractError) as raised:
        load_contract(path)
    assert str(path) in str(raised.value)
    assert expected in str(raised.value)


def test_it_rejects_a_rule_with_a_function_naming_its_position(tmp_path: Path) -> None:
    text = SMALL_CONTRACT.replace(
        "expression: paid_amount <= referred_amount",
        "expression: paid_amount <= abs(referred_amount)",
    )
    with pytest.raises(
        ContractError,
        match=r"rules.0.expression: rule 'paid_within_referred': the function ABS is not allowed .*column 16",
    ):
        load_contract(_write(tmp_path, text))


def test_it_reports_the_line_of_broken_yaml(tmp_path: Path) -> None:
    path = _write(tmp_path, "name: cases\ncolumns: [\n")
    with pytest.raises(ContractError, match=r"cases.yaml: line 3: not valid YAML"):
        load_contract(path)


def test_it_requires_the_name_to_match_the_file(tmp_path: Path) -> None:
    path = _write(tmp_path, SMALL_CONTRACT, name="other")
    with pytest.raises(ContractError, match="name 'cases' must match the file name 'other'"):
        load_contract(path)


def test_a_data_element_has_a_unit_range_and_rising_milestones(tmp_path: Path) -> None:
    text = """\
kind: data_element
name: progress
title_zh: 進度
title_en: Progress
description: milestones
version: 1
unit: "%"
minimum: 0
maximum: 100
org_unit: MOJ.AAC
milestones:
  - {percent: 95, title_zh: 二, title_en: two}
  - {percent: 90, title_zh: 一, title_en: one}
"""
    with pytest.raises(ContractError, match="milestones must be listed in rising order"):
        load_contract(_write(tmp_path, text, "progress"))
    fixed = text.replace("percent: 95", "percent: 85")
    element = load_contract(_write(tmp_path, fixed, "progress"))
    assert isinstance(element, DataElement)
    assert element.unit == "%" and [m.percent for m in element.milestones] == [85, 90]
    assert element.accepted_values == [0, 85, 90]


def test_a_data_element_names_the_unit_that_enters_it(tmp_path: Path) -> None:
    text = """\
kind: data_element
name: survey
title_zh: 調查
title_en: Survey
description: a survey
version: 1
unit: "%"
minimum: 0
maximum: 100
"""
    with pytest.raises(ContractError, match="org_unit"):
        load_contract(_write(tmp_path, text, "survey"))
    element = load_contract(_write(tmp_path, text + "org_unit: MOJ\n", "survey"))
    assert isinstance(element, DataElement) and element.org_unit == "MOJ"
    assert element.accepted_values is None


def test_asking_for_an_unknown_dataset_suggests_the_nearest(contract_folder: Path) -> None:
    with pytest.raises(ContractError, match="no dataset contract 'case' .*did you mean 'cases'"):
        load_dataset_contract(contract_folder, "case")


def test_every_moj_contract_loads_and_documents_every_column_in_both_languages() -> None:
    contracts = load_contracts(MOJ_DATASETS)
    datasets = [c for c in contracts.values() if isinstance(c, Contract)]
    assert len(datasets) >= 12
    for contract in datasets:
        for column in contract.columns:
            assert column.doc_zh.strip() and column.doc_en.strip(), (contract.name, column.name)
            assert any("\u4e00" <= char <= "\u9fff" for char in column.doc_zh), column.name


def test_the_moj_contracts_serve_all_sixteen_kpis_of_the_plan() -> None:
    served = {kpi for contract in load_contracts(MOJ_DATASETS).values() for kpi in contract.kpis}
    expected = {"1-1", "1-2", "1-3", "2-1", "2-2", "3-1", "3-2", "3-3", "4-1", "5-1", "5-2"}
    expected |= {"6-1", "7-1", "8-1", "9-1", "9-2"}
    assert served == expected


def test_the_manual_kpis_are_data_elements() -> None:
    contracts = load_contracts(MOJ_DATASETS)
    manual = {kpi for c in contracts.values() if isinstance(c, DataElement) for kpi in c.kpis}
    assert manual == {"3-1", "6-1", "7-1"}
    assert contracts["integrity_evaluation_progress"].milestones[-1].percent == 100  # type: ignore[union-attr]
