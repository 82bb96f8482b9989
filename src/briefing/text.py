"""Search and vocabulary analysis over the report's paragraphs: pure functions, no widgets.

Two ways to search. A *phrase* search finds every literal occurrence of the query (ASCII
letters matched without regard to case). A *word* search segments the query and the
paragraphs with jieba, loaded with the project's dictionary of policy terms, and finds the
paragraphs whose words include every word of the query. Term frequencies count the words
of the report after dropping stopwords, punctuation, numerals and single characters.

Queries are literal text: nothing a viewer types is interpreted as a pattern or as markup.
:func:`highlight` and :func:`annotate` build HTML from escaped slices of the text only.

jieba is imported on first use, so importing this module stays cheap; its dictionary is
loaded once per process into a private :class:`jieba.Tokenizer` (the global one is left
alone) with jieba's log messages silenced.
"""

from __future__ import annotations

import contextlib
import hashlib
import html
import importlib.metadata
import json
import logging
import os
import re
import threading
import unicodedata
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from itertools import groupby, pairwise
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal, cast

from briefing.errors import DataError
from briefing.paths import data_dir

if TYPE_CHECKING:
    import jieba
    import pandas as pd

TERMS_FILE = "text/policy_terms.txt"
STOPWORDS_FILE = "text/stopwords.txt"
MAX_QUERY_CHARS = 100
MODES = ("phrase", "word")
Mode = Literal["phrase", "word"]
#: Paragraph roles whose words are counted: the report's own headings and body text, not
#: the web page's furniture (``meta``) nor the two part labels (``part_heading``).
CONTENT_ROLES = ("heading", "body")

Span = tuple[int, int]
Token = tuple[str, int, int]

# What jieba joins into one word: its ``re_han_default``. A dictionary term with any other
# character could never come out of the segmenter.
_JIEBA_WORD = re.compile(r"[\u4E00-\u9FD5a-zA-Z0-9+#&._%\-]+")
_DICT_LINE = re.compile(r"(?P<term>\S+)(?: (?P<freq>\d+))?(?: (?P<tag>[a-z]+))?")
_NUMERAL = re.compile(r"[0-9０-９.．%％〇零一二三四五六七八九十百千万亿两]+")


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


def is_countable(token: str, dictionary: Iterable[str] = (), stopwords: Iterable[str] = ()) -> bool:
    """Whether a token counts as a term: not a stopword, punctuation, numeral or lone character.

    A single character still counts when the dictionary lists it.

    Examples
    --------
    >>> [is_countable(t, stopwords={"我们"}) for t in ["园区", "我们", ",", "2022", "十", "镇"]]
    [True, False, False, False, False, False]
    >>> is_countable("CO2"), is_countable("三水"), is_countable("镇", dictionary={"镇"})
    (True, True, True)
    """
    stop = stopwords if isinstance(stopwords, set | frozenset) else set(stopwords)
    if token in stop:
        return False
    if not token.strip() or all(_is_punctuation(ch) for ch in token):
        return False
    if _NUMERAL.fullmatch(token):
        return False
    if len(token) > 1:
        return True
    return token in (dictionary if isinstance(dictionary, set | frozenset) else set(dictionary))


def _is_punctuation(char: str) -> bool:
    return unicodedata.category(char)[0] in "PSZC"


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


# --------------------------------------------------------------------------- HTML


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


# --------------------------------------------------------------------------- lexicon files


@dataclass(frozen=True)
class DictionaryEntry:
    """One line of the user dictionary: a term, and optionally jieba's frequency and tag."""

    term: str
    freq: int | None = None
    tag: str | None = None


@dataclass(frozen=True)
class Lexicon:
    """The policy-term dictionary and the stopword list, validated."""

    entries: tuple[DictionaryEntry, ...]
    stopwords: frozenset[str]

    @property
    def terms(self) -> tuple[str, ...]:
        """The dictionary's terms, in file order."""
        return tuple(entry.term for entry in self.entries)


def _lines(path: Path, label: str) -> list[str]:
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise DataError(label, "file is missing") from None
    if raw.startswith(b"\xef\xbb\xbf"):
        raise DataError(label, "starts with a byte-order mark (BOM); save it as UTF-8 without BOM")
    try:
        content = raw.decode("utf-8")
    except UnicodeDecodeError as error:
        line = raw[: error.start].count(b"\n") + 1
        raise DataError(label, "is not valid UTF-8; save it as UTF-8", row=line) from None
    if not content.strip():
        raise DataError(label, "is empty")
    lines = content.split("\n")
    if lines[-1] == "":
        lines.pop()
    return lines


def _check_line(line: str, label: str, number: int, seen: dict[str, int], term: str) -> None:
    if not line.strip():
        raise DataError(label, "blank line", row=number)
    if line != line.strip():
        raise DataError(label, f"leading or trailing spaces: {line!r}", row=number)
    if term in seen:
        raise DataError(label, f"duplicate {term!r} (first on line {seen[term]})", row=number)
    seen[term] = number


def read_dictionary(path: Path | str, label: str = TERMS_FILE) -> list[DictionaryEntry]:
    """Read and check the user dictionary (jieba's format: ``term [freq] [tag]`` per line).

    Raises
    ------
    DataError
        On a blank line, a duplicate, a malformed line, a zero frequency, or a term that jieba
        could never cut out (it contains a character jieba does not join into words). The
        row is the line number.
    """
    entries = []
    seen: dict[str, int] = {}
    for number, line in enumerate(_lines(Path(path), label), start=1):
        match = _DICT_LINE.fullmatch(line)
        term = match["term"] if match else line
        _check_line(line, label, number, seen, term)
        if match is None:
            raise DataError(
                label, f"expected 'term', 'term freq' or 'term freq tag', got {line!r}", row=number
            )
        if not _JIEBA_WORD.fullmatch(term):
            raise DataError(
                label,
                f"{term!r} has characters the segmenter splits on (use Chinese characters, "
                "letters and digits only)",
                row=number,
            )
        freq = int(match["freq"]) if match["freq"] is not None else None
        if freq == 0:
            raise DataError(label, f"frequency 0 for {term!r}: leave it out instead", row=number)
        entries.append(DictionaryEntry(term, freq, match["tag"]))
    return entries


def read_stopwords(path: Path | str, label: str = STOPWORDS_FILE) -> list[str]:
    """Read and check the stopword list (one word per line).

    Raises
    ------
    DataError
        On a blank line, surrounding spaces, a line holding more than one word, or a
        duplicate; the row is the line number.
    """
    words = []
    seen: dict[str, int] = {}
    for number, line in enumerate(_lines(Path(path), label), start=1):
        _check_line(line, label, number, seen, line)
        if len(line.split()) != 1:
            raise DataError(label, f"one word per line, got {line!r}", row=number)
        words.append(line)
    return words


def validate_lexicon(
    entries: Sequence[DictionaryEntry],
    stopwords: Iterable[str],
    report_text: str,
    *,
    terms_label: str = TERMS_FILE,
    stopwords_label: str = STOPWORDS_FILE,
) -> None:
    """Check the dictionary against the report and the stopwords.

    Raises
    ------
    DataError
        When a dictionary term does not occur in the report, or is also a stopword (the row
        is the term's line in the dictionary).
    """
    stop = set(stopwords)
    for number, entry in enumerate(entries, start=1):
        if entry.term not in report_text:
            raise DataError(terms_label, f"{entry.term!r} does not occur in the report", row=number)
        if entry.term in stop:
            raise DataError(
                terms_label, f"{entry.term!r} is also listed in {stopwords_label}", row=number
            )


def load_lexicon(root: Path | str | None = None, report_text: str | None = None) -> Lexicon:
    """Read and validate the dictionary and stopwords of a data folder.

    ``report_text`` defaults to the folder's ``report/report.txt``.
    """
    folder = Path(root) if root is not None else data_dir()
    entries = read_dictionary(folder / TERMS_FILE)
    stopwords = read_stopwords(folder / STOPWORDS_FILE)
    if report_text is None:
        report_text = (folder / "report" / "report.txt").read_text(encoding="utf-8")
    validate_lexicon(entries, stopwords, report_text)
    return Lexicon(tuple(entries), frozenset(stopwords))


# --------------------------------------------------------------------------- segmentation


@contextmanager
def _quiet_jieba() -> Iterator[None]:
    logger = logging.getLogger("jieba")
    level = logger.level
    logger.setLevel(logging.WARNING)
    try:
        yield
    finally:
        logger.setLevel(level)


#: Where segmentations are kept between processes (``BRIEFING_CACHE_DIR`` overrides it).
CACHE_ENV = "BRIEFING_CACHE_DIR"
#: Bumped whenever the stored format or the way tokens are made changes.
_STORE_FORMAT = 1


def cache_dir() -> Path:
    """``BRIEFING_CACHE_DIR``, else ``$XDG_CACHE_HOME/briefing``, else ``~/.cache/briefing``."""
    configured = os.environ.get(CACHE_ENV)
    if configured:
        return Path(configured)
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "briefing"


def store_key(lexicon: Lexicon) -> str:
    """What a stored segmentation depends on: jieba's version and the whole lexicon.

    Examples
    --------
    >>> a = Lexicon((DictionaryEntry("大塘", 10, "ns"),), frozenset())
    >>> b = Lexicon((DictionaryEntry("大塘", 11, "ns"),), frozenset())
    >>> len(store_key(a)), store_key(a) == store_key(b)
    (16, False)
    """
    try:
        jieba_version = importlib.metadata.version("jieba")
    except importlib.metadata.PackageNotFoundError:  # pragma: no cover - jieba is a dependency
        jieba_version = "?"
    words = [[e.term, e.freq, e.tag] for e in lexicon.entries]
    material = json.dumps([_STORE_FORMAT, jieba_version, words], ensure_ascii=False)
    return hashlib.sha256(material.encode("utf-8")).hexdigest()[:16]


class Segmenter:
    """A private jieba tokenizer holding the policy-term dictionary, with cached results.

    jieba is imported and its dictionary built on first use: about 0.7 s on a 2-core machine,
    more than the rest of the reader's start. So segmentations are also kept on disk
    (:func:`cache_dir`, one file per :func:`store_key`): a process that finds the report's
    paragraphs there counts their words without loading jieba at all, and loads it only for
    a text it has not seen (a viewer's query). Safe to share between threads.
    """

    def __init__(self, lexicon: Lexicon, store: Path | None = None) -> None:
        self.lexicon = lexicon
        self._dictionary = frozenset(lexicon.terms)
        self._tokenizer: jieba.Tokenizer | None = None
        self._lock = threading.RLock()
        self._cache: dict[str, tuple[Token, ...]] = {}
        self.store = store
        self._stored: dict[str, tuple[Token, ...]] | None = None

    @property
    def ready(self) -> bool:
        """Whether jieba's dictionary is already loaded."""
        return self._tokenizer is not None

    def _load(self) -> jieba.Tokenizer:
        with self._lock:
            if self._tokenizer is None:
                import jieba

                with _quiet_jieba():
                    tokenizer = jieba.Tokenizer()
                    tokenizer.initialize()
                    for entry in self.lexicon.entries:
                        tokenizer.add_word(entry.term, entry.freq, entry.tag)
                self._tokenizer = tokenizer
            return self._tokenizer

    def warm(self) -> None:
        """Load jieba's dictionary now, so that the first query does not wait for it."""
        self._load()

    def _from_store(self, text: str) -> tuple[Token, ...] | None:
        with self._lock:
            if self._stored is None:
                self._stored = self._read_store()
            return self._stored.get(text)

    def _read_store(self) -> dict[str, tuple[Token, ...]]:
        if self.store is None:
            return {}
        try:
            raw = json.loads(self.store.read_text(encoding="utf-8"))
            return {
                text: tuple((str(w), int(a), int(b)) for w, a, b in tokens)
                for text, tokens in raw.items()
            }
        except FileNotFoundError:
            return {}
        except (OSError, ValueError, TypeError, AttributeError):
            logging.getLogger("briefing").warning("ignoring an unreadable segment store")
            return {}

    def save(self, texts: Iterable[str] | None = None) -> bool:
        """Keep the segmentations made here (of ``texts`` only, if given) on disk for other
        processes; True if a file was written.

        The reader keeps only the report's paragraphs: what viewers search for stays in
        memory. Written whole to a temporary file, then renamed over the old one, so a reader
        never sees half a file. Failures (a read-only disk) are logged, never raised.
        """
        if self.store is None:
            return False
        with self._lock:
            chosen = self._cache if texts is None else texts
            keep = {t: self._cache[t] for t in chosen if t in self._cache}
            stored = self._stored if self._stored is not None else self._read_store()
            if all(text in stored for text in keep):
                return False
            merged = {**stored, **keep}
            self._stored = merged
        payload = json.dumps(
            {text: [list(t) for t in tokens] for text, tokens in merged.items()},
            ensure_ascii=False,
            separators=(",", ":"),
        )
        partial = self.store.with_name(f"{self.store.name}.{os.getpid()}.tmp")
        try:
            self.store.parent.mkdir(parents=True, exist_ok=True)
            partial.write_text(payload, encoding="utf-8")
            partial.replace(self.store)
        except OSError:
            logging.getLogger("briefing").warning("could not keep the segment store", exc_info=True)
            with contextlib.suppress(OSError):
                partial.unlink()
            return False
        return True

    def tokens(self, text: str) -> tuple[Token, ...]:
        """The words of ``text`` with their offsets, as ``(word, start, end)``."""
        cached = self._cache.get(text)
        if cached is not None:
            return cached
        result = self._from_store(text)
        if result is None:
            tokenizer = self._load()
            with self._lock:
                result = tuple(tokenizer.tokenize(text))
        with self._lock:
            self._cache[text] = result
        return result

    def words(self, text: str) -> list[str]:
        """The words of ``text``."""
        return [word for word, _, _ in self.tokens(text)]

    def query_words(self, query: str) -> list[str]:
        """The distinct words of a query, without spaces and punctuation, in order."""
        words: list[str] = []
        for piece in query.split():
            for word in self.words(piece):
                is_word = word.strip() and not all(_is_punctuation(ch) for ch in word)
                if is_word and word not in words:
                    words.append(word)
        return words

    def countable(self, word: str) -> bool:
        """Whether ``word`` counts as a term (see :func:`is_countable`)."""
        return is_countable(word, self._dictionary, self.lexicon.stopwords)


_segmenters: dict[tuple[Path, tuple[int, ...]], Segmenter] = {}
_segmenters_lock = threading.Lock()


def get_segmenter(root: Path | str | None = None, report_text: str | None = None) -> Segmenter:
    """The segmenter of a data folder (``BRIEFING_DATA_DIR`` or ``data/``), built once.

    Rebuilt when the dictionary or the stopword file changes.
    """
    folder = (Path(root) if root is not None else data_dir()).resolve()
    signature = []
    for name in (TERMS_FILE, STOPWORDS_FILE):
        try:
            stat = (folder / name).stat()
        except FileNotFoundError:
            signature += [-1, -1]
        else:
            signature += [stat.st_size, stat.st_mtime_ns]
    key = (folder, tuple(signature))
    with _segmenters_lock:
        segmenter = _segmenters.get(key)
        if segmenter is None:
            lexicon = load_lexicon(folder, report_text)
            store = cache_dir() / f"segments-{store_key(lexicon)}.json"
            segmenter = Segmenter(lexicon, store)
            _segmenters[key] = segmenter
        return segmenter
