"""DuckDB's errors about a file, as one line of our own: the file's name, the line, the reason.

DuckDB explains a file it cannot read in many lines: the line's text, "possible fixes", the
reader's options and the file's path on the server (a work copy, for Big5 and spreadsheets).
A user needs the file's name as they gave it, the line where DuckDB knows it, and the reason
in words. :func:`reading` turns DuckDB's errors about the input into an
:class:`~yardstick.datasets.errors.IngestError` so; errors that mean our own SQL is wrong
(binder, parser and catalog errors) are left alone, as they are bugs, not bad files.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import duckdb

from yardstick.datasets.encodings import stray_line_end
from yardstick.datasets.errors import IngestError

OUR_SQL = (
    duckdb.BinderException,
    duckdb.ParserException,
    duckdb.CatalogException,
    duckdb.SyntaxException,
)
"""The kinds of DuckDB error that only SQL we built wrong causes; every other kind (DuckDB
raises its bare ``Error`` for some damaged files) comes from the file's content or size."""

_LINE = re.compile(r"CSV Error on Line: (\d+)")
_TAIL = re.compile(r"\n\s*(Possible (fixes|Solution)|file = )")


def _fields(match: re.Match[str]) -> str:
    expected, found = int(match[1]), int(match[2])
    return f"it has {found} field{'s' * (found != 1)}, the header has {expected}"


_REASONS: list[tuple[re.Pattern[str], Callable[[re.Match[str]], str]]] = [
    (re.compile(r"Expected Number of Columns: (\d+) Found: (\d+)"), _fields),
    (
        re.compile(r"Value with unterminated quote found"),
        lambda _: (
            'a field opens a quote (") that does not close where the field ends; '
            'a quote inside a quoted field is written twice ("")'
        ),
    ),
    (
        re.compile(r"Maximum line size of (\d+) bytes exceeded"),
        lambda m: (
            f"the line is over {int(m[1]):,} bytes long (a quote left open, or no line breaks?)"
        ),
    ),
    (
        re.compile(r"Invalid unicode|not utf-8 encoded", re.IGNORECASE),
        lambda _: "bytes that are not UTF-8 (if the file is Big5, ingest it with --encoding big5)",
    ),
    (
        re.compile(r"Out of Memory|could not allocate", re.IGNORECASE),
        lambda _: "reading it needs more memory than ingest may use; split the file",
    ),
]


@contextmanager
def reading(name: str, *paths: Path, parquet: bool = False) -> Iterator[None]:
    """Run DuckDB work on the file ``name`` (read at ``paths``; a Parquet file if
    ``parquet``), its errors as our own."""
    try:
        yield
    except OUR_SQL:
        raise
    except duckdb.Error as error:
        raise IngestError(f"{name}: {describe(error, name, paths, parquet)}") from None


def describe(
    error: duckdb.Error, name: str, paths: tuple[Path, ...] = (), parquet: bool = False
) -> str:
    """DuckDB's error as one line: "line N: reason", or the reason alone where no line is known."""
    text = str(error)
    if parquet:
        return _parquet_reason(text, name, paths)
    line = _LINE.search(text)
    reason = _reason(text)
    if reason is None and "state machine reached an invalid state" in text:
        return _unsplittable(paths)
    if reason is None:
        reason = _first_line(text, name, paths)
    return f"line {line[1]}: {reason}" if line else reason


_NOT_PARQUET = re.compile(r"No magic bytes found|too small to be a Parquet file|Footer length")


def _parquet_reason(text: str, name: str, paths: tuple[Path, ...]) -> str:
    """A Parquet file has no lines: it is not Parquet at all, or damaged inside."""
    if _NOT_PARQUET.search(text):
        return "not a Parquet file (cut short, or another kind of file named .parquet)"
    return f"a damaged Parquet file ({_first_line(text, name, paths)})"


def _reason(text: str) -> str | None:
    """Our words for the last reason DuckDB gave before its advice (the line's text, which
    comes first, cannot then pass for the reason)."""
    body = _TAIL.split(text, maxsplit=1)[0]
    best: tuple[int, str] | None = None
    for pattern, words in _REASONS:
        for match in pattern.finditer(body):
            if best is None or match.start() > best[0]:
                best = (match.start(), words(match))
    return best[1] if best else None


def _unsplittable(paths: tuple[Path, ...]) -> str:
    """DuckDB's parser stopped without saying where: mixed line ends are the usual cause."""
    stray = stray_line_end(paths[-1]) if paths else None
    if stray is None:
        return "the file cannot be split into rows as CSV (RFC 4180)"
    line, end, usual = stray
    return (
        f"line {line}: it ends with {end}, line 1 with {usual}; "
        "save the file again with one kind of line end"
    )


def _first_line(text: str, name: str, paths: tuple[Path, ...]) -> str:
    """The first line of DuckDB's message, without its class prefix or any server path."""
    first = text.strip().splitlines()[0] if text.strip() else type(text).__name__
    first = re.sub(r"^[A-Za-z ]*Error: ", "", first)
    for path in sorted(paths, key=lambda p: -len(str(p))):
        first = first.replace(str(path), name)
    first = re.sub(r"""(['"])/[^'"]*\1""", f"'{name}'", first)
    first = re.sub(r"[\x00-\x1f\x7f]", "?", first)  # nothing that moves a terminal's cursor
    return first[:200]
