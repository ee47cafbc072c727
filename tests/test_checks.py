"""The one number check: real numbers only, finite, within stated bounds, clear messages."""

import numpy as np
import pytest

from mtorlib import checks


@pytest.mark.parametrize("value", [2, 2.0, np.int64(2), np.float32(2.0)])
def test_number_accepts_python_and_numpy_reals(value):
    assert checks.number(value, "dose_mg", "f", lo=0, lo_open=True) == 2.0


@pytest.mark.parametrize(
    "value, fragment",
    [
        (True, "got True"),
        ("2", "got '2'"),
        (None, "got None"),
        (float("nan"), "got nan"),
        (float("inf"), "got inf"),
        (10**400, "too large"),
        (0, "got 0"),
        (-1.5, "got -1.5"),
        (101, "got 101"),
    ],
)
def test_number_refuses_with_name_place_and_allowed(value, fragment):
    with pytest.raises(checks.InputError) as err:
        checks.number(value, "dose_mg", "regimen.repeated", lo=0, hi=100, lo_open=True)
    msg = str(err.value)
    assert msg.startswith("dose_mg must be a finite number > 0 and <= 100;")
    assert fragment in msg and "(regimen.repeated)" in msg


def test_number_raises_the_callers_error_class():
    class AreaError(ValueError):
        pass

    with pytest.raises(AreaError):
        checks.number(-1, "x", "f", lo=0, error=AreaError)


def test_integer_bounds_and_types():
    assert checks.integer(np.int32(3), "n", "f", lo=1) == 3
    for bad in (2.0, True, "3", 0, 10**30):
        with pytest.raises(checks.InputError, match=r"n must be a whole number >= 1 and <= 100"):
            checks.integer(bad, "n", "f", lo=1, hi=100)
