"""Units of the report (亿元, 亩, 星级 ...) and conversions to base units; numbers as written.

Part of :mod:`briefing.numbers`, which re-exports every public name here.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from types import MappingProxyType

__all__ = [
    "UNITS",
    "Unit",
    "UnknownUnitError",
    "area_in_mu",
    "duration_in_months",
    "format_value",
    "mu_to_hectares",
    "normalise",
    "square_metres_to_mu",
]


@dataclass(frozen=True)
class Unit:
    """A unit as written in the report and how to convert it to its base unit.

    Parameters
    ----------
    written : str
        The unit as the report writes it, e.g. ``"亿元"``.
    base : str
        The normalised unit, e.g. ``"yuan"``.
    factor : float
        How many base units one written unit is.
    en : str
        English name of the written unit; empty for bare count classifiers and ranks.

    Examples
    --------
    >>> UNITS["亿元"]
    Unit(written='亿元', base='yuan', factor=100000000.0, en='100 million yuan')
    """

    written: str
    base: str
    factor: float
    en: str


class UnknownUnitError(KeyError, ValueError):
    """A unit that is not in `UNITS` (or not allowed where it was used).

    Parameters
    ----------
    unit : str
        The offending unit.
    hint : str, optional
        What to do instead.

    Examples
    --------
    >>> str(UnknownUnitError("斤"))
    "unknown unit '斤'"
    """

    def __init__(self, unit: str, hint: str = "") -> None:
        self.unit = unit
        self.hint = hint
        super().__init__(unit)

    def __str__(self) -> str:
        message = f"unknown unit {self.unit!r}"
        return f"{message}: {self.hint}" if self.hint else message


_COUNT_CLASSIFIERS = "个家条件套宗块间项座类届批次"

_UNIT_LIST: tuple[Unit, ...] = (
    Unit("元", "yuan", 1.0, "yuan"),
    Unit("万元", "yuan", 1e4, "10,000 yuan"),
    Unit("亿元", "yuan", 1e8, "100 million yuan"),
    Unit("亩", "mu", 1.0, "mu"),
    Unit("平方米", "square_metre", 1.0, "m²"),
    Unit("万平方米", "square_metre", 1e4, "10,000 m²"),
    Unit("%", "percent", 1.0, "%"),
    Unit("年", "year", 1.0, "year"),
    Unit("月", "month", 1.0, "month"),
    Unit("天", "day", 1.0, "day"),
    Unit("夜", "night", 1.0, "night"),
    *(Unit(ch, "count", 1.0, "") for ch in _COUNT_CLASSIFIERS),
    Unit("名", "rank", 1.0, ""),
    Unit("星级", "star_level", 1.0, "star"),
    Unit("级", "level", 1.0, "level"),
    Unit("年一遇", "return_period_year", 1.0, "-year event"),
    Unit("纵", "count", 1.0, "north-south"),
    Unit("横", "count", 1.0, "east-west"),
    Unit("佳", "top_n", 1.0, "top"),
    Unit("里", "li", 1.0, "li (500 m)"),
    Unit("", "index", 1.0, ""),
)

UNITS: Mapping[str, Unit] = MappingProxyType({unit.written: unit for unit in _UNIT_LIST})
"""Every unit the report uses, keyed by how it is written (read-only)."""

_MU_PER_HECTARE = 15
_SQUARE_METRES_PER_HECTARE = 10_000


def _unit(unit: str) -> Unit:
    try:
        return UNITS[unit]
    except KeyError:
        hint = "money units carry 元 (亿元, 万元)" if unit in ("亿", "万") else ""
        raise UnknownUnitError(unit, hint) from None


def _scale(value: float, numerator: float, denominator: float = 1) -> float:
    """``value * numerator / denominator`` computed on the decimal value as written."""
    exact = Decimal(repr(float(value))) * Decimal(repr(numerator)) / Decimal(repr(denominator))
    return float(exact)


def normalise(value: float, unit: str) -> tuple[float, str]:
    """Convert a value in a written unit to its base unit.

    Parameters
    ----------
    value : float
        The number as written.
    unit : str
        The unit as written, a key of `UNITS`.

    Returns
    -------
    tuple of (float, str)
        The value in the base unit, and the base unit.

    Raises
    ------
    UnknownUnitError
        If ``unit`` is not in `UNITS` (a `ValueError` and a `KeyError`).

    Examples
    --------
    >>> normalise(58.7, "亿元")
    (5870000000.0, 'yuan')
    >>> normalise(2555, "万元")
    (25550000.0, 'yuan')
    >>> normalise(3, "亿")
    Traceback (most recent call last):
    ...
    briefing.units.UnknownUnitError: unknown unit '亿': money units carry 元 (亿元, 万元)
    """
    spec = _unit(unit)
    return _scale(value, spec.factor), spec.base


def mu_to_hectares(mu: float) -> float:
    """Convert mu to hectares (15 mu = 1 ha exactly).

    Examples
    --------
    >>> mu_to_hectares(15)
    1.0
    >>> mu_to_hectares(5436)
    362.4
    """
    return _scale(mu, 1, _MU_PER_HECTARE)


def square_metres_to_mu(square_metres: float) -> float:
    """Convert square metres to mu (1 mu = 10000/15 m²).

    Examples
    --------
    >>> square_metres_to_mu(30000)
    45.0
    """
    return _scale(square_metres, _MU_PER_HECTARE, _SQUARE_METRES_PER_HECTARE)


def area_in_mu(value: float, unit: str) -> float:
    """Express an area written in 亩, 平方米 or 万平方米 in mu.

    Raises
    ------
    ValueError
        If ``unit`` is not an area unit.

    Examples
    --------
    >>> area_in_mu(11373.6, "亩"), area_in_mu(30000, "平方米"), area_in_mu(3, "万平方米")
    (11373.6, 45.0, 45.0)
    """
    written = _unit(unit)
    if written.base == "mu":
        return float(value)
    if written.base == "square_metre":
        return square_metres_to_mu(_scale(value, written.factor))
    raise ValueError(f"{unit!r} is not an area unit (expected 亩, 平方米 or 万平方米)")


def duration_in_months(value: float, unit: str) -> float:
    """Express a duration written in 年 or 月 in months.

    Raises
    ------
    ValueError
        If ``unit`` is not 年 or 月.

    Examples
    --------
    >>> duration_in_months(2, "年"), duration_in_months(1.5, "月")
    (24.0, 1.5)
    """
    base = _unit(unit).base
    if base == "year":
        return _scale(value, 12)
    if base == "month":
        return float(value)
    raise ValueError(f"{unit!r} is not a duration in years or months (expected 年 or 月)")


def format_value(value: float) -> str:
    """Write a number as the report does: no ``.0`` on integers, no exponent.

    Raises
    ------
    ValueError
        If ``value`` is not finite.

    Examples
    --------
    >>> format_value(143.34), format_value(7.0), format_value(11373.6)
    ('143.34', '7', '11373.6')
    >>> format_value(5.87e9), format_value(0.00001)
    ('5870000000', '0.00001')
    """
    if not math.isfinite(value):
        raise ValueError(f"cannot format non-finite value {value!r}")
    if float(value).is_integer():
        return str(int(value))
    return format(Decimal(repr(float(value))), "f")
