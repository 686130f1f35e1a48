"""Open a report in headless Chromium (Debian's ``chromium`` driven by Playwright) and read it.

The browser tests may skip when the browser or Playwright is missing, except under ``CI=true``
where a missing browser fails them. Screenshots go to ``results/test-artefacts/`` (or the
folder in ``CSSIM_TEST_ARTEFACTS``).
"""

from __future__ import annotations

import os
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

CHROMIUM = Path(os.environ.get("CSSIM_CHROMIUM", "/usr/bin/chromium"))
ARTEFACTS = Path(os.environ.get("CSSIM_TEST_ARTEFACTS",
                                Path(__file__).resolve().parents[1] / "results" / "test-artefacts"))

CHARTS_JS = """() => Array.from(document.querySelectorAll('.plotly-graph-div')).map(gd => ({
  id: gd.id,
  title: (gd._fullLayout.title || {}).text || '',
  notes: (gd._fullLayout.annotations || []).map(a => a.text || ''),
  traces: gd._fullData.map(t => ({
    index: t.index, name: t.name, type: t.type, mode: t.mode || '',
    x: Array.from(t.x || []), y: Array.from(t.y || []),
    error_x: t.error_x && t.error_x.visible ? Array.from(t.error_x.array || []) : null,
    error_y: t.error_y && t.error_y.visible ? Array.from(t.error_y.array || []) : null})),
  rendered: Array.from(gd.querySelectorAll('g.trace')).map(g => {
    const data = g.__data__; const trace = data && data[0] && data[0].trace;
    const paths = Array.from(g.querySelectorAll('path.js-line, path.js-fill'));
    return {index: trace ? trace.index : null, type: trace ? trace.type : null,
            points: g.querySelectorAll('path.point').length,
            bars: g.querySelectorAll('g.point').length,
            drawn: paths.some(path => (path.getAttribute('d') || '').length > 4)}; })
}))"""
RENDERED_JS = """() => Array.from(document.querySelectorAll('.plotly-graph-div'))
  .every(gd => gd._fullLayout && gd.querySelector('.main-svg'))"""


def require_browser() -> None:
    """Skip (fail under ``CI=true``) when Playwright or Chromium is missing."""
    reason = None
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        reason = "Playwright is not installed (pip install playwright)"
    if reason is None and not CHROMIUM.exists():
        reason = f"no Chromium at {CHROMIUM} (apt-get install chromium)"
    if reason is None:
        return
    if os.environ.get("CI") == "true":
        pytest.fail(f"browser tests must run under CI: {reason}")
    pytest.skip(reason)


@dataclass
class OpenedReport:
    """What the browser saw of a report."""

    console_errors: list[str] = field(default_factory=list)
    requests: list[str] = field(default_factory=list)
    charts: list[dict[str, Any]] = field(default_factory=list)
    cards: list[dict[str, str]] = field(default_factory=list)
    tables: dict[str, list[list[str]]] = field(default_factory=dict)
    text: str = ""
    render_seconds: float = 0.0

    def chart(self, chart_id: str) -> dict[str, Any]:
        """The chart with this element id."""
        return next(chart for chart in self.charts if chart["id"] == chart_id)

    def trace(self, chart_id: str, name: str) -> dict[str, Any]:
        """The trace of a chart with this legend name."""
        return next(trace for trace in self.chart(chart_id)["traces"] if trace["name"] == name)


def open_report(browser: Any, path: Path, screenshot: Path | None = None) -> OpenedReport:
    """Load ``path`` from disk, wait for every chart, collect what it shows."""
    seen = OpenedReport()
    page = browser.new_page(viewport={"width": 1400, "height": 900})
    page.on("console", lambda message: seen.console_errors.append(message.text)
            if message.type == "error" else None)
    page.on("pageerror", lambda error: seen.console_errors.append(str(error)))
    page.on("request", lambda request: seen.requests.append(request.url))
    started = time.perf_counter()
    page.goto(path.resolve().as_uri(), wait_until="load")
    page.wait_for_function(RENDERED_JS, timeout=60_000)
    seen.render_seconds = time.perf_counter() - started
    seen.charts = page.evaluate(CHARTS_JS)
    seen.cards = page.evaluate("""() => Array.from(document.querySelectorAll('.card')).map(c =>
        ({key: c.dataset.key, value: c.querySelector('.value').textContent}))""")
    seen.tables = page.evaluate("""() => Object.fromEntries(Array.from(
        document.querySelectorAll('table[id]')).map(t => [t.id, Array.from(t.rows).map(r =>
        Array.from(r.cells).map(c => c.innerText))]))""")
    seen.text = page.inner_text("body")
    if screenshot is not None:
        screenshot.parent.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(screenshot), full_page=True)
    page.close()
    return seen


def launch() -> Any:
    """A running Playwright and a headless Chromium (close both with :func:`close`)."""
    from playwright.sync_api import sync_playwright

    playwright = sync_playwright().start()
    browser = playwright.chromium.launch(executable_path=str(CHROMIUM),
                                         args=["--no-sandbox", "--disable-gpu"])
    return playwright, browser
