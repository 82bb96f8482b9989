"""The report reader without a browser: set a widget's value, check the state that follows."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import ipywidgets as W
import nbformat
import pytest
from nbclient import NotebookClient

from briefing import charts, data, reader, text, ui
from briefing.paths import REPO_DIR
from tests import html_text
from tests.conftest import DATA_DIR

DS = data.load(DATA_DIR)
NOTEBOOK = REPO_DIR / "notebooks" / "05_report_reader.ipynb"
XSS = "<img src=x onerror=alert(1)>"
SCRIPT = "<script>alert(1)</script>"
VEGALITE = charts.VEGALITE_MIME


def _plain(markup: str) -> str:
    """Markup without its tags (the words as read)."""
    return re.sub(r"<[^>]+>", "", markup)


@pytest.fixture
def app() -> reader.ReportReader:
    return reader.build_reader("zh", dataset=DS)


@pytest.fixture(scope="module")
def analysed() -> reader.ReportReader:
    built = reader.build_reader("zh", dataset=DS)
    built.start_analysis(background=False)
    return built


def walk(widget: W.Widget) -> Iterator[W.Widget]:
    yield widget
    for child in getattr(widget, "children", ()):
        yield from walk(child)


def hit_ids(app: reader.ReportReader) -> list[str]:
    return re.findall(r"<li class='[a-z_0-9]+' data-paragraph='([^']+)'", app.hit_list.value)


def spec(output: W.Output) -> dict[str, Any]:
    (entry,) = output.outputs
    assert entry["output_type"] == "display_data"
    result: dict[str, Any] = entry["data"][VEGALITE]
    return result


# --------------------------------------------------------------------------- search


def test_typing_a_phrase_shows_hits_counts_and_marks(app: reader.ReportReader) -> None:
    assert app.summary.value == ""
    app.query_box.value = "养殖池塘"
    assert "「养殖池塘」共出现 2 处,分布在 2 个段落、2 个章节。" in app.summary.value
    assert "2022年工作回顾 1 处 · 2023年工作任务 1 处" in app.summary.value
    assert hit_ids(app) == ["r3-p1", "t2-p3"]
    assert app.hit_list.value.count("<mark>养殖池塘</mark>") == 2
    assert "href='#para-r3-p1'" in app.hit_list.value
    assert "href='#para-t2-p3'" in app.hit_list.value
    assert re.findall(r"data-section='(\w+)'", app.section_counts.value) == ["r3", "t2"]
    assert app.report_html.value.count("<mark>养殖池塘</mark>") == 2
    assert "id='para-r3-p1'" in app.report_html.value


def test_counts_per_section_for_yuanqu(app: reader.ReportReader) -> None:
    app.query_box.value = "园区"
    assert "共出现 10 处,分布在 8 个段落、5 个章节" in app.summary.value
    rows = re.findall(r"data-section='(\w+)'>.*?<td class='n'>(\d+)</td>", app.section_counts.value)
    assert rows == [("r1", "1"), ("r2", "1"), ("r6", "1"), ("t1", "5"), ("t3", "2")]


def test_the_button_and_the_suggestions_run_the_search(app: reader.ReportReader) -> None:
    app.query_box.value = "河涌"
    app.summary.value = ""
    app.search_button.click()
    assert "共出现 2 处" in app.summary.value
    (yanglao,) = [b for b in app.suggestions if b.description == "养老"]
    yanglao.click()
    assert app.query_box.value == "养老"
    assert "「养老」共出现 3 处" in app.summary.value


@pytest.mark.parametrize("payload", [XSS, SCRIPT])
def test_markup_in_the_query_is_shown_as_text(app: reader.ReportReader, payload: str) -> None:
    app.query_box.value = payload
    assert "<img" not in app.summary.value
    assert "<script" not in app.summary.value
    assert "&lt;" in app.summary.value
    assert "没有找到" in app.summary.value
    assert app.hit_list.value == ""
    app.mode_toggle.value = "word"
    assert "<img" not in app.summary.value
    assert "<script" not in app.summary.value


def test_markup_in_the_text_is_escaped() -> None:
    rows = DS.paragraphs.copy()
    rows.loc[rows["paragraph_id"] == "r1-p1", "text"] = f"项目{XSS}项目"
    dataset = data.Dataset(DS.root, DS.text, DS.descriptor, {**DS.tables, "paragraphs": rows})
    app = reader.build_reader("zh", dataset=dataset)
    app.query_box.value = XSS
    assert hit_ids(app) == ["r1-p1"]
    for html in (app.hit_list.value, app.report_html.value):
        assert "<img" not in html
        assert "<mark>&lt;img src=x onerror=alert(1)&gt;</mark>" in html


def test_empty_and_long_queries_are_explained(app: reader.ReportReader) -> None:
    app.query_box.value = "   "
    assert "请输入要查找的词语" in app.summary.value
    assert app.hit_list.value == ""
    app.query_box.value = "园" * (text.MAX_QUERY_CHARS + 5)
    assert "查询太长(最多100个字符,现有105个)" in app.summary.value
    assert app.hit_list.value == ""
    assert "<mark>" not in app.report_html.value


def test_regex_like_queries_are_literal(app: reader.ReportReader) -> None:
    app.query_box.value = ".*"
    assert "没有找到「.*」" in app.summary.value
    app.query_box.value = "("
    assert "共出现 3 处" in app.summary.value
    assert app.error_panel.value == ""


def test_word_mode(app: reader.ReportReader) -> None:
    app.mode_toggle.value = "word"
    app.query_box.value = "园区 企业"
    assert "分词结果:园区 / 企业" in app.summary.value
    assert hit_ids(app) == ["t1-p3", "t3-p2"]
    app.query_box.value = "养老"
    # 养老 is only part of longer words; the phrase search would find it.
    assert "按词语没有找到「养老」;按短语可找到 3 处" in app.summary.value
    app.mode_toggle.value = "phrase"
    assert "「养老」共出现 3 处" in app.summary.value


def test_a_search_shows_the_whole_report_when_hits_are_elsewhere(
    app: reader.ReportReader,
) -> None:
    app.view.value = "t3"
    assert "id='sec-t3'" in app.report_html.value
    assert "id='sec-r1'" not in app.report_html.value
    app.query_box.value = "河涌"  # r3 and t3
    assert app.view.value == reader.ALL
    assert "id='sec-r1'" in app.report_html.value
    app.view.value = "t3"
    assert "href='#para-t3-p1'" in app.hit_list.value
    assert "href='#para-r3-p1'" not in app.hit_list.value
    assert "不在当前显示范围" in app.hit_list.value


def test_the_report_is_navigable_by_part_and_section(app: reader.ReportReader) -> None:
    assert [value for _, value in app.view.options] == [
        reader.ALL,
        "front",
        "review_2022",
        *[f"r{i}" for i in range(7)],
        "tasks_2023",
        *[f"t{i}" for i in range(8)],
    ]
    whole = app.report_html.value
    for paragraph_id in DS.content_paragraphs["paragraph_id"]:
        assert f"id='para-{paragraph_id}'" in whole
    assert "href='#sec-t1'" in app.toc.value
    app.view.value = "tasks_2023"
    sections = re.findall(r"<section class='sec' id='sec-(\w+)'", app.report_html.value)
    assert sections == ["t0", "t1", "t2", "t3", "t4", "t5", "t6", "t7"]


FURNITURE = ("搜索", "网站支持IPv6", "【字号", "IPv6")


def test_the_front_matter_shows_metadata_never_the_web_page_furniture(
    app: reader.ReportReader,
) -> None:
    whole = app.report_html.value
    for word in FURNITURE:
        assert word not in whole
    assert "三水区大塘镇人民政府" in whole
    assert "2023-01-29 16:14:09" in whole
    app.query_box.value = "搜索"
    assert app.hits == []
    app.query_box.value = "IPv6"
    assert app.hits == []
    app.query_box.value = "政府工作报告"  # the title line is metadata, not report text
    assert all(not hit.paragraph_id.startswith("front") for hit in app.hits)
    english = reader.build_reader("en", dataset=DS).report_html.value
    assert "People&#x27;s Government of Datang Town" in english or "People's Government" in english
    assert "【字号" not in english


def test_keywords_never_count_the_furniture(analysed: reader.ReportReader) -> None:
    counted = dict(analysed._term_counts)
    assert counted
    for word in ("搜索", "网站", "字号", "IPv6"):
        assert word not in counted


def test_paragraphs_show_their_facts(app: reader.ReportReader) -> None:
    html = app.report_html.value
    fact = DS.facts.set_index("fact_id").loc["r1-p1.10"]
    assert fact["quote"] == "累计完成招商引资额58.7亿元"
    assert (
        '<span class="briefing-fact" data-fact="r1-p1.10" '
        'title="招商引资额:58.7亿元">累计完成招商引资额58.7亿元</span>'
    ) in html
    assert "<summary>本段数字(" in html
    assert "<li data-fact='r1-p1.10'>招商引资额:58.7亿元</li>" in html
    for fact_id in DS.facts["fact_id"]:
        assert f"data-fact='{fact_id}'" in html
    app.toggle.value = "en"
    html = app.report_html.value
    assert 'title="Investment attracted: 5.87 billion yuan"' in html
    assert "累计完成招商引资额58.7亿元" in html  # the report stays Chinese


# --------------------------------------------------------------------------- what readers see


def html_values(app: reader.ReportReader) -> list[str]:
    return [w.value for w in walk(app.widget) if isinstance(w, W.HTML) and w.value]


def searched(lang: str, query: str, mode: str = "phrase") -> reader.ReportReader:
    """A reader in ``lang`` showing the whole report and the hits of a search."""
    built = reader.build_reader(lang, dataset=DS)
    built.set_query(query, mode)
    assert built.hits
    return built


def test_the_helpers_see_ids_and_chinese_a_reader_would_see() -> None:
    assert html_text.shown_ids("<a href='#para-r1-p1' data-fact='r1-p1.02'>¶1</a>") == []
    assert html_text.shown_ids("<span title='r1-p1.02 · x'>a</span>") == ["r1-p1.02"]
    assert html_text.shown_ids("<b>c1-03</b> t0-h0 r1-h p001") == ["c1-03", "t0-h0", "r1-h", "p001"]
    assert html_text.chinese_outside_quotes("<p lang='zh-CN'>项目<b>园区</b></p>“养老”") == []
    assert html_text.chinese_outside_quotes("<p>Found in 园区</p>") == ["园区"]
    assert html_text.chinese_outside_quotes("<i title='项目'>x</i>") == ["项目"]


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("mode", ["phrase", "word"])
def test_readers_see_places_never_internal_ids(lang: str, mode: str) -> None:
    app = searched(lang, "项目", mode)
    values = html_values(app)
    for html in values:
        assert html_text.shown_ids(html) == [], html_text.shown_ids(html)[:5]
    # The ids stay where machines need them: anchors, links and data attributes.
    assert "id='para-r1-p1'" in app.report_html.value
    assert "href='#para-r1-p1'" in app.hit_list.value
    assert "data-fact='r1-p1.10'" in app.report_html.value
    where = "「综合施策,经济运行平稳向好」第1段"
    if lang == "en":
        where = "“Coordinated measures: a steady, improving economy”, paragraph 1"
    assert f"title='{ui.esc(where)}'" in app.report_html.value
    hit_where = re.search(r"data-paragraph='r1-p1'><div class='where'>([^<]*)<", app.hit_list.value)
    assert hit_where is not None
    assert ("paragraph 1" if lang == "en" else "第1段") in hit_where.group(1)


@pytest.mark.parametrize("mode", ["phrase", "word"])
def test_english_shows_chinese_only_as_the_reports_words_or_quoted(mode: str) -> None:
    app = searched("en", "园区", mode)
    for html in html_values(app):
        assert html_text.chinese_outside_quotes(html) == [], html[:300]
    # The report's own words are there, marked as Chinese.
    assert "<span lang='zh-CN'>" in app.report_html.value
    assert "<div class='snippet' lang='zh-CN'>" in app.hit_list.value


# --------------------------------------------------------------------------- language


def test_the_language_toggle_switches_every_label(app: reader.ReportReader) -> None:
    app.query_box.value = "养殖池塘"
    labels_zh = (app.search_button.description, app.mode_toggle.options, app.view.options[0])
    app.toggle.value = "en"
    assert app.search_button.description == "Search"
    assert [label for label, _ in app.mode_toggle.options] == ["Phrase", "Words (segmented)"]
    assert app.mode_toggle.value == "phrase"
    assert app.view.options[0] == ("Whole report", reader.ALL)
    assert app.query_box.placeholder.startswith("A word or phrase")
    assert "Search the report" in app.search_heading.value
    assert "Keyword analysis" in app.keywords_heading.value
    assert (
        "The full text: read, search, and analyse its vocabulary (the report is in Chinese)"
        in app.title.value
    )
    assert "“养殖池塘” occurs 2 times in 2 paragraphs across 2 sections." in _plain(
        app.summary.value
    )
    # The query is the report's language on an English page.
    assert "<span lang='zh-CN'>养殖池塘</span>" in app.summary.value
    assert "Integrated development" in app.hit_list.value
    assert app.query_box.value == "养殖池塘"
    app.toggle.value = "zh"
    assert (app.search_button.description, app.mode_toggle.options, app.view.options[0]) == (
        labels_zh
    )


def test_english_counts_read_naturally(app: reader.ReportReader) -> None:
    app.toggle.value = "en"
    app.query_box.value = "数字化转型"
    assert "“数字化转型” occurs 1 time in 1 paragraph across 1 section." in _plain(
        app.summary.value
    )


# --------------------------------------------------------------------------- keywords


def test_keyword_charts(analysed: reader.ReportReader) -> None:
    whole = spec(analysed.chart_all)
    rows = whole["data"]["values"]
    assert len(rows) == reader.TOP_TERMS
    assert rows[:3] == [
        {"term": "大塘", "count": 48},
        {"term": "建设", "count": 44},
        {"term": "项目", "count": 29},
    ]
    assert whole["encoding"]["y"]["sort"] == [row["term"] for row in rows]
    assert whole["encoding"]["y"]["axis"]["labelAngle"] == 0
    assert "Noto Sans CJK SC" in whole["config"]["font"]
    assert whole["config"]["axis"]["labelAngle"] == 0
    parts = spec(analysed.chart_parts)
    assert [chart["title"] for chart in parts["hconcat"]] == ["2022年工作回顾", "2023年工作任务"]
    assert parts["hconcat"][0]["data"]["values"][0] == {"term": "大塘", "count": 29}
    assert parts["hconcat"][1]["data"]["values"][0] == {"term": "建设", "count": 34}
    assert analysed.keywords_status.value == ""
    assert not analysed.term_picker.disabled


def test_choosing_a_term_searches_for_it(analysed: reader.ReportReader) -> None:
    assert ("项目(29)", "项目") in analysed.term_picker.options
    assert ("排名(6)", "排名") in analysed.term_picker.options  # in the 2022 chart only
    analysed.term_picker.value = "项目"
    assert analysed.query_box.value == "项目"
    assert analysed.mode_toggle.value == "word"
    assert "「项目」共出现 29 处" in analysed.summary.value
    analysed.query_box.value = "河涌"
    assert analysed.term_picker.value == ""
    analysed.mode_toggle.value = "phrase"


def test_charts_follow_the_language(analysed: reader.ReportReader) -> None:
    analysed.toggle.value = "en"
    try:
        whole = spec(analysed.chart_all)
        assert whole["title"] == "Most frequent terms, whole report (top 20)"
        assert whole["encoding"]["x"]["title"] == "Occurrences"
        assert [c["title"] for c in spec(analysed.chart_parts)["hconcat"]] == [
            "2022 review",
            "2023 tasks",
        ]
        assert analysed.term_picker.options[0] == ("— pick a term —", "")
    finally:
        analysed.toggle.value = "zh"


def test_analysis_runs_once_and_in_the_background() -> None:
    app = reader.build_reader("zh", dataset=DS)
    assert app.term_picker.disabled
    assert "正在分词统计" in app.keywords_status.value
    app.start_analysis(background=True)
    app.start_analysis(background=True)
    import threading

    for thread in threading.enumerate():
        if thread.name == "briefing-reader-keywords":
            thread.join(60)
    assert app.frequencies is not None
    assert spec(app.chart_all)["data"]["values"][0] == {"term": "大塘", "count": 48}


# --------------------------------------------------------------------------- the app


def test_query_parameters_pre_run_a_search(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("QUERY_STRING", "lang=en&q=%E6%B2%B3%E6%B6%8C&mode=word")
    widget = reader.reader_app()
    html = " ".join(str(getattr(w, "value", "")) for w in walk(widget))
    assert "“河涌” occurs 2 times" in _plain(html)
    assert "Words searched: “河涌”" in html
    assert any(isinstance(w, W.ToggleButtons) and w.value == "word" for w in walk(widget))


def test_a_failing_search_shows_a_short_message(
    app: reader.ReportReader, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(*_args: object, **_kwargs: object) -> None:
        raise RuntimeError("boom")

    monkeypatch.setattr(text, "search", broken)
    app.query_box.value = "园区"
    assert "briefing-error" in app.error_panel.value
    assert "boom" not in app.error_panel.value
    assert "Traceback" not in app.error_panel.value


def test_a_broken_lexicon_shows_where(data_copy: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (data_copy / text.TERMS_FILE).write_text("高质量发展\n元宇宙\n", encoding="utf-8")
    monkeypatch.setenv("BRIEFING_DATA_DIR", str(data_copy))
    monkeypatch.delenv("QUERY_STRING", raising=False)
    widget = reader.reader_app("zh")
    assert isinstance(widget, W.HTML)
    assert "briefing-error" in widget.value
    assert "text/policy_terms.txt, row 2" in widget.value


@pytest.mark.slow
def test_the_notebook_executes_and_draws_the_charts() -> None:
    notebook = nbformat.read(NOTEBOOK, as_version=4)
    code = [cell for cell in notebook.cells if cell.cell_type == "code"]
    assert [cell.source for cell in code] == [
        "from briefing.reader import reader_app\n\nreader_app()"
    ]
    # A second cell, in this copy only, waits for the keyword analysis started in the kernel,
    # then sends the app's widgets again. nbclient records only messages whose parent is the
    # cell it is running, and charts drawn by the analysis thread between the two cells carry
    # the first cell as parent, after it finished (a browser takes every message).
    notebook.cells.append(
        nbformat.v4.new_code_cell(
            "import threading\n"
            "app = _\n"
            "for t in threading.enumerate():\n"
            "    if t.name == 'briefing-reader-keywords':\n"
            "        t.join(90)\n"
            "def resend(widget):\n"
            "    widget.send_state([k for k in widget.keys if k != 'msg_id'])\n"
            "    for child in getattr(widget, 'children', ()):\n"
            "        resend(child)\n"
            "resend(app)"
        )
    )
    client = NotebookClient(
        notebook,
        timeout=120,
        kernel_name="python3",
        resources={"metadata": {"path": str(NOTEBOOK.parent)}},
    )
    client.execute()
    outputs = [out for cell in notebook.cells for out in cell.get("outputs", [])]
    assert not [out for out in outputs if out["output_type"] in ("error", "stream")], outputs
    state = notebook.metadata["widgets"]["application/vnd.jupyter.widget-state+json"]["state"]
    models = [model["state"] for model in state.values()]
    html = " ".join(str(model.get("value", "")) for model in models)
    assert "id='para-r1-p1'" in html
    assert "class='briefing-error'" not in html
    charts = [
        out
        for model in models
        if model.get("_model_name") == "OutputModel"
        for out in model.get("outputs", [])
        if VEGALITE in out.get("data", {})
    ]
    assert len(charts) == 2
