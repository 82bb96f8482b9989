"""Numbers in the report: parse Arabic and Chinese numerals, find mentions (firsts included).

Units and their conversions live in :mod:`briefing.units`; their names are re-exported here.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from decimal import Decimal
from itertools import pairwise
from typing import Literal

from briefing.units import (
    UNITS,
    Unit,
    UnknownUnitError,
    area_in_mu,
    duration_in_months,
    format_value,
    mu_to_hectares,
    normalise,
    square_metres_to_mu,
)

__all__ = [
    "DISTINCTION_WORDS",
    "NON_DISTINCTION_WORDS",
    "NON_NUMERIC_WORDS",
    "UNITS",
    "NumberMention",
    "Unit",
    "UnknownUnitError",
    "area_in_mu",
    "duration_in_months",
    "find_distinctions",
    "find_numbers",
    "format_value",
    "mentions_value",
    "mu_to_hectares",
    "normalise",
    "parse_number",
    "square_metres_to_mu",
]

# --------------------------------------------------------------------------- parsing

_FULLWIDTH = str.maketrans("０１２３４５６７８９．", "0123456789.")
_ARABIC_NUMBER = re.compile(r"(?:[0-9]{1,3}(?:,[0-9]{3})+|[0-9]+)(?:\.[0-9]+)?")
_MIXED_NUMBER = re.compile(r"([0-9]+(?:\.[0-9]+)?)([十百千万亿]+)")

_ASCII_DIGITS = frozenset("0123456789")
_CN_DIGITS: dict[str, int] = {
    "零": 0,
    "〇": 0,
    "一": 1,
    "二": 2,
    "两": 2,
    "三": 3,
    "四": 4,
    "五": 5,
    "六": 6,
    "七": 7,
    "八": 8,
    "九": 9,
}
_CN_SMALL_UNITS: dict[str, int] = {"十": 10, "百": 100, "千": 1000}
_CN_MULTIPLIERS: dict[str, int] = {**_CN_SMALL_UNITS, "万": 10**4, "亿": 10**8}
_WAN = 10**4
_YI = 10**8


def parse_number(text: str) -> float:
    """Parse one numeral as the report writes it.

    Accepts Arabic numbers (optionally with thousands commas or full-width digits),
    Chinese numerals (零/〇 to 九, 两, 十, 百, 千, 万, 亿, 半 and ``X个半``) and an
    Arabic number followed by Chinese multipliers (``3万``). Units are not part of
    a numeral: ``"两年"`` is rejected.

    Parameters
    ----------
    text : str
        The numeral, surrounding whitespace ignored.

    Returns
    -------
    float
        Its value.

    Raises
    ------
    ValueError
        If ``text`` is not a numeral of one of the forms above.

    Examples
    --------
    >>> parse_number("143.34"), parse_number("1,028"), parse_number("５８")
    (143.34, 1028.0, 58.0)
    >>> parse_number("十一"), parse_number("一千零二十八"), parse_number("两亿")
    (11.0, 1028.0, 200000000.0)
    >>> parse_number("一个半"), parse_number("半")
    (1.5, 0.5)
    >>> parse_number("3万"), parse_number("1.5亿")
    (30000.0, 150000000.0)
    >>> parse_number("一流")
    Traceback (most recent call last):
    ...
    ValueError: cannot parse '一流' as a number: unexpected character '流'
    """
    stripped = text.strip()
    if not stripped:
        raise ValueError(f"cannot parse {text!r} as a number: it is empty")
    ascii_text = stripped.translate(_FULLWIDTH)
    if _ARABIC_NUMBER.fullmatch(ascii_text):
        return float(ascii_text.replace(",", ""))
    mixed = _MIXED_NUMBER.fullmatch(ascii_text)
    if mixed:
        return _parse_mixed(text, mixed[1], mixed[2])
    if any(ch in _ASCII_DIGITS for ch in ascii_text):
        raise _parse_error(text, "malformed Arabic number")
    if stripped == "半":
        return 0.5
    if stripped.endswith("个半") and len(stripped) > 2:
        return _parse_chinese_integer(text, stripped[:-2]) + 0.5
    return float(_parse_chinese_integer(text, stripped))


def _parse_error(text: str, reason: str) -> ValueError:
    return ValueError(f"cannot parse {text!r} as a number: {reason}")


def _parse_mixed(text: str, arabic: str, multipliers: str) -> float:
    """Value of an Arabic number followed by increasing Chinese multipliers (``3千万``)."""
    factors = [_CN_MULTIPLIERS[ch] for ch in multipliers]
    if any(a >= b for a, b in pairwise(factors)):
        raise _parse_error(text, f"multipliers {multipliers!r} out of order")
    return float(Decimal(arabic) * math.prod(factors))


def _parse_chinese_integer(text: str, numeral: str) -> int:
    """Value of a Chinese integer numeral such as ``一千零二十八``; ``text`` is for messages."""
    if numeral in ("零", "〇"):
        return 0
    total = 0  # completed 亿 part, already multiplied
    group = 0  # completed 万 part below 亿, already multiplied
    section = 0  # value below 万
    digit: int | None = None
    small_limit = _WAN  # the next 十/百/千 must be below this
    last_unit = 0
    after_zero = seen_wan = seen_yi = False
    for i, ch in enumerate(numeral):
        if ch in _CN_DIGITS:
            if digit is not None:
                raise _parse_error(text, f"two digits in a row at {ch!r}")
            if _CN_DIGITS[ch] == 0:
                if after_zero or last_unit == 0:
                    raise _parse_error(text, f"misplaced {ch!r}")
                after_zero = True
            else:
                digit = _CN_DIGITS[ch]
        elif ch in _CN_SMALL_UNITS:
            unit = _CN_SMALL_UNITS[ch]
            if unit >= small_limit:
                raise _parse_error(text, f"{ch!r} out of order")
            if digit is None:
                if i != 0:
                    raise _parse_error(text, f"{ch!r} has no digit before it")
                digit = 1
            section += digit * unit
            digit, small_limit, last_unit, after_zero = None, unit, unit, False
        elif ch == "万":
            pending = section + (digit or 0)
            if seen_wan or (pending == 0 and i != 0):
                raise _parse_error(text, "misplaced '万'")
            group = max(pending, 1) * _WAN
            section, digit, small_limit, last_unit = 0, None, _WAN, _WAN
            seen_wan, after_zero = True, False
        elif ch == "亿":
            pending = group + section + (digit or 0)
            if seen_yi or (pending == 0 and i != 0):
                raise _parse_error(text, "misplaced '亿'")
            total = max(pending, 1) * _YI
            group, section, digit, small_limit, last_unit = 0, 0, None, _WAN, _YI
            seen_yi, seen_wan, after_zero = True, False, False
        else:
            raise _parse_error(text, f"unexpected character {ch!r}")
    if digit is not None and last_unit > 10 and not after_zero:
        digit *= last_unit // 10  # 两万五 = 25000, 一百五 = 150
    elif digit is None and after_zero:
        raise _parse_error(text, "trailing '零'")
    return total + group + section + (digit or 0)


# --------------------------------------------------------------------------- scanning

NON_NUMERIC_WORDS: tuple[str, ...] = (
    # Words and idioms in which the numeral character is not a quantity.
    "进一步",  # "further"
    "一流",  # "first-class"
    "一些",  # "some"
    "一体",  # "integrated": 一体化, 于一体 (三位一体 keeps its 三)
    "一起",  # "together"
    "一支",  # "a (team of)"
    "一步",  # "a step": 关键一步
    "一往无前",  # idiom, "press ahead"
    "万众一心",  # idiom, "all of one mind"
    "一门式",  # "one-stop"
    "第三方",  # "third party"
    "一批",  # "a batch of", vague (第二批 is not affected)
    "新一轮",  # "a new round of", vague like 一批
    "一把手",  # "the top leader": 一把手工程
    "店小二",  # "shop assistant", a service metaphor
    "一二三产业",  # "primary, secondary and tertiary industries"
    "三产融合",  # "integration of the three sectors", a policy term
    # Time phrases meaning "the past year", not a counted year.
    "一年来",
    "过去一年",
    "这一年",
    # Names: places, roads, rivers, dykes, buildings, companies, honours.
    "三水",  # Sanshui district
    "南三",  # Nanhai-Sanshui cooperation
    "九曲河",  # a river
    "三强路",  # a road
    "日化一路",  # a road
    "五安围",  # a dyke
    "万豪",  # 万豪广场, a plaza
    "安亿",  # 佛山安亿纳米材料有限公司, a company
    "五四",  # May Fourth: 五四红旗团委
    "五一",  # May Day: 五一劳动奖状
    # Paired-policy terms whose 双 is not scanned anyway; masked for clarity.
    "双拥",
    "双碳",
    "双控",
    # Latin tokens whose digits are part of a name.
    "IPv6",
    "CO2",
)
"""Words masked before scanning because a numeral character in them is not a number.

Ordinals (第一), slogans (四个意识, 一村一品), congress names (二十大), section numbers
(一、) and phase names (一期) are numbers and are not listed here.
"""

_COUNTERS = "个家座宗所间项条块台只"
DISTINCTION_WORDS: tuple[str, ...] = (
    "首",
    "唯一",
    "第一家",
    "第一个",
    "第一座",
    "第一宗",
    "第一所",
    "零的突破",
)
"""Words that claim a first or an only one (首个, 首座, 首宗, 唯一一家, 第一家 ...): value 1.

首 and 唯一 may take a counter (首个, 唯一一家); 第一 counts as a distinction only with a
counter (第一家), since 排名全区第一 is a rank and 第一道防线 a figure of speech.
零的突破 ("a breakthrough from zero") is the first one, so it too is 1, never 0.
"""

NON_DISTINCTION_WORDS: tuple[str, ...] = (
    # Words in which 首 is not "the first (one)".
    "回首",  # "looking back"
    "首末站",  # "terminus" (first and last stop of a bus line)
    "首位",  # 摆在首位: "top priority", not a first
    "首创",  # 敢首创: "pioneering spirit", not a claim of a first
    "首要",  # "primary"
    "首先",  # "first of all"
    "首都",  # "capital city"
    "首长",  # "senior official"
    "首席",  # "chief"
    "首府",  # "capital"
)
"""Words masked before scanning for distinctions because their 首 claims no first."""

_DISTINCTION = re.compile(
    rf"零的突破|唯一(?:一[{_COUNTERS}])?|第一[{_COUNTERS}]|首[{_COUNTERS}届批]?"
)
_MASK = "\x00"
_CN_NUMERAL_CHARS = "零〇一二两三四五六七八九十百千万亿"
_ARABIC_RUN = re.compile(r"[0-9０-９]+(?:[.．][0-9０-９]+)?")
_CHINESE_RUN = re.compile(rf"[{_CN_NUMERAL_CHARS}]+个半|[{_CN_NUMERAL_CHARS}]+|半")
_DIGIT_CHARS = frozenset("0123456789０１２３４５６７８９")
_UNIT_MULTIPLIERS = frozenset("百千万亿")
_APPROXIMATORS = frozenset("余多")


@dataclass(frozen=True)
class NumberMention:
    """One numeral found in a text.

    Parameters
    ----------
    start, end : int
        Character offsets of the numeral in the scanned text (``text[start:end]``).
    text : str
        The numeral as written.
    value : float
        Its value.
    script : {"arabic", "chinese", "distinction"}
        Whether it is written in Arabic digits, in Chinese numerals, or is a word of
        distinction (首个, 唯一, 第一家: "the first", "the only one"), which counts as 1.
    """

    start: int
    end: int
    text: str
    value: float
    script: Literal["arabic", "chinese", "distinction"]


def _mask_non_numeric(text: str) -> str:
    """Blank out every `NON_NUMERIC_WORDS` occurrence, keeping offsets.

    Examples
    --------
    >>> _mask_non_numeric("进一步做好第一").replace("\\x00", "_")
    '___做好第一'
    """
    masked = text
    for word in NON_NUMERIC_WORDS:
        masked = masked.replace(word, _MASK * len(word))
    return masked


def find_distinctions(text: str) -> list[NumberMention]:
    """Find every word of distinction (首个, 首座, 唯一一家, 第一家 ...) in ``text``.

    Each counts as the number 1 (``script == "distinction"``). Words in
    `NON_DISTINCTION_WORDS` (回首, 首末站, 首位, 首创 ...) are skipped.

    Examples
    --------
    >>> [(m.text, m.value) for m in find_distinctions("成为全区首宗村级工业园挂账收储项目")]
    [('首宗', 1.0)]
    >>> [m.text for m in find_distinctions("全国印染行业首个示范项目,三水北部首座人行天桥")]
    ['首个', '首座']
    >>> [m.text for m in find_distinctions("三水北部唯一一家养老机构,佛山唯一精细化工专区")]
    ['唯一一家', '唯一']
    >>> [m.text for m in find_distinctions("引进三水北部第一家律师事务所,排名全区第一")]
    ['第一家']
    >>> [(m.text, m.value) for m in find_distinctions("争取实现国家级创新平台零的突破")]
    [('零的突破', 1.0)]
    >>> find_distinctions("公交首末站,摆在首位,敢首创,回首2022年,第一道防线")
    []
    """
    masked = text
    for word in NON_DISTINCTION_WORDS:
        masked = masked.replace(word, _MASK * len(word))
    return [
        NumberMention(m.start(), m.end(), m[0], 1.0, "distinction")
        for m in _DISTINCTION.finditer(masked)
    ]


def _is_unit_multiplier(masked: str, start: int, run: str) -> bool:
    """Whether a run like 亿 in ``58.7亿元`` or 万 in ``300余万元`` scales a preceding number."""
    if not set(run) <= _UNIT_MULTIPLIERS:
        return False
    before = start - 1
    if before >= 0 and masked[before] in _APPROXIMATORS:
        before -= 1
    return before >= 0 and masked[before] in _DIGIT_CHARS


def _chinese_mentions(start: int, run: str) -> list[NumberMention]:
    try:
        return [NumberMention(start, start + len(run), run, parse_number(run), "chinese")]
    except ValueError:
        return [
            NumberMention(start + i, start + i + 1, ch, parse_number(ch), "chinese")
            for i, ch in enumerate(run)
            if ch in _CN_NUMERAL_CHARS or ch == "半"
        ]


def find_numbers(text: str) -> list[NumberMention]:
    """Find every numeral in ``text``, in order of position.

    Arabic numerals are maximal digit runs with an optional decimal part; Chinese
    numerals are maximal runs of 零〇一二两三四五六七八九十百千万亿 (plus 半 and
    ``X个半``). Words in `NON_NUMERIC_WORDS` are skipped, and a 百/千/万/亿 right
    after an Arabic number (``58.7亿元``, ``300余万元``) is part of its unit, not a
    numeral of its own. A Chinese run that is not one number is split into characters.

    Parameters
    ----------
    text : str
        Any text.

    Returns
    -------
    list of NumberMention
        Sorted by ``start``.

    Examples
    --------
    >>> [(m.text, m.value) for m in find_numbers("仅用一个半月完成园区一期5436亩")]
    [('一个半', 1.5), ('一', 1.0), ('5436', 5436.0)]
    >>> [m.value for m in find_numbers("进一步做好大岗路,超1亿元项目9个")]
    [1.0, 9.0]
    >>> [(m.text, m.value, m.script) for m in find_numbers("成为三水北部唯一一家二星级机构")]
    [('唯一一家', 1.0, 'distinction'), ('二', 2.0, 'chinese')]
    """
    distinctions = find_distinctions(text)
    chars = list(_mask_non_numeric(text))
    for mention in distinctions:
        chars[mention.start : mention.end] = _MASK * (mention.end - mention.start)
    masked = "".join(chars)
    mentions = distinctions + [
        NumberMention(m.start(), m.end(), m[0], parse_number(m[0]), "arabic")
        for m in _ARABIC_RUN.finditer(masked)
    ]
    for m in _CHINESE_RUN.finditer(masked):
        if not _is_unit_multiplier(masked, m.start(), m[0]):
            mentions.extend(_chinese_mentions(m.start(), m[0]))
    return sorted(mentions, key=lambda mention: mention.start)


def mentions_value(text: str, value: float) -> bool:
    """Whether some numeral in ``text`` has ``value`` (relative tolerance 1e-9).

    Examples
    --------
    >>> mentions_value("完成年度投资额的143.34%", 143.34)
    True
    >>> mentions_value("仅用一个半月", 1.5), mentions_value("提前半年投产", 0.5)
    (True, True)
    >>> mentions_value("进一步做好", 1)
    False
    """
    return any(math.isclose(m.value, value, rel_tol=1e-9) for m in find_numbers(text))
