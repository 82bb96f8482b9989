"""The read-only commitments tracker: where each 2023 task stands, as staff recorded it.

For each task area (and the main targets) the app lists its commitments with their current
state, the latest value against the target where there is one, the updates recorded so far
and the source quote; a chart shows the updates over time. Filters by area and by state;
Chinese by default, English on the toggle; ``?area=t1&status=at_risk&lang=en`` in the URL
opens it filtered.

This app only reads. It contains no control that writes and imports nothing that writes:
staff record progress with ``briefing progress add`` or the staff form (:mod:`briefing.staff`,
kept out of the served notebooks).

This module holds the widgets; the HTML is built by :mod:`briefing.tracker_html`, the charts
by :mod:`briefing.tracker_charts`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, Final

import ipywidgets as W

from briefing import data, display, frames, pagemode, places, progress, ui, views
from briefing import vegalite as vl
from briefing.i18n import tr
from briefing.tracker_charts import (
    show_chart,
    state_chart,
    state_rows,
    timeline_chart,
    timeline_rows,
)
from briefing.tracker_html import (
    COMPARATOR_TEXT,
    STATE_STYLE,
    STRINGS,
    STYLE,
    area_title,
    badge,
    entries_html,
    evidence_html,
    measure_html,
    t,
    value_text,
)
from briefing.tracker_slides import tracker_deck

if TYPE_CHECKING:
    from briefing.progress import Entry

ALL: Final = "__all__"
AREAS: Final = ("t0", "t1", "t2", "t3", "t4", "t5", "t6")

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
        self.places = places.Places(ds)
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

    def in_area(self) -> list[str]:
        """Ids of the commitments of the chosen area (whatever their state), in file order."""
        return [
            cid
            for cid, c in self.commitments.items()
            if self.area.value == ALL or c["area"] == self.area.value
        ]

    def render(self) -> None:
        """Redraw summary, timeline and area blocks for the filters and language."""
        lang = self.lang
        shown = self.shown()
        in_area = self.in_area()
        self.summary.value = self.summary_html(in_area, shown, lang)
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
        show_chart(self.chart_out, self.chart, empty)
        areas = [a for a in self.areas if self.area.value in (ALL, a)]
        titles = {a: area_title(self.sections, a, lang) for a in areas}
        in_area_statuses = {cid: self.statuses[cid] for cid in in_area}
        self.states_chart = state_chart(
            state_rows(in_area_statuses, self.commitments, titles), list(titles.values()), lang
        )
        show_chart(self.state_out, self.states_chart, "")

    def as_of(self, lang: str) -> str:
        """The date of the latest update recorded, or that none has been."""
        dates = [e.date for e in self.entries]
        return f"{t('as_of', lang)}: {max(dates).isoformat()}" if dates else t("no_updates", lang)

    def summary_html(self, in_area: list[str], shown: list[str], lang: str) -> str:
        """How many commitments of the area are in each state, the latest update's date."""
        counts = dict.fromkeys(progress.STATES, 0)
        for cid in in_area:
            counts[self.statuses[cid].state] += 1
        badges = "".join(
            f"<span data-count-state='{ui.esc(state)}'>{badge(state, lang)} "
            f"<b>{counts[state]}</b></span>"
            for state in progress.STATES
        )
        as_of = f"<div class='briefing-muted'>{ui.esc(self.as_of(lang))}</div>"
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
            f"<div>{badge(status.state, lang)}<span class='t'>{ui.esc(title)}</span></div>"
            f"{measure}{meta}{entries_html(status.entries, kind, lang)}"
            f"<blockquote>{ui.esc(t('source', lang))}: "
            f"“<span lang='zh-CN'>{ui.esc(c['quote'])}</span>” "
            f"<span class='briefing-muted'>({ui.esc(self.places.label(c['paragraph_id'], lang))})"
            "</span></blockquote>"
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
    style = W.HTML(STYLE, layout=W.Layout(display="none"))
    if pagemode.current().present:
        # Meeting mode: slides for what the URL's filters let through (see tracker_slides).
        views.forward_lang(toggle, [header_view], error)
        # No filter is shown, so the tracker's own error panel is not (one empty panel only:
        # each takes a line above the slide).
        app = ui.app_frame(header, style, error, *tracker_deck(tracker))
        app.briefing_views = {"tracker": tracker, "toggle": toggle, "header": header_view}
        return app
    views.forward_lang(toggle, [header_view, tracker], error)
    app = ui.app_frame(
        header,
        style,
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


__all__ = [
    "ALL",
    "AREAS",
    "COMPARATOR_TEXT",
    "STATE_STYLE",
    "STRINGS",
    "STYLE",
    "Tracker",
    "area_title",
    "badge",
    "build_tracker",
    "entries_html",
    "evidence_html",
    "measure_html",
    "state_chart",
    "state_rows",
    "t",
    "timeline_chart",
    "timeline_rows",
    "tracker_app",
    "value_text",
]
