"""The staff form: each bad input is refused in Chinese with its labels; nothing is written."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Any

import pytest

from briefing import progress, staff

LOG = "progress/progress_log.csv"


@pytest.fixture
def empty_root(data_copy: Path) -> Path:
    """A data copy with an empty progress log (header only), as shipped."""
    (data_copy / "progress").mkdir(exist_ok=True)
    (data_copy / LOG).write_text(progress.HEADER, encoding="utf-8")
    return data_copy


def _form(root: Path, lang: str = "zh") -> staff.RecordForm:
    frame = staff.record_form(lang, root=root)
    assert hasattr(frame, "briefing_form"), getattr(frame, "value", frame)
    form: staff.RecordForm = frame.briefing_form
    form.area.value = "t1"
    form.commitment.value = "c1-21"  # target: 超250亿元
    form.status.value = "in_progress"
    form.note.value = "上半年招商引资"
    form.recorded_by.value = "经发办"
    form.date.value = dt.date(2023, 6, 30)
    return form


def _message_text(form: staff.RecordForm) -> str:
    return re.sub(r"<[^>]+>", "", form.message.value)


FUTURE = dt.date.today() + dt.timedelta(days=5)


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        ({"note": ""}, "请填写进展说明。"),
        ({"note": "   \n "}, "请填写进展说明。"),
        ({"recorded_by": " "}, "请填写登记人。"),
        ({"value": "十二"}, "最新数值须为数字,例如 120、1,200 或 12.5(不是“十二”)。"),
        ({"value": "1,20"}, "最新数值须为数字"),
        ({"value": "12%"}, "最新数值须为数字"),
        ({"date": None}, "请填写进展日期。"),
        ({"date": dt.date(2022, 12, 31)}, "进展日期不能早于2023年"),
        ({"date": FUTURE}, "进展日期不能晚于今天"),
    ],
)
def test_every_bad_input_is_refused_in_chinese_and_nothing_is_written(
    empty_root: Path, changes: dict[str, Any], expected: str
) -> None:
    form = _form(empty_root)
    for name, value in changes.items():
        getattr(form, name).value = value
    assert form.submit() is None
    text = _message_text(form)
    assert "briefing-error" in form.message.value
    assert text.startswith("保存失败:")
    assert expected in text
    typed = str(changes.get("value", ""))
    assert not re.search(r"[A-Za-z_]", text.replace(typed, "")), text  # no English, no field id
    assert not re.search(r"\.csv|/|\\\\|\[0-9\]|\?:", text), text  # no path, no pattern
    assert (empty_root / LOG).read_text("utf-8") == progress.HEADER


def test_thousands_separators_are_accepted(empty_root: Path) -> None:
    form = _form(empty_root)
    form.value.value = "1,200"
    form.unit.value = "万元"
    saved = form.submit()
    assert saved is not None, form.message.value
    assert (saved.value, saved.unit) == (1200.0, "万元")


def test_markup_typed_in_is_shown_as_text(empty_root: Path) -> None:
    form = _form(empty_root)
    form.value.value = "<b>1</b>"
    assert form.submit() is None
    assert "<b>" not in form.message.value
    assert "&lt;b&gt;" in form.message.value


def test_the_english_form_uses_its_own_labels(empty_root: Path) -> None:
    form = _form(empty_root, "en")
    form.note.value = " "
    assert form.submit() is None
    assert _message_text(form) == "Not saved: Note is required and must not be blank."


def test_a_broken_log_is_reported_without_its_path(empty_root: Path) -> None:
    (empty_root / LOG).write_text(progress.HEADER + "garbage\n", encoding="utf-8")
    before = (empty_root / LOG).read_bytes()
    form = _form(empty_root)
    assert form.submit() is None
    text = _message_text(form)
    assert "进展记录文件有误" in text
    assert "csv" not in text
    assert "row" not in text
    assert (empty_root / LOG).read_bytes() == before
