"""The report reader in meeting mode (``?present=1``): the report's shape and words as slides.

The reader's page is a working tool (a search box, the full text, pickers); a meeting
needs what can be shown from the back of a room:

- the report: its title, publisher and publication date;
- its structure: each part's sections;
- its words: the most frequent terms of the whole report and of each part, as bar charts
  (counted in the background once the slides are up, as the page does);
- with ``?q=<query>`` (and ``&mode=word``), where the query occurs: how often, by part, and
  each paragraph's hits in context, with its section and paragraph number.

Every slide fits a 1280×720 screen with 24 px text (charts are split by
:func:`briefing.slides.split_chart`, lists packed by :func:`briefing.slides.pack`).
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Literal

import ipywidgets as W

from briefing import charts, places, slides, text, theme, ui, views
from briefing import reader_html as html
from briefing import vegalite as vl
from briefing.i18n import tr
from briefing.reader_keywords import ALL, ALL_COLOUR, frequency_chart, keyword_frequencies
from briefing.reader_strings import STYLE, count, t
from briefing.reader_view import report_text
from briefing.vocab import PARTS, label

if TYPE_CHECKING:
    from briefing.data import Dataset

log = logging.getLogger("briefing")

#: Terms of the whole report on its slides (two slides of six bars), and of each part.
WHOLE_TERMS = 12
PART_TERMS = 6
#: The keyword charts of the deck: (``all`` or a part, how many terms), in order.
KEYWORD_CHARTS = ((ALL, WHOLE_TERMS), *((part, PART_TERMS) for part in PARTS))
#: Section titles are short: more of them fit a slide than commitments do.
SECTIONS_PER_SLIDE = 8
#: Characters shown either side of a hit, and hits shown per paragraph, on a slide.
SNIPPET_WIDTH = 18
HITS_PER_PARAGRAPH = 3


class ReaderDeck:
    """The reader's slides for one page; :meth:`start` counts the terms for the charts."""

    def __init__(
        self,
        dataset: Dataset,
        lang: str,
        params: Mapping[str, str] | None = None,
        error: W.HTML | None = None,
    ) -> None:
        params = params or {}
        self.dataset = dataset
        self.lang = lang
        self.paragraphs, self.sections, self.places, self.segmenter = report_text(dataset)
        try:
            self.query = text.clean_query(params.get("q", ""))
        except text.QueryTooLong:
            self.query = ""
        self.mode: Literal["phrase", "word"] = "word" if params.get("mode") == "word" else "phrase"
        self.keyword_outputs: dict[str, list[W.Output]] = {}
        #: Where a failure to draw the keyword charts is told (the app's error panel).
        self.error = error if error is not None else W.HTML()

    # -- slides
    def slides(self) -> list[W.Widget]:
        """Every slide, in order: the report, its sections, its terms, the search."""
        deck = [self.cover_slide()]
        for part in PARTS:
            items = [
                f"<li data-section='{ui.esc(sid)}'>"
                f"{ui.esc(html.section_title(self.sections, sid, self.lang))}</li>"
                for sid, row in self.sections.items()
                if row["part"] == part
            ]
            title = t("sections_title", self.lang, part=label(PARTS, part, self.lang))
            deck += slides.list_slides(title, items, self.lang, most=SECTIONS_PER_SLIDE)
        deck += self.keyword_slides()
        if self.query:
            deck += self.search_slides()
        return deck

    def cover_slide(self) -> W.Widget:
        lang = self.lang
        suffix = "en" if lang == "en" else "zh"
        meta = self.dataset.report_metadata()
        more = ""
        if self.query:
            more = html.with_query(t("cover_more", lang, q="\x00"), self.query, lang)
        note = ui.esc(t("cover_note", lang, more="\x01")).replace("\x01", more)
        body = (
            ui.heading(tr("app_title", lang))
            + f"<p>{ui.esc(t('publisher', lang))}: {ui.esc(meta[f'publisher_{suffix}'])}</p>"
            + f"<p>{ui.esc(t('published', lang))}: "
            f"{ui.esc(meta['published'].replace('T', ' '))}</p>"
            + f"<p class='briefing-muted'>{note}</p>"
        )
        return ui.section(W.HTML(body), name="slide-cover")

    def keyword_slides(self) -> list[W.Widget]:
        """Empty chart slides, filled by :meth:`draw_keywords` (their number is fixed)."""
        deck = []
        for key, terms in KEYWORD_CHARTS:
            outputs = []
            for _piece in slides.even_chunks(range(terms), slides.BARS_PER_SLIDE):
                out = W.Output(layout=W.Layout(width="100%"))
                out.add_class("briefing-charts")
                outputs.append(out)
                deck.append(ui.section(out, name="slide-chart"))
            self.keyword_outputs[key] = outputs
        return deck

    def keyword_specs(self, frequencies: Mapping[str, list[tuple[str, int]]]) -> dict[str, Any]:
        """The keyword charts of the slides, by ``all`` and part, before splitting."""
        lang = self.lang
        specs = {}
        for key, terms in KEYWORD_CHARTS:
            scope = t("the_report", lang) if key == ALL else label(PARTS, key, lang)
            if key == ALL:
                title = t("top_terms", lang, n=terms)
                colour = ALL_COLOUR
            else:
                title = t("part_terms", lang, part=scope, n=terms)
                colour = theme.PART_COLOURS[key]
            chart = frequency_chart(frequencies[key][:terms], title, colour, lang)
            spec = dict(chart.spec)
            spec["title"] = {
                "text": title,
                "subtitle": [t("counted_over", lang, scope=scope)],
                "subtitleFontSize": 13,
            }
            specs[key] = spec
        return specs

    def draw_keywords(self) -> None:
        """Count the terms and draw each keyword chart on its slides."""
        frequencies, _counts = keyword_frequencies(self.paragraphs, self.segmenter, top=WHOLE_TERMS)
        for key, spec in self.keyword_specs(frequencies).items():
            pieces = slides.split_chart(spec)
            for index, out in enumerate(self.keyword_outputs[key]):
                shown = [vl.Spec(pieces[index])] if index < len(pieces) else []
                charts.show(out, shown, "")

    def start(self, background: bool = True) -> None:
        """Draw the keyword charts, in a background thread by default."""

        def run() -> None:
            try:
                self.draw_keywords()
            except Exception:
                log.exception("the reader's keyword slides failed")
                self.error.value = ui.error_html(self.lang)

        if background:
            threading.Thread(target=run, name="briefing-reader-slides", daemon=True).start()
        else:
            run()

    def search_slides(self) -> list[W.Widget]:
        """How often the query occurs, by part, then each paragraph's hits in context."""
        lang = self.lang
        hits = text.search(self.paragraphs, self.query, self.mode, segmenter=self.segmenter)
        title = html.with_query(t("hits_title", lang, q="\x00"), self.query, lang)
        heading = f"<h2 class='briefing-h'>{title}</h2>"
        if not hits:
            message = html.summary_html(t("no_hits", lang, q="\x00"), query=self.query, lang=lang)
            return [ui.section(W.HTML(heading + message), name="slide-search")]
        found = html.found_html(self.query, hits, lang)
        deck: list[W.Widget] = [ui.section(W.HTML(heading + found), name="slide-search")]
        texts = {row["paragraph_id"]: str(row["text"]) for row in self.paragraphs}
        items = []
        for hit in hits:
            where = (
                f"{html.section_title(self.sections, hit.section_id, lang)} · "
                f"{places.number_label(self.places.number(hit.paragraph_id), lang)} · "
                f"{count(hit.count, 'match', 'matches', lang)}"
            )
            snippet = text.snippets(
                texts[hit.paragraph_id], hit.spans[:HITS_PER_PARAGRAPH], width=SNIPPET_WIDTH
            )
            items.append(
                f"<li data-paragraph='{ui.esc(hit.paragraph_id)}'>"
                f"<span class='briefing-tag'>{ui.esc(where)}</span><br>"
                f"<span lang='zh-CN'>{snippet}</span></li>"
            )
        deck += slides.list_slides(t("hits_title", lang, q=self.query), items, lang, title)
        return deck


def build_deck(
    dataset: Dataset, lang: str, params: Mapping[str, str] | None = None
) -> tuple[W.Widget, ReaderDeck]:
    """The reader's meeting-mode app (its keyword charts not yet drawn) and its deck."""
    error = W.HTML()
    deck = ReaderDeck(dataset, lang, params, error)
    toggle = ui.language_toggle(lang)
    header_view = views.AppHeader("reader", lang)
    views.forward_lang(toggle, [header_view], error)
    app = ui.app_frame(
        header_view.row(toggle),
        W.HTML(STYLE, layout=W.Layout(display="none")),
        error,
        *deck.slides(),
    )
    app.add_class("briefing-reader")
    app.briefing_views = {"toggle": toggle, "deck": deck, "header": header_view}
    return app, deck


__all__ = ["HITS_PER_PARAGRAPH", "PART_TERMS", "WHOLE_TERMS", "ReaderDeck", "build_deck"]
