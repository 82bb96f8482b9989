"""Every app of notebooks/, served by the real Voila server, in Debian's Chromium, offline.

Every request to another machine is aborted (and recorded); a test fails if any was even
attempted. Screenshots of every app go to ``test-artifacts/screenshots/app-*.png``.
"""

from __future__ import annotations

import re
import time
from typing import Any

import pytest
from browser_harness import (
    PageLog,
    VoilaServer,
    apps_without_charts,
    open_page,
    screenshot,
    wait_for_app,
)
from playwright.sync_api import BrowserContext, Page

from briefing import data
from briefing.catalogue import APPS as APP_INFOS
from briefing.catalogue import SECTOR_APPS
from briefing.paths import notebooks_dir

APPS = sorted(p.name for p in notebooks_dir().glob("*.ipynb"))
#: The briefing apps (overview and sectors): the ones with headline claims and clickable marks.
BRIEFINGS = sorted(
    info.notebook for info in APP_INFOS if info.name == "overview" or info in SECTOR_APPS
)
#: Apps that draw no chart at all: every figure is a card (a chart of one bar is a card).
NO_CHARTS = apps_without_charts()
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
        # In meeting mode charts wait on hidden slides, drawn for their slide's width once
        # shown (tests/browser/test_meeting_mode.py checks each slide).
        presenting = "present=1" in query
        wait_for_app(page, chart=notebook not in NO_CHARTS and not presenting)
        page.wait_for_selector(".briefing-app", state="attached")
        if notebook in NO_CHARTS and not presenting:
            page.wait_for_selector(".briefing-figures .briefing-card", state="visible")
        return page

    yield load
    for page in list(browser_context.pages):
        page.close(run_before_unload=True)


def _visible_text(page: Page) -> str:
    return str(page.evaluate("document.body.innerText"))


@pytest.mark.browser
@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("notebook", APPS)
def test_app_renders_offline_with_no_source_and_no_errors(
    app_page: Any, page_log: PageLog, notebook: str, lang: str
) -> None:
    page = app_page(notebook, "lang=en" if lang == "en" else "")
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
    screenshot(page, f"app-{notebook.removesuffix('.ipynb')}-{lang}")
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
    # No static site served here: no audience QR code, and no failed request for it.
    page.wait_for_timeout(300)
    assert page.locator(".briefing-audience, .briefing-qr").count() == 0
    assert page_log.errors == []


# --------------------------------------------------------------------------- click a mark


def _panel_quote(page: Page, zone: str) -> str:
    """The highlighted quote of the source panel of one part of the app."""
    mark = page.locator(f"{zone} .briefing-source mark").first
    mark.wait_for(state="visible")
    return mark.inner_text()


@pytest.mark.browser
def test_clicking_a_bar_shows_its_quote_in_its_paragraph(app_page: Any, page_log: PageLog) -> None:
    page = app_page("01_industry.ipynb")
    hint = page.locator(".briefing-section-explore .briefing-hint").inner_text()
    assert "点击图中的条形" in hint  # what the page says it does, it does
    bar = page.locator(".briefing-charts .vega-embed svg .mark-rect path").nth(1)
    bar.scroll_into_view_if_needed()
    datum = page.evaluate(
        "(el) => el.__data__.datum",
        bar.element_handle(),
    )
    assert page.locator(".briefing-section-explore .briefing-source").count() == 0
    bar.click()
    quote = _panel_quote(page, ".briefing-section-explore")
    assert quote == datum["quote"]
    assert quote in REPORT
    paragraph = page.locator(".briefing-section-explore .briefing-source p").inner_text()
    assert paragraph in REPORT
    assert quote in paragraph
    # Its label (the text beside the bar) leads to the same figure.
    page.locator(".briefing-charts .vega-embed svg .mark-text.role-mark text").first.click()
    first = page.evaluate(
        "() => document.querySelector('.briefing-charts .vega-embed svg .mark-text.role-mark text')"
        ".__data__.datum.quote"
    )
    page.wait_for_function(
        "(q) => Array.from(document.querySelectorAll("
        "'.briefing-section-explore .briefing-source mark')).some(m => m.innerText === q)",
        arg=first,
    )
    assert page_log.errors == []


@pytest.mark.browser
def test_clicking_a_claim_or_a_card_shows_its_quote(app_page: Any, page_log: PageLog) -> None:
    page = app_page("03_ecology.ipynb", "lang=en")
    claims = page.locator(".briefing-claim")
    assert 3 <= claims.count() <= 5
    assert claims.first.is_visible()  # on the first screen
    box = claims.last.bounding_box()
    assert box is not None
    assert box["y"] + box["height"] <= 720
    claims.first.click()
    quote = _panel_quote(page, ".briefing-zone-story")
    assert quote in REPORT
    card = page.locator(".briefing-figures .briefing-card").first
    card.scroll_into_view_if_needed()
    fact_id = card.get_attribute("data-fact-id")
    card.click()
    quote = _panel_quote(page, ".briefing-section-explore")
    facts = data.load().facts.set_index("fact_id")
    assert quote == facts.loc[fact_id, "quote"]
    # From the keyboard too: a card takes the focus, Enter shows its source.
    other = page.locator(".briefing-figures .briefing-card").nth(1)
    other_id = other.get_attribute("data-fact-id")
    other.focus()
    page.keyboard.press("Enter")
    page.wait_for_function(
        "(q) => Array.from(document.querySelectorAll("
        "'.briefing-section-explore .briefing-source mark')).some(m => m.innerText === q)",
        arg=facts.loc[other_id, "quote"],
    )
    assert page_log.errors == []


# --------------------------------------------------------------------------- languages

_STRAY_WORDS_JS = r"""
(lang) => {
  // Text the viewer sees, less the report's own words (quotes, paragraphs: lang="zh")
  // and the language toggle (each language names itself).
  const skip = (el) => el.closest('[lang="zh"], .briefing-lang, script, style');
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  const found = [];
  const cjk = /[\u3400-\u9fff]/;
  // An English word in a Chinese page: two lower-case letters in a row (acronyms such as
  // PNG, CO2 and VOCs are not words of the interface).
  const word = /[a-z]{2,}/;
  // Internal ids (paragraphs r1-p1, facts r1-p1.02, commitments c1-03) are never shown.
  const id = /\b(?:[rt]\d+-(?:p\d+|h\d*)(?:\.\d+)?|c\d+-\d+)\b/;
  while (walker.nextNode()) {
    const node = walker.currentNode;
    const el = node.parentElement;
    if (!el || !el.getClientRects().length) continue;
    if (getComputedStyle(el).visibility === 'hidden') continue;
    if (id.test(node.textContent)) found.push('id: ' + node.textContent.trim());
    if (skip(el)) continue;
    const text = node.textContent.trim();
    if (text && (lang === 'en' ? cjk.test(text) : word.test(text))) found.push(text);
  }
  return found;
}
"""


@pytest.mark.browser
@pytest.mark.parametrize("notebook", BRIEFINGS)
def test_each_page_speaks_one_language(app_page: Any, page_log: PageLog, notebook: str) -> None:
    for lang in ("en", "zh"):
        page = app_page(notebook, f"lang={lang}")
        page.wait_for_timeout(500)
        assert page.evaluate("document.documentElement.lang") == (
            "en" if lang == "en" else "zh-Hans"
        )
        stray = page.evaluate(_STRAY_WORDS_JS, lang)
        assert stray == [], f"{lang}: {stray[:10]}"
        title = page.title()
        if lang == "en":
            assert not re.search(r"[\u3400-\u9fff]", title), title
        else:
            assert re.search(r"[\u3400-\u9fff]", title)
            assert not re.search(r"[a-z]{2,}", title)
    # The toggle takes the page along: heading, title and language.
    page.locator(".briefing-lang button", has_text="English").click()
    page.wait_for_function("() => document.documentElement.lang === 'en'")
    page.wait_for_timeout(800)
    assert page.evaluate(_STRAY_WORDS_JS, "en") == []
    assert page_log.errors == []
