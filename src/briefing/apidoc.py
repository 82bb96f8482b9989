"""Write ``docs/api.md`` from the public names and their docstrings, so it cannot drift.

``python -m briefing.apidoc`` rewrites the file; ``python -m briefing.apidoc --check``
exits 1 when the file differs from what the code says (the test suite checks the same).
"""

from __future__ import annotations

import importlib
import inspect
import sys
from collections.abc import Sequence
from pathlib import Path

from briefing.paths import REPO_DIR

API_DOC = REPO_DIR / "docs" / "api.md"

INTRO = """\
# The Python API (`import briefing`)

For staff and analysts in JupyterLab (`make lab`, or `briefing lab`). Start with the
notebook `staff/00_start_here.ipynb`: it loads the data, filters it, draws and saves a
chart, exports a table and checks a progress update.

```python
import briefing

ds = briefing.load()                                # the report and its tables
money = ds.facts[ds.facts["kind"] == "money"]       # pandas, as usual
money.attrs["descriptions"]["qualifier"]            # what a column means
chart = briefing.charts_for(money)[0]               # displays itself in JupyterLab
chart.save("money.png")                             # or .svg, .html (works offline), .json
chart.to_altair().interactive()                     # the same chart in Altair
briefing.commitments("t1")                          # ids, titles and targets
briefing.progress_log()                             # updates recorded so far
```

This file is generated from the code (`python -m briefing.apidoc`); a test fails when
it is out of date or a public name is missing.
"""


def _doc(obj: object) -> str:
    """The docstring as a plain-text block (numpy sections are not Markdown)."""
    text = inspect.cleandoc(inspect.getdoc(obj) or "(undocumented)")
    return f"```text\n{text}\n```"


class _Raw(str):
    """An annotation written as text, shown without quotes."""

    __slots__ = ()

    def __repr__(self) -> str:
        return str(self)


def _signature(name: str, obj: object) -> str:
    try:
        signature = inspect.signature(obj)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return name
    raw = inspect.Parameter.empty
    params = [
        p.replace(annotation=_Raw(p.annotation)) if isinstance(p.annotation, str) else p
        for p in signature.parameters.values()
        if p.name != "self"
    ]
    ret = signature.return_annotation
    signature = signature.replace(
        parameters=params, return_annotation=_Raw(ret) if isinstance(ret, str) else raw
    )
    return f"{name}{signature}"


def _methods(cls: type) -> list[tuple[str, object]]:
    found: list[tuple[str, object]] = []
    for name, member in vars(cls).items():
        if name.startswith("_"):
            continue
        if inspect.isfunction(member) or isinstance(member, property):
            found.append((name, member))
    return found


def render() -> str:
    """The Markdown of ``docs/api.md``, from ``briefing.__all__`` and the docstrings."""
    package = importlib.import_module("briefing")
    parts = [INTRO]
    for name in sorted(package.__all__, key=lambda n: (n.startswith("_"), n.lower())):
        obj = getattr(package, name)
        if name == "__version__":
            parts.append(f"## `briefing.__version__`\n\nThe package version: `{obj}`.\n")
            continue
        kind = "class" if inspect.isclass(obj) else "function"
        parts.append(f"## `briefing.{name}` ({kind})\n")
        parts.append(f"```python\n{_signature(name, obj)}\n```\n")
        parts.append(_doc(obj) + "\n")
        if inspect.isclass(obj) and obj.__module__.startswith("briefing"):
            for method, member in _methods(obj):
                if isinstance(member, property):
                    parts.append(f"### `{name}.{method}` (property)\n")
                    parts.append(_doc(member.fget) + "\n")
                else:
                    parts.append(f"### `{name}.{_signature(method, member)}`\n")
                    parts.append(_doc(member) + "\n")
    return "\n".join(parts)


def main(argv: Sequence[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    text = render()
    if "--check" in args:
        current = API_DOC.read_text(encoding="utf-8") if API_DOC.exists() else ""
        if current != text:
            print(f"{API_DOC.name} is out of date: run python -m briefing.apidoc", file=sys.stderr)
            return 1
        return 0
    Path(API_DOC).write_text(text, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
