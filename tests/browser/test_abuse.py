"""One anonymous viewer cannot hurt the others: attacks from a script on loopback, each bounded.

One server for the module, with ``voila.json`` as it is (pre-heating on) and small limits
(:data:`LIMITS`), serving a folder with:

``10_widgets.ipynb``
    a light app: it waits for its viewer as the real apps do (so it is pre-heated and its
    kernel listens on Voila's query websocket), then shows a Dropdown and a Button whose
    callback fails, naming a secret and the package's path;
``00_overview.ipynb``
    a copy of the real overview (the theme and pool test);
``progress.ipynb``
    a symbolic link to the staff notebook beside the served folder.

The server runs with ``BRIEFING_SECRET_MARKER`` set to a random value that no viewer may see;
the detail of every error must reach the server log instead.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import shutil
import struct
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import nbformat
import pytest
from browser_harness import REPO_ROOT, PageLog, VoilaServer, block_external, open_page, wait_for_app
from playwright.sync_api import Browser
from websockets.exceptions import ConnectionClosed, InvalidStatus
from websockets.sync.client import ClientConnection, connect
from wire import (
    Rendered,
    frames_for,
    http_request,
    kernel_socket,
    message,
    raw_status,
    shutdown,
    websocket_url,
)

from briefing.paths import notebooks_dir

SECRET = f"briefing-secret-{uuid.uuid4().hex}"
WIDGETS = "10_widgets.ipynb"
OVERVIEW = "00_overview.ipynb"
LINKED_STAFF = "progress.ipynb"
STAFF_NOTEBOOK = REPO_ROOT / "staff" / "staff_record_progress.ipynb"
#: Small limits, so that a test reaches them with few kernels.
KERNELS_PER_CLIENT = 3
SOCKETS_PER_KERNEL = 4
SOCKETS_PER_CLIENT = 12
LIMITS = (
    f"--ServingLimits.kernels_per_client={KERNELS_PER_CLIENT}",
    f"--ServingLimits.sockets_per_kernel={SOCKETS_PER_KERNEL}",
    f"--ServingLimits.sockets_per_client={SOCKETS_PER_CLIENT}",
)
#: Pre-heated kernels: one per notebook (the symbolic link is never run).
POOL = 2
#: What may never reach a viewer.
LEAKS = ("Traceback", 'File "', "site-packages", str(REPO_ROOT), SECRET)
#: The release of a closed page's kernel, whatever the page did on unload (issue 18).
RELEASED_WITHIN_S = 20.0

pytestmark = pytest.mark.browser


def _widgets_notebook(path: Path) -> None:
    notebook = nbformat.v4.new_notebook()
    notebook.cells = [
        nbformat.v4.new_markdown_cell("# 小部件"),
        nbformat.v4.new_code_cell(
            "from briefing import ui\nif ui.waiting_for_viewer():\n    ui.wait_for_request()"
        ),
        nbformat.v4.new_code_cell(
            "import os\n"
            "import briefing\n"
            "import ipywidgets as widgets\n"
            "from IPython.display import display\n"
            "choice = widgets.Dropdown(options=['甲', '乙', '丙'], description='选择')\n"
            "button = widgets.Button(description='出错')\n"
            "def fail(_):\n"
            "    raise RuntimeError('failing on purpose: '"
            " + os.environ.get('BRIEFING_SECRET_MARKER', '') + ' ' + briefing.__file__)\n"
            "button.on_click(fail)\n"
            "choice.add_class('briefing-section')\n"
            "button.add_class('briefing-section')\n"
            "display(choice, button)"
        ),
    ]
    notebook.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3"}
    nbformat.write(notebook, path)


@dataclass
class Site:
    notebooks: Path
    server: VoilaServer

    def port(self) -> int:
        return int(urlsplit(self.server.base_url).port or 80)

    def server_rss_mb(self) -> float:
        for line in Path(f"/proc/{self.server.proc.pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
        raise AssertionError("no VmRSS")

    def leaks_in(self, text: str) -> list[str]:
        return [marker for marker in LEAKS if marker in text]


@pytest.fixture(scope="module")
def site(voila_server_factory: Any, tmp_path_factory: pytest.TempPathFactory) -> Site:
    root = tmp_path_factory.mktemp("abuse")
    notebooks = root / "notebooks"
    notebooks.mkdir()
    _widgets_notebook(notebooks / WIDGETS)
    shutil.copy(notebooks_dir() / OVERVIEW, notebooks / OVERVIEW)
    staff = root / "staff"
    staff.mkdir()
    shutil.copy(STAFF_NOTEBOOK, staff / STAFF_NOTEBOOK.name)
    (notebooks / LINKED_STAFF).symlink_to(staff / STAFF_NOTEBOOK.name)
    server: VoilaServer = voila_server_factory(
        notebooks, extra_args=LIMITS, env={"BRIEFING_SECRET_MARKER": SECRET}
    )
    server.wait_for_kernels(POOL, timeout=90, stable_for=0.5)
    server.wait_until_idle()
    return Site(notebooks, server)


# --------------------------------------------------------------------------
# Helpers
# --------------------------------------------------------------------------


def render(site: Site, notebook: str, query: str = "", timeout: float = 90) -> Rendered:
    """GET a page as a script would (no websocket: the kernel is never claimed)."""
    path = f"/voila/render/{notebook}" + (f"?{query}" if query else "")
    return Rendered.parse(*http_request(site.port(), "GET", path, timeout=timeout))


def page_socket(site: Site, page: Rendered, *, v1: bool = False) -> ClientConnection:
    """The kernel websocket of a page got by :func:`render`, from the server's own origin."""
    assert page.kernel_id
    return kernel_socket(site.server.base_url, page.kernel_id, page.cookie, v1=v1)


def widget_models(ws: ClientConnection) -> dict[str, str]:
    """Comm id of each widget of the kernel, by model name."""
    info = message("comm_info_request", {"target_name": "jupyter.widget"})
    ws.send(json.dumps(info))
    comms: dict[str, Any] = {}
    for frame in frames_for(ws, 10):
        msg = json.loads(frame)
        if msg["header"]["msg_type"] == "comm_info_reply":
            comms = msg["content"]["comms"]
            break
    assert comms, "no comm_info_reply"
    models: dict[str, str] = {}
    for comm_id in comms:
        ask = message("comm_msg", {"comm_id": comm_id, "data": {"method": "request_state"}})
        ws.send(json.dumps(ask))
    for frame in frames_for(ws, 5):
        msg = json.loads(frame)
        data = msg.get("content", {}).get("data", {})
        if msg["header"]["msg_type"] == "comm_msg" and data.get("method") == "update":
            models[data["state"].get("_model_name", "")] = msg["content"]["comm_id"]
    return models


# --------------------------------------------------------------------------
# Memory from one small frame
# --------------------------------------------------------------------------


def test_a_small_frame_with_a_huge_part_count_costs_no_memory(site: Site) -> None:
    page = render(site, WIDGETS)
    assert page.status == 200
    try:
        before = site.server_rss_mb()
        with page_socket(site, page) as ws:
            # The older binary layout: a part count, then one offset per part.
            ws.send(struct.pack("!i", 2**26) + bytes(28))
            # The layout the page speaks, its count on 8 bytes.
            with page_socket(site, page, v1=True) as ws1:
                ws1.send((2**22).to_bytes(8, "little") + bytes(24))
                time.sleep(1)
            # The server still answers at once, and it closed the socket of the frame.
            status, _, _ = http_request(site.port(), "GET", "/voila/static/voila.js", timeout=10)
            assert status in (200, 404)
            with pytest.raises(ConnectionClosed):  # after what was on its way
                frames_for(ws, 10)
        time.sleep(1)
        grown = site.server_rss_mb() - before
        print(f"server memory after the frames: +{grown:.0f} MB")
        assert grown < 40, f"the server kept {grown:.0f} MB after two 32-byte frames"
        log = site.server.log_text()
        assert "malformed websocket frame" in log
    finally:
        shutdown(site.port(), page)


# --------------------------------------------------------------------------
# Socket exhaustion
# --------------------------------------------------------------------------


def test_sockets_per_kernel_and_per_client_are_bounded(site: Site) -> None:
    page = render(site, WIDGETS)
    assert page.status == 200
    held: list[ClientConnection] = []
    refused: list[int] = []
    try:
        for _ in range(SOCKETS_PER_KERNEL + 6):
            try:
                held.append(page_socket(site, page))
            except InvalidStatus as error:
                refused.append(error.response.status_code)
        print(f"{len(held) + len(refused)} sockets asked on one kernel: {len(held)} held")
        assert len(held) == SOCKETS_PER_KERNEL, f"{len(held)} sockets held on one kernel"
        assert set(refused) == {429}
        # The others still get their pages.
        other = render(site, WIDGETS)
        assert other.status == 200
        shutdown(site.port(), other)
    finally:
        for ws in held:
            ws.close()
        shutdown(site.port(), page)
    limits = Path(f"/proc/{site.server.proc.pid}/limits").read_text()
    soft, hard = re.search(r"Max open files\s+(\d+)\s+(\d+)", limits).groups()  # type: ignore[union-attr]
    assert soft == hard, f"descriptor limit {soft} while {hard} is allowed"


# --------------------------------------------------------------------------
# Poisoning the pre-heated pool
# --------------------------------------------------------------------------


def test_the_query_socket_accepts_only_kernels_of_this_server(site: Site) -> None:
    made_up = websocket_url(site.server.base_url, f"voila/query/{uuid.uuid4()}")
    with pytest.raises(InvalidStatus) as refused:
        connect(made_up, open_timeout=10).close()
    assert refused.value.response.status_code in (403, 404)


def test_a_closed_query_socket_leaves_the_next_viewer_served(site: Site) -> None:
    """Two sockets on one id, the first closed after a pooled kernel started listening."""
    made_up = websocket_url(site.server.base_url, f"voila/query/{uuid.uuid4()}")
    sockets = []
    for _ in range(2):
        with contextlib.suppress(InvalidStatus):
            sockets.append(connect(made_up, open_timeout=10))
    first = render(site, WIDGETS)  # takes the pooled kernel; a new one starts and listens
    assert first.status == 200
    shutdown(site.port(), first)
    site.server.wait_for_kernels(POOL, timeout=60, stable_for=0.5)
    site.server.wait_until_idle()
    for ws in sockets[:1]:
        ws.close()
    time.sleep(0.5)
    second = render(site, WIDGETS, timeout=60)
    for ws in sockets[1:]:
        ws.close()
    assert second.status == 200
    assert "window.voila_finish()" in second.body  # the page was rendered to its end
    shutdown(site.port(), second)


# --------------------------------------------------------------------------
# Tracebacks to viewers
# --------------------------------------------------------------------------


def test_widget_errors_reach_the_log_not_the_viewer(site: Site) -> None:
    page = render(site, WIDGETS)
    assert page.status == 200
    log_before = len(site.server.log_text())
    try:
        with page_socket(site, page) as ws:
            models = widget_models(ws)
            assert {"DropdownModel", "ButtonModel"} <= set(models), models
            ws.send(
                json.dumps(
                    message(
                        "comm_msg",
                        {
                            "comm_id": models["DropdownModel"],
                            "data": {"method": "update", "state": {"index": 10**9}},
                        },
                    )
                )
            )
            ws.send(
                json.dumps(
                    message(
                        "comm_msg",
                        {
                            "comm_id": models["ButtonModel"],
                            "data": {"method": "custom", "content": {"event": "click"}},
                        },
                    )
                )
            )
            seen = frames_for(ws, 6)
    finally:
        shutdown(site.port(), page)
    leaks = {marker for frame in seen for marker in site.leaks_in(frame)}
    assert leaks == set(), f"the viewer was sent {leaks}"
    told = [f for f in seen if "请刷新页面" in json.dumps(json.loads(f), ensure_ascii=False)]
    assert told, "the viewer was not told something failed"
    time.sleep(1)
    log = site.server.log_text()[log_before:]
    assert "failing on purpose" in log, "the callback's error is not logged"
    assert SECRET in log, "the callback's error is not logged in full"
    assert "index" in log, "the Dropdown's error is not logged"


# --------------------------------------------------------------------------
# Unbounded cost per anonymous client
# --------------------------------------------------------------------------


def test_kernels_per_client_are_bounded_with_a_busy_page(site: Site) -> None:
    site.server.wait_for_kernels(POOL, timeout=60, stable_for=0.5)
    pages = []
    try:
        for _ in range(KERNELS_PER_CLIENT + 2):
            pages.append(render(site, WIDGETS))
        statuses = [p.status for p in pages]
        assert statuses[:KERNELS_PER_CLIENT] == [200] * KERNELS_PER_CLIENT, statuses
        assert statuses[KERNELS_PER_CLIENT:] == [429, 429], statuses
        busy = pages[-1].body
        assert "繁忙" in busy, busy[:400]
        assert "busy" in busy.lower(), busy[:400]
        assert site.leaks_in(busy) == []
        running = len(site.server.kernel_pids())
        print(f"{len(pages)} page requests from one client: {statuses}, {running} kernels")
        assert running <= POOL + KERNELS_PER_CLIENT + 1
    finally:
        for page in pages:
            shutdown(site.port(), page)
    site.server.wait_for_kernels(POOL, timeout=60, stable_for=0.5)
    # Freed kernels count no more.
    again = render(site, WIDGETS)
    assert again.status == 200
    shutdown(site.port(), again)


def _start_time_s(pid: int) -> float:
    stat = Path(f"/proc/{pid}/stat").read_text()
    ticks = int(stat[stat.rfind(")") + 2 :].split()[19])
    boot = float(Path("/proc/uptime").read_text().split()[0])
    return time.time() - boot + ticks / os.sysconf("SC_CLK_TCK")


@pytest.mark.parametrize("query", ["theme=dark", "theme=dark&lang=en", "lang=en"])
def test_the_pool_serves_every_theme_and_language(site: Site, query: str) -> None:
    site.server.wait_for_kernels(POOL, timeout=90, stable_for=0.5)
    site.server.wait_until_idle()
    asked = time.time()
    page = render(site, OVERVIEW, query)
    try:
        assert page.status == 200
        pid = site.server.kernel_pid(page.kernel_id)
        assert pid is not None
        assert _start_time_s(pid) < asked - 1, f"?{query}: a kernel was started for the page"
        dark = "theme=dark" in query
        assert ('data-jp-theme-light="false"' in page.body) == dark
        assert ("theme-dark.css" in page.body) == dark
        assert ("theme-light.css" in page.body) != dark
    finally:
        shutdown(site.port(), page)


# --------------------------------------------------------------------------
# Kernels of closed pages (a browser test)
# --------------------------------------------------------------------------


def test_closed_pages_free_their_kernels_whatever_they_did_on_unload(
    site: Site, browser: Browser
) -> None:
    baseline, _ = site.server.wait_for_kernels(POOL, timeout=60, stable_for=1.0)
    assert baseline == POOL
    views = 8
    peak = baseline
    for batch in range(views // KERNELS_PER_CLIENT + 1):
        count = min(KERNELS_PER_CLIENT, views - batch * KERNELS_PER_CLIENT)
        if count <= 0:
            break
        context = browser.new_context(viewport={"width": 1280, "height": 720}, locale="zh-CN")
        log = PageLog()
        block_external(context, log)
        # The page's unload beacon never arrives (a crash, a lost network, a killed tab).
        context.route("**/voila/api/shutdown/**", lambda route: route.abort())
        pages = [open_page(context, log) for _ in range(count)]
        for page in pages:
            page.goto(site.server.render_url(WIDGETS), wait_until="commit")
        for page in pages:
            wait_for_app(page, chart=False)
        peak = max(peak, len(site.server.kernel_pids()))
        context.close()
        count_now, waited = site.server.wait_for_kernels(baseline, RELEASED_WITHIN_S)
        print(f"batch {batch}: {count_now} kernels {waited:.1f} s after closing")
        assert count_now == baseline, (
            f"{count_now} kernels {RELEASED_WITHIN_S:.0f} s after closing the pages, "
            f"baseline {baseline}"
        )
    assert peak >= baseline + 2


# --------------------------------------------------------------------------
# Small ones
# --------------------------------------------------------------------------


def test_a_malformed_hash_leaves_the_first_screen_shown(site: Site, browser: Browser) -> None:
    context = browser.new_context(viewport={"width": 1280, "height": 720}, locale="zh-CN")
    log = PageLog()
    block_external(context, log)
    page = open_page(context, log)
    try:
        page.goto(site.server.render_url(WIDGETS, "present=1") + "#%")
        wait_for_app(page, chart=False)
        page.wait_for_timeout(500)
        assert [e for e in log.errors if "URI" in e] == []
        assert log.page_errors == []
        # The first of the two screens is shown.
        page.wait_for_selector("[data-briefing-slide='1']", state="visible", timeout=10_000)
    finally:
        context.close()


@pytest.mark.parametrize(
    "target",
    [
        b"/voila/render/%00.ipynb",
        b"/voila/tree/%0d%0aSet-Cookie:%20x=1",
        b"/voila/render/%ff%fe.ipynb",
        b"/voila/files/%ff.png",
        b"/voila/api/contents/%c3%28",
    ],
)
def test_malformed_requests_answer_4xx_with_one_log_line(site: Site, target: bytes) -> None:
    before = site.server.log_text()
    status = raw_status(site.port(), b"GET " + target + b" HTTP/1.1")
    time.sleep(0.3)
    new = site.server.log_text()[len(before) :]
    assert 400 <= status < 500, (target, status)
    assert "Traceback" not in new, new
    # Other lines may come meanwhile (a kernel's activity): count those about this request.
    path = target.decode("ascii")
    lines = [line for line in new.splitlines() if path in line or path.split("/")[-1] in line]
    assert len(lines) <= 1, new


def test_a_staff_notebook_behind_a_symbolic_link_is_refused(site: Site) -> None:
    assert (site.notebooks / LINKED_STAFF).resolve().name.startswith("staff_")
    for path in (f"/voila/render/{LINKED_STAFF}", f"/voila/files/{LINKED_STAFF}"):
        status, body, _ = http_request(site.port(), "GET", path)
        assert status in (403, 404), (path, status)
        assert "nbformat" not in body
    for path in ("/voila/tree", "/voila/api/contents", "/"):
        status, body, _ = http_request(site.port(), "GET", path)
        assert status == 200
        assert LINKED_STAFF not in body, path
    # Never pre-heated either: one kernel per app.
    assert site.server.wait_for_kernels(POOL, timeout=30, stable_for=0.5)[0] == POOL


@pytest.fixture(scope="module", autouse=True)
def _report(site: Site) -> Iterator[None]:
    yield
    print(f"server memory at the end: {site.server_rss_mb():.0f} MB")
