"""The template's generated files are in step with the Python palette, strings and apps."""

from __future__ import annotations

import pytest

from briefing import theme, webassets


@pytest.mark.parametrize("path", sorted(webassets.files()), ids=lambda p: p.name)
def test_generated_file_is_current(path) -> None:  # type: ignore[no-untyped-def]
    assert path.read_text(encoding="utf-8") == webassets.files()[path], (
        f"{path.name} is out of date: run python -m briefing.webassets"
    )


@pytest.mark.parametrize("palette", [theme.LIGHT, theme.DARK], ids=lambda p: p.name)
def test_palette_text_contrast_is_at_least_aa(palette: theme.Palette) -> None:
    for text in ("text", "muted", "link", "value", "qualifier", "error_text"):
        for ground in ("background", "surface", "source_bg"):
            ratio = theme.contrast(getattr(palette, text), getattr(palette, ground))
            assert ratio >= 4.5, (palette.name, text, ground, round(ratio, 2))
    assert theme.contrast(palette.text, palette.highlight) >= 4.5
    assert theme.contrast(palette.error_text, palette.error_bg) >= 4.5


def test_page_css_and_chart_config_share_the_palette() -> None:
    css = webassets.palette_css()
    for palette in (theme.LIGHT, theme.DARK):
        config = theme.theme_config(palette.name)["config"]
        assert f"--briefing-background: {config['background']};" in css
        assert f"--briefing-text: {config['axis']['labelColor']};" in css
        assert f"--briefing-grid: {config['axis']['gridColor']};" in css
