"""How a fact reads on screen, in Chinese as the report writes it or in plain English.

Pure functions, no widgets: the qualifier (超, 以上, 近, 余 ...) always stays visible.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from briefing import frames, numbers
from briefing.i18n import tr
from briefing.vocab import (
    COMPARATORS,
    KINDS,
    PARTS,
    QUALIFIERS,
    SCOPE_FIELDS,
    SCOPES,
    SECTORS,
    label,
)

_AFTER_ZH = {"余", "以上", "左右"}
_AFTER_EN = {"以上"}
_PLURAL_EN = {"年": "year", "月": "month", "天": "day", "夜": "night"}
_ORDINAL_ZH = "零一二三四五六七八九十"
#: How the report may write a scope: 佛山唯一 is the only one in the city.
_SCOPE_AS_WRITTEN = {"全市": ("佛山",), "全省": ("广东省", "广东"), "全国": ("我国",)}


def number_text(value: float) -> str:
    """A number with thousands separators, without a trailing ``.0``.

    Examples
    --------
    >>> number_text(11373.6), number_text(1028.0), number_text(0.5), number_text(5.87e9)
    ('11,373.6', '1,028', '0.5', '5,870,000,000')
    """
    if float(value).is_integer():
        return f"{int(value):,}"
    return f"{value:,.6f}".rstrip("0").rstrip(".")


def value_text(fact: Mapping[str, Any], lang: str = "zh") -> str:
    """The value of a fact with its unit and qualifier.

    Examples
    --------
    >>> value_text({"value": 58.7, "unit": "亿元", "qualifier": "", "kind": "money"})
    '58.7亿元'
    >>> value_text({"value": 300, "unit": "万元", "qualifier": "余", "kind": "money"})
    '300余万元'
    >>> value_text({"value": 300, "unit": "万元", "qualifier": "余", "kind": "money"}, "en")
    'more than 3 million yuan'
    >>> value_text({"value": 250, "unit": "亿元", "qualifier": "超", "kind": "money"}, "en")
    'over 25 billion yuan'
    >>> rank = {"value": 4, "unit": "名", "qualifier": "", "kind": "rank", "scope": "全省"}
    >>> value_text(rank), value_text(rank, "en")
    ('全省第四', 'No. 4 in the province')
    >>> value_text({"value": 40, "unit": "家", "qualifier": "以上", "kind": "count"}, "en")
    '40 or more'
    >>> first = {"value": 1, "unit": "宗", "qualifier": "", "kind": "distinction",
    ...          "scope": "全区", "quote": "成为全区首宗村级工业园挂账收储项目"}
    >>> value_text(first), value_text(first, "en")
    ('全区首宗', 'the first in the district')
    >>> target = {"value": 1, "unit": "个", "qualifier": "", "kind": "count",
    ...           "comparator": "at_least"}
    >>> value_text(target), value_text(target, "en")
    ('不少于1个', 'at least 1')
    """
    value = float(fact["value"])
    unit = str(fact["unit"])
    qualifier = str(fact.get("qualifier") or "")
    kind = str(fact["kind"])
    scope = str(fact.get("scope") or "")
    if kind == "distinction":
        return distinction_text(fact, lang)
    comparator = str(fact.get("comparator") or "")
    if not qualifier and comparator not in ("", "exactly"):
        # A bound the report states in words (争取实现零的突破: at least 1), not a qualifier.
        plain = value_text({**fact, "comparator": ""}, lang)
        return f"{label(COMPARATORS, comparator, lang)}{' ' if lang == 'en' else ''}{plain}"
    if lang == "en":
        return _value_text_en(value, unit, qualifier, kind, scope)
    if kind == "rank":
        return f"{scope}第{_zh_ordinal(value)}"
    if kind == "ordinal":
        return f"第{number_text(value)}{unit}"
    if kind == "top_n":
        return f"{_zh_ordinal(value)}佳"
    if unit == "星级":
        return f"{_zh_ordinal(value)}星级"
    if unit == "年一遇":
        return "百年一遇" if value == 100 else f"{number_text(value)}年一遇"
    number = number_text(value)
    if qualifier in _AFTER_ZH:
        # 300余万元: the report puts 余 between the number and its unit; 以上/左右 at the end.
        return f"{number}余{unit}" if qualifier == "余" else f"{number}{unit}{qualifier}"
    return f"{qualifier}{number}{unit}"


def distinction_text(fact: Mapping[str, Any], lang: str = "zh") -> str:
    """A first or an only one as a badge reads: 全区首个 / "the first in the district".

    The word is the report's own (首个, 首座, 唯一一家, 第一家), found in the quote.

    Examples
    --------
    >>> fact = {"scope": "全国", "scope_field": "印染行业", "unit": "个",
    ...         "quote": "顺利启动全国印染行业首个集碳捕集与固化使用于一体的示范项目"}
    >>> distinction_text(fact), distinction_text(fact, "en")
    ('全国印染行业首个', 'the first in the printing and dyeing industry in the country')
    >>> only = {"scope": "三水北部", "unit": "家", "quote": "成为三水北部唯一一家二星级养老机构"}
    >>> distinction_text(only), distinction_text(only, "en")
    ('三水北部唯一一家', 'the only one in northern Sanshui')
    >>> foshan = {"scope": "全市", "unit": "", "quote": "用好用活佛山唯一精细化工专区的金字招牌"}
    >>> distinction_text(foshan), distinction_text(foshan, "en")
    ('佛山唯一', 'the only one in the city')
    """
    scope = str(fact.get("scope") or "")
    field = str(fact.get("scope_field") or "")
    quote = str(fact.get("quote") or "")
    found = numbers.find_distinctions(quote)
    word = found[0].text if found else f"首{fact.get('unit') or ''}"
    if lang != "en":
        # As the report words it: 佛山唯一 rather than 全市唯一.
        before = quote[: found[0].start] if found else ""
        for where in (scope, *_SCOPE_AS_WRITTEN.get(scope, ())):
            if before.endswith(f"{where}{field}"):
                return f"{where}{field}{word}"
        return f"{scope}{field}{word}"
    head = "the only one" if word.startswith("唯一") else "the first"
    places = []
    if field:
        places.append(f"the {label(SCOPE_FIELDS, field, 'en')}")
    if scope:
        where = label(SCOPES, scope, "en")
        places.append(where if scope == "三水北部" else f"the {where}")
    return " in ".join([head, *places])


def _zh_ordinal(value: float) -> str:
    n = int(value)
    return _ORDINAL_ZH[n] if 0 <= n <= 10 and n == value else number_text(value)


def _value_text_en(value: float, unit: str, qualifier: str, kind: str, scope: str) -> str:
    words = label(QUALIFIERS, qualifier, "en")
    if kind == "rank":
        return f"No. {number_text(value)} in the {label(SCOPES, scope, 'en')}"
    if kind == "ordinal":
        where = f" in {label(SCOPES, scope, 'en')}" if scope else ""
        return f"No. {number_text(value)}{where}"
    if kind == "top_n":
        return f"top {number_text(value)}"
    if unit == "万元" or unit == "亿元" or unit == "元":
        factor = {"元": 1.0, "万元": 1e4, "亿元": 1e8}[unit]
        core = _money_en(value * factor)
    elif unit == "万平方米":
        core = f"{number_text(value * 1e4)} m²"
    elif unit == "平方米":
        core = f"{number_text(value)} m²"
    elif unit == "亩":
        core = f"{number_text(value)} mu"
    elif unit == "%":
        core = f"{number_text(value)}%"
    elif unit in _PLURAL_EN:
        noun = _PLURAL_EN[unit]
        core = f"{number_text(value)} {noun}{'' if value == 1 else 's'}"
    elif unit == "星级":
        core = f"{number_text(value)}-star"
    elif unit == "级":
        core = f"level {number_text(value)}"
    elif unit == "年一遇":
        core = f"once in {number_text(value)} years"
    elif unit == "里":
        core = f"{number_text(value)} li ({number_text(value * 0.5)} km)"
    else:
        core = number_text(value)
    if not words:
        return core
    if qualifier in _AFTER_EN:
        return f"{core} {words}"
    return f"{words} {core}"


def _money_en(yuan: float) -> str:
    if yuan >= 1e9:
        return f"{number_text(round(yuan / 1e9, 6))} billion yuan"
    if yuan >= 1e6:
        return f"{number_text(round(yuan / 1e6, 6))} million yuan"
    return f"{number_text(yuan)} yuan"


def indicator(fact: Mapping[str, Any], lang: str) -> str:
    """The indicator's name in the language asked for."""
    return str(fact["indicator_en"] if lang == "en" else fact["indicator_zh"])


def part_label(part: str, lang: str) -> str:
    """2022年工作回顾 / 2022 review."""
    return label(PARTS, part, lang)


def sector_label(sector: str, lang: str) -> str:
    """产业发展 / Industry, ..."""
    return label(SECTORS, sector, lang)


def kind_label(kind: str, lang: str) -> str:
    """数量 / Count, ..."""
    return label(KINDS, kind, lang)


def deadline_text(commitment: Mapping[str, Any], lang: str) -> str:
    """A commitment's deadline as the report words it (zh), or in English from the data's
    ``deadline_en`` (else its date).

    Examples
    --------
    >>> c = {"deadline_zh": "尽快", "deadline": None, "deadline_en": "as soon as possible"}
    >>> deadline_text(c, "en"), deadline_text(c, "zh")
    ('as soon as possible', '尽快')
    >>> deadline_text({"deadline_zh": "今年", "deadline": "2023-12-31"}, "en")
    '2023-12-31'
    """
    if lang != "en":
        return str(commitment.get("deadline_zh") or "")
    english = commitment.get("deadline_en")
    if isinstance(english, str) and english:
        return english
    deadline = commitment.get("deadline")
    if deadline is not None and str(deadline) not in ("NaT", "nan", "None", ""):
        return str(deadline)[:10]
    return ""


def commitment_extras(commitment: Mapping[str, Any], facts: Any, lang: str) -> list[str]:
    """What a line about a 2023 commitment says beside its title: its target (the report's
    figure) and its deadline, each labelled. ``facts`` is the facts table indexed by id.

    Examples
    --------
    >>> c = {"target_fact_id": "", "deadline_zh": "尽快", "deadline_en": "as soon as possible"}
    >>> commitment_extras(c, None, "en"), commitment_extras(c, None, "zh")
    (['Deadline: as soon as possible'], ['时限: 尽快'])
    """
    extras = []
    if commitment.get("target_fact_id"):
        fact = frames.record(facts, commitment["target_fact_id"])
        extras.append(f"{tr('target', lang)}: {value_text(fact, lang)}")
    when = deadline_text(commitment, lang) if commitment.get("deadline_zh") else ""
    if when:
        extras.append(f"{tr('deadline', lang)}: {when}")
    return extras
