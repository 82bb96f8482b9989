"""The report's structure: parts, sections and paragraphs with stable ids, derived from its text.

The text in ``data/report/report.txt`` is kept verbatim. ``sections.csv`` names each
section and the line it starts on; every non-empty line is one paragraph. Paragraph ids
are ``<section>-h`` for a heading and ``<section>-p<n>`` for the n-th body paragraph, so a
quote can be located and linked as ``r1-p1``. ``paragraphs.csv`` is generated from these
two files (``python -m briefing.report``) and a test keeps it in sync.

The text opens with the web page it was copied from: furniture (搜索, 网站支持IPv6, the
【字号: font-size switch) around the title and the publication line. Those lines get the
roles ``furniture``, ``title`` and ``meta`` (`FRONT_ROLES`); readers, search, keywords and
exports use `report_metadata` for the title, publisher and time, never the raw lines.
"""

from __future__ import annotations

import csv
import io
import re
import sys
from dataclasses import dataclass
from pathlib import Path

PARTS = ("front", "review_2022", "tasks_2023")
PARAGRAPH_FIELDS = (
    "paragraph_id",
    "section_id",
    "part",
    "position",
    "line",
    "role",
    "start",
    "end",
    "text",
)
#: Roles of the lines before the report proper: the web page's furniture, the title and the
#: publication line. Nothing with these roles is shown, searched or counted as report text.
FRONT_ROLES = ("furniture", "title", "meta")
_META_LINE = re.compile(
    r"^发布时间[::]\s*(?P<time>\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2})"
    r"\s+来源[::]\s*(?P<source>[^\s【]+)"
)
_TITLE_LINE = re.compile(r"^\S*报告$")
_PART_HEADINGS = {"2022年工作回顾": "review_2022", "2023年工作任务": "tasks_2023"}
_SECTION_HEADING = re.compile(r"^(一年来,|[一二三四五六七八九十]+、)")


@dataclass(frozen=True)
class Paragraph:
    """One non-empty line of the report, located by character offsets into the text."""

    paragraph_id: str
    section_id: str
    part: str
    position: int
    line: int
    role: str
    start: int
    end: int
    text: str


def split_paragraphs(text: str, section_starts: list[tuple[str, str, int]]) -> list[Paragraph]:
    """Split the report text into paragraphs and give each a stable id.

    Parameters
    ----------
    text : str
        The verbatim report.
    section_starts : list of (section_id, part, first_line)
        Sections in order, with the 1-based line each one starts on.

    Examples
    --------
    >>> text = "搜索\\n工作报告\\n\\n  2022年工作回顾\\n\\n  一年来,我们坚持\\n\\n  正文。\\n"
    >>> paras = split_paragraphs(text, [("front", "front", 1), ("r1", "review_2022", 6)])
    >>> [(p.paragraph_id, p.role, p.text) for p in paras]
    [('front-p1', 'furniture', '搜索'), ('front-p2', 'title', '工作报告'), \
('r1-h0', 'part_heading', '2022年工作回顾'), ('r1-h', 'heading', '一年来,我们坚持'), \
('r1-p1', 'body', '正文。')]
    >>> text[paras[-1].start:paras[-1].end]
    '正文。'
    """
    starts = sorted(section_starts, key=lambda s: s[2])
    paragraphs: list[Paragraph] = []
    counters: dict[str, int] = {}
    offset = 0
    for line_no, raw in enumerate(text.split("\n"), start=1):
        line_start = offset
        offset += len(raw) + 1
        stripped = raw.strip()
        if not stripped:
            continue
        current = [s for s in starts if s[2] <= line_no]
        # A part heading belongs to the section that follows it.
        if stripped in _PART_HEADINGS:
            section_id, part = _next_section(starts, line_no)
            role = "part_heading"
            pid = f"{section_id}-h0"
        else:
            if not current:
                raise ValueError(f"line {line_no} comes before the first section")
            section_id, part, first_line = current[-1]
            if part == "front":
                role = _front_role(stripped)
            elif line_no == first_line and _SECTION_HEADING.match(stripped):
                role = "heading"
            else:
                role = "body"
            if role == "heading":
                pid = f"{section_id}-h"
            else:
                counters[section_id] = counters.get(section_id, 0) + 1
                pid = f"{section_id}-p{counters[section_id]}"
        start = line_start + raw.index(stripped)
        paragraphs.append(
            Paragraph(
                paragraph_id=pid,
                section_id=section_id,
                part=part,
                position=len(paragraphs),
                line=line_no,
                role=role,
                start=start,
                end=start + len(stripped),
                text=stripped,
            )
        )
    return paragraphs


def _front_role(line: str) -> str:
    """Role of a line of the front matter: the publication line, the title, or furniture."""
    if _META_LINE.match(line):
        return "meta"
    if _TITLE_LINE.match(line):
        return "title"
    return "furniture"


@dataclass(frozen=True)
class ReportMetadata:
    """The report's publication data, read from its front matter.

    Attributes
    ----------
    title : str
        The title line (政府工作报告).
    published : str
        Publication time as ISO 8601 (``2023-01-29T16:14:09``).
    source : str
        The source as written (本网-三水区大塘镇人民政府).
    publisher : str
        The publishing body: the source without the website's own prefix.
    """

    title: str
    published: str
    source: str
    publisher: str


def report_metadata(text: str) -> ReportMetadata:
    """Title, publisher and publication time of the report, without the page's furniture.

    Raises
    ------
    ValueError
        If the front matter has no title line or no publication line.

    Examples
    --------
    >>> front = "搜索\\n网站支持IPv6\\n\\n政府工作报告\\n\\n"
    >>> front += "发布时间:2023-01-29 16:14:09 来源:本网-三水区大塘镇人民政府 【字号:\\n"
    >>> meta = report_metadata(front)
    >>> meta.title, meta.published, meta.publisher
    ('政府工作报告', '2023-01-29T16:14:09', '三水区大塘镇人民政府')
    """
    title = published = source = ""
    for raw in text.split("\n"):
        line = raw.strip()
        if line in _PART_HEADINGS:
            break
        match = _META_LINE.match(line)
        if match and not published:
            published = match["time"].replace(" ", "T")
            source = match["source"]
        elif _TITLE_LINE.match(line) and not title:
            title = line
    if not title or not published:
        raise ValueError("the report's front matter has no title line or no publication line")
    return ReportMetadata(title, published, source, source.rsplit("-", 1)[-1])


def _next_section(starts: list[tuple[str, str, int]], line_no: int) -> tuple[str, str]:
    for section_id, part, first_line in starts:
        if first_line > line_no:
            return section_id, part
    raise ValueError(f"part heading on line {line_no} is followed by no section")


def paragraphs_csv(paragraphs: list[Paragraph]) -> str:
    """Render paragraphs as the CSV text stored in ``paragraphs.csv``."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(PARAGRAPH_FIELDS)
    for p in paragraphs:
        writer.writerow([getattr(p, name) for name in PARAGRAPH_FIELDS])
    return buffer.getvalue()


def build_from_folder(report_dir: Path) -> list[Paragraph]:
    """Derive the paragraphs from ``report.txt`` and ``sections.csv`` in ``report_dir``."""
    text = (report_dir / "report.txt").read_text(encoding="utf-8")
    with (report_dir / "sections.csv").open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    starts = [(r["section_id"], r["part"], int(r["first_line"])) for r in rows]
    return split_paragraphs(text, starts)


def main(argv: list[str] | None = None) -> int:
    """Regenerate ``paragraphs.csv`` from the report text and its sections."""
    from briefing.paths import data_dir

    report_dir = data_dir() / "report"
    target = report_dir / "paragraphs.csv"
    content = paragraphs_csv(build_from_folder(report_dir))
    tmp = target.with_suffix(".csv.tmp")
    tmp.write_text(content, encoding="utf-8")
    tmp.replace(target)
    sys.stdout.write(f"wrote {target.name}: {content.count(chr(10)) - 1} paragraphs\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
