"""Where the data lives. Overridable with ``BRIEFING_DATA_DIR``; imports nothing internal."""

from __future__ import annotations

import os
from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent
REPO_DIR = PACKAGE_DIR.parent.parent
ENV_DATA_DIR = "BRIEFING_DATA_DIR"


def data_dir() -> Path:
    """Return the folder holding the report and its curated tables.

    ``BRIEFING_DATA_DIR`` wins when set, so tests and deployments can point the
    package at another copy of the data; otherwise the repository's ``data/``.
    """
    override = os.environ.get(ENV_DATA_DIR)
    if override:
        return Path(override).expanduser().resolve()
    return REPO_DIR / "data"


def notebooks_dir() -> Path:
    """Return the folder of the served notebooks."""
    return REPO_DIR / "notebooks"
