"""What keeps one anonymous viewer from hurting the others (used by :mod:`briefing.serve`).

* :mod:`~briefing.serving.frames` checks a kernel websocket frame before Jupyter parses it
  and hides errors in what the kernel sends back (the detail goes to the server log);
* :mod:`~briefing.serving.limits` holds the limits (``ServingLimits`` in ``voila.json``) and
  who holds which kernel and socket; it frees the kernels of closed and unclaimed pages;
* :mod:`~briefing.serving.handlers` holds the request handlers that apply them, and the
  checks of malformed and hidden paths;
* :mod:`~briefing.serving.pool` lets the pre-heated kernels serve every theme.
"""
