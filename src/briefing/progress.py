"""Progress on the 2023 commitments: the append-only log, its validation, and each task's state.

Staff record one row per update in ``progress/progress_log.csv`` (see the ``progress_log``
resource of ``datapackage.json``). This module reads and validates the log, appends to it
safely, and computes where each commitment stands, adapting Open SDG's progress status
(direction, target value, comparator, latest value) to the report's own qualifiers.

Appending is the only write. It holds an exclusive lock, re-reads and validates the log,
writes the whole new content to a temporary file in the same folder, flushes it to disk and
renames it over the log, so a crash mid-write leaves the old log intact and earlier rows are
never rewritten. This module imports neither Altair nor ipywidgets.
"""

from __future__ import annotations

import contextlib
import csv
import datetime as dt
import errno
import fcntl
import io
import math
import os
import re
import tempfile
import time
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Final

from briefing import data, frames, numbers
from briefing.errors import DataError
from briefing.paths import data_dir

RESOURCE: Final = "progress_log"
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

#: Statuses staff can record, in the order a task usually goes through them.
STATUSES: Final = ("not_started", "in_progress", "done", "at_risk", "dropped")
#: The state of a commitment with no update yet.
NO_DATA: Final = "no_data"
#: Every state a commitment can be shown in.
STATES: Final = (NO_DATA, *STATUSES)
STATUS_LABELS: Final[dict[str, tuple[str, str]]] = {
    NO_DATA: ("暂无记录", "No data yet"),
    "not_started": ("未启动", "Not started"),
    "in_progress": ("推进中", "In progress"),
    "done": ("已完成", "Done"),
    "at_risk": ("有风险", "At risk"),
    "dropped": ("已取消", "Dropped"),
}

INCREASE: Final = "increase"
DECREASE: Final = "decrease"
#: Relative tolerance of an approximate target (左右, 约, 近): within ±5% of the target.
APPROX_TOLERANCE: Final = 0.05
#: Kinds of target fact progress can be measured against. A duration (用两年时间) is the
#: time allowed, already carried by the commitment's deadline, not an amount to reach.
MEASURABLE_KINDS: Final = frozenset({"count", "money", "area", "ratio", "length", "level", "index"})
#: Progress dates before this are not about the 2023 report.
EARLIEST_DATE: Final = dt.date(2023, 1, 1)
#: A progress date may run one day ahead of ``recorded_at`` (UTC), for local time (UTC+8).
DATE_SLACK: Final = dt.timedelta(days=1)
LOCK_TIMEOUT: Final = 30.0
_TIMESTAMP = "%Y-%m-%dT%H:%M:%SZ"
_TEMP_PREFIX = ".progress_log."
_TEMP_SUFFIX = ".tmp"
_TEXT_COLUMNS = ("note", "evidence", "recorded_by")
_NUMBER = re.compile(r"-?[0-9]+(?:\.[0-9]+)?")
_LINE_BREAKS = frozenset("\r\n\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029")


class InvalidEntry(DataError):
    """An update rejected before it reached the log (the log itself is fine)."""


@dataclass(frozen=True)
class Entry:
    """One validated row of the progress log.

    ``row`` is its 1-based data row in the log (the header is row 0).
    """

    recorded_at: dt.datetime
    date: dt.date
    commitment_id: str
    status: str
    value: float | None
    unit: str
    note: str
    evidence: str
    recorded_by: str
    row: int = 0

    def as_row(self) -> dict[str, str]:
        """The entry as the log writes it, one string per column."""
        return {
            "recorded_at": self.recorded_at.strftime(_TIMESTAMP),
            "date": self.date.isoformat(),
            "commitment_id": self.commitment_id,
            "status": self.status,
            "value": "" if self.value is None else numbers.format_value(self.value),
            "unit": self.unit,
            "note": self.note,
            "evidence": self.evidence,
            "recorded_by": self.recorded_by,
        }


# --------------------------------------------------------------------------- targets


@dataclass(frozen=True)
class Target:
    """A commitment's numeric target, in its written form and in its base unit.

    Attributes
    ----------
    value, unit, qualifier, kind : as in ``facts.csv``
    base_value : float
        The target in ``base_unit`` (money in yuan, areas in mu ...).
    base_unit : str
    direction : {"increase", "decrease"}
        Whether progress means going up or down.
    comparator : {"gt", "ge", "lt", "le", "approx"}
        How the latest value is compared with the target.
    """

    fact_id: str
    value: float
    unit: str
    qualifier: str
    kind: str
    base_value: float
    base_unit: str
    direction: str
    comparator: str


def comparator(qualifier: str, direction: str = INCREASE, value: float = 1.0) -> str:
    """The comparison a target's qualifier asks for.

    For an increase: 超 and 余 (more than) are strict, ``gt``; 以上 and 不少于 (or more, at
    least) are ``ge``; 左右, 约 and 近 (about, nearly) are ``approx``, within
    ±`APPROX_TOLERANCE`. A bare number ('') is a growth rate or a count to reach, so reaching
    it is enough (``ge``), except a target of zero (零的突破, a first one), which means more
    than zero (``gt``). A decrease mirrors these (``lt``, ``le``).

    Examples
    --------
    >>> comparator("超"), comparator("以上"), comparator("不少于"), comparator("左右")
    ('gt', 'ge', 'ge', 'approx')
    >>> comparator(""), comparator("", value=0), comparator("超", "decrease")
    ('ge', 'gt', 'lt')
    """
    if direction not in (INCREASE, DECREASE):
        raise ValueError(f"direction must be {INCREASE!r} or {DECREASE!r}, not {direction!r}")
    if qualifier in ("左右", "约", "近"):
        return "approx"
    if qualifier in ("超", "余"):
        strict = True
    elif qualifier in ("以上", "不少于"):
        strict = False
    elif qualifier == "":
        strict = direction == INCREASE and value == 0
    else:
        raise ValueError(f"unknown qualifier {qualifier!r}")
    if direction == INCREASE:
        return "gt" if strict else "ge"
    return "lt" if strict else "le"


def meets(value: float, target: float, comparison: str) -> bool:
    """Whether ``value`` meets ``target`` under a comparator (both in the same unit).

    Values equal up to floating-point noise count as equal.

    Examples
    --------
    >>> meets(250, 250, "gt"), meets(250.5, 250, "gt"), meets(40, 40, "ge")
    (False, True, True)
    >>> meets(95, 100, "approx"), meets(94.9, 100, "approx"), meets(90, 100, "le")
    (True, False, True)
    """
    equal = math.isclose(value, target, rel_tol=1e-9, abs_tol=1e-12)
    if comparison == "gt":
        return value > target and not equal
    if comparison == "ge":
        return value > target or equal
    if comparison == "lt":
        return value < target and not equal
    if comparison == "le":
        return value < target or equal
    if comparison == "approx":
        return equal or abs(value - target) <= APPROX_TOLERANCE * abs(target) * (1 + 1e-9)
    raise ValueError(f"unknown comparator {comparison!r}")


#: The data's ``direction`` (facts.csv) as the direction of a target.
_DIRECTIONS: Final = {
    "": INCREASE,
    "higher_better": INCREASE,
    "lower_better": DECREASE,
    INCREASE: INCREASE,
    DECREASE: DECREASE,
}
#: The data's ``comparator`` (facts.csv) as a comparison; "exactly" and "" follow the qualifier.
_COMPARISONS: Final = {
    "at_least": "ge",
    "more_than": "gt",
    "about": "approx",
    "at_most": "le",
    "less_than": "lt",
}


def target_of(fact: Mapping[str, Any] | None) -> Target | None:
    """The numeric target a commitment's target fact sets, or None if it sets none.

    The direction is read from the fact's ``direction`` field (higher_better, lower_better)
    when it has one, else ``"increase"``: every numeric target of this report is something to
    raise or reach. The comparison is the fact's ``comparator`` when it bounds the value
    (at_least, more_than, about, at_most, less_than), else the one its qualifier implies.
    """
    if fact is None or not fact.get("fact_id") or fact.get("kind") not in MEASURABLE_KINDS:
        return None
    value = float(fact["value"])
    unit = str(fact["unit"])
    kind = str(fact["kind"])
    qualifier = str(fact.get("qualifier") or "")
    direction = _DIRECTIONS.get(str(fact.get("direction") or ""), str(fact.get("direction")))
    written = _COMPARISONS.get(str(fact.get("comparator") or ""))
    base_value, base_unit = data.normalised(value, unit, kind)
    return Target(
        fact_id=str(fact["fact_id"]),
        value=value,
        unit=unit,
        qualifier=qualifier,
        kind=kind,
        base_value=base_value,
        base_unit=base_unit,
        direction=direction,
        comparator=written or comparator(qualifier, direction, value),
    )


def in_base_unit(value: float, unit: str, target: Target) -> float:
    """Express a recorded value in the target's base unit.

    Raises
    ------
    ValueError
        If the unit is unknown or cannot be compared with the target's.

    Examples
    --------
    >>> t = target_of({"fact_id": "f", "value": 250, "unit": "亿元", "qualifier": "超",
    ...                "kind": "money"})
    >>> in_base_unit(120, "亿元", t), in_base_unit(3000, "万元", t)
    (12000000000.0, 30000000.0)
    >>> in_base_unit(3, "亩", t)
    Traceback (most recent call last):
    ...
    ValueError: '亩' (mu) cannot be compared with the target's unit '亿元' (yuan)
    """
    try:
        base_value, base_unit = data.normalised(value, unit, target.kind)
    except ValueError:  # an area target and a unit that is not an area
        base_unit = numbers.UNITS[unit].base if unit in numbers.UNITS else "?"
        base_value = math.nan
    if base_unit != target.base_unit:
        raise ValueError(
            f"{unit!r} ({base_unit}) cannot be compared with the target's unit "
            f"{target.unit!r} ({target.base_unit})"
        )
    return base_value


# --------------------------------------------------------------------------- status


@dataclass(frozen=True)
class Status:
    """Where one commitment stands.

    Attributes
    ----------
    state : str
        The latest recorded status, or ``"no_data"``.
    latest : Entry or None
        The latest entry, by (date, recorded_at, row).
    value_entry : Entry or None
        The latest entry that carries a value (it may be older than ``latest``).
    latest_value : float or None
        Its value in the target's base unit.
    met : bool or None
        Whether that value meets the target; None without a numeric target, without a
        value, or when the commitment is dropped.
    entries : tuple of Entry
        The commitment's entries, oldest first.
    """

    commitment_id: str
    state: str
    target: Target | None
    latest: Entry | None
    value_entry: Entry | None
    latest_value: float | None
    met: bool | None
    entries: tuple[Entry, ...]


def order_key(entry: Entry) -> tuple[dt.date, dt.datetime, int]:
    """Sort key of entries: the date progress refers to, then when it was recorded, then row."""
    return (entry.date, entry.recorded_at, entry.row)


def status_of(
    commitment: Mapping[str, Any], fact: Mapping[str, Any] | None, entries: Iterable[Entry]
) -> Status:
    """Compute a commitment's current state from its target fact and the log.

    Parameters
    ----------
    commitment : mapping
        A row of ``commitments_2023``.
    fact : mapping or None
        Its target fact (a row of ``facts``), if any; a ``direction`` field, when present,
        overrides ``"increase"``.
    entries : iterable of Entry
        The log, or any part of it; entries of other commitments are ignored.

    Returns
    -------
    Status
        The latest entry by (date, recorded_at) gives the state: an update recorded later
        about an earlier date does not override a newer one. A dropped commitment is shown
        as dropped whatever its value. The latest value comes from the latest entry that
        has one and is compared with the target by the qualifier's comparator.
    """
    commitment_id = str(commitment["commitment_id"])
    own = tuple(sorted((e for e in entries if e.commitment_id == commitment_id), key=order_key))
    target = target_of(fact)
    if not own:
        return Status(commitment_id, NO_DATA, target, None, None, None, None, ())
    latest = own[-1]
    with_value = [e for e in own if e.value is not None]
    value_entry = with_value[-1] if with_value else None
    latest_value: float | None = None
    met: bool | None = None
    if target is not None and value_entry is not None and value_entry.value is not None:
        latest_value = in_base_unit(value_entry.value, value_entry.unit, target)
        if latest.status != "dropped":
            met = meets(latest_value, target.base_value, target.comparator)
    return Status(commitment_id, latest.status, target, latest, value_entry, latest_value, met, own)


def statuses(dataset: data.Dataset, entries: Iterable[Entry]) -> dict[str, Status]:
    """The state of every commitment of the dataset, keyed by commitment id, in file order."""
    entries = list(entries)
    facts = dataset.facts.set_index("fact_id", drop=False)
    result = {}
    for commitment in frames.records(dataset.commitments):
        fact_id = commitment["target_fact_id"]
        fact = frames.record(facts, fact_id) if fact_id else None
        result[commitment["commitment_id"]] = status_of(commitment, fact, entries)
    return result


# --------------------------------------------------------------------------- reading


def log_path(root: Path | str | None = None) -> Path:
    """Where the progress log of a data folder is."""
    folder = Path(root).resolve() if root is not None else data_dir()
    return folder / str(_resource(folder)["path"])


def _resource(folder: Path) -> dict[str, Any]:
    for resource in data.descriptor(folder)["resources"]:
        if resource["name"] == RESOURCE:
            return dict(resource)
    raise DataError(data.DESCRIPTOR, f"resource {RESOURCE!r} is not described")


def load_log(root: Path | str | None = None) -> list[Entry]:
    """Read and validate the progress log, in file order.

    A missing log reads as an empty one (nothing recorded yet; the first append creates
    it). Leftover temporary files beside the log are ignored.

    Raises
    ------
    DataError
        Naming the file, row and column of the first problem: anything the Table Schema
        checks (types, enums, required fields, patterns), and what it cannot express: an
        unknown commitment, a value without a unit or a unit without a value, a unit that
        cannot be compared with the target's, a value for a commitment without a numeric
        target, a date outside 2023 onwards or after the day it was recorded, a recorded_at
        that is not a real UTC date-time, a line break inside a text.
    """
    folder = Path(root).resolve() if root is not None else data_dir()
    resource = _resource(folder)
    if not (folder / resource["path"]).exists():
        return []
    rows = data.read_table(folder, _as_read(resource))
    return _check_rows(rows, resource["path"], data.load(folder))


def parse_log(text: str, root: Path | str | None = None) -> list[Entry]:
    """Validate log content that is not (yet) on disk, as :func:`load_log` would."""
    folder = Path(root).resolve() if root is not None else data_dir()
    resource = _resource(folder)
    rows = _read_text(text, _as_read(resource))
    return _check_rows(rows, resource["path"], data.load(folder))


def _as_read(resource: Mapping[str, Any]) -> dict[str, Any]:
    """The resource with ``value`` read as text, so 'nan' and 'inf' are not taken for numbers."""
    schema = dict(resource["schema"])
    schema["fields"] = [
        {**spec, "type": "string"} if spec["name"] == "value" else spec for spec in schema["fields"]
    ]
    return {**resource, "schema": schema}


def _read_text(text: str, resource: Mapping[str, Any]) -> list[dict[str, Any]]:
    """Run the schema checks of :func:`data.read_table` on text, errors naming the log."""
    with tempfile.TemporaryDirectory(prefix="briefing-progress-") as scratch:
        path = Path(scratch) / resource["path"]
        path.parent.mkdir(parents=True)
        path.write_text(text, encoding="utf-8", newline="")
        return data.read_table(Path(scratch), resource)


def _check_rows(rows: list[dict[str, Any]], file: str, dataset: data.Dataset) -> list[Entry]:
    commitments = dataset.commitments.set_index("commitment_id", drop=False)
    facts = dataset.facts.set_index("fact_id", drop=False)
    targets: dict[str, Target | None] = {}
    for commitment_id, fact_id in zip(
        commitments["commitment_id"], commitments["target_fact_id"], strict=True
    ):
        targets[commitment_id] = target_of(frames.record(facts, fact_id)) if fact_id else None
    return [_check_row(row, number, file, targets) for number, row in enumerate(rows, start=1)]


def _check_row(
    row: Mapping[str, Any], number: int, file: str, targets: Mapping[str, Target | None]
) -> Entry:
    def error(column: str, message: str) -> DataError:
        return DataError(file, message, row=number, column=column)

    try:
        recorded_at = dt.datetime.strptime(row["recorded_at"], _TIMESTAMP).replace(tzinfo=dt.UTC)
    except ValueError:
        raise error(
            "recorded_at",
            f"not a real date-time in UTC like 2023-06-30T08:00:00Z: {row['recorded_at']!r}",
        ) from None
    date = dt.date.fromisoformat(row["date"])
    if date < EARLIEST_DATE:
        raise error("date", f"{row['date']} is before {EARLIEST_DATE.year}, the report's year")
    if date > (recorded_at + DATE_SLACK).date():
        raise error(
            "date",
            f"{row['date']} is after the day it was recorded ({row['recorded_at']}): "
            "record progress that has happened",
        )
    commitment_id = row["commitment_id"]
    if commitment_id not in targets:
        raise error(
            "commitment_id",
            f"{commitment_id!r} does not match any commitment_id in commitments_2023.csv",
        )
    raw = row["value"]
    value: float | None = None
    if raw:
        if not _NUMBER.fullmatch(raw):
            raise error("value", f"not a number: {raw!r} (write it like 120 or 12.5)")
        value = float(raw)
    unit = row["unit"] or ""
    if value is not None:
        target = targets[commitment_id]
        if target is None:
            raise error(
                "value",
                f"commitment {commitment_id} has no numeric target: leave value and unit empty",
            )
        if not unit:
            raise error("unit", "a value needs its unit (as written, e.g. 亿元, 家, %)")
        try:
            in_base_unit(value, unit, target)
        except ValueError as problem:
            raise error("unit", str(problem)) from None
    elif unit:
        raise error("value", f"the unit {unit!r} is given without a value")
    for column in _TEXT_COLUMNS:
        if any(ch in _LINE_BREAKS for ch in row[column]):
            raise error(column, "must be on one line (no line breaks)")
    return Entry(
        recorded_at=recorded_at,
        date=date,
        commitment_id=commitment_id,
        status=row["status"],
        value=value,
        unit=unit,
        note=row["note"],
        evidence=row["evidence"],
        recorded_by=row["recorded_by"],
        row=number,
    )


# --------------------------------------------------------------------------- writing


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


def _entry_row(entry: Mapping[str, Any], now: dt.datetime) -> dict[str, str]:
    """The log row of an update given as a mapping (strings or typed values)."""
    unknown = sorted(set(entry) - set(COLUMNS))
    if unknown:
        raise InvalidEntry(RESOURCE, "unknown field", column=unknown[0])
    row: dict[str, str] = {}
    for column in COLUMNS:
        value = entry.get(column)
        if value is None or (isinstance(value, float) and math.isnan(value)):
            text = ""
        elif column == "value" and isinstance(value, int | float):
            text = numbers.format_value(float(value)) if math.isfinite(value) else str(value)
        elif column == "date" and isinstance(value, dt.date):
            text = value.isoformat()
        elif column == "recorded_at" and isinstance(value, dt.datetime):
            text = value.astimezone(dt.UTC).strftime(_TIMESTAMP)
        else:
            text = str(value).strip()
        row[column] = text
    if not row["recorded_at"]:
        row["recorded_at"] = now.strftime(_TIMESTAMP)
    if not row["date"]:
        row["date"] = dt.date.today().isoformat()
    return row


def append(
    entry: Mapping[str, Any], root: Path | str | None = None, *, now: dt.datetime | None = None
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
    resource = _resource(folder)
    file = resource["path"]
    moment = (now or dt.datetime.now(dt.UTC)).astimezone(dt.UTC)
    try:
        row = _entry_row(entry, moment)
        parse_log(HEADER + csv_line(row), folder)
    except DataError as problem:
        raise InvalidEntry(file, problem.message, column=problem.column) from None
    path = folder / file
    path.parent.mkdir(parents=True, exist_ok=True)
    with _locked(path):
        _remove_stale_temporaries(path)
        load_log(folder)  # the log as it is now must be valid before anything is added
        old = path.read_text(encoding="utf-8") if path.exists() else HEADER
        header = next(csv.reader(old.splitlines()[:1]))
        separator = "" if old.endswith("\n") else "\n"
        new = old + separator + csv_line(row, header)
        if not new.startswith(old):  # pragma: no cover - a bug, never the data
            raise AssertionError("appending would rewrite earlier rows")
        written = parse_log(new, folder)[-1]
        _replace(path, new)
    return written


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


# --------------------------------------------------------------------------- reports


def summary(entries: Iterable[Entry], dataset: data.Dataset) -> dict[str, int]:
    """How many commitments are in each state (every state listed, zeros included)."""
    counts = dict.fromkeys(STATES, 0)
    for status in statuses(dataset, entries).values():
        counts[status.state] += 1
    return counts


def status_label(state: str, lang: str = "zh") -> str:
    """The label of a state in a language.

    Examples
    --------
    >>> status_label("at_risk"), status_label("at_risk", "en")
    ('有风险', 'At risk')
    """
    zh, en = STATUS_LABELS[state]
    return en if lang == "en" else zh
