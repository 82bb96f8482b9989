"""The static site of ``briefing export``, opened from disk in Chromium with the network cut.

The site is exported once for the module (a few seconds: no notebook runs). Each page must
work from the files of the site folder alone: every request that is not one of them is
aborted and recorded, and must not happen. The interactions are tested in both languages
and at phone size (390×844). Screenshots: ``test-artifacts/screenshots/static-*.png``.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
from browser_harness import (
    PageLog,
    block_external,
    low_contrast,
    open_page,
    screenshot,
    serious_axe_violations,
)
from playwright.sync_api import Browser, BrowserContext, Page, Route

from briefing import data, export, text
from briefing.catalogue import APPS
from briefing.site import pages as site_pages

pytestmark = [pytest.mark.browser]

NAMES = [site_pages.page_name(info) for info in APPS]
PHONE = {"width": 390, "height": 844}
CJK = re.compile(r"[\u3400-\u9fff]")
TIMEOUT_MS = 20_000

#: Ready, and every chart drawn (charts are drawn as they come near the screen:
#: :func:`open_site_page` scrolls through the page first).
_CHARTS_DRAWN_JS = """
() => document.documentElement.hasAttribute('data-ready') &&
  Array.from(document.querySelectorAll('[data-chart]')).every(
    (box) => box.closest('[hidden]') || box.hasAttribute('data-drawn'))
"""
_SCROLL_THROUGH_JS = """
async () => {
  for (const box of document.querySelectorAll('[data-chart]')) {
    if (box.closest('[hidden]')) continue;
    box.scrollIntoView({block: 'center'});
    const start = performance.now();
    while (!box.hasAttribute('data-drawn') && !box.closest('[hidden]')
           && performance.now() - start < 15000) {
      await new Promise((done) => requestAnimationFrame(done));
    }
  }
  window.scrollTo(0, 0);
}
"""


def draw_all(page: Page) -> None:
    """Scroll each chart into view, so that all of them are drawn, then back to the top."""
    page.evaluate(_SCROLL_THROUGH_JS)
    page.wait_for_function(_CHARTS_DRAWN_JS, timeout=TIMEOUT_MS)


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> export.SiteReport:
    return export.export_site(tmp_path_factory.mktemp("static") / "site")


def allow_site_files(context: BrowserContext, root: Path, log: PageLog) -> None:
    """Let the pages read the files of the site folder, and nothing else from the disk."""
    prefix = root.resolve().as_uri() + "/"

    def handle(route: Route) -> None:
        url = route.request.url
        if url.startswith(prefix) and ".." not in unquote(url[len(prefix) :]).split("/"):
            route.continue_()
        else:
            log.blocked.append(url)
            route.abort("blockedbyclient")

    context.route(re.compile(r"^file:"), handle)


@pytest.fixture
def phone_context(browser: Browser, page_log: PageLog) -> Iterator[BrowserContext]:
    context = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True, locale="zh-CN")
    block_external(context, page_log)
    try:
        yield context
    finally:
        context.close()


def open_site_page(
    context: BrowserContext, log: PageLog, site: export.SiteReport, name: str
) -> Page:
    allow_site_files(context, site.out, log)
    page = open_page(context, log)
    page.goto((site.out / name).as_uri())
    page.wait_for_selector("html[data-ready]", state="attached", timeout=TIMEOUT_MS)
    draw_all(page)
    return page


class _Loads(HTMLParser):
    """Every address an HTML page loads: script, style sheet, image, frame, media."""

    def __init__(self) -> None:
        super().__init__()
        self.loads: list[tuple[str, str]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if tag == "script" and values.get("src"):
            self.loads.append((tag, values["src"] or ""))
        elif tag == "link" and values.get("href"):
            rel = (values.get("rel") or "").lower()
            if rel in {"stylesheet", "preload", "modulepreload", "icon", "manifest"}:
                self.loads.append((tag, values["href"] or ""))
        elif tag in {"img", "iframe", "audio", "video", "source", "embed"} and values.get("src"):
            self.loads.append((tag, values["src"] or ""))


def page_loads(html: str) -> list[tuple[str, str]]:
    parser = _Loads()
    parser.feed(html)
    return parser.loads


def all_pages() -> list[str]:
    return [f"{folder}{name}" for folder in ("", "en/") for name in ["index.html", *NAMES]]


# --------------------------------------------------------------------------- the folder


def test_site_has_every_page_in_both_languages_and_the_data(site: export.SiteReport) -> None:
    written = {r.path.relative_to(site.out).as_posix() for r in site.pages}
    assert written == {p for p in all_pages() if not p.endswith("index.html")}
    for name in all_pages():
        assert (site.out / name).is_file(), name
    assert site.total_bytes == export.site_size(site.out)
    assert site.total_bytes <= export.SITE_BUDGET_BYTES, site.summary()
    descriptor = (site.out / "data" / "datapackage.json").read_text(encoding="utf-8")
    for table in ("facts.csv", "projects.csv", "commitments_2023.csv", "report/paragraphs.csv"):
        assert (site.out / "data" / table).is_file(), table
        assert table in descriptor
    assert (site.out / "data" / "datang-2023-report-data.zip").stat().st_size > 10_000
    assert "BSD-3-Clause" in (site.out / "assets" / "README.md").read_text(encoding="utf-8")


def test_an_export_over_budget_fails_and_writes_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(export, "SITE_BUDGET_BYTES", 1_000)
    with pytest.raises(export.ExportError, match="over its budget"):
        export.export_site(tmp_path / "site")
    assert list(tmp_path.iterdir()) == []


def test_export_refuses_a_folder_it_did_not_write(tmp_path: Path) -> None:
    (tmp_path / "notes.txt").write_text("keep me", encoding="utf-8")
    with pytest.raises(export.ExportError, match="not written by `briefing export`"):
        export.export_site(tmp_path)
    assert (tmp_path / "notes.txt").read_text(encoding="utf-8") == "keep me"


def test_a_notebook_that_is_no_app_is_named(tmp_path: Path) -> None:
    (tmp_path / "09_mine.ipynb").write_text("{}", encoding="utf-8")
    with pytest.raises(export.ExportError, match=r"09_mine\.ipynb .* not an app"):
        export.export_site(tmp_path / "site", tmp_path)


@pytest.mark.parametrize("name", all_pages())
def test_pages_load_nothing_from_another_host(site: export.SiteReport, name: str) -> None:
    path = site.out / name
    html = path.read_text(encoding="utf-8")
    loads = page_loads(html)
    assert any(tag == "script" for tag, _ in loads), "no script: the parser missed them"
    for tag, address in loads:
        parts = urlsplit(address)
        if parts.scheme == "data":
            continue
        assert not parts.scheme, f"<{tag}> loads {address} off-site"
        assert not parts.netloc, f"<{tag}> loads {address} off-site"
        assert (path.parent / unquote(parts.path)).resolve().is_file(), f"missing {address}"
    for css in (site.out / "assets").rglob("*.css"):
        content = css.read_text(encoding="utf-8")
        assert "url(" not in content.replace("url(data:", ""), css.name
        assert "@import" not in content, css.name
    for script in (site.out / "assets").glob("*.js"):
        content = script.read_text(encoding="utf-8")
        assert "import(" not in content or script.name == "vega.js", script.name


# --------------------------------------------------------------------------- in the browser


@pytest.mark.parametrize("name", all_pages())
def test_page_works_offline_on_a_phone(
    site: export.SiteReport, phone_context: BrowserContext, page_log: PageLog, name: str
) -> None:
    page = open_site_page(phone_context, page_log, site, name)
    widths = page.evaluate("() => [document.documentElement.scrollWidth, window.innerWidth]")
    assert widths[0] <= widths[1], f"horizontal scroll at 390 px: {widths}"
    charts = page.evaluate(
        """() => Array.from(document.querySelectorAll('[data-chart]'))
             .filter((b) => !b.closest('[hidden]'))
             .map((b) => { const r = b.getBoundingClientRect();
                           const svg = b.querySelector('svg');
                           const w = svg ? svg.getBoundingClientRect().width : 0;
                           return {id: b.id, w: r.width, svg: w}; })"""
    )
    if page.evaluate("() => Object.keys(window.briefing.page.charts).length"):
        assert charts, "no chart drawn"
    for chart in charts:
        assert 0 < chart["svg"] <= chart["w"] + 0.5, chart
    # Tap targets: every visible control of the header, navigation and filters.
    small = page.evaluate(
        """() => Array.from(document.querySelectorAll(
              '.site-header a, .site-nav a, select, button, .seg span, ul.apps a'))
             .filter((el) => el.offsetParent !== null && !el.closest('.vega-embed'))
             .map((el) => { const r = el.getBoundingClientRect();
                            return [el.textContent.trim().slice(0, 20), r.width, r.height]; })
             .filter(([, w, h]) => h < 40 || w < 40)"""
    )
    assert small == [], f"tap targets under 40 px: {small[:5]}"
    font = page.evaluate("() => parseFloat(getComputedStyle(document.body).fontSize)")
    assert font >= 16
    screenshot(page, "static-phone-" + name.replace("/", "-").removesuffix(".html"), full_page=True)
    assert page_log.blocked == []
    assert page_log.errors == []


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_filters_redraw_the_charts_and_the_table(
    site: export.SiteReport, browser_context: BrowserContext, page_log: PageLog, lang: str
) -> None:
    ds = data.load()
    folder = "en/" if lang == "en" else ""
    page = open_site_page(browser_context, page_log, site, f"{folder}01_industry.html")
    industry = ds.facts[ds.facts["sector"] == "industry"]
    money = industry[industry["kind"] == "money"]
    page.select_option("#explore select[data-filter=kind]", "money")
    draw_all(page)
    kinds = page.eval_on_selector_all(
        "#explore [data-chart-holder]",
        "els => els.filter((e) => !e.hidden).map((e) => e.firstChild.dataset.kind)",
    )
    assert kinds
    assert set(kinds) == {"money"}
    cards = page.eval_on_selector_all(
        "#explore [data-fact-filtered] [data-fact-id]",
        "els => els.filter((e) => !e.hidden).map((e) => e.dataset.factId)",
    )
    assert set(cards) <= set(money["fact_id"])
    assert "kind=money" in page.url
    page.locator("label.seg", has=page.locator("input[value=table]")).click()
    rows = page.locator("table[data-fact-table] tbody tr")
    assert rows.count() == len(money)
    assert set(rows.evaluate_all("rs => rs.map((r) => r.dataset.factId)")) == set(money["fact_id"])
    # Sorting by value: descending after a second click, by the normalised value.
    header = page.locator("button[data-sort=value]")
    header.click()
    header.click()
    ids = rows.evaluate_all("rs => rs.map((r) => r.dataset.factId)")
    expected = money.sort_values("value_normalised", ascending=False)["fact_id"].tolist()
    assert ids == expected
    screenshot(page, f"static-table-{lang}")
    assert page_log.errors == []
    assert page_log.blocked == []


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_clicking_a_bar_shows_its_quote_in_its_paragraph(
    site: export.SiteReport, browser_context: BrowserContext, page_log: PageLog, lang: str
) -> None:
    ds = data.load()
    folder = "en/" if lang == "en" else ""
    page = open_site_page(browser_context, page_log, site, f"{folder}01_industry.html")
    bar = page.locator("#explore [data-kind=money] g.mark-rect path").first
    bar.scroll_into_view_if_needed()
    bar.click()
    panel = page.locator("#explore [data-source-panel]")
    panel.wait_for(state="visible")
    fact_id = page.evaluate("() => window.briefing.state.fact")
    fact = ds.facts.set_index("fact_id").loc[fact_id]
    assert fact["kind"] == "money"
    assert panel.locator("mark").first.inner_text() == fact["quote"]
    assert ds.paragraph_text(fact["paragraph_id"]) in panel.inner_text().replace("\n", "")
    label = "Section" if lang == "en" else "所在章节"
    assert label in panel.inner_text()
    assert f"fact={fact_id}" in page.url
    screenshot(page, f"static-source-{lang}")
    assert page_log.errors == []


def test_language_toggle_keeps_the_place(
    site: export.SiteReport, browser_context: BrowserContext, page_log: PageLog
) -> None:
    page = open_site_page(browser_context, page_log, site, "01_industry.html")
    page.select_option("#explore select[data-filter=part]", "tasks_2023")
    page.locator("label.seg", has=page.locator("input[value=table]")).click()
    page.locator("table[data-fact-table] tbody tr").first.click()
    chosen = page.evaluate("() => window.briefing.state.fact")
    page.locator("a.lang-toggle").click()
    page.wait_for_selector("html[data-ready]", state="attached")
    draw_all(page)
    assert page.url.split("#")[0].endswith("/en/01_industry.html")
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.locator("#explore select[data-filter=part]").input_value() == "tasks_2023"
    assert page.locator("input[value=table]").is_checked()
    assert page.locator("#explore [data-source-panel]").is_visible()
    assert page.evaluate("() => window.briefing.state.fact") == chosen
    assert "Section" in page.locator("#explore [data-source-panel]").inner_text()
    page.locator("a.lang-toggle").click()
    page.wait_for_selector("html[data-ready]", state="attached")
    draw_all(page)
    assert not page.url.split("#")[0].endswith("/en/01_industry.html")
    assert page.locator("#explore select[data-filter=part]").input_value() == "tasks_2023"
    assert page_log.errors == []


@pytest.mark.parametrize("name", [*NAMES, "index.html"])
def test_english_pages_have_no_chinese_interface(
    site: export.SiteReport, browser_context: BrowserContext, page_log: PageLog, name: str
) -> None:
    """Headings, navigation, controls and footer of English pages are English; the report's
    own words (quotes, the reader's text, the toggle's 中文) are marked ``lang="zh-CN"``."""
    page = open_site_page(browser_context, page_log, site, f"en/{name}")
    chrome = page.evaluate(
        """() => Array.from(document.querySelectorAll(
              'h1, h2, h3, nav a, label > span, legend, button, option, th, footer p, '
              + '.briefing-muted'))
             .filter((el) => !el.closest('[lang^="zh"], .briefing-report, [data-hits]'))
             .map((el) => el.textContent)"""
    )
    chinese = [line for line in chrome if CJK.search(line)]
    assert chinese == [], chinese[:5]


# --------------------------------------------------------------------------- accessibility

#: The context fixture of each screen size.
DEVICES = {"desktop": "browser_context", "phone": "phone_context"}


@pytest.mark.parametrize("device", list(DEVICES))
@pytest.mark.parametrize("name", all_pages())
def test_page_has_no_serious_axe_violation(
    site: export.SiteReport,
    page_log: PageLog,
    request: pytest.FixtureRequest,
    name: str,
    device: str,
) -> None:
    """axe-core's WCAG 2.1 A and AA rules find nothing serious or critical, text of every
    size stands out 4.5:1 from its background (:func:`page_faults`), every drawn chart has a
    name, and no style sheet locks the screen's orientation."""
    context = request.getfixturevalue(DEVICES[device])
    page = open_site_page(context, page_log, site, name)
    found = page_faults(page, f"{name} ({device})")
    unnamed = page.evaluate(
        """() => Array.from(document.querySelectorAll('[data-chart][data-drawn]'))
             .filter((box) => !(box.getAttribute('aria-label') || '').trim())
             .map((box) => box.id)"""
    )
    found += [f"chart without a name: {box}" for box in unnamed]
    screenshot(page, f"static-a11y-{device}-" + name.replace("/", "-").removesuffix(".html"))
    assert not found, "\n".join(found)
    assert page_log.errors == []
    for css in (site.out / "assets").glob("*.css"):
        assert "orientation" not in css.read_text(encoding="utf-8"), css.name


def page_faults(page: Page, label: str) -> list[str]:
    """axe-core's serious and critical findings on ``page`` as it is now, with text under 4.5:1.

    A page opened from a file may not read its own style sheets' rules, so axe-core is told
    not to fetch them (it would, and fail): the one rule that needs them, the lock of the
    screen's orientation, is checked in the style sheets' text instead
    (:func:`test_page_has_no_serious_axe_violation`)."""
    found = serious_axe_violations(page, label, preload=False)
    return found + low_contrast(page, label, preload=False)


@pytest.mark.parametrize("device", list(DEVICES))
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_what_the_controls_open_has_no_serious_axe_violation(
    site: export.SiteReport,
    page_log: PageLog,
    request: pytest.FixtureRequest,
    lang: str,
    device: str,
) -> None:
    """The chart's menu, the table, a figure's source and the reader's hits, once shown."""
    context = request.getfixturevalue(DEVICES[device])
    folder = "en/" if lang == "en" else ""
    found: list[str] = []
    page = open_site_page(context, page_log, site, f"{folder}01_industry.html")
    menu = page.locator("#explore [data-chart] details").first
    menu.locator("summary").click()
    assert menu.get_attribute("open") is not None
    found += page_faults(page, "chart menu")
    page.keyboard.press("Escape")
    page.locator("label.seg", has=page.locator("input[value=table]")).click()
    page.locator("table[data-fact-table] tbody tr").first.click()
    page.locator("#explore [data-source-panel]").wait_for(state="visible")
    found += page_faults(page, "table and source")
    page = open_site_page(context, page_log, site, f"{folder}05_report_reader.html")
    page.fill("form[data-search] input[type=search]", "园区")
    page.keyboard.press("Enter")
    page.locator("[data-hits] li").first.wait_for()
    found += page_faults(page, "reader's hits")
    screenshot(page, f"static-a11y-reader-{lang}-{device}")
    assert not found, f"{lang} ({device}):\n" + "\n".join(found)
    assert page_log.errors == []


# --------------------------------------------------------------------------- the reader


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_reader_finds_a_chinese_phrase_as_the_app_does(
    site: export.SiteReport, browser_context: BrowserContext, page_log: PageLog, lang: str
) -> None:
    ds = data.load()
    paragraphs = data_records(ds)
    expected = text.search(paragraphs, "园区", "phrase")
    folder = "en/" if lang == "en" else ""
    page = open_site_page(browser_context, page_log, site, f"{folder}05_report_reader.html")
    page.fill("form[data-search] input[type=search]", "园区")
    page.keyboard.press("Enter")
    page.locator("[data-hits] li").first.wait_for()
    assert page.locator("[data-hits] li").count() == len(expected)
    marks = page.locator(".briefing-report mark.hit")
    assert marks.count() == sum(hit.count for hit in expected)
    assert set(marks.all_inner_texts()) == {"园区"}
    assert "q=" in page.url
    screenshot(page, f"static-reader-{lang}")
    assert page_log.errors == []


def data_records(ds: data.Dataset) -> list[dict[str, object]]:
    from briefing import frames

    return frames.records(ds.paragraphs.sort_values("start", kind="stable"))


def test_reader_searches_english_words_in_the_facts_translations(
    site: export.SiteReport, browser_context: BrowserContext, page_log: PageLog
) -> None:
    ds = data.load()
    page = open_site_page(browser_context, page_log, site, "en/05_report_reader.html")
    page.fill("form[data-search] input[type=search]", "investment")
    page.keyboard.press("Enter")
    hits = page.locator("[data-hits] li[data-fact-id]")
    hits.first.wait_for()
    names = ds.facts["indicator_en"].str.lower()
    expected = ds.facts[names.str.contains(r"\binvestment", regex=True)]
    assert hits.count() == len(expected)
    assert "English names" in page.locator("[data-summary]").inner_text()
    page.fill("form[data-search] input[type=search]", "zebra")
    page.keyboard.press("Enter")
    summary = page.locator("[data-summary]")
    assert "report is in Chinese" in summary.inner_text()
    assert page.locator("[data-hits] li").count() == 0
    assert page_log.errors == []


def test_reader_keyword_chart_searches_a_clicked_term(
    site: export.SiteReport, browser_context: BrowserContext, page_log: PageLog
) -> None:
    page = open_site_page(browser_context, page_log, site, "05_report_reader.html")
    picker = page.locator("select[data-term-picker]")
    term = picker.locator("option").nth(3).get_attribute("value")  # not the first bar
    assert term
    picker.select_option(term)
    page.locator("[data-hits] li").first.wait_for()
    assert page.locator("input[data-mode][value=word]").is_checked()
    assert page.locator("form[data-search] input[type=search]").input_value() == term
    bar = page.locator("#chart-terms-0 g.mark-rect path").first
    bar.scroll_into_view_if_needed()
    bar.click()
    page.wait_for_function(
        "(t) => window.briefing.state.q && window.briefing.state.q !== t", arg=term
    )
    assert page.locator("[data-hits] li").count() > 0
    assert page_log.errors == []


# --------------------------------------------------------------------------- the tracker


def test_tracker_filters_by_state_and_area(
    site: export.SiteReport, browser_context: BrowserContext, page_log: PageLog
) -> None:
    ds = data.load()
    page = open_site_page(browser_context, page_log, site, "en/06_commitments.html")
    items = page.locator(".briefing-commitment[data-item]")
    assert items.count() == len(ds.commitments)
    area = ds.commitments["area"].iloc[0]
    page.select_option("select[data-filter=area_id]", area)
    visible = page.locator(".briefing-commitment[data-item]:visible")
    assert visible.count() == int((ds.commitments["area"] == area).sum())
    page.select_option("select[data-filter=state]", "done")
    assert page.locator(".briefing-commitment[data-item]:visible").count() == 0  # none recorded
    assert "tracker.state=done" in page.url
    assert page_log.errors == []


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_clicking_a_claim_shows_its_source_beside_it(
    site: export.SiteReport, browser_context: BrowserContext, page_log: PageLog, lang: str
) -> None:
    ds = data.load()
    folder = "en/" if lang == "en" else ""
    page = open_site_page(browser_context, page_log, site, f"{folder}01_industry.html")
    claim = page.locator("#story [data-fact-id]").first
    fact_id = claim.get_attribute("data-fact-id")
    claim.click()
    panel = page.locator("#story [data-source-panel]")
    panel.wait_for(state="visible")
    quote = ds.facts.set_index("fact_id").loc[fact_id, "quote"]
    assert panel.locator("mark").first.inner_text() == quote
    assert page.locator("#explore [data-source-panel]").is_hidden()
    screenshot(page, f"static-claim-{lang}")
    assert page_log.errors == []
