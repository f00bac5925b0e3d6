"""The deployment's storage as one object: every store, the folder of batch files, and the
transaction that makes several stores' writes one change.

``yardstick.web.storage.DjangoStorage`` is the implementation over the database; the core asks
for a :class:`Storage` and never imports Django.
"""

from __future__ import annotations

from contextlib import AbstractContextManager
from pathlib import Path
from typing import Protocol

from yardstick.datasets.registry import BatchRegistry
from yardstick.metrics.elements import ElementStore
from yardstick.metrics.store import ResultStore
from yardstick.state.accounts import Actor, Assignment
from yardstick.state.audit import AuditLog
from yardstick.state.jobs import JobQueue
from yardstick.state.plans import OrgUnitStore, PlanStore


class Accounts(Protocol):
    """People's accounts and role assignments."""

    def actor(self, username: str) -> Actor:
        """The active account with its role assignments; UnknownAccount if there is none."""
        ...

    def create(self, username: str, password: str, created_by: str, email: str = "") -> None: ...

    def grant(self, username: str, assignment: Assignment, granted_by: str) -> bool: ...


class Storage(Protocol):
    @property
    def data_dir(self) -> Path:
        """The storage folder of the batches' files."""
        ...

    @property
    def audit(self) -> AuditLog: ...

    @property
    def jobs(self) -> JobQueue: ...

    @property
    def plans(self) -> PlanStore: ...

    @property
    def org_units(self) -> OrgUnitStore: ...

    @property
    def registry(self) -> BatchRegistry: ...

    @property
    def accounts(self) -> Accounts: ...

    def elements(self, plan: str) -> ElementStore: ...

    def results(self, plan: str) -> ResultStore: ...

    def atomic(self) -> AbstractContextManager[None]:
        """One transaction around several stores' writes (nested calls join it)."""
        ...
