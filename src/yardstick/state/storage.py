"""The deployment's storage as one object: every store, the folder of batch files, and the
transaction that makes several stores' writes one change.

``yardstick.web.storage.DjangoStorage`` is the one implementation over a database; tests use the
in-memory fake (``tests/fakes.py``). The core asks for a :class:`Storage` and never imports Django.
"""

from __future__ import annotations

from contextlib import AbstractContextManager
from pathlib import Path
from typing import Protocol

from yardstick.datasets.registry import BatchRegistry
from yardstick.metrics.elements import ElementStore
from yardstick.metrics.store import ResultStore
from yardstick.state.audit import AuditLog
from yardstick.state.jobs import JobQueue
from yardstick.state.plans import OrgUnitStore, PlanStore


class Accounts(Protocol):
    def actor(self, username: str) -> object: ...


class Storage(Protocol):
    data_dir: Path
    audit: AuditLog
    jobs: JobQueue
    plans: PlanStore
    org_units: OrgUnitStore
    registry: BatchRegistry

    def elements(self, plan: str) -> ElementStore: ...

    def results(self, plan: str) -> ResultStore: ...

    def atomic(self) -> AbstractContextManager[None]:
        """One transaction around several stores' writes (nested calls join it)."""
        ...
