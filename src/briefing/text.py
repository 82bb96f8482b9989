"""Search over the report's paragraphs and the frequency of its terms: pure functions, no widgets.

Two ways to search. A *phrase* search finds every literal occurrence of the query (ASCII
letters matched without regard to case). A *word* search segments the query and the
paragraphs with jieba, loaded with the project's dictionary of policy terms, and finds the
paragraphs whose words include every word of the query. Term frequencies count the words
of the report after dropping stopwords, punctuation, numerals and single characters.

Queries are literal text: nothing a viewer types is interpreted as a pattern or as markup.

The rest of the text machinery lives beside this module, and every public name of it is
re-exported here (``text.highlight``, ``text.get_segmenter``, ...):

- :mod:`briefing.text_html`: the text as HTML, hits marked and facts underlined;
- :mod:`briefing.text_lexicon`: the dictionary and stopword files, and what counts as a term;
- :mod:`briefing.text_segmenter`: the :class:`Segmenter` (jieba, imported on first use, so
  importing this module stays cheap) and its store on disk.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal, cast

from briefing.text_html import Note, Span, annotate, highlight, merge_spans, snippets
from briefing.text_lexicon import (
    STOPWORDS_FILE,
    TERMS_FILE,
    DictionaryEntry,
    Lexicon,
    is_countable,
    load_lexicon,
    read_dictionary,
    read_stopwords,
    validate_lexicon,
)
from briefing.text_segmenter import (
    CACHE_ENV,
    Segmenter,
    Token,
    cache_dir,
    get_segmenter,
    store_key,
)

if TYPE_CHECKING:
    import pandas as pd

MAX_QUERY_CHARS = 100
MODES = ("phrase", "word")
Mode = Literal["phrase", "word"]
#: Paragraph roles whose words are counted: the report's own headings and body text, not
#: the web page's furniture (``meta``) nor the two part labels (``part_heading``).
CONTENT_ROLES = ("heading", "body")


class QueryTooLong(ValueError):
    """A query longer than :data:`MAX_QUERY_CHARS` characters."""

    def __init__(self, length: int) -> None:
        self.length = length
        super().__init__(f"query has {length} characters; at most {MAX_QUERY_CHARS} are allowed")


@dataclass(frozen=True)
class Hit:
    """One paragraph that matches a query, with every matching span in it.

    Attributes
    ----------
    paragraph_id, section_id, part : str
        Where the paragraph stands in the report.
    spans : tuple of (start, end)
        Offsets of each occurrence within the paragraph's text, in order.
    """

    paragraph_id: str
    section_id: str
    part: str
    spans: tuple[Span, ...]

    @property
    def count(self) -> int:
        """Number of occurrences in the paragraph."""
        return len(self.spans)


# --------------------------------------------------------------------------- queries


def clean_query(query: str | None) -> str:
    """Return the query without surrounding whitespace, refusing one that is too long.

    Raises
    ------
    QueryTooLong
        When more than :data:`MAX_QUERY_CHARS` characters remain.

    Examples
    --------
    >>> clean_query("  养殖池塘 ")
    '养殖池塘'
    >>> clean_query(None)
    ''
    """
    cleaned = (query or "").strip()
    if len(cleaned) > MAX_QUERY_CHARS:
        raise QueryTooLong(len(cleaned))
    return cleaned


def find_phrase(text: str, phrase: str) -> list[Span]:
    """Offsets of every non-overlapping occurrence of ``phrase`` in ``text``.

    The phrase is literal (``.`` is a full stop, ``(`` a parenthesis); ASCII letters match
    regardless of case.

    Examples
    --------
    >>> find_phrase("项目建设量质并举。成立项目临时党支部", "项目")
    [(0, 2), (11, 13)]
    >>> find_phrase("CO2捕集", "co2"), find_phrase("a.b", "."), find_phrase("abc", ".*")
    ([(0, 3)], [(1, 2)], [])
    >>> find_phrase("文本", "")
    []
    """
    if not phrase:
        return []
    pattern = re.compile(re.escape(phrase), re.IGNORECASE | re.ASCII)
    return [match.span() for match in pattern.finditer(text)]


def search(
    paragraphs: pd.DataFrame | Iterable[Mapping[str, Any]],
    query: str,
    mode: Mode = "phrase",
    *,
    segmenter: Segmenter | None = None,
) -> list[Hit]:
    """Find the paragraphs that match ``query``, in report order.

    Parameters
    ----------
    paragraphs : DataFrame or iterable of mappings
        Rows with ``paragraph_id``, ``section_id``, ``part`` and ``text``.
    query : str
        Literal text. Surrounding whitespace is ignored; an empty query finds nothing.
    mode : {"phrase", "word"}
        ``"phrase"``: every occurrence of the query as a substring.
        ``"word"``: the query is segmented into words; a paragraph matches when its own
        words include every one of them, and each occurrence of any of them is a span.
    segmenter : Segmenter, optional
        For word mode; the data folder's segmenter by default.

    Raises
    ------
    QueryTooLong
        When the query is longer than :data:`MAX_QUERY_CHARS` characters.

    Examples
    --------
    >>> rows = [{"paragraph_id": "a-p1", "section_id": "a", "part": "x", "text": "河涌,河涌"}]
    >>> [(hit.paragraph_id, hit.spans) for hit in search(rows, "河涌")]
    [('a-p1', ((0, 2), (3, 5)))]
    >>> search(rows, "   ")
    []
    """
    if mode not in MODES:
        raise ValueError(f"mode must be one of {MODES}, not {mode!r}")
    cleaned = clean_query(query)
    if not cleaned:
        return []
    records = _records(paragraphs)
    if mode == "phrase":
        found = ((row, find_phrase(str(row["text"]), cleaned)) for row in records)
    else:
        seg = segmenter if segmenter is not None else get_segmenter()
        words = {word.casefold() for word in seg.query_words(cleaned)}
        if not words:
            return []
        found = ((row, _word_spans(seg.tokens(str(row["text"])), words)) for row in records)
    return [
        Hit(str(row["paragraph_id"]), str(row["section_id"]), str(row["part"]), tuple(spans))
        for row, spans in found
        if spans
    ]


def _word_spans(tokens: Sequence[Token], words: set[str]) -> list[Span]:
    spans, present = [], set()
    for word, start, end in tokens:
        folded = word.casefold()
        if folded in words:
            spans.append((start, end))
            present.add(folded)
    return spans if present == words else []


def counts_by_section(hits: Iterable[Hit]) -> dict[str, int]:
    """Occurrences per section, in the order the sections first appear among the hits.

    Examples
    --------
    >>> hits = [Hit("r3-p1", "r3", "review_2022", ((0, 2),)),
    ...         Hit("t2-p3", "t2", "tasks_2023", ((5, 7), (9, 11)))]
    >>> counts_by_section(hits)
    {'r3': 1, 't2': 2}
    """
    counts: dict[str, int] = {}
    for hit in hits:
        counts[hit.section_id] = counts.get(hit.section_id, 0) + hit.count
    return counts


def counts_by_part(hits: Iterable[Hit]) -> dict[str, int]:
    """Occurrences per part of the report (``review_2022``, ``tasks_2023``, ...).

    Examples
    --------
    >>> counts_by_part([Hit("r3-p1", "r3", "review_2022", ((0, 2), (4, 6)))])
    {'review_2022': 2}
    """
    counts: dict[str, int] = {}
    for hit in hits:
        counts[hit.part] = counts.get(hit.part, 0) + hit.count
    return counts


# --------------------------------------------------------------------------- vocabulary


def term_frequencies(
    paragraphs: pd.DataFrame | Iterable[Mapping[str, Any]],
    part: str | None = None,
    top: int | None = 20,
    *,
    roles: Sequence[str] | None = CONTENT_ROLES,
    segmenter: Segmenter | None = None,
) -> list[tuple[str, int]]:
    """The most frequent terms of the report (or of one part), most frequent first.

    Parameters
    ----------
    paragraphs : DataFrame or iterable of mappings
        Rows with ``part``, ``role`` and ``text``.
    part : str, optional
        Only paragraphs of this part (``"review_2022"`` or ``"tasks_2023"``).
    top : int, optional
        How many terms to return; all when None.
    roles : sequence of str, optional
        Only paragraphs with these roles; all when None. Headings and body by default.
    segmenter : Segmenter, optional
        The data folder's segmenter by default.

    Returns
    -------
    list of (term, count)
        Ties are broken by the term's first appearance in the text.
    """
    seg = segmenter if segmenter is not None else get_segmenter()
    counts: Counter[str] = Counter()
    first: dict[str, int] = {}
    for row in _records(paragraphs):
        if part is not None and row["part"] != part:
            continue
        if roles is not None and row["role"] not in roles:
            continue
        for word, _, _ in seg.tokens(str(row["text"])):
            if seg.countable(word):
                counts[word] += 1
                first.setdefault(word, len(first))
    ranked = sorted(counts.items(), key=lambda item: (-item[1], first[item[0]]))
    return ranked if top is None else ranked[:top]


def _records(paragraphs: pd.DataFrame | Iterable[Mapping[str, Any]]) -> list[Mapping[str, Any]]:
    to_dict = getattr(paragraphs, "to_dict", None)
    if callable(to_dict):
        return list(to_dict("records"))
    return list(cast("Iterable[Mapping[str, Any]]", paragraphs))


__all__ = [
    "CACHE_ENV",
    "CONTENT_ROLES",
    "MAX_QUERY_CHARS",
    "MODES",
    "STOPWORDS_FILE",
    "TERMS_FILE",
    "DictionaryEntry",
    "Hit",
    "Lexicon",
    "Mode",
    "Note",
    "QueryTooLong",
    "Segmenter",
    "Span",
    "Token",
    "annotate",
    "cache_dir",
    "clean_query",
    "counts_by_part",
    "counts_by_section",
    "find_phrase",
    "get_segmenter",
    "highlight",
    "is_countable",
    "load_lexicon",
    "merge_spans",
    "read_dictionary",
    "read_stopwords",
    "search",
    "snippets",
    "store_key",
    "term_frequencies",
    "validate_lexicon",
]
