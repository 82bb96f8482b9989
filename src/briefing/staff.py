"""The staff form that records progress on a 2023 commitment (writes to the progress log).

Used only from ``staff/staff_record_progress.ipynb``, which is never served: the public
tracker (:mod:`briefing.tracker`) does not import this module. Saving validates the update
and appends it with :func:`briefing.progress.append`; the form shows either the saved row
or the problem, in plain words.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Mapping
from pathlib import Path
from typing import Any, Final

import ipywidgets as W

from briefing import data, display, frames, progress, ui
from briefing.errors import DataError
from briefing.progress_entry import FIELD_LABELS, EntryRejected, compatible_units
from briefing.tracker import area_title

log = logging.getLogger("briefing")

STRINGS: Final[dict[str, tuple[str, str]]] = {
    "title": ("登记工作任务进展", "Record progress on a commitment"),
    "intro": (
        "每次登记新增一行记录,已登记的内容不会被修改;如需更正,请再登记一条新的记录。",
        "Each save adds one row to the log; saved rows are never changed. To correct one, "
        "record a new update.",
    ),
    "area": ("任务板块", "Task area"),
    "commitment": (FIELD_LABELS["commitment_id"][0], "Commitment"),
    "status": (FIELD_LABELS["status"][0], "Status"),
    "value": (FIELD_LABELS["value"][0], "Latest value"),
    "unit": (FIELD_LABELS["unit"][0], "Unit"),
    "value_hint": ("可留空", "may be left empty"),
    "target": ("目标", "Target"),
    "date": (FIELD_LABELS["date"][0], "Progress date"),
    "note": (FIELD_LABELS["note"][0], "Note"),
    "evidence": (FIELD_LABELS["evidence"][0], "Evidence"),
    "evidence_hint": ("文件名称或链接", "document name or link"),
    "recorded_by": (FIELD_LABELS["recorded_by"][0], "Recorded by"),
    "save": ("保存", "Save"),
    "saved": ("已保存:进展记录第{row}行。", "Saved as row {row} of the progress log."),
    "failed": ("保存失败:", "Not saved: "),
    "log_invalid": (
        "进展记录文件有误,暂时无法保存;请联系维护人员(详情已写入日志)。",
        "The progress log has a problem, so nothing can be saved; please tell the maintainers "
        "(details logged).",
    ),
    "unexpected": (
        "保存失败,原因不明;请联系维护人员(详情已写入日志)。",
        "Not saved, for an unexpected reason; please tell the maintainers (details logged).",
    ),
}


#: The validator's fields and the keys of their labels on this form.
_FORM_FIELDS: Final = {
    "commitment_id": "commitment",
    "status": "status",
    "value": "value",
    "unit": "unit",
    "date": "date",
    "note": "note",
    "evidence": "evidence",
    "recorded_by": "recorded_by",
}


def s(key: str, lang: str) -> str:
    """A string of the form in a language.

    Examples
    --------
    >>> s("save", "zh"), s("save", "en")
    ('保存', 'Save')
    """
    zh, en = STRINGS[key]
    return en if lang == "en" else zh


class RecordForm:
    """The widgets of the form and what Save does."""

    def __init__(self, lang: str = "zh", root: Path | str | None = None) -> None:
        self.lang = lang
        self.root = root
        ds = data.load(root)
        self.commitments = {c["commitment_id"]: c for c in frames.records(ds.commitments)}
        facts = ds.facts.set_index("fact_id", drop=False)
        self.targets: dict[str, Mapping[str, Any]] = {}
        for cid, c in self.commitments.items():
            fact = frames.record(facts, c["target_fact_id"]) if c["target_fact_id"] else None
            if progress.target_of(fact) is not None and fact is not None:
                self.targets[cid] = fact
        sections = {row["section_id"]: row for row in frames.records(ds.sections)}
        areas = list(dict.fromkeys(c["area"] for c in self.commitments.values()))
        wide = W.Layout(width="min(100%, 640px)")
        style = {"description_width": "110px"}
        self.area = W.Dropdown(
            options=[(area_title(sections, a, lang), a) for a in areas],
            description=s("area", lang),
            layout=wide,
            style=style,
        )
        self.commitment = W.Dropdown(description=s("commitment", lang), layout=wide, style=style)
        self.status = W.Dropdown(
            options=[(progress.status_label(x, lang), x) for x in progress.STATUSES],
            value="in_progress",
            description=s("status", lang),
            style=style,
        )
        self.target = W.HTML()
        self.value = W.Text(
            placeholder=s("value_hint", lang), description=s("value", lang), style=style
        )
        self.unit = W.Dropdown(description=s("unit", lang), layout=W.Layout(width="220px"))
        self.measure = W.VBox([self.target, W.HBox([self.value, self.unit])])
        self.date = W.DatePicker(value=dt.date.today(), description=s("date", lang), style=style)
        self.note = W.Textarea(description=s("note", lang), layout=wide, style=style)
        self.evidence = W.Text(
            placeholder=s("evidence_hint", lang),
            description=s("evidence", lang),
            layout=wide,
            style=style,
        )
        self.recorded_by = W.Text(description=s("recorded_by", lang), style=style)
        self.save = W.Button(description=s("save", lang), button_style="primary", icon="save")
        self.message = W.HTML()
        self.area.observe(lambda _change: self._fill_commitments(), names="value")
        self.commitment.observe(lambda _change: self._show_measure(), names="value")
        self.save.on_click(lambda _button: self.submit())
        self._fill_commitments()
        self.widget = W.VBox(
            [
                W.HTML(
                    ui.heading(s("title", lang))
                    + f"<div class='briefing-muted'>{ui.esc(s('intro', lang))}</div>"
                ),
                self.area,
                self.commitment,
                self.status,
                self.measure,
                self.date,
                self.note,
                self.evidence,
                self.recorded_by,
                self.save,
                self.message,
            ]
        )

    def _fill_commitments(self) -> None:
        lang = self.lang
        options = []
        for cid, c in self.commitments.items():
            if c["area"] == self.area.value:
                title = c["title_en"] if lang == "en" else c["title_zh"]
                options.append((f"{cid} · {title}", cid))
        self.commitment.options = options
        self.commitment.value = options[0][1] if options else None
        self._show_measure()

    def _show_measure(self) -> None:
        fact = self.targets.get(self.commitment.value or "")
        if fact is None:
            self.measure.layout.display = "none"
            self.value.value = ""
            self.unit.options = []
            return
        self.measure.layout.display = ""
        units = compatible_units(str(fact["unit"]), str(fact["kind"]))
        self.unit.options = [(u or "—", u) for u in units]
        self.unit.value = units[0]
        self.target.value = (
            f"<div class='briefing-muted'>{ui.esc(s('target', self.lang))}: "
            f"{ui.esc(display.value_text(fact, self.lang))}</div>"
        )

    def entry(self) -> dict[str, Any]:
        """The update the form currently describes, as typed (checked when saved).

        Raises
        ------
        EntryRejected
            When no progress date is chosen (the date picker is empty).
        """
        cid = self.commitment.value
        if self.date.value is None:
            raise EntryRejected("date", "required")
        entry: dict[str, Any] = {
            "commitment_id": cid,
            "status": self.status.value,
            "date": self.date.value,
            "note": self.note.value,
            "evidence": self.evidence.value,
            "recorded_by": self.recorded_by.value,
        }
        raw = self.value.value.strip()
        if cid in self.targets and raw:
            entry["value"] = raw
            entry["unit"] = self.unit.value
        return entry

    def submit(self) -> progress.Entry | None:
        """Check and append the update; show the result. Returns the saved entry.

        A refused update is explained in the form's language with the form's field labels;
        nothing is written. A problem with the log itself is logged for the maintainers.
        """
        lang = self.lang
        self.save.disabled = True
        try:
            saved = progress.append(self.entry(), self.root)
        except EntryRejected as problem:
            labels = {field: s(key, lang) for field, key in _FORM_FIELDS.items()}
            self._say(s("failed", lang) + problem.text(lang, labels), ok=False)
            return None
        except DataError:
            log.exception("the progress log could not take an update")
            self._say(s("log_invalid", lang), ok=False)
            return None
        except Exception:
            log.exception("saving a progress update failed")
            self._say(s("unexpected", lang), ok=False)
            return None
        finally:
            self.save.disabled = False
        self._say(s("saved", lang).format(row=saved.row), ok=True)
        self.value.value = ""
        self.note.value = ""
        self.evidence.value = ""
        return saved

    def _say(self, text: str, *, ok: bool) -> None:
        kind = "briefing-ok" if ok else "briefing-error"
        colour = "color: #00684c;" if ok else ""
        self.message.value = (
            f"<div class='{kind}' role='status' style='{colour}'>{ui.esc(text)}</div>"
        )


def record_form(lang: str | None = None, *, root: Path | str | None = None) -> W.Widget:
    """The staff form: pick a commitment, its status and value, and save one update."""
    chosen = lang or ui.initial_lang()

    def build(language: str) -> W.Widget:
        form = RecordForm(language, root)
        frame = ui.app_frame(W.HTML(), form.widget)
        frame.briefing_form = form
        return frame

    return ui.safe_app(build, chosen)
