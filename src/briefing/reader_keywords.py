"""The reader's keyword charts: the most frequent terms of the report, as horizontal bars."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import ipywidgets as W

from briefing import charts, text, theme
from briefing import vegalite as vl
from briefing.reader_strings import t
from briefing.vocab import PARTS, label

TOP_TERMS = 20
#: The key of the whole report (and of the reader's "whole report" view).
ALL = "all"
ALL_COLOUR = theme.PALETTE[2]

Frequencies = dict[str, list[tuple[str, int]]]


def frequency_chart(
    frequencies: Sequence[tuple[str, int]], title: str, color: str, lang: str, width: int = 420
) -> vl.Spec:
    """A horizontal bar chart of term counts, most frequent on top, in the given order."""
    rows = [{"term": term, "count": count} for term, count in frequencies]
    order = [term for term, _ in frequencies]
    return vl.Spec(
        {
            "mark": {"type": "bar", "color": color},
            "data": {"values": rows},
            "encoding": {
                "tooltip": [
                    vl.field("term", "nominal", title=t("term", lang)),
                    vl.field("count", "quantitative", title=t("frequency", lang)),
                ],
                "x": vl.field(
                    "count", "quantitative", axis={"tickMinStep": 1}, title=t("frequency", lang)
                ),
                # No y title: the chart's title names the terms; a rotated CJK title reads badly.
                "y": vl.field(
                    "term",
                    "nominal",
                    axis={"labelAngle": 0, "labelLimit": 200},
                    sort=order,
                    title=None,
                ),
            },
            "height": {"step": 22},
            "title": title,
            "width": width,
        }
    )


def keyword_frequencies(
    paragraphs: Sequence[Mapping[str, Any]], segmenter: text.Segmenter, top: int = TOP_TERMS
) -> tuple[Frequencies, dict[str, int]]:
    """The ``top`` terms of the whole report and of each part, and every term's count."""
    counts = text.term_frequencies(paragraphs, top=None, segmenter=segmenter)
    frequencies = {
        ALL: counts[:top],
        **{
            part: text.term_frequencies(paragraphs, part=part, top=top, segmenter=segmenter)
            for part in PARTS
        },
    }
    return frequencies, dict(counts)


def show_chart(output: W.Output, chart: vl.Spec) -> None:
    """Draw one chart in an output area (replacing what was there)."""
    charts.show(output, [chart])


def keyword_charts(frequencies: Frequencies, lang: str) -> tuple[vl.Spec, vl.Spec]:
    """The whole report's top terms, and each part's side by side."""
    whole = frequency_chart(frequencies[ALL], t("top_terms", lang, n=TOP_TERMS), ALL_COLOUR, lang)
    parts = [
        frequency_chart(
            frequencies[part], label(PARTS, part, lang), theme.PART_COLOURS[part], lang, width=260
        )
        for part in PARTS
    ]
    return whole, vl.hconcat(parts, spacing=40)


def term_options(
    frequencies: Frequencies | None, counts: dict[str, int], lang: str
) -> list[tuple[str, str]]:
    """The terms of the three charts, each once, with its count in the whole report."""
    options = [(t("pick_placeholder", lang), "")]
    if frequencies is None:
        return options
    seen = set()
    for key in (ALL, *PARTS):
        for term, _ in frequencies[key]:
            if term not in seen:
                seen.add(term)
                options.append((f"{term}({counts[term]})", term))
    return options


__all__ = [
    "ALL",
    "TOP_TERMS",
    "frequency_chart",
    "keyword_charts",
    "keyword_frequencies",
    "show_chart",
    "term_options",
]
