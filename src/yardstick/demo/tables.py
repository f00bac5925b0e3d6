"""Columns → Arrow tables with the types the contracts declare (dates as dates, gaps as nulls)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np
import pyarrow as pa


def column(values: Any, null: Any = None) -> pa.Array:
    """An Arrow array from a NumPy array; ``null`` is a boolean mask of missing values."""
    array = np.asarray(values)
    mask = None if null is None else np.asarray(null, dtype=bool)
    if np.issubdtype(array.dtype, np.datetime64):
        return pa.array(array.astype("datetime64[D]"), type=pa.date32(), mask=mask)
    if array.dtype.kind == "U":
        return pa.array(array.astype(object), type=pa.string(), mask=mask)
    return pa.array(array, mask=mask)


def table(columns: Mapping[str, Any]) -> pa.Table:
    """A table whose columns are already Arrow arrays or NumPy arrays."""
    return pa.table(
        {
            name: values if isinstance(values, pa.Array) else column(values)
            for name, values in columns.items()
        }
    )
