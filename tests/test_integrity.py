"""Integrity of the dataset against the report: the point of the whole data layer.

Each fact is checked on its own (one test case per fact) so a failure names the fact.
"""

from __future__ import annotations

import json
import re

import frictionless
import pytest

from briefing import data, display, numbers, report, vocab
from tests.conftest import DATA_DIR

DS = data.load(DATA_DIR)
FACTS = DS.facts.to_dict("records")
CJK = re.compile(r"[\u3400-\u9fff]")


def _paragraph(paragraph_id: str) -> str:
    return DS.paragraph_text(paragraph_id)


@pytest.mark.parametrize("fact", FACTS, ids=[f["fact_id"] for f in FACTS])
def test_fact_is_grounded_in_the_report(fact: dict[str, object]) -> None:
    quote = str(fact["quote"])
    paragraph = _paragraph(str(fact["paragraph_id"]))
    assert quote in paragraph
    assert quote in DS.text
    assert numbers.mentions_value(quote, float(fact["value"]))  # type: ignore[arg-type]
    if fact["qualifier"]:
        assert str(fact["qualifier"]) in quote
    if fact["kind"] == "rank":
        assert str(fact["scope"]) in quote
        assert fact["unit"] == "名"


def test_every_number_of_the_report_is_a_fact_or_excluded() -> None:
    assert data.uncovered_numbers(DS) == []


def test_scanner_really_finds_numbers_that_are_not_covered(tmp_path: object) -> None:
    # Drop one fact and its number must come back as uncovered: the check can fail.
    facts = DS.facts[DS.facts["fact_id"] != "r5-p1.03"]
    trimmed = data.Dataset(DS.root, DS.text, DS.descriptor, {**DS.tables, "facts": facts})
    assert [u.text for u in data.uncovered_numbers(trimmed)] == ["350"]


def test_exclusions_stay_short_and_do_not_hide_facts() -> None:
    excluded = DS.excluded_numbers
    assert len(excluded) <= 60
    assert excluded["context"].is_unique
    quotes = " ".join(DS.facts["quote"])
    for context in excluded["context"]:
        # An exclusion that sat inside a fact's quote would be pointless or a hidden fact.
        assert context not in quotes, context


def test_paragraphs_csv_is_in_sync_with_the_report() -> None:
    rebuilt = report.paragraphs_csv(report.build_from_folder(DATA_DIR / "report"))
    assert (DATA_DIR / "report" / "paragraphs.csv").read_text(encoding="utf-8") == rebuilt


def test_report_is_kept_verbatim() -> None:
    text = (DATA_DIR / "report" / "report.txt").read_text(encoding="utf-8")
    assert "发布时间:2023-01-29 16:14:09 来源:本网-三水区大塘镇人民政府" in text
    assert len(text) == 8592


def test_structure_has_both_parts_and_six_task_areas() -> None:
    sections = DS.sections
    assert list(sections[sections["part"] == "review_2022"]["section_id"]) == [
        f"r{i}" for i in range(7)
    ]
    headings = DS.paragraphs[DS.paragraphs["role"] == "heading"]["text"]
    assert [h[:2] for h in headings if h[1] == "、"] == [
        "一、",
        "二、",
        "三、",
        "四、",
        "五、",
        "六、",
    ]


def test_english_columns_hold_no_chinese() -> None:
    for frame, columns in (
        (DS.facts, ["indicator_en"]),
        (DS.projects, ["name_en"]),
        (DS.commitments, ["title_en"]),
        (DS.sections, ["title_en"]),
        (DS.topics, ["label_en"]),
        (DS.excluded_numbers, ["reason_en"]),
    ):
        for column in columns:
            bad = [v for v in frame[column] if CJK.search(v)]
            assert bad == [], (column, bad[:3])


def test_every_2023_target_is_linked_from_a_commitment() -> None:
    # A distinction stated among the tasks (佛山唯一精细化工专区) is a status, not a target.
    tasks = DS.facts[(DS.facts["part"] == "tasks_2023") & (DS.facts["kind"] != "distinction")]
    linked = set(DS.commitments["target_fact_id"]) - {""}
    assert set(tasks["fact_id"]) - linked == set()
    targets = DS.facts.set_index("fact_id").loc[sorted(linked)]
    assert set(targets["kind"]) & {"distinction"} == set()


def test_project_and_commitment_quotes_stand_in_their_paragraphs() -> None:
    for frame in (DS.projects, DS.commitments):
        for quote, paragraph_id in zip(frame["quote"], frame["paragraph_id"], strict=True):
            assert quote in _paragraph(paragraph_id)
    assert set(DS.commitments["paragraph_id"].str[0]) == {"t"}


def test_related_facts_pair_a_2023_target_with_a_2022_result() -> None:
    facts = DS.facts.set_index("fact_id")
    for fact_id, related in facts["related_fact_id"].items():
        if related:
            assert facts.loc[fact_id, "part"] == "tasks_2023"
            assert facts.loc[related, "part"] == "review_2022"


def test_descriptor_describes_every_column() -> None:
    descriptor = json.loads((DATA_DIR / "datapackage.json").read_text(encoding="utf-8"))
    for resource in descriptor["resources"]:
        for field in resource.get("schema", {}).get("fields", []):
            assert field.get("title"), (resource["name"], field)
            assert field.get("description"), (resource["name"], field)
    source = descriptor["sources"][0]
    assert source["publisher"].startswith("三水区大塘镇人民政府")
    assert source["publication_time"] == "2023-01-29 16:14:09"


def test_frictionless_validates_the_package() -> None:
    report_ = frictionless.validate(DATA_DIR / "datapackage.json")
    errors = [(task.name, error.message) for task in report_.tasks for error in task.errors]
    assert report_.valid, errors[:5]


# --------------------------------------------------------------------------- distinctions


DISTINCTIONS = DS.facts[DS.facts["kind"] == "distinction"]
#: How a scope may be written in a quote besides its own words (佛山唯一: the city).
SCOPE_IN_QUOTE = {"全市": ("全市", "佛山"), "全区": ("全区",), "全省": ("全省", "广东")}


@pytest.mark.parametrize("fact", DISTINCTIONS.to_dict("records"), ids=list(DISTINCTIONS["fact_id"]))
def test_distinction_is_a_one_with_its_field(fact: dict[str, object]) -> None:
    quote = str(fact["quote"])
    (word,) = [m.text for m in numbers.find_distinctions(quote)]
    assert fact["value"] == 1
    assert fact["comparator"] == "exactly"
    assert fact["direction"] == ""
    assert fact["scope"] in vocab.SCOPES
    assert fact["scope"], "a distinction is first or only in some field"
    assert any(w in quote for w in SCOPE_IN_QUOTE.get(str(fact["scope"]), (fact["scope"],)))
    assert fact["scope_field"] in vocab.SCOPE_FIELDS
    if fact["scope_field"]:
        assert str(fact["scope_field"]) in quote
    counter = word[-1] if word[-1] in "个家座宗所间项条块台只届批" else ""
    assert fact["unit"] == counter


@pytest.mark.parametrize("fact", DISTINCTIONS.to_dict("records"), ids=list(DISTINCTIONS["fact_id"]))
def test_distinction_reads_as_a_badge_in_both_languages(fact: dict[str, object]) -> None:
    zh, en = display.value_text(fact, "zh"), display.value_text(fact, "en")
    assert zh in str(fact["quote"])  # 全区首宗, 佛山唯一: the report's own words
    assert en.startswith(("the first in ", "the only one in "))
    assert not CJK.search(en)


def test_every_distinction_of_the_report_is_a_fact_of_one() -> None:
    # Each first or only one of the report lies inside the quote of a fact that records it
    # as 1: a distinction, or (零的突破) a target of at least 1.
    starts = dict(zip(DS.paragraphs["paragraph_id"], DS.paragraphs["start"], strict=True))
    spans = []
    for fact in FACTS:
        one = fact["kind"] == "distinction" or (
            fact["comparator"] == "at_least" and fact["value"] == 1
        )
        if not one:
            continue
        start = int(starts[fact["paragraph_id"]]) + _paragraph(fact["paragraph_id"]).index(
            fact["quote"]
        )
        spans.append((start, start + len(str(fact["quote"]))))
    found = numbers.find_distinctions(DS.text)
    assert len(found) >= 8
    missing = [m.text for m in found if not any(a <= m.start and m.end <= b for a, b in spans)]
    assert missing == []


# --------------------------------------------------------------------------- targets


TARGETS = DS.facts[DS.facts["part"] == "tasks_2023"]
#: The comparator each qualifier of the report implies.
QUALIFIER_COMPARATOR = {
    "超": "more_than",
    "余": "more_than",
    "以上": "at_least",
    "不少于": "at_least",
    "约": "about",
    "左右": "about",
    "近": "about",
}


def test_every_2023_target_has_a_comparator_faithful_to_its_qualifier() -> None:
    assert set(DS.facts["comparator"]) <= set(vocab.COMPARATORS)
    assert (TARGETS["comparator"] != "").all()
    for fact in FACTS:
        if fact["qualifier"]:
            assert fact["comparator"] == QUALIFIER_COMPARATOR[fact["qualifier"]], fact["fact_id"]
        elif fact["comparator"] not in ("", "exactly"):
            # A bound without a qualifier comes from the wording and says so in a note.
            assert fact["note_zh"], fact["fact_id"]
            assert fact["note_en"], fact["fact_id"]


def test_no_target_is_zero() -> None:
    assert (TARGETS["value"] != 0).all()
    assert (TARGETS["value_normalised"] != 0).all()
    breakthrough = DS.facts[DS.facts["quote"].str.contains("零的突破")]
    assert list(breakthrough["value"]) == [1]
    assert list(breakthrough["comparator"]) == ["at_least"]


def test_direction_says_which_way_is_better() -> None:
    facts = DS.facts
    assert set(facts["direction"]) <= set(vocab.DIRECTIONS)
    assert set(facts.loc[facts["kind"] == "rank", "direction"]) == {"lower_better"}
    index = facts[facts["indicator_zh"].str.startswith("空气质量污染综合指数(")]
    assert list(index["direction"]) == ["lower_better"]
    assert set(facts.loc[facts["kind"] == "money", "direction"]) == {"higher_better"}


#: The reviewed pairs: each 2023 target and the 2022 result it continues (same indicator).
COMPARABLE_PAIRS = {
    "t1-p3.01": "r1-p1.10",  # investment attracted, 亿元
    "t1-p3.02": "r1-p1.14",  # projects worth over 2 billion yuan, 个
    "t2-p2.01": "r4-p1.05",  # provincial star rating of the Datang home for the elderly
    "t4-p2.01": "r4-p1.01",  # the ten practical livelihood projects, 件
}


def test_related_facts_are_exactly_the_reviewed_comparable_pairs() -> None:
    facts = DS.facts.set_index("fact_id")
    links = {f: r for f, r in facts["related_fact_id"].items() if r}
    assert links == COMPARABLE_PAIRS
    for target_id, result_id in links.items():
        target, result = facts.loc[target_id], facts.loc[result_id]
        assert target["part"] == "tasks_2023"
        assert result["part"] == "review_2022"
        for column in ("unit", "unit_normalised", "kind", "scope", "scope_field", "direction"):
            assert target[column] == result[column], (target_id, column)


# --------------------------------------------------------------------------- deadlines


def test_deadlines_are_only_what_the_report_fixes() -> None:
    commitments = DS.commitments
    assert set(commitments["deadline_kind"]) <= set(vocab.DEADLINE_KINDS)
    for row in commitments.to_dict("records"):
        dated = row["deadline"] is not None and row["deadline"] == row["deadline"]
        assert dated == (row["deadline_kind"] in ("fixed", "derived")), row["commitment_id"]
        assert row["deadline_en"] == vocab.DEADLINE_WORDS.get(row["deadline_zh"], "")
        if "时间" in row["deadline_zh"] or row["deadline_zh"] in ("尽快", "早日"):
            # A duration or a manner is no date.
            assert not dated, row["commitment_id"]
    this_year = commitments[commitments["deadline_zh"] == "今年"]
    assert set(this_year["deadline_kind"]) == {"derived"}
    assert {d.isoformat()[:10] for d in this_year["deadline"]} == {"2023-12-31"}


# --------------------------------------------------------------------------- English


GLOSSARY = DS.glossary.to_dict("records")
#: Where a glossary term stands in the Chinese but its rendering is rightly absent.
GLOSSARY_EXCEPTIONS: dict[tuple[str, str], str] = {}
EN_COLUMNS = (
    ("facts", "fact_id", "indicator_zh", "indicator_en"),
    ("projects", "project_id", "name_zh", "name_en"),
    ("commitments_2023", "commitment_id", "title_zh", "title_en"),
)


def _plain(text: str) -> str:
    return re.sub(r"['\"‘’“”]", "", text.lower())


def _renders(en: str, text: str) -> bool:
    term = _plain(en)
    forms = {term, term + "s", term + "es"}
    if term.endswith("y"):
        forms.add(term[:-1] + "ies")
    return any(form in _plain(text) for form in forms)


def test_glossary_renderings_are_used_consistently() -> None:
    misses = []
    for table, key, zh_column, en_column in EN_COLUMNS:
        for row in DS.tables[table].to_dict("records"):
            for term in GLOSSARY:
                if term["zh"] not in row[zh_column]:
                    continue
                longer = [
                    t
                    for t in GLOSSARY
                    if term["zh"] in t["zh"] != term["zh"] and t["zh"] in row[zh_column]
                ]
                if longer or (row[key], term["zh"]) in GLOSSARY_EXCEPTIONS:
                    continue
                if not _renders(term["en"], row[en_column]):
                    misses.append((row[key], term["zh"], term["en"]))
    assert misses == []


def test_glossary_check_can_fail() -> None:
    assert _renders("recyclable materials", "A system for recycling recyclable materials")
    assert not _renders("recyclable materials", "A system for recycling renewable resources")
    assert _renders("'happiness station'", "Build community 'happiness stations'")


def test_glossary_corrects_the_known_misreadings() -> None:
    terms = {t["zh"]: t["en"] for t in GLOSSARY}
    assert "village-level industrial park" in terms["村改"]
    assert terms["再生资源"] == "recyclable materials"
    english = " ".join(
        " ".join(DS.tables[table][en]) for table, _key, _zh, en in EN_COLUMNS
    ).lower()
    for wrong in ("village renewal", "renewable resource", "produce"):
        assert wrong not in english


INTERNAL_ID = re.compile(
    r"\b(?:[rt][0-9]-(?:p[0-9]+|h)(?:\.[0-9]{2})?|c[0-6]-[0-9]{2}|p[0-9]{3}|x[0-9]{2})\b"
)


def test_reader_facing_text_has_no_chinese_in_english_and_no_internal_ids() -> None:
    for frame, columns in (
        (DS.facts, ["indicator_zh", "indicator_en", "note_zh", "note_en"]),
        (DS.projects, ["name_zh", "name_en", "status_zh"]),
        (DS.commitments, ["title_zh", "title_en", "deadline_en"]),
        (DS.glossary, ["en", "note"]),
    ):
        for column in columns:
            assert [v for v in frame[column] if INTERNAL_ID.search(v)] == [], column
            if column.endswith("en") or column == "note":
                assert [v for v in frame[column] if CJK.search(v)] == [], column


# --------------------------------------------------------------------------- sectors, statuses

#: Subjects the three tables share besides the projects' own names.
SUBJECTS = ("冬瓜王大赛", "养殖池塘", "敬老院", "精细化工专区", "服务大厅", "大塘村", "风雨操场")


def test_one_subject_one_sector_across_the_three_tables() -> None:
    rows = [
        *zip(DS.facts["indicator_zh"], DS.facts["sector"], DS.facts["fact_id"], strict=True),
        *zip(DS.projects["name_zh"], DS.projects["sector"], DS.projects["project_id"], strict=True),
        *zip(
            DS.commitments["title_zh"],
            DS.commitments["sector"],
            DS.commitments["commitment_id"],
            strict=True,
        ),
    ]
    subjects = set(SUBJECTS) | {n for n in DS.projects["name_zh"] if len(n) >= 3}
    split = {}
    for subject in subjects:
        sectors = {(sector, key) for text, sector, key in rows if subject in text}
        if len({s for s, _ in sectors}) > 1:
            split[subject] = sorted(sectors)
    assert split == {}


#: The status each of the report's verbs implies.
STATUS_WORDS = {"成功举办": "held", "启动": "started", "达标": "meets_standard", "动工": "started"}


def test_project_status_says_what_the_report_says() -> None:
    for row in DS.projects.to_dict("records"):
        for word, status in STATUS_WORDS.items():
            if word in row["status_zh"] and row["part"] == "review_2022":
                assert row["status"] == status, (row["project_id"], row["status_zh"])
    assert set(DS.projects["status"]) <= set(vocab.STATUSES)


# --------------------------------------------------------------------------- front matter


def test_front_matter_gives_clean_metadata_and_no_furniture() -> None:
    meta = DS.report_metadata()
    assert meta == {
        "title_zh": "政府工作报告",
        "title_en": "Government work report (Datang town, 2023)",
        "publisher_zh": "三水区大塘镇人民政府",
        "publisher_en": "People's Government of Datang Town, Sanshui District",
        "published": "2023-01-29T16:14:09",
        "source_zh": "本网-三水区大塘镇人民政府",
    }
    roles = dict(zip(DS.paragraphs["text"], DS.paragraphs["role"], strict=True))
    assert roles["搜索"] == roles["网站支持IPv6"] == "furniture"
    assert roles["政府工作报告"] == "title"
    content = " ".join(DS.content_paragraphs["text"])
    for furniture in ("搜索", "IPv6", "【字号", "发布时间"):
        assert furniture not in content
        assert furniture not in " ".join(DS.facts["quote"])
    assert set(DS.content_paragraphs["role"]) == {"part_heading", "heading", "body"}


def _enum(resource: str, field: str) -> set[str]:
    spec = next(f for f in DS.resource(resource)["schema"]["fields"] if f["name"] == field)
    return set(spec["constraints"]["enum"])


@pytest.mark.parametrize(
    ("resource", "field", "vocabulary"),
    [
        ("facts", "kind", vocab.KINDS),
        ("facts", "scope", vocab.SCOPES),
        ("facts", "scope_field", vocab.SCOPE_FIELDS),
        ("facts", "comparator", vocab.COMPARATORS),
        ("facts", "direction", vocab.DIRECTIONS),
        ("projects", "status", vocab.STATUSES),
        ("commitments_2023", "deadline_kind", vocab.DEADLINE_KINDS),
    ],
)
def test_vocabularies_match_the_descriptor(
    resource: str, field: str, vocabulary: dict[str, tuple[str, str]]
) -> None:
    assert _enum(resource, field) == set(vocabulary)
    for key, (zh, en) in vocabulary.items():
        assert bool(zh) == bool(en) == bool(key), key
        assert not CJK.search(en)
    assert set(vocab.SYMBOLS) == set(vocab.COMPARATORS)
