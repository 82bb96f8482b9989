"""Downloads: chart images with Chinese glyphs, CSV that Excel reads, the dataset zip."""

from __future__ import annotations

import base64
import csv
import io
import re
import zipfile

from briefing import apps, charts, data, downloads
from tests.conftest import DATA_DIR

DS = data.load(DATA_DIR)


def _payload(html: str) -> bytes:
    match = re.search(r"href='data:[^;]+;base64,([^']+)'", html)
    assert match, html
    return base64.b64decode(match.group(1))


def test_png_is_an_image_and_svg_keeps_chinese_text() -> None:
    chart = next(c for c in charts.charts_for(DS.facts, "zh") if c.kind == "area")
    png = downloads.chart_png(chart, scale=1.0)
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    svg = downloads.chart_svg(chart)
    assert svg.lstrip().startswith("<svg")
    assert "面积（亩）" in svg
    assert "11,373.6亩" in svg
    assert "报告原文：" in svg  # the source line travels with the image


def test_a_cjk_font_is_registered_for_png() -> None:
    folder = downloads.register_cjk_font()
    assert folder is not None, "install fonts-noto-cjk (make test does)"


def test_csv_has_a_bom_and_round_trips() -> None:
    frame = DS.facts[["fact_id", "indicator_zh", "value"]].head(3)
    raw = downloads.table_csv(frame)
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"))))
    assert rows[0]["indicator_zh"] == frame["indicator_zh"].iloc[0]


def test_dataset_zip_holds_every_resource_and_the_descriptor() -> None:
    archive = zipfile.ZipFile(io.BytesIO(downloads.dataset_zip(DATA_DIR)))
    names = set(archive.namelist())
    assert "datang-2023-report/datapackage.json" in names
    for resource in DS.descriptor["resources"]:
        assert f"datang-2023-report/{resource['path']}" in names
    assert (
        archive.read("datang-2023-report/report/report.txt")
        == (DATA_DIR / "report" / "report.txt").read_bytes()
    )


def test_app_download_bar_offers_what_is_shown() -> None:
    app = apps.sector_app("industry", "en")
    explorer = app.briefing_views["explorer"]
    explorer.kind.value = "money"
    bar = explorer.downloads
    bar.buttons["csv"].click()
    table = _payload(bar.links.value).decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(table)))
    assert {r["fact_id"] for r in rows} == set(explorer.filtered()["fact_id"])
    assert "Indicator" in rows[0]
    bar.buttons["svg"].click()
    svg = _payload(bar.links.value).decode("utf-8")
    assert "5.87 billion yuan" in svg
    assert "Report text:" in svg
    assert "download='datang-2023-industry-en.svg'" in bar.links.value
    bar.buttons["png"].click()
    assert _payload(bar.links.value)[:4] == b"\x89PNG"
    bar.buttons["zip"].click()
    assert zipfile.ZipFile(io.BytesIO(_payload(bar.links.value))).testzip() is None
