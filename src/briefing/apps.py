"""The apps: one function each, composing the shared views. Notebooks call exactly one of these.

Every app accepts an optional language (default: ``?lang=`` from the URL, else Chinese) and
never shows a traceback: building errors become a short message (see :func:`ui.safe_app`).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import ipywidgets as W

from briefing import bridge, data, display, pagemode, slides, story, ui, views
from briefing.catalogue import APPS, SECTOR_APPS, AppInfo, app_info, catalogue

__all__ = [
    "APPS",
    "SECTOR_APPS",
    "AppInfo",
    "app_info",
    "catalogue",
    "ecology_app",
    "industry_app",
    "livelihoods_app",
    "overview_app",
    "reform_governance_app",
    "sector_app",
    "urban_rural_app",
]
from briefing.i18n import DEFAULT_LANG, tr

if TYPE_CHECKING:
    import pandas as pd


def sector_facts(ds: data.Dataset, sectors: tuple[str, ...]) -> pd.DataFrame:
    """The facts an app about these sectors shows."""
    return ds.facts[ds.facts["sector"].isin(sectors)]


class Story:
    """The first screen: three to five headline claims built from the data, and the source
    of the one clicked."""

    def __init__(self, ds: data.Dataset, facts: pd.DataFrame, lang: str) -> None:
        self.ds = ds
        self.facts = facts
        self.html = W.HTML()
        self.source = views.SourcePanel(ds, ds.facts, lang)
        self.claims: list[story.Claim] = []
        self.widget = W.VBox([self.html, self.source.widget])
        self.widget.add_class("briefing-zone-story")
        self.set_lang(lang)

    def set_lang(self, lang: str) -> None:
        self.claims = story.claims(self.facts, self.ds.facts, lang)
        self.html.value = story.claims_html(self.claims, lang)
        self.source.set_lang(lang)

    def select(self, fact_id: str) -> None:
        """Show the sources of the claim whose line holds this fact."""
        for claim in self.claims:
            if fact_id in claim.fact_ids:
                self.source.show(*claim.fact_ids)
                return
        self.source.show(fact_id)


def page_titles(info: AppInfo) -> tuple[str, str]:
    """The browser tab's title of an app, in Chinese and in English."""
    if info.name == "overview":
        return tr("app_title", "zh"), tr("app_title", "en")
    return (
        f"{info.title_zh} · {tr('app_title', 'zh')}",
        f"{info.title_en} · {tr('app_title', 'en')}",
    )


def _zones(explorer: views.FactExplorer, panels: dict[str, Any]) -> Callable[[str, str], None]:
    """Where a clicked figure's source goes: beside the zone clicked, else the explorer's."""

    def clicked(fact_id: str, zone: str) -> None:
        target = panels.get(zone)
        if target is not None:
            target.select(fact_id) if hasattr(target, "select") else target.show(fact_id)
        else:
            explorer.select(fact_id)

    return clicked


def _build_sector(name: str, lang: str) -> W.Widget:
    info = app_info(name)
    ds = data.load()
    facts = sector_facts(ds, info.sectors)
    toggle = ui.language_toggle(lang)
    header_view = views.AppHeader(info.name, lang)
    header = header_view.row(toggle)
    error = W.HTML()
    if pagemode.current().present:
        views.forward_lang(toggle, [header_view], error)
        lead = Story(ds, facts, lang)
        deck = slides.sector_deck(ds, facts, info.sectors, lang)
        app = ui.app_frame(header, error, slides.story_slide(lead.html), *deck)
        app.briefing_fact_ids = frozenset(facts["fact_id"])
        app.briefing_views = {"toggle": toggle}
        return app
    review = facts[(facts["part"] == "review_2022") & facts["headline"]]
    # A first or an only one stated among the tasks (佛山唯一精细化工专区) is not a target.
    targets = facts[(facts["part"] == "tasks_2023") & (facts["kind"] != "distinction")]
    lead = Story(ds, facts, lang)
    extra_views: dict[str, Any] = {}
    cards = views.Cards(review, "headline_results", lang)
    figure_source = views.SourcePanel(ds, ds.facts, lang)
    explorer = views.FactExplorer(ds, facts, lang, name)
    commitments = views.CommitmentList(
        ds, ds.commitments[ds.commitments["sector"].isin(info.sectors)], lang
    )
    parts: list[Any] = [header_view, lead, cards, figure_source, explorer, commitments]
    sections = [
        ui.section(lead.widget, name="story"),
        ui.section(cards.widget, name="headlines"),
    ]
    if not targets.empty:  # an empty section is not shown
        target_cards = views.Cards(targets, "targets_2023", lang)
        comparison = views.Comparison(ds, facts, lang)
        parts += [target_cards, comparison]
        extra_views.update(comparison=comparison, target_cards=target_cards)
        shown = [target_cards.widget] + ([] if comparison.empty else [comparison.widget])
        sections.append(ui.section(*shown, name="targets"))
    figures_zone = W.VBox([*sections[1:], figure_source.widget])
    figures_zone.add_class("briefing-zone-figures")
    sections = [sections[0], figures_zone, ui.section(explorer.widget, name="explore")]
    projects = ds.projects[ds.projects["sector"].isin(info.sectors)]
    if not projects.empty:
        project_list = views.ProjectList(projects, lang)
        parts.append(project_list)
        sections.append(ui.section(project_list.widget, name="projects"))
    sections.append(ui.section(commitments.widget, name="commitments"))
    views.forward_lang(toggle, parts, error)
    clicks = bridge.mark_clicks(
        ui.guarded(error, lambda: str(toggle.value))(
            _zones(explorer, {"story": lead, "figures": figure_source})
        ),
        toggle,
        page_titles(info),
    )
    app = ui.app_frame(header, error, *sections, clicks)
    app.briefing_fact_ids = frozenset(facts["fact_id"])
    app.briefing_views = {
        "explorer": explorer,
        "toggle": toggle,
        "cards": cards,
        "story": lead,
        "clicks": clicks,
        "figure_source": figure_source,
        **extra_views,
    }
    return app


def sector_app(name: str, lang: str | None = None) -> W.Widget:
    """The briefing app of one sector (``industry``, ``urban_rural``, ``ecology``,
    ``livelihoods`` or ``reform_governance``)."""
    if app_info(name) not in SECTOR_APPS:
        raise KeyError(name)  # unknown names fail loudly, before any widget exists
    return _open(lambda chosen: _build_sector(name, chosen), lang)


def _open(build: Callable[[str], W.Widget], lang: str | None) -> W.Widget:
    """Build an app in ``lang``, else in the language the page's URL asks for.

    A pre-heated kernel runs the notebook before its viewer arrives, and the URL is known
    only then: it builds the app in the default language first and, if the URL asks for
    another, switches it with the app's own language toggle. The viewer then waits for that
    switch at most, not for the whole app to be built.
    """
    if lang:
        return ui.safe_app(build, lang)
    if not ui.waiting_for_viewer():
        return ui.safe_app(build, ui.page_mode().lang)
    app = ui.safe_app(build, DEFAULT_LANG)
    mode = ui.page_mode()
    if mode.present or mode.dark:
        # Meeting mode composes other screens, and the dark theme other chart colours:
        # built again for this page (the light, scrolling page keeps the fast path).
        return ui.safe_app(build, mode.lang)
    if mode.lang == DEFAULT_LANG:
        return app
    toggle = getattr(app, "briefing_views", {}).get("toggle")
    if toggle is None:  # building failed: give the message in the viewer's language
        return ui.safe_app(build, mode.lang)
    toggle.value = mode.lang
    return app


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


def headline_results(facts: pd.DataFrame, info: AppInfo) -> pd.DataFrame:
    """A sector app's headline results of 2022 (the overview's cards and slides)."""
    return facts[
        facts["sector"].isin(info.sectors) & facts["headline"] & (facts["part"] == "review_2022")
    ]


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
            chosen = headline_results(facts, info)
            name = info.title_en if lang == "en" else info.title_zh
            blocks.append(
                f"<h3>{ui.app_link(info.notebook, name)}</h3>"
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
                f"<tr><td>{ui.app_link(info.notebook, name)}</td>"
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
    header_view = views.AppHeader(info.name, lang)
    header = header_view.row(toggle)
    error = W.HTML()
    overview = _Overview(ds, lang)
    lead = Story(ds, ds.facts, lang)
    figure_source = views.SourcePanel(ds, ds.facts, lang)
    overall = ds.facts[ds.facts["sector"] == "overall"]
    if pagemode.current().present:
        views.forward_lang(toggle, [header_view], error)
        deck = _overview_deck(ds, overview, lang)
        app = ui.app_frame(header, error, slides.story_slide(lead.html), *deck)
        app.briefing_fact_ids = frozenset(ds.facts["fact_id"])
        app.briefing_views = {"toggle": toggle}
        return app
    explorer = views.FactExplorer(ds, ds.facts, lang, "all")
    views.forward_lang(toggle, [header_view, lead, overview, figure_source, explorer], error)
    figures_zone = W.VBox(
        [
            ui.section(overview.targets, name="targets"),
            ui.section(overview.sectors, name="sectors"),
            figure_source.widget,
        ]
    )
    figures_zone.add_class("briefing-zone-figures")
    clicks = bridge.mark_clicks(
        ui.guarded(error, lambda: str(toggle.value))(
            _zones(explorer, {"story": lead, "figures": figure_source})
        ),
        toggle,
        page_titles(info),
    )
    app = ui.app_frame(
        header,
        error,
        ui.section(lead.widget, name="story"),
        figures_zone,
        ui.section(overview.counts, name="counts"),
        ui.section(explorer.widget, name="explore"),
        clicks,
    )
    app.briefing_fact_ids = frozenset(overall["fact_id"]) | frozenset(ds.facts["fact_id"])
    app.briefing_views = {
        "explorer": explorer,
        "toggle": toggle,
        "overview": overview,
        "story": lead,
        "clicks": clicks,
        "figure_source": figure_source,
    }
    return app


def _overview_deck(ds: data.Dataset, overview: _Overview, lang: str) -> list[W.Widget]:
    """Meeting mode: the main targets, each sector's headline results, the counts."""
    deck = slides.card_slides(overview.main_targets(), tr("targets_2023", lang), lang)
    facts = ds.facts
    for info in SECTOR_APPS:
        chosen = headline_results(facts, info)
        name = info.title_en if lang == "en" else info.title_zh
        deck += slides.card_slides(chosen.head(4), f"{tr('headline_results', lang)} · {name}", lang)
    deck.append(ui.section(overview.counts, name="slide-counts"))
    return deck


def overview_app(lang: str | None = None) -> W.Widget:
    """The whole report at a glance, with links to every sector app."""
    return _open(_build_overview, lang)
