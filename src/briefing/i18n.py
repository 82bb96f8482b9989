"""Interface strings in Chinese (the primary language) and English."""

from __future__ import annotations

from typing import Final

LANGS: Final = ("zh", "en")
DEFAULT_LANG: Final = "zh"

STRINGS: Final[dict[str, tuple[str, str]]] = {
    "app_title": ("大塘镇2023年政府工作报告", "Datang Town 2023 Government Work Report"),
    "language": ("语言", "Language"),
    "part": ("部分", "Part"),
    "topic": ("主题", "Topic"),
    "kind": ("类型", "Kind"),
    "all": ("全部", "All"),
    "view": ("视图", "View"),
    "chart": ("图表", "Chart"),
    "table": ("表格", "Table"),
    "source": ("原文出处", "Source in the report"),
    "select_fact_hint": (
        "点击图中的条形、圆点或卡片，或表格中的一行，即可在下方看到该数字在报告中的原文。",
        "Click a bar, a dot or a card, or a row of the table, to see the report's own words below.",
    ),
    "select_fact_hint_static": (
        "在线版中，点击图中的条形、圆点或卡片，即可查看该数字在报告中的原文。",
        "In the live app, click a bar, a dot or a card to see the report's own words.",
    ),
    "key_points": ("要点", "Key points"),
    "headline_results": ("2022年主要成绩", "Key results of 2022"),
    "targets_2023": ("2023年主要目标", "Main targets for 2023"),
    "charts": ("数据图表", "Charts"),
    "facts_table": ("全部数据", "All figures"),
    "projects": ("重点项目与企业", "Named projects and enterprises"),
    "commitments": ("2023年工作任务", "Commitments for 2023"),
    "no_data": ("当前筛选条件下没有数据。", "No figures match the current filters."),
    "error": (
        "抱歉,这部分内容暂时无法显示。请刷新页面重试;如问题持续,请联系维护人员。",
        "Sorry, this part cannot be shown right now. Reload the page to try again; "
        "if it persists, please tell the maintainers.",
    ),
    "data_error": ("数据有误,无法显示:", "The data has a problem and cannot be shown: "),
    "section": ("所在章节", "Section"),
    "paragraph": ("段落", "Paragraph"),
    "fact_id": ("编号", "ID"),
    "indicator": ("指标", "Indicator"),
    "value": ("数值", "Value"),
    "unit": ("单位", "Unit"),
    "qualifier": ("限定", "Qualifier"),
    "sector": ("领域", "Sector"),
    "status": ("进展", "Status"),
    "name": ("名称", "Name"),
    "target": ("目标", "Target"),
    "deadline": ("时限", "Deadline"),
    "result_2022": ("2022年实绩", "2022 result"),
    "target_2023": ("2023年目标", "2023 target"),
    "money_chart": ("资金与金额", "Money"),
    "area_chart": ("面积(亩)", "Area (mu)"),
    "count_chart": ("数量", "Counts"),
    "rank_chart": ("排名(名次越小越好)", "Rankings (lower is better)"),
    "ratio_chart": ("比例(%)", "Percentages (%)"),
    "compare_chart": ("2023年目标与2022年实绩", "2023 targets beside 2022 results"),
    "other_chart": ("其他数字", "Other figures"),
    "rank_label": ("名次", "Place"),
    "open_app": ("打开", "Open"),
    "facts_count": ("数字", "Figures"),
    "projects_count": ("项目与企业", "Projects"),
    "commitments_count": ("工作任务", "Commitments"),
    "overview": ("总览", "Overview"),
    "reform_governance": ("改革与治理", "Reform and governance"),
    "sort_by": ("排序", "Sort by"),
    "download": ("下载当前内容", "Download what you see"),
    "download_png": ("图表 PNG", "Chart PNG"),
    "download_svg": ("图表 SVG", "Chart SVG"),
    "download_csv": ("表格 CSV", "Table CSV"),
    "download_zip": ("全部数据 ZIP", "All data ZIP"),
    "download_ready": ("文件已生成,点击保存:", "Ready, click to save:"),
    "links_in_lab": (
        "在 JupyterLab 中,上面的应用链接不可用(它们用于 Voila 应用,make app):"
        "请在左侧文件浏览器中打开 notebooks 文件夹里对应的笔记本并运行。",
        "In JupyterLab these app links do not work (they are for the Voila apps, make app): "
        "open the notebook named here from the notebooks folder in the file browser and run it.",
    ),
    # The page around an app (Voila template, meeting mode); sent to the browser as
    # static/briefing-meta.js by ``python -m briefing.webassets``.
    "page_loading": ("正在加载", "Loading"),
    "page_chart_scroll": ("图表(可横向滚动)", "Chart (scrolls sideways)"),
    "page_loading_cell": ("正在准备第 {n} / {total} 部分", "Preparing part {n} of {total}"),
    "present_nav": ("演示导航", "Slide navigation"),
    "present_prev": ("◀ 上一页", "◀ Previous"),
    "present_next": ("下一页 ▶", "Next ▶"),
    "present_prev_label": ("上一页", "Previous slide"),
    "present_next_label": ("下一页", "Next slide"),
    "present_jump": ("跳到第几页", "Go to slide"),
    "present_go": ("前往", "Go"),
    "present_other_lang": ("English", "中文"),
    "present_other_lang_label": ("切换为英文", "Switch to Chinese"),
    "present_exit": ("退出演示", "Leave meeting mode"),
    "present_more": ("(续)", "(continued)"),
    "landing_title": (
        "大塘镇2023年政府工作报告 · 互动简报",
        "Datang Town 2023 work report: briefings",
    ),
}


def tr(key: str, lang: str) -> str:
    """Translate an interface string.

    Examples
    --------
    >>> tr("chart", "en")
    'Chart'
    >>> tr("chart", "zh")
    '图表'
    """
    zh, en = STRINGS[key]
    return en if lang == "en" else zh
