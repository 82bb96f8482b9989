"""Interactive briefings on the 2023 government work report of Datang town (大塘镇)."""

from __future__ import annotations

__version__ = "0.1.0"
__all__ = ["__version__"]
