"""The public API (``import briefing``), its documentation, the charts' display and save, Altair."""

from __future__ import annotations

import inspect
import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

import briefing
from briefing import apidoc, vegalite
from briefing.paths import REPO_DIR


def _run(code: str) -> str:
    result = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
        env={"PYTHONPATH": str(REPO_DIR / "src"), "PATH": "/usr/bin:/bin"},
    )
    return result.stdout.strip()


# --------------------------------------------------------------------------- the package


def test_import_briefing_loads_neither_pandas_nor_altair() -> None:
    out = _run(
        "import sys, briefing; "
        "print(sorted(m for m in ('pandas', 'altair', 'ipywidgets') if m in sys.modules))"
    )
    assert out == "[]"


def test_every_public_name_resolves_and_unknown_names_raise() -> None:
    for name in briefing.__all__:
        assert getattr(briefing, name) is not None, name
    assert set(briefing.__all__) <= set(dir(briefing))
    with pytest.raises(AttributeError, match="no attribute 'nothing_here'"):
        _ = briefing.nothing_here
    assert briefing.data.load is not None  # submodules too, without importing them first


def test_every_public_name_is_documented_and_the_doc_is_current() -> None:
    text = (REPO_DIR / "docs" / "api.md").read_text(encoding="utf-8")
    for name in briefing.__all__:
        assert f"## `briefing.{name}`" in text, f"{name} is not in docs/api.md"
        if name != "__version__":
            doc = inspect.getdoc(getattr(briefing, name)) or ""
            assert len(doc) > 40, f"{name} has no real docstring"
    assert text == apidoc.render(), "docs/api.md is out of date: python -m briefing.apidoc"


def test_the_doc_check_fails_when_a_name_is_undocumented(monkeypatch: pytest.MonkeyPatch) -> None:
    def extra() -> None:
        """A public function added without regenerating docs/api.md."""

    assert apidoc.main(["--check"]) == 0
    monkeypatch.setattr(briefing, "extra", extra, raising=False)
    monkeypatch.setattr(briefing, "__all__", [*briefing.__all__, "extra"])
    assert apidoc.main(["--check"]) == 1
    assert "## `briefing.extra` (function)" in apidoc.render()


def test_dataset_repr_is_short_and_counts_rows() -> None:
    ds = briefing.load()
    text = repr(ds)
    assert len(text) < 300
    assert f"facts {len(ds.facts)}" in text
    assert f"commitments_2023 {len(ds.commitments)}" in text
    assert ds.counts()["facts"] == len(ds.facts)


def test_tables_carry_the_column_descriptions_of_the_data_package() -> None:
    ds = briefing.load()
    descriptor = json.loads((REPO_DIR / "data" / "datapackage.json").read_text("utf-8"))
    facts = next(r for r in descriptor["resources"] if r["name"] == "facts")
    expected = {f["name"]: f["description"] for f in facts["schema"]["fields"]}
    assert ds.facts.attrs["descriptions"] == expected
    assert ds.facts.attrs["resource"] == "facts"
    filtered = ds.facts[ds.facts["kind"] == "money"][["fact_id", "value"]]
    assert filtered.attrs["descriptions"]["value"] == expected["value"]  # pandas keeps attrs
    for name, frame in ds.tables.items():
        assert set(frame.attrs["descriptions"]) == set(frame.columns), name
        assert all(frame.attrs["descriptions"].values()), name


def test_progress_log_is_a_described_dataframe(data_copy: Path) -> None:
    empty = briefing.progress_log(data_copy)
    assert len(empty) == 0
    briefing.record_progress(
        "c1-21", "in_progress", value="1,200", unit="万元", note="n", recorded_by="x",
        date="2023-06-30", root=data_copy,
    )  # fmt: skip
    log = briefing.progress_log(data_copy)
    assert log.loc[0, "value"] == 1200.0
    assert log.loc[0, "unit"] == "万元"
    assert str(log["date"].dtype).startswith("datetime64")
    assert "commitment_id" in log.attrs["descriptions"]
    assert log.loc[0, "row"] == 1


def test_record_progress_dry_run_writes_nothing(data_copy: Path) -> None:
    before = sorted(str(p) for p in data_copy.rglob("*"))
    entry = briefing.record_progress(
        "c2-11", "done", note="完工", recorded_by="城建办", root=data_copy, dry_run=True
    )
    assert entry.status == "done"
    assert sorted(str(p) for p in data_copy.rglob("*")) == before
    with pytest.raises(briefing.EntryRejected) as info:
        briefing.record_progress("c2-11", "done", note=" ", recorded_by="x", root=data_copy)
    assert str(info.value) == "--note is required and must not be blank."
    assert info.value.text("zh") == "请填写进展说明。"


def test_commitments_lists_ids_titles_and_targets() -> None:
    table = briefing.commitments("t1")
    assert set(table["area"]) == {"t1"}
    row = table.set_index("commitment_id").loc["c1-21"]
    assert (row["title"], row["target"]) == ("招商引资额超250亿元", "超250亿元")
    with pytest.raises(KeyError, match="the areas are t0, t1"):
        briefing.commitments("t9")


# --------------------------------------------------------------------------- charts


@pytest.fixture(scope="module")
def chart() -> vegalite.Spec:
    ds = briefing.load()
    return briefing.charts_for(ds.facts[ds.facts["sector"] == "industry"])[0]


def test_chart_displays_itself_as_vega_lite_5(chart: vegalite.Spec) -> None:
    bundle = chart._repr_mimebundle_()
    assert set(bundle) == {"application/vnd.vegalite.v5+json", "text/plain"}
    spec = bundle["application/vnd.vegalite.v5+json"]
    assert spec["$schema"].startswith("https://vega.github.io/schema/vega-lite/v5")
    assert spec == chart.to_dict(validate=True)
    assert repr(chart) == "<Vega-Lite chart money: 2022年工作回顾 · 金额（亿元）>"
    assert bundle["text/plain"] == repr(chart)


def test_chart_saves_png_svg_html_json(chart: vegalite.Spec, tmp_path: Path) -> None:
    png = chart.save(tmp_path / "c.png").read_bytes()
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    assert len(png) > 10_000
    title = chart.spec["title"]["text"]
    svg = chart.save(tmp_path / "c.svg").read_text("utf-8")
    assert svg.startswith("<svg")
    assert "金额（亿元）" in title
    assert title in svg
    html = chart.save(tmp_path / "c.html").read_text("utf-8")
    assert json.dumps(title)[1:-1] in html or title in html
    assert not re.search(r"<script[^>]+src=", html), "the page carries its scripts"
    assert "vega-embed" in html or "vegaEmbed" in html
    assert json.loads(chart.save(tmp_path / "c.json").read_text("utf-8")) == chart.spec
    with pytest.raises(ValueError, match=r"use one of \.png, \.svg, \.html, \.json"):
        chart.save(tmp_path / "c.gif")
    assert not (tmp_path / "c.gif").exists()


def test_png_draws_chinese_with_a_cjk_font(chart: vegalite.Spec) -> None:
    from briefing import downloads

    assert downloads.register_cjk_font() is not None, "no CJK font installed"


def test_to_altair_is_a_real_chart_that_renders_offline(chart: vegalite.Spec) -> None:
    import altair as alt

    converted = chart.to_altair()
    assert isinstance(converted, alt.LayerChart)
    assert all(isinstance(layer, alt.Chart) for layer in converted.layer)
    interactive = converted.interactive()
    spec = interactive.to_dict()
    assert any(p.get("bind") == "scales" for p in spec.get("params", [])), spec.get("params")
    bundle = converted._repr_mimebundle_()
    data = bundle[0] if isinstance(bundle, tuple) else bundle
    assert "application/vnd.vegalite.v5+json" in data  # JupyterLab draws it with its own Vega
    assert "text/html" not in data  # not the CDN page that fails offline
    assert converted.properties(width=300).to_dict()["width"] == 300
    assert len((converted | converted).to_dict()["hconcat"]) == 2
    assert len((converted & converted.interactive()).to_dict()["vconcat"]) == 2


def test_to_altair_keeps_the_specification(monkeypatch: pytest.MonkeyPatch) -> None:
    import altair as alt

    monkeypatch.setattr(alt.data_transformers, "consolidate_datasets", False)
    ds = briefing.load()
    for chart in briefing.charts_for(ds.facts):
        expected = chart.to_dict(validate=False)
        del expected["usermeta"]  # the app's own note of the chart's kind
        assert chart.to_altair().to_dict() == expected, chart.kind
