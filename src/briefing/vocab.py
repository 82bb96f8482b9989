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

STATUSES: Final[dict[str, tuple[str, str]]] = {
    "signed": ("签约", "Signed"),
    "started": ("动工", "Started"),
    "commissioned": ("投产", "In production"),
    "completed": ("完工", "Completed"),
    "in_progress": ("推进中", "In progress"),
    "accepted": ("通过验收", "Passed acceptance"),
    "awarded": ("获得荣誉", "Honoured"),
    "launched": ("启动或举办", "Launched or held"),
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
