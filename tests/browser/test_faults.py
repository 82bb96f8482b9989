"""Faults, end to end through the served pages: a killed kernel, a dropped connection, broken
data; and apps and commands that never write to the data folder.

One server for the module, on a copy of notebooks/ and a copy of data/ (``BRIEFING_DATA_DIR``),
with pre-heating off: the tests break the data folder and restore it, and a pre-heated kernel
would have run its notebook on the data as it was at start-up, while a kernel started for each
page reads the data as it is when the page opens. Everything else is ``voila.json``.

The data layer's own checks are tested without a server in ``tests/test_data.py``; here each
fault is seen as a viewer sees it: the short message of :class:`briefing.errors.DataError`,
naming the file (relative to the data folder) and the row, and nothing internal.
"""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import signal
import subprocess
import sys
import time
import urllib.request
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import nbformat
import pytest
from browser_harness import (
    REPO_ROOT,
    PageLog,
    VoilaServer,
    apps_without_charts,
    block_external,
    open_page,
    page_kernel_id,
    screenshot,
    wait_for_app,
)
from playwright.sync_api import BrowserContext, Page, WebSocketRoute

from briefing import data, progress
from briefing.errors import DataError
from briefing.i18n import tr
from briefing.paths import notebooks_dir

APPS = sorted(p.name for p in notebooks_dir().glob("*.ipynb"))
SECRET = f"briefing-secret-{uuid.uuid4().hex}"
NO_PREHEAT = ("--VoilaConfiguration.preheat_kernel=False",)
#: An app page with many kernels starting at once on two cores.
OPEN_TIMEOUT_MS = 150_000
#: What the page shows when the kernel is gone (static/briefing.js).
NOTICE = "连接已断开，请刷新页面 · Connection lost, please reload"
KERNEL_CHANNELS = re.compile(r"/api/kernels/[^/]+/channels")
#: Kernel killed to notice shown (the notice follows the server's "restarting" status).
NOTICE_WITHIN_MS = 20_000
#: Dropped connection to notice: the page's grace period (4 s) and reconnection attempts.
DROP_NOTICE_WITHIN_MS = 20_000

pytestmark = pytest.mark.browser


# --------------------------------------------------------------------------
# Server and data folder
# --------------------------------------------------------------------------


@dataclass
class Stage:
    notebooks: Path
    data: Path
    server: VoilaServer

    def reset_data(self) -> None:
        """Make the data folder a clean copy of the repository's again."""
        shutil.rmtree(self.data, ignore_errors=True)
        shutil.copytree(REPO_ROOT / "data", self.data)

    def internals_in(self, text: str) -> list[str]:
        markers = {
            "secret environment value": SECRET,
            "repository path": str(REPO_ROOT),
            "python prefix": sys.prefix,
            "data folder path": str(self.data),
            "traceback": "Traceback (most recent call last)",
            "source file": 'File "',
            "package source": "from briefing",
        }
        return [what for what, marker in markers.items() if marker in text]


@pytest.fixture(scope="module")
def stage(voila_server_factory: Any, tmp_path_factory: pytest.TempPathFactory) -> Stage:
    root = tmp_path_factory.mktemp("faults")
    notebooks = root / "notebooks"
    shutil.copytree(notebooks_dir(), notebooks)
    folder = root / "data"
    shutil.copytree(REPO_ROOT / "data", folder)
    server: VoilaServer = voila_server_factory(
        notebooks,
        extra_args=NO_PREHEAT,
        env={"BRIEFING_DATA_DIR": str(folder), "BRIEFING_SECRET_MARKER": SECRET},
    )
    return Stage(notebooks, folder, server)


@pytest.fixture
def clean_stage(stage: Stage) -> Iterator[Stage]:
    """The stage with clean data before the test and again after it."""
    stage.reset_data()
    yield stage
    stage.reset_data()


def digest(folder: Path) -> dict[str, str]:
    """SHA-256 of every file under ``folder``, by relative path."""
    return {
        path.relative_to(folder).as_posix(): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    }


def briefing_cli(folder: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "briefing.cli", *args],
        env={**os.environ, "BRIEFING_DATA_DIR": str(folder)},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


# --------------------------------------------------------------------------
# Every app open at once, on clean data
# --------------------------------------------------------------------------


@dataclass
class Relay:
    """Passes a page's kernel websockets through, until told to drop them and refuse more."""

    routes: list[WebSocketRoute] = field(default_factory=list)
    refuse: bool = False

    def handle(self, route: WebSocketRoute) -> None:
        if self.refuse:
            route.close()
            return
        route.connect_to_server()
        self.routes.append(route)

    def drop(self) -> None:
        self.refuse = True
        for route in self.routes:
            route.close()


@dataclass
class OpenApps:
    pages: dict[str, Page]
    relay: Relay
    before: dict[str, str]
    after: dict[str, str]
    log: PageLog


@pytest.fixture(scope="module")
def open_apps(stage: Stage, browser: Any) -> Iterator[OpenApps]:
    """Every app, opened at once on a clean data folder, hashed before and after."""
    stage.reset_data()
    before = digest(stage.data)
    context: BrowserContext = browser.new_context(
        viewport={"width": 1280, "height": 720}, locale="zh-CN"
    )
    log = PageLog()
    block_external(context, log)
    relay = Relay()
    pages = {}
    for name in APPS:
        page = open_page(context, log)
        if name == "07_reform_governance.ipynb":  # the page whose connection will drop
            page.route_web_socket(KERNEL_CHANNELS, relay.handle)
        pages[name] = page
    for name, page in pages.items():  # all at once: navigate without waiting for an answer
        page.evaluate("(url) => { window.location.href = url; }", stage.server.render_url(name))
    no_charts = apps_without_charts()
    for name, page in pages.items():
        wait_for_app(page, timeout_ms=OPEN_TIMEOUT_MS, chart=name not in no_charts)
    # A little use: every app switched to English, and every callback done.
    for page in pages.values():
        page.locator(".briefing-lang button", has_text="English").first.click()
    stage.server.wait_until_idle(timeout=120)
    after = digest(stage.data)
    yield OpenApps(pages, relay, before, after, log)
    for page in pages.values():
        if not page.is_closed():
            page.close(run_before_unload=True)
    time.sleep(1)  # the shutdown beacons leave before the context goes
    context.close()


def test_apps_and_commands_leave_the_data_folder_unchanged(
    stage: Stage, open_apps: OpenApps
) -> None:
    assert open_apps.after == open_apps.before, "opening the apps changed the data folder"
    for command in (("progress", "validate"), ("progress", "list")):
        result = briefing_cli(stage.data, *command)
        assert result.returncode == 0, result.stderr
        assert digest(stage.data) == open_apps.before, f"`briefing {' '.join(command)}` wrote"
    assert open_apps.log.page_errors == []
    assert open_apps.log.blocked == []
    # The one write there is: an append to the progress log, earlier rows untouched.
    log_file = "progress/progress_log.csv"
    old = (stage.data / log_file).read_text(encoding="utf-8")
    result = briefing_cli(
        stage.data,
        "progress",
        "add",
        "--commitment",
        "c2-11",
        "--status",
        "in_progress",
        "--note",
        "测试记录",
        "--by",
        "测试",
        "--date",
        "2023-06-30",
    )
    assert result.returncode == 0, result.stderr
    now = digest(stage.data)
    before = open_apps.before
    changed = {name for name in now.keys() | before.keys() if now.get(name) != before.get(name)}
    assert changed <= {log_file, log_file + ".lock"}
    assert log_file in changed
    new = (stage.data / log_file).read_text(encoding="utf-8")
    assert new.startswith(old)
    assert new[len(old) :].count("\n") == 1
    stage.reset_data()


def test_a_killed_kernel_shows_a_notice_and_a_reload_recovers(
    stage: Stage, open_apps: OpenApps
) -> None:
    page = open_apps.pages["01_industry.ipynb"]
    kernel_id = page_kernel_id(page)
    assert kernel_id is not None
    pid = stage.server.kernel_pid(kernel_id)
    assert pid is not None
    assert page.locator(".briefing-disconnected").count() == 0
    start = time.monotonic()
    os.kill(pid, signal.SIGKILL)
    notice = page.locator(".briefing-disconnected")
    notice.wait_for(state="visible", timeout=NOTICE_WITHIN_MS)
    shown_after = time.monotonic() - start
    assert notice.get_attribute("role") == "alert"
    assert NOTICE in notice.inner_text()
    screenshot(page, "fault-kernel-killed")
    # Reloading gives a fresh kernel and a working app.
    page.reload(timeout=OPEN_TIMEOUT_MS)
    wait_for_app(page, timeout_ms=OPEN_TIMEOUT_MS)
    assert page.locator(".briefing-disconnected").count() == 0
    assert page_kernel_id(page) not in (None, kernel_id)
    page.locator(".briefing-lang button", has_text="English").first.click()
    page.wait_for_function("() => document.body.innerText.includes('Key results of 2022')")
    # The server restarted the killed kernel empty; the reload's beacon shut it down.
    deadline = time.monotonic() + 15
    while stage.server.kernel_pid(kernel_id) is not None and time.monotonic() < deadline:
        time.sleep(0.2)
    assert stage.server.kernel_pid(kernel_id) is None, "the dead page's kernel is still running"
    assert shown_after < NOTICE_WITHIN_MS / 1000


def test_a_dropped_connection_shows_a_notice(open_apps: OpenApps) -> None:
    page = open_apps.pages["07_reform_governance.ipynb"]
    assert open_apps.relay.routes, "the page's kernel websocket did not go through the relay"
    assert page.locator(".briefing-disconnected").count() == 0
    open_apps.relay.drop()
    notice = page.locator(".briefing-disconnected")
    notice.wait_for(state="visible", timeout=DROP_NOTICE_WITHIN_MS)
    assert NOTICE in notice.inner_text()
    screenshot(page, "fault-connection-dropped")


def test_pages_left_open_show_no_notice(open_apps: OpenApps) -> None:
    """No false alarm: the other pages have been open far longer than the grace period."""
    for name, page in open_apps.pages.items():
        if name not in ("01_industry.ipynb", "07_reform_governance.ipynb"):
            assert page.locator(".briefing-disconnected").count() == 0, name


# --------------------------------------------------------------------------
# Broken data, shown politely
# --------------------------------------------------------------------------


def _missing_file(folder: Path) -> None:
    (folder / "projects.csv").unlink()


def _truncated_csv(folder: Path) -> None:
    """facts.csv cut in the middle of a row, as an interrupted copy leaves it."""
    path = folder / "facts.csv"
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    keep = len(lines) // 2
    cut = ",".join(lines[keep].split(",")[:5])
    path.write_text("".join(lines[:keep]) + cut, encoding="utf-8")


def _wrong_encoding(folder: Path) -> None:
    path = folder / "commitments_2023.csv"
    path.write_bytes(path.read_text(encoding="utf-8").encode("gb18030"))


def _byte_order_mark(folder: Path) -> None:
    path = folder / "topics.csv"
    path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes())


def _duplicated_id(folder: Path) -> None:
    path = folder / "facts.csv"
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    first_id = lines[1].split(",", 1)[0]
    lines[5] = first_id + "," + lines[5].split(",", 1)[1]
    path.write_text("".join(lines), encoding="utf-8")


def _unknown_commitment_in_progress_log(folder: Path) -> None:
    path = folder / "progress" / "progress_log.csv"
    header = path.read_text(encoding="utf-8").splitlines()[0]
    path.write_text(
        header + "\n2023-07-03T02:00:00Z,2023-06-30,c9-99,done,,,,,测试\n", encoding="utf-8"
    )


@dataclass(frozen=True)
class Fault:
    app: str
    breaks: Callable[[Path], None]
    file: str
    row: int | None  # the row the message names, when the fault has one


#: The row _truncated_csv cuts: the first half of the data rows stays whole.
TRUNCATED_ROW = (
    len((REPO_ROOT / "data" / "facts.csv").read_text(encoding="utf-8").splitlines()) // 2
)


FAULTS = {
    "missing file": Fault("05_report_reader.ipynb", _missing_file, "projects.csv", None),
    "truncated csv": Fault("01_industry.ipynb", _truncated_csv, "facts.csv", TRUNCATED_ROW),
    "gb18030 encoding": Fault("00_overview.ipynb", _wrong_encoding, "commitments_2023.csv", None),
    "byte-order mark": Fault("03_ecology.ipynb", _byte_order_mark, "topics.csv", None),
    "duplicated id": Fault("04_livelihoods.ipynb", _duplicated_id, "facts.csv", 5),
    "progress log": Fault(
        "06_commitments.ipynb",
        _unknown_commitment_in_progress_log,
        "progress/progress_log.csv",
        1,
    ),
}


def expected_error(folder: Path, fault: Fault) -> DataError:
    """The data layer's own error for the broken folder."""
    try:
        data.load(folder)
        progress.load_log(folder)
    except DataError as error:
        return error
    raise AssertionError(f"the data layer accepts the broken {fault.file}")


@pytest.mark.parametrize("fault_name", list(FAULTS))
def test_broken_data_is_shown_politely(
    clean_stage: Stage, browser_context: BrowserContext, page_log: PageLog, fault_name: str
) -> None:
    stage = clean_stage
    fault = FAULTS[fault_name]
    fault.breaks(stage.data)
    error = expected_error(stage.data, fault)
    assert (error.file, error.row) == (fault.file, fault.row)
    broken = digest(stage.data)
    page = open_page(browser_context, page_log)
    try:
        response = page.goto(stage.server.render_url(fault.app), timeout=OPEN_TIMEOUT_MS)
        assert response is not None
        assert response.status == 200
        shown = page.locator(".briefing-error")
        shown.wait_for(state="visible", timeout=OPEN_TIMEOUT_MS)
        assert shown.inner_text() == tr("data_error", "zh") + str(error)
        assert str(error).startswith(fault.file)
        if error.row is not None:
            assert f"row {error.row}" in shown.inner_text()
        screenshot(page, f"fault-{fault_name.replace(' ', '-')}")
        # Nothing else: no widget of the app, no stderr output, nothing internal.
        assert page.locator(".briefing-app").count() == 0
        assert page.locator("[data-mime-type='application/vnd.jupyter.stderr']").count() == 0
        for text in (response.text(), page.content(), page.evaluate("document.body.innerText")):
            assert stage.internals_in(str(text)) == []
        assert page_log.page_errors == []
        assert page_log.blocked == []
    finally:
        page.close(run_before_unload=True)
    assert digest(stage.data) == broken, "an app wrote to the data folder"


# --------------------------------------------------------------------------
# A viewer long after pre-heating
# --------------------------------------------------------------------------

#: A cell timeout far shorter than voila.json's 180 s, so the test need not wait 3 minutes.
SHORT_CELL_TIMEOUT_S = 5


def test_a_viewer_long_after_preheating_gets_the_app(
    voila_server_factory: Any, tmp_path_factory: pytest.TempPathFactory
) -> None:
    """A pre-heated kernel waits for its viewer inside the cell that reads the query string.

    Voila's cell timeout used to count that wait: once a kernel had waited longer than
    ``VoilaExecutor.timeout`` in the pool, its page said "cell execution timed out" instead
    of showing the app. Pre-heating as in voila.json, the cell timeout shortened.
    """
    folder = tmp_path_factory.mktemp("pool")
    notebook = nbformat.v4.new_notebook()
    notebook.cells = [
        nbformat.v4.new_code_cell(
            "import sys\nfrom briefing.ui import query_params\nprint('query:', query_params())\n"
            "print('voila.utils imported:', 'voila.utils' in sys.modules)"
        )
    ]
    notebook.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3"}
    nbformat.write(notebook, folder / "wait.ipynb")
    server: VoilaServer = voila_server_factory(
        folder, extra_args=(f"--VoilaExecutor.timeout={SHORT_CELL_TIMEOUT_S}",)
    )
    deadline = time.monotonic() + 60
    while "Kernel pool of wait.ipynb is filled" not in server.log_text():
        assert time.monotonic() < deadline, "the pool did not fill"
        time.sleep(0.2)
    time.sleep(SHORT_CELL_TIMEOUT_S + 3)  # the pooled kernel waits longer than a cell may run
    with urllib.request.urlopen(server.render_url("wait.ipynb", "lang=en"), timeout=60) as page:
        body = page.read().decode("utf-8")
    assert "Using pre-heated kernel" in server.log_text()
    assert "timed out" not in body
    assert "query: {&#39;lang&#39;: &#39;en&#39;}" in body or "query: {'lang': 'en'}" in body
    # The request came through briefing's own listener, not Voila's heavy helper module.
    assert "voila.utils imported: False" in body
