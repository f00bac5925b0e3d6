"""Reading the site's pages in tests: the table row that holds a link or a name, text without tags."""

from __future__ import annotations

import html
import re

_ROW = re.compile(r"<tr\b.*?</tr>", re.S)
_TAG = re.compile(r"<[^>]+>")


def text(markup: str) -> str:
    """The text a reader sees: tags dropped, entities decoded, white space collapsed."""
    return re.sub(r"\s+", " ", html.unescape(_TAG.sub(" ", markup))).strip()


def rows(markup: str) -> list[str]:
    """Every table row of the page, as markup."""
    return _ROW.findall(markup)


def row_with(markup: str, needle: str) -> str:
    """The one table row that contains ``needle`` (a link, a name), as text."""
    found = [row for row in rows(markup) if needle in row]
    assert len(found) == 1, f"{len(found)} rows contain {needle!r}"
    return text(found[0])


def section(markup: str, heading_id: str) -> str:
    """The <section> whose heading has this id."""
    start = markup.index(f'aria-labelledby="{heading_id}"')
    return markup[start : markup.index("</section>", start)]
