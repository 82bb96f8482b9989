"""Where the briefing is published: the one place that names its public repository.

The project is not published yet, so :data:`BINDER_REPO` is ``None`` and no page links to
Binder. When it is, set :data:`BINDER_REPO` here (``owner/name`` on GitHub), or set the
environment variable ``BRIEFING_BINDER_REPO`` for one export; the static site, the landing
pages and ``briefing binder-links`` then give the Binder addresses.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from urllib.parse import quote

#: ``owner/name`` of the public GitHub repository Binder builds; ``None`` until published.
BINDER_REPO: str | None = None
BINDER_BASE = "https://mybinder.org/v2/gh"
REPO_ENV = "BRIEFING_BINDER_REPO"
_REPO = re.compile(r"^[A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+$")


def binder_repo(env: Mapping[str, str] | None = None) -> str | None:
    """The repository Binder builds: ``$BRIEFING_BINDER_REPO``, else :data:`BINDER_REPO`.

    >>> binder_repo({"BRIEFING_BINDER_REPO": "o/r"})
    'o/r'
    >>> binder_repo({}) is None or "/" in binder_repo({})
    True
    """
    value = (os.environ if env is None else env).get(REPO_ENV) or BINDER_REPO
    if value is None:
        return None
    if not _REPO.match(value):
        raise ValueError(f"{REPO_ENV} or BINDER_REPO must be owner/name, not {value!r}")
    return value


def binder_url(notebook: str | None = None, *, repo: str, lab: bool = False) -> str:
    """The Binder address of an app (Voilà), of the list of apps, or of JupyterLab.

    Examples
    --------
    >>> binder_url("01_industry.ipynb", repo="o/r")
    'https://mybinder.org/v2/gh/o/r/HEAD?urlpath=voila%2Frender%2Fnotebooks%2F01_industry.ipynb'
    >>> binder_url(repo="o/r")
    'https://mybinder.org/v2/gh/o/r/HEAD?urlpath=voila%2Ftree%2Fnotebooks'
    >>> binder_url(repo="o/r", lab=True)
    'https://mybinder.org/v2/gh/o/r/HEAD?urlpath=lab%2Ftree%2Fnotebooks'
    """
    if lab:
        target = "lab/tree/notebooks"
    elif notebook is None:
        target = "voila/tree/notebooks"
    else:
        target = f"voila/render/notebooks/{notebook}"
    return f"{BINDER_BASE}/{repo}/HEAD?urlpath={quote(target, safe='')}"
