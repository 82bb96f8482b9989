"""Interactive briefings on the 2023 government work report of Datang town (大塘镇).

In JupyterLab (``make lab`` or ``briefing lab``)::

    import briefing

    ds = briefing.load()                       # the report and its tables
    money = ds.facts[ds.facts["kind"] == "money"]
    chart = briefing.charts_for(money)[0]      # displays itself; chart.save("money.png")
    chart.to_altair().interactive()            # the same chart in Altair
    briefing.progress_log()                    # progress on the 2023 commitments

Every public name is listed in ``__all__`` and documented in ``docs/api.md``. Names are
imported on first use, so ``import briefing`` itself loads neither pandas nor Altair.
"""

from __future__ import annotations

import importlib
import importlib.util
from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

#: Each public name and the module it lives in (imported when the name is first used).
_PUBLIC = {
    "load": "briefing.api",
    "charts_for": "briefing.api",
    "commitments": "briefing.api",
    "progress_log": "briefing.api",
    "record_progress": "briefing.api",
    "Dataset": "briefing.data",
    "Spec": "briefing.vegalite",
    "DataError": "briefing.errors",
    "EntryRejected": "briefing.progress_entry",
}

__all__ = [
    "DataError",
    "Dataset",
    "EntryRejected",
    "Spec",
    "__version__",
    "charts_for",
    "commitments",
    "load",
    "progress_log",
    "record_progress",
]

if TYPE_CHECKING:
    from briefing.api import charts_for, commitments, load, progress_log, record_progress
    from briefing.data import Dataset
    from briefing.errors import DataError
    from briefing.progress_entry import EntryRejected
    from briefing.vegalite import Spec


def __getattr__(name: str) -> Any:
    """Import a public name, or a submodule (``briefing.data``), when it is first used."""
    module = _PUBLIC.get(name)
    if module is not None:
        value = getattr(importlib.import_module(module), name)
    elif not name.startswith("_") and importlib.util.find_spec(f"{__name__}.{name}") is not None:
        value = importlib.import_module(f"{__name__}.{name}")
    else:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__})
