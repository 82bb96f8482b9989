"""The small views every app shows: its header, headline cards, the source of a fact, and
2023 targets beside 2022 results.

Each view owns a widget and a ``set_lang(lang)`` method. :data:`ALL`, the value of a filter's
"all" choice, is shared by the explorer (:mod:`briefing.views_explorer`) and the project list
(:mod:`briefing.views_lists`).
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

import ipywidgets as W

from briefing import charts, display, figures, frames, places, ui
from briefing.catalogue import APPS, app_info
from briefing.i18n import tr

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
