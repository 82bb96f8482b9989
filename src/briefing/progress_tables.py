"""The progress log and the commitments as DataFrames, for analysts and the command line."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from briefing import data, progress
from briefing.paths import data_dir

if TYPE_CHECKING:
    import pandas as pd


def log_frame(root: Path | str | None = None) -> pd.DataFrame:
    """The progress log as a DataFrame, one row per update in file order, described.

    Columns are those of the log plus ``row`` (its 1-based row in the file); ``recorded_at``
    and ``date`` are timestamps, ``value`` a float (NaN when none was recorded), and
    ``attrs["descriptions"]`` carries each column's description from ``datapackage.json``.

    Raises
    ------
    DataError
        If the log is invalid, as :func:`load_log`.
    """
    import pandas as pd

    folder = Path(root).resolve() if root is not None else data_dir()
    entries = progress.load_log(folder)
    frame = pd.DataFrame(
        [{**{c: getattr(e, c) for c in progress.COLUMNS}, "row": e.row} for e in entries],
        columns=[*progress.COLUMNS, "row"],
    )
    frame["recorded_at"] = pd.to_datetime(frame["recorded_at"], utc=True)
    frame["date"] = pd.to_datetime(frame["date"])
    frame["value"] = frame["value"].astype("float64")
    frame["row"] = frame["row"].astype("int64")
    data.describe(frame, progress.log_resource(folder))
    frame.attrs["descriptions"]["row"] = "Row of the update in the log file (1 is the first)."
    return frame


def commitment_table(
    area: str | None = None, root: Path | str | None = None, lang: str = "zh"
) -> pd.DataFrame:
    """The commitments staff can record progress on: id, area, title and numeric target.

    ``area`` keeps one task area (``t1`` ... ``t6``, or ``t0`` for the main targets);
    ``target`` is the written target (like ``超250亿元``) or empty when there is no numeric
    one, so no value can be recorded for it.

    Raises
    ------
    KeyError
        For an area that does not exist (the message lists the areas).
    """
    dataset = data.load(root)
    commitments = dataset.commitments
    areas = list(dict.fromkeys(commitments["area"]))
    if area is not None and area not in areas:
        raise KeyError(f"no task area {area!r}; the areas are {', '.join(areas)}")
    targets = progress.commitment_targets(dataset)
    chosen = commitments if area is None else commitments[commitments["area"] == area]
    title = "title_en" if lang == "en" else "title_zh"
    table = chosen[["commitment_id", "area", title]].rename(columns={title: "title"})
    table = table.reset_index(drop=True)
    table["target"] = [_target_text(targets[c], lang) for c in table["commitment_id"]]
    table.attrs = {}
    return table


def _target_text(target: progress.Target | None, lang: str) -> str:
    from briefing.display import value_text

    if target is None:
        return ""
    fact = {"value": target.value, "unit": target.unit, "qualifier": target.qualifier}
    return value_text({**fact, "kind": target.kind}, lang)
