"""Staff in JupyterLab: started as ``make lab`` starts it, the start-here notebook and an app run.

JupyterLab is started by :func:`briefing.lab.start_lab`, the command line ``briefing lab``
(and so ``make lab``) runs, on a free loopback port with a token, in a copy of the
project's notebooks so that nothing JupyterLab saves lands in the repository. Waits are
generous: JupyterLab is slow to load on a busy machine. Nothing here is timed.
"""

from __future__ import annotations

import json
import os
import secrets
import shutil
import signal
import subprocess
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from browser_harness import free_port, screenshot
from playwright.sync_api import Page
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from briefing import lab
from briefing.paths import REPO_DIR

pytestmark = [pytest.mark.browser, pytest.mark.slow]

WAIT_MS = 300_000
STDERR_OUTPUT = ".jp-OutputArea-output[data-mime-type='application/vnd.jupyter.stderr']"
#: The notebook on show (JupyterLab hides the panels of the other tabs).
CURRENT_NOTEBOOK = ".jp-NotebookPanel:not(.lm-mod-hidden)"
_CURRENT_TAB_JS = (
    "(document.querySelector('#jp-main-dock-panel .lm-TabBar-tab.lm-mod-current "
    ".lm-TabBar-tabLabel') || {textContent: ''}).textContent"
)


@dataclass
class Lab:
    url: str
    token: str
    root: Path
    process: subprocess.Popen[bytes]

    def open(self, page: Page, notebook: str) -> None:
        """Open the notebook alone, in a workspace of its own, and wait for its kernel.

        JupyterLab's default workspace would bring back the tabs an earlier test left open;
        then the Run menu, the status bar and the prompts could belong to another notebook.
        """
        workspace = Path(notebook).stem.replace("_", "-")
        page.goto(
            f"{self.url}/lab/workspaces/{workspace}/tree/{notebook}?reset&token={self.token}",
            timeout=WAIT_MS,
        )
        page.wait_for_function(
            f"({_CURRENT_TAB_JS}) === {json.dumps(Path(notebook).name)}", timeout=WAIT_MS
        )
        page.wait_for_selector(f"{CURRENT_NOTEBOOK} .jp-Cell", timeout=WAIT_MS)
        page.wait_for_function(  # the kernel is up
            "(document.querySelector('#jp-main-statusbar') || {innerText: ''})"
            ".innerText.includes('Idle')",
            timeout=WAIT_MS,
        )
        assert page.locator(".jp-NotebookPanel").count() == 1, "other notebooks were restored"


@pytest.fixture(scope="module")
def jupyterlab(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Lab]:
    root = tmp_path_factory.mktemp("lab")
    shutil.copytree(REPO_DIR / "staff", root / "staff")
    shutil.copytree(REPO_DIR / "notebooks", root / "notebooks")
    home = root / ".jupyter-home"
    env = {
        **os.environ,
        "JUPYTER_CONFIG_DIR": str(home / "config"),
        "JUPYTER_RUNTIME_DIR": str(home / "runtime"),
        "JUPYTERLAB_WORKSPACES_DIR": str(home / "workspaces"),
        "JUPYTERLAB_SETTINGS_DIR": str(home / "settings"),
    }
    port = free_port()
    token = secrets.token_hex(16)
    process = lab.start_lab(port=port, token=token, root=root, env=env)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + WAIT_MS / 1000
        while True:
            try:
                with urllib.request.urlopen(f"{url}/api/status?token={token}", timeout=5):
                    break
            except OSError:
                if process.poll() is not None or time.monotonic() > deadline:
                    log = process.stdout.read().decode() if process.stdout else ""
                    pytest.fail(f"JupyterLab did not start:\n{log[-3000:]}")
                time.sleep(0.5)
        yield Lab(url, token, root, process)
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=60)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=30)


_STARTED_JS = (
    f"Array.from(document.querySelectorAll('{CURRENT_NOTEBOOK} .jp-InputPrompt'))"
    ".some(p => /\\[(\\*|\\d+)\\]/.test(p.textContent))"
)


def _run_all(page: Page) -> None:
    """Run > Run All Cells, again if the first click came before the kernel could take it."""
    for _attempt in range(10):
        page.get_by_role("menuitem", name="Run", exact=True).click()
        page.get_by_text("Run All Cells", exact=True).click()
        try:
            page.wait_for_function(_STARTED_JS, timeout=30_000)
            return
        except PlaywrightTimeout:
            page.keyboard.press("Escape")
    pytest.fail("the notebook's cells never started running")


#: For each chart in the notebook's outputs, how many pixels have the 2023 colour (#C26E00)
#: and how many are near-black (titles, labels, the values at the bars' ends): marks that
#: are in the DOM but not drawn (clipped away) count zero.
_PIXELS_JS = """async () => {
  const counts = [];
  for (const embed of document.querySelectorAll('.jp-OutputArea-output .vega-embed')) {
    let canvas = embed.querySelector('canvas');
    if (!canvas) {
      const svg = embed.querySelector('svg');
      const box = svg.getBoundingClientRect();
      const xml = new XMLSerializer().serializeToString(svg);
      const image = new Image();
      image.src = 'data:image/svg+xml;charset=utf-8,' + encodeURIComponent(xml);
      await image.decode();
      canvas = document.createElement('canvas');
      canvas.width = Math.ceil(box.width);
      canvas.height = Math.ceil(box.height);
      canvas.getContext('2d').drawImage(image, 0, 0, canvas.width, canvas.height);
    }
    const pixels = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height).data;
    // Bar pixels: the palette's 2022 blue (#0072B2) or 2023 orange (#C26E00).
    const near = (i, r, g, b) => Math.abs(pixels[i] - r) < 12
      && Math.abs(pixels[i + 1] - g) < 12 && Math.abs(pixels[i + 2] - b) < 20;
    let bars = 0;
    let dark = 0;
    for (let i = 0; i < pixels.length; i += 4) {
      if (near(i, 0, 114, 178) || near(i, 194, 110, 0)) bars += 1;
      if (pixels[i + 3] > 200 && pixels[i] < 80 && pixels[i + 1] < 80 && pixels[i + 2] < 80)
        dark += 1;
    }
    counts.push([bars, dark]);
  }
  return counts;
}"""


def _state(page: Page) -> str:
    """What JupyterLab shows: the tabs, the status bar and the notebook's outputs."""
    tabs = page.locator("#jp-main-dock-panel .lm-TabBar-tabLabel").all_inner_texts()
    status = page.locator("#jp-main-statusbar").inner_text()
    outputs = page.locator(f"{CURRENT_NOTEBOOK} .jp-OutputArea").all_inner_texts()
    return f"tabs: {tabs}\nstatus: {status}\noutputs: {' | '.join(outputs)[-2000:]}"


def _dismiss_news(page: Page) -> None:
    no = page.get_by_role("button", name="No", exact=True)
    if no.count():
        no.first.click()


def test_start_here_runs_in_jupyterlab_with_charts(jupyterlab: Lab, page: Page) -> None:
    jupyterlab.open(page, "staff/00_start_here.ipynb")
    _run_all(page)
    page.wait_for_function(
        "document.querySelectorAll('.jp-OutputArea-output .vega-embed svg, "
        ".jp-OutputArea-output .vega-embed canvas').length >= 2",
        timeout=WAIT_MS,
    )
    page.wait_for_function("document.body.innerText.includes('是否要找')", timeout=WAIT_MS)
    text = page.locator(".jp-Notebook").text_content() or ""
    assert "<Dataset data/" in text
    assert "没有编号为“c1-211”的工作任务。是否要找“c1-21”?" in text
    assert "money.to_altair().interactive()" in text
    assert "['industry.csv', 'money.html', 'money.png']" in text
    assert page.locator(STDERR_OUTPUT).count() == 0
    assert page.locator(".jp-OutputArea-output pre:has-text('Traceback')").count() == 0
    assert "Error loading script" not in text  # the Altair chart renders offline
    (static_bars, static_dark), (zoom_bars, zoom_dark) = page.evaluate(_PIXELS_JS)
    assert static_bars > 500, "the chart draws its bars"
    assert zoom_bars > 500, "the zoomable Altair chart draws its bars"
    # The zoomable chart clips what lies beyond its plot (the longest bar's value), no more.
    assert zoom_dark > 0.8 * static_dark, (static_dark, zoom_dark)
    _dismiss_news(page)
    page.locator(".jp-OutputArea-output .vega-embed").first.scroll_into_view_if_needed()
    page.mouse.wheel(0, -260)
    page.wait_for_timeout(500)
    screenshot(page, "lab-start-here")
    assert not (REPO_DIR / "staff" / ".ipynb_checkpoints").exists()


def test_industry_app_runs_in_jupyterlab(jupyterlab: Lab, page: Page) -> None:
    jupyterlab.open(page, "notebooks/01_industry.ipynb")
    _run_all(page)
    try:
        page.wait_for_selector(".jp-OutputArea-output .widget-dropdown", timeout=WAIT_MS)
    except PlaywrightTimeout:
        pytest.fail(f"the app's widgets did not show:\n{_state(page)}")
    page.wait_for_function(
        "document.querySelectorAll('.jp-OutputArea-output .vega-embed svg, "
        ".jp-OutputArea-output .vega-embed canvas').length >= 1",
        timeout=WAIT_MS,
    )
    nav = page.locator(".briefing-nav-links").first
    assert nav.locator("a").count() == 0, "links that would reload JupyterLab"
    assert "01_industry.ipynb" not in nav.inner_text()  # its own name, in bold
    assert "02_urban_rural.ipynb" in nav.inner_text()
    assert "在 JupyterLab 中,上面的应用链接不可用" in page.inner_text(".briefing-header")
    assert page.locator(STDERR_OUTPUT).count() == 0
    _dismiss_news(page)
    screenshot(page, "lab-industry")
