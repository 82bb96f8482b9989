"""Tests for briefing.numbers: numeral parsing, unit normalisation and the numeral scanner."""

from __future__ import annotations

import math
from collections import Counter

import pytest

from briefing.numbers import (
    DISTINCTION_WORDS,
    NON_DISTINCTION_WORDS,
    NON_NUMERIC_WORDS,
    UNITS,
    NumberMention,
    Unit,
    UnknownUnitError,
    area_in_mu,
    duration_in_months,
    find_distinctions,
    find_numbers,
    format_value,
    mentions_value,
    mu_to_hectares,
    normalise,
    parse_number,
    square_metres_to_mu,
)
from briefing.paths import data_dir

REPORT_MENTIONS = 193
REPORT_ARABIC_MENTIONS = 92
REPORT_CHINESE_MENTIONS = 93
#: The report's firsts and only ones, in order (零的突破 is the first one, a target of 1).
REPORT_DISTINCTIONS = ["首宗", "首个", "首座", "唯一一家", "第一家", "首个", "唯一", "零的突破"]


@pytest.fixture(scope="module")
def report() -> str:
    return (data_dir() / "report" / "report.txt").read_text(encoding="utf-8")


def _values(text: str) -> list[float]:
    return [m.value for m in find_numbers(text)]


# --------------------------------------------------------------------------- parse_number


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("58.7", 58.7),
        ("11373.6", 11373.6),
        ("143.34", 143.34),
        ("100", 100.0),
        ("3", 3.0),
        ("3.0", 3.0),
        ("1,028", 1028.0),
        ("1,234,567.5", 1234567.5),
        ("５８", 58.0),
        (" 7 ", 7.0),
        ("零", 0.0),
        ("〇", 0.0),
        ("一", 1.0),
        ("九", 9.0),
        ("两", 2.0),
        ("十", 10.0),
        ("十一", 11.0),
        ("十三", 13.0),
        ("二十", 20.0),
        ("二十八", 28.0),
        ("百", 100.0),
        ("一百零五", 105.0),
        ("一千零二十八", 1028.0),
        ("三万", 30000.0),
        ("十万", 100000.0),
        ("两万五", 25000.0),
        ("一万零五百", 10500.0),
        ("两亿", 2e8),
        ("亿", 1e8),
        ("一亿三千万", 1.3e8),
        ("半", 0.5),
        ("一个半", 1.5),
        ("两个半", 2.5),
        ("3万", 30000.0),
        ("1.5亿", 1.5e8),
        ("58.7亿", 5.87e9),
        ("3千万", 3e7),
    ],
)
def test_parse_number(text: str, expected: float) -> None:
    assert parse_number(text) == expected


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("", "empty"),
        ("   ", "empty"),
        ("abc", "unexpected character 'a'"),
        ("一流", "unexpected character '流'"),
        ("两年", "unexpected character '年'"),
        ("一二三", "two digits in a row"),
        ("十十", "out of order"),
        ("零五", "misplaced '零'"),
        ("一百零", "trailing '零'"),
        ("万万", "misplaced '万'"),
        ("一亿亿", "misplaced '亿'"),
        ("3万千", "out of order"),
        ("1,02", "malformed Arabic number"),
        ("-3", "malformed Arabic number"),
        ("1e5", "malformed Arabic number"),
        ("nan", "unexpected character 'n'"),
    ],
)
def test_parse_number_rejects(text: str, reason: str) -> None:
    with pytest.raises(ValueError, match=f"cannot parse {text!r} as a number: .*{reason}"):
        parse_number(text)


# --------------------------------------------------------------------------- units


def test_normalise_money() -> None:
    assert normalise(58.7, "亿元") == (5.87e9, "yuan")
    assert normalise(2555, "万元") == (2.555e7, "yuan")
    assert normalise(300, "元") == (300.0, "yuan")


@pytest.mark.parametrize(
    ("unit", "base"),
    [
        ("亩", "mu"),
        ("平方米", "square_metre"),
        ("%", "percent"),
        ("年", "year"),
        ("月", "month"),
        ("天", "day"),
        ("夜", "night"),
        *((classifier, "count") for classifier in "个家条件套宗块间项座类届批次"),
        ("名", "rank"),
        ("星级", "star_level"),
        ("级", "level"),
    ],
)
def test_normalise_unit_factor_one(unit: str, base: str) -> None:
    assert normalise(7, unit) == (7.0, base)


@pytest.mark.parametrize(
    ("unit", "en"),
    [
        ("元", "yuan"),
        ("亿元", "100 million yuan"),
        ("万元", "10,000 yuan"),
        ("亩", "mu"),
        ("平方米", "m²"),
        ("个", ""),
        ("名", ""),
        ("星级", "star"),
    ],
)
def test_unit_english_names(unit: str, en: str) -> None:
    assert UNITS[unit].en == en


def test_units_are_keyed_by_written_form_and_read_only() -> None:
    assert all(key == unit.written for key, unit in UNITS.items())
    assert UNITS["万元"] == Unit("万元", "yuan", 1e4, "10,000 yuan")
    with pytest.raises(TypeError):
        UNITS["斤"] = Unit("斤", "jin", 1.0, "jin")  # type: ignore[index]


def test_empty_unit_is_a_pure_index() -> None:
    assert normalise(3.04, "") == (3.04, "index")


@pytest.mark.parametrize("unit", ["斤", "亿", "万", "yuan"])
def test_unknown_unit(unit: str) -> None:
    with pytest.raises(UnknownUnitError, match=f"unknown unit {unit!r}") as info:
        normalise(1, unit)
    assert isinstance(info.value, ValueError)
    assert isinstance(info.value, KeyError)
    assert info.value.unit == unit


def test_bare_multiplier_is_not_money() -> None:
    with pytest.raises(ValueError, match="money units carry 元"):
        normalise(58.7, "亿")


def test_area_conversions() -> None:
    assert mu_to_hectares(15) == 1.0
    assert mu_to_hectares(5436) == 362.4
    assert square_metres_to_mu(10000) == 15.0
    assert area_in_mu(30000, "平方米") == 45.0
    assert area_in_mu(289.8, "亩") == 289.8
    with pytest.raises(ValueError, match="not an area unit"):
        area_in_mu(3, "年")
    with pytest.raises(UnknownUnitError):
        area_in_mu(3, "公顷")


def test_duration_in_months() -> None:
    assert duration_in_months(2, "年") == 24.0
    assert duration_in_months(0.5, "年") == 6.0
    assert duration_in_months(1.5, "月") == 1.5
    with pytest.raises(ValueError, match="not a duration"):
        duration_in_months(6, "天")


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (143.34, "143.34"),
        (7.0, "7"),
        (11373.6, "11373.6"),
        (0.0, "0"),
        (5.87e9, "5870000000"),
        (1e-5, "0.00001"),
        (-4.1, "-4.1"),
    ],
)
def test_format_value(value: float, expected: str) -> None:
    assert format_value(value) == expected


@pytest.mark.parametrize("value", [math.inf, math.nan])
def test_format_value_rejects_non_finite(value: float) -> None:
    with pytest.raises(ValueError, match="non-finite"):
        format_value(value)


# --------------------------------------------------------------------------- scanner


def test_scanner_arabic_sentence() -> None:
    text = "推动7个市重点项目全部动工,完成年度投资额的143.34%"
    assert find_numbers(text) == [
        NumberMention(2, 3, "7", 7.0, "arabic"),
        NumberMention(22, 28, "143.34", 143.34, "arabic"),
    ]


def test_scanner_one_and_a_half_months() -> None:
    text = "仅用一个半月完成园区一期5436亩征地任务"
    assert find_numbers(text) == [
        NumberMention(2, 5, "一个半", 1.5, "chinese"),
        NumberMention(10, 11, "一", 1.0, "chinese"),
        NumberMention(12, 16, "5436", 5436.0, "arabic"),
    ]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("进一步做好大岗路", []),
        ("排名全区第一", [1.0]),
        ("连续奋战6天5夜", [6.0, 5.0]),
        ("网站支持IPv6", []),
        ("烟气CO2捕集", []),
        ("2021-2022年度", [2021.0, 2022.0]),
        ("满意率100 %", [100.0]),
        ("3.0升级版园区", [3.0]),
        ("党的二十大", [20.0]),
        ("省委十三届二次全会", [13.0, 2.0]),
        ("一、聚焦质量与效益", [1.0]),
        ("“四纵三横”骨干交通网络", [4.0, 3.0]),
        ("提前半年投产", [0.5]),
        ("成为三水北部唯一一家", [1.0]),
        ("面对百年一遇的北江洪水", [100.0, 1.0]),
        ("“一村一品”", [1.0, 1.0]),
        ("其中超亿元项目11个", [1e8, 11.0]),
        ("完成招商引资额58.7亿元", [58.7]),
        ("投入300余万元引进CT机", [300.0]),
        ("总面积超3万平方米", [3.0]),
        ("年产值超“双10亿”", [10.0]),
        ("５８亩", [58.0]),
        ("", []),
    ],
)
def test_scanner_values(text: str, expected: list[float]) -> None:
    assert _values(text) == expected


def test_scanner_timestamp() -> None:
    mentions = find_numbers("发布时间:2023-01-29 16:14:09")
    assert [m.text for m in mentions] == ["2023", "01", "29", "16", "14", "09"]
    assert [m.value for m in mentions] == [2023.0, 1.0, 29.0, 16.0, 14.0, 9.0]


def test_scanner_splits_runs_that_are_not_one_number() -> None:
    assert find_numbers("四五") == [
        NumberMention(0, 1, "四", 4.0, "chinese"),
        NumberMention(1, 2, "五", 5.0, "chinese"),
    ]
    assert _values("一二三") == [1.0, 2.0, 3.0]


@pytest.mark.parametrize("word", NON_NUMERIC_WORDS)
def test_non_numeric_words_give_no_mentions(word: str) -> None:
    assert find_numbers(word) == []


def test_mentions_value() -> None:
    assert mentions_value("完成年度投资额的143.34%", 143.34)
    assert mentions_value("完成年度投资额的143.34%", 143.34 * (1 + 1e-12))
    assert not mentions_value("完成年度投资额的143.34%", 143.3)
    assert mentions_value("仅用一个半月完成", 1.5)
    assert mentions_value("提前半年投产", 0.5)
    assert mentions_value("争取实现国家级创新平台零的突破", 1)
    assert not mentions_value("争取实现国家级创新平台零的突破", 0)
    assert mentions_value("全区首个“保交楼”销号的恒大项目", 1)
    assert not mentions_value("进一步做好", 1)
    assert not mentions_value("完成招商引资额58.7亿元", 1e8)


# --------------------------------------------------------------------------- whole report


def test_every_non_numeric_word_occurs_in_report(report: str) -> None:
    missing = [word for word in NON_NUMERIC_WORDS if word not in report]
    assert missing == []


def test_non_numeric_words_are_unique() -> None:
    assert len(set(NON_NUMERIC_WORDS)) == len(NON_NUMERIC_WORDS)


def test_report_mention_count(report: str) -> None:
    mentions = find_numbers(report)
    assert len(mentions) == REPORT_MENTIONS
    assert Counter(m.script for m in mentions) == {
        "arabic": REPORT_ARABIC_MENTIONS,
        "chinese": REPORT_CHINESE_MENTIONS,
        "distinction": len(REPORT_DISTINCTIONS),
    }


def test_report_mentions_are_consistent(report: str) -> None:
    mentions = find_numbers(report)
    assert [m.start for m in mentions] == sorted(m.start for m in mentions)
    for m in mentions:
        assert report[m.start : m.end] == m.text
        if m.script == "distinction":
            assert m.value == 1
        else:
            assert parse_number(m.text) == m.value


def test_report_chinese_mentions(report: str) -> None:
    texts = Counter(m.text for m in find_numbers(report) if m.script == "chinese")
    assert texts == {
        "一": 21,
        "三": 14,
        "二": 9,
        "四": 10,
        "二十": 7,
        "两": 6,
        "五": 4,
        "十": 5,
        "六": 3,
        "百": 3,
        "半": 2,
        "亿": 2,
        "十三": 2,
        "十四": 1,
        "一个半": 1,
        "千": 1,
        "万": 1,
        "八": 1,
    }


# --------------------------------------------------------------------------- distinctions


def test_report_distinctions(report: str) -> None:
    assert [m.text for m in find_distinctions(report)] == REPORT_DISTINCTIONS


@pytest.mark.parametrize("word", DISTINCTION_WORDS)
def test_each_distinction_word_is_found_as_one(word: str) -> None:
    (mention,) = find_numbers(f"成为全区{word}。")
    assert (mention.text, mention.value, mention.script) == (word, 1.0, "distinction")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("三水北部首座人行天桥", ["首座"]),
        ("全区首宗村级工业园", ["首宗"]),
        ("首届冬瓜王大赛", ["首届"]),
        ("三水北部唯一一家广东省二星级养老机构", ["唯一一家"]),
        ("佛山唯一精细化工专区", ["唯一"]),
        ("引进三水北部第一家律师事务所", ["第一家"]),
        # Not distinctions: a rank, a figure of speech, a terminus, a priority, a spirit.
        ("覆盖率排名全区第一", []),
        ("第一道防线", []),
        ("中心广场公交首末站", []),
        ("把政治建设摆在首位", []),
        ("群众敢首创", []),
        ("回首2022年", []),
        ("首要任务", []),
    ],
)
def test_distinctions_and_false_friends(text: str, expected: list[str]) -> None:
    assert [m.text for m in find_distinctions(text)] == expected


@pytest.mark.parametrize("word", NON_DISTINCTION_WORDS)
def test_non_distinction_words_give_no_distinction(word: str) -> None:
    assert find_distinctions(word) == []


def test_a_rank_of_first_stays_an_ordinary_numeral() -> None:
    # 第一 without a counter is the numeral 一 of a rank, checked against the rank fact.
    assert [(m.text, m.script) for m in find_numbers("排名全区第一")] == [("一", "chinese")]
