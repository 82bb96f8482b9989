"""The lists of an app: named projects and enterprises with their status (filterable), and
the 2023 commitments grouped by task area with their targets and deadlines.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import ipywidgets as W

from briefing import display, frames, places, ui
from briefing.i18n import tr
from briefing.views_panels import ALL
from briefing.vocab import ENTITY_TYPES, STATUSES, label

if TYPE_CHECKING:
    import pandas as pd

    from briefing.data import Dataset


class ProjectList:
    """Named projects and enterprises with what happened to them, filterable by status."""

    def __init__(self, projects: pd.DataFrame, lang: str) -> None:
        self.projects = projects.reset_index(drop=True)
        self.lang = lang
        self.status = W.Dropdown(layout=W.Layout(width="220px"))
        self.part = W.Dropdown(layout=W.Layout(width="200px"))
        self.title = W.HTML()
        self.table = W.HTML()
        self.widget = W.VBox([self.title, W.HBox([self.part, self.status]), self.table])
        for control in (self.status, self.part):
            ui.observe_value(control, lambda _v: self._render())
        self.set_lang(lang)

    def set_lang(self, lang: str) -> None:
        self.lang = lang
        keep = (self.status.value, self.part.value)
        statuses = list(dict.fromkeys(self.projects["status"]))
        parts = list(dict.fromkeys(self.projects["part"]))
        self.status.options = [(tr("all", lang), ALL)] + [
            (label(STATUSES, s, lang), s) for s in statuses
        ]
        self.part.options = [(tr("all", lang), ALL)] + [
            (display.part_label(p, lang), p) for p in parts
        ]
        self.status.value = keep[0] if keep[0] in statuses else ALL
        self.part.value = keep[1] if keep[1] in parts else ALL
        ui.name_control(self.status, tr("status", lang))
        ui.name_control(self.part, tr("part", lang))
        self._render()

    def shown(self) -> pd.DataFrame:
        """Projects passing the filters."""
        frame = self.projects
        if self.status.value != ALL:
            frame = frame[frame["status"] == self.status.value]
        if self.part.value != ALL:
            frame = frame[frame["part"] == self.part.value]
        return frame

    def _render(self) -> None:
        lang = self.lang
        self.title.value = ui.heading(tr("projects", lang))
        rows = []
        for p in frames.records(self.shown()):
            name = p["name_en"] if lang == "en" else p["name_zh"]
            status = label(STATUSES, p["status"], lang)
            if lang == "zh":
                status = p["status_zh"]
            kind = label(ENTITY_TYPES, p["entity_type"], lang)
            rows.append(
                f"<tr data-project-id='{ui.esc(p['project_id'])}' data-item"
                f" data-status='{ui.esc(p['status'])}' data-part='{ui.esc(p['part'])}'>"
                f"<td><b>{ui.esc(name)}</b>"
                f"<div class='briefing-muted'>{ui.esc(kind)}</div></td>"
                f"<td>{ui.esc(status)}</td><td>{ui.esc(display.part_label(p['part'], lang))}</td>"
                f"<td class='briefing-muted briefing-quote' lang='zh'>"
                f"“{ui.esc(p['quote'])}”</td></tr>"
            )
        header = "".join(
            f"<th>{ui.esc(tr(k, lang))}</th>" for k in ("name", "status", "part", "source")
        )
        self.table.value = (
            f"<table class='briefing-table'><thead><tr>{header}</tr></thead>"
            f"<tbody>{''.join(rows)}</tbody></table>"
            if rows
            else f"<div class='briefing-muted'>{ui.esc(tr('no_data', lang))}</div>"
        )


class CommitmentList:
    """The 2023 commitments, grouped by task area, with targets and deadlines."""

    def __init__(self, ds: Dataset, commitments: pd.DataFrame, lang: str) -> None:
        self.ds = ds
        self.commitments = commitments
        self.widget = W.HTML()
        self.set_lang(lang)

    def set_lang(self, lang: str) -> None:
        facts = self.ds.facts.set_index("fact_id", drop=False)
        sections = self.ds.sections.set_index("section_id")
        parts = [ui.heading(tr("commitments", lang))]
        if self.commitments.empty:
            parts.append(f"<div class='briefing-muted'>{ui.esc(tr('no_data', lang))}</div>")
        numbers = places.places_of(self.ds)

        def where(paragraph_id: str) -> str:
            return places.number_label(numbers.number(paragraph_id), lang)

        for area, group in self.commitments.groupby("area", sort=True):
            title = frames.record(sections, area)["title_en" if lang == "en" else "title_zh"]
            items = []
            for c in frames.records(group):
                text = c["title_en"] if lang == "en" else c["title_zh"]
                extra = []
                if c["target_fact_id"]:
                    fact = frames.record(facts, c["target_fact_id"])
                    extra.append(f"{tr('target', lang)}: {display.value_text(fact, lang)}")
                if c["deadline_zh"]:
                    # The report's own time words, in English on English pages (早日: as soon
                    # as possible); a derived date is not shown as if the report fixed it.
                    when = c["deadline_en"] if lang == "en" else c["deadline_zh"]
                    extra.append(f"{tr('deadline', lang)}: {when}")
                meta = (
                    f" <span class='briefing-tag'>{ui.esc(' · '.join(extra))}</span>"
                    if extra
                    else ""
                )
                items.append(
                    f"<li data-commitment-id='{ui.esc(c['commitment_id'])}'><details><summary>"
                    f"{ui.esc(text)}{meta}</summary>"
                    f"<div><span class='briefing-muted briefing-quote' lang='zh'>"
                    f"“{ui.esc(c['quote'])}”</span> <span class='briefing-muted'>"
                    f"({ui.esc(where(c['paragraph_id']))})</span></div>"
                    "</details></li>"
                )
            parts.append(f"<h3>{ui.esc(title)}</h3><ul class='briefing-list'>{''.join(items)}</ul>")
        self.widget.value = "".join(parts)
