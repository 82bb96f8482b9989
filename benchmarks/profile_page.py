"""Where a page's time goes in the browser: a CPU profile of Chromium's main thread.

Usage (from the repository root)::

    .venv/bin/python -m benchmarks.profile_page                      # bare notebook, industry
    .venv/bin/python -m benchmarks.profile_page --cold 00_overview.ipynb
    .venv/bin/python -m benchmarks.profile_page --canvases 01_industry.ipynb

Serves copies of the named notebooks and the bare one (pre-heated, or ``--cold``), opens
each page ``--runs`` times in a fresh context with the V8 sampling profiler on, and prints
per page: time to interactive, the navigation timings (when the HTML arrived, when the
page's ``load`` event ended) and the main thread's time by script file and by function.
``(idle)`` is time the main thread waited (for the server, the network, the kernel);
``(program)`` is the browser's own work (parsing, compiling, layout); a file name is
JavaScript run from it. ``--canvases`` also counts the ``<canvas>`` elements the page
created (Vega draws each chart on one), which shows how often charts were drawn.

This is the profile behind the findings in ``RESULTS.md``; it is not part of ``make bench``.
"""

from __future__ import annotations

import argparse
import collections
import contextlib
import time
from collections.abc import Sequence
from typing import Any

from playwright.sync_api import sync_playwright

from benchmarks import pages
from benchmarks.run import COLD_ARGS, serving_folder
from briefing.paths import notebooks_dir
from tests.browser.browser_harness import CHROMIUM, CHROMIUM_ARGS, running_server

COUNT_CANVASES_JS = """
(() => {
  window.__canvases = 0;
  const create = Document.prototype.createElement;
  Document.prototype.createElement = function (tag, ...rest) {
    if (String(tag).toLowerCase() === 'canvas') window.__canvases += 1;
    return create.call(this, tag, ...rest);
  };
})();
"""
FLOOR_NAME = "floor.ipynb"
NAVIGATION_KEYS = ("responseStart", "responseEnd", "domInteractive", "loadEventEnd")


Tally = collections.Counter[str]


def self_times(profile: dict[str, Any]) -> tuple[Tally, Tally]:
    """Sampled self time (µs) by script file and by ``function @ file``.

    Examples
    --------
    >>> profile = {"nodes": [
    ...     {"id": 1, "callFrame": {"url": "http://h/static/voila.js", "functionName": "x"}},
    ...     {"id": 2, "callFrame": {"url": "", "functionName": "(idle)"}}],
    ...     "samples": [1, 2, 1], "timeDeltas": [500, 1000, 250]}
    >>> by_file, by_function = self_times(profile)
    >>> by_file["voila.js"], by_file["(idle)"], by_function["x @ voila.js"]
    (750, 1000, 750)
    """
    nodes = {node["id"]: node["callFrame"] for node in profile["nodes"]}
    by_file: Tally = collections.Counter()
    by_function: Tally = collections.Counter()
    for sample, delta in zip(profile["samples"], profile["timeDeltas"], strict=True):
        frame = nodes[sample]
        name = frame["url"].rsplit("/", 1)[-1].split("?")[0] or frame["functionName"]
        by_file[name] += delta
        by_function[f"{frame['functionName'] or '(anonymous)'} @ {name}"] += delta
    return by_file, by_function


def profile_pages(names: Sequence[str], *, cold: bool, runs: int, top: int, canvases: bool) -> None:
    apps = [notebooks_dir() / name for name in names if name != FLOOR_NAME]
    folder = serving_folder(apps)
    extra = COLD_ARGS if cold else ()
    with running_server(folder, extra_args=extra) as server, sync_playwright() as play:
        browser = play.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        server.wait_until_idle()
        for run in range(runs):
            for name in [FLOOR_NAME, *(n for n in names if n != FLOOR_NAME)]:
                with pages.viewer(browser) as view:
                    page = view.page
                    if canvases:
                        page.context.add_init_script(COUNT_CANVASES_JS)
                    cdp = page.context.new_cdp_session(page)
                    cdp.send("Profiler.enable")
                    cdp.send("Profiler.setSamplingInterval", {"interval": 500})
                    cdp.send("Profiler.start")
                    times = pages.open_and_time(
                        page, server.render_url(name), chart=name != FLOOR_NAME, server=server
                    )
                    profile = cdp.send("Profiler.stop")["profile"]
                    navigation = page.evaluate(
                        "() => performance.getEntriesByType('navigation')[0].toJSON()"
                    )
                    count = None
                    if canvases:
                        time.sleep(2.0)  # let late redraws happen
                        count = page.evaluate("() => window.__canvases")
                    with contextlib.suppress(Exception):
                        pages.close_page(server, page)
                by_file, by_function = self_times(profile)
                total = sum(by_file.values()) / 1000
                print(
                    f"== {name} ({'cold' if cold else 'pre-heated'}, run {run + 1}): "
                    f"interactive {times['tti']:.2f} s; main thread sampled {total:.0f} ms"
                )
                print(
                    "   navigation ms: "
                    + ", ".join(f"{k} {navigation[k]:.0f}" for k in NAVIGATION_KEYS)
                    + (f"; canvases created: {count}" if count is not None else "")
                )
                for file, micros in by_file.most_common(top):
                    print(f"   {micros / 1000:7.0f} ms  {file}")
                print("   by function:")
                for function, micros in by_function.most_common(top):
                    print(f"   {micros / 1000:7.0f} ms  {function}")
                server.wait_until_idle()
        browser.close()


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.profile_page", description=__doc__)
    parser.add_argument("notebooks", nargs="*", default=["01_industry.ipynb"])
    parser.add_argument("--cold", action="store_true", help="no pre-heated kernels")
    parser.add_argument("--runs", type=int, default=2)
    parser.add_argument("--top", type=int, default=10, help="rows per table")
    parser.add_argument("--canvases", action="store_true", help="count <canvas> elements made")
    args = parser.parse_args(argv)
    profile_pages(
        args.notebooks, cold=args.cold, runs=args.runs, top=args.top, canvases=args.canvases
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
