"""Small ipywidgets building blocks shared by every app: language toggle, sections, cards, errors.

Everything that turns text into HTML escapes it here, so data or a viewer's query can never
inject markup. Callback errors are caught, logged with their traceback, and shown to the
viewer as one short sentence.
"""

from __future__ import annotations

import functools
import html
import logging
import os
from collections.abc import Callable, Iterable
from typing import Any, ParamSpec, TypeVar
from urllib.parse import parse_qs

import ipywidgets as W

from briefing import pagemode
from briefing.i18n import DEFAULT_LANG, LANGS, tr
from briefing.pagemode import PageMode

log = logging.getLogger("briefing")

SECTION_CLASS = "briefing-section"
P = ParamSpec("P")
R = TypeVar("R")


def esc(value: object) -> str:
    """Escape any value for HTML text or attribute content.

    Examples
    --------
    >>> esc('<img src=x onerror="alert(1)">')
    '&lt;img src=x onerror=&quot;alert(1)&quot;&gt;'
    """
    return html.escape(str(value), quote=True)


def in_jupyterlab(env: dict[str, str] | None = None) -> bool:
    """Whether the kernel was started by JupyterLab (not by Voila, not by a test or export).

    JupyterLab's server names the notebook of each kernel it starts in ``JPY_SESSION_NAME``;
    Voila puts ``VOILA_*`` variables in its kernels' environment.

    Examples
    --------
    >>> in_jupyterlab({"JPY_SESSION_NAME": "notebooks/01_industry.ipynb"})
    True
    >>> in_jupyterlab({"JPY_SESSION_NAME": "x", "VOILA_KERNEL_ID": "k"}), in_jupyterlab({})
    (False, False)
    >>> in_jupyterlab({"JPY_SESSION_NAME": "x", "BRIEFING_STATIC_EXPORT": "1"})
    False
    """
    env = dict(os.environ) if env is None else env
    if env.get("BRIEFING_STATIC_EXPORT") == "1":  # ``briefing export`` run from a notebook
        return False
    return bool(env.get("JPY_SESSION_NAME")) and not any(k.startswith("VOILA_") for k in env)


def app_link(notebook: str, title: str) -> str:
    """A link to another app; in JupyterLab, where such links cannot work, its notebook's name.

    Examples
    --------
    >>> app_link("01_industry.ipynb", "产业发展")
    "<a href='01_industry.ipynb'>产业发展</a>"
    """
    if in_jupyterlab():
        return f"<span class='briefing-lab-link'>{esc(title)} (<code>{esc(notebook)}</code>)</span>"
    return f"<a href='{esc(notebook)}'>{esc(title)}</a>"


def query_params() -> dict[str, str]:
    """Return the page's query parameters under Voila (first value of each), else empty.

    Voila passes the query string in ``QUERY_STRING``; with preheated kernels the kernel
    starts before the request, so the query string is fetched from Voila when asked (and
    the kernel does the work every app needs while it waits: see :func:`prepare`).
    """
    query = os.environ.get("QUERY_STRING")
    if waiting_for_viewer():  # pragma: no cover - only in a pre-heated Voila kernel
        prepare()
        query = wait_for_request() or ""
    parsed = parse_qs(query or "", keep_blank_values=False)
    return {key: values[0] for key, values in parsed.items() if values}


def voila_query_url(environ: dict[str, str] | None = None) -> str:
    """Where a pre-heated kernel hears of its viewer: Voila's query websocket for this kernel.

    The address is built from the variables Voila sets in the kernel, as Voila's own
    ``voila.utils.wait_for_request`` builds it.

    Examples
    --------
    >>> voila_query_url({"VOILA_APP_PORT": "8866", "VOILA_KERNEL_ID": "k1",
    ...                  "VOILA_SERVER_URL": "/apps/"})
    'ws://127.0.0.1:8866/apps/voila/query/k1'
    """
    env = os.environ if environ is None else environ
    protocol = env.get("VOILA_WS_PROTOCOL", "ws")
    host = env.get("VOILA_APP_IP", "127.0.0.1")
    port = env.get("VOILA_APP_PORT", "8866")
    base = env.get("VOILA_WS_BASE_URL", env.get("VOILA_SERVER_URL", "/"))
    return f"{protocol}://{host}:{port}{base}voila/query/{env.get('VOILA_KERNEL_ID', '')}"


def wait_for_request() -> str | None:  # pragma: no cover - only in a pre-heated Voila kernel
    """Wait for the viewer's request; put its details (``QUERY_STRING``…) in the environment.

    What ``voila.utils.get_query_string`` does, without importing ``voila.utils``: that module
    imports Jupyter Server and JupyterLab's server, which cost every pooled kernel about 1.5 s
    of CPU and 30 MiB. Voila sends the request as one JSON message on the kernel's query
    websocket once a viewer takes the kernel. Should that fail, Voila's helper is used.
    """
    import asyncio
    import json
    import threading

    received: list[str] = []
    failed: list[BaseException] = []

    async def listen() -> None:
        from websockets.asyncio.client import connect

        async with connect(voila_query_url(), open_timeout=5, max_size=None) as socket:
            message = await socket.recv()
            received.append(message if isinstance(message, str) else message.decode())

    def run() -> None:  # the kernel's own event loop is busy running this cell
        try:
            asyncio.run(listen())
        except BaseException as error:  # reported below, then Voila's way is tried
            failed.append(error)

    thread = threading.Thread(target=run, name="briefing-wait-for-request")
    thread.start()
    thread.join()
    if failed or not received:
        log.warning("waiting for the request failed (%r): using Voila's helper", failed)
        from voila.utils import get_query_string

        query: str | None = get_query_string()
        return query
    for key, value in json.loads(received[0]).items():
        os.environ[key] = value
    return os.environ.get("QUERY_STRING")


def waiting_for_viewer() -> bool:
    """Whether this is a pre-heated Voila kernel whose page was not requested yet.

    Such a kernel runs its notebook ahead of any viewer; the page's URL (its query string)
    is known only once a viewer asks for it.
    """
    return os.environ.get("QUERY_STRING") is None and os.environ.get("VOILA_PREHEAT") == "True"


def prepare() -> None:
    """Load and validate the data (importing pandas) ahead of need.

    A pre-heated kernel runs its app's notebook before anyone asks for the page, up to the
    point where the app needs the page's query string; doing this first means a viewer no
    longer waits for it. (Altair is not needed: the apps' charts are written as Vega-Lite
    JSON, see :mod:`briefing.vegalite`.) Failures are left for the app to report when it is
    built.
    """
    try:
        from briefing import data

        data.load()
    except Exception:
        log.debug("preparing ahead of the request failed", exc_info=True)


def initial_lang(params: dict[str, str] | None = None) -> str:
    """The language asked for in the URL (``?lang=en``), else Chinese.

    Examples
    --------
    >>> initial_lang({"lang": "en"}), initial_lang({"lang": "fr"}), initial_lang({})
    ('en', 'zh', 'zh')
    """
    lang = (params if params is not None else query_params()).get("lang", DEFAULT_LANG)
    return lang if lang in LANGS else DEFAULT_LANG


def page_mode(params: dict[str, str] | None = None) -> PageMode:
    """The page's language, theme and meeting mode from its URL, made this kernel's mode.

    Examples
    --------
    >>> page_mode({"lang": "en", "theme": "dark"}).dark
    True
    >>> _ = page_mode({})
    """
    mode = PageMode.from_params(params if params is not None else query_params())
    pagemode.use(mode)
    return mode


def language_toggle(lang: str = DEFAULT_LANG) -> W.ToggleButtons:
    """The 中文 / English switch every app carries in its header."""
    toggle = W.ToggleButtons(
        options=[("中文", "zh"), ("English", "en")],
        value=lang,
        tooltips=["切换为中文", "Switch to English"],
        style={"button_width": "88px"},
    )
    toggle.add_class("briefing-lang")
    return toggle


def section(*children: W.Widget, name: str = "") -> W.VBox:
    """A top-level block of an app: one screen in presentation mode."""
    box = W.VBox(list(children), layout=W.Layout(width="100%", margin="0 0 18px 0"))
    box.add_class(SECTION_CLASS)
    if name:
        box.add_class(f"briefing-section-{name}")
    return box


def name_control(widget: W.Widget, name: str) -> None:
    """Give a control its accessible name: its label holds ``name`` but is shown only to
    screen readers (the control sits under a heading that says what it filters)."""
    widget.description = name
    widget.add_class("briefing-quiet-label")


def heading(text: str, level: int = 2) -> str:
    """An escaped HTML heading."""
    return f"<h{level} class='briefing-h'>{esc(text)}</h{level}>"


def error_html(lang: str, detail: str | None = None) -> str:
    """The short message a viewer sees instead of a traceback."""
    message = tr("error", lang) if detail is None else tr("data_error", lang) + detail
    return f"<div class='briefing-error' role='alert'>{esc(message)}</div>"


def guarded(
    panel: W.HTML, lang: Callable[[], str]
) -> Callable[[Callable[P, R]], Callable[P, R | None]]:
    """Decorate a widget callback so an exception is logged and shown politely in ``panel``.

    The traceback goes to the ``briefing`` logger (the server log), never to the page.
    """

    def decorate(func: Callable[P, R]) -> Callable[P, R | None]:
        @functools.wraps(func)
        def wrapper(*args: P.args, **kwargs: P.kwargs) -> R | None:
            try:
                result = func(*args, **kwargs)
            except Exception:
                log.exception("callback %s failed", func.__qualname__)
                panel.value = error_html(lang())
                return None
            if panel.value:
                panel.value = ""
            return result

        return wrapper

    return decorate


def safe_app(build: Callable[[str], W.Widget], lang: str = DEFAULT_LANG) -> W.Widget:
    """Build an app, or a polite message if building it fails (bad data, a bug).

    A :class:`~briefing.errors.DataError` is shown with its location, which names only a
    file of the data folder; anything else shows the generic message. Both are logged.
    """
    from briefing.errors import DataError

    try:
        return build(lang)
    except DataError as error:
        log.exception("data error while building the app")
        return W.HTML(error_html(lang, str(error)))
    except Exception:
        log.exception("building the app failed")
        return W.HTML(error_html(lang))


def card(value: str, label: str, *, note: str = "", fact_id: str = "") -> str:
    """One headline card (escaped HTML). ``value`` carries its unit and qualifier as written."""
    note_html = f"<div class='n'>{esc(note)}</div>" if note else ""
    # A card of a figure is a control: a click or Enter shows its source (briefing.bridge).
    control = " role='button' tabindex='0'" if fact_id else ""
    return (
        f"<div class='briefing-card' data-fact-id='{esc(fact_id)}'{control}>"
        f"<div class='num'>{esc(value)}</div><div class='l'>{esc(label)}</div>{note_html}</div>"
    )


def card_grid(cards: Iterable[str]) -> str:
    """Cards laid out in a wrapping grid."""
    return f"<div class='briefing-cards'>{''.join(cards)}</div>"


_STYLE_RULES = """
.briefing-app { font-family: "Noto Sans CJK SC", "Source Han Sans SC", "PingFang SC",
  "Microsoft YaHei", "WenQuanYi Micro Hei", sans-serif; font-size: 16px;
  color: var(--briefing-text); background: var(--briefing-background);
  max-width: 1240px; box-sizing: border-box; }
.briefing-app * { box-sizing: border-box; }
.briefing-h { margin: 8px 0 10px; font-weight: 600; }
.briefing-cards { display: grid; grid-template-columns: repeat(auto-fill, minmax(190px, 1fr));
  gap: 10px; }
.briefing-card { border: 1px solid var(--briefing-border);
  border-left: 5px solid var(--briefing-accent); border-radius: 6px;
  padding: 10px 12px; background: var(--briefing-surface); color: var(--briefing-text); }
.briefing-card .num { font-size: 28px; font-weight: 700; color: var(--briefing-value);
  line-height: 1.2; overflow-wrap: anywhere; }
.briefing-card .u { font-size: 16px; margin-left: 2px; }
.briefing-card .q { font-size: 16px; color: var(--briefing-qualifier); margin: 0 2px; }
.briefing-card .l { font-size: 14px; margin-top: 4px; line-height: 1.4; }
.briefing-card .n { font-size: 12px; color: var(--briefing-muted); margin-top: 2px; }
.briefing-error { border: 1px solid var(--briefing-error-text);
  background: var(--briefing-error-bg); color: var(--briefing-error-text);
  padding: 10px 12px; border-radius: 6px; }
.briefing-source { border-left: 4px solid var(--briefing-tasks);
  background: var(--briefing-source-bg); color: var(--briefing-text); padding: 10px 14px;
  line-height: 1.8; }
.briefing-source mark { background: var(--briefing-highlight); color: var(--briefing-text);
  padding: 0 2px; }
.briefing-source .meta { font-size: 13px; color: var(--briefing-muted); }
.briefing-table { border-collapse: collapse; width: 100%; font-size: 14px; }
.briefing-table th, .briefing-table td { border-bottom: 1px solid var(--briefing-border);
  padding: 4px 6px; text-align: left; vertical-align: top; }
.briefing-muted { color: var(--briefing-muted); font-size: 13px; }
.briefing-app .widget-html-content { overflow-wrap: break-word; line-height: 1.5; }
.briefing-blurb { font-size: 17px; margin: 2px 0 4px; }
.briefing-nav-links { font-size: 15px; }
.briefing-app a { color: var(--briefing-link); }
.briefing-tag { color: var(--briefing-qualifier); font-size: 13px; }
.briefing-list li { margin: 4px 0; }
.briefing-app .widget-button.briefing-row { text-align: left; }
.briefing-app .vega-embed { background: var(--briefing-background); }
.briefing-quiet-label > label.widget-label { position: absolute !important; width: 1px;
  height: 1px; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; margin: 0;
  padding: 0; }
.briefing-claims { list-style: none; margin: 0 0 6px; padding: 0; }
.briefing-claim { display: flex; align-items: baseline; gap: 14px; padding: 7px 10px;
  border: 0; border-left: 5px solid var(--briefing-accent); background: var(--briefing-surface);
  margin: 0 0 6px; cursor: pointer; border-radius: 4px; width: 100%; text-align: left;
  font: inherit; color: var(--briefing-text); }
.briefing-claim:hover, .briefing-claim:focus { outline: 2px solid var(--briefing-accent); }
.briefing-claim .fig { font-size: 22px; font-weight: 700; color: var(--briefing-value);
  white-space: nowrap;
  min-width: 150px; }
.briefing-claim .s { font-size: 17px; line-height: 1.4; }
.briefing-card[data-fact-id], .briefing-badge { cursor: pointer; }
.briefing-card[data-fact-id]:hover { border-color: var(--briefing-accent); }
.briefing-badges { display: flex; flex-wrap: wrap; gap: 8px; margin: 6px 0; }
.briefing-badge { background: var(--briefing-source-bg); color: var(--briefing-text);
  border: 1px solid var(--briefing-tasks); border-radius: 14px;
  padding: 3px 12px; font-size: 14px; }
.briefing-field { margin: 12px 0 6px; font-size: 16px; }
.briefing-rank .num { font-size: 24px; }
.briefing-charts .vega-embed .mark-rect path, .briefing-charts .vega-embed .mark-symbol path,
.briefing-charts .vega-embed .mark-text text { cursor: pointer; }
"""


def _style() -> str:
    from briefing.theme import css_variables

    return f"<style>\n{css_variables()}{_STYLE_RULES}</style>\n"


#: The apps' style sheet: the theme's colours as CSS custom properties (both palettes, from
#: :mod:`briefing.theme`), then the rules that use them.
STYLE = _style()


def style() -> W.HTML:
    """The app's style sheet as a widget (included once at the top of each app)."""
    return W.HTML(STYLE, layout=W.Layout(display="none"))


def app_frame(header: W.Widget, *sections: W.Widget) -> W.VBox:
    """Compose an app: style, header, then its sections, inside one box."""
    frame = W.VBox([style(), header, *sections], layout=W.Layout(width="100%"))
    frame.add_class("briefing-app")
    return frame


def observe_value(widget: W.Widget, callback: Callable[[Any], None]) -> None:
    """Call ``callback(new_value)`` whenever the widget's value changes."""
    widget.observe(lambda change: callback(change["new"]), names="value")
