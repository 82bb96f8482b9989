"""The report reader: the full text of the report, searchable, with its vocabulary analysed.

Three sections, one screen each in presentation mode: a search box (phrase or word search,
hit counts per section, hits in context linking to their paragraph), the report itself
(navigable by part and section; each number the curated tables hold is underlined with its
fact as a tooltip), and a keyword analysis (the most frequent terms of the whole report and
of each part, as bar charts; choosing a term searches for it).

The URL can carry ``?lang=en``, ``?q=<query>`` and ``?mode=word``, so a search can be shared
as a link. Segmentation with jieba takes a second or two the first time; the app is shown at
once and the keyword charts follow when ready.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

import ipywidgets as W

from briefing import charts, display, frames, text, theme, ui, views
from briefing import vegalite as vl
from briefing.i18n import tr
from briefing.vocab import PARTS, label

if TYPE_CHECKING:
    from briefing.data import Dataset


SUGGESTED_QUERIES = ("园区", "养老", "河涌", "数字化")
TOP_TERMS = 20
#: Seconds after the keyword charts are drawn before jieba's dictionary is loaded for queries.
WARM_SEGMENTER_AFTER_S = 3.0
ALL = "all"
ALL_COLOUR = theme.PALETTE[2]

_STRINGS: dict[str, tuple[str, str]] = {
    "search": ("检索报告", "Search the report"),
    "placeholder": ("输入词语,如:园区", "A word or phrase, e.g. 园区"),
    "search_button": ("检索", "Search"),
    "phrase": ("按短语", "Phrase"),
    "word": ("按词语(分词)", "Words (segmented)"),
    "try": ("试试:", "Try:"),
    "search_help": (
        "按短语:查找与输入完全相同的文字(英文字母不分大小写)。"
        "按词语:先用分词把输入切成词语,查找同时包含这些词语的段落;长词中的字串不算。",
        "Phrase: finds the exact characters typed (letters in any case). "
        "Words: splits the query into words with the segmenter and finds paragraphs "
        "that contain all of them as whole words.",
    ),
    "empty_query": ("请输入要查找的词语。", "Type a word or phrase to search for."),
    "too_long": (
        "查询太长(最多{max}个字符,现有{n}个),请缩短后再试。",
        "The query is too long ({n} characters; at most {max}). Please shorten it.",
    ),
    "no_hits": ("报告中没有找到「{q}」。", "No match for “{q}” in the report."),
    "no_word_hits": (
        "按词语没有找到「{q}」;按短语可找到 {n}(它可能是更长词语的一部分)。",
        "No whole-word match for “{q}”; a phrase search finds {n} "
        "(it may be part of longer words).",
    ),
    "summary": (
        "「{q}」共出现 {n} 处,分布在 {p} 个段落、{s} 个章节。",
        "“{q}” occurs {n} in {p} across {s}.",
    ),
    "words_used": ("分词结果:", "Words searched: "),
    "by_part": ("分部分:", "By part: "),
    "time": ("{n}", "{n} time"),
    "times": ("{n}", "{n} times"),
    "match": ("{n} 处", "{n} match"),
    "matches": ("{n} 处", "{n} matches"),
    "paragraph_n": ("{n}", "{n} paragraph"),
    "paragraphs_n": ("{n}", "{n} paragraphs"),
    "section_n": ("{n}", "{n} section"),
    "sections_n": ("{n}", "{n} sections"),
    "count": ("次数", "Count"),
    "go_to": ("跳到原文", "Go to paragraph"),
    "not_shown": ("(不在当前显示范围,请选择「全文」)", "(not shown now: choose “Whole report”)"),
    "reader": ("报告全文", "The full report"),
    "show": ("显示", "Show"),
    "whole_report": ("全文", "Whole report"),
    "contents": ("目录", "Contents"),
    "published": ("发布时间", "Published"),
    "publisher": ("发布机构", "Publisher"),
    "facts_in_paragraph": ("本段数字({n})", "Figures in this paragraph ({n})"),
    "keywords": ("关键词分析", "Keyword analysis"),
    "keywords_note": (
        "用 jieba 分词,加载政策术语词典,去掉停用词、标点、数字和单字后统计词频;"
        "统计范围为报告的标题与正文(不含网页信息)。选择一个词语即可在报告中检索它。",
        "Words are segmented with jieba and a dictionary of policy terms; stopwords, "
        "punctuation, numbers and single characters are dropped. Counted over the report's "
        "headings and body text (not the web page's furniture). Pick a term to search for it.",
    ),
    "analysing": ("正在分词统计,请稍候……", "Segmenting the text, one moment…"),
    "pick_term": ("选择词语检索", "Search for a term"),
    "pick_placeholder": ("— 选择词语 —", "— pick a term —"),
    "top_terms": ("全文高频词(前{n})", "Most frequent terms, whole report (top {n})"),
    "term": ("词语", "Term"),
    "frequency": ("出现次数", "Occurrences"),
}


def _t(key: str, lang: str, **values: object) -> str:
    zh, en = _STRINGS[key]
    template = en if lang == "en" else zh
    return template.format(**values) if values else template


def _count(n: int, singular: str, plural: str, lang: str) -> str:
    """A count as the sentence needs it: the bare number in Chinese, "1 match" in English."""
    return _t(singular if n == 1 else plural, lang, n=n)


_STYLE = """
<style>
.briefing-reader-search .widget-text input { font-size: 16px; }
.briefing-reader-summary { margin: 6px 0; line-height: 1.7; }
.briefing-reader-summary .words { color: var(--briefing-muted); font-size: 14px; }
.briefing-reader-counts { max-width: 760px; }
.briefing-reader-counts th, .briefing-reader-counts td:first-child,
.briefing-reader-counts td.n { white-space: nowrap; }
.briefing-reader-counts .bar { display: inline-block; height: 10px; background: #0072B2;
  border-radius: 2px; vertical-align: middle; }
.briefing-reader-counts .bar.tasks_2023 { background: #E69F00; }
.briefing-hits { list-style: none; padding: 0; margin: 6px 0; }
.briefing-hits li { border-left: 4px solid #0072B2; background: var(--briefing-surface);
  margin: 6px 0; padding: 6px 10px; line-height: 1.8; }
.briefing-hits li.tasks_2023 { border-left-color: #E69F00; }
.briefing-hits .where { font-size: 13px; color: var(--briefing-muted); }
.briefing-hits a { color: var(--briefing-link); }
.briefing-hits mark, .briefing-report mark { background: var(--briefing-highlight);
  color: var(--briefing-text); padding: 0 1px; }
.briefing-toc { columns: 2 320px; font-size: 14px; line-height: 1.7; margin: 4px 0 10px; }
.briefing-toc .part { font-weight: 600; }
.briefing-report { line-height: 1.9; }
.briefing-report .sec { margin: 0 0 14px; }
.briefing-report .sec-title { font-size: 13px; color: var(--briefing-muted);
  border-top: 1px solid var(--briefing-border); padding-top: 6px; margin-top: 10px; }
.briefing-report .part-heading { font-size: 22px; margin: 18px 0 6px; }
.briefing-report .heading { font-size: 18px; font-weight: 600; margin: 8px 0 4px; }
.briefing-report .meta { color: var(--briefing-muted); font-size: 13px; }
.briefing-report .para { padding: 2px 6px; border-radius: 4px; scroll-margin-top: 60px; }
.briefing-report .para:target { background: var(--briefing-source-bg); outline: 2px solid #E69F00; }
.briefing-report p { margin: 2px 0; text-indent: 2em; }
.briefing-report .pid { font-size: 11px; color: var(--briefing-muted); text-decoration: none;
  margin-right: 4px; }
.briefing-fact { text-decoration: underline; text-decoration-color: #0072B2;
  text-decoration-thickness: 2px; text-underline-offset: 4px; cursor: help; }
.briefing-report details { font-size: 13px; color: var(--briefing-muted); margin: 0 0 6px 2em; }
.briefing-report details ul { margin: 2px 0; padding-left: 18px; }
.briefing-report .fid { font-family: monospace; color: var(--briefing-muted); margin-right: 4px; }
</style>
"""


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
        self.segmenter = text.get_segmenter(dataset.root, dataset.text)
        # The report proper: the web page's furniture, title and publication lines are
        # never shown, searched or counted; the front section shows the metadata instead.
        paragraphs = dataset.content_paragraphs.sort_values("start", kind="stable")
        self.paragraphs: list[dict[str, Any]] = frames.records(paragraphs)
        self.sections: dict[str, dict[str, Any]] = {
            row["section_id"]: row
            for row in frames.records(dataset.sections.sort_values("position"))
        }
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
        header = W.VBox([W.HTML(_STYLE, layout=W.Layout(display="none")), top, self.error_panel])

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
            options=[(_t("pick_placeholder", lang), "")], value="", disabled=True
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
        return [(_t("phrase", self.lang), "phrase"), (_t("word", self.lang), "word")]

    def _view_options(self) -> list[tuple[str, str]]:
        options = [(_t("whole_report", self.lang), ALL)]
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
        row = self.sections[section_id]
        return str(row["title_en"] if self.lang == "en" else row["title_zh"])

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
        self.search_heading.value = ui.heading(_t("search", lang))
        self.query_box.placeholder = _t("placeholder", lang)
        self.query_box.description = ""
        self.search_button.description = _t("search_button", lang)
        self.search_button.tooltip = _t("search_button", lang)
        self._set_options(self.mode_toggle, self._mode_options())
        self.try_label.value = f"<span class='briefing-muted'>{ui.esc(_t('try', lang))}</span>"
        self.search_help.value = (
            f"<div class='briefing-muted'>{ui.esc(_t('search_help', lang))}</div>"
        )
        self.reader_heading.value = ui.heading(_t("reader", lang))
        self.view.description = _t("show", lang)
        self._set_options(self.view, self._view_options())
        self.keywords_heading.value = ui.heading(_t("keywords", lang))
        self.keywords_note.value = (
            f"<div class='briefing-muted'>{ui.esc(_t('keywords_note', lang))}</div>"
        )
        self.term_picker.description = _t("pick_term", lang)
        self.term_picker.style = {"description_width": "initial"}
        self._set_options(self.term_picker, self._term_options())
        if self.frequencies is None:
            self.keywords_status.value = (
                f"<div class='briefing-muted'>{ui.esc(_t('analysing', lang))}</div>"
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
            self._message = _t("too_long", self.lang, n=error.length, max=text.MAX_QUERY_CHARS)
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
            self.summary.value = self._summary_html(self._message)
            return
        if not self.query:
            attempted = bool(self.query_box.value)
            self.summary.value = self._summary_html(_t("empty_query", lang)) if attempted else ""
            return
        words = ""
        if self.mode == "word":
            used = " / ".join(self.segmenter.query_words(self.query))
            words = f"<div class='words'>{ui.esc(_t('words_used', lang) + used)}</div>"
        if not self.hits:
            phrase_hits = 0
            if self.mode == "word":
                found = text.search(self.paragraphs, self.query, "phrase")
                phrase_hits = sum(hit.count for hit in found)
            if phrase_hits:
                message = _t(
                    "no_word_hits",
                    lang,
                    q=self.query,
                    n=_count(phrase_hits, "match", "matches", lang),
                )
            else:
                message = _t("no_hits", lang, q=self.query)
            self.summary.value = self._summary_html(message, words)
            return
        per_section = text.counts_by_section(self.hits)
        per_part = text.counts_by_part(self.hits)
        total = sum(per_section.values())
        message = _t(
            "summary",
            lang,
            q=self.query,
            n=_count(total, "time", "times", lang),
            p=_count(len(self.hits), "paragraph_n", "paragraphs_n", lang),
            s=_count(len(per_section), "section_n", "sections_n", lang),
        )
        parts = " · ".join(
            f"{label(PARTS, part, lang) if part in PARTS else part} "
            f"{_count(count, 'match', 'matches', lang)}"
            for part, count in per_part.items()
        )
        by_part = f"<div class='words'>{ui.esc(_t('by_part', lang) + parts)}</div>"
        self.summary.value = self._summary_html(message, words + by_part)
        self.section_counts.value = self._counts_html(per_section)
        self.hit_list.value = self._hits_html()

    @staticmethod
    def _summary_html(message: str, extra: str = "") -> str:
        return (
            "<div class='briefing-reader-summary' role='status' aria-live='polite'>"
            f"<div class='message'>{ui.esc(message)}</div>{extra}</div>"
        )

    def _counts_html(self, per_section: Mapping[str, int]) -> str:
        lang = self.lang
        most = max(per_section.values())
        rows = []
        for section_id, count in per_section.items():
            part = str(self.sections[section_id]["part"])
            part_label = label(PARTS, part, lang) if part in PARTS else ""
            width = max(4, round(160 * count / most))
            rows.append(
                f"<tr data-section='{ui.esc(section_id)}'><td>{ui.esc(part_label)}</td>"
                f"<td><a href='#sec-{ui.esc(section_id)}'>"
                f"{ui.esc(self._section_title(section_id))}</a></td>"
                f"<td class='n'>{count}</td>"
                f"<td><span class='bar {ui.esc(part)}' style='width:{width}px'></span></td></tr>"
            )
        head = (
            f"<tr><th>{ui.esc(tr('part', lang))}</th><th>{ui.esc(tr('section', lang))}</th>"
            f"<th>{ui.esc(_t('count', lang))}</th><th></th></tr>"
        )
        return (
            "<table class='briefing-table briefing-reader-counts'>"
            f"<thead>{head}</thead><tbody>{''.join(rows)}</tbody></table>"
        )

    def _hits_html(self) -> str:
        lang = self.lang
        shown = set(self._shown_sections())
        texts = {row["paragraph_id"]: str(row["text"]) for row in self.paragraphs}
        items = []
        for hit in self.hits:
            where = (
                f"{self._section_title(hit.section_id)} · {hit.paragraph_id} · "
                f"{_count(hit.count, 'match', 'matches', lang)}"
            )
            if hit.section_id in shown:
                link = (
                    f"<a href='#para-{ui.esc(hit.paragraph_id)}' class='hit-link'>"
                    f"{ui.esc(_t('go_to', lang))} ↓</a>"
                )
            else:
                link = f"<span class='briefing-muted'>{ui.esc(_t('not_shown', lang))}</span>"
            items.append(
                f"<li class='{ui.esc(hit.part)}' data-paragraph='{ui.esc(hit.paragraph_id)}'>"
                f"<div class='where'>{ui.esc(where)} {link}</div>"
                f"<div class='snippet'>{text.snippets(texts[hit.paragraph_id], hit.spans)}</div>"
                "</li>"
            )
        return f"<ul class='briefing-hits'>{''.join(items)}</ul>"

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
        blocks = []
        for section_id in shown:
            paragraphs = self._front_html() if self.sections[section_id]["part"] == "front" else ""
            paragraphs += "".join(
                self._paragraph_html(row, marks.get(row["paragraph_id"], ()))
                for row in by_section.get(section_id, [])
            )
            blocks.append(
                f"<section class='sec' id='sec-{ui.esc(section_id)}'>"
                f"<div class='sec-title'>{ui.esc(self._section_title(section_id))}</div>"
                f"{paragraphs}</section>"
            )
        self.toc.value = self._toc_html(shown)
        self.report_html.value = f"<div class='briefing-report'>{''.join(blocks)}</div>"

    def _front_html(self) -> str:
        meta = self.dataset.report_metadata()
        lang = "en" if self.lang == "en" else "zh"
        lines = (
            (_t("publisher", self.lang), meta[f"publisher_{lang}"]),
            (_t("published", self.lang), meta["published"].replace("T", " ")),
        )
        items = "".join(f"<div>{ui.esc(k)}: {ui.esc(v)}</div>" for k, v in lines)
        title = ui.esc(meta[f"title_{lang}"])
        return f"<div class='para meta' id='para-front'><b>{title}</b>{items}</div>"

    def _toc_html(self, shown: Sequence[str]) -> str:
        if len(shown) < 2:
            return ""
        items = []
        current_part = None
        for section_id in shown:
            part = self.sections[section_id]["part"]
            if part != current_part and part in PARTS:
                items.append(f"<div class='part'>{ui.esc(label(PARTS, part, self.lang))}</div>")
            current_part = part
            items.append(
                f"<div><a href='#sec-{ui.esc(section_id)}'>"
                f"{ui.esc(self._section_title(section_id))}</a></div>"
            )
        return (
            f"<nav class='briefing-toc' aria-label='{ui.esc(_t('contents', self.lang))}'>"
            f"{''.join(items)}</nav>"
        )

    def _paragraph_html(self, row: Mapping[str, Any], marks: Sequence[text.Span]) -> str:
        pid = str(row["paragraph_id"])
        body = str(row["text"])
        facts = self.facts.get(pid, [])
        notes = []
        for fact in facts:
            start = body.find(str(fact["quote"]))
            if start >= 0:
                notes.append(
                    text.Note(
                        start,
                        start + len(str(fact["quote"])),
                        self._fact_title(fact),
                        str(fact["fact_id"]),
                    )
                )
        content = text.annotate(body, marks, notes)
        anchor = f"para-{ui.esc(pid)}"
        role = row["role"]
        if role == "part_heading":
            return f"<h3 class='para part-heading' id='{anchor}'>{content}</h3>"
        if role == "heading":
            return (
                f"<div class='para heading' id='{anchor}' role='heading' aria-level='3'>"
                f"{content}</div>"
            )
        if role == "meta":
            return f"<div class='para meta' id='{anchor}'>{content}</div>"
        link = f"<a class='pid' href='#{anchor}'>¶{ui.esc(pid)}</a>"
        listing = ""
        if facts:
            items = "".join(
                f"<li data-fact='{ui.esc(fact['fact_id'])}'><span class='fid'>"
                f"{ui.esc(fact['fact_id'])}</span>{ui.esc(self._fact_line(fact))}</li>"
                for fact in facts
            )
            summary = ui.esc(_t("facts_in_paragraph", self.lang, n=len(facts)))
            listing = f"<details><summary>{summary}</summary><ul>{items}</ul></details>"
        return f"<div class='para' id='{anchor}'><p>{link}{content}</p>{listing}</div>"

    def _fact_title(self, fact: Mapping[str, Any]) -> str:
        return (
            f"{fact['fact_id']} · {display.indicator(fact, self.lang)}: "
            f"{display.value_text(fact, self.lang)}"
        )

    def _fact_line(self, fact: Mapping[str, Any]) -> str:
        separator = ":" if self.lang == "zh" else ": "
        return (
            f"{display.indicator(fact, self.lang)}{separator}{display.value_text(fact, self.lang)}"
        )

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
            counts = text.term_frequencies(self.paragraphs, top=None, segmenter=self.segmenter)
            frequencies = {
                ALL: counts[:TOP_TERMS],
                **{
                    part: text.term_frequencies(
                        self.paragraphs, part=part, top=TOP_TERMS, segmenter=self.segmenter
                    )
                    for part in PARTS
                },
            }
        except Exception:
            self.keywords_status.value = ui.error_html(self.lang)
            raise
        self._term_counts = dict(counts)
        self.frequencies = frequencies
        self.keywords_status.value = ""
        self._set_options(self.term_picker, self._term_options())
        self.term_picker.disabled = False
        self._draw_charts()
        # For the next process that opens the reader (the paragraphs only, not the queries).
        self.segmenter.save(str(row["text"]) for row in self.paragraphs)

    def _term_options(self) -> list[tuple[str, str]]:
        """The terms of the three charts, each once, with its count in the whole report."""
        options = [(_t("pick_placeholder", self.lang), "")]
        if self.frequencies is None:
            return options
        seen = set()
        for key in (ALL, *PARTS):
            for term, _ in self.frequencies[key]:
                if term not in seen:
                    seen.add(term)
                    options.append((f"{term}({self._term_counts[term]})", term))
        return options

    def _on_term(self, value: object) -> None:
        if self._quiet or not value:
            return
        self.set_query(str(value), "word")

    def _draw_charts(self) -> None:
        if self.frequencies is None:
            return
        lang = self.lang
        whole = frequency_chart(
            self.frequencies[ALL], _t("top_terms", lang, n=TOP_TERMS), ALL_COLOUR, lang
        )
        parts = [
            frequency_chart(
                self.frequencies[part],
                label(PARTS, part, lang),
                theme.PART_COLOURS[part],
                lang,
                width=260,
            )
            for part in PARTS
        ]
        _show_chart(self.chart_all, whole)
        _show_chart(self.chart_parts, vl.hconcat(parts, spacing=40))

    # ----------------------------------------------------------------------- language

    def _on_lang(self, value: object) -> None:
        self.lang = str(value)
        self._relabel()
        self._render_results()
        self._render_report()
        self._draw_charts()


# --------------------------------------------------------------------------- charts


def frequency_chart(
    frequencies: Sequence[tuple[str, int]], title: str, color: str, lang: str, width: int = 420
) -> vl.Spec:
    """A horizontal bar chart of term counts, most frequent on top, in the given order."""
    rows = [{"term": term, "count": count} for term, count in frequencies]
    order = [term for term, _ in frequencies]
    return vl.Spec(
        {
            "mark": {"type": "bar", "color": color},
            "data": {"values": rows},
            "encoding": {
                "tooltip": [
                    vl.field("term", "nominal", title=_t("term", lang)),
                    vl.field("count", "quantitative", title=_t("frequency", lang)),
                ],
                "x": vl.field(
                    "count", "quantitative", axis={"tickMinStep": 1}, title=_t("frequency", lang)
                ),
                # No y title: the chart's title names the terms; a rotated CJK title reads badly.
                "y": vl.field(
                    "term",
                    "nominal",
                    axis={"labelAngle": 0, "labelLimit": 200},
                    sort=order,
                    title=None,
                ),
            },
            "height": {"step": 22},
            "title": title,
            "width": width,
        }
    )


def _show_chart(output: W.Output, chart: vl.Spec) -> None:
    charts.show(output, [chart])


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
    start_lang = lang if lang is not None else ui.page_mode(params).lang
    readers: list[ReportReader] = []

    def build(chosen: str) -> W.Widget:
        reader = build_reader(chosen, params)
        readers.append(reader)
        return reader.widget

    widget = ui.safe_app(build, start_lang)
    if readers:
        readers[0].start_analysis(background=in_kernel)
    return widget


def _warm_up() -> None:
    """Load the data and jieba's dictionary ahead of need; failures surface later."""
    try:
        from briefing import data

        dataset = data.load()
        text.get_segmenter(dataset.root, dataset.text).tokens("预热")
    except Exception:
        logging.getLogger("briefing").debug("warm-up failed", exc_info=True)


__all__ = ["ReportReader", "build_reader", "frequency_chart", "reader_app"]
