"""What the static pages load, all inside the site: scripts, styles, Vega, the facts, the data.

* ``assets/vega.js``: Vega, Vega-Lite and vega-embed, as vl-convert bundles them (the
  Vega-Lite version the specs are written for), wrapped so its names stay private;
* ``assets/site.js``, ``assets/reader.js``: the site's behaviour (``static/``);
* ``assets/site.css``: the site's styles, then the apps' own (cards, sources, tables);
* ``assets/facts.zh.js``, ``assets/facts.en.js``: the facts as the pages need them;
* ``data/``: the data package (descriptor, CSV tables, the report) and all of it as a ZIP.
"""

from __future__ import annotations

import re
import shutil
from importlib.metadata import version
from pathlib import Path

from briefing import paths, ui
from briefing import vegalite as vl

STATIC = Path(__file__).resolve().parent / "static"
SCRIPTS = ("site.js", "reader.js")
DATA_ZIP = "datang-2023-report-data.zip"

_README = """\
# Third-party components of this site

- `vega.js`: Vega, Vega-Lite {vl} and vega-embed, bundled by vl-convert {vlc}
  (BSD-3-Clause, Copyright (c) the University of Washington Interactive Data Lab; vega-embed
  bundles vega-tooltip, BSD-3-Clause, and fast-json-patch and json-stringify-pretty-compact,
  MIT). The bundle is unchanged, wrapped in a function so that its names stay private.
- Everything else (pages, `site.js`, `reader.js`, `site.css`, the data) is this project's;
  the report's text is the 2023 government work report of Datang town, Sanshui district,
  Foshan, as published by the town government.
"""


#: What the bundle leaves on ``window`` (vl-convert's own default, stated).
_GLOBALS = "window.vegaEmbed = vegaEmbed; window.vega = vega; window.vegaLite = vegaLite;"


def vega_bundle() -> str:
    """Vega, Vega-Lite and vega-embed as one classic script (``window.vegaEmbed``)."""
    import vl_convert

    bundle = str(vl_convert.javascript_bundle(_GLOBALS, vl_version=vl.VL_VERSION))
    return f"(function(){{\n{bundle}\n}})();\n"


def site_css() -> str:
    """The site's styles, then the apps' own style sheet (without its ``<style>`` tags)."""
    apps = re.sub(r"</?style>", "", ui.STYLE)
    return (STATIC / "site.css").read_text(encoding="utf-8") + "\n/* the apps' styles */\n" + apps


def write_assets(out: Path) -> None:
    """Write ``assets/`` (scripts, styles, Vega, licences) into ``out``."""
    assets = out / "assets"
    assets.mkdir(parents=True, exist_ok=True)
    (assets / "vega.js").write_text(vega_bundle(), encoding="utf-8")
    for name in SCRIPTS:
        shutil.copy2(STATIC / name, assets / name)
    (assets / "site.css").write_text(site_css(), encoding="utf-8")
    (assets / "README.md").write_text(
        _README.format(vl=vl.VL_VERSION, vlc=version("vl-convert-python")), encoding="utf-8"
    )


def write_data(out: Path, root: Path | None = None) -> list[str]:
    """Copy the data package (its descriptor and every file it lists) into ``out/data``, and
    all of it as one ZIP; returns the files written, relative to ``out/data``."""
    import json

    from briefing import downloads

    source = Path(root) if root is not None else paths.data_dir()
    descriptor = json.loads((source / "datapackage.json").read_text(encoding="utf-8"))
    target = out / "data"
    target.mkdir(parents=True, exist_ok=True)
    shutil.copy2(source / "datapackage.json", target / "datapackage.json")
    written = ["datapackage.json"]
    for resource in descriptor["resources"]:
        path = source / resource["path"]
        if path.is_file():
            (target / resource["path"]).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(path, target / resource["path"])
            written.append(str(resource["path"]))
    (target / DATA_ZIP).write_bytes(downloads.dataset_zip(source))
    written.append(DATA_ZIP)
    return written
