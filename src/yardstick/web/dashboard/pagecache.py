"""A page's rendered content, kept (in Django's cache) while what it shows stays the same.

A dashboard or KPI page shows a plan version and its stored values; both change only when the
worker recomputes or someone edits the plan. The content is cached under a key made of the plan
version's hash, the state of the values (when the newest was computed, how many there are, the
batches and the queued recomputes — the freshness stamp), the language, the filters and what
the viewer may see; any change makes a new key, so nothing stale is served. On a hit the page
costs the sign-in lookups and the few aggregate queries of the stamp.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Hashable
from dataclasses import dataclass

from django.core.cache import cache
from django.utils import translation

TIMEOUT_SECONDS = 600


@dataclass(frozen=True)
class Rendered:
    """A page's title and the HTML of its content block."""

    title: str
    content: str


def cached_page(parts: tuple[Hashable, ...], render: Callable[[], Rendered]) -> Rendered:
    """The page for ``parts`` (with the active language), rendered once while they hold."""
    text = repr((*parts, translation.get_language()))
    key = "yardstick.dashboard:" + hashlib.sha256(text.encode()).hexdigest()
    found = cache.get(key)
    if isinstance(found, Rendered):
        return found
    rendered = render()
    cache.set(key, rendered, TIMEOUT_SECONDS)
    return rendered
