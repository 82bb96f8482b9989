"""The report reader: the full text of the report, searchable, with its vocabulary analysed.

Three sections, one screen each in presentation mode: a search box (phrase or word search,
hit counts per section, hits in context linking to their paragraph), the report itself
(navigable by part and section; each number the curated tables hold is underlined with its
fact as a tooltip), and a keyword analysis (the most frequent terms of the whole report and
of each part, as bar charts; choosing a term searches for it).

The URL can carry ``?lang=en``, ``?q=<query>`` and ``?mode=word``, so a search can be shared
as a link. Segmentation with jieba takes a second or two the first time; the app is shown at
once and the keyword charts follow when ready.

This module composes the app; the widgets and their state are in :mod:`briefing.reader_view`,
the HTML is built by :mod:`briefing.reader_html`, the keyword charts by
:mod:`briefing.reader_keywords`, the strings are in :mod:`briefing.reader_strings`; meeting
mode's slides are :mod:`briefing.reader_slides`. Ids (paragraph, fact) are only anchors and
data attributes: readers see section titles and paragraph numbers.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Mapping
from typing import TYPE_CHECKING

import ipywidgets as W

from briefing import text, ui
from briefing.reader_keywords import ALL, TOP_TERMS, frequency_chart
from briefing.reader_view import SUGGESTED_QUERIES, WARM_SEGMENTER_AFTER_S, ReportReader

if TYPE_CHECKING:
    from briefing.data import Dataset


# --------------------------------------------------------------------------- the app


def build_reader(
    lang: str = "zh", params: Mapping[str, str] | None = None, *, dataset: Dataset | None = None
) -> ReportReader:
    """Load the data and build the reader's widgets (the keyword analysis is not started)."""
    from briefing import data

    return ReportReader(dataset if dataset is not None else data.load(), lang, params)


def _in_kernel() -> bool:
    try:
        from IPython import get_ipython
    except ImportError:  # pragma: no cover - IPython comes with ipywidgets
        return False
    shell = get_ipython()
    return shell is not None and getattr(shell, "kernel", None) is not None


def reader_app(lang: str | None = None) -> W.Widget:
    """The report reader app: search, the full text, and keyword analysis.

    Parameters
    ----------
    lang : {"zh", "en"}, optional
        Interface language; by default from the URL (``?lang=en``), else Chinese.

    Returns
    -------
    ipywidgets.Widget
        The app, or a short message if the data cannot be loaded.
    """
    in_kernel = _in_kernel()
    if in_kernel and ui.waiting_for_viewer():
        # A pre-heated kernel runs the notebook before anyone asks for the page, and waits
        # for the page's query string in ``query_params``: warm up meanwhile. (A kernel
        # started for a waiting viewer does not: loading jieba would only compete with the
        # page's start; the analysis loads it if the paragraphs are not in the store.)
        threading.Thread(target=_warm_up, name="briefing-reader-warm-up", daemon=True).start()
    params = ui.query_params()
    mode = ui.page_mode(params)
    start_lang = lang if lang is not None else mode.lang
    if mode.present:
        return _meeting_app(start_lang, params, background=in_kernel)
    readers: list[ReportReader] = []

    def build(chosen: str) -> W.Widget:
        reader = build_reader(chosen, params)
        readers.append(reader)
        return reader.widget

    widget = ui.safe_app(build, start_lang)
    if readers:
        readers[0].start_analysis(background=in_kernel)
    return widget


def _meeting_app(lang: str, params: Mapping[str, str], *, background: bool) -> W.Widget:
    """Meeting mode: the reader's slides (see :mod:`briefing.reader_slides`)."""
    from briefing import data, reader_slides

    decks: list[reader_slides.ReaderDeck] = []

    def build(chosen: str) -> W.Widget:
        app, deck = reader_slides.build_deck(data.load(), chosen, params)
        decks.append(deck)
        return app

    widget = ui.safe_app(build, lang)
    if decks:
        decks[0].start(background=background)
    return widget


def _warm_up() -> None:
    """Load the data and jieba's dictionary ahead of need; failures surface later."""
    try:
        from briefing import data

        dataset = data.load()
        text.get_segmenter(dataset.root, dataset.text).tokens("预热")
    except Exception:
        logging.getLogger("briefing").debug("warm-up failed", exc_info=True)


__all__ = [
    "ALL",
    "SUGGESTED_QUERIES",
    "TOP_TERMS",
    "WARM_SEGMENTER_AFTER_S",
    "ReportReader",
    "build_reader",
    "frequency_chart",
    "reader_app",
]
