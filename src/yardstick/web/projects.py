"""A stored plan opened as a :class:`~yardstick.metrics.project.Project` over the database.

A plan version never changes, so its parsed bundle is kept per process by its content hash;
each opening asks the database only which version is current (and its hash) and for the org units.
"""

from __future__ import annotations

from functools import lru_cache

from yardstick.metrics.bundle import PlanBundle
from yardstick.metrics.project import Project
from yardstick.state.plans import UnknownPlan
from yardstick.state.storage import Storage
from yardstick.web.plans.models import PlanVersion


def version_of(code: str, number: int | None = None) -> tuple[int, str]:
    """(number, SHA-256) of the plan's version (the current one by default); UnknownPlan if absent."""
    versions = PlanVersion.objects.filter(plan__code=code)
    if number is not None:
        versions = versions.filter(number=number)
    found = versions.order_by("-number").values_list("number", "sha256").first()
    if found is None:
        raise UnknownPlan(
            f"no plan {code!r}" + (f" version {number}" if number else "") + " is stored"
        )
    return int(found[0]), str(found[1])


@lru_cache(maxsize=32)
def _bundle(sha256: str) -> PlanBundle:
    content = PlanVersion.objects.filter(sha256=sha256).values_list("content", flat=True)[0]
    return PlanBundle.from_json(content)


def stored_bundle(code: str, number: int | None = None) -> tuple[int, str, PlanBundle]:
    """(number, SHA-256, bundle) of the plan's version (the current one by default), for pages
    that show the plan alone and need neither the org units nor the stores."""
    number, sha256 = version_of(code, number)
    return number, sha256, _bundle(sha256)


def open_project(storage: Storage, code: str, number: int | None = None) -> Project:
    """The plan's version (the current one by default) with the deployment's org units and stores."""
    _, _, bundle = stored_bundle(code, number)
    return Project(
        bundle,
        storage.org_units.org_units(),
        storage.registry,
        storage.elements(code),
        storage.results(code),
        code=code,
    )
