"""The static site: every app as a standalone HTML page that works offline, and a landing page.

``briefing export --out DIR`` runs each app notebook once (nbclient, with
``BRIEFING_STATIC_EXPORT=1`` in the kernel so that every chart also carries an SVG
rendering), keeps the widgets' state in the notebook, and converts it to HTML with nbconvert:
no code, the notebook's own title, a bilingual banner saying what a snapshot cannot do and
where the live version is. The widget manager that draws the widgets from their saved state
(``@jupyter-widgets/html-manager``, vendored in ``static_vendor/``) and the JupyterLab styles
are copied into ``DIR/assets/``: no page loads anything from another host.

What a static page cannot do: filters, search, downloads and the language switch run Python.
The banner says so and links to the live app on Binder (:data:`BINDER_REPO`).
"""

from __future__ import annotations

import asyncio
import datetime as dt
import html
import json
import os
import re
import shutil
import tempfile
import time
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import quote

from briefing import paths
from briefing.charts import STATIC_EXPORT_ENV
from briefing.serve import HIDDEN_PREFIX

#: The GitHub repository Binder builds, as ``owner/name``.
BINDER_REPO = "datang-briefing/briefing"
BINDER_BASE = "https://mybinder.org/v2/gh"
#: The whole site (pages, widget manager, styles) must stay below this size.
SITE_BUDGET_BYTES = 10_000_000
#: Background threads whose name starts with this are awaited before the state is saved.
THREAD_PREFIX = "briefing-"

VENDOR_DIR = paths.PACKAGE_DIR / "static_vendor"
HTML_MANAGER = "html-manager"
ASSETS = "assets"
#: Marks a folder written by :func:`export_site`, which may therefore replace it.
MARKER = ".briefing-site"

WIDGET_STATE_MIME = "application/vnd.jupyter.widget-state+json"
SVG_MIME = "image/svg+xml"
ERROR_MARKER = "class='briefing-error'"

_CJK = re.compile(r"[\u3400-\u9fff]")
_NOTEBOOK_LINK = re.compile(r"""(href=["'])([^"'#?/]+)\.ipynb(?=[#?"'])""")

#: The nbconvert template of a page: JupyterLab's, minus every script or style sheet it
#: would load from a public CDN (require.js, MathJax, Mermaid), with the styles linked from
#: ``assets/lab/`` and the snapshot banner at the top.
PAGE_TEMPLATE = """\
{%- extends 'lab/index.html.j2' -%}
{%- block html_head_js_requirejs -%}{%- endblock html_head_js_requirejs -%}
{%- block html_head_js_mathjax -%}{%- endblock html_head_js_mathjax -%}
{%- block html_head_js_mermaidjs -%}{%- endblock html_head_js_mermaidjs -%}
{%- block notebook_css -%}
<link rel="stylesheet" href="assets/lab/index.css">
<link rel="stylesheet" href="assets/lab/theme-light.css">
<link rel="stylesheet" href="assets/site.css">
{%- endblock notebook_css -%}
{%- block body_header -%}
{{ super() }}
{{ resources.briefing_banner }}
{%- endblock body_header -%}
"""

#: Styles of the banner and of the landing page (also: what the lab template's inline
#: styles did that still matters without code cells).
SITE_CSS = """\
a.anchor-link { display: none; }
.jp-Collapser { display: none; }
.jp-RenderedText pre { color: var(--jp-content-font-color1); font-size: var(--jp-code-font-size); }
.briefing-static-banner { margin: 12px 16px 4px; padding: 10px 16px; border-radius: 6px;
  background: #fff7e0; border: 1px solid #e8c766; color: #3b3000; font-size: 14px;
  line-height: 1.6; font-family: "Noto Sans CJK SC", "Source Han Sans SC", "PingFang SC",
  "Microsoft YaHei", "WenQuanYi Micro Hei", sans-serif; }
.briefing-static-banner p { margin: 2px 0; }
.briefing-static-banner a { color: #0b57d0; }
body.briefing-site { margin: 0; background: #f6f7f9; color: #1b1b1b;
  font-family: "Noto Sans CJK SC", "Source Han Sans SC", "PingFang SC", "Microsoft YaHei",
  "WenQuanYi Micro Hei", system-ui, sans-serif; }
.briefing-site main { max-width: 880px; margin: 40px auto; padding: 0 24px; }
.briefing-site h1 { font-size: 28px; font-weight: 600; margin: 0 0 6px; }
.briefing-site .subtitle { color: #555; margin: 0 0 20px; }
.briefing-site ul.apps { list-style: none; margin: 0; padding: 0; background: #fff;
  border: 1px solid #d9dce1; border-radius: 6px; }
.briefing-site ul.apps > li { padding: 14px 18px; }
.briefing-site ul.apps > li + li { border-top: 1px solid #e6e8eb; }
.briefing-site .app-title { font-size: 18px; font-weight: 600; text-decoration: none;
  color: #0b57d0; }
.briefing-site .app-title-en { color: #555; margin-left: 8px; }
.briefing-site .app-blurb { margin: 4px 0 0; }
.briefing-site .app-blurb-en { margin: 2px 0 0; color: #555; font-size: 14px; }
.briefing-site .app-live { font-size: 13px; margin-top: 4px; }
.briefing-site .briefing-static-banner { margin: 0 0 20px; }
.briefing-site footer { margin-top: 28px; color: #555; font-size: 13px; line-height: 1.7; }
"""


class ExportError(RuntimeError):
    """A notebook could not be exported (it failed, or its app showed an error message)."""


@dataclass(frozen=True)
class AppPage:
    """One app notebook and how the site names it.

    ``heading`` is the notebook's title (its first Markdown heading), the page's title.
    """

    notebook: str
    heading: str
    title_zh: str
    title_en: str
    blurb_zh: str
    blurb_en: str

    @property
    def stem(self) -> str:
        return self.notebook.removesuffix(".ipynb")

    @property
    def html_name(self) -> str:
        return f"{self.stem}.html"


@dataclass(frozen=True)
class PageResult:
    """An exported page: its file, size in bytes and the seconds its notebook ran."""

    page: AppPage
    path: Path
    size: int
    seconds: float


@dataclass
class SiteReport:
    """What :func:`export_site` wrote."""

    out: Path
    pages: list[PageResult] = field(default_factory=list)
    total_bytes: int = 0
    seconds: float = 0.0

    @property
    def within_budget(self) -> bool:
        return self.total_bytes <= SITE_BUDGET_BYTES

    def summary(self) -> str:
        """A few lines for the terminal: each page, then the total against the budget."""
        lines = [
            f"  {r.path.name:<30} {r.size / 1e6:6.2f} MB  (ran {r.seconds:4.1f} s)"
            for r in self.pages
        ]
        lines.append(
            f"site: {self.out}  {self.total_bytes / 1e6:.2f} MB in {count_files(self.out)} files "
            f"(budget {SITE_BUDGET_BYTES / 1e6:.1f} MB), exported in {self.seconds:.0f} s"
        )
        return "\n".join(lines)


# --------------------------------------------------------------------------- naming


def binder_url(notebook: str | None = None, *, repo: str = BINDER_REPO, lab: bool = False) -> str:
    """The Binder address of an app (Voilà), of the list of apps, or of JupyterLab.

    Examples
    --------
    >>> binder_url("01_industry.ipynb", repo="o/r")
    'https://mybinder.org/v2/gh/o/r/HEAD?urlpath=voila%2Frender%2Fnotebooks%2F01_industry.ipynb'
    >>> binder_url(repo="o/r")
    'https://mybinder.org/v2/gh/o/r/HEAD?urlpath=voila%2Ftree%2Fnotebooks'
    >>> binder_url(repo="o/r", lab=True)
    'https://mybinder.org/v2/gh/o/r/HEAD?urlpath=lab%2Ftree%2Fnotebooks'
    """
    if lab:
        target = "lab/tree/notebooks"
    elif notebook is None:
        target = "voila/tree/notebooks"
    else:
        target = f"voila/render/notebooks/{notebook}"
    return f"{BINDER_BASE}/{repo}/HEAD?urlpath={quote(target, safe='')}"


def has_cjk(text: str) -> bool:
    """Whether ``text`` holds Chinese characters.

    >>> has_cjk("产业发展 · Industry"), has_cjk("Industry")
    (True, False)
    """
    return bool(_CJK.search(text))


def split_heading(markdown: str) -> tuple[str, str, str, str]:
    """Read a notebook's title cell: (heading, Chinese title, English title, English line).

    The heading is the first ``#`` line; its parts (separated by ``·``) are Chinese or
    English; the English line is the first other line of the cell that has no Chinese.

    Examples
    --------
    >>> split_heading("# 2023年工作任务进展 · Progress on the 2023 commitments")
    ('2023年工作任务进展 · Progress on the 2023 commitments', '2023年工作任务进展', \
'Progress on the 2023 commitments', '')
    >>> split_heading("# <span class='briefing-zh'>产业发展</span><span> · </span>"
    ...               "<span class='briefing-en'>Industry</span>")[:3]
    ('产业发展 · Industry', '产业发展', 'Industry')
    >>> split_heading("# 大塘镇报告 · 全文检索\\n\\nThe full text, searchable")[1:]
    ('大塘镇报告 · 全文检索', '', 'The full text, searchable')
    """
    lines = [line.strip() for line in markdown.splitlines() if line.strip()]
    heading_line = next((line for line in lines if line.startswith("#")), "")
    # Headings may mark their halves for the page's language (<span class='briefing-zh'>).
    heading = re.sub(r"<[^>]+>", "", heading_line.lstrip("#")).strip()
    parts = [part.strip() for part in heading.split("·") if part.strip()]
    zh = " · ".join(part for part in parts if has_cjk(part))
    en = " · ".join(part for part in parts if not has_cjk(part))
    other = next(
        (line for line in lines if line != heading_line and not has_cjk(line)),
        "",
    )
    return heading, zh, en, other


def app_notebooks(notebooks: Path) -> list[Path]:
    """The app notebooks of a folder, in name order (``staff_*`` and hidden files left out)."""
    return sorted(
        path
        for path in notebooks.glob("*.ipynb")
        if not path.name.startswith((HIDDEN_PREFIX, ".", "_"))
    )


def app_page(path: Path) -> AppPage:
    """How the site names the app of a notebook.

    The apps of :data:`briefing.catalogue.APPS` bring their titles and one-line
    descriptions; any other notebook is described by its first Markdown cell.
    """
    import nbformat

    from briefing.catalogue import APPS

    nb = nbformat.read(path, as_version=4)  # type: ignore[no-untyped-call]
    first = next((cell for cell in nb.cells if cell.cell_type == "markdown"), None)
    heading, zh, en, other = split_heading(first.source if first is not None else "")
    info = next((info for info in APPS if info.notebook == path.name), None)
    if info is not None:
        return AppPage(
            path.name, heading or info.title_zh, info.title_zh, info.title_en,
            info.blurb_zh, info.blurb_en,
        )  # fmt: skip
    return AppPage(path.name, heading or path.stem, zh or path.stem, en, "", other)


# --------------------------------------------------------------------------- running


def kernel_env(base: Mapping[str, str] | None = None) -> dict[str, str]:
    """The environment of the export's kernels: the static flag on, no page query string."""
    env = {
        key: value
        for key, value in (os.environ if base is None else base).items()
        if key != "QUERY_STRING" and not key.startswith("VOILA_")
    }
    env[STATIC_EXPORT_ENV] = "1"
    return env


#: Appended to each notebook while it runs (and removed before conversion): waits for the
#: app's background work, so that the saved state holds what a viewer would see.
_WAIT_FOR_THREADS = f"""\
import threading as _threading, time as _time
_deadline = _time.monotonic() + 120
for _thread in list(_threading.enumerate()):
    if _thread.name.startswith({THREAD_PREFIX!r}) and _thread is not _threading.current_thread():
        _thread.join(max(0.0, _deadline - _time.monotonic()))
"""


async def _run_notebook(
    path: Path, env: Mapping[str, str], timeout: float, kernel_name: str
) -> tuple[Any, float]:
    import nbformat
    from nbclient import NotebookClient
    from nbclient.exceptions import CellExecutionError

    nb = nbformat.read(path, as_version=4)  # type: ignore[no-untyped-call]
    waiter = nbformat.v4.new_code_cell(_WAIT_FOR_THREADS)  # type: ignore[no-untyped-call]
    nb.cells.append(waiter)
    client = NotebookClient(
        nb,
        kernel_name=kernel_name,
        timeout=int(timeout),
        store_widget_state=True,
        resources={"metadata": {"path": str(path.parent)}},
    )
    start = time.perf_counter()
    try:
        await client.async_execute(env=dict(env))
    except CellExecutionError as error:
        first = str(error).strip().splitlines()[-1:] or ["(no message)"]
        raise ExportError(f"{path.name} failed: {first[0]}") from error
    nb.cells.remove(waiter)
    return nb, time.perf_counter() - start


async def _run_all(
    paths_: Sequence[Path],
    env: Mapping[str, str],
    timeout: float,
    jobs: int,
    kernel_name: str,
    progress: Callable[[str], None],
) -> list[tuple[Any, float]]:
    limit = asyncio.Semaphore(max(1, jobs))

    async def one(path: Path) -> tuple[Any, float]:
        async with limit:
            progress(f"running {path.name}")
            result = await _run_notebook(path, env, timeout, kernel_name)
            progress(f"ran {path.name} in {result[1]:.1f} s")
            return result

    return list(await asyncio.gather(*(one(path) for path in paths_)))


def run_notebooks(
    notebooks: Sequence[Path],
    *,
    jobs: int | None = None,
    timeout: float = 300.0,
    kernel_name: str = "python3",
    env: Mapping[str, str] | None = None,
    progress: Callable[[str], None] = lambda message: None,
) -> list[tuple[Any, float]]:
    """Run notebooks (``jobs`` at a time) with their widget state saved in their metadata.

    Returns each executed notebook with the seconds it ran. Raises :class:`ExportError`
    naming the notebook when a cell fails.
    """
    jobs = jobs if jobs is not None else min(4, os.cpu_count() or 1)
    work = _run_all(notebooks, kernel_env(env), timeout, jobs, kernel_name, progress)
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return asyncio.run(work)
    # Called from code that already runs an event loop (a notebook, Playwright's sync API):
    # run ours in a thread of its own.
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="export") as pool:
        return pool.submit(asyncio.run, work).result()


# --------------------------------------------------------------------------- converting


def _widget_states(nb: Any) -> dict[str, Any]:
    widgets = nb.metadata.get("widgets", {}).get(WIDGET_STATE_MIME, {})
    states: dict[str, Any] = widgets.get("state", {})
    return states


def _static_outputs(outputs: Iterable[Any]) -> list[Any]:
    """Outputs as a page without a kernel shows them: charts as their SVG rendering only
    (the Vega-Lite spec needs a renderer the page lacks), and no log lines on stderr."""
    kept = []
    for output in outputs:
        if output.get("output_type") == "stream" and output.get("name") == "stderr":
            continue
        data = output.get("data")
        if isinstance(data, dict) and SVG_MIME in data:
            output = {**output, "data": {SVG_MIME: data[SVG_MIME]}, "metadata": {}}
        kept.append(output)
    return kept


def prepare_notebook(nb: Any, page: AppPage, exported: Iterable[str] = ()) -> Any:
    """Make an executed notebook ready for a static page (in place; returned for chaining).

    Sets the page title; keeps only the SVG of each chart; drops stderr; points links to
    other exported notebooks (``01_industry.ipynb``) at their pages (``01_industry.html``).
    Raises :class:`ExportError` if the app showed its error message instead of itself.
    """
    nb.metadata["title"] = page.heading
    stems = {name.removesuffix(".ipynb") for name in exported}

    def relink(value: str) -> str:
        def swap(match: re.Match[str]) -> str:
            stem = match.group(2)
            return f"{match.group(1)}{stem}.html" if stem in stems else match.group(0)

        return _NOTEBOOK_LINK.sub(swap, value)

    for cell in nb.cells:
        if cell.cell_type == "code":
            cell.outputs = _static_outputs(cell.outputs)
    for model in _widget_states(nb).values():
        state = model.get("state", {})
        if model.get("model_name") == "OutputModel":
            state["outputs"] = _static_outputs(state.get("outputs", []))
        value = state.get("value")
        if model.get("model_name") == "HTMLModel" and isinstance(value, str):
            if ERROR_MARKER in value:
                message = re.sub(r"<[^>]+>", "", value).strip()
                raise ExportError(f"{page.notebook} shows an error instead of the app: {message}")
            state["value"] = relink(value)
    return nb


_ZH_NEEDS_PYTHON = "筛选、检索、下载和中英文切换需要 Python 运行环境，"


def banner_html(page: AppPage, snapshot: dt.date, repo: str = BINDER_REPO) -> str:
    """The bilingual note at the top of each page: a snapshot, and where the live app is."""
    live = html.escape(binder_url(page.notebook, repo=repo), quote=True)
    day = snapshot.isoformat()
    return (
        "<aside class='briefing-static-banner' role='note'>"
        f"<p lang='zh-CN'><strong>静态快照</strong>（{day}导出）。"
        f"{_ZH_NEEDS_PYTHON.rstrip('，')}，在本页不可用；"
        f"如需使用，请<a href='{live}'>在 Binder 上打开在线版本</a>（首次启动约需一两分钟）。"
        " · <a href='index.html'>全部简报</a></p>"
        f"<p lang='en'><strong>Static snapshot</strong> (exported {day}). "
        "Filters, search, downloads and the language switch need Python and do not work "
        f"on this page: please <a href='{live}'>open the live version on Binder</a> "
        "(the first start takes a minute or two). · <a href='index.html'>All briefings</a></p>"
        "</aside>"
    )


def page_exporter() -> Any:
    """The nbconvert exporter of the pages (JupyterLab template, no code, no CDN)."""
    import jinja2
    from nbconvert import HTMLExporter

    return HTMLExporter(  # type: ignore[no-untyped-call]
        template_name="lab",
        extra_loaders=[jinja2.DictLoader({"briefing_static.html.j2": PAGE_TEMPLATE})],
        template_file="briefing_static.html.j2",
        exclude_input=True,
        exclude_input_prompt=True,
        exclude_output_prompt=True,
        widget_renderer_url=f"{ASSETS}/{HTML_MANAGER}/embed.js",
        language_code="zh",
        # Chinese text as UTF-8 rather than as escapes: smaller pages.
        filters={"json_dumps": _json_dumps},
    )


def _json_dumps(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False)


def render_page(
    nb: Any, page: AppPage, snapshot: dt.date, *, repo: str = BINDER_REPO, exporter: Any = None
) -> str:
    """A prepared notebook (see :func:`prepare_notebook`) as a standalone HTML page."""
    from markupsafe import Markup

    exporter = exporter or page_exporter()
    resources = {"briefing_banner": Markup(banner_html(page, snapshot, repo))}
    body, _ = exporter.from_notebook_node(nb, resources=resources)
    return str(body)


def landing_html(pages: Sequence[AppPage], snapshot: dt.date, repo: str = BINDER_REPO) -> str:
    """``index.html``: every app with its Chinese and English description."""
    esc = html.escape
    items = []
    for page in pages:
        en = f"<span class='app-title-en' lang='en'>{esc(page.title_en)}</span>"
        blurb_zh = f"<p class='app-blurb'>{esc(page.blurb_zh)}</p>" if page.blurb_zh else ""
        blurb_en = (
            f"<p class='app-blurb-en' lang='en'>{esc(page.blurb_en)}</p>" if page.blurb_en else ""
        )
        live = esc(binder_url(page.notebook, repo=repo), quote=True)
        items.append(
            f"<li><a class='app-title' href='{esc(page.html_name, quote=True)}'>"
            f"{esc(page.title_zh)}</a>{en if page.title_en else ''}{blurb_zh}{blurb_en}"
            f"<div class='app-live'><a href='{live}'>在线版本 · Live version (Binder)</a></div>"
            "</li>"
        )
    day = snapshot.isoformat()
    tree = esc(binder_url(repo=repo), quote=True)
    lab = esc(binder_url(repo=repo, lab=True), quote=True)
    return f"""<!DOCTYPE html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<title>大塘镇2023年政府工作报告 · 互动简报</title>
<link rel="icon" href="data:,">
<link rel="stylesheet" href="{ASSETS}/site.css">
</head>
<body class="briefing-site">
<main>
<h1>大塘镇2023年政府工作报告 · 互动简报</h1>
<p class="subtitle" lang="en">Datang Town 2023 Government Work Report: interactive briefings</p>
<aside class="briefing-static-banner" role="note">
<p lang="zh-CN"><strong>静态快照</strong>（{day}导出）。各页面显示打开时的内容；{_ZH_NEEDS_PYTHON}
请<a href="{tree}">在 Binder 上打开在线版本</a>（首次启动约需一两分钟）。</p>
<p lang="en"><strong>Static snapshot</strong> (exported {day}). Each page shows the app as it
opens; filters, search, downloads and the language switch need Python: please
<a href="{tree}">open the live version on Binder</a> (the first start takes a minute or two).</p>
</aside>
<ul class="apps">
{chr(10).join(items)}
</ul>
<footer>
<p>资料来源：三水区大塘镇人民政府《2023年政府工作报告》（2023年1月29日发布）。
Source: the 2023 government work report of Datang town, Sanshui district, Foshan (2023-01-29).</p>
<p><a href="{lab}">JupyterLab on Binder</a> ·
第三方组件及许可 Third-party components and licences: <a href="{ASSETS}/README.md">README</a></p>
</footer>
</main>
</body>
</html>
"""


# --------------------------------------------------------------------------- the site


def snapshot_date(env: Mapping[str, str] | None = None) -> dt.date:
    """Today, or the day of ``SOURCE_DATE_EPOCH`` when set (reproducible builds).

    >>> snapshot_date({"SOURCE_DATE_EPOCH": "1674950400"})
    datetime.date(2023, 1, 29)
    """
    epoch = (os.environ if env is None else env).get("SOURCE_DATE_EPOCH")
    if epoch:
        return dt.datetime.fromtimestamp(int(epoch), tz=dt.UTC).date()
    return dt.date.today()


def copy_assets(out: Path) -> None:
    """Copy the widget manager, the JupyterLab styles and the site's styles into ``out``."""
    assets = out / ASSETS
    manager = assets / HTML_MANAGER
    manager.mkdir(parents=True, exist_ok=True)
    for path in (VENDOR_DIR / HTML_MANAGER).iterdir():
        if path.is_file():
            shutil.copy2(path, manager / path.name)
    shutil.copy2(VENDOR_DIR / "README.md", assets / "README.md")
    lab = assets / "lab"
    lab.mkdir(exist_ok=True)
    lab_static = _lab_static_dir()
    for name in ("index.css", "theme-light.css"):
        shutil.copy2(lab_static / name, lab / name)
    licence = _nbconvert_licence()
    if licence is not None:
        shutil.copy2(licence, lab / "LICENSE")
    (assets / "site.css").write_text(SITE_CSS, encoding="utf-8")


def _lab_static_dir() -> Path:
    from jupyter_core.paths import jupyter_path

    for base in jupyter_path("nbconvert", "templates", "lab", "static"):
        if (Path(base) / "index.css").is_file():
            return Path(base)
    raise ExportError("nbconvert's lab template (share/jupyter/nbconvert) is not installed")


def _nbconvert_licence() -> Path | None:
    from importlib.metadata import PackageNotFoundError, distribution

    try:
        files = distribution("nbconvert").files or []
    except PackageNotFoundError:  # pragma: no cover
        return None
    for file in files:
        if file.name in {"LICENSE", "LICENSE.md", "LICENSE.txt"}:
            located = Path(str(file.locate()))
            if located.is_file():
                return located
    return None


def count_files(folder: Path) -> int:
    return sum(1 for path in folder.rglob("*") if path.is_file())


def site_size(folder: Path) -> int:
    """Bytes of every file under ``folder``."""
    return sum(path.stat().st_size for path in folder.rglob("*") if path.is_file())


def _check_target(out: Path) -> None:
    """Refuse to replace a folder that is not a previous export (or empty, or new)."""
    if not out.exists():
        return
    if not out.is_dir():
        raise ExportError(f"{out} exists and is not a folder")
    if any(out.iterdir()) and not (out / MARKER).exists():
        raise ExportError(
            f"{out} is not empty and was not written by `briefing export`: "
            "choose a new or empty folder"
        )


def _replace_folder(built: Path, out: Path) -> None:
    _check_target(out)
    if out.exists():
        shutil.rmtree(out)
    built.rename(out)


def export_site(
    out: Path,
    notebooks: Path | None = None,
    *,
    jobs: int | None = None,
    timeout: float = 300.0,
    repo: str = BINDER_REPO,
    progress: Callable[[str], None] = lambda message: None,
) -> SiteReport:
    """Export every app notebook of ``notebooks`` (default: the project's) into ``out``.

    The site is built in a new folder beside ``out`` and moved into place at the end, so a
    failed export leaves a previous site intact. ``out`` must be new, empty, or a previous
    export.

    Parameters
    ----------
    out : Path
        The site's folder: ``index.html``, one page per app, ``assets/``.
    notebooks : Path, optional
        Folder of app notebooks (``staff_*`` ones are never exported).
    jobs : int, optional
        Notebooks run at the same time (default: the number of processors, at most 4).
    timeout : float
        Seconds a cell may run.
    repo : str
        ``owner/name`` of the GitHub repository Binder builds for the live version.
    progress : callable
        Receives a line of text as each notebook starts and ends.

    Returns
    -------
    SiteReport
        The pages written, their sizes, and the size of the whole site.
    """
    start = time.perf_counter()
    folder = Path(notebooks) if notebooks is not None else paths.notebooks_dir()
    sources = app_notebooks(folder)
    if not sources:
        raise ExportError(f"no app notebooks in {folder}")
    pages = [app_page(path) for path in sources]
    out = Path(out).resolve()
    _check_target(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    snapshot = snapshot_date()
    executed = run_notebooks(sources, jobs=jobs, timeout=timeout, progress=progress)
    built = Path(tempfile.mkdtemp(prefix=f".{out.name}-", dir=out.parent))
    try:
        copy_assets(built)
        exporter = page_exporter()
        names = [page.notebook for page in pages]
        written = []
        for page, (nb, seconds) in zip(pages, executed, strict=True):
            prepare_notebook(nb, page, names)
            target = built / page.html_name
            target.write_text(
                render_page(nb, page, snapshot, repo=repo, exporter=exporter), encoding="utf-8"
            )
            written.append((page, target.name, seconds))
        (built / "index.html").write_text(landing_html(pages, snapshot, repo), encoding="utf-8")
        (built / MARKER).write_text(
            json.dumps({"pages": [page.html_name for page in pages]}, indent=1) + "\n",
            encoding="utf-8",
        )
        built.chmod(0o755)
        _replace_folder(built, out)
    except BaseException:
        shutil.rmtree(built, ignore_errors=True)
        raise
    report = SiteReport(out)
    for page, name, seconds in written:
        report.pages.append(PageResult(page, out / name, (out / name).stat().st_size, seconds))
    report.total_bytes = site_size(out)
    report.seconds = time.perf_counter() - start
    return report
