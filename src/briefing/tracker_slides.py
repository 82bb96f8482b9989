"""The tracker in meeting mode (``?present=1``): the state of the 2023 commitments as slides.

A summary slide (how many commitments are in each state, and the date of the latest
update), the chart of the commitments of each area by state, the timeline of updates when
there are any, then each task area's commitments with their state, target and deadline, as
many a slide as fit. The URL's filters (``?area=t1&status=at_risk``) choose what the deck
shows, so a meeting can be given just the tasks at risk; the filter controls themselves
stay on the ordinary page.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

import ipywidgets as W

from briefing import display, slides, ui
from briefing import vegalite as vl
from briefing.tracker_html import area_title, badge, t, value_text

if TYPE_CHECKING:
    from briefing.tracker import Tracker


def commitment_item(tracker: Tracker, commitment: Mapping[str, Any], lang: str) -> str:
    """One commitment on a slide: its state, what it is, its target (and the latest value
    recorded) and its deadline, as an escaped HTML list item."""
    status = tracker.statuses[commitment["commitment_id"]]
    title = commitment["title_en"] if lang == "en" else commitment["title_zh"]
    extra = display.commitment_extras(commitment, tracker.facts, lang)
    entry = status.value_entry
    if status.target and entry is not None and entry.value is not None:
        latest = value_text(entry.value, entry.unit, status.target.kind, lang)
        extra.insert(1, f"{t('latest', lang)}: {latest} ({entry.date.isoformat()})")
    meta = f" <span class='briefing-tag'>{ui.esc(' · '.join(extra))}</span>" if extra else ""
    return (
        f"<li data-commitment-id='{ui.esc(commitment['commitment_id'])}'"
        f" data-state='{ui.esc(status.state)}'>{badge(status.state, lang)} "
        f"{ui.esc(title)}{meta}</li>"
    )


def tracker_deck(tracker: Tracker) -> list[W.Widget]:
    """The slides of the tracker for the commitments its filters let through."""
    lang = tracker.lang
    shown = tracker.shown()
    summary = tracker.summary_html(tracker.in_area(), shown, lang)
    deck: list[W.Widget] = [ui.section(W.HTML(summary), name="slide-summary")]
    # The charts say what they count from: the progress log, as of its latest update.
    as_of = tracker.as_of(lang)
    if tracker.states_chart is not None:
        title = {"text": t("by_area", lang), "subtitle": [as_of], "subtitleFontSize": 13}
        deck += slides.chart_slides([vl.Spec(dict(tracker.states_chart.spec, title=title))])
    if tracker.chart is not None:
        title = {"text": t("timeline", lang), "subtitle": [as_of], "subtitleFontSize": 13}
        deck += slides.chart_slides([vl.Spec(dict(tracker.chart.spec, title=title))])
    for area in tracker.areas:
        ids = [cid for cid in shown if tracker.commitments[cid]["area"] == area]
        if ids:
            items = [commitment_item(tracker, tracker.commitments[cid], lang) for cid in ids]
            deck += slides.list_slides(area_title(tracker.sections, area, lang), items, lang)
    return deck


__all__ = ["commitment_item", "tracker_deck"]
