"""Values read from a plan document's cells: small whole numbers, and the plan objects built from them.

Both turn what a document gets wrong into a :class:`PlanDocumentError` naming the line, never an
exception of Python's or pydantic's: a number written in another script (``②``, ``²`` and ``٣``
pass ``str.isdigit`` or ``\\d``; ``int()`` refuses the first two and reads the third), a number
too long to be one (Python refuses to convert more than 4,300 digits), or a value the plan model
refuses (an ROC year outside 1–300). Full-width digits (``０``–``９``) are what Taiwanese office
software exports and are read as digits.
"""

from __future__ import annotations

import re
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from yardstick.calendar import normalize_digits
from yardstick.plan.errors import PlanDocumentError
from yardstick.plan.model import MAX_NUMBER

_WHOLE_NUMBER = re.compile(rf"[0-9]{{1,{len(str(MAX_NUMBER))}}}")

ModelT = TypeVar("ModelT", bound=BaseModel)


def whole_number(text: str, line: int, expected: str) -> int:
    """A goal, KPI or 評估體制 number: 1–999 in the digits 0–9 or ０–９."""
    normal = normalize_digits(text).strip()
    if not _WHOLE_NUMBER.fullmatch(normal) or int(normal) < 1:
        raise PlanDocumentError(
            line, f"{expected}: a whole number from 1 to {MAX_NUMBER}", text or "a blank cell"
        )
    return int(normal)


def validated(model: type[ModelT], line: int, expected: str, fields: dict[str, Any]) -> ModelT:
    """``model`` built from a document's values; what the model refuses is a fault at ``line``."""
    try:
        return model.model_validate(fields)
    except ValidationError as error:
        fault = error.errors()[0]
        where = ".".join(str(part) for part in fault["loc"])
        found = f"{where}: {fault['msg']}" if where else str(fault["msg"])
        raise PlanDocumentError(line, expected, found) from None
