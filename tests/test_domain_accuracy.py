"""Catalogue derivatives across each function's whole domain, against mpmath.

`tests/domain_references.json` (written by `tools/gen_domain_references.py`, from mpmath
alone) holds, for every catalogue function that mpmath can evaluate, 15 seeded random
points drawn across the ranges people use (orders 0-20, arguments 0.05-30 log-uniform,
probabilities 0.01-0.99, degrees 0-15, shape parameters 0.3-30, adapted per family), and
at each point mpmath's value, its first derivative in every continuous argument and one
second derivative (in the argument computed numerically where there is one), by
`mpmath.diff` at 30 digits. Each function is checked in float64 with one `jax.jit` of a
`jax.vmap` over its points: `jax.grad` in every continuous argument and the second
derivative by nested `jax.grad` (`jax.jvp` for complex-valued functions).

The tolerance rule, with f the function's value at the point (mpmath's) and e SciPy's
own error there, |SciPy's value - f| (measured here):

- first derivatives: |got - want| <= 1e-8 |want| + 1e-11 |f| + 1e3 e;
- second derivatives: |got - want| <= 1e-5 |want| + 1e-8 |f| + 1e6 e.

The terms in |f| are the function's own size, so a derivative that vanishes where the
function does not is held to the accuracy of the function's value. The terms in e are
what an error of SciPy's of that size does to a difference quotient at the default step
(2**-7, a quarter of it at the finest level: 1/h and 1/h^2): no derivative of SciPy's
function can be more accurate than SciPy's value allows, and where SciPy is accurate to
float64 they are far below the others. Points where SciPy's own value is not accurate to
1e-10 relative (near zeros of oscillating functions, in underflowing tails) are left out,
as the issue's target asks; every function keeps at least two thirds of its points (so a
function cannot pass by losing them all).

Functions with several outputs are checked output by output (a value left out is one
output at one point). Not here: functions mpmath cannot evaluate (Mathieu, spheroidal),
the inverses of the noncentral distributions (a root of an 80-term mpmath series per
evaluation: too slow to generate), `it2struve0` and `it2j0y0` (oscillatory integrals to
infinity), and `itairy`, whose SciPy value is off by about 1e-7 (measured: the test
asserts it); `tests/test_special_*.py` check them at their sample points. The catalogue page
(`docs/catalogue.md`, "Accuracy across the domain") lists them and summarises this test
per method.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import jax
import jax.numpy as jnp
import numpy as np
import pytest

from autocallback import special

REFERENCES = Path(__file__).resolve().parent / "domain_references.json"
RTOL1, ATOL1, SCIPY1 = 1e-8, 1e-11, 1e3
RTOL2, ATOL2, SCIPY2 = 1e-5, 1e-8, 1e6
VALUE_RTOL = 1e-10
MIN_KEPT = 2 / 3
# Functions whose SciPy value is off by more than 1e-10 almost everywhere (measured by
# `test_derivatives_across_the_domain`, which asserts it instead): no derivative check
# of SciPy's function is meaningful at 1e-8 there. SciPy's itairy is off by ~1e-7.
SCIPY_INACCURATE = {"itairy"}
# Checks left out because SciPy's value is inaccurate next to the point, within the
# difference stencil (measured by `test_left_out_checks_are_scipys_own_inaccuracy`):
# name -> (point, argument, where SciPy is off, by more than).
NEAR_SCIPY_ERRORS = {
    # SciPy's pbvv is off by 1e-4 relative within 1e-6 of an integer order, and by 1e-10
    # already at v + 2**-7 here (4.99914), a point of the stencil in v.
    "pbvv": (
        (4.991328342656067, 3.3390133686714005),
        "v",
        [(4.99914084265607, 1e-10), (5.000001, 1e-5)],
    ),
}


@cache
def _references() -> dict[str, Any]:
    return json.loads(REFERENCES.read_text())


def _array(values: list[Any], outputs: int) -> np.ndarray:
    """Reference numbers as an array (points, outputs); [re, im] pairs are complex."""

    def number(v: Any) -> Any:
        return complex(*v) if isinstance(v, list) else v

    rows = [[number(v) for v in p] if outputs > 1 else [number(p)] for p in values]
    return np.array(rows)


def _derivatives(
    fn: Any, outputs: int, continuous: list[int], second: int, is_complex: bool
) -> Any:
    """One jitted, vmapped function of a point: (first partials, second partial), each
    with one entry per output."""

    def partial(f: Any, i: int) -> Any:
        if not is_complex:
            return jax.grad(f, argnums=i)

        def d(*args: Any) -> Any:
            tangents = [jnp.zeros_like(a) for a in args]
            tangents[i] = jnp.ones_like(args[i])
            return jax.jvp(f, args, tuple(tangents))[1]

        return d

    def output(k: int) -> Any:
        return (lambda *a: fn(*a)[k]) if outputs > 1 else fn

    def point(*args: Any) -> Any:
        firsts = [
            jnp.stack([partial(output(k), i)(*args) for k in range(outputs)]) for i in continuous
        ]
        seconds = [partial(partial(output(k), second), second)(*args) for k in range(outputs)]
        return firsts, jnp.stack(seconds)

    return jax.jit(jax.vmap(point))


@dataclass(frozen=True)
class Check:
    """One derivative at one point: what was found, what was wanted, and the bound."""

    name: str
    label: str  # "d/dv" or "d2/dv2"
    param: str
    order: int
    point: tuple[float, ...]
    got: complex
    want: complex
    bound: float

    @property
    def error(self) -> float:
        return abs(self.got - self.want)

    @property
    def passed(self) -> bool:
        return bool(self.error <= self.bound)

    def __str__(self) -> str:
        rel = self.error / abs(self.want) if self.want else np.inf
        return (
            f"{self.name} {self.label} at {self.point}: got {self.got!r}, want {self.want!r} "
            f"(relative error {rel:.2g}, bound {self.bound:.2g})"
        )


def measure(name: str) -> tuple[list[Check], int]:
    """(every check of `name`, values left out for SciPy's own error: points times
    outputs), with `jax_enable_x64` on."""
    ref = _references()[name]
    fn = getattr(special, name)
    continuous = [int(i) for i in ref["first"]]
    points = np.array(ref["points"], dtype=np.float64)
    args = [
        points[:, i].astype(np.int64) if i in ref["integers"] else points[:, i]
        for i in range(points.shape[1])
    ]
    outputs = int(ref.get("outputs", 1))
    value = _array(ref["value"], outputs)
    with np.errstate(all="ignore"):
        found = fn.__wrapped__(*args)
    scipy_value = np.stack(np.broadcast_arrays(*found) if outputs > 1 else [found], axis=-1)
    scipy_error = np.abs(scipy_value - value)
    keep = scipy_error <= VALUE_RTOL * np.abs(value)  # (points, outputs)
    is_complex = np.iscomplexobj(value) or np.iscomplexobj(scipy_value)
    second = int(ref["second_argument"])
    firsts, second_got = _derivatives(fn, outputs, continuous, second, is_complex)(
        *[jnp.asarray(a) for a in args]
    )
    results = [
        (i, 1, np.asarray(g), _array(ref["first"][str(i)], outputs))
        for i, g in zip(continuous, firsts, strict=True)
    ]
    results.append((second, 2, np.asarray(second_got), _array(ref["second"], outputs)))
    checks = []
    for i, order, got, want in results:
        param = fn.parameters[i]
        rtol, atol, scipy = (RTOL1, ATOL1, SCIPY1) if order == 1 else (RTOL2, ATOL2, SCIPY2)
        label = f"d/d{param}" if order == 1 else f"d2/d{param}2"
        near = NEAR_SCIPY_ERRORS.get(name)
        for k, o in zip(*np.nonzero(keep), strict=True):
            if near and near[1] == param and tuple(points[k]) == near[0]:
                continue
            bound = rtol * abs(want[k, o]) + atol * abs(value[k, o]) + scipy * scipy_error[k, o]
            point = tuple(float(p) for p in points[k])
            checks.append(
                Check(
                    name,
                    label + (f" (output {o})" if outputs > 1 else ""),
                    param,
                    order,
                    point,
                    got[k, o].item(),
                    want[k, o].item(),
                    float(bound),
                )
            )
    return checks, int((~keep).sum())


def test_references_cover_the_catalogue_functions_they_name():
    """Every function in the reference file is a catalogue entry whose continuous
    (differentiable) arguments are exactly the ones the file differentiates."""
    for name, ref in _references().items():
        fn = getattr(special, name)
        declared = [i for i, p in enumerate(fn.parameters) if fn.derivatives.get(p) is not None]
        assert declared == [int(i) for i in ref["first"]], name


def test_left_out_checks_are_scipys_own_inaccuracy():
    """SciPy's value next to each left-out point is off by more than it says (mpmath)."""
    import mpmath as mp

    mp.mp.dps = 30
    refs = {"pbvv": lambda v, x: mp.pcfv(-v - mp.mpf(1) / 2, x)}
    for name, (point, param, nearby) in NEAR_SCIPY_ERRORS.items():
        fn = getattr(special, name)
        assert list(point) in _references()[name]["points"], name
        i = fn.parameters.index(param)
        for where, above in nearby:
            moved = list(point)
            moved[i] = where
            want = refs[name](*[mp.mpf(a) for a in moved])
            got = np.atleast_1d(fn.__wrapped__(*moved))[0]
            assert abs((got - want) / want) > above, (name, moved)


@pytest.mark.parametrize("name", sorted(_references()))
def test_derivatives_across_the_domain(name: str, enable_x64: None):
    checks, left_out = measure(name)
    ref = _references()[name]
    points = len(ref["points"]) * int(ref.get("outputs", 1))
    if name in SCIPY_INACCURATE:
        assert left_out > MIN_KEPT * points, f"{name}: SciPy's value is accurate: check it"
        return
    assert left_out <= (1 - MIN_KEPT) * points, (
        f"{name}: SciPy's value is off by more than {VALUE_RTOL} at {left_out} of {points} points"
    )
    failed = [str(c) for c in checks if not c.passed]
    assert not failed, f"{len(failed)} of {len(checks)} checks fail:\n" + "\n".join(failed)
