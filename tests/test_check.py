"""`check`: every failure is an `AssertionError` naming the function and the check."""

from __future__ import annotations

import jax
import jax.numpy as jnp
import numpy as np
import pytest

import autocallback as ac
from autocallback import host_function


def raising(x):
    raise ValueError("no value here")


def wrong_shape(x):
    return np.zeros(3)


def complex_values(x):
    return np.sqrt(x + 0j) * 1j


def wrong_derivative(x):
    return np.sin(x)


@pytest.mark.parametrize(
    ("fn", "expected"),
    [
        (
            host_function(raising),
            "check of `raising` failed: eager call: ValueError: `raising` raised ValueError "
            "on the host: no value here",
        ),
        (
            host_function(wrong_shape, out=jax.ShapeDtypeStruct((2,), jnp.float32)),
            "check of `wrong_shape` failed: eager call: HostCallError: `wrong_shape` returned "
            "output of shape (3,) on the host; the declared shape is (2,)",
        ),
        (
            host_function(complex_values),
            "check of `complex_values` failed: eager call: HostCallError: `complex_values` "
            "returned complex values on the host",
        ),
        (
            host_function(wrong_derivative, derivatives={"x": "sin(x)"}),
            "check of `wrong_derivative` failed: derivative of order 1 with respect to 'x'",
        ),
    ],
    ids=["host raises", "host shape", "host dtype", "derivative"],
)
def test_every_failure_is_an_assertion_error(fn, expected):
    with pytest.raises(AssertionError) as info:
        ac.check(fn, 0.7)
    assert str(info.value).startswith(expected), str(info.value)


def test_host_error_in_a_derivative(fresh_name):
    def fails_above_five(x):
        if np.any(x > 5):
            raise ZeroDivisionError("too large")
        return np.cos(x)

    name = fresh_name()
    ac.register(name, host_function(fails_above_five))
    fn = host_function(np.sin, derivatives={"x": f"{name}(x + 10)"}, name="shifted")
    with pytest.raises(AssertionError, match=r"^check of `shifted` failed: derivative") as info:
        ac.check(fn, 0.7)
    assert "ZeroDivisionError" in str(info.value)
    assert "too large" in str(info.value)


def test_passing_check_and_usage_errors():
    ok = host_function(np.sin, derivatives={"x": "cos(x)"})
    result = ac.check(ok, 0.7)
    assert result.grad and result.higher and result.differentiated == ("x",)
    with pytest.raises(TypeError, match="`check` verifies functions decorated"):
        ac.check(np.sin, 0.7)
    with pytest.raises(TypeError, match="`check` of `sin`"):
        ac.check(ok, 0.7, 0.8)
