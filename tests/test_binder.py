"""Binder: the pinned requirements, the build steps, and the overview app served as Binder does.

The slow test rebuilds what repo2docker builds, without Docker: a fresh virtual environment
from ``binder/requirements.txt`` alone, then ``binder/postBuild`` run with bash from the
repository root with that environment first on ``PATH``. It then starts that environment's
``jupyter server`` (Voilà is its extension, as on Binder), opens
``/voila/render/notebooks/00_overview.ipynb`` (what ``?urlpath=voila%2Frender%2F...`` opens)
in Chromium with every request to another host blocked, and waits for the widgets and a
drawn chart. The environment is built once per test session; pip needs the package index.

``python tests/test_binder.py > binder/requirements.txt`` regenerates the pins.
"""

from __future__ import annotations

import os
import secrets
import subprocess
import sys
from collections.abc import Iterator, Mapping
from concurrent.futures import ThreadPoolExecutor
from importlib import metadata
from pathlib import Path
from typing import Any

import pytest

from briefing import serve
from briefing.paths import REPO_DIR

BINDER = REPO_DIR / "binder"
REQUIREMENTS = BINDER / "requirements.txt"
#: The comment at the top of ``binder/requirements.txt``.
REQUIREMENTS_HEADER = """\
# What Binder installs (repo2docker reads only binder/ when it exists, not pyproject.toml):
# every package `pip install .` brings in, pinned to the versions the test suite runs
# with. ipykernel is listed on purpose: without it Voila has no kernel to run the apps.
# binder/postBuild then installs the package itself (--no-deps).
# Kept in step by tests/test_binder.py; to regenerate:
#   python tests/test_binder.py > binder/requirements.txt
"""
#: The project's own test and development tools: never on Binder.
NOT_RUNTIME = frozenset({"pytest", "playwright", "frictionless", "ruff", "mypy"})
INSTALL_TIMEOUT_S = 900
SERVER_TIMEOUT_S = 90


# --------------------------------------------------------------------------- the pins


def runtime_pins(project: str = "briefing") -> list[str]:
    """``name==version`` of every installed package that installing ``project`` pulls in.

    Walks the dependencies declared by the installed distribution (extras of the project
    itself left out, extras asked for by a dependency followed), with environment markers
    evaluated for this interpreter.
    """
    from packaging.requirements import Requirement
    from packaging.utils import canonicalize_name

    def wanted(requirement: Requirement, extras: tuple[str, ...]) -> bool:
        if requirement.marker is None:
            return True
        return any(requirement.marker.evaluate({"extra": extra}) for extra in extras or ("",))

    seen: set[tuple[str, tuple[str, ...]]] = set()
    todo = [Requirement(text) for text in metadata.requires(project) or []]
    todo = [requirement for requirement in todo if wanted(requirement, ())]
    while todo:
        requirement = todo.pop()
        extras = tuple(sorted(requirement.extras))
        key = (canonicalize_name(requirement.name), extras)
        if key in seen:
            continue
        seen.add(key)
        for text in metadata.distribution(requirement.name).requires or []:
            child = Requirement(text)
            if wanted(child, extras):
                todo.append(child)
    names = sorted({name for name, _ in seen})
    return [f"{name}=={metadata.version(name)}" for name in names]


def pinned(path: Path = REQUIREMENTS) -> list[str]:
    """The requirement lines of a requirements file (comments and blank lines left out)."""
    lines = (line.split("#", 1)[0].strip() for line in path.read_text().splitlines())
    return [line for line in lines if line]


def test_requirements_pin_the_tested_environment() -> None:
    from packaging.utils import canonicalize_name

    pins = pinned()
    assert all("==" in pin for pin in pins), "every requirement is an exact pin"
    names = {canonicalize_name(pin.split("==")[0]) for pin in pins}
    assert "ipykernel" in names, "without ipykernel Voila finds no kernel"
    assert {"voila", "ipywidgets", "altair", "pandas", "jupyterlab"} <= names
    assert not names & NOT_RUNTIME
    assert pins == runtime_pins(), (
        "binder/requirements.txt differs from the environment the tests ran in; "
        "regenerate it with: python tests/test_binder.py > binder/requirements.txt"
    )


def test_binder_files_are_what_repo2docker_expects() -> None:
    assert (BINDER / "runtime.txt").read_text().strip() == "python-3.11"
    assert "fonts-noto-cjk" in pinned(BINDER / "apt.txt")
    post_build = BINDER / "postBuild"
    text = post_build.read_text()
    assert text.startswith("#!/bin/bash\n")
    assert "\nset -e" in text
    assert "pip install --no-deps" in text
    assert os.access(post_build, os.X_OK), "repo2docker runs ./binder/postBuild"
    # With binder/ present, repo2docker ignores configuration at the repository root.
    assert not (REPO_DIR / "requirements.txt").exists()
    assert not (REPO_DIR / "environment.yml").exists()


# --------------------------------------------------------------------------- the build


def clean_env(venv: Path, home: Path) -> dict[str, str]:
    """The environment of the build and of the server: ``venv`` first on PATH, nothing of
    this test run's own environment (virtualenv, Jupyter paths, briefing settings)."""
    own_bin = str(Path(sys.prefix) / "bin")
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("JUPYTER", "BRIEFING_", "VOILA_", "PYTHON"))
        and key not in {"VIRTUAL_ENV", "QUERY_STRING", "IPYTHONDIR"}
    }
    path = [entry for entry in os.environ.get("PATH", "").split(os.pathsep) if entry != own_bin]
    env["PATH"] = os.pathsep.join([str(venv / "bin"), *path])
    env["VIRTUAL_ENV"] = str(venv)
    for name, sub in {
        "JUPYTER_CONFIG_DIR": "config",
        "JUPYTER_DATA_DIR": "data",
        "JUPYTER_RUNTIME_DIR": "runtime",
        "IPYTHONDIR": "ipython",
    }.items():
        (home / sub).mkdir(parents=True, exist_ok=True)
        env[name] = str(home / sub)
    return env


def run(cmd: list[str], env: Mapping[str, str], *, timeout: float, cwd: Path = REPO_DIR) -> str:
    result = subprocess.run(
        cmd,
        cwd=str(cwd),
        env=dict(env),
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
    output = result.stdout + result.stderr
    assert result.returncode == 0, f"{' '.join(cmd)} exited {result.returncode}:\n{output[-4000:]}"
    return output


@pytest.fixture(scope="session")
def binder_venv(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, str]]:
    """A virtual environment built as repo2docker builds Binder's, and its environment."""
    base = tmp_path_factory.mktemp("binder")
    venv = base / "venv"
    env = clean_env(venv, base / "home")
    run([sys.executable, "-m", "venv", str(venv)], env, timeout=120)
    python = str(venv / "bin" / "python")
    run(
        [python, "-m", "pip", "install", "-q", "-r", str(REQUIREMENTS)],
        env,
        timeout=INSTALL_TIMEOUT_S,
    )
    output = run(["bash", str(BINDER / "postBuild")], env, timeout=INSTALL_TIMEOUT_S)
    assert "postBuild: template in" in output, output
    return venv, env


@pytest.fixture
def binder_server(
    binder_venv: tuple[Path, dict[str, str]], tmp_path: Path
) -> Iterator[tuple[str, str]]:
    """``jupyter server`` of the Binder environment, from the repository root, as Binder
    runs it; yields its base URL and token."""
    from browser_harness import free_port

    venv, env = binder_venv
    port = free_port()
    token = secrets.token_hex(16)
    log_path = tmp_path / "jupyter-server.log"
    with log_path.open("wb") as log:
        proc = subprocess.Popen(
            [
                str(venv / "bin" / "jupyter"),
                "server",
                "--no-browser",
                "--ip=127.0.0.1",
                f"--port={port}",
                "--ServerApp.port_retries=0",
                f"--IdentityProvider.token={token}",
                # Binder runs as an ordinary user; a test machine may run as root.
                *(["--allow-root"] if os.geteuid() == 0 else []),
            ],
            cwd=str(REPO_DIR),
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        base_url = f"http://127.0.0.1:{port}/"
        try:
            try:
                serve.wait_until_ready(f"{base_url}api/status", timeout=SERVER_TIMEOUT_S, proc=proc)
            except (RuntimeError, TimeoutError) as error:
                log.flush()
                tail = log_path.read_text(errors="replace")[-4000:]
                pytest.fail(f"jupyter server did not start: {error}\n{tail}")
            yield base_url, token
        finally:
            serve.stop_server(proc)


def _render_overview(url: str) -> dict[str, Any]:
    """Open the overview app as a Binder visitor would (own Playwright: see the caller)."""
    from browser_harness import (
        CHROMIUM,
        CHROMIUM_ARGS,
        VIEWPORT,
        PageLog,
        block_external,
        open_page,
        screenshot,
        wait_for_app,
    )
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            context = browser.new_context(viewport=VIEWPORT, locale="zh-CN")
            log = PageLog()
            block_external(context, log)
            page = open_page(context, log)
            page.goto(url)
            seconds = wait_for_app(page)
            screenshot(page, "binder-overview")
            result = {
                "seconds": seconds,
                "title": page.title(),
                "text": page.locator("body").inner_text(),
                "html": page.content(),
                "widgets": page.locator(".jupyter-widgets").count(),
                "apps": page.locator(".briefing-app").count(),
                "blocked": list(log.blocked),
                "errors": list(log.errors),
            }
            context.close()
            return result
        finally:
            browser.close()


@pytest.mark.slow
@pytest.mark.browser
def test_binder_environment_serves_the_overview_app(binder_server: tuple[str, str]) -> None:
    if not Path("/usr/bin/chromium").exists():
        pytest.skip("Debian's Chromium is not installed at /usr/bin/chromium")
    base_url, token = binder_server
    url = f"{base_url}voila/render/notebooks/00_overview.ipynb?token={token}"
    # Playwright's sync API runs one instance per thread, and the browser tests' session
    # may hold one in this thread: this check gets a thread of its own.
    with ThreadPoolExecutor(max_workers=1) as pool:
        result = pool.submit(_render_overview, url).result(timeout=300)
    assert "大塘镇2023年政府工作报告 · 总览" in result["text"]
    assert result["widgets"] > 0
    assert result["apps"] == 1, "the app did not render (no .briefing-app element)"
    # voila.json at the repository root selected the briefing template (presentation mode).
    assert "briefing-present" in result["html"]
    assert "2023年主要目标" in result["text"]
    assert "from briefing" not in result["html"], "Voila showed the notebook's source"
    assert result["blocked"] == []
    assert result["errors"] == []


@pytest.mark.slow
def test_binder_landing_pages_answer(binder_server: tuple[str, str]) -> None:
    """The two Binder links of the README: Voila's list of apps and JupyterLab."""
    import urllib.request

    base_url, token = binder_server
    with urllib.request.urlopen(f"{base_url}voila/tree/notebooks?token={token}") as response:
        assert response.status == 200
        tree = response.read().decode("utf-8")
    for notebook in sorted((REPO_DIR / "notebooks").glob("[!.]*.ipynb")):
        assert f"voila/render/notebooks/{notebook.name}" in tree, notebook.name
    with urllib.request.urlopen(f"{base_url}lab/tree/notebooks?token={token}") as response:
        assert response.status == 200


if __name__ == "__main__":
    sys.stdout.write(REQUIREMENTS_HEADER + "".join(f"{pin}\n" for pin in runtime_pins()))
