"""Stopping the server stops everything: no Voila server or kernel outlives its command.

Each test starts the server the way the README does (``briefing serve --port N``, or
``make app PORT=N``), opens a viewer (an app page, which takes a pre-heated kernel
while the pool starts another), notes every process of the server (its process
tree: ``briefing serve``, the Voila child, the kernels), stops it one way, and
checks that within :data:`STOP_BOUND_S` seconds none of them is left, no kernel
started later either, and the port can be listened on again.

Linux only (processes are found in ``/proc``). ``make app`` runs with the venv of
this interpreter, and only if make says its install step is up to date (as it is
under ``make test``): the test never lets it reinstall anything.
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from briefing import lifecycle, serve
from briefing.paths import REPO_DIR

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="needs Linux /proc"),
]

#: The issue's bound: every process gone, the port free, this long after the stop.
STOP_BOUND_S = 20.0
START_TIMEOUT_S = 120.0
ARTIFACTS = REPO_DIR / "test-artifacts"
VIEWER_PAGE = "voila/render/00_overview.ipynb"
#: In the page once the app rendered: its kernel ran the notebook and displayed its widgets.
VIEWER_TEXT = "application/vnd.jupyter.widget-view+json"


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def port_is_free(port: int) -> bool:
    """Whether a new server could listen on ``port`` (as Voila does: SO_REUSEADDR)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind(("127.0.0.1", port))
            sock.listen()
        except OSError:
            return False
        return True


def descendants(pid: int) -> list[int]:
    found, todo = [], [pid]
    while todo:
        current = todo.pop()
        found.append(current)
        todo.extend(lifecycle.children(current))
    return found


def cmdline(pid: int) -> bytes:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return b""


def environ_value(pid: int, name: str) -> str | None:
    try:
        raw = Path(f"/proc/{pid}/environ").read_bytes()
    except OSError:
        return None
    for item in raw.split(b"\0"):
        key, _, value = item.partition(b"=")
        if key.decode(errors="replace") == name:
            return value.decode(errors="replace")
    return None


def briefing_command() -> list[str]:
    """``briefing`` as installed next to this interpreter (as ``make app`` runs it)."""
    script = Path(sys.executable).parent / "briefing"
    return [str(script)] if script.exists() else [sys.executable, "-m", "briefing.cli"]


def user_env() -> dict[str, str]:
    """The environment of a presenter's shell: no make of ours around, no browser opened."""
    env = {k: v for k, v in os.environ.items() if k not in ("MAKEFLAGS", "MFLAGS", "MAKELEVEL")}
    env["BROWSER"] = "true"  # `briefing serve` opens the landing page: a no-op here
    return env


def make_app_venv() -> Path:
    """The venv ``make app`` may use here: this interpreter's, if make would not reinstall."""
    if shutil.which("make") is None:
        pytest.skip("make is not installed")
    venv = Path(sys.prefix)
    if sys.prefix == sys.base_prefix or not (venv / "bin" / "briefing").exists():
        pytest.skip("not running in a venv with briefing installed (run through `make test`)")
    question = subprocess.run(
        ["make", "-q", f"VENV={venv}", "install"],
        cwd=REPO_DIR,
        env=user_env(),
        capture_output=True,
        check=False,
    )
    if question.returncode != 0:
        pytest.skip(f"`make app` would reinstall the package into {venv} (run through `make test`)")
    return venv


def _default_stop_signals() -> None:
    """In the launched process, before it runs: the stop signals do what they do by default."""
    for sig in (signal.SIGINT, signal.SIGQUIT, signal.SIGTERM, signal.SIGHUP):
        signal.signal(sig, signal.SIG_DFL)


@dataclass
class Launched:
    """A server started as the README says, with what is known of its processes."""

    proc: subprocess.Popen[bytes]
    port: int
    log_path: Path
    serve_pid: int = 0  # `briefing serve`
    server_pid: int = 0  # the Voila child
    tracked: list[lifecycle.ProcessId] = field(default_factory=list)
    kernels: list[lifecycle.ProcessId] = field(default_factory=list)

    def log_tail(self) -> str:
        return self.log_path.read_text(errors="replace")[-3000:]


Launch = Callable[[list[str], int, str], Launched]


@pytest.fixture
def launch() -> Iterator[Launch]:
    """``launch(command, port, name)`` starts a server; whatever a test leaves running
    is killed at its end. Its output goes to ``test-artifacts/stop-<name>-<port>.log``."""
    started: list[Launched] = []
    with contextlib.ExitStack() as stack:

        def start(command: list[str], port: int, name: str) -> Launched:
            ARTIFACTS.mkdir(parents=True, exist_ok=True)
            log_path = ARTIFACTS / f"stop-{name}-{port}.log"
            log = stack.enter_context(log_path.open("wb"))
            proc = subprocess.Popen(
                command,
                cwd=REPO_DIR,
                env=user_env(),
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,  # signals to this test's own group never reach it
                # As from a terminal: a shell's background job (``make test &``) starts with
                # SIGINT ignored, and make would pass that on instead of stopping.
                preexec_fn=_default_stop_signals,
            )
            launched = Launched(proc, port, log_path)
            started.append(launched)
            return launched

        yield start
        for launched in started:
            lifecycle.kill_processes(lingering(launched))
            if launched.proc.poll() is None:
                launched.proc.kill()
                launched.proc.wait()


def lingering(launched: Launched) -> list[lifecycle.ProcessId]:
    """Processes of this server still running, including any started after the snapshot:
    a Voila server naming ``briefing serve`` as its parent, or a kernel naming the server."""
    left = [p for p in launched.tracked if lifecycle.is_running(p)]
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        pid = int(entry.name)
        ours = environ_value(pid, lifecycle.PARENT_ENV) == str(launched.serve_pid or -1)
        kernel = environ_value(pid, "JPY_PARENT_PID") == str(launched.server_pid or -1)
        if ours or kernel:
            process = lifecycle.process_id(pid)
            if process is not None and process not in left:
                left.append(process)
    return left


def open_viewer(launched: Launched) -> None:
    """Wait for the landing page, open an app page, and note the server's processes."""
    base = f"http://127.0.0.1:{launched.port}/"
    try:
        serve.wait_until_ready(base, timeout=START_TIMEOUT_S, proc=launched.proc)
    except (RuntimeError, TimeoutError) as error:
        pytest.fail(f"the server did not start: {error}\n{launched.log_tail()}")
    with urllib.request.urlopen(base + VIEWER_PAGE, timeout=START_TIMEOUT_S) as response:
        assert response.status == 200
        assert VIEWER_TEXT in response.read().decode("utf-8")
    # The viewer took the app's pre-heated kernel; the pool refills. Wait for the
    # viewer's kernel and at least one other, so that there are kernels to clean up.
    deadline = time.monotonic() + START_TIMEOUT_S
    while time.monotonic() < deadline:
        tree = descendants(launched.proc.pid)
        serves = [p for p in tree if re.search(rb"briefing\.cli\0|/briefing\0serve\0", cmdline(p))]
        servers = [p for p in tree if b"briefing.serve\0" in cmdline(p)]
        if serves and servers:
            launched.serve_pid, launched.server_pid = serves[0], servers[0]
            launched.kernels = lifecycle.kernel_processes(launched.server_pid)
            if len(launched.kernels) >= 2:
                break
        time.sleep(0.25)
    else:
        pytest.fail(f"no server with two kernels under {launched.proc.pid}\n{launched.log_tail()}")
    launched.tracked = [
        p for p in map(lifecycle.process_id, descendants(launched.proc.pid)) if p is not None
    ]


def wait_stopped(launched: Launched) -> tuple[float, list[lifecycle.ProcessId], bool]:
    """Seconds until nothing of the server is left and its port is free (or the bound),
    what is left, and whether the port is free."""
    started = time.monotonic()
    while True:
        launched.proc.poll()  # reap the process this test started
        left = lingering(launched)
        free = port_is_free(launched.port)
        elapsed = time.monotonic() - started
        if (not left and free) or elapsed > STOP_BOUND_S:
            return elapsed, left, free
        time.sleep(0.1)


def assert_stopped(launched: Launched, how: str) -> float:
    elapsed, left, free = wait_stopped(launched)
    described = [(p.pid, cmdline(p.pid).replace(b"\0", b" ")[:120]) for p in left]
    assert not left, (
        f"{how}: still running after {STOP_BOUND_S:.0f} s: {described}\n{launched.log_tail()}"
    )
    assert free, f"{how}: port {launched.port} still busy after {STOP_BOUND_S:.0f} s"
    print(f"\n{how}: everything stopped in {elapsed:.1f} s ({len(launched.kernels)} kernels)")
    return elapsed


STOP_SIGNALS = [signal.SIGINT, signal.SIGTERM, signal.SIGHUP]
EXIT_CODES = {signal.SIGINT: 0, signal.SIGTERM: 143, signal.SIGHUP: 129}


@pytest.mark.parametrize("sig", STOP_SIGNALS, ids=lambda s: s.name)
def test_a_signal_to_briefing_serve_stops_everything(launch: Launch, sig: signal.Signals) -> None:
    port = free_port()
    launched = launch([*briefing_command(), "serve", "--port", str(port)], port, "serve")
    open_viewer(launched)
    os.kill(launched.serve_pid, sig)
    assert_stopped(launched, f"{sig.name} to briefing serve")
    assert launched.proc.wait(timeout=5) == EXIT_CODES[sig]


@pytest.mark.parametrize("sig", STOP_SIGNALS, ids=lambda s: s.name)
def test_a_signal_to_the_group_of_make_app_stops_everything(
    launch: Launch, sig: signal.Signals
) -> None:
    venv = make_app_venv()
    port = free_port()
    launched = launch(["make", "app", f"PORT={port}", f"VENV={venv}"], port, "make")
    open_viewer(launched)
    os.killpg(launched.proc.pid, sig)
    assert_stopped(launched, f"{sig.name} to the group of make app")
    # make reported the end of its recipe; and nothing was (re)installed.
    assert launched.proc.wait(timeout=5) != 0
    assert "pip install" not in launched.log_tail()


def test_a_stop_while_the_kernels_start_stops_everything(launch: Launch) -> None:
    """SIGTERM to the group of ``make app`` as soon as the landing page answers, while
    the pre-heated kernels are still starting (as in the report of the problem)."""
    venv = make_app_venv()
    port = free_port()
    launched = launch(["make", "app", f"PORT={port}", f"VENV={venv}"], port, "early")
    base = f"http://127.0.0.1:{port}/"
    serve.wait_until_ready(base, timeout=START_TIMEOUT_S, proc=launched.proc)
    tree = descendants(launched.proc.pid)
    launched.serve_pid = next(p for p in tree if b"/briefing\0serve\0" in cmdline(p))
    launched.server_pid = next(p for p in tree if b"briefing.serve\0" in cmdline(p))
    launched.tracked = [p for p in map(lifecycle.process_id, tree) if p is not None]
    launched.kernels = lifecycle.kernel_processes(launched.server_pid)
    os.killpg(launched.proc.pid, signal.SIGTERM)
    assert_stopped(launched, "SIGTERM to the group of make app while kernels start")


def test_killing_briefing_serve_stops_the_server_and_its_kernels(launch: Launch) -> None:
    """SIGKILL to the parent: no clean-up of its own; the server notices it is gone."""
    port = free_port()
    launched = launch([*briefing_command(), "serve", "--port", str(port)], port, "kill-serve")
    open_viewer(launched)
    os.kill(launched.serve_pid, signal.SIGKILL)
    assert_stopped(launched, "SIGKILL to briefing serve")
    # The server stopped itself (parent-death signal or its watch on the parent's pid).
    assert "stopping the server and its kernels" in launched.log_path.read_text(errors="replace")


def test_killing_the_group_of_make_app_stops_the_server_and_its_kernels(launch: Launch) -> None:
    """``kill -9`` of make's process group: make and ``briefing serve`` die at once."""
    venv = make_app_venv()
    port = free_port()
    launched = launch(["make", "app", f"PORT={port}", f"VENV={venv}"], port, "kill-make")
    open_viewer(launched)
    os.killpg(launched.proc.pid, signal.SIGKILL)
    assert_stopped(launched, "SIGKILL to the group of make app")


def test_killing_the_server_leaves_no_kernel(launch: Launch) -> None:
    """SIGKILL to the Voila server's own group: its kernels see their parent gone and exit
    (ipykernel's parent poller), and ``briefing serve`` returns."""
    port = free_port()
    launched = launch([*briefing_command(), "serve", "--port", str(port)], port, "kill-server")
    open_viewer(launched)
    os.killpg(launched.server_pid, signal.SIGKILL)
    assert_stopped(launched, "SIGKILL to the Voila server")
    assert launched.proc.wait(timeout=5) == 128 + signal.SIGKILL
