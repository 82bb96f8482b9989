"""Reading and validating the progress log: where it is, and each row checked into an Entry.

Staff record one row per update in ``progress/progress_log.csv`` (see the ``progress_log``
resource of ``datapackage.json``). The Table Schema's checks run first (types, enums,
required fields, patterns), then what it cannot express (known commitments, values with
units comparable to the target's, dates in range, one-line texts); errors name the file,
row and column. This module imports neither Altair nor ipywidgets.
"""

from __future__ import annotations

import datetime as dt
import re
import tempfile
from collections.abc import Mapping
from pathlib import Path
from typing import Any, Final

from briefing import data, frames
from briefing.errors import DataError
from briefing.paths import data_dir
from briefing.progress_status import TIMESTAMP_FORMAT, Entry
from briefing.targets import Target, in_base_unit, target_of

RESOURCE: Final = "progress_log"
#: Progress dates before this are not about the 2023 report.
EARLIEST_DATE: Final = dt.date(2023, 1, 1)
#: A progress date may run one day ahead of ``recorded_at`` (UTC), for local time (UTC+8).
DATE_SLACK: Final = dt.timedelta(days=1)
_TEXT_COLUMNS = ("note", "evidence", "recorded_by")
_NUMBER = re.compile(r"-?[0-9]+(?:\.[0-9]+)?")
_LINE_BREAKS = frozenset("\r\n\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029")


def log_path(root: Path | str | None = None) -> Path:
    """Where the progress log of a data folder is."""
    folder = Path(root).resolve() if root is not None else data_dir()
    return folder / str(log_resource(folder)["path"])


def log_resource(folder: Path) -> dict[str, Any]:
    """The ``progress_log`` resource of a data folder's ``datapackage.json``."""
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
    resource = log_resource(folder)
    if not (folder / resource["path"]).exists():
        return []
    rows = data.read_table(folder, _as_read(resource))
    return _check_rows(rows, resource["path"], data.load(folder))


def parse_log(text: str, root: Path | str | None = None) -> list[Entry]:
    """Validate log content that is not (yet) on disk, as :func:`load_log` would."""
    folder = Path(root).resolve() if root is not None else data_dir()
    resource = log_resource(folder)
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
    targets = commitment_targets(dataset)
    return [_check_row(row, number, file, targets) for number, row in enumerate(rows, start=1)]


def commitment_targets(dataset: data.Dataset) -> dict[str, Target | None]:
    """Each commitment id with its numeric target, or None."""
    facts = dataset.facts.set_index("fact_id", drop=False)
    targets: dict[str, Target | None] = {}
    commitments = dataset.commitments
    for commitment_id, fact_id in zip(
        commitments["commitment_id"], commitments["target_fact_id"], strict=True
    ):
        targets[commitment_id] = target_of(frames.record(facts, fact_id)) if fact_id else None
    return targets


def _check_row(
    row: Mapping[str, Any], number: int, file: str, targets: Mapping[str, Target | None]
) -> Entry:
    def error(column: str, message: str) -> DataError:
        return DataError(file, message, row=number, column=column)

    try:
        recorded_at = dt.datetime.strptime(row["recorded_at"], TIMESTAMP_FORMAT).replace(
            tzinfo=dt.UTC
        )
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
