"""Visiting the site as a person does, checking each page the same way.

:class:`Visitor` opens a page in its own browser context and, on every page it opens, checks that:

- the server answered with the expected status, in the language asked for;
- every chart on it was drawn (``data-chart-drawn``), none failed;
- the console stayed clean: no error, no uncaught exception, no Content-Security-Policy
  violation (the site allows no inline script or style);
- axe-core finds no serious or critical accessibility violation;
- at phone width (390×844) nothing is wider than the screen (tables scroll inside their box);

and takes a full-page screenshot at desktop (1280×800) and phone width under test-artifacts/.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from axe_playwright_python.sync_playwright import Axe

from tests.browser.conftest import LiveSite

DESKTOP = {"width": 1280, "height": 800}
PHONE = {"width": 390, "height": 844}
SERIOUS = {"serious", "critical"}
_AXE = Axe()

_CHARTS_SETTLED = """() => Array.from(document.querySelectorAll('[data-chart-spec]')).every(
    (e) => e.hasAttribute('data-chart-drawn') || e.hasAttribute('data-chart-error'))"""
_OVERFLOW = """() => {
    const limit = document.documentElement.clientWidth;
    const wide = [];
    for (const e of document.querySelectorAll('body *')) {
        const box = e.getBoundingClientRect();
        if (box.width > 0 && box.right > limit + 1 && !e.closest('.table-wrap, .chart, pre')) {
            wide.push(e.tagName.toLowerCase() + (e.className ? '.' + String(e.className).split(' ')[0] : '')
                      + ' ' + Math.round(box.right) + 'px');
        }
    }
    return {scroll: document.documentElement.scrollWidth, limit: limit, wide: wide.slice(0, 5)};
}"""


@dataclass
class Visitor:
    """One person (an account or the public) in a browser context of their own."""

    site: LiveSite
    who: str
    page: Any
    artifacts: Path
    problems: list[str] = field(default_factory=list)
    visited: list[str] = field(default_factory=list)

    @classmethod
    def open(cls, browser: Any, site: LiveSite, who: str | None, artifacts: Path) -> Visitor:
        """A fresh context with a Taiwanese browser's languages; signed in unless ``who`` is None."""
        context = browser.new_context(
            viewport=DESKTOP, locale="zh-TW", extra_http_headers={"Accept-Language": "zh-TW,zh"}
        )
        visitor = cls(site, who or "public", context.new_page(), artifacts)
        visitor.page.on("console", visitor._console)
        visitor.page.on("pageerror", lambda error: visitor.problems.append(f"uncaught: {error}"))
        visitor.page.on("response", visitor._response)
        if who is not None:
            visitor.sign_in(who)
        return visitor

    def _console(self, message: Any) -> None:
        if message.type in ("error", "warning") and (
            message.type == "error" or "Content Security Policy" in message.text
        ):
            self.problems.append(f"console {message.type}: {message.text}")

    def _response(self, response: Any) -> None:
        if response.status >= 400 and response.request.resource_type != "document":
            self.problems.append(f"{response.status} for {response.url}")

    def close(self) -> None:
        self.page.context.close()

    def sign_in(self, username: str) -> None:
        """Through the sign-in form, as a person does; lands on the start page's plan."""
        self.page.goto(f"{self.site.url}/accounts/login/")
        self.page.fill("#id_username", username)
        self.page.fill("#id_password", self.site.passwords[username])
        with self.page.expect_navigation():
            self.page.click("main form button[type=submit]")
        assert "/accounts/login/" not in self.page.url, f"{username} could not sign in"

    def visit(self, path: str, name: str, status: int = 200) -> Any:
        """Open ``path`` and check it (see the module's docstring); the response."""
        response = self.page.goto(f"{self.site.url}{path}")
        assert response is not None
        assert response.status == status, f"{self.who} {path}: {response.status}, not {status}"
        self.check(name, expected_status=status)
        return response

    def check(self, name: str, expected_status: int = 200) -> None:
        """Check the page now shown and take its screenshots as ``<who>-<name>-<width>.png``."""
        page = self.page
        page.wait_for_load_state("load")
        page.wait_for_function(_CHARTS_SETTLED, timeout=15_000)
        failed = page.eval_on_selector_all(
            "[data-chart-error]", "es => es.map(e => e.getAttribute('data-chart-error'))"
        )
        assert not failed, f"{self.who} {name}: charts failed: {failed}"
        problems = [p for p in self.problems if not _is_the_pages_own_status(p, expected_status)]
        self.problems.clear()
        assert not problems, f"{self.who} {name} ({page.url}): {problems}"
        serious = [v for v in _AXE.run(page).response["violations"] if v.get("impact") in SERIOUS]
        assert not serious, f"{self.who} {name}: accessibility: {_describe(serious)}"
        slug = re.sub(r"[^a-z0-9-]+", "-", f"{self.who}-{name}".lower())
        page.screenshot(path=str(self.artifacts / f"{slug}-desktop.png"), full_page=True)
        page.set_viewport_size(PHONE)
        try:
            page.wait_for_timeout(150)  # charts sized to their container redraw
            width = page.evaluate(_OVERFLOW)
            page.screenshot(path=str(self.artifacts / f"{slug}-phone.png"), full_page=True)
        finally:
            page.set_viewport_size(DESKTOP)
        assert width["scroll"] <= width["limit"] + 1 and not width["wide"], (
            f"{self.who} {name}: wider than a phone ({width})"
        )
        self.visited.append(name)

    def heading(self) -> str:
        return str(self.page.inner_text("main h1")).strip()


def _is_the_pages_own_status(problem: str, status: int) -> bool:
    """Chromium logs a page served with an error status (403, 404) as a console error."""
    return status >= 400 and f"status of {status}" in problem


def _describe(violations: list[dict[str, Any]]) -> str:
    return "; ".join(
        f"{v['id']} ({v['impact']}): {v['help']} at "
        + ", ".join(str(n.get("target")) for n in v.get("nodes", [])[:3])
        for v in violations
    )
