"""The loader: typed tables from the real data, and a clear DataError for each kind of bad input."""

from __future__ import annotations

import hashlib
import math
import pickle
from pathlib import Path

import pytest

from briefing import data
from briefing.errors import DataError
from tests.conftest import DATA_DIR, EditCell


def _digest(folder: Path) -> dict[str, str]:
    return {
        str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def test_real_dataset_loads_with_types() -> None:
    ds = data.load(DATA_DIR)
    facts = ds.facts
    assert len(facts) == len(set(facts["fact_id"])) > 80
    assert str(facts["value"].dtype) == "float64"
    assert str(facts["headline"].dtype) == "bool"
    assert set(facts["part"]) == {"review_2022", "tasks_2023"}
    investment = facts.set_index("fact_id").loc["r1-p1.10"]
    assert (investment["value"], investment["unit"]) == (58.7, "亿元")
    assert investment["value_normalised"] == 5.87e9
    assert investment["unit_normalised"] == "yuan"
    assert ds.paragraph_text("t0-p2").startswith("今年主要预期目标是")
    assert ds.text.startswith("搜索\n")


def test_load_is_cached_and_never_writes(data_copy: Path) -> None:
    before = _digest(data_copy)
    first = data.load(data_copy)
    assert data.load(data_copy) is first
    assert _digest(data_copy) == before


def test_changed_file_is_read_again(data_copy: Path, edit_cell: EditCell) -> None:
    first = data.load(data_copy)
    edit_cell("facts.csv", 1, "indicator_en", "City-level key projects started")
    second = data.load(data_copy)
    assert second is not first
    assert second.facts["indicator_en"].iloc[0] == "City-level key projects started"


def test_environment_variable_points_the_loader_elsewhere(
    data_copy: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("BRIEFING_DATA_DIR", str(data_copy))
    assert data.load().root == data_copy.resolve()


@pytest.mark.parametrize(
    ("file", "row", "column", "value", "message"),
    [
        ("facts.csv", 3, "value", "abc", "not a number: 'abc'"),
        ("facts.csv", 4, "sector", "tourism", "'tourism' is not one of the allowed values"),
        ("facts.csv", 5, "quote", "这句话不在报告里", "quote not found in paragraph r1-p1"),
        ("facts.csv", 6, "value", "12", "the value 12 does not occur in the quote"),
        ("facts.csv", 7, "fact_id", "r1-p1.01", "duplicate id 'r1-p1.01' (first used in row 1)"),
        ("facts.csv", 8, "paragraph_id", "r9-p1", "'r9-p1' does not match any paragraph_id"),
        ("facts.csv", 9, "topic", "weather", "'weather' does not match any topic in topics.csv"),
        ("facts.csv", 10, "qualifier", "近", "the qualifier '近' does not occur in the quote"),
        ("facts.csv", 11, "related_fact_id", "r1-p1.99", "does not match any fact_id"),
        ("facts.csv", 12, "indicator_zh", "", "is required but empty"),
        ("facts.csv", 13, "headline", "yes", "expected true or false, got 'yes'"),
        ("facts.csv", 14, "value_normalised", "2", "expected 1 (1 个)"),
        ("facts.csv", 15, "unit", "斤", "'斤' is not one of the allowed values"),
        ("facts.csv", 2, "fact_id", "F2", "'F2' does not match the pattern"),
        ("report/paragraphs.csv", 3, "text", "政府工作", "does not match the report"),
        ("excluded_numbers.csv", 2, "context", "不在报告里的话", "context not found in the report"),
    ],
)
def test_bad_cell_names_file_row_and_column(
    edit_cell: EditCell, data_copy: Path, file: str, row: int, column: str, value: str, message: str
) -> None:
    edit_cell(file, row, column, value)
    with pytest.raises(DataError) as info:
        data.load(data_copy)
    error = info.value
    assert (error.file, error.row, error.column) == (file, row, column)
    assert message in error.message
    assert str(error).startswith(f"{file}, row {row}, column {column!r}: ")


def test_missing_column(data_copy: Path) -> None:
    path = data_copy / "facts.csv"
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    path.write_text(lines[0].replace("qualifier,", "qualifer,"), encoding="utf-8")
    with pytest.raises(DataError, match=r"facts.csv, row 0, column 'qualifier': missing column"):
        data.load(data_copy)


def test_missing_file(data_copy: Path) -> None:
    (data_copy / "projects.csv").unlink()
    with pytest.raises(DataError, match=r"^projects.csv: file is missing$"):
        data.load(data_copy)


def test_truncated_csv(data_copy: Path) -> None:
    path = data_copy / "facts.csv"
    content = path.read_text(encoding="utf-8")
    path.write_text(content[: len(content) // 2], encoding="utf-8")
    with pytest.raises(DataError) as info:
        data.load(data_copy)
    assert info.value.file == "facts.csv"
    assert info.value.row is not None
    assert "truncated" in info.value.message


def test_byte_order_mark(data_copy: Path) -> None:
    path = data_copy / "commitments_2023.csv"
    path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes())
    with pytest.raises(DataError, match=r"commitments_2023\.csv: starts with a byte-order mark"):
        data.load(data_copy)


def test_wrong_encoding(data_copy: Path) -> None:
    path = data_copy / "facts.csv"
    path.write_bytes(path.read_text(encoding="utf-8").encode("gb18030"))
    with pytest.raises(DataError, match=r"facts.csv: is not valid UTF-8 \(byte 0x.. on line 2\)"):
        data.load(data_copy)


def test_bad_descriptor(data_copy: Path) -> None:
    (data_copy / "datapackage.json").write_text("{", encoding="utf-8")
    with pytest.raises(DataError, match=r"datapackage\.json: not valid JSON"):
        data.load(data_copy)


def test_bad_date(edit_cell: EditCell, data_copy: Path) -> None:
    edit_cell("commitments_2023.csv", 1, "deadline", "2023-13-01")
    with pytest.raises(DataError, match="not a date in YYYY-MM-DD form: '2023-13-01'"):
        data.load(data_copy)


def test_error_survives_pickling() -> None:
    error = DataError("facts.csv", "bad", row=2, column="value")
    again = pickle.loads(pickle.dumps(error))
    assert (again.file, again.row, again.column, str(again)) == (
        "facts.csv",
        2,
        "value",
        str(error),
    )


def test_optional_number_is_nan_not_zero() -> None:
    facts = data.load(DATA_DIR).facts.set_index("fact_id")
    assert math.isnan(facts.loc["r1-p1.01", "area_ha"])
    assert facts.loc["r1-p1.15", "area_ha"] == pytest.approx(11373.6 / 15, abs=1e-4)


def test_a_missing_data_folder_is_named_without_its_place_on_the_server(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    missing = tmp_path / "moved-away"
    monkeypatch.setenv("BRIEFING_DATA_DIR", str(missing))
    with caplog.at_level("ERROR", logger="briefing"), pytest.raises(DataError) as caught:
        data.load()
    message = str(caught.value)
    assert message.startswith("moved-away: data folder not found")
    assert str(tmp_path) not in message
    assert str(missing) in caplog.text  # the server's log keeps the full path


def test_metadata_that_disagrees_with_the_report_is_named(data_copy: Path) -> None:
    path = data_copy / "datapackage.json"
    path.write_text(
        path.read_text(encoding="utf-8").replace("2023-01-29 16:14:09", "2023-01-30 09:00:00"),
        encoding="utf-8",
    )
    with pytest.raises(DataError, match=r"datapackage\.json.*publication_time"):
        data.load(data_copy)
