"""Run every benchmark once and write ``benchmarks/results.json`` and ``benchmarks/RESULTS.md``.

Usage (from the repository root)::

    .venv/bin/python -m benchmarks.run            # the whole run, about 8 to 10 minutes
    .venv/bin/python -m benchmarks.run --runs 2   # a quick look (figures less reliable)

Order: Python-side timings (child processes), then a cold server (time to interactive of
every app and of the bare notebook, one kernel's memory, ten viewers), then the normal
pre-heated server (time to interactive with pool refill, interaction latency), then a page
of the static site if ``briefing export`` exists. Only one thing runs at a time.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from playwright.sync_api import Browser, sync_playwright

from benchmarks import machine, pages, python_side, report
from briefing.paths import notebooks_dir
from tests.browser.browser_harness import (
    CHROMIUM,
    CHROMIUM_ARGS,
    apps_without_charts,
    running_server,
)

HERE = Path(__file__).resolve().parent
REPO_ROOT = HERE.parent
FLOOR = HERE / "floor" / "floor.ipynb"
INTERACTION_NOTEBOOK = "01_industry.ipynb"
COLD_ARGS = ("--VoilaConfiguration.preheat_kernel=False",)


def say(message: str) -> None:
    print(message, flush=True)


def app_notebooks() -> list[Path]:
    """The served apps (``staff_*`` notebooks are never served)."""
    return sorted(p for p in notebooks_dir().glob("*.ipynb") if not p.name.startswith("staff_"))


def wait_for_calm(max_load: float, max_wait: float) -> dict[str, Any]:
    """Wait (at most ``max_wait`` s) for the 1-minute load average to drop below ``max_load``."""
    start = time.monotonic()
    seen = [machine.load_average()[0]]
    while seen[-1] >= max_load and time.monotonic() - start < max_wait:
        say(f"load average {seen[-1]:.2f} ≥ {max_load}: waiting for a calmer machine")
        time.sleep(min(20.0, max(0.0, max_wait - (time.monotonic() - start))))
        seen.append(machine.load_average()[0])
    return {"max_load": max_load, "waited_s": time.monotonic() - start, "seen": seen}


def serving_folder(apps: Sequence[Path]) -> Path:
    """A temporary folder with copies of the app notebooks and the bare one."""
    folder = Path(tempfile.mkdtemp(prefix="briefing-bench-"))
    for path in [*apps, FLOOR]:
        shutil.copy2(path, folder / path.name)
    return folder


def static_site(browser: Browser, runs: int, warmup: int) -> dict[str, Any]:
    """Export the industry app with ``briefing export`` and time its page from disk."""
    if importlib.util.find_spec("briefing.export") is None:
        return {"skipped": "`briefing export` does not exist in this tree (no briefing/export.py)."}
    work = Path(tempfile.mkdtemp(prefix="briefing-bench-site-"))
    try:
        source = work / "notebooks"
        source.mkdir()
        shutil.copy2(notebooks_dir() / INTERACTION_NOTEBOOK, source / INTERACTION_NOTEBOOK)
        start = time.monotonic()
        done = subprocess.run(
            [
                sys.executable,
                "-c",
                "import sys; from briefing.cli import main; sys.exit(main(sys.argv[1:]))",
                "export",
                "--out",
                str(work / "site"),
                "--notebooks",
                str(source),
            ],
            capture_output=True,
            text=True,
            timeout=240,
        )
        export_s = time.monotonic() - start
        if done.returncode != 0:
            return {
                "skipped": f"`briefing export` failed (exit {done.returncode}): "
                + (done.stderr.strip().splitlines() or [""])[-1][:300]
            }
        candidates = [p for p in (work / "site").glob("*.html") if p.name != "index.html"]
        if not candidates:
            return {"skipped": "`briefing export` wrote no app page."}
        page = candidates[0]
        measured = pages.static_page(browser, page, runs=runs, warmup=warmup)
        return {**measured, "page": page.name, "export_s": export_s}
    except Exception as error:  # a figure missing is reported, never fatal
        return {"skipped": f"the static page could not be measured: {type(error).__name__}"}
    finally:
        shutil.rmtree(work, ignore_errors=True)


def scrub(value: Any) -> Any:
    """Replace this machine's folders in every string of ``value`` by placeholders."""
    if isinstance(value, dict):
        return {key: scrub(item) for key, item in value.items()}
    if isinstance(value, list):
        return [scrub(item) for item in value]
    if isinstance(value, str):
        for folder, placeholder in (
            (str(REPO_ROOT), "<repo>"),
            (tempfile.gettempdir(), "<tmp>"),
            (str(Path.home()), "<home>"),
        ):
            value = value.replace(folder, placeholder)
    return value


def write_json(path: Path, results: dict[str, Any]) -> None:
    path.write_text(
        json.dumps(scrub(results), indent=1, ensure_ascii=False) + "\n", encoding="utf-8"
    )


def write_markdown(args: argparse.Namespace, results: dict[str, Any]) -> None:
    """Write ``RESULTS.md``, keeping its hand-written findings, with the baseline if any."""
    baseline = None
    if args.baseline.is_file() and args.baseline.resolve() != args.out.resolve():
        baseline = json.loads(args.baseline.read_text(encoding="utf-8"))
    notes = report.existing_notes(args.markdown)
    args.markdown.write_text(report.render(results, baseline, notes), encoding="utf-8")


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.run", description=__doc__)
    parser.add_argument("--runs", type=int, default=5, help="measured runs per figure")
    parser.add_argument("--warmup", type=int, default=1, help="discarded runs before them")
    parser.add_argument("--viewers", type=int, default=10, help="open pages for the memory figure")
    parser.add_argument("--max-load", type=float, default=2.0, help="wait for a load below this")
    parser.add_argument("--max-wait", type=float, default=60.0, help="seconds to wait for it")
    parser.add_argument(
        "--only",
        default="python,cold,memory,preheated,interaction,static",
        help="comma-separated parts to run",
    )
    parser.add_argument("--out", type=Path, default=HERE / "results.json")
    parser.add_argument("--markdown", type=Path, default=HERE / "RESULTS.md")
    parser.add_argument(
        "--baseline",
        type=Path,
        default=HERE / "baseline.json",
        help="an earlier results.json shown as 'before' (skipped if missing)",
    )
    parser.add_argument(
        "--render-only",
        action="store_true",
        help="measure nothing: write the Markdown again from the results file (--out)",
    )
    args = parser.parse_args(argv)
    if args.render_only:
        write_markdown(args, json.loads(args.out.read_text(encoding="utf-8")))
        return 0

    def stop(signum: int, frame: object) -> None:
        say(f"signal {signum}: stopping after the current page")
        pages.STOP.set()

    for sig in (signal.SIGINT, signal.SIGTERM):
        signal.signal(sig, stop)
    parts = set(args.only.split(","))
    started = time.monotonic()

    calm = wait_for_calm(args.max_load, args.max_wait)
    results: dict[str, Any] = {
        "machine": machine.describe(CHROMIUM),
        "load_start": machine.load_average(),
        "calm_wait": calm,
        "settings": {
            "runs": args.runs,
            "warmup": args.warmup,
            "viewers": args.viewers,
            "floor": FLOOR.name,
            "interaction_notebook": INTERACTION_NOTEBOOK,
            "baseline_file": f"benchmarks/{args.baseline.name}",
            "parts": sorted(parts),
        },
    }
    say(f"load average at start: {results['load_start']}")
    apps = app_notebooks()
    names = [p.name for p in apps] + [FLOOR.name]
    folder = serving_folder(apps)

    # A warm-up round opens the bare notebook and one app: it fills the browser's and the
    # system's caches; the Python-side runs have already read every module once.
    warm = [FLOOR.name, INTERACTION_NOTEBOOK]

    no_charts = apps_without_charts()  # their figures are all cards

    def charted(name: str) -> bool:
        return name != FLOOR.name and name not in no_charts

    def phase(key: str, measure: Callable[[], Any]) -> None:
        """Run one measurement; a failure is recorded in the results, never fatal."""
        begun = time.monotonic()
        pages.check_stop()
        try:
            results[key] = measure()
        except Exception as error:
            say(f"{key} failed: {type(error).__name__}: {error}")
            results[key] = {"error": f"{type(error).__name__}: {str(error).splitlines()[0]}"}
        results.setdefault("phase_s", {})[key] = round(time.monotonic() - begun, 1)
        write_json(args.out, results)  # what is measured so far survives an interruption

    def tti(server: Any, preheated: bool) -> Callable[[], Any]:
        return lambda: pages.time_to_interactive(
            server,
            browser,
            names,
            charted,
            runs=args.runs,
            warmup=args.warmup,
            warmup_notebooks=warm,
            preheated=preheated,
            progress=say,
        )

    try:
        if "python" in parts:
            say("python side: imports, data load, app builds (child processes)")
            phase("python", lambda: python_side.measure(apps, args.runs, args.warmup))
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path=str(CHROMIUM), args=list(CHROMIUM_ARGS)
            )
            try:
                if parts & {"cold", "memory"}:
                    say("cold kernels")
                    with running_server(folder, extra_args=COLD_ARGS) as server:
                        pages.wait_quiet(server, quiet_for=1.0)
                        if "cold" in parts:
                            phase("cold", tti(server, False))
                        if "memory" in parts:
                            say(f"{args.viewers} viewers of {INTERACTION_NOTEBOOK}")
                            phase(
                                "memory",
                                lambda: pages.many_viewers(
                                    server, browser, INTERACTION_NOTEBOOK, args.viewers
                                ),
                            )
                if parts & {"preheated", "interaction"}:
                    say("pre-heated kernels: waiting for the pools")
                    with running_server(folder) as server:
                        phase("pool_start_s", lambda: pages.wait_for_pools(server, names))
                        phase("preheated_footprint", lambda: pages.footprint(server))
                        if "preheated" in parts:
                            phase("preheated", tti(server, True))
                        if "interaction" in parts:
                            say("interaction latency")
                            phase(
                                "filter",
                                lambda: pages.filter_latency(
                                    server,
                                    browser,
                                    INTERACTION_NOTEBOOK,
                                    runs=args.runs + 2,
                                    warmup=args.warmup,
                                ),
                            )
                            phase(
                                "language",
                                lambda: pages.language_latency(
                                    server,
                                    browser,
                                    INTERACTION_NOTEBOOK,
                                    runs=args.runs,
                                    warmup=args.warmup,
                                ),
                            )
                if "static" in parts:
                    say("static site")
                    phase("static", lambda: static_site(browser, args.runs, args.warmup))
            finally:
                browser.close()
    except pages.Interrupted:
        say("interrupted: the figures measured so far are in " + args.out.name)
        return 130
    finally:
        shutil.rmtree(folder, ignore_errors=True)

    results["load_end"] = machine.load_average()
    results["duration_s"] = time.monotonic() - started
    results = scrub(results)
    write_json(args.out, results)
    write_markdown(args, results)
    say(f"load average at end: {results['load_end']}; {results['duration_s']:.0f} s in all")
    say(f"wrote {args.out} and {args.markdown}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
