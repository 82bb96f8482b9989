"""The download bar: what the viewer sees, offered as files (chart PNG/SVG, table CSV, data
zip), and the table of facts it saves. The files themselves are made by
:mod:`briefing.downloads`, imported when a button is pressed.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import ipywidgets as W

from briefing import display, frames, ui
from briefing.i18n import tr

if TYPE_CHECKING:
    import pandas as pd


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
