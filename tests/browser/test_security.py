"""Read-only really means read-only: a viewer of the served apps can look, never run code,
read files of the server or see its internals, and text from the data or from a viewer is
always shown as text.

One server for the module, with ``voila.json`` as it is (pre-heating on), serving a folder
laid out like the repository, so that every ``..`` leads somewhere worth protecting::

    site/notebooks/   00_overview, 05_report_reader, 06_commitments (copies) and
                      99_failing.ipynb, which raises an error naming a secret and a path
    site/data/        copy of data/ (BRIEFING_DATA_DIR) with markup in a fact's indicator
                      and in the progress log's note and evidence
    site/staff/, site/pyproject.toml, site/.git/config, site/.venv/pyvenv.cfg
                      copies and decoys that must never be served

The server runs with ``BRIEFING_SECRET_MARKER`` set to a random value that no page may show.
"""

from __future__ import annotations

import csv
import http.client
import io
import json
import os
import re
import shutil
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlsplit

import nbformat
import pytest
from browser_harness import REPO_ROOT, PageLog, VoilaServer, block_external, open_page, wait_for_app
from playwright.sync_api import Browser, BrowserContext, Dialog, Page
from websockets.exceptions import InvalidStatus
from wire import (
    Rendered,
    http_request,
    kernel_socket,
    legacy_binary_frame,
    message,
    replies_to,
    shutdown,
    v1_frame,
)

from briefing.paths import notebooks_dir

NOTEBOOKS = ("00_overview.ipynb", "05_report_reader.ipynb", "06_commitments.ipynb")
FAILING = "99_failing.ipynb"
STAFF_NOTEBOOK = "staff/staff_record_progress.ipynb"
SECRET = f"briefing-secret-{uuid.uuid4().hex}"

#: One string carrying the three classic injections; data and viewers supply it below.
PAYLOADS = ("<img src=x onerror=alert(1)>", "<script>alert(1)</script>", '"><svg onload=alert(1)>')
PAYLOAD = "".join(PAYLOADS)
#: The fact whose indicator carries the payload: an industry headline of 2022, so the
#: overview shows it on a card, in the fact picker and in the fact's details.
PAYLOAD_FACT = "r1-p1.01"
#: The commitment whose progress-log row carries the payload.
PAYLOAD_COMMITMENT = "c2-11"
PAYLOAD_LINK = 'https://example.org/"><svg/onload=alert(1)>'

#: Statuses that refuse a request.
REFUSED = frozenset({400, 403, 404, 405})
#: Strings of Python errors that must never reach a viewer.
TRACEBACK_MARKERS = ("Traceback (most recent call last)", 'File "', "site-packages")
#: Lines of the package's own source that must never reach a viewer.
SOURCE_MARKERS = (
    "from briefing",
    "def safe_app(",
    "raise DataError(",
    'log.exception("',
    "import ipywidgets",
)

#: Injected markup that would exist in the page if a payload were parsed as HTML.
INJECTED_JS = """() => {
  const found = [];
  for (const el of document.querySelectorAll('img[src="x"], svg[onload], [onerror], [onload]')) {
    found.push(el.outerHTML.slice(0, 120));
  }
  for (const el of document.querySelectorAll('script')) {
    const runs = el.type === '' || /javascript|module/i.test(el.type);  // not JSON data
    if (runs && el.textContent.includes('alert(1)')) found.push(el.outerHTML.slice(0, 120));
  }
  return found;
}"""

pytestmark = pytest.mark.browser


# --------------------------------------------------------------------------
# The site and its server
# --------------------------------------------------------------------------


@dataclass
class Site:
    root: Path
    notebooks: Path
    data: Path
    server: VoilaServer

    def port(self) -> int:
        return int(urlsplit(self.server.base_url).port or 80)

    def leak_markers(self) -> dict[str, str]:
        """What no page may contain, by what it would reveal."""
        markers = {
            "secret environment value": SECRET,
            "repository path": str(REPO_ROOT),
            "python prefix": sys.prefix,
            "served folder path": str(self.root),
            "temporary folder": tempfile.gettempdir().rstrip("/") + "/",
        }
        found = re.search(r"Storing connection files in (\S+?)\.?$", self.server.log_text(), re.M)
        if found:
            markers["kernel connection folder"] = found.group(1)
        for marker in (*TRACEBACK_MARKERS, *SOURCE_MARKERS):
            markers[f"internals: {marker}"] = marker
        return markers

    def internals_in(self, text: str) -> list[str]:
        return [what for what, marker in self.leak_markers().items() if marker in text]


def _rewrite_csv(path: Path, edit: Any) -> None:
    with path.open(encoding="utf-8", newline="") as handle:
        records = list(csv.reader(handle))
    edit(records)
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerows(records)
    path.write_text(buffer.getvalue(), encoding="utf-8")


def _inject_payloads(data: Path) -> None:
    def facts(records: list[list[str]]) -> None:
        header = records[0]
        for record in records[1:]:
            if record[header.index("fact_id")] == PAYLOAD_FACT:
                record[header.index("indicator_zh")] += PAYLOAD
                record[header.index("indicator_en")] += PAYLOAD
                return
        raise AssertionError(f"{PAYLOAD_FACT} not in facts.csv")

    _rewrite_csv(data / "facts.csv", facts)
    log = data / "progress" / "progress_log.csv"
    header = log.read_text(encoding="utf-8").splitlines()[0].split(",")
    row = {
        "recorded_at": "2023-07-03T02:10:00Z",
        "date": "2023-06-30",
        "commitment_id": PAYLOAD_COMMITMENT,
        "status": "done",
        "note": PAYLOAD,
        "evidence": PAYLOAD_LINK,
        "recorded_by": PAYLOAD,
    }
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(header)
    writer.writerow([row.get(column, "") for column in header])
    log.write_text(buffer.getvalue(), encoding="utf-8")


def _failing_notebook(path: Path) -> None:
    notebook = nbformat.v4.new_notebook()
    notebook.cells = [
        nbformat.v4.new_markdown_cell("# A notebook that fails"),
        nbformat.v4.new_code_cell(
            "import os\nimport briefing\n"
            "raise RuntimeError('failing on purpose: '"
            " + os.environ.get('BRIEFING_SECRET_MARKER', '') + ' ' + briefing.__file__)"
        ),
    ]
    notebook.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3"}
    nbformat.write(notebook, path)


@pytest.fixture(scope="module")
def site(voila_server_factory: Any, tmp_path_factory: pytest.TempPathFactory) -> Site:
    root = tmp_path_factory.mktemp("site")
    notebooks = root / "notebooks"
    notebooks.mkdir()
    for name in NOTEBOOKS:
        shutil.copy(notebooks_dir() / name, notebooks / name)
    _failing_notebook(notebooks / FAILING)
    data = root / "data"
    shutil.copytree(REPO_ROOT / "data", data)
    _inject_payloads(data)
    shutil.copytree(REPO_ROOT / "staff", root / "staff")
    shutil.copy(REPO_ROOT / "pyproject.toml", root / "pyproject.toml")
    (root / ".git").mkdir()
    (root / ".git" / "config").write_text("[core]\n\trepositoryformatversion = 0\n")
    (root / ".venv").mkdir()
    (root / ".venv" / "pyvenv.cfg").write_text("home = python-home\nversion = 3.11\n")
    server: VoilaServer = voila_server_factory(
        notebooks, env={"BRIEFING_DATA_DIR": str(data), "BRIEFING_SECRET_MARKER": SECRET}
    )
    # One pre-heated kernel per notebook; tests that count kernels wait for quiet first.
    count, _ = server.wait_for_kernels(len(NOTEBOOKS) + 1, timeout=60, stable_for=0.5)
    assert count == len(NOTEBOOKS) + 1
    return Site(root, notebooks, data, server)


@pytest.fixture(scope="module")
def viewer_context(browser: Browser) -> Iterator[BrowserContext]:
    context = browser.new_context(viewport={"width": 1280, "height": 720}, locale="zh-CN")
    block_external(context, PageLog())
    yield context
    context.close()


@dataclass
class Viewer:
    page: Page
    kernel_id: str
    cookie: str
    xsrf: str


@pytest.fixture(scope="module")
def viewer(site: Site, viewer_context: BrowserContext) -> Iterator[Viewer]:
    """A viewer with the overview open; its kernel id is read from the page's websocket."""
    log = PageLog()
    page = open_page(viewer_context, log)
    sockets: list[str] = []
    page.on("websocket", lambda ws: sockets.append(ws.url))
    page.goto(site.server.render_url("00_overview.ipynb"))
    wait_for_app(page)
    ids = {m.group(1) for url in sockets if (m := re.search(r"/api/kernels/([^/]+)/channels", url))}
    assert len(ids) == 1, sockets
    cookies = {c["name"]: c["value"] for c in viewer_context.cookies()}
    yield Viewer(
        page,
        ids.pop(),
        "; ".join(f"{name}={value}" for name, value in cookies.items()),
        cookies["_xsrf"],
    )
    page.close(run_before_unload=True)


# --------------------------------------------------------------------------
# Helpers
# --------------------------------------------------------------------------


#: What :func:`raw_request` waits for an answer (s), and the local redirects it follows.
TIMEOUT_S = 30
FOLLOW = 3


def raw_request(
    site: Site,
    method: str,
    path: str,
    *,
    headers: dict[str, str] | None = None,
    body: bytes | None = None,
) -> tuple[int, str, http.client.HTTPMessage]:
    """Send ``path`` exactly as written (no normalisation); follow local redirects."""
    return http_request(
        site.port(), method, path, headers=headers, body=body, timeout=TIMEOUT_S, follow=FOLLOW
    )


def new_pids(site: Site, before: set[int], *, settle: float = 2.0) -> set[int]:
    """Kernel processes that appeared since ``before`` (after ``settle`` seconds)."""
    time.sleep(settle)
    return set(site.server.kernel_pids()) - before


def watch_dialogs(page: Page) -> list[str]:
    dialogs: list[str] = []

    def on_dialog(dialog: Dialog) -> None:
        dialogs.append(f"{dialog.type}: {dialog.message}")
        dialog.dismiss()

    page.on("dialog", on_dialog)
    return dialogs


def assert_shown_as_text(page: Page, dialogs: list[str], where: str) -> None:
    page.wait_for_timeout(500)  # an onerror handler would have fired by now
    assert dialogs == [], f"{where}: script ran: {dialogs}"
    assert page.evaluate(INJECTED_JS) == [], f"{where}: markup was injected"


# --------------------------------------------------------------------------
# No code execution
# --------------------------------------------------------------------------


def test_viewer_cannot_run_code_through_the_kernel_websocket(
    site: Site, viewer: Viewer, tmp_path: Path
) -> None:
    marker = tmp_path / "code-ran"
    code = f"open({str(marker)!r}, 'w').write('ran')"
    execute = {"code": code, "silent": False, "store_history": False, "user_expressions": {}}
    execute |= {"allow_stdin": False, "stop_on_error": True}
    # One session for both sockets: the second reconnects it.
    session_id = str(uuid.uuid4())
    attempts: set[str] = set()

    # JSON frames, and the older binary layout.
    with kernel_socket(
        site.server.base_url,
        viewer.kernel_id,
        viewer.cookie,
        session_id=session_id,
        open_timeout=10,
    ) as ws:
        probe = message("kernel_info_request", {})
        ws.send(json.dumps(probe))
        # The channel works: an allowed request is answered.
        assert "kernel_info_reply" in replies_to(
            ws, {probe["header"]["msg_id"]}, 15, until="kernel_info_reply"
        )
        for msg in (
            message("execute_request", execute, "shell"),
            message("execute_request", execute, "control"),
            message(
                "debug_request",
                {"command": "evaluate", "arguments": {"expression": code}},
                "control",
            ),
            message("inspect_request", {"code": code, "cursor_pos": 0, "detail_level": 1}),
        ):
            attempts.add(msg["header"]["msg_id"])
            ws.send(json.dumps(msg))
        msg = message("execute_request", execute)
        attempts.add(msg["header"]["msg_id"])
        ws.send(legacy_binary_frame(msg))
        assert replies_to(ws, attempts, 2) == []

    # The binary protocol the page itself speaks.
    with kernel_socket(
        site.server.base_url,
        viewer.kernel_id,
        viewer.cookie,
        v1=True,
        session_id=session_id,
        open_timeout=10,
    ) as ws:
        assert ws.subprotocol == "v1.kernel.websocket.jupyter.org"
        probe = message("kernel_info_request", {})
        ws.send(v1_frame(probe, "shell"))
        assert "kernel_info_reply" in replies_to(
            ws, {probe["header"]["msg_id"]}, 15, v1=True, until="kernel_info_reply"
        )
        for channel in ("shell", "control"):
            msg = message("execute_request", execute, channel)
            attempts.add(msg["header"]["msg_id"])
            ws.send(v1_frame(msg, channel))
        assert replies_to(ws, attempts, 2, v1=True) == []

    time.sleep(1)
    assert not marker.exists(), "a viewer ran code in the kernel"
    assert site.server.log_text().count('"execute_request", which is not allowed') >= 5


def test_a_foreign_site_cannot_open_the_kernel_websocket(site: Site, viewer: Viewer) -> None:
    with (
        pytest.raises(InvalidStatus) as refused,
        kernel_socket(
            site.server.base_url,
            viewer.kernel_id,
            viewer.cookie,
            origin="http://evil.example",
            open_timeout=10,
        ),
    ):
        pass
    assert refused.value.response.status_code == 403


# --------------------------------------------------------------------------
# No internals leak
# --------------------------------------------------------------------------


def test_app_pages_show_no_internals(site: Site, viewer: Viewer) -> None:
    assert site.internals_in(viewer.page.content()) == []
    assert site.internals_in(str(viewer.page.evaluate("document.body.innerText"))) == []


# --------------------------------------------------------------------------
# Escaping: text from the data or from a viewer is shown as text
# --------------------------------------------------------------------------


def test_markup_in_a_fact_is_shown_as_text(site: Site, viewer: Viewer) -> None:
    page = viewer.page
    dialogs = watch_dialogs(page)
    card = page.locator(f".briefing-card[data-fact-id='{PAYLOAD_FACT}']").first
    assert PAYLOAD in card.inner_text()
    picker = page.locator(".briefing-picker select")
    labels = picker.locator("option").all_inner_texts()
    # ipywidgets writes the spaces of option labels as no-break spaces.
    chosen = next(i for i, label in enumerate(labels) if PAYLOAD in label.replace("\xa0", " "))
    picker.select_option(index=chosen)
    source = page.locator(".briefing-source")
    source.wait_for(state="visible")
    assert PAYLOAD in source.inner_text()
    page.locator(".briefing-lang button", has_text="English").click()
    page.wait_for_function("() => document.body.innerText.includes('Key results of 2022')")
    assert (
        PAYLOAD in page.locator(f".briefing-card[data-fact-id='{PAYLOAD_FACT}']").first.inner_text()
    )
    assert_shown_as_text(page, dialogs, "fact indicator")
    assert site.internals_in(page.content()) == []


def test_markup_in_the_progress_log_and_the_url_is_shown_as_text(
    site: Site, viewer_context: BrowserContext
) -> None:
    page = open_page(viewer_context, PageLog())
    dialogs = watch_dialogs(page)
    evil = quote(PAYLOAD, safe="")
    query = f"area={evil}&status={evil}&lang={evil}&present={evil}"
    try:
        page.goto(site.server.render_url("06_commitments.ipynb", query))
        wait_for_app(page)
        item = page.locator(f"[data-commitment-id='{PAYLOAD_COMMITMENT}']").first
        item.locator("summary").first.click()
        row = item.locator("table tbody tr").first
        row.wait_for(state="visible")
        text = row.inner_text()
        assert PAYLOAD in text
        assert PAYLOAD_LINK in text
        link = row.locator("a")
        assert link.get_attribute("href") == PAYLOAD_LINK
        assert link.get_attribute("rel") == "noopener noreferrer"
        assert_shown_as_text(page, dialogs, "progress log")
        assert site.internals_in(page.content()) == []
    finally:
        page.close(run_before_unload=True)


def test_markup_in_a_shared_reader_link_is_shown_as_text(
    site: Site, viewer_context: BrowserContext
) -> None:
    page = open_page(viewer_context, PageLog())
    dialogs = watch_dialogs(page)
    try:
        # Typed queries in both modes: test_reader_browser.py. Here: a shared link.
        query = f"q={quote(PAYLOAD, safe='')}&mode=word"
        page.goto(site.server.render_url("05_report_reader.ipynb", query))
        wait_for_app(page)
        page.wait_for_function(
            "(q) => { const el = document.querySelector('.briefing-reader-summary .message');"
            " return el && el.textContent.includes(q); }",
            arg=PAYLOAD,
        )
        assert_shown_as_text(page, dialogs, "reader link")
    finally:
        page.close(run_before_unload=True)


def test_markup_in_a_url_path_is_shown_as_text(site: Site, viewer_context: BrowserContext) -> None:
    page = open_page(viewer_context, PageLog())
    dialogs = watch_dialogs(page)
    try:
        for path in (
            f"voila/render/{quote(PAYLOAD, safe='')}.ipynb",
            f"voila/tree/{quote(PAYLOAD, safe='')}",
            f"voila/files/{quote(PAYLOAD, safe='')}.png",
        ):
            response = page.goto(site.server.url(path))
            assert response is not None
            assert response.status in REFUSED
            for payload in PAYLOADS:
                assert payload not in response.text()
            assert_shown_as_text(page, dialogs, path)
    finally:
        page.close()


def test_markup_in_the_theme_argument_is_ignored(
    site: Site, viewer_context: BrowserContext
) -> None:
    """Voila 0.5.13 writes ``?theme=`` unescaped into the page's ``<body>`` tag; serve.py
    drops such values. The page template does it, whatever the notebook: the lightest is used."""
    evil = quote(PAYLOAD, safe="")
    page = open_page(viewer_context, PageLog())
    dialogs = watch_dialogs(page)
    try:
        for path in (f"voila/render/{FAILING}?theme={evil}", f"?theme={evil}"):
            response = page.goto(site.server.url(path))
            assert response is not None
            assert response.status == 200
            page.wait_for_selector("body")
            for payload in PAYLOADS:
                assert payload not in response.text(), path
            if "render" in path:
                page.wait_for_selector("#rendered_cells", state="visible")
                # The default theme instead.
                assert page.get_attribute("body", "data-jp-theme-light") == "true"
            assert_shown_as_text(page, dialogs, path)
    finally:
        page.close(run_before_unload=True)


# --------------------------------------------------------------------------
# Error pages
# --------------------------------------------------------------------------


def _render_and_release(site: Site, path: str) -> tuple[int, str]:
    """GET a page as a script would; shut the kernel it started down again."""
    page = Rendered.parse(*raw_request(site, "GET", path))
    shutdown(site.port(), page, timeout=TIMEOUT_S, follow=FOLLOW)
    return page.status, page.body


def test_error_pages_and_a_failing_notebook_show_no_internals(site: Site) -> None:
    pages = {
        "missing notebook": "/voila/render/missing.ipynb",
        "missing folder": "/voila/tree/missing",
        "missing route": "/missing",
        "refused file": "/voila/files/00_overview.ipynb",
        "refused static file": "/voila/static/..%2f..%2fapp.py",
        "malformed template path": "/voila/templates/briefing/static/..%2fconf.json",
        "staff notebook": "/voila/render/..%2fstaff%2fstaff_record_progress.ipynb",
        "kernel api": "/api/kernels/not-a-kernel",
        "shutdown without token": "/voila/api/shutdown/not-a-kernel",
        "logout": "/logout",
        "failing notebook": f"/voila/render/{FAILING}",
        "start page": "/",
    }
    leaks = {}
    statuses = {}
    for name, path in pages.items():
        status, body = _render_and_release(site, path)
        statuses[name] = status
        if found := site.internals_in(body):
            leaks[name] = found
    assert leaks == {}
    assert all(status < 500 for status in statuses.values()), statuses
    status, body = _render_and_release(site, f"/voila/render/{FAILING}")
    assert status == 200
    assert "这一部分暂时无法显示，请稍后刷新页面。" in body  # voila.json's polite message
    assert "failing on purpose" not in body
    assert "RuntimeError" not in body


# --------------------------------------------------------------------------
# No kernel from the REST API, no file escapes (these wait for a quiet server)
# --------------------------------------------------------------------------


def test_rest_endpoints_are_refused_and_start_no_kernel(site: Site, viewer: Viewer) -> None:
    site.server.wait_until_idle()
    before = set(site.server.kernel_pids())
    own_pid = site.server.kernel_pid(viewer.kernel_id)
    assert own_pid is not None
    headers = {
        "Cookie": viewer.cookie,
        "X-XSRFToken": viewer.xsrf,
        "Content-Type": "application/json",
    }
    kernel = viewer.kernel_id
    requests = [
        ("GET", "/api/kernels"),
        ("POST", "/api/kernels"),
        ("POST", f"/api/kernels/{kernel}/restart"),
        ("POST", f"/api/kernels/{kernel}/interrupt"),
        ("PATCH", f"/api/kernels/{kernel}"),
        ("GET", "/api/sessions"),
        ("POST", "/api/sessions"),
        ("GET", "/api/contents"),
        ("POST", "/api/contents"),
        ("PUT", "/api/contents/new.ipynb"),
        ("GET", "/api/terminals"),
        ("POST", "/api/terminals"),
        ("GET", "/api/kernelspecs"),
        ("GET", "/api/config/notebook"),
        ("GET", "/api/nbconvert"),
        ("GET", "/terminals/websocket/1"),
        ("GET", "/lab"),
        ("GET", "/tree"),
        ("GET", "/login"),
        ("GET", "/logout"),
        ("PUT", "/voila/api/contents/new.ipynb"),
        ("POST", "/voila/api/contents/00_overview.ipynb"),
        ("PATCH", "/voila/api/contents/00_overview.ipynb"),
        ("DELETE", "/voila/api/contents/00_overview.ipynb"),
        ("POST", f"/voila/render/00_overview.ipynb?kernel_id={kernel}"),
    ]
    body = json.dumps({"name": "python3", "path": "x.ipynb", "type": "notebook"}).encode()
    answered = {}
    for method, path in requests:
        status, _text, _headers = raw_request(
            site, method, path, headers=headers, body=body if method != "GET" else None
        )
        answered[f"{method} {path}"] = status
    assert {k: v for k, v in answered.items() if v not in REFUSED} == {}
    # The one kernel endpoint Voila keeps only describes the viewer's own kernel.
    status, text, _ = raw_request(site, "GET", f"/api/kernels/{kernel}", headers=headers)
    assert status == 200
    assert set(json.loads(text)) <= {
        "id",
        "name",
        "last_activity",
        "execution_state",
        "connections",
    }
    assert new_pids(site, before) == set(), "a request started a kernel"
    assert own_pid in site.server.kernel_pids(), "the viewer's kernel was restarted"
    for path in ("voila/tree", "voila/api/contents", ""):
        status, text, _ = raw_request(site, "GET", "/" + path)
        assert status == 200
        assert "staff_" not in text, path  # listings hold the served apps only


#: URL prefixes that serve files, templates, listings or notebooks.
PREFIXES = (
    "voila/files/",
    "voila/static/",
    "voila/templates/briefing/static/",
    "voila/templates/",
    "voila/api/themes/",
    "voila/labextensions/",
    "voila/render/",
    "voila/tree/",
    "voila/api/contents/",
    "voila/notebooks/",
    "",
)


def escape_forms(target: Path, served: Path, *, relative_forms: bool = True) -> list[str]:
    """Ways of writing a path from the served folder to ``target``: ``..`` plain, encoded,
    double-encoded or with backslashes, far more of them than needed, and absolute paths."""
    relative = os.path.relpath(target, served)
    deep = "../" * 12 + str(target).lstrip("/")
    forms = [
        relative,
        "./" + relative,
        relative.replace("..", "%2e%2e"),
        relative.replace("/", "%2f"),
        quote(relative, safe=""),
        relative.replace("..", "%2e%2e").replace("/", "%2f"),
        quote(quote(relative, safe=""), safe=""),
        relative.replace("/", "%5c"),
    ]
    if not relative_forms:
        forms = []
    forms += [
        deep,
        deep.replace("..", "%2e%2e"),
        quote(deep, safe=""),
        deep.replace("/", "%252f").replace("..", "%252e%252e"),
        quote(str(target), safe=""),
        "/" + str(target).lstrip("/"),
    ]
    return list(dict.fromkeys(forms))


#: Files that must never be served: (path in the site, a string of their content).
TARGETS = {
    "progress log": ("data/progress/progress_log.csv", "recorded_at,date,commitment_id"),
    "facts table": ("data/facts.csv", "fact_id,part,sector"),
    "git config": (".git/config", "repositoryformatversion"),
    "venv config": (".venv/pyvenv.cfg", "home = "),
    "pyproject": ("pyproject.toml", "[build-system]"),
    "staff notebook": (STAFF_NOTEBOOK, '"nbformat_minor"'),
    "app notebook JSON": ("notebooks/00_overview.ipynb", '"nbformat_minor"'),
}


def test_no_file_escapes(site: Site) -> None:
    """Every target, through every prefix, in every form: refused, its content never sent.

    Each target is tried in the site (beside the served folder, as in the repository) and,
    by absolute and deep paths, where it really is (the repository, the venv).
    """
    site.server.wait_until_idle()
    before = set(site.server.kernel_pids())
    served: dict[str, list[str]] = {}
    tried = 0
    for name, (relative, needle) in TARGETS.items():
        real = (
            Path(sys.prefix, "pyvenv.cfg") if relative.startswith(".venv") else REPO_ROOT / relative
        )
        copies = [(site.root / relative, True)]
        if real.is_file():  # a source export may have no .git
            copies.append((real, False))
        inside = relative.startswith("notebooks/")
        for path, relative_forms in copies:
            assert needle in path.read_text(encoding="utf-8"), path
            for prefix in PREFIXES:
                if inside and prefix in ("voila/render/", "voila/tree/", "voila/api/contents/"):
                    continue  # the app itself: rendered, listed and described, never its JSON
                for form in escape_forms(path, site.notebooks, relative_forms=relative_forms):
                    url = "/" + prefix + form
                    status, body, _ = raw_request(site, "GET", url)
                    tried += 1
                    if needle in body or status not in REFUSED:
                        served.setdefault(name, []).append(f"{status} {url}")
    assert served == {}, "reachable:\n" + json.dumps(served, indent=1)[:4000]
    assert tried > 1000
    assert new_pids(site, before, settle=1.0) == set(), "a path started a kernel"


def test_the_app_notebook_is_rendered_never_served_as_json(site: Site) -> None:
    status, body, _ = raw_request(site, "GET", "/voila/files/00_overview.ipynb")
    assert status in REFUSED
    assert '"nbformat_minor"' not in body
    status, body, _ = raw_request(site, "GET", "/voila/api/contents/00_overview.ipynb")
    assert status == 200
    assert json.loads(body)["content"] is None
