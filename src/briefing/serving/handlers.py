"""Request handlers that apply the limits and checks of :mod:`briefing.serving`.

Imported by the server process only (it imports Voila and Jupyter Server).
"""

from __future__ import annotations

import ipaddress
import os
from pathlib import Path, PurePosixPath
from typing import Any
from urllib.parse import unquote, unquote_to_bytes

from tornado import httputil, web
from tornado.routing import Matcher
from voila.request_info_handler import RequestInfoSocketHandler
from voila.tornado.kernel_websocket_handler import VoilaKernelWebsocketHandler

from briefing.serving import frames
from briefing.serving.limits import Guard, PageTicket, ServingLimits, current_page
from briefing.serving.pool import Retheme, pool_theme

GUARD_SETTING = "briefing_guard"
HIDDEN_PREFIX = "staff_"

BUSY_PAGE = """<!DOCTYPE html>
<html lang="zh-CN"><head><meta charset="utf-8"><title>服务器繁忙 · Server busy</title>
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<style>body{{font-family:sans-serif;max-width:36em;margin:4em auto;padding:0 1em;
line-height:1.6;color:#1a1a1a;background:#fff}}a{{color:#0b57d0}}</style></head>
<body><main>
<h1>服务器繁忙，请稍后再试</h1>
<p>{zh}请在 {seconds} 秒后<a href="">刷新页面</a>。</p>
<h2 lang="en">The server is busy, please retry</h2>
<p lang="en">{en} Please <a href="">reload the page</a> in {seconds} seconds.</p>
</main></body></html>
"""
TOO_MANY_PAGES = (
    "您已打开的简报页面太多，请先关闭一些。",
    "You have too many briefing pages open.",
)
SERVER_FULL = ("现在查看简报的人太多。", "Too many people are viewing the briefings right now.")


def guard_of(handler: web.RequestHandler) -> Guard | None:
    guard = handler.settings.get(GUARD_SETTING)
    return guard if isinstance(guard, Guard) else None


def _is_loopback(address: str) -> bool:
    try:
        return ipaddress.ip_address(address).is_loopback
    except ValueError:
        return False


def client_of(request: httputil.HTTPServerRequest) -> str:
    """The address of the viewer behind a request.

    Voila's server ignores proxy headers, so behind nginx every request comes from the
    loopback address: from there, ``X-Real-IP`` (deploy/nginx-briefing.conf sets it) names
    the viewer. A header from any other peer is ignored (it could be made up).

    >>> from tornado.httputil import HTTPHeaders, HTTPServerRequest, RequestStartLine
    >>> req = HTTPServerRequest(start_line=RequestStartLine("GET", "/", "HTTP/1.1"),
    ...     headers=HTTPHeaders({"Host": "a", "X-Real-IP": "203.0.113.7"}))
    >>> req.remote_ip = "127.0.0.1"
    >>> client_of(req)
    '203.0.113.7'
    >>> req.remote_ip = "198.51.100.2"
    >>> client_of(req)
    '198.51.100.2'
    """
    peer = str(request.remote_ip)
    forwarded = request.headers.get("X-Real-IP", "").strip()
    if forwarded and _is_loopback(peer):
        try:
            return str(ipaddress.ip_address(forwarded))
        except ValueError:
            return peer
    return peer


def busy_page(status: int, retry_after_s: int) -> str:
    """The bilingual page of a refused page view (429: this client, 503: everyone)."""
    zh, en = TOO_MANY_PAGES if status == 429 else SERVER_FULL
    return BUSY_PAGE.format(zh=zh, en=en, seconds=retry_after_s)


def refuse_busy(handler: web.RequestHandler, guard: Guard, status: int, reason: str) -> None:
    client = client_of(handler.request)
    handler.log.warning("Busy page to %s: %s.", client, reason)  # type: ignore[attr-defined]
    handler.set_status(status)
    handler.set_header("Retry-After", str(guard.limits.retry_after_s))
    handler.set_header("Content-Type", "text/html; charset=UTF-8")
    handler.set_header("Cache-Control", "no-store")
    handler.finish(busy_page(status, guard.limits.retry_after_s))


# --------------------------------------------------------------------------
# Paths
# --------------------------------------------------------------------------


def malformed_target(path: str, query: str) -> str | None:
    """What makes a request's path or query malformed (NUL, CR, LF, not UTF-8), or None.

    ``path`` and ``query`` are as received (percent-encoded).

    >>> malformed_target("/voila/render/%00.ipynb", ""), malformed_target("/a%ff", "")
    ('control character', 'not UTF-8')
    >>> malformed_target("/voila/render/01.ipynb", "lang=en&q=%E5%A4%A7") is None
    True
    """
    for part in (path, query.replace("+", " ")):
        raw = unquote_to_bytes(part)
        if any(byte in raw for byte in (0, 10, 13)):
            return "control character"
        try:
            raw.decode("utf-8")
        except UnicodeDecodeError:
            return "not UTF-8"
    return None


class MalformedRequest(Matcher):
    """Matches requests whose path or query is malformed (see :func:`malformed_target`)."""

    def match(self, request: httputil.HTTPServerRequest) -> dict[str, Any] | None:
        if malformed_target(request.path or "", request.query or ""):
            return {}
        return None


class MalformedRequestHandler(web.RequestHandler):
    """400, one log line (the access log's), no traceback."""

    def prepare(self) -> None:
        self.set_status(400)
        self.set_header("Content-Type", "text/plain; charset=UTF-8")
        self.finish("400: 请求格式有误 · Bad request\n")


def is_hidden_file(root: str | os.PathLike[str], path: str) -> bool:
    """Whether ``path`` (relative to the served folder ``root``) leads, symbolic links
    followed, outside ``root`` or to a file or folder whose name starts with ``staff_``."""
    base = Path(root).resolve()
    text = unquote(path or "").replace("\\", "/").lstrip("/")
    try:
        resolved = (base / text).resolve()
        relative = resolved.relative_to(base)
    except (ValueError, OSError, RuntimeError):
        return True
    return any(part.startswith(HIDDEN_PREFIX) for part in PurePosixPath(relative).parts)


def hide_linked_files(contents_manager: Any) -> None:
    """Make the listing of ``contents_manager`` leave out what :func:`is_hidden_file` hides
    (a link named ``progress.ipynb`` to a staff notebook, say)."""
    original = contents_manager._dir_model

    def dir_model(path: str, content: bool = True) -> Any:
        model = original(path, content=content)
        if content and isinstance(model.get("content"), list):
            root = contents_manager.root_dir
            model["content"] = [
                item for item in model["content"] if not is_hidden_file(root, item["path"])
            ]
        return model

    contents_manager._dir_model = dir_model


# --------------------------------------------------------------------------
# Websockets
# --------------------------------------------------------------------------


class GuardedKernelWebsocketHandler(VoilaKernelWebsocketHandler):  # type: ignore[misc]
    """A page's kernel websocket, bounded and checked:

    * beyond the socket limits of :class:`~briefing.serving.limits.ServingLimits`: 429;
    * a binary frame whose part count or offsets do not fit it: not parsed, socket closed;
    * errors and stderr from the kernel: a short message to the viewer, detail to the log;
    * the last socket of a kernel closed: the kernel is released after a grace period.
    """

    _briefing_client: str | None = None

    async def get(self, kernel_id: str, *args: Any, **kwargs: Any) -> None:
        guard = guard_of(self)
        if guard is not None:
            client = client_of(self.request)
            why = guard.socket_refusal(kernel_id, client)
            if why:
                self.log.warning("Websocket refused to %s: %s.", client, why)
                self.set_status(429)
                self.finish("429: too many connections\n")
                return
        await super().get(kernel_id, *args, **kwargs)

    async def open(self, kernel_id: str, *args: Any, **kwargs: Any) -> None:
        guard = guard_of(self)
        if guard is not None:
            self._briefing_client = client_of(self.request)
            guard.socket_opened(kernel_id, self._briefing_client, self)
        await super().open(kernel_id, *args, **kwargs)

    def on_message(self, message: str | bytes) -> Any:
        if isinstance(message, bytes):
            protocol = self.selected_subprotocol
            problem = frames.frame_problem(message, protocol)
            if problem:
                self.log.warning(
                    "Closed the websocket of %s on kernel %s: malformed websocket frame (%s).",
                    self.request.remote_ip,
                    getattr(self, "kernel_id", "?"),
                    problem,
                )
                self.close(1007, "malformed frame")
                return None
        try:
            return super().on_message(message)
        except Exception as error:  # a frame Jupyter cannot parse: one line, no traceback
            self.log.warning(
                "Closed the websocket of %s: unreadable message (%s).",
                self.request.remote_ip,
                type(error).__name__,
            )
            self.close(1007, "unreadable message")
            return None

    def write_message(self, message: Any, binary: bool = False) -> Any:
        cleaned, detail = frames.clean_outgoing(message)
        if detail:
            self.log.warning(
                "Kernel %s reported an error (the viewer saw a short message):\n%s",
                getattr(self, "kernel_id", "?"),
                detail.rstrip(),
            )
        if cleaned is None:
            return None
        return super().write_message(cleaned, binary=binary)

    def on_close(self) -> None:
        guard = guard_of(self)
        if guard is not None and self._briefing_client is not None:
            guard.socket_closed(getattr(self, "kernel_id", ""), self._briefing_client, self)
        super().on_close()


class GuardedRequestInfoHandler(RequestInfoSocketHandler):  # type: ignore[misc]
    """Voila's ``/voila/query/<kernel id>``: where a pre-heated kernel hears of its viewer.

    Only a kernel of this server may listen, from this machine, with one socket at a time;
    Voila's handler took any id from anyone, and closing one of two sockets on a made-up
    id removed the listener of a real kernel, whose next viewer then waited for good.
    """

    _briefing_kernel: str | None = None

    async def get(self, kernel_id: str, *args: Any, **kwargs: Any) -> None:
        manager = self.settings.get("kernel_manager")
        known = manager is not None and kernel_id in manager.list_kernel_ids()
        waiters = RequestInfoSocketHandler._waiters
        local = _is_loopback(self.request.remote_ip) and "X-Real-IP" not in self.request.headers
        if not known or not local or kernel_id in waiters:
            self.set_status(404 if not known else 403)
            self.finish()
            return
        await super().get(kernel_id, *args, **kwargs)

    def open(self, kernel_id: str) -> None:
        self._briefing_kernel = kernel_id
        RequestInfoSocketHandler._waiters[kernel_id] = self
        payload = RequestInfoSocketHandler._cache.pop(kernel_id, None)
        if payload is not None:
            self.write_message(payload)

    def on_close(self) -> None:
        waiters = RequestInfoSocketHandler._waiters
        if self._briefing_kernel is not None and waiters.get(self._briefing_kernel) is self:
            del waiters[self._briefing_kernel]


# --------------------------------------------------------------------------
# Pages
# --------------------------------------------------------------------------


class GuardedRenderMixin:
    """For Voila's render handler: the page limits, the pool for every theme, and the
    kernel of the page recorded for :class:`~briefing.serving.limits.Guard`."""

    request: httputil.HTTPServerRequest
    settings: dict[str, Any]
    _briefing_ticket: PageTicket | None = None
    _briefing_retheme: Retheme | None = None

    def guard_page(self, configured_theme: str) -> bool:
        """Called by ``prepare``: False if the request was answered with the busy page."""
        guard = guard_of(self)  # type: ignore[arg-type]
        if guard is not None:
            refused = guard.page_refusal(client_of(self.request))
            if refused:
                refuse_busy(self, guard, *refused)  # type: ignore[arg-type]
                return False
        themes = self.request.arguments.get("theme", [])
        requested = themes[-1].decode("utf-8", "replace") if themes else None
        theme = pool_theme(requested, configured_theme)
        if theme is not None:
            # Voila then serves the page from the pool, rendered in the default theme.
            self.request.arguments.pop("theme", None)
            self.request.query_arguments.pop("theme", None)
            self._briefing_retheme = Retheme(theme)
        return True

    async def get(self, *args: Any, **kwargs: Any) -> None:
        self._briefing_ticket = PageTicket(client_of(self.request))
        token = current_page.set(self._briefing_ticket)
        try:
            await super().get(*args, **kwargs)  # type: ignore[misc]
        finally:
            current_page.reset(token)

    def write(self, chunk: Any) -> None:
        if self._briefing_retheme is not None and isinstance(chunk, str):
            chunk = self._briefing_retheme(chunk)
        super().write(chunk)  # type: ignore[misc]

    def on_finish(self) -> None:
        guard = guard_of(self)  # type: ignore[arg-type]
        ticket = self._briefing_ticket
        if guard is not None and ticket is not None and ticket.kernel_id:
            guard.rendered(ticket.kernel_id)
        super().on_finish()  # type: ignore[misc]


def install(app: Any, settings: dict[str, Any]) -> Guard:
    """Set the limits and the guard up for a Voila application, once its settings are made."""
    limits = ServingLimits(parent=app)
    guard = Guard(limits, app.kernel_manager, app.log)
    settings[GUARD_SETTING] = guard
    app.kernel_manager.briefing_guard = guard
    hide_linked_files(app.contents_manager)
    return guard


#: Voila's handlers and the ones that replace them.
REPLACEMENTS: dict[type[Any], type[Any]] = {
    VoilaKernelWebsocketHandler: GuardedKernelWebsocketHandler,
    RequestInfoSocketHandler: GuardedRequestInfoHandler,
}
#: The first handler spec: malformed requests, before any handler parses them.
MALFORMED_SPEC = (MalformedRequest(), MalformedRequestHandler)
