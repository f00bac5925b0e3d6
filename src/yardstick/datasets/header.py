"""Matching a file's header (標題列) to a contract's columns, before any row is read.

A heading matches a column by its name (``referred_amount``, any case) or by its Chinese label
(``移送金額``); columns may come in any order. Missing, extra and misspelled headings are all
reported at once, each with the nearest expected name.
"""

from __future__ import annotations

from difflib import get_close_matches

from yardstick.datasets.contract import Contract
from yardstick.datasets.errors import HeaderMismatchError


def _key(heading: str) -> str:
    return heading.strip().lstrip("\ufeff").casefold()


def match_header(contract: Contract, header: list[str]) -> list[int]:
    """For each contract column in order, the position of its heading in ``header``."""
    names = {_key(column.name): column.name for column in contract.columns}
    names |= {_key(c.label_zh): c.name for c in contract.columns if c.label_zh}
    positions: dict[str, int] = {}
    extra: list[str] = []
    repeated: list[str] = []
    for position, heading in enumerate(header):
        column = names.get(_key(heading))
        if column is None:
            extra.append(heading)
        elif column in positions:
            repeated.append(
                f"column {column} is in the header twice "
                f"(fields {positions[column] + 1} and {position + 1})"
            )
        else:
            positions[column] = position
    missing = [name for name in contract.column_names if name not in positions]
    if missing or extra or repeated:
        raise HeaderMismatchError(_describe(contract, missing, extra, repeated))
    return [positions[name] for name in contract.column_names]


def _shown(heading: str) -> str:
    """A heading as the message quotes it: whole if short, else its start."""
    return repr(heading if len(heading) <= _LONGEST_SHOWN else heading[:_LONGEST_SHOWN] + "…")


_LONGEST_SHOWN = 60
_MOST_LISTED = 10
"""Unexpected headings named one by one; a header of junk is summed up after these."""


def _describe(contract: Contract, missing: list[str], extra: list[str], repeated: list[str]) -> str:
    problems = list(repeated)
    candidates: dict[str, str] = {}
    for name in missing or contract.column_names:
        label = contract.column(name).label_zh
        candidates[_key(name)] = name
        if label:
            candidates[_key(label)] = label
    for heading in extra[:_MOST_LISTED]:
        close = get_close_matches(_key(heading)[:100], list(candidates), n=1, cutoff=0.6)
        hint = f" (did you mean {candidates[close[0]]!r}?)" if close else ""
        problems.append(f"unexpected column {_shown(heading)}{hint}")
    if len(extra) > _MOST_LISTED:
        problems.append(f"{len(extra) - _MOST_LISTED:,} more unexpected columns")
    if missing:
        problems.append(f"missing column{'s' if len(missing) > 1 else ''} {', '.join(missing)}")
    return f"the header does not match the contract {contract.name!r}: " + "; ".join(problems)
