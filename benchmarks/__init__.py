"""aslkit benchmarks: speed measured against baselines in the same run, printed as ratios.

Run ``python -m benchmarks`` (or ``python benchmarks/run.py``) from the project root; see ``run.py``.
Numbers are printed, never asserted: timing tests flake, ratios measured side by side do not.
"""
