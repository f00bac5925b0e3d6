"""Org units (機關 / 所屬機關): the ministry and its agencies as a hierarchy with stable codes.

``orgunits.yaml`` lists every unit once, parent before child::

    units:
    - {code: MOJ, name_zh: 法務部, name_en: Ministry of Justice, kind: ministry}
    - {code: MOJ.AEA, parent: MOJ, name_zh: 法務部行政執行署, ...}

A code is its parent's code, a dot and one segment of capitals, digits or ``_``
(``MOJ.AEA.TPE``), so a code says where the unit sits. :class:`OrgUnits` answers ancestors,
descendants and the roll-up path of every unit (root … unit) along which values add up.
"""

from __future__ import annotations

from collections.abc import Iterator
from difflib import get_close_matches
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from yardstick.datasets.errors import OrgUnitError
from yardstick.yamlfile import read_yaml

CODE_PATTERN = r"^[A-Z][A-Z0-9_]*(\.[A-Z0-9][A-Z0-9_]*)*$"


class OrgUnitKind(StrEnum):
    """What sort of body an org unit is."""

    MINISTRY = "ministry"
    AGENCY = "agency"
    PROSECUTORS_OFFICE = "prosecutors_office"
    ENFORCEMENT_BRANCH = "enforcement_branch"
    CORRECTIONAL_FACILITY = "correctional_facility"


class OrgUnit(BaseModel):
    """One org unit (機關): its stable code, names, kind and parent."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    code: Annotated[str, Field(pattern=CODE_PATTERN)]
    name_zh: Annotated[str, Field(min_length=1)]
    name_en: Annotated[str, Field(min_length=1)]
    kind: OrgUnitKind
    parent: str | None = None


class _OrgUnitFile(BaseModel):
    model_config = ConfigDict(extra="forbid")

    units: Annotated[list[OrgUnit], Field(min_length=1)]


class OrgUnits:
    """The hierarchy of org units, built from a list where every parent comes first."""

    def __init__(self, units: list[OrgUnit]) -> None:
        self._units: dict[str, OrgUnit] = {}
        self._children: dict[str, list[str]] = {}
        for unit in units:
            self._add(unit)
        roots = [unit.code for unit in units if unit.parent is None]
        if len(roots) != 1:
            raise OrgUnitError(f"expected exactly one root org unit, found {roots or 'none'}")
        self.root = self._units[roots[0]]

    def _add(self, unit: OrgUnit) -> None:
        if unit.code in self._units:
            raise OrgUnitError(f"org unit {unit.code!r} is listed twice")
        if unit.parent is not None:
            if unit.parent not in self._units:
                raise OrgUnitError(
                    f"org unit {unit.code!r}: parent {unit.parent!r} is not listed before it"
                )
            if unit.code.rpartition(".")[0] != unit.parent:
                raise OrgUnitError(
                    f"org unit {unit.code!r}: its code must be its parent's code "
                    f"{unit.parent!r} and one more segment"
                )
            self._children[unit.parent].append(unit.code)
        self._units[unit.code] = unit
        self._children[unit.code] = []

    def __contains__(self, code: object) -> bool:
        return code in self._units

    def __iter__(self) -> Iterator[OrgUnit]:
        return iter(self._units.values())

    def __len__(self) -> int:
        return len(self._units)

    def get(self, code: str) -> OrgUnit:
        """The unit with this code; :class:`OrgUnitError` naming the nearest code if unknown."""
        unit = self._units.get(code)
        if unit is None:
            close = get_close_matches(code, list(self._units), n=1)
            hint = f"; did you mean {close[0]!r}?" if close else ""
            raise OrgUnitError(f"unknown org unit {code!r}{hint}")
        return unit

    def children(self, code: str) -> list[OrgUnit]:
        """The units directly under ``code``."""
        return [self._units[child] for child in self._children[self.get(code).code]]

    def ancestors(self, code: str) -> list[OrgUnit]:
        """The units above ``code``, nearest first (parent, grandparent, …, root)."""
        found: list[OrgUnit] = []
        parent = self.get(code).parent
        while parent is not None:
            unit = self._units[parent]
            found.append(unit)
            parent = unit.parent
        return found

    def descendants(self, code: str) -> list[OrgUnit]:
        """Every unit below ``code``, depth first, in file order."""
        found: list[OrgUnit] = []
        for child in self._children[self.get(code).code]:
            found.append(self._units[child])
            found.extend(self.descendants(child))
        return found

    def subtree_codes(self, code: str) -> list[str]:
        """``code`` itself and the codes of every unit below it."""
        return [code, *(unit.code for unit in self.descendants(code))]

    def path(self, code: str) -> tuple[str, ...]:
        """The roll-up path of ``code``: root first, ``code`` last (``MOJ``, ``MOJ.AEA``, …)."""
        return (*reversed([unit.code for unit in self.ancestors(code)]), self.get(code).code)

    def rollup(self) -> dict[str, tuple[str, ...]]:
        """Every unit → its roll-up path (itself and all its ancestors), for summing upwards."""
        return {code: self.path(code) for code in self._units}

    @property
    def depth(self) -> int:
        """The number of levels (the root alone is depth 1)."""
        return max(len(self.path(code)) for code in self._units)


def load_org_units(path: Path) -> OrgUnits:
    """Load ``orgunits.yaml``; faults name the file and the unit or field."""
    data: Any = read_yaml(path, OrgUnitError)
    try:
        parsed = _OrgUnitFile.model_validate(data)
    except ValidationError as error:
        first = error.errors()[0]
        where = ".".join(str(part) for part in first["loc"])
        raise OrgUnitError(f"{path}: {where}: {first['msg']}") from None
    try:
        return OrgUnits(parsed.units)
    except OrgUnitError as error:
        raise OrgUnitError(f"{path}: {error}") from None
