"""What only this project checks in the data: structure, quotes, values, coverage.

:func:`briefing.data.load` runs these after the Table Schema checks. Each problem raises
:class:`~briefing.errors.DataError` naming the file, the row and the column.
:func:`uncovered_numbers` lists the report's numerals no fact or exclusion accounts for.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from briefing import numbers, report
from briefing.errors import DataError

if TYPE_CHECKING:
    from briefing.data import Dataset

DESCRIPTOR = "datapackage.json"


# --------------------------------------------------------------------------- checks


def check_keys(
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


def check_structure(
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


def check_metadata(descriptor: Mapping[str, Any], text: str) -> None:
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


def check_quotes(
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


def check_facts(file: str, facts: Iterable[dict[str, Any]]) -> None:
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


def check_exclusions(file: str, rows: Iterable[dict[str, Any]], text: str) -> None:
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
