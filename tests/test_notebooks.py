"""Notebooks stay thin and clean, and every one of them executes."""

from __future__ import annotations

import re
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

from briefing.paths import REPO_DIR

NOTEBOOKS = sorted((REPO_DIR / "notebooks").glob("*.ipynb"))
IDS = [p.name for p in NOTEBOOKS]


def test_the_apps_exist() -> None:
    names = {p.name for p in NOTEBOOKS}
    for expected in (
        "00_overview.ipynb",
        "01_industry.ipynb",
        "02_urban_rural.ipynb",
        "03_ecology.ipynb",
        "04_livelihoods.ipynb",
        "05_report_reader.ipynb",
        "06_commitments.ipynb",
        "07_reform_governance.ipynb",
    ):
        assert expected in names


@pytest.mark.parametrize("path", NOTEBOOKS, ids=IDS)
def test_notebook_is_committed_without_outputs(path: Path) -> None:
    nb = nbformat.read(path, as_version=4)
    for cell in nb.cells:
        if cell.cell_type == "code":
            assert cell.outputs == []
            assert cell.execution_count is None


@pytest.mark.parametrize("path", NOTEBOOKS, ids=IDS)
def test_notebook_is_thin(path: Path) -> None:
    nb = nbformat.read(path, as_version=4)
    code = [c.source for c in nb.cells if c.cell_type == "code"]
    assert nb.cells[0].cell_type == "markdown"
    assert nb.cells[0].source.startswith("# ")
    assert len(code) == 1, "one code cell: an import and a call"
    lines = [line for line in code[0].splitlines() if line.strip()]
    assert len(lines) <= 3
    assert re.match(r"from briefing(\.\w+)* import \w+", lines[0])


@pytest.mark.slow
@pytest.mark.parametrize("path", NOTEBOOKS, ids=IDS)
def test_notebook_executes(path: Path) -> None:
    nb = nbformat.read(path, as_version=4)
    NotebookClient(
        nb, timeout=180, kernel_name="python3", resources={"metadata": {"path": str(path.parent)}}
    ).execute()
    outputs = [o for c in nb.cells if c.cell_type == "code" for o in c.outputs]
    assert not [o for o in outputs if o.output_type == "error"]
    assert not [o for o in outputs if o.output_type == "stream" and o.name == "stderr"], outputs
    widgets = [
        o for o in outputs if "application/vnd.jupyter.widget-view+json" in o.get("data", {})
    ]
    assert widgets, "the app's widget is displayed"
    state = nb.metadata["widgets"]["application/vnd.jupyter.widget-state+json"]["state"]
    html = " ".join(str(m["state"].get("value", "")) for m in state.values())
    assert "class='briefing-error'" not in html
    assert len(state) > 20, "a real app, not an error message"


START_HERE = REPO_DIR / "staff" / "00_start_here.ipynb"


def test_start_here_is_committed_clean_and_never_served() -> None:
    from briefing.paths import notebooks_dir

    nb = nbformat.read(START_HERE, as_version=4)
    for cell in nb.cells:
        if cell.cell_type == "code":
            assert cell.outputs == []
            assert cell.execution_count is None
    assert notebooks_dir() not in START_HERE.parents  # Voila serves notebooks/ only
    assert nb.cells[0].source.startswith("# ")


def _tree(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in folder.rglob("*") if p.is_file()}


@pytest.mark.slow
def test_start_here_runs_and_writes_nothing_to_the_project() -> None:
    nb = nbformat.read(START_HERE, as_version=4)
    data_before = _tree(REPO_DIR / "data")
    staff_before = sorted(p.name for p in START_HERE.parent.iterdir())
    NotebookClient(
        nb,
        timeout=180,
        kernel_name="python3",
        resources={"metadata": {"path": str(START_HERE.parent)}},
    ).execute()
    outputs = [o for c in nb.cells if c.cell_type == "code" for o in c.outputs]
    assert not [o for o in outputs if o.output_type == "error"], outputs
    assert not [o for o in outputs if o.output_type == "stream" and o.name == "stderr"], outputs
    plain = [o.get("data", {}).get("text/plain", "") for o in outputs]
    assert any(p.startswith("<Dataset data/") for p in plain)
    charts = [o for o in outputs if "application/vnd.vegalite.v5+json" in o.get("data", {})]
    assert len(charts) == 2, "the chart and its Altair version display as Vega-Lite 5"
    assert all("text/html" not in o["data"] for o in charts)
    assert any("['industry.csv', 'money.html', 'money.png']" in p for p in plain)
    printed = "".join(o.get("text", "") for o in outputs if o.output_type == "stream")
    assert "没有编号为“c1-211”的工作任务。是否要找“c1-21”?" in printed
    assert _tree(REPO_DIR / "data") == data_before, "the notebook wrote to the project's data"
    assert sorted(p.name for p in START_HERE.parent.iterdir()) == staff_before
