"""The commitments tracker's charts: updates over time, and commitments by area and state."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

import ipywidgets as W

from briefing import charts, progress
from briefing import vegalite as vl
from briefing.i18n import tr
from briefing.tracker_html import STATE_STYLE, t, value_text

if TYPE_CHECKING:
    from briefing.progress import Status


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
                    "label": title,
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
        "mark": {"type": "line", "color": "#8c959f", "strokeWidth": 2},
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


def show_chart(output: W.Output, chart: vl.Spec | None, empty_html: str) -> None:
    """Draw a chart in an output area, or ``empty_html`` when there is none."""
    charts.show(output, [chart] if chart is not None else [], empty_html)
