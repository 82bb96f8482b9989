"""Click a mark, see its source, in JupyterLab too: the same app run as a notebook.

Starts JupyterLab (this environment's, with its extensions) on a copy of the industry
notebook, runs its cells from the keyboard in Chromium with every request to another
machine blocked, clicks a bar and a headline claim, and reads their quotes.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from browser_harness import ARTIFACTS, PageLog, free_port, open_page, screenshot
from playwright.sync_api import BrowserContext

from briefing import data
from briefing.paths import notebooks_dir

REPORT = data.load().text
LAB_TIMEOUT_MS = 120_000


@pytest.fixture(scope="module")
def lab(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    folder = tmp_path_factory.mktemp("lab")
    shutil.copy(notebooks_dir() / "01_industry.ipynb", folder)
    port = free_port()
    src = str(Path(__file__).resolve().parents[2] / "src")
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join(p for p in (src, os.environ.get("PYTHONPATH")) if p),
        "JUPYTER_CONFIG_DIR": str(folder / ".config"),
        "JUPYTER_RUNTIME_DIR": str(folder / ".runtime"),
    }
    args = [
        sys.executable, "-m", "jupyterlab", "--no-browser", f"--port={port}",
        "--ServerApp.ip=127.0.0.1", "--IdentityProvider.token=", "--ServerApp.password=",
        f"--ServerApp.root_dir={folder}", "--LabApp.news_url=None",
        "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate",
    ]  # fmt: skip
    if os.geteuid() == 0:
        args.append("--allow-root")
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    with (ARTIFACTS / f"jupyterlab-{port}.log").open("wb") as log:
        proc = subprocess.Popen(
            args, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
        )
        try:
            base = f"http://127.0.0.1:{port}/"
            deadline = time.monotonic() + 90
            while time.monotonic() < deadline:
                if proc.poll() is not None:
                    pytest.fail(f"JupyterLab stopped (exit {proc.returncode}); see its log")
                try:
                    urllib.request.urlopen(base + "api", timeout=2).close()
                    break
                except OSError:
                    time.sleep(0.5)
            yield base
        finally:
            os.killpg(proc.pid, signal.SIGTERM)
            try:
                proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)


@pytest.mark.browser
def test_a_click_on_a_bar_or_a_claim_shows_its_quote_in_jupyterlab(
    lab: str, browser_context: BrowserContext, page_log: PageLog
) -> None:
    page = open_page(browser_context, page_log)
    page.set_default_timeout(LAB_TIMEOUT_MS)
    page.goto(lab + "lab/tree/01_industry.ipynb")
    page.wait_for_selector(".jp-Notebook .jp-Cell", state="visible")
    # Wait for the kernel before running the cells.
    page.wait_for_selector("text=Python 3 (ipykernel) | Idle")
    page.locator(".jp-Cell").first.click()
    page.keyboard.press("Shift+Enter")
    page.keyboard.press("Shift+Enter")
    bars = page.locator(".briefing-charts .vega-embed svg .mark-rect path")
    bars.first.wait_for(state="attached")
    bar = bars.nth(1)
    bar.scroll_into_view_if_needed()
    datum = page.evaluate("(el) => el.__data__.datum", bar.element_handle())
    bar.click()
    mark = page.locator(".briefing-section-explore .briefing-source mark").first
    mark.wait_for(state="visible")
    assert mark.inner_text() == datum["quote"]
    assert datum["quote"] in REPORT
    page.locator(".briefing-claim").first.click()
    claim = page.locator(".briefing-zone-story .briefing-source mark").first
    claim.wait_for(state="visible")
    assert claim.inner_text() in REPORT
    screenshot(page, "jupyterlab-industry-clicked")
    assert page_log.blocked == [], "requests to other machines were attempted"
