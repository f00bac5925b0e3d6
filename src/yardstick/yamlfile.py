"""Reading the YAML files a plan folder holds, with faults that name the file and the line."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from yardstick.errors import YardstickError

_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
"""libyaml's safe loader when PyYAML has it (about ten times faster), else the pure-Python one."""


def read_yaml(path: Path, error: type[YardstickError]) -> Any:
    """Parse a YAML file; unreadable files and bad YAML raise ``error`` naming the file and line."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise error(f"{path}: no such file") from None
    except UnicodeDecodeError:
        raise error(f"{path}: not UTF-8 text") from None
    except OSError as failure:
        raise error(f"{path}: cannot read: {failure.strerror}") from None
    return parse_yaml(text, str(path), error)


def parse_yaml(text: str, source: str, error: type[YardstickError]) -> Any:
    """Parse YAML text; bad YAML raises ``error`` naming the source and the line."""
    try:
        return yaml.load(text, Loader=_LOADER)  # noqa: S506 - a safe loader
    except yaml.YAMLError as failure:
        mark = getattr(failure, "problem_mark", None)
        where = f" line {mark.line + 1}:" if mark is not None else ""
        raise error(
            f"{source}:{where} not valid YAML: {getattr(failure, 'problem', failure)}"
        ) from None
