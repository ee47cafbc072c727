"""Errors of the PK area: bad numbers or names raise these, never a silent default."""

from __future__ import annotations


class PKInputError(ValueError):
    """A PK input (parameter, covariate, dose, time, modifier name) is invalid."""


class UnknownNameError(PKInputError, LookupError):
    """A model, covariate or modifier name is not known; the message lists the valid names."""
