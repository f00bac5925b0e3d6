"""One contract suite for every storage interface: run against the in-memory fakes and against
the database (SQLite by default; PostgreSQL when the suite runs with ``DATABASE_URL`` set to it)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest

from tests import fakes


@dataclass
class Stores:
    kind: str
    audit: Any
    jobs: Any
    plans: Any
    org_units: Any


@pytest.fixture(
    params=["memory", pytest.param("database", marks=pytest.mark.django_db(transaction=True))]
)
def stores(request: pytest.FixtureRequest) -> Stores:
    if request.param == "memory":
        audit = fakes.MemoryAuditLog()
        return Stores(
            "memory",
            audit,
            fakes.MemoryJobQueue(),
            fakes.MemoryPlanStore(audit),
            fakes.MemoryOrgUnitStore(audit),
        )
    from yardstick.web.audit.stores import OrmAuditLog
    from yardstick.web.jobs.stores import OrmJobQueue
    from yardstick.web.orgunits.stores import OrmOrgUnitStore
    from yardstick.web.plans.stores import OrmPlanStore

    audit = OrmAuditLog()
    return Stores("database", audit, OrmJobQueue(), OrmPlanStore(audit), OrmOrgUnitStore(audit))
