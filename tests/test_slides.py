"""Meeting-mode decks without a browser: what each slide holds, and how lists and charts are
cut into slides. (The browser walk in tests/browser/test_meeting_mode.py checks that every
slide fits its screen.)"""

from __future__ import annotations

import json
import re
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import ipywidgets as W
import pytest

from briefing import apps, data, pagemode, progress, reader_slides, slides, text, tracker
from briefing.vocab import PARTS
from tests.conftest import DATA_DIR

DS = data.load(DATA_DIR)
EXAMPLE_LOG = Path(__file__).parent / "fixtures" / "progress_example.csv"


@pytest.fixture(autouse=True)
def meeting_mode() -> Iterator[None]:
    pagemode.use(pagemode.PageMode("zh", "light", True))
    yield
    pagemode.use(pagemode.PageMode())


def _slides(app: W.Widget) -> list[W.Widget]:
    return [c for c in app.children if "briefing-section" in c._dom_classes]


def _html(widget: W.Widget) -> str:
    if isinstance(widget, W.HTML):
        return str(widget.value)
    return "".join(_html(c) for c in getattr(widget, "children", ()))


def _chart_specs(widget: W.Widget) -> list[dict[str, Any]]:
    found = []
    if isinstance(widget, W.Output):
        for output in widget.outputs:
            spec = output.get("data", {}).get("application/vnd.vegalite.v5+json")
            if spec:
                found.append(spec)
    for child in getattr(widget, "children", ()):
        found += _chart_specs(child)
    return found


# --------------------------------------------------------------------------- packing


def test_pack_keeps_every_item_once_in_order_and_within_the_room() -> None:
    items = [f"<li>{'长' * n}</li>" for n in (5, 80, 20, 160, 3, 3, 3, 3, 3, 3, 3, 90)]
    pieces = slides.pack(items)
    assert [item for piece in pieces for item in piece] == items
    for piece in pieces:
        assert len(piece) <= slides.ITEMS_PER_SLIDE
        if len(piece) > 1:
            assert sum(slides.item_height(i) for i in piece) <= slides.LIST_HEIGHT


def test_a_stacked_chart_is_cut_between_its_bars() -> None:
    rows = [{"area": a, "state": s, "count": 1} for a in "ABCDEFGH" for s in ("x", "y", "z")]
    spec = {
        "data": {"values": rows},
        "mark": "bar",
        "encoding": {
            "y": {"field": "area", "type": "nominal"},
            "color": {"field": "state", "type": "nominal", "legend": {"orient": "bottom"}},
        },
        "height": 100,
        "title": "T",
    }
    pieces = slides.split_chart(spec)
    areas = [[r["area"] for r in p["data"]["values"]] for p in pieces]
    assert [sorted(set(a)) for a in areas] == [list("ABCD"), list("EFGH")]
    assert all(len(a) == 12 for a in areas)  # every state of a bar on its slide
    assert pieces[0]["height"] == slides.ROW_HEIGHT * 4
    assert pieces[0]["encoding"]["color"]["legend"]["columns"] == slides.LEGEND_COLUMNS


def _shown_labels(spec: dict[str, Any]) -> dict[str, tuple[list[str], int]]:
    """Each category label of a chart as its axis draws it (lines), with its labelLimit."""
    key = slides.category_field(spec)
    units = [spec, *spec.get("layer", [])]
    axes = [
        u["encoding"]["y"]["axis"] for u in units if "axis" in u.get("encoding", {}).get("y", {})
    ]
    if key is None or not axes:
        return {}
    expr = axes[0].get("labelExpr", "")
    wrapped = {
        json.loads(value): json.loads(lines)
        for value, lines in re.findall(r'datum\.value === ("(?:[^"\\]|\\.)*") \? (\[.*?\]) :', expr)
    }
    return {
        str(row[key]): (wrapped.get(str(row[key]), [str(row[key])]), axes[0]["labelLimit"])
        for row in spec["data"]["values"]
    }


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_no_category_label_of_a_meeting_chart_is_cut_short(lang: str, tmp_path: Path) -> None:
    """Every line of every bar's label fits the axis's room (Vega would end it in "…"), and
    a chart whose labels take several lines gives each row room for them."""
    decks = [
        slides.sector_deck(DS, apps.sector_facts(DS, info.sectors), info.sectors, lang)
        for info in apps.SECTOR_APPS
    ]
    decks.append(_slides(tracker.build_tracker(lang, {}, _tracker_root(tmp_path))))
    checked = wrapped = 0
    for deck in decks:
        for spec in (s for slide in deck for s in _chart_specs(slide)):
            labels = _shown_labels(spec)
            for value, (lines, limit) in labels.items():
                assert " ".join(lines) == " ".join(value.split()), (value, lines)
                assert all(slides.text_width(line) <= limit for line in lines), (value, lines)
                checked += 1
            most = max([len(lines) for lines, _limit in labels.values()] + [1])
            if most > 1:
                wrapped += 1
                assert spec["height"] >= slides.row_height(most) * len(labels), spec["title"]
    assert checked >= 40  # every sector chart's bars and the tracker's areas
    if lang == "en":
        assert wrapped, "the tracker's long English area titles are wrapped"


# --------------------------------------------------------------------------- tracker


def _tracker_root(tmp_path: Path) -> Path:
    root = tmp_path / "data"
    shutil.copytree(DATA_DIR, root, ignore=shutil.ignore_patterns("progress"))
    (root / "progress").mkdir()
    (root / "progress" / "progress_log.csv").write_bytes(EXAMPLE_LOG.read_bytes())
    return root


def _commitment_ids(app: W.Widget) -> list[str]:
    return re.findall(r"<li data-commitment-id='([^']+)'", _html(app))


def test_tracker_deck_shows_every_commitment_once_by_area(tmp_path: Path) -> None:
    app = tracker.build_tracker("zh", {}, _tracker_root(tmp_path))
    deck = _slides(app)
    assert "briefing-section-slide-summary" in deck[0]._dom_classes
    assert "进展概况" in _html(deck[0])
    ids = _commitment_ids(app)
    assert sorted(ids) == sorted(DS.commitments["commitment_id"])
    # Areas in order, each commitment under its area's title.
    areas = [DS.commitments.set_index("commitment_id").loc[i, "area"] for i in ids]
    assert areas == sorted(areas, key=tracker.AREAS.index)
    titles = [s["title"] for s in (_chart_specs(app))]
    assert len(titles) >= 3  # the states by area (two slides) and the timeline
    # No filter control on a slide: the URL chooses.
    assert not any(isinstance(w, W.Dropdown) for s in deck for w in _walk(s))


def _walk(widget: W.Widget) -> Iterator[W.Widget]:
    yield widget
    for child in getattr(widget, "children", ()):
        yield from _walk(child)


def test_tracker_deck_follows_the_links_filters(tmp_path: Path) -> None:
    root = _tracker_root(tmp_path)
    app = tracker.build_tracker("en", {"status": "at_risk"}, root)
    statuses = progress.statuses(DS, progress.load_log(root))
    at_risk = sorted(c for c, s in statuses.items() if s.state == "at_risk")
    assert at_risk
    assert sorted(_commitment_ids(app)) == at_risk
    items = re.findall(r"<li data-commitment-id=[^>]*>.*?</li>", _html(app))
    assert all("data-state='at_risk'" in item and "At risk" in item for item in items)


# --------------------------------------------------------------------------- reader


def test_reader_deck_has_its_slides_before_the_terms_are_counted() -> None:
    app, deck = reader_slides.build_deck(DS, "zh", {})
    before = len(_slides(app))
    assert all(not out.outputs for outs in deck.keyword_outputs.values() for out in outs)
    deck.start(background=False)
    assert len(_slides(app)) == before
    frequencies = text.term_frequencies(deck.paragraphs, top=None, segmenter=deck.segmenter)
    specs = _chart_specs(app)
    assert len(specs) == 2 + len(PARTS)  # the whole report on two slides, each part on one
    shown = [row["term"] for row in specs[0]["data"]["values"] + specs[1]["data"]["values"]]
    assert shown == [term for term, _n in frequencies[: reader_slides.WHOLE_TERMS]]
    for spec in specs:
        assert spec["title"]["text"]
        assert spec["title"]["subtitle"]  # what was counted
    sections = re.findall(r"<li data-section='([^']+)'", _html(app))
    in_parts = DS.sections[DS.sections["part"].isin(PARTS)].sort_values("position")
    assert sections == list(in_parts["section_id"])


def test_reader_deck_shows_a_linked_search_with_every_paragraph_hit() -> None:
    app, deck = reader_slides.build_deck(DS, "en", {"q": "养老"})
    hits = text.search(deck.paragraphs, "养老", "phrase")
    assert hits
    shown = re.findall(r"<li data-paragraph='([^']+)'", _html(app))
    assert shown == [hit.paragraph_id for hit in hits]
    page = _html(app)
    # On an English page the query is marked as the report's language, and placed in words.
    assert "<span lang='zh-CN'>养老</span>" in page
    assert "paragraph " in page
    assert not re.search(r"\b[rt]\d+-p\d+\b", re.sub(r"data-[a-z]+='[^']*'", "", page))


def test_reader_deck_says_when_a_search_finds_nothing() -> None:
    app, _deck = reader_slides.build_deck(DS, "zh", {"q": "火星基地"})
    assert "没有找到" in _html(_slides(app)[-1])
