"""The report reader in a real page: search, highlighted hits, anchors, and no script injection.

The server serves a folder holding only the reader's notebook, so that pre-heating starts
one kernel, not one per app.
"""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest
from browser_harness import PageLog, VoilaServer, open_page, screenshot, wait_for_app
from playwright.sync_api import BrowserContext, Dialog, Page

from briefing.paths import notebooks_dir
from tests import html_text

NOTEBOOK = "05_report_reader.ipynb"
SEARCH_INPUT = ".briefing-reader-search input[type='text']"
SUMMARY = ".briefing-reader-summary .message"
PAYLOADS = ("<img src=x onerror=alert(1)>", "<script>alert(1)</script>")

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def server(voila_server_factory: Any, tmp_path_factory: pytest.TempPathFactory) -> VoilaServer:
    folder = tmp_path_factory.mktemp("reader")
    shutil.copy(notebooks_dir() / NOTEBOOK, folder / NOTEBOOK)
    srv: VoilaServer = voila_server_factory(folder)
    return srv


@pytest.fixture
def dialogs() -> list[str]:
    return []


@pytest.fixture
def reader_page(
    server: VoilaServer, browser_context: BrowserContext, page_log: PageLog, dialogs: list[str]
) -> Page:
    page = open_page(browser_context, page_log)

    def on_dialog(dialog: Dialog) -> None:
        dialogs.append(f"{dialog.type}: {dialog.message}")
        dialog.dismiss()

    page.on("dialog", on_dialog)
    response = page.goto(server.render_url(NOTEBOOK))
    assert response is not None
    assert response.status == 200
    wait_for_app(page)  # the keyword charts are drawn once the analysis is done
    return page


def search(page: Page, query: str) -> None:
    box = page.locator(SEARCH_INPUT)
    box.fill(query)
    box.press("Enter")


def test_search_shows_highlighted_hits(reader_page: Page, page_log: PageLog) -> None:
    page = reader_page
    search(page, "养殖池塘")
    page.wait_for_function(
        "() => document.querySelectorAll('.briefing-hits li').length === 2", timeout=15_000
    )
    assert (
        page.locator(SUMMARY).inner_text() == "「养殖池塘」共出现 2 处,分布在 2 个段落、2 个章节。"
    )
    marks = page.locator(".briefing-hits mark")
    assert marks.count() == 2
    assert marks.all_inner_texts() == ["养殖池塘", "养殖池塘"]
    # The report is another widget: its marks may arrive a moment after the hits.
    page.wait_for_function(
        "() => document.querySelectorAll('.briefing-report mark').length === 2", timeout=15_000
    )
    screenshot(page, "reader-search")

    page.locator(".briefing-hits a.hit-link").nth(1).click()
    page.wait_for_function("() => location.hash === '#para-t2-p3'")
    target = page.locator("#para-t2-p3")
    assert target.evaluate("(el) => el.matches(':target')")
    box = target.bounding_box()
    assert box is not None
    assert 0 <= box["y"] < 720
    # The hit and the paragraph say where they are in words; the id is only the anchor.
    assert "第3段" in page.locator(".briefing-hits .where").nth(1).inner_text()
    link = target.locator("a.pid")
    assert link.inner_text() == "¶3"
    assert link.get_attribute("title") == "「聚焦建设与管理,加快改造提升、增强城乡品质」第3段"
    screenshot(page, "reader-paragraph")
    shown = page.locator(".briefing-app").inner_text()
    assert html_text.shown_ids(shown) == []
    assert page_log.errors == []
    assert page_log.blocked == [], page_log.blocked


def test_choosing_a_term_searches_for_it(reader_page: Page, page_log: PageLog) -> None:
    page = reader_page
    keywords = page.locator(".briefing-section-keywords")
    keywords.scroll_into_view_if_needed()
    assert keywords.locator(".vega-embed").count() == 2
    screenshot(page, "reader-keywords")
    keywords.locator("select").select_option(label="项目(29)")
    page.wait_for_function(
        "() => (document.querySelector('.briefing-reader-summary .message') || {})"
        ".textContent === '「项目」共出现 29 处,分布在 8 个段落、5 个章节。'",
        timeout=15_000,
    )
    assert page.locator(SEARCH_INPUT).input_value() == "项目"
    assert page_log.errors == []


def test_facts_are_underlined_with_a_tooltip(reader_page: Page) -> None:
    fact = reader_page.locator(".briefing-report .briefing-fact[data-fact='r1-p1.10']")
    assert fact.inner_text() == "累计完成招商引资额58.7亿元"
    assert fact.get_attribute("title") == "招商引资额:58.7亿元"
    assert "underline" in fact.evaluate("(el) => getComputedStyle(el).textDecorationLine")


def test_the_front_matter_shows_publication_data_not_the_page_furniture(
    reader_page: Page, page_log: PageLog
) -> None:
    front = reader_page.locator(".briefing-report #sec-front")
    front.scroll_into_view_if_needed()
    shown = front.inner_text()
    assert "三水区大塘镇人民政府" in shown
    assert "2023-01-29 16:14:09" in shown
    report = reader_page.locator(".briefing-report").inner_text()
    for furniture in ("搜索", "网站支持IPv6", "【字号"):
        assert furniture not in report
    screenshot(reader_page, "reader-front-matter")
    assert page_log.errors == []


@pytest.mark.parametrize("payload", PAYLOADS)
def test_markup_typed_in_the_search_box_runs_nothing(
    reader_page: Page, dialogs: list[str], page_log: PageLog, payload: str
) -> None:
    page = reader_page
    scripts_before = page.locator("script").count()
    for mode in ("按短语", "按词语(分词)"):
        page.get_by_role("button", name=mode, exact=True).click()
        search(page, payload)
        page.wait_for_function(
            "(q) => { const el = document.querySelector('.briefing-reader-summary .message');"
            " return el && el.textContent.includes(q); }",
            arg=payload,
            timeout=15_000,
        )
        assert payload in page.locator(SUMMARY).inner_text()
    page.wait_for_timeout(500)
    assert dialogs == []
    assert page.locator("img[src='x']").count() == 0
    assert (
        page.locator(".briefing-reader-summary img, .briefing-reader-summary script").count() == 0
    )
    assert page.locator("script").count() == scripts_before
    assert page_log.page_errors == []


def test_a_shared_link_runs_its_search_in_english(
    server: VoilaServer, browser_context: BrowserContext, page_log: PageLog
) -> None:
    page = open_page(browser_context, page_log)
    page.goto(server.render_url(NOTEBOOK, "lang=en&q=%E6%B2%B3%E6%B6%8C"))
    wait_for_app(page)
    page.wait_for_selector(".briefing-hits li")
    assert (
        page.locator(SUMMARY).inner_text()
        == "“河涌” occurs 2 times in 2 paragraphs across 2 sections."
    )
    assert page.locator(".briefing-reader-search button", has_text="Search").is_visible()
    shown = page.locator(".briefing-app").inner_text()
    assert html_text.shown_ids(shown) == []
    assert "paragraph" in page.locator(".briefing-hits .where").first.inner_text()
    path: Path = screenshot(page, "reader-en", full_page=True)
    assert path.stat().st_size > 10_000
    assert page_log.errors == []
