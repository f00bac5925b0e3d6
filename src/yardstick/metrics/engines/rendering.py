"""The SQL text an engine runs: written from the query's tree, then read back to prove it is that tree.

Why read it back: SQLGlot writes some of a tree's text as it is (the name of a type it does not
know, for one), so a single node the expression checker let through by mistake would put text the
checker never saw into the database's hands. The text is therefore parsed again in the engine's
dialect and must give back the tree that was built, node for node; otherwise it is refused before
it is sent. :func:`render` is the only way engines turn a query into text.
"""

from __future__ import annotations

import re

import sqlglot
from sqlglot import exp
from sqlglot.dialects.spark import Spark
from sqlglot.errors import ParseError, SqlglotError
from sqlglot.parsers.spark import SparkParser

from yardstick.metrics.errors import UnsafeQueryError

# Flags the generator sets or drops on its own when a tree is written and read back; they change
# neither the text's meaning nor which nodes it has.
_GENERATOR_FLAGS = frozenset({"big_int", "value_constructor", "typed", "safe"})
# Nodes some dialects write as other SQL, and the stand-in for an operand while one is written.
_REWRITTEN = frozenset({exp.DataType, exp.DateDiff, exp.Div, exp.If, exp.Month, exp.Year})
_MARKER = "__yardstick_operand_"
_WORD = re.compile(r"[A-Za-z]+")
# Nodes whose text is data (a string, a name), compared exactly; other text is a keyword.
_EXACT_TEXT = frozenset({exp.Identifier, exp.Literal})
# Text the parser records that the generator writes anyway when it is absent.
_DEFAULT_TEXT: dict[tuple[type[exp.Expr], str], str] = {(exp.Window, "over"): "OVER"}


class _SparkAnsiParser(SparkParser):
    STRICT_CAST = True


class SparkAnsi(Spark):
    """Spark SQL as Spark reads it in ANSI mode, which the Spark engine pins: ``CAST`` is a strict
    cast there (an error on a bad value), where SQLGlot's Spark reads it as ``TRY_CAST`` (NULL),
    as Spark does with ANSI off. The text is Spark's own; only the reading differs."""

    Parser = _SparkAnsiParser


# The dialect a text is read back in, where the engine reads it otherwise than SQLGlot's default.
_READ_AS: dict[str, type[Spark]] = {"spark": SparkAnsi}


def render(query: exp.Expr, dialect: str, pretty: bool = False) -> str:
    """``query`` as SQL text for ``dialect``, refused unless the text reads back as ``query``."""
    if not isinstance(query, exp.Query):
        raise UnsafeQueryError(f"only a query (SELECT) is run, not {query.key.upper()}")
    text = query.sql(dialect=dialect, pretty=pretty, comments=False)
    try:
        statements = sqlglot.parse(text, read=_READ_AS.get(dialect, dialect))
    except SqlglotError as error:
        detail = error.errors[0].get("description") if isinstance(error, ParseError) else None
        raise UnsafeQueryError(
            f"the SQL written for {dialect} does not parse back ({detail or 'bad SQL'}); "
            "it was not run"
        ) from None
    if len(statements) != 1 or statements[0] is None:
        raise UnsafeQueryError(
            f"the SQL written for {dialect} reads back as {len(statements)} statements; it was not run"
        )
    difference = first_difference(_as_written(query, dialect), statements[0])
    if difference is not None:
        raise UnsafeQueryError(
            f"the SQL written for {dialect} does not read back as the query that was built "
            f"({difference}); it was not run"
        )
    return text


def first_difference(built: exp.Expr, read: exp.Expr) -> str | None:
    """Where two trees differ (the first node in walk order), or None when they are the same."""
    pairs: list[tuple[exp.Expr, exp.Expr]] = [(built, read)]
    while pairs:
        a, b = pairs.pop()
        if type(a) is not type(b):
            return f"{a.key.upper()} was built, {b.key.upper()} read back"
        args_a, args_b = _args(a), _args(b)
        if args_a.keys() != args_b.keys():
            extra = sorted(args_a.keys() ^ args_b.keys())
            return f"{a.key.upper()} differs in {', '.join(extra)}"
        for key, value in args_a.items():
            other = args_b[key]
            values, others = (value, other) if isinstance(value, list) else ([value], [other])
            if not isinstance(others, list) or len(values) != len(others):
                return f"{a.key.upper()}.{key} differs in length"
            for x, y in zip(values, others, strict=True):
                if isinstance(x, exp.Expr) and isinstance(y, exp.Expr):
                    pairs.append((x, y))
                elif not _same_value(a, x, y):
                    return f"{a.key.upper()}.{key} is {x!r} built, {y!r} read back"
    return None


def _same_value(node: exp.Expr, built: object, read: object) -> bool:
    """Equal, but names of functions and units in any case (the generator writes them upper)."""
    if isinstance(built, exp.Expr) or isinstance(read, exp.Expr):
        return False
    if isinstance(built, str) and isinstance(read, str) and type(node) not in _EXACT_TEXT:
        return built.lower() == read.lower()
    return built == read


def _args(node: exp.Expr) -> dict[str, object]:
    """The arguments that make a node what it is: set, and not a flag of the generator's own."""
    return {
        key: value
        for key, value in node.args.items()
        if not (value is None or value is False or value == [])
        and key not in _GENERATOR_FLAGS
        and _DEFAULT_TEXT.get((type(node), key)) != value
    }


def _as_written(tree: exp.Expr, dialect: str) -> exp.Expr:
    """The built tree with each node that ``dialect`` writes as other SQL (``YEAR(x)`` as
    ``EXTRACT(YEAR FROM x)``, ``date_diff('day', a, b)`` as a subtraction of dates) replaced by
    what it writes, so that the text read back can be compared with it node for node.

    Only the node itself is written and read back, its operands stood in for by markers and then
    put back unwritten: the operands are compared as built, never taken from text.
    """
    return _rewrite(tree.copy(), dialect)


def _rewrite(tree: exp.Expr, dialect: str) -> exp.Expr:
    """:func:`_as_written` on a tree of its own (a copy), changed in place."""
    return tree.transform(lambda node: _written_node(node, dialect), copy=False)


def _written_node(node: exp.Expr, dialect: str) -> exp.Expr:
    if type(node) not in _REWRITTEN or not _plain(node) or isinstance(node.parent, exp.Case):
        return node  # (an IF inside CASE is one of its WHEN … THEN branches)
    operands: dict[str, exp.Expr] = {}
    for key, value in list(node.args.items()):
        if isinstance(value, exp.Expr) and type(value) is not exp.Var:
            marker = f"{_MARKER}{len(operands)}"
            operands[marker] = _rewrite(value, dialect)
            node.set(key, exp.column(marker))
    text = node.sql(dialect=dialect)
    written = (
        exp.DataType.build(text, dialect=dialect)
        if isinstance(node, exp.DataType)
        else sqlglot.parse_one(text, read=_READ_AS.get(dialect, dialect))
    )
    return written.transform(
        lambda part: (
            operands[part.name] if isinstance(part, exp.Column) and part.name in operands else part
        ),
        copy=False,
    )


def _plain(node: exp.Expr) -> bool:
    """A node carrying no text but a one-word date unit, and no list (a type's parameters): only
    such a node is written on its own, since nothing in it can turn into more SQL."""
    for value in node.args.values():
        if isinstance(value, str) or (isinstance(value, list) and value):
            return False
        if type(value) is exp.Var and not _WORD.fullmatch(value.name):
            return False
    return True
