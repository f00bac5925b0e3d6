"""plan.yaml: the canonical, human-edited form of a plan.

Chinese text is written as is (not escaped), keys keep the model's order, long texts are written
as readable block scalars, and numbers that are whole print without ``.0``. Loading validates
everything and reports the field path of any fault.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from yardstick.plan.errors import PlanFileError
from yardstick.plan.model import Plan
from yardstick.yamlfile import parse_yaml

_HEADER = "# A medium-term plan (中程施政計畫) for yardstick. Edit with care; `yardstick plan show` checks it.\n"


class _PlanDumper(yaml.SafeDumper):
    """Block style for multi-line text; everything else plain."""


def _represent_str(dumper: yaml.SafeDumper, text: str) -> yaml.ScalarNode:
    style = "|" if "\n" in text else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", text, style=style)


def _represent_float(dumper: yaml.SafeDumper, value: float) -> yaml.ScalarNode:
    if value.is_integer():
        return dumper.represent_int(int(value))
    return dumper.represent_float(value)


_PlanDumper.add_representer(str, _represent_str)
_PlanDumper.add_representer(float, _represent_float)


def dump_plan(plan: Plan) -> str:
    """The plan as YAML text."""
    data = plan.model_dump(mode="json")
    for heading in data["outline"]:
        _drop_empty_items(heading)
    body = yaml.dump(data, Dumper=_PlanDumper, allow_unicode=True, sort_keys=False, width=4096)
    return _HEADER + body


def _drop_empty_items(item: dict[str, Any]) -> None:
    """Leaf outline items print without ``items: []``."""
    for child in item["items"]:
        _drop_empty_items(child)
    if not item["items"]:
        del item["items"]


def load_plan_text(text: str, source: str = "plan.yaml") -> Plan:
    """Parse plan YAML text; errors name the source and the field (or the YAML line)."""
    data = parse_yaml(text, source, PlanFileError)
    if not isinstance(data, dict):
        raise PlanFileError(
            f"{source}: expected a mapping of plan fields, found {type(data).__name__}"
        )
    try:
        return Plan.model_validate(data)
    except ValidationError as error:
        first = error.errors()[0]
        where = ".".join(str(part) for part in first["loc"]) or "(plan)"
        more = f" (and {error.error_count() - 1} more)" if error.error_count() > 1 else ""
        raise PlanFileError(f"{source}: {where}: {first['msg']}{more}") from None


def load_plan(path: Path) -> Plan:
    """Read plan.yaml."""
    text = read_yaml_text(path)
    return load_plan_text(text, source=str(path))


def read_yaml_text(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise PlanFileError(f"{path}: no such file") from None
    except UnicodeDecodeError:
        raise PlanFileError(f"{path}: not UTF-8 text") from None


def save_plan(plan: Plan, path: Path) -> None:
    """Write plan.yaml atomically (temp file + rename); a failed write leaves no temp file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f".{path.name}.tmp")
    try:
        temporary.write_text(dump_plan(plan), encoding="utf-8")
        temporary.replace(path)
    finally:
        temporary.unlink(missing_ok=True)
