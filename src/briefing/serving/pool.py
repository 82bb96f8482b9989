"""Kernels and pages: the pre-heated pool for every theme, and who holds which kernel.

Voila 0.5.13 takes a pre-heated kernel only for a page asking for the theme the pool
rendered with, so every ``?theme=dark`` page started a kernel of its own (cold, several
seconds). The kernel never needs the theme: the render handler takes the theme out of the
request (the pool serves the page) and :class:`Retheme` rewrites the few places of the page
that name it. The language (``?lang=``) reaches the kernel with the query string, and always
used the pool.
"""

from __future__ import annotations

from typing import Any

from briefing.serving.limits import Guard, current_page

#: Theme values served from the pool: the name the page asks for, the one the page shows.
POOL_THEMES = {
    "light": "light",
    "JupyterLab Light": "light",
    "dark": "dark",
    "JupyterLab Dark": "dark",
}

#: What names the light theme in a page of the briefing template, and its dark counterpart.
_LIGHT_TO_DARK = (
    ("static/theme-light.css", "static/theme-dark.css"),
    ('class="jp-Notebook theme-light"', 'class="jp-Notebook theme-dark"'),
    ('data-jp-theme-light="true"', 'data-jp-theme-light="false"'),
    ('data-jp-theme-name="JupyterLab Light"', 'data-jp-theme-name="JupyterLab Dark"'),
)


class Retheme:
    """Rewrites a page rendered in the light theme into ``theme``, up to its ``<body>`` tag.

    >>> page = Retheme("dark")
    >>> page('<link href="x/static/theme-light.css">')
    '<link href="x/static/theme-dark.css">'
    >>> page('<body class="jp-Notebook theme-light" data-jp-theme-light="true"><p>')
    '<body class="jp-Notebook theme-dark" data-jp-theme-light="false"><p>'
    >>> page('<p>data-jp-theme-light="true"</p>')  # after the body tag: left as it is
    '<p>data-jp-theme-light="true"</p>'
    """

    def __init__(self, theme: str) -> None:
        self.theme = theme
        self.done = theme == "light"

    def __call__(self, chunk: str) -> str:
        if self.done:
            return chunk
        head, marker, rest = chunk.partition("<body")
        if marker:
            body_tag, end, after = rest.partition(">")
            head = head + marker + body_tag + end
            tail = after
            self.done = True
        else:
            tail = ""
        for light, dark in _LIGHT_TO_DARK:
            head = head.replace(light, dark)
        return head + tail


def pool_theme(requested: str | None, configured: str) -> str | None:
    """The theme to rewrite the pooled page into, if the pool can serve ``requested``.

    >>> pool_theme("dark", "light"), pool_theme(None, "light"), pool_theme("Solarized", "light")
    ('dark', None, None)
    """
    if requested is None or configured not in ("light", "JupyterLab Light"):
        return None
    return POOL_THEMES.get(requested)


def owned_kernel_manager(base: type[Any]) -> type[Any]:
    """``base`` (a kernel manager class) recording which page client holds which kernel.

    The kernel of a page is known to the render handler only through the kernel manager:
    Voila starts it (or takes it from the pool) inside the handler. The handler sets
    :data:`~briefing.serving.limits.current_page`; the manager fills it in and tells the
    :class:`~briefing.serving.limits.Guard` (its ``briefing_guard`` attribute).
    """

    class OwnedKernelManager(base):  # type: ignore[misc]
        briefing_guard: Guard | None = None

        def _claimed(self, kernel_id: str) -> None:
            ticket = current_page.get()
            if ticket is not None and ticket.kernel_id is None and self.briefing_guard:
                ticket.kernel_id = kernel_id
                self.briefing_guard.claim(kernel_id, ticket.client)

        async def start_kernel(self, *args: Any, **kwargs: Any) -> Any:
            kernel_id = await super().start_kernel(*args, **kwargs)
            if (kwargs.get("env") or {}).get("VOILA_PREHEAT") != "True":
                self._claimed(str(kernel_id))
            return kernel_id

        async def shutdown_kernel(self, kernel_id: str, *args: Any, **kwargs: Any) -> Any:
            if self.briefing_guard is not None:
                self.briefing_guard.forget(kernel_id)
            return await super().shutdown_kernel(kernel_id, *args, **kwargs)

        if hasattr(base, "get_rendered_notebook"):

            async def get_rendered_notebook(self, *args: Any, **kwargs: Any) -> Any:
                result = await super().get_rendered_notebook(*args, **kwargs)
                self._claimed(str(result[2]))
                return result

    return OwnedKernelManager
