"""The report reader's widgets and state: search, the report itself, keyword analysis.

:class:`ReportReader` builds and updates the reader's three sections; :mod:`briefing.reader`
composes it into the app (and serves meeting mode from :mod:`briefing.reader_slides`).
The HTML is built by :mod:`briefing.reader_html`, the keyword charts by
:mod:`briefing.reader_keywords`, the strings are in :mod:`briefing.reader_strings`.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

import ipywidgets as W

from briefing import frames, places, text, ui, views
from briefing import reader_html as html
from briefing.reader_keywords import (
    ALL,
    keyword_charts,
    keyword_frequencies,
    show_chart,
    term_options,
)
from briefing.reader_strings import STYLE, count, t
from briefing.vocab import PARTS, label

if TYPE_CHECKING:
    from briefing.data import Dataset


SUGGESTED_QUERIES = ("园区", "养老", "河涌", "数字化")
#: Seconds after the keyword charts are drawn before jieba's dictionary is loaded for queries.
WARM_SEGMENTER_AFTER_S = 3.0


def report_text(
    dataset: Dataset,
) -> tuple[list[dict[str, Any]], dict[str, dict[str, Any]], places.Places, text.Segmenter]:
    """The report proper as the reader shows it: its paragraphs in order, its sections by
    id, where each paragraph stands, and the segmenter for its words.

    The web page's furniture, title and publication lines are never shown, searched or
    counted; the front section shows the metadata instead.
    """
    paragraphs = dataset.content_paragraphs.sort_values("start", kind="stable")
    sections = {
        row["section_id"]: row for row in frames.records(dataset.sections.sort_values("position"))
    }
    return (
        frames.records(paragraphs),
        sections,
        places.Places(dataset),
        text.get_segmenter(dataset.root, dataset.text),
    )


class ReportReader:
    """The widgets and state of the reader; :func:`reader_app` shows its ``widget``.

    Parameters
    ----------
    dataset : Dataset
        The loaded report and tables.
    lang : {"zh", "en"}
        The interface language to start with.
    params : mapping, optional
        Query parameters: ``q`` (a search to run at once) and ``mode`` (``word``).
    """

    def __init__(
        self, dataset: Dataset, lang: str = "zh", params: Mapping[str, str] | None = None
    ) -> None:
        self.dataset = dataset
        self.lang = lang
        self.paragraphs, self.sections, self.places, self.segmenter = report_text(dataset)
        self.facts: dict[str, list[dict[str, Any]]] = {}
        for fact in frames.records(dataset.facts):
            self.facts.setdefault(fact["paragraph_id"], []).append(fact)
        self.query = ""
        self.mode: text.Mode = "phrase"
        self.hits: list[text.Hit] = []
        self.frequencies: dict[str, list[tuple[str, int]]] | None = None
        self._term_counts: dict[str, int] = {}
        self._message = ""
        self._quiet = False
        self._analysis_lock = threading.Lock()
        self._analysis_started = False
        self._build()
        params = params or {}
        query = params.get("q", "")
        if query.strip():
            mode = "word" if params.get("mode") == "word" else "phrase"
            self.set_query(query, mode)

    # ----------------------------------------------------------------------- building

    def _build(self) -> None:
        lang = self.lang
        self.error_panel = W.HTML("")
        guard = ui.guarded(self.error_panel, lambda: self.lang)

        self.title = W.HTML()
        self.toggle = ui.language_toggle(lang)
        ui.observe_value(self.toggle, guard(self._on_lang))
        top = W.HBox(
            [self.title, self.toggle],
            layout=W.Layout(
                justify_content="space-between",
                align_items="center",
                flex_flow="row wrap",
                width="100%",
            ),
        )
        header = W.VBox([W.HTML(STYLE, layout=W.Layout(display="none")), top, self.error_panel])

        self.search_heading = W.HTML()
        self.query_box = W.Text(continuous_update=False, layout=W.Layout(width="320px"))
        ui.observe_value(self.query_box, guard(self._on_query))
        self.mode_toggle = W.ToggleButtons(
            options=self._mode_options(), value="phrase", style={"button_width": "auto"}
        )
        ui.observe_value(self.mode_toggle, guard(self._on_mode))
        self.search_button = W.Button(icon="search", button_style="primary")
        self.search_button.on_click(guard(lambda _button: self.run_search()))
        self.try_label = W.HTML()
        self.suggestions = []
        for query in SUGGESTED_QUERIES:
            button = W.Button(description=query, layout=W.Layout(width="auto"))
            button.on_click(guard(lambda _button, q=query: self.set_query(q, "phrase")))
            button.add_class("briefing-suggestion")
            self.suggestions.append(button)
        self.search_help = W.HTML()
        self.summary = W.HTML()
        self.section_counts = W.HTML()
        self.hit_list = W.HTML()
        controls = W.HBox(
            [self.query_box, self.search_button, self.mode_toggle],
            layout=W.Layout(flex_flow="row wrap", align_items="center"),
        )
        controls.add_class("briefing-reader-search")
        search = ui.section(
            self.search_heading,
            controls,
            W.HBox(
                [self.try_label, *self.suggestions],
                layout=W.Layout(flex_flow="row wrap", align_items="center"),
            ),
            self.search_help,
            self.summary,
            self.section_counts,
            self.hit_list,
            name="search",
        )

        self.reader_heading = W.HTML()
        self.view = W.Dropdown(options=self._view_options(), value=ALL)
        ui.observe_value(self.view, guard(self._on_view))
        self.toc = W.HTML()
        self.report_html = W.HTML()
        report = ui.section(
            self.reader_heading, self.view, self.toc, self.report_html, name="report"
        )

        self.keywords_heading = W.HTML()
        self.keywords_note = W.HTML()
        self.keywords_status = W.HTML()
        self.term_picker = W.Dropdown(
            options=[(t("pick_placeholder", lang), "")], value="", disabled=True
        )
        ui.observe_value(self.term_picker, guard(self._on_term))
        self.chart_all = W.Output()
        self.chart_parts = W.Output()
        keywords = ui.section(
            self.keywords_heading,
            self.keywords_note,
            self.keywords_status,
            self.term_picker,
            self.chart_all,
            self.chart_parts,
            name="keywords",
        )
        self._guard = guard
        self.widget = ui.app_frame(header, search, report, keywords)
        self.widget.add_class("briefing-reader")
        self._relabel()
        self._render_results()
        self._render_report()

    def _mode_options(self) -> list[tuple[str, str]]:
        return [(t("phrase", self.lang), "phrase"), (t("word", self.lang), "word")]

    def _view_options(self) -> list[tuple[str, str]]:
        options = [(t("whole_report", self.lang), ALL)]
        for section_id, row in self.sections.items():
            if row["part"] not in PARTS:
                options.append((self._section_title(section_id), section_id))
        for part in PARTS:
            options.append((label(PARTS, part, self.lang), part))
            for section_id, row in self.sections.items():
                if row["part"] == part:
                    options.append(("\u2003" + self._section_title(section_id), section_id))
        return options

    def _section_title(self, section_id: str) -> str:
        return html.section_title(self.sections, section_id, self.lang)

    @contextmanager
    def _quietly(self) -> Iterator[None]:
        previous, self._quiet = self._quiet, True
        try:
            yield
        finally:
            self._quiet = previous

    def _set_options(self, widget: W.Widget, options: Sequence[tuple[str, str]]) -> None:
        value = widget.value
        with self._quietly():
            widget.options = list(options)
            widget.value = value if value in [v for _, v in options] else options[0][1]

    def _relabel(self) -> None:
        lang = self.lang
        self.title.value = views.header_html("reader", lang)
        self.search_heading.value = ui.heading(t("search", lang))
        self.query_box.placeholder = t("placeholder", lang)
        self.query_box.description = ""
        self.search_button.description = t("search_button", lang)
        self.search_button.tooltip = t("search_button", lang)
        self._set_options(self.mode_toggle, self._mode_options())
        self.try_label.value = f"<span class='briefing-muted'>{ui.esc(t('try', lang))}</span>"
        self.search_help.value = (
            f"<div class='briefing-muted'>{ui.esc(t('search_help', lang))}</div>"
        )
        self.reader_heading.value = ui.heading(t("reader", lang))
        self.view.description = t("show", lang)
        self._set_options(self.view, self._view_options())
        self.keywords_heading.value = ui.heading(t("keywords", lang))
        self.keywords_note.value = (
            f"<div class='briefing-muted'>{ui.esc(t('keywords_note', lang))}</div>"
        )
        self.term_picker.description = t("pick_term", lang)
        self.term_picker.style = {"description_width": "initial"}
        self._set_options(self.term_picker, self._term_options())
        if self.frequencies is None:
            self.keywords_status.value = (
                f"<div class='briefing-muted'>{ui.esc(t('analysing', lang))}</div>"
            )

    # ----------------------------------------------------------------------- search

    def set_query(self, query: str, mode: str = "phrase") -> None:
        """Put ``query`` in the search box, choose the mode, and run the search once."""
        with self._quietly():
            self.mode_toggle.value = "word" if mode == "word" else "phrase"
            self.query_box.value = query
        self.run_search()

    def run_search(self) -> None:
        """Search for the box's query in the chosen mode; update the results and the report."""
        self.mode = "word" if self.mode_toggle.value == "word" else "phrase"
        self._message = ""
        try:
            self.query = text.clean_query(self.query_box.value)
        except text.QueryTooLong as error:
            self.query, self.hits = "", []
            self._message = t("too_long", self.lang, n=error.length, max=text.MAX_QUERY_CHARS)
        else:
            self.hits = text.search(
                self.paragraphs, self.query, self.mode, segmenter=self.segmenter
            )
        if self.term_picker.value and self.term_picker.value != self.query:
            with self._quietly():
                self.term_picker.value = ""
        if self.hits and self.view.value != ALL:
            shown = set(self._shown_sections())
            if any(hit.section_id not in shown for hit in self.hits):
                with self._quietly():
                    self.view.value = ALL
        self._render_results()
        self._render_report()

    def _on_query(self, _value: object) -> None:
        if not self._quiet:
            self.run_search()

    def _on_mode(self, _value: object) -> None:
        if not self._quiet and self.query_box.value.strip():
            self.run_search()

    def _render_results(self) -> None:
        lang = self.lang
        self.section_counts.value = ""
        self.hit_list.value = ""
        if self._message:
            self.summary.value = html.summary_html(self._message)
            return
        if not self.query:
            attempted = bool(self.query_box.value)
            self.summary.value = html.summary_html(t("empty_query", lang)) if attempted else ""
            return
        words = ""
        if self.mode == "word":
            typed = self.segmenter.query_words(self.query)
            # Quoted in English: the words are the reader's, in whatever language they typed.
            used = " / ".join(f"“{w}”" if lang == "en" else w for w in typed)
            words = f"<div class='words'>{ui.esc(t('words_used', lang) + used)}</div>"
        if not self.hits:
            phrase_hits = 0
            if self.mode == "word":
                found = text.search(self.paragraphs, self.query, "phrase")
                phrase_hits = sum(hit.count for hit in found)
            if phrase_hits:
                message = t(
                    "no_word_hits",
                    lang,
                    q="\x00",
                    n=count(phrase_hits, "match", "matches", lang),
                )
            else:
                message = t("no_hits", lang, q="\x00")
            self.summary.value = html.summary_html(message, words, query=self.query, lang=lang)
            return
        per_section = text.counts_by_section(self.hits)
        self.summary.value = html.found_html(self.query, self.hits, lang, words)
        self.section_counts.value = html.counts_html(per_section, self.sections, lang)
        self.hit_list.value = self._hits_html()

    def _hits_html(self) -> str:
        texts = {row["paragraph_id"]: str(row["text"]) for row in self.paragraphs}
        shown = set(self._shown_sections())
        return html.hits_html(self.hits, texts, shown, self.sections, self.places, self.lang)

    # ----------------------------------------------------------------------- the report

    def _on_view(self, _value: object) -> None:
        if not self._quiet:
            self._render_report()
            if self.hits:
                self.hit_list.value = self._hits_html()

    def _shown_sections(self) -> list[str]:
        choice = self.view.value
        if choice == ALL:
            return list(self.sections)
        if choice in PARTS:
            return [sid for sid, row in self.sections.items() if row["part"] == choice]
        return [choice]

    def _render_report(self) -> None:
        shown = self._shown_sections()
        marks: dict[str, tuple[text.Span, ...]] = {hit.paragraph_id: hit.spans for hit in self.hits}
        by_section: dict[str, list[dict[str, Any]]] = {}
        for row in self.paragraphs:
            by_section.setdefault(row["section_id"], []).append(row)
        lang = self.lang
        front = html.front_html(self.dataset.report_metadata(), lang)
        blocks = []
        for section_id in shown:
            paragraphs = front if self.sections[section_id]["part"] == "front" else ""
            paragraphs += "".join(
                html.paragraph_html(
                    row,
                    marks.get(row["paragraph_id"], ()),
                    self.facts.get(row["paragraph_id"], []),
                    self.places,
                    lang,
                )
                for row in by_section.get(section_id, [])
            )
            blocks.append(
                html.section_html(section_id, self._section_title(section_id), paragraphs)
            )
        self.toc.value = html.toc_html(shown, self.sections, lang)
        self.report_html.value = f"<div class='briefing-report'>{''.join(blocks)}</div>"

    # ----------------------------------------------------------------------- keywords

    def start_analysis(self, background: bool = True) -> None:
        """Count the terms and draw the keyword charts, in a background thread by default."""
        with self._analysis_lock:
            if self._analysis_started:
                return
            self._analysis_started = True
        task = self._guard(self._analyse)
        if not background:
            task()
            return

        def run() -> None:
            task()
            # Counting may not have needed jieba (the paragraphs were segmented before, see
            # text.Segmenter): load it once the page is drawn, so the first query is quick.
            time.sleep(WARM_SEGMENTER_AFTER_S)
            self._guard(self.segmenter.warm)()

        threading.Thread(target=run, name="briefing-reader-keywords", daemon=True).start()

    def _analyse(self) -> None:
        try:
            frequencies, counts = keyword_frequencies(self.paragraphs, self.segmenter)
        except Exception:
            self.keywords_status.value = ui.error_html(self.lang)
            raise
        self._term_counts = counts
        self.frequencies = frequencies
        self.keywords_status.value = ""
        self._set_options(self.term_picker, self._term_options())
        self.term_picker.disabled = False
        self._draw_charts()
        # For the next process that opens the reader (the paragraphs only, not the queries).
        self.segmenter.save(str(row["text"]) for row in self.paragraphs)

    def _term_options(self) -> list[tuple[str, str]]:
        return term_options(self.frequencies, self._term_counts, self.lang)

    def _on_term(self, value: object) -> None:
        if self._quiet or not value:
            return
        self.set_query(str(value), "word")

    def _draw_charts(self) -> None:
        if self.frequencies is None:
            return
        whole, parts = keyword_charts(self.frequencies, self.lang)
        show_chart(self.chart_all, whole)
        show_chart(self.chart_parts, parts)

    # ----------------------------------------------------------------------- language

    def _on_lang(self, value: object) -> None:
        self.lang = str(value)
        self._relabel()
        self._render_results()
        self._render_report()
        self._draw_charts()


__all__ = ["SUGGESTED_QUERIES", "WARM_SEGMENTER_AFTER_S", "ReportReader", "report_text"]
