"""Chart builders: like compared with like, labels in the chosen language.

Each builder takes facts (rows of ``facts.csv``) and a language and returns a Vega-Lite
chart (:class:`briefing.vegalite.Spec`, the JSON Altair writes for the same chart, built
without Altair's per-call copying; ``chart.to_altair()`` gives the Altair object). The data
in the spec is small (only the columns the chart needs). Money is plotted in 万元, areas in
亩, rankings by place, and 2023 targets beside the 2022 results they relate to.
"""

from __future__ import annotations

import importlib
import importlib.util
import os
import sys
import threading
import types
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from briefing import display, frames, pagemode, theme
from briefing import vegalite as vl
from briefing.i18n import tr

if TYPE_CHECKING:
    import ipywidgets as W
    import pandas as pd

VEGALITE_MIME = "application/vnd.vegalite.v5+json"
#: Set by the static export: each chart also carries an SVG rendering, which a page without
#: a Vega renderer (the embedded widget manager of a static HTML page) can show.
STATIC_EXPORT_ENV = "BRIEFING_STATIC_EXPORT"

# Which kinds are charted together, and in what unit (value_normalised is divided by it).
MEASURES: dict[str, tuple[str, float, str]] = {
    "money": ("money_chart", 1e4, "万元"),
    "area": ("area_chart", 1.0, "亩"),
    "count": ("count_chart", 1.0, ""),
    "ratio": ("ratio_chart", 1.0, "%"),
}
_ROW_HEIGHT = 30
#: A 1×1 transparent PNG sent with every chart. JupyterLab's Vega renderer (the one Voila
#: uses) draws a chart and then, when its output has no ``image/png``, draws it a second time
#: into a canvas, encodes a PNG and writes it into the output, which makes the output area
#: render the chart a third time. That PNG only serves a notebook saved with its outputs;
#: apps never are. With this stand-in present the renderer draws each chart once: about
#: 0.5 s less main-thread work for an app's first charts on a 2-core machine, and every
#: redraw after a filter change is cheaper the same way. Renderers prefer Vega-Lite (rank
#: 57) to PNG (rank 90), so the stand-in is never shown where Vega-Lite can be drawn.
PNG_STAND_IN = (
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAAC0lEQVR4nGNgAAIAAAUAAXpeqz8AAAAASUVORK5CYII="
)
_LABEL_WIDTH = 360


def chart_rows(facts: pd.DataFrame, lang: str, divisor: float = 1.0) -> list[dict[str, Any]]:
    """The rows a chart plots: label, plotted value, value as written, part, quote.

    Examples
    --------
    >>> import pandas as pd
    >>> facts = pd.DataFrame([{"fact_id": "r1-p1.10", "indicator_zh": "招商引资额",
    ...     "indicator_en": "Investment attracted", "value": 58.7, "unit": "亿元",
    ...     "qualifier": "", "kind": "money", "scope": "", "part": "review_2022",
    ...     "value_normalised": 5.87e9, "quote": "累计完成招商引资额58.7亿元"}])
    >>> row = chart_rows(facts, "zh", 1e4)[0]
    >>> row["plot"], row["shown"], row["part_label"]
    (587000.0, '58.7亿元', '2022年工作回顾')
    """
    rows = []
    for fact in frames.records(facts):
        rows.append(
            {
                "fact_id": fact["fact_id"],
                "label": display.indicator(fact, lang),
                "plot": round(float(fact["value_normalised"]) / divisor, 6),
                "shown": display.value_text(fact, lang),
                "part": fact["part"],
                "part_label": display.part_label(fact["part"], lang),
                "quote": fact["quote"],
            }
        )
    return rows


def _tooltip(lang: str) -> list[dict[str, Any]]:
    return [
        vl.field("label", "nominal", title=tr("indicator", lang)),
        vl.field("shown", "nominal", title=tr("value", lang)),
        vl.field("part_label", "nominal", title=tr("part", lang)),
        vl.field("quote", "nominal", title=tr("source", lang)),
        vl.field("fact_id", "nominal", title=tr("fact_id", lang)),
    ]


def _part_colour(lang: str) -> dict[str, Any]:
    parts = list(theme.PART_COLOURS)
    return vl.field(
        "part_label",
        "nominal",
        title=tr("part", lang),
        scale={
            "domain": [display.part_label(p, lang) for p in parts],
            "range": [theme.PART_COLOURS[p] for p in parts],
        },
        legend={"orient": "bottom"},
    )


def measure_chart(facts: pd.DataFrame, kind: str, lang: str = "zh") -> vl.Spec:
    """Horizontal bars of one kind of measure (money, area, count or ratio).

    Money is plotted in 万元 on a symmetric-log axis (the report's sums span 280万元 to
    250亿元), so every bar stays readable; the text beside each bar is the value as written.
    """
    title_key, divisor, _unit = MEASURES[kind]
    subset = facts[facts["kind"] == kind].sort_values("value_normalised", ascending=False)
    rows = chart_rows(subset, lang, divisor)
    log_scale = kind == "money"
    x_title = ("元 (对数刻度)" if lang == "zh" else "yuan (log scale)") if log_scale else None
    scale: dict[str, Any] = {"constant": 100, "type": "symlog"} if log_scale else {"zero": True}
    if log_scale:
        # Ticks in the report's own units: 万 below 1亿, 亿 above (zh); million yuan (en).
        expression = (
            "datum.value >= 10000 ? format(datum.value / 10000, ',') + '亿' "
            ": format(datum.value, ',') + '万'"
            if lang == "zh"
            else "format(datum.value / 100, ',') + 'M'"
        )
        axis = {"labelExpr": expression, "values": [0, 100, 1000, 10000, 100000, 1000000]}
    else:
        axis = {"format": ","}
    y = vl.field(
        "label",
        "nominal",
        axis={"labelFontSize": 13, "labelLimit": _LABEL_WIDTH},
        sort=None,
        title=None,
    )
    tooltip = _tooltip(lang)
    bars = {
        "mark": {"type": "bar"},
        "encoding": {
            "color": _part_colour(lang),
            "tooltip": tooltip,
            "x": vl.field("plot", "quantitative", axis=axis, scale=scale, title=x_title),
            "y": y,
        },
    }
    labels = {
        "mark": {"type": "text", "align": "left", "dx": 4},
        "encoding": {
            "text": vl.field("shown", "nominal"),
            "tooltip": tooltip,
            "x": vl.field("plot", "quantitative", axis=None, scale=scale),
            "y": y,
        },
    }
    return vl.Spec(
        {
            "layer": [bars, labels],
            "data": {"values": rows},
            "height": max(_ROW_HEIGHT, _ROW_HEIGHT * len(rows)),
            "title": tr(title_key, lang),
            "usermeta": {"kind": kind, "fact_ids": [r["fact_id"] for r in rows]},
            "width": 420,
        }
    )


def rank_chart(facts: pd.DataFrame, lang: str = "zh") -> vl.Spec:
    """Rankings as places on a 1-to-N axis, first place at the left, with the field ranked in."""
    subset = facts[facts["kind"] == "rank"].sort_values("value")
    rows = chart_rows(subset, lang)
    worst = max([5.0, *(r["plot"] for r in rows)])
    position = {
        "tooltip": _tooltip(lang),
        "x": vl.field(
            "plot",
            "quantitative",
            axis={"format": "d", "values": list(range(1, int(worst) + 1))},
            scale={"domain": [0.5, worst + 0.5], "nice": False},
            title=tr("rank_label", lang),
        ),
        "y": vl.field("label", "nominal", axis={"labelLimit": _LABEL_WIDTH}, sort=None, title=None),
    }
    dots = {
        "mark": {"type": "point", "filled": True, "size": 260},
        "encoding": {"color": _part_colour(lang), **position},
    }
    labels = {
        "mark": {"type": "text", "align": "left", "dx": 14},
        "encoding": {"text": vl.field("shown", "nominal"), **position},
    }
    return vl.Spec(
        {
            "layer": [dots, labels],
            "data": {"values": rows},
            "height": max(_ROW_HEIGHT, _ROW_HEIGHT * len(rows)),
            "title": tr("rank_chart", lang),
            "usermeta": {"kind": "rank", "fact_ids": [r["fact_id"] for r in rows]},
            "width": 420,
        }
    )


def comparison_rows(
    facts: pd.DataFrame, all_facts: pd.DataFrame, lang: str
) -> list[dict[str, Any]]:
    """Pairs of (2023 target, related 2022 result), one row each, labelled by the target.

    Only pairs with the same normalised unit are kept, so like is compared with like.
    """
    by_id = all_facts.set_index("fact_id", drop=False)
    targets = facts[(facts["part"] == "tasks_2023") & (facts["related_fact_id"] != "")]
    rows: list[dict[str, Any]] = []
    for target in frames.records(targets):
        result = frames.record(by_id, target["related_fact_id"])
        if result["unit_normalised"] != target["unit_normalised"]:
            continue
        divisor = 1e4 if target["unit_normalised"] == "yuan" else 1.0
        pair = display.indicator(target, lang)
        for fact in (result, target):
            row = chart_rows(_frame([fact]), lang, divisor)[0]
            row["pair"] = pair
            rows.append(row)
    return rows


def _frame(records: list[dict[str, Any]]) -> pd.DataFrame:
    import pandas as pd

    return pd.DataFrame.from_records(records)


def comparison_chart(
    facts: pd.DataFrame, all_facts: pd.DataFrame, lang: str = "zh"
) -> vl.Spec | None:
    """Each 2023 target beside its 2022 result, one small panel per pair; None if no pairs."""
    rows = comparison_rows(facts, all_facts, lang)
    if not rows:
        return None
    position = {
        "tooltip": _tooltip(lang),
        "x": vl.field("plot", "quantitative", scale={"zero": True}, title=None),
        "y": vl.field("part_label", "nominal", sort=None, title=None),
    }
    panel = {
        "layer": [
            {"mark": {"type": "bar"}, "encoding": {"color": _part_colour(lang), **position}},
            {
                "mark": {"type": "text", "align": "left", "dx": 4},
                "encoding": {"text": vl.field("shown", "nominal"), **position},
            },
        ],
        "height": 70,
        "width": 330,
    }
    return vl.Spec(
        {
            "data": {"values": rows},
            "facet": vl.field(
                "pair", "nominal", header={"labelFontSize": 14, "labelLimit": 600}, title=None
            ),
            "spec": panel,
            "columns": 2,
            "resolve": {"scale": {"x": "independent"}},
            "title": tr("compare_chart", lang),
            "usermeta": {"kind": "compare", "fact_ids": [r["fact_id"] for r in rows]},
        }
    )


def charts_for(facts: pd.DataFrame, lang: str = "zh") -> list[vl.Spec]:
    """Every chart that has data among ``facts``, in reading order."""
    charts = [
        measure_chart(facts, kind, lang) for kind in MEASURES if (facts["kind"] == kind).any()
    ]
    if (facts["kind"] == "rank").any():
        charts.append(rank_chart(facts, lang))
    return charts


def output_for(chart: vl.Spec) -> dict[str, Any]:
    """The display output of a chart: Vega-Lite v5, rendered by JupyterLab and Voila offline.

    Under the static export an SVG rendering rides along for pages with no Vega renderer.
    """
    # Not validated here: the builders are tested against the Vega-Lite schema
    # (tests/test_charts.py), and validating costs about 10 ms a chart at every redraw.
    mode = pagemode.current()
    spec = theme.for_page(chart.spec, mode.theme, mode.present)
    data: dict[str, Any] = {VEGALITE_MIME: spec, "text/plain": "<VegaLite 5 chart>"}
    if os.environ.get(STATIC_EXPORT_ENV) == "1":
        from briefing import downloads

        data["image/svg+xml"] = downloads.chart_svg(chart)
    else:
        data["image/png"] = PNG_STAND_IN
    return {
        "output_type": "display_data",
        "data": data,
        # SVG, not canvas: crisp at any size, printable, and its text is in the page.
        "metadata": {VEGALITE_MIME: {"embed_options": {"actions": False, "renderer": "svg"}}},
    }


def show(output: W.Output, charts: Sequence[vl.Spec], empty_html: str = "") -> None:
    """Put charts into an Output widget (or ``empty_html`` when there are none).

    Assigning the outputs builds no IPython display machinery, so this works the same in a
    kernel, in a widget callback, in a background thread and in a plain test process.
    """
    if charts:
        output.outputs = tuple(output_for(chart) for chart in charts)
    else:
        output.outputs = (
            {"output_type": "display_data", "data": {"text/html": empty_html, "text/plain": ""}},
        )


# --------------------------------------------------------------------------- import cost


class _DeferredModule(types.ModuleType):
    """Stands in for a module until one of its attributes is used, then imports it.

    ``functions`` are the names another module imports with ``from name import function``
    at its own import time: they are wrappers that import the real module on first call.

    Examples
    --------
    >>> colorsys = _DeferredModule("colorsys", ("rgb_to_hsv",))
    >>> colorsys.rgb_to_hsv(1.0, 0.0, 0.0)
    (0.0, 1.0, 1.0)
    >>> colorsys.hsv_to_rgb(0.0, 1.0, 1.0)
    (1.0, 0.0, 0.0)
    """

    def __init__(self, name: str, functions: Sequence[str]) -> None:
        super().__init__(name)
        for function in functions:
            setattr(self, function, self._deferred(function))

    def _real(self) -> types.ModuleType:
        with _DEFER_LOCK:
            if sys.modules.get(self.__name__) is self:
                del sys.modules[self.__name__]
            return importlib.import_module(self.__name__)

    def _deferred(self, function: str) -> Any:
        def call(*args: Any, **kwargs: Any) -> Any:
            return getattr(self._real(), function)(*args, **kwargs)

        call.__name__ = call.__qualname__ = function
        return call

    def __getattr__(self, attribute: str) -> Any:
        if attribute.startswith("__"):
            raise AttributeError(attribute)
        return getattr(self._real(), attribute)


_DEFER_LOCK = threading.Lock()


def _defer_iri_grammar() -> bool:
    """Keep ``import altair`` from compiling a grammar it never uses; True if deferred.

    Altair imports jsonschema, whose format checkers import ``rfc3987_syntax`` when it is
    installed (Jupyter's own packages install it); that module compiles an Earley parser for
    IRIs on import: about 0.9 s of the 1.6 s ``import altair`` takes on a 2-core machine.
    Vega-Lite's schema has no ``iri`` format, so nothing here ever checks one. Until
    jsonschema is imported, a stand-in takes the module's place: jsonschema registers its
    ``iri`` checkers as always, and the grammar is compiled the first time one is used.
    Does nothing once jsonschema or ``rfc3987_syntax`` is imported, or if it is not installed.
    """
    name = "rfc3987_syntax"
    if "jsonschema" in sys.modules or name in sys.modules:
        return False
    try:
        if importlib.util.find_spec(name) is None:
            return False
    except (ImportError, ValueError):
        return False
    sys.modules[name] = _DeferredModule(name, ("is_valid_syntax",))
    return True


_defer_iri_grammar()
