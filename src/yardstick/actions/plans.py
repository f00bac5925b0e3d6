"""Plan changes: load a plan folder as a new version, import a published document, dump a
version back, edit a target.

A plan folder (``plans/<plan>/``) is the interchange form; the database holds the versions. A
load never overwrites: it stores a new version (or nothing, when the content is the same), so
what people changed on the site stays in the history and a second ``make demo`` keeps it.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

import yaml

from yardstick.datasets.orgunits import OrgUnits, load_org_units
from yardstick.errors import YardstickError
from yardstick.metrics.bundle import ORG_UNITS_FILE, PLAN_FILE, PlanBundle
from yardstick.metrics.catalog import sound_definitions
from yardstick.plan.model import KPI, DirectionSource, Plan, Target
from yardstick.plan.review import DroppedReview, keep_reviews, unreviewed_directions
from yardstick.plan.targets import TargetTextError, parse_target_text
from yardstick.plan.yamlio import dump_plan
from yardstick.state.accounts import EDIT_PLAN, Actor
from yardstick.state.plans import PlanVersion, UnknownPlan
from yardstick.state.storage import Storage


class PlanEditError(YardstickError):
    """A plan change that cannot be made as asked (unknown KPI, a target text that does not read)."""


def load_plan_folder(
    storage: Storage,
    actor: Actor,
    folder: Path,
    *,
    code: str | None = None,
    reason: str = "loaded from a plan folder",
    document: str | None = None,
    only_if_absent: bool = False,
) -> tuple[PlanVersion, bool]:
    """Store the folder as the plan's next version; merge its org units into the deployment's.

    Returns the version and whether anything was stored. With ``only_if_absent`` a plan already
    stored is left as it is (its current version is returned).
    """
    code = code or folder.resolve().name
    actor.require(EDIT_PLAN, code, None, f"load plan {code}")
    bundle = PlanBundle.read_folder(folder, document)
    units_file = folder / ORG_UNITS_FILE
    units = list(load_org_units(units_file)) if units_file.exists() else []
    with storage.atomic():
        if only_if_absent and any(p.code == code for p in storage.plans.plans()):
            return storage.plans.current(code), False
        changed = storage.org_units.merge(units, actor.username, f"{reason} ({code})")
        before = _current_number(storage, code)
        version = storage.plans.save(code, bundle, actor.username, reason)
    return version, bool(changed) or version.number != before


@dataclass(frozen=True)
class ImportedPlan:
    """What an import stored: the version, whether it is new, and what people must review."""

    version: PlanVersion
    stored: bool
    guessed: list[tuple[KPI, Target]]
    """Targets whose direction the wording does not state (the default, or the name's guess)."""
    dropped_reviews: list[DroppedReview]
    """Reviewed directions of the previous version that no longer apply."""


def import_plan_document(
    storage: Storage,
    actor: Actor,
    code: str,
    plan: Plan,
    document: str,
    *,
    reason: str = "imported from its published document",
) -> ImportedPlan:
    """Store a plan parsed from its published document as the plan's next version.

    A new plan has no metric definitions or dataset contracts yet (its KPIs show as not yet
    defined). A plan already stored keeps its definitions, contracts and reviewed directions
    (where the target text is unchanged); definitions that no longer fit the plan refuse the
    import. The version and an ``plan.imported`` audit entry are one transaction.
    """
    actor.require(EDIT_PLAN, code, None, f"import plan {code}")
    with storage.atomic():
        previous = _current_version(storage, code)
        bundle, dropped = _imported_bundle(plan, document, previous)
        version = storage.plans.save(code, bundle, actor.username, reason)
        stored = previous is None or version.number != previous.number
        guessed = unreviewed_directions(bundle.plan)
        if stored:
            storage.audit.record(
                actor.username,
                "plan.imported",
                "plan",
                code,
                plan=code,
                old={"version": previous.number} if previous else None,
                new={
                    "version": version.number,
                    "document_sha256": hashlib.sha256(document.encode("utf-8")).hexdigest(),
                    "kpis": len(bundle.plan.kpis),
                    "guessed_directions": [[kpi.code, t.year] for kpi, t in guessed],
                },
                reason=reason,
            )
    return ImportedPlan(version, stored, guessed, dropped)


def _imported_bundle(
    plan: Plan, document: str, previous: PlanVersion | None
) -> tuple[PlanBundle, list[DroppedReview]]:
    if previous is None:
        return PlanBundle(plan, {}, {}, {PLAN_FILE: dump_plan(plan)}, document), []
    old = previous.bundle
    reviewed, dropped = keep_reviews(plan, old.plan)
    definitions = sound_definitions(old.definitions, old.contracts, reviewed)
    files = {name: text for name, text in old.files.items() if name != PLAN_FILE}
    files[PLAN_FILE] = dump_plan(reviewed)
    return PlanBundle(reviewed, definitions, old.contracts, files, document), dropped


def _current_version(storage: Storage, code: str) -> PlanVersion | None:
    try:
        return storage.plans.current(code)
    except UnknownPlan:
        return None


def _current_number(storage: Storage, code: str) -> int | None:
    try:
        return storage.plans.current(code).number
    except UnknownPlan:
        return None


def dump_plan_folder(
    storage: Storage, code: str, folder: Path, version: int | None = None
) -> list[Path]:
    """Write a stored version (the current one by default) and the org units as a plan folder."""
    stored = (
        storage.plans.current(code) if version is None else storage.plans.version(code, version)
    )
    written = stored.bundle.write_folder(folder)
    units_file = folder / ORG_UNITS_FILE
    units_file.write_text(org_units_yaml(storage.org_units.org_units()), encoding="utf-8")
    return [*written, units_file]


def org_units_yaml(units: OrgUnits) -> str:
    """The units as ``orgunits.yaml`` (one flow mapping per unit, parents first)."""
    lines = ["# Org units (機關) of the deployment, written by `yardstick plan dump`.", "units:"]
    for unit in units:
        data = unit.model_dump(mode="json", exclude_none=True)
        ordered = {
            key: data[key]
            for key in ("code", "parent", "name_zh", "name_en", "kind")
            if key in data
        }
        text = yaml.safe_dump(ordered, allow_unicode=True, default_flow_style=True, width=4096)
        lines.append(f"- {text.strip()}")
    return "\n".join(lines) + "\n"


def edit_target(
    storage: Storage,
    actor: Actor,
    code: str,
    kpi: str,
    year: int,
    text: str,
    reason: str,
) -> PlanVersion:
    """Set a KPI's target for a year from its text as the plan would print it (``27%以上``).

    The direction comes from the wording as on import; a text without a direction word keeps
    the target's reviewed direction. The change is a new plan version with an audit entry.
    """
    actor.require(EDIT_PLAN, code, None, f"edit the targets of plan {code}")
    if not reason.strip():
        raise PlanEditError("a target change needs a reason")
    with storage.atomic():
        current = storage.plans.current(code)
        plan = current.bundle.plan
        old = _target(plan, kpi, year)
        new = _parsed_target(text, year, old)
        edited = _with_target(plan, kpi, new)
        version = storage.plans.save(code, current.bundle.with_plan(edited), actor.username, reason)
        storage.audit.record(
            actor.username,
            "plan.target_edited",
            "target",
            f"{code}/{kpi}/{year}",
            plan=code,
            old=old.model_dump(mode="json") if old else None,
            new=new.model_dump(mode="json"),
            reason=reason,
        )
    return version


def _target(plan: Plan, kpi: str, year: int) -> Target | None:
    try:
        return plan.kpi(kpi).target_for(year)
    except KeyError:
        known = ", ".join(k.code for k in plan.kpis)
        raise PlanEditError(f"no KPI {kpi!r} in the plan (KPIs: {known})") from None


def _parsed_target(text: str, year: int, old: Target | None) -> Target:
    try:
        parsed = parse_target_text(text.strip())
    except TargetTextError as error:
        raise PlanEditError(f"target {text!r}: {error}") from None
    if parsed.direction_source is DirectionSource.DEFAULT and old is not None:
        return Target(
            year=year,
            text=text.strip(),
            value=parsed.value,
            unit=parsed.unit,
            direction=old.direction,
            direction_source=old.direction_source,
            note=old.note,
        )
    return Target(
        year=year,
        text=text.strip(),
        value=parsed.value,
        unit=parsed.unit,
        direction=parsed.direction,
        direction_source=parsed.direction_source,
    )


def _with_target(plan: Plan, code: str, target: Target) -> Plan:
    kpis = []
    for kpi in plan.kpis:
        if kpi.code == code:
            others = [t for t in kpi.targets if t.year != target.year]
            kpi = kpi.model_copy(
                update={"targets": sorted([*others, target], key=lambda t: t.year)}
            )
        kpis.append(kpi)
    return plan.model_copy(update={"kpis": kpis})
