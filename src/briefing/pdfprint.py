"""Print HTML to PDF with Chromium (through Playwright): the engine behind the handout.

Why Chromium: it is the engine the apps are tested in, so the pack's CSS (grid, print
rules) and inline SVG charts come out as they do on screen; it embeds subsets of the fonts it
uses (Noto Sans CJK for the Chinese), keeps SVG as vector paths and text, and turns the
contents' links into PDF links. Its text layer maps a few ideographs to radical forms
(Noto Sans CJK draws 大 and ⼤ with one glyph): :func:`fix_text_layer` maps them back with
pypdf, so the PDF copies and searches as written. Playwright and pypdf are optional (the ``handout``
extra, also in ``test``): serving the apps, Binder and the static site need no browser.
Chromium is Debian's (``/usr/bin/chromium``, or ``BRIEFING_CHROMIUM``), else Playwright's own.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import os
import shutil
from pathlib import Path

#: Flags for a headless Chromium with no network and no first-run work.
CHROMIUM_ARGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
)


class PrintError(RuntimeError):
    """Printing is not possible here (no Playwright, no Chromium) or failed."""


def chromium_path() -> str | None:
    """The Chromium to use: ``BRIEFING_CHROMIUM``, else Debian's, else Playwright's (None)."""
    chosen = os.environ.get("BRIEFING_CHROMIUM")
    if chosen:
        return chosen
    for name in ("/usr/bin/chromium", "/usr/bin/chromium-browser"):
        if Path(name).exists():
            return name
    found = shutil.which("chromium")
    return found


def html_to_pdf(html: str, out: Path, *, footer: str = "") -> Path:
    """Print ``html`` on A4 to ``out`` (written to a temporary file, then renamed).

    Playwright's synchronous API refuses to run where an event loop is already running in
    the thread (a JupyterLab kernel, or a test session that drives a browser): there the
    printing runs in a thread of its own.
    """
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return _print(html, out, footer)
    with concurrent.futures.ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(_print, html, out, footer).result()


def _print(html: str, out: Path, footer: str) -> Path:
    try:
        import pypdf  # noqa: F401  (fix_text_layer, after printing)
        from playwright.sync_api import Error as PlaywrightError
        from playwright.sync_api import sync_playwright
    except ImportError as error:
        raise PrintError(
            "printing a PDF needs Playwright and pypdf: pip install 'briefing[handout]' "
            "(and Chromium: apt-get install chromium fonts-noto-cjk)"
        ) from error
    out.parent.mkdir(parents=True, exist_ok=True)
    partial = out.with_name(out.name + ".part")
    try:
        with sync_playwright() as playwright:
            executable = chromium_path()
            browser = playwright.chromium.launch(
                executable_path=executable, args=list(CHROMIUM_ARGS)
            )
            try:
                context = browser.new_context()
                # No request leaves the machine: the pack is self-contained.
                context.route(
                    "**/*",
                    lambda route: (
                        route.abort()
                        if not route.request.url.startswith(("data:", "about:"))
                        else route.continue_()
                    ),
                )
                page = context.new_page()
                page.set_content(html, wait_until="load")
                page.evaluate("document.fonts.ready.then(() => true)")
                page.pdf(
                    path=str(partial),
                    format="A4",
                    print_background=True,
                    prefer_css_page_size=True,
                    display_header_footer=bool(footer),
                    header_template="<span></span>",
                    footer_template=footer or "<span></span>",
                    outline=True,
                    tagged=True,
                )
            finally:
                browser.close()
    except PlaywrightError as error:
        partial.unlink(missing_ok=True)
        raise PrintError(f"Chromium could not print {out.name}: {error}") from error
    fix_text_layer(partial)
    partial.replace(out)
    return out


#: Radical forms Chromium's PDF text layer gives for common ideographs (Noto Sans CJK draws
#: both with one glyph, and the PDF maps the glyph to the lower code point). The Kangxi
#: radicals (U+2F00…) fold by NFKC; these CJK radical-supplement forms do not.
_SUPPLEMENT = {
    0x2EA0: "民",
    0x2EC4: "西",
    0x2EC5: "见",
    0x2EC6: "角",
    0x2EC9: "贝",
    0x2ECB: "车",
    0x2ED3: "长",
    0x2ED4: "门",
    0x2ED8: "青",
    0x2EDB: "风",
    0x2EDC: "飞",
    0x2EDD: "食",
    0x2EE2: "马",
    0x2EE3: "骨",
    0x2EE4: "鬼",
    0x2EE5: "鱼",
    0x2EE6: "鸟",
    0x2EE7: "卤",
    0x2EE8: "麦",
    0x2EE9: "黄",
    0x2EEA: "黾",
    0x2EEC: "齐",
    0x2EEE: "齿",
    0x2EF0: "龙",
    0x2EF2: "龟",
}


def ideograph(code: int) -> int:
    """The unified ideograph a radical form stands for in running text, else ``code``.

    Examples
    --------
    >>> chr(ideograph(0x2F24)), chr(ideograph(0x2EA0)), chr(ideograph(ord("a")))
    ('大', '民', 'a')
    """
    import unicodedata

    if code in _SUPPLEMENT:
        return ord(_SUPPLEMENT[code])
    if 0x2F00 <= code <= 0x2FDF:
        folded = unicodedata.normalize("NFKC", chr(code))
        return ord(folded) if len(folded) == 1 else code
    return code


def outline_pages(path: Path) -> dict[str, int]:
    """Each heading of the PDF's outline (Chromium makes one from the HTML headings) and the
    page it is on, counted from 1; a heading printed twice keeps its first page."""
    from pypdf import PdfReader

    reader = PdfReader(path)
    pages: dict[str, int] = {}

    def walk(items: list[object]) -> None:
        for item in items:
            if isinstance(item, list):
                walk(item)
                continue
            title = " ".join(str(getattr(item, "title", "")).split())
            number = reader.get_destination_page_number(item)  # type: ignore[arg-type]
            if title and number is not None and number >= 0:
                pages.setdefault(title, number + 1)

    walk(list(reader.outline))
    return pages


def fix_text_layer(path: Path) -> int:
    """Map radical forms in the PDF's ToUnicode tables back to the ideographs they stand
    for, so the handout's text copies and searches as written. Returns the entries fixed."""
    import re

    from pypdf import PdfReader, PdfWriter
    from pypdf.generic import StreamObject

    entry = re.compile(rb"<([0-9A-Fa-f]{4})>")
    writer = PdfWriter(clone_from=PdfReader(path))
    fixed = 0
    seen: set[int] = set()
    for page in writer.pages:
        for font in page.get("/Resources", {}).get("/Font", {}).values():
            font = font.get_object()
            stream = font.get("/ToUnicode")
            if stream is None or id(stream.get_object()) in seen:
                continue
            stream = stream.get_object()
            seen.add(id(stream))
            data = stream.get_data()
            # Only the targets (the second hex of each "<src> <dst>" pair) are changed.

            def swap(match: re.Match[bytes]) -> bytes:
                nonlocal fixed
                code = int(match.group(1), 16)
                new = ideograph(code)
                if new == code:
                    return match.group(0)
                fixed += 1
                return b"<%04X>" % new

            lines = []
            for line in data.split(b"\n"):
                pieces = line.split(b" ", 1)
                if len(pieces) == 2 and pieces[0].startswith(b"<"):
                    line = pieces[0] + b" " + entry.sub(swap, pieces[1])
                lines.append(line)
            if isinstance(stream, StreamObject):
                stream.set_data(b"\n".join(lines))
    partial = path.with_name(path.name + ".part")
    with partial.open("wb") as handle:
        writer.write(handle)
    partial.replace(path)
    return fixed
