"""Differences between two plans, field by field (for reviewing a re-import)."""

from __future__ import annotations

from typing import Any

from yardstick.plan.model import Plan


def plan_differences(old: Plan, new: Plan) -> list[tuple[str, Any, Any]]:
    """``(path, old value, new value)`` for every field that differs, in document order."""
    return _compare("", old.model_dump(mode="json"), new.model_dump(mode="json"))


def _compare(path: str, old: Any, new: Any) -> list[tuple[str, Any, Any]]:
    if isinstance(old, dict) and isinstance(new, dict):
        keys = list(dict.fromkeys([*old, *new]))
        return [
            d
            for key in keys
            for d in _compare(f"{path}.{key}".lstrip("."), old.get(key), new.get(key))
        ]
    if isinstance(old, list) and isinstance(new, list):
        found = [
            d
            for i, (a, b) in enumerate(zip(old, new, strict=False))
            for d in _compare(f"{path}[{i}]", a, b)
        ]
        found += [
            (f"{path}[{i}]", old[i] if i < len(old) else None, new[i] if i < len(new) else None)
            for i in range(min(len(old), len(new)), max(len(old), len(new)))
        ]
        return found
    return [] if old == new else [(path, old, new)]
