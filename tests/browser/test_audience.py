"""From the meeting to the phones: ``briefing serve`` serves the exported site at ``/site/``,
and meeting mode shows the QR code of the audience's address.

One server, with one app notebook (the industry app, so a single kernel is pre-heated), the
site exported into a temporary folder, and the audience address given as ``briefing serve
--audience-url`` would give it.
"""

from __future__ import annotations

import shutil
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from browser_harness import (
    PageLog,
    VoilaServer,
    block_external,
    open_page,
    screenshot,
    wait_for_app,
)
from playwright.sync_api import Browser, BrowserContext

from briefing import audience, export, paths

pytestmark = [pytest.mark.browser, pytest.mark.slow]

AUDIENCE_URL = "http://192.0.2.10:8866/site/"  # a documentation address: encoded, never opened
APP = "01_industry.ipynb"


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory, voila_server_factory) -> VoilaServer:  # type: ignore[no-untyped-def]
    base = tmp_path_factory.mktemp("audience")
    notebooks = base / "notebooks"
    notebooks.mkdir()
    shutil.copy2(paths.notebooks_dir() / APP, notebooks / APP)
    export.export_site(base / "site")
    env = {audience.SITE_ENV: str(base / "site"), audience.AUDIENCE_URL_ENV: AUDIENCE_URL}
    return voila_server_factory(notebooks, env=env)  # type: ignore[no-any-return]


def fetch(url: str) -> tuple[int, bytes, str]:
    try:
        with urllib.request.urlopen(url, timeout=30) as response:
            return response.status, response.read(), response.headers.get("Content-Type", "")
    except urllib.error.HTTPError as error:
        return error.code, b"", ""


def test_the_site_is_served_at_site(server: VoilaServer) -> None:
    status, body, kind = fetch(server.url("site/"))
    assert status == 200
    assert "text/html" in kind
    assert "大塘镇2023年政府工作报告" in body.decode("utf-8")
    for path in ("site/en/01_industry.html", "site/assets/vega.js", "site/data/facts.csv"):
        assert fetch(server.url(path))[0] == 200, path
    assert fetch(server.url("site"))[0] == 200  # redirected to site/
    for path in ("site/../voila.json", "site/%2e%2e/voila.json", "site/nothing.html"):
        assert fetch(server.url(path))[0] in {403, 404}, path


def test_the_qr_code_is_the_audience_address(server: VoilaServer) -> None:
    status, body, _ = fetch(server.url("briefing/audience.json"))
    assert status == 200
    assert body.decode() == '{"url": "' + AUDIENCE_URL + '"}'
    status, svg, kind = fetch(server.url("briefing/audience.svg"))
    assert status == 200
    assert kind.startswith("image/svg+xml")
    assert svg.decode("utf-8") == audience.qr_svg(AUDIENCE_URL)


def test_site_page_works_through_the_server(
    server: VoilaServer, browser_context: BrowserContext, page_log: PageLog
) -> None:
    page = open_page(browser_context, page_log)
    page.goto(server.url("site/en/01_industry.html#kind=money"))
    page.wait_for_selector("html[data-ready]", state="attached")
    page.locator("#explore [data-kind=money]").first.scroll_into_view_if_needed()  # drawn when near
    page.wait_for_function("() => document.querySelector('#explore [data-kind=money][data-drawn]')")
    assert page.locator("#explore select[data-filter=kind]").input_value() == "money"
    assert page_log.blocked == []
    assert page_log.errors == []


def test_meeting_mode_shows_the_qr_code_on_the_title_screen_and_on_request(
    server: VoilaServer, browser_context: BrowserContext, page_log: PageLog
) -> None:
    page = open_page(browser_context, page_log)
    page.goto(server.render_url(APP, "present=1"))
    wait_for_app(page, chart=False)  # meeting mode opens on the headline claims, not a chart
    panel = page.locator(".briefing-audience")
    panel.wait_for(state="visible")
    image = panel.locator("img")
    page.wait_for_function(
        "() => { const i = document.querySelector('.briefing-audience img');"
        " return i && i.complete && i.naturalWidth > 0; }"
    )
    box = image.bounding_box()
    assert box is not None
    assert box["width"] >= 200
    assert panel.locator("a").inner_text() == AUDIENCE_URL
    screenshot(page, "meeting-audience-qr")
    page.keyboard.press("ArrowRight")
    assert panel.is_hidden()
    page.keyboard.press("q")
    assert panel.is_visible()
    page.keyboard.press("q")
    assert panel.is_hidden()
    page.locator("button.briefing-qr").click()
    assert panel.is_visible()
    assert page_log.blocked == []
    assert page_log.errors == []


def test_audience_address_defaults() -> None:
    assert audience.audience_url("127.0.0.1", 9000) == "http://127.0.0.1:9000/site/"
    url = audience.audience_url("0.0.0.0", 9000)
    assert url.startswith("http://")
    assert url.endswith(":9000/site/")
    assert "0.0.0.0" not in url


def test_no_site_folder_means_no_site_and_no_address(tmp_path: Path) -> None:
    for env in ({}, {audience.SITE_ENV: str(tmp_path)}):
        routes = [route for route, _handler, _options in audience.handlers("/", env)]
        assert routes == ["/briefing/audience\\.json"]


def test_the_live_app_is_readable_on_a_phone(
    server: VoilaServer, browser: Browser, page_log: PageLog
) -> None:
    """At 390×844 the live app shows its cards and charts within the screen's width."""
    context = browser.new_context(
        viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True, locale="zh-CN"
    )
    block_external(context, page_log)
    try:
        page = open_page(context, page_log)
        page.goto(server.render_url(APP))
        wait_for_app(page)
        card = page.locator(".briefing-card").first
        card.wait_for(state="visible")
        box = card.bounding_box()
        assert box is not None
        assert box["x"] >= 0
        assert box["x"] + box["width"] <= 390
        width = page.evaluate("() => document.documentElement.scrollWidth")
        screenshot(page, "live-phone-industry", full_page=True)
        assert width <= 390, f"the page is {width} px wide on a 390 px screen"
        size = page.evaluate(
            "() => parseFloat(getComputedStyle(document.querySelector('.briefing-card .l'))"
            ".fontSize)"
        )
        assert size >= 13
        assert page_log.errors == []
    finally:
        context.close()
