"""JupyterLab on the project, for staff: ``briefing lab`` and ``make lab``.

One function builds the command line, so the CLI, the Makefile and the tests start
JupyterLab the same way: the project folder as its root (``notebooks/`` and ``staff/``
both visible), bound to loopback unless told otherwise, opening the start-here notebook,
and ``--allow-root`` only when running as root (JupyterLab refuses root without it).
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Mapping
from pathlib import Path

from briefing.paths import REPO_DIR

DEFAULT_PORT = 8888
DEFAULT_IP = "127.0.0.1"
#: The notebook JupyterLab opens first.
START_HERE = "staff/00_start_here.ipynb"


def lab_command(
    *,
    port: int = DEFAULT_PORT,
    ip: str = DEFAULT_IP,
    open_browser: bool = True,
    token: str | None = None,
    root: Path | None = None,
    as_root: bool | None = None,
) -> list[str]:
    """The command that starts JupyterLab on the project.

    Parameters
    ----------
    token : str, optional
        The access token; None keeps JupyterLab's own (a random one, printed in the link
        it shows). An empty string means no token, which JupyterLab accepts on loopback.
    as_root : bool, optional
        Whether the process runs as root (default: asks the system).

    Examples
    --------
    >>> command = lab_command(port=9999, open_browser=False, token="", as_root=True)
    >>> command[1:3], "--port=9999" in command, "--allow-root" in command
    (['-m', 'jupyterlab'], True, True)
    >>> "--allow-root" in lab_command(as_root=False), "--ip=127.0.0.1" in lab_command()
    (False, True)
    """
    folder = (root or REPO_DIR).resolve()
    command = [
        sys.executable,
        "-m",
        "jupyterlab",
        f"--ServerApp.root_dir={folder}",
        f"--ip={ip}",
        f"--port={port}",
        "--ServerApp.port_retries=0",
        f"--LabApp.default_url=/lab/tree/{START_HERE}",
    ]
    if token is not None:
        command.append(f"--IdentityProvider.token={token}")
    if not open_browser:
        command.append("--no-browser")
    if as_root if as_root is not None else _is_root():
        command.append("--allow-root")
    return command


def _is_root() -> bool:
    return hasattr(os, "geteuid") and os.geteuid() == 0


def start_lab(
    *,
    port: int,
    token: str,
    ip: str = DEFAULT_IP,
    root: Path | None = None,
    env: Mapping[str, str] | None = None,
) -> subprocess.Popen[bytes]:
    """Start JupyterLab without a browser, in its own process group (stop it with ``os.killpg``).

    ``root`` replaces the project folder as JupyterLab's root (tests give it a copy, so
    that nothing JupyterLab saves lands in the project). The server's log goes to the
    returned process's ``stdout``.
    """
    command = lab_command(port=port, ip=ip, open_browser=False, token=token, root=root)
    return subprocess.Popen(
        command,
        cwd=root or REPO_DIR,
        env=dict(env) if env is not None else None,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )


def run_lab(*, port: int = DEFAULT_PORT, ip: str = DEFAULT_IP, open_browser: bool = True) -> int:
    """Run JupyterLab in the foreground until Ctrl-C; return its exit status."""
    command = lab_command(port=port, ip=ip, open_browser=open_browser)
    try:
        return subprocess.call(command, cwd=REPO_DIR)
    except KeyboardInterrupt:
        return 0
