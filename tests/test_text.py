"""Search, term frequencies, HTML highlighting and the lexicon files, on known passages."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import pytest

from briefing import data, text
from briefing.errors import DataError
from tests.conftest import DATA_DIR

DS = data.load(DATA_DIR)
PARAS = DS.paragraphs
CONTENT = PARAS[PARAS["role"].isin(text.CONTENT_ROLES)]
XSS = "<img src=x onerror=alert(1)>"


@pytest.fixture(scope="module")
def seg() -> text.Segmenter:
    return text.get_segmenter(DATA_DIR)


def spans_text(paragraph_id: str, spans: tuple[text.Span, ...]) -> list[str]:
    body = DS.paragraph_text(paragraph_id)
    return [body[start:end] for start, end in spans]


# --------------------------------------------------------------------------- phrase search


def test_xiangmu_occurs_18_times_in_r1_p1() -> None:
    # Counted by hand: 项目建设, 成立项目, 重点项目, 宏大金谷项目, 白云科技项目, 31个项目,
    # 超亿元项目11个, 51个项目, 超亿元项目8个, 大塘项目建设, 新签约项目, 超1亿元项目,
    # 超5亿元项目, 超20亿元项目, 提升项目, 村改项目4个, 村改项目成为, 收储项目.
    hits = {hit.paragraph_id: hit for hit in text.search(PARAS, "项目")}
    hit = hits["r1-p1"]
    assert hit.count == 18
    assert hit.spans[:2] == ((0, 2), (11, 13))  # "项目建设量质并举。成立项目..."
    assert set(spans_text("r1-p1", hit.spans)) == {"项目"}
    assert (hit.section_id, hit.part) == ("r1", "review_2022")


def test_yangzhi_chitang_is_in_r3_and_t2() -> None:
    hits = text.search(PARAS, "养殖池塘")
    assert [hit.paragraph_id for hit in hits] == ["r3-p1", "t2-p3"]
    assert text.counts_by_section(hits) == {"r3": 1, "t2": 1}
    assert text.counts_by_part(hits) == {"review_2022": 1, "tasks_2023": 1}


def test_yuanqu_counts_by_section() -> None:
    # r1 完成园区一期; r2 双碳示范园区; r6 园区发展能级; t1 3.0升级版园区, 为园区开发建设,
    # 完成园区产业规划, 示范园区, 融入园区; t3 鼓励园区企业, 产业园区.
    hits = text.search(PARAS, "园区")
    assert text.counts_by_section(hits) == {"r1": 1, "r2": 1, "r6": 1, "t1": 5, "t3": 2}


def test_phrase_offsets_point_at_the_phrase() -> None:
    for hit in text.search(PARAS, "河涌"):
        assert spans_text(hit.paragraph_id, hit.spans) == ["河涌"] * hit.count
    assert [(h.paragraph_id, h.spans) for h in text.search(PARAS, "3.0")] == [
        ("r3-p1", ((679, 682),)),  # 3.04
        ("t1-p1", ((38, 41),)),  # 3.0升级版园区
    ]


def test_letters_match_in_any_case() -> None:
    assert [h.paragraph_id for h in text.search(PARAS, "co2")] == ["r2-p1", "t1-p2"]


@pytest.mark.parametrize("query", ["", "   ", "\t\n", "\u3000"])
def test_empty_queries_find_nothing(query: str) -> None:
    assert text.search(PARAS, query) == []
    assert text.search(PARAS, query, "word") == []


def test_long_queries_are_refused() -> None:
    assert text.search(PARAS, "园" * text.MAX_QUERY_CHARS) == []
    with pytest.raises(text.QueryTooLong) as info:
        text.search(PARAS, "园" * (text.MAX_QUERY_CHARS + 1))
    assert info.value.length == text.MAX_QUERY_CHARS + 1
    assert text.clean_query("  " + "园" * text.MAX_QUERY_CHARS + "  ") == "园" * 100


def test_queries_are_literal_not_patterns() -> None:
    assert text.search(PARAS, ".*") == []
    assert text.search(PARAS, "[") == []
    assert text.search(PARAS, "\\d+") == []
    # The report has three ASCII parentheses: 大岗路(永平路..., 规划(修编), 大岗路(新永大路...
    assert [(h.paragraph_id, h.spans) for h in text.search(PARAS, "(")] == [
        ("r3-p1", ((44, 45),)),
        ("t2-p1", ((27, 28), (183, 184))),
    ]
    rows = [{"paragraph_id": "x-p1", "section_id": "x", "part": "p", "text": "abc a.c a.*c"}]
    assert text.search(rows, "a.c")[0].spans == ((4, 7),)
    assert text.search(rows, ".*")[0].spans == ((9, 11),)
    assert text.search(PARAS, XSS) == []


def test_unknown_mode_is_an_error() -> None:
    with pytest.raises(ValueError, match="mode"):
        text.search(PARAS, "园区", "regex")  # type: ignore[arg-type]


# --------------------------------------------------------------------------- word search


def test_word_search_matches_whole_words(seg: text.Segmenter) -> None:
    hits = text.search(PARAS, "园区", "word", segmenter=seg)
    # Not inside 示范园区 (r2, t1-p2) nor 产业园区 (t3-p3): those are words of their own.
    assert text.counts_by_section(hits) == {"r1": 1, "r6": 1, "t1": 4, "t3": 1}
    phrase = text.search(PARAS, "项目")
    word = text.search(PARAS, "项目", "word", segmenter=seg)
    # r1-p1 loses 项目建设 (twice) and 重点项目: dictionary terms, cut as one word each.
    assert {h.paragraph_id: h.count for h in word}["r1-p1"] == 15
    assert sum(h.count for h in word) == 29 < sum(h.count for h in phrase) == 36


def test_word_search_needs_every_word(seg: text.Segmenter) -> None:
    assert seg.query_words("园区 企业") == ["园区", "企业"]
    hits = text.search(PARAS, "园区 企业", "word", segmenter=seg)
    assert [h.paragraph_id for h in hits] == ["t1-p3", "t3-p2"]
    for hit in hits:
        assert set(spans_text(hit.paragraph_id, hit.spans)) == {"园区", "企业"}
    assert text.search(PARAS, "园区 企业", "phrase") == []


def test_word_search_uses_the_dictionary(seg: text.Segmenter) -> None:
    assert seg.query_words("数字化转型,园区") == ["数字化转型", "园区"]
    hits = text.search(PARAS, "数字化转型", "word", segmenter=seg)
    assert [(h.paragraph_id, spans_text(h.paragraph_id, h.spans)) for h in hits] == [
        ("t1-p2", ["数字化转型"])
    ]
    # 养老 only stands inside 养老机构 and 居家养老, dictionary terms: no whole word.
    assert text.search(PARAS, "养老", "word", segmenter=seg) == []
    assert len(text.search(PARAS, "养老")) == 2
    # 河涌 is its own word before 入河排污口 too (that term is in the dictionary).
    assert [h.paragraph_id for h in text.search(PARAS, "河涌", "word", segmenter=seg)] == [
        "r3-p1",
        "t3-p1",
    ]


def test_word_search_of_punctuation_only_finds_nothing(seg: text.Segmenter) -> None:
    assert text.search(PARAS, ",。", "word", segmenter=seg) == []
    assert text.search(PARAS, XSS, "word", segmenter=seg) == []


# --------------------------------------------------------------------------- frequencies


def test_top_terms_of_the_report(seg: text.Segmenter) -> None:
    top = text.term_frequencies(PARAS, top=5, segmenter=seg)
    # Checked against substring counts over headings and body: 大塘 49 minus one 大/塘村
    # split; 建设 53 minus 9 inside terms (项目建设 2, 工程建设 2, 建设用地, 城乡建设, ...);
    # 项目 36 minus 7; 发展 39 minus 16 (高质量发展 7, 大力发展 3, ...); 企业 24 minus 6.
    assert top == [("大塘", 48), ("建设", 44), ("项目", 29), ("发展", 23), ("企业", 18)]


def test_top_terms_of_each_part(seg: text.Segmenter) -> None:
    review = text.term_frequencies(PARAS, "review_2022", top=3, segmenter=seg)
    tasks = text.term_frequencies(PARAS, "tasks_2023", top=3, segmenter=seg)
    assert review == [("大塘", 29), ("项目", 23), ("发展", 10)]
    assert tasks == [("建设", 34), ("大塘", 19), ("企业", 15)]
    whole = dict(text.term_frequencies(PARAS, top=None, segmenter=seg))
    review_all = dict(text.term_frequencies(PARAS, "review_2022", top=None, segmenter=seg))
    tasks_all = dict(text.term_frequencies(PARAS, "tasks_2023", top=None, segmenter=seg))
    for term in ("大塘", "建设", "项目"):
        assert whole[term] == review_all.get(term, 0) + tasks_all.get(term, 0)


def test_dictionary_terms_are_counted_whole(seg: text.Segmenter) -> None:
    whole = dict(text.term_frequencies(PARAS, top=None, segmenter=seg))
    assert whole["高质量发展"] == 7  # r0, r6 twice, t0 twice, t2, t7
    assert whole["招商引资"] == 3
    assert whole["养殖池塘"] == 2


def test_frequencies_drop_stopwords_numerals_punctuation_and_single_characters(
    seg: text.Segmenter,
) -> None:
    terms = dict(text.term_frequencies(PARAS, top=None, segmenter=seg))
    assert not set(terms) & seg.lexicon.stopwords
    assert "我们" not in terms
    assert "进一步" not in terms
    assert all(len(term) > 1 for term in terms)
    assert not [t for t in terms if t.replace(".", "").replace("%", "").isdigit()]
    assert "CO2" in terms  # letters and digits together are a term


def test_frequencies_agree_with_word_search(seg: text.Segmenter) -> None:
    for term, count in text.term_frequencies(PARAS, top=20, segmenter=seg):
        hits = text.search(CONTENT, term, "word", segmenter=seg)
        assert sum(hit.count for hit in hits) == count, term


def test_ties_keep_the_order_of_first_appearance(seg: text.Segmenter) -> None:
    rows = [{"part": "p", "role": "body", "text": "河涌整治。园区建设。园区整治,河涌建设。"}]
    assert text.term_frequencies(rows, top=None, segmenter=seg) == [
        ("河涌", 2),
        ("整治", 2),
        ("园区", 2),
        ("建设", 2),
    ]


# --------------------------------------------------------------------------- HTML


class _Checker(HTMLParser):
    """Collect start tags and check that every element is closed in order."""

    def __init__(self) -> None:
        super().__init__()
        self.stack: list[str] = []
        self.tags: list[tuple[str, dict[str, str | None]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))
        self.stack.append(tag)

    def handle_endtag(self, tag: str) -> None:
        assert self.stack
        assert self.stack.pop() == tag


def parse(markup: str) -> _Checker:
    checker = _Checker()
    checker.feed(markup)
    checker.close()
    assert checker.stack == []
    return checker


def test_highlight_escapes_text_and_query() -> None:
    body = f"注意{XSS}结束"
    spans = text.find_phrase(body, XSS)
    assert spans == [(2, 2 + len(XSS))]
    out = text.highlight(body, spans)
    assert out == "注意<mark>&lt;img src=x onerror=alert(1)&gt;</mark>结束"
    assert [tag for tag, _ in parse(out).tags] == ["mark"]
    assert text.highlight(XSS, []) == "&lt;img src=x onerror=alert(1)&gt;"
    script = "<script>alert(1)</script>"
    assert "<script" not in text.highlight(script, text.find_phrase(script, "alert"))


def test_highlight_merges_overlapping_and_clips_spans() -> None:
    assert text.highlight("abcdef", [(1, 3), (2, 4), (5, 99), (-4, 0)]) == (
        "a<mark>bcd</mark>e<mark>f</mark>"
    )


def test_annotate_nests_overlapping_notes_and_marks() -> None:
    body = "逸华等31个项目顺利动工,其中超亿元项目11个"
    first = text.Note(0, 11, 'a "b" <c>', "f1")
    second = text.Note(3, len(body), "second", "f2")
    out = text.annotate(body, [(6, 8), (18, 20)], [first, second])
    checker = parse(out)
    titles = [attrs.get("title") for tag, attrs in checker.tags if tag == "span"]
    assert titles == ['a "b" <c>', 'a "b" <c>\nsecond', "second"]
    assert 'title="a &quot;b&quot; &lt;c&gt;"' in out
    assert [attrs.get("data-fact") for tag, attrs in checker.tags if tag == "span"] == [
        "f1",
        "f1 f2",
        "f2",
    ]
    assert out.count("<mark>") == 2


def test_snippets_show_context_with_ellipses() -> None:
    body = DS.paragraph_text("r3-p1")
    hit = text.search(PARAS, "养殖池塘")[0]
    assert (
        text.snippets(body, hit.spans, width=6) == "…区第一。全域<mark>养殖池塘</mark>改造提升完成…"
    )
    assert text.snippets(body, []) == ""


# --------------------------------------------------------------------------- lexicon files


def test_the_project_lexicon_is_valid() -> None:
    lexicon = text.load_lexicon(DATA_DIR)
    assert len(lexicon.terms) >= 100
    for term in ("高质量发展", "制造业当家", "佛北战新产业园", "养殖池塘", "河长制", "碳达峰"):
        assert term in lexicon.terms
    for word in ("我们", "进一步", "全面", "加快", "推动", "坚持", "深入", "持续", "加强"):
        assert word in lexicon.stopwords
    assert all(term in DS.text for term in lexicon.terms)
    assert not set(lexicon.terms) & lexicon.stopwords


def write(tmp_path: Path, name: str, content: str | bytes) -> Path:
    path = tmp_path / name
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("content", "row", "message"),
    [
        ("高质量发展\n乡村振兴\n高质量发展\n", 3, "duplicate '高质量发展' (first on line 1)"),
        ("高质量发展\n\n乡村振兴\n", 2, "blank line"),
        ("高质量发展\n乡村振兴 \n", 2, "leading or trailing spaces"),
        ("高质量发展 5 n extra\n", 1, "expected 'term'"),
        ("高质量发展 0\n", 1, "frequency 0"),
        ("能耗“双控”\n", 1, "characters the segmenter splits on"),
    ],
)
def test_broken_dictionary_lines_are_reported(
    tmp_path: Path, content: str, row: int, message: str
) -> None:
    path = write(tmp_path, "policy_terms.txt", content)
    with pytest.raises(DataError) as info:
        text.read_dictionary(path)
    assert info.value.file == text.TERMS_FILE
    assert info.value.row == row
    assert message in info.value.message


def test_dictionary_format_with_frequency_and_tag(tmp_path: Path) -> None:
    path = write(tmp_path, "policy_terms.txt", "高质量发展 20 n\n乡村振兴 8\n河长制\n")
    assert text.read_dictionary(path) == [
        text.DictionaryEntry("高质量发展", 20, "n"),
        text.DictionaryEntry("乡村振兴", 8, None),
        text.DictionaryEntry("河长制", None, None),
    ]


@pytest.mark.parametrize(
    ("content", "row", "message"),
    [
        ("我们\n进一步\n我们\n", 3, "duplicate"),
        ("我们\n\n进一步\n", 2, "blank line"),
        ("我们 进一步\n", 1, "one word per line"),
    ],
)
def test_broken_stopword_lines_are_reported(
    tmp_path: Path, content: str, row: int, message: str
) -> None:
    path = write(tmp_path, "stopwords.txt", content)
    with pytest.raises(DataError) as info:
        text.read_stopwords(path)
    assert (info.value.file, info.value.row) == (text.STOPWORDS_FILE, row)
    assert message in info.value.message


@pytest.mark.parametrize("content", [b"", b"\xef\xbb\xbf\xe6\x88\x91\xe4\xbb\xac\n", b"\xff\xfe\n"])
def test_empty_bom_or_non_utf8_files_are_reported(tmp_path: Path, content: bytes) -> None:
    path = write(tmp_path, "stopwords.txt", content)
    with pytest.raises(DataError):
        text.read_stopwords(path)


def test_terms_must_occur_in_the_report_and_not_be_stopwords() -> None:
    entries = [text.DictionaryEntry("高质量发展"), text.DictionaryEntry("元宇宙")]
    with pytest.raises(DataError) as info:
        text.validate_lexicon(entries, ["我们"], DS.text)
    assert info.value.row == 2
    assert "'元宇宙' does not occur in the report" in str(info.value)
    with pytest.raises(DataError) as info:
        text.validate_lexicon(entries[:1], ["我们", "高质量发展"], DS.text)
    assert (info.value.file, info.value.row) == (text.TERMS_FILE, 1)
    assert "also listed in text/stopwords.txt" in info.value.message


def test_a_broken_lexicon_in_the_data_folder_is_reported(data_copy: Path) -> None:
    (data_copy / text.STOPWORDS_FILE).write_text("我们\n高质量发展\n", encoding="utf-8")
    with pytest.raises(DataError, match="also listed"):
        text.get_segmenter(data_copy)
    (data_copy / text.TERMS_FILE).unlink()
    with pytest.raises(DataError, match="file is missing"):
        text.load_lexicon(data_copy)


# --------------------------------------------------------------------------- segmenter


def test_segmenter_is_private_and_quiet(capfd: pytest.CaptureFixture[str]) -> None:
    segmenter = text.Segmenter(text.load_lexicon(DATA_DIR))
    assert not segmenter.ready
    assert segmenter.words("佛北战新产业园大塘新材料产业园") == [
        "佛北战新产业园",
        "大塘",
        "新材料产业园",
    ]
    assert segmenter.ready
    captured = capfd.readouterr()
    assert "prefix dict" not in captured.err + captured.out
    import jieba

    assert "佛北战新产业园" not in jieba.dt.FREQ  # the global tokenizer is untouched


def test_importing_text_and_reader_is_cheap() -> None:
    code = (
        "import sys, briefing.text, briefing.reader; "
        "print(sorted(m for m in ('jieba', 'altair', 'pandas') if m in sys.modules))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60
    )
    assert result.stdout.strip() == "[]"


# --------------------------------------------------------------------------- segment store


def _paragraph_texts() -> list[str]:
    return list(data.load(DATA_DIR).paragraphs["text"])[:40]


def test_segmentations_are_kept_on_disk_and_reused_without_loading_jieba(tmp_path: Path) -> None:
    lexicon = text.load_lexicon(DATA_DIR)
    store = tmp_path / "segments.json"
    first = text.Segmenter(lexicon, store)
    expected = [first.tokens(t) for t in _paragraph_texts()]
    assert first.ready
    assert first.save() is True
    assert first.save() is False  # nothing new to keep
    second = text.Segmenter(lexicon, store)
    assert [second.tokens(t) for t in _paragraph_texts()] == expected
    assert not second.ready  # every paragraph came from the store
    assert second.words("大塘镇新的一句话") == first.words("大塘镇新的一句话")
    assert second.ready  # an unseen text needs jieba


def test_the_store_follows_the_lexicon(data_copy: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(text.CACHE_ENV, str(data_copy.parent / "cache"))
    before = text.get_segmenter(data_copy)
    assert before.store is not None
    assert before.store.parent == data_copy.parent / "cache"
    terms = data_copy / text.TERMS_FILE
    lines = terms.read_text(encoding="utf-8").splitlines()
    lines[0] = f"{lines[0].split()[0]} 5"  # the same term, another frequency
    terms.write_text("\n".join(lines) + "\n", encoding="utf-8")
    after = text.get_segmenter(data_copy)
    assert after.store is not None
    assert after.store != before.store


def test_a_damaged_store_is_ignored_and_replaced(tmp_path: Path) -> None:
    store = tmp_path / "segments.json"
    store.write_text('{"大塘": [["大", 0', encoding="utf-8")  # cut short
    segmenter = text.Segmenter(text.load_lexicon(DATA_DIR), store)
    tokens = segmenter.tokens("大塘镇")
    assert "".join(word for word, _, _ in tokens) == "大塘镇"
    assert segmenter.save() is True
    assert json.loads(store.read_text(encoding="utf-8")) == {"大塘镇": [list(t) for t in tokens]}


def test_a_store_that_cannot_be_written_is_no_error(tmp_path: Path) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("", encoding="utf-8")
    segmenter = text.Segmenter(text.load_lexicon(DATA_DIR), blocker / "segments.json")
    segmenter.tokens("大塘镇")
    assert segmenter.save() is False
    assert list(tmp_path.iterdir()) == [blocker]  # nothing half-written left behind


def test_a_second_reader_counts_the_report_without_jieba(tmp_path: Path) -> None:
    code = (
        "import sys\n"
        "from briefing import reader\n"
        "app = reader.build_reader('zh')\n"
        "app.start_analysis(background=False)\n"
        "print(app.frequencies is not None, app.segmenter.ready)"
    )
    env = {**os.environ, text.CACHE_ENV: str(tmp_path)}
    runs = [
        subprocess.run(
            [sys.executable, "-c", code], capture_output=True, text=True, timeout=120, env=env
        )
        for _ in range(2)
    ]
    assert [r.returncode for r in runs] == [0, 0], runs[-1].stderr
    assert runs[0].stdout.split() == ["True", "True"]  # the first one segments with jieba
    assert runs[1].stdout.split() == ["True", "False"]  # the second reads what it kept


def test_only_the_texts_asked_for_are_kept(tmp_path: Path) -> None:
    store = tmp_path / "segments.json"
    segmenter = text.Segmenter(text.load_lexicon(DATA_DIR), store)
    paragraph, query = _paragraph_texts()[3], "养老服务"
    segmenter.tokens(paragraph)
    segmenter.tokens(query)
    assert segmenter.save([paragraph, "一段没有分过词的文字"]) is True
    assert list(json.loads(store.read_text(encoding="utf-8"))) == [paragraph]
