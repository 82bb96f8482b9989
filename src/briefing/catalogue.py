"""The apps of the briefing: their notebooks, sectors, titles and one-line descriptions.

Imports nothing but the standard library, so the server (start page), the apps and the
static export share one list.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class AppInfo:
    """One app of the briefing: its notebook, the sectors it shows, and its description."""

    name: str
    notebook: str
    sectors: tuple[str, ...]
    title_zh: str
    title_en: str
    blurb_zh: str
    blurb_en: str


APPS: tuple[AppInfo, ...] = (
    AppInfo(
        "overview",
        "00_overview.ipynb",
        ("overall",),
        "总览",
        "Overview",
        "全报告一览:2022年主要成绩、2023年主要目标和各领域数字",
        "The whole report at a glance: 2022 results, 2023 targets, figures per sector",
    ),
    AppInfo(
        "industry",
        "01_industry.ipynb",
        ("industry",),
        "产业发展",
        "Industry",
        "项目建设、招商引资、产业空间、转型升级与重点企业",
        "Projects, investment attraction, industrial land, upgrading and named enterprises",
    ),
    AppInfo(
        "urban_rural",
        "02_urban_rural.ipynb",
        ("urban_rural",),
        "城乡建设",
        "Urban and rural",
        "交通路网、城市建管、乡村振兴",
        "Roads, urban works and management, rural revitalisation",
    ),
    AppInfo(
        "ecology",
        "03_ecology.ipynb",
        ("ecology",),
        "生态环境",
        "Ecology",
        "河涌治理、养殖池塘、空气质量与绿色低碳",
        "Rivers, aquaculture ponds, air quality and low-carbon development",
    ),
    AppInfo(
        "livelihoods",
        "04_livelihoods.ipynb",
        ("livelihoods",),
        "民生福祉",
        "Livelihoods",
        "医疗、养老、教育、公共服务与文化",
        "Health, elderly care, education, public services and culture",
    ),
    AppInfo(
        "reader",
        "05_report_reader.ipynb",
        (),
        "报告全文",
        "Report reader",
        "全文阅读、检索与词频分析(报告原文为中文)",
        "The full text: read, search, and analyse its vocabulary (the report is in Chinese)",
    ),
    AppInfo(
        "commitments",
        "06_commitments.ipynb",
        (),
        "任务进展",
        "Commitments tracker",
        "2023年各项工作任务、目标与进展(按工作人员登记的进展展示,只读)",
        "The 2023 commitments, their targets and progress as recorded by staff (read-only)",
    ),
    AppInfo(
        "reform_governance",
        "07_reform_governance.ipynb",
        ("reform", "governance"),
        "改革与治理",
        "Reform and governance",
        "综合改革、营商环境、平安建设、防汛与政府自身建设",
        "Reforms, business environment, public safety, flood control, government itself",
    ),
)

#: The apps about sectors of the report (each shows the facts of its sectors).
SECTOR_APPS: tuple[AppInfo, ...] = tuple(a for a in APPS if a.sectors and a.name != "overview")


def app_info(name: str) -> AppInfo:
    """Look up an app by name."""
    for info in APPS:
        if info.name == name:
            return info
    raise KeyError(name)


def catalogue() -> dict[str, dict[str, str]]:
    """Titles and one-line descriptions of every app, keyed by notebook file name.

    Examples
    --------
    >>> catalogue()["01_industry.ipynb"]["title_en"]
    'Industry'
    """
    return {
        info.notebook: {
            "title_zh": info.title_zh,
            "title_en": info.title_en,
            "blurb_zh": info.blurb_zh,
            "blurb_en": info.blurb_en,
        }
        for info in APPS
    }
