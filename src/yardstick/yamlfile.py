"""Reading the YAML files a plan folder holds, with faults that name the file and the line."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from yardstick.errors import YardstickError

_SAFE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
"""libyaml's safe loader when PyYAML has it (about ten times faster), else the pure-Python one."""

MAX_INTEGER_DIGITS = 100
"""No figure in a plan folder is longer; Python refuses to convert past 4,300 digits anyway."""


class _Loader(_SAFE_LOADER):  # type: ignore[misc, valid-type]
    """The safe loader, with integers too long to be figures refused at their line."""


def _bounded_integer(loader: Any, node: yaml.ScalarNode) -> Any:
    digits = sum(character.isdigit() for character in node.value)
    if digits > MAX_INTEGER_DIGITS:
        raise yaml.constructor.ConstructorError(
            None,
            None,
            f"an integer of {digits} digits (at most {MAX_INTEGER_DIGITS} are read)",
            node.start_mark,
        )
    return loader.construct_yaml_int(node)


_Loader.add_constructor("tag:yaml.org,2002:int", _bounded_integer)


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
    """Parse YAML text; bad YAML raises ``error`` naming the source and the line.

    PyYAML's constructors raise plain Python errors for some scalars they recognise but cannot
    build (a 5,000-digit integer, ``2020-13-45``, ``!!int abc``): those are bad YAML too.
    """
    try:
        return yaml.load(text, Loader=_Loader)  # noqa: S506 - a safe loader
    except yaml.reader.ReaderError as failure:
        line = text.count("\n", 0, failure.position) + 1
        raise error(f"{source}: line {line}: not valid YAML: {failure.reason}") from None
    except yaml.YAMLError as failure:
        mark = getattr(failure, "problem_mark", None)
        where = f" line {mark.line + 1}:" if mark is not None else ""
        problem = " ".join(str(getattr(failure, "problem", None) or failure).split())
        raise error(f"{source}:{where} not valid YAML: {problem}") from None
    except (ValueError, TypeError, AttributeError, RecursionError) as failure:
        reason = (
            str(failure).split(";")[0]
            if isinstance(failure, ValueError)
            else "a value of the wrong form for its tag"
        )
        raise error(f"{source}: not valid YAML: a value cannot be read ({reason})") from None
