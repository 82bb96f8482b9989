"""Shared fixtures: a writable copy of the data folder and a helper to break one cell of it."""

from __future__ import annotations

import atexit
import csv
import io
import os
import shutil
import tempfile
from collections.abc import Callable
from pathlib import Path

import pytest

from briefing.paths import REPO_DIR
from briefing.text import CACHE_ENV

DATA_DIR = REPO_DIR / "data"

# Segmentations the tests (and the kernels of their servers) keep go to a folder of the
# run's own, never to the user's cache, so every run starts from nothing.
if CACHE_ENV not in os.environ:
    _CACHE = tempfile.mkdtemp(prefix="briefing-test-cache-")
    os.environ[CACHE_ENV] = _CACHE
    atexit.register(shutil.rmtree, _CACHE, True)


@pytest.fixture
def data_copy(tmp_path: Path) -> Path:
    """A private copy of ``data/`` that a test may break."""
    target = tmp_path / "data"
    shutil.copytree(DATA_DIR, target, ignore=shutil.ignore_patterns("progress"))
    return target


EditCell = Callable[[str, int, str, str], None]


@pytest.fixture
def edit_cell(data_copy: Path) -> EditCell:
    """Return ``edit(file, row, column, value)`` that rewrites one cell of a CSV copy.

    ``row`` is 1-based over data rows, as :class:`briefing.errors.DataError` reports it.
    """

    def edit(file: str, row: int, column: str, value: str) -> None:
        path = data_copy / file
        with path.open(encoding="utf-8", newline="") as handle:
            records = list(csv.reader(handle))
        records[row][records[0].index(column)] = value
        buffer = io.StringIO()
        csv.writer(buffer, lineterminator="\n").writerows(records)
        path.write_text(buffer.getvalue(), encoding="utf-8")

    return edit
