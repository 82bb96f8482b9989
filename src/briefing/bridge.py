"""Click a mark, see its source: a small widget that reports which figure was clicked.

The charts are drawn by the page's own Vega renderer (JupyterLab's and Voila's, offline),
as SVG (:data:`briefing.charts.EMBED_OPTIONS`): Vega's SVG renderer keeps each mark's scene
item, and so the row it was drawn from, on its element. This widget's few lines of script
listen for clicks inside their app: on a bar, point or label of a chart (the row's
``fact_id``), or on a card, badge or headline claim (its ``data-fact-id``), and send the id
back to the kernel, which shows the quote highlighted in its paragraph. The same script
keeps the page's language (``<html lang>``, the page title, which half of the notebook's
bilingual heading shows) in step with the app's language toggle. It works wherever
widgets do (Voila, JupyterLab); its script is a few hundred bytes (no Vega bundle of its
own), and the kernel only imports ``anywidget``. A static page has no kernel: the export
puts an empty stand-in in its place (the source panel there is the list under the charts).
"""

from __future__ import annotations

import functools
import os
from collections.abc import Callable
from typing import Any

import ipywidgets as W

from briefing.chart_output import STATIC_EXPORT_ENV

#: The script run in the page for each bridge (an ES module, as anywidget loads it).
ESM = """
function factOf(target) {
  const card = target.closest ? target.closest("[data-fact-id]") : null;
  if (card && card.dataset.factId) { return card.dataset.factId; }
  for (let node = target; node && node.nodeType === 1; node = node.parentNode) {
    const item = node.__data__;
    if (item && item.datum && item.datum.fact_id) { return String(item.datum.fact_id); }
    if (node.classList && node.classList.contains("vega-embed")) { break; }
  }
  return "";
}
function zoneOf(target) {
  const zone = target.closest ? target.closest("[class*='briefing-zone-']") : null;
  if (!zone) { return ""; }
  const name = Array.from(zone.classList).find((c) => c.startsWith("briefing-zone-"));
  return name ? name.slice("briefing-zone-".length) : "";
}
function setLanguage(model) {
  const lang = model.get("lang") === "en" ? "en" : "zh";
  const root = document.documentElement;
  root.classList.toggle("briefing-lang-en", lang === "en");
  root.classList.toggle("briefing-lang-zh", lang !== "en");
  root.lang = lang === "en" ? "en" : "zh-Hans";
  const title = model.get(lang === "en" ? "title_en" : "title_zh");
  if (title) { document.title = title; }
}
export default {
  render({ model, el }) {
    let count = 0;
    el.classList.add("briefing-bridge");
    setLanguage(model);
    model.on("change:lang", () => setLanguage(model));
    const send = (event) => {
      const app = el.closest(".briefing-app");
      if (!app || !app.contains(event.target)) { return; }
      if (event.type === "keydown") {
        // Buttons turn Enter into a click themselves; cards and badges do it here.
        if (event.key !== "Enter" && event.key !== " ") { return; }
        if (event.target.closest && event.target.closest("button")) { return; }
      }
      const factId = factOf(event.target);
      if (!factId) { return; }
      count += 1;
      model.set("clicked", factId + "|" + zoneOf(event.target) + "|" + count);
      model.save_changes();
      app.dataset.briefingClicked = factId;
    };
    document.addEventListener("click", send);
    document.addEventListener("keydown", send);
    return () => {
      document.removeEventListener("click", send);
      document.removeEventListener("keydown", send);
    };
  },
};
"""


def parse(message: str) -> tuple[str, str]:
    """``fact_id|zone|count`` as the page sends it → (fact_id, zone).

    Examples
    --------
    >>> parse("r1-p1.10|story|3")
    ('r1-p1.10', 'story')
    >>> parse("")
    ('', '')
    """
    pieces = message.split("|")
    return pieces[0], pieces[1] if len(pieces) > 1 else ""


@functools.cache
def _widget_class() -> Any:
    import anywidget
    import traitlets

    class MarkClicks(anywidget.AnyWidget):
        """Reports the figure clicked in its app as ``fact_id|zone|count``."""

        _esm = ESM
        clicked = traitlets.Unicode("").tag(sync=True)
        lang = traitlets.Unicode("zh").tag(sync=True)
        title_zh = traitlets.Unicode("").tag(sync=True)
        title_en = traitlets.Unicode("").tag(sync=True)

    return MarkClicks


def mark_clicks(
    on_click: Callable[[str, str], None],
    toggle: W.Widget | None = None,
    titles: tuple[str, str] = ("", ""),
) -> W.Widget:
    """A widget that calls ``on_click(fact_id, zone)`` for each click on a figure of its app.

    ``zone`` names the part of the app clicked (the ``briefing-zone-NAME`` class of an
    enclosing box), so the source can be shown beside what was clicked. With the app's
    language ``toggle``, it also keeps the page's language, its title (``titles``: Chinese,
    English) and the notebook's heading in step with the app.
    """
    if os.environ.get(STATIC_EXPORT_ENV) == "1":
        return W.HTML(layout=W.Layout(display="none"))
    widget = _widget_class()(
        layout=W.Layout(width="0", height="0"), title_zh=titles[0], title_en=titles[1]
    )
    if toggle is not None:
        widget.lang = str(toggle.value)
        toggle.observe(lambda change: setattr(widget, "lang", str(change["new"])), names="value")

    def changed(change: dict[str, object]) -> None:
        fact_id, zone = parse(str(change["new"]))
        if fact_id:
            on_click(fact_id, zone)

    widget.observe(changed, names="clicked")
    return widget
