"""Derivatives: formulas, `expr=` (SymPy), JAX callables, `None`, `jvp=`; every order,
forward and reverse, complex holomorphic functions, several outputs, and the number of
host calls per derivative order."""

from __future__ import annotations

import jax
import jax.numpy as jnp
import mpmath
import numpy as np
import pytest
import scipy.special as sc
from jax.test_util import check_grads

import autocallback as ac
from autocallback import FormulaError, host_function

SEED_FORMULA = "(jv(v - 1, z) - jv(v + 1, z)) / 2"


def make_jv(spelling):
    if spelling == "formula":
        return host_function(sc.jv, derivatives={"v": None, "z": SEED_FORMULA})
    return host_function(sc.jv, expr="besselj(v, z)")


def mp_jv_derivative(v, z, n):
    return float(mpmath.diff(lambda t: mpmath.besselj(v, t), z, n))


# --------------------------------------------------------------------------------------
# The seed example, in both spellings


@pytest.mark.parametrize("spelling", ["formula", "expr"])
def test_seed_values_and_transformations(spelling, x64):
    jv = make_jv(spelling)
    z = np.linspace(0.5, 6.0, 9)
    tol = dict(rtol=1e-12, atol=1e-14) if x64 else dict(rtol=2e-5, atol=1e-6)
    np.testing.assert_allclose(jv(1, z), sc.jv(1, z), **tol)
    np.testing.assert_allclose(jax.jit(jv)(1, z), sc.jv(1, z), **tol)
    np.testing.assert_allclose(
        jax.vmap(jv, in_axes=(0, None))(np.array([0.0, 1.0, 2.5]), z),
        sc.jv(np.array([0.0, 1.0, 2.5])[:, None], z),
        **tol,
    )
    grads = jax.vmap(jax.grad(jv, argnums=1), in_axes=(None, 0))(1, z)
    np.testing.assert_allclose(grads, (sc.jv(0, z) - sc.jv(2, z)) / 2, **tol)
    np.testing.assert_allclose(
        jax.jit(jax.grad(lambda z: jv(2.5, z)))(1.3), mp_jv_derivative(2.5, 1.3, 1), **tol
    )


@pytest.mark.parametrize("spelling", ["formula", "expr"])
def test_seed_hessian_float32(spelling):
    previous = jax.config.read("jax_enable_x64")
    jax.config.update("jax_enable_x64", False)
    try:
        jv = make_jv(spelling)
        h = jax.hessian(lambda z: jv(1, z))(2.0)
        assert h.dtype == np.float32
        np.testing.assert_allclose(h, -0.4003078, rtol=1e-6)
        np.testing.assert_allclose(h, mp_jv_derivative(1, 2.0, 2), rtol=1e-6)
    finally:
        jax.config.update("jax_enable_x64", previous)


@pytest.mark.parametrize("spelling", ["formula", "expr"])
def test_seed_check_grads_float64(spelling, enable_x64):
    jv = make_jv(spelling)
    check_grads(lambda z: jv(1, z), (1.7,), order=3, modes=("fwd", "rev"))
    check_grads(lambda z: jv(2.5, z), (np.array([0.4, 3.1]),), order=1, modes=("fwd", "rev"))


@pytest.mark.parametrize("spelling", ["formula", "expr"])
def test_seed_higher_orders_against_mpmath(spelling, enable_x64):
    jv = make_jv(spelling)
    f = lambda z: jv(1.5, z)  # noqa: E731
    d = f
    for n in range(1, 5):
        d = jax.grad(d)
        np.testing.assert_allclose(d(2.2), mp_jv_derivative(1.5, 2.2, n), rtol=1e-9)


def test_expr_derivatives_are_recorded():
    jv = make_jv("expr")
    assert set(jv.derivatives) == {"z"}
    assert "besselj(v - 1, z)" in jv.derivatives["z"]


# --------------------------------------------------------------------------------------
# check_grads in float64, orders 1-3


def test_check_grads_erf_from_expr(enable_x64):
    erf = host_function(sc.erf, expr="erf(z)")
    assert erf.derivatives["z"].replace(" ", "") in ("2*exp(-z**2)/sqrt(pi)",)
    check_grads(erf, (0.3,), order=3, modes=("fwd", "rev"))
    check_grads(erf, (np.array([-1.2, 0.0, 0.8]),), order=1, modes=("fwd", "rev"))
    np.testing.assert_allclose(jax.grad(erf)(0.3), 2 / np.sqrt(np.pi) * np.exp(-0.09), rtol=1e-14)


def test_check_grads_kv_with_nondifferentiable_float_order(enable_x64):
    kv = host_function(sc.kv, derivatives={"v": None, "z": "-(kv(v - 1, z) + kv(v + 1, z)) / 2"})
    check_grads(lambda z: kv(1.5, z), (0.7,), order=3, modes=("fwd", "rev"))
    # v is a float but declared non-differentiable: its tangent is zero.
    np.testing.assert_allclose(jax.grad(kv, argnums=0)(1.5, 0.7), 0.0)
    ref = float(mpmath.diff(lambda t: mpmath.besselk(1.5, t), 0.7))
    np.testing.assert_allclose(jax.grad(kv, argnums=1)(1.5, 0.7), ref, rtol=1e-12)


def test_check_grads_two_arguments_with_formulas(enable_x64):
    @host_function(derivatives={"x": "y*cos(x*y)", "y": "x*cos(x*y)"})
    def sinxy(x, y):
        return np.sin(x * y)

    check_grads(sinxy, (0.3, 0.7), order=2, modes=("fwd", "rev"))
    x, y = 0.3, 0.7
    hess = jax.hessian(sinxy, argnums=(0, 1))(x, y)
    s, c = np.sin(x * y), np.cos(x * y)
    expected = [[-(y**2) * s, c - x * y * s], [c - x * y * s, -(x**2) * s]]
    np.testing.assert_allclose(np.array(hess, dtype=float), expected, rtol=1e-12)


def test_check_grads_with_integer_arguments(enable_x64):
    @host_function(derivatives={"x": "n*x**(n - 1)"})
    def power(x, n):
        return x**n

    check_grads(lambda x: power(x, 3), (0.7,), order=2, modes=("fwd", "rev"))
    np.testing.assert_allclose(jax.grad(power)(0.7, 3), 3 * 0.7**2, rtol=1e-14)
    # The integer argument is non-differentiable: no derivative needed, zero tangent.
    out, tangent = jax.jvp(lambda x: power(x, np.int32(4)), (2.0,), (1.0,))
    np.testing.assert_allclose(out, 16.0)
    np.testing.assert_allclose(tangent, 32.0)
    jv = make_jv("formula")
    check_grads(lambda z: jv(np.int64(2), z), (1.1,), order=2, modes=("fwd", "rev"))


def test_check_grads_elementwise_arrays_broadcast(enable_x64):
    @host_function(derivatives={"a": "x**2", "x": "2*a*x"})
    def scaled_square(a, x):
        return a * x**2

    a = np.array([[1.0], [2.0]])
    x = np.array([0.5, -1.0, 2.0])
    check_grads(scaled_square, (a, x), order=2, modes=("fwd", "rev"))
    jac = jax.jacrev(scaled_square, argnums=1)(a, x)
    assert jac.shape == (2, 3, 3)
    np.testing.assert_allclose(jac[1], np.diag(2 * 2.0 * x))


# --------------------------------------------------------------------------------------
# Complex


def test_holomorphic_expr_exp_sin(enable_x64):
    @host_function(expr="exp(z)*sin(z)")
    def expsin(z):
        return np.exp(z) * np.sin(z)

    z = 0.3 + 0.4j
    want = np.exp(z) * (np.sin(z) + np.cos(z))
    np.testing.assert_allclose(jax.grad(expsin, holomorphic=True)(z), want, rtol=1e-13)
    primal, tangent = jax.jvp(expsin, (z,), (1j,))
    np.testing.assert_allclose(primal, np.exp(z) * np.sin(z), rtol=1e-13)
    np.testing.assert_allclose(tangent, 1j * want, rtol=1e-13)
    second = jax.grad(jax.grad(expsin, holomorphic=True), holomorphic=True)(z)
    np.testing.assert_allclose(second, 2 * np.exp(z) * np.cos(z), rtol=1e-13)
    check_grads(expsin, (z,), order=2, modes=("fwd", "rev"))
    zs = np.array([0.1 - 0.2j, 1.0 + 1.0j])
    np.testing.assert_allclose(
        jax.vmap(jax.grad(expsin, holomorphic=True))(zs),
        np.exp(zs) * (np.sin(zs) + np.cos(zs)),
        rtol=1e-13,
    )


def test_holomorphic_hankel1(enable_x64):
    h1 = host_function(
        sc.hankel1, derivatives={"v": None, "z": "(hankel1(v - 1, z) - hankel1(v + 1, z)) / 2"}
    )
    z = 1.5 + 0.5j
    want = (sc.hankel1(0, z) - sc.hankel1(2, z)) / 2
    np.testing.assert_allclose(
        jax.grad(lambda z: h1(1.0, z), holomorphic=True)(z), want, rtol=1e-12
    )
    _, tangent = jax.jvp(lambda z: h1(1.0, z), (z,), (0.5 - 2j,))
    np.testing.assert_allclose(tangent, (0.5 - 2j) * want, rtol=1e-12)
    ref = complex(mpmath.diff(lambda t: mpmath.hankel1(1, t), mpmath.mpc(1.5, 0.5)))
    np.testing.assert_allclose(want, ref, rtol=1e-10)


def test_real_input_complex_output_tangent(enable_x64):
    # hankel1 of a real z is complex: a real tangent gives a complex output tangent.
    h1 = host_function(sc.hankel1, expr="hankel1(v, z)")
    _, tangent = jax.jvp(lambda z: h1(0.0, z), (2.0,), (1.0,))
    np.testing.assert_allclose(tangent, -sc.hankel1(1, 2.0), rtol=1e-12)


# --------------------------------------------------------------------------------------
# JAX callables and None


def test_derivatives_as_jax_callables(enable_x64):
    @host_function(
        derivatives={"x": lambda x, y: y * jnp.cos(x * y), "y": lambda x, y: x * jnp.cos(x * y)}
    )
    def sinxy(x, y):
        return np.sin(x * y)

    check_grads(sinxy, (0.3, 0.7), order=2, modes=("fwd", "rev"))
    np.testing.assert_allclose(jax.grad(sinxy)(0.3, 0.7), 0.7 * np.cos(0.21), rtol=1e-14)
    np.testing.assert_allclose(jax.hessian(sinxy)(0.3, 0.7), -(0.7**2) * np.sin(0.21), rtol=1e-14)


def test_jax_callable_may_use_static_and_decorated_functions(enable_x64):
    jv = make_jv("formula")

    @host_function(
        static_argnames="order",
        derivatives={"z": lambda z, order: (jv(order - 1, z) - jv(order + 1, z)) / 2},
    )
    def bessel(z, order):
        return sc.jv(order, z)

    np.testing.assert_allclose(jax.grad(bessel)(1.3, 2), mp_jv_derivative(2, 1.3, 1), rtol=1e-12)
    np.testing.assert_allclose(
        jax.grad(jax.grad(bessel))(1.3, 2), mp_jv_derivative(2, 1.3, 2), rtol=1e-10
    )


def test_none_gives_zero_tangent(enable_x64):
    @host_function(derivatives={"x": "2*x", "c": None})
    def shifted_square(x, c):
        return x**2 + c

    primal, tangent = jax.jvp(shifted_square, (3.0, 5.0), (1.0, 100.0))
    np.testing.assert_allclose(primal, 14.0)
    np.testing.assert_allclose(tangent, 6.0)  # the c tangent is dropped: declared constant
    np.testing.assert_allclose(jax.grad(shifted_square, argnums=1)(3.0, 5.0), 0.0)
    assert shifted_square.derivatives["c"] is None


def test_only_none_and_callables_no_formulas(enable_x64):
    @host_function(derivatives={"x": None, "y": lambda x, y: x})
    def product(x, y):
        return x * y

    np.testing.assert_allclose(jax.grad(product, argnums=1)(3.0, 2.0), 3.0)
    np.testing.assert_allclose(jax.grad(product, argnums=0)(3.0, 2.0), 0.0)


# --------------------------------------------------------------------------------------
# Missing derivatives


def test_missing_derivative_names_function_and_argument():
    @host_function
    def no_rule(x, y):
        return x * y

    with pytest.raises(
        Exception, match=r"`no_rule` has no derivative with respect to argument 'x'"
    ):
        jax.grad(no_rule)(1.0, 2.0)
    with pytest.raises(Exception, match=r"argument 'y'[\s\S]*derivatives=[\s\S]*expr="):
        jax.grad(no_rule, argnums=1)(1.0, 2.0)
    with pytest.raises(Exception, match=r"`no_rule`[\s\S]*'x'"):
        jax.jvp(no_rule, (1.0, 2.0), (1.0, 0.0))
    # Values and integer-only use still work.
    np.testing.assert_allclose(no_rule(2.0, 3.0), 6.0)


def test_partial_derivatives_only_for_some_arguments():
    @host_function(derivatives={"x": "y"})
    def product(x, y):
        return x * y

    np.testing.assert_allclose(jax.grad(product)(1.0, 2.0), 2.0)
    with pytest.raises(
        Exception, match=r"`product` has no derivative with respect to argument 'y'"
    ):
        jax.grad(product, argnums=1)(1.0, 2.0)


def test_expr_sympy_cannot_close_names_argument():
    jv = make_jv("expr")
    np.testing.assert_allclose(
        jax.grad(jv, argnums=1)(1.0, 2.0), mp_jv_derivative(1, 2.0, 1), rtol=1e-5
    )
    with pytest.raises(Exception, match=r"`jv`[\s\S]*argument 'v'[\s\S]*derivatives="):
        jax.grad(jv, argnums=0)(1.0, 2.0)
    # ... unless v is declared constant
    jv2 = host_function(sc.jv, expr="besselj(v, z)", derivatives={"v": None})
    np.testing.assert_allclose(jax.grad(jv2, argnums=0)(1.0, 2.0), 0.0)


def test_derivatives_win_over_expr_at_every_order(enable_x64):
    # A deliberately "wrong" rule shows which one is used.
    @host_function(expr="sin(x)", derivatives={"x": "3*x**2"})
    def not_sin(x):
        return np.sin(x)

    np.testing.assert_allclose(jax.grad(not_sin)(2.0), 12.0)
    np.testing.assert_allclose(jax.grad(jax.grad(not_sin))(2.0), 12.0)
    assert not_sin.derivatives["x"] == "3*x**2"

    @host_function(expr="x*sin(y)", derivatives={"y": "0"})
    def mixed(x, y):
        return x * np.sin(y)

    np.testing.assert_allclose(jax.grad(mixed, argnums=0)(2.0, 0.5), np.sin(0.5), rtol=1e-14)
    np.testing.assert_allclose(jax.grad(mixed, argnums=1)(2.0, 0.5), 0.0)


def test_expr_head_stands_for_the_function(enable_x64):
    # The head function of expr, called with exactly the parameters (any order), is the
    # decorated function itself; derivatives recurse through it.
    @host_function(expr="besseli(v, z)", derivatives={"v": None})
    def iv(v, z):
        return sc.iv(v, z)

    ref = [float(mpmath.diff(lambda t: mpmath.besseli(0.5, t), 0.9, n)) for n in (1, 2, 3)]
    d1 = jax.grad(iv, argnums=1)
    d2 = jax.grad(d1, argnums=1)
    d3 = jax.grad(d2, argnums=1)
    np.testing.assert_allclose([d1(0.5, 0.9), d2(0.5, 0.9), d3(0.5, 0.9)], ref, rtol=1e-10)


# --------------------------------------------------------------------------------------
# Several outputs


AIRY_FORMULAS = ("airyaiprime(z)", "z*airyai(z)", "airybiprime(z)", "z*airybi(z)")


@pytest.mark.parametrize("spelling", ["derivatives", "expr"])
def test_airy_several_outputs(spelling, enable_x64):
    if spelling == "derivatives":
        airy = host_function(sc.airy, signature="()->(),(),(),()", derivatives={"z": AIRY_FORMULAS})
    else:
        airy = host_function(
            sc.airy,
            signature="()->(),(),(),()",
            expr=("airyai(z)", "airyaiprime(z)", "airybi(z)", "airybiprime(z)"),
        )
    check_grads(airy, (0.4,), order=2, modes=("fwd", "rev"))
    z = np.array([-1.0, 0.3, 1.2])
    ai, aip, bi, bip = sc.airy(z)
    derivs = [jax.vmap(jax.grad(lambda t, k=k: airy(t)[k]))(z) for k in range(4)]
    np.testing.assert_allclose(derivs, [aip, z * ai, bip, z * bi], rtol=1e-12)
    # second derivative of Ai is z Ai
    np.testing.assert_allclose(
        jax.grad(jax.grad(lambda t: airy(t)[0]))(0.7), 0.7 * sc.airy(0.7)[0], rtol=1e-12
    )


def test_several_outputs_need_one_formula_per_output():
    with pytest.raises(FormulaError, match=r"tuple of 4 formulas"):
        host_function(sc.airy, signature="()->(),(),(),()", derivatives={"z": "airyaiprime(z)"})


# --------------------------------------------------------------------------------------
# jvp= for signature functions


def _norm_jvp(primals, tangents):
    (x,), (t,) = primals, tangents
    return jnp.sum(x * t, axis=-1) / norm(x)


@host_function(signature="(n)->()", jvp=_norm_jvp)
def norm(x):
    return np.linalg.norm(x)


@host_function(signature="(n,n)->(n,n)", jvp=lambda p, t: -inv(p[0]) @ t[0] @ inv(p[0]))
def inv(a):
    return np.linalg.inv(a)


def _solve_jvp(primals, tangents):
    a, b = primals
    da, db = tangents
    x = solve(a, b)
    # Linear in the tangents through a primal-only host result: transposable.
    return jnp.einsum("...ij,...j->...i", inv(a), db - jnp.einsum("...ij,...j->...i", da, x))


@host_function(signature="(n,n),(n)->(n)", jvp=_solve_jvp)
def solve(a, b):
    return np.linalg.solve(a, b)


def test_jvp_signature_norm(enable_x64):
    x = np.array([[3.0, 4.0], [1.0, 2.0]])
    np.testing.assert_allclose(norm(x), [5.0, np.sqrt(5.0)])
    np.testing.assert_allclose(
        jax.grad(lambda x: norm(x).sum())(x), x / np.linalg.norm(x, axis=1, keepdims=True)
    )
    check_grads(norm, (x,), order=2, modes=("fwd", "rev"))
    np.testing.assert_allclose(
        jax.vmap(jax.grad(norm))(x), x / np.linalg.norm(x, axis=1, keepdims=True)
    )


def test_jvp_signature_solve(enable_x64):
    rng = np.random.default_rng(3)
    a = rng.normal(size=(3, 3)) + 3 * np.eye(3)
    b = rng.normal(size=(3,))
    np.testing.assert_allclose(solve(a, b), np.linalg.solve(a, b), rtol=1e-12)
    check_grads(solve, (a, b), order=2, modes=("fwd", "rev"))
    g = jax.grad(lambda a, b: solve(a, b).sum(), argnums=(0, 1))(a, b)
    ref_b = jax.grad(lambda b: jnp.linalg.solve(a, b).sum())(b)
    ref_a = jax.grad(lambda a: jnp.linalg.solve(a, b).sum())(a)
    np.testing.assert_allclose(g[1], ref_b, rtol=1e-10)
    np.testing.assert_allclose(g[0], ref_a, rtol=1e-10)


def test_jvp_for_out_function(enable_x64):
    @host_function(
        out=lambda x: jax.ShapeDtypeStruct(x.shape, x.dtype),
        jvp=lambda p, t: t[0] * jnp.cumsum(jnp.ones_like(p[0])),
    )
    def weighted(x):
        return x * np.arange(1, x.shape[-1] + 1)

    x = np.array([1.0, 2.0, 3.0])
    np.testing.assert_allclose(jax.grad(lambda x: weighted(x).sum())(x), [1.0, 2.0, 3.0])
    check_grads(weighted, (x,), order=1, modes=("fwd", "rev"))


def test_formulas_on_non_elementwise_raise():
    with pytest.raises(FormulaError, match=r"not elementwise[\s\S]*jvp="):
        host_function(
            lambda x: np.sum(x), name="total", signature="(n)->()", derivatives={"x": "1"}
        )
    with pytest.raises(FormulaError, match=r"not elementwise[\s\S]*jvp="):
        host_function(lambda x: x, name="ident", out="probe", expr="x")
    with pytest.raises(FormulaError, match=r"not elementwise"):
        host_function(
            lambda x: x,
            name="ident",
            out=jax.ShapeDtypeStruct((), jnp.float32),
            derivatives={"x": "1"},
        )


# --------------------------------------------------------------------------------------
# jacfwd / jacrev / hessian / nested grad


def test_jacobians_and_hessians(enable_x64):
    @host_function(expr="exp(-x**2) * cos(y)")
    def bump(x, y):
        return np.exp(-(x**2)) * np.cos(y)

    x = np.array([0.1, -0.4, 0.9])
    y = 0.3
    jf = jax.jacfwd(bump)(x, y)
    jr = jax.jacrev(bump)(x, y)
    np.testing.assert_allclose(
        jf, np.diag(-2 * x * np.exp(-(x**2)) * np.cos(y)), rtol=1e-13, atol=1e-15
    )
    np.testing.assert_allclose(jr, jf, rtol=1e-13, atol=1e-15)
    # jacfwd of jacrev, hessian and nested grad agree with closed forms
    f = lambda x: bump(x, y)  # noqa: E731
    d2 = (4 * x**2 - 2) * np.exp(-(x**2)) * np.cos(y)
    np.testing.assert_allclose(
        jnp.diagonal(jax.jacfwd(jax.jacrev(lambda x: f(x).sum()))(x)), d2, rtol=1e-12
    )
    np.testing.assert_allclose(jnp.diagonal(jax.hessian(lambda x: f(x).sum())(x)), d2, rtol=1e-12)
    np.testing.assert_allclose(jax.vmap(jax.grad(jax.grad(f)))(x), d2, rtol=1e-12)
    hxy = jax.grad(jax.grad(bump, argnums=0), argnums=1)(0.9, y)
    np.testing.assert_allclose(hxy, 2 * 0.9 * np.exp(-0.81) * np.sin(y), rtol=1e-12)
    check_grads(bump, (x, y), order=2, modes=("fwd", "rev"))


def test_vjp(enable_x64):
    jv = make_jv("formula")
    z = np.array([0.5, 1.5, 2.5])
    out, pullback = jax.vjp(lambda z: jv(1, z), z)
    (ct,) = pullback(np.array([1.0, 2.0, 3.0]))
    np.testing.assert_allclose(out, sc.jv(1, z), rtol=1e-14)
    np.testing.assert_allclose(
        ct, np.array([1.0, 2.0, 3.0]) * (sc.jv(0, z) - sc.jv(2, z)) / 2, rtol=1e-13
    )


# --------------------------------------------------------------------------------------
# Host calls per derivative order


def test_host_calls_per_derivative_order_seed(enable_x64, counted, host_calls):
    """Under jit: values cost one host call, grad one (the primal is dead code), second
    order one; jv itself is not evaluated more often than the seed's rule needs."""

    def jv(v, z):
        return sc.jv(v, z)

    c = counted(jv)
    f = host_function(c.wrapper, derivatives={"v": None, "z": SEED_FORMULA})
    z = np.linspace(0.5, 3.0, 5)

    jax.jit(lambda z: f(1.0, z))(z)
    assert host_calls.count() == 1 and c.count == 1
    host_calls.reset()
    c.reset()

    g = jax.jit(jax.grad(lambda z: f(1.0, z).sum()))(z)
    np.testing.assert_allclose(g, (sc.jv(0, z) - sc.jv(2, z)) / 2, rtol=1e-13)
    assert host_calls.count() == 1  # one fused host call for the first order
    assert c.count == 2  # jv(v-1, z) and jv(v+1, z): exactly what the seed's rule evaluates
    host_calls.reset()
    c.reset()

    vg = jax.jit(jax.value_and_grad(lambda z: f(1.0, z).sum()))(z)
    np.testing.assert_allclose(vg[0], sc.jv(1, z).sum(), rtol=1e-13)
    assert host_calls.count() == 2  # value + first order
    assert c.count == 3
    host_calls.reset()
    c.reset()

    h = jax.jit(jax.grad(jax.grad(lambda z: f(1.0, z))))(2.0)
    np.testing.assert_allclose(h, mp_jv_derivative(1, 2.0, 2), rtol=1e-12)
    assert host_calls.count() == 1  # second order: one host call
    # (jv(v-2) - 2 jv(v) + jv(v+2)) / 4 with the shared jv(v) evaluated once
    assert c.count == 3


def test_jv_evaluations_with_registered_counting_host(enable_x64, counted, fresh_name):
    """A counting jv registered under a formula name: grad evaluates it no more often than
    the seed's hand-written rule (two Bessel evaluations per point)."""

    def jv(v, z):
        return sc.jv(v, z)

    c = counted(jv)
    f = host_function(c.wrapper, derivatives={"v": None, "z": SEED_FORMULA})
    name = fresh_name("countjv")
    ac.register(name, f)

    @host_function(derivatives={"v": None, "z": f"({name}(v - 1, z) - {name}(v + 1, z)) / 2"})
    def outer(v, z):
        return sc.jv(v, z)

    z = np.linspace(0.5, 3.0, 4)
    c.reset()
    g = jax.jit(jax.grad(lambda z: outer(1.0, z).sum()))(z)
    np.testing.assert_allclose(g, (sc.jv(0, z) - sc.jv(2, z)) / 2, rtol=1e-13)
    assert c.count <= 2


# --------------------------------------------------------------------------------------
# Static and keyword arguments in formulas; real input with complex output


def test_formula_uses_static_argument(enable_x64):
    @host_function(static_argnames="k", derivatives={"x": "k*x**(k - 1)"})
    def power(x, k):
        return x**k

    np.testing.assert_allclose(jax.grad(power)(2.0, 3), 12.0)
    np.testing.assert_allclose(jax.grad(jax.grad(power))(2.0, 3), 12.0)
    np.testing.assert_allclose(jax.grad(jax.grad(power))(2.0, 4), 48.0)
    np.testing.assert_allclose(
        jax.vmap(jax.grad(power), in_axes=(0, None))(jnp.array([1.0, 2.0]), 3), [3.0, 12.0]
    )


def test_keyword_only_parameter_in_formula(enable_x64):
    @host_function(derivatives={"x": "b*exp(b*x)", "b": "x*exp(b*x)"})
    def scaled_exp(x, *, b=2.0):
        return np.exp(b * x)

    np.testing.assert_allclose(jax.grad(lambda x: scaled_exp(x, b=3.0))(0.5), 3 * np.exp(1.5))
    np.testing.assert_allclose(jax.grad(lambda b: scaled_exp(0.5, b=b))(3.0), 0.5 * np.exp(1.5))
    np.testing.assert_allclose(jax.grad(jax.grad(scaled_exp))(0.5), 4 * np.exp(1.0))


def test_grad_of_real_function_of_complex_output(x64):
    h1 = host_function(sc.hankel1, expr="hankel1(v, z)")
    x, eps = 2.0, 1e-6
    fd = (abs(sc.hankel1(0, x + eps)) ** 2 - abs(sc.hankel1(0, x - eps)) ** 2) / (2 * eps)
    got = jax.grad(lambda z: jnp.abs(h1(0.0, z)) ** 2)(x)
    np.testing.assert_allclose(got, fd, rtol=1e-8 if x64 else 1e-5)


def test_complex64_holomorphic_grad():
    previous = jax.config.read("jax_enable_x64")
    jax.config.update("jax_enable_x64", False)
    try:

        @host_function(expr="exp(z)*sin(z)")
        def expsin(z):
            return np.exp(z) * np.sin(z)

        z = np.complex64(0.3 + 0.4j)
        got = jax.grad(expsin, holomorphic=True)(z)
        assert got.dtype == np.complex64
        np.testing.assert_allclose(got, np.exp(z) * (np.sin(z) + np.cos(z)), rtol=1e-5)
    finally:
        jax.config.update("jax_enable_x64", previous)


def test_integer_outputs_get_float0_tangents():
    # np.frexp: a float mantissa and an integer exponent (NumPy's own type resolution).
    frexp = host_function(np.frexp, derivatives={"x": ("2**(-floor(log(Abs(x))/log(2)) - 1)", "0")})
    mantissa, exponent = frexp(3.0)
    np.testing.assert_allclose(mantissa, 0.75)
    assert exponent.dtype == jnp.int32
    np.testing.assert_allclose(jax.grad(lambda x: frexp(x)[0])(3.0), 0.25)
    _, (dm, de) = jax.jvp(frexp, (3.0,), (1.0,))
    np.testing.assert_allclose(dm, 0.25)
    assert de.dtype == jax.dtypes.float0


def test_lambda_formulas_that_do_not_call_it_need_no_name(fresh_name, enable_x64):
    # Only a formula that calls the function itself needs its name; a lambda's cannot be.
    sin = host_function(lambda x: np.sin(x), derivatives={"x": "cos(x)"})
    np.testing.assert_allclose(jax.grad(sin)(0.5), np.cos(0.5))
    np.testing.assert_allclose(jax.hessian(sin)(0.5), -np.sin(0.5))
    exp = host_function(lambda x: np.exp(x), expr="exp(x)")
    np.testing.assert_allclose(jax.hessian(exp)(0.5), np.exp(0.5))
    name = fresh_name()
    ac.register(
        name,
        host_function(
            sc.jv, derivatives={"v": None, "z": "jv_(v - 1, z) - v / z * jv_(v, z)"}, name="jv_"
        ),
    )
    j1 = host_function(
        lambda z: sc.jv(1.0, z), derivatives={"z": f"{name}(0, z) - {name}(1, z) / z"}
    )
    np.testing.assert_allclose(jax.grad(j1)(2.0), sc.jvp(1.0, 2.0), rtol=1e-12)
    assert ac.check(j1, 2.0, order=1).grad
