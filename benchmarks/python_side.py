"""Import, data-load and app-build times, each run in a fresh interpreter.

Three kinds of child process, each started ``warmup + runs`` times (the warm-up runs are
discarded; they fill the operating system's file cache and Python's bytecode cache):

``load``
    ``import briefing``, then the first ``briefing.data.load()`` (which imports pandas),
    then a second, cached ``load()``.
``own``
    ``import pandas`` first, then the first ``load()``: the package's own cost of reading
    and validating every table.
``apps``
    ``import briefing.apps`` (and the reader and tracker modules), ``load()``, the Altair
    import and theme (``briefing.theme.enable()``), then every notebook's code cell executed
    twice, in file order: the first pass pays one-time costs (the first chart validation,
    the segmenter's dictionary), the second is the steady state.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from benchmarks.stats import summary

_PRELUDE = """
import json, sys, time
clock = time.perf_counter
out = {}
"""

_LOAD = (
    _PRELUDE
    + """
t = clock(); import briefing; out["import_briefing"] = clock() - t
t = clock(); import briefing.data; out["import_briefing_data"] = clock() - t
t = clock(); briefing.data.load(); out["data_load_first"] = clock() - t
t = clock(); briefing.data.load(); out["data_load_cached"] = clock() - t
print(json.dumps(out))
"""
)

_OWN = (
    _PRELUDE
    + """
t = clock(); import pandas; out["import_pandas"] = clock() - t
from briefing import data
t = clock(); data.load(); out["data_load_after_pandas"] = clock() - t
print(json.dumps(out))
"""
)

_APPS = (
    _PRELUDE
    + """
import logging
t = clock(); import briefing.apps, briefing.reader, briefing.tracker
out["import_apps"] = clock() - t
t = clock(); from briefing import data; data.load(); out["data_load_in_apps"] = clock() - t
t = clock(); from briefing import theme; theme.enable(); out["import_altair_theme"] = clock() - t
cells = json.loads(sys.argv[1])
logging.disable(logging.CRITICAL)
for label in ("build1", "build2"):
    for name, code in cells:
        t = clock(); exec(compile(code, name, "exec"), {})
        out[label + ":" + name] = clock() - t
print(json.dumps(out))
"""
)


def notebook_code(path: Path) -> str:
    """The code cells of a notebook, joined (an app notebook has one)."""
    nb = json.loads(path.read_text(encoding="utf-8"))
    return "\n".join("".join(cell["source"]) for cell in nb["cells"] if cell["cell_type"] == "code")


def _child(code: str, args: Sequence[str] = (), timeout: float = 120.0) -> dict[str, float]:
    result = subprocess.run(
        [sys.executable, "-c", code, *args],
        capture_output=True,
        text=True,
        timeout=timeout,
        env=_clean_env(),
    )
    if result.returncode != 0:
        raise RuntimeError(f"child failed ({result.returncode}):\n{result.stderr[-2000:]}")
    last = [line for line in result.stdout.splitlines() if line.startswith("{")][-1]
    return {k: float(v) for k, v in json.loads(last).items()}


def _clean_env() -> dict[str, str]:
    # A kernel's variables would change what the apps do (pre-heat waits for a query string).
    skip = {"QUERY_STRING", "VOILA_PREHEAT"}
    return {k: v for k, v in os.environ.items() if k not in skip}


def measure(notebooks: Sequence[Path], runs: int, warmup: int = 1) -> dict[str, Any]:
    """Run every kind of child ``warmup + runs`` times; return a summary per timing."""
    cells = json.dumps([(p.name, notebook_code(p)) for p in notebooks])
    samples: dict[str, list[float]] = {}
    for index in range(warmup + runs):
        for code, args in ((_LOAD, ()), (_OWN, ()), (_APPS, (cells,))):
            timings = _child(code, args)
            if index < warmup:
                continue
            for key, value in timings.items():
                samples.setdefault(key, []).append(value)
    return {key: summary(values) for key, values in samples.items()}
