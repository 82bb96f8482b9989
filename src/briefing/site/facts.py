"""The facts of the report as the static pages use them, one index per language.

Each fact carries what the filters compare (part, topic, kind, sector), the cells and sort
keys of the table, the CSV row of a download, and its source: the quote highlighted in its
paragraph, rendered by :func:`briefing.views.source_html` exactly as the apps show it.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from briefing import display, frames, views
from briefing.i18n import tr

if TYPE_CHECKING:
    from briefing.data import Dataset

#: The table's columns, as in the live apps' table.
TABLE_COLUMNS = views.TABLE_COLUMNS


def topic_labels(ds: Dataset) -> dict[str, tuple[str, str]]:
    """Topic key → (Chinese label, English label)."""
    return {row["topic"]: (row["label_zh"], row["label_en"]) for row in frames.records(ds.topics)}


def fact_index(ds: Dataset, lang: str) -> dict[str, Any]:
    """Every fact of the report, keyed by ``fact_id``, as the pages in ``lang`` need it."""
    topics = topic_labels(ds)
    download = views.table_for_download(ds.facts, lang)
    columns = list(download.columns)
    rows = download.astype(object).where(download.notna(), "").values.tolist()
    index: dict[str, Any] = {}
    for fact, csv_row in zip(frames.records(ds.facts), rows, strict=True):
        indicator = display.indicator(fact, lang)
        topic = topics.get(fact["topic"], (fact["topic"], fact["topic"]))[1 if lang == "en" else 0]
        part = display.part_label(fact["part"], lang)
        kind = display.kind_label(fact["kind"], lang)
        index[fact["fact_id"]] = {
            "part": fact["part"],
            "topic": fact["topic"],
            "kind": fact["kind"],
            "sector": fact["sector"],
            "paragraph_id": fact["paragraph_id"],
            "quote": fact["quote"],
            "en": fact["indicator_en"],
            "cells": [indicator, display.value_text(fact, lang), part, topic, kind],
            "sort": [indicator, float(fact["value_normalised"]), fact["part"], topic, kind],
            "csv": [_plain(v) for v in csv_row],
            "source": views.source_html(ds, fact, lang),
        }
    return {"facts": index, "csv_columns": columns}


def _plain(value: Any) -> Any:
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, (int, float, str)):
        return value
    return str(value)


def table_headings(lang: str) -> list[str]:
    return [tr(key, lang) for key in TABLE_COLUMNS]


def facts_script(ds: Dataset, lang: str) -> str:
    """``assets/facts.<lang>.js``: the index as a script (``file://`` pages cannot fetch)."""
    payload = json.dumps(fact_index(ds, lang), ensure_ascii=False, separators=(",", ":"))
    return f"window.BRIEFING_FACTS={payload};\n"
