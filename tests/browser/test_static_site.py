"""The static site of ``briefing export``, opened from disk in Chromium with the network cut.

The site is exported once for the module (a few seconds: no notebook runs). Each page must
work from the files of the site folder alone: every request that is not one of them is
aborted and recorded, and must not happen. The interactions are tested in both languages
and at phone size (390×844), and axe-core checks every page at both sizes. The tests open
pages with the ``open_site`` fixture and walk them with the ``each_page``, ``each_lang``
and ``each_device`` parametrizations. Screenshots:
``test-artifacts/screenshots/static-*.png``.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from html.parser import HTMLParser
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

import pytest
from browser_harness import PageLog, low_contrast, open_page, screenshot, serious_axe_violations
from playwright.sync_api import BrowserContext, Locator, Page, Route

from briefing import data, export, text
from briefing.catalogue import APPS
from briefing.site import pages as site_pages

pytestmark = [pytest.mark.browser]

NAMES = [site_pages.page_name(info) for info in APPS]
LANGS = list(site_pages.LANG_FOLDERS)
INDUSTRY = "01_industry.html"
READER = "05_report_reader.html"
PHONE = {"width": 390, "height": 844}
#: The options of each screen size's browser context (besides the defaults of ``new_context``).
DEVICES: dict[str, dict[str, Any]] = {
    "desktop": {},
    "phone": {"viewport": PHONE, "is_mobile": True, "has_touch": True},
}
SEARCH_BOX = "form[data-search] input[type=search]"
CJK = re.compile(r"[\u3400-\u9fff]")
TIMEOUT_MS = 20_000

#: Ready, and every chart drawn (charts are drawn as they come near the screen:
#: :func:`wait_until_ready` scrolls through the page first).
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


OpenSite = Callable[..., Page]


@pytest.fixture
def open_site(
    site: export.SiteReport, new_context: Callable[..., BrowserContext], page_log: PageLog
) -> OpenSite:
    """``open_site(path, device="desktop")``: a page of the site (``en/01_industry.html``),
    ready and with every chart drawn, in the test's context of that size (made at its first
    page), where pages read the site's files and nothing else; all report to ``page_log``."""
    contexts: dict[str, BrowserContext] = {}

    def open_(path: str, device: str = "desktop") -> Page:
        if device not in contexts:
            contexts[device] = new_context(**DEVICES[device])
            allow_site_files(contexts[device], site.out, page_log)
        page = open_page(contexts[device], page_log)
        page.goto((site.out / path).as_uri())
        wait_until_ready(page)
        return page

    return open_


@pytest.fixture
def industry(open_site: OpenSite, lang: str) -> Page:
    """The industry page, on a desktop, in the test's language (its ``lang`` parameter)."""
    return open_site(page_path(lang, INDUSTRY))


def wait_until_ready(page: Page) -> None:
    """Wait for the page's script to be ready, then draw every chart."""
    page.wait_for_selector("html[data-ready]", state="attached", timeout=TIMEOUT_MS)
    draw_all(page)


def assert_clean(log: PageLog) -> None:
    """No console or uncaught error, and nothing was asked for outside the site."""
    assert log.errors == []
    assert log.blocked == []


def show_table(page: Page) -> None:
    """Switch the explorer from its charts to its table."""
    page.locator("label.seg", has=page.locator("input[value=table]")).click()


def show_source(page: Page, target: Locator, section: str) -> Locator:
    """Click ``target`` (a bar, a row, a claim) and return the source panel of ``section``
    (``#explore``) once it shows."""
    target.scroll_into_view_if_needed()
    target.click()
    panel = page.locator(f"{section} [data-source-panel]")
    panel.wait_for(state="visible")
    return panel


def search(page: Page, query: str) -> None:
    """Search the report from the reader's box, as a person does (Enter)."""
    page.fill(SEARCH_BOX, query)
    page.keyboard.press("Enter")


def toggle_language(page: Page) -> None:
    """Follow the header's link to the other language and wait for that page."""
    page.locator("a.lang-toggle").click()
    wait_until_ready(page)


@pytest.fixture(scope="module")
def ds() -> data.Dataset:
    return data.load()


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


def page_path(lang: str, name: str) -> str:
    """Where a page is in the site, in ``lang`` (``en/01_industry.html``)."""
    return site_pages.LANG_FOLDERS[lang] + name


def all_pages() -> list[str]:
    return [page_path(lang, name) for lang in LANGS for name in ["index.html", *NAMES]]


def shot_name(path: str) -> str:
    """A page's path as part of a screenshot's name (``en-01_industry``)."""
    return path.replace("/", "-").removesuffix(".html")


#: The walks: every page of both languages, each language, each screen size.
each_page = pytest.mark.parametrize("name", all_pages())
each_lang = pytest.mark.parametrize("lang", LANGS)
each_device = pytest.mark.parametrize("device", list(DEVICES))


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


@each_page
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


@each_page
def test_page_works_offline_on_a_phone(open_site: OpenSite, page_log: PageLog, name: str) -> None:
    page = open_site(name, "phone")
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
    screenshot(page, "static-phone-" + shot_name(name), full_page=True)
    assert_clean(page_log)


@each_lang
def test_filters_redraw_the_charts_and_the_table(
    industry: Page, page_log: PageLog, ds: data.Dataset, lang: str
) -> None:
    page = industry
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
    show_table(page)
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
    assert_clean(page_log)


#: Where a figure is clicked on the industry page: what is clicked, the section whose source
#: panel then shows its quote, the kind of figure it must be (or None), the screenshot's name.
FIGURE_CLICKS = {
    "bar": ("#explore [data-kind=money] g.mark-rect path", "#explore", "money", "static-source"),
    "claim": ("#story [data-fact-id]", "#story", None, "static-claim"),
}


@pytest.mark.parametrize("clicked", list(FIGURE_CLICKS))
@each_lang
def test_clicking_a_figure_shows_its_quote_in_its_paragraph_beside_it(
    industry: Page, page_log: PageLog, ds: data.Dataset, lang: str, clicked: str
) -> None:
    selector, section, kind, shot = FIGURE_CLICKS[clicked]
    page = industry
    target = page.locator(selector).first
    named = target.get_attribute("data-fact-id")  # a claim names its figure; a bar does not
    panel = show_source(page, target, section)
    fact_id = page.evaluate("() => window.briefing.state.fact")
    if named is not None:
        assert fact_id == named
    fact = ds.facts.set_index("fact_id").loc[fact_id]
    if kind is not None:
        assert fact["kind"] == kind
    assert panel.locator("mark").first.inner_text() == fact["quote"]
    assert ds.paragraph_text(fact["paragraph_id"]) in panel.inner_text().replace("\n", "")
    label = "Section" if lang == "en" else "所在章节"
    assert label in panel.inner_text()
    assert f"fact={fact_id}" in page.url
    assert page.locator("[data-source-panel]:visible").count() == 1  # the others are hidden
    screenshot(page, f"{shot}-{lang}")
    assert_clean(page_log)


def test_language_toggle_keeps_the_place(open_site: OpenSite, page_log: PageLog) -> None:
    page = open_site(INDUSTRY)
    page.select_option("#explore select[data-filter=part]", "tasks_2023")
    show_table(page)
    page.locator("table[data-fact-table] tbody tr").first.click()
    chosen = page.evaluate("() => window.briefing.state.fact")
    toggle_language(page)
    assert page.url.split("#")[0].endswith("/" + page_path("en", INDUSTRY))
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.locator("#explore select[data-filter=part]").input_value() == "tasks_2023"
    assert page.locator("input[value=table]").is_checked()
    assert page.locator("#explore [data-source-panel]").is_visible()
    assert page.evaluate("() => window.briefing.state.fact") == chosen
    assert "Section" in page.locator("#explore [data-source-panel]").inner_text()
    toggle_language(page)
    assert not page.url.split("#")[0].endswith("/" + page_path("en", INDUSTRY))
    assert page.locator("#explore select[data-filter=part]").input_value() == "tasks_2023"
    assert_clean(page_log)


@pytest.mark.parametrize("name", [*NAMES, "index.html"])
def test_english_pages_have_no_chinese_interface(
    open_site: OpenSite, page_log: PageLog, name: str
) -> None:
    """Headings, navigation, controls and footer of English pages are English; the report's
    own words (quotes, the reader's text, the toggle's 中文) are marked ``lang="zh-CN"``."""
    page = open_site(page_path("en", name))
    chrome = page.evaluate(
        """() => Array.from(document.querySelectorAll(
              'h1, h2, h3, nav a, label > span, legend, button, option, th, footer p, '
              + '.briefing-muted'))
             .filter((el) => !el.closest('[lang^="zh"], .briefing-report, [data-hits]'))
             .map((el) => el.textContent)"""
    )
    chinese = [line for line in chrome if CJK.search(line)]
    assert chinese == [], chinese[:5]
    assert_clean(page_log)


# --------------------------------------------------------------------------- accessibility


def page_faults(page: Page, label: str) -> list[str]:
    """axe-core's serious and critical findings on ``page`` as it is now, and text under
    4.5:1 against its background.

    A page opened from a file may not read its own style sheets' rules, so axe-core is told
    not to fetch them (it would, and fail): the one rule that needs them, the lock of the
    screen's orientation, is checked in the style sheets' text instead
    (:func:`test_no_style_sheet_locks_the_orientation`)."""
    found = serious_axe_violations(page, label, preload=False)
    return found + low_contrast(page, label, preload=False)


@each_device
@each_page
def test_page_has_no_serious_axe_violation(
    open_site: OpenSite, page_log: PageLog, name: str, device: str
) -> None:
    """axe-core's WCAG 2.1 A and AA rules find nothing serious or critical, text of every
    size stands out 4.5:1 from its background, and every drawn chart has a name."""
    page = open_site(name, device)
    found = page_faults(page, f"{name} ({device})")
    unnamed = page.evaluate(
        """() => Array.from(document.querySelectorAll('[data-chart][data-drawn]'))
             .filter((box) => !(box.getAttribute('aria-label') || '').trim())
             .map((box) => box.id)"""
    )
    found += [f"chart without a name: {box}" for box in unnamed]
    screenshot(page, f"static-a11y-{device}-" + shot_name(name))
    assert not found, "\n".join(found)
    assert_clean(page_log)


def test_no_style_sheet_locks_the_orientation(site: export.SiteReport) -> None:
    """WCAG 1.3.4 (axe-core's css-orientation-lock, which cannot read them from a file)."""
    sheets = list((site.out / "assets").rglob("*.css"))
    assert sheets
    for css in sheets:
        assert "orientation" not in css.read_text(encoding="utf-8"), css.name


@each_device
@each_lang
def test_what_the_controls_open_has_no_serious_axe_violation(
    open_site: OpenSite, page_log: PageLog, lang: str, device: str
) -> None:
    """The chart's menu, the table, a figure's source and the reader's hits, once shown."""
    found: list[str] = []
    page = open_site(page_path(lang, INDUSTRY), device)
    menu = page.locator("#explore [data-chart] details").first
    menu.locator("summary").click()
    assert menu.get_attribute("open") is not None
    found += page_faults(page, "chart menu")
    page.keyboard.press("Escape")
    assert menu.get_attribute("open") is None
    show_table(page)
    show_source(page, page.locator("table[data-fact-table] tbody tr").first, "#explore")
    found += page_faults(page, "table and source")
    page = open_site(page_path(lang, READER), device)
    search(page, "园区")
    page.locator("[data-hits] li").first.wait_for()
    found += page_faults(page, "reader's hits")
    screenshot(page, f"static-a11y-reader-{lang}-{device}")
    assert not found, f"{lang} ({device}):\n" + "\n".join(found)
    assert_clean(page_log)


# --------------------------------------------------------------------------- the reader


@each_lang
def test_reader_finds_a_chinese_phrase_as_the_app_does(
    open_site: OpenSite, page_log: PageLog, ds: data.Dataset, lang: str
) -> None:
    expected = text.search(data_records(ds), "园区", "phrase")
    page = open_site(page_path(lang, READER))
    search(page, "园区")
    page.locator("[data-hits] li").first.wait_for()
    assert page.locator("[data-hits] li").count() == len(expected)
    marks = page.locator(".briefing-report mark.hit")
    assert marks.count() == sum(hit.count for hit in expected)
    assert set(marks.all_inner_texts()) == {"园区"}
    assert "q=" in page.url
    screenshot(page, f"static-reader-{lang}")
    assert_clean(page_log)


def data_records(ds: data.Dataset) -> list[dict[str, object]]:
    from briefing import frames

    return frames.records(ds.paragraphs.sort_values("start", kind="stable"))


def test_reader_searches_english_words_in_the_facts_translations(
    open_site: OpenSite, page_log: PageLog, ds: data.Dataset
) -> None:
    page = open_site(page_path("en", READER))
    search(page, "investment")
    hits = page.locator("[data-hits] li[data-fact-id]")
    hits.first.wait_for()
    names = ds.facts["indicator_en"].str.lower()
    expected = ds.facts[names.str.contains(r"\binvestment", regex=True)]
    assert hits.count() == len(expected)
    assert "English names" in page.locator("[data-summary]").inner_text()
    search(page, "zebra")
    summary = page.locator("[data-summary]")
    assert "report is in Chinese" in summary.inner_text()
    assert page.locator("[data-hits] li").count() == 0
    assert_clean(page_log)


def test_reader_keyword_chart_searches_a_clicked_term(
    open_site: OpenSite, page_log: PageLog
) -> None:
    page = open_site(READER)
    picker = page.locator("select[data-term-picker]")
    term = picker.locator("option").nth(3).get_attribute("value")  # not the first bar
    assert term
    picker.select_option(term)
    page.locator("[data-hits] li").first.wait_for()
    assert page.locator("input[data-mode][value=word]").is_checked()
    assert page.locator(SEARCH_BOX).input_value() == term
    bar = page.locator("#chart-terms-0 g.mark-rect path").first
    bar.scroll_into_view_if_needed()
    bar.click()
    page.wait_for_function(
        "(t) => window.briefing.state.q && window.briefing.state.q !== t", arg=term
    )
    assert page.locator("[data-hits] li").count() > 0
    assert_clean(page_log)


# --------------------------------------------------------------------------- the tracker


def test_tracker_filters_by_state_and_area(
    open_site: OpenSite, page_log: PageLog, ds: data.Dataset
) -> None:
    page = open_site(page_path("en", "06_commitments.html"))
    items = page.locator(".briefing-commitment[data-item]")
    assert items.count() == len(ds.commitments)
    area = ds.commitments["area"].iloc[0]
    page.select_option("select[data-filter=area_id]", area)
    visible = page.locator(".briefing-commitment[data-item]:visible")
    assert visible.count() == int((ds.commitments["area"] == area).sum())
    page.select_option("select[data-filter=state]", "done")
    assert page.locator(".briefing-commitment[data-item]:visible").count() == 0  # none recorded
    assert "tracker.state=done" in page.url
    assert_clean(page_log)
