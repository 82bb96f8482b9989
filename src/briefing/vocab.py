"""Closed vocabularies of the domain (parts, sectors, kinds, qualifiers ...) in zh and en."""

from __future__ import annotations

from typing import Final

PARTS: Final[dict[str, tuple[str, str]]] = {
    "review_2022": ("2022年工作回顾", "2022 review"),
    "tasks_2023": ("2023年工作任务", "2023 tasks"),
}

SECTORS: Final[dict[str, tuple[str, str]]] = {
    "industry": ("产业发展", "Industry"),
    "urban_rural": ("城乡建设", "Urban and rural development"),
    "ecology": ("生态环境", "Ecology and environment"),
    "livelihoods": ("民生福祉", "Livelihoods"),
    "reform": ("改革创新", "Reform"),
    "governance": ("治理与政府建设", "Governance"),
    "overall": ("总体", "Overall"),
}

KINDS: Final[dict[str, tuple[str, str]]] = {
    "count": ("数量", "Count"),
    "money": ("金额", "Money"),
    "area": ("面积", "Area"),
    "ratio": ("比例", "Percentage"),
    "rank": ("排名", "Ranking"),
    "duration": ("时长", "Duration"),
    "level": ("等级", "Level"),
    "ordinal": ("序次", "Ordinal"),
    "top_n": ("入选榜单", "Top-N list"),
    "index": ("指数", "Index"),
    "length": ("长度", "Length"),
    "distinction": ("首创与唯一", "Distinction"),
}

QUALIFIERS: Final[dict[str, tuple[str, str]]] = {
    "": ("", ""),
    "超": ("超", "over"),
    "以上": ("以上", "or more"),
    "不少于": ("不少于", "at least"),
    "近": ("近", "nearly"),
    "余": ("余", "more than"),
    "约": ("约", "about"),
    "左右": ("左右", "about"),
}

SCOPES: Final[dict[str, tuple[str, str]]] = {
    "": ("", ""),
    "全区": ("全区", "district"),
    "全市": ("全市", "city"),
    "全省": ("全省", "province"),
    "全国": ("全国", "country"),
    "三水北部": ("三水北部", "northern Sanshui"),
}

#: What a distinction (首个, 唯一 ...) is first or only in, besides its scope: an industry or
#: domain. English as in ``data/glossary.csv``.
SCOPE_FIELDS: Final[dict[str, tuple[str, str]]] = {
    "": ("", ""),
    "印染行业": ("印染行业", "printing and dyeing industry"),
}

#: How a value relates to the quantity it states (超 250亿元 is more than 250亿元).
COMPARATORS: Final[dict[str, tuple[str, str]]] = {
    "": ("", ""),
    "at_least": ("不少于", "at least"),
    "more_than": ("超过", "more than"),
    "about": ("约", "about"),
    "exactly": ("等于", "exactly"),
    "at_most": ("不超过", "at most"),
    "less_than": ("少于", "less than"),
}

#: Mathematical symbol of each comparator, for compact labels (≥ 1).
SYMBOLS: Final[dict[str, str]] = {
    "": "",
    "at_least": "≥",
    "more_than": ">",
    "about": "≈",
    "exactly": "=",
    "at_most": "≤",
    "less_than": "<",
}

#: Whether a larger value is better (investment) or a smaller one (a pollution index, a rank).
DIRECTIONS: Final[dict[str, tuple[str, str]]] = {
    "": ("", ""),
    "higher_better": ("越高越好", "higher is better"),
    "lower_better": ("越低越好", "lower is better"),
}

#: Where a commitment's ``deadline`` date comes from.
DEADLINE_KINDS: Final[dict[str, tuple[str, str]]] = {
    "fixed": ("报告明确的日期", "date fixed by the report"),
    "derived": ("由报告用语推定的日期", "date derived from the report's wording"),
    "none": ("无日期", "no date"),
}

#: The report's time words and their English (``commitments_2023.deadline_en``).
DEADLINE_WORDS: Final[dict[str, str]] = {
    "今年": "this year (2023)",
    "力争用两年时间": "within two years",
    "尽快": "promptly",
    "早日": "as soon as possible",
}

STATUSES: Final[dict[str, tuple[str, str]]] = {
    "signed": ("签约", "Signed"),
    "started": ("动工或启动", "Started"),
    "commissioned": ("投产", "In production"),
    "completed": ("完工", "Completed"),
    "in_progress": ("推进中", "In progress"),
    "accepted": ("通过验收", "Passed acceptance"),
    "awarded": ("获得荣誉", "Honoured"),
    "launched": ("启动", "Launched"),
    "held": ("成功举办", "Held"),
    "meets_standard": ("稳定达标", "Meeting the standard"),
    "delivered": ("交付", "Delivered"),
    "introduced": ("引进", "Brought in"),
    "planned": ("计划推进", "Planned"),
    "to_complete": ("加快完成", "To be completed"),
    "to_open": ("将开业或启用", "To open"),
    "to_cultivate": ("重点培育", "To be fostered"),
}

ENTITY_TYPES: Final[dict[str, tuple[str, str]]] = {
    "enterprise": ("企业", "Enterprise"),
    "project": ("项目", "Project"),
    "park": ("园区", "Park"),
    "road": ("道路桥梁", "Road or bridge"),
    "facility": ("设施与机构", "Facility"),
    "village": ("村", "Village"),
    "event": ("活动", "Event"),
    "programme_site": ("示范点", "Programme site"),
}

LANGUAGES: Final[tuple[str, str]] = ("zh", "en")


def label(vocabulary: dict[str, tuple[str, str]], key: str, lang: str = "zh") -> str:
    """Return the label of ``key`` in ``lang`` ("zh" or "en").

    Examples
    --------
    >>> label(SECTORS, "ecology", "en")
    'Ecology and environment'
    >>> label(PARTS, "tasks_2023")
    '2023年工作任务'
    """
    zh, en = vocabulary[key]
    return en if lang == "en" else zh
