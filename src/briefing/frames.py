"""Rows of pandas tables as plain dicts with string keys (pandas types them loosely).

Examples
--------
>>> import pandas as pd
>>> table = pd.DataFrame({"fact_id": ["a", "b"], "value": [1.0, 2.5]}).set_index(
...     "fact_id", drop=False)
>>> records(table)
[{'fact_id': 'a', 'value': 1.0}, {'fact_id': 'b', 'value': 2.5}]
>>> record(table, "b")
{'fact_id': 'b', 'value': 2.5}
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, cast

if TYPE_CHECKING:
    import pandas as pd

Record = dict[str, Any]


def records(frame: pd.DataFrame) -> list[Record]:
    """Every row of ``frame``, in order, as a dict keyed by column name."""
    return cast("list[Record]", frame.to_dict("records"))


def record(frame: pd.DataFrame, label: Any) -> Record:
    """The row of ``frame`` with index ``label``, as a dict keyed by column name."""
    return cast("Record", frame.loc[label].to_dict())
