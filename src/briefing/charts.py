"""The chart grammar: which figures are drawn, how, and with what words around them.

Rules (every app, tested on every chart): bars start at zero on a linear axis; a chart holds
one kind of quantity in one unit (money by the unit the report writes it in, so 亿元 and 万元
are small multiples, never one log axis; counts, percentages and durations also within one
topic); count axes tick at whole numbers; every quantitative axis is titled with its unit in
the page's language, the unit its labels use; a group of one figure is a card, not a chart;
ranks, levels and distinctions are cards (:mod:`briefing.figures`); a 2023 target is drawn
beside a 2022 result only for a linked pair of the same kind, unit and scope, with its
comparator shown (≥, >); every chart carries its title, a caption saying what it shows and
its source line (报告原文: section and paragraph) in the spec, so they are on screen and in
the exported PNG and SVG. Specs are plain Vega-Lite (:class:`briefing.vegalite.Spec`).
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

from briefing import display, frames, theme
from briefing import vegalite as vl
from briefing.chart_output import (
    EMBED_OPTIONS,
    PNG_STAND_IN,
    STATIC_EXPORT_ENV,
    VEGALITE_MIME,
    output_for,
    show,
)
from briefing.i18n import tr
from briefing.vocab import SYMBOLS

__all__ = [
    "EMBED_OPTIONS",
    "PNG_STAND_IN",
    "STATIC_EXPORT_ENV",
    "VEGALITE_MIME",
    "bar_chart",
    "chart_groups",
    "charts_for",
    "comparison_charts",
    "output_for",
    "pair_chart",
    "show",
]

if TYPE_CHECKING:
    import pandas as pd

#: Kinds drawn as bars (one kind, one unit per chart); every other kind is a figure card.
BAR_KINDS = ("money", "area", "count", "ratio", "duration", "length")
#: Kinds whose values are counts of things: their axes tick at whole numbers.
COUNT_KINDS = frozenset({"count"})
#: Kinds charted across topics (a sum of money is a sum of money); counts, percentages and
#: durations are charted within one topic, so that a chart holds counts of the same thing.
ACROSS_TOPICS = frozenset({"money", "area"})
#: Units that are ratings or levels, never bars (三星级 is a label, not a length).
LABEL_UNITS = frozenset({"星级", "级", "年一遇"})

#: How the report's units read on an axis in English, and the factor from the written
#: value to that unit (the labels' English figures use the same: 58.7亿元 → 5.87 billion).
UNITS_EN: dict[str, tuple[str, float]] = {
    "亿元": ("billion yuan", 0.1),
    "万元": ("million yuan", 0.01),
    "元": ("yuan", 1.0),
    "亩": ("mu", 1.0),
    "万平方米": ("m²", 1e4),
    "平方米": ("m²", 1.0),
    "%": ("%", 1.0),
    "年": ("years", 1.0),
    "月": ("months", 1.0),
    "天": ("days", 1.0),
    "夜": ("nights", 1.0),
    "里": ("li", 1.0),
}
#: The comparator a qualifier of the report implies, for data without a ``comparator`` column.
_QUALIFIER_COMPARATOR = {
    "超": "more_than",
    "余": "more_than",
    "以上": "at_least",
    "不少于": "at_least",
    "近": "about",
    "约": "about",
    "左右": "about",
}
_ROW_HEIGHT = 30
_LABEL_WIDTH = 330
_WIDTH = 380


def static_export() -> bool:
    """True while the static export runs the apps (no kernel behind the page afterwards)."""
    import os

    return os.environ.get(STATIC_EXPORT_ENV) == "1"


def column(fact: Mapping[str, Any], name: str) -> str:
    """A text column of a fact, empty when the data has no such column (older data)."""
    value = fact.get(name)
    if value is None or (isinstance(value, float) and value != value):
        return ""
    return str(value)


def comparator(fact: Mapping[str, Any]) -> str:
    """How a figure compares with its number: the ``comparator`` column, else its qualifier.

    Examples
    --------
    >>> comparator({"qualifier": "超"}), comparator({"qualifier": "", "comparator": ""})
    ('more_than', '')
    >>> comparator({"qualifier": "超", "comparator": "at_least"})
    'at_least'
    """
    return column(fact, "comparator") or _QUALIFIER_COMPARATOR.get(column(fact, "qualifier"), "")


def unit_title(unit: str, lang: str) -> str:
    """The unit as an axis says it, in the page's language.

    Examples
    --------
    >>> unit_title("亿元", "zh"), unit_title("亿元", "en"), unit_title("个", "en")
    ('亿元', 'billion yuan', 'number')
    """
    if lang == "en":
        return UNITS_EN.get(unit, ("number", 1.0))[0]
    return unit or "数值"


def plotted(fact: Mapping[str, Any], lang: str) -> float:
    """The value drawn: as written in Chinese; in the English axis unit in English.

    Examples
    --------
    >>> fact = {"value": 58.7, "unit": "亿元"}
    >>> plotted(fact, "zh"), plotted(fact, "en")
    (58.7, 5.87)
    """
    value = float(fact["value"])
    if lang == "en":
        value *= UNITS_EN.get(str(fact["unit"]), ("", 1.0))[1]
    return round(value, 6)


def is_charted(fact: Mapping[str, Any]) -> bool:
    """True for a figure drawn as a bar; ranks, levels, distinctions and the like are cards."""
    return str(fact["kind"]) in BAR_KINDS and str(fact["unit"]) not in LABEL_UNITS


def count_axis(top: float) -> dict[str, Any]:
    """An axis of whole numbers from zero past ``top``: ticks at integers only.

    Examples
    --------
    >>> count_axis(2)["values"], count_axis(58)["values"][:3]
    ([0, 1, 2], [0, 10, 20])
    """
    top_int = max(1, math.ceil(top))
    step = next(s for s in (1, 2, 5, 10, 20, 25, 50, 100, 200, 250, 500, 1000) if top_int / s <= 8)
    step = step if step <= top_int else 1
    values = list(range(0, top_int + step, step))
    return {"format": "d", "tickMinStep": 1, "values": values}


def _growth(fact: Mapping[str, Any]) -> bool:
    return "增长" in str(fact["indicator_zh"]) or "增幅" in str(fact["indicator_zh"])


def group_key(fact: Mapping[str, Any]) -> tuple[str, str, str, str]:
    """What may share a chart: the part, the kind, the unit, and (counts, percentages,
    durations) the topic, percentages of growth apart from other percentages."""
    kind = str(fact["kind"])
    topic = "" if kind in ACROSS_TOPICS else str(fact["topic"])
    if kind == "ratio" and _growth(fact):
        topic += "/growth"
    return (str(fact["part"]), kind, str(fact["unit"]), topic)


def chart_groups(facts: pd.DataFrame) -> tuple[list[list[dict[str, Any]]], list[dict[str, Any]]]:
    """Facts split into chart groups (two figures or more) and the figures shown as cards."""
    groups: dict[tuple[str, str, str, str], list[dict[str, Any]]] = {}
    cards: list[dict[str, Any]] = []
    for fact in frames.records(facts):
        if is_charted(fact):
            groups.setdefault(group_key(fact), []).append(fact)
        else:
            cards.append(fact)
    charted = []
    for members in groups.values():
        if len(members) > 1:
            charted.append(members)
        else:
            cards.extend(members)
    return charted, cards


# --------------------------------------------------------------------------- sources


def source_line(facts: Sequence[Mapping[str, Any]], lang: str) -> str:
    """报告原文：the sections and paragraphs the figures come from.

    Examples
    --------
    >>> source_line([{"paragraph_id": "r1-p1"}, {"paragraph_id": "r2-p1"}], "en")[:12]
    'Report text:'
    """
    from briefing import data, places

    ds = data.load()
    numbers = places.places_of(ds)
    paragraphs = ds.paragraphs.set_index("paragraph_id")
    sections = ds.sections.set_index("section_id")
    by_section: dict[str, list[str]] = {}
    for fact in facts:
        paragraph_id = str(fact["paragraph_id"])
        section_id = str(frames.record(paragraphs, paragraph_id)["section_id"])
        ids = by_section.setdefault(section_id, [])
        if paragraph_id not in ids:
            ids.append(paragraph_id)
    pieces = []
    for section_id, ids in by_section.items():
        title = frames.record(sections, section_id)["title_en" if lang == "en" else "title_zh"]
        labels = [places.number_label(numbers.number(pid), lang) for pid in ids]
        where = ", ".join(labels) if lang == "en" else "、".join(labels)
        pieces.append(f"{title} ({where})" if lang == "en" else f"{title}（{where}）")
    shown = pieces[:3]
    more = len(pieces) - len(shown)
    if lang == "en":
        return "Report text: " + "; ".join(shown) + (f"; and {more} more" if more else "")
    return "报告原文：" + "；".join(shown) + (f"；等{more}处" if more else "")


# --------------------------------------------------------------------------- bars


def chart_rows(facts: Sequence[Mapping[str, Any]], lang: str) -> list[dict[str, Any]]:
    """The rows a chart plots: label, plotted value, value as written, part, quote.

    Examples
    --------
    >>> fact = {"fact_id": "r1-p1.10", "indicator_zh": "招商引资额",
    ...     "indicator_en": "Investment attracted", "value": 58.7, "unit": "亿元",
    ...     "qualifier": "", "kind": "money", "scope": "", "part": "review_2022",
    ...     "quote": "累计完成招商引资额58.7亿元"}
    >>> row = chart_rows([fact], "zh")[0]
    >>> row["plot"], row["shown"], row["part_label"]
    (58.7, '58.7亿元', '2022年工作回顾')
    >>> chart_rows([fact], "en")[0]["plot"]
    5.87
    """
    return [
        {
            "fact_id": fact["fact_id"],
            "label": display.indicator(fact, lang),
            "plot": plotted(fact, lang),
            "shown": display.value_text(fact, lang),
            "part": fact["part"],
            "part_label": display.part_label(str(fact["part"]), lang),
            "quote": fact["quote"],
        }
        for fact in facts
    ]


def _tooltip(lang: str) -> list[dict[str, Any]]:
    return [
        vl.field("label", "nominal", title=tr("indicator", lang)),
        vl.field("shown", "nominal", title=tr("value", lang)),
        vl.field("part_label", "nominal", title=tr("part", lang)),
        vl.field("quote", "nominal", title=tr("source", lang)),
    ]


def _title(text: str, caption: str, source: str) -> dict[str, Any]:
    return {
        "text": text,
        "subtitle": [caption, source],
        "anchor": "start",
        "subtitleFontSize": 13,
        "subtitleColor": theme.LIGHT.muted,
    }


def _topic_label(topic: str, lang: str) -> str:
    from briefing import data

    topics = data.load().topics.set_index("topic")
    name = topic.split("/")[0]
    if name not in topics.index:
        return ""
    label = str(frames.record(topics, name)["label_en" if lang == "en" else "label_zh"])
    if topic.endswith("/growth"):
        label += " · growth" if lang == "en" else " · 增长"
    return label


def bar_chart(members: Sequence[Mapping[str, Any]], lang: str = "zh") -> vl.Spec:
    """Horizontal bars of one kind of quantity in one unit, from zero on a linear axis."""
    first = members[0]
    part, kind, unit, topic = group_key(first)
    ordered = sorted(members, key=lambda f: -float(f["value"]))
    rows = chart_rows(ordered, lang)
    axis_unit = unit_title(unit, lang)
    quantity = display.kind_label(kind, lang)
    axis_title = f"{quantity} ({axis_unit})" if lang == "en" else f"{quantity}（{axis_unit}）"
    axis: dict[str, Any] = {"format": ",~f"}
    scale: dict[str, Any] = {"type": "linear", "zero": True}
    if kind in COUNT_KINDS:
        axis = count_axis(max(r["plot"] for r in rows))
        scale["domain"] = [0, axis["values"][-1]]
    x = vl.field("plot", "quantitative", axis=axis, scale=scale, title=axis_title)
    y = vl.field(
        "label",
        "nominal",
        axis={"labelFontSize": 13, "labelLimit": _LABEL_WIDTH},
        sort=None,
        title=None,
    )
    tooltip = _tooltip(lang)
    colour = theme.PART_COLOURS.get(str(part), theme.PART_COLOURS["review_2022"])
    bars = {
        "mark": {"type": "bar", "color": colour, "cursor": "pointer"},
        "encoding": {"tooltip": tooltip, "x": x, "y": y},
    }
    labels = {
        "mark": {"type": "text", "align": "left", "color": "#1b1b1b", "dx": 4, "cursor": "pointer"},
        "encoding": {
            "text": vl.field("shown", "nominal"),
            "tooltip": tooltip,
            "x": x,
            "y": y,
        },
    }
    where = _topic_label(topic, lang) if topic else ""
    heading = " · ".join(x for x in (display.part_label(str(part), lang), where) if x)
    heading += f" · {axis_title}"
    caption = (
        f"{len(rows)} figures as the report gives them; bars start at zero"
        if lang == "en"
        else f"报告给出的{len(rows)}项数字，条形从零开始"
    )
    source = source_line(ordered, lang)
    return vl.Spec(
        {
            "layer": [bars, labels],
            "data": {"values": rows},
            "height": _ROW_HEIGHT * len(rows),
            "title": _title(heading, caption, source),
            "usermeta": {
                "kind": kind,
                "unit": unit,
                "axis_unit": axis_unit,
                "part": part,
                "topic": topic,
                "fact_ids": [r["fact_id"] for r in rows],
                "source": source,
            },
            "width": _WIDTH,
        }
    )


# --------------------------------------------------------------------------- targets


def comparable_pairs(
    facts: pd.DataFrame, all_facts: pd.DataFrame
) -> list[tuple[dict[str, Any], dict[str, Any]]]:
    """(2022 result, 2023 target) for each linked pair of the same kind, unit and scope.

    Only the report's linked pairs (``related_fact_id``) that measure the same thing are
    kept; a level (三星级) or rank is no quantity to draw on an axis.
    """
    by_id = all_facts.set_index("fact_id", drop=False)
    targets = facts[(facts["part"] == "tasks_2023") & (facts["related_fact_id"] != "")]
    pairs = []
    for target in frames.records(targets):
        if target["related_fact_id"] not in by_id.index:
            continue
        result = frames.record(by_id, target["related_fact_id"])
        same = all(
            column(result, name) == column(target, name) for name in ("unit", "kind", "scope")
        )
        if same and is_charted(target):
            pairs.append((result, target))
    return pairs


def target_text(target: Mapping[str, Any], lang: str) -> str:
    """A target with its comparator as a symbol: '> 250亿元', 'at least 3'.

    Examples
    --------
    >>> target_text({"value": 250, "unit": "亿元", "qualifier": "超", "kind": "money"}, "zh")
    '> 250亿元'
    """
    how = comparator(target)
    symbol = "" if how == "exactly" else SYMBOLS.get(how, "")
    plain = display.value_text({**target, "qualifier": "", "comparator": ""}, lang)
    return f"{symbol} {plain}".strip()


def pair_chart(result: Mapping[str, Any], target: Mapping[str, Any], lang: str = "zh") -> vl.Spec:
    """A 2022 result (dot) and its 2023 target (arrow head), on one linear axis from zero."""
    unit = str(target["unit"])
    axis_unit = unit_title(unit, lang)
    rows = chart_rows([result, target], lang)
    rows[0]["shown"] = ("2022: " if lang == "en" else "2022年：") + rows[0]["shown"]
    rows[1]["shown"] = ("2023 target: " if lang == "en" else "2023年目标：") + target_text(
        target, lang
    )
    rising = rows[1]["plot"] >= rows[0]["plot"]
    rows[1]["shape"] = "triangle-right" if rising else "triangle-left"
    rows[0]["shape"] = "circle"
    quantity = display.kind_label(str(target["kind"]), lang)
    axis_title = f"{quantity} ({axis_unit})" if lang == "en" else f"{quantity}（{axis_unit}）"
    axis: dict[str, Any] = {"format": ",~f"}
    scale: dict[str, Any] = {"type": "linear", "zero": True, "nice": True}
    if target["kind"] in COUNT_KINDS:
        axis = count_axis(max(r["plot"] for r in rows))
        scale = {"type": "linear", "zero": True, "domain": [0, axis["values"][-1]]}
    x = vl.field("plot", "quantitative", axis=axis, scale=scale, title=axis_title)
    tooltip = _tooltip(lang)
    line = {
        "mark": {"type": "rule", "color": theme.LIGHT.axis, "strokeWidth": 2},
        "encoding": {
            "x": vl.field("start", "quantitative", axis=axis, scale=scale, title=axis_title),
            "x2": {"field": "end"},
        },
        "data": {"values": [{"start": rows[0]["plot"], "end": rows[1]["plot"]}]},
    }
    points = {
        "mark": {"type": "point", "filled": True, "size": 260, "opacity": 1, "cursor": "pointer"},
        "encoding": {
            "x": x,
            "shape": vl.field("shape", "nominal", legend=None, scale=None),
            "color": vl.field("part", "nominal", legend=None, scale=None),
            "tooltip": tooltip,
        },
    }
    for row in rows:
        row["part"] = theme.PART_COLOURS[str(row["part"])]
    labels = {
        "mark": {
            "type": "text",
            "dy": -18,
            "fontSize": 13,
            "color": "#1b1b1b",
            "cursor": "pointer",
        },
        "encoding": {"x": x, "text": vl.field("shown", "nominal"), "tooltip": tooltip},
    }
    symbol_notes = "≥ at least, > more than, ≈ about" if lang == "en" else "≥ 不少于，> 超过，≈ 约"
    caption = (
        f"Dot: 2022 result; arrow head: 2023 target ({symbol_notes})"
        if lang == "en"
        else f"圆点：2022年实绩；箭头：2023年目标（{symbol_notes}）"
    )
    source = source_line([result, target], lang)
    heading = display.indicator(result, lang) + (
        ": 2022 result and 2023 target" if lang == "en" else "：2022年实绩与2023年目标"
    )
    return vl.Spec(
        {
            "layer": [line, points, labels],
            "data": {"values": rows},
            "height": 50,
            "width": 520,
            "title": _title(heading, caption, source),
            "usermeta": {
                "kind": "compare",
                "unit": unit,
                "axis_unit": axis_unit,
                "fact_ids": [r["fact_id"] for r in rows],
                "source": source,
            },
        }
    )


def comparison_charts(
    facts: pd.DataFrame, all_facts: pd.DataFrame, lang: str = "zh"
) -> list[vl.Spec]:
    """One dot-and-arrow chart per linked comparable pair among ``facts``."""
    return [pair_chart(r, t, lang) for r, t in comparable_pairs(facts, all_facts)]


def charts_for(facts: pd.DataFrame, lang: str = "zh") -> list[vl.Spec]:
    """Every bar chart among ``facts`` (two figures or more of one kind and unit)."""
    charted, _cards = chart_groups(facts)
    order = {kind: i for i, kind in enumerate(BAR_KINDS)}
    charted.sort(key=lambda g: (str(g[0]["part"]), order[str(g[0]["kind"])], str(g[0]["unit"])))
    return [bar_chart(members, lang) for members in charted]
