"""The views the apps compose, gathered in one place, and :func:`forward_lang`, which makes
the language toggle switch them all.

Each view owns a widget and a ``set_lang(lang)`` method; apps compose views and forward
the language toggle to them. Views take a :class:`~briefing.data.Dataset` and a frame of
facts, so every sector app is the same code with different data. They live by concern:

- :mod:`briefing.views_panels`: the app header, headline cards, a fact's source, the
  2023-against-2022 comparison, the source panel;
- :mod:`briefing.views_explorer`: the fact explorer and its sortable, paged table;
- :mod:`briefing.views_downloads`: the download bar and the table it saves;
- :mod:`briefing.views_lists`: the project list and the commitment list.

Every name is re-exported here, so ``views.FactExplorer`` and the like keep working.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import ipywidgets as W

from briefing import ui
from briefing.views_downloads import DownloadBar, table_for_download
from briefing.views_explorer import (
    TABLE_COLUMNS,
    FactExplorer,
    FactTable,
    fact_option_label,
    filter_options,
)
from briefing.views_lists import CommitmentList, ProjectList
from briefing.views_panels import (
    ALL,
    AppHeader,
    Cards,
    Comparison,
    SourcePanel,
    cards_html,
    header_html,
    highlight_quote,
    source_html,
)


def forward_lang(toggle: W.ToggleButtons, views: Sequence[Any], error: W.HTML) -> None:
    """Make the language toggle switch every view (errors shown politely in ``error``)."""
    guard = ui.guarded(error, lambda: str(toggle.value))

    @guard
    def switch(lang: str) -> None:
        for view in views:
            view.set_lang(lang)

    ui.observe_value(toggle, switch)


__all__ = [
    "ALL",
    "TABLE_COLUMNS",
    "AppHeader",
    "Cards",
    "CommitmentList",
    "Comparison",
    "DownloadBar",
    "FactExplorer",
    "FactTable",
    "ProjectList",
    "SourcePanel",
    "cards_html",
    "fact_option_label",
    "filter_options",
    "forward_lang",
    "header_html",
    "highlight_quote",
    "source_html",
    "table_for_download",
]
