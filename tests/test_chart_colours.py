"""Every mark of every chart stands out from its background: at least 3:1 (WCAG 1.4.11).

Checked on the charts as a page shows them (:func:`briefing.theme.for_page`), in the light
and the dark theme: the sector apps' charts, the reader's keyword charts and the tracker's
charts (with the example progress log, so every state is drawn).
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from briefing import progress, theme, tracker
from briefing.reader_keywords import ALL, keyword_charts
from briefing.vocab import PARTS
from tests.conftest import DATA_DIR
from tests.test_chart_grammar import CHARTS, _units

#: Non-text contrast of a graphical object against what is next to it (WCAG 2.1, 1.4.11).
MARK_CONTRAST = 3.0
TEXT_MARKS = {"text"}
EXAMPLE_LOG = Path(__file__).parent / "fixtures" / "progress_example.csv"


def _data_rows(spec: dict[str, Any], unit: dict[str, Any]) -> list[dict[str, Any]]:
    values = unit.get("data", spec.get("data", {})).get("values", [])
    return values if isinstance(values, list) else []


def mark_colours(spec: dict[str, Any]) -> Iterator[tuple[str, str]]:
    """(what, colour) for every colour a non-text mark is drawn in."""
    category = spec["config"]["range"]["category"]
    for unit in _units(spec):
        mark = unit["mark"] if isinstance(unit["mark"], dict) else {"type": unit["mark"]}
        if mark["type"] in TEXT_MARKS:
            continue
        for key in ("color", "fill", "stroke"):
            if isinstance(mark.get(key), str):
                yield f"{mark['type']} {key}", mark[key]
        encoding = unit.get("encoding", {}).get("color")
        if not isinstance(encoding, dict):
            continue
        if isinstance(encoding.get("value"), str):
            yield f"{mark['type']} color value", encoding["value"]
        condition = encoding.get("condition")
        for part in condition if isinstance(condition, list) else [condition]:
            if isinstance(part, dict) and isinstance(part.get("value"), str):
                yield f"{mark['type']} color condition", part["value"]
        if "field" in encoding:
            scale = encoding.get("scale") or {}
            if "range" in scale:
                used = scale["range"][: len(scale.get("domain", scale["range"]))]
            else:
                shown = {row.get(encoding["field"]) for row in _data_rows(spec, unit)}
                used = category[: len(shown)]
            for colour in used:
                yield f"{mark['type']} {encoding['field']}", colour


def _low_contrast(spec: dict[str, Any], mode: str) -> list[str]:
    page = theme.for_page(spec, mode)
    background = page["config"]["background"]
    colours = list(mark_colours(page))
    assert colours, "no mark colour found"
    return [
        f"{what} {colour}: {theme.contrast(colour, background):.2f}:1 on {background}"
        for what, colour in colours
        if colour.startswith("#") and theme.contrast(colour, background) < MARK_CONTRAST
    ]


def _tracker_specs() -> list[tuple[str, dict[str, Any]]]:
    import tempfile

    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder) / "data"
        shutil.copytree(DATA_DIR, root, ignore=shutil.ignore_patterns("progress"))
        (root / "progress").mkdir()
        (root / "progress" / "progress_log.csv").write_bytes(EXAMPLE_LOG.read_bytes())
        app = tracker.tracker_app("zh", root=root)
        view = app.briefing_views["tracker"]
        assert view.chart is not None
        assert view.states_chart is not None
        return [("timeline", view.chart.to_dict()), ("states", view.states_chart.to_dict())]


def _reader_specs() -> list[tuple[str, dict[str, Any]]]:
    terms = [(f"词{i}", 20 - i) for i in range(5)]
    frequencies = {ALL: terms, **dict.fromkeys(PARTS, terms)}
    whole, parts = keyword_charts(frequencies, "zh")
    return [("keywords", whole.spec), ("keywords by part", parts.spec)]


SPECS = [
    *((f"{name}/{lang}/{i}", chart.spec) for i, (name, lang, chart) in enumerate(CHARTS)),
    *_tracker_specs(),
    *_reader_specs(),
]


@pytest.mark.parametrize("mode", ["light", "dark"])
@pytest.mark.parametrize(("label", "spec"), SPECS, ids=[label for label, _ in SPECS])
def test_marks_stand_out_from_the_background(label: str, spec: dict[str, Any], mode: str) -> None:
    assert not _low_contrast(spec, mode)


def test_every_state_is_drawn_in_the_tracker_charts() -> None:
    states = {row["state"] for row in dict(_tracker_specs())["states"]["data"]["values"]}
    assert states == set(progress.STATES)


def test_the_check_finds_a_pale_bar() -> None:
    spec = {"mark": {"type": "bar", "color": "#F0E442"}, "config": {}}
    assert _low_contrast(spec, "light") == ["bar color #F0E442: 1.32:1 on #ffffff"]
