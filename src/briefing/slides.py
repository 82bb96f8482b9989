"""Meeting mode (``?present=1``): the app composed as slides for a projector.

Each slide holds one group of headline cards, one chart, or one short list, sized to fit a
1280×720 screen with text of at least 24 px (the template's script shows one slide at a
time). A chart with many bars is split over several slides rather than shrunk; charts are
drawn at the width of their slide (Vega-Lite ``width: "container"``), not scaled. Filters
are left out: a slide shows what it says, and the app's ordinary page keeps the filters.
"""

from __future__ import annotations

import copy
import html
import json
import re
from collections.abc import Iterator, Mapping, Sequence
from typing import TYPE_CHECKING, Any, TypeVar

import ipywidgets as W

from briefing import charts, display, frames, ui, views
from briefing import vegalite as vl
from briefing.i18n import tr
from briefing.theme import PRESENT_MIN_FONT as PRESENT_FONT

if TYPE_CHECKING:
    import pandas as pd

    from briefing.data import Dataset

T = TypeVar("T")
CARDS_PER_SLIDE = 6
BARS_PER_SLIDE = 6
PANELS_PER_SLIDE = 3
ITEMS_PER_SLIDE = 7
#: Height of one bar's row in a meeting chart (24 px labels need the room).
ROW_HEIGHT = 52
#: Room kept at the right of a meeting chart whose bars carry their values, in pixels.
VALUE_MARGIN = 40
#: Widest category label of a meeting chart, in pixels (longer ones are wrapped).
LABEL_LIMIT = 680


def chunks(items: Sequence[T], size: int) -> Iterator[Sequence[T]]:
    """``items`` in pieces of at most ``size``.

    Examples
    --------
    >>> [list(c) for c in chunks([1, 2, 3, 4, 5], 2)]
    [[1, 2], [3, 4], [5]]
    """
    for start in range(0, len(items), size):
        yield items[start : start + size]


def even_chunks(items: Sequence[T], size: int) -> list[Sequence[T]]:
    """``items`` in as few pieces of at most ``size`` as :func:`chunks` makes, but of even
    length (no slide left with one bar).

    Examples
    --------
    >>> [list(c) for c in even_chunks([1, 2, 3, 4, 5, 6, 7], 6)]
    [[1, 2, 3, 4], [5, 6, 7]]
    >>> even_chunks([], 6)
    []
    """
    count = -(-len(items) // size)
    if not count:
        return []
    base, extra = divmod(len(items), count)
    pieces, start = [], 0
    for index in range(count):
        end = start + base + (1 if index < extra else 0)
        pieces.append(items[start:end])
        start = end
    return pieces


def category_field(spec: dict[str, Any]) -> str | None:
    """The field a chart's rows are drawn along (its nominal y), if it has one.

    Examples
    --------
    >>> category_field({"encoding": {"y": {"field": "term", "type": "nominal"}}})
    'term'
    >>> category_field({"layer": [{"encoding": {"y": {"field": "label", "type": "nominal"}}}]})
    'label'
    >>> category_field({"encoding": {"y": {"field": "n", "type": "quantitative"}}}) is None
    True
    """
    for unit in [spec, *spec.get("layer", [])]:
        y = unit.get("encoding", {}).get("y")
        if isinstance(y, dict) and y.get("type") in ("nominal", "ordinal") and y.get("field"):
            return str(y["field"])
    return None


def _title(text: str, index: int, lang: str) -> str:
    return text if index == 0 else f"{text} {tr('present_more', lang)}"


def story_slide(claims: W.Widget) -> W.Widget:
    """The headline claims of the app's first screen, as the first slide."""
    return ui.section(claims, name="slide-story")


def card_slides(facts: pd.DataFrame, title: str, lang: str) -> list[W.Widget]:
    """Headline cards, at most :data:`CARDS_PER_SLIDE` a slide."""
    slides: list[W.Widget] = []
    for index, start in enumerate(range(0, len(facts), CARDS_PER_SLIDE)):
        part = facts.iloc[start : start + CARDS_PER_SLIDE]
        body = ui.heading(_title(title, index, lang)) + views.cards_html(part, lang)
        slides.append(ui.section(W.HTML(body), name="slide-cards"))
    return slides


def split_chart(spec: dict[str, Any]) -> list[dict[str, Any]]:
    """A chart spec in pieces that each fit a slide: bars by rows, small multiples by panel.

    Examples
    --------
    A chart drawn along a nominal y (bars, a timeline) is cut between its categories, never
    inside one (a stacked bar stays whole), in pieces of even length.

    >>> spec = {"data": {"values": [{"fact_id": str(i)} for i in range(8)]}, "height": 240,
    ...     "title": "T", "usermeta": {"kind": "count"}, "layer": []}
    >>> parts = split_chart(spec)
    >>> [len(p["data"]["values"]) for p in parts], parts[1]["title"], parts[0]["width"]
    ([4, 4], {'text': ['T (2/2)']}, 'container')
    >>> stacked = {"data": {"values": [{"area": a, "state": s} for a in "ABCDEFG" for s in "xy"]},
    ...     "encoding": {"y": {"field": "area", "type": "nominal"}}, "height": 100, "title": "S"}
    >>> [sorted({r["area"] for r in p["data"]["values"]}) for p in split_chart(stacked)]
    [['A', 'B', 'C', 'D'], ['E', 'F', 'G']]
    """
    rows = spec.get("data", {}).get("values", [])
    facet = "facet" in spec
    key = "pair" if facet else category_field(spec)
    size = PANELS_PER_SLIDE if facet else BARS_PER_SLIDE
    labels: dict[str, list[str]] = {}
    if key is not None:
        keys = list(dict.fromkeys(r.get(key) for r in rows))
        if not facet:
            # Labels wrapped over several lines need taller rows, so fewer a slide.
            labels = label_lines(keys)
            size = max(1, BARS_PER_SLIDE * ROW_HEIGHT // row_height(_most_lines(labels)))
        groups = [[r for r in rows if r.get(key) in set(c)] for c in even_chunks(keys, size)]
    else:
        groups = [list(c) for c in even_chunks(rows, size)]
    groups = groups or [[]]
    pieces = []
    for index, group in enumerate(groups):
        piece = copy.deepcopy({k: v for k, v in spec.items() if k != "data"})
        piece["data"] = {"values": group}
        if len(groups) > 1:
            title = piece.get("title")
            mark = f" ({index + 1}/{len(groups)})"
            if isinstance(title, str):
                piece["title"] = title + mark
            elif isinstance(title, dict) and isinstance(title.get("text"), str):
                title["text"] += mark
        meta = piece.setdefault("usermeta", {})
        meta["fact_ids"] = [r.get("fact_id") for r in group]
        if facet:
            # One panel a row: long pair names (English) get the slide's width.
            piece["columns"] = 1
            inner = piece.get("spec", {})
            inner["width"] = 420
            inner["height"] = 60
            header = piece.get("facet", {}).get("header")
            if isinstance(header, dict):
                header["labelLimit"] = 1000
        else:
            drawn_keys = {str(r.get(key)) for r in group}
            _fit_labels(piece, key, {k: v for k, v in labels.items() if k in drawn_keys})
            piece["width"] = "container"
            piece["autosize"] = {"type": "fit-x", "contains": "padding"}
            # Vega fits the value written beside the longest bar into the width, measuring
            # it before the web font is in; a margin keeps the last letters on the slide.
            right = VALUE_MARGIN if any(r.get("shown") for r in group) else 5
            piece["padding"] = {"left": 5, "top": 5, "bottom": 5, "right": right}
            if isinstance(piece.get("height"), int | float | dict):
                drawn = {r.get(key) for r in group} if key is not None else group
                piece["height"] = row_height(_most_lines(labels)) * max(1, len(drawn))
        _wrap_title(piece)
        _fold_legends(piece)
        pieces.append(piece)
    return pieces


#: Entries of a legend's row on a slide (a legend in one row runs off a 1280 px slide).
LEGEND_COLUMNS = 3


def _fold_legends(piece: dict[str, Any]) -> None:
    """Lay every legend of a meeting chart out in rows of :data:`LEGEND_COLUMNS` entries."""
    for legend in _settings(piece, "legend"):
        legend.setdefault("columns", LEGEND_COLUMNS)


def _settings(node: Any, name: str) -> Iterator[dict[str, Any]]:
    """Every dict set under ``name`` anywhere in a chart spec (not looking inside them)."""
    if isinstance(node, dict):
        for key, value in node.items():
            if key == name and isinstance(value, dict):
                yield value
            else:
                yield from _settings(value, name)
    elif isinstance(node, list):
        for value in node:
            yield from _settings(value, name)


#: Height of each line of a category label wrapped over several (24 px text).
LABEL_LINE = 26


def label_lines(labels: Sequence[Any]) -> dict[str, list[str]]:
    """Each category label in the lines it takes on a slide (at most :data:`LABEL_LIMIT`
    pixels each, words kept whole).

    Examples
    --------
    >>> label_lines(["Main targets", "Village-level industrial park redevelopment projects"])
    {'Main targets': ['Main targets'], 'Village-level industrial park redevelopment projects': \
['Village-level industrial park redevelopment', 'projects']}
    """
    return {str(v): wrap(str(v), PRESENT_FONT, LABEL_LIMIT) for v in labels if v is not None}


def row_height(lines: int) -> int:
    """Height of a meeting chart's row whose tallest label takes ``lines`` lines."""
    return ROW_HEIGHT + LABEL_LINE * (lines - 1)


def _most_lines(labels: Mapping[str, Sequence[str]]) -> int:
    return max((len(lines) for lines in labels.values()), default=1)


def _fit_labels(
    piece: dict[str, Any], key: str | None, labels: Mapping[str, Sequence[str]]
) -> None:
    """Give the category labels of a meeting chart room for 24 px text, and those wider than
    :data:`LABEL_LIMIT` their lines (through the axis's ``labelExpr``; Vega would cut them
    short with "…").

    Examples
    --------
    >>> piece = {"encoding": {"y": {"field": "label", "type": "nominal", "axis": {}}}}
    >>> _fit_labels(piece, "label", {"Main": ["Main"], "Land sold (x": ["Land sold", "(x"]})
    >>> axis = piece["encoding"]["y"]["axis"]
    >>> axis["labelLimit"], axis["labelExpr"]
    (680, 'datum.value === "Land sold (x" ? ["Land sold", "(x"] : datum.label')
    """
    expr = "datum.label"
    for value, lines in reversed(list(labels.items())):
        if len(lines) > 1:
            quoted = ", ".join(json.dumps(line, ensure_ascii=False) for line in lines)
            expr = f"datum.value === {json.dumps(value, ensure_ascii=False)} ? [{quoted}] : {expr}"
    for y in _settings(piece, "y"):
        axis = y.get("axis")
        if not isinstance(axis, dict):
            continue
        axis["labelLimit"] = LABEL_LIMIT
        if expr != "datum.label" and y.get("field") == key:
            axis.update(labelExpr=expr, labelLineHeight=LABEL_LINE)


def text_width(text: str, size: int = 24) -> int:
    """About how wide ``text`` is at ``size`` px: CJK a full em, other characters 0.6 em.

    Examples
    --------
    >>> text_width("58个"), text_width("40 or more")
    (52, 144)
    """
    return int(sum(size if ord(ch) >= 0x2E80 else size * 0.6 for ch in text))


_TOKENS = re.compile(r"[\u2e80-\u9fff\uff00-\uffef]|[^\s\u2e80-\u9fff\uff00-\uffef]+\s*|\s+")
#: Widest line of a meeting chart's title or subtitle (Vega does not wrap them).
LINE_WIDTH = 1080


def wrap(text: str, size: int, width: int = LINE_WIDTH) -> list[str]:
    """``text`` in lines of at most ``width`` px at ``size`` px (words kept whole).

    Examples
    --------
    >>> wrap("one two three", 24, 120)
    ['one two', 'three']
    >>> wrap("报告原文综合施策", 24, 100)
    ['报告原文', '综合施策']
    """
    lines: list[str] = []
    line = ""
    for token in _TOKENS.findall(text):
        if line and text_width((line + token).rstrip(), size) > width:
            lines.append(line.rstrip())
            line = token.lstrip()
        else:
            line += token
    if line.strip():
        lines.append(line.rstrip())
    return lines or [text]


def _wrap_title(piece: dict[str, Any]) -> None:
    """Titles and subtitles of a meeting chart in lines that fit the slide."""
    title = piece.get("title")
    if isinstance(title, str):
        piece["title"] = {"text": wrap(title, 30)}
        return
    if not isinstance(title, dict):
        return
    text = title.get("text")
    if isinstance(text, str):
        title["text"] = wrap(text, 30)
    subtitle = title.get("subtitle")
    lines = [subtitle] if isinstance(subtitle, str) else subtitle
    if isinstance(lines, list):
        title["subtitle"] = [part for line in lines for part in wrap(str(line), PRESENT_FONT)]


def chart_slides(specs: Sequence[vl.Spec]) -> list[W.Widget]:
    """One slide per chart piece (see :func:`split_chart`)."""
    slides: list[W.Widget] = []
    for chart in specs:
        for piece in split_chart(chart.spec):
            out = W.Output(layout=W.Layout(width="100%"))
            out.add_class("briefing-charts")
            charts.show(out, [vl.Spec(piece)])
            slides.append(ui.section(out, name="slide-chart"))
    return slides


#: Room for a list on a 1280×720 slide under its title, in pixels, and what one item costs
#: beyond its lines (the gap between items).
LIST_HEIGHT = 470
LINE_HEIGHT = 34
ITEM_GAP = 14
#: Width of a list's line on a 1280×720 slide (the slide less the list's indent).
LIST_WIDTH = 1080


def item_height(item: str, width: int = LIST_WIDTH) -> int:
    """About how tall an HTML list item is on a slide: its text in 24 px lines, and the gap.

    Examples
    --------
    >>> item_height("<li>短</li>"), item_height("<li>" + "长" * 50 + "</li>")
    (48, 82)
    """
    plain = html.unescape(re.sub(r"<[^>]+>", " ", item))
    lines = len(wrap(" ".join(plain.split()), PRESENT_FONT, width))
    return lines * LINE_HEIGHT + ITEM_GAP


def pack(
    items: Sequence[str], room: int = LIST_HEIGHT, most: int = ITEMS_PER_SLIDE
) -> list[Sequence[str]]:
    """List items in slides: at most ``most`` a slide, and no more than its room holds (an
    item too tall for any slide is given one of its own).

    Examples
    --------
    >>> [len(p) for p in pack(["<li>a</li>"] * 9)]
    [7, 2]
    >>> [len(p) for p in pack(["<li>" + "长" * 400 + "</li>"] * 3)]
    [1, 1, 1]
    """
    pieces: list[Sequence[str]] = []
    current: list[str] = []
    used = 0
    for item in items:
        cost = item_height(item)
        if current and (used + cost > room or len(current) == most):
            pieces.append(current)
            current, used = [], 0
        current.append(item)
        used += cost
    if current:
        pieces.append(current)
    return pieces


def list_slides(
    title: str,
    items: Sequence[str],
    lang: str,
    title_html: str | None = None,
    *,
    most: int = ITEMS_PER_SLIDE,
) -> list[W.Widget]:
    """HTML list items (already escaped), as many a slide as fit (see :func:`pack`).

    ``title_html`` is the title as markup (words of the report marked ``lang="zh-CN"``)."""
    slides: list[W.Widget] = []
    for index, part in enumerate(pack(items, most=most)):
        if title_html is None:
            heading = ui.heading(_title(title, index, lang))
        else:
            more = "" if index == 0 else f" {ui.esc(tr('present_more', lang))}"
            heading = f"<h2 class='briefing-h'>{title_html}{more}</h2>"
        body = heading + (f"<ul class='briefing-list briefing-slide-list'>{''.join(part)}</ul>")
        slides.append(ui.section(W.HTML(body), name="slide-list"))
    return slides


def commitment_items(ds: Dataset, commitments: pd.DataFrame, lang: str) -> list[str]:
    """Each 2023 commitment as one line: what, its target and its deadline (escaped HTML)."""
    facts = ds.facts.set_index("fact_id", drop=False)
    items = []
    for c in frames.records(commitments.sort_values(["area", "commitment_id"])):
        text = c["title_en"] if lang == "en" else c["title_zh"]
        extra = display.commitment_extras(c, facts, lang)
        meta = f" <span class='briefing-tag'>{ui.esc(' · '.join(extra))}</span>" if extra else ""
        items.append(
            f"<li data-commitment-id='{ui.esc(c['commitment_id'])}'>{ui.esc(text)}{meta}</li>"
        )
    return items


def project_items(projects: pd.DataFrame, lang: str) -> list[str]:
    """Each named project or enterprise with what happened to it (escaped HTML)."""
    from briefing.vocab import STATUSES, label

    items = []
    for p in frames.records(projects):
        name = p["name_en"] if lang == "en" else p["name_zh"]
        status = p["status_zh"] if lang == "zh" else label(STATUSES, p["status"], lang)
        items.append(
            f"<li data-project-id='{ui.esc(p['project_id'])}'><b>{ui.esc(name)}</b> "
            f"<span class='briefing-tag'>{ui.esc(status)} · "
            f"{ui.esc(display.part_label(p['part'], lang))}</span></li>"
        )
    return items


def sector_deck(
    ds: Dataset, facts: pd.DataFrame, sectors: tuple[str, ...], lang: str
) -> list[W.Widget]:
    """The slides of a sector app: results, targets, the comparison, each chart, projects,
    commitments."""
    review = facts[(facts["part"] == "review_2022") & facts["headline"]]
    targets = facts[facts["part"] == "tasks_2023"]
    slides = card_slides(review, tr("headline_results", lang), lang)
    slides += card_slides(targets, tr("targets_2023", lang), lang)
    slides += chart_slides(charts.comparison_charts(facts, ds.facts, lang))
    slides += chart_slides(charts.charts_for(facts, lang))
    projects = ds.projects[ds.projects["sector"].isin(sectors)]
    if not projects.empty:
        slides += list_slides(tr("projects", lang), project_items(projects, lang), lang)
    commitments = ds.commitments[ds.commitments["sector"].isin(sectors)]
    slides += list_slides(tr("commitments", lang), commitment_items(ds, commitments, lang), lang)
    return slides
