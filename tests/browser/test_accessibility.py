"""Accessibility of every app: axe-core, both themes, both languages, and the keyboard.

axe-core (bundled with ``axe-playwright-python``, injected into the page: nothing is
fetched) runs the WCAG 2 A and AA rules on each app in Chinese and English, light and
dark, and no serious or critical violation may remain; its colour-contrast rule holds text
to 4.5:1 (AA). Charts need a text alternative: an ARIA label on each drawing. The
keyboard test tabs through an app and checks every control can take the focus.
"""

from __future__ import annotations

import pytest
from browser_harness import (
    PageLog,
    VoilaServer,
    open_page,
    screenshot,
    serious_axe_violations,
    wait_for_app,
)
from playwright.sync_api import Browser

from briefing.catalogue import APPS

MODES = [(lang, theme) for lang in ("zh", "en") for theme in ("light", "dark")]


@pytest.fixture(scope="module")
def server(apps_server: VoilaServer) -> VoilaServer:
    return apps_server


@pytest.mark.browser
@pytest.mark.parametrize("notebook", [app.notebook for app in APPS])
def test_no_serious_axe_violation_in_either_theme_or_language(
    notebook: str, server: VoilaServer, browser: Browser, page_log: PageLog
) -> None:
    found: list[str] = []
    for lang, theme in MODES:
        context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN")
        try:
            page = open_page(context, page_log)
            page.goto(server.render_url(notebook, f"lang={lang}&theme={theme}"))
            # Not every app opens on a chart (the ecology app's figures are all cards).
            wait_for_app(page, chart=False)
            page.wait_for_selector(".briefing-app, .briefing-error", state="attached")
            page.wait_for_timeout(1500)
            found += serious_axe_violations(page, f"{notebook} {lang} {theme}")
            # Every chart drawing carries a text alternative.
            unlabelled = page.evaluate(
                """() => Array.from(document.querySelectorAll('.vega-embed'))
                  .filter(e => !(e.getAttribute('aria-label') ||
                                 e.querySelector('svg[aria-label], [role=graphics-document]')))
                  .length"""
            )
            assert unlabelled == 0, f"{notebook} {lang} {theme}: {unlabelled} charts unlabelled"
            if notebook == "01_industry.ipynb" and lang == "zh":
                screenshot(page, f"a11y-industry-{theme}")
        finally:
            context.close()
    assert not found, "\n".join(found)


@pytest.mark.browser
def test_keyboard_reaches_every_control(
    server: VoilaServer, browser: Browser, page_log: PageLog
) -> None:
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN")
    try:
        page = open_page(context, page_log)
        page.goto(server.render_url("01_industry.ipynb", "lang=en"))
        wait_for_app(page)
        controls = page.evaluate(
            """() => Array.from(document.querySelectorAll(['button', 'select', 'input', 'a[href]']
                 .map(s => '.briefing-app ' + s).join(', ')))
               .filter(e => e.getClientRects().length && !e.disabled).length"""
        )
        assert controls > 10
        page.evaluate("document.activeElement && document.activeElement.blur()")
        reached: set[str] = set()
        for _ in range(controls * 2 + 20):
            page.keyboard.press("Tab")
            key = page.evaluate(
                """() => { const e = document.activeElement;
                   if (!e || !e.closest('.briefing-app')) return '';
                   return e.tagName + '|' + (e.textContent || e.value || '').trim().slice(0, 40)
                          + '|' + Array.from(document.querySelectorAll('*')).indexOf(e); }"""
            )
            if key:
                reached.add(key)
        # Each visible control took the focus once on the way round.
        assert len(reached) >= controls, (len(reached), controls)
    finally:
        context.close()
    assert page_log.errors == []
