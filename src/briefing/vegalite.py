"""Vega-Lite specifications written as plain data, and the one type that carries them.

The apps' charts are built as the JSON Vega-Lite reads, not through Altair's classes:
Altair copies its schema objects at every method call, which made each chart cost 20–30 ms
of Python at every filter change and kept Altair's import (about 0.25 s) on every app's
start. The specs are the ones Altair writes for the same charts: the tests send each one
through Altair and its Vega-Lite schema and require the same JSON back. Anyone who wants to
adapt a chart in JupyterLab gets the Altair object with :meth:`Spec.to_altair`.
"""

from __future__ import annotations

import copy
from typing import TYPE_CHECKING, Any

from briefing import theme

if TYPE_CHECKING:
    import altair as alt

#: The Vega-Lite version the specs are written for (the one Altair 5.5 writes, which
#: JupyterLab's and Voila's bundled Vega-Lite 5 renders).
SCHEMA_URL = "https://vega.github.io/schema/vega-lite/v5.20.1.json"
#: The same version as vl-convert names it.
VL_VERSION = "5.20"


class Spec:
    """A top-level Vega-Lite specification with the project's theme.

    Examples
    --------
    >>> chart = Spec({"mark": {"type": "bar"}, "data": {"values": [{"a": 1}]},
    ...     "encoding": {"x": field("a", "quantitative")}})
    >>> spec = chart.to_dict(validate=False)
    >>> spec["$schema"] == SCHEMA_URL, spec["config"]["range"]["category"][0]
    (True, '#0072B2')
    >>> chart.kind is None
    True
    """

    __slots__ = ("spec",)

    def __init__(self, body: dict[str, Any]) -> None:
        self.spec: dict[str, Any] = {
            "config": theme.theme_config()["config"],
            **body,
            "$schema": SCHEMA_URL,
        }

    @property
    def kind(self) -> str | None:
        """What the chart shows (``money``, ``rank``, ``compare``…), from its ``usermeta``."""
        kind = self.spec.get("usermeta", {}).get("kind")
        return None if kind is None else str(kind)

    def to_dict(self, validate: bool = True) -> dict[str, Any]:
        """A copy of the specification; checked against the Vega-Lite schema unless
        ``validate`` is false (checking imports Altair and costs about 10 ms a chart)."""
        if validate:
            check(self.spec)
        return copy.deepcopy(self.spec)

    def to_altair(self) -> alt.TopLevelMixin:
        """The same chart as an Altair object (validated), to adapt in a notebook."""
        import altair as alt

        classes: list[tuple[str, Any]] = [
            ("layer", alt.LayerChart),
            ("facet", alt.FacetChart),
            ("vconcat", alt.VConcatChart),
            ("hconcat", alt.HConcatChart),
        ]
        cls = next((c for key, c in classes if key in self.spec), alt.Chart)
        chart: alt.TopLevelMixin = cls.from_dict(copy.deepcopy(self.spec))
        return chart

    def __repr__(self) -> str:
        return f"<Vega-Lite chart: {self.kind or 'chart'}>"


def check(spec: dict[str, Any]) -> None:
    """Raise ``jsonschema.ValidationError`` unless ``spec`` is valid Vega-Lite 5.

    Examples
    --------
    >>> check({"mark": "bar", "data": {"values": []}})
    >>> check({"mark": "no-such-mark"})
    Traceback (most recent call last):
    ...
    jsonschema.exceptions.ValidationError: ...
    """
    from altair.vegalite.v5.schema.core import TopLevelSpec

    TopLevelSpec.validate(spec)


def field(name: str, type_: str, **properties: Any) -> dict[str, Any]:
    """An encoding channel on a data field, as Altair writes it (keys sorted).

    Examples
    --------
    >>> field("plot", "quantitative", title=None)
    {'field': 'plot', 'title': None, 'type': 'quantitative'}
    """
    return dict(sorted({"field": name, "type": type_, **properties}.items()))


def _parts(charts: list[Spec]) -> list[dict[str, Any]]:
    top_level = ("config", "$schema", "usermeta")
    return [{k: v for k, v in c.spec.items() if k not in top_level} for c in charts]


def hconcat(charts: list[Spec], spacing: int = 20) -> Spec:
    """Charts side by side, ``spacing`` pixels apart, as one chart.

    Examples
    --------
    >>> one = Spec({"mark": {"type": "bar"}, "data": {"values": []}})
    >>> both = hconcat([one, one], spacing=40).spec
    >>> len(both["hconcat"]), "config" in both["hconcat"][0], both["spacing"]
    (2, False, 40)
    """
    return Spec({"hconcat": _parts(charts), "spacing": spacing})


def vconcat(charts: list[Spec]) -> Spec:
    """Several charts stacked in one (each with its own colour scale): one image of them all.

    Examples
    --------
    >>> one = Spec({"mark": {"type": "bar"}, "data": {"values": []}, "usermeta": {"kind": "a"}})
    >>> both = vconcat([one, one]).spec
    >>> len(both["vconcat"]), "usermeta" in both["vconcat"][0], both["resolve"]
    (2, False, {'scale': {'color': 'independent'}})
    """
    if len(charts) == 1:
        return charts[0]
    return Spec({"vconcat": _parts(charts), "resolve": {"scale": {"color": "independent"}}})
