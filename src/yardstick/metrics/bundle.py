"""A plan bundle: a plan's whole content — plan.yaml, metric definitions, dataset contracts, and
the published document it was imported from — as one value that can be stored as a version.

The bundle keeps each file as written (comments and the 衡量標準 quoted in them included, so
``kpi explain`` and ``plan dump`` show what people wrote) and the parsed models. Its canonical
JSON (sorted keys, no insignificant whitespace) and that JSON's SHA-256 identify a version: the
same content always has the same hash. Org units are not part of a bundle: they belong to the
deployment, outliving any one plan.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from pydantic import TypeAdapter, ValidationError

from yardstick.datasets.contract import AnyContract, Contract, DataElement, load_contracts
from yardstick.errors import YardstickError
from yardstick.metrics.catalog import load_definitions
from yardstick.metrics.definition import MetricDefinition, definition_from_data
from yardstick.plan.model import Plan
from yardstick.plan.yamlio import dump_plan, load_plan, read_yaml_text

PLAN_FILE = "plan.yaml"
METRICS = "metrics"
DATASETS = "datasets"
ORG_UNITS_FILE = "orgunits.yaml"
_CONTRACT: TypeAdapter[Contract | DataElement] = TypeAdapter(AnyContract)


class BundleError(YardstickError):
    """A stored bundle that cannot be read back (it was written by an incompatible version)."""


@dataclass(frozen=True)
class PlanBundle:
    """Everything a plan consists of, except the deployment's org units."""

    plan: Plan
    definitions: dict[str, MetricDefinition]
    contracts: dict[str, Contract | DataElement]
    files: dict[str, str]
    """``plan.yaml``, ``metrics/<kpi>.yaml``, ``datasets/<name>.yaml`` as written."""
    document: str | None = None
    """The published document (中程施政計畫) the plan was imported from, when known."""

    @classmethod
    def read_folder(
        cls, folder: Path, document: str | None = None, definitions: bool = True
    ) -> PlanBundle:
        """A plan folder (``plans/<plan>/``); a plan without definitions or contracts yet is fine.
        ``definitions=False`` leaves the definitions out (to check them one by one instead)."""
        plan = load_plan(folder / PLAN_FILE)
        metrics, datasets = folder / METRICS, folder / DATASETS
        loaded = load_definitions(metrics) if definitions and metrics.is_dir() else {}
        contracts = load_contracts(datasets) if datasets.is_dir() else {}
        files = {PLAN_FILE: read_yaml_text(folder / PLAN_FILE)}
        for sub in (metrics, datasets):
            if sub.is_dir():
                for path in sorted(sub.glob("*.yaml")):
                    files[f"{sub.name}/{path.name}"] = read_yaml_text(path)
        return cls(plan, loaded, contracts, files, document)

    def write_folder(self, folder: Path) -> list[Path]:
        """Write the files back as they were stored (the org units are written by the caller)."""
        written = []
        for name, text in sorted(self.files.items()):
            path = folder / name
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
            written.append(path)
        return written

    def definition_text(self, kpi: str) -> str | None:
        return self.files.get(f"{METRICS}/{kpi}.yaml")

    def with_plan(self, plan: Plan) -> PlanBundle:
        """The same bundle with a changed plan (plan.yaml written anew)."""
        return replace(self, plan=plan, files={**self.files, PLAN_FILE: dump_plan(plan)})

    def to_json(self) -> dict[str, Any]:
        """The canonical content: parsed models as JSON plus the files as written."""
        return {
            "format": 1,
            "plan": self.plan.model_dump(mode="json"),
            "definitions": {k: d.model_dump(mode="json") for k, d in self.definitions.items()},
            "contracts": {k: c.model_dump(mode="json") for k, c in self.contracts.items()},
            "files": dict(sorted(self.files.items())),
            "document": self.document,
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> PlanBundle:
        if data.get("format") != 1:
            raise BundleError(f"unknown plan bundle format {data.get('format')!r}")
        try:
            plan = Plan.model_validate(data["plan"])
            definitions = {k: definition_from_data(v) for k, v in data["definitions"].items()}
            contracts = {k: _CONTRACT.validate_python(v) for k, v in data["contracts"].items()}
        except (ValidationError, KeyError) as error:
            raise BundleError(f"a stored plan version cannot be read: {error}") from None
        ordered = dict(sorted(definitions.items(), key=lambda item: _kpi_order(item[0])))
        return cls(plan, ordered, contracts, dict(data["files"]), data.get("document"))

    def sha256(self) -> str:
        return content_sha256(self.to_json())


def _kpi_order(code: str) -> tuple[int, ...]:
    return tuple(int(part) if part.isascii() and part.isdigit() else 0 for part in code.split("-"))


def canonical_json(data: Any) -> str:
    """JSON with sorted keys and no insignificant whitespace: equal content, equal text."""
    return json.dumps(data, sort_keys=True, ensure_ascii=False, separators=(",", ":"))


def content_sha256(data: Any) -> str:
    return hashlib.sha256(canonical_json(data).encode("utf-8")).hexdigest()
