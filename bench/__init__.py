"""KneeAssess benchmarks: ``make bench`` (or ``.venv/bin/python -m bench``) prints tables and writes RESULTS.md.

Nothing here is a test: the figures are printed and written down, never asserted. Every part is bounded in time
and in requests, and talks only to 127.0.0.1.
"""
