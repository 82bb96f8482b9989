"""The ``briefing`` command.

Each subcommand is one function that adds its parser and one that runs it,
registered in :data:`SUBCOMMANDS`. To add a subcommand ``foo``::

    def add_foo(subparsers):
        parser = subparsers.add_parser("foo", help="...")
        parser.add_argument(...)
        parser.set_defaults(run=run_foo)

    def run_foo(args: argparse.Namespace) -> int:
        ...
        return 0

    SUBCOMMANDS = [..., add_foo]

>>> build_parser().parse_args(["serve", "--port", "9000", "--no-browser"]).port
9000
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

Subparsers = Any  # argparse's _SubParsersAction, which has no public name


def add_serve(subparsers: Subparsers) -> None:
    """``briefing serve``: run the Voilà apps of the notebooks folder."""
    from briefing import serve

    parser = subparsers.add_parser(
        "serve",
        help="serve the apps in notebooks/ with Voilà",
        description=(
            "Serve the apps in notebooks/ with Voilà and the briefing template "
            "(settings in voila.json). Notebooks named staff_* are never served. "
            "Add ?present=1 to an app's URL for presentation mode, ?theme=dark "
            "for the dark theme."
        ),
    )
    parser.add_argument(
        "--port", type=int, default=serve.DEFAULT_PORT, help="port (default %(default)s)"
    )
    parser.add_argument(
        "--ip", default=serve.DEFAULT_IP, help="address to listen on (default %(default)s)"
    )
    parser.add_argument(
        "--no-browser", action="store_true", help="do not open a browser on the start page"
    )
    parser.add_argument(
        "--notebooks",
        type=Path,
        default=None,
        help="folder of notebooks to serve (default: the project's notebooks/)",
    )
    parser.add_argument(
        "--site",
        type=Path,
        default=None,
        metavar="DIR",
        help="static site served at /site/ for the audience (default: site/, exported first "
        "if missing)",
    )
    parser.add_argument(
        "--no-site", action="store_true", help="do not serve the static site at /site/"
    )
    parser.add_argument(
        "--audience-url",
        default=None,
        metavar="URL",
        help="address the meeting-mode QR code shows (default: http://<this machine>:PORT/site/)",
    )
    parser.set_defaults(run=run_serve)


def run_serve(args: argparse.Namespace) -> int:
    from briefing import audience, paths, serve

    if not args.no_site:
        site = args.site if args.site is not None else paths.REPO_DIR / "site"
        if args.site is None and not (site / "index.html").is_file():
            from briefing import export

            print(f"exporting the static site for the audience into {site} ...", file=sys.stderr)
            try:
                export.export_site(site)
            except (export.ExportError, ValueError) as error:
                return _fail(str(error), 1)
        if not (site / "index.html").is_file():
            return _fail(f"{site} holds no exported site (run `briefing export --out {site}`)", 2)
        os.environ[audience.SITE_ENV] = str(site.resolve())
        url = audience.audience_url(args.ip, args.port, args.audience_url)
        os.environ[audience.AUDIENCE_URL_ENV] = url
        print(f"audience: {url}", file=sys.stderr)
    return serve.serve(args.notebooks, port=args.port, ip=args.ip, open_browser=not args.no_browser)


def add_lab(subparsers: Subparsers) -> None:
    """``briefing lab``: JupyterLab on the project, for staff."""
    from briefing import lab

    parser = subparsers.add_parser(
        "lab",
        help="open JupyterLab on the project (for staff: the data, the API, the forms)",
        description=(
            "Start JupyterLab with the project folder as its root and open "
            f"{lab.START_HERE}. Listens on {lab.DEFAULT_IP} unless --ip says otherwise; "
            "runs as root when the shell does. Stop it with Ctrl-C."
        ),
    )
    parser.add_argument("--port", type=int, default=lab.DEFAULT_PORT, help="(default %(default)s)")
    parser.add_argument("--ip", default=lab.DEFAULT_IP, help="address (default %(default)s)")
    parser.add_argument("--no-browser", action="store_true", help="do not open a browser")
    parser.set_defaults(run=run_lab)


def run_lab(args: argparse.Namespace) -> int:
    from briefing import lab

    return lab.run_lab(port=args.port, ip=args.ip, open_browser=not args.no_browser)


def add_progress(subparsers: Subparsers) -> None:
    """``briefing progress add|validate|list``: progress on the 2023 commitments."""
    from briefing import progress

    parser = subparsers.add_parser(
        "progress",
        help="record, check and list progress on the 2023 commitments",
        description=(
            "The progress log (data/progress/progress_log.csv, or under BRIEFING_DATA_DIR) is "
            "append-only: `add` appends one validated row, safely even when several people "
            "save at once; a correction is a new row."
        ),
    )
    actions = parser.add_subparsers(dest="action", metavar="ACTION")
    actions.required = True
    add = actions.add_parser("add", help="append one update to the progress log")
    add.add_argument("--commitment", required=True, help="commitment id, e.g. c1-21")
    add.add_argument("--status", required=True, choices=progress.STATUSES, help="%(choices)s")
    add.add_argument(
        "--value",
        help="latest value, like 120 or 1,200 (only for commitments with a numeric target)",
    )
    add.add_argument("--unit", help="unit of the value as written, e.g. 亿元, 家, %%")
    add.add_argument("--note", required=True, help="what was done or what is in the way")
    add.add_argument("--evidence", default="", help="a document name or a link")
    add.add_argument("--by", required=True, help="who records the update")
    add.add_argument("--date", help="YYYY-MM-DD the progress refers to (default: today)")
    add.set_defaults(run=run_progress_add)
    validate = actions.add_parser("validate", help="check the progress log; exit 1 if invalid")
    validate.set_defaults(run=run_progress_validate)
    listing = actions.add_parser("list", help="print the updates, oldest row first")
    listing.add_argument("--commitment", help="only this commitment, with its current state")
    listing.set_defaults(run=run_progress_list)
    ids = actions.add_parser("commitments", help="list the commitment ids with their titles")
    ids.add_argument("--area", help="only this task area: t0 (main targets), t1 ... t6")
    ids.add_argument("--lang", choices=("zh", "en"), default="zh", help="titles in (%(choices)s)")
    ids.add_argument("--find", help="only commitments whose title contains this text")
    ids.set_defaults(run=run_progress_commitments)


def _fail(message: str, code: int) -> int:
    print(f"error: {message}", file=sys.stderr)
    return code


def run_progress_add(args: argparse.Namespace) -> int:
    from briefing import progress
    from briefing.errors import DataError

    entry = {
        "commitment_id": args.commitment,
        "status": args.status,
        "value": args.value,
        "unit": args.unit,
        "note": args.note,
        "evidence": args.evidence,
        "recorded_by": args.by,
        "date": args.date,
    }
    try:
        saved = progress.append(entry)
    except progress.EntryRejected as error:
        return _fail(error.text("en"), 2)
    except progress.InvalidEntry as error:
        return _fail(f"{error.column}: {error.message}", 2)
    except (DataError, OSError) as error:
        return _fail(str(error), 1)
    print(f"saved as row {saved.row} of {progress.log_path().name}: {_entry_line(saved)}")
    return 0


def run_progress_validate(args: argparse.Namespace) -> int:
    from briefing import data, progress
    from briefing.errors import DataError

    try:
        path = progress.log_path()
        entries = progress.load_log()
        states = progress.summary(entries, data.load())
    except (DataError, OSError) as error:
        print("progress log: INVALID")
        return _fail(str(error), 1)
    if not path.exists():
        print(f"{path.name}: not created yet (the first `briefing progress add` creates it)")
    print(f"progress log: valid, {len(entries)} row{'' if len(entries) == 1 else 's'}")
    print("rows by status:")
    for status in progress.STATUSES:
        print(f"  {status:<12} {sum(e.status == status for e in entries)}")
    print("commitments by current state:")
    for state, count in states.items():
        print(f"  {state:<12} {count}")
    return 0


def run_progress_list(args: argparse.Namespace) -> int:
    from briefing import data, progress
    from briefing.errors import DataError

    try:
        entries = progress.load_log()
        ds = data.load()
    except (DataError, OSError) as error:
        return _fail(str(error), 1)
    if args.commitment is not None:
        known = set(ds.commitments["commitment_id"])
        if args.commitment not in known:
            return _fail(
                progress.EntryRejected(
                    "commitment_id",
                    "unknown_commitment",
                    value=args.commitment,
                    suggestion=progress.suggest(args.commitment, sorted(known)),
                ).text("en"),
                2,
            )
        entries = [e for e in entries if e.commitment_id == args.commitment]
    for entry in entries:
        print(f"{entry.row:>4}  {_entry_line(entry)}")
    if not entries:
        print("no updates recorded")
    if args.commitment is not None:
        state = progress.statuses(ds, entries)[args.commitment]
        met = {True: ", target met", False: ", target not met", None: ""}[state.met]
        print(f"current state of {args.commitment}: {state.state}{met}")
    return 0


def run_progress_commitments(args: argparse.Namespace) -> int:
    from briefing import frames, progress_tables
    from briefing.errors import DataError

    try:
        table = progress_tables.commitment_table(args.area, lang=args.lang)
    except KeyError as error:
        return _fail(str(error.args[0]), 2)
    except (DataError, OSError) as error:
        return _fail(str(error), 1)
    found = args.find.casefold() if args.find else ""
    rows = [row for row in frames.records(table) if found in str(row["title"]).casefold()]
    for row in rows:
        target = f"  [target: {row['target']}]" if row["target"] else ""
        print(f"{row['commitment_id']:<7} {row['title']}{target}")
    print(f"{len(rows)} commitments; a value can be recorded only for those with a target")
    return 0


def _entry_line(entry: Any) -> str:
    from briefing import numbers

    value = "" if entry.value is None else f"{numbers.format_value(entry.value)}{entry.unit}"
    parts = [entry.date.isoformat(), entry.commitment_id, entry.status, value, entry.note]
    if entry.evidence:
        parts.append(f"[{entry.evidence}]")
    parts.append(f"({entry.recorded_by}, {entry.recorded_at:%Y-%m-%dT%H:%M:%SZ})")
    return "  ".join(part for part in parts if part)


def add_export(subparsers: Subparsers) -> None:
    """``briefing export --out DIR``: the static site in Chinese and English, offline."""
    parser = subparsers.add_parser(
        "export",
        help="write the static site: every app in Chinese and English, no server needed",
        description=(
            "Write every app as a page in Chinese (DIR/*.html) and in English (DIR/en/*.html), "
            "generated from the apps' own views and charts, with the data package in DIR/data. "
            "The pages filter, search and show sources in the browser with no server and no "
            "outside request; open DIR/index.html from disk or put DIR on any static host. "
            "Fails (and writes nothing) if the site would exceed its size budget."
        ),
    )
    parser.add_argument(
        "--out",
        type=Path,
        default=None,
        metavar="DIR",
        help="folder of the site: new, empty, or a previous export (replaced); with --pdf, "
        "the folder of the two PDFs (default: handout)",
    )
    parser.add_argument(
        "--pdf",
        action="store_true",
        help="write the printed handout instead: an A4 briefing pack in Chinese and one in "
        "English (briefing-pack-zh.pdf, briefing-pack-en.pdf); needs Playwright and Chromium",
    )
    parser.add_argument(
        "--notebooks",
        type=Path,
        default=None,
        help="folder of app notebooks: a page for each app found (default: notebooks/)",
    )
    parser.set_defaults(run=run_export)


def run_export(args: argparse.Namespace) -> int:
    if args.pdf:
        return run_handout(args.out or Path("handout"))
    if args.out is None:
        return _fail("export: --out DIR is required (or --pdf for the printed handout)", 2)
    from briefing import export

    def progress(message: str) -> None:
        print(message, file=sys.stderr, flush=True)

    try:
        report = export.export_site(args.out, args.notebooks, progress=progress)
    except (export.ExportError, ValueError) as error:
        return _fail(str(error), 1)
    print(report.summary())
    return 0


def run_handout(out: Path) -> int:
    """Write the A4 briefing packs (Chinese and English) into ``out``."""
    from briefing import handout, pdfprint

    try:
        for path in handout.write_pdfs(out):
            print(f"wrote {path} ({path.stat().st_size / 1e6:.1f} MB)")
    except pdfprint.PrintError as error:
        return _fail(str(error), 1)
    return 0


#: Functions adding one subcommand each, in the order ``--help`` lists them.
SUBCOMMANDS: list[Callable[[Subparsers], None]] = [add_serve, add_lab, add_progress, add_export]


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="briefing", description="Interactive briefings on the Datang town work report."
    )
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND")
    subparsers.required = True
    for add in SUBCOMMANDS:
        add(subparsers)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(list(sys.argv[1:] if argv is None else argv))
    result: int = args.run(args)
    return result


if __name__ == "__main__":
    sys.exit(main())
