"""The chart grammar, checked on every chart every app shows, in both languages.

No bar on a non-linear scale or off zero; every quantitative axis titled with its unit in
the page's language; counts tick at whole numbers; one unit and one kind of quantity per
chart; no chart of a single mark; a title, a caption and a source line in every spec; no
Chinese in an English chart's words, no English words in a Chinese one.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest

from briefing import apps, charts, data, places
from tests.conftest import DATA_DIR
from tests.html_text import ID_PATTERN

DS = data.load(DATA_DIR)
FACTS = DS.facts.set_index("fact_id", drop=False)
PARAGRAPHS = DS.paragraphs.set_index("paragraph_id")
SECTIONS = DS.sections.set_index("section_id")
PLACES = places.places_of(DS)
CJK = re.compile(r"[\u3400-\u9fff\uff01-\uff5e\u3000-\u303f]")
#: Latin words in a Chinese chart: allowed only for units (m²).
LATIN_WORD = re.compile(r"(?<![\w-])[A-Za-z]{2,}")
APP_NAMES = ["overview", *(info.name for info in apps.SECTOR_APPS)]


def _app_charts(name: str, lang: str) -> list[Any]:
    app = apps.overview_app(lang) if name == "overview" else apps.sector_app(name, lang)
    views = app.briefing_views
    made = list(views["explorer"].charts)
    if "comparison" in views:
        made += views["comparison"].charts
    return made


def _every_app_chart() -> Iterator[tuple[str, str, Any]]:
    for name in APP_NAMES:
        for lang in ("zh", "en"):
            for chart in _app_charts(name, lang):
                yield name, lang, chart


CHARTS = list(_every_app_chart())
IDS = [f"{name}/{lang}/{i}" for i, (name, lang, _c) in enumerate(CHARTS)]


def _units(spec: dict[str, Any]) -> Iterator[dict[str, Any]]:
    """Every unit spec (one mark) inside a spec."""
    if "mark" in spec:
        yield spec
    for key in ("layer", "vconcat", "hconcat", "concat"):
        for part in spec.get(key, []):
            yield from _units(part)
    if "spec" in spec:
        yield from _units(spec["spec"])


def _quantitative(unit: dict[str, Any]) -> Iterator[tuple[str, dict[str, Any]]]:
    for channel in ("x", "y"):
        encoding = unit.get("encoding", {}).get(channel)
        if encoding and encoding.get("type") == "quantitative":
            yield channel, encoding


def test_every_app_has_charts_to_check() -> None:
    assert {name for name, _l, _c in CHARTS} >= {"overview", "industry", "livelihoods"}
    assert len(CHARTS) >= 20


@pytest.mark.parametrize(("name", "lang", "chart"), CHARTS, ids=IDS)
def test_bars_start_at_zero_on_a_linear_scale(name: str, lang: str, chart: Any) -> None:
    for unit in _units(chart.spec):
        mark = unit["mark"]["type"] if isinstance(unit["mark"], dict) else unit["mark"]
        if mark != "bar":
            continue
        for _channel, encoding in _quantitative(unit):
            scale = encoding.get("scale", {})
            assert scale.get("type", "linear") == "linear"
            assert scale.get("zero", True) is True
            assert scale.get("domain", [0])[0] == 0


@pytest.mark.parametrize(("name", "lang", "chart"), CHARTS, ids=IDS)
def test_every_quantitative_axis_is_titled_with_its_unit(name: str, lang: str, chart: Any) -> None:
    meta = chart.spec["usermeta"]
    unit_words = meta["axis_unit"]
    assert unit_words == charts.unit_title(meta["unit"], lang)
    for unit in _units(chart.spec):
        for _channel, encoding in _quantitative(unit):
            if encoding.get("axis", {}) is None:
                continue
            assert unit_words in str(encoding.get("title") or ""), encoding
            if lang == "en":
                assert not CJK.search(str(encoding["title"]))


@pytest.mark.parametrize(("name", "lang", "chart"), CHARTS, ids=IDS)
def test_counts_tick_at_whole_numbers(name: str, lang: str, chart: Any) -> None:
    kinds = {FACTS.loc[i, "kind"] for i in chart.spec["usermeta"]["fact_ids"]}
    if kinds != {"count"}:
        return
    for unit in _units(chart.spec):
        for _channel, encoding in _quantitative(unit):
            axis = encoding.get("axis") or {}
            assert axis.get("format") == "d"
            assert axis.get("tickMinStep") == 1
            assert all(float(v).is_integer() for v in axis["values"])


@pytest.mark.parametrize(("name", "lang", "chart"), CHARTS, ids=IDS)
def test_one_unit_and_one_kind_of_quantity_per_chart(name: str, lang: str, chart: Any) -> None:
    facts = [FACTS.loc[i] for i in chart.spec["usermeta"]["fact_ids"]]
    assert len({f["unit"] for f in facts}) == 1
    assert len({f["kind"] for f in facts}) == 1
    kind = facts[0]["kind"]
    if kind not in charts.ACROSS_TOPICS and chart.kind != "compare":
        # Counts of the same thing, percentages of the same meaning: one topic.
        assert len({charts.group_key(f) for f in facts}) == 1


@pytest.mark.parametrize(("name", "lang", "chart"), CHARTS, ids=IDS)
def test_no_chart_holds_a_single_mark(name: str, lang: str, chart: Any) -> None:
    assert len(chart.spec["data"]["values"]) >= 2
    assert len(set(chart.spec["usermeta"]["fact_ids"])) >= 2


@pytest.mark.parametrize(("name", "lang", "chart"), CHARTS, ids=IDS)
def test_every_chart_has_a_title_a_caption_and_its_source(name: str, lang: str, chart: Any) -> None:
    title = chart.spec["title"]
    assert title["text"]
    caption, source = title["subtitle"]
    assert caption
    assert source.startswith("Report text: " if lang == "en" else "报告原文：")
    titles = SECTIONS["title_en" if lang == "en" else "title_zh"]
    shown_sections = 0
    for fact_id in chart.spec["usermeta"]["fact_ids"]:
        paragraph_id = FACTS.loc[fact_id, "paragraph_id"]
        section_title = titles[PARAGRAPHS.loc[paragraph_id, "section_id"]]
        if section_title in source:  # the line names up to three sections, then "and n more"
            shown_sections += 1
            label = places.number_label(PLACES.number(paragraph_id), lang)
            assert label in source, (label, source)
    assert shown_sections, source
    # Readers see places in words, never an internal id.
    assert not ID_PATTERN.search(source), source
    # In the spec itself, so it is in the exported PNG and SVG too.
    assert chart.to_dict(validate=False)["title"]["subtitle"][1] == source


@pytest.mark.parametrize(("name", "lang", "chart"), CHARTS, ids=IDS)
def test_chart_words_are_in_the_page_language(name: str, lang: str, chart: Any) -> None:
    spec = chart.spec
    words = [spec["title"]["text"], *spec["title"]["subtitle"]]
    for unit in _units(spec):
        for _channel, encoding in _quantitative(unit):
            words.append(str(encoding.get("title") or ""))
    for row in spec["data"]["values"]:
        words += [str(row[k]) for k in ("label", "shown", "part_label") if k in row]
    for text in words:
        if lang == "en":
            assert not CJK.search(text), text
        else:
            assert not LATIN_WORD.search(text.replace("m²", "")), text


def test_the_export_shows_the_source_line(tmp_path: Any) -> None:
    from briefing import downloads

    chart = next(c for _n, lang, c in CHARTS if lang == "en" and c.kind == "money")
    svg = downloads.chart_svg(chart)
    assert "Report text:" in svg
    assert chart.spec["title"]["subtitle"][0].split(";")[0] in svg
