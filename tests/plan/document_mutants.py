"""Mutants of real plan documents, and what importing one may give: a plan, or our own error.

Shared by the fuzz tests (``tests/plan/test_fuzz_document.py``, seeded and bounded) and the
longer run (``benchmarks/fuzz_plan_documents.py``). A mutant is a real document with lines
deleted, duplicated, swapped, split or joined; text inserted (digits of other scripts,
superscripts, circled numbers, numbers of thousands of digits, control characters, tabs,
full-width text, Rich markup, the document's own keywords); the end cut off; and the whole
re-encoded (UTF-8 with or without BOM, Big5, UTF-16, Latin-1 mojibake, flipped bytes).
"""

from __future__ import annotations

import io
from collections.abc import Callable

from hypothesis import strategies as st
from rich.console import Console

from tests.conftest import FIXTURES
from yardstick.plan import Plan, PlanDocumentError, decode_document, parse_document
from yardstick.plan.commands import plan_tree
from yardstick.plan.exports import FORMATS, export_plan
from yardstick.plan.yamlio import dump_plan, load_plan_text

FIXTURE_DOCUMENTS = {
    "moe-110-113-crlf": FIXTURES / "plans" / "moe-110-113-crlf.txt",
    "mohw-112-113-big5": FIXTURES / "plans" / "mohw-112-113-big5.txt",
}

NUMBERS = st.one_of(
    st.sampled_from(
        [
            "②",
            "²",
            "⁵",
            "½",
            "Ⅻ",
            "٣",  # Arabic-Indic
            "١٠٦",
            "०",  # Devanagari
            "๓",  # Thai
            "０",
            "１２３",
            "１０６－１０９",
            "４，０００",
            "0",
            "1000",
            "301年度",
            "0年度",
            "-3",
            "1e400",
            "1,2,3",
        ]
    ),
    st.integers(1, 6000).map(lambda n: "9" * n),
    st.integers(1, 400).map(lambda n: "1" + ",000" * n),
    st.text(st.characters(codec="utf-8", categories=["Nd", "No", "Nl"]), min_size=1, max_size=6),
)
"""What a number of the document may be turned into: digits of other scripts, huge figures …"""

TEXT = st.one_of(
    st.sampled_from(
        [
            "\t",
            "\t\t",
            "\u3000",
            "\ufeff",
            "\u200b",
            "\u2028",
            "\x00",
            "\x0b",
            "\x0c",
            "\x1b",
            "\x7f",
            "\x85",
            "\r",
            "\n",
            "\n\n",
            "以下",
            "以上",
            "不超過",
            "、",
            "無",
            "註：",
            "【註】",
            "壹、施政綱要",
            "貳、關鍵績效指標",
            "參、未來四年重要計畫",
            "一、",
            "（一）",
            "１、",
            "109年度目標值",
            "[/]",
            "[bold]",
            "%",
            "日數",
        ]
    ),
    st.text(max_size=12),
)
"""Text inserted anywhere: control characters, tabs, the document's own keywords, markup …"""

INSERTS = st.one_of(NUMBERS, TEXT)


def _delete(draw: st.DrawFn, lines: list[str]) -> list[str]:
    i = draw(st.integers(0, len(lines) - 1))
    return lines[:i] + lines[i + 1 :]


def _duplicate(draw: st.DrawFn, lines: list[str]) -> list[str]:
    i = draw(st.integers(0, len(lines) - 1))
    return lines[: i + 1] + lines[i:]


def _swap(draw: st.DrawFn, lines: list[str]) -> list[str]:
    i, j = draw(st.integers(0, len(lines) - 1)), draw(st.integers(0, len(lines) - 1))
    swapped = list(lines)
    swapped[i], swapped[j] = lines[j], lines[i]
    return swapped


def _insert(draw: st.DrawFn, lines: list[str]) -> list[str]:
    i = draw(st.integers(0, len(lines) - 1))
    column = draw(st.integers(0, len(lines[i])))
    changed = list(lines)
    changed[i] = lines[i][:column] + draw(INSERTS) + lines[i][column:]
    return changed


def _replace_digits(draw: st.DrawFn, lines: list[str]) -> list[str]:
    """A number of the document (KPI number, year, target …) replaced by something else."""
    numbered = [i for i, line in enumerate(lines) if any("0" <= c <= "9" for c in line)]
    if not numbered:
        return lines
    i = draw(st.sampled_from(numbered))
    line = lines[i]
    start = next(k for k, c in enumerate(line) if "0" <= c <= "9")
    end = next((k for k in range(start, len(line)) if not "0" <= line[k] <= "9"), len(line))
    changed = list(lines)
    changed[i] = line[:start] + draw(NUMBERS) + line[end:]
    return changed


def _replace_cell(draw: st.DrawFn, lines: list[str]) -> list[str]:
    """A table cell's whole text replaced by a strange number or a keyword."""
    cells = [i for i, line in enumerate(lines) if line.startswith("\t")]
    if not cells:
        return lines
    i = draw(st.sampled_from(cells))
    changed = list(lines)
    changed[i] = "\t" + draw(st.one_of(NUMBERS, NUMBERS, TEXT))
    return changed


def _join(draw: st.DrawFn, lines: list[str]) -> list[str]:
    if len(lines) < 2:
        return lines
    i = draw(st.integers(0, len(lines) - 2))
    return [*lines[:i], lines[i] + lines[i + 1], *lines[i + 2 :]]


MUTATIONS: list[Callable[[st.DrawFn, list[str]], list[str]]] = [
    _delete,
    _duplicate,
    _swap,
    _insert,
    _insert,
    _replace_digits,
    _replace_cell,
    _replace_cell,
    _join,
]


def _encoded(draw: st.DrawFn, text: str) -> bytes:
    encoding = draw(st.sampled_from(["utf-8", "utf-8", "utf-8-sig", "cp950", "utf-16", "mojibake"]))
    if encoding == "mojibake":
        return text.encode("utf-8").decode("latin-1").encode("utf-8")
    try:
        data = text.encode(encoding)
    except UnicodeEncodeError:
        data = text.encode("utf-8")
    if draw(st.integers(0, 9)) == 0 and data:  # now and then, a flipped byte
        at = draw(st.integers(0, len(data) - 1))
        data = data[:at] + bytes([data[at] ^ draw(st.integers(1, 255))]) + data[at + 1 :]
    return data


@st.composite
def mutants(draw: st.DrawFn, document: bytes) -> bytes:
    """One mutant of ``document`` (its bytes as published)."""
    lines = decode_document(document).split("\n")
    for _ in range(draw(st.integers(1, 4))):
        lines = draw(st.sampled_from(MUTATIONS))(draw, lines) or [""]
    text = "\n".join(lines)
    if draw(st.integers(0, 7)) == 0:
        text = text[: draw(st.integers(0, len(text)))]
    return _encoded(draw, text)


def line_count(data: bytes) -> int:
    """How many lines the document has, counted as the importer counts them."""
    try:
        text = decode_document(data)
    except PlanDocumentError:
        return data.count(b"\n") + 1
    return text.replace("\r\n", "\n").replace("\r", "\n").count("\n") + 1


def check_import(data: bytes) -> Plan | PlanDocumentError:
    """Import ``data``: a plan that saves, loads and exports, or a one-line error at its line.

    Anything else — another exception, a line outside the document, a plan that does not load
    back — fails here (an AssertionError) or escapes (any other exception).
    """
    try:
        plan = parse_document(decode_document(data))
    except PlanDocumentError as error:
        lines = line_count(data)
        assert 1 <= error.line <= lines, f"line {error.line} of a {lines}-line document: {error}"
        assert "\n" not in str(error), f"a message of more than one line: {error}"
        return error
    assert load_plan_text(dump_plan(plan)) == plan, "the imported plan does not load back"
    for name in FORMATS:
        export_plan(plan, name)
    Console(file=io.StringIO(), width=120).print(plan_tree(plan))
    return plan
