"""`numerical()` partial derivatives of user functions: values against closed forms and
finite differences, under every transformation, in float32 and float64."""

from __future__ import annotations

import jax
import jax.numpy as jnp
import mpmath as mp
import numpy as np
import pytest
import scipy.special as sc

import autocallback as ac
from autocallback import host_function, numerical

KV_Z = "-kv(v - 1, z) - v / z * kv(v, z)"


def _kv() -> ac.HostFunction:
    return host_function(sc.kv, derivatives={"v": numerical(), "z": KV_Z})


def _dkv(orders: tuple[int, int], v: float, z: float) -> float:
    mp.mp.dps = 30
    return float(mp.diff(lambda a, b: mp.besselk(a, b), (v, z), orders))


def test_first_order_matches_mpmath(enable_x64):
    kv = _kv()
    v = np.array([0.3, 1.5, 4.25, 9.0])
    z = np.array([0.4, 2.0, 3.3, 12.0])
    got = jax.jit(jax.vmap(jax.grad(kv, argnums=0)))(v, z)
    want = [_dkv((1, 0), a, b) for a, b in zip(v, z, strict=True)]
    np.testing.assert_allclose(got, want, rtol=1e-9)


def test_second_order_and_mixed_match_mpmath(enable_x64):
    kv = _kv()
    h = jax.hessian(kv, argnums=(0, 1))(1.5, 2.0)
    np.testing.assert_allclose(h[0][0], _dkv((2, 0), 1.5, 2.0), rtol=1e-6)
    np.testing.assert_allclose(h[0][1], _dkv((1, 1), 1.5, 2.0), rtol=1e-6)
    np.testing.assert_allclose(h[1][0], h[0][1], rtol=1e-12)
    np.testing.assert_allclose(h[1][1], _dkv((0, 2), 1.5, 2.0), rtol=1e-10)


def test_third_order(enable_x64):
    f = host_function(sc.gamma, derivatives={"z": numerical()})
    d3 = jax.grad(jax.grad(jax.grad(f)))(2.5)
    mp.mp.dps = 30
    np.testing.assert_allclose(d3, float(mp.diff(mp.gamma, 2.5, 3)), rtol=1e-4)


def test_float32_inputs_are_differentiated_in_float64():
    kv = _kv()
    g = jax.grad(kv, argnums=0)(jnp.float32(1.5), jnp.float32(2.0))
    assert g.dtype == jnp.float32
    np.testing.assert_allclose(g, _dkv((1, 0), 1.5, 2.0), rtol=1e-6)


def test_jvp_and_vmap_with_unbatched_operand(x64):
    kv = _kv()
    dtype = np.float64 if x64 else np.float32
    v = np.array([0.5, 1.5, 2.5], dtype)
    z = dtype(2.0)
    primal, tangent = jax.jvp(lambda a: kv(a, z), (v,), (np.ones_like(v),))
    np.testing.assert_allclose(primal, sc.kv(v, z), rtol=1e-6)
    want = [_dkv((1, 0), a, 2.0) for a in v]
    np.testing.assert_allclose(tangent, want, rtol=1e-6 if not x64 else 1e-9)
    batched = jax.vmap(jax.grad(kv, argnums=0), in_axes=(0, None))(v, z)
    np.testing.assert_allclose(batched, tangent, rtol=1e-6)


def test_numerical_in_every_argument_and_check(enable_x64):
    f = host_function(
        lambda a, x: np.exp(-a * x) * np.sin(x),
        derivatives={"a": numerical(), "x": numerical()},
        name="damped",
    )
    a, x = 0.7, 1.3
    ga, gx = jax.grad(f, argnums=(0, 1))(a, x)
    np.testing.assert_allclose(ga, -x * np.exp(-a * x) * np.sin(x), rtol=1e-9)
    np.testing.assert_allclose(gx, np.exp(-a * x) * (np.cos(x) - a * np.sin(x)), rtol=1e-9)
    result = ac.check(f, a, x)
    assert result.grad and result.higher and set(result.differentiated) == {"a", "x"}


def test_one_sided_at_the_edge_of_the_domain(enable_x64):
    """A function undefined below 0: steps that would leave the domain are one-sided."""

    def exp_positive(a):
        a = np.asarray(a)
        return np.where(a >= 0, np.exp(a), np.nan)

    f = host_function(exp_positive, derivatives={"a": numerical()})
    got = jax.vmap(jax.grad(f))(np.array([1e-4, 0.0, 0.5]))
    np.testing.assert_allclose(got, np.exp([1e-4, 0.0, 0.5]), rtol=1e-8)


def test_declared_domain_keeps_every_step_inside(enable_x64):
    seen = []

    def log_sum(a):
        seen.append(np.min(a))
        return np.log(a) + a

    f = host_function(log_sum, derivatives={"a": numerical(domain=(0.0, None))})
    got = jax.grad(f)(1e-3)
    np.testing.assert_allclose(got, 1 / 1e-3 + 1, rtol=1e-5)
    assert min(seen) > 0


def test_step_refines_where_the_function_varies_fast(enable_x64):
    """J_v(0.1) in v at v = 20 falls by a factor of ~40 per unit of v: the default step
    alone is ~1e-6 off, the refined one is 1e-9 of mpmath's; a slow function costs
    six evaluations per point as before."""
    mp.mp.dps = 30
    jv = host_function(sc.jv, derivatives={"v": numerical(), "z": None})
    v, z = np.array([20.0, 15.0, 17.58]), np.array([0.1, 0.1, 0.054])
    got = jax.vmap(jax.grad(jv))(v, z)
    want = [float(mp.diff(lambda t, b=b: mp.besselj(t, b), a)) for a, b in zip(v, z, strict=True)]
    np.testing.assert_allclose(got, want, rtol=1e-9)
    calls = []

    def sine(a):
        calls.append(np.size(a))
        return np.sin(a)

    f = host_function(sine, derivatives={"a": numerical()})
    np.testing.assert_allclose(jax.grad(f)(0.3), np.cos(0.3), rtol=1e-11)
    assert len(calls) == 7  # the primal and the six points of the stencil


def test_declared_kinks_are_never_straddled(enable_x64):
    """|a - 1| a^2 has a kink at 1: near it the stencil shrinks or turns one-sided, so
    the derivatives are those of the side the point is on."""

    def f_host(a):
        a = np.asarray(a)
        return np.abs(a - 1) * a**2

    kinked = numerical(kinks=lambda a: np.ones_like(a))
    f = host_function(f_host, derivatives={"a": kinked})
    a = np.array([0.999, 1.0005, 0.996, 1.2])
    side = np.sign(a - 1)
    np.testing.assert_allclose(jax.vmap(jax.grad(f))(a), side * (3 * a**2 - 2 * a), rtol=1e-8)
    np.testing.assert_allclose(jax.vmap(jax.grad(jax.grad(f)))(a), side * (6 * a - 2), rtol=1e-5)
    plain = host_function(f_host, derivatives={"a": numerical()})
    assert abs(jax.grad(jax.grad(plain))(0.999) - (-(6 * 0.999 - 2))) > 1  # what kinks= fixes


def test_marker_options_and_repr():
    assert repr(numerical()) == "numerical()"
    assert repr(numerical(step=1e-3)) == "numerical(step=0.001)"
    assert numerical() == numerical() and hash(numerical()) == hash(numerical())
    kv = _kv()
    assert kv.derivatives["v"] == numerical()
    with pytest.raises(ValueError, match=r"`numerical`: step must be a number in \(0, 1\)"):
        numerical(step=2.0)
    with pytest.raises(ValueError, match=r"`numerical`: domain needs low < high"):
        numerical(domain=(1.0, 0.0))
    with pytest.raises(ValueError, match=r"`numerical`: kinks must be a function"):
        numerical(kinks=1.0)  # type: ignore[arg-type]
    nearest = np.round
    assert numerical(kinks=nearest) == numerical(kinks=nearest) != numerical()
    assert repr(numerical(kinks=nearest)) == f"numerical(kinks={nearest!r})"


def test_expr_with_numerical_fills_what_sympy_cannot_close(enable_x64):
    kv = host_function(sc.kv, expr="besselk(v, z)", derivatives={"v": numerical()})
    np.testing.assert_allclose(jax.grad(kv, argnums=0)(1.5, 2.0), _dkv((1, 0), 1.5, 2.0), rtol=1e-9)
    np.testing.assert_allclose(
        jax.grad(kv, argnums=1)(1.5, 2.0), _dkv((0, 1), 1.5, 2.0), rtol=1e-10
    )


def test_one_fused_host_call_per_order(host_calls, enable_x64):
    """The numerical partial joins the host call of the other partials of its order."""

    def kv(v, z):
        return sc.kv(v, z)

    kv = host_function(kv, derivatives={"v": numerical(), "z": KV_Z})
    f = jax.jit(jax.grad(lambda v, z: kv(v, z).sum(), argnums=(0, 1)))
    f(np.array([1.5, 2.5]), np.array([2.0, 3.0]))
    host_calls.reset()
    f(np.array([1.5, 2.5]), np.array([2.0, 3.0]))
    assert host_calls.count() == 1
