"""The serving layer, driven through a real Voilà server and Debian's Chromium.

One server for the whole module, on ``fixtures/demo``:

* ``demo.ipynb``: a title, a Dropdown and a slider redrawing an Altair 5 bar
  chart with Chinese labels inside an Output, three ``briefing-section`` screens;
* ``slider.ipynb``: one slider and no chart, so that the kernel-leak test can
  open many views quickly (the kernel shutdown path does not depend on the app);
* ``staff_secret.ipynb``: must never be listed, served or run.

Timings go to ``test-artifacts/browser-timings.json``.
"""

from __future__ import annotations

import json
import re
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from browser_harness import (
    ARTIFACTS,
    FIXTURES,
    PageLog,
    VoilaServer,
    close_tab,
    open_page,
    screenshot,
    wait_for_app,
)
from playwright.sync_api import BrowserContext, Page

from briefing import serve

DEMO = FIXTURES / "demo"
CONFIG = json.loads((serve.config_dir() / serve.CONFIG_FILE).read_text(encoding="utf-8"))

#: Strings of the demo's code cell that must never reach a viewer.
SOURCE_MARKERS = ("demo-source-marker", "render_chart_for_demo", "year_picker.observe")
TRACEBACK_MARKERS = ("Traceback (most recent call last)", "ipykernel_", 'File "/')

#: Kernels pre-heated at start-up: demo.ipynb and slider.ipynb, not staff_secret.ipynb.
PREHEATED = 2
#: Identifiers in inline SVG (the loading spinner), not addresses anything loads.
XML_NAMESPACES = (
    "http://www.w3.org/",
    "http://purl.org/dc/",
    "http://creativecommons.org/ns",
)
#: Page views opened and closed by the kernel-leak test.
PAGE_VIEWS = 10
#: Closed tabs shut their kernel down through the page's unload beacon at
#: once; this bound is well below the idle cull of voila.json (90 s + 10 s),
#: so passing proves the beacon path, not the culler.
KERNELS_BACK_WITHIN_S = 30.0
#: The culler's own test uses a server with these settings (same mechanism as
#: voila.json, shorter times): an abandoned kernel must go within the bound.
FAST_CULL_ARGS = (
    "--VoilaConfiguration.preheat_kernel=False",
    "--MappingKernelManager.cull_idle_timeout=4",
    "--MappingKernelManager.cull_interval=1",
)
CULLED_WITHIN_S = 20.0

TIMINGS: dict[str, Any] = {}


def record(name: str, value: Any) -> None:
    TIMINGS[name] = value
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    (ARTIFACTS / "browser-timings.json").write_text(
        json.dumps(TIMINGS, indent=2, ensure_ascii=False), encoding="utf-8"
    )


def http_get(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=30) as response:
            return response.status, response.read().decode("utf-8", errors="replace")
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read().decode("utf-8", errors="replace")


@pytest.fixture(scope="module")
def staff_marker(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The staff notebook writes this file if it is ever executed."""
    return tmp_path_factory.mktemp("staff") / "ran"


@pytest.fixture(scope="module")
def server(voila_server_factory: Any, staff_marker: Path) -> VoilaServer:
    srv: VoilaServer = voila_server_factory(DEMO, env={"BRIEFING_STAFF_MARKER": str(staff_marker)})
    # voila.json pre-heats one kernel per notebook, none for staff_*.
    count, _ = srv.wait_for_kernels(PREHEATED, timeout=60, stable_for=0.5)
    assert count == PREHEATED, f"expected {PREHEATED} pre-heated kernels, found {count}"
    record("preheat_done_s", round(srv.wait_until_idle(), 1))
    return srv


@pytest.fixture
def closing_context(browser_context: BrowserContext) -> Iterator[BrowserContext]:
    """The test context, whose pages are closed as tabs (so their kernels stop)."""
    yield browser_context
    for page in list(browser_context.pages):
        close_tab(page)


def chart_pixels(page: Page) -> str:
    return str(page.eval_on_selector(".vega-embed canvas", "(c) => c.toDataURL()"))


# --------------------------------------------------------------------------
# Configuration (no browser)
# --------------------------------------------------------------------------


def test_voila_json_settings() -> None:
    conf = CONFIG["VoilaConfiguration"]
    assert conf["template"] == serve.TEMPLATE_NAME
    assert conf["strip_sources"] is True
    assert conf["show_tracebacks"] is False
    assert not (conf["preheat_kernel"] and conf.get("progressive_rendering"))
    cull = CONFIG["MappingKernelManager"]
    assert 60 <= cull["cull_idle_timeout"] <= 120
    assert cull["cull_interval"] <= 10
    assert cull["cull_connected"] is False
    # Voilà's own test for the pre-heat deny-list: substring or re.match.
    deny = CONFIG["VoilaKernelManager"]["preheat_denylist"]
    for name in ("staff_secret.ipynb", "sub/staff_notes.ipynb"):
        assert any(p in name or re.match(p, name) for p in deny), name
    assert not any(p in "overview.ipynb" or re.match(p, "overview.ipynb") for p in deny)
    # Static files: images only, never notebooks, code or staff files.
    allow, denied = conf["file_allowlist"], conf["file_denylist"]

    def served(path: str) -> bool:
        return any(re.fullmatch(p, path, re.I) for p in allow) and not any(
            re.fullmatch(p, path, re.I) for p in denied
        )

    assert served("img/map.png")
    assert served("logo.svg")
    for path in ("data.csv", "app.ipynb", "x.py", "staff_photo.png", "a/staff_b/c.png"):
        assert not served(path), path


def test_template_is_found(monkeypatch: pytest.MonkeyPatch) -> None:
    from voila.paths import collect_template_paths

    monkeypatch.setenv("JUPYTER_PATH", serve.jupyter_path_env()["JUPYTER_PATH"])
    found = collect_template_paths(["voila", "nbconvert"], serve.TEMPLATE_NAME, prune=True)
    assert str(serve.template_dir()) == found[0]
    assert any(p.endswith("lab") for p in found), "the template must extend lab"


# --------------------------------------------------------------------------
# Browser
# --------------------------------------------------------------------------


@pytest.mark.browser
def test_app_renders_offline_without_errors(
    server: VoilaServer, closing_context: BrowserContext, page_log: PageLog
) -> None:
    page = open_page(closing_context, page_log)
    start = time.monotonic()
    response = page.goto(server.render_url("demo.ipynb"))
    assert response is not None
    assert response.status == 200
    wait_for_app(page)
    record("page_ready_s_preheated", round(time.monotonic() - start, 2))
    screenshot(page, "demo-light")

    assert page_log.blocked == [], f"requests to other machines: {page_log.blocked}"
    assert page_log.errors == []
    # Not even a dormant reference to another machine (such as a loader that
    # only fires for some content): the only absolute URLs are XML namespaces.
    urls = set(re.findall(r"""https?://[^\s"'<>)]+""", response.text()))
    assert {u for u in urls if not u.startswith(XML_NAMESPACES)} == set()
    assert page.locator(".widget-dropdown select").is_visible()
    # The icon font is the template's local copy.
    assert page.locator('link[href*="briefing/static/fontawesome/css/all.min.css"]').count() == 1
    font = page.request.get(
        server.url("voila/templates/briefing/static/fontawesome/webfonts/fa-solid-900.woff2")
    )
    assert font.status == 200


@pytest.mark.browser
def test_no_source_and_no_traceback_reach_the_viewer(
    server: VoilaServer, closing_context: BrowserContext, page_log: PageLog
) -> None:
    page = open_page(closing_context, page_log)
    response = page.goto(server.render_url("demo.ipynb"))
    assert response is not None
    wait_for_app(page)
    for text in (response.text(), page.content()):
        for marker in (*SOURCE_MARKERS, *TRACEBACK_MARKERS):
            assert marker not in text, marker
    assert page.locator(".jp-CodeCell .jp-InputArea, .jp-InputArea-editor").count() == 0


@pytest.mark.browser
def test_dropdown_redraws_chart(
    server: VoilaServer, closing_context: BrowserContext, page_log: PageLog
) -> None:
    page = open_page(closing_context, page_log)
    page.goto(server.render_url("demo.ipynb"))
    wait_for_app(page)
    before = chart_pixels(page)
    start = time.monotonic()
    page.select_option(".widget-dropdown select", "2021")
    page.wait_for_function(
        "(before) => { const c = document.querySelector('.vega-embed canvas');"
        " return c && c.width > 0 && c.toDataURL() !== before; }",
        arg=before,
    )
    record("dropdown_to_new_chart_s", round(time.monotonic() - start, 3))
    assert page_log.errors == []
    assert page_log.blocked == []


@pytest.mark.browser
def test_chinese_glyphs_render(
    server: VoilaServer, closing_context: BrowserContext, page_log: PageLog
) -> None:
    page = open_page(closing_context, page_log)
    page.goto(server.render_url("demo.ipynb"))
    wait_for_app(page)
    path = screenshot(page, "demo-chinese-glyphs")
    assert path.stat().st_size > 10_000
    # Missing glyphs all draw the same box: distinct characters must draw
    # distinct, non-empty pictures in the font stack the charts use.
    result = page.evaluate(
        """(text) => {
          const canvas = document.createElement('canvas');
          canvas.width = 48; canvas.height = 48;
          const ctx = canvas.getContext('2d');
          ctx.font = '40px sans-serif';
          const pictures = Array.from(text).map((ch) => {
            ctx.clearRect(0, 0, 48, 48);
            ctx.fillText(ch, 2, 40);
            const data = ctx.getImageData(0, 0, 48, 48).data;
            let ink = 0;
            for (let i = 3; i < data.length; i += 4) ink += data[i] > 0 ? 1 : 0;
            return {ink, key: canvas.toDataURL()};
          });
          return {
            inkless: pictures.filter((p) => p.ink === 0).length,
            distinct: new Set(pictures.map((p) => p.key)).size,
          };
        }""",
        "大塘镇主要指标亿元",
    )
    assert result == {"inkless": 0, "distinct": 9}
    assert page_log.errors == []


@pytest.mark.browser
def test_dark_theme_from_url(
    server: VoilaServer, closing_context: BrowserContext, page_log: PageLog
) -> None:
    page = open_page(closing_context, page_log)
    start = time.monotonic()
    page.goto(server.render_url("demo.ipynb", "theme=dark"))
    wait_for_app(page)
    record("page_ready_s_dark_cold_kernel", round(time.monotonic() - start, 2))
    screenshot(page, "demo-dark")
    assert page.get_attribute("body", "data-jp-theme-light") == "false"
    rgb = page.evaluate(
        "getComputedStyle(document.querySelector('#rendered_cells')).backgroundColor"
    )
    channels = [int(x) for x in re.findall(r"\d+", rgb)[:3]]
    assert max(channels) < 80, f"background is not dark: {rgb}"
    assert page_log.errors == []
    assert page_log.blocked == []


@pytest.mark.browser
def test_light_theme_is_the_default(
    server: VoilaServer, closing_context: BrowserContext, page_log: PageLog
) -> None:
    page = open_page(closing_context, page_log)
    page.goto(server.render_url("demo.ipynb"))
    wait_for_app(page)
    assert page.get_attribute("body", "data-jp-theme-light") == "true"


@pytest.mark.browser
def test_presentation_mode_moves_between_sections(
    server: VoilaServer, closing_context: BrowserContext, page_log: PageLog
) -> None:
    page = open_page(closing_context, page_log)
    page.goto(server.render_url("demo.ipynb", "present=1"))
    wait_for_app(page)
    screen = page.locator("body")
    page.wait_for_selector('body[data-briefing-screen="1"]')

    def current() -> tuple[str | None, int]:
        visible = page.locator("[data-briefing-slide]:visible").count()
        return screen.get_attribute("data-briefing-screen"), visible

    assert current() == ("1", 1)
    assert page.locator(".briefing-counter").inner_text() == "1 / 3"
    page.keyboard.press("ArrowRight")
    assert current() == ("2", 1)
    assert page.locator(".briefing-current .widget-dropdown select").is_visible()
    page.wait_for_timeout(300)
    screenshot(page, "demo-present-2")
    # The screen fits 1280x720 above the navigation bar, in large type.
    box = page.locator(".briefing-current").bounding_box()
    nav = page.locator(".briefing-nav").bounding_box()
    assert box is not None
    assert nav is not None
    assert box["y"] >= 0
    assert box["y"] + box["height"] <= nav["y"] + 1
    assert box["x"] >= 0
    assert box["x"] + box["width"] <= 1280
    size = page.eval_on_selector(
        ".briefing-current", "(e) => parseFloat(getComputedStyle(e).fontSize)"
    )
    assert size >= 20
    page.keyboard.press("ArrowRight")
    assert current() == ("3", 1)
    page.keyboard.press("ArrowRight")  # already the last one
    assert current() == ("3", 1)
    page.keyboard.press("ArrowLeft")
    assert current() == ("2", 1)
    page.click(".briefing-prev")
    assert current() == ("1", 1)
    assert page.locator(".briefing-prev").is_disabled()
    assert page_log.errors == []
    assert page_log.blocked == []


@pytest.mark.browser
def test_start_page_lists_apps_offline(
    server: VoilaServer, closing_context: BrowserContext, page_log: PageLog
) -> None:
    page = open_page(closing_context, page_log)
    page.goto(server.url("?theme=dark"))
    page.wait_for_selector(".briefing-tree-list a")
    screenshot(page, "start-page")
    links = page.locator(".briefing-tree-list a")
    hrefs = [links.nth(i).get_attribute("href") for i in range(links.count())]
    assert hrefs == [
        "/voila/render/demo.ipynb?theme=dark",
        "/voila/render/slider.ipynb?theme=dark",
    ]
    assert "staff" not in page.content()
    assert page_log.errors == []
    assert page_log.blocked == []


def test_staff_notebook_is_refused(server: VoilaServer, staff_marker: Path) -> None:
    for path in (
        "voila/render/staff_secret.ipynb",
        "voila/render/%73taff_secret.ipynb",
        "voila/render/./staff_secret.ipynb",
        "voila/tree/staff_secret.ipynb",
        "voila/api/contents/staff_secret.ipynb",
        "voila/files/staff_secret.ipynb",
        "voila/notebooks/staff_secret.ipynb",
    ):
        status, body = http_get(server.url(path))
        assert status in (403, 404), f"{path}: {status}"
        assert "STAFF ONLY" not in body
    for path in ("", "voila/tree", "voila/api/contents"):
        status, body = http_get(server.url(path))
        assert status == 200
        assert "staff_secret" not in body, path
    time.sleep(0.5)
    assert not staff_marker.exists(), "the staff notebook was executed"


@pytest.mark.browser
def test_closed_tabs_leave_no_kernel(
    server: VoilaServer, browser_context: BrowserContext, page_log: PageLog
) -> None:
    # Every earlier test closed its tabs the same way: only the pool is left.
    baseline, _ = server.wait_for_kernels(PREHEATED, timeout=KERNELS_BACK_WITHIN_S, stable_for=1.0)
    record("kernels_baseline", baseline)
    assert baseline == PREHEATED, f"{baseline} kernels before the test, {PREHEATED} pre-heated"
    peak = baseline
    shutdown_s: list[float | None] = []
    start = time.monotonic()
    for batch in range(PAGE_VIEWS // 5):
        pages = [open_page(browser_context, page_log) for _ in range(5)]
        for page in pages:
            page.goto(server.render_url("slider.ipynb"), wait_until="commit")
        for page in pages:
            wait_for_app(page, chart=False)
        peak = max(peak, len(server.kernel_pids()))
        shutdown_s.extend(close_tab(page, timeout=KERNELS_BACK_WITHIN_S) for page in pages)
        record(f"batch_{batch}_open_close_s", round(time.monotonic() - start, 1))
    record(
        "tab_close_to_kernel_gone_s_max",
        round(max((t for t in shutdown_s if t is not None), default=0.0), 2),
    )
    assert None not in shutdown_s, f"kernels still running after their tab closed: {shutdown_s}"
    record("kernels_peak", peak)
    assert peak >= baseline + 5, "the pages did not run kernels of their own"
    count, waited = server.wait_for_kernels(baseline, KERNELS_BACK_WITHIN_S, stable_for=2.0)
    record("kernels_after_close", count)
    record("kernels_back_to_baseline_s", round(waited, 1))
    assert count == baseline, (
        f"{count} kernels {KERNELS_BACK_WITHIN_S:.0f} s after closing {PAGE_VIEWS} tabs, "
        f"baseline {baseline}"
    )
    assert "403 POST /voila/api/shutdown" not in server.log_text()
    assert page_log.errors == []
    assert page_log.blocked == []


def test_abandoned_kernels_are_culled(voila_server_factory: Any) -> None:
    """A view whose tab never unloads (a plain GET) is cleaned by the idle culler."""
    srv: VoilaServer = voila_server_factory(DEMO, extra_args=FAST_CULL_ARGS)
    assert srv.kernel_pids() == []
    status, _ = http_get(srv.render_url("slider.ipynb"))
    assert status == 200
    assert len(srv.kernel_pids()) == 1
    count, waited = srv.wait_for_kernels(0, CULLED_WITHIN_S)
    record("fast_cull_s", round(waited, 1))
    assert count == 0, f"kernel not culled within {CULLED_WITHIN_S:.0f} s"
