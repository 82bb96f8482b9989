"""The audience's way in: the static site served beside the live apps, and its QR code.

``briefing serve`` serves the exported site (``briefing export``) at ``/site/``: the
presenter runs the live app while the room opens the static pages, which any number of
phones can read without a kernel each. Meeting mode shows a QR code of that address on
its title screen and on request (key ``Q``); the code is drawn here, by segno, as SVG.

The server's child process learns the folder and the address from the environment
(:data:`SITE_ENV`, :data:`AUDIENCE_URL_ENV`), set by ``briefing serve``.
"""

from __future__ import annotations

import io
import json
import os
import socket
from collections.abc import Mapping
from pathlib import Path
from typing import Any

SITE_ENV = "BRIEFING_SITE_DIR"
AUDIENCE_URL_ENV = "BRIEFING_AUDIENCE_URL"
SITE_PREFIX = "site"
#: Where meeting mode asks for the address (JSON) and its QR code (SVG).
AUDIENCE_PATH = "briefing/audience"


def lan_address() -> str | None:
    """This machine's address on its local network, or None.

    Connecting a UDP socket sends nothing: it only asks the system which interface would
    be used for that destination.
    """
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
        try:
            probe.connect(("10.255.255.255", 1))
            address = str(probe.getsockname()[0])
        except OSError:
            return None
    return None if address.startswith("127.") or address == "0.0.0.0" else address


def audience_url(ip: str, port: int, explicit: str | None = None) -> str:
    """The address the room opens: ``explicit`` if given, else ``http://HOST:PORT/site/``.

    ``HOST`` is ``ip``, or this machine's network address when the server listens on
    every interface (``0.0.0.0``).

    >>> audience_url("127.0.0.1", 8866)
    'http://127.0.0.1:8866/site/'
    >>> audience_url("0.0.0.0", 80, "https://briefing.example.org/")
    'https://briefing.example.org/'
    """
    if explicit:
        return explicit
    host = ip
    if ip in {"0.0.0.0", "::", ""}:
        host = lan_address() or "127.0.0.1"
    if ":" in host:
        host = f"[{host}]"
    return f"http://{host}:{port}/{SITE_PREFIX}/"


def qr_svg(url: str) -> str:
    """The QR code of ``url`` as a standalone SVG (dark modules on white, a quiet zone).

    >>> qr_svg("http://127.0.0.1:8866/site/").startswith("<?xml")
    True
    """
    import segno

    buffer = io.BytesIO()
    segno.make(url, error="m").save(buffer, kind="svg", scale=10, border=4, dark="#000",
                                    light="#fff", title=url)  # fmt: skip
    return buffer.getvalue().decode("utf-8")


def handlers(
    server_url: str, env: Mapping[str, str] | None = None
) -> list[tuple[str, Any, dict[str, Any]]]:
    """Tornado handlers for ``/site/`` (the exported folder) and the audience address.

    When the environment names no site folder (or one without ``index.html``), only the
    address's JSON is served, saying ``{"url": null}``: meeting mode then shows no QR code,
    and its question is answered without an error in the page's console.
    """
    from tornado import web

    env = os.environ if env is None else env
    folder = env.get(SITE_ENV)
    base = server_url.rstrip("/")
    if not folder or not (Path(folder) / "index.html").is_file():

        class NoAudienceHandler(web.RequestHandler):
            def get(self) -> None:
                self.set_header("Cache-Control", "no-store")
                self.set_header("Content-Type", "application/json; charset=utf-8")
                self.finish(json.dumps({"url": None}))

        return [(f"{base}/{AUDIENCE_PATH}\\.json", NoAudienceHandler, {})]
    configured = env.get(AUDIENCE_URL_ENV)

    class AudienceHandler(web.RequestHandler):
        def get(self, kind: str) -> None:
            request = self.request
            url = configured or f"{request.protocol}://{request.host}{base}/{SITE_PREFIX}/"
            self.set_header("Cache-Control", "no-store")
            if kind == ".svg":
                self.set_header("Content-Type", "image/svg+xml; charset=utf-8")
                self.finish(qr_svg(url))
            else:
                self.set_header("Content-Type", "application/json; charset=utf-8")
                self.finish(json.dumps({"url": url}))

    class SiteHandler(web.StaticFileHandler):
        def set_extra_headers(self, path: str) -> None:
            # Pages change with each export; scripts and data are re-checked cheaply (ETag).
            self.set_header("Cache-Control", "no-cache")

    return [
        (f"{base}/{SITE_PREFIX}", web.RedirectHandler, {"url": f"{base}/{SITE_PREFIX}/"}),
        (
            f"{base}/{SITE_PREFIX}/(.*)",
            SiteHandler,
            {"path": str(Path(folder).resolve()), "default_filename": "index.html"},
        ),
        (f"{base}/{AUDIENCE_PATH}(\\.svg|\\.json)", AudienceHandler, {}),
    ]
