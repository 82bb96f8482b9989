"""The load test runs only when asked for: ``pytest -m load tests/load`` (``make loadtest``).

A plain ``pytest`` (``make test``) collects it and deselects it, as does any ``-m`` expression
that does not name ``load``; the browser harness is shared with ``tests/browser``.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "browser"))


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if "load" in (config.getoption("markexpr") or ""):
        return  # asked for (or explicitly excluded): -m decides
    deselected = [item for item in items if item.get_closest_marker("load")]
    if deselected:
        config.hook.pytest_deselected(items=deselected)
        items[:] = [item for item in items if not item.get_closest_marker("load")]
