"""Word segmentation of the report with jieba, and the store that keeps it between processes.

jieba is imported on first use, so importing this module stays cheap; its dictionary is
loaded once per process into a private :class:`jieba.Tokenizer` (the global one is left
alone), with the project's policy terms added and jieba's log messages silenced.
Segmentations are kept on disk (:func:`cache_dir`), keyed by the lexicon and jieba's
version (:func:`store_key`).
"""

from __future__ import annotations

import contextlib
import hashlib
import importlib.metadata
import json
import logging
import os
import threading
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

from briefing.paths import data_dir
from briefing.text_lexicon import (
    STOPWORDS_FILE,
    TERMS_FILE,
    Lexicon,
    is_countable,
    is_punctuation,
    load_lexicon,
)

if TYPE_CHECKING:
    import jieba

#: A word of a text with its offsets: ``(word, start, end)``.
Token = tuple[str, int, int]


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
    >>> from briefing.text_lexicon import DictionaryEntry
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
                is_word = word.strip() and not all(is_punctuation(ch) for ch in word)
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
