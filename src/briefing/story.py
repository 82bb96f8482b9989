"""The first screen's story: three to five headline claims, each one line built from the data.

A claim is a sentence (2022年招商引资额58.7亿元，2023年目标超250亿元 / Investment attracted:
5.87 billion yuan in 2022; 2023 target: over 25 billion yuan), its figure, and the facts it
rests on; a click on it shows the quote (see :mod:`briefing.bridge`). No figure is written
by hand: every word around the numbers comes from the indicator names and the vocabularies.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from briefing import charts, display, figures, frames, ui

if TYPE_CHECKING:
    import pandas as pd

MAX_CLAIMS = 5
_TRAILING_NOTE = re.compile(r"\s*[（(][^（()）]*[）)]\s*$")
_RANK_SUFFIX = re.compile(r"[:,：，]?\s*(rank in the [a-z ]+|排名)$")


@dataclass(frozen=True)
class Claim:
    """One headline claim: its sentence, its figure, and the ids of the facts behind it."""

    sentence: str
    figure: str
    fact_ids: tuple[str, ...]


def _name(fact: Mapping[str, Any], lang: str) -> str:
    """The indicator without its trailing note in brackets (the source panel gives it)."""
    return _TRAILING_NOTE.sub("", display.indicator(fact, lang)).strip()


def pair_claim(result: Mapping[str, Any], target: Mapping[str, Any], lang: str) -> Claim:
    """2022年招商引资额58.7亿元，2023年目标超250亿元.

    Examples
    --------
    >>> r = {"fact_id": "a", "indicator_zh": "招商引资额", "indicator_en": "Investment attracted",
    ...      "value": 58.7, "unit": "亿元", "qualifier": "", "kind": "money"}
    >>> t = {**r, "fact_id": "b", "value": 250, "qualifier": "超"}
    >>> pair_claim(r, t, "zh").sentence
    '2022年招商引资额58.7亿元，2023年目标超250亿元'
    >>> pair_claim(r, t, "en").sentence
    'Investment attracted: 5.87 billion yuan in 2022; 2023 target: over 25 billion yuan'
    """
    before, after = display.value_text(result, lang), display.value_text(target, lang)
    if lang == "en":
        sentence = f"{_name(result, lang)}: {before} in 2022; 2023 target: {after}"
    else:
        sentence = f"2022年{_name(result, lang)}{before}，2023年目标{after}"
    return Claim(sentence, f"{before} → {after}", (str(result["fact_id"]), str(target["fact_id"])))


def main_targets_claim(facts: Sequence[Mapping[str, Any]], lang: str) -> Claim:
    """2023年主要预期目标：地区生产总值增长6%、工业投资增长10%."""
    parts = [f"{_name(f, lang)} {display.value_text(f, lang)}" for f in facts]
    if lang == "en":
        sentence = "Main targets for 2023: " + "; ".join(parts)
    else:
        sentence = "2023年主要预期目标：" + "、".join(p.replace(" ", "") for p in parts)
    figure = " · ".join(display.value_text(f, lang) for f in facts)
    return Claim(sentence, figure, tuple(str(f["fact_id"]) for f in facts))


def rank_claim(fact: Mapping[str, Any], lang: str) -> Claim:
    """空气质量排名：全市第3 / Air quality ranking: 3rd in the city."""
    place = figures.rank_text(fact, lang)
    name = _RANK_SUFFIX.sub("", _name(fact, lang)).strip()
    sentence = f"{name}: {place}" if lang == "en" else f"{name}：{place}"
    return Claim(sentence, place, (str(fact["fact_id"]),))


def result_claim(fact: Mapping[str, Any], lang: str) -> Claim:
    """2022年新签约项目58个 / Newly signed projects: 58 in 2022."""
    value = display.value_text(fact, lang)
    if fact["part"] == "tasks_2023":
        sentence = (
            f"2023 target: {_name(fact, lang)}, {value}"
            if lang == "en"
            else f"2023年目标：{_name(fact, lang)}{value}"
        )
    elif lang == "en":
        sentence = f"{_name(fact, lang)}: {value} in 2022"
    else:
        sentence = f"2022年{_name(fact, lang)}{value}"
    return Claim(sentence, value, (str(fact["fact_id"]),))


def claims(facts: pd.DataFrame, all_facts: pd.DataFrame, lang: str) -> list[Claim]:
    """Three to five claims for these facts: the linked result→target pairs first, then a
    first place or distinction, then the headline results and targets, money first."""
    chosen: list[Claim] = []
    used: set[str] = set()
    records = frames.records(facts)

    def add(claim: Claim) -> None:
        if len(chosen) < MAX_CLAIMS and not used.intersection(claim.fact_ids):
            chosen.append(claim)
            used.update(claim.fact_ids)

    main = [f for f in records if f["sector"] == "overall" and f["part"] == "tasks_2023"]
    if main:
        add(main_targets_claim(main, lang))
    for result, target in charts.comparable_pairs(facts, all_facts)[:2]:
        add(pair_claim(result, target, lang))
    firsts = [f for f in records if f["kind"] == "rank" and float(f["value"]) == 1]
    for fact in [f for f in records if f["kind"] == "distinction"][:1] + firsts[:1]:
        if fact["kind"] == "rank":
            add(rank_claim(fact, lang))
        else:
            figure = display.value_text(fact, lang)
            figure = figure[:1].upper() + figure[1:] if lang == "en" else figure
            add(Claim(_name(fact, lang), figure, (str(fact["fact_id"]),)))
    if not any(
        f["part"] == "tasks_2023" for c in chosen for f in records if f["fact_id"] in c.fact_ids
    ):
        # What the sector promises: one 2023 target, the headline one first.
        targets = [f for f in records if f["part"] == "tasks_2023" and f["kind"] != "distinction"]
        targets.sort(key=lambda f: not _is_true(f.get("headline")))
        for fact in targets[:1]:
            add(result_claim(fact, lang))
    headline = [f for f in records if _is_true(f.get("headline")) and f["kind"] != "rank"]
    order = {"money": 0, "area": 1, "ratio": 2, "count": 3}
    headline.sort(key=lambda f: (f["part"] != "review_2022", order.get(str(f["kind"]), 4)))
    for fact in headline:
        add(result_claim(fact, lang))
    return chosen


def _is_true(value: Any) -> bool:
    return value is True or str(value).lower() == "true"


def claims_html(items: Sequence[Claim], lang: str) -> str:
    """The claims as a list; each line is clickable (its facts' ids in ``data-fact-id``)."""
    title = "Key points" if lang == "en" else "要点"
    hint = (
        "Click a line to see the report's own words."
        if lang == "en"
        else "点击任一句，查看报告原文。"
    )
    rows = []
    for claim in items:
        rows.append(
            f"<li><button type='button' class='briefing-claim' "
            f"data-fact-id='{ui.esc(claim.fact_ids[-1])}'><span class='fig'>"
            f"{ui.esc(claim.figure)}</span><span class='s'>{ui.esc(claim.sentence)}</span>"
            "</button></li>"
        )
    return (
        ui.heading(title)
        + f"<ul class='briefing-claims'>{''.join(rows)}</ul>"
        + f"<div class='briefing-muted'>{ui.esc(hint)}</div>"
    )
