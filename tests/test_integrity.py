"""Integrity of the dataset against the report: the point of the whole data layer.

Each fact is checked on its own (one test case per fact) so a failure names the fact.
"""

from __future__ import annotations

import json
import re

import frictionless
import pytest

from briefing import data, numbers, report
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
    targets = set(DS.facts.loc[DS.facts["part"] == "tasks_2023", "fact_id"])
    linked = set(DS.commitments["target_fact_id"]) - {""}
    assert targets - linked == set()


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
