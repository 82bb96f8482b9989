"""Helpers of the browser tests (the fixtures that use them are in ``conftest.py``).

Kept in a module of its own so that test modules can import them by a name
no other ``conftest.py`` of the tree can shadow.
"""

from __future__ import annotations

import contextlib
import os
import re
import socket
import subprocess
import time
import urllib.error
import urllib.request
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from playwright.sync_api import BrowserContext, ConsoleMessage, Page, Route, WebSocket

from briefing import serve

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
VIEWPORT = {"width": 1280, "height": 720}

REPO_ROOT = Path(__file__).resolve().parents[2]
FIXTURES = Path(__file__).resolve().parent / "fixtures"
ARTIFACTS = REPO_ROOT / "test-artifacts"
SCREENSHOTS = ARTIFACTS / "screenshots"

LOCAL_HOSTS = frozenset({"127.0.0.1", "localhost", "::1"})
LOCAL_SCHEMES = frozenset({"data", "blob", "about"})

#: Wait (ms) for an app to render; a cold kernel imports pandas and Altair first.
APP_TIMEOUT_MS = 45_000


def is_local_url(url: str) -> bool:
    """True for URLs that stay on this machine (loopback, ``data:``, ``blob:``, ``about:``).

    >>> is_local_url("http://127.0.0.1:8866/voila/static/voila.js")
    True
    >>> is_local_url("ws://localhost:8866/api/kernels/x/channels")
    True
    >>> is_local_url("https://example.org/font.css")
    False
    """
    parts = urlsplit(url)
    if parts.scheme in LOCAL_SCHEMES:
        return True
    return (parts.hostname or "") in LOCAL_HOSTS


# --------------------------------------------------------------------------
# Server
# --------------------------------------------------------------------------


def kernel_pids(server_pid: int) -> list[int]:
    """Return the ids of the ipykernel processes started by ``server_pid`` (from /proc).

    jupyter_client starts each kernel in a session of its own, so they are
    found as the server's children, not as members of its process group.
    """
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
            cmdline = (entry / "cmdline").read_bytes()
        except OSError:
            continue
        # "pid (comm) state ppid ...": comm may hold spaces, so split after ")".
        fields = stat[stat.rfind(")") + 2 :].split()
        if len(fields) > 1 and int(fields[1]) == server_pid and b"ipykernel" in cmdline:
            found.append(int(entry.name))
    return sorted(found)


@dataclass
class VoilaServer:
    """A server started by :func:`briefing.serve.start_server`."""

    base_url: str
    notebooks: Path
    proc: subprocess.Popen[bytes]
    log_path: Path

    def url(self, path: str = "") -> str:
        return self.base_url + path.lstrip("/")

    def render_url(self, notebook: str, query: str = "") -> str:
        return self.url(f"voila/render/{notebook}") + (f"?{query}" if query else "")

    def log_text(self) -> str:
        return self.log_path.read_text(encoding="utf-8", errors="replace")

    def kernel_pids(self) -> list[int]:
        """Kernel processes of this server."""
        return kernel_pids(self.proc.pid)

    def kernel_pid(self, kernel_id: str | None) -> int | None:
        """The process of this server's kernel with that id, or None.

        A kernel's command line names its connection file, ``kernel-<id>.json``.
        """
        if not kernel_id:
            return None
        for pid in self.kernel_pids():
            try:
                if f"kernel-{kernel_id}.json".encode() in Path(f"/proc/{pid}/cmdline").read_bytes():
                    return pid
            except OSError:
                continue
        return None

    def wait_until_idle(
        self, timeout: float = 180.0, *, quiet_for: float = 1.5, load: float = 0.1
    ) -> float:
        """Wait until the server and its kernels are quiet: less than ``load``
        CPU-seconds per second for ``quiet_for`` seconds. Returns the seconds waited.

        Pre-heating runs every notebook at start-up, after the pools report
        "filled" (that line only means the kernels started): wait for this
        before measuring how fast a page opens.
        """
        start = time.monotonic()
        quiet_since: float | None = None
        pids = [self.proc.pid, *self.kernel_pids()]
        used = sum(cpu_seconds(pid) for pid in pids)
        while time.monotonic() - start < timeout:
            time.sleep(0.5)
            pids = [self.proc.pid, *self.kernel_pids()]
            now_used = sum(cpu_seconds(pid) for pid in pids)
            busy = (now_used - used) / 0.5 >= load
            used = now_used
            now = time.monotonic()
            if busy:
                quiet_since = None
            elif quiet_since is None:
                quiet_since = now
            elif now - quiet_since >= quiet_for:
                return now - start
        raise TimeoutError(f"the server was still busy after {timeout:.0f} s")

    def wait_for_kernels(
        self, expected: int, timeout: float, *, stable_for: float = 0.0
    ) -> tuple[int, float]:
        """Wait until exactly ``expected`` kernels run (for ``stable_for`` seconds).

        Returns the last count seen and the seconds waited.
        """
        start = time.monotonic()
        since: float | None = None
        count = len(self.kernel_pids())
        while time.monotonic() - start < timeout:
            count = len(self.kernel_pids())
            now = time.monotonic()
            if count == expected:
                since = now if since is None else since
                if now - since >= stable_for:
                    return count, now - start
            else:
                since = None
            time.sleep(0.2)
        return count, time.monotonic() - start


def cpu_seconds(pid: int) -> float:
    """CPU time (user + system) used so far by process ``pid``; 0 if it is gone."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return 0.0
    fields = stat[stat.rfind(")") + 2 :].split()
    # Fields 14 and 15 of proc(5) (utime, stime), counted from "state" as field 3.
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


@contextlib.contextmanager
def running_server(
    notebooks: Path,
    *,
    extra_args: Sequence[str] = (),
    env: Mapping[str, str] | None = None,
    timeout: float = 60.0,
) -> Iterator[VoilaServer]:
    """Start a server on a free port; stop it, kernels included, on exit.

    Its log goes to ``test-artifacts/voila-<folder>-<port>.log``.
    """
    port = free_port()
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    log_path = ARTIFACTS / f"voila-{notebooks.name}-{port}.log"
    with log_path.open("wb") as log:
        proc = serve.start_server(
            notebooks,
            port=port,
            ip="127.0.0.1",
            open_browser=False,
            port_retries=0,
            extra_args=extra_args,
            env={**os.environ, **(env or {})},
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        base_url = f"http://127.0.0.1:{port}/"
        try:
            serve.wait_until_ready(base_url, timeout=timeout, proc=proc)
            yield VoilaServer(base_url, Path(notebooks), proc, log_path)
        finally:
            serve.stop_server(proc)


# --------------------------------------------------------------------------
# Browser
# --------------------------------------------------------------------------


@dataclass
class PageLog:
    """What the pages of one test reported: console errors, uncaught errors,
    and every request or websocket that tried to leave this machine."""

    console_errors: list[str] = field(default_factory=list)
    page_errors: list[str] = field(default_factory=list)
    blocked: list[str] = field(default_factory=list)

    @property
    def errors(self) -> list[str]:
        return [*self.console_errors, *self.page_errors]


#: Matches every URL that leaves this machine. Playwright applies a regular
#: expression in the browser, so local requests are never paused (the unload
#: beacon that shuts a kernel down must not wait on the test process).
EXTERNAL_URL = re.compile(
    r"^(?!(?:https?|wss?)://(?:127\.0\.0\.1|localhost|\[::1\])(?::\d+)?(?:[/?#]|$))"
    r"(?!(?:data|blob|about):)"
)


def block_external(context: BrowserContext, log: PageLog, *, allow: bool = False) -> None:
    """Abort (unless ``allow``) and record every request to another machine."""

    def handle(route: Route) -> None:
        url = route.request.url
        if is_local_url(url):
            route.continue_()
            return
        log.blocked.append(url)
        if allow:
            route.continue_()
        else:
            route.abort("blockedbyclient")

    context.route(EXTERNAL_URL, handle)


def watch_page(page: Page, log: PageLog) -> None:
    """Record the page's console errors, uncaught errors and non-local websockets."""

    def on_console(message: ConsoleMessage) -> None:
        if message.type == "error":
            where = (message.location or {}).get("url", "")
            log.console_errors.append(f"{message.text} @ {where}")

    def on_websocket(ws: WebSocket) -> None:
        if not is_local_url(ws.url):
            log.blocked.append(ws.url)

    page.on("console", on_console)
    page.on("pageerror", lambda error: log.page_errors.append(str(error)))
    page.on("websocket", on_websocket)


def open_page(context: BrowserContext, log: PageLog) -> Page:
    """A new page of ``context`` reporting to ``log``."""
    page = context.new_page()
    page.set_default_timeout(APP_TIMEOUT_MS)
    watch_page(page, log)
    return page


def page_kernel_id(page: Page) -> str | None:
    """The id of the kernel behind a Voilà page (from its page config)."""
    kernel_id = page.evaluate(
        """() => {
          const el = document.getElementById('jupyter-config-data');
          return el ? (JSON.parse(el.textContent).kernelId || null) : null;
        }"""
    )
    return str(kernel_id) if kernel_id else None


def kernel_exists(base_url: str, kernel_id: str) -> bool:
    try:
        with urllib.request.urlopen(f"{base_url}api/kernels/{kernel_id}", timeout=10) as response:
            return bool(response.status == 200)
    except urllib.error.HTTPError as exc:
        if exc.code == 404:
            return False
        raise


def close_tab(page: Page, timeout: float = 15.0) -> float | None:
    """Close ``page`` as a person closes a tab (unload handlers run) and wait
    until the server has shut its kernel down.

    Returns the seconds from closing to the kernel being gone, or ``None`` if
    the page had no kernel or it was still running after ``timeout``. Waiting
    matters: the page's shutdown beacon is still in flight when the tab is
    gone, and closing the browser context at once would cancel it.
    """
    kernel_id = page_kernel_id(page)
    parts = urlsplit(page.url)
    base_url = f"{parts.scheme}://{parts.netloc}/"
    start = time.monotonic()
    with page.expect_event("close"):
        page.close(run_before_unload=True)
    if kernel_id is None:
        return None
    while time.monotonic() - start < timeout:
        if not kernel_exists(base_url, kernel_id):
            return time.monotonic() - start
        time.sleep(0.1)
    return None


_CHART_DRAWN_JS = """
() => Array.from(document.querySelectorAll('.vega-embed svg, .vega-embed canvas')).some((el) => {
  if (el.tagName.toLowerCase() === 'canvas') {
    return el.width > 0 && el.height > 0;
  }
  const w = parseFloat(el.getAttribute('width')) || el.getBoundingClientRect().width;
  const h = parseFloat(el.getAttribute('height')) || el.getBoundingClientRect().height;
  return w > 0 && h > 0 && el.querySelector('[class*="mark-"]') !== null;
})
"""


def apps_without_charts() -> frozenset[str]:
    """Notebooks of the sector apps that draw no chart: every figure of theirs is a card
    (no two alike to chart), so such a page is ready when its widgets are."""
    from briefing import charts, data
    from briefing.catalogue import SECTOR_APPS

    facts = data.load().facts
    return frozenset(
        info.notebook
        for info in SECTOR_APPS
        if not charts.charts_for(facts[facts["sector"].isin(info.sectors)], "zh")
    )


def wait_for_app(page: Page, timeout_ms: int = APP_TIMEOUT_MS, *, chart: bool = True) -> float:
    """Wait until the Voilà page shows its cells, its widgets and (``chart``) one drawn chart.

    Returns the seconds waited. A chart on a hidden screen (presentation mode)
    counts: its size is read from the drawing, not from the layout.
    """
    start = time.monotonic()
    page.wait_for_selector("#rendered_cells", state="visible", timeout=timeout_ms)
    page.wait_for_selector(".jupyter-widgets", state="attached", timeout=timeout_ms)
    if chart:
        page.wait_for_function(_CHART_DRAWN_JS, timeout=timeout_ms)
    return time.monotonic() - start


def screenshot(page: Page, name: str, *, full_page: bool = False) -> Path:
    """Save the page as ``test-artifacts/screenshots/<name>.png`` and return the path."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=full_page)
    return path


# --------------------------------------------------------------------------- axe-core

#: The WCAG 2.0 and 2.1 A and AA rules (axe-core is bundled with axe-playwright-python and
#: injected into the page: nothing is fetched).
AXE_OPTIONS = {
    "runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]},
    "resultTypes": ["violations"],
}
_AXE: Any = None


def describe_violation(violation: dict[str, Any]) -> str:
    nodes = violation.get("nodes", [])
    where = "; ".join(
        f"{n.get('target')} {(n.get('failureSummary') or '').splitlines()[-1:]}" for n in nodes[:3]
    )
    return f"{violation['id']} ({violation['impact']}, {len(nodes)}×): {where}"


def run_axe(page: Page, options: dict[str, Any]) -> dict[str, Any]:
    """axe-core's results on what the page shows, run with ``options``."""
    global _AXE
    if _AXE is None:
        from axe_playwright_python.sync_playwright import Axe

        _AXE = Axe()
    results: dict[str, Any] = _AXE.run(page, options=options).response
    return results


def serious_axe_violations(page: Page, label: str, **options: Any) -> list[str]:
    """axe-core's serious and critical violations on what the page shows, described
    (``options`` are added to :data:`AXE_OPTIONS`)."""
    results = run_axe(page, {**AXE_OPTIONS, **options})
    return [
        f"{label}: {describe_violation(violation)}"
        for violation in results["violations"]
        if violation.get("impact") in ("serious", "critical")
    ]


#: axe-core's colour-contrast rule with text of every size held to 4.5:1 (WCAG AA lets
#: large text off with 3:1).
CONTRAST_OPTIONS = {
    "runOnly": {"type": "rule", "values": ["color-contrast"]},
    "checks": {
        "color-contrast": {
            "options": {"contrastRatio": {"normal": {"expected": 4.5}, "large": {"expected": 4.5}}}
        }
    },
    "resultTypes": ["violations"],
}


def low_contrast(page: Page, label: str, **options: Any) -> list[str]:
    """Text on the page under 4.5:1 against its background, one line a node
    (``options`` are added to :data:`CONTRAST_OPTIONS`)."""
    found = []
    for violation in run_axe(page, {**CONTRAST_OPTIONS, **options})["violations"]:
        for node in violation["nodes"]:
            data = (node.get("any") or [{}])[0].get("data") or {}
            found.append(
                f"{label}: color-contrast under 4.5:1: {node.get('target')} "
                f"{data.get('fgColor')} on {data.get('bgColor')}: "
                f"{data.get('contrastRatio')}:1 ({data.get('fontSize')})"
            )
    return found
