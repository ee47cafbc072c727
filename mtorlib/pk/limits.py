"""Bounds of the PK engine's inputs (the library's input policy, ``docs/DEVELOPING.md``).

Dosing bounds (dose, interval, horizon, number of doses) are those of :mod:`mtorlib.regimen`. The
bounds here keep every result finite and every call within a few seconds and a few hundred MB:

* :data:`PARAMETER_BOUNDS` — each PK parameter (L, L/h, 1/h, fraction): six orders of magnitude
  around the published sirolimus and everolimus values (CL/F about 1-30 L/h, V/F tens to
  thousands of L, ka about 0.1-10 /h), so no model is refused, while a volume of 1e-300 L (an
  infinite concentration) or a clearance of 1e300 L/h is.
* :data:`MAX_SUBJECTS` — virtual patients in one simulation; :data:`MAX_PARAMETER_SETS` —
  parameter sets in one :func:`mtorlib.pk.predict` call (8 MB per parameter).
* :data:`MAX_OUTPUT_VALUES` — subjects × output times of one :func:`mtorlib.pk.predict` call
  (8 bytes each: at most 200 MB for the output).
* :data:`MAX_SUBJECT_DOSES` — subjects × doses (24 bytes each for the amounts after each dose).
* :data:`MIN_CONC_NG_ML`, :data:`MAX_CONC_NG_ML` — a concentration typed in (measured level,
  target, window): far outside any reported whole-blood level (troughs are single or double-digit
  ng/mL); teaching bounds that keep ratios finite, not label values.
"""

from __future__ import annotations

PARAMETER_BOUNDS = {
    "ka_per_h": (1e-4, 1e4),
    "cl_l_h": (1e-4, 1e5),
    "vc_l": (1e-2, 1e6),
    "q_l_h": (1e-4, 1e5),
    "vp_l": (1e-2, 1e7),
    "f_rel": (1e-3, 1e3),
}
MAX_SUBJECTS = 100_000
MAX_PARAMETER_SETS = 1_000_000  # parameter sets in one predict() call (e.g. a MAP objective grid)
MAX_OUTPUT_VALUES = 25_000_000
MAX_SUBJECT_DOSES = 5_000_000
MAX_BANDS = 100
MAX_DOSE_LEVELS = 100
MAX_FRAME_ROWS = 5_000_000  # rows of a simulate() frame (24 bytes each: 120 MB)
MAX_CONC_NG_ML = 10_000.0
#: Smallest concentration typed in (ng/mL): a teaching floor far below any level a learner meets;
#: it keeps ratios such as target / measured finite.
MIN_CONC_NG_ML = 0.01
