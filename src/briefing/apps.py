"""The apps: one function each, composing the shared views. Notebooks call exactly one of these.

Every app accepts an optional language (default: ``?lang=`` from the URL, else Chinese) and
never shows a traceback: building errors become a short message (see :func:`ui.safe_app`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import ipywidgets as W

from briefing import data, display, ui, views
from briefing.i18n import tr

if TYPE_CHECKING:
    import pandas as pd


@dataclass(frozen=True)
class AppInfo:
    """One app of the briefing: its notebook, the sectors it shows, and its description."""

    name: str
    notebook: str
    sectors: tuple[str, ...]
    title_zh: str
    title_en: str
    blurb_zh: str
    blurb_en: str


APPS: tuple[AppInfo, ...] = (
    AppInfo(
        "overview",
        "00_overview.ipynb",
        ("overall",),
        "总览",
        "Overview",
        "全报告一览:2022年主要成绩、2023年主要目标和各领域数字",
        "The whole report at a glance: 2022 results, 2023 targets, figures per sector",
    ),
    AppInfo(
        "industry",
        "01_industry.ipynb",
        ("industry",),
        "产业发展",
        "Industry",
        "项目建设、招商引资、产业空间、转型升级与重点企业",
        "Projects, investment attraction, industrial land, upgrading and named enterprises",
    ),
    AppInfo(
        "urban_rural",
        "02_urban_rural.ipynb",
        ("urban_rural",),
        "城乡建设",
        "Urban and rural",
        "交通路网、城市建管、乡村振兴",
        "Roads, urban works and management, rural revitalisation",
    ),
    AppInfo(
        "ecology",
        "03_ecology.ipynb",
        ("ecology",),
        "生态环境",
        "Ecology",
        "河涌治理、养殖池塘、空气质量与绿色低碳",
        "Rivers, aquaculture ponds, air quality and low-carbon development",
    ),
    AppInfo(
        "livelihoods",
        "04_livelihoods.ipynb",
        ("livelihoods",),
        "民生福祉",
        "Livelihoods",
        "医疗、养老、教育、公共服务与文化",
        "Health, elderly care, education, public services and culture",
    ),
    AppInfo(
        "reader",
        "05_report_reader.ipynb",
        (),
        "报告全文",
        "Report reader",
        "全文阅读、检索与词频分析",
        "The full text: read, search, and analyse its vocabulary",
    ),
    AppInfo(
        "commitments",
        "06_commitments.ipynb",
        (),
        "任务进展",
        "Commitments tracker",
        "2023年各项工作任务、目标与进展",
        "The 2023 commitments, their targets and progress",
    ),
    AppInfo(
        "reform_governance",
        "07_reform_governance.ipynb",
        ("reform", "governance"),
        "改革与治理",
        "Reform and governance",
        "综合改革、营商环境、平安建设、防汛与政府自身建设",
        "Reforms, business environment, public safety, flood control, government itself",
    ),
)

#: The apps about sectors of the report (each shows the facts of its sectors).
SECTOR_APPS: tuple[AppInfo, ...] = tuple(a for a in APPS if a.sectors and a.name != "overview")


def app_info(name: str) -> AppInfo:
    """Look up an app by name."""
    for info in APPS:
        if info.name == name:
            return info
    raise KeyError(name)


def catalogue() -> dict[str, dict[str, str]]:
    """Titles and one-line descriptions of every app, keyed by notebook file name.

    Examples
    --------
    >>> catalogue()["01_industry.ipynb"]["title_en"]
    'Industry'
    """
    return {
        info.notebook: {
            "title_zh": info.title_zh,
            "title_en": info.title_en,
            "blurb_zh": info.blurb_zh,
            "blurb_en": info.blurb_en,
        }
        for info in APPS
    }


def sector_facts(ds: data.Dataset, sectors: tuple[str, ...]) -> pd.DataFrame:
    """The facts an app about these sectors shows."""
    return ds.facts[ds.facts["sector"].isin(sectors)]


class _Header:
    """What the app is about, and links to the other apps (the notebook's title names it)."""

    def __init__(self, info: AppInfo, html: W.HTML) -> None:
        self.info = info
        self.html = html

    def set_lang(self, lang: str) -> None:
        blurb = self.info.blurb_en if lang == "en" else self.info.blurb_zh
        links = []
        for other in APPS:
            name = other.title_en if lang == "en" else other.title_zh
            if other.name == self.info.name:
                links.append(f"<b>{ui.esc(name)}</b>")
            else:
                links.append(f"<a href='{ui.esc(other.notebook)}'>{ui.esc(name)}</a>")
        self.html.value = (
            f"<div class='briefing-header'><div class='briefing-blurb'>{ui.esc(blurb)}</div>"
            f"<nav class='briefing-nav-links'>{' · '.join(links)}</nav></div>"
        )


def _build_sector(name: str, lang: str) -> W.Widget:
    info = app_info(name)
    ds = data.load()
    facts = sector_facts(ds, info.sectors)
    toggle = ui.language_toggle(lang)
    title = W.HTML(layout=W.Layout(flex="1 1 auto"))
    header_view = _Header(info, title)
    header_view.set_lang(lang)
    header = W.HBox([title, toggle], layout=W.Layout(align_items="center", width="100%"))
    error = W.HTML()
    review = facts[(facts["part"] == "review_2022") & facts["headline"]]
    targets = facts[facts["part"] == "tasks_2023"]
    cards = views.Cards(review, "headline_results", lang)
    target_cards = views.Cards(targets, "targets_2023", lang)
    comparison = views.Comparison(ds, facts, lang)
    explorer = views.FactExplorer(ds, facts, lang, name)
    commitments = views.CommitmentList(
        ds, ds.commitments[ds.commitments["sector"].isin(info.sectors)], lang
    )
    parts: list[Any] = [header_view, cards, target_cards, comparison, explorer, commitments]
    sections = [
        ui.section(cards.widget, name="headlines"),
        ui.section(target_cards.widget, comparison.widget, name="targets"),
        ui.section(explorer.widget, name="explore"),
    ]
    projects = ds.projects[ds.projects["sector"].isin(info.sectors)]
    if not projects.empty:
        project_list = views.ProjectList(projects, lang)
        parts.append(project_list)
        sections.append(ui.section(project_list.widget, name="projects"))
    sections.append(ui.section(commitments.widget, name="commitments"))
    views.forward_lang(toggle, parts, error)
    app = ui.app_frame(header, error, *sections)
    app.briefing_fact_ids = frozenset(facts["fact_id"])
    app.briefing_views = {"explorer": explorer, "toggle": toggle, "cards": cards}
    return app


def sector_app(name: str, lang: str | None = None) -> W.Widget:
    """The briefing app of one sector (``industry``, ``urban_rural``, ``ecology``,
    ``livelihoods`` or ``reform_governance``)."""
    if app_info(name) not in SECTOR_APPS:
        raise KeyError(name)  # unknown names fail loudly, before any widget exists
    return ui.safe_app(lambda chosen: _build_sector(name, chosen), lang or ui.initial_lang())


def industry_app(lang: str | None = None) -> W.Widget:
    """Industry: projects, investment attraction, industrial land, upgrading."""
    return sector_app("industry", lang)


def urban_rural_app(lang: str | None = None) -> W.Widget:
    """Urban and rural development: roads, urban works, villages."""
    return sector_app("urban_rural", lang)


def ecology_app(lang: str | None = None) -> W.Widget:
    """Ecology: rivers, ponds, air quality, low-carbon development."""
    return sector_app("ecology", lang)


def livelihoods_app(lang: str | None = None) -> W.Widget:
    """Livelihoods: health, elderly care, education, public services."""
    return sector_app("livelihoods", lang)


def reform_governance_app(lang: str | None = None) -> W.Widget:
    """Reform and governance: reforms, public safety, administration."""
    return sector_app("reform_governance", lang)


# --------------------------------------------------------------------------- overview


class _Overview:
    """Main targets, headline results per sector, counts, and links to the sector apps."""

    def __init__(self, ds: data.Dataset, lang: str) -> None:
        self.ds = ds
        self.targets = W.HTML()
        self.sectors = W.HTML()
        self.counts = W.HTML()
        self.links = W.HTML()
        self.set_lang(lang)

    def main_targets(self) -> pd.DataFrame:
        """GDP, industrial investment, then the other headline 2023 targets."""
        facts = self.ds.facts
        tasks = facts[(facts["part"] == "tasks_2023") & facts["headline"]]
        overall = tasks[tasks["sector"] == "overall"]
        return _concat([overall, tasks[tasks["sector"] != "overall"]])

    def set_lang(self, lang: str) -> None:
        ds = self.ds
        facts = ds.facts
        self.targets.value = ui.heading(tr("targets_2023", lang)) + views.cards_html(
            self.main_targets(), lang
        )
        blocks = [ui.heading(tr("headline_results", lang))]
        for info in SECTOR_APPS:
            chosen = facts[
                facts["sector"].isin(info.sectors)
                & facts["headline"]
                & (facts["part"] == "review_2022")
            ]
            name = info.title_en if lang == "en" else info.title_zh
            blocks.append(
                f"<h3><a href='{ui.esc(info.notebook)}'>{ui.esc(name)}</a></h3>"
                + views.cards_html(chosen.head(4), lang)
            )
        self.sectors.value = "".join(blocks)
        rows = []
        for info in SECTOR_APPS:
            name = info.title_en if lang == "en" else info.title_zh
            n_facts = int(facts["sector"].isin(info.sectors).sum())
            n_projects = int(ds.projects["sector"].isin(info.sectors).sum())
            n_commitments = int(ds.commitments["sector"].isin(info.sectors).sum())
            rows.append(
                f"<tr><td><a href='{ui.esc(info.notebook)}'>{ui.esc(name)}</a></td>"
                f"<td>{n_facts}</td><td>{n_projects}</td><td>{n_commitments}</td></tr>"
            )
        overall = facts[facts["sector"] == "overall"]
        rows.append(
            f"<tr><td>{ui.esc(display.sector_label('overall', lang))}</td><td>{len(overall)}</td>"
            f"<td>{int((ds.projects['sector'] == 'overall').sum())}</td>"
            f"<td>{int((ds.commitments['sector'] == 'overall').sum())}</td></tr>"
        )
        header = "".join(
            f"<th>{ui.esc(tr(k, lang))}</th>"
            for k in ("sector", "facts_count", "projects_count", "commitments_count")
        )
        self.counts.value = (
            ui.heading(tr("sector", lang))
            + f"<table class='briefing-table briefing-counts'><thead><tr>{header}</tr></thead>"
            f"<tbody>{''.join(rows)}</tbody></table>"
        )


def _concat(frames: list[pd.DataFrame]) -> pd.DataFrame:
    import pandas as pd

    return pd.concat(frames, ignore_index=True)


def _build_overview(lang: str) -> W.Widget:
    info = app_info("overview")
    ds = data.load()
    toggle = ui.language_toggle(lang)
    title = W.HTML(layout=W.Layout(flex="1 1 auto"))
    header_view = _Header(info, title)
    header_view.set_lang(lang)
    header = W.HBox([title, toggle], layout=W.Layout(align_items="center", width="100%"))
    error = W.HTML()
    overview = _Overview(ds, lang)
    overall = ds.facts[ds.facts["sector"] == "overall"]
    explorer = views.FactExplorer(ds, ds.facts, lang, "all")
    views.forward_lang(toggle, [header_view, overview, explorer], error)
    app = ui.app_frame(
        header,
        error,
        ui.section(overview.targets, name="targets"),
        ui.section(overview.sectors, name="sectors"),
        ui.section(overview.counts, name="counts"),
        ui.section(explorer.widget, name="explore"),
    )
    app.briefing_fact_ids = frozenset(overall["fact_id"]) | frozenset(ds.facts["fact_id"])
    app.briefing_views = {"explorer": explorer, "toggle": toggle, "overview": overview}
    return app


def overview_app(lang: str | None = None) -> W.Widget:
    """The whole report at a glance, with links to every sector app."""
    return ui.safe_app(_build_overview, lang or ui.initial_lang())
