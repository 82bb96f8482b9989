"""How charts reach the page: Vega-Lite outputs for JupyterLab and Voila, offline.

Also keeps ``import altair`` (done only where a notebook asks for Altair) from compiling a
grammar it never uses.
"""

from __future__ import annotations

import importlib
import importlib.util
import os
import sys
import threading
import types
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import ipywidgets as W

    from briefing import vegalite as vl

VEGALITE_MIME = "application/vnd.vegalite.v5+json"
#: Set by the static export: each chart also carries an SVG rendering, which a page without
#: a Vega renderer (the embedded widget manager of a static HTML page) can show.
STATIC_EXPORT_ENV = "BRIEFING_STATIC_EXPORT"
#: A 1×1 transparent PNG sent with every chart. JupyterLab's Vega renderer (the one Voila
#: uses) draws a chart and then, when its output has no ``image/png``, draws it a second time
#: into a canvas, encodes a PNG and writes it into the output, which makes the output area
#: render the chart a third time. That PNG only serves a notebook saved with its outputs;
#: apps never are. With this stand-in present the renderer draws each chart once: about
#: 0.5 s less main-thread work for an app's first charts on a 2-core machine, and every
#: redraw after a filter change is cheaper the same way. Renderers prefer Vega-Lite (rank
#: 57) to PNG (rank 90), so the stand-in is never shown where Vega-Lite can be drawn.
PNG_STAND_IN = (
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAAC0lEQVR4nGNgAAIAAAUAAXpeqz8AAAAASUVORK5CYII="
)
#: How the page's Vega renderer draws the charts: as SVG, whose marks keep their data, so
#: that a click on a bar or point can name its figure (see :mod:`briefing.bridge`).
EMBED_OPTIONS = {"actions": False, "renderer": "svg"}


def output_for(chart: vl.Spec) -> dict[str, Any]:
    """The display output of a chart: Vega-Lite v5, rendered by JupyterLab and Voila offline.

    Under the static export an SVG rendering rides along for pages with no Vega renderer.
    """
    # Not validated here: the builders are tested against the Vega-Lite schema
    # (tests/test_charts.py), and validating costs about 10 ms a chart at every redraw.
    from briefing import pagemode, theme

    mode = pagemode.current()
    # The page's theme (colours) and, in meeting mode, 24 px text: see briefing.theme.
    spec = theme.for_page(chart.spec, mode.theme, mode.present)
    data: dict[str, Any] = {VEGALITE_MIME: spec, "text/plain": "<VegaLite 5 chart>"}
    if os.environ.get(STATIC_EXPORT_ENV) == "1":
        from briefing import downloads

        data["image/svg+xml"] = downloads.chart_svg(chart)
    else:
        data["image/png"] = PNG_STAND_IN
    return {
        "output_type": "display_data",
        "data": data,
        "metadata": {VEGALITE_MIME: {"embed_options": EMBED_OPTIONS}},
    }


def show(output: W.Output, charts: Sequence[vl.Spec], empty_html: str = "") -> None:
    """Put charts into an Output widget (or ``empty_html`` when there are none).

    Assigning the outputs builds no IPython display machinery, so this works the same in a
    kernel, in a widget callback, in a background thread and in a plain test process.
    """
    if charts:
        output.outputs = tuple(output_for(chart) for chart in charts)
    else:
        output.outputs = (
            {"output_type": "display_data", "data": {"text/html": empty_html, "text/plain": ""}},
        )


# --------------------------------------------------------------------------- import cost


class _DeferredModule(types.ModuleType):
    """Stands in for a module until one of its attributes is used, then imports it.

    ``functions`` are the names another module imports with ``from name import function``
    at its own import time: they are wrappers that import the real module on first call.

    Examples
    --------
    >>> colorsys = _DeferredModule("colorsys", ("rgb_to_hsv",))
    >>> colorsys.rgb_to_hsv(1.0, 0.0, 0.0)
    (0.0, 1.0, 1.0)
    >>> colorsys.hsv_to_rgb(0.0, 1.0, 1.0)
    (1.0, 0.0, 0.0)
    """

    def __init__(self, name: str, functions: Sequence[str]) -> None:
        super().__init__(name)
        for function in functions:
            setattr(self, function, self._deferred(function))

    def _real(self) -> types.ModuleType:
        with _DEFER_LOCK:
            if sys.modules.get(self.__name__) is self:
                del sys.modules[self.__name__]
            return importlib.import_module(self.__name__)

    def _deferred(self, function: str) -> Any:
        def call(*args: Any, **kwargs: Any) -> Any:
            return getattr(self._real(), function)(*args, **kwargs)

        call.__name__ = call.__qualname__ = function
        return call

    def __getattr__(self, attribute: str) -> Any:
        if attribute.startswith("__"):
            raise AttributeError(attribute)
        return getattr(self._real(), attribute)


_DEFER_LOCK = threading.Lock()


def _defer_iri_grammar() -> bool:
    """Keep ``import altair`` from compiling a grammar it never uses; True if deferred.

    Altair imports jsonschema, whose format checkers import ``rfc3987_syntax`` when it is
    installed (Jupyter's own packages install it); that module compiles an Earley parser for
    IRIs on import: about 0.9 s of the 1.6 s ``import altair`` takes on a 2-core machine.
    Vega-Lite's schema has no ``iri`` format, so nothing here ever checks one. Until
    jsonschema is imported, a stand-in takes the module's place: jsonschema registers its
    ``iri`` checkers as always, and the grammar is compiled the first time one is used.
    Does nothing once jsonschema or ``rfc3987_syntax`` is imported, or if it is not installed.
    """
    name = "rfc3987_syntax"
    if "jsonschema" in sys.modules or name in sys.modules:
        return False
    try:
        if importlib.util.find_spec(name) is None:
            return False
    except (ImportError, ValueError):
        return False
    sys.modules[name] = _DeferredModule(name, ("is_valid_syntax",))
    return True


_defer_iri_grammar()
