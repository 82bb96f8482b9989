"""Load the report and its curated tables from ``data/``, validate them, return typed DataFrames.

The data package descriptor (``datapackage.json``) is the single description of every
table: its fields, types, enums, patterns, required fields, primary and foreign keys. This
module checks each CSV against it, then checks what only this project knows: every quote
stands in its paragraph, every value stands in its quote, every qualifier too. Any problem
raises :class:`~briefing.errors.DataError` naming the file, the row and the column.

Loading never writes to the data folder. Results are cached per folder and invalidated
when a file changes. This module imports neither Altair nor ipywidgets.
"""

from __future__ import annotations

import csv
import datetime as dt
import json
import logging
import re
import threading
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from briefing import report
from briefing.checks import (
    Uncovered,
    check_exclusions,
    check_facts,
    check_keys,
    check_metadata,
    check_quotes,
    check_structure,
    normalised,
    uncovered_numbers,
)
from briefing.errors import DataError
from briefing.paths import data_dir

if TYPE_CHECKING:
    import pandas as pd

__all__ = [
    "TABLES",
    "Dataset",
    "Uncovered",
    "descriptor",
    "load",
    "normalised",
    "read_table",
    "uncovered_numbers",
]

DESCRIPTOR = "datapackage.json"
TABLES = (
    "sections",
    "paragraphs",
    "topics",
    "facts",
    "projects",
    "commitments_2023",
    "excluded_numbers",
    "glossary",
)
_BOM = b"\xef\xbb\xbf"
_TRUE, _FALSE = "true", "false"


@dataclass(frozen=True)
class Dataset:
    """The validated report and tables.

    Attributes
    ----------
    root : Path
        The data folder it was read from.
    text : str
        The verbatim report.
    descriptor : dict
        The parsed ``datapackage.json``.
    tables : dict of str to DataFrame
        One typed DataFrame per tabular resource, indexed 0..n-1, in file order.
    """

    root: Path
    text: str
    descriptor: Mapping[str, Any]
    tables: Mapping[str, pd.DataFrame] = field(repr=False)

    @property
    def sections(self) -> pd.DataFrame:
        """Sections of the report."""
        return self.tables["sections"]

    @property
    def paragraphs(self) -> pd.DataFrame:
        """Paragraphs of the report, with ids and offsets."""
        return self.tables["paragraphs"]

    @property
    def topics(self) -> pd.DataFrame:
        """Topic keys with their labels."""
        return self.tables["topics"]

    @property
    def facts(self) -> pd.DataFrame:
        """Every quantitative statement, one row per number."""
        return self.tables["facts"]

    @property
    def projects(self) -> pd.DataFrame:
        """Named enterprises, projects, facilities and events."""
        return self.tables["projects"]

    @property
    def commitments(self) -> pd.DataFrame:
        """Concrete commitments of the 2023 tasks."""
        return self.tables["commitments_2023"]

    @property
    def excluded_numbers(self) -> pd.DataFrame:
        """Numerals of the report that are not facts, with reasons."""
        return self.tables["excluded_numbers"]

    @property
    def glossary(self) -> pd.DataFrame:
        """The report's policy terms with their English renderings."""
        return self.tables["glossary"]

    @property
    def content_paragraphs(self) -> pd.DataFrame:
        """Paragraphs of the report proper: no web-page furniture, title or publication line."""
        return self.paragraphs[~self.paragraphs["role"].isin(report.FRONT_ROLES)]

    def report_metadata(self) -> dict[str, str]:
        """The report's title, publisher and publication time, in zh and en.

        Read from the front matter (the furniture around it left out) and the descriptor's
        source, which :func:`load` checks agree.
        """
        meta = report.report_metadata(self.text)
        source = self.descriptor["sources"][0]
        return {
            "title_zh": meta.title,
            "title_en": str(source.get("title_en", "")),
            "publisher_zh": meta.publisher,
            "publisher_en": str(source.get("publisher_en", "")),
            "published": meta.published,
            "source_zh": meta.source,
        }

    def paragraph_text(self, paragraph_id: str) -> str:
        """Return the verbatim text of a paragraph."""
        row = self.paragraphs.loc[self.paragraphs["paragraph_id"] == paragraph_id]
        if row.empty:
            raise KeyError(paragraph_id)
        return str(row["text"].iloc[0])

    def resource(self, name: str) -> Mapping[str, Any]:
        """Return the descriptor of one resource."""
        for resource in self.descriptor["resources"]:
            if resource["name"] == name:
                return resource  # type: ignore[no-any-return]
        raise KeyError(name)


_cache: dict[Path, tuple[tuple[tuple[str, int, int], ...], Dataset]] = {}
_cache_lock = threading.Lock()


def load(root: Path | str | None = None) -> Dataset:
    """Load and validate the data folder (``BRIEFING_DATA_DIR`` or the repository's ``data/``).

    Cached per folder; a changed file (size or modification time) is read again.

    Raises
    ------
    DataError
        Naming the file, row and column of the first problem found.
    """
    folder = Path(root).resolve() if root is not None else data_dir()
    signature = _signature(folder)
    with _cache_lock:
        hit = _cache.get(folder)
        if hit is not None and hit[0] == signature:
            return hit[1]
    dataset = _load_uncached(folder)
    with _cache_lock:
        _cache[folder] = (signature, dataset)
    return dataset


def _signature(folder: Path) -> tuple[tuple[str, int, int], ...]:
    parts = []
    for path in sorted(folder.rglob("*")):
        if path.is_file():
            stat = path.stat()
            parts.append((str(path.relative_to(folder)), stat.st_size, stat.st_mtime_ns))
    return tuple(parts)


def _load_uncached(folder: Path) -> Dataset:
    import pandas as pd

    if not folder.is_dir():
        # Viewers see this message: the folder is named, its place on the server is not
        # (that goes to the server's log).
        logging.getLogger("briefing").error("data folder not found: %s", folder)
        raise DataError(
            folder.name or "data",
            "data folder not found (check BRIEFING_DATA_DIR, or the project's data/ folder)",
        )
    descriptor = _read_descriptor(folder)
    resources = {r["name"]: r for r in descriptor["resources"]}
    for name in (*TABLES, "report"):
        if name not in resources:
            raise DataError(DESCRIPTOR, f"resource {name!r} is not described")
    text = _read_text(folder, resources["report"]["path"])
    rows = {name: _read_table(folder, resources[name]) for name in TABLES}
    for name in TABLES:
        check_keys(name, resources, rows)
    check_structure(resources, rows, text)
    check_metadata(descriptor, text)
    check_quotes(resources, rows)
    check_facts(resources["facts"]["path"], rows["facts"])
    check_exclusions(resources["excluded_numbers"]["path"], rows["excluded_numbers"], text)
    tables = {}
    for name in TABLES:
        fields = [f["name"] for f in resources[name]["schema"]["fields"]]
        frame = pd.DataFrame.from_records(rows[name], columns=fields)
        for spec in resources[name]["schema"]["fields"]:
            if spec["type"] == "date":
                frame[spec["name"]] = pd.to_datetime(frame[spec["name"]])
        tables[name] = frame
    return Dataset(root=folder, text=text, descriptor=descriptor, tables=tables)


# --------------------------------------------------------------------------- reading


def _read_descriptor(folder: Path) -> dict[str, Any]:
    path = folder / DESCRIPTOR
    raw = _read_bytes(path, DESCRIPTOR)
    try:
        descriptor = json.loads(_decode(raw, DESCRIPTOR))
    except json.JSONDecodeError as error:
        raise DataError(
            DESCRIPTOR, f"not valid JSON: {error.msg} (line {error.lineno}, column {error.colno})"
        ) from None
    if not isinstance(descriptor, dict) or not isinstance(descriptor.get("resources"), list):
        raise DataError(DESCRIPTOR, "expected an object with a 'resources' list")
    return descriptor


def _read_bytes(path: Path, label: str) -> bytes:
    try:
        return path.read_bytes()
    except FileNotFoundError:
        raise DataError(label, "file is missing") from None
    except OSError as error:
        raise DataError(label, f"cannot be read: {error.strerror}") from None


def _decode(raw: bytes, label: str) -> str:
    if raw.startswith(_BOM):
        raise DataError(
            label, "starts with a byte-order mark (BOM); save it as UTF-8 without BOM", row=None
        )
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as error:
        line = raw[: error.start].count(b"\n") + 1
        raise DataError(
            label,
            f"is not valid UTF-8 (byte 0x{raw[error.start]:02x} on line {line}); save it as UTF-8",
        ) from None


def _read_text(folder: Path, relative: str) -> str:
    return _decode(_read_bytes(folder / relative, relative), relative)


def read_table(folder: Path, resource: Mapping[str, Any]) -> list[dict[str, Any]]:
    """Read one CSV resource and check it against its Table Schema (header, types, enums).

    Returns the rows as dicts of typed values (keys and foreign keys are checked by
    :func:`load`). Raises :class:`DataError` naming the file, row and column.
    """
    return _read_table(folder, resource)


def descriptor(root: Path | str | None = None) -> dict[str, Any]:
    """The parsed ``datapackage.json`` of a data folder."""
    return _read_descriptor(Path(root) if root is not None else data_dir())


def _read_table(folder: Path, resource: Mapping[str, Any]) -> list[dict[str, Any]]:
    relative = resource["path"]
    text = _read_text(folder, relative)
    fields = resource["schema"]["fields"]
    names = [f["name"] for f in fields]
    reader = csv.reader(text.splitlines(keepends=True), strict=True)
    records: list[list[str]] = []
    try:
        records.extend(reader)
    except csv.Error as error:
        raise DataError(
            relative,
            f"is not valid CSV near line {reader.line_num}: {error} "
            "(a truncated file or an unclosed quote?)",
            row=max(len(records), 1),
        ) from None
    if not records:
        raise DataError(relative, "is empty: expected a header row", row=0)
    header = records[0]
    missing = [name for name in names if name not in header]
    if missing:
        raise DataError(relative, "missing column in the header", row=0, column=missing[0])
    unknown = [name for name in header if name not in names]
    if unknown:
        raise DataError(
            relative, "unknown column (not described in datapackage.json)", row=0, column=unknown[0]
        )
    if len(set(header)) != len(header):
        duplicate = next(name for name in header if header.count(name) > 1)
        raise DataError(relative, "column appears twice in the header", row=0, column=duplicate)
    order = [header.index(name) for name in names]
    rows: list[dict[str, Any]] = []
    for number, record in enumerate(records[1:], start=1):
        if not record:
            raise DataError(relative, "blank line inside the table", row=number)
        if len(record) != len(header):
            raise DataError(
                relative,
                f"has {len(record)} fields, expected {len(header)} "
                "(a truncated or badly quoted row?)",
                row=number,
            )
        row = {}
        for spec, position in zip(fields, order, strict=True):
            row[spec["name"]] = _convert(record[position], spec, relative, number)
        rows.append(row)
    return rows


def _convert(raw: str, spec: Mapping[str, Any], file: str, row: int) -> Any:
    name, kind = spec["name"], spec["type"]
    constraints = spec.get("constraints", {})
    if raw != raw.strip():
        raise DataError(file, f"has leading or trailing spaces: {raw!r}", row=row, column=name)
    if raw == "":
        if constraints.get("required"):
            raise DataError(file, "is required but empty", row=row, column=name)
        if "enum" in constraints and "" not in constraints["enum"]:
            return "" if kind == "string" else None
        return float("nan") if kind == "number" else ("" if kind == "string" else None)
    value: Any
    if kind == "string":
        value = raw
    elif kind == "number":
        try:
            value = float(raw)
        except ValueError:
            raise DataError(file, f"not a number: {raw!r}", row=row, column=name) from None
    elif kind == "integer":
        if not re.fullmatch(r"-?\d+", raw):
            raise DataError(file, f"not a whole number: {raw!r}", row=row, column=name)
        value = int(raw)
    elif kind == "boolean":
        if raw not in (_TRUE, _FALSE):
            raise DataError(file, f"expected true or false, got {raw!r}", row=row, column=name)
        value = raw == _TRUE
    elif kind == "date":
        try:
            value = dt.date.fromisoformat(raw).isoformat()
        except ValueError:
            raise DataError(
                file, f"not a date in YYYY-MM-DD form: {raw!r}", row=row, column=name
            ) from None
    else:  # pragma: no cover - the descriptor test keeps types to the ones above
        raise DataError(file, f"unsupported field type {kind!r}", row=row, column=name)
    if "enum" in constraints and value not in constraints["enum"]:
        allowed = ", ".join(repr(v) for v in constraints["enum"] if v != "")
        raise DataError(
            file, f"{raw!r} is not one of the allowed values: {allowed}", row=row, column=name
        )
    pattern = constraints.get("pattern")
    if pattern and not re.fullmatch(pattern, raw):
        raise DataError(file, f"{raw!r} does not match the pattern {pattern}", row=row, column=name)
    return value
