"""Numeric targets of the 2023 commitments: what a recorded value is compared with, and how.

Adapts Open SDG's progress status (direction, target value, comparator, latest value) to the
report's own qualifiers (超, 以上, 左右 ...). Pure functions of a target fact; no I/O.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Final

from briefing import data, numbers

INCREASE: Final = "increase"
DECREASE: Final = "decrease"
#: Relative tolerance of an approximate target (左右, 约, 近): within ±5% of the target.
APPROX_TOLERANCE: Final = 0.05
#: Kinds of target fact progress can be measured against. A duration (用两年时间) is the
#: time allowed, already carried by the commitment's deadline, not an amount to reach.
MEASURABLE_KINDS: Final = frozenset({"count", "money", "area", "ratio", "length", "level", "index"})


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
