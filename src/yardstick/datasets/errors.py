"""Errors of the datasets part: a contract that is wrong, a file that does not fit its contract."""

from __future__ import annotations

from typing import TYPE_CHECKING

from yardstick.errors import YardstickError

if TYPE_CHECKING:
    from yardstick.datasets.ingest import IngestResult


class ContractError(YardstickError):
    """A data contract (資料集契約) file that cannot be read or is not a valid contract."""


class RuleExpressionError(ContractError):
    """A cross-column rule whose expression uses something a rule may not use."""


class OrgUnitError(YardstickError):
    """An org-unit (機關) file that is wrong, or a code that is not in it."""


class IngestError(YardstickError):
    """A file that cannot be ingested: unreadable, wrong header, or refused by policy."""


class HeaderMismatchError(IngestError):
    """The file's header does not match the contract's columns (missing, extra, misspelled)."""


class StrictModeRefusal(IngestError):
    """``--strict``: the batch was refused because some rows broke the contract."""

    def __init__(self, message: str, result: IngestResult) -> None:
        super().__init__(message)
        self.result = result


class BatchError(YardstickError):
    """A batch that does not exist or cannot change state as asked."""


class KeyOverlapError(IngestError):
    """The file's keys are in active batches of its dataset: ingesting it would count those
    records twice (unless it replaces those batches)."""
