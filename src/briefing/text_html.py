"""HTML of the report's text with search hits marked and facts underlined: pure functions.

:func:`highlight`, :func:`annotate` and :func:`snippets` build HTML from escaped slices of
the text only, so neither the text nor the query that produced the spans can inject markup.
"""

from __future__ import annotations

import html
from collections.abc import Iterable
from dataclasses import dataclass
from itertools import groupby, pairwise

#: Offsets ``(start, end)`` of a stretch of text.
Span = tuple[int, int]


def merge_spans(spans: Iterable[Span], length: int | None = None) -> list[Span]:
    """Sort spans, clip them to ``[0, length]``, drop empty ones, merge overlapping ones.

    Examples
    --------
    >>> merge_spans([(5, 8), (0, 2), (1, 3), (7, 9), (4, 4)])
    [(0, 3), (5, 9)]
    >>> merge_spans([(-3, 2), (8, 20)], length=10)
    [(0, 2), (8, 10)]
    """
    clipped = []
    for start, end in spans:
        lo, hi = max(0, start), end if length is None else min(end, length)
        if lo < hi:
            clipped.append((lo, hi))
    merged: list[Span] = []
    for start, end in sorted(clipped):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return merged


def highlight(text: str, spans: Iterable[Span]) -> str:
    """Escape ``text`` for HTML and wrap the spans in ``<mark>``.

    The output is built from escaped slices of the text only, so neither the text nor the
    query that produced the spans can inject markup.

    Examples
    --------
    >>> highlight("推进河涌整治", [(2, 4)])
    '推进<mark>河涌</mark>整治'
    >>> highlight("<b>x</b>", [(3, 4)])
    '&lt;b&gt;<mark>x</mark>&lt;/b&gt;'
    """
    return annotate(text, spans)


@dataclass(frozen=True)
class Note:
    """A stretch of text to underline with a tooltip (a fact's quote, for instance)."""

    start: int
    end: int
    title: str
    key: str = ""


def annotate(text: str, marks: Iterable[Span] = (), notes: Iterable[Note] = ()) -> str:
    """Escape ``text`` for HTML, wrapping ``marks`` in ``<mark>`` and ``notes`` in titled spans.

    Marks and notes may overlap one another freely: the text is cut at every boundary and
    each piece is wrapped on its own, so the markup is always well nested. A piece under
    several notes gets all their titles, one per line.

    Examples
    --------
    >>> annotate("新签约项目58个", marks=[(3, 5)], notes=[Note(0, 8, "58 个", "f1")])
    '<span class="briefing-fact" data-fact="f1" title="58 个">新签约<mark>项目</mark>58个</span>'
    """
    length = len(text)
    marked = merge_spans(marks, length)
    noted = [note for note in notes if max(0, note.start) < min(note.end, length)]
    cuts = {0, length}
    for start, end in marked:
        cuts.update((start, end))
    for note in noted:
        cuts.update((max(0, note.start), min(note.end, length)))
    bounds = sorted(cuts)
    pieces: list[tuple[tuple[Note, ...], bool, int, int]] = []
    for lo, hi in pairwise(bounds):
        covering = tuple(note for note in noted if note.start <= lo and hi <= note.end)
        is_marked = any(start <= lo and hi <= end for start, end in marked)
        if pieces and pieces[-1][0] == covering and pieces[-1][1] == is_marked:
            pieces[-1] = (covering, is_marked, pieces[-1][2], hi)
        else:
            pieces.append((covering, is_marked, lo, hi))
    out: list[str] = []
    for covering, group in groupby(pieces, key=lambda piece: piece[0]):
        inner = "".join(
            f"<mark>{html.escape(text[lo:hi], quote=True)}</mark>"
            if is_marked
            else html.escape(text[lo:hi], quote=True)
            for _, is_marked, lo, hi in group
        )
        if covering:
            keys = " ".join(note.key for note in covering if note.key)
            title = "\n".join(note.title for note in covering)
            data = f' data-fact="{html.escape(keys, quote=True)}"' if keys else ""
            inner = (
                f'<span class="briefing-fact"{data} title="{html.escape(title, quote=True)}">'
                f"{inner}</span>"
            )
        out.append(inner)
    return "".join(out)


def snippets(text: str, spans: Iterable[Span], width: int = 36) -> str:
    """Escaped HTML of the text around each span (``width`` characters either side).

    Windows that touch are joined; cuts are shown with an ellipsis.

    Examples
    --------
    >>> snippets("一二三四五六七八九十", [(4, 5)], width=2)
    '…三四<mark>五</mark>六七…'
    >>> snippets("一二三", [(0, 1)], width=5)
    '<mark>一</mark>二三'
    """
    length = len(text)
    marked = merge_spans(spans, length)
    windows = merge_spans(((start - width, end + width) for start, end in marked), length)
    if not windows:
        return ""
    parts = []
    for lo, hi in windows:
        inner = [(start - lo, end - lo) for start, end in marked if lo <= start and end <= hi]
        parts.append(highlight(text[lo:hi], inner))
    before = "…" if windows[0][0] > 0 else ""
    after = "…" if windows[-1][1] < length else ""
    return before + "…".join(parts) + after
