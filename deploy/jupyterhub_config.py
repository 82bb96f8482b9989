"""JupyterHub with the briefing apps as a hub-managed service, at ``/services/briefing/``.

For an organisation that already runs JupyterHub: the Hub starts one Voila server for the
apps (and restarts it if it stops), and its proxy serves it under the Hub's address, next
to the users' own servers. The server is the one ``briefing serve`` runs (Voila that never
serves ``staff_*`` notebooks and lets closed pages shut their kernels down), with the same
``voila.json`` (template, culling, pre-heated kernels); only its URL prefix is added.

Assumes the repository checked out in ``BRIEFING_DIR`` (default ``/srv/briefing``) with its
own virtual environment (``make install``); the Hub may run from another environment.
Merge into an existing ``jupyterhub_config.py``, or run ``jupyterhub -f`` with this file.

Access: Voila does not take part in the Hub's login, so the apps are open to anyone who can
reach the Hub (they show a published report; staff notebooks are never served). To limit
them to the organisation, restrict ``/services/briefing/`` at the reverse proxy in front
of the Hub.
"""

from __future__ import annotations

import os
from pathlib import Path

c = get_config()  # noqa: F821 - provided by JupyterHub when it loads this file

BRIEFING_DIR = Path(os.environ.get("BRIEFING_DIR", "/srv/briefing"))
BRIEFING_PYTHON = os.environ.get("BRIEFING_PYTHON", str(BRIEFING_DIR / ".venv" / "bin" / "python"))
SERVICE = "briefing"
PREFIX = f"/services/{SERVICE}/"
PORT = 8866

# append: keeps any services configured elsewhere (traitlets merges the lists).
c.JupyterHub.services.append(
    {
        "name": SERVICE,
        # The proxy forwards https://<hub>/services/briefing/... here, path unchanged.
        "url": f"http://127.0.0.1:{PORT}",
        "command": [
            BRIEFING_PYTHON,
            "-m",
            "briefing.serve",
            str(BRIEFING_DIR / "notebooks"),
            # voila.json of the repository: the same settings as `briefing serve`.
            f"--Voila.config_file_paths={BRIEFING_DIR}",
            "--Voila.ip=127.0.0.1",
            f"--Voila.port={PORT}",
            "--Voila.port_retries=0",
            f"--Voila.base_url={PREFIX}",
            "--Voila.open_browser=False",
        ],
        "cwd": str(BRIEFING_DIR),
        # Listed on the Hub's home page as a link to the start page of the apps.
        "display": True,
    }
)
