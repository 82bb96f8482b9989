"""What a script on loopback says to the server, below the browser: HTTP requests sent as
written, raw request lines, pages fetched without claiming their kernel, and the kernel's
websocket with the messages and frame layouts it speaks.

Kept beside ``browser_harness`` (the server and the browser) for the tests that attack the
server directly; each function takes the server's port or base URL, not a test's site.
"""

from __future__ import annotations

import http.client
import json
import re
import socket
import struct
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from websockets.sync.client import ClientConnection, connect
from websockets.typing import Subprotocol

#: The binary subprotocol of the kernel websocket, the one Voila's pages speak.
V1_SUBPROTOCOL = Subprotocol("v1.kernel.websocket.jupyter.org")
REDIRECTS = frozenset({301, 302, 303, 307, 308})


# --------------------------------------------------------------------------
# HTTP
# --------------------------------------------------------------------------


def http_request(
    port: int,
    method: str,
    path: str,
    *,
    headers: dict[str, str] | None = None,
    body: bytes | None = None,
    timeout: float = 90,
    follow: int = 0,
) -> tuple[int, str, http.client.HTTPMessage]:
    """Send ``path`` exactly as written (no normalisation) to the server on ``port``.

    With ``follow``, follow up to that many redirects within this machine (as GET requests);
    one more is an error. Without it, a redirect is returned as it came.
    """
    for _ in range(follow + 1):
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
        try:
            connection.request(method, path, body=body, headers=headers or {})
            response = connection.getresponse()
            text = response.read().decode("utf-8", errors="replace")
        finally:
            connection.close()
        location = response.getheader("Location")
        if follow and response.status in REDIRECTS and location:
            parts = urlsplit(location)
            assert parts.hostname in (None, "127.0.0.1", "localhost"), location
            path = parts.path + (f"?{parts.query}" if parts.query else "")
            method, body = "GET", None
            continue
        return response.status, text, response.headers
    raise AssertionError(f"too many redirects from {path}")


def raw_status(port: int, request_line: bytes) -> int:
    """Send ``request_line`` as it is over a plain socket; the status answered (0 if none)."""
    with socket.create_connection(("127.0.0.1", port), timeout=15) as sock:
        sock.sendall(request_line + b"\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
        answer = b""
        while chunk := sock.recv(65536):
            answer += chunk
    return int(answer.split(b" ", 2)[1]) if answer.startswith(b"HTTP/") else 0


@dataclass
class Rendered:
    """A page as a script got it: its kernel (never claimed) and the cookies to release it."""

    status: int
    body: str
    kernel_id: str | None
    cookie: str
    xsrf: str | None

    @classmethod
    def parse(cls, status: int, body: str, headers: http.client.HTTPMessage) -> Rendered:
        found = re.search(r'"kernelId":\s*"([^"]+)"', body)
        cookies = dict(
            part.split(";", 1)[0].split("=", 1) for part in headers.get_all("Set-Cookie") or []
        )
        return cls(
            status,
            body,
            found.group(1) if found else None,
            "; ".join(f"{k}={v}" for k, v in cookies.items()),
            cookies.get("_xsrf"),
        )


def shutdown(port: int, page: Rendered, *, timeout: float = 90, follow: int = 0) -> None:
    """Shut the kernel of ``page`` down as its unload beacon would (if it has one)."""
    if page.kernel_id and page.xsrf is not None:
        http_request(
            port,
            "POST",
            f"/voila/api/shutdown/{page.kernel_id}",
            headers={"Cookie": page.cookie, "X-XSRFToken": page.xsrf},
            timeout=timeout,
            follow=follow,
        )


# --------------------------------------------------------------------------
# Websockets
# --------------------------------------------------------------------------


def websocket_url(base_url: str, path: str) -> str:
    """The ``ws://`` URL of ``path`` on the server at ``base_url``.

    >>> websocket_url("http://127.0.0.1:8866/", "voila/query/x")
    'ws://127.0.0.1:8866/voila/query/x'
    """
    return base_url.replace("http://", "ws://") + path


def kernel_socket(
    base_url: str,
    kernel_id: str,
    cookie: str,
    *,
    origin: str | None = None,
    v1: bool = False,
    session_id: str | None = None,
    open_timeout: float = 15,
) -> ClientConnection:
    """Open the channels websocket of a kernel from ``origin`` (by default the server's own),
    in the JSON layout or (``v1``) the binary one, as session ``session_id`` (by default a
    new one; the same one again is a reconnection)."""
    session_id = session_id or str(uuid.uuid4())
    url = websocket_url(base_url, f"api/kernels/{kernel_id}/channels?session_id={session_id}")
    return connect(
        url,
        additional_headers={"Cookie": cookie, "Origin": origin or base_url.rstrip("/")},
        subprotocols=[V1_SUBPROTOCOL] if v1 else None,
        open_timeout=open_timeout,
        max_size=None,
    )


def received(ws: ClientConnection, seconds: float) -> Iterator[str | bytes]:
    """The frames the server sends within ``seconds``, as they come."""
    deadline = time.monotonic() + seconds
    while (left := deadline - time.monotonic()) > 0:
        try:
            frame = ws.recv(timeout=left)
        except TimeoutError:
            return
        yield frame


def frames_for(ws: ClientConnection, seconds: float) -> list[str]:
    """Every frame the server sends within ``seconds``, as text."""
    return [
        frame if isinstance(frame, str) else frame.decode("utf-8", "replace")
        for frame in received(ws, seconds)
    ]


# --------------------------------------------------------------------------
# Kernel messages and their frames
# --------------------------------------------------------------------------


def message(msg_type: str, content: dict[str, Any], channel: str = "shell") -> dict[str, Any]:
    """A kernel message from a viewer's session, ready for :func:`json.dumps`."""
    return {
        "header": {
            "msg_id": uuid.uuid4().hex,
            "msg_type": msg_type,
            "username": "viewer",
            "session": uuid.uuid4().hex,
            "date": "2023-07-01T00:00:00Z",
            "version": "5.3",
        },
        "parent_header": {},
        "metadata": {},
        "content": content,
        "channel": channel,
        "buffers": [],
    }


def v1_frame(msg: dict[str, Any], channel: str) -> bytes:
    """A message in the ``v1.kernel.websocket.jupyter.org`` binary layout."""
    parts = [
        json.dumps(msg[key]).encode() for key in ("header", "parent_header", "metadata", "content")
    ]
    offsets = [8 * (1 + 1 + len(parts) + 1)]
    offsets.append(offsets[-1] + len(channel.encode()))
    for part in parts:
        offsets.append(offsets[-1] + len(part))
    head = b"".join(n.to_bytes(8, "little") for n in (len(offsets), *offsets))
    return head + channel.encode() + b"".join(parts)


def legacy_binary_frame(msg: dict[str, Any]) -> bytes:
    """A message in the older binary layout (big-endian part count and offsets, then JSON)."""
    body = json.dumps({k: v for k, v in msg.items() if k != "buffers"}).encode()
    return struct.pack("!II", 1, 8) + body


def parse_frame(frame: str | bytes, v1: bool) -> tuple[dict[str, Any], dict[str, Any]]:
    """The header and parent header of a frame from the server."""
    if isinstance(frame, str):
        msg = json.loads(frame)
        return msg["header"], msg["parent_header"]
    if not v1:  # the older binary layout: the first part is the message as JSON
        count = struct.unpack("!I", frame[:4])[0]
        offsets = [*struct.unpack(f"!{count}I", frame[4 : 4 * (count + 1)]), len(frame)]
        msg = json.loads(frame[offsets[0] : offsets[1]])
        return msg["header"], msg["parent_header"]
    count = int.from_bytes(frame[:8], "little")
    offsets = [int.from_bytes(frame[8 * (i + 1) : 8 * (i + 2)], "little") for i in range(count)]
    return json.loads(frame[offsets[1] : offsets[2]]), json.loads(frame[offsets[2] : offsets[3]])


def replies_to(
    ws: ClientConnection,
    msg_ids: set[str],
    seconds: float,
    *,
    v1: bool = False,
    until: str | None = None,
) -> list[str]:
    """Types of the messages answering any of ``msg_ids`` within ``seconds`` (or until a
    message of type ``until`` arrives)."""
    answered = []
    for frame in received(ws, seconds):
        header, parent = parse_frame(frame, v1)
        if parent.get("msg_id") in msg_ids:
            answered.append(header["msg_type"])
            if header["msg_type"] == until:
                break
    return answered
