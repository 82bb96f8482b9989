"""Thirty viewers open the apps at once; every one gets a working app, and afterwards no kernel
is left but the pre-heated pool.

Run with ``make loadtest`` (``pytest -m load tests/load``); a plain ``pytest`` deselects it.

The server is ``briefing serve`` as deployed: notebooks/ and data/ of the repository and
``voila.json`` (one pre-heated kernel per app, idle culling). The viewers start together:

* eight real pages, one per app, each in a browser context of its own in one Chromium; a
  page records in itself when it became interactive (cells shown, widgets attached, a chart
  drawn), measured from the start of its navigation;
* the others are scripted viewers that do what a page does, without drawing it: fetch the
  page (the server runs the app for it), connect to the kernel's websocket, ask for the
  kernel's info and for the state of every widget (ipywidgets' control comm). Interactive
  means the widget states arrived. Thirty Chromium pages of a widget app on two cores
  measure Chromium more than the server.

Then every viewer leaves as a person does (pages close as tabs, with their unload beacon;
scripted viewers close the websocket and send the same beacon) and the test waits until only
the pool is left. The beacons stop kernels at once; the idle culler (``cull_idle_timeout`` +
``cull_interval`` of voila.json) bounds what a lost beacon leaves.

Figures go to ``test-artifacts/load.json`` and are printed. BRIEFING_LOAD_VIEWERS changes
the number of viewers (at least 8).
"""

from __future__ import annotations

import http.cookiejar
import json
import math
import os
import platform
import re
import statistics
import threading
import time
import urllib.request
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from browser_harness import (
    _CHART_DRAWN_JS,  # the same "chart drawn" test as wait_for_app
    ARTIFACTS,
    CHROMIUM,
    CHROMIUM_ARGS,
    VIEWPORT,
    PageLog,
    VoilaServer,
    apps_without_charts,
    block_external,
    open_page,
    running_server,
    screenshot,
)
from playwright.sync_api import Browser, BrowserContext, Page, sync_playwright
from playwright.sync_api import Error as PlaywrightError
from websockets.sync.client import ClientConnection, connect

from briefing import serve
from briefing.paths import notebooks_dir

APPS = sorted(p.name for p in notebooks_dir().glob("*.ipynb"))
#: Viewers at once; BRIEFING_LOAD_VIEWERS overrides (a bigger machine, a quick check).
VIEWERS = max(len(APPS), int(os.environ.get("BRIEFING_LOAD_VIEWERS", "30")))
#: Real browser pages among them: one per app.
PAGES = len(APPS)
CONFIG = json.loads((serve.config_dir() / serve.CONFIG_FILE).read_text(encoding="utf-8"))
CULL = CONFIG["MappingKernelManager"]
#: Every viewer must be interactive within this.
READY_WITHIN_S = 600
#: Kernels back to the pre-heated pool within this: what the culler guarantees for a
#: kernel whose beacon was lost, plus margin. The beacons themselves take seconds.
CLEANUP_BOUND_S = CULL["cull_idle_timeout"] + CULL["cull_interval"] + 30
#: The kernel count must stay at the pool's for this long to count as back.
STABLE_S = 5.0
V1 = "v1.kernel.websocket.jupyter.org"
#: ipywidgets' control comm, which a page opens to fetch every widget's state at once.
CONTROL_PROTOCOL = "1.0.0"

#: Installed in every page: records ``window.__briefingReadyMs`` (ms since the navigation
#: started) once the cells are shown, a widget is attached and a chart is drawn (for an app
#: that has charts: every figure of the ecology app is a card).
READY_PROBE = f"""
(() => {{
  if (!location.pathname.includes('/voila/render/')) return;
  const noCharts = {json.dumps(sorted(apps_without_charts()))};
  const chartless = noCharts.some((name) => location.pathname.endsWith('/' + name));
  const chartDrawn = {_CHART_DRAWN_JS};
  const check = () => {{
    const cells = document.getElementById('rendered_cells');
    const shown = cells && getComputedStyle(cells).display !== 'none';
    if (shown && document.querySelector('.jupyter-widgets') && (chartless || chartDrawn())) {{
      window.__briefingReadyMs = performance.now();
    }} else {{
      setTimeout(check, 100);
    }}
  }};
  check();
}})();
"""
_STATE_JS = """() => {
  const cells = document.getElementById('rendered_cells');
  return {
    cells_shown: !!cells && getComputedStyle(cells).display !== 'none',
    widgets: document.querySelectorAll('.jupyter-widgets').length,
    charts: document.querySelectorAll('.vega-embed').length,
    text: (document.body ? document.body.innerText : '').slice(0, 120),
  };
}"""

pytestmark = pytest.mark.load


# --------------------------------------------------------------------------
# Measuring
# --------------------------------------------------------------------------


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


def percentile(values: list[float], share: float) -> float:
    """Nearest-rank percentile.

    >>> percentile([1.0, 2.0, 3.0, 4.0], 0.95), percentile([1.0, 2.0, 3.0, 4.0], 0.5)
    (4.0, 2.0)
    """
    ordered = sorted(values)
    return ordered[max(0, math.ceil(share * len(ordered)) - 1)]


def page_state(page: Page) -> Any:
    """What a page that is not ready shows (for the report)."""
    try:
        return page.evaluate(_STATE_JS)
    except PlaywrightError as error:
        return str(error)[:160]


# --------------------------------------------------------------------------
# A scripted viewer: what the page does, without drawing it
# --------------------------------------------------------------------------


def _message(msg_type: str, content: dict[str, Any], session: str) -> dict[str, Any]:
    return {
        "header": {
            "msg_id": uuid.uuid4().hex,
            "msg_type": msg_type,
            "username": "viewer",
            "session": session,
            "date": "2023-07-01T00:00:00Z",
            "version": "5.3",
        },
        "parent_header": {},
        "metadata": {},
        "content": content,
    }


def _v1_frame(msg: dict[str, Any], channel: str) -> bytes:
    parts = [
        json.dumps(msg[k]).encode() for k in ("header", "parent_header", "metadata", "content")
    ]
    offsets = [8 * (len(parts) + 3)]
    offsets.append(offsets[-1] + len(channel))
    for part in parts:
        offsets.append(offsets[-1] + len(part))
    head = b"".join(n.to_bytes(8, "little") for n in (len(offsets), *offsets))
    return head + channel.encode() + b"".join(parts)


def _v1_parse(frame: bytes) -> tuple[dict[str, Any], dict[str, Any], dict[str, Any]]:
    """Header, parent header and content of a frame from the server."""
    count = int.from_bytes(frame[:8], "little")
    at = [int.from_bytes(frame[8 * (i + 1) : 8 * (i + 2)], "little") for i in range(count)]
    header, parent, _meta, content = (
        json.loads(frame[at[k] : at[k + 1]]) if at[k + 1] > at[k] else {} for k in range(1, 5)
    )
    return header, parent, content


def _await_reply(ws: ClientConnection, parent_id: str, want: str, deadline: float) -> Any:
    while True:
        frame = ws.recv(timeout=max(0.1, deadline - time.monotonic()))
        if isinstance(frame, str):
            continue
        header, parent, content = _v1_parse(frame)
        if parent.get("msg_id") != parent_id:
            continue
        if want == "update_states":
            if header["msg_type"] == "comm_msg" and content["data"].get("method") == want:
                return content["data"]["states"]
        elif header["msg_type"] == want:
            return content


@dataclass
class ScriptedViewer:
    app: str
    server: VoilaServer
    ready_s: float | None = None
    widgets: int = 0
    error: str | None = None
    kernel_id: str | None = None

    def run(self, go: threading.Event, leave: threading.Event) -> None:
        go.wait()
        start = time.monotonic()
        deadline = start + READY_WITHIN_S
        jar = http.cookiejar.CookieJar()
        opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
        try:
            with opener.open(self.server.render_url(self.app), timeout=READY_WITHIN_S) as page:
                body = page.read().decode("utf-8")
            if "application/vnd.jupyter.widget-view+json" not in body:
                raise AssertionError("the page holds no app: " + body[-300:])
            found = re.search(r'"kernelId":\s*"([^"]+)"', body)
            assert found, "no kernel id in the page"
            self.kernel_id = found.group(1)
            cookies = {c.name: c.value for c in jar}
            headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in cookies.items())}
            session = uuid.uuid4().hex
            url = (
                self.server.base_url.replace("http://", "ws://")
                + f"api/kernels/{self.kernel_id}/channels?session_id={session}"
            )
            with connect(
                url, additional_headers=headers, subprotocols=[V1], max_size=None, open_timeout=60
            ) as ws:
                info = _message("kernel_info_request", {}, session)
                ws.send(_v1_frame(info, "shell"))
                _await_reply(ws, info["header"]["msg_id"], "kernel_info_reply", deadline)
                comm_id = uuid.uuid4().hex
                opened = _message(
                    "comm_open",
                    {"comm_id": comm_id, "target_name": "jupyter.widget.control", "data": {}},
                    session,
                )
                opened["metadata"] = {"version": CONTROL_PROTOCOL}
                ws.send(_v1_frame(opened, "shell"))
                ask = _message(
                    "comm_msg", {"comm_id": comm_id, "data": {"method": "request_states"}}, session
                )
                ws.send(_v1_frame(ask, "shell"))
                states = _await_reply(ws, ask["header"]["msg_id"], "update_states", deadline)
                self.widgets = len(states)
                self.ready_s = time.monotonic() - start
                leave.wait()
            # Leaving: the same beacon a page sends when its tab closes.
            request = urllib.request.Request(
                self.server.url(f"voila/api/shutdown/{self.kernel_id}"),
                method="POST",
                headers={**headers, "X-XSRFToken": cookies.get("_xsrf", "")},
                data=b"",
            )
            with opener.open(request, timeout=30):
                pass
        except Exception as error:
            self.error = f"{type(error).__name__}: {str(error)[:200]}"


# --------------------------------------------------------------------------
# The test
# --------------------------------------------------------------------------


@pytest.fixture(scope="module")
def server() -> Iterator[VoilaServer]:
    # Every viewer of this test comes from the loopback address, one client to the server's
    # limits per client (voila.json): let that one client hold every viewer's kernel.
    one_client = (
        f"--ServingLimits.kernels_per_client={VIEWERS + len(APPS)}",
        f"--ServingLimits.sockets_per_client={4 * VIEWERS}",
        f"--ServingLimits.max_kernels={VIEWERS + len(APPS)}",
    )
    with running_server(notebooks_dir(), extra_args=one_client, timeout=120) as srv:
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
    pages: list[tuple[str, Page]] = []
    for app in APPS:
        context = browser.new_context(viewport=VIEWPORT, locale="zh-CN")
        block_external(context, log)
        context.add_init_script(READY_PROBE)
        contexts.append(context)
        pages.append((app, open_page(context, log)))
    go, leave = threading.Event(), threading.Event()
    scripted = [ScriptedViewer(APPS[i % len(APPS)], server) for i in range(VIEWERS - PAGES)]
    threads = [threading.Thread(target=v.run, args=(go, leave), daemon=True) for v in scripted]
    for thread in threads:
        thread.start()

    start = time.monotonic()
    go.set()
    for app, page in pages:  # all at once: navigate without waiting for an answer
        page.evaluate("(url) => { window.location.href = url; }", server.render_url(app))
    peak_kernels, peak_rss = 0, 0.0
    page_ready: dict[int, float] = {}
    while time.monotonic() - start < READY_WITHIN_S:
        pids = server.kernel_pids()
        peak_kernels = max(peak_kernels, len(pids))
        peak_rss = max(peak_rss, rss_mib(pids))
        for i, (_app, page) in enumerate(pages):
            if i in page_ready:
                continue
            try:
                ready = page.evaluate("() => window.__briefingReadyMs ?? null")
            except PlaywrightError:  # between two documents
                continue
            if ready is not None:
                page_ready[i] = ready / 1000
        done = sum(v.ready_s is not None or v.error is not None for v in scripted)
        elapsed = time.monotonic() - start
        if int(elapsed) // 15 != int(elapsed - 0.5) // 15:
            print(
                f"{elapsed:5.0f} s: pages {len(page_ready)}/{PAGES}, scripted {done}/"
                f"{len(scripted)}, {len(pids)} kernels"
            )
        if len(page_ready) == PAGES and done == len(scripted):
            break
        time.sleep(0.5)
    wall_s = time.monotonic() - start

    problems: dict[str, Any] = {}
    for i, (app, page) in enumerate(pages):
        if i not in page_ready:
            problems[f"page {app}"] = page_state(page)
            screenshot(page, f"load-not-ready-{app.removesuffix('.ipynb')}")
        elif page.locator(".briefing-error").count():
            problems[f"page {app}"] = "shows an error"
    for n, viewer in enumerate(scripted):
        if viewer.ready_s is None:
            problems[f"scripted {viewer.app} #{n}"] = viewer.error or "not interactive"
        elif viewer.widgets < 10:
            problems[f"scripted {viewer.app} #{n}"] = f"{viewer.widgets} widgets"

    page_times = [page_ready[i] for i in sorted(page_ready)]
    scripted_times = [v.ready_s for v in scripted if v.ready_s is not None]
    times = page_times + scripted_times

    def summary(values: list[float]) -> dict[str, float | None]:
        if not values:
            return {"p50": None, "p95": None, "max": None, "mean": None}
        return {
            "p50": round(percentile(values, 0.5), 2),
            "p95": round(percentile(values, 0.95), 2),
            "max": round(max(values), 2),
            "mean": round(statistics.fmean(values), 2),
        }

    leaving = time.monotonic()
    leave.set()
    for _app, page in pages:
        page.close(run_before_unload=True)
    for thread in threads:
        thread.join(timeout=60)
    time.sleep(1)  # the unload beacons leave before the contexts go
    for context in contexts:
        context.close()
    waiting = time.monotonic()
    count, waited = server.wait_for_kernels(len(baseline), CLEANUP_BOUND_S, stable_for=STABLE_S)
    back_s = round(waiting - leaving + waited - STABLE_S, 1) if count == len(baseline) else None
    log_text = server.log_text()

    figures = {
        "viewers": VIEWERS,
        "real_pages": PAGES,
        "scripted_viewers": len(scripted),
        "apps": len(APPS),
        "viewers_interactive": len(times),
        "time_to_interactive_s": {
            "all": summary(times),
            "pages": summary(page_times),
            "scripted": summary(scripted_times),
        },
        "all_interactive_after_s": round(wall_s, 1),
        "problems": problems,
        "server_log": {
            "iopub_timeouts": log_text.count("Timeout waiting for IOPub output"),
            "cell_timeouts": log_text.count("A cell timed out"),
            "pool_refills": log_text.count("is filled with"),
        },
        "kernels": {
            "preheated_pool": len(baseline),
            "peak": peak_kernels,
            "peak_rss_mib": peak_rss,
            "after_leaving": count,
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
    (ARTIFACTS / "load.json").write_text(
        json.dumps(figures, indent=2, ensure_ascii=False) + "\n", encoding="utf-8"
    )
    print("\nload test:", json.dumps(figures, indent=2, ensure_ascii=False))

    assert problems == {}, f"viewers without a working app after {READY_WITHIN_S} s"
    assert log.page_errors == []
    assert log.blocked == [], "requests to other machines were attempted"
    assert count == len(baseline), (
        f"{count} kernels {CLEANUP_BOUND_S} s after the viewers left; pool {len(baseline)}"
    )
