"""Limits on the size of a metric expression, checked before and after SQLGlot parses it.

SQLGlot's parser, its SQL generator, the checker and the formula evaluator all recurse over the
tree; a definition with 5,000 nested parentheses or a 5,000-term sum would end in Python's
``RecursionError`` somewhere between ``kpi check`` and the engine. So an expression is refused,
with the position where it goes too far, when its text is too long, when it nests deeper than
:data:`MAX_NESTING` (parentheses, brackets, CASE, NOT or a sign) or when its tree is deeper than
:data:`MAX_DEPTH` or larger than :data:`MAX_NODES`. Everything accepted stays far within the
recursion limit at every later step. An unterminated string, quoted name or comment is reported
at the place it opens, not as the tokenizer's own exception.
"""

from __future__ import annotations

import re

import sqlglot
from sqlglot import exp
from sqlglot.tokenizer_core import Token, TokenType

from yardstick.metrics.errors import ExpressionError

MAX_LENGTH = 20_000
"""Characters in one expression (a filter listing many codes fits easily)."""
MAX_NESTING = 20
"""Levels of parentheses, brackets, CASE … END and chained NOT or signs in the text."""
MAX_DEPTH = 64
"""Levels of the parsed tree (a chain ``a + b + c …`` nests one level per term)."""
MAX_NODES = 2_000
"""Nodes of the parsed tree."""

_OPENING = {TokenType.L_PAREN, TokenType.L_BRACKET, TokenType.L_BRACE, TokenType.CASE}
_CLOSING = {TokenType.R_PAREN, TokenType.R_BRACKET, TokenType.R_BRACE, TokenType.END}
_PREFIX = {TokenType.NOT, TokenType.DASH, TokenType.PLUS}
_OPENERS = re.compile(r"--|/\*|\$\$|[eE]'|'|\"")
_CLOSERS = {"--": "\n", "/*": "*/", "$$": "$$", "'": "'", "e'": "'", '"': '"'}
_UNCLOSED = {
    "/*": "a comment opened here is never closed (*/ is missing)",
    "$$": "a string opened here is never closed ($$ is missing)",
    '"': 'a quoted name opened here is never closed (a " is missing)',
}
_UNCLOSED_STRING = "a string opened here is never closed (a ' is missing)"


def tokens_of(text: str) -> list[Token]:
    """The expression's tokens, after the length check; nesting deeper than allowed is refused."""
    if len(text) > MAX_LENGTH:
        raise ExpressionError(
            text[:80] + "…",
            0,
            f"the expression is {len(text):,} characters long (at most {MAX_LENGTH:,})",
        )
    try:
        tokens = sqlglot.Dialect.get_or_raise("duckdb").tokenize(text)
    except sqlglot.errors.TokenError:
        position, reason = _unterminated(text)
        raise ExpressionError(text, position, reason) from None
    _check_nesting(text, tokens)
    return tokens


def check_tree_size(text: str, tree: exp.Expr) -> None:
    """Refuse a parsed tree deeper than :data:`MAX_DEPTH` or larger than :data:`MAX_NODES`."""
    nodes = 0
    stack = [(tree, 1)]
    while stack:
        node, depth = stack.pop()
        nodes += 1
        if depth > MAX_DEPTH:
            raise ExpressionError(
                text,
                node_start(text, node),
                f"the expression nests deeper than {MAX_DEPTH} levels"
                " (split a long chain such as a + b + … with parentheses, or shorten it)",
            )
        if nodes > MAX_NODES:
            raise ExpressionError(
                text, 0, f"the expression has more than {MAX_NODES:,} parts (shorten it)"
            )
        stack.extend((child, depth + 1) for child in node.iter_expressions())


def too_deep(text: str) -> ExpressionError:
    """The error for a text the parser could not finish within Python's recursion limit."""
    return ExpressionError(
        text, 0, f"the expression nests too deeply to read (at most {MAX_NESTING} levels)"
    )


def _check_nesting(text: str, tokens: list[Token]) -> None:
    depth, prefixes = 0, 0
    for token in tokens:
        kind = token.token_type
        prefixes = prefixes + 1 if kind in _PREFIX else 0
        if kind in _OPENING:
            depth += 1
        elif kind in _CLOSING:
            depth = max(depth - 1, 0)
        if depth + prefixes > MAX_NESTING:
            raise ExpressionError(
                text,
                token.start,
                f"the expression nests deeper than {MAX_NESTING} levels of parentheses, "
                "functions, CASE, NOT or signs",
            )


def _unterminated(text: str) -> tuple[int, str]:
    """Where a string, quoted name or comment opens and never closes, and what is missing."""
    index = 0
    while match := _OPENERS.search(text, index):
        opener = match.group().lower()
        end = _closing(text, match.end(), _CLOSERS[opener], backslash=opener == "e'")
        if end < 0:
            return match.start(), _UNCLOSED.get(opener, _UNCLOSED_STRING)
        index = end
    return 0, "the expression cannot be read (an unknown character or an unclosed quote)"


def _closing(text: str, start: int, closer: str, backslash: bool) -> int:
    """The offset just past ``closer`` from ``start`` (a doubled quote is part of the text)."""
    if closer == "\n":
        found = text.find("\n", start)
        return len(text) if found < 0 else found + 1
    index = start
    while (found := text.find(closer, index)) >= 0:
        if backslash and _escaped(text, found):
            index = found + 1
        elif closer in "'\"" and text.startswith(closer, found + 1):
            index = found + 2
        else:
            return found + len(closer)
    return -1


def _escaped(text: str, index: int) -> bool:
    """Whether the character at ``index`` follows an odd run of backslashes."""
    before = index
    while before > 0 and text[before - 1] == "\\":
        before -= 1
    return (index - before) % 2 == 1


def node_start(text: str, node: exp.Expr) -> int:
    """Where ``node`` starts in the text: the leftmost offset the parser recorded in its subtree,
    backed up to the function's name for a call such as ``floor(amount, 2)``."""
    starts: list[int] = [
        n.meta["start"] for n in node.walk() if n.meta and isinstance(n.meta.get("start"), int)
    ]
    if not starts:  # a NULL, TRUE or a number the parser kept no position for
        found = text.lower().find(node.sql(dialect="duckdb").lower())
        return max(found, 0)
    start = min(starts)
    if isinstance(node, exp.Func) and not isinstance(node, exp.Column):
        return _name_before(text, start)
    return start


def _name_before(text: str, start: int) -> int:
    """The start of ``name(`` right before ``start``, else ``start`` itself."""
    before = text[:start].rstrip()
    if not before.endswith("("):
        return start
    head = before[:-1].rstrip()
    begin = len(head)
    while begin > 0 and (head[begin - 1].isalnum() or head[begin - 1] == "_"):
        begin -= 1
    return begin if begin < len(head) else start
