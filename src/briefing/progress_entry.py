"""The one check of a progress update typed by staff, shared by the form and the command line.

:func:`validate` turns what someone typed (strings, or typed values from the form) into the
row the log stores, or refuses it with an :class:`EntryRejected` that says what is wrong in
the words of the place it was typed: Chinese with the form's field labels, English with the
command line's option names. No message names a file or shows a pattern. A wrong commitment
id comes with the nearest real one. This module imports neither Altair nor ipywidgets.
"""

from __future__ import annotations

import datetime as dt
import difflib
import math
import re
import unicodedata
from collections.abc import Mapping, Sequence
from typing import Any, Final

from briefing import numbers
from briefing.errors import DataError

#: The fields of an update, each with its label on the form (中文) and its CLI option.
FIELD_LABELS: Final[dict[str, tuple[str, str]]] = {
    "commitment_id": ("工作任务", "--commitment"),
    "status": ("进展状态", "--status"),
    "value": ("最新数值", "--value"),
    "unit": ("单位", "--unit"),
    "date": ("进展日期", "--date"),
    "note": ("进展说明", "--note"),
    "evidence": ("佐证材料", "--evidence"),
    "recorded_by": ("登记人", "--by"),
}
REQUIRED: Final = ("commitment_id", "status", "note", "recorded_by")

#: Every message, in Chinese (the form) and English (the command line).
MESSAGES: Final[dict[str, tuple[str, str]]] = {
    "required": ("请填写{label}。", "{label} is required and must not be blank."),
    "unknown_commitment": (
        "没有编号为“{value}”的工作任务。{hint}",
        "there is no commitment {value!r}{hint} (`briefing progress commitments` lists them).",
    ),
    "did_you_mean": ("是否要找“{suggestion}”?", "; did you mean {suggestion!r}?"),
    "unknown_status": ("{label}须为以下之一:{choices}。", "{label} must be one of {choices}."),
    "not_a_number": (
        "{label}须为数字,例如 120、1,200 或 12.5(不是“{value}”)。",
        "{label} must be a number like 120, 1,200 or 12.5, not {value!r}.",
    ),
    "no_numeric_target": (
        "该工作任务没有数值目标:请不要填写{value_label}和{unit_label}。",
        "commitment {commitment} has no numeric target: leave out {value_label} and {unit_label}.",
    ),
    "unit_needed": (
        "填写了{value_label},请同时选择{label}。",
        "{label} is required with {value_label} (the unit as written, e.g. {units}).",
    ),
    "value_needed": (
        "选择了{label}“{unit}”,但没有填写{value_label}。",
        "{label} {unit!r} is given without {value_label}.",
    ),
    "wrong_unit": (
        "{label}“{unit}”不能与目标的单位比较,请用:{units}。",
        "{label} {unit!r} cannot be compared with the target's unit; use one of {units}.",
    ),
    "not_a_date": (
        "{label}须为有效日期,例如 2023-06-30(不是“{value}”)。",
        "{label} must be a real date like 2023-06-30, not {value!r}.",
    ),
    "too_early": (
        "{label}不能早于2023年(报告所述年份)。",
        "{label} {value} is before 2023, the report's year.",
    ),
    "in_future": (
        "{label}不能晚于今天:请登记已经发生的进展。",
        "{label} {value} is in the future: record progress that has happened.",
    ),
    "unknown_field": ("无法识别的字段“{value}”。", "unknown field {value!r}."),
}

_THOUSANDS = re.compile(r"-?[0-9]{1,3}(?:,[0-9]{3})+(?:\.[0-9]+)?")
_PLAIN = re.compile(r"-?[0-9]+(?:\.[0-9]+)?")
#: A progress date may run one day ahead of UTC today, for local time (UTC+8).
DATE_SLACK: Final = dt.timedelta(days=1)
EARLIEST_DATE: Final = dt.date(2023, 1, 1)


class InvalidEntry(DataError):
    """An update rejected before it reached the log (the log itself is fine)."""


class EntryRejected(InvalidEntry):
    """An update refused before it reached the log, with its reason in both languages.

    Examples
    --------
    >>> problem = EntryRejected("note", "required")
    >>> problem.text("zh"), problem.text("en")
    ('请填写进展说明。', '--note is required and must not be blank.')
    """

    def __init__(self, field: str, key: str, **params: Any) -> None:
        self.field = field
        self.key = key
        self.params = params
        super().__init__("progress log", self.text("en"), column=field)

    def text(self, lang: str = "en", labels: Mapping[str, str] | None = None) -> str:
        """The reason, for the form (``"zh"``) or for the command line (``"en"``).

        ``labels`` names the fields as the place the update was typed in does (the form's
        labels in English, say); by default the form's Chinese ones or the CLI's options.
        """
        english = lang == "en"
        pick = 1 if english else 0
        names = {k: v[pick] for k, v in FIELD_LABELS.items()} | dict(labels or {})
        label = names.get(self.field, self.field)
        params = dict(self.params)
        hint = ""
        if params.get("suggestion"):
            hint = MESSAGES["did_you_mean"][pick].format(suggestion=params["suggestion"])
        params.setdefault("hint", hint)
        params.update(
            label=label,
            value_label=names["value"],
            unit_label=names["unit"],
            units=("、" if not english else ", ").join(params.get("unit_list", ())),
            choices=("、" if not english else ", ").join(
                params.get("choices_en" if english else "choices_zh", ())
            ),
        )
        return MESSAGES[self.key][pick].format(**params)

    def __str__(self) -> str:
        return self.text("en")

    def __reduce__(self) -> tuple[object, ...]:
        return (_rebuild, (self.field, self.key, self.params))


def _rebuild(field: str, key: str, params: dict[str, Any]) -> EntryRejected:
    return EntryRejected(field, key, **params)


def parse_number(text: str) -> float:
    """A number as staff type it: ``120``, ``1,200``, ``12.5``, full-width digits too.

    Raises
    ------
    ValueError
        For anything else (words, ``1,20``, ``inf``, ``nan``).

    Examples
    --------
    >>> parse_number("1,200"), parse_number(" 12.5 "), parse_number("１２０"), parse_number("-3")
    (1200.0, 12.5, 120.0, -3.0)
    >>> parse_number("1,20")
    Traceback (most recent call last):
    ...
    ValueError: not a number: '1,20'
    """
    clean = unicodedata.normalize("NFKC", text).strip()
    if _PLAIN.fullmatch(clean):
        return float(clean)
    if _THOUSANDS.fullmatch(clean):
        return float(clean.replace(",", ""))
    raise ValueError(f"not a number: {text!r}")


def suggest(wrong: str, known: Sequence[str]) -> str | None:
    """The known id closest to a wrong one, or None when nothing is close.

    Examples
    --------
    >>> suggest("c1-211", ["c1-21", "c2-11"]), suggest("C1-21", ["c1-21"]), suggest("zz", ["c1-21"])
    ('c1-21', 'c1-21', None)
    """
    lowered = {k.lower(): k for k in known}
    if wrong.strip().lower() in lowered:
        return lowered[wrong.strip().lower()]
    close = difflib.get_close_matches(wrong.strip().lower(), list(lowered), n=1, cutoff=0.6)
    return lowered[close[0]] if close else None


def compatible_units(unit: str, kind: str) -> list[str]:
    """Units a value may be recorded in for a target written in ``unit``, that unit first.

    Examples
    --------
    >>> compatible_units("亿元", "money")
    ['亿元', '元', '万元']
    >>> compatible_units("亩", "area")
    ['亩', '平方米', '万平方米']
    """
    if kind == "area":
        base = {"亩", "平方米", "万平方米"}
        return [unit, *(u for u in numbers.UNITS if u in base and u != unit)]
    wanted = numbers.UNITS[unit].base
    others = [u for u, spec in numbers.UNITS.items() if spec.base == wanted and u not in ("", unit)]
    return [unit, *others]


def _text(value: Any) -> str:
    """Text as stored: no surrounding blanks, inner runs of blanks (line breaks too) one space."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    return " ".join(str(value).split())


def validate(
    entry: Mapping[str, Any],
    *,
    commitments: Mapping[str, Any],
    statuses: Mapping[str, tuple[str, str]],
    today: dt.date,
) -> dict[str, str]:
    """Check an update and return the log row's strings for it (``recorded_at`` left out).

    Parameters
    ----------
    entry : mapping
        ``commitment_id``, ``status``, ``note``, ``recorded_by``, and optionally ``value``
        (a number or text like ``1,200``) with ``unit``, ``evidence``, ``date`` (a date or
        ``YYYY-MM-DD``; missing or empty means ``today``).
    commitments : mapping
        Commitment id to its numeric target (a :class:`briefing.targets.Target`) or None.
    statuses : mapping
        Each allowed status with its labels (Chinese, English).
    today : date
        The day the update is recorded (UTC).

    Raises
    ------
    EntryRejected
        At the first problem, in field order.
    """
    from briefing.targets import in_base_unit

    for name in entry:
        if name not in FIELD_LABELS and name != "recorded_at":
            raise EntryRejected(name, "unknown_field", value=name)
    row = {name: _text(entry.get(name)) for name in FIELD_LABELS}
    for name in ("commitment_id", "status"):
        if not row[name]:
            raise EntryRejected(name, "required")
    cid = row["commitment_id"]
    if cid not in commitments:
        nearest = suggest(cid, [*commitments])
        raise EntryRejected("commitment_id", "unknown_commitment", value=cid, suggestion=nearest)
    if row["status"] not in statuses:
        raise EntryRejected(
            "status",
            "unknown_status",
            choices_zh=[zh for zh, _en in statuses.values()],
            choices_en=list(statuses),
        )
    target = commitments[cid]
    raw = entry.get("value")
    value: float | None = None
    if isinstance(raw, int | float) and not isinstance(raw, bool):
        if not math.isfinite(raw):
            raise EntryRejected("value", "not_a_number", value=str(raw))
        value = float(raw)
    elif row["value"]:
        try:
            value = parse_number(row["value"])
        except ValueError:
            raise EntryRejected("value", "not_a_number", value=row["value"]) from None
    unit = row["unit"]
    if value is not None or unit:
        if target is None:
            raise EntryRejected("value", "no_numeric_target", commitment=cid)
        units = compatible_units(target.unit, target.kind)
        if value is None:
            raise EntryRejected("unit", "value_needed", unit=unit)
        if not unit:
            raise EntryRejected("unit", "unit_needed", unit_list=units)
        try:
            in_base_unit(value, unit, target)
        except ValueError:
            raise EntryRejected("unit", "wrong_unit", unit=unit, unit_list=units) from None
        row["value"] = numbers.format_value(value)
    row["date"] = _date(entry.get("date"), today)
    for name in ("note", "recorded_by"):
        if not row[name]:
            raise EntryRejected(name, "required")
    return row


def _date(raw: Any, today: dt.date) -> str:
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        return today.isoformat()
    if isinstance(raw, dt.datetime):
        raw = raw.date()
    if isinstance(raw, dt.date):
        date = raw
    else:
        text = unicodedata.normalize("NFKC", str(raw)).strip()
        try:
            date = dt.date.fromisoformat(text)
        except ValueError:
            raise EntryRejected("date", "not_a_date", value=str(raw)) from None
        if len(text) != 10:
            raise EntryRejected("date", "not_a_date", value=str(raw))
    if date < EARLIEST_DATE:
        raise EntryRejected("date", "too_early", value=date.isoformat())
    if date > today + DATE_SLACK:
        raise EntryRejected("date", "in_future", value=date.isoformat())
    return date.isoformat()
