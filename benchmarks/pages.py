"""What a viewer waits for in the browser: time to interactive, interaction latency, memory.

Every page is opened in a fresh browser context (a first visit: no HTTP cache, no
cookies) of Debian's Chromium, driven by Playwright with the browser tests' flags; every
request to another machine is aborted. Times are read inside the page (``performance.now()``
counts from navigation start) at the first animation frame where the condition holds, and
each wait goes through the browser tests' own ``wait_for_app``, so "interactive" means
here what it means in the tests: the cells shown, the widgets rendered and (for apps with
charts) one chart drawn.
"""

from __future__ import annotations

import contextlib
import os
import re
import signal
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from playwright.sync_api import Browser, BrowserContext, Page, Route
from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from benchmarks.stats import summary
from briefing.vocab import PARTS, label
from tests.browser import browser_harness as harness
from tests.browser.browser_harness import (
    VIEWPORT,
    PageLog,
    VoilaServer,
    cpu_seconds,
    is_local_url,
    page_kernel_id,
    wait_for_app,
    watch_page,
)

TIMEOUT_MS = harness.APP_TIMEOUT_MS

#: Set (by a signal handler) to stop the run at the next page or poll; see :func:`check_stop`.
STOP = threading.Event()


class Interrupted(KeyboardInterrupt):
    """The run was asked to stop: servers and kernels are stopped on the way out."""


def check_stop() -> None:
    if STOP.is_set():
        raise Interrupted


#: The same drawn-chart test as the browser tests' ``wait_for_app``.
CHART_DRAWN_JS = harness._CHART_DRAWN_JS.strip()

#: Installed before any script of the page: records, at each animation frame, the first
#: moment (ms since navigation start) the cells are visible, a widget is rendered and a
#: chart is drawn.
PROBE_JS = (
    """
(() => {
  if (window.top !== window) return;
  const chartDrawn = """
    + CHART_DRAWN_JS
    + """;
  const visible = (el) => {
    if (!el) return false;
    const r = el.getBoundingClientRect();
    return r.width > 0 && r.height > 0 && getComputedStyle(el).visibility !== 'hidden';
  };
  const state = { cells: null, widgets: null, chart: null, frames: 0 };
  window.__benchTTI = state;
  const tick = () => {
    const now = performance.now();
    state.frames += 1;
    if (state.cells === null && visible(document.querySelector('#rendered_cells'))) {
      state.cells = now;
    }
    if (state.widgets === null && document.querySelector('.jupyter-widgets')) {
      state.widgets = now;
    }
    if (state.chart === null && document.body && chartDrawn()) state.chart = now;
    if (state.cells === null || state.widgets === null || state.chart === null) {
      requestAnimationFrame(tick);
    }
  };
  requestAnimationFrame(tick);
})();
"""
)

_FILTER_ARM_JS = """
() => {
  const root = document.querySelector('.briefing-charts');
  const before = new Set(root.querySelectorAll('.vega-embed'));
  const drawn = (embed) => Array.from(embed.querySelectorAll('svg, canvas')).some((el) => {
    if (el.tagName.toLowerCase() === 'canvas') return el.width > 0 && el.height > 0;
    return el.querySelector('[class*="mark-"]') !== null;
  });
  const state = { t0: null, t1: null };
  window.__benchChange = state;
  const mark = () => { if (state.t0 === null) state.t0 = performance.now(); };
  document.addEventListener('change', mark, { capture: true, once: true });
  const tick = () => {
    const embeds = Array.from(root.querySelectorAll('.vega-embed'));
    if (state.t0 !== null && embeds.length > 0 && embeds.every((e) => !before.has(e))
        && embeds.every(drawn)) {
      state.t1 = performance.now();
      return;
    }
    requestAnimationFrame(tick);
  };
  requestAnimationFrame(tick);
}
"""

_LANG_ARM_JS = """
(want) => {
  const cjk = /[\\u3400-\\u9fff]/;
  const headline = () => document.querySelector('.briefing-section-headlines');
  const charts = () => Array.from(document.querySelectorAll('.briefing-app .vega-embed'));
  const before = new Set(charts());
  const drawn = (embed) => Array.from(embed.querySelectorAll('svg, canvas')).some((el) => {
    if (el.tagName.toLowerCase() === 'canvas') return el.width > 0 && el.height > 0;
    return el.querySelector('[class*="mark-"]') !== null;
  });
  const shows = (lang) => {
    const box = headline();
    if (!box) return false;
    const labels = Array.from(box.querySelectorAll('.briefing-card .l')).map((e) => e.innerText);
    const heading = (box.querySelector('.briefing-h') || {}).innerText || '';
    if (!labels.length) return false;
    return lang === 'en'
      ? !cjk.test(heading) && labels.every((t) => !cjk.test(t))
      : cjk.test(heading) && labels.some((t) => cjk.test(t));
  };
  const state = { t0: null, cards: null, charts: null };
  window.__benchLang = state;
  const mark = () => { if (state.t0 === null) state.t0 = performance.now(); };
  document.addEventListener('click', mark, { capture: true, once: true });
  const tick = () => {
    const now = performance.now();
    if (state.t0 !== null) {
      if (state.cards === null && shows(want)) state.cards = now;
      const current = charts();
      if (state.charts === null && current.length > 0 && current.every((e) => !before.has(e))
          && current.every(drawn)) {
        state.charts = now;
      }
    }
    if (state.cards === null || state.charts === null) requestAnimationFrame(tick);
  };
  requestAnimationFrame(tick);
}
"""


# --------------------------------------------------------------------------- processes


def _status_kib(pid: int, key: str, file: str = "status") -> int | None:
    try:
        for line in Path(f"/proc/{pid}/{file}").read_text().splitlines():
            if line.startswith(key + ":"):
                return int(line.split()[1])
    except (OSError, ValueError):
        pass
    return None


def rss_mib(pid: int | None) -> float | None:
    """Resident memory of a process (``VmRSS``), MiB."""
    if pid is None:
        return None
    kib = _status_kib(pid, "VmRSS")
    return None if kib is None else kib / 1024


def pss_mib(pid: int | None) -> float | None:
    """Proportional set size (shared pages divided among their users), MiB."""
    if pid is None:
        return None
    kib = _status_kib(pid, "Pss", "smaps_rollup")
    return None if kib is None else kib / 1024


def alive(pid: int) -> bool:
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    return stat[stat.rfind(")") + 2 :].split()[0] != "Z"


def wait_quiet(
    server: VoilaServer, *, quiet_for: float = 1.0, load: float = 0.1, timeout: float = 120.0
) -> float:
    """Wait until the server and its kernels use less than ``load`` CPU-seconds per second
    for ``quiet_for`` seconds. Returns the monotonic time the quiet period began."""
    step = 0.2
    start = time.monotonic()
    quiet_since: float | None = None
    used = sum(cpu_seconds(p) for p in [server.proc.pid, *server.kernel_pids()])
    while time.monotonic() - start < timeout:
        check_stop()
        time.sleep(step)
        now_used = sum(cpu_seconds(p) for p in [server.proc.pid, *server.kernel_pids()])
        busy = (now_used - used) / step >= load
        used = now_used
        now = time.monotonic()
        if busy:
            quiet_since = None
        elif quiet_since is None:
            quiet_since = now - step
        elif now - quiet_since >= quiet_for:
            return quiet_since
    raise TimeoutError(f"the server was still busy after {timeout:.0f} s")


# --------------------------------------------------------------------------- browser


@dataclass
class Viewer:
    """A page in a context of its own, with what it logged."""

    context: BrowserContext
    page: Page
    log: PageLog = field(default_factory=PageLog)


def _route_local_only(context: BrowserContext, log: PageLog) -> None:
    def handle(route: Route) -> None:
        url = route.request.url
        if is_local_url(url) or url.startswith("file:"):
            route.continue_()
        else:
            log.blocked.append(url)
            route.abort("blockedbyclient")

    context.route(re.compile(r".*"), handle)


@contextlib.contextmanager
def viewer(browser: Browser) -> Iterator[Viewer]:
    """A fresh context (a first visit) with the time-to-interactive probe installed."""
    log = PageLog()
    context = browser.new_context(viewport=VIEWPORT, locale="zh-CN")
    _route_local_only(context, log)
    context.add_init_script(PROBE_JS)
    page = context.new_page()
    page.set_default_timeout(TIMEOUT_MS)
    watch_page(page, log)
    try:
        yield Viewer(context, page, log)
    finally:
        context.close()


class KernelGone(RuntimeError):
    """The page's kernel stopped before the page became interactive."""


def open_and_time(
    page: Page, url: str, *, chart: bool, server: VoilaServer | None = None
) -> dict[str, Any]:
    """Navigate and wait like the browser tests; return the in-page times (seconds).

    With ``server``, the wait gives up as soon as the page's kernel is gone (Voila's idle
    culler can stop a pre-heated kernel at the moment it is handed to a page, when it has
    sat in the pool, finished, longer than ``cull_idle_timeout``).
    """
    start = time.monotonic()
    page.goto(url, wait_until="commit", timeout=TIMEOUT_MS)
    pid: int | None = None
    while True:
        try:
            wait_for_app(page, 2_000, chart=chart)
            break
        except PlaywrightTimeout:
            check_stop()
            if time.monotonic() - start > TIMEOUT_MS / 1000:
                raise
            if server is None:
                continue
            if pid is None:
                with contextlib.suppress(PlaywrightError):
                    pid = server.kernel_pid(page_kernel_id(page))
            elif not alive(pid):
                raise KernelGone(f"the kernel of {url} stopped before the page was ready") from None
    wall = time.monotonic() - start
    state = page.evaluate("() => window.__benchTTI")
    marks = [state["cells"], state["widgets"]] + ([state["chart"]] if chart else [])
    # Should the probe have missed its frame, fall back to the wall clock.
    tti = wall if any(m is None for m in marks) else max(marks) / 1000
    return {
        "tti": tti,
        "wall": wall,
        "widgets": None if state["widgets"] is None else state["widgets"] / 1000,
        "chart": None if state["chart"] is None else state["chart"] / 1000,
    }


def close_page(server: VoilaServer | None, page: Page, timeout: float = 20.0) -> float | None:
    """Close a tab as a person does (unload handlers run) and wait for its kernel to exit.

    Returns the seconds until the kernel was gone, or ``None`` if there was none. A kernel
    still running after ``timeout`` is killed, so runs do not pile kernels up.
    """
    pid = server.kernel_pid(page_kernel_id(page)) if server is not None else None
    start = time.monotonic()
    with page.expect_event("close"):
        page.close(run_before_unload=True)
    if pid is None:
        return None
    while time.monotonic() - start < timeout:
        if not alive(pid):
            return time.monotonic() - start
        time.sleep(0.05)
    with contextlib.suppress(ProcessLookupError):
        os.kill(pid, signal.SIGKILL)
    return None


def _page_problems(view: Viewer) -> list[str]:
    problems = list(view.log.errors)
    problems += [f"blocked: {url}" for url in view.log.blocked]
    with contextlib.suppress(Exception):
        if view.page.locator(".briefing-error").count():
            problems.append("the app shows an error panel")
    return problems


# --------------------------------------------------------------------------- measurements


def pool_fill_count(server: VoilaServer, notebook: str) -> int:
    """How often the log says the pool of ``notebook`` was filled."""
    pattern = re.compile(rf"Kernel pool of \S*{re.escape(notebook)} is filled")
    return len(pattern.findall(server.log_text()))


def wait_for_pools(server: VoilaServer, notebooks: Sequence[str], timeout: float = 300.0) -> float:
    """Wait until every notebook's pool is filled and the machine is quiet; return seconds."""
    start = time.monotonic()
    while time.monotonic() - start < timeout:
        if all(pool_fill_count(server, name) >= 1 for name in notebooks):
            break
        time.sleep(0.25)
    else:
        raise TimeoutError("the kernel pools did not fill:\n" + server.log_text()[-2000:])
    wait_quiet(server, quiet_for=1.5, timeout=timeout)
    return time.monotonic() - start


def time_to_interactive(
    server: VoilaServer,
    browser: Browser,
    notebooks: Sequence[str],
    charted: Callable[[str], bool],
    *,
    runs: int,
    warmup: int,
    warmup_notebooks: Sequence[str] = (),
    preheated: bool,
    progress: Callable[[str], None] = print,
) -> dict[str, Any]:
    """Open each notebook ``runs`` times, round robin, after ``warmup`` rounds of
    ``warmup_notebooks`` (default: all); per notebook, summaries of time to interactive,
    its kernel's memory and (pre-heated) the pool's refill time."""
    samples: dict[str, dict[str, list[float]]] = {
        name: {"tti": [], "wall": [], "rss": [], "pss": [], "refill": [], "close": []}
        for name in notebooks
    }
    problems: dict[str, list[str]] = {name: [] for name in notebooks}
    rounds = [(False, list(warmup_notebooks or notebooks))] * warmup
    rounds += [(True, list(notebooks))] * runs
    for index, (measured, names) in enumerate(rounds):
        for name in names:
            for attempt in range(2):  # a page that never became interactive is tried again
                check_stop()
                fills = pool_fill_count(server, name) if preheated else 0
                start = time.monotonic()
                try:
                    with viewer(browser) as view:
                        times = open_and_time(
                            view.page, server.render_url(name), chart=charted(name), server=server
                        )
                        pid = server.kernel_pid(page_kernel_id(view.page))
                        rss, pss = rss_mib(pid), pss_mib(pid)
                        issues = _page_problems(view)
                        closed = close_page(server, view.page)
                    failure = None
                except (PlaywrightError, KernelGone) as error:
                    failure = f"run {index + 1}: {str(error).splitlines()[0][:160]}"
                    issues = [failure]
                refill = None
                if preheated:
                    deadline = time.monotonic() + 90
                    while pool_fill_count(server, name) <= fills and time.monotonic() < deadline:
                        time.sleep(0.1)
                    refill = wait_quiet(server, quiet_for=0.8) - start
                else:
                    wait_quiet(server, quiet_for=0.3)
                if measured:
                    problems[name].extend(issues)
                if failure is not None:
                    progress(f"  {name}: FAILED ({failure}); {'retrying' if not attempt else ''}")
                    continue
                if measured:
                    row = samples[name]
                    row["tti"].append(times["tti"])
                    row["wall"].append(times["wall"])
                    row["rss"].append(rss)
                    row["pss"].append(pss)
                    row["close"].append(closed)
                    if refill is not None:
                        row["refill"].append(refill)
                progress(
                    f"  {'run ' + str(index + 1 - warmup) if measured else 'warm-up'}"
                    f" {name}: {times['tti']:.2f} s"
                    + (f", refill {refill:.1f} s" if refill is not None else "")
                    + (f", RSS {rss:.0f} MiB" if rss else "")
                    + (f"  [{'; '.join(issues)[:200]}]" if issues else "")
                )
                break
    return {
        name: {
            **{key: summary(values) for key, values in rows.items() if values},
            "problems": sorted(set(problems[name])),
        }
        for name, rows in samples.items()
    }


def filter_latency(
    server: VoilaServer, browser: Browser, notebook: str, *, runs: int, warmup: int
) -> dict[str, Any]:
    """From choosing another part in the explorer's first filter to its charts redrawn."""
    labels = [label(PARTS, "tasks_2023", "zh"), label(PARTS, "review_2022", "zh")]
    page_ms: list[float] = []
    wall: list[float] = []
    with viewer(browser) as view:
        open_and_time(view.page, server.render_url(notebook), chart=True)
        wait_quiet(server, quiet_for=1.0)
        select = view.page.locator(".briefing-explorer-filters select").first
        for index in range(warmup + runs):
            view.page.evaluate(_FILTER_ARM_JS)
            start = time.monotonic()
            select.select_option(label=labels[index % 2])
            view.page.wait_for_function(
                "() => window.__benchChange.t1 !== null", polling="raf", timeout=TIMEOUT_MS
            )
            elapsed = time.monotonic() - start
            state = view.page.evaluate("() => window.__benchChange")
            if index >= warmup:
                page_ms.append((state["t1"] - state["t0"]) / 1000)
                wall.append(elapsed)
            wait_quiet(server, quiet_for=0.5)
        problems = _page_problems(view)
        close_page(server, view.page)
    return {"latency": summary(page_ms), "wall": summary(wall), "problems": problems}


def language_latency(
    server: VoilaServer, browser: Browser, notebook: str, *, runs: int, warmup: int
) -> dict[str, Any]:
    """From a click on the language toggle to the headline cards (and charts) in that language."""
    cards: dict[str, list[float]] = {"en": [], "zh": []}
    charts: dict[str, list[float]] = {"en": [], "zh": []}
    wall: dict[str, list[float]] = {"en": [], "zh": []}
    with viewer(browser) as view:
        open_and_time(view.page, server.render_url(notebook), chart=True)
        wait_quiet(server, quiet_for=1.0)
        for index in range(warmup + runs):
            for lang, label in (("en", "English"), ("zh", "中文")):
                view.page.evaluate(_LANG_ARM_JS, lang)
                start = time.monotonic()
                view.page.locator(".briefing-lang button", has_text=label).click()
                view.page.wait_for_function(
                    "() => window.__benchLang.cards !== null && window.__benchLang.charts !== null",
                    polling="raf",
                    timeout=TIMEOUT_MS,
                )
                elapsed = time.monotonic() - start
                state = view.page.evaluate("() => window.__benchLang")
                if index >= warmup:
                    cards[lang].append((state["cards"] - state["t0"]) / 1000)
                    charts[lang].append((state["charts"] - state["t0"]) / 1000)
                    wall[lang].append(elapsed)
                wait_quiet(server, quiet_for=0.5)
        problems = _page_problems(view)
        close_page(server, view.page)
    return {
        "to_english_cards": summary(cards["en"]),
        "to_english_charts": summary(charts["en"]),
        "to_chinese_cards": summary(cards["zh"]),
        "to_chinese_charts": summary(charts["zh"]),
        "to_english_wall": summary(wall["en"]),
        "problems": problems,
    }


def many_viewers(
    server: VoilaServer, browser: Browser, notebook: str, count: int
) -> dict[str, Any]:
    """Memory of the server and its kernels with ``count`` pages of one app open at once
    (one browser context, ``count`` tabs)."""
    context = browser.new_context(viewport=VIEWPORT, locale="zh-CN")
    log = PageLog()
    _route_local_only(context, log)
    start = time.monotonic()
    try:
        pages = []
        for _ in range(count):
            page = context.new_page()
            page.set_default_timeout(TIMEOUT_MS * 4)
            watch_page(page, log)
            page.goto(server.render_url(notebook), wait_until="commit")
            pages.append(page)
        for page in pages:
            wait_for_app(page, TIMEOUT_MS * 4)
        all_ready = time.monotonic() - start
        wait_quiet(server, quiet_for=1.0)
        kernels = server.kernel_pids()
        kernel_rss = [rss_mib(pid) or 0.0 for pid in kernels]
        kernel_pss = [pss_mib(pid) or 0.0 for pid in kernels]
        server_rss = rss_mib(server.proc.pid) or 0.0
        server_pss = pss_mib(server.proc.pid) or 0.0
        result = {
            "viewers": count,
            "kernels": len(kernels),
            "all_ready_s": all_ready,
            "server_rss_mib": server_rss,
            "kernel_rss_mib": kernel_rss,
            "total_rss_mib": server_rss + sum(kernel_rss),
            "total_pss_mib": server_pss + sum(kernel_pss),
            "problems": sorted(set(log.errors + [f"blocked: {u}" for u in log.blocked])),
        }
        for page in pages:
            close_page(server, page)
    finally:
        context.close()
    return result


def footprint(server: VoilaServer) -> dict[str, Any]:
    """Memory of an idle server and its kernels (for the pre-heated server: its pools)."""
    kernels = server.kernel_pids()
    kernel_rss = [rss_mib(pid) or 0.0 for pid in kernels]
    server_rss = rss_mib(server.proc.pid) or 0.0
    return {
        "kernels": len(kernels),
        "server_rss_mib": server_rss,
        "kernel_rss_mib": kernel_rss,
        "total_rss_mib": server_rss + sum(kernel_rss),
        "total_pss_mib": (pss_mib(server.proc.pid) or 0.0)
        + sum(pss_mib(pid) or 0.0 for pid in kernels),
    }


#: The static site's page is interactive: its script has run (filters, toggle and clicks
#: wired) and every chart on screen is drawn (charts further down are drawn as the reader
#: scrolls to them). Returns the page's clock then.
STATIC_READY_JS = """
() => document.documentElement.hasAttribute('data-ready') &&
  Array.from(document.querySelectorAll('[data-chart]')).every((box) => {
    const r = box.getBoundingClientRect();
    const onScreen = r.bottom > 0 && r.top < innerHeight;
    return box.closest('[hidden]') || !onScreen || box.hasAttribute('data-drawn');
  }) && performance.now()
"""


def static_page(
    browser: Browser,
    path: Path | str,
    *,
    runs: int,
    warmup: int,
    viewport: dict[str, int] | None = None,
) -> dict[str, Any]:
    """Time to interactive of a static-site page (a file path, or an http:// address).

    Each run is a first visit in a fresh context; the figure is the page's own clock
    (``performance.now()``, from the start of navigation) when :data:`STATIC_READY_JS`
    first holds.
    """
    url = path if isinstance(path, str) else Path(path).resolve().as_uri()
    samples: list[float] = []
    problems: list[str] = []
    for index in range(warmup + runs):
        with viewer(browser) as view:
            if viewport:
                view.page.set_viewport_size(viewport)
            view.page.goto(url, wait_until="commit")
            ready = view.page.wait_for_function(STATIC_READY_JS, polling="raf").json_value()
            if index >= warmup:
                samples.append(float(ready) / 1000)
                problems.extend(_page_problems(view))
    return {"tti": summary(samples), "problems": sorted(set(problems))}
