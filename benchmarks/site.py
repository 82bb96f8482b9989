"""The static site's first pages: time to interactive in Chromium, both languages, desktop
and phone size, from disk (``file://``) and from ``briefing serve`` at ``/site/``.

Usage (from the repository root)::

    .venv/bin/python -m benchmarks.site            # about a minute
    .venv/bin/python -m benchmarks.site --runs 3

Prints a Markdown table (for ``benchmarks/RESULTS.md``) and writes
``benchmarks/site-results.json``. Interactive = the page's script has run (filters,
toggles and clicks wired) and every chart not filtered out is drawn, read on the page's own
clock from the start of navigation; each run is a first visit in a fresh browser context.
"""

from __future__ import annotations

import argparse
import json
import shutil
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from playwright.sync_api import sync_playwright

from benchmarks import machine, pages
from briefing import audience, export, paths
from tests.browser.browser_harness import CHROMIUM, CHROMIUM_ARGS, running_server

HERE = Path(__file__).resolve().parent
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 720}
PAGES = ("index.html", "01_industry.html", "en/01_industry.html", "05_report_reader.html")
APP = "01_industry.ipynb"


def _fmt(tti: dict[str, Any]) -> str:
    return f"{tti['median']:.2f} ({tti['min']:.2f}–{tti['max']:.2f})"


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.site", description=__doc__)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--warmup", type=int, default=1)
    args = parser.parse_args(argv)
    work = Path(tempfile.mkdtemp(prefix="briefing-bench-site-"))
    rows: list[dict[str, Any]] = []
    try:
        report = export.export_site(work / "site")
        notebooks = work / "notebooks"
        notebooks.mkdir()
        shutil.copy2(paths.notebooks_dir() / APP, notebooks / APP)
        env = {audience.SITE_ENV: str(work / "site")}
        with sync_playwright() as playwright, running_server(notebooks, env=env) as server:
            browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
            for page in PAGES:
                for where, address in (
                    ("file://", work / "site" / page),
                    ("served /site/", server.url(f"site/{page}")),
                ):
                    for size, viewport in (("desktop", DESKTOP), ("phone", PHONE)):
                        measured = pages.static_page(
                            browser, address, runs=args.runs, warmup=args.warmup,
                            viewport=viewport,
                        )  # fmt: skip
                        rows.append({"page": page, "from": where, "size": size, **measured})
                        print(f"{page:<24} {where:<14} {size:<8} {_fmt(measured['tti'])}")
            browser.close()
        results = {
            "machine": machine.describe(CHROMIUM),
            "site_mb": round(report.total_bytes / 1e6, 2),
            "runs": args.runs,
            "rows": rows,
        }
    finally:
        shutil.rmtree(work, ignore_errors=True)
    (HERE / "site-results.json").write_text(json.dumps(results, indent=1) + "\n")
    print()
    print("| page | from | size | interactive, s: median (min–max) | problems |")
    print("| --- | --- | --- | --- | --- |")
    for row in rows:
        problems = ", ".join(row["problems"]) or "none"
        print(
            f"| `{row['page']}` | {row['from']} | {row['size']} | {_fmt(row['tti'])} | {problems} |"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
