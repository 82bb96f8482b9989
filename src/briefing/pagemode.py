"""How the page was asked for: its language, light or dark theme, and meeting mode.

Read from the page's query string (``?lang=en&theme=dark&present=1``) once per kernel (one
kernel serves one page), and consulted by the charts (colours and text sizes) and by the
apps (meeting mode composes one chart or one group of cards per slide). Imports nothing of
the project but the language list, so any layer may ask.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from briefing.i18n import DEFAULT_LANG, LANGS

_TRUE = {"1", "true", "yes", "on"}


@dataclass(frozen=True)
class PageMode:
    """The page's language, theme (``light`` or ``dark``) and whether it is presented."""

    lang: str = DEFAULT_LANG
    theme: str = "light"
    present: bool = False

    @property
    def dark(self) -> bool:
        return self.theme == "dark"

    @classmethod
    def from_params(cls, params: Mapping[str, str]) -> PageMode:
        """Read the query parameters; anything unknown falls back to the default.

        Examples
        --------
        >>> PageMode.from_params({"lang": "en", "theme": "dark", "present": "1"})
        PageMode(lang='en', theme='dark', present=True)
        >>> PageMode.from_params({"lang": "fr", "theme": "JupyterLab Dark", "present": "no"})
        PageMode(lang='zh', theme='dark', present=False)
        """
        lang = params.get("lang", DEFAULT_LANG)
        theme = "dark" if "dark" in params.get("theme", "").lower() else "light"
        present = params.get("present", "").lower() in _TRUE
        return cls(lang if lang in LANGS else DEFAULT_LANG, theme, present)

    def query(self, **changes: str) -> str:
        """The query string that asks for this mode again (defaults left out).

        Examples
        --------
        >>> PageMode("en", "dark", True).query()
        '?lang=en&theme=dark&present=1'
        >>> PageMode().query(), PageMode().query(lang="en")
        ('', '?lang=en')
        """
        values = {"lang": self.lang, "theme": self.theme, "present": "1" if self.present else ""}
        values.update(changes)
        defaults = {"lang": DEFAULT_LANG, "theme": "light", "present": ""}
        pairs = [f"{k}={v}" for k, v in values.items() if v and v != defaults[k]]
        return "?" + "&".join(pairs) if pairs else ""


_current = PageMode()


def current() -> PageMode:
    """The mode of the page this kernel serves (light, not presented, until told)."""
    return _current


def use(mode: PageMode) -> None:
    """Set the mode of this kernel's page (done by the apps once the query is known)."""
    global _current
    _current = mode
