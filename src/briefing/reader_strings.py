"""The report reader's strings (Chinese and English) and its style sheet."""

from __future__ import annotations

STRINGS: dict[str, tuple[str, str]] = {
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
    "part_terms": ("{part}:高频词(前{n})", "{part}: most frequent terms (top {n})"),
    "counted_over": (
        "统计范围:{scope}的标题与正文(jieba 分词,不含停用词、数字和单字)",
        "Counted over the headings and body text of {scope} (segmented with jieba; "
        "stopwords, numbers and single characters left out)",
    ),
    "the_report": ("报告全文", "the whole report"),
    "counting": ("正在统计词频……", "Counting the terms…"),
    "hits_title": ("「{q}」在报告中的位置", "Where “{q}” occurs in the report"),
    "sections_title": ("{part}:各章节", "{part}: its sections"),
    "cover_note": (
        "报告原文为中文。本演示:报告结构、高频词{more}。",
        "The report is in Chinese. In this presentation: its structure, its most frequent "
        "terms{more}.",
    ),
    "cover_more": ("、「{q}」的检索结果", ", and the search for “{q}”"),
    "term": ("词语", "Term"),
    "frequency": ("出现次数", "Occurrences"),
}


def t(key: str, lang: str, **values: object) -> str:
    """A string of the reader in a language, filled in.

    Examples
    --------
    >>> t("match", "en", n=1), t("match", "zh", n=1)
    ('1 match', '1 处')
    """
    zh, en = STRINGS[key]
    template = en if lang == "en" else zh
    return template.format(**values) if values else template


def count(n: int, singular: str, plural: str, lang: str) -> str:
    """A count as the sentence needs it: the bare number in Chinese, "1 match" in English."""
    return t(singular if n == 1 else plural, lang, n=n)


STYLE = """
<style>
.briefing-reader-search .widget-text input { font-size: 16px; }
.briefing-reader-summary { margin: 6px 0; line-height: 1.7; }
.briefing-reader-summary .words { color: var(--briefing-muted); font-size: 14px; }
.briefing-reader-counts { max-width: 760px; }
.briefing-reader-counts th, .briefing-reader-counts td:first-child,
.briefing-reader-counts td.n { white-space: nowrap; }
.briefing-reader-counts .bar { display: inline-block; height: 10px; background: #0072B2;
  border-radius: 2px; vertical-align: middle; }
.briefing-reader-counts .bar.tasks_2023 { background: var(--briefing-tasks); }
.briefing-hits { list-style: none; padding: 0; margin: 6px 0; }
.briefing-hits li { border-left: 4px solid #0072B2; background: var(--briefing-surface);
  margin: 6px 0; padding: 6px 10px; line-height: 1.8; }
.briefing-hits li.tasks_2023 { border-left-color: var(--briefing-tasks); }
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
.briefing-report .para:target { background: var(--briefing-source-bg);
  outline: 2px solid var(--briefing-tasks); }
.briefing-report p { margin: 2px 0; text-indent: 2em; }
.briefing-report .pid { font-size: 12px; color: var(--briefing-muted); text-decoration: none;
  margin-right: 4px; }
.briefing-fact { text-decoration: underline; text-decoration-color: #0072B2;
  text-decoration-thickness: 2px; text-underline-offset: 4px; cursor: help; }
.briefing-report details { font-size: 13px; color: var(--briefing-muted); margin: 0 0 6px 2em; }
.briefing-report details ul { margin: 2px 0; padding-left: 18px; }
</style>
"""
