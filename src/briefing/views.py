"""Widget factories shared by the apps: cards, the fact explorer, its table, sources, lists.

Each view owns a widget and a ``set_lang(lang)`` method; apps compose views and forward
the language toggle to them. Views take a :class:`~briefing.data.Dataset` and a frame of
facts, so every sector app is the same code with different data.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

import ipywidgets as W

from briefing import charts, display, figures, frames, places, ui
from briefing.catalogue import APPS, app_info
from briefing.i18n import tr
from briefing.vocab import ENTITY_TYPES, STATUSES, label

if TYPE_CHECKING:
    import pandas as pd

    from briefing.data import Dataset

ALL = "__all__"


# --------------------------------------------------------------------------- header


def header_html(name: str, lang: str) -> str:
    """What the app is about, and links to the other apps (the notebook's title names it)."""
    info = app_info(name)
    blurb = info.blurb_en if lang == "en" else info.blurb_zh
    links = []
    for other in APPS:
        title = other.title_en if lang == "en" else other.title_zh
        if other.name == name:
            links.append(f"<b>{ui.esc(title)}</b>")
        else:
            links.append(ui.app_link(other.notebook, title))
    note = ""
    if ui.in_jupyterlab():
        note = f"<div class='briefing-muted'>{ui.esc(tr('links_in_lab', lang))}</div>"
    return (
        f"<div class='briefing-header'><div class='briefing-blurb'>{ui.esc(blurb)}</div>"
        f"<nav class='briefing-nav-links'>{' · '.join(links)}</nav>{note}</div>"
    )


class AppHeader:
    """The header every app shares: its description, links to the other apps, the toggle."""

    def __init__(self, name: str, lang: str) -> None:
        self.name = name
        self.html = W.HTML(layout=W.Layout(flex="1 1 auto"))
        self.set_lang(lang)

    def set_lang(self, lang: str) -> None:
        self.html.value = header_html(self.name, lang)

    def row(self, toggle: W.Widget) -> W.HBox:
        """The header laid out with the language toggle at the right."""
        return W.HBox([self.html, toggle], layout=W.Layout(align_items="center", width="100%"))


# --------------------------------------------------------------------------- sources


def source_html(ds: Dataset, fact: dict[str, Any], lang: str) -> str:
    """The fact's quote highlighted inside its full paragraph, with its section (escaped)."""
    paragraph_id = str(fact["paragraph_id"])
    paragraphs = ds.paragraphs.set_index("paragraph_id")
    section_id = str(frames.record(paragraphs, paragraph_id)["section_id"])
    section = frames.record(ds.sections.set_index("section_id"), section_id)
    section_title = section["title_en"] if lang == "en" else section["title_zh"]
    part = display.part_label(str(section["part"]), lang)
    body = highlight_quote(ds.paragraph_text(paragraph_id), str(fact["quote"]))
    number = places.places_of(ds).number(paragraph_id)
    title = display.indicator(fact, lang)
    value = display.value_text(fact, lang)
    return (
        f"<div class='briefing-source' data-paragraph='{ui.esc(paragraph_id)}' "
        f"data-fact='{ui.esc(fact['fact_id'])}'>"
        f"<div><b>{ui.esc(title)}</b>: {ui.esc(value)}</div>"
        f"<div class='meta'>{ui.esc(tr('section', lang))}: {ui.esc(part)} · "
        f"{ui.esc(section_title)} · {ui.esc(places.number_label(number, lang))}</div>"
        f"<p lang='zh'>{body}</p></div>"
    )


def highlight_quote(paragraph: str, quote: str) -> str:
    """Escape a paragraph and wrap each occurrence of the quote in ``<mark>``.

    Examples
    --------
    >>> highlight_quote("a<b>c a<b>", "<b>")
    'a<mark>&lt;b&gt;</mark>c a<mark>&lt;b&gt;</mark>'
    """
    pieces: list[str] = []
    last = 0
    for match in re.finditer(re.escape(quote), paragraph) if quote else ():
        pieces.append(ui.esc(paragraph[last : match.start()]))
        pieces.append(f"<mark>{ui.esc(match.group())}</mark>")
        last = match.end()
    pieces.append(ui.esc(paragraph[last:]))
    return "".join(pieces)


# --------------------------------------------------------------------------- cards


def cards_html(facts: pd.DataFrame, lang: str, empty: str = "") -> str:
    """Headline cards for facts, the qualifier kept beside each value."""
    if facts.empty:
        return f"<div class='briefing-muted'>{ui.esc(empty)}</div>" if empty else ""
    cards = []
    for fact in frames.records(facts):
        note = display.part_label(fact["part"], lang)
        value = (
            figures.rank_text(fact, lang)
            if fact["kind"] == "rank"
            else display.value_text(fact, lang)
        )
        cards.append(
            ui.card(
                value,
                display.indicator(fact, lang),
                note=note,
                fact_id=str(fact["fact_id"]),
            )
        )
    return ui.card_grid(cards)


class Cards:
    """A titled grid of headline cards."""

    def __init__(self, facts: pd.DataFrame, title_key: str, lang: str) -> None:
        self.facts = facts
        self.title_key = title_key
        self.widget = W.HTML()
        self.set_lang(lang)

    def set_lang(self, lang: str) -> None:
        self.widget.value = ui.heading(tr(self.title_key, lang)) + cards_html(
            self.facts, lang, tr("no_data", lang)
        )


# --------------------------------------------------------------------------- table

TABLE_COLUMNS = ("indicator", "value", "part", "topic", "kind")
_SORT_KEYS = {
    "indicator": "_indicator",
    "value": "value_normalised",
    "part": "part",
    "topic": "_topic",
    "kind": "kind",
}


class FactTable:
    """A sortable, paged table of facts; clicking a row selects the fact.

    The widget count is fixed (one button per visible row), however many facts there are.
    """

    page_size = 10

    def __init__(
        self, topics: dict[str, tuple[str, str]], on_select: Callable[[str], None]
    ) -> None:
        self.topics = topics
        self.on_select = on_select
        self.lang = "zh"
        self.facts: pd.DataFrame | None = None
        self.order: list[str] = []
        self.sort_key = "part"
        self.ascending = True
        self.page = 0
        self.header = [W.Button(layout=W.Layout(width="auto")) for _ in TABLE_COLUMNS]
        for key, button in zip(TABLE_COLUMNS, self.header, strict=True):
            button.on_click(lambda _b, k=key: self.sort_by(k))
            button.add_class("briefing-th")
        self.row_buttons = [
            W.Button(layout=W.Layout(width="auto", justify_content="flex-start"))
            for _ in range(self.page_size)
        ]
        self.row_cells = [W.HTML() for _ in range(self.page_size * (len(TABLE_COLUMNS) - 1))]
        for index, button in enumerate(self.row_buttons):
            button.on_click(lambda _b, i=index: self._click(i))
            button.add_class("briefing-row")
        self.prev = W.Button(description="◀", layout=W.Layout(width="48px"))
        self.next = W.Button(description="▶", layout=W.Layout(width="48px"))
        self.prev.on_click(lambda _b: self.turn(-1))
        self.next.on_click(lambda _b: self.turn(1))
        self.pager = W.HTML()
        cells: list[W.Widget] = list(self.header)
        for row in range(self.page_size):
            cells.append(self.row_buttons[row])
            per_row = len(TABLE_COLUMNS) - 1
            cells.extend(self.row_cells[row * per_row : (row + 1) * per_row])
        self.grid = W.GridBox(
            cells,
            layout=W.Layout(
                grid_template_columns="minmax(0, 3fr) minmax(0, 1.4fr) minmax(0, 1fr) "
                "minmax(0, 1fr) minmax(0, 0.8fr)",
                grid_gap="2px 8px",
                width="100%",
            ),
        )
        self.widget = W.VBox([self.grid, W.HBox([self.prev, self.pager, self.next])])
        self.widget.add_class("briefing-fact-table")

    def show(self, facts: pd.DataFrame, lang: str) -> None:
        """Show these facts (already filtered), keeping the current sort."""
        self.facts = facts.assign(
            _indicator=[display.indicator(f, lang) for f in frames.records(facts)],
            _topic=[self._topic(t, lang) for t in facts["topic"]],
        )
        self.lang = lang
        self.page = 0
        self._render()

    def sort_by(self, key: str) -> None:
        """Sort by a column; sorting by the same column again reverses the order."""
        if key == self.sort_key:
            self.ascending = not self.ascending
        else:
            self.sort_key, self.ascending = key, True
        self.page = 0
        self._render()

    def turn(self, step: int) -> None:
        """Go to the next (1) or previous (-1) page."""
        pages = max(1, -(-len(self.order) // self.page_size))
        self.page = min(max(0, self.page + step), pages - 1)
        self._render()

    def visible_ids(self) -> list[str]:
        """Fact ids on the current page, top to bottom."""
        start = self.page * self.page_size
        return self.order[start : start + self.page_size]

    def _topic(self, topic: str, lang: str) -> str:
        zh, en = self.topics.get(topic, (topic, topic))
        return en if lang == "en" else zh

    def _click(self, index: int) -> None:
        ids = self.visible_ids()
        if index < len(ids):
            self.on_select(ids[index])

    def _render(self) -> None:
        if self.facts is None:
            return
        lang = self.lang
        ordered = self.facts.sort_values(
            [_SORT_KEYS[self.sort_key], "fact_id"], ascending=[self.ascending, True], kind="stable"
        )
        self.order = list(ordered["fact_id"])
        arrow = " ▲" if self.ascending else " ▼"
        for key, button in zip(TABLE_COLUMNS, self.header, strict=True):
            button.description = tr(key, lang) + (arrow if key == self.sort_key else "")
            button.tooltip = tr("sort_by", lang) + ": " + tr(key, lang)
        records = ordered.set_index("fact_id", drop=False)
        per_row = len(TABLE_COLUMNS) - 1
        ids = self.visible_ids()
        for row in range(self.page_size):
            button = self.row_buttons[row]
            cells = self.row_cells[row * per_row : (row + 1) * per_row]
            if row < len(ids):
                fact = frames.record(records, ids[row])
                button.description = fact["_indicator"]
                button.tooltip = fact["_indicator"]
                button.layout.visibility = "visible"
                values = (
                    display.value_text(fact, lang),
                    display.part_label(fact["part"], lang),
                    fact["_topic"],
                    display.kind_label(fact["kind"], lang),
                )
                for cell, value in zip(cells, values, strict=True):
                    cell.value = f"<span>{ui.esc(value)}</span>"
            else:
                button.description = ""
                button.layout.visibility = "hidden"
                for cell in cells:
                    cell.value = ""
        total = len(self.order)
        start = self.page * self.page_size
        shown = f"{start + 1}–{min(total, start + self.page_size)} / {total}" if total else "0"
        self.pager.value = f"<span class='briefing-muted'>{ui.esc(shown)}</span>"
        self.prev.disabled = self.page == 0
        self.next.disabled = start + self.page_size >= total


# --------------------------------------------------------------------------- explorer


def filter_options(
    facts: pd.DataFrame, topics: dict[str, tuple[str, str]], lang: str
) -> dict[str, list[tuple[str, str]]]:
    """The choices of the explorer's filters (part, topic, kind): (label, value) pairs of the
    values present among ``facts``, in the order the apps list them ("all" not included)."""
    parts = [p for p in ("review_2022", "tasks_2023") if (facts["part"] == p).any()]
    return {
        "part": [(display.part_label(p, lang), p) for p in parts],
        "topic": [
            (topics.get(t, (t, t))[1 if lang == "en" else 0], t)
            for t in dict.fromkeys(facts["topic"])
        ],
        "kind": [(display.kind_label(k, lang), k) for k in dict.fromkeys(facts["kind"])],
    }


def fact_option_label(fact: dict[str, Any], lang: str) -> str:
    """How a fact is listed in the explorer's picker: indicator · value."""
    return f"{display.indicator(fact, lang)} · {display.value_text(fact, lang)}"


class FactExplorer:
    """Filters (part, topic, kind), a chart/table toggle, and the source of the chosen fact."""

    def __init__(self, ds: Dataset, facts: pd.DataFrame, lang: str, name: str = "facts") -> None:
        self.ds = ds
        self.facts = facts.reset_index(drop=True)
        self.lang = lang
        self.current = self.facts
        self.downloads = DownloadBar(
            name,
            lambda: list(self.charts),
            lambda: table_for_download(self.current, self.lang),
            lang,
        )
        self.topics = {
            row["topic"]: (row["label_zh"], row["label_en"]) for row in frames.records(ds.topics)
        }
        self.error = W.HTML()
        guard = ui.guarded(self.error, lambda: self.lang)
        self._guard = guard
        self.part = W.Dropdown(layout=W.Layout(width="200px"))
        self.topic = W.Dropdown(layout=W.Layout(width="240px"))
        self.kind = W.Dropdown(layout=W.Layout(width="170px"))
        self.view = W.ToggleButtons(style={"button_width": "80px"})
        self.chart_out = W.Output(layout=W.Layout(width="100%", overflow="hidden"))
        self.chart_out.add_class("briefing-charts")
        self.picker = W.Dropdown(layout=W.Layout(width="100%"))
        self.picker.add_class("briefing-picker")
        # The table (about 180 widget models with their layouts and styles, more than half
        # of an app's) is built the first time it is shown or asked for: most viewers
        # never leave the chart view, and every model costs kernel and browser time.
        self._table: FactTable | None = None
        self.source = W.HTML()
        self.source.add_class("briefing-source-panel")
        self.title = W.HTML()
        self.hint = W.HTML()
        self._set_options()
        self.figures = W.HTML()
        self.figures.add_class("briefing-figures")
        self.chart_box = W.VBox([self.chart_out, self.figures])
        filters = W.HBox(
            [self.part, self.topic, self.kind, self.view], layout=W.Layout(flex_flow="row wrap")
        )
        filters.add_class("briefing-explorer-filters")
        self.body = W.VBox([self.chart_box])
        self.widget = W.VBox(
            [
                self.title,
                filters,
                self.error,
                self.body,
                self.hint,
                self.picker,
                self.source,
                self.downloads.widget,
            ]
        )
        for control in (self.part, self.topic, self.kind):
            ui.observe_value(control, guard(lambda _v: self.refresh()))
        ui.observe_value(self.view, guard(lambda _v: self._show_view()))
        ui.observe_value(self.picker, guard(self._pick))
        self.refresh()

    @property
    def table(self) -> FactTable:
        """The sortable table of the current facts (built on first use)."""
        if self._table is None:
            self._table = FactTable(self.topics, self._guard(self.select))
            self._table.show(self.current, self.lang)
        return self._table

    # -- options and language
    def _set_options(self) -> None:
        lang = self.lang
        keep = (self.part.value, self.topic.value, self.kind.value, self.view.value)
        options = filter_options(self.facts, self.topics, lang)
        self.part.options = [(tr("all", lang), ALL), *options["part"]]
        self.topic.options = [(tr("all", lang), ALL), *options["topic"]]
        self.kind.options = [(tr("all", lang), ALL), *options["kind"]]
        self.view.options = [(tr("chart", lang), "chart"), (tr("table", lang), "table")]
        for control, key in ((self.part, "part"), (self.topic, "topic"), (self.kind, "kind")):
            ui.name_control(control, tr(key, lang))
        for widget, value, default in zip(
            (self.part, self.topic, self.kind, self.view),
            keep,
            (ALL, ALL, ALL, "chart"),
            strict=True,
        ):
            values = [v for _label, v in widget.options]
            widget.value = value if value in values else default
        self.title.value = ui.heading(tr("charts", lang))
        hint = "select_fact_hint_static" if charts.static_export() else "select_fact_hint"
        self.hint.value = (
            f"<div class='briefing-muted briefing-hint'>{ui.esc(tr(hint, lang))}</div>"
        )

    def set_lang(self, lang: str) -> None:
        """Switch every label, chart and the table to another language."""
        self.lang = lang
        with self.part.hold_trait_notifications(), self.topic.hold_trait_notifications():
            self._set_options()
        self.downloads.set_lang(lang)
        self.refresh()

    # -- filtering
    def filtered(self) -> pd.DataFrame:
        """The facts that pass the current filters."""
        facts = self.facts
        for column, control in (("part", self.part), ("topic", self.topic), ("kind", self.kind)):
            if control.value != ALL:
                facts = facts[facts[column] == control.value]
        return facts

    def refresh(self) -> None:
        """Redraw charts, table and picker for the current filters and language."""
        facts = self.filtered()
        self.current = facts
        lang = self.lang
        self.charts = charts.charts_for(facts, lang) if not facts.empty else []
        _groups, singles = charts.chart_groups(facts)
        self.figures.value = figures.figures_html(singles, lang)
        if self._table is not None:
            self._table.show(facts, lang)
        options = [(fact_option_label(f, lang), f["fact_id"]) for f in frames.records(facts)]
        chosen = self.picker.value
        self.picker.options = [("—", ""), *options]
        self.picker.value = chosen if chosen in {v for _l, v in options} else ""
        ui.name_control(self.picker, tr("source", lang))
        self._show_view()
        if self.picker.value:
            self.select(self.picker.value)
        else:
            self.source.value = ""

    def _show_view(self) -> None:
        lang = self.lang
        if self.view.value == "table":
            self.body.children = [self.table.widget]
            return
        self.body.children = [self.chart_box]
        empty = f"<div class='briefing-muted'>{ui.esc(tr('no_data', lang))}</div>"
        charts.show(self.chart_out, self.charts, "" if self.figures.value else empty)

    def _pick(self, fact_id: str) -> None:
        if fact_id:
            self.select(fact_id)
        else:
            self.source.value = ""

    def select(self, fact_id: str) -> None:
        """Show the source of one fact (its quote highlighted in its paragraph)."""
        fact = frames.record(self.facts.set_index("fact_id", drop=False), fact_id)
        self.selected = fact_id
        if self.picker.value != fact_id and fact_id in {v for _l, v in self.picker.options}:
            self.picker.value = fact_id
        self.source.value = source_html(self.ds, fact, self.lang)


# --------------------------------------------------------------------------- downloads


class DownloadBar:
    """Buttons that prepare what the viewer sees as files: chart PNG/SVG, table CSV, data zip.

    Files are rendered on demand (a PNG takes about a second) and offered as links that
    carry the file itself, so they work under Voila, in JupyterLab and offline.
    """

    def __init__(
        self,
        name: str,
        get_charts: Callable[[], list[Any]],
        get_table: Callable[[], pd.DataFrame],
        lang: str,
    ) -> None:
        self.name = name
        self.get_charts = get_charts
        self.get_table = get_table
        self.lang = lang
        self.buttons = {
            key: W.Button(layout=W.Layout(width="auto")) for key in ("png", "svg", "csv", "zip")
        }
        self.links = W.HTML()
        self.error = W.HTML()
        guard = ui.guarded(self.error, lambda: self.lang)
        for key, button in self.buttons.items():
            button.on_click(guard(lambda _b, k=key: self.prepare(k)))
            button.add_class(f"briefing-download-{key}")
        self.label = W.HTML()
        self.widget = W.VBox(
            [
                W.HBox([self.label, *self.buttons.values()], layout=W.Layout(flex_flow="row wrap")),
                self.error,
                self.links,
            ]
        )
        self.widget.add_class("briefing-downloads")
        self.set_lang(lang)

    def set_lang(self, lang: str) -> None:
        self.lang = lang
        labels = {
            "png": "download_png",
            "svg": "download_svg",
            "csv": "download_csv",
            "zip": "download_zip",
        }
        for key, button in self.buttons.items():
            button.description = tr(labels[key], lang)
        self.label.value = f"<span class='briefing-muted'>{ui.esc(tr('download', lang))}:</span>"
        self.links.value = ""

    def prepare(self, key: str) -> None:
        """Render one file and offer it as a link."""
        from briefing import downloads

        lang = self.lang
        stem = f"datang-2023-{self.name}-{lang}"
        if key in ("png", "svg"):
            charts_now = self.get_charts()
            if not charts_now:
                self.links.value = (
                    f"<span class='briefing-muted'>{ui.esc(tr('no_data', lang))}</span>"
                )
                return
            chart = downloads.combined(charts_now)
            if key == "png":
                link = downloads.data_link(
                    downloads.chart_png(chart, scale=1.0), f"{stem}.png", "image/png", f"{stem}.png"
                )
            else:
                link = downloads.data_link(
                    downloads.chart_svg(chart), f"{stem}.svg", "image/svg+xml", f"{stem}.svg"
                )
        elif key == "csv":
            link = downloads.data_link(
                downloads.table_csv(self.get_table()), f"{stem}.csv", "text/csv", f"{stem}.csv"
            )
        else:
            link = downloads.data_link(
                downloads.dataset_zip(),
                "datang-2023-report-data.zip",
                "application/zip",
                "datang-2023-report-data.zip",
            )
        self.links.value = f"{ui.esc(tr('download_ready', lang))} {link}"


def table_for_download(facts: pd.DataFrame, lang: str) -> pd.DataFrame:
    """The filtered facts as a table to save: readable columns first, then the ids and quote."""
    import pandas as pd

    rows = []
    for fact in frames.records(facts):
        rows.append(
            {
                tr("indicator", lang): display.indicator(fact, lang),
                tr("value", lang): display.value_text(fact, lang),
                "value": fact["value"],
                "unit": fact["unit"],
                "qualifier": fact["qualifier"],
                "comparator": fact.get("comparator", ""),
                "direction": fact.get("direction", ""),
                "scope": fact.get("scope", ""),
                "value_normalised": fact["value_normalised"],
                "unit_normalised": fact["unit_normalised"],
                tr("part", lang): display.part_label(fact["part"], lang),
                "fact_id": fact["fact_id"],
                "paragraph_id": fact["paragraph_id"],
                "quote": fact["quote"],
            }
        )
    return pd.DataFrame(rows)


# --------------------------------------------------------------------------- comparison


class Comparison:
    """2023 targets beside the 2022 results they relate to: only the linked comparable pairs
    (same kind, unit and scope), one dot-and-arrow chart each; nothing when there are none."""

    def __init__(self, ds: Dataset, facts: pd.DataFrame, lang: str) -> None:
        self.ds = ds
        self.facts = facts
        self.out = W.Output(layout=W.Layout(width="100%"))
        self.widget = self.out
        self.charts: list[Any] = []
        self.set_lang(lang)

    @property
    def empty(self) -> bool:
        """True when no pair of these facts can be drawn."""
        return not charts.comparable_pairs(self.facts, self.ds.facts)

    def set_lang(self, lang: str) -> None:
        self.charts = charts.comparison_charts(self.facts, self.ds.facts, lang)
        charts.show(self.out, self.charts)


class SourcePanel:
    """Where the quote of a clicked figure appears: beside the part of the app clicked."""

    def __init__(self, ds: Dataset, facts: pd.DataFrame, lang: str) -> None:
        self.ds = ds
        self.facts = facts.set_index("fact_id", drop=False)
        self.lang = lang
        self.shown: tuple[str, ...] = ()
        self.widget = W.HTML()
        self.widget.add_class("briefing-source-panel")

    def show(self, *fact_ids: str) -> None:
        """Show each fact's quote highlighted in its paragraph."""
        self.shown = tuple(i for i in fact_ids if i in self.facts.index)
        self.widget.value = "".join(
            source_html(self.ds, frames.record(self.facts, i), self.lang) for i in self.shown
        )

    def set_lang(self, lang: str) -> None:
        self.lang = lang
        self.show(*self.shown)


# --------------------------------------------------------------------------- lists


class ProjectList:
    """Named projects and enterprises with what happened to them, filterable by status."""

    def __init__(self, projects: pd.DataFrame, lang: str) -> None:
        self.projects = projects.reset_index(drop=True)
        self.lang = lang
        self.status = W.Dropdown(layout=W.Layout(width="220px"))
        self.part = W.Dropdown(layout=W.Layout(width="200px"))
        self.title = W.HTML()
        self.table = W.HTML()
        self.widget = W.VBox([self.title, W.HBox([self.part, self.status]), self.table])
        for control in (self.status, self.part):
            ui.observe_value(control, lambda _v: self._render())
        self.set_lang(lang)

    def set_lang(self, lang: str) -> None:
        self.lang = lang
        keep = (self.status.value, self.part.value)
        statuses = list(dict.fromkeys(self.projects["status"]))
        parts = list(dict.fromkeys(self.projects["part"]))
        self.status.options = [(tr("all", lang), ALL)] + [
            (label(STATUSES, s, lang), s) for s in statuses
        ]
        self.part.options = [(tr("all", lang), ALL)] + [
            (display.part_label(p, lang), p) for p in parts
        ]
        self.status.value = keep[0] if keep[0] in statuses else ALL
        self.part.value = keep[1] if keep[1] in parts else ALL
        ui.name_control(self.status, tr("status", lang))
        ui.name_control(self.part, tr("part", lang))
        self._render()

    def shown(self) -> pd.DataFrame:
        """Projects passing the filters."""
        frame = self.projects
        if self.status.value != ALL:
            frame = frame[frame["status"] == self.status.value]
        if self.part.value != ALL:
            frame = frame[frame["part"] == self.part.value]
        return frame

    def _render(self) -> None:
        lang = self.lang
        self.title.value = ui.heading(tr("projects", lang))
        rows = []
        for p in frames.records(self.shown()):
            name = p["name_en"] if lang == "en" else p["name_zh"]
            status = label(STATUSES, p["status"], lang)
            if lang == "zh":
                status = p["status_zh"]
            kind = label(ENTITY_TYPES, p["entity_type"], lang)
            rows.append(
                f"<tr data-project-id='{ui.esc(p['project_id'])}' data-item"
                f" data-status='{ui.esc(p['status'])}' data-part='{ui.esc(p['part'])}'>"
                f"<td><b>{ui.esc(name)}</b>"
                f"<div class='briefing-muted'>{ui.esc(kind)}</div></td>"
                f"<td>{ui.esc(status)}</td><td>{ui.esc(display.part_label(p['part'], lang))}</td>"
                f"<td class='briefing-muted briefing-quote' lang='zh'>"
                f"“{ui.esc(p['quote'])}”</td></tr>"
            )
        header = "".join(
            f"<th>{ui.esc(tr(k, lang))}</th>" for k in ("name", "status", "part", "source")
        )
        self.table.value = (
            f"<table class='briefing-table'><thead><tr>{header}</tr></thead>"
            f"<tbody>{''.join(rows)}</tbody></table>"
            if rows
            else f"<div class='briefing-muted'>{ui.esc(tr('no_data', lang))}</div>"
        )


class CommitmentList:
    """The 2023 commitments, grouped by task area, with targets and deadlines."""

    def __init__(self, ds: Dataset, commitments: pd.DataFrame, lang: str) -> None:
        self.ds = ds
        self.commitments = commitments
        self.widget = W.HTML()
        self.set_lang(lang)

    def set_lang(self, lang: str) -> None:
        facts = self.ds.facts.set_index("fact_id", drop=False)
        sections = self.ds.sections.set_index("section_id")
        parts = [ui.heading(tr("commitments", lang))]
        if self.commitments.empty:
            parts.append(f"<div class='briefing-muted'>{ui.esc(tr('no_data', lang))}</div>")
        numbers = places.places_of(self.ds)

        def where(paragraph_id: str) -> str:
            return places.number_label(numbers.number(paragraph_id), lang)

        for area, group in self.commitments.groupby("area", sort=True):
            title = frames.record(sections, area)["title_en" if lang == "en" else "title_zh"]
            items = []
            for c in frames.records(group):
                text = c["title_en"] if lang == "en" else c["title_zh"]
                extra = []
                if c["target_fact_id"]:
                    fact = frames.record(facts, c["target_fact_id"])
                    extra.append(f"{tr('target', lang)}: {display.value_text(fact, lang)}")
                if c["deadline_zh"]:
                    # The report's own time words, in English on English pages (早日: as soon
                    # as possible); a derived date is not shown as if the report fixed it.
                    when = c["deadline_en"] if lang == "en" else c["deadline_zh"]
                    extra.append(f"{tr('deadline', lang)}: {when}")
                meta = (
                    f" <span class='briefing-tag'>{ui.esc(' · '.join(extra))}</span>"
                    if extra
                    else ""
                )
                items.append(
                    f"<li data-commitment-id='{ui.esc(c['commitment_id'])}'><details><summary>"
                    f"{ui.esc(text)}{meta}</summary>"
                    f"<div><span class='briefing-muted briefing-quote' lang='zh'>"
                    f"“{ui.esc(c['quote'])}”</span> <span class='briefing-muted'>"
                    f"({ui.esc(where(c['paragraph_id']))})</span></div>"
                    "</details></li>"
                )
            parts.append(f"<h4>{ui.esc(title)}</h4><ul class='briefing-list'>{''.join(items)}</ul>")
        self.widget.value = "".join(parts)


def forward_lang(toggle: W.ToggleButtons, views: Sequence[Any], error: W.HTML) -> None:
    """Make the language toggle switch every view (errors shown politely in ``error``)."""
    guard = ui.guarded(error, lambda: str(toggle.value))

    @guard
    def switch(lang: str) -> None:
        for view in views:
            view.set_lang(lang)

    ui.observe_value(toggle, switch)
