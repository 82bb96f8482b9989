"""A room full of phones: 500 audience visitors open the static site from ``briefing serve``
while the presenter keeps using the live app.

Run with ``make loadtest`` (``pytest -m load tests/load``); a plain ``pytest`` deselects it.

The server is ``briefing serve`` with one app notebook (the industry app: one pre-heated
kernel for the presenter) and the exported site at ``/site/``. Each visitor fetches a page
and every file it loads (style sheet and scripts, as a browser would, with
``Accept-Encoding: gzip``), over a connection of its own; :data:`CONCURRENCY` visitors at a
time, all of them queued at once, every request bounded by :data:`REQUEST_TIMEOUT_S` and the
whole run by :data:`DEADLINE_S`. Meanwhile the presenter's page, in Chromium, switches the
explorer's kind filter back and forth and waits each time for the charts to change.

Every visitor must get every file, complete; the presenter's page must answer every switch.
Figures (visitor time p50/p95/max, requests per second, the presenter's switch times) go
to ``test-artifacts/site-load.json`` and are printed: a measurement, not a timed assertion.
BRIEFING_SITE_VISITORS changes the number of visitors.
"""

from __future__ import annotations

import http.client
import json
import os
import platform
import re
import shutil
import statistics
import time
from concurrent.futures import ThreadPoolExecutor, as_completed
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import pytest
from browser_harness import (
    ARTIFACTS,
    CHROMIUM,
    CHROMIUM_ARGS,
    VIEWPORT,
    PageLog,
    block_external,
    open_page,
    running_server,
    wait_for_app,
)
from playwright.sync_api import sync_playwright

from briefing import audience, export, paths

pytestmark = [pytest.mark.load, pytest.mark.slow]

VISITORS = int(os.environ.get("BRIEFING_SITE_VISITORS", "500"))
CONCURRENCY = 50
REQUEST_TIMEOUT_S = 60.0
DEADLINE_S = 300.0
APP = "01_industry.ipynb"
PAGES = ("index.html", "01_industry.html", "en/01_industry.html", "05_report_reader.html")
_LOADS = re.compile(r"""<(?:script|link)[^>]+(?:src|href)=["']([^"'#]+)["']""")


def page_assets(site: Path, page: str) -> list[str]:
    """The page and every file it loads (relative to the site), as a browser asks for them."""
    html = (site / page).read_text(encoding="utf-8")
    wanted = [page]
    for address in _LOADS.findall(html):
        if address.startswith("data:") or urlsplit(address).scheme:
            continue
        resolved = urljoin(page, address)
        if (site / resolved).is_file() and resolved not in wanted:
            wanted.append(resolved)
    return wanted


def visit(host: str, port: int, paths_: list[str]) -> tuple[float, int]:
    """Fetch every path over one connection; (seconds, bytes). Raises on any failure."""
    start = time.perf_counter()
    received = 0
    connection = http.client.HTTPConnection(host, port, timeout=REQUEST_TIMEOUT_S)
    try:
        for path in paths_:
            connection.request("GET", f"/site/{path}", headers={"Accept-Encoding": "gzip"})
            response = connection.getresponse()
            body = response.read()
            if response.status != 200 or not body:
                raise AssertionError(f"/site/{path}: HTTP {response.status}, {len(body)} bytes")
            received += len(body)
    finally:
        connection.close()
    return time.perf_counter() - start, received


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(q * (len(ordered) - 1))))]


def test_500_visitors_open_the_site_while_the_presenter_works(
    tmp_path: Path,
) -> None:
    if not CHROMIUM.exists():
        pytest.skip(f"Debian's Chromium is not installed at {CHROMIUM}")
    notebooks = tmp_path / "notebooks"
    notebooks.mkdir()
    shutil.copy2(paths.notebooks_dir() / APP, notebooks / APP)
    site = tmp_path / "site"
    export.export_site(site)
    plans = [page_assets(site, page) for page in PAGES]
    env = {audience.SITE_ENV: str(site)}
    switches: list[float] = []
    presenter_errors: list[str] = []

    with running_server(notebooks, env=env) as server, sync_playwright() as playwright:
        host, port = "127.0.0.1", int(urlsplit(server.base_url).port or 0)
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        log = PageLog()
        context = browser.new_context(viewport=VIEWPORT, locale="zh-CN")
        block_external(context, log)
        page = open_page(context, log)
        page.goto(server.render_url(APP))
        wait_for_app(page)
        kind = page.locator(".briefing-explorer-filters select").nth(2)
        labels = kind.locator("option").all_inner_texts()
        assert len(labels) >= 3

        def switch(label: str) -> float:
            before = page.locator(".briefing-charts .vega-embed").count()
            t0 = time.perf_counter()
            kind.select_option(label=label)
            page.wait_for_function(
                "(n) => document.querySelectorAll('.briefing-charts .vega-embed').length !== n",
                arg=before,
                timeout=60_000,
            )
            return time.perf_counter() - t0

        # The same switches with no visitors, for comparison.
        quiet = [switch(labels[1 if i % 2 == 0 else 0]) for i in range(4)]

        results: list[tuple[float, int]] = []
        failures: list[str] = []
        started = time.perf_counter()
        with ThreadPoolExecutor(max_workers=CONCURRENCY, thread_name_prefix="visitor") as pool:
            futures = [
                pool.submit(visit, host, port, plans[i % len(plans)]) for i in range(VISITORS)
            ]
            # The presenter switches the kind filter while the visitors come (Playwright's
            # sync API stays on this thread).
            index = 1
            while not all(f.done() for f in futures) and time.perf_counter() - started < DEADLINE_S:
                try:
                    switches.append(switch(labels[index]))
                except Exception as error:  # recorded, and fails the test below
                    presenter_errors.append(f"switch to {labels[index]}: {type(error).__name__}")
                index = 1 if index == 0 else 0
            for future in as_completed(futures, timeout=max(1.0, DEADLINE_S)):
                try:
                    results.append(future.result())
                except Exception as error:
                    failures.append(f"{type(error).__name__}: {error}")
        elapsed = time.perf_counter() - started
        context.close()
        browser.close()

    times = [seconds for seconds, _ in results]
    requests = sum(len(plans[i % len(plans)]) for i in range(VISITORS))
    figures = {
        "visitors": VISITORS,
        "concurrency": CONCURRENCY,
        "served": len(results),
        "failed": len(failures),
        "requests": requests,
        "elapsed_s": round(elapsed, 2),
        "requests_per_s": round(requests / elapsed, 1),
        "megabytes": round(sum(size for _, size in results) / 1e6, 1),
        "visit_p50_s": round(statistics.median(times), 3) if times else None,
        "visit_p95_s": round(percentile(times, 0.95), 3) if times else None,
        "visit_max_s": round(max(times), 3) if times else None,
        "presenter_switch_quiet_median_s": round(statistics.median(quiet), 3),
        "presenter_switches": len(switches),
        "presenter_switch_median_s": round(statistics.median(switches), 3) if switches else None,
        "presenter_switch_max_s": round(max(switches), 3) if switches else None,
        "pages": {page: len(plan) for page, plan in zip(PAGES, plans, strict=True)},
        "machine": f"{platform.machine()}, {os.cpu_count()} cores",
    }
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    (ARTIFACTS / "site-load.json").write_text(json.dumps(figures, indent=1) + "\n")
    print(json.dumps(figures, indent=1))
    assert failures == [], failures[:5]
    assert len(results) == VISITORS
    assert presenter_errors == []
    assert switches, "the presenter's page was never switched during the load"
    assert log.errors == []
    assert log.blocked == []
