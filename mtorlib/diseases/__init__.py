"""Pure disease logic behind the disease notebooks' interactive elements (no widgets, no charts).

* :mod:`.alps` -- the revised NIH 2009 ALPS criteria as data and a classifier
  (definitive / probable / not ALPS, with the reason for each criterion).
* :mod:`.prca` -- sourced PRCA response rates and times to response as a tidy frame over months.
"""

from . import alps, prca  # noqa: F401,E402  (each registers its content rule)
