"""Figures that are not drawn as bars: ranks by field, ratings and levels, distinctions, and
figures with nothing alike to stand beside (a chart of one bar is a card).

Pure HTML builders (escaped), no widgets. Every card carries ``data-fact-id``, so a click
on it shows its source like a click on a bar (see :mod:`briefing.bridge`).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from briefing import charts, display, ui
from briefing.vocab import SCOPES, label

#: Order of the fields a rank is taken in, smallest first.
FIELD_ORDER = ("三水北部", "全区", "全市", "全省", "全国", "")


def ordinal_en(n: int) -> str:
    """1st, 2nd, 3rd, 4th, 11th, 21st.

    Examples
    --------
    >>> [ordinal_en(n) for n in (1, 2, 3, 4, 11, 12, 13, 21, 22)]
    ['1st', '2nd', '3rd', '4th', '11th', '12th', '13th', '21st', '22nd']
    """
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def rank_text(fact: Mapping[str, Any], lang: str) -> str:
    """A rank as words: 全区第一 / 1st in the district; "1st of N" where the data gives N.

    Examples
    --------
    >>> fact = {"value": 1, "scope": "全区", "kind": "rank"}
    >>> rank_text({**fact, "unit": "名"}, "zh"), rank_text(fact, "en")
    ('全区第一', '1st in the district')
    >>> rank_text({**fact, "rank_of": 8}, "en")
    '1st of 8 in the district'
    """
    place = int(float(fact["value"]))
    scope = charts.column(fact, "scope")
    of = charts.column(fact, "rank_of")
    if lang == "en":
        field = label(SCOPES, scope, "en") if scope in SCOPES else ""
        text = ordinal_en(place) + (f" of {int(float(of))}" if of else "")
        return f"{text} in the {field}" if field else text
    return display.value_text(fact, "zh") + (f"（共{int(float(of))}名）" if of else "")


def field_title(scope: str, lang: str) -> str:
    """The heading of a group of ranks: 全区排名 / In the district."""
    if lang == "en":
        name = label(SCOPES, scope, "en") if scope in SCOPES else ""
        return f"Ranked in the {name}" if name else "Ranked"
    return f"{scope}排名" if scope else "排名"


def _card(fact: Mapping[str, Any], value: str, lang: str, extra_class: str = "") -> str:
    html = ui.card(
        value,
        display.indicator(fact, lang),
        note=display.part_label(str(fact["part"]), lang),
        fact_id=str(fact["fact_id"]),
    )
    if extra_class:
        html = html.replace("class='briefing-card'", f"class='briefing-card {extra_class}'", 1)
    return html


def badge_text(fact: Mapping[str, Any], lang: str) -> str:
    """A distinction in words: its indicator, which names the first or only one and where."""
    return display.indicator(fact, lang)


def badge(fact: Mapping[str, Any], lang: str) -> str:
    """A distinction (a first, an only one) as a badge, clickable for its source."""
    return (
        f"<span class='briefing-badge' data-fact-id='{ui.esc(fact['fact_id'])}' role='button' "
        f"tabindex='0'>★ {ui.esc(badge_text(fact, lang))}</span>"
    )


def figures_html(facts: Sequence[Mapping[str, Any]], lang: str) -> str:
    """Cards for figures that are not bars: ranks grouped by field, levels as labels,
    distinctions as badges, then the single figures of their kind."""
    ranks = [f for f in facts if f["kind"] == "rank"]
    badges = [f for f in facts if f["kind"] == "distinction"]
    others = [f for f in facts if f["kind"] not in ("rank", "distinction")]
    blocks: list[str] = []
    if badges:
        blocks.append(
            f"<div class='briefing-badges'>{''.join(badge(f, lang) for f in badges)}</div>"
        )
    scopes = sorted(
        {charts.column(f, "scope") for f in ranks},
        key=lambda s: FIELD_ORDER.index(s) if s in FIELD_ORDER else len(FIELD_ORDER),
    )
    for scope in scopes:
        members = [f for f in ranks if charts.column(f, "scope") == scope]
        cards = [_card(f, rank_text(f, lang), lang, "briefing-rank") for f in members]
        blocks.append(
            f"<h3 class='briefing-field'>{ui.esc(field_title(scope, lang))}</h3>"
            + ui.card_grid(cards)
        )
    if others:
        title = "Other figures" if lang == "en" else "其他数字"
        cards = [_card(f, display.value_text(f, lang), lang) for f in others]
        blocks.append(f"<h3 class='briefing-field'>{ui.esc(title)}</h3>" + ui.card_grid(cards))
    return "".join(blocks)
