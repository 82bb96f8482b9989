"""The one chart theme of the project: CJK fonts, a colour-blind-safe palette, projector sizes.

Every chart spec carries it as its Vega-Lite ``config`` (:mod:`briefing.vegalite`); :func:`enable`
also registers it with Altair, for charts adapted in a notebook with ``to_altair()``.
"""

from __future__ import annotations

from typing import Any

THEME_NAME = "briefing"
FONT = (
    "'Noto Sans CJK SC', 'Source Han Sans SC', 'PingFang SC', 'Microsoft YaHei', "
    "'WenQuanYi Micro Hei', sans-serif"
)
# Okabe & Ito, "Color Universal Design": distinguishable with the common colour-vision deficiencies.
PALETTE = (
    "#0072B2",
    "#E69F00",
    "#009E73",
    "#D55E00",
    "#56B4E9",
    "#CC79A7",
    "#F0E442",
    "#000000",
)
PART_COLOURS = {"review_2022": "#0072B2", "tasks_2023": "#E69F00"}


def theme_config() -> dict[str, Any]:
    """The theme as a Vega-Lite config (text large enough to read on a projector).

    Examples
    --------
    >>> cfg = theme_config()["config"]
    >>> cfg["axis"]["labelFontSize"], cfg["range"]["category"][0]
    (14, '#0072B2')
    """
    return {
        "config": {
            "font": FONT,
            "background": "white",
            "view": {"stroke": None, "continuousWidth": 560, "continuousHeight": 300},
            "title": {"font": FONT, "fontSize": 18, "fontWeight": 600, "anchor": "start"},
            "axis": {
                "labelFont": FONT,
                "titleFont": FONT,
                "labelFontSize": 14,
                "titleFontSize": 15,
                "labelAngle": 0,
                "labelLimit": 360,
                "gridColor": "#e6e6e6",
            },
            "header": {"labelFont": FONT, "titleFont": FONT, "labelFontSize": 14},
            "legend": {
                "labelFont": FONT,
                "titleFont": FONT,
                "labelFontSize": 14,
                "titleFontSize": 14,
                "orient": "bottom",
            },
            "text": {"font": FONT, "fontSize": 14},
            "range": {"category": list(PALETTE)},
            # No rounded bar ends (``bar.cornerRadiusEnd``): with the clipping Vega-Lite adds
            # for zooming (Altair's ``.interactive()``), rounded bars are not drawn at all.
        }
    }


_registered = False


def _theme() -> Any:
    return theme_config()


def enable() -> None:
    """Register and enable the theme and the offline renderer (once per process).

    Charts are emitted as the Vega-Lite v5 mimetype, which JupyterLab and Voila 0.5 render
    with their own bundled Vega: no script is fetched from a CDN, so charts work offline.
    """
    global _registered
    if _registered:
        return
    import altair as alt

    alt.theme.register(THEME_NAME, enable=True)(_theme)
    alt.renderers.enable("mimetype")
    _registered = True
