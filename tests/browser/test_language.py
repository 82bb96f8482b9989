"""The page language sticks: ``?lang=en`` survives reloads, links between apps, the start
page and meeting mode; the title, the loading text and the controls follow it."""

from __future__ import annotations

import pytest
from browser_harness import PageLog, VoilaServer, open_page, wait_for_app
from playwright.sync_api import Browser

CJK = "[\u4e00-\u9fff]"


@pytest.fixture(scope="module")
def server(apps_server: VoilaServer) -> VoilaServer:
    return apps_server


@pytest.mark.browser
def test_english_survives_links_reload_and_the_start_page(
    server: VoilaServer, browser: Browser, page_log: PageLog
) -> None:
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN")
    try:
        page = open_page(context, page_log)
        page.goto(server.url("voila/tree?lang=en&theme=dark"))
        assert page.evaluate("document.documentElement.lang") == "en"
        assert "Datang" in page.title()
        hrefs = page.eval_on_selector_all(
            ".briefing-tree-app a", "els => els.map(e => e.getAttribute('href'))"
        )
        assert hrefs
        assert all("lang=en" in h and "theme=dark" in h for h in hrefs), hrefs
        page.click(".briefing-tree-app a[href*='00_overview']")
        wait_for_app(page, chart=False)
        page.wait_for_selector(".briefing-app")
        assert "lang=en" in page.url
        assert page.title() == "Datang Town 2023 Government Work Report"
        # Every link to another app keeps the language (and the theme).
        links = page.eval_on_selector_all(
            ".briefing-app a[href*='.ipynb']", "els => els.map(e => e.getAttribute('href'))"
        )
        assert links
        assert all("lang=en" in h and "theme=dark" in h for h in links), links
        page.click(".briefing-app a[href*='01_industry']")
        wait_for_app(page)
        page.wait_for_selector(".briefing-app")
        assert "lang=en" in page.url
        assert page.title().startswith("Industry")
        toggle = page.locator(".briefing-lang button.mod-active").inner_text()
        assert toggle == "English"
        # Switching to Chinese with the toggle is kept in the address: a reload stays Chinese.
        page.click(".briefing-lang button:has-text('中文')")
        page.wait_for_function("() => !location.search.includes('lang=en')")
        assert page.title().startswith("产业发展")
        page.reload()
        wait_for_app(page)
        page.wait_for_selector(".briefing-app")
        assert page.locator(".briefing-lang button.mod-active").inner_text() == "中文"
        assert page.evaluate("document.documentElement.lang").startswith("zh")
    finally:
        context.close()
    assert page_log.errors == []
