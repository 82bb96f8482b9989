"""The report reader's HTML: search results, the report's text with its facts, the contents.

Pure functions, escaped throughout. Paragraph and fact ids appear only in anchors and data
attributes: readers see a section's title and a paragraph's number (:mod:`briefing.places`).
The report's own words carry ``lang='zh-CN'`` (they stay Chinese on English pages).
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from typing import Any

from briefing import display, text, ui
from briefing.i18n import tr
from briefing.places import Places, number_label
from briefing.reader_strings import count, t
from briefing.vocab import PARTS, label

Sections = Mapping[str, Mapping[str, Any]]


def section_title(sections: Sections, section_id: str, lang: str) -> str:
    """A section's title in the language."""
    row = sections[section_id]
    return str(row["title_en"] if lang == "en" else row["title_zh"])


def summary_html(message: str, extra: str = "", *, query: str = "", lang: str = "zh") -> str:
    """The search's outcome, announced to screen readers; ``query`` stands for ``\\x00`` in
    ``message`` (see :func:`quoted`)."""
    markup = with_query(message, query, lang) if query else ui.esc(message)
    return (
        "<div class='briefing-reader-summary' role='status' aria-live='polite'>"
        f"<div class='message'>{markup}</div>{extra}</div>"
    )


def with_query(message: str, query: str, lang: str) -> str:
    """``message`` as escaped HTML, with ``query`` (:func:`quoted`) where it says ``\\x00``.

    Examples
    --------
    >>> with_query("“" + chr(0) + "” & more", "养老", "en")
    "“<span lang='zh-CN'>养老</span>” &amp; more"
    """
    return ui.esc(message).replace("\x00", quoted(query, lang))


def quoted(query: str, lang: str) -> str:
    """A query as escaped HTML; on an English page marked as Chinese (the report's language,
    in which it is searched), so it is read out and checked as such.

    Examples
    --------
    >>> quoted("养老<", "en"), quoted("养老", "zh")
    ("<span lang='zh-CN'>养老&lt;</span>", '养老')
    """
    if lang != "en":
        return ui.esc(query)
    return f"<span lang='zh-CN'>{ui.esc(query)}</span>"


def found_html(query: str, hits: Sequence[text.Hit], lang: str, words: str = "") -> str:
    """How often the query occurs, in how many paragraphs and sections, and by part."""
    per_section = text.counts_by_section(hits)
    message = t(
        "summary",
        lang,
        q="\x00",
        n=count(sum(per_section.values()), "time", "times", lang),
        p=count(len(hits), "paragraph_n", "paragraphs_n", lang),
        s=count(len(per_section), "section_n", "sections_n", lang),
    )
    parts = " · ".join(
        f"{label(PARTS, part, lang) if part in PARTS else part} "
        f"{count(n, 'match', 'matches', lang)}"
        for part, n in text.counts_by_part(hits).items()
    )
    by_part = f"<div class='words'>{ui.esc(t('by_part', lang) + parts)}</div>"
    return summary_html(message, words + by_part, query=query, lang=lang)


def counts_html(per_section: Mapping[str, int], sections: Sections, lang: str) -> str:
    """Hits per section as a table of bars, each section linking to its place in the text."""
    most = max(per_section.values())
    rows = []
    for section_id, n in per_section.items():
        part = str(sections[section_id]["part"])
        part_label = label(PARTS, part, lang) if part in PARTS else ""
        width = max(4, round(160 * n / most))
        rows.append(
            f"<tr data-section='{ui.esc(section_id)}'><td>{ui.esc(part_label)}</td>"
            f"<td><a href='#sec-{ui.esc(section_id)}'>"
            f"{ui.esc(section_title(sections, section_id, lang))}</a></td>"
            f"<td class='n'>{n}</td>"
            f"<td><span class='bar {ui.esc(part)}' style='width:{width}px'></span></td></tr>"
        )
    head = (
        f"<tr><th>{ui.esc(tr('part', lang))}</th><th>{ui.esc(tr('section', lang))}</th>"
        f"<th>{ui.esc(t('count', lang))}</th><th></th></tr>"
    )
    return (
        "<table class='briefing-table briefing-reader-counts'>"
        f"<thead>{head}</thead><tbody>{''.join(rows)}</tbody></table>"
    )


def hits_html(
    hits: Sequence[text.Hit],
    texts: Mapping[str, str],
    shown: Collection[str],
    sections: Sections,
    places: Places,
    lang: str,
) -> str:
    """Each hit in context: where it is (section, paragraph number), a link, the snippet."""
    items = []
    for hit in hits:
        where = (
            f"{section_title(sections, hit.section_id, lang)} · "
            f"{number_label(places.number(hit.paragraph_id), lang)} · "
            f"{count(hit.count, 'match', 'matches', lang)}"
        )
        if hit.section_id in shown:
            link = (
                f"<a href='#para-{ui.esc(hit.paragraph_id)}' class='hit-link'>"
                f"{ui.esc(t('go_to', lang))} ↓</a>"
            )
        else:
            link = f"<span class='briefing-muted'>{ui.esc(t('not_shown', lang))}</span>"
        snippet = text.snippets(texts[hit.paragraph_id], hit.spans)
        items.append(
            f"<li class='{ui.esc(hit.part)}' data-paragraph='{ui.esc(hit.paragraph_id)}'>"
            f"<div class='where'>{ui.esc(where)} {link}</div>"
            f"<div class='snippet' lang='zh-CN'>{snippet}</div></li>"
        )
    return f"<ul class='briefing-hits'>{''.join(items)}</ul>"


def front_html(meta: Mapping[str, str], lang: str) -> str:
    """The report's title, publisher and publication time (never the web page's furniture)."""
    suffix = "en" if lang == "en" else "zh"
    lines = (
        (t("publisher", lang), meta[f"publisher_{suffix}"]),
        (t("published", lang), meta["published"].replace("T", " ")),
    )
    items = "".join(f"<div>{ui.esc(k)}: {ui.esc(v)}</div>" for k, v in lines)
    title = ui.esc(meta[f"title_{suffix}"])
    return f"<div class='para meta' id='para-front'><b>{title}</b>{items}</div>"


def toc_html(shown: Sequence[str], sections: Sections, lang: str) -> str:
    """The contents of what is shown, by part, when it holds more than one section."""
    if len(shown) < 2:
        return ""
    items = []
    current_part = None
    for section_id in shown:
        part = sections[section_id]["part"]
        if part != current_part and part in PARTS:
            items.append(f"<div class='part'>{ui.esc(label(PARTS, part, lang))}</div>")
        current_part = part
        items.append(
            f"<div><a href='#sec-{ui.esc(section_id)}'>"
            f"{ui.esc(section_title(sections, section_id, lang))}</a></div>"
        )
    return (
        f"<nav class='briefing-toc' aria-label='{ui.esc(t('contents', lang))}'>"
        f"{''.join(items)}</nav>"
    )


def section_html(section_id: str, title: str, paragraphs: str) -> str:
    """One section of the report: its title, then its paragraphs' HTML."""
    return (
        f"<section class='sec' id='sec-{ui.esc(section_id)}'>"
        f"<div class='sec-title'>{ui.esc(title)}</div>{paragraphs}</section>"
    )


def paragraph_html(
    row: Mapping[str, Any],
    marks: Sequence[text.Span],
    facts: Sequence[Mapping[str, Any]],
    places: Places,
    lang: str,
) -> str:
    """A paragraph of the report: search hits marked, its facts underlined and listed."""
    pid = str(row["paragraph_id"])
    body = str(row["text"])
    notes = []
    for fact in facts:
        start = body.find(str(fact["quote"]))
        if start >= 0:
            end = start + len(str(fact["quote"]))
            notes.append(text.Note(start, end, fact_line(fact, lang), str(fact["fact_id"])))
    content = text.annotate(body, marks, notes)
    anchor = f"para-{ui.esc(pid)}"
    role = row["role"]
    if role == "part_heading":
        return f"<h3 class='para part-heading' id='{anchor}' lang='zh-CN'>{content}</h3>"
    if role == "heading":
        return (
            f"<div class='para heading' id='{anchor}' role='heading' aria-level='3' "
            f"lang='zh-CN'>{content}</div>"
        )
    if role == "meta":
        return f"<div class='para meta' id='{anchor}' lang='zh-CN'>{content}</div>"
    place = ui.esc(places.label(pid, lang))
    link = (
        f"<a class='pid' href='#{anchor}' title='{place}' aria-label='{place}'>"
        f"¶{places.number(pid)}</a>"
    )
    listing = ""
    if facts:
        items = "".join(
            f"<li data-fact='{ui.esc(fact['fact_id'])}'>{ui.esc(fact_line(fact, lang))}</li>"
            for fact in facts
        )
        summary = ui.esc(t("facts_in_paragraph", lang, n=len(facts)))
        listing = f"<details><summary>{summary}</summary><ul>{items}</ul></details>"
    return (
        f"<div class='para' id='{anchor}'><p>{link}<span lang='zh-CN'>{content}</span></p>"
        f"{listing}</div>"
    )


def fact_line(fact: Mapping[str, Any], lang: str) -> str:
    """A fact as it reads beside its quote: indicator and value, in the language."""
    separator = ":" if lang == "zh" else ": "
    return f"{display.indicator(fact, lang)}{separator}{display.value_text(fact, lang)}"


__all__ = [
    "counts_html",
    "fact_line",
    "found_html",
    "front_html",
    "hits_html",
    "paragraph_html",
    "section_html",
    "section_title",
    "summary_html",
    "toc_html",
]
