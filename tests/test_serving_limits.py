"""The serving guard without a server: limits per client, release of closed and unclaimed
kernels, the frame checks. (End to end, with the attacks: tests/browser/test_abuse.py.)"""

from __future__ import annotations

import asyncio
import concurrent.futures
import json
import logging
import struct
from collections.abc import Callable, Coroutine
from typing import Any

from briefing.serving import frames
from briefing.serving.limits import Guard, ServingLimits


def run_alone(main: Callable[[], Coroutine[Any, Any, None]]) -> None:
    """``asyncio.run`` in a thread of its own: a browser test's Playwright session may hold
    the main thread's event loop for the rest of the test run."""
    with concurrent.futures.ThreadPoolExecutor(max_workers=1) as pool:
        pool.submit(asyncio.run, main()).result()


class FakeKernels:
    def __init__(self) -> None:
        self.ids: set[str] = set()
        self.stopped: list[str] = []

    def list_kernel_ids(self) -> list[str]:
        return sorted(self.ids)

    async def shutdown_kernel(self, kernel_id: str) -> None:
        self.ids.discard(kernel_id)
        self.stopped.append(kernel_id)


def guard(**limits: Any) -> tuple[Guard, FakeKernels]:
    kernels = FakeKernels()
    return Guard(ServingLimits(**limits), kernels, logging.getLogger("test")), kernels


def test_kernels_per_client_and_in_total() -> None:
    async def run() -> None:
        g, kernels = guard(kernels_per_client=2, max_kernels=3)
        for kernel_id, client in (("a", "1.1.1.1"), ("b", "1.1.1.1"), ("c", "2.2.2.2")):
            assert g.page_refusal(client) is None
            kernels.ids.add(kernel_id)
            g.claim(kernel_id, client)
        refused = g.page_refusal("1.1.1.1")
        assert refused is not None
        assert refused[0] == 429
        refused = g.page_refusal("3.3.3.3")
        assert refused is not None
        assert refused[0] == 503
        kernels.ids.discard("a")  # culled, or shut down by its page
        assert g.page_refusal("1.1.1.1") is None

    run_alone(run)


def test_sockets_are_bounded_and_the_last_close_releases_the_kernel() -> None:
    async def run() -> None:
        g, kernels = guard(sockets_per_kernel=2, sockets_per_client=3, release_after_s=0.05)
        kernels.ids.add("k")
        g.claim("k", "c")
        one, two = object(), object()
        g.socket_opened("k", "c", one)
        g.socket_opened("k", "c", two)
        assert g.socket_refusal("k", "c") is not None
        g.socket_closed("k", "c", one)
        assert g.socket_refusal("k", "c") is None
        g.socket_closed("k", "c", two)
        # A page that reconnects within the grace period keeps its kernel.
        three = object()
        g.socket_opened("k", "c", three)
        await asyncio.sleep(0.1)
        assert kernels.stopped == []
        g.socket_closed("k", "c", three)
        await asyncio.sleep(0.1)
        assert kernels.stopped == ["k"]
        assert g.client_sockets == {}

    run_alone(run)


def test_a_kernel_whose_page_never_connects_is_reaped() -> None:
    async def run() -> None:
        g, kernels = guard(unclaimed_after_s=10)
        kernels.ids |= {"seen", "unseen"}
        g.claim("seen", "c")
        g.claim("unseen", "c")
        g.socket_opened("seen", "c", object())
        g.rendered("seen")
        g.rendered("unseen")
        now = g.kernels["unseen"].rendered_at or 0.0
        assert g.reap_unclaimed(now + 5) == []
        assert g.reap_unclaimed(now + 11) == ["unseen"]
        await asyncio.sleep(0)
        assert kernels.stopped == ["unseen"]

    run_alone(run)


def test_frames_with_impossible_part_counts_are_refused() -> None:
    assert frames.frame_problem(struct.pack("!i", 2**27) + bytes(28), None)
    assert frames.frame_problem(struct.pack("!i", -1) + bytes(28), None)
    assert frames.frame_problem(struct.pack("!II", 2, 4) + b"{}", None)  # offset into header
    body = json.dumps({"header": {}, "parent_header": {}, "content": {}}).encode()
    assert frames.frame_problem(struct.pack("!II", 1, 8) + body, None) is None
    assert frames.frame_problem((2**22).to_bytes(8, "little") + bytes(24), frames.V1_PROTOCOL)


def test_stderr_without_an_error_is_logged_not_sent() -> None:
    msg = {"header": {"msg_type": "stream"}, "content": {"name": "stderr", "text": "note\n"}}
    sent, detail = frames.clean_outgoing(msg)
    assert sent is None
    assert detail == "note\n"
    msg["content"] = {"name": "stdout", "text": "hello"}
    assert frames.clean_outgoing(msg) == (msg, "")
