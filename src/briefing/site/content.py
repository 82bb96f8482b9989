"""The body of each app's static page, made by the apps' own views and chart builders.

Each function returns a :class:`Body`: HTML with ``data-*`` hooks for ``site.js``, the
Vega-Lite specs it draws (keyed by the id of their box), the facts it lists and the strings
its script needs. Nothing here decides what a chart or a label looks like: the views do.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from briefing import charts, text, ui, views
from briefing.catalogue import APPS, AppInfo
from briefing.i18n import tr
from briefing.vocab import PARTS, label

if TYPE_CHECKING:
    import ipywidgets as W
    import pandas as pd

    from briefing.data import Dataset

_ZH = " lang='zh-CN'"
_NOTEBOOK_LINK = re.compile(r"""(href=["'])([^"'#?/]+)\.ipynb(?=[#?"'])""")

#: Strings only the static pages use (the rest come from the apps' own tables).
STRINGS: dict[str, tuple[str, str]] = {
    "rows_shown": ("共 {n} 条", "{n} figures"),
    "chart_error": ("图表无法显示。", "The chart cannot be shown."),
    "pick_fact": ("选择一个数字查看原文", "Choose a figure to see its source"),
    "chart_menu": (
        "图表右上角的「…」菜单可把图表保存为 PNG 或 SVG。",
        "The “…” menu at the top right of a chart saves it as PNG or SVG.",
    ),
    "all_data": ("全部数据(数据包 ZIP)", "All data (data package, ZIP)"),
    "data_files": ("数据文件", "Data files"),
    "filters": ("筛选", "Filters"),
    "search_mode": ("检索方式", "Search by"),
    "en_hits": (
        "英文词「{q}」在 {n} 个数字的英文名称中找到(报告原文为中文):",
        "“{q}” is in the English names of {n} figures (the report itself is in Chinese):",
    ),
    "en_none": (
        "报告原文为中文;英文词只在数字的英文名称中查找,「{q}」没有找到。请试试中文词语,如:园区。",
        "The report is in Chinese: English words are looked for in the English names of its "
        "figures only, and none has “{q}”. Try a Chinese term, e.g. 园区 (industrial park).",
    ),
}


def s(key: str, lang: str) -> str:
    zh, en = STRINGS[key]
    return en if lang == "en" else zh


@dataclass
class Body:
    """What one page shows and what its script needs."""

    html: str
    charts: dict[str, dict[str, Any]] = field(default_factory=dict)
    fact_ids: list[str] = field(default_factory=list)
    strings: dict[str, str] = field(default_factory=dict)
    scripts: list[str] = field(default_factory=list)
    data: dict[str, Any] = field(default_factory=dict)


def relink(value: str, names: Sequence[str]) -> str:
    """Point links to exported notebooks (``01_industry.ipynb``) at their pages.

    >>> relink("<a href='01_industry.ipynb'>x</a> <a href='9.ipynb'>y</a>", ["01_industry"])
    "<a href='01_industry.html'>x</a> <a href='9.ipynb'>y</a>"
    """
    stems = set(names)

    def swap(match: re.Match[str]) -> str:
        stem = match.group(2)
        return f"{match.group(1)}{stem}.html" if stem in stems else match.group(0)

    return _NOTEBOOK_LINK.sub(swap, value)


def _title(spec: dict[str, Any]) -> str:
    """The text of a spec's own title ('' if it has none)."""
    title = spec.get("title", "")
    text = title.get("text", "") if isinstance(title, dict) else title
    if isinstance(text, list):
        return " ".join(str(line) for line in text)
    return str(text or "")


def chart_label(spec: dict[str, Any]) -> str:
    """What a chart is called for screen readers: its title or, for charts side by side
    without one, their titles.

    >>> chart_label({"title": {"text": ["Output", "2022"]}})
    'Output 2022'
    >>> chart_label({"hconcat": [{"title": "Review"}, {"title": "Tasks"}]})
    'Review; Tasks'
    """
    own = _title(spec)
    if own:
        return own
    parts = [spec["spec"]] if "spec" in spec else []  # a facet's or a repeat's chart
    parts += [part for key in ("hconcat", "vconcat", "concat") for part in spec.get(key, [])]
    labels = [chart_label(part) for part in parts if isinstance(part, dict)]
    return "; ".join(label for label in labels if label)


def chart_box(body: Body, chart_id: str, spec: dict[str, Any], label: str = "") -> str:
    """A box ``site.js`` draws a spec into, named for screen readers by ``label`` or
    :func:`chart_label`."""
    body.charts[chart_id] = spec
    kind = str(spec.get("usermeta", {}).get("kind", ""))
    return (
        f"<div class='chart-holder' data-chart-holder><div class='chart' id='chart-{chart_id}' "
        f"data-chart='{ui.esc(chart_id)}' data-kind='{ui.esc(kind)}' role='figure' "
        f"aria-label='{ui.esc(label or chart_label(spec))}'></div></div>"
    )


def output_specs(output: W.Output) -> list[dict[str, Any]]:
    """The Vega-Lite specs an app's Output widget holds (as the live app draws them)."""
    return [
        item["data"][charts.VEGALITE_MIME]
        for item in output.outputs
        if charts.VEGALITE_MIME in item.get("data", {})
    ]


def _select(name: str, label: str, options: Sequence[tuple[str, str]], lang: str) -> str:
    items = "".join(
        f"<option value='{ui.esc(value)}'>{ui.esc(text)}</option>" for text, value in options
    )
    return (
        f"<label class='filter'><span>{ui.esc(label)}</span>"
        f"<select data-filter='{ui.esc(name)}'><option value=''>{ui.esc(tr('all', lang))}</option>"
        f"{items}</select></label>"
    )


def _strings(lang: str, keys: Sequence[str]) -> dict[str, str]:
    return {key: s(key, lang) for key in keys}


# --------------------------------------------------------------------------- the explorer


def explorer(body: Body, ds: Dataset, facts: pd.DataFrame, lang: str, name: str) -> str:
    """The app's explorer as the live app builds it (:class:`views.FactExplorer`): its filter
    choices, its charts and figure cards for all its facts, its picker; ``site.js`` filters
    the rows of each chart and the cards, and shows the table and the sources."""
    view = views.FactExplorer(ds, facts, lang, name)
    choices = {
        key: [option for option in control.options if option[1] != views.ALL]
        for key, control in (("part", view.part), ("topic", view.topic), ("kind", view.kind))
    }
    selects = "".join(_select(key, tr(key, lang), choices[key], lang) for key in choices)
    toggle = "".join(
        f"<label class='seg'><input type='radio' name='view' data-view value='{value}'"
        f"{' checked' if value == 'chart' else ''}><span>{ui.esc(tr(value, lang))}</span></label>"
        for value in ("chart", "table")
    )
    boxes = "".join(
        chart_box(body, f"{name}-{index}", spec)
        for index, spec in enumerate(output_specs(view.chart_out))
    )
    picker = "".join(
        f"<option value='{ui.esc(value)}'>{ui.esc(text)}</option>"
        for text, value in view.picker.options
        if value
    )
    body.fact_ids.extend(facts["fact_id"])
    body.strings.update(_strings(lang, ("rows_shown", "chart_error")))
    return str(
        "<section id='explore' class='section' data-scope='explore'>"
        + view.title.value
        + f"<div class='filters' role='group' aria-label='{ui.esc(s('filters', lang))}'>"
        f"{selects}<fieldset class='view-toggle'><legend>{ui.esc(tr('view', lang))}</legend>"
        f"{toggle}</fieldset></div>"
        f"<div data-view-panel='chart'>{boxes}"
        f"<div data-fact-filtered>{view.figures.value}</div>"
        f"<p class='briefing-muted'>{ui.esc(s('chart_menu', lang))}</p></div>"
        "<div data-view-panel='table' hidden><div class='table-wrap'>"
        "<table class='briefing-table fact-table' data-fact-table></table></div>"
        "<p class='briefing-muted' data-row-count></p></div>"
        f"<p class='briefing-muted' data-empty hidden>{ui.esc(tr('no_data', lang))}</p>"
        f"{view.hint.value}"
        f"<label class='picker'><span>{ui.esc(s('pick_fact', lang))}</span>"
        f"<select data-fact-picker><option value=''>—</option>{picker}</select></label>"
        f"{SOURCE_PANEL}"
        f"<div class='downloads'><span class='briefing-muted'>{ui.esc(tr('download', lang))}:"
        f"</span> <button type='button' data-csv>{ui.esc(tr('download_csv', lang))}</button> "
        f"<a class='button' href='{{root}}data/datang-2023-report-data.zip' download>"
        f"{ui.esc(tr('download_zip', lang))}</a></div>"
        "</section>"
    )


#: Where the quote of a clicked figure appears (the nearest one to the click).
SOURCE_PANEL = (
    "<div class='briefing-source-panel' data-source-panel aria-live='polite' hidden></div>"
)


def _section(name: str, html: str, scope: str = "") -> str:
    attribute = f" data-scope='{scope}'" if scope else ""
    return f"<section id='{name}' class='section'{attribute}>{html}</section>"


def projects(ds: Dataset, frame: pd.DataFrame, lang: str) -> str:
    """The named projects (the app's own table), filterable by part and status."""
    view = views.ProjectList(frame, lang)
    selects = _select(
        "part", tr("part", lang), [o for o in view.part.options if o[1] != views.ALL], lang
    ) + _select(
        "status", tr("status", lang), [o for o in view.status.options if o[1] != views.ALL], lang
    )
    return _section(
        "projects",
        view.title.value
        + f"<div class='filters'>{selects}</div><div class='table-wrap'>{view.table.value}</div>",
        scope="projects",
    )


# --------------------------------------------------------------------------- pages


def _story(ds: Dataset, facts: pd.DataFrame, lang: str) -> str:
    """The first screen: the app's headline claims, each line showing its sources."""
    from briefing.apps import Story

    return _section("story", Story(ds, facts, lang).html.value + SOURCE_PANEL)


def sector_body(ds: Dataset, info: AppInfo, lang: str) -> Body:
    """A sector app as :func:`briefing.apps.sector_app` composes it: claims, cards, targets
    beside results, the explorer, projects, commitments."""
    from briefing.apps import sector_facts

    body = Body("")
    facts = sector_facts(ds, info.sectors)
    review = facts[(facts["part"] == "review_2022") & facts["headline"]]
    targets = facts[(facts["part"] == "tasks_2023") & (facts["kind"] != "distinction")]
    parts = [
        _story(ds, facts, lang),
        _section("headlines", views.Cards(review, "headline_results", lang).widget.value),
    ]
    if not targets.empty:
        comparison = views.Comparison(ds, facts, lang)
        compare = "".join(
            chart_box(body, f"compare-{index}", spec)
            for index, spec in enumerate(output_specs(comparison.out))
        )
        cards = views.Cards(targets, "targets_2023", lang).widget.value
        parts.append(_section("targets", cards + compare + SOURCE_PANEL))
    parts.append(explorer(body, ds, facts, lang, info.name))
    frame = ds.projects[ds.projects["sector"].isin(info.sectors)]
    if not frame.empty:
        parts.append(projects(ds, frame, lang))
    commitments = ds.commitments[ds.commitments["sector"].isin(info.sectors)]
    parts.append(_section("commitments", views.CommitmentList(ds, commitments, lang).widget.value))
    body.html = "".join(parts)
    return body


def overview_body(ds: Dataset, info: AppInfo, lang: str) -> Body:
    """The overview: claims, main targets, results per sector, counts, the explorer."""
    from briefing.apps import _Overview

    body = Body("")
    overview = _Overview(ds, lang)
    body.html = (
        _story(ds, ds.facts, lang)
        + _section("targets", overview.targets.value + SOURCE_PANEL)
        + _section("sectors", overview.sectors.value)
        + _section("counts", f"<div class='table-wrap'>{overview.counts.value}</div>")
        + explorer(body, ds, ds.facts, lang, info.name)
    )
    return body


def tracker_body(ds: Dataset, info: AppInfo, lang: str) -> Body:
    """The commitments as recorded when the site was exported, filterable by area and state."""
    from briefing import progress, tracker

    body = Body("")
    view = tracker.Tracker(ds, progress.load_log(ds.root), lang)
    area_options = [o for o in view.area.options if o[1] != tracker.ALL]
    status_options = [o for o in view.status.options if o[1] != tracker.ALL]
    filters = (
        "<div class='filters'>"
        + _select("area_id", tracker.t("area", lang), area_options, lang)
        + _select("state", tracker.t("status", lang), status_options, lang)
        + "</div>"
    )
    states = (
        chart_box(body, "states", view.states_chart.to_dict(validate=False))
        if view.states_chart is not None
        else ""
    )
    timeline = (
        chart_box(body, "timeline", view.chart.to_dict(validate=False))
        if view.chart is not None
        else f"<div class='briefing-muted'>{ui.esc(tracker.t('no_updates', lang))}</div>"
    )
    areas = []
    for area, widget in view.area_html.items():
        html = widget.value.replace(
            "<div class='briefing-commitment'",
            f"<div class='briefing-commitment' data-item data-area_id='{ui.esc(area)}'",
        )
        areas.append(f"<div class='section' data-group>{html}</div>")
    body.html = (
        tracker.STYLE
        + "<div data-scope='tracker'>"
        + _section("summary", filters + view.summary.value + states)
        + _section("timeline", view.timeline_title.value + timeline)
        + "".join(areas)
        + "</div>"
    )
    return body


def reader_body(ds: Dataset, info: AppInfo, lang: str) -> Body:
    """The report reader: search box, the whole report, and the keyword charts.

    The report and the charts are the reader app's own HTML and specs; ``reader.js``
    searches the paragraphs (phrases, whole words as the segmenter cut them at export, and
    English words over the facts' translations).
    """
    from briefing import reader, reader_strings
    from briefing.reader_keywords import TOP_TERMS

    view = reader.build_reader(lang, dataset=ds)
    view.start_analysis(background=False)
    body = Body("", scripts=["reader.js"])
    t = reader_strings.t  # the reader app's own strings
    suggestions = "".join(
        f"<button type='button' class='suggestion' lang='zh-CN' data-query='{ui.esc(q)}'>"
        f"{ui.esc(q)}</button>"
        for q in reader.SUGGESTED_QUERIES
    )
    modes = "".join(
        f"<label class='seg'><input type='radio' name='mode' value='{value}' data-mode"
        f"{' checked' if value == 'phrase' else ''}><span>{ui.esc(t(value, lang))}</span></label>"
        for value in ("phrase", "word")
    )
    terms = "".join(
        f"<option value='{ui.esc(value)}'{_ZH if value else ''}>{ui.esc(text)}</option>"
        for text, value in view._term_options()
    )
    # The parts' charts stand side by side under the names of the parts: say what they count.
    whole, parts = output_specs(view.chart_all), output_specs(view.chart_parts)
    parts_label = (";" if lang == "zh" else "; ").join(
        t("part_terms", lang, part=_part_label(part, lang), n=TOP_TERMS) for part in PARTS
    )
    charts_html = "".join(
        chart_box(body, f"terms-{index}", spec, "" if index < len(whole) else parts_label)
        for index, spec in enumerate(whole + parts)
    )
    search = (
        ui.heading(t("search", lang)) + "<form class='search' data-search role='search'>"
        f"<input type='search' name='q' maxlength='{text.MAX_QUERY_CHARS}' "
        f"placeholder='{ui.esc(t('placeholder', lang))}' aria-label='{ui.esc(t('search', lang))}'>"
        f"<button type='submit'>{ui.esc(t('search_button', lang))}</button>"
        f"<fieldset class='view-toggle'><legend>{ui.esc(s('search_mode', lang))}</legend>{modes}"
        "</fieldset></form>"
        f"<div class='suggestions'><span class='briefing-muted'>{ui.esc(t('try', lang))}</span>"
        f"{suggestions}</div>"
        f"<div class='briefing-muted'>{ui.esc(t('search_help', lang))}</div>"
        "<div class='briefing-reader-summary' data-summary aria-live='polite'></div>"
        "<ol class='briefing-hits' data-hits></ol>"
    )
    report = ui.heading(t("reader", lang)) + view.toc.value + view.report_html.value
    keywords = (
        ui.heading(t("keywords", lang))
        + f"<div class='briefing-muted'>{ui.esc(t('keywords_note', lang))}</div>"
        + f"<label class='picker'><span>{ui.esc(t('pick_term', lang))}</span>"
        f"<select data-term-picker>{terms}</select></label>" + charts_html
    )
    body.html = (
        reader_strings.STYLE
        + _section("search", search)
        + _section("keywords", keywords)
        + _section("report", report)
    )
    body.strings.update({key: t(key, lang) for key in reader_strings.STRINGS})
    body.strings.update(_strings(lang, ("en_hits", "en_none")))
    body.data["paragraphs"] = [
        {
            "id": row["paragraph_id"],
            "section": row["section_id"],
            "part": row["part"] if "part" in row else view.sections[row["section_id"]]["part"],
            "text": row["text"],
            "words": view.segmenter.words(str(row["text"])),
        }
        for row in view.paragraphs
    ]
    body.data["sections"] = {
        section_id: view._section_title(section_id) for section_id in view.sections
    }
    body.data["parts"] = {p: _part_label(p, lang) for p in PARTS}
    return body


def _part_label(part: str, lang: str) -> str:
    return label(PARTS, part, lang)


BUILDERS = {
    "overview": overview_body,
    "reader": reader_body,
    "commitments": tracker_body,
}


def body_for(ds: Dataset, info: AppInfo, lang: str) -> Body:
    """The body of an app's page."""
    build = BUILDERS.get(info.name, sector_body)
    body = build(ds, info, lang)
    body.html = relink(body.html, [a.notebook.removesuffix(".ipynb") for a in APPS])
    return body


__all__ = ["STRINGS", "Body", "body_for", "relink"]
