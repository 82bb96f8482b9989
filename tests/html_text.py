"""What a reader of an app's HTML sees: its text and tooltips, without tags or data attributes.

Used to check that no internal id (``r1-p1``, ``r1-p1.02``, ``c1-03``) is shown to readers and
that English pages hold no Chinese outside the report's own words (elements marked
``lang='zh…'``) and quotations (“…”, 「…」).
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

#: Internal ids: paragraphs (r1-p1, r1-h, t0-h0), facts (r1-p1.02), commitments (c1-03),
#: projects (p001) and exclusions (x01), as tests/test_integrity.py spells them.
ID_PATTERN = re.compile(r"\b(?:[rt]\d+-(?:p\d+|h\d*)(?:\.\d+)?|c\d+-\d+|p\d{3}|x\d{2})\b")
CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
QUOTED = re.compile(r"“[^”]*”|「[^」]*」|‘[^’]*’")
#: Attributes a reader meets: tooltips and what assistive technology reads out.
READ_ATTRIBUTES = ("title", "aria-label", "alt", "placeholder")
VOID = frozenset(
    {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "wbr"}
)


class _Text(HTMLParser):
    def __init__(self, skip_chinese: bool) -> None:
        super().__init__(convert_charrefs=True)
        self.skip_chinese = skip_chinese
        self.stack: list[bool] = []  # per open element: is its content skipped?
        self.text: list[str] = []
        self.attributes: list[str] = []

    def _skipped(self) -> bool:
        return bool(self.stack) and self.stack[-1]

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        skip = self._skipped() or tag in ("style", "script")
        if self.skip_chinese and (values.get("lang") or "").lower().startswith("zh"):
            skip = True
        if not skip:
            self.attributes += [v for k, v in attrs if k in READ_ATTRIBUTES and v]
        if tag not in VOID:
            self.stack.append(skip)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if not self._skipped():
            self.attributes += [v for k, v in attrs if k in READ_ATTRIBUTES and v]

    def handle_endtag(self, tag: str) -> None:
        if tag not in VOID and self.stack:
            self.stack.pop()

    def handle_data(self, data: str) -> None:
        if not self._skipped():
            self.text.append(data)


def read(markup: str, *, skip_chinese: bool = False) -> str:
    """The text and read-out attributes of ``markup``, one piece a line.

    With ``skip_chinese``, elements marked ``lang='zh…'`` (the report's own words) are left out.
    """
    parser = _Text(skip_chinese)
    parser.feed(markup)
    parser.close()
    return "\n".join([*parser.text, *parser.attributes])


def shown_ids(markup: str) -> list[str]:
    """Internal ids a reader would see or hear in ``markup``."""
    return [m.group(0) for m in ID_PATTERN.finditer(read(markup))]


def chinese_outside_quotes(markup: str) -> list[str]:
    """Runs of Chinese in ``markup`` outside lang='zh' elements and quotation marks."""
    unquoted = QUOTED.sub("", read(markup, skip_chinese=True))
    return re.findall(r"[\u3400-\u9fff\uf900-\ufaff]+", unquoted)
