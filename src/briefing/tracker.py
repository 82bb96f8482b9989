"""The read-only commitments tracker: where each 2023 task stands, as staff recorded it.

For each task area (and the main targets) the app lists its commitments with their current
state, the latest value against the target where there is one, the updates recorded so far
and the source quote; a chart shows the updates over time. Filters by area and by state;
Chinese by default, English on the toggle; ``?area=t1&status=at_risk&lang=en`` in the URL
opens it filtered.

This app only reads. It contains no control that writes and imports nothing that writes:
staff record progress with ``briefing progress add`` or the staff form (:mod:`briefing.staff`,
kept out of the served notebooks).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, Final

import ipywidgets as W

from briefing import charts, data, display, frames, progress, ui, views
from briefing import vegalite as vl
from briefing.i18n import tr

if TYPE_CHECKING:
    from briefing.progress import Entry, Status

ALL: Final = "__all__"
AREAS: Final = ("t0", "t1", "t2", "t3", "t4", "t5", "t6")

STRINGS: Final[dict[str, tuple[str, str]]] = {
    "area": ("任务板块", "Task area"),
    "status": ("进展状态", "Status"),
    "summary": ("进展概况", "Summary"),
    "timeline": ("进展记录时间线", "Timeline of updates"),
    "no_updates": (
        "尚无进展记录。工作人员登记进展后,这里会显示每项任务的最新情况。",
        "No progress has been recorded yet. Once staff record updates, each task's latest "
        "state appears here.",
    ),
    "no_match": ("当前筛选条件下没有工作任务。", "No commitments match the current filters."),
    "latest": ("最新数值", "Latest value"),
    "target": ("目标", "target"),
    "met": ("已达到目标", "target met"),
    "not_met": ("尚未达到目标", "target not yet met"),
    "no_value": ("尚无数值", "no value recorded yet"),
    "updates": ("进展记录", "Updates"),
    "date": ("日期", "Date"),
    "note": ("说明", "Note"),
    "evidence": ("佐证材料", "Evidence"),
    "value": ("数值", "Value"),
    "deadline": ("时限", "Deadline"),
    "source": ("报告原文", "In the report"),
    "as_of": ("数据截至", "Latest update"),
    "commitments": ("项任务", "commitments"),
    "main_targets": ("主要目标", "Main targets"),
    "shown": ("显示", "Showing"),
    "baseline": ("2022年", "2022"),
    "by_area": ("各板块任务进展", "Commitments by area and status"),
    "count": ("任务数", "Commitments"),
}

#: How each comparator reads beside a target.
COMPARATOR_TEXT: Final[dict[str, tuple[str, str]]] = {
    "gt": ("须超过目标值", "must exceed the target"),
    "ge": ("达到或超过目标值即可", "reaching the target is enough"),
    "lt": ("须低于目标值", "must stay below the target"),
    "le": ("不高于目标值即可", "at most the target"),
    "approx": (
        f"与目标值相差不超过±{progress.APPROX_TOLERANCE:.0%}",
        f"within ±{progress.APPROX_TOLERANCE:.0%} of the target",
    ),
}

#: Okabe-Ito hues (distinguishable with the common colour-vision deficiencies), each with a
#: light tint for the badge and a symbol, so the state never rests on colour alone.
STATE_STYLE: Final[dict[str, tuple[str, str, str, str]]] = {
    # state: (hue, tint, symbol, chart shape)
    "done": ("#009E73", "#d4f0e7", "✓", "circle"),
    "in_progress": ("#0072B2", "#d6e8f4", "▶", "triangle-right"),
    "at_risk": ("#D55E00", "#f9e0cf", "!", "diamond"),
    "not_started": ("#E69F00", "#fcefd2", "○", "square"),
    "dropped": ("#000000", "#e6e6e6", "✕", "cross"),
    progress.NO_DATA: ("#8c959f", "#ffffff", "–", "stroke"),
}

_ZH_NUMERALS = "〇一二三四五六七八九"

STYLE: Final = """
<style>
.briefing-badge { display: inline-block; border: 2px solid; border-radius: 11px;
  padding: 0 8px; font-size: 13px; font-weight: 600; color: #1b1b1b; white-space: nowrap;
  line-height: 1.6; }
.briefing-badge-no_data { border-style: dashed; }
.briefing-commitment { border-bottom: 1px solid #e1e4e8; padding: 8px 0; }
.briefing-commitment .t { font-weight: 600; margin-left: 6px; }
.briefing-commitment .m { margin: 4px 0 0 2px; }
.briefing-commitment .met { color: #00684c; font-weight: 600; }
.briefing-commitment .unmet { color: #8a3a00; font-weight: 600; }
.briefing-commitment details { margin-top: 4px; }
.briefing-commitment blockquote { margin: 4px 0 0 0; padding: 2px 10px;
  border-left: 3px solid #E69F00; color: #3d444d; font-size: 14px; }
.briefing-counts-row { display: flex; flex-wrap: wrap; gap: 8px; margin: 6px 0; }
</style>
"""


def t(key: str, lang: str) -> str:
    """A string of this app in a language.

    Examples
    --------
    >>> t("summary", "en")
    'Summary'
    """
    zh, en = STRINGS[key]
    return en if lang == "en" else zh


# --------------------------------------------------------------------------- pure HTML


def badge(state: str, lang: str) -> str:
    """A state as a coloured badge with a symbol and its label (escaped HTML).

    Examples
    --------
    >>> badge("done", "en")  # doctest: +ELLIPSIS
    "<span class='briefing-badge briefing-badge-done' data-state='done' style='...'>✓ Done</span>"
    """
    hue, tint, symbol, _shape = STATE_STYLE[state]
    text = f"{symbol} {progress.status_label(state, lang)}"
    return (
        f"<span class='briefing-badge briefing-badge-{ui.esc(state)}' data-state='{ui.esc(state)}'"
        f" style='border-color: {hue}; background: {tint}'>{ui.esc(text)}</span>"
    )


def evidence_html(evidence: str) -> str:
    """Evidence as escaped text, or as a link when it is an http(s) address.

    Examples
    --------
    >>> evidence_html("会议纪要(2023)第5号")
    '会议纪要(2023)第5号'
    >>> evidence_html("https://example.org/a?b=1&c=2")  # doctest: +NORMALIZE_WHITESPACE
    "<a href='https://example.org/a?b=1&amp;c=2' target='_blank'
    rel='noopener noreferrer'>https://example.org/a?b=1&amp;c=2</a>"
    >>> evidence_html("javascript:alert(1)")
    'javascript:alert(1)'
    """
    lowered = evidence.lower()
    if lowered.startswith(("https://", "http://")) and not any(ch.isspace() for ch in evidence):
        link = ui.esc(evidence)
        return f"<a href='{link}' target='_blank' rel='noopener noreferrer'>{link}</a>"
    return ui.esc(evidence)


def value_text(value: float, unit: str, kind: str, lang: str) -> str:
    """A recorded value with its unit, written like the report's figures.

    Examples
    --------
    >>> value_text(120, "亿元", "money", "zh"), value_text(120, "亿元", "money", "en")
    ('120亿元', '12 billion yuan')
    """
    return display.value_text({"value": value, "unit": unit, "qualifier": "", "kind": kind}, lang)


def measure_html(status: Status, fact: Mapping[str, Any], lang: str) -> str:
    """ "120亿元 / 目标 超250亿元", whether it is met, and how the target is compared."""
    target = status.target
    if target is None:
        return ""
    goal = f"{t('target', lang)} {display.value_text(fact, lang)}"
    if lang == "en":
        goal = f"{t('target', lang)}: {display.value_text(fact, lang)}"
    rule = COMPARATOR_TEXT[target.comparator][1 if lang == "en" else 0]
    entry = status.value_entry
    if entry is None or entry.value is None:
        shown = f"{t('no_value', lang)} / {goal}"
        verdict = ""
    else:
        shown = f"{value_text(entry.value, entry.unit, target.kind, lang)} / {goal}"
        shown += f" ({entry.date.isoformat()})"
        if status.met is None:
            verdict = ""
        elif status.met:
            verdict = f" · <span class='met'>✓ {ui.esc(t('met', lang))}</span>"
        else:
            verdict = f" · <span class='unmet'>{ui.esc(t('not_met', lang))}</span>"
    return (
        f"<div class='m'><span class='briefing-muted'>{ui.esc(t('latest', lang))}:</span> "
        f"<b>{ui.esc(shown)}</b>{verdict} "
        f"<span class='briefing-muted'>({ui.esc(rule)})</span></div>"
    )


def entries_html(entries: Sequence[Entry], kind: str, lang: str) -> str:
    """The updates of one commitment, newest first, as an escaped table in a ``<details>``."""
    if not entries:
        return ""
    rows = []
    for entry in sorted(entries, key=progress.order_key, reverse=True):
        value = "" if entry.value is None else value_text(entry.value, entry.unit, kind, lang)
        rows.append(
            f"<tr><td>{ui.esc(entry.date.isoformat())}</td><td>{badge(entry.status, lang)}</td>"
            f"<td>{ui.esc(value)}</td><td>{ui.esc(entry.note)}</td>"
            f"<td>{evidence_html(entry.evidence)}</td></tr>"
        )
    header = "".join(
        f"<th>{ui.esc(t(key, lang))}</th>"
        for key in ("date", "status", "value", "note", "evidence")
    )
    return (
        f"<details><summary>{ui.esc(t('updates', lang))} ({len(entries)})</summary>"
        f"<table class='briefing-table'><thead><tr>{header}</tr></thead>"
        f"<tbody>{''.join(rows)}</tbody></table></details>"
    )


def area_title(sections: Mapping[str, Mapping[str, Any]], area: str, lang: str) -> str:
    """The title of a task area: 主要目标, or 一、聚焦质量与效益… as the report numbers them."""
    if area == "t0":
        return t("main_targets", lang)
    section = sections[area]
    number = int(area[1:])
    if lang == "en":
        return f"{number}. {section['title_en']}"
    return f"{_ZH_NUMERALS[number]}、{section['title_zh']}"


# --------------------------------------------------------------------------- chart


def timeline_rows(
    statuses: Mapping[str, Status], commitments: Mapping[str, Mapping[str, Any]], lang: str
) -> list[dict[str, Any]]:
    """One row per update of the given commitments: what the timeline chart plots."""
    rows = []
    for commitment_id, status in statuses.items():
        commitment = commitments[commitment_id]
        title = commitment["title_en"] if lang == "en" else commitment["title_zh"]
        kind = status.target.kind if status.target else ""
        for entry in status.entries:
            value = "" if entry.value is None else value_text(entry.value, entry.unit, kind, lang)
            rows.append(
                {
                    "date": entry.date.isoformat(),
                    "commitment_id": commitment_id,
                    "label": f"{commitment_id} {title}",
                    "status": entry.status,
                    "status_label": progress.status_label(entry.status, lang),
                    "value": value,
                    "note": entry.note,
                }
            )
    return rows


def timeline_chart(rows: Sequence[Mapping[str, Any]], lang: str) -> vl.Spec:
    """Updates over time: one line per commitment, one point per update, coloured by status.

    Colour and shape both encode the status (Okabe-Ito hues), so it reads without colour.
    """
    states = [s for s in progress.STATUSES if any(r["status"] == s for r in rows)]
    domain = [progress.status_label(s, lang) for s in states]
    labels = list(dict.fromkeys(r["label"] for r in rows))
    y = vl.field(
        "label", "nominal", axis={"labelFontSize": 13, "labelLimit": 360}, sort=labels, title=None
    )
    x = vl.field(
        "date",
        "temporal",
        axis={"format": "%Y-%m-%d", "labelAngle": 0, "tickCount": 6},
        scale={"padding": 18, "type": "utc"},
        title=t("date", lang),
    )
    line = {
        "mark": {"type": "line", "color": "#c4c9cf", "strokeWidth": 2},
        "encoding": {"detail": vl.field("commitment_id", "nominal"), "x": x, "y": y},
    }
    points = {
        "mark": {"type": "point", "filled": True, "opacity": 1, "size": 140},
        "encoding": {
            "color": vl.field(
                "status_label",
                "nominal",
                legend={"orient": "bottom"},
                scale={"domain": domain, "range": [STATE_STYLE[s][0] for s in states]},
                title=t("status", lang),
            ),
            "shape": vl.field(
                "status_label",
                "nominal",
                scale={"domain": domain, "range": [STATE_STYLE[s][3] for s in states]},
                title=t("status", lang),
            ),
            "tooltip": [
                vl.field(
                    "date", "temporal", format="%Y-%m-%d", formatType="utc", title=t("date", lang)
                ),
                vl.field("label", "nominal", title=tr("commitments", lang)),
                vl.field("status_label", "nominal", title=t("status", lang)),
                vl.field("value", "nominal", title=t("value", lang)),
                vl.field("note", "nominal", title=t("note", lang)),
            ],
            "x": x,
            "y": y,
        },
    }
    return vl.Spec(
        {
            "layer": [line, points],
            "data": {"values": [dict(r) for r in rows]},
            "height": max(60, 30 * len(labels)),
            "width": 560,
        }
    )


def state_rows(
    statuses: Mapping[str, Status],
    commitments: Mapping[str, Mapping[str, Any]],
    titles: Mapping[str, str],
) -> list[dict[str, Any]]:
    """How many commitments of each area are in each state (non-zero counts only)."""
    counts: dict[tuple[str, str], int] = {}
    for commitment_id, status in statuses.items():
        key = (commitments[commitment_id]["area"], status.state)
        counts[key] = counts.get(key, 0) + 1
    return [
        {"area": title, "state": state, "order": progress.STATES.index(state), "count": n}
        for area, title in titles.items()
        for state in progress.STATES
        if (n := counts.get((area, state), 0))
    ]


def state_chart(rows: Sequence[Mapping[str, Any]], areas: Sequence[str], lang: str) -> vl.Spec:
    """Stacked bars: the commitments of each area by current state, in the badges' colours."""
    labelled = [{**row, "state_label": progress.status_label(row["state"], lang)} for row in rows]
    return vl.Spec(
        {
            "mark": {"type": "bar"},
            "data": {"values": labelled},
            "encoding": {
                "color": vl.field(
                    "state_label",
                    "nominal",
                    legend={"orient": "bottom"},
                    scale={
                        "domain": [progress.status_label(s, lang) for s in progress.STATES],
                        "range": [STATE_STYLE[s][0] for s in progress.STATES],
                    },
                    title=t("status", lang),
                ),
                "order": vl.field("order", "quantitative"),
                "tooltip": [
                    vl.field("area", "nominal", title=t("area", lang)),
                    vl.field("state_label", "nominal", title=t("status", lang)),
                    vl.field("count", "quantitative", title=t("count", lang)),
                ],
                "x": vl.field("count", "quantitative", stack="zero", title=t("count", lang)),
                "y": vl.field(
                    "area", "nominal", axis={"labelLimit": 300}, sort=list(areas), title=None
                ),
            },
            "height": 34 * max(1, len(areas)),
            "title": t("by_area", lang),
            "width": 480,
        }
    )


def _show_chart(output: W.Output, chart: vl.Spec | None, empty_html: str) -> None:
    charts.show(output, [chart] if chart is not None else [], empty_html)


# --------------------------------------------------------------------------- the app


class Tracker:
    """The tracker's views: filters, summary, timeline and one block per task area."""

    def __init__(
        self,
        ds: data.Dataset,
        entries: Sequence[Entry],
        lang: str,
        params: Mapping[str, str] | None = None,
    ) -> None:
        params = params or {}
        self.ds = ds
        self.lang = lang
        self.entries = list(entries)
        self.statuses = progress.statuses(ds, self.entries)
        self.commitments = {c["commitment_id"]: c for c in frames.records(ds.commitments)}
        self.facts = ds.facts.set_index("fact_id", drop=False)
        self.sections = {s["section_id"]: s for s in frames.records(ds.sections)}
        self.areas = [a for a in AREAS if any(c["area"] == a for c in self.commitments.values())]
        self.error = W.HTML()
        guard = ui.guarded(self.error, lambda: self.lang)
        self.area = W.Dropdown(layout=W.Layout(width="min(100%, 420px)"))
        self.status = W.Dropdown(layout=W.Layout(width="200px"))
        self.area.add_class("briefing-area-filter")
        self.status.add_class("briefing-status-filter")
        self.filter_labels = (W.HTML(), W.HTML())
        self.summary = W.HTML()
        self.chart_out = W.Output(layout=W.Layout(width="100%", overflow="auto"))
        self.chart_out.add_class("briefing-charts")
        self.chart: vl.Spec | None = None
        self.state_out = W.Output(layout=W.Layout(width="100%", overflow="auto"))
        self.state_out.add_class("briefing-charts")
        self.states_chart: vl.Spec | None = None
        self.timeline_title = W.HTML()
        self.area_html = {area: W.HTML(layout=W.Layout(width="100%")) for area in self.areas}
        self.area_sections = {
            area: ui.section(widget, name=f"area-{area}") for area, widget in self.area_html.items()
        }
        self._set_options(params.get("area", ALL), params.get("status", ALL))
        self.filters = W.HBox(
            [self.filter_labels[0], self.area, self.filter_labels[1], self.status],
            layout=W.Layout(flex_flow="row wrap", align_items="center"),
        )
        self._quiet = False
        for control in (self.area, self.status):
            ui.observe_value(control, guard(self._on_filter))
        self.render()

    def _on_filter(self, _value: object) -> None:
        if not self._quiet:
            self.render()

    # -- options and language
    def _set_options(self, area: str, status: str) -> None:
        lang = self.lang
        self.area.options = [(tr("all", lang), ALL)] + [
            (area_title(self.sections, a, lang), a) for a in self.areas
        ]
        self.status.options = [(tr("all", lang), ALL)] + [
            (progress.status_label(s, lang), s) for s in progress.STATES
        ]
        ui.name_control(self.area, t("area", lang))
        ui.name_control(self.status, t("status", lang))
        self.area.value = area if area in (ALL, *self.areas) else ALL
        self.status.value = status if status in (ALL, *progress.STATES) else ALL
        self.filter_labels[0].value = f"<b>{ui.esc(t('area', lang))}</b>"
        self.filter_labels[1].value = f"<b>{ui.esc(t('status', lang))}</b>"

    def set_lang(self, lang: str) -> None:
        """Switch every label to another language, keeping the filters."""
        self.lang = lang
        self._quiet = True  # relabelling the options must not redraw halfway
        try:
            self._set_options(self.area.value, self.status.value)
        finally:
            self._quiet = False
        self.render()

    # -- filtering
    def shown(self) -> list[str]:
        """Ids of the commitments passing the filters, in file order."""
        area, state = self.area.value, self.status.value
        return [
            commitment_id
            for commitment_id, c in self.commitments.items()
            if (area == ALL or c["area"] == area)
            and (state == ALL or self.statuses[commitment_id].state == state)
        ]

    def render(self) -> None:
        """Redraw summary, timeline and area blocks for the filters and language."""
        lang = self.lang
        shown = self.shown()
        in_area = [
            cid
            for cid, c in self.commitments.items()
            if self.area.value == ALL or c["area"] == self.area.value
        ]
        self.summary.value = self._summary_html(in_area, shown, lang)
        for area, widget in self.area_html.items():
            ids = [cid for cid in shown if self.commitments[cid]["area"] == area]
            section = self.area_sections[area]
            section.layout.display = "" if ids else "none"
            widget.value = self._area_html(area, ids, lang) if ids else ""
        chosen = {cid: self.statuses[cid] for cid in shown if self.statuses[cid].entries}
        rows = timeline_rows(chosen, self.commitments, lang)
        self.timeline_title.value = ui.heading(t("timeline", lang))
        self.chart = timeline_chart(rows, lang) if rows else None
        empty = f"<div class='briefing-muted'>{ui.esc(t('no_updates', lang))}</div>"
        _show_chart(self.chart_out, self.chart, empty)
        areas = [a for a in self.areas if self.area.value in (ALL, a)]
        titles = {a: area_title(self.sections, a, lang) for a in areas}
        in_area_statuses = {cid: self.statuses[cid] for cid in in_area}
        self.states_chart = state_chart(
            state_rows(in_area_statuses, self.commitments, titles), list(titles.values()), lang
        )
        _show_chart(self.state_out, self.states_chart, "")

    def _summary_html(self, in_area: list[str], shown: list[str], lang: str) -> str:
        counts = dict.fromkeys(progress.STATES, 0)
        for cid in in_area:
            counts[self.statuses[cid].state] += 1
        badges = "".join(
            f"<span data-count-state='{ui.esc(state)}'>{badge(state, lang)} "
            f"<b>{counts[state]}</b></span>"
            for state in progress.STATES
        )
        dates = [e.date for e in self.entries]
        as_of = (
            f"<div class='briefing-muted'>{ui.esc(t('as_of', lang))}: "
            f"{ui.esc(max(dates).isoformat())}</div>"
            if dates
            else f"<div class='briefing-muted'>{ui.esc(t('no_updates', lang))}</div>"
        )
        count = f"{t('shown', lang)} {len(shown)} {t('commitments', lang)}"
        nothing = (
            f"<div class='briefing-muted' role='status'>{ui.esc(t('no_match', lang))}</div>"
            if not shown
            else ""
        )
        return (
            ui.heading(t("summary", lang))
            + f"<div class='briefing-counts-row'>{badges}</div>{as_of}"
            + f"<div class='briefing-muted'>{ui.esc(count)}</div>{nothing}"
        )

    def _area_html(self, area: str, ids: list[str], lang: str) -> str:
        items = [self._commitment_html(self.commitments[cid], lang) for cid in ids]
        return ui.heading(area_title(self.sections, area, lang), 3) + "".join(items)

    def _commitment_html(self, c: Mapping[str, Any], lang: str) -> str:
        status = self.statuses[c["commitment_id"]]
        title = c["title_en"] if lang == "en" else c["title_zh"]
        fact = frames.record(self.facts, c["target_fact_id"]) if c["target_fact_id"] else {}
        measure = measure_html(status, fact, lang) if status.target else ""
        extra = []
        if status.target and fact.get("related_fact_id"):
            base = frames.record(self.facts, fact["related_fact_id"])
            extra.append(
                f"{t('baseline', lang)}: {display.indicator(base, lang)} "
                f"{display.value_text(base, lang)}"
            )
        if c["deadline_zh"]:
            # The report's time words, in English on English pages (尽快: promptly).
            when = c["deadline_en"] if lang == "en" else c["deadline_zh"]
            extra.append(f"{t('deadline', lang)}: {when}")
        meta = f"<div class='briefing-muted'>{ui.esc(' · '.join(extra))}</div>" if extra else ""
        kind = status.target.kind if status.target else ""
        return (
            f"<div class='briefing-commitment' data-commitment-id='{ui.esc(c['commitment_id'])}'"
            f" data-state='{ui.esc(status.state)}'>"
            f"<div>{badge(status.state, lang)}<span class='t'>{ui.esc(title)}</span> "
            f"<span class='briefing-muted'>{ui.esc(c['commitment_id'])}</span></div>"
            f"{measure}{meta}{entries_html(status.entries, kind, lang)}"
            f"<blockquote>{ui.esc(t('source', lang))}: “{ui.esc(c['quote'])}” "
            f"<span class='briefing-muted'>({ui.esc(c['paragraph_id'])})</span></blockquote>"
            "</div>"
        )


def build_tracker(
    lang: str, params: Mapping[str, str] | None = None, root: Path | str | None = None
) -> W.Widget:
    """Load the data and the progress log, and compose the tracker's widgets."""
    ds = data.load(root)
    entries = progress.load_log(root)
    toggle = ui.language_toggle(lang)
    header_view = views.AppHeader("commitments", lang)
    header = header_view.row(toggle)
    error = W.HTML()
    tracker = Tracker(ds, entries, lang, params)
    views.forward_lang(toggle, [header_view, tracker], error)
    app = ui.app_frame(
        header,
        W.HTML(STYLE, layout=W.Layout(display="none")),
        error,
        tracker.error,
        ui.section(tracker.filters, tracker.summary, tracker.state_out, name="summary"),
        ui.section(tracker.timeline_title, tracker.chart_out, name="timeline"),
        *tracker.area_sections.values(),
    )
    app.briefing_views = {"tracker": tracker, "toggle": toggle, "header": header_view}
    return app


def tracker_app(lang: str | None = None, *, root: Path | str | None = None) -> W.Widget:
    """The read-only tracker of the 2023 commitments (``?area=``, ``?status=``, ``?lang=``).

    An invalid progress log or data folder shows a short message naming the file, row and
    column instead of the app.
    """
    params = ui.query_params()
    return ui.safe_app(
        lambda chosen: build_tracker(chosen, params, root), lang or ui.page_mode(params).lang
    )
