"""Progress on the 2023 commitments: appending to the log, and every name callers need.

Appending is the only write. It holds an exclusive lock, re-reads and validates the log,
writes the whole new content to a temporary file in the same folder, flushes it to disk and
renames it over the log, so a crash mid-write leaves the old log intact and earlier rows are
never rewritten. This module imports neither Altair nor ipywidgets.

Callers reach the whole of the progress log here; besides appending, it re-exports

- the entries and where each commitment stands (:mod:`briefing.progress_status`);
- reading and validating the log (:mod:`briefing.progress_read`);
- the check of an update as typed (:mod:`briefing.progress_entry`);
- the numeric targets (:mod:`briefing.targets`).
"""

from __future__ import annotations

import contextlib
import csv
import datetime as dt
import errno
import fcntl
import io
import os
import tempfile
import time
from collections.abc import Callable, Iterable, Iterator, Mapping
from pathlib import Path
from typing import Any, Final

from briefing import data
from briefing.errors import DataError
from briefing.paths import data_dir
from briefing.progress_entry import EntryRejected, InvalidEntry, suggest, validate
from briefing.progress_read import (
    DATE_SLACK,
    EARLIEST_DATE,
    RESOURCE,
    commitment_targets,
    load_log,
    log_path,
    log_resource,
    parse_log,
)
from briefing.progress_status import (
    NO_DATA,
    STATES,
    STATUS_LABELS,
    STATUSES,
    TIMESTAMP_FORMAT,
    Entry,
    Status,
    order_key,
    status_label,
    status_of,
    statuses,
    summary,
)
from briefing.targets import (
    APPROX_TOLERANCE,
    DECREASE,
    INCREASE,
    MEASURABLE_KINDS,
    Target,
    comparator,
    in_base_unit,
    meets,
    target_of,
)

COLUMNS: Final = (
    "recorded_at",
    "date",
    "commitment_id",
    "status",
    "value",
    "unit",
    "note",
    "evidence",
    "recorded_by",
)
HEADER: Final = ",".join(COLUMNS) + "\n"
LOCK_TIMEOUT: Final = 30.0
_TEMP_PREFIX = ".progress_log."
_TEMP_SUFFIX = ".tmp"


def csv_line(row: Mapping[str, str], columns: Iterable[str] = COLUMNS) -> str:
    """One log line with the columns in the header's order, quoted as needed.

    Examples
    --------
    >>> csv_line({"note": "a, b", "unit": "亿元"})
    ',,,,,亿元,"a, b",,\\n'
    >>> csv_line({"note": "a, b", "unit": "亿元"}, ["unit", "note"])
    '亿元,"a, b"\\n'
    """
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerow([row.get(c, "") for c in columns])
    return buffer.getvalue()


def _recorded_at(entry: Mapping[str, Any], now: dt.datetime) -> str:
    """When an update is recorded: its own ``recorded_at`` (a datetime or text), else ``now``."""
    value = entry.get("recorded_at")
    if isinstance(value, dt.datetime):
        return value.astimezone(dt.UTC).strftime(TIMESTAMP_FORMAT)
    return str(value).strip() if value else now.strftime(TIMESTAMP_FORMAT)


def append(
    entry: Mapping[str, Any],
    root: Path | str | None = None,
    *,
    now: dt.datetime | None = None,
    dry_run: bool = False,
) -> Entry:
    """Validate one update and append it to the log, safely under concurrency and crashes.

    Parameters
    ----------
    entry : mapping
        ``commitment_id``, ``status``, ``recorded_by`` and optionally ``value`` with
        ``unit``, ``note``, ``evidence``, ``date`` (default: today) and ``recorded_at``
        (default: now, UTC). Text is stripped of surrounding spaces.
    root : path, optional
        The data folder (default: ``BRIEFING_DATA_DIR`` or the repository's ``data/``).
    dry_run : bool
        Check everything, the log on disk included, and return the entry as it would be
        written, but write nothing.

    Returns
    -------
    Entry
        The entry as written, with its row number.

    Raises
    ------
    InvalidEntry
        If the update itself is invalid (no row is named: it never reached the log).
    DataError
        If the log on disk is invalid (nothing is written), or it is locked too long.
    """
    folder = Path(root).resolve() if root is not None else data_dir()
    resource = log_resource(folder)
    file = resource["path"]
    moment = (now or dt.datetime.now(dt.UTC)).astimezone(dt.UTC)
    targets = commitment_targets(data.load(folder))
    labels = {status: STATUS_LABELS[status] for status in STATUSES}
    row = validate(entry, commitments=targets, statuses=labels, today=moment.date())
    row["recorded_at"] = _recorded_at(entry, moment)
    try:  # the log's own checks, on the row as it will be written
        parse_log(HEADER + csv_line(row), folder)
    except DataError as problem:
        raise InvalidEntry(file, problem.message, column=problem.column) from None
    path = folder / file
    if dry_run:  # no lock either: a dry run leaves no file behind
        return _appended(path, row, folder)[1]
    path.parent.mkdir(parents=True, exist_ok=True)
    with _locked(path):
        _remove_stale_temporaries(path)
        new, written = _appended(path, row, folder)
        _replace(path, new)
    return written


def _appended(path: Path, row: Mapping[str, str], folder: Path) -> tuple[str, Entry]:
    """The log's new content with ``row`` added, and the entry it becomes (checks both)."""
    load_log(folder)  # the log as it is now must be valid before anything is added
    old = path.read_text(encoding="utf-8") if path.exists() else HEADER
    header = next(csv.reader(old.splitlines()[:1]))
    separator = "" if old.endswith("\n") else "\n"
    new = old + separator + csv_line(row, header)
    if not new.startswith(old):  # pragma: no cover - a bug, never the data
        raise AssertionError("appending would rewrite earlier rows")
    return new, parse_log(new, folder)[-1]


@contextlib.contextmanager
def _locked(path: Path, timeout: float = LOCK_TIMEOUT) -> Iterator[None]:
    """Hold an exclusive lock on ``<log>.lock`` beside the log (advisory, ``flock``)."""
    lock = path.with_name(path.name + ".lock")
    handle = os.open(lock, os.O_RDWR | os.O_CREAT, 0o664)
    try:
        deadline = time.monotonic() + timeout
        while True:
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except OSError as problem:
                if problem.errno not in (errno.EAGAIN, errno.EACCES):
                    raise
                if time.monotonic() > deadline:
                    raise DataError(
                        path.name, f"the log is locked by another writer for over {timeout:.0f} s"
                    ) from None
                time.sleep(0.01)
        yield
    finally:
        os.close(handle)  # closing releases the lock


def _remove_stale_temporaries(path: Path) -> None:
    """Delete temporary files a killed writer left (safe: we hold the lock)."""
    for stale in path.parent.glob(f"{_TEMP_PREFIX}*{_TEMP_SUFFIX}"):
        with contextlib.suppress(FileNotFoundError):
            stale.unlink()


#: Called with the temporary file's path after it is written and synced, before the rename
#: (tests use it to stop a writer at that point).
_before_replace: Callable[[Path], None] | None = None


def _replace(path: Path, content: str) -> None:
    """Write ``content`` to a temporary file beside ``path``, sync it, rename it over ``path``."""
    mode = path.stat().st_mode & 0o777 if path.exists() else 0o644
    handle, name = tempfile.mkstemp(prefix=_TEMP_PREFIX, suffix=_TEMP_SUFFIX, dir=path.parent)
    temporary = Path(name)
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="") as stream:
            stream.write(content)
            stream.flush()
            os.fchmod(stream.fileno(), mode)
            os.fsync(stream.fileno())
        if _before_replace is not None:
            _before_replace(temporary)
        temporary.replace(path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            temporary.unlink()
        raise
    directory = os.open(path.parent, os.O_RDONLY)
    try:
        os.fsync(directory)  # make the rename itself durable
    finally:
        os.close(directory)


__all__ = [
    "APPROX_TOLERANCE",
    "COLUMNS",
    "DATE_SLACK",
    "DECREASE",
    "EARLIEST_DATE",
    "HEADER",
    "INCREASE",
    "LOCK_TIMEOUT",
    "MEASURABLE_KINDS",
    "NO_DATA",
    "RESOURCE",
    "STATES",
    "STATUSES",
    "STATUS_LABELS",
    "Entry",
    "EntryRejected",
    "InvalidEntry",
    "Status",
    "Target",
    "append",
    "commitment_targets",
    "comparator",
    "csv_line",
    "in_base_unit",
    "load_log",
    "log_path",
    "log_resource",
    "meets",
    "order_key",
    "parse_log",
    "status_label",
    "status_of",
    "statuses",
    "suggest",
    "summary",
    "target_of",
]
