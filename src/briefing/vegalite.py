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
import json
from pathlib import Path
from typing import TYPE_CHECKING, Any

from briefing import theme

if TYPE_CHECKING:
    import altair as alt

#: The Vega-Lite version the specs are written for (the one Altair 5.5 writes, which
#: JupyterLab's and Voila's bundled Vega-Lite 5 renders).
SCHEMA_URL = "https://vega.github.io/schema/vega-lite/v5.20.1.json"
#: The same version as vl-convert names it.
VL_VERSION = "5.20"
#: The display mimetype JupyterLab and Voila render with their own bundled Vega (offline).
MIMETYPE = "application/vnd.vegalite.v5+json"
#: File types :meth:`Spec.save` writes, by suffix.
SAVE_FORMATS = (".png", ".svg", ".html", ".json")


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

    @property
    def title(self) -> str:
        """The chart's title (its first line when it has several), or ``""``."""
        title = self.spec.get("title", "")
        if isinstance(title, dict):
            title = title.get("text", "")
        if isinstance(title, list):
            title = title[0] if title else ""
        return str(title)

    def to_json(self, indent: int | None = 2) -> str:
        """The specification as JSON text (Chinese kept as characters, not escapes)."""
        return json.dumps(self.spec, ensure_ascii=False, indent=indent)

    def to_altair(self) -> alt.TopLevelMixin:
        """The same chart as an Altair object, to adapt in a notebook.

        A layered chart comes back as an ``alt.LayerChart`` of real ``alt.Chart`` layers, so
        the whole of Altair's API works on it (``.interactive()``, ``.properties()``,
        ``+``, ``|``, ``&``). The project's look moves from the chart's ``config`` to
        Altair's theme, enabled here (so charts combine), and Altair is switched to its mimetype
        renderer, which JupyterLab draws with its own Vega, offline (Altair's default HTML
        renderer fetches scripts from a CDN and shows "Error loading script" without
        internet).

        Examples
        --------
        >>> chart = Spec({"mark": {"type": "bar"}, "data": {"values": [{"a": 1}]},
        ...     "encoding": {"x": field("a", "quantitative")}})
        >>> type(chart.to_altair().interactive()).__name__
        'Chart'
        """
        theme.enable()
        spec = copy.deepcopy(self.spec)
        if spec.get("config") == theme.theme_config()["config"]:
            del spec["config"]
        del spec["$schema"]  # Altair writes it (the same version) at the top only
        spec.pop("usermeta", None)  # top-level only in Vega-Lite: it would stop ``|`` and ``&``
        chart: alt.TopLevelMixin = _altair(spec)
        return chart

    def save(self, path: str | Path, *, scale: float = 2.0) -> Path:
        """Write the chart to a file; the suffix picks the format.

        ``.png`` (``scale`` times its size) and ``.svg`` are drawn here with vl-convert and
        a CJK font, so Chinese keeps its glyphs; ``.html`` is one page that carries its own
        Vega scripts and opens with no internet; ``.json`` is the Vega-Lite specification.

        Returns
        -------
        Path
            The file written.

        Raises
        ------
        ValueError
            For any other suffix (nothing is written).

        Examples
        --------
        >>> import tempfile
        >>> chart = Spec({"mark": {"type": "bar"}, "data": {"values": [{"a": 1}]},
        ...     "encoding": {"x": field("a", "quantitative")}})
        >>> with tempfile.TemporaryDirectory() as folder:
        ...     chart.save(Path(folder) / "chart.svg").read_text()[:4]
        '<svg'
        >>> chart.save("chart.gif")
        Traceback (most recent call last):
        ...
        ValueError: cannot save a chart as '.gif': use one of .png, .svg, .html, .json
        """
        from briefing import downloads

        target = Path(path)
        suffix = target.suffix.lower()
        if suffix == ".png":
            target.write_bytes(downloads.chart_png(self, scale=scale))
        elif suffix == ".svg":
            target.write_text(downloads.chart_svg(self), encoding="utf-8")
        elif suffix == ".html":
            target.write_text(downloads.chart_html(self), encoding="utf-8")
        elif suffix == ".json":
            target.write_text(self.to_json() + "\n", encoding="utf-8")
        else:
            raise ValueError(
                f"cannot save a chart as {suffix or target.name!r}: "
                f"use one of {', '.join(SAVE_FORMATS)}"
            )
        return target

    def _repr_mimebundle_(self, include: Any = None, exclude: Any = None) -> dict[str, Any]:
        """What JupyterLab displays: the chart itself (Vega-Lite 5, drawn offline)."""
        return {MIMETYPE: copy.deepcopy(self.spec), "text/plain": repr(self)}

    def __repr__(self) -> str:
        title = self.title
        label = f"{self.kind or 'chart'}: {title}" if title else (self.kind or "chart")
        return f"<Vega-Lite chart {label}>"


def _altair(spec: dict[str, Any]) -> Any:
    """An Altair chart of a Vega-Lite dict, with real ``alt.Chart`` objects inside."""
    import altair as alt

    for key, cls in (
        ("layer", alt.LayerChart),
        ("vconcat", alt.VConcatChart),
        ("hconcat", alt.HConcatChart),
    ):
        if key in spec:
            parts = [_altair(part) for part in spec.pop(key)]
            chart = cls.from_dict({**spec, key: []})
            setattr(chart, key, parts)
            return chart
    if "facet" in spec:
        return alt.FacetChart.from_dict(spec)
    return alt.Chart.from_dict(spec, validate=False)


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
