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
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from briefing import numbers, report
from briefing.errors import DataError
from briefing.paths import data_dir

if TYPE_CHECKING:
    import pandas as pd

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
        _check_keys(name, resources, rows)
    _check_structure(resources, rows, text)
    _check_metadata(descriptor, text)
    _check_quotes(resources, rows)
    _check_facts(resources["facts"]["path"], rows["facts"])
    _check_exclusions(resources["excluded_numbers"]["path"], rows["excluded_numbers"], text)
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


# --------------------------------------------------------------------------- checks


def _check_keys(
    name: str,
    resources: Mapping[str, Mapping[str, Any]],
    rows: Mapping[str, list[dict[str, Any]]],
) -> None:
    resource = resources[name]
    schema = resource["schema"]
    file = resource["path"]
    for key in schema.get("primaryKey", []):
        seen: dict[Any, int] = {}
        for number, row in enumerate(rows[name], start=1):
            value = row[key]
            if value in seen:
                raise DataError(
                    file,
                    f"duplicate id {value!r} (first used in row {seen[value]})",
                    row=number,
                    column=key,
                )
            seen[value] = number
    for foreign in schema.get("foreignKeys", []):
        (column,) = foreign["fields"]
        target_name = foreign["reference"]["resource"] or name
        (target_column,) = foreign["reference"]["fields"]
        known = {row[target_column] for row in rows[target_name]}
        for number, row in enumerate(rows[name], start=1):
            value = row[column]
            if value in ("", None):
                continue
            if value not in known:
                target_file = resources[target_name]["path"]
                raise DataError(
                    file,
                    f"{value!r} does not match any {target_column} in {target_file}",
                    row=number,
                    column=column,
                )


def _check_structure(
    resources: Mapping[str, Mapping[str, Any]],
    rows: Mapping[str, list[dict[str, Any]]],
    text: str,
) -> None:
    file = resources["paragraphs"]["path"]
    for number, row in enumerate(rows["paragraphs"], start=1):
        if text[row["start"] : row["end"]] != row["text"]:
            raise DataError(
                file,
                "text does not match the report at its offsets "
                "(regenerate with `python -m briefing.report`)",
                row=number,
                column="text",
            )
    lines = text.split("\n")
    sections_file = resources["sections"]["path"]
    for number, row in enumerate(rows["sections"], start=1):
        heading = row["heading_zh"]
        first = row["first_line"]
        if not 1 <= first <= len(lines):
            raise DataError(
                sections_file,
                f"line {first} is outside the report",
                row=number,
                column="first_line",
            )
        if heading and lines[first - 1].strip() != heading:
            raise DataError(
                sections_file,
                f"the heading is not on line {first} of the report",
                row=number,
                column="heading_zh",
            )


def _check_metadata(descriptor: Mapping[str, Any], text: str) -> None:
    try:
        meta = report.report_metadata(text)
    except ValueError as error:
        raise DataError("report/report.txt", str(error)) from None
    sources = descriptor.get("sources") or [{}]
    source = sources[0]
    if source.get("publication_time", "").replace(" ", "T") != meta.published:
        raise DataError(
            DESCRIPTOR, f"sources[0].publication_time differs from the report's ({meta.published})"
        )
    if not str(source.get("publisher", "")).startswith(meta.publisher):
        raise DataError(
            DESCRIPTOR, f"sources[0].publisher differs from the report's ({meta.publisher})"
        )


def _check_quotes(
    resources: Mapping[str, Mapping[str, Any]], rows: Mapping[str, list[dict[str, Any]]]
) -> None:
    paragraphs = {row["paragraph_id"]: row["text"] for row in rows["paragraphs"]}
    for name in ("facts", "projects", "commitments_2023"):
        file = resources[name]["path"]
        for number, row in enumerate(rows[name], start=1):
            if row["quote"] not in paragraphs[row["paragraph_id"]]:
                raise DataError(
                    file,
                    f"quote not found in paragraph {row['paragraph_id']}: {row['quote']!r}",
                    row=number,
                    column="quote",
                )


def _check_facts(file: str, facts: Iterable[dict[str, Any]]) -> None:
    for number, row in enumerate(facts, start=1):
        value, unit, quote = row["value"], row["unit"], row["quote"]
        if not numbers.mentions_value(quote, value):
            raise DataError(
                file,
                f"the value {numbers.format_value(value)} does not occur in the quote {quote!r}",
                row=number,
                column="value",
            )
        if row["qualifier"] and row["qualifier"] not in quote:
            raise DataError(
                file,
                f"the qualifier {row['qualifier']!r} does not occur in the quote {quote!r}",
                row=number,
                column="qualifier",
            )
        expected, expected_unit = normalised(value, unit, row["kind"])
        if row["unit_normalised"] != expected_unit:
            raise DataError(
                file,
                f"expected {expected_unit!r} for unit {unit!r}",
                row=number,
                column="unit_normalised",
            )
        if not _close(row["value_normalised"], expected):
            raise DataError(
                file,
                f"expected {numbers.format_value(expected)} ({numbers.format_value(value)} {unit})",
                row=number,
                column="value_normalised",
            )
        area = row["area_ha"]
        if row["kind"] == "area":
            hectares = round(numbers.mu_to_hectares(expected), 4)
            if area is None or not _close(area, hectares):
                raise DataError(file, f"expected {hectares} hectares", row=number, column="area_ha")
        elif area == area:  # not NaN
            raise DataError(file, "only areas have hectares", row=number, column="area_ha")


def normalised(value: float, unit: str, kind: str) -> tuple[float, str]:
    """Return a fact's value in the unit used to compare like with like.

    Money is in yuan, areas in mu, everything else in the base unit of its written unit.

    Examples
    --------
    >>> normalised(58.7, "亿元", "money")
    (5870000000.0, 'yuan')
    >>> normalised(3, "万平方米", "area")
    (45.0, 'mu')
    >>> normalised(1, "", "distinction")
    (1.0, 'count')
    """
    if kind == "distinction":
        # A first or an only one: one of its kind, whether or not the report names a counter.
        return float(value), "count"
    if kind == "area":
        return numbers.area_in_mu(value, unit), "mu"
    return numbers.normalise(value, unit)


def _close(a: float, b: float) -> bool:
    return abs(a - b) <= 1e-6 * max(1.0, abs(a), abs(b))


def _check_exclusions(file: str, rows: Iterable[dict[str, Any]], text: str) -> None:
    for number, row in enumerate(rows, start=1):
        if row["context"] not in text:
            raise DataError(file, "context not found in the report", row=number, column="context")
        for part in row["number"].split("、"):
            if part not in row["context"]:
                raise DataError(
                    file, f"{part!r} does not occur in the context", row=number, column="number"
                )


# --------------------------------------------------------------------------- coverage


@dataclass(frozen=True)
class Uncovered:
    """A numeral of the report covered neither by a fact's quote nor by an exclusion."""

    start: int
    text: str
    context: str


def uncovered_numbers(dataset: Dataset) -> list[Uncovered]:
    """List the report's numerals that no fact quote and no exclusion accounts for.

    A numeral is covered when it lies inside an occurrence of a fact's quote within that
    fact's paragraph, or inside any occurrence of an exclusion's context.
    """
    text = dataset.text
    covered: set[int] = set()
    starts = dict(zip(dataset.paragraphs["paragraph_id"], dataset.paragraphs["start"], strict=True))
    for paragraph_id, quote in zip(
        dataset.facts["paragraph_id"], dataset.facts["quote"], strict=True
    ):
        start = int(starts[paragraph_id])
        paragraph = dataset.paragraph_text(paragraph_id)
        for match in re.finditer(re.escape(quote), paragraph):
            covered.update(range(start + match.start(), start + match.end()))
    for context in dataset.excluded_numbers["context"]:
        for match in re.finditer(re.escape(context), text):
            covered.update(range(match.start(), match.end()))
    missing = []
    for mention in numbers.find_numbers(text):
        if not all(i in covered for i in range(mention.start, mention.end)):
            context = text[max(0, mention.start - 10) : mention.end + 10].replace("\n", " ")
            missing.append(Uncovered(mention.start, mention.text, context))
    return missing
