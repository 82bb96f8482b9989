"""Meeting mode (``?present=1``) on a projector: every slide of every app, walked with the keys.

For each app, in Chinese and English, light and dark, at 1280×720 and 1920×1080 (the same
page, resized), the test presses → from the first slide to the last and checks on each one
that its content fits the space between the title bar and the navigation bar (no scrolling,
nothing cut at the right), that every text on it is at least 24 px, that a chart is drawn
for the slide's width (not scaled), and that the slide counter reaches the last slide.
Geometry is read in the page; only a few screenshots are kept.
"""

from __future__ import annotations

import pytest
from browser_harness import (
    PageLog,
    VoilaServer,
    open_page,
    screenshot,
    serious_axe_violations,
    wait_for_app,
)
from playwright.sync_api import Browser, Page
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from briefing.catalogue import APPS
from briefing.theme import PRESENT_MIN_FONT

SIZES = ({"width": 1280, "height": 720}, {"width": 1920, "height": 1080})
MODES = [(lang, theme) for lang in ("zh", "en") for theme in ("light", "dark")]
NOTEBOOKS = [app.notebook for app in APPS]
#: The reader's deck ends with a search's hits when the link carries one.
EXTRA_QUERY = {"05_report_reader.ipynb": "&q=养老"}

#: What the test needs to know of the slide on screen; problems are listed, not thrown.
SLIDE_JS = """
(minFont) => {
  const slide = document.querySelector('[data-briefing-slide].briefing-current');
  if (!slide) return {problems: ['no current slide']};
  const problems = [];
  const box = slide.getBoundingClientRect();
  const nav = document.querySelector('.briefing-nav').getBoundingClientRect();
  const bar = document.querySelector('.briefing-titlebar').getBoundingClientRect();
  if (slide.scrollHeight > slide.clientHeight + 1)
    problems.push(`content ${slide.scrollHeight}px tall in ${slide.clientHeight}px`);
  if (slide.scrollWidth > slide.clientWidth + 1)
    problems.push(`content ${slide.scrollWidth}px wide in ${slide.clientWidth}px`);
  if (box.top < bar.bottom - 1 || box.bottom > nav.top + 1 || box.right > innerWidth + 1)
    problems.push('slide under the bars or off screen');
  const small = new Set();
  for (const el of slide.querySelectorAll('*')) {
    const own = Array.from(el.childNodes).some(n => n.nodeType === 3 && n.textContent.trim());
    if (!own || !el.getClientRects().length) continue;
    const size = parseFloat(getComputedStyle(el).fontSize);
    const what = el.textContent.trim().slice(0, 20);
    if (size < minFont - 0.5) small.add(`${el.tagName.toLowerCase()} ${size}px "${what}"`);
    const r = el.getBoundingClientRect();
    if (r.width && (r.right > box.right + 2 || r.left < box.left - 2))
      problems.push(`text cut at the edge: "${what}"`);
  }
  if (small.size)
    problems.push(`text under ${minFont}px: ` + Array.from(small).slice(0, 4).join('; '));
  const svgs = Array.from(slide.querySelectorAll('.vega-embed svg'));
  for (const svg of svgs) {
    const drawn = svg.getBoundingClientRect().width;
    const own = parseFloat(svg.getAttribute('width'));
    if (Math.abs(drawn - own) > 1) problems.push(`chart drawn ${own}px, shown ${drawn}px`);
  }
  // One language: no Chinese on an English slide, no English word on a Chinese one, but
  // the report's own words (quotes, snippets, a query: marked lang="zh-CN"; the terms of
  // the reader's keyword charts) and the language button, which names its language.
  const cjk = /[\u3400-\u9fff]/;
  const word = /[a-z]{2,}/;
  const english = document.documentElement.lang === 'en';
  const keywords = !!document.querySelector('.briefing-reader');
  for (const el of slide.querySelectorAll('*')) {
    if (el.closest('[lang^="zh"], .briefing-lang, style, script')) continue;
    const own = Array.from(el.childNodes).filter(n => n.nodeType === 3)
      .map(n => n.textContent.trim()).join(' ');
    if (!own || !el.getClientRects().length) continue;
    if (english && cjk.test(own) && !(keywords && el.closest('.vega-embed')))
      problems.push(`Chinese on an English slide: "${own.slice(0, 30)}"`);
    if (!english && word.test(own.replace(/jieba/g, '')))
      problems.push(`English on a Chinese slide: "${own.slice(0, 30)}"`);
  }
  const charts = slide.querySelectorAll('.briefing-charts').length;
  const data = document.body.dataset;
  return {problems, charts, svgs: svgs.length,
          index: +data.briefingScreen, total: +data.briefingScreens};
}
"""

CHART_READY_JS = """
() => {
  const slide = document.querySelector('[data-briefing-slide].briefing-current');
  if (!slide) return false;
  if (!slide.querySelector('.briefing-charts')) return true;
  const svg = slide.querySelector('.vega-embed svg');
  if (!svg || !svg.querySelector('[class*="mark-"]')) return false;
  // Drawn for this width: a container-wide chart redraws after a resize.
  const want = slide.querySelector('.vega-embed').getBoundingClientRect().width;
  return parseFloat(svg.getAttribute('width')) <= want + 2;
}
"""


@pytest.fixture(scope="module")
def server(apps_server: VoilaServer) -> VoilaServer:
    return apps_server


def _walk(page: Page, label: str) -> tuple[int, list[str]]:
    """Go to the first slide, then → to the last; the slide count and the problems found."""
    page.keyboard.press("Home")
    page.wait_for_selector('body[data-briefing-screen="1"]')
    problems: list[str] = []
    total = int(page.evaluate("+document.body.dataset.briefingScreens"))
    seen = []
    for step in range(total):
        try:
            page.wait_for_function(CHART_READY_JS, timeout=30_000)
        except PlaywrightTimeout:
            problems.append(f"{label} slide {step + 1}/{total}: chart not drawn for the slide")
        page.wait_for_timeout(60)
        info = page.evaluate(SLIDE_JS, PRESENT_MIN_FONT)
        seen.append(info["index"])
        problems += [f"{label} slide {info['index']}/{total}: {p}" for p in info["problems"]]
        if step < total - 1:
            page.keyboard.press("ArrowRight")
            page.wait_for_selector(f'body[data-briefing-screen="{step + 2}"]', timeout=5_000)
    assert seen == list(range(1, total + 1)), f"{label}: slides reached {seen}"
    return total, problems


#: The first slide of each kind (story, cards, chart, list, summary …), by number.
SLIDE_KINDS_JS = """
() => {
  const first = {};
  document.querySelectorAll('[data-briefing-slide]').forEach((slide) => {
    const kind = Array.from(slide.classList).find(c => c.startsWith('briefing-section-'));
    if (kind && !(kind in first)) first[kind] = +slide.dataset.briefingSlide;
  });
  return first;
}
"""


def _axe_each_kind_of_slide(page: Page, label: str) -> list[str]:
    """axe-core on the first slide of each kind: no serious or critical violation."""
    found = []
    for kind, number in page.evaluate(SLIDE_KINDS_JS).items():
        page.keyboard.type(str(number))
        page.keyboard.press("Enter")
        page.wait_for_selector(f'body[data-briefing-screen="{number}"]', timeout=5_000)
        page.wait_for_function(CHART_READY_JS, timeout=30_000)
        found += serious_axe_violations(page, f"{label} {kind} (slide {number})")
    return found


@pytest.mark.browser
@pytest.mark.parametrize("notebook", NOTEBOOKS)
def test_every_slide_fits_and_is_reached(
    notebook: str, server: VoilaServer, browser: Browser, page_log: PageLog
) -> None:
    problems: list[str] = []
    for lang, theme in MODES:
        context = browser.new_context(viewport=SIZES[0], locale="zh-CN")
        try:
            page = open_page(context, page_log)
            query = f"present=1&lang={lang}&theme={theme}" + EXTRA_QUERY.get(notebook, "")
            page.goto(server.render_url(notebook, query))
            wait_for_app(page, chart=False)
            page.wait_for_selector("body[data-briefing-screens]", timeout=60_000)
            # The slides are the app's meeting-mode screens, not its scrolling page.
            page.wait_for_timeout(300)
            counts = []
            for size in SIZES:
                page.set_viewport_size(size)
                total, found = _walk(page, f"{notebook} {lang} {theme} {size['width']}")
                counts.append(total)
                problems += found
            problems += _axe_each_kind_of_slide(page, f"{notebook} {lang} {theme}")
            assert counts[0] == counts[1]
            assert counts[0] >= 3, f"{notebook}: only {counts[0]} slides"
            title = page.title()
            assert ("Datang" in title) == (lang == "en"), title
            if notebook == "01_industry.ipynb" and lang == "zh":
                # The first chart slide, reached by typing its number (as a presenter would).
                page.set_viewport_size(SIZES[0])
                first_chart = page.evaluate(
                    """() => Array.from(document.querySelectorAll('[data-briefing-slide]'))
                       .findIndex(s => s.querySelector('.briefing-charts')) + 1"""
                )
                assert first_chart > 0
                page.keyboard.type(str(first_chart))
                page.keyboard.press("Enter")
                page.wait_for_selector(f'body[data-briefing-screen="{first_chart}"]')
                page.wait_for_function(CHART_READY_JS)
                page.wait_for_timeout(300)
                screenshot(page, f"meeting-industry-{theme}")
        finally:
            context.close()
    assert not problems, "\n".join(problems[:40])
    assert page_log.errors == []


@pytest.mark.browser
def test_jump_to_a_slide_by_number_and_controls_in_the_page_language(
    server: VoilaServer, browser: Browser, page_log: PageLog
) -> None:
    context = browser.new_context(viewport=SIZES[0], locale="zh-CN")
    try:
        page = open_page(context, page_log)
        page.goto(server.render_url("01_industry.ipynb", "present=1&lang=en"))
        wait_for_app(page, chart=False)
        page.wait_for_selector("body[data-briefing-screens]")
        nav = page.locator(".briefing-nav").inner_text()
        for word in ("Next", "Previous", "Go"):
            assert word in nav
        assert not any("\u4e00" <= ch <= "\u9fff" for ch in nav.replace("中文", ""))
        page.keyboard.type("5")
        page.keyboard.press("Enter")
        page.wait_for_selector('body[data-briefing-screen="5"]')
        page.fill(".briefing-jump-input", "3")
        page.press(".briefing-jump-input", "Enter")
        page.wait_for_selector('body[data-briefing-screen="3"]')
        assert page.url.endswith("#3")
        # The language link keeps meeting mode and the slide; Chinese controls there.
        page.click(".briefing-present-lang")
        page.wait_for_load_state()
        wait_for_app(page, chart=False)
        page.wait_for_selector('body[data-briefing-screen="3"]', timeout=60_000)
        assert "present=1" in page.url
        assert "lang=en" not in page.url
        nav = page.locator(".briefing-nav").inner_text()
        assert "下一页" in nav
        assert "Next" not in nav
        # Leaving meeting mode gives the ordinary page, in the same language.
        exit_href = page.get_attribute(".briefing-present-exit", "href") or ""
        assert "present" not in exit_href
        assert "lang=en" not in exit_href
    finally:
        context.close()
    assert page_log.errors == []
