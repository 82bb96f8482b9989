"""Kernel websocket frames: checked before Jupyter parses them, cleaned before viewers see them.

Jupyter Server 2 parses a binary frame by trusting its first bytes: the legacy layout's part
count (4 bytes) became a ``struct`` format string of that many letters, so a 32-byte frame
made the server allocate gigabytes; the ``v1.kernel.websocket.jupyter.org`` layout's count
(8 bytes) drove a loop of that many steps. :func:`frame_problem` checks the count and every
offset against the frame's length first.

The kernel's answers may carry a traceback with server paths: an ``error`` message (a widget
callback that raised), a failed reply, or text on ``stderr`` (ipykernel logs a failing
``comm_msg`` there). :func:`clean_outgoing` gives viewers :data:`SHORT_MESSAGE` instead and
returns the detail for the server log.
"""

from __future__ import annotations

import json
import re
import struct
from typing import Any

V1_PROTOCOL = "v1.kernel.websocket.jupyter.org"
#: Offsets of a v1 frame: where the channel, header, parent header, metadata, content (and
#: any buffers) start, and where the frame ends.
V1_MIN_OFFSETS = 6
#: More parts than any kernel message has (buffers included).
MAX_PARTS = 64
#: What a viewer sees instead of a traceback (the detail is in the server log).
SHORT_MESSAGE = "出错了，请刷新页面。Something went wrong; please reload the page."
_ANSI = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")
#: Text on stderr that tells of an error (anything else on stderr is only logged).
_ERROR_TEXT = re.compile(r"Traceback|Error|Exception")


def _offsets_problem(offsets: list[int], start: int, length: int) -> str | None:
    if offsets and offsets[0] < start:
        return "an offset points into the header"
    previous = start
    for offset in offsets:
        if offset < previous or offset > length:
            return "offsets out of order or beyond the frame"
        previous = offset
    return None


def frame_problem(frame: bytes, subprotocol: str | None) -> str | None:
    """What is wrong with a binary frame from a viewer, or None if it may be parsed.

    >>> frame_problem(struct.pack("!i", 2**30) + bytes(28), None)
    'part count 1073741824 does not fit a frame of 32 bytes'
    >>> frame_problem(struct.pack("!II", 1, 8) + b"{}", None) is None
    True
    >>> frame_problem((2**40).to_bytes(8, "little") + bytes(24), V1_PROTOCOL)
    'part count 1099511627776 does not fit a frame of 32 bytes'
    """
    length = len(frame)
    if subprotocol == V1_PROTOCOL:
        if length < 8:
            return "frame shorter than its part count"
        count = int.from_bytes(frame[:8], "little")
        if count > MAX_PARTS or 8 * (count + 1) > length:
            return f"part count {count} does not fit a frame of {length} bytes"
        if count < V1_MIN_OFFSETS:
            return f"{count} parts, a message has at least {V1_MIN_OFFSETS}"
        offsets = [int.from_bytes(frame[8 * (i + 1) : 8 * (i + 2)], "little") for i in range(count)]
        return _offsets_problem(offsets, 8 * (count + 1), length)
    if length < 4:
        return "frame shorter than its part count"
    count = struct.unpack("!i", frame[:4])[0]
    if count < 1 or count > MAX_PARTS or 4 * (count + 1) > length:
        return f"part count {count} does not fit a frame of {length} bytes"
    offsets = list(struct.unpack(f"!{count}I", frame[4 : 4 * (count + 1)]))
    return _offsets_problem(offsets, 4 * (count + 1), length)


# --------------------------------------------------------------------------
# From the kernel to the viewer
# --------------------------------------------------------------------------


def _clean_content(msg_type: str, content: dict[str, Any]) -> tuple[dict[str, Any] | None, str]:
    """The content a viewer may see (None: send nothing) and the detail to log ('' if none)."""
    if msg_type == "error" or content.get("status") == "error":
        detail = "\n".join(content.get("traceback") or []) or (
            f"{content.get('ename', '')}: {content.get('evalue', '')}"
        )
        cleaned = {**content, "ename": "Error", "evalue": SHORT_MESSAGE, "traceback": []}
        return cleaned, _ANSI.sub("", detail)
    if msg_type == "stream" and content.get("name") == "stderr":
        text = _ANSI.sub("", str(content.get("text", "")))
        if _ERROR_TEXT.search(text):
            return {**content, "text": SHORT_MESSAGE + "\n"}, text
        return None, text
    return content, ""


def _split_v1(frame: bytes) -> list[bytes] | None:
    """The channel and the message parts of a v1 frame (None if it is not one)."""
    if frame_problem(frame, V1_PROTOCOL) is not None:
        return None
    count = int.from_bytes(frame[:8], "little")
    offsets = [int.from_bytes(frame[8 * (i + 1) : 8 * (i + 2)], "little") for i in range(count)]
    return [frame[offsets[i] : offsets[i + 1]] for i in range(count - 1)]


def _join_v1(parts: list[bytes]) -> bytes:
    """A v1 frame of the channel and the message parts (as Jupyter Server writes it)."""
    offsets = [8 * (len(parts) + 2)]
    for part in parts:
        offsets.append(offsets[-1] + len(part))
    head = b"".join(n.to_bytes(8, "little") for n in (len(offsets), *offsets))
    return head + b"".join(parts)


def clean_outgoing(message: Any) -> tuple[Any, str]:
    """``(message to send, detail to log)`` for a message from the kernel to a viewer.

    ``message`` is what Jupyter writes on the websocket: a JSON string, a dict, or a v1
    binary frame. The message to send is None when nothing should be sent.

    >>> msg = {"header": {"msg_type": "error"}, "content": {"ename": "E", "evalue": "x",
    ...        "traceback": ["Traceback (most recent call last)", 'File "/srv/a.py"']}}
    >>> sent, detail = clean_outgoing(json.dumps(msg))
    >>> json.loads(sent)["content"]["traceback"], detail.splitlines()[1]
    ([], 'File "/srv/a.py"')
    >>> clean_outgoing('{"header": {"msg_type": "status"}, "content": {}}')[1]
    ''
    """
    if isinstance(message, bytes | bytearray | memoryview):
        frame = bytes(message)
        parts = _split_v1(frame)
        if parts is None:
            return message, ""
        try:
            msg_type = json.loads(parts[1]).get("msg_type", "")
            if msg_type not in ("error", "stream", "execute_reply"):
                return message, ""
            content = json.loads(parts[4])
        except (ValueError, AttributeError):
            return message, ""
        cleaned, detail = _clean_content(msg_type, content)
        if not detail:
            return message, ""
        if cleaned is None:
            return None, detail
        parts[4] = json.dumps(cleaned, ensure_ascii=False).encode()
        return _join_v1(parts), detail
    if isinstance(message, str):
        if '"error"' not in message and '"stderr"' not in message:
            return message, ""  # cheap: most messages are widget updates
        try:
            msg = json.loads(message)
        except ValueError:
            return message, ""
        cleaned_msg, detail = clean_outgoing(msg)
        if not detail:
            return message, ""
        return (None if cleaned_msg is None else json.dumps(cleaned_msg)), detail
    if isinstance(message, dict):
        msg_type = (message.get("header") or {}).get("msg_type", "")
        content = message.get("content")
        if not isinstance(content, dict):
            return message, ""
        cleaned, detail = _clean_content(msg_type, content)
        if not detail:
            return message, ""
        return (None if cleaned is None else {**message, "content": cleaned}), detail
    return message, ""
