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


def _chart(sector: str, kind: str, unit: str, lang: str = "zh", part: str = "review_2022"):
    facts = FACTS if sector == "*" else FACTS[FACTS["sector"] == sector]
    for chart in charts.charts_for(facts, lang):
        meta = chart.spec["usermeta"]
        if (meta["kind"], meta["unit"], meta["part"]) == (kind, unit, part):
            return chart
    raise AssertionError(f"no {kind} chart in {unit} for {sector}")


def test_money_is_plotted_in_the_unit_it_is_written_in_from_zero_on_a_linear_axis() -> None:
    chart = _chart("industry", "money", "亿元")
    spec = chart.to_dict()
    rows = {r["fact_id"]: r for r in _layer_rows(spec)}
    assert rows["r1-p1.10"]["plot"] == 58.7
    assert rows["r1-p1.10"]["shown"] == "58.7亿元"
    assert rows["r2-p1.04"]["plot"] == 11.0  # 超11亿元
    assert rows["r2-p1.04"]["shown"] == "超11亿元"
    bars = spec["layer"][0]
    assert bars["mark"]["type"] == "bar"
    x = bars["encoding"]["x"]
    assert x["field"] == "plot"
    assert x["scale"] == {"type": "linear", "zero": True}
    assert x["title"] == "金额（亿元）"
    assert spec["title"]["text"].endswith("金额（亿元）")
    assert spec["usermeta"]["fact_ids"] == [r["fact_id"] for r in _layer_rows(spec)]
    # The 2023 target (超250亿元) is not a bar beside the results: it has its own arrow.
    assert "t1-p3.01" not in rows


def test_english_money_axis_uses_the_unit_of_its_labels() -> None:
    spec = _chart("industry", "money", "亿元", "en").to_dict()
    rows = {r["fact_id"]: r for r in _layer_rows(spec)}
    assert rows["r1-p1.10"]["plot"] == 5.87
    assert rows["r1-p1.10"]["shown"] == "5.87 billion yuan"
    assert spec["layer"][0]["encoding"]["x"]["title"] == "Money (billion yuan)"


def test_money_of_different_magnitudes_is_never_on_one_axis() -> None:
    units = {
        c.spec["usermeta"]["unit"] for c in charts.charts_for(FACTS, "zh") if c.kind == "money"
    }
    assert units == {"亿元", "万元"}  # small multiples by magnitude, never a log axis


def test_bar_rows_are_sorted_largest_first() -> None:
    spec = _chart("*", "money", "万元").to_dict()
    plots = [r["plot"] for r in _layer_rows(spec)]
    assert plots == sorted(plots, reverse=True)
    assert min(plots) == 280.0  # 280万元, the smallest sum in the report


def test_areas_are_in_mu_and_square_metres_are_not_mixed_in() -> None:
    spec = _chart("*", "area", "亩", "en").to_dict()
    rows = {r["fact_id"]: r for r in _layer_rows(spec)}
    assert "r1-p1.24" not in rows  # 超3万平方米: another unit, shown as written elsewhere
    assert rows["r1-p1.15"]["plot"] == 11373.6
    assert rows["r1-p1.15"]["shown"] == "11,373.6 mu"
    assert spec["layer"][0]["encoding"]["x"]["title"] == "Area (mu)"


def test_english_labels_come_from_indicator_en() -> None:
    spec = _chart("industry", "count", "个", "en").to_dict()
    labels = {r["fact_id"]: r["label"] for r in _layer_rows(spec)}
    assert all(r["part_label"] == "2022 review" for r in _layer_rows(spec))
    assert all(not any("\u4e00" <= ch <= "\u9fff" for ch in label) for label in labels.values())


def test_counts_of_different_things_are_not_charted_together() -> None:
    made = [c for c in charts.charts_for(FACTS, "zh") if c.kind == "count"]
    keys = {tuple(c.spec["usermeta"][k] for k in ("part", "unit", "topic")) for c in made}
    assert len(keys) == len(made)
    # 1,028 homes and 350 notices are never on one axis with roads.
    for chart in made:
        ids = set(chart.spec["usermeta"]["fact_ids"])
        assert not {"r4-p1.10", "r5-p1.03"} <= ids


def test_ranks_are_text_grouped_by_field_not_bars() -> None:
    from briefing import figures

    assert all(c.kind != "rank" for c in charts.charts_for(FACTS, "zh"))
    _groups, singles = charts.chart_groups(FACTS)
    html = figures.figures_html(singles, "en")
    assert "Ranked in the province" in html
    assert "Ranked in the district" in html
    assert "4th in the province" in html
    assert "3rd in the city" in html
    zh = figures.figures_html(singles, "zh")
    assert "全省排名" in zh
    assert "全省第四" in zh
    ranks = FACTS[FACTS["kind"] == "rank"]
    assert all(f"data-fact-id='{i}'" in html for i in ranks["fact_id"])


def test_ratings_and_levels_are_labels_not_bars() -> None:
    from briefing import figures

    stars = FACTS[FACTS["unit"] == "星级"]
    assert not stars.empty
    charted = {i for c in charts.charts_for(FACTS, "zh") for i in c.spec["usermeta"]["fact_ids"]}
    assert charted.isdisjoint(set(stars["fact_id"]))
    html = figures.figures_html(charts.chart_groups(FACTS)[1], "zh")
    assert "五星级" in html


def test_comparison_draws_only_linked_pairs_of_the_same_unit_with_their_comparator() -> None:
    industry = FACTS[FACTS["sector"] == "industry"]
    made = {
        tuple(c.spec["usermeta"]["fact_ids"]): c
        for c in charts.comparison_charts(industry, FACTS, "zh")
    }
    assert ("r1-p1.10", "t1-p3.01") in made
    spec = made[("r1-p1.10", "t1-p3.01")].to_dict()
    rows = {r["fact_id"]: r for r in spec["data"]["values"]}
    assert rows["r1-p1.10"]["plot"] == 58.7
    assert rows["t1-p3.01"]["plot"] == 250.0
    assert rows["t1-p3.01"]["shown"] == "2023年目标：> 250亿元"  # 超 is "more than", not "at least"
    assert spec["layer"][1]["encoding"]["x"]["scale"]["zero"] is True
    for result_id, target_id in made:
        result = FACTS[FACTS["fact_id"] == result_id].iloc[0]
        target = FACTS[FACTS["fact_id"] == target_id].iloc[0]
        assert (result["unit"], result["kind"]) == (target["unit"], target["kind"])
        assert target["related_fact_id"] == result_id


def test_no_comparison_without_pairs() -> None:
    ecology = FACTS[FACTS["sector"] == "ecology"]
    assert charts.comparison_charts(ecology, FACTS, "zh") == []


def test_theme_is_registered_once_with_cjk_fonts_and_safe_palette() -> None:
    theme.enable()
    theme.enable()
    spec = charts.charts_for(FACTS, "zh")[0].to_dict()
    assert "Noto Sans CJK SC" in spec["config"]["font"]
    assert spec["config"]["range"]["category"][:2] == ["#0072B2", "#C26E00"]
    assert spec["config"]["axis"]["labelAngle"] == 0
    assert spec["config"]["axis"]["labelFontSize"] >= 14


@pytest.mark.parametrize(
    "sector", ["industry", "urban_rural", "ecology", "livelihoods", "reform", "governance"]
)
def test_every_figure_of_a_sector_is_a_bar_or_a_card(sector: str) -> None:
    from briefing import figures

    facts = FACTS[FACTS["sector"] == sector]
    made = charts.charts_for(facts, "zh")
    charted = [i for c in made for i in c.spec["usermeta"]["fact_ids"]]
    _groups, singles = charts.chart_groups(facts)
    html = figures.figures_html(singles, "zh")
    carded = {f["fact_id"] for f in singles}
    assert sorted(charted + sorted(carded)) == sorted(facts["fact_id"])
    assert all(f"data-fact-id='{i}'" in html for i in carded)


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
    # SVG, so that a click on a mark can name its figure (briefing.bridge).
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
            made += [
                (f"{sector}/{lang}/compare", c)
                for c in charts.comparison_charts(facts, FACTS, lang)
            ]
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
        "duration",
        "compare",
    }
    for name, chart in made + _reader_and_tracker_charts():
        spec = chart.to_dict()  # checked against the Vega-Lite 5 schema
        spec.pop("usermeta", None)  # the apps' note; Altair's copy drops it so charts combine
        assert chart.to_altair().to_dict() == spec, name


def test_an_invalid_spec_is_refused() -> None:
    import jsonschema

    chart = _chart("*", "area", "亩")
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


def test_distinctions_are_never_drawn_as_bars() -> None:
    distinctions = set(FACTS.loc[FACTS["kind"] == "distinction", "fact_id"])
    assert len(distinctions) >= 6
    for lang in ("zh", "en"):
        drawn = set()
        for chart in charts.charts_for(FACTS, lang):
            drawn |= set(chart.to_dict()["usermeta"]["fact_ids"])
        compared = charts.comparison_charts(FACTS, FACTS, lang)
        assert compared
        for chart in compared:
            drawn |= set(chart.to_dict()["usermeta"]["fact_ids"])
        assert drawn
        assert drawn.isdisjoint(distinctions)
    assert charts.charts_for(FACTS[FACTS["kind"] == "distinction"], "zh") == []


def test_target_beside_result_only_for_the_reviewed_pairs() -> None:
    made = charts.comparison_charts(FACTS, FACTS, "zh")
    pairs = {i for chart in made for i in chart.spec["usermeta"]["fact_ids"]}
    linked = FACTS[FACTS["related_fact_id"] != ""]
    # A rating (三星级 beside 二星级) is a label, not a quantity on an axis: not drawn.
    quantities = linked[~linked["unit"].isin(charts.LABEL_UNITS)]
    assert set(linked["unit"]) - set(quantities["unit"]) <= {"星级"}
    assert pairs == set(quantities["fact_id"]) | set(quantities["related_fact_id"])
    # 3家 enterprises beside 3间 workshops, 87 villages beside 12: not comparable, not paired.
    assert pairs.isdisjoint({"r2-p1.02", "t1-p2.03", "r3-p1.06", "t2-p1.01"})
