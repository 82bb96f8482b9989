"""``briefing lab`` / ``make lab``: the command, and the apps' links when run inside JupyterLab."""

from __future__ import annotations

import os
import re
import sys

import pytest

from briefing import cli, lab, views
from briefing.paths import REPO_DIR


def test_lab_command_listens_on_loopback_and_handles_root() -> None:
    command = lab.lab_command(port=1234, open_browser=False, token="")
    assert command[:3] == [sys.executable, "-m", "jupyterlab"]
    assert "--ip=127.0.0.1" in command
    assert "--port=1234" in command
    assert "--no-browser" in command
    assert "--IdentityProvider.token=" in command
    assert ("--allow-root" in command) == (os.geteuid() == 0)
    assert "--allow-root" in lab.lab_command(as_root=True)
    assert "--allow-root" not in lab.lab_command(as_root=False)
    assert f"--ServerApp.root_dir={REPO_DIR}" in command
    assert "--LabApp.default_url=/lab/tree/staff/00_start_here.ipynb" in command
    assert (REPO_DIR / lab.START_HERE).is_file()
    assert not any(part.startswith("--IdentityProvider.token") for part in lab.lab_command())


def test_cli_and_makefile_use_the_same_command() -> None:
    args = cli.build_parser().parse_args(["lab", "--port", "9999", "--no-browser"])
    assert (args.run, args.port, args.ip, args.no_browser) == (cli.run_lab, 9999, "127.0.0.1", True)
    makefile = (REPO_DIR / "Makefile").read_text(encoding="utf-8")
    rule = re.search(r"^lab: (.*)\n\t(.*)$", makefile, re.MULTILINE)
    assert rule is not None
    assert rule.group(1) == "install fonts"  # the set-up of `make app`
    assert rule.group(2) == "$(BIN)/briefing lab --port $(LAB_PORT)"
    assert re.search(r"^app: install fonts$", makefile, re.MULTILINE)


def test_app_links_are_links_under_voila_and_file_names_in_jupyterlab(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv("JPY_SESSION_NAME", raising=False)
    voila = views.header_html("industry", "zh")
    assert "<a href='02_urban_rural.ipynb'>城乡建设</a>" in voila
    assert "JupyterLab" not in voila
    monkeypatch.setenv("JPY_SESSION_NAME", "notebooks/01_industry.ipynb")
    in_lab = views.header_html("industry", "en")
    assert "<a " not in in_lab
    assert "Urban and rural (<code>02_urban_rural.ipynb</code>)" in in_lab
    assert "In JupyterLab these app links do not work" in in_lab
    monkeypatch.setenv("VOILA_KERNEL_ID", "k")  # Voila's kernels (Binder runs Voila this way)
    assert "<a href='02_urban_rural.ipynb'>" in views.header_html("industry", "en")
