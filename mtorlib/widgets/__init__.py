"""Thin ipywidgets views over the pure engines, one module per view.

Each view returns a record with ``widget`` (what a notebook displays), ``controls`` and ``last``
(the last result), so a test can set a control and compare with the pure pipeline.
"""
