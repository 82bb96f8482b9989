"""Browser-test harness: the real Voilà server and Debian's Chromium (Playwright).

Fixtures
--------
``voila_server_factory`` (session)
    ``start(notebooks, extra_args=(), env=None) -> VoilaServer`` starts the
    server through :func:`briefing.serve.start_server`, the function behind
    ``briefing serve``, on a free port, waits until it answers, and at the end
    of the session stops its whole process group (kernels included). The same
    arguments give the same server, so a module shares one.
``browser`` (session)
    Chromium at ``/usr/bin/chromium`` with the flags of ``CHROMIUM_ARGS``;
    Playwright gives each launch a fresh, temporary user-data-dir. Skips the
    test, saying why, only when that Chromium is not installed.
``page_log``, ``browser_context``, ``page`` (per test)
    A 1280x720 context where every request to another machine is aborted and
    recorded in ``page_log.blocked``, and a page whose console errors and
    uncaught errors go to ``page_log.errors``.
``new_context`` (per test)
    ``new_context(**options)`` makes more such contexts (a phone's, say): the
    options of Playwright's ``Browser.new_context``.

Helpers (in ``browser_harness``, re-exported here): ``wait_for_app(page)``,
``screenshot(page, name)`` (into ``test-artifacts/screenshots/``),
``open_page(context, log)``.
"""

from __future__ import annotations

import contextlib
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any

import pytest
from browser_harness import (
    CHROMIUM,
    CHROMIUM_ARGS,
    VIEWPORT,
    PageLog,
    VoilaServer,
    block_external,
    open_page,
    running_server,
    screenshot,
    wait_for_app,
)
from playwright.sync_api import Browser, BrowserContext, Page, sync_playwright

from briefing.paths import notebooks_dir

__all__ = ["screenshot", "wait_for_app"]

ServerFactory = Callable[..., VoilaServer]


@pytest.fixture(scope="session")
def voila_server_factory() -> Iterator[ServerFactory]:
    """``start(notebooks, extra_args=(), env=None)``: one running server per distinct call."""
    servers: dict[tuple[object, ...], VoilaServer] = {}
    with contextlib.ExitStack() as stack:

        def start(
            notebooks: Path,
            extra_args: Sequence[str] = (),
            env: Mapping[str, str] | None = None,
        ) -> VoilaServer:
            key = (
                str(Path(notebooks).resolve()),
                tuple(extra_args),
                tuple(sorted((env or {}).items())),
            )
            if key not in servers:
                servers[key] = stack.enter_context(
                    running_server(Path(notebooks), extra_args=extra_args, env=env)
                )
            return servers[key]

        yield start


@pytest.fixture(scope="session")
def apps_server(voila_server_factory: ServerFactory) -> VoilaServer:
    """The served apps folder, once every app's pre-heated kernel pool is filled (4 min at most)."""
    srv = voila_server_factory(notebooks_dir())
    deadline = time.monotonic() + 240
    names = [p.name for p in notebooks_dir().glob("*.ipynb")]
    while time.monotonic() < deadline:
        if all(f"Kernel pool of {name} is filled" in srv.log_text() for name in names):
            break
        time.sleep(0.5)
    return srv


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    if not CHROMIUM.exists():
        pytest.skip(
            f"Debian's Chromium is not installed at {CHROMIUM}: "
            "apt-get install --no-install-recommends chromium fonts-noto-cjk"
        )
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            yield chromium
        finally:
            chromium.close()


@pytest.fixture
def page_log() -> PageLog:
    return PageLog()


@pytest.fixture
def new_context(browser: Browser, page_log: PageLog) -> Iterator[Callable[..., BrowserContext]]:
    """``new_context(**options)``: a context of ``browser`` (1280x720, zh-CN, unless
    ``options`` say otherwise) that aborts and records every request to another machine;
    each is closed at the end of the test."""
    contexts: list[BrowserContext] = []

    def make(**options: Any) -> BrowserContext:
        context = browser.new_context(**{"viewport": VIEWPORT, "locale": "zh-CN", **options})
        contexts.append(context)
        block_external(context, page_log)
        return context

    try:
        yield make
    finally:
        for context in contexts:
            context.close()


@pytest.fixture
def browser_context(new_context: Callable[..., BrowserContext]) -> BrowserContext:
    return new_context()


@pytest.fixture
def page(browser_context: BrowserContext, page_log: PageLog) -> Page:
    return open_page(browser_context, page_log)
