"""``briefing export``: the static site, every app in Chinese and in English, with no server.

Pages are generated from the apps' own views, charts and strings (:mod:`briefing.site`):
no notebook runs, no kernel is needed, and the pages do in the browser what a viewer does
in the live apps except recording progress: filters, chart/table toggle, the quote of a
clicked mark or row, the reader's search and keyword views, the tracker as of the export.

The site is written to a new folder beside ``out`` and moved into place at the end, so a
failed export leaves a previous site intact; its total size is held to
:data:`SITE_BUDGET_BYTES` (an export over budget fails and leaves nothing).
"""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import tempfile
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from briefing import paths
from briefing.catalogue import APPS, AppInfo
from briefing.serve import HIDDEN_PREFIX

#: The whole site (both languages, scripts, data) must stay within this size.
SITE_BUDGET_BYTES = 10_000_000
LANGS = ("zh", "en")
#: Marks a folder written by :func:`export_site`, which may therefore replace it.
MARKER = ".briefing-site"
ASSETS = "assets"


class ExportError(RuntimeError):
    """The site could not be exported (bad target folder, no apps, over budget, bad data)."""


@dataclass(frozen=True)
class PageResult:
    """An exported page: the app, its language, its file and size in bytes."""

    app: AppInfo
    lang: str
    path: Path
    size: int


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
            f"  {r.path.relative_to(self.out).as_posix():<30} {r.size / 1e6:6.2f} MB"
            for r in self.pages
        ]
        lines.append(
            f"site: {self.out}  {self.total_bytes / 1e6:.2f} MB in {count_files(self.out)} files "
            f"(budget {SITE_BUDGET_BYTES / 1e6:.1f} MB), exported in {self.seconds:.0f} s"
        )
        return "\n".join(lines)


def app_notebooks(notebooks: Path) -> list[Path]:
    """The app notebooks of a folder, in name order (``staff_*`` and hidden files left out)."""
    return sorted(
        path
        for path in notebooks.glob("*.ipynb")
        if not path.name.startswith((HIDDEN_PREFIX, ".", "_"))
    )


def apps_in(notebooks: Path) -> list[AppInfo]:
    """The apps whose notebooks are in ``notebooks``, in the catalogue's order."""
    present = {path.name for path in app_notebooks(notebooks)}
    unknown = sorted(present - {info.notebook for info in APPS})
    if unknown:
        raise ExportError(
            f"{', '.join(unknown)} in {notebooks} is not an app of briefing.catalogue.APPS: "
            "the site is made from the apps' views, so each page needs its entry there"
        )
    return [info for info in APPS if info.notebook in present]


def snapshot_date(env: Mapping[str, str] | None = None) -> dt.date:
    """Today, or the day of ``SOURCE_DATE_EPOCH`` when set (reproducible builds).

    >>> snapshot_date({"SOURCE_DATE_EPOCH": "1674950400"})
    datetime.date(2023, 1, 29)
    """
    epoch = (os.environ if env is None else env).get("SOURCE_DATE_EPOCH")
    if epoch:
        return dt.datetime.fromtimestamp(int(epoch), tz=dt.UTC).date()
    return dt.date.today()


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


def write_site(
    built: Path,
    apps: Sequence[AppInfo],
    *,
    snapshot: dt.date,
    repo: str | None,
    progress: Callable[[str], None],
) -> list[tuple[AppInfo, str, Path]]:
    """Write every page, the assets and the data into ``built``; the pages written."""
    from briefing import data
    from briefing.site import assets, content, pages
    from briefing.site import facts as site_facts

    ds = data.load()
    assets.write_assets(built)
    assets.write_data(built, ds.root)
    written = []
    for lang in LANGS:
        folder = built / pages.LANG_FOLDERS[lang]
        folder.mkdir(parents=True, exist_ok=True)
        (built / ASSETS / f"facts.{lang}.js").write_text(
            site_facts.facts_script(ds, lang), encoding="utf-8"
        )
        for info in apps:
            start = time.perf_counter()
            body = content.body_for(ds, info, lang)
            target = folder / pages.page_name(info)
            target.write_text(
                pages.app_page_html(info, body, lang, snapshot, repo, apps), encoding="utf-8"
            )
            written.append((info, lang, target))
            progress(f"{lang}/{target.name} in {time.perf_counter() - start:.1f} s")
        (folder / "index.html").write_text(
            pages.landing_html(apps, lang, snapshot, repo), encoding="utf-8"
        )
    return written


def export_site(
    out: Path,
    notebooks: Path | None = None,
    *,
    repo: str | None = None,
    progress: Callable[[str], None] = lambda message: None,
) -> SiteReport:
    """Export the apps of ``notebooks`` (default: the project's) as a static site in ``out``.

    Parameters
    ----------
    out : Path
        The site's folder (new, empty, or a previous export): ``index.html`` and one page
        per app in Chinese, the same under ``en/`` in English, ``assets/``, ``data/``.
    notebooks : Path, optional
        Folder of app notebooks: the site has a page for each app found there.
    repo : str, optional
        ``owner/name`` of the public repository Binder builds, for links to the live apps
        (default: :func:`briefing.publishing.binder_repo`; none while unpublished).
    progress : callable
        Receives a line of text as each page is written.

    Returns
    -------
    SiteReport
        The pages written, their sizes, and the size of the whole site.

    Raises
    ------
    ExportError
        The folder is not one to replace, there is no app, or the site is over budget.
    """
    from briefing import publishing

    start = time.perf_counter()
    folder = Path(notebooks) if notebooks is not None else paths.notebooks_dir()
    apps = apps_in(folder)
    if not apps:
        raise ExportError(f"no app notebooks in {folder}")
    repo = repo if repo is not None else publishing.binder_repo()
    out = Path(out).resolve()
    _check_target(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    built = Path(tempfile.mkdtemp(prefix=f".{out.name}-", dir=out.parent))
    try:
        written = write_site(built, apps, snapshot=snapshot_date(), repo=repo, progress=progress)
        (built / MARKER).write_text(
            json.dumps({"pages": [p.relative_to(built).as_posix() for _a, _l, p in written]},
                       indent=1) + "\n",
            encoding="utf-8",
        )  # fmt: skip
        total = site_size(built)
        if total > SITE_BUDGET_BYTES:
            raise ExportError(
                f"the site is {total / 1e6:.1f} MB, over its budget of "
                f"{SITE_BUDGET_BYTES / 1e6:.1f} MB: nothing was written to {out}"
            )
        built.chmod(0o755)
        _replace_folder(built, out)
    except BaseException:
        shutil.rmtree(built, ignore_errors=True)
        raise
    report = SiteReport(out)
    for info, lang, path in written:
        final = out / path.relative_to(built)
        report.pages.append(PageResult(info, lang, final, final.stat().st_size))
    report.total_bytes = site_size(out)
    report.seconds = time.perf_counter() - start
    return report
