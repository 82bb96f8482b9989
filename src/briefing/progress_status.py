"""Where each 2023 commitment stands: the entries of the progress log and the states they give.

An :class:`Entry` is one validated row of the log; :func:`status_of` computes a commitment's
current state from its entries and its target, adapting Open SDG's progress status
(direction, target value, comparator, latest value) to the report's own qualifiers.
Reading the log is :mod:`briefing.progress_read`'s, appending to it :mod:`briefing.progress`'s.
This module imports neither Altair nor ipywidgets.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any, Final

from briefing import data, frames, numbers
from briefing.targets import Target, in_base_unit, meets, target_of

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

#: How ``recorded_at`` is written in the log: a UTC date-time to the second.
TIMESTAMP_FORMAT: Final = "%Y-%m-%dT%H:%M:%SZ"


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
            "recorded_at": self.recorded_at.strftime(TIMESTAMP_FORMAT),
            "date": self.date.isoformat(),
            "commitment_id": self.commitment_id,
            "status": self.status,
            "value": "" if self.value is None else numbers.format_value(self.value),
            "unit": self.unit,
            "note": self.note,
            "evidence": self.evidence,
            "recorded_by": self.recorded_by,
        }


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
