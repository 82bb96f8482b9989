"""The pieces of an orderly stop (briefing.lifecycle), each on its own, in seconds.

The whole server, stopped every way, is tested in tests/test_stop.py.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from briefing import lifecycle

linux_only = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="Linux /proc")


def test_the_first_stop_signal_stops_and_a_second_is_ignored() -> None:
    before = signal.getsignal(signal.SIGHUP)
    with lifecycle.StopSignals() as signals:
        # The handler runs in the main thread, right after the signal is sent.
        with pytest.raises(lifecycle.StopRequested) as stop:
            os.kill(os.getpid(), signal.SIGHUP)
        assert stop.value.code == 128 + signal.SIGHUP
        # During the clean-up, another signal (make forwards SIGTERM to its recipe after
        # the group got it) must not interrupt it.
        os.kill(os.getpid(), signal.SIGTERM)
        time.sleep(0.2)
        assert signals.received == [signal.SIGHUP, signal.SIGTERM]
    assert signal.getsignal(signal.SIGHUP) == before


def test_ctrl_c_is_an_ordinary_end() -> None:
    assert lifecycle.StopRequested(signal.SIGINT).code == 0
    assert lifecycle.StopRequested(signal.SIGTERM).code == 143


@linux_only
def test_kernels_are_told_from_other_children_and_killed_with_their_group() -> None:
    env = {**os.environ, "JPY_PARENT_PID": str(os.getpid())}
    # A "kernel" in a session of its own, with a child of its own, as jupyter_client makes them.
    kernel = subprocess.Popen(["sh", "-c", "sleep 60 & wait"], env=env, start_new_session=True)
    other = subprocess.Popen(["sleep", "60"])  # say, the web browser the server opened
    try:
        deadline = time.monotonic() + 10
        while len(lifecycle.children(kernel.pid)) < 1 and time.monotonic() < deadline:
            time.sleep(0.05)
        grandchild = lifecycle.process_id(lifecycle.children(kernel.pid)[0])
        assert grandchild is not None
        found = lifecycle.kernel_processes(os.getpid())
        assert [p.pid for p in found] == [kernel.pid]
        lifecycle.kill_processes(found)
        kernel.wait(timeout=10)
        assert lifecycle.wait_gone([grandchild], 10) == []
        assert other.poll() is None, "a child that is not a kernel was killed"
    finally:
        for proc in (kernel, other):
            proc.kill()
            proc.wait()


@linux_only
def test_a_process_reused_pid_is_not_mistaken_for_the_old_one() -> None:
    me = lifecycle.process_id(os.getpid())
    assert me is not None
    assert lifecycle.is_running(me)
    assert not lifecycle.is_running(lifecycle.ProcessId(me.pid, me.start + 1))


@linux_only
def test_the_child_gets_sigterm_when_its_parent_is_killed(tmp_path: Path) -> None:
    """PR_SET_PDEATHSIG, set by child_preexec: the parent is killed with SIGKILL (no
    clean-up of its own), and the child is told at once."""
    marker = tmp_path / "child-got-sigterm"
    parent_code = textwrap.dedent(
        f"""
        import subprocess, sys, time
        from briefing import lifecycle
        child = subprocess.Popen(
            [sys.executable, "-c", {CHILD_CODE.format(marker=str(marker))!r}],
            start_new_session=True,
            preexec_fn=lifecycle.child_preexec(),
        )
        print(child.pid, flush=True)
        time.sleep(60)
        """
    )
    parent = subprocess.Popen(
        [sys.executable, "-c", parent_code], stdout=subprocess.PIPE, text=True
    )
    try:
        assert parent.stdout is not None
        child_pid = int(parent.stdout.readline())
        child = lifecycle.process_id(child_pid)
        assert child is not None
        deadline = time.monotonic() + 20
        while not (tmp_path / "ready").exists() and time.monotonic() < deadline:
            time.sleep(0.05)
        parent.kill()
        parent.wait()
        assert lifecycle.wait_gone([child], 10) == []
        assert marker.read_text() == str(int(signal.SIGTERM))
    finally:
        parent.kill()
        parent.wait()


CHILD_CODE = """
import pathlib, signal, sys, time
marker = pathlib.Path({marker!r})
def leave(signum, frame):
    marker.write_text(str(signum))
    sys.exit(0)
signal.signal(signal.SIGTERM, leave)
(marker.parent / "ready").write_text("")
time.sleep(60)
"""


def test_a_server_whose_parent_is_already_gone_does_not_start(tmp_path: Path) -> None:
    """The parent died between starting the child and the child's watch: the child
    sees that its parent is not the one named in its environment and leaves."""
    from briefing import serve

    (tmp_path / "empty.ipynb").write_text(
        '{"cells": [], "metadata": {}, "nbformat": 4, "nbformat_minor": 5}'
    )
    port = _free_port()
    env = serve.jupyter_path_env({**os.environ, lifecycle.PARENT_ENV: "999999999"})
    result = subprocess.run(
        [sys.executable, "-m", "briefing.serve", *serve.voila_argv(tmp_path, port=port)],
        env=env,
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 1, result.stderr[-2000:]
    assert "the process that started this server is gone" in result.stderr
    assert "Voilà is running at" not in result.stderr


def _free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


BLOCKED_SERVER = """
import asyncio, sys, time
from tornado.ioloop import IOLoop
from briefing import lifecycle

async def shutdown():
    await asyncio.sleep(60)  # kernels that never finish shutting down

stopper = lifecycle.ChildStopper(shutdown, grace=30, hard_stop=2)
stopper.install()

def block():
    print("ready", flush=True)
    time.sleep(60)  # the loop is stuck (say, rendering a page on a loaded machine)

IOLoop.current().call_later(0.5, block)
IOLoop.current().start()
"""


def test_a_stuck_server_still_ends_soon_after_the_signal() -> None:
    """The watchdog counts from the signal: neither a blocked event loop nor kernels that
    never shut down keep the process beyond ``hard_stop`` seconds."""
    proc = subprocess.Popen(
        [sys.executable, "-c", BLOCKED_SERVER], stdout=subprocess.PIPE, stderr=subprocess.PIPE
    )
    try:
        assert proc.stdout is not None
        assert proc.stdout.readline() == b"ready\n"
        proc.send_signal(signal.SIGTERM)
        code = proc.wait(timeout=30)  # not the 60 s the loop or the kernels would take
        assert proc.stderr is not None
        stderr = proc.stderr.read().decode()
    finally:
        proc.kill()
        proc.wait()
    assert code == 1, stderr
    assert "the server did not stop within 2 s; kernels killed" in stderr


STUBBORN_SHUTDOWN = """
import asyncio
from tornado.ioloop import IOLoop
from briefing import lifecycle

async def shutdown():
    # Like Voila's shutdown_all waiting for its pool's kernels to start: it does not
    # take a cancellation.
    while True:
        try:
            await asyncio.sleep(60)
        except asyncio.CancelledError:
            pass

stopper = lifecycle.ChildStopper(shutdown, grace=1, hard_stop=30)
stopper.install()
IOLoop.current().call_later(0.5, lambda: print("ready", flush=True))
IOLoop.current().start()
print("loop stopped", flush=True)
"""


def test_kernels_that_do_not_shut_down_in_time_are_killed_and_the_loop_stops() -> None:
    proc = subprocess.Popen(
        [sys.executable, "-c", STUBBORN_SHUTDOWN], stdout=subprocess.PIPE, stderr=subprocess.PIPE
    )
    try:
        assert proc.stdout is not None
        assert proc.stdout.readline() == b"ready\n"
        proc.send_signal(signal.SIGTERM)
        out, err = proc.communicate(timeout=25)  # the watchdog would take 30 s
    finally:
        proc.kill()
        proc.wait()
    assert b"loop stopped" in out
    assert b"kernels still running after 1 s; killing them" in err
    assert proc.returncode == 0
