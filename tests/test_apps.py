"""The apps without a browser: set a widget's value, check the state that follows."""

from __future__ import annotations

import pytest

from briefing import apps, data, frames, places, ui, views
from tests.conftest import DATA_DIR
from tests.html_text import read, shown_ids

DS = data.load(DATA_DIR)
SECTOR_APPS = [info.name for info in apps.SECTOR_APPS]


def _build(name: str, lang: str = "zh"):
    app = apps.overview_app(lang) if name == "overview" else apps.sector_app(name, lang)
    assert hasattr(app, "briefing_views"), getattr(app, "value", app)
    return app


def _explorer(app) -> views.FactExplorer:
    return app.briefing_views["explorer"]


def _chart_ids(explorer: views.FactExplorer) -> set[str]:
    ids: set[str] = set()
    for chart in explorer.charts:
        ids.update(chart.to_dict()["usermeta"]["fact_ids"])
    return ids


def test_every_fact_is_reachable_from_some_app() -> None:
    reachable: set[str] = set()
    for info in (apps.app_info("overview"), *apps.SECTOR_APPS):
        app = _build(info.name)
        explorer = _explorer(app)
        reachable |= set(explorer.facts["fact_id"])
        assert set(app.briefing_fact_ids) == set(explorer.facts["fact_id"])
    assert reachable == set(DS.facts["fact_id"])


@pytest.mark.parametrize("name", SECTOR_APPS)
def test_sector_app_shows_only_its_sector(name: str) -> None:
    info = apps.app_info(name)
    explorer = _explorer(_build(name))
    assert set(explorer.facts["sector"]) <= set(info.sectors)
    assert _chart_ids(explorer) <= set(explorer.facts["fact_id"])


def test_part_filter_changes_charts_and_table() -> None:
    explorer = _explorer(_build("industry"))
    everything = _chart_ids(explorer)
    assert any(i.startswith("t") for i in everything)
    explorer.part.value = "tasks_2023"
    assert explorer.filtered()["part"].unique().tolist() == ["tasks_2023"]
    shown = _chart_ids(explorer)
    assert shown
    assert all(i.startswith("t") for i in shown)
    assert set(explorer.table.order) == set(explorer.filtered()["fact_id"])
    explorer.part.value = views.ALL
    assert _chart_ids(explorer) == everything


def test_topic_and_kind_filters_combine() -> None:
    explorer = _explorer(_build("industry"))
    explorer.topic.value = "industrial_space"
    explorer.kind.value = "area"
    facts = explorer.filtered()
    assert set(facts["topic"]) == {"industrial_space"}
    assert set(facts["kind"]) == {"area"}
    assert len(explorer.charts) == 1
    assert explorer.charts[0].to_dict()["usermeta"]["kind"] == "area"


def test_filter_with_no_match_says_so() -> None:
    explorer = _explorer(_build("industry"))
    explorer.topic.value = "investment_attraction"
    explorer.kind.value = "area"
    assert explorer.filtered().empty
    assert explorer.charts == []
    assert explorer.table.order == []


def test_table_sorts_and_pages() -> None:
    explorer = _explorer(_build("industry"))
    explorer.view.value = "table"
    assert explorer.body.children == (explorer.table.widget,)
    table = explorer.table
    table.sort_by("value")
    values = DS.facts.set_index("fact_id").loc[table.order, "value_normalised"].tolist()
    assert values == sorted(values)
    assert table.header[1].description.endswith("▲")
    table.sort_by("value")
    values = DS.facts.set_index("fact_id").loc[table.order, "value_normalised"].tolist()
    assert values == sorted(values, reverse=True)
    first_page = table.visible_ids()
    assert len(first_page) == table.page_size
    table.turn(1)
    assert table.visible_ids() == table.order[table.page_size : 2 * table.page_size]
    assert table.pager.value.count(f"/ {len(table.order)}") == 1


def test_clicking_a_row_shows_the_quote_inside_its_paragraph() -> None:
    explorer = _explorer(_build("industry"))
    explorer.view.value = "table"
    table = explorer.table
    fact_id = table.visible_ids()[0]
    table.row_buttons[0].click()
    fact = DS.facts.set_index("fact_id").loc[fact_id]
    assert f"<mark>{ui.esc(fact['quote'])}</mark>" in explorer.source.value
    assert f"data-paragraph='{fact['paragraph_id']}'" in explorer.source.value
    assert explorer.picker.value == fact_id


def test_picking_a_fact_from_the_chart_view_shows_its_source() -> None:
    explorer = _explorer(_build("ecology"))
    explorer.picker.value = "r3-p1.15"
    assert "<mark>2022年第二季度我镇垃圾分类排名全区第一</mark>" in explorer.source.value
    assert "融合发展,城乡建设协调并进" in explorer.source.value  # its section


def test_language_toggle_switches_labels_charts_and_cards() -> None:
    app = _build("industry")
    explorer = _explorer(app)
    toggle = app.briefing_views["toggle"]
    cards = app.briefing_views["cards"]
    assert "2022年主要成绩" in cards.widget.value
    explorer.view.value = "table"
    toggle.value = "en"
    assert "Key results of 2022" in cards.widget.value
    assert "58.7亿元" not in cards.widget.value
    assert "5.87 billion yuan" in cards.widget.value
    assert explorer.part.options[1][0] == "2022 review"
    assert explorer.view.value == "table"  # the view survives the switch
    labels = {r["label"] for c in explorer.charts for r in c.to_dict()["data"]["values"]}
    assert "Newly signed projects" in labels
    assert explorer.table.header[0].description.startswith("Indicator")
    toggle.value = "zh"
    assert "新签约项目" in {
        r["label"] for c in explorer.charts for r in c.to_dict()["data"]["values"]
    }


def test_cards_keep_the_qualifier_visible() -> None:
    app = _build("livelihoods")
    assert "300余万元" in app.briefing_views["cards"].widget.value
    app = _build("reform_governance")
    assert "近2,000万元" in app.briefing_views["cards"].widget.value


def test_overview_lists_main_targets_first_and_links_every_sector() -> None:
    app = _build("overview")
    overview = app.briefing_views["overview"]
    targets = overview.main_targets()
    assert list(targets["fact_id"][:2]) == ["t0-p2.01", "t0-p2.02"]
    assert "地区生产总值增长" in overview.targets.value
    assert "超250亿元" in overview.targets.value
    for info in apps.SECTOR_APPS:
        assert f"href='{info.notebook}'" in overview.counts.value


def test_a_broken_data_folder_gives_a_polite_message(
    data_copy, edit_cell, monkeypatch: pytest.MonkeyPatch
) -> None:
    edit_cell("facts.csv", 2, "value", "abc")
    monkeypatch.setenv("BRIEFING_DATA_DIR", str(data_copy))
    app = apps.sector_app("industry", "en")
    assert "briefing-error" in app.value
    assert "facts.csv, row 2, column &#x27;value&#x27;: not a number" in app.value
    assert "Traceback" not in app.value
    assert str(data_copy) not in app.value


def test_callback_errors_are_shown_politely_and_logged(caplog: pytest.LogCaptureFixture) -> None:
    explorer = _explorer(_build("industry"))

    def broken(_value: object) -> None:
        raise RuntimeError("boom")

    explorer.refresh = broken  # type: ignore[method-assign]
    explorer.part.value = "tasks_2023"
    assert "briefing-error" in explorer.error.value
    assert "boom" not in explorer.error.value
    assert any("boom" in (r.exc_text or "") or r.exc_info for r in caplog.records)


def test_language_from_the_url(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("QUERY_STRING", "lang=en&x=1")
    app = apps.sector_app("ecology")
    assert app.briefing_views["toggle"].value == "en"


def test_unknown_app_fails_loudly() -> None:
    with pytest.raises(KeyError):
        apps.sector_app("tourism")


# --------------------------------------------------------------------------- the story


@pytest.mark.parametrize("name", ["overview", *SECTOR_APPS])
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_every_app_opens_with_three_to_five_claims_built_from_its_data(
    name: str, lang: str
) -> None:
    app = _build(name, lang)
    story = app.briefing_views["story"]
    assert 3 <= len(story.claims) <= 5
    shown = story.html.value
    facts = DS.facts.set_index("fact_id")
    for claim in story.claims:
        assert ui.esc(claim.sentence) in shown
        assert f"data-fact-id='{claim.fact_ids[-1]}'" in shown
        for fact_id in claim.fact_ids:
            assert fact_id in app.briefing_fact_ids
            fact = facts.loc[fact_id]
            # The figure of each fact is in the sentence, as the page writes it.
            from briefing import display, figures

            fact_row = {**fact.to_dict(), "fact_id": fact_id}
            written = (
                figures.rank_text(fact_row, lang)
                if fact["kind"] == "rank"
                else display.value_text(fact_row, lang)
            )
            assert written.lower() in (claim.sentence + claim.figure).lower()


def test_the_industry_story_says_what_was_done_and_what_is_promised() -> None:
    story = _build("industry").briefing_views["story"]
    assert story.claims[0].sentence == "2022年招商引资额58.7亿元，2023年目标超250亿元"
    english = _build("industry", "en").briefing_views["story"]
    assert english.claims[0].sentence == (
        "Investment attracted: 5.87 billion yuan in 2022; 2023 target: over 25 billion yuan"
    )


def test_a_click_reported_by_the_page_shows_the_source_beside_what_was_clicked() -> None:
    app = _build("industry")
    clicks = app.briefing_views["clicks"]
    explorer = _explorer(app)
    story = app.briefing_views["story"]
    # A claim: every fact it rests on, beside the claims.
    clicks.clicked = "t1-p3.01|story|1"
    assert "<mark>累计完成招商引资额58.7亿元</mark>" in story.source.widget.value
    assert "<mark>力争今年招商引资额超250亿元</mark>" in story.source.widget.value
    # A bar of the charts: beside the charts, and the picker follows.
    clicks.clicked = "r1-p1.09||2"
    assert "新签约项目58个" in explorer.source.value
    assert explorer.picker.value == "r1-p1.09"
    # A headline card.
    clicks.clicked = "r1-p1.07|figures|3"
    assert "51个项目成功投产" in app.briefing_views["figure_source"].widget.value
    # The same figure clicked twice is shown again (each click carries its own count).
    explorer.source.value = ""
    clicks.clicked = "r1-p1.09||4"
    assert "新签约项目58个" in explorer.source.value


def test_the_page_language_follows_the_toggle() -> None:
    app = _build("industry")
    clicks = app.briefing_views["clicks"]
    assert (clicks.lang, clicks.title_zh) == ("zh", "产业发展 · 大塘镇2023年政府工作报告")
    app.briefing_views["toggle"].value = "en"
    assert clicks.lang == "en"
    assert clicks.title_en == "Industry · Datang Town 2023 Government Work Report"


def _classes(widget) -> set[str]:
    """Every CSS class in a widget tree."""
    found = set(getattr(widget, "_dom_classes", ()))
    for child in getattr(widget, "children", ()):
        found |= _classes(child)
    return found


def test_an_empty_section_is_not_shown() -> None:
    assert not (DS.facts[DS.facts["sector"] == "ecology"]["part"] == "tasks_2023").any()
    ecology = _build("ecology")
    assert "briefing-section-targets" not in _classes(ecology)
    assert "comparison" not in ecology.briefing_views
    industry = _build("industry")
    assert "briefing-section-targets" in _classes(industry)
    assert industry.briefing_views["comparison"].charts


def test_commitment_deadlines_are_english_on_english_pages() -> None:
    ds = data.load(DATA_DIR)
    english = views.CommitmentList(ds, ds.commitments, "en").widget.value
    assert "as soon as possible" in english
    assert "promptly" in english
    assert "within two years" in english
    for words in ("早日", "尽快", "力争用两年时间", "今年"):
        assert f"Deadline: {words}" not in english
    assert "2024-12-31" not in english
    chinese = views.CommitmentList(ds, ds.commitments, "zh").widget.value
    assert "力争用两年时间" in chinese


def test_the_table_download_says_how_each_target_bounds_its_value() -> None:
    table = views.table_for_download(DS.facts[DS.facts["part"] == "tasks_2023"], "en")
    rows = table.set_index("fact_id")
    assert rows.loc["t1-p4.01", "value"] == 1
    assert rows.loc["t1-p4.01", "comparator"] == "at_least"
    assert rows.loc["t1-p4.01", "Value"] == "at least 1"
    assert rows.loc["t1-p3.01", "comparator"] == "more_than"
    assert (table["value"] != 0).all()


def test_target_cards_show_bounds_never_zero_and_no_distinction_as_a_target() -> None:
    app = _build("industry")
    shown = app.briefing_views["target_cards"].widget.value
    assert "不少于1个" in shown  # 争取实现国家级创新平台零的突破
    assert "佛山唯一" not in shown  # a status stated among the tasks, not a target
    english = _build("industry", "en").briefing_views["target_cards"].widget.value
    assert "at least 1" in english
    assert ">0<" not in shown
    # It stays in the explorer's table, as a distinction.
    assert "t1-p2.05" in set(_explorer(app).facts["fact_id"])


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_source_names_its_place_in_words_never_an_id(lang: str) -> None:
    numbers = places.places_of(DS)
    for fact in frames.records(DS.facts):
        html = views.source_html(DS, fact, lang)
        assert shown_ids(html) == [], html
        label = places.number_label(numbers.number(str(fact["paragraph_id"])), lang)
        assert label in read(html), (label, html)
