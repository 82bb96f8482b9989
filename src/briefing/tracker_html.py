"""The commitments tracker's strings, colours and HTML: badges, measures, updates, titles.

Pure functions, escaped throughout. Commitment and paragraph ids never appear as text.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any, Final

from briefing import display, progress, ui

if TYPE_CHECKING:
    from briefing.progress import Entry, Status

STRINGS: Final[dict[str, tuple[str, str]]] = {
    "area": ("任务板块", "Task area"),
    "status": ("进展状态", "Status"),
    "summary": ("进展概况", "Summary"),
    "timeline": ("进展记录时间线", "Timeline of updates"),
    "no_updates": (
        "尚无进展记录。工作人员登记进展后,这里会显示每项任务的最新情况。",
        "No progress has been recorded yet. Once staff record updates, each task's latest "
        "state appears here.",
    ),
    "no_match": ("当前筛选条件下没有工作任务。", "No commitments match the current filters."),
    "latest": ("最新数值", "Latest value"),
    "target": ("目标", "target"),
    "met": ("已达到目标", "target met"),
    "not_met": ("尚未达到目标", "target not yet met"),
    "no_value": ("尚无数值", "no value recorded yet"),
    "updates": ("进展记录", "Updates"),
    "date": ("日期", "Date"),
    "note": ("说明", "Note"),
    "evidence": ("佐证材料", "Evidence"),
    "value": ("数值", "Value"),
    "deadline": ("时限", "Deadline"),
    "source": ("报告原文", "In the report"),
    "as_of": ("数据截至", "Latest update"),
    "commitments": ("项任务", "commitments"),
    "main_targets": ("主要目标", "Main targets"),
    "shown": ("显示", "Showing"),
    "baseline": ("2022年", "2022"),
    "by_area": ("各板块任务进展", "Commitments by area and status"),
    "count": ("任务数", "Commitments"),
}

#: How each comparator reads beside a target.
COMPARATOR_TEXT: Final[dict[str, tuple[str, str]]] = {
    "gt": ("须超过目标值", "must exceed the target"),
    "ge": ("达到或超过目标值即可", "reaching the target is enough"),
    "lt": ("须低于目标值", "must stay below the target"),
    "le": ("不高于目标值即可", "at most the target"),
    "approx": (
        f"与目标值相差不超过±{progress.APPROX_TOLERANCE:.0%}",
        f"within ±{progress.APPROX_TOLERANCE:.0%} of the target",
    ),
}

#: Okabe-Ito hues (distinguishable with the common colour-vision deficiencies), each with a
#: light tint for the badge and a symbol, so the state never rests on colour alone.
STATE_STYLE: Final[dict[str, tuple[str, str, str, str]]] = {
    # state: (hue, tint, symbol, chart shape)
    "done": ("#009E73", "#d4f0e7", "✓", "circle"),
    "in_progress": ("#0072B2", "#d6e8f4", "▶", "triangle-right"),
    "at_risk": ("#D55E00", "#f9e0cf", "!", "diamond"),
    "not_started": ("#CC79A7", "#f5e4ee", "○", "square"),
    "dropped": ("#000000", "#e6e6e6", "✕", "cross"),
    progress.NO_DATA: ("#8c959f", "#ffffff", "–", "stroke"),
}

_ZH_NUMERALS = "〇一二三四五六七八九"

STYLE: Final = """
<style>
.briefing-badge { display: inline-block; border: 2px solid; border-radius: 11px;
  padding: 0 8px; font-size: 13px; font-weight: 600; color: #1b1b1b; white-space: nowrap;
  line-height: 1.6; }
.briefing-badge-no_data { border-style: dashed; }
.briefing-commitment { border-bottom: 1px solid #e1e4e8; padding: 8px 0; }
.briefing-commitment .t { font-weight: 600; margin-left: 6px; }
.briefing-commitment .m { margin: 4px 0 0 2px; }
.briefing-commitment .met { color: #00684c; font-weight: 600; }
.briefing-commitment .unmet { color: #8a3a00; font-weight: 600; }
.briefing-commitment details { margin-top: 4px; }
.briefing-commitment blockquote { margin: 4px 0 0 0; padding: 2px 10px;
  border-left: 3px solid var(--briefing-tasks, #C26E00); color: #3d444d; font-size: 14px; }
.briefing-counts-row { display: flex; flex-wrap: wrap; gap: 8px; margin: 6px 0; }
</style>
"""


def t(key: str, lang: str) -> str:
    """A string of this app in a language.

    Examples
    --------
    >>> t("summary", "en")
    'Summary'
    """
    zh, en = STRINGS[key]
    return en if lang == "en" else zh


# --------------------------------------------------------------------------- pure HTML


def badge(state: str, lang: str) -> str:
    """A state as a coloured badge with a symbol and its label (escaped HTML).

    Examples
    --------
    >>> badge("done", "en")  # doctest: +ELLIPSIS
    "<span class='briefing-badge briefing-badge-done' data-state='done' style='...'>✓ Done</span>"
    """
    hue, tint, symbol, _shape = STATE_STYLE[state]
    text = f"{symbol} {progress.status_label(state, lang)}"
    return (
        f"<span class='briefing-badge briefing-badge-{ui.esc(state)}' data-state='{ui.esc(state)}'"
        f" style='border-color: {hue}; background: {tint}'>{ui.esc(text)}</span>"
    )


def evidence_html(evidence: str) -> str:
    """Evidence as escaped text, or as a link when it is an http(s) address.

    Examples
    --------
    >>> evidence_html("会议纪要(2023)第5号")
    '会议纪要(2023)第5号'
    >>> evidence_html("https://example.org/a?b=1&c=2")  # doctest: +NORMALIZE_WHITESPACE
    "<a href='https://example.org/a?b=1&amp;c=2' target='_blank'
    rel='noopener noreferrer'>https://example.org/a?b=1&amp;c=2</a>"
    >>> evidence_html("javascript:alert(1)")
    'javascript:alert(1)'
    """
    lowered = evidence.lower()
    if lowered.startswith(("https://", "http://")) and not any(ch.isspace() for ch in evidence):
        link = ui.esc(evidence)
        return f"<a href='{link}' target='_blank' rel='noopener noreferrer'>{link}</a>"
    return ui.esc(evidence)


def value_text(value: float, unit: str, kind: str, lang: str) -> str:
    """A recorded value with its unit, written like the report's figures.

    Examples
    --------
    >>> value_text(120, "亿元", "money", "zh"), value_text(120, "亿元", "money", "en")
    ('120亿元', '12 billion yuan')
    """
    return display.value_text({"value": value, "unit": unit, "qualifier": "", "kind": kind}, lang)


def measure_html(status: Status, fact: Mapping[str, Any], lang: str) -> str:
    """ "120亿元 / 目标 超250亿元", whether it is met, and how the target is compared."""
    target = status.target
    if target is None:
        return ""
    goal = f"{t('target', lang)} {display.value_text(fact, lang)}"
    if lang == "en":
        goal = f"{t('target', lang)}: {display.value_text(fact, lang)}"
    rule = COMPARATOR_TEXT[target.comparator][1 if lang == "en" else 0]
    entry = status.value_entry
    if entry is None or entry.value is None:
        shown = f"{t('no_value', lang)} / {goal}"
        verdict = ""
    else:
        shown = f"{value_text(entry.value, entry.unit, target.kind, lang)} / {goal}"
        shown += f" ({entry.date.isoformat()})"
        if status.met is None:
            verdict = ""
        elif status.met:
            verdict = f" · <span class='met'>✓ {ui.esc(t('met', lang))}</span>"
        else:
            verdict = f" · <span class='unmet'>{ui.esc(t('not_met', lang))}</span>"
    return (
        f"<div class='m'><span class='briefing-muted'>{ui.esc(t('latest', lang))}:</span> "
        f"<b>{ui.esc(shown)}</b>{verdict} "
        f"<span class='briefing-muted'>({ui.esc(rule)})</span></div>"
    )


def entries_html(entries: Sequence[Entry], kind: str, lang: str) -> str:
    """The updates of one commitment, newest first, as an escaped table in a ``<details>``."""
    if not entries:
        return ""
    rows = []
    for entry in sorted(entries, key=progress.order_key, reverse=True):
        value = "" if entry.value is None else value_text(entry.value, entry.unit, kind, lang)
        rows.append(
            f"<tr><td>{ui.esc(entry.date.isoformat())}</td><td>{badge(entry.status, lang)}</td>"
            f"<td>{ui.esc(value)}</td><td{_lang_of(entry.note)}>{ui.esc(entry.note)}</td>"
            f"<td{_lang_of(entry.evidence)}>{evidence_html(entry.evidence)}</td></tr>"
        )
    header = "".join(
        f"<th>{ui.esc(t(key, lang))}</th>"
        for key in ("date", "status", "value", "note", "evidence")
    )
    return (
        f"<details><summary>{ui.esc(t('updates', lang))} ({len(entries)})</summary>"
        f"<table class='briefing-table'><thead><tr>{header}</tr></thead>"
        f"<tbody>{''.join(rows)}</tbody></table></details>"
    )


def _lang_of(words: str) -> str:
    """`` lang='zh-CN'`` for staff's words written in Chinese (they are shown as recorded)."""
    return " lang='zh-CN'" if any("\u3400" <= ch <= "\u9fff" for ch in words) else ""


def area_title(sections: Mapping[str, Mapping[str, Any]], area: str, lang: str) -> str:
    """The title of a task area: 主要目标, or 一、聚焦质量与效益… as the report numbers them."""
    if area == "t0":
        return t("main_targets", lang)
    section = sections[area]
    number = int(area[1:])
    if lang == "en":
        return f"{number}. {section['title_en']}"
    return f"{_ZH_NUMERALS[number]}、{section['title_zh']}"
