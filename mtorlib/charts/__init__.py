"""Altair chart builders, one module per area (``charts.pk``, ``charts.tdm``, ``charts.cases``).

Each function takes tidy DataFrames and returns an ``alt.Chart`` (never displayed); render it with
``mtorlib.render.show`` or export it with ``mtorlib.render.export``.
"""
