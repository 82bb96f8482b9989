"""The limits of one server, and who holds which kernel and socket.

A client is the address a request comes from; behind nginx (every request from the
loopback address), the viewer's own address, from the ``X-Real-IP`` header nginx sets.

* A page view takes a kernel. A client may hold :attr:`ServingLimits.kernels_per_client`
  of them, and viewers all together :attr:`ServingLimits.max_kernels` (the pre-heated pool
  aside); beyond that the page says the server is busy (429 or 503, ``Retry-After``).
* A kernel takes :attr:`ServingLimits.sockets_per_kernel` websockets at most, a client
  :attr:`ServingLimits.sockets_per_client` (429 beyond).
* A kernel whose last websocket closed is shut down after
  :attr:`ServingLimits.release_after_s` (time for a page to reconnect), whatever the page
  did on unload; a kernel whose page never connected, :attr:`ServingLimits.unclaimed_after_s`
  after it was rendered.

All of it is settable in ``voila.json`` (section ``ServingLimits``) or on the command line
(``--ServingLimits.kernels_per_client=4``).
"""

from __future__ import annotations

import asyncio
import contextlib
import contextvars
import logging
import resource
import time
from dataclasses import dataclass, field
from typing import Any

from traitlets import Float, Int
from traitlets.config import Configurable

#: How often unclaimed kernels are looked for (seconds).
REAP_EVERY_S = 5.0
#: A page whose render never ended gives its kernel back after this (seconds).
RENDER_GIVE_UP_S = 600.0


class ServingLimits(Configurable):
    """Limits per client and per server (``ServingLimits`` in ``voila.json``)."""

    kernels_per_client = Int(
        12, config=True, help="Page kernels one client address may hold at once."
    )
    max_kernels = Int(
        48, config=True, help="Page kernels of all viewers at once (the pre-heated pool aside)."
    )
    sockets_per_kernel = Int(4, config=True, help="Websockets on one kernel at once.")
    sockets_per_client = Int(64, config=True, help="Kernel websockets of one client at once.")
    release_after_s = Float(
        8.0, config=True, help="Seconds a kernel outlives its page's last websocket."
    )
    unclaimed_after_s = Float(
        45.0,
        config=True,
        help="Seconds a kernel waits for its page to connect after the page was sent.",
    )
    retry_after_s = Int(30, config=True, help="Retry-After of the busy page (seconds).")


@dataclass
class PageTicket:
    """One page request being rendered: its client and, once known, its kernel."""

    client: str
    kernel_id: str | None = None


#: The page request being handled (set by the render handler, read by the kernel manager).
current_page: contextvars.ContextVar[PageTicket | None] = contextvars.ContextVar(
    "briefing_current_page", default=None
)


@dataclass
class KernelRecord:
    client: str
    assigned_at: float
    rendered_at: float | None = None
    connected: bool = False


@dataclass
class Guard:
    """Who holds which kernel and socket; frees what closed pages leave behind."""

    limits: ServingLimits
    kernel_manager: Any
    log: logging.Logger
    kernels: dict[str, KernelRecord] = field(default_factory=dict)
    sockets: dict[str, set[object]] = field(default_factory=dict)
    client_sockets: dict[str, int] = field(default_factory=dict)
    _releases: dict[str, asyncio.TimerHandle] = field(default_factory=dict)
    _reaper: asyncio.Task[None] | None = None
    _stopping: set[asyncio.Future[None]] = field(default_factory=set)

    # ---------------------------------------------------------------- kernels

    def _live(self) -> dict[str, KernelRecord]:
        alive = set(self.kernel_manager.list_kernel_ids())
        for kernel_id in [k for k in self.kernels if k not in alive]:
            self.forget(kernel_id)
        return self.kernels

    def page_refusal(self, client: str) -> tuple[int, str] | None:
        """``(status, reason)`` if ``client`` may not have one more page now, else None."""
        live = self._live()
        held = sum(1 for record in live.values() if record.client == client)
        if held >= self.limits.kernels_per_client:
            return 429, f"client holds {held} kernels (limit {self.limits.kernels_per_client})"
        if len(live) >= self.limits.max_kernels:
            return 503, f"{len(live)} page kernels running (limit {self.limits.max_kernels})"
        return None

    def claim(self, kernel_id: str, client: str) -> None:
        """``kernel_id`` now serves a page of ``client``."""
        self.kernels[kernel_id] = KernelRecord(client, time.monotonic())
        self._start_reaper()

    def rendered(self, kernel_id: str) -> None:
        record = self.kernels.get(kernel_id)
        if record is not None and record.rendered_at is None:
            record.rendered_at = time.monotonic()

    def forget(self, kernel_id: str) -> None:
        self.kernels.pop(kernel_id, None)
        handle = self._releases.pop(kernel_id, None)
        if handle is not None:
            handle.cancel()

    def kernels_of(self, client: str) -> int:
        return sum(1 for record in self._live().values() if record.client == client)

    # ---------------------------------------------------------------- sockets

    def socket_refusal(self, kernel_id: str, client: str) -> str | None:
        """Why one more websocket on ``kernel_id`` from ``client`` is refused, or None."""
        on_kernel = len(self.sockets.get(kernel_id, ()))
        if on_kernel >= self.limits.sockets_per_kernel:
            return f"{on_kernel} websockets on kernel {kernel_id}"
        of_client = self.client_sockets.get(client, 0)
        if of_client >= self.limits.sockets_per_client:
            return f"client holds {of_client} websockets"
        return None

    def socket_opened(self, kernel_id: str, client: str, socket: object) -> None:
        self.sockets.setdefault(kernel_id, set()).add(socket)
        self.client_sockets[client] = self.client_sockets.get(client, 0) + 1
        record = self.kernels.get(kernel_id)
        if record is not None:
            record.connected = True
        handle = self._releases.pop(kernel_id, None)
        if handle is not None:
            handle.cancel()

    def socket_closed(self, kernel_id: str, client: str, socket: object) -> None:
        held = self.sockets.get(kernel_id, set())
        if socket not in held:
            return
        held.discard(socket)
        left = self.client_sockets.get(client, 1) - 1
        if left > 0:
            self.client_sockets[client] = left
        else:
            self.client_sockets.pop(client, None)
        if held:
            return
        self.sockets.pop(kernel_id, None)
        if kernel_id not in self.kernel_manager.list_kernel_ids():
            self.forget(kernel_id)
            return
        loop = asyncio.get_running_loop()
        self._releases[kernel_id] = loop.call_later(
            self.limits.release_after_s, self._release_if_unused, kernel_id
        )

    def _release_if_unused(self, kernel_id: str) -> None:
        self._releases.pop(kernel_id, None)
        if self.sockets.get(kernel_id):
            return
        self._shutdown(kernel_id, f"its page closed {self.limits.release_after_s:.0f} s ago")

    def _shutdown(self, kernel_id: str, why: str) -> None:
        self.forget(kernel_id)
        if kernel_id not in self.kernel_manager.list_kernel_ids():
            return
        self.log.info("Releasing kernel %s: %s.", kernel_id, why)

        async def stop() -> None:
            try:
                await self.kernel_manager.shutdown_kernel(kernel_id)
            except Exception as error:  # already gone, or dying: nothing left to free
                self.log.warning("Releasing kernel %s failed: %r", kernel_id, error)

        task = asyncio.ensure_future(stop())
        self._stopping.add(task)
        task.add_done_callback(self._stopping.discard)

    # ---------------------------------------------------------------- unclaimed kernels

    def _start_reaper(self) -> None:
        if self._reaper is None or self._reaper.done():
            self._reaper = asyncio.ensure_future(self._reap_forever())

    async def _reap_forever(self) -> None:
        while self.kernels:
            await asyncio.sleep(REAP_EVERY_S)
            self.reap_unclaimed()

    def reap_unclaimed(self, now: float | None = None) -> list[str]:
        """Shut down the kernels whose page never connected; return their ids."""
        now = time.monotonic() if now is None else now
        reaped = []
        for kernel_id, record in list(self._live().items()):
            if record.connected:
                continue
            if record.rendered_at is not None:
                waited = now - record.rendered_at
                if waited < self.limits.unclaimed_after_s:
                    continue
            elif now - record.assigned_at < RENDER_GIVE_UP_S:
                continue
            reaped.append(kernel_id)
            self._shutdown(kernel_id, "its page never connected")
        return reaped


def raise_descriptor_limit(log: logging.Logger | None = None) -> tuple[int, int]:
    """Raise the soft limit of open files to the hard limit; return ``(soft, hard)``.

    Every viewer holds a websocket, and every kernel a handful of ZeroMQ sockets: with the
    usual soft limit of 1024, a few hundred sockets gave everyone "Too many open files".
    """
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft != hard:
        with contextlib.suppress(ValueError, OSError):
            resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
            if log is not None:
                log.info("Open files limit raised from %s to %s.", soft, hard)
            soft = hard
    return soft, hard
