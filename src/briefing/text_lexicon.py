"""The lexicon of the report's vocabulary: the policy-term dictionary and the stopword list.

Both files are read and checked line by line (errors name the file and the line), the
dictionary against the report too; :func:`is_countable` says which words count as terms.
Pure functions, no widgets and no jieba.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from briefing.errors import DataError
from briefing.paths import data_dir

TERMS_FILE = "text/policy_terms.txt"
STOPWORDS_FILE = "text/stopwords.txt"

# What jieba joins into one word: its ``re_han_default``. A dictionary term with any other
# character could never come out of the segmenter.
_JIEBA_WORD = re.compile(r"[\u4E00-\u9FD5a-zA-Z0-9+#&._%\-]+")
_DICT_LINE = re.compile(r"(?P<term>\S+)(?: (?P<freq>\d+))?(?: (?P<tag>[a-z]+))?")
_NUMERAL = re.compile(r"[0-9０-９.．%％〇零一二三四五六七八九十百千万亿两]+")


# --------------------------------------------------------------------------- files


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


# --------------------------------------------------------------------------- terms


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
    if not token.strip() or all(is_punctuation(ch) for ch in token):
        return False
    if _NUMERAL.fullmatch(token):
        return False
    if len(token) > 1:
        return True
    return token in (dictionary if isinstance(dictionary, set | frozenset) else set(dictionary))


def is_punctuation(char: str) -> bool:
    """Whether a character is punctuation, a symbol, a space or a control character."""
    return unicodedata.category(char)[0] in "PSZC"
