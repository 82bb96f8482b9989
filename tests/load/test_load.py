"""Thirty viewers open the apps at once; every app renders, and afterwards no kernel is left.

Run with ``make loadtest`` (``pytest -m load tests/load``); a plain ``pytest`` deselects it.

The server is ``briefing serve`` as deployed: notebooks/ and data/ of the repository and
``voila.json`` (one pre-heated kernel per app, idle culling). Thirty browser contexts of one
Chromium, one page each (thirty people, not thirty tabs of one), open the eight apps in turn,
all navigations started together. Each page records in itself when it became interactive
(cells shown, widgets attached, a chart drawn; measured from the start of its navigation).
Then every tab is closed as a person closes it, and the test waits until only the pre-heated
pool is left: the pages' unload beacons stop their kernels at once; the idle culler
(``cull_idle_timeout`` + ``cull_interval`` of voila.json) is the bound for any beacon lost.

Figures go to ``test-artifacts/load.json`` and are printed.
"""

from __future__ import annotations

import json
import math
import os
import platform
import statistics
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from browser_harness import (
    _CHART_DRAWN_JS,  # the same "chart drawn" test as wait_for_app
    ARTIFACTS,
    CHROMIUM,
    CHROMIUM_ARGS,
    VIEWPORT,
    PageLog,
    VoilaServer,
    block_external,
    open_page,
    running_server,
    screenshot,
)
from playwright.sync_api import Browser, BrowserContext, Page, sync_playwright
from playwright.sync_api import Error as PlaywrightError

from briefing import serve
from briefing.paths import notebooks_dir

#: Viewers at once; BRIEFING_LOAD_VIEWERS overrides (a bigger machine, a quick check).
VIEWERS = int(os.environ.get("BRIEFING_LOAD_VIEWERS", "30"))
APPS = sorted(p.name for p in notebooks_dir().glob("*.ipynb"))
CONFIG = json.loads((serve.config_dir() / serve.CONFIG_FILE).read_text(encoding="utf-8"))
CULL = CONFIG["MappingKernelManager"]
#: Every viewer's page must be interactive within this (thirty kernels on this machine).
READY_WITHIN_S = 600
#: Kernels back to the pre-heated pool within this: what the culler guarantees for a
#: kernel whose beacon was lost, plus margin. The beacons themselves take about a second.
CLEANUP_BOUND_S = CULL["cull_idle_timeout"] + CULL["cull_interval"] + 30
#: The kernel count must stay at the pool's for this long to count as back.
STABLE_S = 5.0

#: Installed in every page: records ``window.__briefingReadyMs`` (ms since the navigation
#: started) once the cells are shown, a widget is attached and a chart is drawn.
READY_PROBE = f"""
(() => {{
  if (!location.pathname.includes('/voila/render/')) return;
  const chartDrawn = {_CHART_DRAWN_JS};
  const check = () => {{
    const cells = document.getElementById('rendered_cells');
    const shown = cells && getComputedStyle(cells).display !== 'none';
    if (shown && document.querySelector('.jupyter-widgets') && chartDrawn()) {{
      window.__briefingReadyMs = performance.now();
    }} else {{
      setTimeout(check, 100);
    }}
  }};
  check();
}})();
"""

pytestmark = pytest.mark.load


def rss_mib(pids: list[int]) -> float:
    """Resident memory of the processes, MiB (from /proc)."""
    total = 0
    for pid in pids:
        try:
            for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1])
        except OSError:
            continue
    return round(total / 1024, 1)


_STATE_JS = """() => {
  const cells = document.getElementById('rendered_cells');
  return {
    cells_shown: !!cells && getComputedStyle(cells).display !== 'none',
    widgets: document.querySelectorAll('.jupyter-widgets').length,
    charts: document.querySelectorAll('.vega-embed').length,
    app: document.querySelectorAll('.briefing-app').length,
    text: (document.body ? document.body.innerText : '').slice(0, 160),
  };
}"""


def page_state(page: Page) -> object:
    """What a page that is not ready shows (for the report)."""
    try:
        return page.evaluate(_STATE_JS)
    except PlaywrightError as error:
        return str(error)[:160]


def percentile(values: list[float], share: float) -> float:
    """Nearest-rank percentile.

    >>> percentile([1.0, 2.0, 3.0, 4.0], 0.95), percentile([1.0, 2.0, 3.0, 4.0], 0.5)
    (4.0, 2.0)
    """
    ordered = sorted(values)
    return ordered[max(0, math.ceil(share * len(ordered)) - 1)]


@pytest.fixture(scope="module")
def server() -> Iterator[VoilaServer]:
    with running_server(notebooks_dir(), timeout=120) as srv:
        deadline = time.monotonic() + 300
        while not all(f"Kernel pool of {name} is filled" in srv.log_text() for name in APPS):
            assert time.monotonic() < deadline, "the kernel pools did not fill"
            time.sleep(0.5)
        srv.wait_until_idle(timeout=300)
        yield srv


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    if not CHROMIUM.exists():
        pytest.skip(f"Debian's Chromium is not installed at {CHROMIUM}")
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            yield chromium
        finally:
            chromium.close()


def test_thirty_viewers_at_once(server: VoilaServer, browser: Browser) -> None:
    baseline = server.kernel_pids()
    assert len(baseline) == len(APPS), f"{len(baseline)} pre-heated kernels, {len(APPS)} apps"
    load_before = os.getloadavg()
    log = PageLog()
    contexts: list[BrowserContext] = []
    viewers: list[tuple[str, Page]] = []
    for i in range(VIEWERS):
        context = browser.new_context(viewport=VIEWPORT, locale="zh-CN")
        block_external(context, log)
        context.add_init_script(READY_PROBE)
        contexts.append(context)
        page = open_page(context, log)
        page.set_default_timeout(READY_WITHIN_S * 1000)
        viewers.append((APPS[i % len(APPS)], page))

    start = time.monotonic()
    for app, page in viewers:  # all at once: navigate without waiting for an answer
        page.evaluate("(url) => { window.location.href = url; }", server.render_url(app))
    peak_kernels, peak_rss = 0, 0.0
    ready_s: dict[int, float] = {}
    pending = dict(enumerate(viewers))
    while pending and time.monotonic() - start < READY_WITHIN_S:
        pids = server.kernel_pids()
        peak_kernels = max(peak_kernels, len(pids))
        peak_rss = max(peak_rss, rss_mib(pids))
        for i, (_app, page) in list(pending.items()):
            try:
                ready = page.evaluate("() => window.__briefingReadyMs ?? null")
            except PlaywrightError:  # between two documents
                continue
            if ready is not None:
                ready_s[i] = ready / 1000
                del pending[i]
        elapsed = time.monotonic() - start
        if int(elapsed) // 15 != int(elapsed - 0.5) // 15:
            print(f"{elapsed:5.0f} s: {len(ready_s)}/{VIEWERS} interactive, {len(pids)} kernels")
        time.sleep(0.5)
    wall_s = time.monotonic() - start
    not_ready = {f"{viewers[i][0]} (viewer {i})": page_state(viewers[i][1]) for i in pending}
    for n, i in enumerate(list(pending)[:3]):
        screenshot(viewers[i][1], f"load-not-ready-{n}")

    broken = []
    for i, (app, page) in enumerate(viewers):
        if i in pending:
            continue
        widgets = page.locator(".jupyter-widgets").count()
        if widgets < 3 or page.locator(".briefing-error").count():
            broken.append(f"{app} (viewer {i}): {widgets} widgets")

    times = [ready_s[i] for i in sorted(ready_s)]
    slowest_per_app: dict[str, float] = {}
    for i, seconds in ready_s.items():
        app = viewers[i][0]
        slowest_per_app[app] = round(max(seconds, slowest_per_app.get(app, 0.0)), 2)

    closed = time.monotonic()
    for _app, page in viewers:
        page.close(run_before_unload=True)
    time.sleep(1)  # the unload beacons leave before the contexts go
    for context in contexts:
        context.close()
    waiting = time.monotonic()
    count, waited = server.wait_for_kernels(len(baseline), CLEANUP_BOUND_S, stable_for=STABLE_S)
    back_s = round(waiting - closed + waited - STABLE_S, 1) if count == len(baseline) else None

    figures = {
        "viewers": VIEWERS,
        "apps": len(APPS),
        "viewers_ready": len(times),
        "time_to_interactive_s": {
            "p50": round(percentile(times, 0.5), 2) if times else None,
            "p95": round(percentile(times, 0.95), 2) if times else None,
            "max": round(max(times), 2) if times else None,
            "mean": round(statistics.fmean(times), 2) if times else None,
            "slowest_per_app": dict(sorted(slowest_per_app.items())),
        },
        "all_ready_after_s": round(wall_s, 1),
        "not_ready": not_ready,
        "server_log": {
            "iopub_timeouts": server.log_text().count("Timeout waiting for IOPub output"),
            "cell_timeouts": server.log_text().count("A cell timed out"),
            "pool_refills": server.log_text().count("is filled with"),
        },
        "kernels": {
            "preheated_pool": len(baseline),
            "peak": peak_kernels,
            "peak_rss_mib": peak_rss,
            "after_close": count,
            "back_to_pool_s": back_s,
            "bound_s": CLEANUP_BOUND_S,
        },
        "machine": {
            "cpus": os.cpu_count(),
            "load_average_before": [round(x, 2) for x in load_before],
            "python": platform.python_version(),
        },
    }
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    (ARTIFACTS / "load.json").write_text(json.dumps(figures, indent=2) + "\n", encoding="utf-8")
    print("\nload test:", json.dumps(figures, indent=2))

    assert not_ready == {}, f"not interactive within {READY_WITHIN_S} s: {not_ready}"
    assert broken == []
    assert log.page_errors == []
    assert log.blocked == [], "requests to other machines were attempted"
    assert count == len(baseline), (
        f"{count} kernels {CLEANUP_BOUND_S} s after the viewers left; pool {len(baseline)}"
    )
