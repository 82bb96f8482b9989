"""Stopping the server stops everything: no Voila server or kernel outlives its command.

Three processes take part: ``briefing serve`` (the *parent*), the Voila server it
starts in a session of its own (the *child*, ``python -m briefing.serve``), and
the kernels the child starts, each in a session of its own too (jupyter_client).

* The parent turns SIGINT, SIGTERM and SIGHUP into one orderly stop
  (:class:`StopSignals`): the first raises :class:`StopRequested`; any later one
  (``make`` forwards SIGTERM to its recipe after the process group got it
  already) is ignored, so it can no longer cut the clean-up short and leave the
  child running.
* The child stops on those signals too (:class:`ChildStopper`): it shuts its
  kernels down gracefully (at most :data:`KERNEL_GRACE_S`), kills the process
  group of any kernel left, then leaves. A watchdog thread ends it
  :data:`HARD_STOP_S` after the stop began, whatever hangs.
* The child notices when its parent is gone, even if the parent was killed with
  SIGKILL: on Linux the kernel sends it SIGTERM (``PR_SET_PDEATHSIG``, set by
  :func:`child_preexec` between fork and exec); everywhere, it checks every
  :data:`PARENT_POLL_S` whether its parent is still the one named in
  :data:`PARENT_ENV`.
* A kernel whose server is killed with SIGKILL exits within a second or so:
  ipykernel polls its parent (``JPY_PARENT_PID``, set by jupyter_client).

Process look-ups use ``/proc`` (Linux); elsewhere they find nothing and only the
signals and the parent watch apply.
"""

from __future__ import annotations

import contextlib
import ctypes
import logging
import os
import signal
import sys
import threading
import time
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path
from types import FrameType
from typing import Any, NamedTuple

#: The signals that stop the server, from a terminal (Ctrl-C, closing it) or a supervisor.
STOP_SIGNALS: tuple[signal.Signals, ...] = tuple(
    getattr(signal, name) for name in ("SIGINT", "SIGTERM", "SIGHUP") if hasattr(signal, name)
)
#: Environment variable naming, for the child, the pid of the process that started it.
PARENT_ENV = "BRIEFING_PARENT_PID"
#: Seconds the child gives its kernels to shut down before killing them.
KERNEL_GRACE_S = 6.0
#: Seconds after a stop began when the child kills its kernels and exits, whatever hangs.
HARD_STOP_S = 10.0
#: Seconds between two checks of the child's parent.
PARENT_POLL_S = 1.0
#: Seconds the parent waits for the child before killing it (with its kernels).
PARENT_WAIT_S = 15.0

_PR_SET_PDEATHSIG = 1

log = logging.getLogger("briefing.lifecycle")


class ProcessId(NamedTuple):
    """A process, told apart from a later one that reuses its pid by its start time."""

    pid: int
    start: int


def _stat_fields(pid: int) -> list[str] | None:
    """Fields of ``/proc/<pid>/stat`` after the command name (state first), or None."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    # "pid (comm) state ppid ...": comm may hold spaces, so split after ")".
    return stat[stat.rfind(")") + 2 :].split()


def process_id(pid: int) -> ProcessId | None:
    """Return ``pid`` with its start time, or None if there is no such process (or no /proc)."""
    fields = _stat_fields(pid)
    if fields is None or len(fields) < 20 or fields[0] == "Z":
        return None
    return ProcessId(pid, int(fields[19]))


def is_running(process: ProcessId) -> bool:
    """Tell whether that process (not a later one with its pid) is alive and not a zombie."""
    return process_id(process.pid) == process


def _parent_of(pid: int) -> int | None:
    fields = _stat_fields(pid)
    return int(fields[1]) if fields is not None and len(fields) > 1 else None


def children(pid: int) -> list[int]:
    """Return the ids of the direct children of ``pid`` (Linux ``/proc``; else empty)."""
    proc_dir = Path("/proc")
    if not proc_dir.is_dir():
        return []
    return [
        int(entry.name)
        for entry in proc_dir.iterdir()
        if entry.name.isdigit() and _parent_of(int(entry.name)) == pid
    ]


def _environ(pid: int) -> dict[str, str]:
    try:
        raw = Path(f"/proc/{pid}/environ").read_bytes()
    except OSError:
        return {}
    pairs = (item.split(b"=", 1) for item in raw.split(b"\0") if b"=" in item)
    return {key.decode(errors="replace"): value.decode(errors="replace") for key, value in pairs}


def kernel_processes(server_pid: int) -> list[ProcessId]:
    """Return the kernels started by ``server_pid``: its children that jupyter_client
    launched for it (their environment names it in ``JPY_PARENT_PID``).

    A web browser the server opened is its child too, but not a kernel: it is left alone.
    """
    found = []
    for pid in children(server_pid):
        if _environ(pid).get("JPY_PARENT_PID") == str(server_pid):
            process = process_id(pid)
            if process is not None:
                found.append(process)
    return found


def kill_processes(processes: Iterable[ProcessId], sig: int = signal.SIGKILL) -> None:
    """Send ``sig`` to each process still running, to its whole process group when it
    leads one (a kernel does: jupyter_client starts it in a session of its own)."""
    for process in processes:
        if not is_running(process):
            continue
        with contextlib.suppress(ProcessLookupError, PermissionError):
            if os.getpgid(process.pid) == process.pid:
                os.killpg(process.pid, sig)
            else:
                os.kill(process.pid, sig)


def wait_gone(processes: Iterable[ProcessId], timeout: float) -> list[ProcessId]:
    """Wait up to ``timeout`` seconds for the processes to end; return those still running."""
    deadline = time.monotonic() + timeout
    left = [p for p in processes if is_running(p)]
    while left and time.monotonic() < deadline:
        time.sleep(0.1)
        left = [p for p in left if is_running(p)]
    return left


# --------------------------------------------------------------------------
# Parent side: ``briefing serve``.
# --------------------------------------------------------------------------


class StopRequested(BaseException):
    """Raised in the parent by the first stop signal; ``code`` is its exit code."""

    def __init__(self, signum: int) -> None:
        super().__init__(signum)
        self.signum = signum
        # Ctrl-C is the ordinary way to end a presentation: exit 0. A supervisor or a
        # closed terminal gets the shell's convention, 128 + signal number.
        self.code = 0 if signum == signal.SIGINT else 128 + signum


class StopSignals:
    """Within ``with StopSignals():``, the first of :data:`STOP_SIGNALS` raises
    :class:`StopRequested` and every later one is ignored (the clean-up that
    follows the first one must not be cut short). The previous handlers come
    back on exit."""

    def __init__(self) -> None:
        self.received: list[int] = []
        self._previous: dict[int, Any] = {}

    def _handle(self, signum: int, frame: FrameType | None) -> None:
        self.received.append(signum)
        if len(self.received) == 1:
            raise StopRequested(signum)
        print(
            f"briefing serve: signal {signum} received while stopping; still stopping",
            file=sys.stderr,
            flush=True,
        )

    def __enter__(self) -> StopSignals:
        for sig in STOP_SIGNALS:
            self._previous[sig] = signal.signal(sig, self._handle)
        return self

    def __exit__(self, *exc: object) -> None:
        for sig, handler in self._previous.items():
            signal.signal(sig, handler)


def _prctl() -> Callable[..., int] | None:
    if not sys.platform.startswith("linux"):
        return None
    try:
        function: Callable[..., int] = ctypes.CDLL(None, use_errno=True).prctl
    except (OSError, AttributeError):
        return None
    return function


def child_preexec(parent_pid: int | None = None) -> Callable[[], None]:
    """Return a ``preexec_fn`` for the child: ask Linux to send it SIGTERM when the
    parent dies (``PR_SET_PDEATHSIG``, kept across exec), and unblock the stop signals.

    Call it in the thread that will outlive the child (the main thread): Linux sends
    the signal when the *thread* that forked the child ends. ``prctl`` is looked up
    here, before the fork, so that the child only calls it.
    """
    prctl = _prctl()
    expected = os.getpid() if parent_pid is None else parent_pid

    def preexec() -> None:
        _unblock_stop_signals()
        if prctl is not None:
            prctl(_PR_SET_PDEATHSIG, int(signal.SIGTERM), 0, 0, 0)
            # The parent may have died before the request took effect: then leave now.
            if os.getppid() != expected:
                os._exit(1)

    return preexec


def _unblock_stop_signals() -> None:
    # A child inherits its parent's blocked signals; the stop signals must reach it.
    if hasattr(signal, "pthread_sigmask"):
        signal.pthread_sigmask(signal.SIG_UNBLOCK, STOP_SIGNALS)


def child_env(env: Mapping[str, str]) -> dict[str, str]:
    """Return ``env`` naming this process as the child's parent (:data:`PARENT_ENV`)."""
    return {**env, PARENT_ENV: str(os.getpid())}


def preexec_for_child() -> Callable[[], None] | None:
    """:func:`child_preexec` where it applies: POSIX, called from the main thread (Linux
    sends the parent-death signal when the *thread* that started the child ends). The
    child's watch on its parent's pid covers the other cases."""
    if os.name != "posix" or threading.current_thread() is not threading.main_thread():
        return None
    return child_preexec()


# --------------------------------------------------------------------------
# Child side: the Voila server.
# --------------------------------------------------------------------------


def expected_parent() -> int | None:
    """The pid :data:`PARENT_ENV` names, if the child was started by ``start_server``.

    The variable is then removed from the environment: it concerns this process only,
    not the kernels or anything else it starts."""
    value = os.environ.pop(PARENT_ENV, "")
    return int(value) if value.isdigit() and int(value) > 1 else None


class ChildStopper:
    """Stops a running Voila application and its kernels, once, on a stop signal or
    when the parent is gone.

    ``shutdown_kernels`` calls the kernel manager's ``shutdown_all`` (its result may
    be awaitable). The stop runs in the event loop: kernels are asked to shut down
    (``grace`` seconds at most), any left are killed with their process groups, and
    the loop stops; Voila then calls the application's ``stop()``, which kills any
    kernel started meanwhile (:func:`kill_kernels`). A watchdog thread kills the
    kernels and ends the process ``hard_stop`` seconds after the stop began, if it
    still runs then.
    """

    def __init__(
        self,
        shutdown_kernels: Callable[[], Any],
        *,
        parent_pid: int | None = None,
        grace: float = KERNEL_GRACE_S,
        hard_stop: float = HARD_STOP_S,
        poll: float = PARENT_POLL_S,
        logger: logging.Logger | logging.LoggerAdapter[logging.Logger] | None = None,
    ) -> None:
        self.log = logger or log
        self.shutdown_kernels = shutdown_kernels
        self.parent_pid = parent_pid
        self.grace = grace
        self.hard_stop = hard_stop
        self.poll = poll
        self.stopping = False
        self._loop: Any = None  # the asyncio loop, once it runs
        self._task: Any = None  # the stop, once begun
        self._watch: Any = None  # the periodic check of the parent
        self._watchdog: threading.Timer | None = None  # ends the process if the stop hangs

    # -- installation -----------------------------------------------------

    def install(self) -> None:
        """Handle the stop signals from now on; watch the parent once the loop runs.

        Call it after Voila's own ``initialize`` (which sets its SIGTERM handler)."""
        from tornado.ioloop import IOLoop

        _unblock_stop_signals()
        for sig in STOP_SIGNALS:
            signal.signal(sig, self._on_signal)
        if self.parent_pid is not None and not self._parent_alive():
            self.log.warning("the process that started this server is gone; stopping")
            raise SystemExit(1)
        IOLoop.current().add_callback(self._loop_started)

    def _parent_alive(self) -> bool:
        return self.parent_pid is None or os.getppid() == self.parent_pid

    async def _loop_started(self) -> None:
        import asyncio

        from tornado.ioloop import PeriodicCallback

        self._loop = asyncio.get_running_loop()
        if self.parent_pid is not None:
            self._watch = PeriodicCallback(self._check_parent, self.poll * 1000)
            self._watch.start()

    def _check_parent(self) -> None:
        if not self._parent_alive():
            self.request_stop("the process that started this server is gone")

    def _on_signal(self, signum: int, frame: FrameType | None) -> None:
        if self._loop is None:
            # The loop does not run yet, so no kernel does: leave at once.
            raise SystemExit(128 + signum)
        # The loop may be busy for seconds (rendering pages on a loaded machine): the
        # deadline counts from the signal, not from when the loop gets to the stop.
        self._start_watchdog()
        self._loop.call_soon_threadsafe(self.request_stop, f"signal {signum} received")

    def _start_watchdog(self) -> None:
        if self._watchdog is None:
            self._watchdog = threading.Timer(self.hard_stop, self._hard_exit)
            self._watchdog.daemon = True
            self._watchdog.start()

    # -- stopping ---------------------------------------------------------

    def request_stop(self, reason: str) -> None:
        """Begin the stop (in the loop's thread); later requests change nothing."""
        import asyncio

        if self.stopping:
            self.log.info("%s; already stopping", reason)
            return
        self.stopping = True
        self.log.warning("%s; stopping the server and its kernels", reason)
        self._start_watchdog()
        self._task = asyncio.ensure_future(self._stop())

    async def _stop(self) -> None:
        import asyncio

        started = time.monotonic()
        shutdown = asyncio.ensure_future(_awaitable(self.shutdown_kernels()))
        # Not wait_for: on time-out it waits for the shutdown to take its cancellation,
        # and Voila's, waiting for the pool's kernels to start, did not (the stop hung).
        done, _ = await asyncio.wait({shutdown}, timeout=self.grace)
        if not done:
            self.log.warning("kernels still running after %.0f s; killing them", self.grace)
            shutdown.cancel()
        elif (
            not shutdown.cancelled() and shutdown.exception() is not None
        ):  # a kernel that failed to stop
            self.log.error(
                "graceful kernel shutdown failed (%r); killing the kernels", shutdown.exception()
            )
        kill_kernels()
        self.log.info("kernels stopped in %.1f s", time.monotonic() - started)
        asyncio.get_running_loop().stop()

    def leave_if_stopping(self) -> None:
        """End the process now if this stopper stopped it (kernels gone, files removed).

        What is left to do is tearing down the interpreter, which took several seconds
        on a busy machine (closing the kernels' sockets): leave without it."""
        if not self.stopping:
            return
        self.log.info("stopped")
        logging.shutdown()
        for stream in (sys.stdout, sys.stderr):
            with contextlib.suppress(Exception):
                stream.flush()
        os._exit(0)

    def _hard_exit(self) -> None:
        kill_kernels()  # first: logging could block (a full pipe), killing cannot
        self.log.error("the server did not stop within %.0f s; kernels killed", self.hard_stop)
        os._exit(1)


def kill_kernels(server_pid: int | None = None) -> None:
    """Kill every kernel of ``server_pid`` (default: this process) still running, with
    its process group, and wait a little for them to go."""
    kernels = kernel_processes(os.getpid() if server_pid is None else server_pid)
    kill_processes(kernels)
    wait_gone(kernels, 2.0)


async def _awaitable(value: Any) -> Any:
    import inspect

    if inspect.isawaitable(value):
        return await value
    return value
