"""Summaries of repeated measurements: median and spread."""

from __future__ import annotations

import statistics
from collections.abc import Sequence
from typing import Any


def summary(values: Sequence[float]) -> dict[str, Any]:
    """Median, min, max, quartiles and count of ``values`` (``None`` entries dropped).

    Examples
    --------
    >>> s = summary([3.0, 1.0, 2.0, 5.0, 4.0])
    >>> s["median"], s["min"], s["max"], s["n"]
    (3.0, 1.0, 5.0, 5)
    >>> summary([])["median"] is None
    True
    """
    clean = sorted(float(v) for v in values if v is not None)
    if not clean:
        return {"median": None, "min": None, "max": None, "q1": None, "q3": None, "n": 0}
    if len(clean) >= 2:
        q1, _, q3 = statistics.quantiles(clean, n=4, method="inclusive")
    else:
        q1 = q3 = clean[0]
    return {
        "median": statistics.median(clean),
        "min": clean[0],
        "max": clean[-1],
        "q1": q1,
        "q3": q3,
        "n": len(clean),
        "values": clean,
    }


def median(s: dict[str, Any] | None) -> float | None:
    """The median of a summary, or ``None``."""
    return None if not s else s.get("median")
