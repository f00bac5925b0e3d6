"""Errors of the metrics part: a bad expression (with its position), a bad definition, a query an
engine refuses or stops, a bad setting."""

from __future__ import annotations

from yardstick.errors import YardstickError


class ExpressionError(YardstickError):
    """An expression in a metric definition that is not allowed, at a 0-based character position."""

    def __init__(self, expression: str, position: int, message: str) -> None:
        pointer = f"{expression}\n{' ' * _display_width(expression[:position])}^"
        super().__init__(f"{message} at position {position + 1}:\n{pointer}")
        self.expression = expression
        self.position = position
        self.reason = message
        self.summary = f"{message} at position {position + 1}"
        """The fault in one line (a CLI error line, a list of problems)."""
        self.pointer = pointer
        """The expression with a caret under the fault, for a report such as ``kpi check``."""


class DefinitionError(YardstickError):
    """A metric definition file that cannot be loaded, with its file and field."""


class UnsafeQueryError(YardstickError):
    """SQL that an engine will not run: not a query, or text that does not read back as the query
    that was built (something in the tree would be written into the SQL unchecked)."""


class QueryTimeLimitError(YardstickError):
    """A query stopped because it ran longer than the engine's time limit."""


class SettingError(YardstickError):
    """A setting read from the environment with a value that does not fit it."""


class BatchReadError(YardstickError):
    """An active batch whose Parquet file cannot be read (removed or damaged on disk)."""


def _display_width(text: str) -> int:
    """Columns a terminal gives the text: CJK characters take two."""
    return sum(2 if ord(char) > 0x2E80 else 1 for char in text)
