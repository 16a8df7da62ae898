"""Measurements, not tests: how the handbook's cost grows with its size (run from the project's root).

    python -m tests.benchmarks.benchmark --sizes 1000,5000,20000
    python -m tests.benchmarks.search_benchmark --sizes 1000

They import the generator; the generator never imports them, and they are not installed with it.
"""
