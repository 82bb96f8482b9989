"""The domain's closed vocabularies (parts, sectors, kinds, qualifiers) with Chinese and English labels."""

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
