"""Views of the site that are not written yet, stood in for so that the URLconf can be read.

The site's parts are built side by side: until an app's ``views.py`` exists, the root URLconf
cannot be imported at all. :func:`standing_in_for_pending_views` puts a stand-in module in the
place of each missing one — a ``views.py``, or another module a ``urls.py`` imports views from
(only while a test runs) — whose every view answers 501 and is marked :data:`PENDING`; the
permission tests skip such URLs and name them. Once every view exists it does nothing.
"""

from __future__ import annotations

import ast
import importlib
import importlib.util
import sys
import types
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.urls import clear_url_caches

import yardstick.web

PENDING = "yardstick_pending_view"
"""The attribute that marks a stand-in view."""

_WEB = Path(yardstick.web.__file__).parent
_URLCONFS = ["yardstick.web.urls"] + sorted(
    f"yardstick.web.{urls.parent.name}.urls" for urls in _WEB.glob("*/urls.py")
)


def _stand_in(name: str) -> Callable[..., HttpResponse]:
    def view(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        return HttpResponse(f"{name} is not written yet", status=501)

    setattr(view, PENDING, True)
    view.__name__ = name
    return view


def _views_of(module: str) -> Callable[[str], Callable[..., HttpResponse]]:
    def view(attr: str) -> Callable[..., HttpResponse]:
        if attr.startswith("__"):
            raise AttributeError(attr)
        return _stand_in(f"{module}.{attr}")

    return view


def _missing_view_modules() -> list[str]:
    """The modules of the site that a ``urls.py`` imports views from (``from yardstick.web.<app>
    import views, reports``) and that do not exist yet."""
    missing = set()
    for urls in _WEB.glob("*/urls.py"):
        for node in ast.walk(ast.parse(urls.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and (node.module or "").startswith(
                "yardstick.web."
            ):
                for alias in node.names:
                    module = f"{node.module}.{alias.name}"
                    if _absent(module):
                        missing.add(module)
    return sorted(missing)


def _absent(module: str) -> bool:
    try:
        return importlib.util.find_spec(module) is None
    except ModuleNotFoundError:  # a name imported from a module, not a module
        return False


def _forget_urlconfs() -> None:
    for name in _URLCONFS:
        sys.modules.pop(name, None)
    clear_url_caches()


@contextmanager
def standing_in_for_pending_views() -> Iterator[list[str]]:
    """While inside: every missing ``yardstick.web.<app>.views`` is a stand-in; yields their
    names (empty once every view exists)."""
    missing = _missing_view_modules()
    if not missing:
        yield []
        return
    for name in missing:
        module = types.ModuleType(name)
        module.__getattr__ = _views_of(name)  # type: ignore[method-assign]
        sys.modules[name] = module
    _forget_urlconfs()
    try:
        yield missing
    finally:
        for name in missing:
            sys.modules.pop(name, None)
        _forget_urlconfs()


def is_pending(view: Callable[..., Any]) -> bool:
    return bool(getattr(view, PENDING, False))
