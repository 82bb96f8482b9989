"""Chart builders, checked on their Vega-Lite specs (encodings, titles, rows, units)."""

from __future__ import annotations

import json
import re
import subprocess
import sys

import pytest

from briefing import charts, data, theme, vegalite
from tests.conftest import DATA_DIR

DS = data.load(DATA_DIR)
FACTS = DS.facts


def _layer_rows(spec: dict) -> list[dict]:
    return spec["data"]["values"]


def test_money_is_plotted_in_wan_yuan_and_labelled_as_written() -> None:
    chart = charts.measure_chart(FACTS[FACTS["sector"] == "industry"], "money", "zh")
    spec = chart.to_dict()
    rows = {r["fact_id"]: r for r in _layer_rows(spec)}
    assert rows["r1-p1.10"]["plot"] == 587000.0  # 58.7亿元 = 587,000万元
    assert rows["r1-p1.10"]["shown"] == "58.7亿元"
    assert rows["t1-p3.01"]["shown"] == "超250亿元"
    assert rows["r2-p1.04"]["plot"] == 110000.0  # 超11亿元
    bars = spec["layer"][0]
    assert bars["mark"]["type"] == "bar"
    assert bars["encoding"]["x"]["field"] == "plot"
    assert bars["encoding"]["x"]["scale"]["type"] == "symlog"
    assert bars["encoding"]["y"]["field"] == "label"
    assert spec["title"] == "资金与金额"
    assert spec["usermeta"]["fact_ids"] == [r["fact_id"] for r in _layer_rows(spec)]


def test_money_rows_are_sorted_largest_first() -> None:
    spec = charts.measure_chart(FACTS, "money", "zh").to_dict()
    plots = [r["plot"] for r in _layer_rows(spec)]
    assert plots == sorted(plots, reverse=True)
    assert min(plots) == 280.0  # 280万元, the smallest sum in the report


def test_areas_are_in_mu_including_square_metres() -> None:
    spec = charts.measure_chart(FACTS, "area", "en").to_dict()
    rows = {r["fact_id"]: r for r in _layer_rows(spec)}
    assert rows["r1-p1.24"]["plot"] == 45.0  # 超3万平方米 = 45 mu
    assert rows["r1-p1.24"]["shown"] == "over 30,000 m²"
    assert rows["r1-p1.15"]["plot"] == 11373.6
    assert spec["title"] == "Area (mu)"


def test_english_labels_come_from_indicator_en() -> None:
    spec = charts.measure_chart(FACTS, "count", "en").to_dict()
    labels = {r["fact_id"]: r["label"] for r in _layer_rows(spec)}
    assert labels["r1-p1.09"] == "Newly signed projects"
    assert all(r["part_label"] in {"2022 review", "2023 tasks"} for r in _layer_rows(spec))


def test_rank_chart_places_first_at_one_with_its_scope() -> None:
    spec = charts.rank_chart(FACTS, "zh").to_dict()
    rows = {r["fact_id"]: r for r in _layer_rows(spec)}
    assert rows["r2-p1.01"]["plot"] == 4
    assert rows["r2-p1.01"]["shown"] == "全省第四"
    assert rows["r3-p1.20"]["shown"] == "全市第三"
    assert len(rows) == int((FACTS["kind"] == "rank").sum())
    x = spec["layer"][0]["encoding"]["x"]
    assert x["scale"]["domain"][0] == 0.5


def test_comparison_pairs_targets_with_results_in_the_same_unit() -> None:
    industry = FACTS[FACTS["sector"] == "industry"]
    rows = charts.comparison_rows(industry, FACTS, "zh")
    pairs = {}
    for row in rows:
        pairs.setdefault(row["pair"], []).append((row["fact_id"], row["plot"]))
    assert pairs["招商引资额(力争)"] == [("r1-p1.10", 587000.0), ("t1-p3.01", 2500000.0)]
    assert pairs["引入超20亿元项目"] == [("r1-p1.14", 1.0), ("t1-p3.02", 2.0)]
    spec = charts.comparison_chart(industry, FACTS, "en").to_dict()
    assert spec["resolve"]["scale"]["x"] == "independent"
    assert spec["title"] == "2023 targets beside 2022 results"


def test_no_comparison_without_pairs() -> None:
    ecology = FACTS[FACTS["sector"] == "ecology"]
    assert charts.comparison_chart(ecology, FACTS, "zh") is None


def test_theme_is_registered_once_with_cjk_fonts_and_safe_palette() -> None:
    theme.enable()
    theme.enable()
    spec = charts.measure_chart(FACTS, "ratio", "zh").to_dict()
    assert "Noto Sans CJK SC" in spec["config"]["font"]
    assert spec["config"]["range"]["category"][:2] == ["#0072B2", "#E69F00"]
    assert spec["config"]["axis"]["labelAngle"] == 0
    assert spec["config"]["axis"]["labelFontSize"] >= 14


@pytest.mark.parametrize(
    "sector", ["industry", "urban_rural", "ecology", "livelihoods", "governance"]
)
def test_every_sector_has_charts(sector: str) -> None:
    made = charts.charts_for(FACTS[FACTS["sector"] == sector], "zh")
    assert made
    kinds = [c.to_dict()["usermeta"]["kind"] for c in made]
    assert len(kinds) == len(set(kinds))


def test_chart_output_draws_vega_lite_and_carries_a_valid_png_stand_in(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import base64
    import struct

    monkeypatch.delenv(charts.STATIC_EXPORT_ENV, raising=False)
    ds = data.load(DATA_DIR)
    chart = charts.charts_for(ds.facts, "zh")[0]
    output = charts.output_for(chart)
    bundle = output["data"]
    assert bundle[charts.VEGALITE_MIME]["$schema"].startswith(
        "https://vega.github.io/schema/vega-lite/v5"
    )
    assert output["metadata"][charts.VEGALITE_MIME] == {
        "embed_options": {"actions": False, "renderer": "svg"}
    }
    png = base64.b64decode(bundle["image/png"], validate=True)
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    assert struct.unpack(">II", png[16:24]) == (1, 1)  # IHDR: 1×1, never shown at size
    assert "image/svg+xml" not in bundle


def test_static_export_charts_carry_their_svg_and_no_stand_in(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv(charts.STATIC_EXPORT_ENV, "1")
    ds = data.load(DATA_DIR)
    chart = charts.charts_for(ds.facts, "zh")[0]
    bundle = charts.output_for(chart)["data"]
    assert bundle["image/svg+xml"].lstrip().startswith("<svg")
    assert "image/png" not in bundle


def _every_chart() -> list[tuple[str, vegalite.Spec]]:
    made = []
    for sector in sorted(FACTS["sector"].unique()):
        facts = FACTS[FACTS["sector"] == sector]
        for lang in ("zh", "en"):
            made += [(f"{sector}/{lang}/{c.kind}", c) for c in charts.charts_for(facts, lang)]
            compare = charts.comparison_chart(facts, FACTS, lang)
            if compare is not None:
                made.append((f"{sector}/{lang}/compare", compare))
    return made


def _reader_and_tracker_charts() -> list[tuple[str, vegalite.Spec]]:
    from briefing import progress, reader, tracker

    updates = [
        {"commitment_id": "c1", "date": "2023-03-01", "label": "甲", "status": "in_progress"},
        {"commitment_id": "c1", "date": "2023-06-30", "label": "甲", "status": "done"},
        {"commitment_id": "c2", "date": "2023-04-15", "label": "乙", "status": "at_risk"},
    ]
    counts = [{"area": "一、A", "state": "done", "order": 3, "count": 2}]
    terms = [("发展", 12), ("建设", 9)]
    made = []
    for lang in ("zh", "en"):
        rows = [
            {**u, "status_label": progress.status_label(u["status"], lang), "value": "", "note": ""}
            for u in updates
        ]
        made.append((f"timeline/{lang}", tracker.timeline_chart(rows, lang)))
        made.append((f"states/{lang}", tracker.state_chart(counts, ["一、A"], lang)))
        words = [reader.frequency_chart(terms, "t", "#0072B2", lang, width=260)] * 2
        made.append((f"terms/{lang}", words[0]))
        made.append((f"terms-by-part/{lang}", vegalite.hconcat(words, spacing=40)))
    return made


def test_every_spec_is_valid_vega_lite_and_what_altair_writes_for_it(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import altair as alt

    theme.enable()
    # Altair would move inline rows into a named dataset: keep them where they are.
    monkeypatch.setattr(alt.data_transformers, "consolidate_datasets", False)
    made = _every_chart()
    assert {name.rsplit("/", 1)[1] for name, _ in made} == {
        "money",
        "area",
        "count",
        "ratio",
        "rank",
        "compare",
    }
    for name, chart in made + _reader_and_tracker_charts():
        spec = chart.to_dict()  # checked against the Vega-Lite 5 schema
        assert chart.to_altair().to_dict() == spec, name


def test_an_invalid_spec_is_refused() -> None:
    import jsonschema

    chart = charts.measure_chart(FACTS, "area", "zh")
    chart.spec["layer"][0]["mark"]["type"] = "barr"
    with pytest.raises(jsonschema.ValidationError):
        chart.to_dict()


def test_no_app_imports_altair() -> None:
    code = (
        "import sys\n"
        "from briefing import apps, reader, tracker\n"
        "apps.industry_app('zh'); apps.overview_app('en')\n"
        "reader.reader_app('zh')  # outside a kernel the keyword charts are drawn at once\n"
        "tracker.tracker_app('zh')\n"
        "print('altair' in sys.modules)"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=120
    )
    assert result.stdout.strip().splitlines()[-1] == "False"


def test_downloads_stack_the_charts_shown_into_one_image() -> None:
    from briefing import downloads

    shown = charts.charts_for(FACTS[FACTS["sector"] == "industry"], "en")
    assert len(shown) > 1
    stacked = downloads.combined(shown).to_dict()
    assert len(stacked["vconcat"]) == len(shown)
    assert all("usermeta" not in part and "config" not in part for part in stacked["vconcat"])
    assert downloads.combined(shown[:1]) is shown[0]


def test_chart_output_takes_the_page_theme_and_meeting_sizes() -> None:
    from briefing import pagemode, theme

    ds = data.load(DATA_DIR)
    chart = charts.charts_for(ds.facts, "zh")[0]
    try:
        pagemode.use(pagemode.PageMode("zh", "dark", True))
        spec = charts.output_for(chart)["data"][charts.VEGALITE_MIME]
    finally:
        pagemode.use(pagemode.PageMode())
    config = spec["config"]
    assert config["background"] == theme.DARK.background
    for part in ("axis", "legend", "header"):
        assert config[part]["labelColor"] == theme.DARK.text
        assert config[part]["labelFontSize"] >= theme.PRESENT_MIN_FONT
    assert config["title"]["color"] == theme.DARK.text
    text = json.dumps(spec)
    # No light-theme colour is left in a dark chart, and no text is smaller than 24 px.
    for key in ("text", "background", "review", "grid"):
        assert getattr(theme.LIGHT, key).lower() not in text.lower()
    sizes = [int(s) for s in re.findall(r'"(?:label|title)?[fF]ontSize": (\d+)', text)]
    assert sizes
    assert min(sizes) >= theme.PRESENT_MIN_FONT
    light = charts.output_for(chart)["data"][charts.VEGALITE_MIME]
    assert light["config"]["background"] == theme.LIGHT.background
