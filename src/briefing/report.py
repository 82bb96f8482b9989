"""The report's structure: parts, sections and paragraphs with stable ids, derived from its text.

The text in ``data/report/report.txt`` is kept verbatim. ``sections.csv`` names each
section and the line it starts on; every non-empty line is one paragraph. Paragraph ids
are ``<section>-h`` for a heading and ``<section>-p<n>`` for the n-th body paragraph, so a
quote can be located and linked as ``r1-p1``. ``paragraphs.csv`` is generated from these
two files (``python -m briefing.report``) and a test keeps it in sync.
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
    >>> text = "标题\\n\\n  2022年工作回顾\\n\\n  一年来,我们坚持\\n\\n  正文。\\n"
    >>> paras = split_paragraphs(text, [("front", "front", 1), ("r1", "review_2022", 5)])
    >>> [(p.paragraph_id, p.role, p.text) for p in paras]
    [('front-p1', 'meta', '标题'), ('r1-h0', 'part_heading', '2022年工作回顾'), \
('r1-h', 'heading', '一年来,我们坚持'), ('r1-p1', 'body', '正文。')]
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
                role = "meta"
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
