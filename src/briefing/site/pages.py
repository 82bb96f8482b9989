"""The page around each app's body: header, navigation, language toggle, footer, scripts.

Chinese pages are at the site's root (``index.html``, ``01_industry.html``), English ones
under ``en/`` with the same names; the toggle links one to the other and carries the
address's hash (filters, chosen figure, search), so the reader keeps their place.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Sequence
from typing import Any

from briefing import ui
from briefing.catalogue import APPS, AppInfo
from briefing.i18n import tr
from briefing.publishing import binder_url
from briefing.site.content import Body

LANG_FOLDERS = {"zh": "", "en": "en/"}
HTML_LANG = {"zh": "zh-CN", "en": "en"}
VEGA_SCRIPT = "vega.js"

STRINGS: dict[str, tuple[str, str]] = {
    "site_title": (
        "大塘镇2023年政府工作报告 · 互动简报",
        "Datang Town 2023 Government Work Report",
    ),
    "subtitle": (
        "佛山市三水区大塘镇《2023年政府工作报告》(2023年1月29日发布)的互动简报。"
        "每一个数字都能追溯到报告原文。",
        "Interactive briefings on the 2023 government work report of Datang town (Sanshui "
        "district, Foshan), published on 2023-01-29. Every figure leads to the report's own words.",
    ),
    "other_lang": ("English", "中文"),
    "other_lang_label": ("Read this page in English", "阅读中文版本"),
    "home": ("全部简报", "All briefings"),
    "source": (
        "资料来源:三水区大塘镇人民政府《2023年政府工作报告》(2023年1月29日发布)。",
        "Source: the 2023 government work report of Datang town, Sanshui district, Foshan "
        "(published 2023-01-29).",
    ),
    "exported": (
        "本站导出于 {day},任务进展截至当日。",
        "Exported on {day}; progress as of that day.",
    ),
    "live": ("在线版本(Binder)", "Live version (Binder)"),
    "data": ("数据下载", "Download the data"),
    "datapackage": ("数据包说明 datapackage.json", "Data package descriptor (datapackage.json)"),
    "zip": ("全部数据 ZIP", "All data as a ZIP"),
    "licences": ("第三方组件及许可", "Third-party components and licences"),
    "skip": ("跳到正文", "Skip to the content"),
    "noscript": (
        "本页的图表、筛选和检索需要浏览器启用 JavaScript。",
        "This page's charts, filters and search need JavaScript.",
    ),
}

#: vega-embed's own words (its menu on each chart, which saves the chart as an image).
EMBED_I18N: dict[str, tuple[str, str]] = {
    "CLICK_TO_VIEW_ACTIONS": ("保存图表(PNG 或 SVG)", "Save the chart (PNG or SVG)"),
    "PNG_ACTION": ("保存为 PNG", "Save as PNG"),
    "SVG_ACTION": ("保存为 SVG", "Save as SVG"),
    "SOURCE_ACTION": ("查看源码", "View Source"),
    "COMPILED_ACTION": ("查看编译后的 Vega", "View Compiled Vega"),
    "EDITOR_ACTION": ("在 Vega 编辑器中打开", "Open in Vega Editor"),
}

#: The data files the site carries (``data/`` of the site), in the order they are listed.
DATA_FILES = (
    "facts.csv",
    "projects.csv",
    "commitments_2023.csv",
    "topics.csv",
    "excluded_numbers.csv",
    "report/paragraphs.csv",
    "report/sections.csv",
    "report/report.txt",
)


def t(key: str, lang: str) -> str:
    zh, en = STRINGS[key]
    return en if lang == "en" else zh


def page_name(info: AppInfo) -> str:
    """The file of an app's page: its notebook's name, ``.html``."""
    return info.notebook.removesuffix(".ipynb") + ".html"


def _json_script(element_id: str, value: Any) -> str:
    payload = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    payload = payload.replace("</", "<\\/")
    return f"<script type='application/json' id='{element_id}'>{payload}</script>"


def other_lang(lang: str) -> str:
    return "zh" if lang == "en" else "en"


def _nav(current: str | None, lang: str, apps: Sequence[AppInfo]) -> str:
    items = []
    for info in apps:
        title = info.title_en if lang == "en" else info.title_zh
        if info.name == current:
            items.append(
                f"<li><a aria-current='page' href='{page_name(info)}'>{ui.esc(title)}</a></li>"
            )
        else:
            items.append(f"<li><a href='{page_name(info)}'>{ui.esc(title)}</a></li>")
    label = ui.esc(t("home", lang))
    return f"<nav class='site-nav' aria-label='{label}'><ul>{''.join(items)}</ul></nav>"


def _footer(lang: str, snapshot: dt.date, root: str, repo: str | None, notebook: str | None) -> str:
    esc = ui.esc
    data = " · ".join(f"<a href='{root}data/{name}'>{esc(name)}</a>" for name in DATA_FILES)
    live = (
        f"<p><a href='{esc(binder_url(notebook, repo=repo))}'>{esc(t('live', lang))}</a></p>"
        if repo
        else ""
    )
    return (
        "<footer class='site-footer'>"
        f"<p>{esc(t('source', lang))}</p>"
        f"<p>{esc(t('exported', lang).format(day=snapshot.isoformat()))}</p>"
        f"<p><b>{esc(t('data', lang))}:</b> <a href='{root}data/datang-2023-report-data.zip'>"
        f"{esc(t('zip', lang))}</a> · <a href='{root}data/datapackage.json'>"
        f"{esc(t('datapackage', lang))}</a> · {data}</p>"
        f"{live}"
        f"<p><a href='{root}assets/README.md'>{esc(t('licences', lang))}</a></p>"
        "</footer>"
    )


def page_html(
    *,
    lang: str,
    title: str,
    name: str,
    intro: str,
    body: Body,
    snapshot: dt.date,
    current: str | None,
    repo: str | None,
    notebook: str | None,
    apps: Sequence[AppInfo] = APPS,
) -> str:
    """A whole page in ``lang``: ``name`` is its file name (the same in both languages)."""
    root = "../" if lang == "en" else ""
    other = other_lang(lang)
    other_href = ("../" if lang == "en" else "en/") + name
    page = {
        "lang": lang,
        "charts": body.charts,
        "fact_ids": list(body.fact_ids),
        "table_columns": ["indicator", "value", "part", "topic", "kind"],
        "table_headings": [tr(k, lang) for k in ("indicator", "value", "part", "topic", "kind")],
        "csv_name": f"datang-2023-{current or 'site'}-{lang}.csv",
        "strings": body.strings,
        "embed_i18n": {key: en if lang == "en" else zh for key, (zh, en) in EMBED_I18N.items()},
        **body.data,
    }
    scripts = [
        f"{root}assets/facts.{lang}.js",
        f"{root}assets/{VEGA_SCRIPT}",
        f"{root}assets/site.js",
    ]
    scripts += [f"{root}assets/{script}" for script in body.scripts]
    script_tags = "".join(f"<script src='{src}'></script>" for src in scripts)
    esc = ui.esc
    toggle = (
        f'<a class="lang-toggle" lang="{HTML_LANG[other]}" hreflang="{HTML_LANG[other]}" '
        f'href="{esc(other_href)}" data-lang-link="{esc(other_href)}" '
        f'aria-label="{esc(t("other_lang_label", lang))}">{esc(t("other_lang", lang))}</a>'
    )
    return f"""<!DOCTYPE html>
<html lang="{HTML_LANG[lang]}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{esc(title)}</title>
<link rel="icon" href="data:,">
<link rel="alternate" hreflang="{HTML_LANG[other]}" href="{esc(other_href)}">
<link rel="stylesheet" href="{root}assets/site.css">
</head>
<body class="briefing-site">
<a class="skip" href="#main">{esc(t("skip", lang))}</a>
<header class="site-header">
<a class="home" href="index.html">{esc(t("site_title", lang))}</a>
{toggle}
</header>
{_nav(current, lang, apps) if current else ""}
<main id="main" class="briefing-app">
<h1>{esc(title)}</h1>
{intro}
<noscript><p class="briefing-muted">{esc(t("noscript", lang))}</p></noscript>
{body.html.replace("{root}", root)}
</main>
{_footer(lang, snapshot, root, repo, notebook)}
{_json_script("briefing-page", page)}
{script_tags}
</body>
</html>
"""


def app_page_html(
    info: AppInfo, body: Body, lang: str, snapshot: dt.date, repo: str | None,
    apps: Sequence[AppInfo] = APPS,
) -> str:  # fmt: skip
    """The page of one app."""
    title = info.title_en if lang == "en" else info.title_zh
    blurb = info.blurb_en if lang == "en" else info.blurb_zh
    return page_html(
        lang=lang,
        title=title,
        name=page_name(info),
        intro=f"<p class='briefing-blurb'>{ui.esc(blurb)}</p>",
        body=body,
        snapshot=snapshot,
        current=info.name,
        repo=repo,
        notebook=info.notebook,
        apps=apps,
    )


def landing_html(apps: Sequence[AppInfo], lang: str, snapshot: dt.date, repo: str | None) -> str:
    """``index.html``: every app with its description, in one language."""
    esc = ui.esc
    items = []
    for info in apps:
        title = info.title_en if lang == "en" else info.title_zh
        blurb = info.blurb_en if lang == "en" else info.blurb_zh
        items.append(
            f"<li><a class='app-title' href='{page_name(info)}'>{esc(title)}</a>"
            f"<p class='app-blurb'>{esc(blurb)}</p></li>"
        )
    body = Body(f"<ul class='apps'>{''.join(items)}</ul>")
    return page_html(
        lang=lang,
        title=t("site_title", lang),
        name="index.html",
        intro=f"<p class='subtitle'>{esc(t('subtitle', lang))}</p>",
        body=body,
        snapshot=snapshot,
        current=None,
        repo=repo,
        notebook=None,
        apps=apps,
    )
