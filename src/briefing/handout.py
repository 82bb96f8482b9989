"""The printed handout: an A4 briefing pack of the report, in Chinese or in English.

A cover (report, publisher, date), contents, the overview's headline claims, then one
section per sector with its headline claims, its charts (SVG, so they print as vectors) and
its 2023 commitments; every figure carries its source (section and paragraph). This module
writes the pack as one HTML document with print CSS; :mod:`briefing.pdfprint` prints it to
PDF with Chromium (fonts embedded). ``briefing export --pdf`` and ``make handout`` run both.

The contents give each section's page. Chromium cannot number a contents page itself, so the
pack is printed twice: the first print says on which page each section's heading fell (read
from the PDF's outline), the second prints those numbers; :func:`write_pdf` checks that the
second print kept its pages where the first had them.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from briefing import charts, data, display, frames, places, theme
from briefing.catalogue import SECTOR_APPS, AppInfo
from briefing.i18n import tr
from briefing.ui import esc

if TYPE_CHECKING:
    import pandas as pd

#: The handout's own words (the app strings come from :mod:`briefing.i18n`).
WORDS: dict[str, tuple[str, str]] = {
    "pack": ("简报资料", "Briefing pack"),
    "report": ("大塘镇2023年政府工作报告", "Datang Town 2023 Government Work Report"),
    "publisher": ("发布机关", "Published by"),
    "published": ("发布日期", "Published on"),
    "publisher_name": (
        "三水区大塘镇人民政府",
        "People's Government of Datang Town, Sanshui District, Foshan",
    ),
    "contents": ("目录", "Contents"),
    "overview": ("总览:主要数字", "Overview: the headline figures"),
    "sources": ("数字与出处", "Figures and their sources"),
    "source": ("出处", "Source"),
    "cover_note": (
        "本资料中的每个数字均摘自报告原文,并注明所在部分、章节与段落(“第1段”即该节正文第一段)。",
        "Every figure in this pack is taken from the report and names its part, section and "
        "paragraph (“paragraph 1” is the first paragraph of that section's text). The report "
        "is in Chinese; names and figures are translated here.",
    ),
}


def word(key: str, lang: str) -> str:
    """A handout string in ``lang``."""
    zh, en = WORDS[key]
    return en if lang == "en" else zh


@dataclass(frozen=True)
class Source:
    """Where a figure stands in the report: its part, section title and paragraph."""

    part: str
    section: str
    paragraph: str

    def text(self, lang: str) -> str:
        """``2022年工作回顾 · 综合施策… · 第1段``."""
        return f"{self.part} · {self.section} · {self.paragraph}"


class Handout:
    """The pack's content for one language, from the loaded dataset."""

    def __init__(
        self, lang: str, ds: data.Dataset | None = None, pages: Mapping[str, int] | None = None
    ) -> None:
        self.lang = lang
        self.ds = ds or data.load()
        #: The page each section starts on, by its anchor (from a first print), if known.
        self.pages = dict(pages or {})
        self._sections = self.ds.sections.set_index("section_id")
        self._paragraphs = self.ds.paragraphs.set_index("paragraph_id")

    # -- sources
    def source(self, paragraph_id: str) -> Source:
        section_id = str(frames.record(self._paragraphs, paragraph_id)["section_id"])
        section = frames.record(self._sections, section_id)
        title = section["title_en"] if self.lang == "en" else section["title_zh"]
        part = display.part_label(str(section["part"]), self.lang)
        number = places.places_of(self.ds).number(paragraph_id)
        return Source(part, str(title), places.number_label(number, self.lang))

    # -- blocks
    def claims_html(self, facts: pd.DataFrame) -> str:
        """Headline claims: value, what it is, and its source."""
        lang = self.lang
        items = []
        for fact in frames.records(facts):
            items.append(
                f"<li class='claim' data-fact-id='{esc(fact['fact_id'])}'>"
                f"<span class='value'>{esc(display.value_text(fact, lang))}</span> "
                f"<span class='what'>{esc(display.indicator(fact, lang))}</span>"
                f"<span class='src'>{esc(word('source', lang))}: "
                f"{esc(self.source(str(fact['paragraph_id'])).text(lang))}</span></li>"
            )
        return f"<ul class='claims'>{''.join(items)}</ul>"

    def sources_table(self, facts: pd.DataFrame) -> str:
        """Every figure of a section with its source."""
        lang = self.lang
        rows = []
        for fact in frames.records(facts.sort_values(["part", "fact_id"])):
            source = self.source(str(fact["paragraph_id"]))
            rows.append(
                f"<tr><td>{esc(display.indicator(fact, lang))}</td>"
                f"<td class='num'>{esc(display.value_text(fact, lang))}</td>"
                f"<td>{esc(source.part)}</td><td>{esc(source.section)}</td>"
                f"<td class='pid'>{esc(source.paragraph)}</td></tr>"
            )
        head = (
            "".join(
                f"<th>{esc(tr(k, lang))}</th>" for k in ("indicator", "value", "part", "section")
            )
            + f"<th>{esc(tr('paragraph', lang))}</th>"
        )
        return (
            f"<table class='sources'><thead><tr>{head}</tr></thead>"
            f"<tbody>{''.join(rows)}</tbody></table>"
        )

    def charts_html(self, facts: pd.DataFrame) -> str:
        """The sector's charts as inline SVG (vector in the PDF)."""
        from briefing import downloads

        lang = self.lang
        made = charts.comparison_charts(facts, self.ds.facts, lang) + charts.charts_for(facts, lang)
        figures = []
        for chart in made:
            # The chart's own source line (its subtitle) names its sections and paragraphs.
            figures.append(f"<figure class='chart'>{downloads.chart_svg(chart)}</figure>")
        return "".join(figures)

    def commitments_html(self, commitments: pd.DataFrame) -> str:
        lang = self.lang
        facts = self.ds.facts.set_index("fact_id", drop=False)
        items = []
        for c in frames.records(commitments.sort_values(["area", "commitment_id"])):
            text = c["title_en"] if lang == "en" else c["title_zh"]
            extra = display.commitment_extras(c, facts, lang)
            extra.append(
                f"{word('source', lang)}: {self.source(str(c['paragraph_id'])).text(lang)}"
            )
            items.append(f"<li>{esc(text)}<span class='src'>{esc(' · '.join(extra))}</span></li>")
        return f"<ul class='commitments'>{''.join(items)}</ul>"

    # -- the pack
    def sector_html(self, info: AppInfo, number: int) -> str:
        lang = self.lang
        ds = self.ds
        facts = ds.facts[ds.facts["sector"].isin(info.sectors)]
        review = facts[(facts["part"] == "review_2022") & facts["headline"]]
        targets = facts[(facts["part"] == "tasks_2023") & facts["headline"]]
        commitments = ds.commitments[ds.commitments["sector"].isin(info.sectors)]
        title = info.title_en if lang == "en" else info.title_zh
        parts = [
            f"<section class='sector' id='{esc(info.name)}'>",
            f"<h1>{number}. {esc(title)}</h1>",
            f"<p class='blurb'>{esc(info.blurb_en if lang == 'en' else info.blurb_zh)}</p>",
            f"<h2>{esc(tr('headline_results', lang))}</h2>",
            self.claims_html(review),
        ]
        if not targets.empty:
            parts += [f"<h2>{esc(tr('targets_2023', lang))}</h2>", self.claims_html(targets)]
        parts += [f"<h2>{esc(tr('charts', lang))}</h2>", self.charts_html(facts)]
        parts += [
            f"<h2>{esc(tr('commitments', lang))}</h2>",
            self.commitments_html(commitments),
            f"<h2>{esc(word('sources', lang))}</h2>",
            self.sources_table(facts),
            "</section>",
        ]
        return "".join(parts)

    def overview_html(self) -> str:
        lang = self.lang
        facts = self.ds.facts
        tasks = facts[(facts["part"] == "tasks_2023") & facts["headline"]]
        main = _concat([tasks[tasks["sector"] == "overall"], tasks[tasks["sector"] != "overall"]])
        parts = [
            "<section class='overview' id='overview'>",
            f"<h1>{esc(word('overview', lang))}</h1>",
            f"<h2>{esc(tr('targets_2023', lang))}</h2>",
            self.claims_html(main),
            f"<h2>{esc(tr('headline_results', lang))}</h2>",
        ]
        for info in SECTOR_APPS:
            chosen = facts[
                facts["sector"].isin(info.sectors)
                & facts["headline"]
                & (facts["part"] == "review_2022")
            ]
            title = info.title_en if lang == "en" else info.title_zh
            parts += [f"<h3>{esc(title)}</h3>", self.claims_html(chosen.head(4))]
        overall = self.ds.commitments[self.ds.commitments["sector"] == "overall"]
        if not overall.empty:
            parts += [f"<h2>{esc(tr('commitments', lang))}</h2>", self.commitments_html(overall)]
        parts.append("</section>")
        return "".join(parts)

    def cover_html(self) -> str:
        lang = self.lang
        return (
            "<section class='cover'>"
            f"<p class='kicker'>{esc(word('pack', lang))}</p>"
            f"<h1 class='title'>{esc(word('report', lang))}</h1>"
            f"<dl><dt>{esc(word('publisher', lang))}</dt>"
            f"<dd>{esc(word('publisher_name', lang))}</dd>"
            f"<dt>{esc(word('published', lang))}</dt><dd>2023-01-29</dd></dl>"
            f"<p class='note'>{esc(word('cover_note', lang))}</p>"
            "</section>"
        )

    def contents(self) -> list[tuple[str, str]]:
        """The sections of the pack after the contents: (anchor, heading), in order."""
        lang = self.lang
        entries = [("overview", word("overview", lang))]
        for number, info in enumerate(SECTOR_APPS, start=1):
            entries.append(
                (info.name, f"{number}. {info.title_en if lang == 'en' else info.title_zh}")
            )
        return entries

    def contents_html(self) -> str:
        lang = self.lang
        items = "".join(
            f"<li><a href='#{esc(anchor)}'><span class='entry'>{esc(heading)}</span>"
            f"<span class='leader' aria-hidden='true'></span>"
            f"<span class='page'>{self.pages.get(anchor, '')}</span></a></li>"
            for anchor, heading in self.contents()
        )
        return (
            f"<section class='contents'><h1>{esc(word('contents', lang))}</h1>"
            f"<ul class='toc'>{items}</ul></section>"
        )

    def html(self) -> str:
        """The whole pack as one HTML document, ready to print on A4."""
        lang = self.lang
        body = [self.cover_html(), self.contents_html(), self.overview_html()]
        body += [self.sector_html(info, n) for n, info in enumerate(SECTOR_APPS, start=1)]
        html_lang = "en" if lang == "en" else "zh-CN"
        title = f"{word('report', lang)} · {word('pack', lang)}"
        return (
            f"<!DOCTYPE html><html lang='{html_lang}'><head><meta charset='utf-8'>"
            f"<title>{esc(title)}</title><style>{print_css()}</style></head>"
            f"<body>{''.join(body)}</body></html>"
        )


def _concat(frames_: list[pd.DataFrame]) -> pd.DataFrame:
    import pandas as pd

    return pd.concat(frames_, ignore_index=True)


def print_css() -> str:
    """The pack's style: A4, the light palette, CJK fonts."""
    p = theme.LIGHT
    return f"""
@page {{ size: A4; margin: 18mm 16mm 20mm; }}
html {{ font-family: {theme.FONT}; font-size: 10.5pt; color: {p.text}; line-height: 1.5; }}
body {{ margin: 0; }}
h1 {{ font-size: 20pt; margin: 0 0 6mm; color: {p.value}; }}
h2 {{ font-size: 13pt; margin: 6mm 0 2mm; border-bottom: 1px solid {p.border}; }}
h3 {{ font-size: 11pt; margin: 4mm 0 1mm; }}
h1, h2, h3 {{ break-after: avoid; }}
section {{ break-before: page; }}
.cover {{ break-before: auto; padding-top: 60mm; }}
.cover .kicker {{ font-size: 14pt; color: {p.muted}; margin: 0; }}
.cover .title {{ font-size: 28pt; margin: 4mm 0 12mm; }}
.cover dl {{ display: grid; grid-template-columns: max-content 1fr; gap: 2mm 6mm;
  font-size: 12pt; }}
.cover dt {{ color: {p.muted}; }}
.cover dd {{ margin: 0; }}
.cover .note {{ margin-top: 30mm; color: {p.muted}; }}
.toc {{ font-size: 13pt; line-height: 2; list-style: none; padding: 0; }}
.toc a {{ color: {p.text}; text-decoration: none; display: flex; align-items: baseline; }}
.toc .leader {{ flex: 1; border-bottom: 1px dotted {p.muted}; margin: 0 2mm; }}
.toc .page {{ min-width: 8mm; text-align: right; font-variant-numeric: tabular-nums; }}
.blurb {{ color: {p.muted}; margin: 0 0 4mm; }}
ul.claims {{ list-style: none; padding: 0; margin: 0;
  display: grid; grid-template-columns: 1fr 1fr; gap: 2mm 6mm; }}
.claim {{ break-inside: avoid; border-left: 3px solid {p.accent}; padding: 1mm 3mm; }}
.claim .value {{ font-weight: 700; font-size: 13pt; color: {p.value}; }}
.src {{ display: block; font-size: 8.5pt; color: {p.muted}; }}
figure.chart {{ margin: 3mm 0; break-inside: avoid; }}
figure.chart svg {{ max-width: 100%; height: auto; }}
figcaption {{ font-size: 8.5pt; color: {p.muted}; }}
ul.commitments li {{ margin: 0 0 1.5mm; break-inside: avoid; }}
table.sources {{ border-collapse: collapse; width: 100%; font-size: 8.5pt; }}
table.sources th, table.sources td {{ border-bottom: 1px solid {p.border}; padding: 1mm 1.5mm;
  text-align: left; vertical-align: top; }}
table.sources tr {{ break-inside: avoid; }}
td.num {{ white-space: nowrap; }}
td.pid {{ font-family: monospace; }}
"""


def footer_template(lang: str) -> str:
    """Chromium's page footer: the report's name and the page number."""
    label = word("report", lang)
    return (
        "<div style='font-size:8pt;width:100%;padding:0 16mm;color:#57606a;"
        f"display:flex;justify-content:space-between;font-family:{esc(theme.FONT)}'>"
        f"<span>{esc(label)}</span><span class='pageNumber'></span></div>"
    )


def pack(lang: str, ds: data.Dataset | None = None, pages: Mapping[str, int] | None = None) -> str:
    """The handout in ``lang`` as HTML (``pages``: each section's page, for the contents)."""
    return Handout(lang, ds, pages).html()


class PaginationError(RuntimeError):
    """The contents' page numbers could not be made to match the printed pages."""


def section_pages(path: Path, contents: list[tuple[str, str]]) -> dict[str, int]:
    """The page (from 1, as the footer counts) each section's heading is printed on."""
    from briefing import pdfprint

    printed = pdfprint.outline_pages(path)
    return {anchor: printed[heading] for anchor, heading in contents if heading in printed}


def write_pdf(path: Path, lang: str, ds: data.Dataset) -> Path:
    """Print the pack in ``lang`` to ``path``, its contents numbered with the printed pages."""
    from briefing import pdfprint

    contents = Handout(lang, ds).contents()
    draft = path.with_name(f".{path.name}.draft.pdf")
    pages: dict[str, int] = {}
    try:
        for _attempt in range(3):
            pdfprint.html_to_pdf(pack(lang, ds, pages), draft, footer=footer_template(lang))
            printed = section_pages(draft, contents)
            if len(printed) != len(contents):
                missing = [heading for anchor, heading in contents if anchor not in printed]
                raise PaginationError(f"{path.name}: no page found for {missing}")
            if printed == pages:
                draft.replace(path)  # only a pack whose contents are right is written
                return path
            pages = printed
    finally:
        draft.unlink(missing_ok=True)
    raise PaginationError(f"{path.name}: the contents' page numbers did not settle")


__all__ = [
    "WORDS",
    "Handout",
    "PaginationError",
    "Source",
    "footer_template",
    "pack",
    "print_css",
    "section_pages",
    "word",
    "write_pdf",
    "write_pdfs",
]


def write_pdfs(out_dir: Path, langs: tuple[str, ...] = ("zh", "en")) -> list[Path]:
    """Write ``briefing-pack-<lang>.pdf`` for each language into ``out_dir``."""
    ds = data.load()
    return [write_pdf(out_dir / f"briefing-pack-{lang}.pdf", lang, ds) for lang in langs]
