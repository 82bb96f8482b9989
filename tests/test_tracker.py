"""The read-only tracker app and the staff form, without a browser: set values, check state."""

from __future__ import annotations

import ast
import inspect
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import ipywidgets as W
import pytest

from briefing import charts, progress, staff, tracker
from tests.conftest import DATA_DIR

LOG = "progress/progress_log.csv"
EXAMPLE = Path(__file__).parent / "fixtures" / "progress_example.csv"
XSS = "<script>alert('x')</script><img src=x onerror=alert(1)>"


@pytest.fixture
def example_root(data_copy: Path) -> Path:
    """A data copy whose log holds the labelled example rows."""
    (data_copy / "progress").mkdir(exist_ok=True)
    (data_copy / LOG).write_bytes(EXAMPLE.read_bytes())
    return data_copy


@pytest.fixture
def empty_root(data_copy: Path) -> Path:
    (data_copy / "progress").mkdir(exist_ok=True)
    (data_copy / LOG).write_text(progress.HEADER, encoding="utf-8")
    return data_copy


def _widgets(root: W.Widget) -> Iterator[W.Widget]:
    yield root
    for child in getattr(root, "children", ()):
        yield from _widgets(child)


def _html(app: W.Widget) -> str:
    return "\n".join(w.value for w in _widgets(app) if isinstance(w, W.HTML))


def _build(root: Path, lang: str = "zh") -> tuple[W.Widget, tracker.Tracker]:
    app = tracker.tracker_app(lang, root=root)
    assert hasattr(app, "briefing_views"), getattr(app, "value", app)
    return app, app.briefing_views["tracker"]


def _visible(view: tracker.Tracker) -> set[str]:
    return {a for a, section in view.area_sections.items() if section.layout.display != "none"}


def _chart_rows(view: tracker.Tracker) -> list[dict[str, object]]:
    assert view.chart is not None
    return view.chart.to_dict()["data"]["values"]


# --------------------------------------------------------------------------- the app


def test_builds_on_the_shipped_empty_log() -> None:
    app, view = _build(DATA_DIR)
    assert len(view.shown()) == 139
    assert {s.state for s in view.statuses.values()} == {"no_data"}
    assert view.chart is None
    assert tracker.t("no_updates", "zh") in _html(app)
    assert _visible(view) == set(tracker.AREAS)


def test_shows_state_latest_value_against_target_and_quote(example_root: Path) -> None:
    app, view = _build(example_root)
    html = view.area_html["t1"].value
    assert "120亿元 / 目标 超250亿元 (2023-06-30)" in html
    assert tracker.t("not_met", "zh") in html
    assert tracker.COMPARATOR_TEXT["gt"][0] in html
    assert "“力争今年招商引资额超250亿元”" in html
    assert "data-commitment-id='c1-16' data-state='done'" in html
    assert "1家 / 目标 1家以上" in html
    assert "✓ 已达到目标" in html
    assert "https://example.org/zhaoshang-2023h1" in html
    assert "recorded_by" not in html
    assert "示例记录人" not in _html(app)  # who recorded an update is not published


def test_area_filter_changes_what_is_shown(example_root: Path) -> None:
    _app, view = _build(example_root)
    everything = len(_chart_rows(view))
    view.area.value = "t1"
    assert {view.commitments[c]["area"] for c in view.shown()} == {"t1"}
    assert _visible(view) == {"t1"}
    rows = _chart_rows(view)
    assert {r["commitment_id"] for r in rows} == {"c1-16", "c1-18", "c1-21", "c1-22"}
    assert len(rows) < everything
    view.area.value = "t3"
    assert _visible(view) == {"t3"}
    assert "c3-07" in view.area_html["t3"].value


def test_status_filter_changes_what_is_shown(example_root: Path) -> None:
    _app, view = _build(example_root)
    view.status.value = "at_risk"
    assert view.shown() == ["c1-18"]
    assert _visible(view) == {"t1"}
    assert "c1-21" not in view.area_html["t1"].value
    view.status.value = "done"
    assert view.shown() == ["c1-16", "c2-11"]
    assert _visible(view) == {"t1", "t2"}
    view.status.value = "no_data"
    assert len(view.shown()) == 133
    view.area.value = "t0"
    view.status.value = "dropped"
    assert view.shown() == []
    assert _visible(view) == set()
    assert tracker.t("no_match", "zh") in view.summary.value
    assert view.chart is None


def test_summary_counts_every_state(example_root: Path) -> None:
    _app, view = _build(example_root)
    summary = view.summary.value
    assert "data-count-state='no_data'" in summary
    assert "<b>133</b>" in summary
    assert "2023-09-30" in summary  # the latest update


def test_language_toggle_changes_labels(example_root: Path) -> None:
    app, view = _build(example_root)
    toggle = app.briefing_views["toggle"]
    assert "2023年各项工作任务、目标与进展(按工作人员登记的进展展示,只读)" in _html(app)
    toggle.value = "en"
    html = _html(app)
    assert "The 2023 commitments, their targets and progress" in html
    assert "Aim to attract over 25 billion yuan of investment this year" in html
    assert "12 billion yuan / target: over 25 billion yuan" in html
    assert "▶ In progress" in html
    assert dict(view.area.options)["All"] == tracker.ALL
    assert "1. Quality and returns" in view.area.options[2][0]
    assert [label for label, _v in view.status.options][1:] == [
        progress.status_label(s, "en") for s in progress.STATES
    ]
    legend = view.chart.to_dict()["layer"][1]["encoding"]["color"]["scale"]["domain"]
    assert "In progress" in legend
    toggle.value = "zh"
    assert "2023年各项工作任务、目标与进展(按工作人员登记的进展展示,只读)" in _html(app)


def test_filters_survive_the_language_switch(example_root: Path) -> None:
    app, view = _build(example_root)
    view.area.value = "t1"
    view.status.value = "at_risk"
    app.briefing_views["toggle"].value = "en"
    assert (view.area.value, view.status.value) == ("t1", "at_risk")
    assert view.shown() == ["c1-18"]


def test_query_string_opens_the_app_filtered(
    example_root: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("QUERY_STRING", "area=t1&status=at_risk&lang=en")
    app = tracker.tracker_app(root=example_root)
    view = app.briefing_views["tracker"]
    assert (view.lang, view.area.value, view.status.value) == ("en", "t1", "at_risk")
    monkeypatch.setenv("QUERY_STRING", "area=<b>&status=nope")
    view = tracker.tracker_app(root=example_root).briefing_views["tracker"]
    assert (view.area.value, view.status.value) == (tracker.ALL, tracker.ALL)


def test_timeline_chart(example_root: Path) -> None:
    _app, view = _build(example_root)
    spec = view.chart.to_dict()
    rows = spec["data"]["values"]
    assert len(rows) == 8
    points = spec["layer"][1]
    assert points["encoding"]["x"]["field"] == "date"
    assert points["encoding"]["x"]["scale"]["type"] == "utc"
    assert points["encoding"]["shape"]["field"] == "status_label"  # not colour alone
    scale = points["encoding"]["color"]["scale"]
    colours = dict(zip(scale["domain"], scale["range"], strict=True))
    assert colours["有风险"] == tracker.STATE_STYLE["at_risk"][0]
    assert points["encoding"]["tooltip"][0]["format"] == "%Y-%m-%d"
    mime = charts.VEGALITE_MIME
    assert view.chart_out.outputs[0]["data"][mime] == spec


def test_state_chart_counts_commitments_by_area(example_root: Path) -> None:
    _app, view = _build(example_root)
    assert view.states_chart is not None
    spec = view.states_chart.to_dict()
    rows = spec["data"]["values"]
    assert sum(r["count"] for r in rows) == 139
    t1 = {r["state"]: r["count"] for r in rows if r["area"].startswith("一、")}
    assert t1 == {"no_data": 33, "in_progress": 1, "done": 1, "at_risk": 1, "dropped": 1}
    scale = spec["encoding"]["color"]["scale"]
    assert scale["range"] == [tracker.STATE_STYLE[s][0] for s in progress.STATES]
    view.area.value = "t3"
    rows = view.states_chart.to_dict()["data"]["values"]
    assert {r["area"] for r in rows} == {tracker.area_title(view.sections, "t3", "zh")}
    assert {r["state"]: r["count"] for r in rows} == {"no_data": 24, "not_started": 1}


def test_state_chart_is_drawn_even_with_no_updates() -> None:
    _app, view = _build(DATA_DIR)
    rows = view.states_chart.to_dict()["data"]["values"]
    assert {r["state"] for r in rows} == {"no_data"}
    assert len(view.state_out.outputs) == 1


def test_note_and_evidence_are_escaped(empty_root: Path) -> None:
    progress.append(
        {
            "commitment_id": "c1-21",
            "status": "at_risk",
            "value": 1,
            "unit": "亿元",
            "note": XSS,
            "evidence": "javascript:alert(1)",
            "recorded_by": XSS,
            "date": "2023-06-30",
        },
        empty_root,
    )
    progress.append(
        {
            "commitment_id": "c1-22",
            "status": "in_progress",
            "evidence": "https://example.org/'><script>alert(2)</script>",
            "recorded_by": "x",
            "date": "2023-06-30",
        },
        empty_root,
    )
    app, _view = _build(empty_root)
    for lang in ("en", "zh"):
        app.briefing_views["toggle"].value = lang
        html = _html(app)
        assert "<script>" not in html
        assert "<img src=x" not in html
        assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;" in html
        assert "href='javascript:" not in html
        assert "href='https://example.org/&#x27;&gt;&lt;script&gt;" in html


def test_app_contains_no_control_that_writes(example_root: Path) -> None:
    app, _view = _build(example_root)
    kinds = {type(w) for w in _widgets(app)}
    writing = (W.Button, W.Text, W.Textarea, W.FileUpload, W.DatePicker, W.FloatText, W.IntText)
    assert not [k for k in kinds if issubclass(k, writing)]
    allowed = {W.VBox, W.HBox, W.Box, W.HTML, W.Dropdown, W.ToggleButtons, W.Output}
    assert kinds <= allowed, kinds - allowed


def test_tracker_does_not_import_the_staff_form_or_append() -> None:
    code = "import sys, briefing.tracker; print('briefing.staff' in sys.modules)"
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=120
    )
    assert result.stdout.strip() == "False"
    tree = ast.parse(inspect.getsource(tracker))
    imported = {
        alias.name if isinstance(node, ast.Import) else f"{node.module}.{alias.name}"
        for node in ast.walk(tree)
        if isinstance(node, ast.Import | ast.ImportFrom)
        for alias in node.names
    }
    assert not [name for name in imported if "staff" in name]
    used = {
        node.attr
        for node in ast.walk(tree)
        if isinstance(node, ast.Attribute)
        and isinstance(node.value, ast.Name)
        and node.value.id == "progress"
    }
    assert used
    assert not used & {"append", "_replace", "_locked"}


def test_invalid_log_is_shown_politely(empty_root: Path) -> None:
    (empty_root / LOG).write_text(
        progress.HEADER + "2023-07-01T00:00:00Z,2023-06-30,c1-21,finished,,,,,x\n", "utf-8"
    )
    app = tracker.tracker_app("zh", root=empty_root)
    assert isinstance(app, W.HTML)
    assert "briefing-error" in app.value
    assert "progress/progress_log.csv, row 1, column &#x27;status&#x27;" in app.value
    assert "Traceback" not in app.value


def test_served_notebook_is_thin_and_the_staff_one_is_outside_notebooks() -> None:
    import nbformat

    repo = DATA_DIR.parent
    served = nbformat.read(repo / "notebooks" / "06_commitments.ipynb", as_version=4)
    code = [c.source for c in served.cells if c.cell_type == "code"]
    assert code == ["from briefing.tracker import tracker_app\n\ntracker_app()"]
    form = nbformat.read(repo / "staff" / "staff_record_progress.ipynb", as_version=4)
    code = [c.source for c in form.cells if c.cell_type == "code"]
    assert code == ["from briefing.staff import record_form\n\nrecord_form()"]
    for nb in (served, form):
        assert all(c.outputs == [] for c in nb.cells if c.cell_type == "code")
    assert not list((repo / "notebooks").glob("*staff*"))


# --------------------------------------------------------------------------- the staff form


def _form(root: Path) -> staff.RecordForm:
    frame = staff.record_form("zh", root=root)
    assert hasattr(frame, "briefing_form"), getattr(frame, "value", frame)
    return frame.briefing_form


def test_form_shows_value_and_unit_only_for_numeric_targets(empty_root: Path) -> None:
    form = _form(empty_root)
    form.area.value = "t1"
    form.commitment.value = "c1-21"
    assert form.measure.layout.display == ""
    assert form.unit.value == "亿元"
    assert set(form.unit.options) >= {("万元", "万元"), ("亿元", "亿元")}
    assert "超250亿元" in form.target.value
    form.commitment.value = "c1-01"
    assert form.measure.layout.display == "none"
    form.commitment.value = "c1-10"  # 用两年时间: a duration, not an amount
    assert form.measure.layout.display == "none"
    form.area.value = "t2"
    assert {c[:2] for _label, c in form.commitment.options} == {"c2"}
    form.commitment.value = "c2-19"
    assert form.unit.value == "亩"


def test_form_saves_and_reports(empty_root: Path) -> None:
    form = _form(empty_root)
    form.area.value = "t1"
    form.commitment.value = "c1-21"
    form.status.value = "in_progress"
    form.value.value = "120"
    form.note.value = "上半年\n招商引资"
    form.evidence.value = "招商台账"
    form.recorded_by.value = "经发办"
    saved = form.submit()
    assert saved is not None
    assert saved.row == 1
    assert "第1行" in form.message.value
    (entry,) = progress.load_log(empty_root)
    assert (entry.value, entry.unit, entry.note) == (120.0, "亿元", "上半年 招商引资")
    assert form.note.value == ""
    assert form.recorded_by.value == "经发办"


def test_form_shows_the_problem_and_writes_nothing(empty_root: Path) -> None:
    form = _form(empty_root)
    form.area.value = "t1"
    form.commitment.value = "c1-21"
    form.value.value = "十二"
    form.recorded_by.value = "x"
    assert form.submit() is None
    assert "briefing-error" in form.message.value
    assert "十二" in form.message.value
    form.value.value = ""
    form.recorded_by.value = ""
    assert form.submit() is None
    assert "recorded_by" in form.message.value
    assert (empty_root / LOG).read_text("utf-8") == progress.HEADER
    form.value.value = "<b>1</b>"
    form.recorded_by.value = "x"
    form.submit()
    assert "<b>" not in form.message.value


def test_deadlines_read_in_english_on_english_pages() -> None:
    app, _view = _build(DATA_DIR, "en")
    html = _html(app)
    assert "Deadline: as soon as possible" in html  # 早日
    assert "Deadline: promptly" in html  # 尽快
    assert "Deadline: within two years" in html  # 力争用两年时间, no date
    assert "Deadline: this year (2023)" in html
    for words in ("早日", "尽快", "力争用两年时间", "今年", "2024-12-31"):
        assert f"Deadline: {words}" not in html
    assert "2024-12-31" not in html
