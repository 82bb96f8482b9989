"""Every app of notebooks/, served by the real Voila server, in Debian's Chromium, offline.

Every request to another machine is aborted (and recorded); a test fails if any was even
attempted. Screenshots of every app go to ``test-artifacts/screenshots/app-*.png``.
"""

from __future__ import annotations

import re
import time
from typing import Any

import pytest
from browser_harness import PageLog, VoilaServer, open_page, screenshot, wait_for_app
from playwright.sync_api import BrowserContext, Page

from briefing import data
from briefing.paths import notebooks_dir

APPS = sorted(p.name for p in notebooks_dir().glob("*.ipynb"))
SOURCE_MARKERS = ("from briefing", "_app()", "import ")
TRACEBACK_MARKERS = ("Traceback (most recent call last)", 'File "/', "ipykernel_")
REPORT = data.load().text


@pytest.fixture(scope="module")
def server(voila_server_factory: Any) -> VoilaServer:
    srv: VoilaServer = voila_server_factory(notebooks_dir())
    # Pre-heating runs every app once at start-up; wait for all the pools so the pages are
    # measured as a viewer meets them, not while six kernels still compete for two cores.
    deadline = time.monotonic() + 240
    while time.monotonic() < deadline:
        log = srv.log_text()
        if all(f"Kernel pool of {name} is filled" in log for name in APPS):
            break
        time.sleep(0.5)
    else:
        pytest.fail("the kernel pools did not fill:\n" + srv.log_text()[-2000:])
    return srv


@pytest.fixture
def app_page(server: VoilaServer, browser_context: BrowserContext, page_log: PageLog):
    def load(notebook: str, query: str = "") -> Page:
        page = open_page(browser_context, page_log)
        page.goto(server.render_url(notebook, query))
        wait_for_app(page)
        page.wait_for_selector(".briefing-app", state="attached")
        return page

    yield load
    for page in list(browser_context.pages):
        page.close(run_before_unload=True)


def _visible_text(page: Page) -> str:
    return str(page.evaluate("document.body.innerText"))


@pytest.mark.browser
@pytest.mark.parametrize("notebook", APPS)
def test_app_renders_offline_with_no_source_and_no_errors(
    app_page: Any, page_log: PageLog, notebook: str
) -> None:
    page = app_page(notebook)
    assert page.locator(".briefing-app .jupyter-widgets").count() > 3
    assert page.locator(".briefing-lang").count() == 1
    html = page.content()
    text = _visible_text(page)
    for marker in SOURCE_MARKERS:
        assert marker not in text, marker
    assert "_app()" not in html
    for marker in TRACEBACK_MARKERS:
        assert marker not in html, marker
    assert page.locator(".briefing-error").count() == 0
    # Fits a 1280-wide projector without horizontal scrolling.
    overflow = page.evaluate(
        "Array.from(document.querySelectorAll('.briefing-app'))"
        ".map(e => e.scrollWidth - e.clientWidth)"
    )
    assert max(overflow) <= 1, overflow
    page.wait_for_timeout(500)
    screenshot(page, f"app-{notebook.removesuffix('.ipynb')}")
    assert page_log.errors == []
    assert page_log.blocked == [], "requests to other machines were attempted"


def _chart_signature(page: Page) -> list[str]:
    return list(
        page.evaluate(
            """() => Array.from(document.querySelectorAll('.briefing-charts .vega-embed'))
                .map(e => { const c = e.querySelector('canvas');
                            return c ? c.toDataURL() : e.innerHTML; })"""
        )
    )


@pytest.mark.browser
def test_filter_change_redraws_the_charts(app_page: Any, page_log: PageLog) -> None:
    page = app_page("01_industry.ipynb")
    before = _chart_signature(page)
    assert len(before) >= 3
    part = page.locator(".briefing-explorer-filters select").first
    part.select_option(label="2023年工作任务")
    page.wait_for_function(
        "(n) => document.querySelectorAll('.briefing-charts .vega-embed').length !== n",
        arg=len(before),
    )
    after = _chart_signature(page)
    assert after
    assert after != before
    assert page_log.errors == []


@pytest.mark.browser
def test_english_toggle_changes_the_labels(app_page: Any, page_log: PageLog) -> None:
    page = app_page("03_ecology.ipynb")
    assert "2022年主要成绩" in _visible_text(page)
    page.locator(".briefing-lang button", has_text="English").click()
    page.wait_for_function("() => document.body.innerText.includes('Key results of 2022')")
    text = _visible_text(page)
    assert "Rivers, aquaculture ponds, air quality and low-carbon development" in text
    assert "2022年主要成绩" not in text
    assert page_log.errors == []


@pytest.mark.browser
def test_selecting_a_fact_shows_its_quote(app_page: Any, page_log: PageLog) -> None:
    page = app_page("04_livelihoods.ipynb")
    page.locator(
        ".briefing-explorer-filters .widget-toggle-buttons button", has_text="表格"
    ).click()
    row = page.locator(".briefing-row").first
    row.wait_for(state="visible")
    row.click()
    mark = page.locator(".briefing-source mark").first
    mark.wait_for(state="visible")
    quote = mark.inner_text()
    assert quote
    assert quote in REPORT
    paragraph = page.locator(".briefing-source p").inner_text()
    assert paragraph in REPORT
    assert quote in paragraph
    assert page_log.errors == []


@pytest.mark.browser
def test_presentation_mode_steps_through_sections(app_page: Any, page_log: PageLog) -> None:
    page = app_page("01_industry.ipynb", "present=1")
    page.wait_for_selector('body[data-briefing-screen="1"]')
    counter = page.locator(".briefing-counter").inner_text()
    total = int(re.search(r"/\s*(\d+)", counter).group(1))  # type: ignore[union-attr]
    assert total >= 5
    page.keyboard.press("ArrowRight")
    page.wait_for_selector('body[data-briefing-screen="2"]')
    page.wait_for_timeout(300)
    screenshot(page, "app-industry-present-2")
    page.keyboard.press("ArrowLeft")
    page.wait_for_selector('body[data-briefing-screen="1"]')
    assert page_log.errors == []
