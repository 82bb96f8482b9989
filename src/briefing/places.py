"""Where a paragraph is, in the words a reader uses: 「综合施策,…」第2段, or “…”, paragraph 2.

Paragraph ids (``r1-p2``) are for machines: anchors, links and data attributes. Readers see
the section's title and the paragraph's number in it (headings are not counted).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any

from briefing import frames

if TYPE_CHECKING:
    from briefing.data import Dataset

HEADING_ROLES = frozenset({"heading", "part_heading"})


def paragraph_numbers(paragraphs: Iterable[Mapping[str, Any]]) -> dict[str, int]:
    """Number the paragraphs of each section 1, 2, … in the given (reading) order.

    Headings get 0: they are named by their section's title alone.

    Examples
    --------
    >>> rows = [
    ...     {"paragraph_id": "r1-h", "section_id": "r1", "role": "heading"},
    ...     {"paragraph_id": "r1-p1", "section_id": "r1", "role": "body"},
    ...     {"paragraph_id": "r1-p2", "section_id": "r1", "role": "body"},
    ...     {"paragraph_id": "t1-p1", "section_id": "t1", "role": "body"},
    ... ]
    >>> paragraph_numbers(rows)
    {'r1-h': 0, 'r1-p1': 1, 'r1-p2': 2, 't1-p1': 1}
    """
    seen: dict[str, int] = {}
    numbers: dict[str, int] = {}
    for row in paragraphs:
        if row["role"] in HEADING_ROLES:
            numbers[str(row["paragraph_id"])] = 0
            continue
        section = str(row["section_id"])
        seen[section] = seen.get(section, 0) + 1
        numbers[str(row["paragraph_id"])] = seen[section]
    return numbers


def number_label(number: int, lang: str) -> str:
    """A paragraph's number in its section, as a reader says it.

    Examples
    --------
    >>> number_label(2, "zh"), number_label(2, "en"), number_label(0, "en")
    ('第2段', 'paragraph 2', 'heading')
    """
    if number <= 0:
        return "heading" if lang == "en" else "标题"
    return f"paragraph {number}" if lang == "en" else f"第{number}段"


def place_label(section_title: str, number: int, lang: str) -> str:
    """A section's title and a paragraph's number in it.

    Examples
    --------
    >>> place_label("综合施策,经济运行平稳向好", 1, "zh")
    '「综合施策,经济运行平稳向好」第1段'
    >>> place_label("Coordinated measures: a steady, improving economy", 1, "en")
    '“Coordinated measures: a steady, improving economy”, paragraph 1'
    """
    if lang == "en":
        return f"“{section_title}”, {number_label(number, lang)}"
    return f"「{section_title}」{number_label(number, lang)}"


class Places:
    """The reader-facing place of every paragraph of the report proper."""

    def __init__(self, dataset: Dataset) -> None:
        paragraphs = dataset.content_paragraphs.sort_values("start", kind="stable")
        rows = frames.records(paragraphs[["paragraph_id", "section_id", "role"]])
        self.numbers = paragraph_numbers(rows)
        self.section_of = {str(r["paragraph_id"]): str(r["section_id"]) for r in rows}
        self.titles = {
            str(row["section_id"]): (str(row["title_zh"]), str(row["title_en"]))
            for row in frames.records(dataset.sections)
        }

    def number(self, paragraph_id: str) -> int:
        """The paragraph's number in its section (0 for a heading)."""
        return self.numbers[paragraph_id]

    def label(self, paragraph_id: str, lang: str) -> str:
        """「section title」第n段 / “section title”, paragraph n."""
        zh, en = self.titles[self.section_of[paragraph_id]]
        return place_label(en if lang == "en" else zh, self.numbers[paragraph_id], lang)


#: The places of the datasets in use, by identity (the loader returns one object per folder).
_BY_DATASET: dict[int, tuple[Dataset, Places]] = {}


def places_of(dataset: Dataset) -> Places:
    """The :class:`Places` of ``dataset``, built once per dataset object."""
    hit = _BY_DATASET.get(id(dataset))
    if hit is not None and hit[0] is dataset:
        return hit[1]
    if len(_BY_DATASET) >= 4:
        _BY_DATASET.clear()
    found = Places(dataset)
    _BY_DATASET[id(dataset)] = (dataset, found)
    return found


__all__ = ["Places", "number_label", "paragraph_numbers", "place_label", "places_of"]
