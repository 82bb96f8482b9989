"""What a viewer of the briefing waits for: page, interaction, import and memory figures.

Run with ``python -m benchmarks.run`` from the repository root (``make bench``). Figures,
not pass/fail: the run writes ``benchmarks/results.json`` and ``benchmarks/RESULTS.md``.
"""
