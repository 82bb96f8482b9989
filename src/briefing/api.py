"""The functions ``import briefing`` offers an analyst in JupyterLab (see ``docs/api.md``).

Each one is a thin, documented door into the package: the data as described DataFrames,
the charts the apps draw, the progress log as a DataFrame, and recording progress with
the same checks as the staff form and ``briefing progress add``.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import pandas as pd

    from briefing.data import Dataset
    from briefing.progress import Entry
    from briefing.vegalite import Spec


def load(root: str | Path | None = None) -> Dataset:
    """The report and its tables, validated, as a :class:`Dataset`.

    Parameters
    ----------
    root : str or Path, optional
        A data folder; by default ``BRIEFING_DATA_DIR`` or the project's ``data/``.

    Returns
    -------
    Dataset
        ``.facts``, ``.projects``, ``.commitments``, ``.paragraphs``, ``.sections``,
        ``.topics``, ``.excluded_numbers`` (DataFrames whose ``attrs["descriptions"]``
        describe each column) and ``.text``, the report verbatim.

    Raises
    ------
    DataError
        Naming the file, row and column of the first problem in the data.

    Examples
    --------
    >>> ds = load()
    >>> ds  # doctest: +ELLIPSIS
    <Dataset data/: report 8,592 characters; sections 16, paragraphs 48, ...>
    >>> money = ds.facts[ds.facts["kind"] == "money"]
    >>> money.attrs["descriptions"]["qualifier"][:40]
    "The report's own qualifier of the number"
    """
    from briefing import data

    return data.load(root)


def charts_for(facts: pd.DataFrame, lang: str = "zh") -> list[Spec]:
    """The charts the apps draw for some facts: one per kind of measure, like with like.

    Each chart displays itself in JupyterLab, saves itself (``chart.save("x.png")``; also
    ``.svg``, ``.html`` and ``.json``) and becomes an Altair chart with ``chart.to_altair()``.

    Examples
    --------
    >>> ds = load()
    >>> industry = ds.facts[ds.facts["sector"] == "industry"]
    >>> [chart.kind for chart in charts_for(industry)]
    ['money', 'area', 'count', 'count', 'count', 'count', 'duration', 'count']
    """
    from briefing import charts

    return charts.charts_for(facts, lang)


def progress_log(root: str | Path | None = None) -> pd.DataFrame:
    """The progress log, one row per recorded update, oldest first, as a DataFrame.

    ``attrs["descriptions"]`` describes each column; ``row`` is the update's row in the file.

    Examples
    --------
    >>> log = progress_log()
    >>> list(log.columns)[:4], str(log["value"].dtype)
    (['recorded_at', 'date', 'commitment_id', 'status'], 'float64')
    """
    from briefing import progress_tables

    return progress_tables.log_frame(root)


def commitments(area: str | None = None, lang: str = "zh") -> pd.DataFrame:
    """The 2023 commitments with their ids, titles and numeric targets (where there is one).

    Parameters
    ----------
    area : str, optional
        One task area: ``t0`` (the main targets), ``t1`` ... ``t6``.
    lang : {"zh", "en"}

    Examples
    --------
    >>> commitments("t0", lang="en").iloc[0].to_dict()
    {'commitment_id': 'c0-01', 'area': 't0', 'title': 'Grow GDP by 6%', 'target': '6%'}
    """
    from briefing import progress_tables

    return progress_tables.commitment_table(area, lang=lang)


def record_progress(
    commitment_id: str,
    status: str,
    *,
    note: str,
    recorded_by: str,
    value: float | str | None = None,
    unit: str | None = None,
    evidence: str = "",
    date: dt.date | str | None = None,
    root: str | Path | None = None,
    dry_run: bool = False,
) -> Entry:
    """Record one update on a commitment in the progress log (or only check it).

    The same checks as the staff form and ``briefing progress add``: a real commitment id
    (the nearest one is suggested), a status of ``not_started``, ``in_progress``, ``done``,
    ``at_risk`` or ``dropped``, a note and a name, a value (``1200`` or ``"1,200"``) only
    with a unit that compares with the commitment's target. The log is only ever appended
    to, safely when several people save at once.

    Parameters
    ----------
    dry_run : bool
        Check everything and return the entry as it would be written, writing nothing.
    root : str or Path, optional
        A data folder (a copy, to practise); by default the project's.

    Raises
    ------
    EntryRejected
        When the update is refused; ``str(error)`` says why, ``error.text("zh")`` in Chinese.

    Examples
    --------
    >>> entry = record_progress("c1-21", "in_progress", value="1,200", unit="万元",
    ...     note="上半年签约项目", recorded_by="经发办", date="2023-06-30", dry_run=True)
    >>> entry.value, entry.unit, entry.date.isoformat()
    (1200.0, '万元', '2023-06-30')
    >>> record_progress("c1-211", "done", note="x", recorded_by="y")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    briefing.progress_entry.EntryRejected: there is no commitment 'c1-211'; did you mean ...
    >>> len(progress_log())  # nothing was written
    0
    """
    from briefing import progress

    entry: dict[str, Any] = {
        "commitment_id": commitment_id,
        "status": status,
        "note": note,
        "recorded_by": recorded_by,
        "value": value,
        "unit": unit,
        "evidence": evidence,
        "date": date,
    }
    return progress.append(entry, root, dry_run=dry_run)
