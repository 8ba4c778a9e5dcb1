"""The benchmark behind ``make bench`` (issue 5): a dataset on PostgreSQL, scenarios through gunicorn, results.

Not part of the test suite: timings are measured here, never asserted in tests. See docs/performance.md.
"""
