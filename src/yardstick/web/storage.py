"""The deployment's storage over the Django ORM: every store on one database connection, so
``atomic()`` makes the writes of several stores one transaction."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from django.conf import settings
from django.db import transaction

from yardstick.web.accounts.stores import OrmAccounts
from yardstick.web.audit.stores import OrmAuditLog
from yardstick.web.datasets.stores import OrmBatchRegistry
from yardstick.web.jobs.stores import OrmJobQueue
from yardstick.web.orgunits.stores import OrmOrgUnitStore
from yardstick.web.plans.stores import OrmPlanStore
from yardstick.web.values.stores import OrmElementStore, OrmResultStore


class DjangoStorage:
    """All stores of a deployment, on the database Django is configured with."""

    def __init__(self, data_dir: Path | None = None) -> None:
        self.data_dir = Path(data_dir or settings.YARDSTICK_DATA_DIR)
        self.audit = OrmAuditLog()
        self.jobs = OrmJobQueue()
        self.plans = OrmPlanStore(self.audit)
        self.org_units = OrmOrgUnitStore(self.audit)
        self.accounts = OrmAccounts(self.audit)
        self.registry = OrmBatchRegistry(self.data_dir, self.audit)

    def elements(self, plan: str) -> OrmElementStore:
        return OrmElementStore(plan, self.audit)

    def results(self, plan: str) -> OrmResultStore:
        return OrmResultStore(plan)

    @contextmanager
    def atomic(self) -> Iterator[None]:
        with transaction.atomic():
            yield
