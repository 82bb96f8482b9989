"""The fact explorer: filters (part, topic, kind), charts or a sortable, paged table of the
facts, a picker, the chosen fact's source and the download bar.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import ipywidgets as W

from briefing import charts, display, figures, frames, ui
from briefing.i18n import tr
from briefing.views_downloads import DownloadBar, table_for_download
from briefing.views_panels import ALL, source_html

if TYPE_CHECKING:
    import pandas as pd

    from briefing.data import Dataset


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
