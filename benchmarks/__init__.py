"""Speed benchmarks: ``python -m benchmarks`` (``make bench``); not part of ``make test``."""
