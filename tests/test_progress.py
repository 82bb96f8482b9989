"""The progress log: status rules, validation, safe appends under concurrency and crashes, CLI."""

from __future__ import annotations

import collections
import datetime as dt
import json
import multiprocessing
import os
import random
import signal
import subprocess
import sys
import time
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pytest

from briefing import numbers, progress
from briefing.errors import DataError
from briefing.paths import REPO_DIR

LOG = "progress/progress_log.csv"
EXAMPLE = Path(__file__).parent / "fixtures" / "progress_example.csv"
UTC = dt.UTC


@pytest.fixture
def root(data_copy: Path) -> Path:
    """A data copy with an empty progress log (header only), as shipped."""
    (data_copy / "progress").mkdir(exist_ok=True)
    (data_copy / LOG).write_text(progress.HEADER, encoding="utf-8")
    return data_copy


@pytest.fixture
def example_root(data_copy: Path) -> Path:
    """A data copy whose log holds the labelled example rows."""
    (data_copy / "progress").mkdir(exist_ok=True)
    (data_copy / LOG).write_bytes(EXAMPLE.read_bytes())
    return data_copy


def _write_log(root: Path, *lines: str) -> None:
    (root / LOG).write_text(progress.HEADER + "".join(f"{line}\n" for line in lines), "utf-8")


def _entry(
    date: str,
    status: str = "in_progress",
    value: float | None = None,
    unit: str = "",
    *,
    recorded: str = "2023-12-01T00:00:00",
    commitment_id: str = "c1-21",
    row: int = 0,
) -> progress.Entry:
    return progress.Entry(
        recorded_at=dt.datetime.fromisoformat(recorded).replace(tzinfo=UTC),
        date=dt.date.fromisoformat(date),
        commitment_id=commitment_id,
        status=status,
        value=value,
        unit=unit,
        note="",
        evidence="",
        recorded_by="test",
        row=row,
    )


def _fact(value: float, unit: str, qualifier: str, kind: str, **extra: Any) -> dict[str, Any]:
    fact = {"fact_id": "x", "value": value, "unit": unit, "qualifier": qualifier, "kind": kind}
    return fact | extra


COMMITMENT = {"commitment_id": "c1-21"}


# --------------------------------------------------------------------------- the descriptor


def test_descriptor_describes_the_log() -> None:
    descriptor = json.loads((REPO_DIR / "data" / "datapackage.json").read_text("utf-8"))
    (resource,) = [r for r in descriptor["resources"] if r["name"] == "progress_log"]
    assert resource["path"] == LOG
    fields = {f["name"]: f for f in resource["schema"]["fields"]}
    assert tuple(fields) == progress.COLUMNS
    assert fields["status"]["constraints"]["enum"] == list(progress.STATUSES)
    assert set(fields["unit"]["constraints"]["enum"]) == set(numbers.UNITS) - {""}
    assert fields["value"]["type"] == "number"
    assert fields["date"]["type"] == "date"
    required = {name for name, f in fields.items() if f.get("constraints", {}).get("required")}
    assert required == {"recorded_at", "date", "commitment_id", "status", "recorded_by"}
    assert resource["schema"]["foreignKeys"] == [
        {
            "fields": ["commitment_id"],
            "reference": {"resource": "commitments_2023", "fields": ["commitment_id"]},
        }
    ]


def test_shipped_log_is_valid_and_holds_no_example_rows() -> None:
    shipped = REPO_DIR / "data" / LOG
    assert shipped.read_text("utf-8").startswith(progress.HEADER)
    entries = progress.load_log(REPO_DIR / "data")
    assert not [e for e in entries if "示例" in e.note or e.recorded_by == "示例记录人"]
    kept = {p.name for p in shipped.parent.iterdir() if not p.name.startswith(".")}
    assert kept - {"progress_log.csv.lock"} == {"progress_log.csv"}


def test_example_rows_are_labelled_as_examples(example_root: Path) -> None:
    entries = progress.load_log(example_root)
    assert len(entries) == 8
    assert all(e.note.startswith("示例数据(非真实进展)") for e in entries)
    assert {e.recorded_by for e in entries} == {"示例记录人"}


# --------------------------------------------------------------------------- status rules


@pytest.mark.parametrize(
    ("fact", "value", "unit", "met"),
    [
        # 超250亿元: met only above 250, however the value is written.
        (_fact(250, "亿元", "超", "money"), 250, "亿元", False),
        (_fact(250, "亿元", "超", "money"), 2_500_000, "万元", False),
        (_fact(250, "亿元", "超", "money"), 250.01, "亿元", True),
        (_fact(250, "亿元", "超", "money"), 120, "亿元", False),
        # 以上 and 不少于: reaching the target is enough.
        (_fact(40, "家", "以上", "count"), 40, "家", True),
        (_fact(40, "家", "以上", "count"), 39, "家", False),
        (_fact(2, "个", "不少于", "count"), 2, "个", True),
        (_fact(2, "个", "不少于", "count"), 1, "个", False),
        # A bare growth rate or count: reaching it is enough ...
        (_fact(6, "%", "", "ratio"), 6, "%", True),
        (_fact(6, "%", "", "ratio"), 5.9, "%", False),
        (_fact(1000, "亩", "", "area"), 1000, "亩", True),
        (_fact(1000, "亩", "", "area"), 666_666, "平方米", False),  # 999.999 mu
        (_fact(1000, "亩", "", "area"), 666_667, "平方米", True),
        # ... but a target of zero (零的突破) means a first one.
        (_fact(0, "个", "", "count"), 0, "个", False),
        (_fact(0, "个", "", "count"), 1, "个", True),
        # 左右 and 约: within the tolerance either side.
        (_fact(100, "亩", "左右", "area"), 95, "亩", True),
        (_fact(100, "亩", "左右", "area"), 105, "亩", True),
        (_fact(100, "亩", "左右", "area"), 94.9, "亩", False),
        (_fact(100, "亩", "约", "area"), 105.1, "亩", False),
        # A reduction target (synthetic: the report has none with a number).
        (_fact(100, "亿元", "", "money", direction="decrease"), 100, "亿元", True),
        (_fact(100, "亿元", "", "money", direction="decrease"), 101, "亿元", False),
        (_fact(100, "亿元", "超", "money", direction="decrease"), 100, "亿元", False),
        (_fact(100, "亿元", "超", "money", direction="decrease"), 99, "亿元", True),
    ],
)
def test_latest_value_against_target(
    fact: Mapping[str, Any], value: float, unit: str, met: bool
) -> None:
    status = progress.status_of(COMMITMENT, fact, [_entry("2023-06-30", value=value, unit=unit)])
    assert status.met is met
    assert status.state == "in_progress"


def test_tolerance_is_a_named_constant() -> None:
    assert progress.APPROX_TOLERANCE == 0.05
    assert progress.comparator("左右") == progress.comparator("约") == "approx"


def test_direction_is_a_field_of_the_target() -> None:
    up = progress.target_of(_fact(250, "亿元", "超", "money"))
    down = progress.target_of(_fact(250, "亿元", "超", "money", direction="decrease"))
    assert up is not None
    assert down is not None
    assert (up.direction, up.comparator) == ("increase", "gt")
    assert (down.direction, down.comparator) == ("decrease", "lt")
    with pytest.raises(ValueError, match="direction"):
        progress.comparator("超", "sideways")


def test_no_data() -> None:
    status = progress.status_of(COMMITMENT, _fact(250, "亿元", "超", "money"), [])
    assert (status.state, status.latest, status.met, status.entries) == ("no_data", None, None, ())


def test_dropped_is_dropped_whatever_the_value() -> None:
    fact = _fact(2, "个", "不少于", "count")
    entries = [_entry("2023-03-01", value=5, unit="个"), _entry("2023-06-30", "dropped")]
    status = progress.status_of(COMMITMENT, fact, entries)
    assert status.state == "dropped"
    assert status.met is None
    assert status.latest_value == 5


def test_latest_is_by_date_not_by_when_recorded() -> None:
    fact = _fact(250, "亿元", "超", "money")
    newer = _entry("2023-06-30", "in_progress", 120, "亿元", recorded="2023-07-01T00:00:00")
    late_but_older = _entry("2023-05-31", "at_risk", 90, "亿元", recorded="2023-10-01T00:00:00")
    status = progress.status_of(COMMITMENT, fact, [newer, late_but_older])
    assert status.state == "in_progress"
    assert status.latest == newer
    assert status.latest_value == 1.2e10
    assert [e.date.isoformat() for e in status.entries] == ["2023-05-31", "2023-06-30"]


def test_same_date_the_later_record_wins() -> None:
    first = _entry("2023-06-30", "in_progress", recorded="2023-07-01T00:00:00")
    correction = _entry("2023-06-30", "at_risk", recorded="2023-07-02T00:00:00")
    status = progress.status_of(COMMITMENT, None, [correction, first])
    assert status.state == "at_risk"


def test_latest_value_may_come_from_an_older_entry() -> None:
    fact = _fact(40, "家", "以上", "count")
    entries = [_entry("2023-06-30", value=41, unit="家"), _entry("2023-09-30", "done")]
    status = progress.status_of(COMMITMENT, fact, entries)
    assert status.state == "done"
    assert status.value_entry == entries[0]
    assert status.met is True


def test_other_commitments_are_ignored() -> None:
    other = _entry("2023-06-30", "done", commitment_id="c1-01")
    assert progress.status_of(COMMITMENT, None, [other]).state == "no_data"


def test_a_duration_is_not_a_numeric_target() -> None:
    # 用两年时间: the time allowed (the deadline), not an amount to reach.
    assert progress.target_of(_fact(2, "年", "", "duration")) is None


def test_statuses_on_the_example(example_root: Path) -> None:
    from briefing import data

    states = progress.statuses(data.load(example_root), progress.load_log(example_root))
    assert len(states) == 139
    assert (states["c1-21"].state, states["c1-21"].met) == ("in_progress", False)
    assert (states["c1-16"].state, states["c1-16"].met) == ("done", True)  # 1家以上: 1 is enough
    assert (states["c1-18"].state, states["c1-18"].met) == ("at_risk", False)
    assert (states["c1-22"].state, states["c1-22"].met) == ("dropped", None)
    assert states["c2-11"].state == "done"
    assert states["c2-11"].target is None
    assert states["c0-04"].target is None  # energy intensity: no number in the report
    summary = progress.summary(progress.load_log(example_root), data.load(example_root))
    assert sum(summary.values()) == 139
    assert summary["no_data"] == 139 - 6  # six commitments have updates


# --------------------------------------------------------------------------- validation

GOOD = "2023-07-01T00:00:00Z,2023-06-30,c1-21,in_progress,120,亿元,note,doc,clerk"


@pytest.mark.parametrize(
    ("line", "column", "message"),
    [
        (GOOD.replace("c1-21", "c1-99"), "commitment_id", "'c1-99' does not match any"),
        (GOOD.replace("c1-21", "x1"), "commitment_id", "does not match the pattern"),
        (GOOD.replace("2023-06-30", "2023-02-30"), "date", "not a date in YYYY-MM-DD form"),
        (GOOD.replace("2023-06-30", "2022-12-31"), "date", "before 2023"),
        (GOOD.replace("2023-06-30", "2023-07-05"), "date", "after the day it was recorded"),
        (GOOD.replace("in_progress", "finished"), "status", "not one of the allowed values"),
        (GOOD.replace("120,亿元", "120,"), "unit", "a value needs its unit"),
        (GOOD.replace("120,亿元", ",亿元"), "value", "given without a value"),
        (GOOD.replace("亿元", "亩"), "unit", "'亩' (mu) cannot be compared with the target"),
        (GOOD.replace("亿元", "斤"), "unit", "not one of the allowed values"),
        (GOOD.replace("120", "abc"), "value", "not a number: 'abc'"),
        (GOOD.replace("120", "nan"), "value", "not a number: 'nan'"),
        (GOOD.replace("120", "1e3"), "value", "not a number: '1e3'"),
        (GOOD.replace("c1-21", "c1-01"), "value", "c1-01 has no numeric target"),
        (GOOD.replace("c1-21", "c1-10").replace("亿元", "年"), "value", "no numeric target"),
        (GOOD.replace("T00:00:00Z", "T25:00:00Z"), "recorded_at", "not a real date-time"),
        (GOOD.replace("2023-07-01T00:00:00Z", "yesterday"), "recorded_at", "pattern"),
        (GOOD.replace(",clerk", ","), "recorded_by", "is required but empty"),
        (GOOD.replace(",note,", ',"two\nlines",'), "note", "must be on one line"),
        (GOOD.replace(",note,", ", note,"), "note", "leading or trailing spaces"),
    ],
)
def test_bad_row_names_file_row_and_column(
    root: Path, line: str, column: str, message: str
) -> None:
    _write_log(root, GOOD, line)
    with pytest.raises(DataError) as info:
        progress.load_log(root)
    error = info.value
    assert (error.file, error.row, error.column) == (LOG, 2, column)
    assert message in error.message
    assert str(error).startswith(f"{LOG}, row 2, column {column!r}: ")


def test_good_row_reads_typed(root: Path) -> None:
    _write_log(root, GOOD)
    (entry,) = progress.load_log(root)
    assert entry.recorded_at == dt.datetime(2023, 7, 1, tzinfo=UTC)
    assert entry.date == dt.date(2023, 6, 30)
    assert (entry.value, entry.unit, entry.row) == (120.0, "亿元", 1)


def test_bad_header_and_truncated_row(root: Path) -> None:
    (root / LOG).write_text(progress.HEADER.replace("note", "notes"), "utf-8")
    with pytest.raises(DataError, match=r"row 0, column 'note': missing column"):
        progress.load_log(root)
    _write_log(root, GOOD, GOOD[:30])
    with pytest.raises(DataError, match=r"row 2: has 2 fields, expected 9"):
        progress.load_log(root)


def test_missing_log_reads_as_empty(data_copy: Path) -> None:
    assert not (data_copy / LOG).exists()
    assert progress.load_log(data_copy) == []


def test_leftover_temporary_files_are_ignored(root: Path) -> None:
    _write_log(root, GOOD)
    (root / "progress" / ".progress_log.abc.tmp").write_text('garbage,"', "utf-8")
    assert len(progress.load_log(root)) == 1


# --------------------------------------------------------------------------- appending

UPDATE = {
    "commitment_id": "c1-21",
    "status": "in_progress",
    "value": 120,
    "unit": "亿元",
    "note": '上半年, 含"签约"项目',
    "evidence": "https://example.org/a?b=1&c=2",
    "recorded_by": "经发办",
    "date": "2023-06-30",
}
NOW = dt.datetime(2023, 7, 1, 8, 0, tzinfo=UTC)


def test_append_adds_exactly_one_row(root: Path) -> None:
    before = (root / LOG).read_text("utf-8")
    saved = progress.append(UPDATE, root, now=NOW)
    after = (root / LOG).read_text("utf-8")
    assert after.startswith(before)
    assert after[len(before) :].count("\n") == 1
    assert saved.row == 1
    assert saved.recorded_at == NOW
    (entry,) = progress.load_log(root)
    assert entry == saved
    assert entry.note == UPDATE["note"]
    second = progress.append({**UPDATE, "value": 130.5, "date": dt.date(2023, 6, 30)}, root)
    assert second.row == 2
    assert (root / LOG).read_text("utf-8").startswith(after)
    assert [p.name for p in (root / "progress").iterdir() if p.suffix == ".tmp"] == []


def test_append_defaults_date_and_time(root: Path) -> None:
    update = {"commitment_id": "c3-07", "status": "not_started", "recorded_by": "x"}
    saved = progress.append(update, root)
    assert saved.date == dt.date.today()
    assert abs(dt.datetime.now(UTC) - saved.recorded_at) < dt.timedelta(minutes=1)


@pytest.mark.parametrize(
    ("change", "column", "message"),
    [
        ({"commitment_id": "c1-99"}, "commitment_id", "does not match any commitment_id"),
        ({"status": "finished"}, "status", "not one of the allowed values"),
        ({"unit": None}, "unit", "a value needs its unit"),
        ({"unit": "亩"}, "unit", "cannot be compared"),
        ({"commitment_id": "c1-01"}, "value", "has no numeric target"),
        ({"date": "2023-02-30"}, "date", "not a date"),
        ({"value": "12o"}, "value", "not a number"),
        ({"value": float("inf")}, "value", "not a number: 'inf'"),
        ({"note": "a\nb"}, "note", "one line"),
        ({"recorded_by": "  "}, "recorded_by", "required"),
        ({"colour": "red"}, "colour", "unknown field"),
    ],
)
def test_invalid_update_is_refused_and_the_log_untouched(
    root: Path, change: dict[str, Any], column: str, message: str
) -> None:
    progress.append(UPDATE, root, now=NOW)
    before = (root / LOG).read_bytes()
    with pytest.raises(progress.InvalidEntry) as info:
        progress.append({**UPDATE, **change}, root, now=NOW)
    assert (info.value.file, info.value.row, info.value.column) == (LOG, None, column)
    assert message in info.value.message
    assert (root / LOG).read_bytes() == before


def test_append_refuses_when_the_log_is_already_invalid(root: Path) -> None:
    _write_log(root, GOOD.replace("in_progress", "finished"))
    before = (root / LOG).read_bytes()
    with pytest.raises(DataError) as info:
        progress.append(UPDATE, root, now=NOW)
    assert not isinstance(info.value, progress.InvalidEntry)
    assert (info.value.row, info.value.column) == (1, "status")
    assert (root / LOG).read_bytes() == before


def test_append_creates_a_missing_log(data_copy: Path) -> None:
    progress.append(UPDATE, data_copy, now=NOW)
    text = (data_copy / LOG).read_text("utf-8")
    assert text.startswith(progress.HEADER)
    assert len(progress.load_log(data_copy)) == 1


def test_append_keeps_the_header_order_mode_and_a_missing_final_newline(root: Path) -> None:
    columns = list(reversed(progress.COLUMNS))
    line = ",".join(reversed(GOOD.split(",")))
    (root / LOG).write_text(",".join(columns) + "\n" + line, "utf-8")  # no final newline
    (root / LOG).chmod(0o640)
    before = (root / LOG).read_text("utf-8")
    progress.append(UPDATE, root, now=NOW)
    assert (root / LOG).read_text("utf-8").startswith(before + "\n")
    assert [e.value for e in progress.load_log(root)] == [120.0, 120.0]
    assert (root / LOG).stat().st_mode & 0o777 == 0o640


# --------------------------------------------------------------------------- concurrency
# Workers run in fresh interpreters (spawn), so they must be module-level functions.

WORKERS = 8
PER_WORKER = 10


def _worker(root: str, worker: int, barrier: Any) -> None:
    barrier.wait()
    for i in range(PER_WORKER):
        progress.append(
            {
                "commitment_id": "c1-21",
                "status": "in_progress",
                "value": worker * 100 + i,
                "unit": "亿元",
                "note": f"worker {worker} update {i}",
                "recorded_by": f"worker-{worker}",
                "date": "2023-06-30",
            },
            root,
        )


@pytest.mark.slow
def test_concurrent_appends_are_all_kept_exactly_once(root: Path) -> None:
    context = multiprocessing.get_context("spawn")
    barrier = context.Barrier(WORKERS)
    workers = [
        context.Process(target=_worker, args=(str(root), w, barrier)) for w in range(WORKERS)
    ]
    for process in workers:
        process.start()
    for process in workers:
        process.join(timeout=180)
    assert [p.exitcode for p in workers] == [0] * WORKERS
    entries = progress.load_log(root)
    notes = collections.Counter(e.note for e in entries)
    expected = {f"worker {w} update {i}" for w in range(WORKERS) for i in range(PER_WORKER)}
    assert set(notes) == expected
    assert set(notes.values()) == {1}
    assert [e.row for e in entries] == list(range(1, WORKERS * PER_WORKER + 1))
    for w in range(WORKERS):  # each writer's rows stay in the order it wrote them
        mine = [e.value for e in entries if e.recorded_by == f"worker-{w}"]
        assert mine == sorted(mine)
    assert not list((root / "progress").glob("*.tmp"))


# --------------------------------------------------------------------------- interruption


def _hang(marker: str) -> None:
    Path(marker).write_text("here", "utf-8")
    time.sleep(120)


def _append_and_hang(root: str, marker: str, where: str) -> None:
    """Append one update, stopping for good at ``where`` until the parent kills us."""
    if where == "while_writing":
        real_fsync = os.fsync

        def fsync(fd: int) -> None:  # the temporary file is written, not yet on disk
            os.fsync = real_fsync
            _hang(marker)

        os.fsync = fsync
    elif where == "before_rename":
        progress._before_replace = lambda temporary: _hang(marker)
    else:  # after_rename
        real_replace = progress._replace

        def replace(path: Path, content: str) -> None:
            real_replace(path, content)
            _hang(marker)

        progress._replace = replace
    progress.append({**UPDATE, "note": "interrupted"}, root, now=NOW)


@pytest.mark.slow
@pytest.mark.parametrize("where", ["while_writing", "before_rename", "after_rename"])
def test_killed_writer_leaves_the_old_or_the_new_log(root: Path, where: str) -> None:
    progress.append(UPDATE, root, now=NOW)
    old = (root / LOG).read_text("utf-8")
    marker = root.parent / "marker"
    context = multiprocessing.get_context("spawn")
    child = context.Process(target=_append_and_hang, args=(str(root), str(marker), where))
    child.start()
    deadline = time.monotonic() + 60
    while not marker.exists() and child.is_alive() and time.monotonic() < deadline:
        time.sleep(0.02)
    assert marker.exists(), "the writer never reached the point to interrupt"
    os.kill(child.pid, signal.SIGKILL)
    child.join(timeout=30)
    assert child.exitcode == -signal.SIGKILL
    content = (root / LOG).read_text("utf-8")
    entries = progress.load_log(root)  # valid either way
    leftovers = list((root / "progress").glob(".progress_log.*.tmp"))
    if where == "after_rename":
        assert content.startswith(old)
        assert content != old
        assert [e.note for e in entries] == [UPDATE["note"], "interrupted"]
        assert leftovers == []
    else:
        assert content == old
        assert [e.note for e in entries] == [UPDATE["note"]]
        assert len(leftovers) == 1  # the killed writer's temporary file, ignored
    # The lock died with the writer; the next append goes through and tidies up.
    progress.append({**UPDATE, "note": "next"}, root, now=NOW)
    assert (root / LOG).read_text("utf-8").startswith(content)
    assert [e.note for e in progress.load_log(root)][-1] == "next"
    assert list((root / "progress").glob("*.tmp")) == []


def _append_forever(root: str) -> None:
    for i in range(10_000):
        progress.append({**UPDATE, "note": f"loop {i}"}, root, now=NOW)


@pytest.mark.slow
def test_writer_killed_at_random_moments_never_corrupts_the_log(root: Path) -> None:
    context = multiprocessing.get_context("spawn")
    rng = random.Random(20230129)
    previous = (root / LOG).read_text("utf-8")
    for _ in range(3):
        child = context.Process(target=_append_forever, args=(str(root),))
        child.start()
        deadline = time.monotonic() + 60
        while (root / LOG).read_text("utf-8") == previous and time.monotonic() < deadline:
            time.sleep(0.01)  # wait until it is writing
        time.sleep(rng.uniform(0.0, 0.3))
        os.kill(child.pid, signal.SIGKILL)
        child.join(timeout=30)
        content = (root / LOG).read_text("utf-8")
        assert content.startswith(previous)
        entries = progress.load_log(root)
        assert len(entries) == content.count("\n") - 1  # whole rows only
        previous = content
    assert progress.load_log(root)


# --------------------------------------------------------------------------- the command


def _cli(root: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "BRIEFING_DATA_DIR": str(root)}
    return subprocess.run(
        [sys.executable, "-m", "briefing.cli", "progress", *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        check=False,
    )


@pytest.mark.slow
def test_cli_add_validate_list_round_trip(root: Path) -> None:
    add = _cli(
        root,
        "add",
        "--commitment", "c1-21",
        "--status", "in_progress",
        "--value", "120",
        "--unit", "亿元",
        "--note", "上半年",
        "--evidence", "招商台账",
        "--by", "经发办",
        "--date", "2023-06-30",
    )  # fmt: skip
    assert add.returncode == 0, add.stderr
    assert "saved as row 1" in add.stdout
    done = _cli(root, "add", "--commitment", "c2-11", "--status", "done", "--by", "城建办")
    assert done.returncode == 0, done.stderr
    validate = _cli(root, "validate")
    assert validate.returncode == 0, validate.stderr
    assert "valid, 2 rows" in validate.stdout
    assert "in_progress  1" in validate.stdout
    listing = _cli(root, "list", "--commitment", "c1-21")
    assert listing.returncode == 0
    assert "2023-06-30  c1-21  in_progress  120亿元  上半年  [招商台账]" in listing.stdout
    assert "current state of c1-21: in_progress, target not met" in listing.stdout
    assert "c2-11" not in listing.stdout
    assert "c2-11  done" in _cli(root, "list").stdout


@pytest.mark.slow
@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--commitment", "c1-21", "--status", "done", "--value", "3", "--unit", "亩"],
         "column 'unit': '亩' (mu) cannot be compared"),
        (["--commitment", "c1-99", "--status", "done"], "column 'commitment_id'"),
        (["--commitment", "c1-21", "--status", "done", "--date", "2023-02-30"], "not a date"),
        (["--commitment", "c1-21", "--status", "done", "--value", "x", "--unit", "亿元"],
         "not a number"),
    ],
)  # fmt: skip
def test_cli_bad_input_is_one_line_and_exit_2(root: Path, args: list[str], message: str) -> None:
    result = _cli(root, "add", *args, "--by", "x")
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1
    assert lines[0].startswith("error: ")
    assert message in lines[0]
    assert (root / LOG).read_text("utf-8") == progress.HEADER


@pytest.mark.slow
def test_cli_validate_reports_a_broken_log(root: Path) -> None:
    _write_log(root, GOOD, GOOD.replace("亿元", "亩"))
    result = _cli(root, "validate")
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert f"{LOG}, row 2, column 'unit'" in result.stderr
    assert _cli(root, "list").returncode == 1
    assert _cli(root, "list", "--commitment", "c9-99").returncode == 1
