"""The one theme of the project: CJK fonts, colour palettes for light and dark, projector sizes.

One palette per theme (:data:`LIGHT`, :data:`DARK`) feeds both the charts (the Vega-Lite
``config`` every spec carries, :func:`theme_config`) and the pages (CSS custom properties,
:func:`css_variables`, used by the apps' style sheet and the Voila template), so a page, its
cards, tables and charts always take their colours from the same place.
:func:`enable` also registers the theme with Altair, for charts adapted in a notebook.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
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
#: Okabe & Ito's hues with 3:1 contrast on a white page (WCAG 1.4.11, graphical objects):
#: their orange (#E69F00, 2.25:1) darkened to #C26E00; sky blue and yellow left out.
LIGHT_CATEGORY = ("#0072B2", "#C26E00", "#009E73", "#D55E00", "#CC79A7", "#000000")
#: The same hues on the dark page, position by position (black becomes a light grey).
DARK_CATEGORY = ("#56B4E9", "#E69F00", "#009E73", "#D55E00", "#CC79A7", "#c8c8c8")
PART_COLOURS = {"review_2022": LIGHT_CATEGORY[0], "tasks_2023": LIGHT_CATEGORY[1]}
#: The smallest text of a chart or a slide in meeting mode (pixels, on a 1280×720 screen).
PRESENT_MIN_FONT = 24


@dataclass(frozen=True)
class Palette:
    """The colours of one theme. Text colours keep a contrast of at least 4.5:1 (WCAG AA)
    against ``background`` and ``surface``; marks at least 3:1 against ``background``."""

    name: str
    background: str  # page and chart background
    surface: str  # cards, panels, the meeting-mode bars
    text: str  # body text, chart titles, axis and legend labels
    muted: str  # secondary text
    border: str
    grid: str  # chart grid lines
    axis: str  # chart axis lines and ticks
    accent: str  # card edge, focus ring
    value: str  # the big number of a headline card
    link: str
    qualifier: str  # 超, 以上, 近, 余 beside a value
    source_bg: str  # the quoted paragraph
    highlight: str  # the quote inside it
    error_bg: str
    error_text: str
    review: str  # bars of the 2022 review
    tasks: str  # bars of the 2023 targets
    category: tuple[str, ...]  # other categorical colours

    def variables(self) -> dict[str, str]:
        """The palette as CSS custom properties (``--briefing-text`` …)."""
        return {
            f"--briefing-{key.replace('_', '-')}": value
            for key, value in asdict(self).items()
            if isinstance(value, str) and key != "name"
        }


LIGHT = Palette(
    name="light",
    background="#ffffff",
    surface="#f6f8fa",
    text="#1b1b1b",
    muted="#57606a",
    border="#d0d7de",
    grid="#e1e4e8",
    axis="#57606a",
    accent="#0072B2",
    value="#0b3d66",
    link="#0b62a4",
    qualifier="#8a4b00",
    source_bg="#fffaf0",
    highlight="#ffd97a",
    error_bg="#fff0f0",
    error_text="#82071e",
    review="#0072B2",
    tasks=LIGHT_CATEGORY[1],
    category=LIGHT_CATEGORY,
)
DARK = Palette(
    name="dark",
    background="#1b1d21",
    surface="#262a30",
    text="#e8eaed",
    muted="#b0b8c2",
    border="#4a5058",
    grid="#3a3f46",
    axis="#b0b8c2",
    accent="#56B4E9",
    value="#9fd5ff",
    link="#8cc8ff",
    qualifier="#f2b36b",
    source_bg="#2b2618",
    highlight="#6b5300",
    error_bg="#3b1a1d",
    error_text="#ffb3b8",
    review="#56B4E9",
    tasks="#E69F00",
    category=DARK_CATEGORY,
)
PALETTES = {"light": LIGHT, "dark": DARK}


def palette(mode: str = "light") -> Palette:
    """The palette of a theme (``light`` or ``dark``; anything else is light)."""
    return PALETTES.get(mode, LIGHT)


def part_colours(mode: str = "light") -> dict[str, str]:
    """The colour of each part of the report (2022 review, 2023 tasks) in a theme."""
    p = palette(mode)
    return {"review_2022": p.review, "tasks_2023": p.tasks}


def theme_config(mode: str = "light", present: bool = False) -> dict[str, Any]:
    """The theme as a Vega-Lite config; ``present`` sizes text for a projector (24 px and up).

    Examples
    --------
    >>> cfg = theme_config()["config"]
    >>> cfg["axis"]["labelFontSize"], cfg["range"]["category"][0], cfg["background"]
    (14, '#0072B2', '#ffffff')
    >>> dark = theme_config("dark", present=True)["config"]
    >>> dark["background"], dark["axis"]["labelColor"], dark["axis"]["labelFontSize"]
    ('#1b1d21', '#e8eaed', 24)
    """
    p = palette(mode)
    small = PRESENT_MIN_FONT if present else 14
    title = 30 if present else 18
    return {
        "config": {
            "font": FONT,
            "background": p.background,
            "view": {"stroke": None, "continuousWidth": 560, "continuousHeight": 300},
            "title": {
                "font": FONT,
                "fontSize": title,
                "fontWeight": 600,
                "anchor": "start",
                "color": p.text,
                "subtitleColor": p.muted,
            },
            "axis": {
                "labelFont": FONT,
                "titleFont": FONT,
                "labelFontSize": small,
                "titleFontSize": small + 1 if not present else small,
                "labelAngle": 0,
                "labelLimit": 360,
                "labelColor": p.text,
                "titleColor": p.text,
                "gridColor": p.grid,
                "domainColor": p.axis,
                "tickColor": p.axis,
            },
            "header": {
                "labelFont": FONT,
                "titleFont": FONT,
                "labelFontSize": small,
                "labelColor": p.text,
                "titleColor": p.text,
            },
            "legend": {
                "labelFont": FONT,
                "titleFont": FONT,
                "labelFontSize": small,
                "titleFontSize": small,
                "labelColor": p.text,
                "titleColor": p.text,
                "orient": "bottom",
            },
            "text": {"font": FONT, "fontSize": small, "color": p.text},
            "range": {"category": list(p.category)},
            # No rounded bar ends (``bar.cornerRadiusEnd``): with the clipping Vega-Lite adds
            # for zooming (Altair's ``.interactive()``), rounded bars are not drawn at all.
        }
    }


def css_variables() -> str:
    """CSS custom properties of both palettes: light by default, dark on a dark JupyterLab page.

    Examples
    --------
    >>> css = css_variables()
    >>> "--briefing-text: #1b1b1b;" in css, "--briefing-text: #e8eaed;" in css
    (True, True)
    """

    def block(selector: str, p: Palette) -> str:
        body = "".join(f"  {name}: {value};\n" for name, value in p.variables().items())
        return f"{selector} {{\n{body}  color-scheme: {p.name};\n}}\n"

    return block(":root,\nbody[data-jp-theme-light='true']", LIGHT) + block(
        "body[data-jp-theme-light='false'],\n.briefing-theme-dark", DARK
    )


def contrast(foreground: str, background: str) -> float:
    """WCAG contrast ratio of two ``#rrggbb`` colours.

    Examples
    --------
    >>> round(contrast("#000000", "#ffffff"), 1)
    21.0
    """

    def luminance(colour: str) -> float:
        channels = [int(colour.lstrip("#")[i : i + 2], 16) / 255 for i in (0, 2, 4)]
        linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
        return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]

    high, low = sorted((luminance(foreground), luminance(background)), reverse=True)
    return (high + 0.05) / (low + 0.05)


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


_FONT_KEYS = frozenset({"fontSize", "labelFontSize", "titleFontSize", "subtitleFontSize"})


def for_page(spec: dict[str, Any], mode: str = "light", present: bool = False) -> dict[str, Any]:
    """A chart spec in a page's theme: its config replaced, the light palette's colours
    swapped for the theme's, and (``present``) every text at least 24 px. Works on a copy.

    Examples
    --------
    >>> spec = {"config": {}, "mark": {"type": "text", "color": "#1b1b1b", "fontSize": 12},
    ...     "encoding": {"color": {"scale": {"range": ["#0072B2", "#C26E00"]}}}}
    >>> out = for_page(spec, "dark", present=True)
    >>> out["mark"]["color"], out["mark"]["fontSize"], out["encoding"]["color"]["scale"]["range"]
    ('#e8eaed', 24, ['#56B4E9', '#E69F00'])
    >>> spec["mark"]["fontSize"], out["config"]["background"]
    (12, '#1b1d21')
    """
    p = palette(mode)
    swap: dict[str, str] = {}
    if p is not LIGHT:
        for key, value in asdict(LIGHT).items():
            if isinstance(value, str) and key != "name":
                swap.setdefault(value.lower(), getattr(p, key))
        for light, other in zip(LIGHT.category, p.category, strict=False):
            swap.setdefault(light.lower(), other)

    def walk(node: Any, key: str = "") -> Any:
        if isinstance(node, dict):
            return {k: walk(v, k) for k, v in node.items()}
        if isinstance(node, list):
            return [walk(v) for v in node]
        if isinstance(node, str) and key != "$schema":
            return swap.get(node.lower(), node)
        if present and key in _FONT_KEYS and isinstance(node, int | float):
            return max(node, PRESENT_MIN_FONT)
        return node

    body = {k: v for k, v in spec.items() if k != "config"}
    out: dict[str, Any] = walk(body) if (swap or present) else dict(body)
    out["config"] = theme_config(mode, present)["config"]
    return out
