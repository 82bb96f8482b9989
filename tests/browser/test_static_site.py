"""The static site of ``briefing export``, opened from disk in Chromium with the network cut.

The site is exported once for the module (every app notebook runs: about a minute). Each
page must draw its widgets and charts from what is inside the site folder alone: every
request that is not a file of the site is aborted and recorded, and must not happen.
Screenshots go to ``test-artifacts/screenshots/static-<page>.png``.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
from browser_harness import PageLog, apps_without_charts, open_page, screenshot
from playwright.sync_api import BrowserContext, Page, Route

from briefing import export, paths

pytestmark = [pytest.mark.browser, pytest.mark.slow]

NOTEBOOKS = export.app_notebooks(paths.notebooks_dir())
STEMS = [path.stem for path in NOTEBOOKS]
RENDER_TIMEOUT_MS = 30_000

#: Every chart of a page: the SVG rendering the export keeps, drawn by the widget manager.
_CHARTS_JS = """
() => Array.from(document.querySelectorAll('.widget-output .jp-RenderedSVG img')).map((img) => {
  const box = img.getBoundingClientRect();
  return {complete: img.complete, natural: img.naturalWidth * img.naturalHeight,
          width: box.width, height: box.height, src: img.src.slice(0, 26)};
})
"""
_CHARTS_DRAWN_JS = """
() => {
  const imgs = Array.from(document.querySelectorAll('.widget-output .jp-RenderedSVG img'));
  return imgs.length > 0 && imgs.every((img) => img.complete && img.naturalWidth > 0);
}
"""


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> export.SiteReport:
    return export.export_site(tmp_path_factory.mktemp("static") / "site")


def allow_site_files(context: BrowserContext, root: Path, log: PageLog) -> None:
    """Let the pages read the files of the site folder, and nothing else from the disk.

    The harness treats any non-loopback URL as leaving the machine, ``file:`` included;
    this route (registered last, so asked first) lets the site's own files through and
    aborts and records any other file.
    """
    prefix = root.resolve().as_uri() + "/"

    def handle(route: Route) -> None:
        url = route.request.url
        if url.startswith(prefix) and ".." not in unquote(url[len(prefix) :]).split("/"):
            route.continue_()
        else:
            log.blocked.append(url)
            route.abort("blockedbyclient")

    context.route(re.compile(r"^file:"), handle)


def open_site_page(
    context: BrowserContext, log: PageLog, site: export.SiteReport, name: str
) -> Page:
    allow_site_files(context, site.out, log)
    page = open_page(context, log)
    page.goto((site.out / name).as_uri())
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


# --------------------------------------------------------------------------- the folder


def test_site_has_every_page_and_stays_within_budget(site: export.SiteReport) -> None:
    names = {result.path.name for result in site.pages}
    assert names == {f"{stem}.html" for stem in STEMS}
    assert not any(name.startswith(export.HIDDEN_PREFIX) for name in names)
    assert (site.out / "index.html").is_file()
    assert site.total_bytes == export.site_size(site.out)
    assert site.total_bytes <= export.SITE_BUDGET_BYTES, site.summary()
    manager = site.out / export.ASSETS / export.HTML_MANAGER
    for licence in ("LICENSE", "embed.js.LICENSE.txt", "fontawesome-LICENSE.txt"):
        assert (manager / licence).is_file(), licence
    assert (site.out / export.ASSETS / "lab" / "LICENSE").is_file()
    assert (site.out / export.ASSETS / "README.md").is_file()


@pytest.mark.parametrize("name", ["index.html", *[f"{stem}.html" for stem in STEMS]])
def test_pages_load_nothing_from_another_host(site: export.SiteReport, name: str) -> None:
    html = (site.out / name).read_text(encoding="utf-8")
    loads = page_loads(html)
    assert loads, "a page without any script or style sheet: the parser missed them"
    for tag, address in loads:
        parts = urlsplit(address)
        if parts.scheme == "data":
            continue
        assert not parts.scheme, f"<{tag}> loads {address} off-site"
        assert not parts.netloc, f"<{tag}> loads {address} off-site"
        assert (site.out / unquote(parts.path)).is_file(), f"<{tag}> names a missing {address}"
    for css in (site.out / export.ASSETS).rglob("*.css"):
        for url in re.findall(r"url\(\s*['\"]?([^'\")]+)", css.read_text(encoding="utf-8")):
            assert url.startswith("data:"), f"{css.name} loads {url}"
        assert "@import" not in css.read_text(encoding="utf-8"), css.name


@pytest.mark.parametrize("stem", STEMS)
def test_pages_show_no_code_and_keep_the_chinese_title(site: export.SiteReport, stem: str) -> None:
    html = (site.out / f"{stem}.html").read_text(encoding="utf-8")
    page = export.app_page(paths.notebooks_dir() / f"{stem}.ipynb")
    assert f"<title>{page.heading}</title>" in html
    assert export.has_cjk(page.heading)
    for source in ("from briefing", "_app()", "hl-ipython3", "Traceback"):
        assert source not in html, source
    assert export.binder_url(page.notebook) in html.replace("&amp;", "&")


def test_export_refuses_a_folder_it_did_not_write(tmp_path: Path) -> None:
    (tmp_path / "notes.txt").write_text("keep me", encoding="utf-8")
    with pytest.raises(export.ExportError, match="not written by `briefing export`"):
        export.export_site(tmp_path)
    assert (tmp_path / "notes.txt").read_text(encoding="utf-8") == "keep me"


def test_an_app_showing_its_error_message_fails_the_export() -> None:
    import nbformat

    nb = nbformat.v4.new_notebook()
    nb.metadata["widgets"] = {
        export.WIDGET_STATE_MIME: {
            "state": {
                "m1": {
                    "model_name": "HTMLModel",
                    "state": {"value": "<div class='briefing-error' role='alert'>数据有误</div>"},
                }
            }
        }
    }
    page = export.AppPage("09_x.ipynb", "X", "X", "X", "", "")
    with pytest.raises(export.ExportError, match=r"09_x\.ipynb shows an error"):
        export.prepare_notebook(nb, page)


def test_links_to_exported_notebooks_point_at_their_pages() -> None:
    import nbformat

    nb = nbformat.v4.new_notebook()
    value = "<a href='01_industry.ipynb'>产业</a> <a href='99_other.ipynb'>x</a>"
    nb.metadata["widgets"] = {
        export.WIDGET_STATE_MIME: {
            "state": {"m1": {"model_name": "HTMLModel", "state": {"value": value}}}
        }
    }
    page = export.AppPage("00_overview.ipynb", "总览", "总览", "Overview", "", "")
    export.prepare_notebook(nb, page, ["00_overview.ipynb", "01_industry.ipynb"])
    state = nb.metadata["widgets"][export.WIDGET_STATE_MIME]["state"]["m1"]["state"]
    assert state["value"] == "<a href='01_industry.html'>产业</a> <a href='99_other.ipynb'>x</a>"
    assert nb.metadata["title"] == "总览"


# --------------------------------------------------------------------------- in the browser


@pytest.mark.parametrize("stem", STEMS)
def test_page_renders_offline(
    site: export.SiteReport, browser_context: BrowserContext, page_log: PageLog, stem: str
) -> None:
    info = export.app_page(paths.notebooks_dir() / f"{stem}.ipynb")
    page = open_site_page(browser_context, page_log, site, f"{stem}.html")
    page.wait_for_selector(".widget-subarea", state="attached", timeout=RENDER_TIMEOUT_MS)
    if f"{stem}.ipynb" in apps_without_charts():
        # Every figure of this app is a card (no two alike to chart): the cards are drawn.
        cards = page.locator(".briefing-figures .briefing-card")
        cards.first.wait_for(state="visible", timeout=RENDER_TIMEOUT_MS)
        assert page.evaluate(_CHARTS_JS) == []
        charts = []
    else:
        page.wait_for_function(_CHARTS_DRAWN_JS, timeout=RENDER_TIMEOUT_MS)
        charts = page.evaluate(_CHARTS_JS)
        assert charts, "no chart"
    for chart in charts:
        assert chart["src"].startswith("data:image/svg+xml"), chart
        assert chart["natural"] > 0, chart
        assert chart["width"] > 0, chart
        assert chart["height"] > 0, chart
    # Every widget the saved state names was drawn (none left as a bare script element).
    assert (
        page.locator(".widget-subarea").count()
        == page.locator("script[type='application/vnd.jupyter.widget-view+json']").count()
    )
    assert page.title() == info.heading
    heading = page.locator("h1").first
    assert heading.is_visible()
    assert info.heading in heading.inner_text()
    text = page.locator("body").inner_text()
    assert "2022年" in text or "2023年" in text
    banner = page.locator(".briefing-static-banner")
    assert banner.is_visible()
    assert "静态快照" in banner.inner_text()
    assert "Static snapshot" in banner.inner_text()
    live = banner.locator("a", has_text="Binder").first.get_attribute("href")
    assert live == export.binder_url(info.notebook)
    # Links between apps lead to pages of the site, not to notebooks.
    hrefs = page.eval_on_selector_all("a[href]", "els => els.map((a) => a.getAttribute('href'))")
    local = [href for href in hrefs if not urlsplit(href).scheme and not href.startswith("#")]
    assert local, "no links to the other apps"
    for href in local:
        assert (site.out / href.split("#")[0]).is_file(), href
    screenshot(page, f"static-{stem}")
    assert page_log.blocked == []
    assert page_log.errors == []


def test_sector_page_shows_the_review_in_chinese(
    site: export.SiteReport, browser_context: BrowserContext, page_log: PageLog
) -> None:
    page = open_site_page(browser_context, page_log, site, "01_industry.html")
    page.wait_for_function(_CHARTS_DRAWN_JS, timeout=RENDER_TIMEOUT_MS)
    assert page.get_by_text("2022年主要成绩").first.is_visible()
    assert page.get_by_text("招商引资额").first.is_visible()
    assert page_log.blocked == []
    assert page_log.errors == []


def test_landing_page_lists_every_app(
    site: export.SiteReport, browser_context: BrowserContext, page_log: PageLog
) -> None:
    page = open_site_page(browser_context, page_log, site, "index.html")
    items = page.locator("ul.apps > li")
    assert items.count() == len(STEMS)
    for path in NOTEBOOKS:
        info = export.app_page(path)
        item = page.locator("ul.apps > li", has=page.locator(f"a[href='{path.stem}.html']"))
        assert item.count() == 1, path.name
        text = item.inner_text()
        assert info.title_zh in text
        assert (info.blurb_en or info.title_en) in text
        if info.blurb_zh:
            assert info.blurb_zh in text
    screenshot(page, "static-index", full_page=True)
    page.locator("a[href='01_industry.html']").click()
    page.wait_for_function(_CHARTS_DRAWN_JS, timeout=RENDER_TIMEOUT_MS)
    assert page.url.endswith("/01_industry.html")
    assert page_log.blocked == []
    assert page_log.errors == []
