"""The machine and software a run measured: cores, memory, CPU, versions, load."""

from __future__ import annotations

import datetime as dt
import os
import platform
import subprocess
from importlib import metadata
from pathlib import Path
from typing import Any

PACKAGES = ("voila", "ipywidgets", "altair", "pandas", "ipykernel", "jupyter_server", "playwright")


def load_average() -> list[float]:
    """The 1, 5 and 15 minute load averages."""
    return [round(x, 2) for x in os.getloadavg()]


def _cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.lower().startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def _memory_total_mib() -> float | None:
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                return round(int(line.split()[1]) / 1024, 0)
    except OSError:
        pass
    return None


def _version(package: str) -> str:
    try:
        return metadata.version(package)
    except metadata.PackageNotFoundError:
        return "not installed"


def chromium_version(executable: Path) -> str:
    """``chromium --version`` of the browser the run drives."""
    try:
        out = subprocess.run(
            [str(executable), "--version"], capture_output=True, text=True, timeout=30
        )
        return out.stdout.strip() or out.stderr.strip()
    except (OSError, subprocess.TimeoutExpired):
        return "unknown"


def describe(chromium: Path) -> dict[str, Any]:
    """Everything needed to read a run's figures later."""
    return {
        "date": dt.datetime.now().astimezone().isoformat(timespec="seconds"),
        "cores": os.cpu_count(),
        "memory_mib": _memory_total_mib(),
        "cpu_model": _cpu_model(),
        "kernel": platform.release(),
        "python": platform.python_version(),
        "packages": {name: _version(name) for name in PACKAGES},
        "chromium": chromium_version(chromium),
    }
