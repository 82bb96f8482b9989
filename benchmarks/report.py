"""Write ``RESULTS.md`` from a run's results (and, when given, an earlier run to compare with).

Everything below the line :data:`NOTES_MARKER` in an existing ``RESULTS.md`` is kept as
it is: the findings written by hand (profiles, explanations) survive a new run.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

NOTES_MARKER = (
    "<!-- Findings below this line are written by hand and kept when the file is regenerated. -->"
)

TARGETS = {
    "cold_ratio": 1.3,
    "preheated_s": 1.0,
    "interaction_s": 0.150,
    "import_s": 0.5,
    "load_s": 0.2,
    "kernel_mib": 150.0,
}


def _part(results: Mapping[str, Any] | None, key: str) -> dict[str, Any]:
    """One part of the results, or an empty dict if it is missing or failed."""
    value = (results or {}).get(key)
    if not isinstance(value, dict) or "error" in value:
        return {}
    return value


def _get(data: Mapping[str, Any] | None, *keys: str) -> Any:
    for key in keys:
        if not isinstance(data, Mapping) or key not in data:
            return None
        data = data[key]
    return data


def _med(summary: Any) -> float | None:
    return summary.get("median") if isinstance(summary, Mapping) else None


def fmt_s(summary: Any, digits: int = 2) -> str:
    """``median (min–max)`` in seconds."""
    if not isinstance(summary, Mapping) or summary.get("median") is None:
        return "–"
    return (
        f"{summary['median']:.{digits}f} ({summary['min']:.{digits}f}–{summary['max']:.{digits}f})"
    )


def fmt_ms(summary: Any) -> str:
    """``median (min–max)`` in milliseconds."""
    if not isinstance(summary, Mapping) or summary.get("median") is None:
        return "–"
    low, high = summary["min"] * 1000, summary["max"] * 1000
    return f"{summary['median'] * 1000:.0f} ({low:.0f}–{high:.0f})"


def fmt_mib(summary: Any) -> str:
    if not isinstance(summary, Mapping) or summary.get("median") is None:
        return "–"
    return f"{summary['median']:.0f} ({summary['min']:.0f}–{summary['max']:.0f})"


def _num(value: Any, digits: int = 2, suffix: str = "") -> str:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return "–"
    return f"{value:.{digits}f}{suffix}"


def _verdict(ok: bool | None) -> str:
    return "–" if ok is None else ("met" if ok else "**missed**")


def ratios(results: Mapping[str, Any], mode: str, floor: str) -> dict[str, float | None]:
    """Each notebook's median time to interactive divided by the floor's, for one mode."""
    rows = _part(results, mode)
    base = _med(_get(rows, floor, "tti"))
    out: dict[str, float | None] = {}
    for name, row in rows.items():
        value = _med(_get(row, "tti"))
        out[name] = None if value is None or not base else value / base
    return out


def _under(
    label: str, value: float | None, target: str, digits: int, unit: str = "s", *, scale: float = 1
) -> tuple[str, str, str, bool | None]:
    """A target row met when ``value`` is below ``TARGETS[target]``, both shown × ``scale``."""
    threshold = TARGETS[target]
    shown = None if value is None else value * scale
    met = None if value is None else value < threshold
    return label, _num(shown, digits, f" {unit}"), f"< {threshold * scale:g} {unit}", met


def targets(results: Mapping[str, Any]) -> list[tuple[str, str, str, bool | None]]:
    """(target, figure, threshold, met?) for each target of the issue."""
    floor = results["settings"]["floor"]
    apps = [name for name in (_part(results, "cold")) if name != floor]
    rows: list[tuple[str, str, str, bool | None]] = []
    cold = ratios(results, "cold", floor)
    worst = max((cold[a] for a in apps if cold.get(a) is not None), default=None)
    worst_name = next((a for a in apps if cold.get(a) == worst), "")
    rows.append(
        (
            "time to interactive, cold, ratio to the bare notebook (worst app)",
            f"{_num(worst)}× ({worst_name})",
            f"≤ {TARGETS['cold_ratio']}×",
            None if worst is None else worst <= TARGETS["cold_ratio"],
        )
    )
    pre = {a: _med(_get(results, "preheated", a, "tti")) for a in apps}
    pre_worst = max((v for v in pre.values() if v is not None), default=None)
    pre_name = next((a for a, v in pre.items() if v == pre_worst), "")
    rows.append(
        (
            "time to interactive, pre-heated (slowest app)",
            f"{_num(pre_worst)} s ({pre_name})",
            f"< {TARGETS['preheated_s']:.0f} s",
            None if pre_worst is None else pre_worst < TARGETS["preheated_s"],
        )
    )
    for label, value in (
        ("filter change to redrawn charts", _get(results, "filter", "latency")),
        ("language toggle to English cards", _get(results, "language", "to_english_cards")),
    ):
        rows.append(_under(label, _med(value), "interaction_s", 0, "ms", scale=1000))
    for label, key, target in (
        ("`import briefing`", "import_briefing", "import_s"),
        (
            "load and validate all data after `import briefing` (pandas import included)",
            "data_load_first",
            "load_s",
        ),
        (
            "the same, pandas already imported (the package's own work)",
            "data_load_after_pandas",
            "load_s",
        ),
    ):
        rows.append(_under(label, _med(_get(results, "python", key)), target, 3))
    kernel = _med(_get(results, "cold", "01_industry.ipynb", "rss"))
    label = "resident memory of one app kernel (industry, page ready)"
    rows.append(_under(label, kernel, "kernel_mib", 0, "MiB"))
    return rows


def _machine(results: Mapping[str, Any]) -> list[str]:
    m = results["machine"]
    p = m["packages"]
    load0, load1 = results.get("load_start"), results.get("load_end")
    lines = [
        "## Machine and software",
        "",
        "| | |",
        "| --- | --- |",
        f"| date | {m['date']} |",
        f"| CPU | {m['cpu_model']}, {m['cores']} cores |",
        f"| memory | {m['memory_mib']:.0f} MiB |",
        f"| Linux | {m['kernel']} |",
        f"| Python | {m['python']} |",
        f"| voila / ipywidgets / altair / pandas | {p['voila']} / {p['ipywidgets']} / "
        f"{p['altair']} / {p['pandas']} |",
        f"| ipykernel / jupyter_server / playwright | {p['ipykernel']} / {p['jupyter_server']} / "
        f"{p['playwright']} |",
        f"| browser | {m['chromium']} (headless) |",
        f"| load average at start (1, 5, 15 min) | {', '.join(map(str, load0 or []))} |",
        f"| load average at end | {', '.join(map(str, load1 or []))} |",
        f"| waited for a calmer machine | {results.get('calm_wait', {}).get('waited_s', 0):.0f} s"
        f" (target load < {results.get('calm_wait', {}).get('max_load', '–')}) |",
        f"| whole run | {results.get('duration_s', 0):.0f} s"
        + (
            " ("
            + ", ".join(f"{k} {v:.0f} s" for k, v in (results.get("phase_s") or {}).items())
            + ")"
            if results.get("phase_s")
            else ""
        )
        + " |",
        "",
    ]
    return lines


def _pages_table(results: Mapping[str, Any], baseline: Mapping[str, Any] | None) -> list[str]:
    floor = results["settings"]["floor"]
    cold_r = ratios(results, "cold", floor)
    pre_r = ratios(results, "preheated", floor)
    before_r = ratios(baseline, "cold", floor) if baseline else {}
    names = list(results.get("cold") or _part(results, "preheated"))
    head = (
        "| page | cold: TTI s | ratio to floor | pre-heated: TTI s | ratio | pool refill s "
        "| kernel RSS MiB |"
    )
    rule = "| --- | --- | --- | --- | --- | --- | --- |"
    if baseline:
        head += " before: cold TTI s (ratio) | before: pre-heated TTI s |"
        rule += " --- | --- |"
    lines = [head, rule]
    for name in names:
        cold = _get(results, "cold", name) or {}
        pre = _get(results, "preheated", name) or {}
        label = f"{name} (floor)" if name == floor else name
        row = (
            f"| {label} | {fmt_s(cold.get('tti'))} | {_num(cold_r.get(name))} "
            f"| {fmt_s(pre.get('tti'))} | {_num(pre_r.get(name))} | {fmt_s(pre.get('refill'), 1)} "
            f"| {fmt_mib(cold.get('rss'))} |"
        )
        if baseline:
            b_cold = _get(baseline, "cold", name, "tti")
            b_pre = _get(baseline, "preheated", name, "tti")
            row += f" {_num(_med(b_cold))} ({_num(before_r.get(name))}) | {_num(_med(b_pre))} |"
        lines.append(row)
    static = _part(results, "static")
    if static.get("tti"):
        floor_tti = _med(_get(results, "cold", floor, "tti"))
        static_tti = _med(static["tti"])
        ratio = None if not floor_tti or static_tti is None else static_tti / floor_tti
        lines.append(
            f"| static page `{static.get('page', '')}` from disk | {fmt_s(static['tti'])} "
            f"| {_num(ratio)} | | | | |" + (" | |" if baseline else "")
        )
    return lines


def _python_table(results: Mapping[str, Any], baseline: Mapping[str, Any] | None) -> list[str]:
    py = _part(results, "python")
    before = _part(baseline, "python")
    rows = [
        ("`import briefing`", "import_briefing"),
        ("`import briefing.data`", "import_briefing_data"),
        ("first `data.load()` after `import briefing` (imports pandas)", "data_load_first"),
        ("second `data.load()` (cached)", "data_load_cached"),
        ("`import pandas`", "import_pandas"),
        ("first `data.load()`, pandas already imported", "data_load_after_pandas"),
        ("`import briefing.apps, briefing.reader, briefing.tracker`", "import_apps"),
        ("`data.load()` after those imports", "data_load_in_apps"),
        ("Altair import and theme (`theme.enable()`)", "import_altair_theme"),
    ]
    builds = sorted({k.split(":", 1)[1] for k in py if k.startswith("build1:")})
    head = "| step (fresh interpreter) | median s (min–max) |"
    rule = "| --- | --- |"
    if baseline:
        head += " before: median s |"
        rule += " --- |"
    lines = [head, rule]

    def add(label: str, key: str) -> None:
        line = f"| {label} | {fmt_s(py.get(key), 3)} |"
        if baseline:
            line += f" {_num(_med(before.get(key)), 3)} |"
        lines.append(line)

    for label, key in rows:
        add(label, key)
    for name in builds:
        add(f"build `{name}` outside a kernel, first pass", f"build1:{name}")
    for name in builds:
        add(f"build `{name}` outside a kernel, second pass", f"build2:{name}")
    return lines


def render(
    results: Mapping[str, Any], baseline: Mapping[str, Any] | None = None, notes: str = ""
) -> str:
    """The whole ``RESULTS.md``."""
    settings = results["settings"]
    floor = settings["floor"]
    lines = [
        "# Benchmarks: what a viewer waits for",
        "",
        "Produced by `make bench` (`.venv/bin/python -m benchmarks.run`); the raw figures are in "
        "`benchmarks/results.json`. Figures, not tests: each is the **median (min–max)** of "
        f"{settings['runs']} measured runs, taken after {settings['warmup']} discarded warm-up "
        "round(s) (Python side: a whole child process; pages: the bare notebook and the "
        "industry app once per server; interactions: one change) "
        f"(memory: {settings['viewers']} viewers once). The machine was shared with other jobs: "
        "see the load averages.",
        "",
    ]
    if baseline:
        lines += [
            f"The *before* columns come from `{settings.get('baseline_file', 'baseline.json')}`, a "
            f"run of the same benchmark on {baseline['machine']['date']} before the changes "
            "described under *Findings* (load average at its start: "
            f"{', '.join(map(str, baseline.get('load_start') or []))}).",
            "",
        ]
    lines += _machine(results)
    failed = {
        key: value["error"]
        for key, value in results.items()
        if isinstance(value, dict) and "error" in value
    }
    if failed:
        lines += ["## Parts that failed in this run", ""]
        lines += [f"* `{key}`: {message}" for key, message in failed.items()]
        lines.append("")
    lines += [
        "## Targets",
        "",
        "| target | median | threshold | |",
        "| --- | --- | --- | --- |",
    ]
    for label, figure, threshold, ok in targets(results):
        lines.append(f"| {label} | {figure} | {threshold} | {_verdict(ok)} |")
    lines += [
        "",
        "## Time to interactive",
        "",
        "From navigation start until the cells are shown, the widgets rendered and (apps) the "
        "first chart drawn, read in the page at the first animation frame where that holds "
        "(the condition of the browser tests' `wait_for_app`). Each page opens in a fresh "
        "browser context (a first visit). One server serves copies of the app notebooks and "
        f"`{floor}` (a title and one `IntSlider`, from `benchmarks/floor/`), the floor every "
        "ratio is taken against.",
        "",
        "* **cold**: a server with `--VoilaConfiguration.preheat_kernel=False`; every page starts "
        "a kernel and runs the notebook.",
        "* **pre-heated**: the normal `voila.json` (a pool of one kernel per notebook). "
        "Measured after every pool was filled and the server was idle "
        f"({_num(_get(results, 'pool_start_s'), 0, ' s')} after start); after each page the "
        "run waits until the pool has refilled and the server and kernels are idle again. "
        "*Pool refill* is the time from the page request until then.",
        "* **kernel RSS**: resident memory of the page's kernel (cold server) once the page is "
        "interactive.",
        "",
    ]
    lines += _pages_table(results, baseline)
    static = _part(results, "static")
    lines.append("")
    if static.get("skipped"):
        lines += [f"Static site: not measured: {static['skipped']}", ""]
    elif static.get("tti"):
        lines += [
            f"Static site: `briefing export` of the industry app, `{static.get('page')}` opened "
            "from disk (`file://`); interactive = the page's script has run and every chart "
            f"not filtered out is drawn. Export took {_num(static.get('export_s'), 0, ' s')}. "
            "Both languages and phone size: `python -m benchmarks.site`.",
            "",
        ]
    problems = {
        f"{mode}/{name}": row.get("problems")
        for mode in ("cold", "preheated")
        for name, row in (_part(results, mode)).items()
        if row.get("problems")
    }
    if problems:
        lines += ["Problems seen in the pages:", ""]
        lines += [f"* {key}: {'; '.join(value)[:400]}" for key, value in problems.items()]
        lines.append("")
    flt, lang = _part(results, "filter"), _part(results, "language")
    b_flt = _part(baseline, "filter")
    b_lang = _part(baseline, "language")
    lines += [
        "## Interaction latency",
        "",
        f"In `{settings['interaction_notebook']}` on the pre-heated server, after the page is "
        "ready and the server idle. Time in the page from the `change` (or `click`) event to "
        "the first animation frame where the result is drawn; the last column is the wall time "
        "from the Playwright call until the page reported it.",
        "",
        "| interaction | median ms (min–max) | before: median ms | wall ms |",
        "| --- | --- | --- | --- |",
        f"| part filter → all explorer charts redrawn | {fmt_ms(flt.get('latency'))} "
        f"| {_num(_scale(_med(b_flt.get('latency'))), 0)} | {fmt_ms(flt.get('wall'))} |",
        f"| language toggle → headline cards in English | {fmt_ms(lang.get('to_english_cards'))}"
        f" | {_num(_scale(_med(b_lang.get('to_english_cards'))), 0)} "
        f"| {fmt_ms(lang.get('to_english_wall'))} |",
        f"| language toggle → every chart redrawn in English "
        f"| {fmt_ms(lang.get('to_english_charts'))} "
        f"| {_num(_scale(_med(b_lang.get('to_english_charts'))), 0)} | |",
        f"| language toggle → headline cards in Chinese | {fmt_ms(lang.get('to_chinese_cards'))}"
        f" | {_num(_scale(_med(b_lang.get('to_chinese_cards'))), 0)} | |",
        "",
        "## Python side",
        "",
        "Each step in a fresh interpreter (a child process per run), as a kernel pays it. The "
        "app builds execute each notebook's code cell outside a kernel, in file order, twice: "
        "the first pass includes one-time costs (the first charts built). The reader counts "
        "the report's words from the segmentation kept in its cache folder when one is there "
        "(as after any earlier start); without it, its first pass also loads jieba's "
        "dictionary (about 0.7 s).",
        "",
    ]
    lines += _python_table(results, baseline)
    mem = _part(results, "memory")
    pre_fp = _part(results, "preheated_footprint")
    b_mem = _part(baseline, "memory")
    lines += [
        "",
        "## Memory",
        "",
        "| | RSS MiB | PSS MiB | before: RSS MiB |",
        "| --- | --- | --- | --- |",
        f"| one industry kernel, page ready (median) "
        f"| {fmt_mib(_get(results, 'cold', '01_industry.ipynb', 'rss'))} "
        f"| {fmt_mib(_get(results, 'cold', '01_industry.ipynb', 'pss'))} "
        f"| {_num(_med(_get(baseline, 'cold', '01_industry.ipynb', 'rss')), 0)} |",
        f"| server + {mem.get('kernels', '–')} kernels, {mem.get('viewers', '–')} open viewers of "
        f"the industry app (cold server) | {_num(mem.get('total_rss_mib'), 0)} "
        f"| {_num(mem.get('total_pss_mib'), 0)} | {_num(b_mem.get('total_rss_mib'), 0)} |",
        f"| of which the server process | {_num(mem.get('server_rss_mib'), 0)} | | "
        f"{_num(b_mem.get('server_rss_mib'), 0)} |",
        f"| pre-heated server idle: server + {pre_fp.get('kernels', '–')} pool kernels "
        f"| {_num(pre_fp.get('total_rss_mib'), 0)} | {_num(pre_fp.get('total_pss_mib'), 0)} "
        f"| {_num(_get(baseline, 'preheated_footprint', 'total_rss_mib'), 0)} |",
        "",
        "RSS counts shared pages (libraries) in every process; PSS shares them out, so the PSS "
        "total is closer to what the machine really spends. "
        f"The {mem.get('viewers', '–')} pages were all interactive "
        f"{_num(mem.get('all_ready_s'), 1, ' s')} after the first was opened.",
        "",
        NOTES_MARKER,
        "",
    ]
    if notes.strip():
        lines.append(notes.strip())
        lines.append("")
    return "\n".join(lines)


def _scale(value: float | None) -> float | None:
    return None if value is None else value * 1000


def existing_notes(path: Path) -> str:
    """The hand-written part of an existing ``RESULTS.md`` (below :data:`NOTES_MARKER`)."""
    if not path.is_file():
        return ""
    text = path.read_text(encoding="utf-8")
    _, found, tail = text.partition(NOTES_MARKER)
    return tail if found else ""
