"""Ready-made wrappers of the `scipy.special` functions that `jax.scipy.special` lacks.

Every entry below is one `host_function` call: the SciPy ufunc itself where SciPy has one
(so NumPy's type resolution decides real versus complex output, and the host writes
straight into the output buffer; a `def` where SciPy's function is Python, as
`spherical_jn` or `lambertw`), its derivative formulas, and sample points for
`python -m autocallback check`. Names, argument order and result dtypes follow
`scipy.special`. The table is generated into the docs (`tools/gen_catalogue.py` writes
`docs/catalogue.md`).

How the formulas are chosen:

- Every continuous argument is differentiable; only arguments SciPy truncates to
  integers (counts, integer orders such as Mathieu's m) are declared `None`. Orders,
  degrees and shape parameters without a closed form are `numerical()` (extrapolated
  central differences of SciPy on the host), or reach formulas through numerical helpers
  (`gammainc_da`, `betainc_da`, `chndtr_ddf`, ...).
- Inverse functions are differentiated implicitly, -(dF/dparam) / (dF/dx) at the inverse,
  whose value comes free from the primal (`gdtrix`, `chndtridf`, `kolmogi`, `tklmbda`).
- Functions that return a value and its derivative (parabolic cylinder, Mathieu,
  spheroidal) differentiate the derivative through their differential equation, in a JAX
  callable that reuses one host call; so do the Kelvin functions, `ellipj` and the
  modified Fresnel integrals, whose outputs differentiate into each other.
- Functions regular at the origin use recurrences without a singularity there
  (`J'_v = (J_{v-1} - J_{v+1}) / 2`), so that derivatives of every order are finite at
  z = 0. Functions singular at the origin use the recurrence that reuses the primal
  (`K'_v = -K_{v-1} - (v/z) K_v`), which costs one new evaluation instead of two.
- Removable singularities that no recurrence avoids are guarded with `Piecewise`.
- `airye` differentiates through a JAX callable too: its scaled outputs differentiate
  into each other, which a formula (one function per name) cannot say.
- SciPy's float32 loops of the Mathieu, spheroidal, parabolic cylinder and modified Fresnel
  functions fail (NaN, or no return for `obl_ang1`): those entries compute in float64 on
  the host and cast back.
- Derivatives of the complete elliptic integrals are hypergeometric
  (`K'(m) = pi/8 2F1(3/2, 3/2; 2; m)`): exact at m = 0 at every order, where the textbook
  `(E - (1 - m) K) / (2 m (1 - m))` cancels catastrophically.

Formulas here refer to other entries of the catalogue (jv, yv, iv, kv, kve, struve,
modstruve, elliprd, elliprf, hyp2f1, eval_gegenbauer, eval_chebyu, eval_genlaguerre and the
Kelvin functions) through names visible to this module only: importing it registers no
global formula name. To use a catalogue function in your own formulas, `register` it.
"""

from __future__ import annotations

import inspect
import math
import re
from typing import Any

import jax.numpy as jnp
import numpy as np
import scipy.special as sc

from ._catalogue import Catalogue
from ._numerical import derivative, numerical
from ._parameters import ufunc_parameters

__all__ = [
    "agm",
    "airy",
    "airye",
    "bdtr",
    "bdtrc",
    "bdtri",
    "bdtrik",
    "bdtrin",
    "bei",
    "beip",
    "ber",
    "berp",
    "besselpoly",
    "betaincc",
    "betainccinv",
    "betaincinv",
    "binom",
    "btdtria",
    "btdtrib",
    "chdtr",
    "chdtrc",
    "chdtri",
    "chdtriv",
    "chndtr",
    "chndtridf",
    "chndtrinc",
    "chndtrix",
    "cosdg",
    "cosm1",
    "cotdg",
    "ellipe",
    "ellipeinc",
    "ellipj",
    "ellipk",
    "ellipkinc",
    "ellipkm1",
    "elliprc",
    "elliprd",
    "elliprf",
    "elliprg",
    "elliprj",
    "erfcinv",
    "erfi",
    "eval_chebyc",
    "eval_chebys",
    "eval_chebyt",
    "eval_chebyu",
    "eval_gegenbauer",
    "eval_genlaguerre",
    "eval_hermite",
    "eval_hermitenorm",
    "eval_jacobi",
    "eval_laguerre",
    "eval_legendre",
    "eval_sh_chebyt",
    "eval_sh_chebyu",
    "eval_sh_jacobi",
    "eval_sh_legendre",
    "exp10",
    "exprel",
    "fdtr",
    "fdtrc",
    "fdtri",
    "fdtridfd",
    "gammainccinv",
    "gammaincinv",
    "gdtr",
    "gdtrc",
    "gdtria",
    "gdtrib",
    "gdtrix",
    "hankel1",
    "hankel1e",
    "hankel2",
    "hankel2e",
    "huber",
    "hyp0f1",
    "hyperu",
    "inv_boxcox",
    "inv_boxcox1p",
    "it2i0k0",
    "it2j0y0",
    "it2struve0",
    "itairy",
    "iti0k0",
    "itj0y0",
    "itmodstruve0",
    "itstruve0",
    "iv",
    "ive",
    "j0",
    "j1",
    "jn",
    "jv",
    "jve",
    "k0",
    "k0e",
    "k1",
    "k1e",
    "kei",
    "keip",
    "kelvin",
    "ker",
    "kerp",
    "kn",
    "kolmogi",
    "kolmogorov",
    "kv",
    "kve",
    "lambertw",
    "log_expit",
    "log_wright_bessel",
    "lpmv",
    "mathieu_a",
    "mathieu_b",
    "mathieu_cem",
    "mathieu_modcem1",
    "mathieu_modcem2",
    "mathieu_modsem1",
    "mathieu_modsem2",
    "mathieu_sem",
    "modfresnelm",
    "modfresnelp",
    "modstruve",
    "nbdtr",
    "nbdtrc",
    "nbdtri",
    "nbdtrik",
    "nbdtrin",
    "ncfdtr",
    "ncfdtri",
    "nctdtr",
    "nctdtridf",
    "nctdtrinc",
    "nctdtrit",
    "ndtri_exp",
    "nrdtrimn",
    "nrdtrisd",
    "obl_ang1",
    "obl_ang1_cv",
    "obl_cv",
    "obl_rad1",
    "obl_rad1_cv",
    "obl_rad2",
    "obl_rad2_cv",
    "pbdv",
    "pbvv",
    "pbwa",
    "pdtr",
    "pdtrc",
    "pdtri",
    "pdtrik",
    "powm1",
    "pro_ang1",
    "pro_ang1_cv",
    "pro_cv",
    "pro_rad1",
    "pro_rad1_cv",
    "pro_rad2",
    "pro_rad2_cv",
    "pseudo_huber",
    "psi",
    "radian",
    "rgamma",
    "shichi",
    "sindg",
    "smirnov",
    "smirnovi",
    "spherical_in",
    "spherical_jn",
    "spherical_kn",
    "spherical_yn",
    "stdtr",
    "stdtridf",
    "stdtrit",
    "struve",
    "tandg",
    "tklmbda",
    "voigt_profile",
    "wright_bessel",
    "wrightomega",
    "y0",
    "y1",
    "yn",
    "yv",
    "yve",
    "zetac",
]

# The `scipy.special` ufuncs that `jax.scipy.special` lacks and this module leaves out, with
# the reason (the docs' catalogue page lists them; a test checks that every other one is
# here).
_JNP = "`jax.numpy` has it: `jnp.{}`."
_NCF_ROOT = (
    "SciPy's root finder stops early: `ncfdtr` at its result differs from p by 1e-7 to "
    "1e-5, so its values cannot be differentiated, or derivatives of them verified, to this "
    "catalogue's accuracy. `ncfdtr` is here, differentiable in every argument: solve it in "
    "JAX (its implicit derivatives then follow)."
)
LEFT_OUT = {
    "cbrt": _JNP.format("cbrt"),
    "exp2": _JNP.format("exp2"),
    "expm1": _JNP.format("expm1"),
    "log1p": _JNP.format("log1p"),
    "round": _JNP.format("round"),
    "ncfdtridfd": _NCF_ROOT,
    "ncfdtridfn": _NCF_ROOT,
    "ncfdtrinc": _NCF_ROOT,
}


CATALOGUE = Catalogue("scipy.special")
_entry = CATALOGUE.add

_ORDER = "Differentiable in z, and in the order v (numerically: no closed form)."
_ORDER_REAL = "Differentiable in real z, and in the order v (numerically: no closed form)."
_NUM = numerical()


def _prefer_jax(name: str) -> str:
    """Docstring note for an entry that a newer JAX provides just as well (the catalogue
    page's section "Entries that newer JAX releases also provide" has the figures)."""
    return (
        f"\n\nJAX 0.12.1 and newer also provide `jax.scipy.special.{name}`, with the same "
        "domain and derivatives, natively on every backend: prefer it there. Values and "
        "derivatives of this entry always come from SciPy."
    )


def _real_orders_beyond_jax(name: str) -> str:
    """Docstring note for a Bessel entry that a newer JAX provides for integer orders."""
    return (
        f"\n\nNewer JAX releases (0.12.1) also provide `jax.scipy.special.{name}`, for "
        "integer orders only and without the derivative in the order: this entry accepts "
        "real orders and differentiates in them."
    )


def _in_float64(ufunc: Any) -> Any:
    """`ufunc` evaluated in float64 whatever the input precision, results cast back: SciPy's
    float32 loops of the Mathieu, spheroidal, parabolic cylinder and modified Fresnel
    functions return NaN (or, for `obl_ang1`, never return)."""

    def host(*args: Any) -> Any:
        real = np.result_type(*[np.asarray(a).dtype for a in args], np.float32)
        out = ufunc(*[np.asarray(a, dtype=np.float64) for a in args])

        def back(o: Any) -> Any:
            kind = np.result_type(real, np.complex64) if np.iscomplexobj(o) else real
            return np.asarray(o, dtype=kind)

        return tuple(back(o) for o in out) if isinstance(out, tuple) else back(out)

    host.__name__ = ufunc.__name__
    host.__doc__ = ufunc.__doc__
    host.__signature__ = inspect.Signature(  # type: ignore[attr-defined]
        [
            inspect.Parameter(name, inspect.Parameter.POSITIONAL_OR_KEYWORD)
            for name in ufunc_parameters(ufunc)
        ]
    )
    return host


# --- Helpers used inside formulas (not part of the catalogue) -----------------------------
_hyp2f1 = CATALOGUE.helper(
    sc.hyp2f1,
    "Gauss hypergeometric function 2F1(a, b; c; z), differentiable in z (used by the "
    "elliptic-integral formulas; `jax.scipy.special.hyp2f1` is the public one).",
    name="hyp2f1",
    derivatives={
        "a": None,
        "b": None,
        "c": None,
        "z": "a * b / c * hyp2f1(a + 1, b + 1, c + 1, z)",
    },
    examples=[(1.5, 1.5, 2.0, 0.3)],
)


# Partial derivatives of the regularized incomplete gamma and beta functions in their
# parameters, computed numerically on the host (SciPy has no closed form); their
# derivatives in x are closed forms (derivatives of the densities in the parameters).
# Each differentiates whichever of the lower and upper function is the smaller (d lower =
# -d upper): in the upper tail the lower function is 1 - tiny, and its differences would
# cancel (a survival function's parameter derivative 1e-3 off, or 0, below 1e-12).
def _smaller_tail(lower: Any, upper: Any, args: tuple[Any, ...], index: int) -> Any:
    """d lower / d args[index], from the numerical derivative of the smaller of `lower`
    and `upper` = 1 - `lower`."""
    args = np.broadcast_arrays(*[np.asarray(a, dtype=np.float64) for a in args])
    with np.errstate(all="ignore"):
        upper_smaller = lower(*args) > 0.5
    out = np.empty(args[0].shape)
    for mask, fn, sign in ((~upper_smaller, lower, 1.0), (upper_smaller, upper, -1.0)):
        if mask.any():
            out[mask] = sign * derivative(fn, [a[mask] for a in args], (index,), _NUM)
    return out


def _gammainc_da(a, x):
    return _smaller_tail(sc.gammainc, sc.gammaincc, (a, x), 0)


def _betainc_da(a, b, x):
    return _smaller_tail(sc.betainc, sc.betaincc, (a, b, x), 0)


def _betainc_db(a, b, x):
    return _smaller_tail(sc.betainc, sc.betaincc, (a, b, x), 1)


def _stdtr_upper(df, t):
    return sc.stdtr(df, -t)


def _stdtr_ddf(df, t):
    return _smaller_tail(sc.stdtr, _stdtr_upper, (df, t), 0)


_GAMMA_PDF = "exp((a - 1) * log(x) - x - loggamma(a))"
_BETA_PDF = (
    "exp((a - 1) * log(x) + (b - 1) * log(1 - x) - loggamma(a) - loggamma(b) + loggamma(a + b))"
)
CATALOGUE.helper(
    _gammainc_da,
    "dP(a, x)/da of the regularized lower incomplete gamma function (numerically, from P "
    "or from Q = 1 - P, whichever is smaller).",
    name="gammainc_da",
    derivatives={"a": _NUM, "x": f"{_GAMMA_PDF} * (log(x) - digamma(a))"},
)
CATALOGUE.helper(
    _betainc_da,
    "dI(a, b, x)/da of the regularized incomplete beta function (numerically, from I or "
    "from 1 - I, whichever is smaller).",
    name="betainc_da",
    derivatives={
        "a": _NUM,
        "b": _NUM,
        "x": f"{_BETA_PDF} * (log(x) - digamma(a) + digamma(a + b))",
    },
)
CATALOGUE.helper(
    _betainc_db,
    "dI(a, b, x)/db of the regularized incomplete beta function (numerically, from I or "
    "from 1 - I, whichever is smaller).",
    name="betainc_db",
    derivatives={
        "a": _NUM,
        "b": _NUM,
        "x": f"{_BETA_PDF} * (log(1 - x) - digamma(b) + digamma(a + b))",
    },
)
CATALOGUE.helper(
    _stdtr_ddf,
    "dF(df, t)/ddf of the Student t distribution function (numerically, from F(t) or from "
    "1 - F(t) = F(-t), whichever is smaller).",
    name="stdtr_ddf",
    derivatives={"df": _NUM, "t": _NUM},
)


_hyp1f1 = CATALOGUE.helper(
    sc.hyp1f1,
    "Confluent hypergeometric function 1F1(a; b; x), differentiable in x (used by `exprel` "
    "and the noncentral distributions; `jax.scipy.special.hyp1f1` is the public one).",
    name="hyp1f1",
    derivatives={"a": None, "b": None, "x": "a / b * hyp1f1(a + 1, b + 1, x)"},
    examples=[(1.5, 2.5, 0.3)],
)


# --- Bessel functions of real order -------------------------------------------------------
CATALOGUE.section("Bessel functions of real order")
jv = _entry(
    sc.jv,
    f"Bessel function of the first kind of real order, J_v(z).\n\n{_ORDER}",
    derivatives={"v": _NUM, "z": "(jv(v - 1, z) - jv(v + 1, z)) / 2"},
    examples=[(0.5, 1.3), (2, 0.7), (0, 3.2)],
)
yv = _entry(
    sc.yv,
    f"Bessel function of the second kind of real order, Y_v(z).\n\n{_ORDER}",
    derivatives={"v": _NUM, "z": "yv(v - 1, z) - v / z * yv(v, z)"},
    examples=[(0.5, 1.3), (2, 0.7), (0, 3.2)],
)
iv = _entry(
    sc.iv,
    f"Modified Bessel function of the first kind of real order, I_v(z).\n\n{_ORDER}"
    + _real_orders_beyond_jax("iv"),
    derivatives={"v": _NUM, "z": "(iv(v - 1, z) + iv(v + 1, z)) / 2"},
    examples=[(0.5, 1.3), (2, 0.7), (0, 3.2)],
)
kv = _entry(
    sc.kv,
    f"Modified Bessel function of the second kind of real order, K_v(z).\n\n{_ORDER}",
    derivatives={"v": _NUM, "z": "-kv(v - 1, z) - v / z * kv(v, z)"},
    examples=[(0.5, 1.3), (2, 0.7), (0, 3.2)],
)

jve = _entry(
    sc.jve,
    "Exponentially scaled Bessel function J_v(z) exp(-|Im z|).\n\n" + _ORDER_REAL,
    derivatives={"v": _NUM, "z": "(jve(v - 1, z) - jve(v + 1, z)) / 2"},
    examples=[(0.5, 1.3), (2, 0.7)],
)
yve = _entry(
    sc.yve,
    "Exponentially scaled Bessel function Y_v(z) exp(-|Im z|).\n\n" + _ORDER_REAL,
    derivatives={"v": _NUM, "z": "yve(v - 1, z) - v / z * yve(v, z)"},
    examples=[(0.5, 1.3), (2, 0.7)],
)
ive = _entry(
    sc.ive,
    "Exponentially scaled modified Bessel function I_v(z) exp(-|Re z|).\n\n" + _ORDER_REAL,
    derivatives={"v": _NUM, "z": "(ive(v - 1, z) + ive(v + 1, z)) / 2 - sign(z) * ive(v, z)"},
    examples=[(0.5, 1.3), (2, 0.7)],
)
kve = _entry(
    sc.kve,
    "Exponentially scaled modified Bessel function K_v(z) exp(z).\n\n" + _ORDER,
    derivatives={"v": _NUM, "z": "kve(v, z) * (1 - v / z) - kve(v - 1, z)"},
    examples=[(0.5, 1.3), (2, 0.7)],
)

hankel1 = _entry(
    sc.hankel1,
    "Hankel function of the first kind, H1_v(z) = J_v(z) + i Y_v(z) (complex).\n\n" + _ORDER,
    derivatives={"v": _NUM, "z": "hankel1(v - 1, z) - v / z * hankel1(v, z)"},
    examples=[(0.5, 1.3), (2, 0.7)],
)
hankel2 = _entry(
    sc.hankel2,
    "Hankel function of the second kind, H2_v(z) = J_v(z) - i Y_v(z) (complex).\n\n" + _ORDER,
    derivatives={"v": _NUM, "z": "hankel2(v - 1, z) - v / z * hankel2(v, z)"},
    examples=[(0.5, 1.3), (2, 0.7)],
)
hankel1e = _entry(
    sc.hankel1e,
    "Exponentially scaled Hankel function H1_v(z) exp(-i z) (complex).\n\n" + _ORDER,
    derivatives={"v": _NUM, "z": "hankel1e(v - 1, z) - (v / z + I) * hankel1e(v, z)"},
    examples=[(0.5, 1.3), (2, 0.7)],
)
hankel2e = _entry(
    sc.hankel2e,
    "Exponentially scaled Hankel function H2_v(z) exp(i z) (complex).\n\n" + _ORDER,
    derivatives={"v": _NUM, "z": "hankel2e(v - 1, z) - (v / z - I) * hankel2e(v, z)"},
    examples=[(0.5, 1.3), (2, 0.7)],
)

jn = _entry(
    sc.jn,
    "Bessel function of the first kind, J_v(z) (SciPy's alias of `jv`).\n\n"
    + _ORDER
    + _real_orders_beyond_jax("jn"),
    name="jn",
    derivatives={"v": _NUM, "z": "(jn(v - 1, z) - jn(v + 1, z)) / 2"},
    examples=[(0.5, 1.3), (2, 0.7), (0, 3.2)],
)


# --- Bessel functions of integer order ----------------------------------------------------
CATALOGUE.section("Bessel functions of integer order")
j0 = _entry(
    sc.j0,
    "Bessel function of the first kind of order 0, J_0(x).\n\nDifferentiable in x.",
    derivatives={"x": "-jv(1, x)"},
    examples=[(0.7,), (3.2,)],
)
j1 = _entry(
    sc.j1,
    "Bessel function of the first kind of order 1, J_1(x).\n\nDifferentiable in x.",
    derivatives={"x": "(jv(0, x) - jv(2, x)) / 2"},
    examples=[(0.7,), (3.2,)],
)
y0 = _entry(
    sc.y0,
    "Bessel function of the second kind of order 0, Y_0(x).\n\nDifferentiable in x.",
    derivatives={"x": "-yv(1, x)"},
    examples=[(0.7,), (3.2,)],
)
y1 = _entry(
    sc.y1,
    "Bessel function of the second kind of order 1, Y_1(x).\n\nDifferentiable in x.",
    derivatives={"x": "yv(0, x) - y1(x) / x"},
    examples=[(0.7,), (3.2,)],
)
k0 = _entry(
    sc.k0,
    "Modified Bessel function of the second kind of order 0, K_0(x).\n\nDifferentiable in x.",
    derivatives={"x": "-kv(1, x)"},
    examples=[(0.7,), (3.2,)],
)
k1 = _entry(
    sc.k1,
    "Modified Bessel function of the second kind of order 1, K_1(x).\n\nDifferentiable in x.",
    derivatives={"x": "-kv(0, x) - k1(x) / x"},
    examples=[(0.7,), (3.2,)],
)
k0e = _entry(
    sc.k0e,
    "Exponentially scaled modified Bessel function K_0(x) exp(x).\n\nDifferentiable in x.",
    derivatives={"x": "k0e(x) - kve(1, x)"},
    examples=[(0.7,), (3.2,)],
)
k1e = _entry(
    sc.k1e,
    "Exponentially scaled modified Bessel function K_1(x) exp(x).\n\nDifferentiable in x.",
    derivatives={"x": "k1e(x) * (1 - 1 / x) - kve(0, x)"},
    examples=[(0.7,), (3.2,)],
)
yn = _entry(
    sc.yn,
    "Bessel function of the second kind of integer order, Y_n(x).\n\n"
    "Differentiable in x; the order n is not (it is an integer)." + _prefer_jax("yn"),
    derivatives={"n": None, "x": "yn(n - 1, x) - n / x * yn(n, x)"},
    examples=[(0, 0.7), (2, 3.2)],
)
kn = _entry(
    sc.kn,
    "Modified Bessel function of the second kind of integer order, K_n(x).\n\n"
    "Differentiable in x; the order n is not (it is an integer)." + _prefer_jax("kn"),
    derivatives={"n": None, "x": "-kn(n - 1, x) - n / x * kn(n, x)"},
    examples=[(0, 0.7), (2, 3.2)],
)


# --- Spherical Bessel functions -----------------------------------------------------------
CATALOGUE.section("Spherical Bessel functions")
# (2n + 1) f_n' = n f_{n-1} -+ (n + 1) f_{n+1}: no singularity at z = 0, and linear, so it
# also differentiates the derivative (derivative=True). Max(n - 1, 0) keeps n = 0 (where the
# first term vanishes) away from SciPy's NaN for order -1.

_SPHERICAL = "Differentiable in z; the order n is not (it is an integer)."


@_entry(
    derivatives={
        "n": None,
        "z": "(n * spherical_jn(Max(n - 1, 0), z, derivative) "
        "- (n + 1) * spherical_jn(n + 1, z, derivative)) / (2 * n + 1)",
    },
    static_argnames="derivative",
    examples=[(0, 0.7), (2, 3.2)],
)
def spherical_jn(n, z, derivative=False):
    """autocallback wrapper of `scipy.special.spherical_jn`.

    Spherical Bessel function of the first kind, j_n(z), or its derivative.

    Differentiable in z; the order n is not (it is an integer).
    """
    return sc.spherical_jn(n, z, derivative)


@_entry(
    derivatives={
        "n": None,
        "z": "(n * spherical_yn(Max(n - 1, 0), z, derivative) "
        "- (n + 1) * spherical_yn(n + 1, z, derivative)) / (2 * n + 1)",
    },
    static_argnames="derivative",
    examples=[(0, 0.7), (2, 3.2)],
)
def spherical_yn(n, z, derivative=False):
    """autocallback wrapper of `scipy.special.spherical_yn`.

    Spherical Bessel function of the second kind, y_n(z), or its derivative.

    Differentiable in z; the order n is not (it is an integer).
    """
    return sc.spherical_yn(n, z, derivative)


@_entry(
    derivatives={
        "n": None,
        "z": "(n * spherical_in(Max(n - 1, 0), z, derivative) "
        "+ (n + 1) * spherical_in(n + 1, z, derivative)) / (2 * n + 1)",
    },
    static_argnames="derivative",
    examples=[(0, 0.7), (2, 3.2)],
)
def spherical_in(n, z, derivative=False):
    """autocallback wrapper of `scipy.special.spherical_in`.

    Modified spherical Bessel function of the first kind, i_n(z), or its derivative.

    Differentiable in z; the order n is not (it is an integer).
    """
    return sc.spherical_in(n, z, derivative)


@_entry(
    derivatives={
        "n": None,
        "z": "-(n * spherical_kn(Max(n - 1, 0), z, derivative) "
        "+ (n + 1) * spherical_kn(n + 1, z, derivative)) / (2 * n + 1)",
    },
    static_argnames="derivative",
    examples=[(0, 0.7), (2, 3.2)],
)
def spherical_kn(n, z, derivative=False):
    """autocallback wrapper of `scipy.special.spherical_kn`.

    Modified spherical Bessel function of the second kind, k_n(z), or its derivative.

    Differentiable in z; the order n is not (it is an integer).
    """
    return sc.spherical_kn(n, z, derivative)


# --- Struve functions and Bessel integrals ------------------------------------------------
CATALOGUE.section("Struve functions and Bessel integrals")
# H_v' = (H_{v-1} - H_{v+1}) / 2 + (x/2)^v / (2 sqrt(pi) Gamma(v + 3/2))  (DLMF 11.4.24):
# finite at x = 0, unlike H_{v-1} - (v/x) H_v.

struve = _entry(
    sc.struve,
    "Struve function H_v(x).\n\nDifferentiable in x, and in the order v (numerically).",
    derivatives={
        "v": _NUM,
        "x": "(struve(v - 1, x) - struve(v + 1, x)) / 2 "
        "+ (x / 2) ** v / (2 * sqrt(pi) * gamma(v + 3 / 2))",
    },
    examples=[(0, 0.7), (1.5, 3.2)],
)
modstruve = _entry(
    sc.modstruve,
    "Modified Struve function L_v(x).\n\nDifferentiable in x, and in the order v (numerically).",
    derivatives={
        "v": _NUM,
        "x": "(modstruve(v - 1, x) + modstruve(v + 1, x)) / 2 "
        "+ (x / 2) ** v / (2 * sqrt(pi) * gamma(v + 3 / 2))",
    },
    examples=[(0, 0.7), (1.5, 3.2)],
)

itstruve0 = _entry(
    sc.itstruve0,
    "Integral of the Struve function of order 0 from 0 to x.\n\nDifferentiable in x.",
    derivatives={"x": "struve(0, x)"},
    examples=[(0.7,), (3.2,)],
)
it2struve0 = _entry(
    sc.it2struve0,
    "Integral of H_0(t)/t from x to infinity.\n\nDifferentiable in x.",
    derivatives={"x": "Piecewise((-2 / pi, x == 0), (-struve(0, x) / x, True))"},
    examples=[(0.7,), (3.2,)],
)
itmodstruve0 = _entry(
    sc.itmodstruve0,
    "Integral of the modified Struve function of order 0 from 0 to x.\n\nDifferentiable in x.",
    derivatives={"x": "modstruve(0, x)"},
    examples=[(0.7,), (3.2,)],
)
itj0y0 = _entry(
    sc.itj0y0,
    "Integrals of J_0 and Y_0 from 0 to x (two outputs).\n\nDifferentiable in x.",
    signature="()->(),()",
    derivatives={"x": ("jv(0, x)", "yv(0, x)")},
    examples=[(0.7,), (3.2,)],
)
iti0k0 = _entry(
    sc.iti0k0,
    "Integrals of I_0 and K_0 from 0 to x (two outputs).\n\nDifferentiable in x.",
    signature="()->(),()",
    derivatives={"x": ("iv(0, x)", "kv(0, x)")},
    examples=[(0.7,), (3.2,)],
)

# (I_0(x) - 1) / x and (1 - J_0(x)) / x cancel near x = 0: their power series (10 terms)
# are used for |x| < 1.
it2i0k0 = _entry(
    sc.it2i0k0,
    "Integrals of (I_0(t) - 1) / t from 0 to x and of K_0(t) / t from x to infinity (two "
    "outputs).\n\nDifferentiable in x.",
    signature="()->(),()",
    derivatives={
        "x": (
            "Piecewise((x ** 1 / 4 + x ** 3 / 64 + x ** 5 / 2304 + x ** 7 / 147456 + x ** 9 / 14745600 + x ** 11 / 2123366400 + x ** 13 / 416179814400 + x ** 15 / 106542032486400 + x ** 17 / 34519618525593600 + x ** 19 / 13807847410237440000, Abs(x) < 1), ((iv(0, x) - 1) / x, True))",
            "-kv(0, x) / x",
        )
    },
    examples=[(0.7,), (3.2,)],
)
it2j0y0 = _entry(
    sc.it2j0y0,
    "Integrals of (1 - J_0(t)) / t from 0 to x and of Y_0(t) / t from x to infinity (two "
    "outputs).\n\nDifferentiable in x.",
    signature="()->(),()",
    derivatives={
        "x": (
            "Piecewise(((1) * x ** 1 / 4 + (-1) * x ** 3 / 64 + (1) * x ** 5 / 2304 + (-1) * x ** 7 / 147456 + (1) * x ** 9 / 14745600 + (-1) * x ** 11 / 2123366400 + (1) * x ** 13 / 416179814400 + (-1) * x ** 15 / 106542032486400 + (1) * x ** 17 / 34519618525593600 + (-1) * x ** 19 / 13807847410237440000, Abs(x) < 1), ((1 - jv(0, x)) / x, True))",
            "-yv(0, x) / x",
        )
    },
    examples=[(0.7,), (3.2,)],
)


# --- Airy functions -----------------------------------------------------------------------
CATALOGUE.section("Airy functions")
airy = _entry(
    sc.airy,
    "Airy functions Ai, Ai', Bi, Bi' (four outputs).\n\nDifferentiable in z.",
    signature="()->(),(),(),()",
    derivatives={"z": ("airyaiprime(z)", "z * airyai(z)", "airybiprime(z)", "z * airybi(z)")},
    examples=[(0.7,), (-2.3,)],
)


def _airye_prime(z: Any) -> tuple[Any, Any, Any, Any]:
    """(eAi' + s eAi, z eAi + s eAi', eBi' - s eBi, z eBi - s eBi') with s = sqrt(max(z, 0))."""
    # The scaled outputs differentiate into each other, which formulas (one function per
    # name) cannot say: one host call of airye gives all four.
    eai, eaip, ebi, ebip = airye(z)
    s = jnp.sqrt(jnp.maximum(z, 0))
    return (eaip + s * eai, z * eai + s * eaip, ebip - s * ebi, z * ebi - s * ebip)


airye = _entry(
    sc.airye,
    "Exponentially scaled Airy functions eAi, eAi', eBi, eBi' (four "
    "outputs).\n\nDifferentiable in real z (a JAX callable: the scaled outputs "
    "differentiate into each other).",
    signature="()->(),(),(),()",
    derivatives={"z": _airye_prime},
    examples=[(0.7,), (4.5,)],
)

itairy = _entry(
    sc.itairy,
    "Integrals of Ai(t), Bi(t), Ai(-t) and Bi(-t) from 0 to x (four outputs).\n\n"
    "Differentiable in x. (SciPy's values carry about six digits beyond |x| = 1, so its "
    "finite differences, and the sample points of `check`, stay within it.)",
    signature="()->(),(),(),()",
    derivatives={"x": ("airyai(x)", "airybi(x)", "airyai(-x)", "airybi(-x)")},
    examples=[(0.7,), (-0.8,), (0.3,)],
)


# --- Kelvin functions ---------------------------------------------------------------------
CATALOGUE.section("Kelvin functions")
# ber + i bei and ker + i kei solve x^2 f'' + x f' - i x^2 f = 0, so ber'' = -ber'/x - bei,
# bei'' = -bei'/x + ber (likewise for ker, kei); at x = 0 the limits are 0 and 1/2.

_KELVIN = "Differentiable in x."
ber = _entry(
    sc.ber,
    f"Kelvin function ber(x).\n\n{_KELVIN}",
    derivatives={"x": "berp(x)"},
    examples=[(0.7,), (3.2,)],
)
ker = _entry(
    sc.ker,
    f"Kelvin function ker(x).\n\n{_KELVIN}",
    derivatives={"x": "kerp(x)"},
    examples=[(0.7,), (3.2,)],
)
beip = _entry(
    sc.beip,
    f"Derivative of the Kelvin function bei(x).\n\n{_KELVIN}",
    derivatives={"x": "Piecewise((1 / 2, x == 0), (ber(x) - beip(x) / x, True))"},
    examples=[(0.7,), (3.2,)],
)
keip = _entry(
    sc.keip,
    f"Derivative of the Kelvin function kei(x).\n\n{_KELVIN}",
    derivatives={"x": "ker(x) - keip(x) / x"},
    examples=[(0.7,), (3.2,)],
)
bei = _entry(
    sc.bei,
    f"Kelvin function bei(x).\n\n{_KELVIN}",
    derivatives={"x": "beip(x)"},
    examples=[(0.7,), (3.2,)],
)
kei = _entry(
    sc.kei,
    f"Kelvin function kei(x).\n\n{_KELVIN}",
    derivatives={"x": "keip(x)"},
    examples=[(0.7,), (3.2,)],
)
berp = _entry(
    sc.berp,
    f"Derivative of the Kelvin function ber(x).\n\n{_KELVIN}",
    derivatives={"x": "Piecewise((0, x == 0), (-bei(x) - berp(x) / x, True))"},
    examples=[(0.7,), (3.2,)],
)
kerp = _entry(
    sc.kerp,
    f"Derivative of the Kelvin function ker(x).\n\n{_KELVIN}",
    derivatives={"x": "-kei(x) - kerp(x) / x"},
    examples=[(0.7,), (3.2,)],
)


def _kelvin_prime(x: Any) -> tuple[Any, Any, Any, Any]:
    """(Be', Ke', Be'', Ke'') with f'' = i f - f' / x (Be''(0) = i / 2)."""
    # ber + i bei and ker + i kei solve x^2 f'' + x f' - i x^2 f = 0; one host call of
    # kelvin gives all four values.
    be, ke, bep, kep = kelvin(x)
    safe = jnp.where(x == 0, 1.0, x)
    bepp = jnp.where(x == 0, 0.5j, 1j * be - bep / safe)
    return bep, kep, bepp, 1j * ke - kep / x


kelvin = _entry(
    sc.kelvin,
    "Kelvin functions Be = ber + i bei, Ke = ker + i kei and their derivatives (four complex "
    "outputs).\n\nDifferentiable in x (a JAX callable: the outputs differentiate into each "
    "other).",
    signature="()->(),(),(),()",
    derivatives={"x": _kelvin_prime},
    examples=[(0.7,), (3.2,)],
)


# --- Elliptic integrals -------------------------------------------------------------------
CATALOGUE.section("Elliptic integrals")
# Carlson's forms have partial derivatives in closed form: dR_F/dz = -R_D(x, y, z)/6
# (DLMF 19.18.1), dR_G/dz = R_F/4 - z R_D/12; dR_D/dx comes from partial fractions and has
# a removable singularity at x = z (likewise y = z), where it loses accuracy.

elliprd = _entry(
    sc.elliprd,
    "Carlson's symmetric elliptic integral of the second kind "
    "R_D(x, y, z).\n\nDifferentiable in x, y and z; the partials are difference quotients, "
    "which lose digits where x or y is close to z (NaN where equal).",
    derivatives={
        "x": "(elliprd(x, y, z) - elliprd(y, z, x)) / (2 * (z - x))",
        "y": "(elliprd(x, y, z) - elliprd(z, x, y)) / (2 * (z - y))",
        "z": "-(3 * elliprd(x, y, z) / 2 + x * (elliprd(x, y, z) - elliprd(y, z, x)) "
        "/ (2 * (z - x)) + y * (elliprd(x, y, z) - elliprd(z, x, y)) "
        "/ (2 * (z - y))) / z",
    },
    examples=[(0.3, 0.9, 1.7), (2.0, 0.5, 1.1)],
)
elliprf = _entry(
    sc.elliprf,
    "Carlson's symmetric elliptic integral of the first kind "
    "R_F(x, y, z).\n\nDifferentiable in x, y and z.",
    derivatives={
        "x": "-elliprd(y, z, x) / 6",
        "y": "-elliprd(z, x, y) / 6",
        "z": "-elliprd(x, y, z) / 6",
    },
    examples=[(0.3, 0.9, 1.7), (2.0, 0.5, 1.1)],
)
# R_C(x, y) without R_D: the difference quotients of R_C itself away from x = y, and
# R_C = y^(-1/2) 2F1(1/2, 1/2; 3/2; 1 - x/y) near it (-R_D(y, y, x)/6 would put every
# higher derivative on the coincidence y = z of R_D's difference quotients).
_RC_NEAR = "Abs(x - y) < y / 2"
elliprc = _entry(
    sc.elliprc,
    "Carlson's degenerate elliptic integral R_C(x, y) = R_F(x, y, y).\n\n"
    "Differentiable in x and y.",
    derivatives={
        "x": f"Piecewise((-hyp2f1(3 / 2, 3 / 2, 5 / 2, 1 - x / y) / (6 * y ** (3 / 2)), {_RC_NEAR}), "
        "((elliprc(x, y) - 1 / sqrt(x)) / (2 * (y - x)), True))",
        "y": f"Piecewise((x * hyp2f1(3 / 2, 3 / 2, 5 / 2, 1 - x / y) / (6 * y ** (5 / 2)) "
        f"- elliprc(x, y) / (2 * y), {_RC_NEAR}), "
        "((sqrt(x) / y - elliprc(x, y)) / (2 * (y - x)), True))",
    },
    examples=[(0.3, 0.9), (2.0, 0.5), (1.0, 1.0)],
)
elliprg = _entry(
    sc.elliprg,
    "Carlson's completely symmetric elliptic integral of the second "
    "kind R_G(x, y, z).\n\nDifferentiable in x, y and z.",
    derivatives={
        "x": "Piecewise((elliprf(x, y, z) / 4, x == 0), "
        "(elliprf(x, y, z) / 4 - x * elliprd(y, z, x) / 12, True))",
        "y": "Piecewise((elliprf(x, y, z) / 4, y == 0), "
        "(elliprf(x, y, z) / 4 - y * elliprd(z, x, y) / 12, True))",
        "z": "Piecewise((elliprf(x, y, z) / 4, z == 0), "
        "(elliprf(x, y, z) / 4 - z * elliprd(x, y, z) / 12, True))",
    },
    examples=[(0.3, 0.9, 1.7), (2.0, 0.5, 1.1)],
)

ellipk = _entry(
    sc.ellipk,
    "Complete elliptic integral of the first kind K(m).\n\nDifferentiable in m.",
    derivatives={"m": "pi / 8 * hyp2f1(3 / 2, 3 / 2, 2, m)"},
    examples=[(0.3,), (-2.5,)],
)
ellipe = _entry(
    sc.ellipe,
    "Complete elliptic integral of the second kind E(m).\n\nDifferentiable in m.",
    derivatives={"m": "-pi / 8 * hyp2f1(1 / 2, 3 / 2, 2, m)"},
    examples=[(0.3,), (-2.5,)],
)
# K(1 - p) for small p: near p = 0, 1 - p carries too few digits of p for the 2F1 form.
ellipkm1 = _entry(
    sc.ellipkm1,
    "Complete elliptic integral of the first kind around m = 1, K(1 - p).\n\nDifferentiable in p.",
    derivatives={
        "p": "Piecewise((-pi / 8 * hyp2f1(3 / 2, 3 / 2, 2, 1 - p), p > 1 / 2), "
        "((elliprd(0, p, 1) / 3 - ellipkm1(p)) / (2 * p), True))"
    },
    examples=[(0.3,), (0.7,)],
)
# d/dm of the incomplete integrals, with D(phi|m) = (F - E)/m = sin^3 R_D(cos^2, 1 - m sin^2, 1)/3
# on |phi| <= pi/2 (no cancellation at m = 0); outside that range the E, F form.
_D = "sin(phi) ** 3 * elliprd(cos(phi) ** 2, 1 - m * sin(phi) ** 2, 1) / 3"
_DELTA = "sqrt(1 - m * sin(phi) ** 2)"
ellipkinc = _entry(
    sc.ellipkinc,
    "Incomplete elliptic integral of the first kind F(phi | m).\n\nDifferentiable in phi and m "
    "(second and higher m-derivatives lose digits near m = 0, through those of `elliprd`).",
    derivatives={
        "phi": f"1 / {_DELTA}",
        "m": f"Piecewise(((ellipkinc(phi, m) - {_D}) / (2 * (1 - m)), Abs(phi) <= pi / 2), "
        f"((elliptic_e(phi, m) - (1 - m) * ellipkinc(phi, m)) / (2 * m * (1 - m)), True)) "
        f"- sin(2 * phi) / (4 * (1 - m) * {_DELTA})",
    },
    examples=[(0.7, 0.3), (2.5, -1.5)],
)
ellipeinc = _entry(
    sc.ellipeinc,
    "Incomplete elliptic integral of the second kind E(phi | m).\n\nDifferentiable in phi and m "
    "(second and higher m-derivatives lose digits near m = 0, through those of `elliprd`).",
    derivatives={
        "phi": _DELTA,
        "m": f"Piecewise((-{_D} / 2, Abs(phi) <= pi / 2), "
        f"((ellipeinc(phi, m) - elliptic_f(phi, m)) / (2 * m), True))",
    },
    examples=[(0.7, 0.3), (2.5, -1.5)],
)


# M(a, b) = pi b / (2 K(m)), m = 1 - p, p = a^2 / b^2, and M is homogeneous of degree 1, so
# dM/da = 4 a M^2 K'(m) / (pi b^3), and a and b swapped for dM/db. K'(m) is a 2F1 near
# m = 0 (a ~ b); near m = 1 (a << b) the 2F1 loses digits and (E - p K) / (2 m p), with K
# from `ellipkm1(p)`, has no cancellation.
def _agm_partial(a: str, b: str) -> str:
    p = f"{a} ** 2 / {b} ** 2"
    return (
        f"Piecewise((2 * agm(a, b) ** 2 * (ellipe(1 - {p}) - {p} * ellipkm1({p})) "
        f"/ (pi * {a} * {b} * (1 - {p})), {p} < 1 / 2), "
        f"({a} * agm(a, b) ** 2 * hyp2f1(3 / 2, 3 / 2, 2, 1 - {p}) / (2 * {b} ** 3), True))"
    )


agm = _entry(
    sc.agm,
    "Arithmetic-geometric mean of a and b.\n\nDifferentiable in a and b.",
    derivatives={"a": _agm_partial("a", "b"), "b": _agm_partial("b", "a")},
    examples=[(1.0, 2.5), (24.0, 6.0), (0.3, 0.3)],
)

# dR_J/dx = (R_J - R_D(y, z, x)) / (2 (p - x)) by partial fractions (likewise y, z), and
# dR_J/dp from homogeneity (degree -3/2); the difference quotients lose digits where p is
# close to x, y or z.
_RJ = "elliprj(x, y, z, p)"
_RJ_X = f"({_RJ} - elliprd(y, z, x)) / (2 * (p - x))"
_RJ_Y = f"({_RJ} - elliprd(z, x, y)) / (2 * (p - y))"
_RJ_Z = f"({_RJ} - elliprd(x, y, z)) / (2 * (p - z))"
elliprj = _entry(
    sc.elliprj,
    "Carlson's symmetric elliptic integral of the third kind R_J(x, y, z, p).\n\n"
    "Differentiable in x, y, z and p (difference quotients, which lose digits where p is "
    "close to x, y or z).",
    derivatives={
        "x": _RJ_X,
        "y": _RJ_Y,
        "z": _RJ_Z,
        "p": f"-(3 * {_RJ} / 2 + x * {_RJ_X} + y * {_RJ_Y} + z * {_RJ_Z}) / p",
    },
    examples=[(0.3, 0.9, 1.7, 2.5), (2.0, 0.5, 1.1, 0.3)],
)


def _ellipj_du(u: Any, m: Any) -> tuple[Any, Any, Any, Any]:
    """(cn dn, -sn dn, -m sn cn, dn)."""
    sn, cn, dn, _ = ellipj(u, m)
    return cn * dn, -sn * dn, -m * sn * cn, dn


def _ellipj_dm(u: Any, m: Any) -> tuple[Any, Any, Any, Any]:
    """From dph/dm = (sn cn - dn (u - D(ph|m))) / (2 (1 - m)), D = (F - E) / m."""
    # D(ph|m) through Carlson's R_D, shifted by its quasi-period (D(ph + k pi) = D(ph) +
    # 2k D(pi/2)): no 0/0 at m = 0 for any amplitude.
    sn, cn, dn, ph = ellipj(u, m)
    k = jnp.round(ph / jnp.pi)
    sign = jnp.where(k % 2 == 0, 1.0, -1.0)
    one, zero = jnp.ones_like(dn), jnp.zeros_like(dn)
    d = (sign * sn**3 * elliprd(cn**2, dn**2, one) + 2 * k * elliprd(zero, 1 - m, one)) / 3
    dph = (sn * cn - dn * (u - d)) / (2 * (1 - m))
    return cn * dph, -sn * dph, -(sn**2 + 2 * m * sn * cn * dph) / (2 * dn), dph


ellipj = _entry(
    sc.ellipj,
    "Jacobian elliptic functions sn, cn, dn and the amplitude ph of u for parameter m (four "
    "outputs).\n\nDifferentiable in u and m (JAX callables: the outputs differentiate into "
    "each other).",
    signature="(),()->(),(),(),()",
    derivatives={"u": _ellipj_du, "m": _ellipj_dm},
    examples=[(0.7, 0.3), (2.5, 0.8), (-4.0, 0.5)],
)


# --- Lambert W and Wright functions -------------------------------------------------------
CATALOGUE.section("Lambert W and Wright functions")


@_entry(
    derivatives={"z": "1 / (z + exp(lambertw(z, k, tol)))", "k": None},
    dtype="complex",
    static_argnames="tol",
    examples=[(0.7,), (3.2,)],
)
def lambertw(z, k=0, tol=1e-8):
    """autocallback wrapper of `scipy.special.lambertw`.

    Lambert W function, branch k, the inverse of w exp(w) (complex).

    Differentiable in z (W' = 1 / (z + exp W), finite at z = 0); the branch k is not.
    """
    return sc.lambertw(z, k, tol)


wrightomega = _entry(
    sc.wrightomega,
    "Wright omega function, the solution w of w + log w = z.\n\nDifferentiable in z.",
    derivatives={"z": "wrightomega(z) / (1 + wrightomega(z))"},
    examples=[(0.7,), (-3.2,)],
)
wright_bessel = _entry(
    sc.wright_bessel,
    "Wright's generalized Bessel function "
    "Phi(a, b; x).\n\nDifferentiable in x, and in a and b (numerically: no closed form).",
    derivatives={"a": _NUM, "b": _NUM, "x": "wright_bessel(a, a + b, x)"},
    examples=[(0.5, 1.2, 0.7), (2.0, 0.3, 3.2)],
)
log_wright_bessel = _entry(
    sc.log_wright_bessel,
    "Logarithm of Wright's generalized Bessel "
    "function, log Phi(a, b; x).\n\n"
    "Differentiable in x, and in a and b (numerically: no closed form).",
    derivatives={
        "a": _NUM,
        "b": _NUM,
        "x": "exp(log_wright_bessel(a, a + b, x) - log_wright_bessel(a, b, x))",
    },
    examples=[(0.5, 1.2, 0.7), (2.0, 0.3, 3.2)],
)


# --- Error function and logistic relatives ------------------------------------------------
CATALOGUE.section("Error function and logistic relatives")
erfi = _entry(
    sc.erfi,
    "Imaginary error function, -i erf(i z).\n\nDifferentiable in z.",
    derivatives={"z": "2 / sqrt(pi) * exp(z ** 2)"},
    examples=[(0.7,), (-1.9,)],
)
erfcinv = _entry(
    sc.erfcinv,
    "Inverse of the complementary error function.\n\nDifferentiable in y." + _prefer_jax("erfcinv"),
    derivatives={"y": "-sqrt(pi) / 2 * exp(erfcinv(y) ** 2)"},
    examples=[(0.3,), (1.6,)],
)
ndtri_exp = _entry(
    sc.ndtri_exp,
    "Inverse of `log_ndtr`: x such that log Phi(x) = y.\n\nDifferentiable in y."
    + _prefer_jax("ndtri_exp"),
    derivatives={"y": "sqrt(2 * pi) * exp(y + ndtri_exp(y) ** 2 / 2)"},
    examples=[(-0.3,), (-20.0,)],
)
log_expit = _entry(
    sc.log_expit,
    "Logarithm of the logistic sigmoid, -log(1 + exp(-x)).\n\nDifferentiable in x.",
    # sigmoid(-x) in a form that neither overflows nor cancels, evaluated natively.
    derivatives={"x": "exp(-Max(x, 0)) / (exp(-Max(x, 0)) + exp(x - Max(x, 0)))"},
    examples=[(0.7,), (-30.0,)],
)


# --- Sine and cosine integrals, Fresnel integrals, zeta, Voigt profile --------------------
CATALOGUE.section(
    "Hyperbolic sine and cosine integrals, modified Fresnel integrals, zeta, Voigt profile"
)
# sinh(x) / x is summed as its power series for |x| < 1/2 (9 terms), so that every
# derivative order is right at x = 0.
shichi = _entry(
    sc.shichi,
    "Hyperbolic sine and cosine integrals Shi(x), Chi(x) (two outputs).\n\nDifferentiable in x.",
    signature="()->(),()",
    derivatives={
        "x": (
            "Piecewise((x ** 0 / 1 + x ** 2 / 6 + x ** 4 / 120 + x ** 6 / 5040 + x ** 8 / 362880 + x ** 10 / 39916800 + x ** 12 / 6227020800 + x ** 14 / 1307674368000 + x ** 16 / 355687428096000, Abs(x) < 1 / 2), (sinh(x) / x, True))",
            "cosh(x) / x",
        )
    },
    examples=[(0.7,), (3.2,), (0.1,)],
)


def _modfresnelp_prime(x: Any) -> tuple[Any, Any]:
    """(fp', kp') = (-exp(i x^2), -2i x kp - exp(-i pi/4) / sqrt(pi))."""
    _, kp = modfresnelp(x)
    return -jnp.exp(1j * x**2), -2j * x * kp - jnp.exp(-0.25j * jnp.pi) / jnp.sqrt(jnp.pi)


def _modfresnelm_prime(x: Any) -> tuple[Any, Any]:
    """(fm', km') = (-exp(-i x^2), 2i x km - exp(i pi/4) / sqrt(pi))."""
    _, km = modfresnelm(x)
    return -jnp.exp(-1j * x**2), 2j * x * km - jnp.exp(0.25j * jnp.pi) / jnp.sqrt(jnp.pi)


modfresnelp = _entry(
    _in_float64(sc.modfresnelp),
    "Modified Fresnel integrals F+(x) = integral of exp(i t^2) from x to infinity and K+(x) = "
    "exp(-i (x^2 + pi/4)) F+(x) / sqrt(pi) (two complex outputs).\n\nDifferentiable in x "
    "(a JAX callable: K+' uses K+), for x >= 0 (SciPy's F+ is wrong for x < 0).",
    signature="()->(),()",
    dtype="complex",
    derivatives={"x": _modfresnelp_prime},
    examples=[(0.7,), (3.2,), (0.1,)],
)
modfresnelm = _entry(
    _in_float64(sc.modfresnelm),
    "Modified Fresnel integrals F-(x) = integral of exp(-i t^2) from x to infinity and K-(x) "
    "= exp(i (x^2 + pi/4)) F-(x) / sqrt(pi) (two complex outputs).\n\nDifferentiable in x "
    "(a JAX callable: K-' uses K-), for x >= 0 (SciPy's F- is wrong for x < 0).",
    signature="()->(),()",
    dtype="complex",
    derivatives={"x": _modfresnelm_prime},
    examples=[(0.7,), (3.2,), (0.1,)],
)
zetac = _entry(
    sc.zetac,
    "Riemann zeta function minus 1, zeta(x) - 1.\n\nDifferentiable in x (numerically: SymPy "
    "has no derivative of zeta in s).",
    derivatives={"x": _NUM},
    examples=[(2.5,), (0.3,), (-3.5,), (12.0,)],
)

# Voigt profile V = Re w(z) / (sigma sqrt(2 pi)), z = (x + i gamma) / (sigma sqrt(2)), w the
# Faddeeva function (w' = -2 z w + 2i / sqrt(pi)). Its real and imaginary parts are helpers
# whose partials in a = Re z and b = Im z follow from w' (Cauchy-Riemann).


def _wofz_re(a, b):
    return sc.wofz(np.asarray(a) + 1j * np.asarray(b)).real


def _wofz_im(a, b):
    return sc.wofz(np.asarray(a) + 1j * np.asarray(b)).imag


CATALOGUE.helper(
    _wofz_re,
    "Re w(a + ib) of the Faddeeva function w.",
    name="wofz_re",
    derivatives={
        "a": "-2 * (a * wofz_re(a, b) - b * wofz_im(a, b))",
        "b": "2 * (a * wofz_im(a, b) + b * wofz_re(a, b)) - 2 / sqrt(pi)",
    },
)
CATALOGUE.helper(
    _wofz_im,
    "Im w(a + ib) of the Faddeeva function w.",
    name="wofz_im",
    derivatives={
        "a": "-2 * (a * wofz_im(a, b) + b * wofz_re(a, b)) + 2 / sqrt(pi)",
        "b": "-2 * (a * wofz_re(a, b) - b * wofz_im(a, b))",
    },
)
_VZ = "x / (sigma * sqrt(2)), gamma / (sigma * sqrt(2))"
_VA, _VB = "x / (sigma * sqrt(2))", "gamma / (sigma * sqrt(2))"
# dRe w/da and dRe w/db at z, as formulas.
_V_UA = f"-2 * ({_VA} * wofz_re({_VZ}) - {_VB} * wofz_im({_VZ}))"
_V_UB = f"2 * ({_VA} * wofz_im({_VZ}) + {_VB} * wofz_re({_VZ})) - 2 / sqrt(pi)"
voigt_profile = _entry(
    sc.voigt_profile,
    "Voigt profile, the convolution of a normal density of standard deviation sigma and a "
    "Cauchy density of half-width gamma, at x.\n\nDifferentiable in x, sigma and gamma "
    "(through the Faddeeva function, `scipy.special.wofz`).",
    derivatives={
        "x": f"({_V_UA}) / (2 * sigma ** 2 * sqrt(pi))",
        "sigma": f"-voigt_profile(x, sigma, gamma) / sigma - ({_VA} * ({_V_UA}) + {_VB} * "
        f"({_V_UB})) / (sigma ** 2 * sqrt(2 * pi))",
        "gamma": f"({_V_UB}) / (2 * sigma ** 2 * sqrt(pi))",
    },
    examples=[(0.7, 1.3, 0.5), (-2.5, 0.8, 1.5), (0.3, 1.0, 0.0)],
)


# --- Gamma and beta functions -------------------------------------------------------------
CATALOGUE.section("Gamma and beta functions")
# 1/Gamma is entire: on z < 1/2 its derivative is written through the reflection formula,
# which is finite at the poles of Gamma (z = 0, -1, ...) where -psi(z)/Gamma(z) is 0 * inf.

rgamma = _entry(
    sc.rgamma,
    "Reciprocal of the gamma function, 1/Gamma(z).\n\nDifferentiable in real z.",
    derivatives={
        "z": "Piecewise((gamma(1 - z) * (cos(pi * z) - sin(pi * z) * "
        "digamma(1 - z) / pi), z < 1 / 2), (-digamma(z) * rgamma(z), True))"
    },
    examples=[(0.7,), (-2.3,)],
)
psi = _entry(
    sc.psi,
    "Digamma function, the logarithmic derivative of Gamma.\n\nDifferentiable in z.",
    derivatives={"z": "polygamma(1, z)"},
    examples=[(0.7,), (-2.3,)],
)
gammaincinv = _entry(
    sc.gammaincinv,
    "Inverse of the regularized lower incomplete gamma "
    "function in x.\n\nDifferentiable in y, and in a (implicitly: -(dP/da) / (dP/dx) at the "
    "inverse, dP/da numerically)." + _prefer_jax("gammaincinv"),
    derivatives={
        "a": "-gammainc_da(a, gammaincinv(a, y)) * exp(gammaincinv(a, y) + loggamma(a) "
        "+ (1 - a) * log(gammaincinv(a, y)))",
        "y": "exp(gammaincinv(a, y) + loggamma(a) + (1 - a) * log(gammaincinv(a, y)))",
    },
    examples=[(0.5, 0.3), (4.0, 0.8)],
)
gammainccinv = _entry(
    sc.gammainccinv,
    "Inverse of the regularized upper incomplete gamma "
    "function in x.\n\nDifferentiable in y, and in a (implicitly: -(dQ/da) / (dQ/dx) at the "
    "inverse, dQ/da numerically)." + _prefer_jax("gammainccinv"),
    derivatives={
        "a": "-gammainc_da(a, gammainccinv(a, y)) * exp(gammainccinv(a, y) + loggamma(a) "
        "+ (1 - a) * log(gammainccinv(a, y)))",
        "y": "-exp(gammainccinv(a, y) + loggamma(a) + (1 - a) * log(gammainccinv(a, y)))",
    },
    examples=[(0.5, 0.3), (4.0, 0.8)],
)
betaincinv = _entry(
    sc.betaincinv,
    "Inverse of the regularized incomplete beta function in "
    "x.\n\nDifferentiable in y, and in a and b (implicitly: -(dI/da) / (dI/dx) at "
    "the inverse, dI/da and dI/db numerically).",
    derivatives={
        "a": "-betainc_da(a, b, betaincinv(a, b, y)) * exp(loggamma(a) + loggamma(b) - loggamma(a + b) "
        "+ (1 - a) * log(betaincinv(a, b, y)) + (1 - b) * log(1 - betaincinv(a, b, y)))",
        "b": "-betainc_db(a, b, betaincinv(a, b, y)) * exp(loggamma(a) + loggamma(b) - loggamma(a + b) "
        "+ (1 - a) * log(betaincinv(a, b, y)) + (1 - b) * log(1 - betaincinv(a, b, y)))",
        "y": "exp(loggamma(a) + loggamma(b) - loggamma(a + b) "
        "+ (1 - a) * log(betaincinv(a, b, y)) "
        "+ (1 - b) * log(1 - betaincinv(a, b, y)))",
    },
    examples=[(0.5, 2.5, 0.3), (4.0, 1.5, 0.8)],
)
betainccinv = _entry(
    sc.betainccinv,
    "Inverse of the complemented regularized incomplete beta "
    "function in x.\n\nDifferentiable in y, and in a and b (implicitly: -(dI/da) / (dI/dx) at "
    "the inverse, dI/da and dI/db numerically).",
    derivatives={
        "a": "-betainc_da(a, b, betainccinv(a, b, y)) * exp(loggamma(a) + loggamma(b) - loggamma(a + b) "
        "+ (1 - a) * log(betainccinv(a, b, y)) + (1 - b) * log(1 - betainccinv(a, b, y)))",
        "b": "-betainc_db(a, b, betainccinv(a, b, y)) * exp(loggamma(a) + loggamma(b) - loggamma(a + b) "
        "+ (1 - a) * log(betainccinv(a, b, y)) + (1 - b) * log(1 - betainccinv(a, b, y)))",
        "y": "-exp(loggamma(a) + loggamma(b) - loggamma(a + b) "
        "+ (1 - a) * log(betainccinv(a, b, y)) "
        "+ (1 - b) * log(1 - betainccinv(a, b, y)))",
    },
    examples=[(0.5, 2.5, 0.3), (4.0, 1.5, 0.8)],
)

betaincc = _entry(
    sc.betaincc,
    "Complemented regularized incomplete beta function, 1 - I(a, b, x).\n\n"
    "Differentiable in x, and in a and b (dI/da and dI/db numerically).",
    derivatives={
        "a": "-betainc_da(a, b, x)",
        "b": "-betainc_db(a, b, x)",
        "x": f"-{_BETA_PDF}",
    },
    examples=[(0.5, 2.5, 0.3), (4.0, 1.5, 0.8)],
)
# binom(n, k) = Gamma(n + 1) / (Gamma(k + 1) Gamma(n - k + 1)): digamma differences.
binom = _entry(
    sc.binom,
    "Binomial coefficient of real arguments, Gamma(x + 1) / (Gamma(y + 1) Gamma(x - y + 1)).\n\n"
    "Differentiable in x and y (NaN where a gamma function of the formula has a pole, such "
    "as y a negative integer).",
    derivatives={
        "x": "binom(x, y) * (digamma(x + 1) - digamma(x - y + 1))",
        "y": "binom(x, y) * (digamma(x - y + 1) - digamma(y + 1))",
    },
    examples=[(5.5, 2.0), (10.0, 3.7), (-2.5, 1.25)],
)


# --- Hypergeometric functions -------------------------------------------------------------
CATALOGUE.section("Hypergeometric functions")
hyp0f1 = _entry(
    sc.hyp0f1,
    "Confluent hypergeometric limit function 0F1(; v; z).\n\n"
    "Differentiable in z, and in v (numerically: no closed form).",
    derivatives={"v": _NUM, "z": "hyp0f1(v + 1, z) / v"},
    examples=[(1.5, 0.7), (2.5, -3.2)],
)
hyperu = _entry(
    sc.hyperu,
    "Confluent hypergeometric function of the second kind "
    "U(a, b, x).\n\nDifferentiable in x, and in a and b (numerically: no closed form).",
    derivatives={"a": _NUM, "b": _NUM, "x": "-a * hyperu(a + 1, b + 1, x)"},
    examples=[(0.5, 1.5, 0.7), (2.0, 0.3, 3.2)],
)


# --- Statistical distributions ------------------------------------------------------------
CATALOGUE.section("Statistical distributions")
# Derivatives of CDFs are densities (of inverses, reciprocal densities), written through
# exp/loggamma so that large shape parameters do not overflow. Degrees of freedom, shape
# parameters and counts are not differentiable.

_T_LOGPDF = (
    "loggamma((df + 1) / 2) - loggamma(df / 2) - (df + 1) / 2 * log(1 + {t} ** 2 / df)"
    " - log(pi * df) / 2"
)
_CHI2_LOGPDF = "(v / 2 - 1) * log({x} / 2) - {x} / 2 - loggamma(v / 2) - log(2)"
_F_LOGPDF = (
    "dfn / 2 * log(dfn / dfd) + (dfn / 2 - 1) * log(x) "
    "- (dfn + dfd) / 2 * log(1 + dfn * x / dfd) "
    "+ loggamma((dfn + dfd) / 2) - loggamma(dfn / 2) - loggamma(dfd / 2)"
)
# F = I(dfn/2, dfd/2, w) with w = dfn x / (dfn x + dfd): the chain rule through w.
_F_W = "(dfn * x / (dfn * x + dfd))"
_F_DEN = "(dfn * x + dfd) ** 2"
_F_BPDF = (
    f"exp((dfn / 2 - 1) * log({_F_W}) + (dfd / 2 - 1) * log(1 - {_F_W}) "
    f"- loggamma(dfn / 2) - loggamma(dfd / 2) + loggamma((dfn + dfd) / 2))"
)
_GAMMA_LOGPDF = "(b - 1) * log(a * x) - a * x - loggamma(b)"
_POISSON_LOGPMF = "floor(k) * log(m) - m - loggamma(floor(k) + 1)"
_BINOM_LOGTERM = (
    "loggamma(n + 1) - loggamma(floor(k) + 1) - loggamma(n - floor(k)) "
    "+ floor(k) * log(p) + (n - floor(k) - 1) * log(1 - p)"
)
_NBINOM_LOGTERM = (
    "loggamma(n + floor(k) + 1) - loggamma(n) - loggamma(floor(k) + 1) "
    "+ (n - 1) * log(p) + floor(k) * log(1 - p)"
)

stdtr = _entry(
    sc.stdtr,
    "Student t distribution function.\n\nDifferentiable in t, and in df (numerically).",
    derivatives={"df": _NUM, "t": f"exp({_T_LOGPDF.format(t='t')})"},
    examples=[(3.0, 0.7), (12.5, -2.1)],
)
stdtrit = _entry(
    sc.stdtrit,
    "Inverse of `stdtr` in t.\n\nDifferentiable in p, and in df (implicitly: -(dF/ddf) / "
    "(dF/dt) at the inverse, dF/ddf numerically).",
    derivatives={
        "df": f"-stdtr_ddf(df, stdtrit(df, p)) * exp(-({_T_LOGPDF.format(t='stdtrit(df, p)')}))",
        "p": f"exp(-({_T_LOGPDF.format(t='stdtrit(df, p)')}))",
    },
    examples=[(3.0, 0.7), (12.5, 0.1)],
)
chdtr = _entry(
    sc.chdtr,
    "Chi-square distribution function.\n\nDifferentiable in x, and in v (through dP/da of "
    "the incomplete gamma function, numerically).",
    derivatives={"v": "gammainc_da(v / 2, x / 2) / 2", "x": f"exp({_CHI2_LOGPDF.format(x='x')})"},
    examples=[(3.0, 0.7), (12.5, 9.1)],
)
chdtrc = _entry(
    sc.chdtrc,
    "Chi-square survival function.\n\nDifferentiable in x, and in v (through dP/da of the "
    "incomplete gamma function, numerically).",
    derivatives={"v": "-gammainc_da(v / 2, x / 2) / 2", "x": f"-exp({_CHI2_LOGPDF.format(x='x')})"},
    examples=[(3.0, 0.7), (12.5, 9.1)],
)
chdtri = _entry(
    sc.chdtri,
    "Inverse of `chdtrc` in x.\n\nDifferentiable in p, and in v (implicitly, dP/da numerically).",
    derivatives={
        "v": f"-gammainc_da(v / 2, chdtri(v, p) / 2) / 2 "
        f"* exp(-({_CHI2_LOGPDF.format(x='chdtri(v, p)')}))",
        "p": f"-exp(-({_CHI2_LOGPDF.format(x='chdtri(v, p)')}))",
    },
    examples=[(3.0, 0.7), (12.5, 0.1)],
)
fdtr = _entry(
    sc.fdtr,
    "F distribution function.\n\nDifferentiable in x, and in dfn and dfd (through dI/da and "
    "dI/db of the incomplete beta function, numerically).",
    derivatives={
        "dfn": f"betainc_da(dfn / 2, dfd / 2, {_F_W}) / 2 + {_F_BPDF} * x * dfd / {_F_DEN}",
        "dfd": f"betainc_db(dfn / 2, dfd / 2, {_F_W}) / 2 - {_F_BPDF} * x * dfn / {_F_DEN}",
        "x": f"exp({_F_LOGPDF})",
    },
    examples=[(3.0, 5.0, 0.7), (12.5, 2.0, 2.1)],
)
fdtrc = _entry(
    sc.fdtrc,
    "F survival function.\n\nDifferentiable in x, and in dfn and dfd (through dI/da and "
    "dI/db of the incomplete beta function, numerically).",
    derivatives={
        "dfn": f"-betainc_da(dfn / 2, dfd / 2, {_F_W}) / 2 - {_F_BPDF} * x * dfd / {_F_DEN}",
        "dfd": f"-betainc_db(dfn / 2, dfd / 2, {_F_W}) / 2 + {_F_BPDF} * x * dfn / {_F_DEN}",
        "x": f"-exp({_F_LOGPDF})",
    },
    examples=[(3.0, 5.0, 0.7), (12.5, 2.0, 2.1)],
)
gdtr = _entry(
    sc.gdtr,
    "Gamma distribution function (rate a, shape b).\n\n"
    "Differentiable in a and x, and in b (dP/da of the incomplete gamma function, numerically).",
    derivatives={
        "a": f"x * exp({_GAMMA_LOGPDF})",
        "b": "gammainc_da(b, a * x)",
        "x": f"a * exp({_GAMMA_LOGPDF})",
    },
    examples=[(1.5, 3.0, 0.7), (0.5, 12.5, 20.1)],
)
gdtrc = _entry(
    sc.gdtrc,
    "Gamma survival function (rate a, shape b).\n\n"
    "Differentiable in a and x, and in b (dP/da of the incomplete gamma function, numerically).",
    derivatives={
        "a": f"-x * exp({_GAMMA_LOGPDF})",
        "b": "-gammainc_da(b, a * x)",
        "x": f"-a * exp({_GAMMA_LOGPDF})",
    },
    examples=[(1.5, 3.0, 0.7), (0.5, 12.5, 20.1)],
)
pdtr = _entry(
    sc.pdtr,
    "Poisson distribution function, P(N <= k) for mean m.\n\n"
    "Differentiable in m; the count k is not.",
    derivatives={"k": None, "m": f"-exp({_POISSON_LOGPMF})"},
    examples=[(3, 0.7), (12, 9.1)],
)
pdtrc = _entry(
    sc.pdtrc,
    "Poisson survival function, P(N > k) for mean m.\n\nDifferentiable in m; the count k is not.",
    derivatives={"k": None, "m": f"exp({_POISSON_LOGPMF})"},
    examples=[(3, 0.7), (12, 9.1)],
)
bdtr = _entry(
    sc.bdtr,
    "Binomial distribution function, P(N <= k) for n trials of "
    "probability p.\n\nDifferentiable in p; the counts k and n are not.",
    derivatives={"k": None, "n": None, "p": f"-exp({_BINOM_LOGTERM})"},
    examples=[(3, 10, 0.3), (12, 20, 0.7)],
)
bdtrc = _entry(
    sc.bdtrc,
    "Binomial survival function, P(N > k) for n trials of "
    "probability p.\n\nDifferentiable in p; the counts k and n are not.",
    derivatives={"k": None, "n": None, "p": f"exp({_BINOM_LOGTERM})"},
    examples=[(3, 10, 0.3), (12, 20, 0.7)],
)
nbdtr = _entry(
    sc.nbdtr,
    "Negative binomial distribution function, P(N <= k) failures before "
    "n successes of probability p.\n\nDifferentiable in p; the counts k and n are not.",
    derivatives={"k": None, "n": None, "p": f"exp({_NBINOM_LOGTERM})"},
    examples=[(3, 10, 0.3), (12, 20, 0.7)],
)
nbdtrc = _entry(
    sc.nbdtrc,
    "Negative binomial survival function, P(N > k) failures before "
    "n successes of probability p.\n\nDifferentiable in p; the counts k and n are not.",
    derivatives={"k": None, "n": None, "p": f"-exp({_NBINOM_LOGTERM})"},
    examples=[(3, 10, 0.3), (12, 20, 0.7)],
)


# --- Inverses of distribution functions ---------------------------------------------------
CATALOGUE.section("Inverses of distribution functions")
# The inverse G of F(theta, x) in x has dG/dp = 1 / (dF/dx) and dG/dtheta = -(dF/dtheta) /
# (dF/dx) at x = G (the function's own value, free from the primal); likewise for inverses
# in a parameter. dF/dparam of the incomplete gamma and beta functions comes from the
# numerical helpers gammainc_da, betainc_da and betainc_db (no closed form).


def _sub(template: str, **values: str) -> str:
    """`template` with each whole-word name replaced by its value (in parentheses)."""
    for name, value in values.items():
        template = re.sub(rf"\b{name}\b", f"({value})", template)
    return template


def _beta_pdf(a: str, b: str, x: str) -> str:
    return _sub(_BETA_PDF, a=a, b=b, x=x)


def _gamma_pdf(b: str, y: str) -> str:
    """Density of the standard gamma distribution of shape b at y."""
    return f"exp(({b} - 1) * log({y}) - ({y}) - loggamma({b}))"


def _implicit(dvalue: str, **partials: str) -> dict[str, str]:
    """Partials of an inverse G of F(..., G, ...) = p: `dvalue` is dF/dG at the inverse;
    `partials` maps each other argument to dF/d(argument), or to "1" for p."""
    return {
        arg: f"1 / ({dvalue})" if d == "1" else f"-({d}) / ({dvalue})"
        for arg, d in partials.items()
    }


_BINOM_AT = _BINOM_LOGTERM.replace("log(p)", "log({p})").replace("(1 - p)", "(1 - {p})")
_NBINOM_AT = _NBINOM_LOGTERM.replace("log(p)", "log({p})").replace("(1 - p)", "(1 - {p})")
_POISSON_AT = _POISSON_LOGPMF.replace("log(m) - m", "log({m}) - {m}")

bdtri = _entry(
    sc.bdtri,
    "Inverse of `bdtr` in p.\n\nDifferentiable in y (implicitly); the counts k and n are not.",
    derivatives={
        "k": None,
        "n": None,
        "y": f"-exp(-({_BINOM_AT.format(p='bdtri(k, n, y)')}))",
    },
    examples=[(3, 10, 0.3), (12, 20, 0.7)],
)
# bdtr(k, n, p) = I(n - k, k + 1, 1 - p) for real k and n, as SciPy's bdtrik and bdtrin solve.
_BK = {"a": "n - k", "b": "k + 1", "x": "1 - p"}
_BDTR_DK = "betainc_db({a}, {b}, {x}) - betainc_da({a}, {b}, {x})".format(**_BK)
_BDTR_DN = "betainc_da({a}, {b}, {x})".format(**_BK)
_BDTR_DP = "-" + _beta_pdf(**_BK)
bdtrik = _entry(
    sc.bdtrik,
    "Inverse of `bdtr` in k (real).\n\nDifferentiable in y, n and p (implicitly, dF/dk and "
    "dF/dn numerically).",
    derivatives=_implicit(
        _sub(_BDTR_DK, k="bdtrik(y, n, p)"),
        y="1",
        n=_sub(_BDTR_DN, k="bdtrik(y, n, p)"),
        p=_sub(_BDTR_DP, k="bdtrik(y, n, p)"),
    ),
    examples=[(0.3, 10.0, 0.4), (0.8, 25.0, 0.7)],
)
bdtrin = _entry(
    sc.bdtrin,
    "Inverse of `bdtr` in n (real).\n\nDifferentiable in k, y and p (implicitly, dF/dk and "
    "dF/dn numerically).",
    derivatives=_implicit(
        _sub(_BDTR_DN, n="bdtrin(k, y, p)"),
        k=_sub(_BDTR_DK, n="bdtrin(k, y, p)"),
        y="1",
        p=_sub(_BDTR_DP, n="bdtrin(k, y, p)"),
    ),
    examples=[(3.0, 0.3, 0.4), (12.5, 0.8, 0.7)],
)
nbdtri = _entry(
    sc.nbdtri,
    "Inverse of `nbdtr` in p.\n\nDifferentiable in y (implicitly); the counts k and n are not.",
    derivatives={
        "k": None,
        "n": None,
        "y": f"exp(-({_NBINOM_AT.format(p='nbdtri(k, n, y)')}))",
    },
    examples=[(3, 10, 0.3), (12, 20, 0.7)],
)
# nbdtr(k, n, p) = I(n, k + 1, p) for real k and n.
_NBK = {"a": "n", "b": "k + 1", "x": "p"}
_NBDTR_DK = "betainc_db({a}, {b}, {x})".format(**_NBK)
_NBDTR_DN = "betainc_da({a}, {b}, {x})".format(**_NBK)
_NBDTR_DP = _beta_pdf(**_NBK)
nbdtrik = _entry(
    sc.nbdtrik,
    "Inverse of `nbdtr` in k (real).\n\nDifferentiable in y, n and p (implicitly, dF/dk and "
    "dF/dn numerically).",
    derivatives=_implicit(
        _sub(_NBDTR_DK, k="nbdtrik(y, n, p)"),
        y="1",
        n=_sub(_NBDTR_DN, k="nbdtrik(y, n, p)"),
        p=_sub(_NBDTR_DP, k="nbdtrik(y, n, p)"),
    ),
    examples=[(0.3, 10.0, 0.4), (0.8, 4.5, 0.7)],
)
nbdtrin = _entry(
    sc.nbdtrin,
    "Inverse of `nbdtr` in n (real).\n\nDifferentiable in k, y and p (implicitly, dF/dk and "
    "dF/dn numerically).",
    derivatives=_implicit(
        _sub(_NBDTR_DN, n="nbdtrin(k, y, p)"),
        k=_sub(_NBDTR_DK, n="nbdtrin(k, y, p)"),
        y="1",
        p=_sub(_NBDTR_DP, n="nbdtrin(k, y, p)"),
    ),
    examples=[(3.0, 0.3, 0.4), (12.5, 0.8, 0.7)],
)
pdtri = _entry(
    sc.pdtri,
    "Inverse of `pdtr` in m.\n\nDifferentiable in y (implicitly); the count k is not.",
    derivatives={"k": None, "y": f"-exp(-({_POISSON_AT.format(m='pdtri(k, y)')}))"},
    examples=[(3, 0.3), (12, 0.7)],
)
# pdtr(k, m) = Q(k + 1, m) for real k, as SciPy's pdtrik solves.
_PK = "pdtrik(p, m)"
pdtrik = _entry(
    sc.pdtrik,
    "Inverse of `pdtr` in k (real).\n\nDifferentiable in p and m (implicitly, dQ/dk numerically).",
    derivatives=_implicit(
        f"-gammainc_da({_PK} + 1, m)",
        p="1",
        m="-" + _gamma_pdf(f"{_PK} + 1", "m"),
    ),
    examples=[(0.3, 2.0), (0.8, 12.5)],
)
# gdtr(a, b, x) = P(b, a x).
_GA = "gdtria(p, b, x)"
gdtria = _entry(
    sc.gdtria,
    "Inverse of `gdtr` in the rate a.\n\nDifferentiable in p, b and x (implicitly, dP/db "
    "numerically).",
    derivatives=_implicit(
        f"x * {_gamma_pdf('b', f'{_GA} * x')}",
        p="1",
        b=f"gammainc_da(b, {_GA} * x)",
        x=f"{_GA} * {_gamma_pdf('b', f'{_GA} * x')}",
    ),
    examples=[(0.3, 2.5, 2.0), (0.8, 12.5, 7.5)],
)
_GB = "gdtrib(a, p, x)"
gdtrib = _entry(
    sc.gdtrib,
    "Inverse of `gdtr` in the shape b.\n\nDifferentiable in a, p and x (implicitly, dP/db "
    "numerically).",
    derivatives=_implicit(
        f"gammainc_da({_GB}, a * x)",
        a=f"x * {_gamma_pdf(_GB, 'a * x')}",
        p="1",
        x=f"a * {_gamma_pdf(_GB, 'a * x')}",
    ),
    examples=[(1.5, 0.3, 2.0), (0.5, 0.8, 7.5)],
)
_GX = "gdtrix(a, b, p)"
gdtrix = _entry(
    sc.gdtrix,
    "Inverse of `gdtr` in x.\n\nDifferentiable in p and a, and in b (implicitly, dP/db "
    "numerically).",
    derivatives=_implicit(
        f"a * {_gamma_pdf('b', f'a * {_GX}')}",
        a=f"{_GX} * {_gamma_pdf('b', f'a * {_GX}')}",
        b=f"gammainc_da(b, a * {_GX})",
        p="1",
    ),
    examples=[(1.5, 2.5, 0.3), (0.5, 12.5, 0.8)],
)
_BA = "btdtria(p, b, x)"
btdtria = _entry(
    sc.btdtria,
    "Inverse of the regularized incomplete beta function in a.\n\nDifferentiable in p, b and "
    "x (implicitly, dI/da and dI/db numerically).",
    derivatives=_implicit(
        f"betainc_da({_BA}, b, x)",
        p="1",
        b=f"betainc_db({_BA}, b, x)",
        x=_beta_pdf(_BA, "b", "x"),
    ),
    examples=[(0.3, 2.5, 0.4), (0.8, 0.7, 0.6)],
)
_BB = "btdtrib(x1, x2, x3)"
btdtrib = _entry(
    sc.btdtrib,
    "Inverse of the regularized incomplete beta function in b, for (a, p, x) = (x1, x2, "
    "x3).\n\nDifferentiable in x1, x2 and x3 (implicitly, dI/da and dI/db numerically).",
    derivatives=_implicit(
        f"betainc_db(x1, {_BB}, x3)",
        x1=f"betainc_da(x1, {_BB}, x3)",
        x2="1",
        x3=_beta_pdf("x1", _BB, "x3"),
    ),
    examples=[(1.5, 0.3, 0.4), (0.7, 0.8, 0.6)],
)
_CV = "chdtriv(p, x)"
chdtriv = _entry(
    sc.chdtriv,
    "Inverse of `chdtr` in the degrees of freedom v.\n\nDifferentiable in p and x "
    "(implicitly, dP/da numerically).",
    derivatives=_implicit(
        f"gammainc_da({_CV} / 2, x / 2) / 2",
        p="1",
        x=f"exp({_sub(_CHI2_LOGPDF.format(x='x'), v=_CV)})",
    ),
    examples=[(0.3, 2.0), (0.8, 7.5)],
)
# The F distribution's partials, as for fdtr, at an inverse.
_F_DX = f"exp({_F_LOGPDF})"
_F_DDFN = f"betainc_da(dfn / 2, dfd / 2, {_F_W}) / 2 + {_F_BPDF} * x * dfd / {_F_DEN}"
_F_DDFD = f"betainc_db(dfn / 2, dfd / 2, {_F_W}) / 2 - {_F_BPDF} * x * dfn / {_F_DEN}"
_FX = "fdtri(dfn, dfd, p)"
fdtri = _entry(
    sc.fdtri,
    "Inverse of `fdtr` in x.\n\nDifferentiable in p, and in dfn and dfd (implicitly, dI/da "
    "and dI/db numerically).",
    derivatives=_implicit(
        _sub(_F_DX, x=_FX),
        dfn=_sub(_F_DDFN, x=_FX),
        dfd=_sub(_F_DDFD, x=_FX),
        p="1",
    ),
    examples=[(3.0, 5.0, 0.3), (12.5, 2.0, 0.8)],
)
_FD = "fdtridfd(dfn, p, x)"
fdtridfd = _entry(
    sc.fdtridfd,
    "Inverse of `fdtr` in dfd.\n\nDifferentiable in dfn, p and x (implicitly, dI/da and dI/db "
    "numerically).",
    derivatives=_implicit(
        _sub(_F_DDFD, dfd=_FD),
        dfn=_sub(_F_DDFN, dfd=_FD),
        p="1",
        x=_sub(_F_DX, dfd=_FD),
    ),
    examples=[(3.0, 0.3, 0.8), (12.5, 0.6, 1.1)],
)
_SD = "stdtridf(p, t)"
stdtridf = _entry(
    sc.stdtridf,
    "Inverse of `stdtr` in df.\n\nDifferentiable in p and t (implicitly, dF/ddf numerically).",
    derivatives=_implicit(
        f"stdtr_ddf({_SD}, t)",
        p="1",
        t=f"exp({_sub(_T_LOGPDF.format(t='t'), df=_SD)})",
    ),
    examples=[(0.2, -1.5), (0.7, 1.5), (0.9, 3.0)],
)
nrdtrimn = _entry(
    sc.nrdtrimn,
    "Mean of the normal distribution from a quantile: x - std ndtri(p).\n\n"
    "Differentiable in p, std and x.",
    derivatives={
        "p": "-std * sqrt(2 * pi) * exp(((x - nrdtrimn(p, std, x)) / std) ** 2 / 2)",
        "std": "-(x - nrdtrimn(p, std, x)) / std",
        "x": "1",
    },
    examples=[(0.3, 2.0, 0.8), (0.9, 0.5, -1.5)],
)
# nrdtrisd = (x - mn) / z with z = ndtri(p) = sqrt(2) erfinv(2 p - 1).
_Z = "(sqrt(2) * erfinv(2 * p - 1))"
nrdtrisd = _entry(
    sc.nrdtrisd,
    "Standard deviation of the normal distribution from a quantile: (x - mn) / ndtri(p).\n\n"
    "Differentiable in mn, p and x.",
    derivatives={
        "mn": f"-1 / {_Z}",
        "p": f"-(x - mn) * sqrt(2 * pi) * exp({_Z} ** 2 / 2) / {_Z} ** 2",
        "x": f"1 / {_Z}",
    },
    examples=[(0.5, 0.3, 0.2), (-1.0, 0.9, 2.5)],
)


# --- Noncentral distributions -------------------------------------------------------------
CATALOGUE.section("Noncentral distributions")
# Densities come from SciPy's own (Boost) implementations; the noncentral chi-square density
# differentiates in closed form through its Poisson mixture of central ones:
# df/dnc = (f(df + 2) - f(df)) / 2 and x f'(x) = ((df - 2) f(df) + nc f(df + 2) - x f(df)) / 2.
# Partials in the degrees of freedom and (for F and t) the noncentrality are numerical.

_ufuncs: Any = sc._ufuncs  # the densities scipy.stats uses


def _chndtr_ddf(x, df, nc):
    return derivative(sc.chndtr, (x, df, nc), (1,), _NUM)


def _ncfdtr_ddfn(dfn, dfd, nc, f):
    return derivative(sc.ncfdtr, (dfn, dfd, nc, f), (0,), _NUM)


def _ncfdtr_ddfd(dfn, dfd, nc, f):
    return derivative(sc.ncfdtr, (dfn, dfd, nc, f), (1,), _NUM)


def _ncfdtr_dnc(dfn, dfd, nc, f):
    return derivative(sc.ncfdtr, (dfn, dfd, nc, f), (2,), _NUM)


def _nctdtr_ddf(df, nc, t):
    return derivative(sc.nctdtr, (df, nc, t), (0,), _NUM)


def _nctdtr_dnc(df, nc, t):
    return derivative(sc.nctdtr, (df, nc, t), (1,), _NUM)


def _ncx2_pdf(x, df, nc):
    return _ufuncs._ncx2_pdf(x, df, nc)


def _ncf_pdf(f, dfn, dfd, nc):
    return _ufuncs._ncf_pdf(f, dfn, dfd, nc)


def _nct_pdf(t, df, nc):
    return _ufuncs._nct_pdf(t, df, nc)


CATALOGUE.helper(
    _ncx2_pdf,
    "Density of the noncentral chi-square distribution.",
    name="ncx2_pdf",
    derivatives={
        "x": "((df - 2) * ncx2_pdf(x, df, nc) + nc * ncx2_pdf(x, df + 2, nc)) / (2 * x) "
        "- ncx2_pdf(x, df, nc) / 2",
        "df": _NUM,
        "nc": "(ncx2_pdf(x, df + 2, nc) - ncx2_pdf(x, df, nc)) / 2",
    },
)
for _fn, _name, _doc in [
    (_chndtr_ddf, "chndtr_ddf", "dF/ddf of the noncentral chi-square distribution function"),
    (_ncfdtr_ddfn, "ncfdtr_ddfn", "dF/ddfn of the noncentral F distribution function"),
    (_ncfdtr_ddfd, "ncfdtr_ddfd", "dF/ddfd of the noncentral F distribution function"),
    (_ncfdtr_dnc, "ncfdtr_dnc", "dF/dnc of the noncentral F distribution function"),
    (_nctdtr_ddf, "nctdtr_ddf", "dF/ddf of the noncentral t distribution function"),
    (_nctdtr_dnc, "nctdtr_dnc", "dF/dnc of the noncentral t distribution function"),
    (_ncf_pdf, "ncf_pdf", "Density of the noncentral F distribution"),
    (_nct_pdf, "nct_pdf", "Density of the noncentral t distribution"),
]:
    CATALOGUE.helper(
        _fn,
        f"{_doc} (numerically, and numerically differentiable).",
        name=_name,
        derivatives=dict.fromkeys(inspect.signature(_fn).parameters, _NUM),
    )

chndtr = _entry(
    sc.chndtr,
    "Noncentral chi-square distribution function.\n\nDifferentiable in x and nc, and in df "
    "(numerically).",
    derivatives={"x": "ncx2_pdf(x, df, nc)", "df": _NUM, "nc": "-ncx2_pdf(x, df + 2, nc)"},
    examples=[(3.0, 2.5, 1.5), (12.5, 7.0, 4.5)],
)
_CX = "chndtrix(p, df, nc)"
chndtrix = _entry(
    sc.chndtrix,
    "Inverse of `chndtr` in x.\n\nDifferentiable in p and nc, and in df (implicitly, dF/ddf "
    "numerically).",
    derivatives=_implicit(
        f"ncx2_pdf({_CX}, df, nc)",
        p="1",
        df=f"chndtr_ddf({_CX}, df, nc)",
        nc=f"-ncx2_pdf({_CX}, df + 2, nc)",
    ),
    examples=[(0.3, 2.5, 1.5), (0.8, 7.0, 4.5)],
)
_CD = "chndtridf(x, p, nc)"
chndtridf = _entry(
    sc.chndtridf,
    "Inverse of `chndtr` in df.\n\nDifferentiable in x, p and nc (implicitly, dF/ddf numerically).",
    derivatives=_implicit(
        f"chndtr_ddf(x, {_CD}, nc)",
        x=f"ncx2_pdf(x, {_CD}, nc)",
        p="1",
        nc=f"-ncx2_pdf(x, {_CD} + 2, nc)",
    ),
    examples=[(3.0, 0.3, 1.5), (12.5, 0.6, 4.5)],
)
_CN = "chndtrinc(x, df, p)"
chndtrinc = _entry(
    sc.chndtrinc,
    "Inverse of `chndtr` in nc.\n\nDifferentiable in x and p, and in df (implicitly, dF/ddf "
    "numerically).",
    derivatives=_implicit(
        f"-ncx2_pdf(x, df + 2, {_CN})",
        x=f"ncx2_pdf(x, df, {_CN})",
        df=f"chndtr_ddf(x, df, {_CN})",
        p="1",
    ),
    examples=[(3.0, 2.5, 0.3), (12.5, 7.0, 0.2)],
)
ncfdtr = _entry(
    sc.ncfdtr,
    "Noncentral F distribution function.\n\nDifferentiable in f, and in dfn, dfd and nc "
    "(numerically).",
    derivatives={"dfn": _NUM, "dfd": _NUM, "nc": _NUM, "f": "ncf_pdf(f, dfn, dfd, nc)"},
    examples=[(3.0, 5.0, 1.5, 0.8), (12.5, 7.0, 4.5, 2.1)],
)


def _ncf_entry(value: str, call: str, params: list[str]) -> dict[str, str]:
    """Implicit partials of an inverse of ncfdtr in `value`, which is `call`."""
    args = {"dfn": "dfn", "dfd": "dfd", "nc": "nc", "f": "f", value: call}
    at = "{dfn}, {dfd}, {nc}, {f}".format(**args)
    partials = {
        "dfn": f"ncfdtr_ddfn({at})",
        "dfd": f"ncfdtr_ddfd({at})",
        "nc": f"ncfdtr_dnc({at})",
        "f": "ncf_pdf({f}, {dfn}, {dfd}, {nc})".format(**args),
    }
    return _implicit(partials[value], **{p: partials.get(p, "1") for p in params})


ncfdtri = _entry(
    sc.ncfdtri,
    "Inverse of `ncfdtr` in f.\n\nDifferentiable in p, and in dfn, dfd and nc (implicitly, "
    "dF/dparam numerically).",
    derivatives=_ncf_entry("f", "ncfdtri(dfn, dfd, nc, p)", ["dfn", "dfd", "nc", "p"]),
    examples=[(3.0, 5.0, 1.5, 0.3), (12.5, 7.0, 4.5, 0.8)],
)
nctdtr = _entry(
    sc.nctdtr,
    "Noncentral t distribution function.\n\nDifferentiable in t, and in df and nc (numerically).",
    derivatives={"df": _NUM, "nc": _NUM, "t": "nct_pdf(t, df, nc)"},
    examples=[(3.0, 1.5, 0.8), (12.5, -0.5, 2.1)],
)


def _nct_entry(value: str, call: str, params: list[str]) -> dict[str, str]:
    args = {"df": "df", "nc": "nc", "t": "t", value: call}
    partials = {
        "df": "nctdtr_ddf({df}, {nc}, {t})".format(**args),
        "nc": "nctdtr_dnc({df}, {nc}, {t})".format(**args),
        "t": "nct_pdf({t}, {df}, {nc})".format(**args),
    }
    return _implicit(partials[value], **{p: partials.get(p, "1") for p in params})


nctdtrit = _entry(
    sc.nctdtrit,
    "Inverse of `nctdtr` in t.\n\nDifferentiable in p, and in df and nc (implicitly, "
    "dF/dparam numerically).",
    derivatives=_nct_entry("t", "nctdtrit(df, nc, p)", ["df", "nc", "p"]),
    examples=[(3.0, 1.5, 0.3), (12.5, -0.5, 0.8)],
)
nctdtridf = _entry(
    sc.nctdtridf,
    "Inverse of `nctdtr` in df.\n\nDifferentiable in p, nc and t (implicitly, dF/dparam "
    "numerically). SciPy's root is accurate to about 1e-10 in p, so where dF/ddf is small "
    "(large df) its values, and these derivatives, carry few digits.",
    derivatives=_nct_entry("df", "nctdtridf(p, nc, t)", ["p", "nc", "t"]),
    examples=[(0.728, 1.0, 2.0), (0.856, 0.3, 3.0), (0.877, 1.5, 3.5)],
)
nctdtrinc = _entry(
    sc.nctdtrinc,
    "Inverse of `nctdtr` in nc.\n\nDifferentiable in df, p and t (implicitly, dF/dparam "
    "numerically).",
    derivatives=_nct_entry("nc", "nctdtrinc(df, p, t)", ["df", "p", "t"]),
    examples=[(3.0, 0.3, 0.8), (12.5, 0.8, 2.1)],
)


# --- Kolmogorov-Smirnov and Tukey lambda distributions -------------------------------------
CATALOGUE.section("Kolmogorov-Smirnov and Tukey lambda distributions")
# K(y) = 2 sum_k (-1)^(k-1) exp(-2 k^2 y^2) = 1 - sqrt(2 pi) / y sum_k exp(-(2k-1)^2 pi^2 /
# (8 y^2)): dK/dy from the first series for y >= 1 and the second below (8 and 6 terms:
# float64 accuracy), a formula JAX evaluates natively, to every order.


def _kolmogorov_prime(y: str) -> str:
    large = " + ".join(
        f"({(-1) ** (k - 1) * k * k}) * exp(-{2 * k * k} * {y} ** 2)" for k in range(1, 9)
    )
    small = " + ".join(
        f"exp(-{(2 * k - 1) ** 2} * pi ** 2 / (8 * {y} ** 2)) "
        f"* (1 / {y} ** 2 - {(2 * k - 1) ** 2} * pi ** 2 / (4 * {y} ** 4))"
        for k in range(1, 7)
    )
    return (
        f"Piecewise((0, {y} <= 0), (sqrt(2 * pi) * ({small}), {y} < 1), "
        f"(-8 * {y} * ({large}), True))"
    )


kolmogorov = _entry(
    sc.kolmogorov,
    "Survival function of the Kolmogorov distribution (of sqrt(n) times the two-sided "
    "Kolmogorov-Smirnov statistic, for large n).\n\nDifferentiable in y.",
    derivatives={"y": _kolmogorov_prime("y")},
    examples=[(0.5,), (0.97,), (1.6,)],
)
kolmogi = _entry(
    sc.kolmogi,
    "Inverse of `kolmogorov`.\n\nDifferentiable in p (implicitly).",
    derivatives={"p": f"1 / ({_kolmogorov_prime('kolmogi(p)')})"},
    examples=[(0.3,), (0.95,), (0.1,)],
)


def _smirnovp(n, d):
    return _ufuncs._smirnovp(n, d)


def _smirnov_kink(n, d):
    """The nearest j/n to d: smirnov's derivative jumps there."""
    return np.round(np.asarray(d) * n) / n


CATALOGUE.helper(
    _smirnovp,
    "Derivative of `smirnov` in d (SciPy's own), numerically differentiable (piecewise: "
    "it jumps at d = j/n, which no difference stencil crosses).",
    name="smirnovp",
    derivatives={"n": None, "d": numerical(kinks=_smirnov_kink)},
)
smirnov = _entry(
    sc.smirnov,
    "Survival function of the one-sided Kolmogorov-Smirnov statistic for n samples.\n\n"
    "Differentiable in d (SciPy's derivative; its own derivative numerically); the sample "
    "size n is not.",
    derivatives={"n": None, "d": "smirnovp(n, d)"},
    examples=[(5, 0.3), (20, 0.125), (3, 0.6)],
)
smirnovi = _entry(
    sc.smirnovi,
    "Inverse of `smirnov` in d.\n\nDifferentiable in p (implicitly); the sample size n is not.",
    derivatives={"n": None, "p": "1 / smirnovp(n, smirnovi(n, p))"},
    examples=[(5, 0.3), (20, 0.8), (3, 0.15)],
)
# Tukey lambda: x = Q(p) = (p^l - (1 - p)^l) / l, so dp/dx = 1 / Q'(p) and dp/dl = -dQ/dl /
# Q'(p) at p = tklmbda(x, l). dQ/dl is a 0/0 at l = 0; for |l log| < 1/10 it is summed as
# sum_k (k - 1) l^(k - 2) (log(p)^k - log(1 - p)^k) / k! (16 terms) instead.
_TP = "tklmbda(x, lmbda)"
_TQP = f"({_TP} ** (lmbda - 1) + (1 - {_TP}) ** (lmbda - 1))"
_TQL_SERIES = " + ".join(
    f"{k - 1} / {math.factorial(k)} * lmbda ** {k - 2} "
    f"* (log({_TP}) ** {k} - log(1 - {_TP}) ** {k})"
    for k in range(2, 18)
)
_TQL = (
    f"Piecewise(({_TQL_SERIES}, "
    f"Abs(lmbda) * Max(Abs(log({_TP})), Abs(log(1 - {_TP}))) < 1 / 10), "
    f"((lmbda * ({_TP} ** lmbda * log({_TP}) - (1 - {_TP}) ** lmbda * log(1 - {_TP})) "
    f"- ({_TP} ** lmbda - (1 - {_TP}) ** lmbda)) / lmbda ** 2, True))"
)
tklmbda = _entry(
    sc.tklmbda,
    "Tukey lambda distribution function.\n\nDifferentiable in x and lmbda (implicitly, through "
    "the quantile function).",
    derivatives={"x": f"1 / {_TQP}", "lmbda": f"-({_TQL}) / {_TQP}"},
    # (SciPy's values lose digits for 0 < |lmbda| < 1e-4, so the finite differences of
    # `check` stay away from lmbda = 0.)
    examples=[(0.8, 0.3), (-1.5, -0.5), (0.4, 1e-3), (1.2, 0.05)],
)


# --- Parabolic cylinder functions ---------------------------------------------------------
CATALOGUE.section("Parabolic cylinder functions")
# Each returns a solution of its Weber equation and its derivative, so d/dx of the pair is
# (the derivative, the equation's right-hand side times the value): one host call of the
# function itself gives both (a JAX callable: a formula cannot name an output). The order
# is differentiable numerically.


def _pbdv_dx(v: Any, x: Any) -> tuple[Any, Any]:
    """(D_v', (x^2/4 - v - 1/2) D_v)."""
    d, dp = pbdv(v, x)
    return dp, (x**2 / 4 - v - 0.5) * d


def _pbvv_dx(v: Any, x: Any) -> tuple[Any, Any]:
    """(V_v', (x^2/4 - v - 1/2) V_v)."""
    w, wp = pbvv(v, x)
    return wp, (x**2 / 4 - v - 0.5) * w


def _pbwa_dx(a: Any, x: Any) -> tuple[Any, Any]:
    """(W', (a - x^2/4) W)."""
    w, wp = pbwa(a, x)
    return wp, (a - x**2 / 4) * w


pbdv = _entry(
    _in_float64(sc.pbdv),
    "Parabolic cylinder function D_v(x) and its derivative (two outputs).\n\n"
    "Differentiable in x (D_v'' = (x^2/4 - v - 1/2) D_v), and in v (numerically).",
    signature="(),()->(),()",
    derivatives={"v": _NUM, "x": _pbdv_dx},
    examples=[(0.7, 1.3), (1.5, 0.5), (-1.5, 2.5), (0.3, -1.2)],
)
pbvv = _entry(
    _in_float64(sc.pbvv),
    "Parabolic cylinder function V_v(x) and its derivative (two outputs).\n\n"
    "Differentiable in x (V_v'' = (x^2/4 - v - 1/2) V_v), and in v (numerically).",
    signature="(),()->(),()",
    derivatives={"v": _NUM, "x": _pbvv_dx},
    examples=[(0.7, 1.3), (1.5, 0.5), (-1.5, 2.5), (0.3, -1.2)],
)
pbwa = _entry(
    _in_float64(sc.pbwa),
    "Parabolic cylinder function W(a, x) and its derivative (two outputs).\n\n"
    "Differentiable in x (W'' = (a - x^2/4) W), and in a (numerically).",
    signature="(),()->(),()",
    derivatives={"a": _NUM, "x": _pbwa_dx},
    examples=[(0.7, 1.3), (1.5, 0.5), (-1.5, 2.5), (0.3, -1.2)],
)


# --- Mathieu functions --------------------------------------------------------------------
CATALOGUE.section("Mathieu functions")
# ce_m and se_m take x in degrees and return the derivative in radians; they solve
# y'' = (2 q cos 2x - a) y (a the characteristic value), the modified functions
# y'' = (a - 2 q cosh 2x) y. The order m is an integer (SciPy gives NaN otherwise); q is
# differentiable numerically (no closed form).

_RAD = math.pi / 180  # radians per degree


def _angular(y: Any, yp: Any, a: Any, q: Any, x: Any) -> tuple[Any, Any]:
    """d/dx (in degrees) of (y, y' in radians) for y'' = (2 q cos 2x - a) y."""
    return _RAD * yp, _RAD * (2 * q * jnp.cos(2 * _RAD * x) - a) * y


def _radial(y: Any, yp: Any, a: Any, q: Any, x: Any) -> tuple[Any, Any]:
    """d/dx of (y, y') for y'' = (a - 2 q cosh 2x) y."""
    return yp, (a - 2 * q * jnp.cosh(2 * x)) * y


def _cem_dx(m: Any, q: Any, x: Any) -> tuple[Any, Any]:
    """From Mathieu's equation with a = mathieu_a (x in degrees)."""
    y, yp = mathieu_cem(m, q, x)
    return _angular(y, yp, mathieu_a(m, q), q, x)


def _sem_dx(m: Any, q: Any, x: Any) -> tuple[Any, Any]:
    """From Mathieu's equation with b = mathieu_b (x in degrees)."""
    y, yp = mathieu_sem(m, q, x)
    return _angular(y, yp, mathieu_b(m, q), q, x)


def _modcem1_dx(m: Any, q: Any, x: Any) -> tuple[Any, Any]:
    """From the modified Mathieu equation with a = mathieu_a."""
    y, yp = mathieu_modcem1(m, q, x)
    return _radial(y, yp, mathieu_a(m, q), q, x)


def _modcem2_dx(m: Any, q: Any, x: Any) -> tuple[Any, Any]:
    """From the modified Mathieu equation with a = mathieu_a."""
    y, yp = mathieu_modcem2(m, q, x)
    return _radial(y, yp, mathieu_a(m, q), q, x)


def _modsem1_dx(m: Any, q: Any, x: Any) -> tuple[Any, Any]:
    """From the modified Mathieu equation with b = mathieu_b."""
    y, yp = mathieu_modsem1(m, q, x)
    return _radial(y, yp, mathieu_b(m, q), q, x)


def _modsem2_dx(m: Any, q: Any, x: Any) -> tuple[Any, Any]:
    """From the modified Mathieu equation with b = mathieu_b."""
    y, yp = mathieu_modsem2(m, q, x)
    return _radial(y, yp, mathieu_b(m, q), q, x)


_MATHIEU_ORDER = "the order m is not (an integer)"
mathieu_a = _entry(
    _in_float64(sc.mathieu_a),
    "Characteristic value a_m(q) of the even Mathieu functions.\n\n"
    f"Differentiable in q (numerically); {_MATHIEU_ORDER}.",
    derivatives={"m": None, "q": _NUM},
    examples=[(0, 1.5), (2, 0.7), (3, 5.0)],
)
mathieu_b = _entry(
    _in_float64(sc.mathieu_b),
    "Characteristic value b_m(q) of the odd Mathieu functions.\n\n"
    f"Differentiable in q (numerically); {_MATHIEU_ORDER}.",
    derivatives={"m": None, "q": _NUM},
    examples=[(1, 1.5), (2, 0.7), (3, 5.0)],
)
_SIG2 = "(),(),()->(),()"
mathieu_cem = _entry(
    _in_float64(sc.mathieu_cem),
    "Even Mathieu function ce_m(x, q) of x in degrees, and its derivative (in radians).\n\n"
    f"Differentiable in x and q (numerically); {_MATHIEU_ORDER}.",
    signature=_SIG2,
    derivatives={"m": None, "q": _NUM, "x": _cem_dx},
    examples=[(0, 1.5, 30.0), (2, 0.7, -75.0), (3, 5.0, 120.0)],
)
mathieu_sem = _entry(
    _in_float64(sc.mathieu_sem),
    "Odd Mathieu function se_m(x, q) of x in degrees, and its derivative (in radians).\n\n"
    f"Differentiable in x and q (numerically); {_MATHIEU_ORDER}.",
    signature=_SIG2,
    derivatives={"m": None, "q": _NUM, "x": _sem_dx},
    examples=[(1, 1.5, 30.0), (2, 0.7, -75.0), (3, 5.0, 120.0)],
)
mathieu_modcem1 = _entry(
    _in_float64(sc.mathieu_modcem1),
    "Even modified Mathieu function of the first kind Mc1_m(x, q) and its derivative.\n\n"
    f"Differentiable in x and q (numerically); {_MATHIEU_ORDER}.",
    signature=_SIG2,
    derivatives={"m": None, "q": _NUM, "x": _modcem1_dx},
    examples=[(0, 1.5, 0.7), (2, 0.7, 1.2), (3, 5.0, 0.3)],
)
mathieu_modcem2 = _entry(
    _in_float64(sc.mathieu_modcem2),
    "Even modified Mathieu function of the second kind Mc2_m(x, q) and its derivative.\n\n"
    f"Differentiable in x and q (numerically); {_MATHIEU_ORDER}.",
    signature=_SIG2,
    derivatives={"m": None, "q": _NUM, "x": _modcem2_dx},
    examples=[(0, 1.5, 0.7), (2, 0.7, 1.2), (3, 5.0, 0.3)],
)
mathieu_modsem1 = _entry(
    _in_float64(sc.mathieu_modsem1),
    "Odd modified Mathieu function of the first kind Ms1_m(x, q) and its derivative.\n\n"
    f"Differentiable in x and q (numerically); {_MATHIEU_ORDER}.",
    signature=_SIG2,
    derivatives={"m": None, "q": _NUM, "x": _modsem1_dx},
    examples=[(1, 1.5, 0.7), (2, 0.7, 1.2), (3, 5.0, 0.3)],
)
mathieu_modsem2 = _entry(
    _in_float64(sc.mathieu_modsem2),
    "Odd modified Mathieu function of the second kind Ms2_m(x, q) and its derivative.\n\n"
    f"Differentiable in x and q (numerically); {_MATHIEU_ORDER}.",
    signature=_SIG2,
    derivatives={"m": None, "q": _NUM, "x": _modsem2_dx},
    examples=[(1, 1.5, 0.7), (2, 0.7, 1.2), (3, 5.0, 0.3)],
)


# --- Spheroidal wave functions ------------------------------------------------------------
CATALOGUE.section("Spheroidal wave functions")
# Each returns a solution of the spheroidal equation and its derivative; d/dx of the pair
# is (the derivative, y'') from the equation
#   prolate, angular and radial: (1 - x^2) y'' = 2x y' - (cv - c^2 x^2 - m^2/(1 - x^2)) y,
#   oblate angular:              (1 - x^2) y'' = 2x y' - (cv + c^2 x^2 - m^2/(1 - x^2)) y,
#   oblate radial:               (1 + x^2) y'' = -2x y' + (cv - c^2 x^2 - m^2/(1 + x^2)) y,
# with cv the characteristic value (pro_cv / obl_cv, or the argument cv of the _cv forms).
# m and n are integers (SciPy gives NaN otherwise); c and cv are differentiable numerically.
# SciPy's radial functions of the second kind are inaccurate near x = 1 (their derivative
# output disagrees with their values there): their sample points are at x = 2.5.


def _spheroidal(y: Any, yp: Any, m: Any, c: Any, cv: Any, x: Any, kind: str) -> Any:
    if kind == "prolate":
        return yp, (2 * x * yp - (cv - c**2 * x**2 - m**2 / (1 - x**2)) * y) / (1 - x**2)
    if kind == "oblate angular":
        return yp, (2 * x * yp - (cv + c**2 * x**2 - m**2 / (1 - x**2)) * y) / (1 - x**2)
    return yp, (-2 * x * yp + (cv - c**2 * x**2 - m**2 / (1 + x**2)) * y) / (1 + x**2)


def _spheroidal_dx(value: Any, cv_of: Any, kind: str) -> Any:
    """The x-derivative callable of a spheroidal function returning (value, derivative):
    `value()` is the function, `cv_of()` its characteristic value (computed from m, n, c),
    both looked up when called (they are defined below)."""

    def dx(m: Any, n: Any, c: Any, x: Any) -> tuple[Any, Any]:
        y, yp = value()(m, n, c, x)
        return _spheroidal(y, yp, m, c, cv_of()(m, n, c), x, kind)

    cv_name = "pro_cv" if kind == "prolate" else "obl_cv"
    dx.__doc__ = f"From the {kind} spheroidal equation with cv = {cv_name}(m, n, c)."
    return dx


def _spheroidal_cv_dx(value: Any, kind: str) -> Any:
    """As `_spheroidal_dx`, for the `*_cv` functions that take the characteristic value."""

    def dx(m: Any, n: Any, c: Any, cv: Any, x: Any) -> tuple[Any, Any]:
        y, yp = value()(m, n, c, cv, x)
        return _spheroidal(y, yp, m, c, cv, x, kind)

    dx.__doc__ = f"From the {kind} spheroidal equation with the given cv."
    return dx


_SPHEROIDAL = "the integers m and n are not"
pro_cv = _entry(
    _in_float64(sc.pro_cv),
    "Characteristic value of the prolate spheroidal functions.\n\n"
    f"Differentiable in c (numerically); {_SPHEROIDAL}.",
    derivatives={"m": None, "n": None, "c": _NUM},
    examples=[(1, 2, 1.5), (0, 3, 0.8)],
)
obl_cv = _entry(
    _in_float64(sc.obl_cv),
    "Characteristic value of the oblate spheroidal functions.\n\n"
    f"Differentiable in c (numerically); {_SPHEROIDAL}.",
    derivatives={"m": None, "n": None, "c": _NUM},
    examples=[(1, 2, 1.5), (0, 3, 0.8)],
)
pro_ang1 = _entry(
    _in_float64(sc.pro_ang1),
    "Prolate spheroidal angular function of the first kind and its derivative (two outputs).\n\n"
    f"Differentiable in x (from the equation) and c (numerically); {_SPHEROIDAL}.",
    signature="(),(),(),()->(),()",
    derivatives={
        "m": None,
        "n": None,
        "c": _NUM,
        "x": _spheroidal_dx(lambda: pro_ang1, lambda: pro_cv, "prolate"),
    },
    examples=[(1, 2, 1.5, 0.3), (0, 3, 0.8, -0.6)],
)
pro_ang1_cv = _entry(
    _in_float64(sc.pro_ang1_cv),
    "Prolate spheroidal angular function of the first kind for a given characteristic value cv, and its derivative (two outputs).\n\n"
    f"Differentiable in x (from the equation), c and cv (numerically); {_SPHEROIDAL}.",
    signature="(),(),(),(),()->(),()",
    derivatives={
        "m": None,
        "n": None,
        "c": _NUM,
        "cv": _NUM,
        "x": _spheroidal_cv_dx(lambda: pro_ang1_cv, "prolate"),
    },
    examples=[(1, 2, 1.5, 6.944785, 0.3), (0, 3, 0.8, 12.328476, -0.6)],
)
pro_rad1 = _entry(
    _in_float64(sc.pro_rad1),
    "Prolate spheroidal radial function of the first kind and its derivative (two outputs).\n\n"
    f"Differentiable in x (from the equation) and c (numerically); {_SPHEROIDAL}.",
    signature="(),(),(),()->(),()",
    derivatives={
        "m": None,
        "n": None,
        "c": _NUM,
        "x": _spheroidal_dx(lambda: pro_rad1, lambda: pro_cv, "prolate"),
    },
    examples=[(1, 2, 1.5, 1.5), (0, 3, 0.8, 2.5)],
)
pro_rad1_cv = _entry(
    _in_float64(sc.pro_rad1_cv),
    "Prolate spheroidal radial function of the first kind for a given characteristic value cv, and its derivative (two outputs).\n\n"
    f"Differentiable in x (from the equation), c and cv (numerically); {_SPHEROIDAL}.",
    signature="(),(),(),(),()->(),()",
    derivatives={
        "m": None,
        "n": None,
        "c": _NUM,
        "cv": _NUM,
        "x": _spheroidal_cv_dx(lambda: pro_rad1_cv, "prolate"),
    },
    examples=[(1, 2, 1.5, 6.944785, 1.5), (0, 3, 0.8, 12.328476, 2.5)],
)
pro_rad2 = _entry(
    _in_float64(sc.pro_rad2),
    "Prolate spheroidal radial function of the second kind and its derivative (two outputs).\n\n"
    f"Differentiable in x (from the equation) and c (numerically); {_SPHEROIDAL}.",
    signature="(),(),(),()->(),()",
    derivatives={
        "m": None,
        "n": None,
        "c": _NUM,
        "x": _spheroidal_dx(lambda: pro_rad2, lambda: pro_cv, "prolate"),
    },
    examples=[(1, 2, 1.5, 2.5), (0, 3, 0.8, 2.5)],
)
pro_rad2_cv = _entry(
    _in_float64(sc.pro_rad2_cv),
    "Prolate spheroidal radial function of the second kind for a given characteristic value cv, and its derivative (two outputs).\n\n"
    f"Differentiable in x (from the equation), c and cv (numerically); {_SPHEROIDAL}.",
    signature="(),(),(),(),()->(),()",
    derivatives={
        "m": None,
        "n": None,
        "c": _NUM,
        "cv": _NUM,
        "x": _spheroidal_cv_dx(lambda: pro_rad2_cv, "prolate"),
    },
    examples=[(1, 2, 1.5, 6.944785, 2.5), (0, 3, 0.8, 12.328476, 2.5)],
)
obl_ang1 = _entry(
    _in_float64(sc.obl_ang1),
    "Oblate spheroidal angular function of the first kind and its derivative (two outputs).\n\n"
    f"Differentiable in x (from the equation) and c (numerically); {_SPHEROIDAL}.",
    signature="(),(),(),()->(),()",
    derivatives={
        "m": None,
        "n": None,
        "c": _NUM,
        "x": _spheroidal_dx(lambda: obl_ang1, lambda: obl_cv, "oblate angular"),
    },
    examples=[(1, 2, 1.5, 0.3), (0, 3, 0.8, -0.6)],
)
obl_ang1_cv = _entry(
    _in_float64(sc.obl_ang1_cv),
    "Oblate spheroidal angular function of the first kind for a given characteristic value cv, and its derivative (two outputs).\n\n"
    f"Differentiable in x (from the equation), c and cv (numerically); {_SPHEROIDAL}.",
    signature="(),(),(),(),()->(),()",
    derivatives={
        "m": None,
        "n": None,
        "c": _NUM,
        "cv": _NUM,
        "x": _spheroidal_cv_dx(lambda: obl_ang1_cv, "oblate angular"),
    },
    examples=[(1, 2, 1.5, 5.015886, 0.3), (0, 3, 0.8, 11.674222, -0.6)],
)
obl_rad1 = _entry(
    _in_float64(sc.obl_rad1),
    "Oblate spheroidal radial function of the first kind and its derivative (two outputs).\n\n"
    f"Differentiable in x (from the equation) and c (numerically); {_SPHEROIDAL}.",
    signature="(),(),(),()->(),()",
    derivatives={
        "m": None,
        "n": None,
        "c": _NUM,
        "x": _spheroidal_dx(lambda: obl_rad1, lambda: obl_cv, "oblate radial"),
    },
    examples=[(1, 2, 1.5, 1.5), (0, 3, 0.8, 2.5)],
)
obl_rad1_cv = _entry(
    _in_float64(sc.obl_rad1_cv),
    "Oblate spheroidal radial function of the first kind for a given characteristic value cv, and its derivative (two outputs).\n\n"
    f"Differentiable in x (from the equation), c and cv (numerically); {_SPHEROIDAL}.",
    signature="(),(),(),(),()->(),()",
    derivatives={
        "m": None,
        "n": None,
        "c": _NUM,
        "cv": _NUM,
        "x": _spheroidal_cv_dx(lambda: obl_rad1_cv, "oblate radial"),
    },
    examples=[(1, 2, 1.5, 5.015886, 1.5), (0, 3, 0.8, 11.674222, 2.5)],
)
obl_rad2 = _entry(
    _in_float64(sc.obl_rad2),
    "Oblate spheroidal radial function of the second kind and its derivative (two outputs).\n\n"
    f"Differentiable in x (from the equation) and c (numerically); {_SPHEROIDAL}.",
    signature="(),(),(),()->(),()",
    derivatives={
        "m": None,
        "n": None,
        "c": _NUM,
        "x": _spheroidal_dx(lambda: obl_rad2, lambda: obl_cv, "oblate radial"),
    },
    examples=[(1, 2, 1.5, 2.5), (0, 3, 0.8, 2.5)],
)
obl_rad2_cv = _entry(
    _in_float64(sc.obl_rad2_cv),
    "Oblate spheroidal radial function of the second kind for a given characteristic value cv, and its derivative (two outputs).\n\n"
    f"Differentiable in x (from the equation), c and cv (numerically); {_SPHEROIDAL}.",
    signature="(),(),(),(),()->(),()",
    derivatives={
        "m": None,
        "n": None,
        "c": _NUM,
        "cv": _NUM,
        "x": _spheroidal_cv_dx(lambda: obl_rad2_cv, "oblate radial"),
    },
    examples=[(1, 2, 1.5, 5.015886, 2.5), (0, 3, 0.8, 11.674222, 2.5)],
)


# --- Orthogonal polynomials ---------------------------------------------------------------
CATALOGUE.section("Orthogonal polynomials")
# d/dx C_n^(a) = 2a C_{n-1}^(a+1) and d/dx P_n^(a,b) = (n+a+b+1)/2 P_{n-1}^(a+1,b+1): no
# singularity at x = +-1 (unlike the (1 - x^2) forms); SciPy gives 0 for degree -1.

_POLY = "Differentiable in x, and in the degree n (numerically; SciPy evaluates real degrees)."
_POLY_INT = "Differentiable in x; the degree n is not (SciPy truncates it to an integer)."
_POLY_PARAM = (
    "Differentiable in x, and in the degree n and the parameter {} (numerically; SciPy "
    "evaluates real degrees)."
)

eval_jacobi = _entry(
    sc.eval_jacobi,
    "Jacobi polynomial P_n^(alpha, beta)(x).\n\n"
    + "Differentiable in x, and in the degree n and the parameters alpha, beta (numerically).",
    derivatives={
        "n": _NUM,
        "alpha": _NUM,
        "beta": _NUM,
        "x": "(n + alpha + beta + 1) / 2 * eval_jacobi(n - 1, alpha + 1, beta + 1, x)",
    },
    examples=[(3, 0.5, 1.5, 0.3), (5, -0.5, 2.0, -0.8)],
)
eval_gegenbauer = _entry(
    sc.eval_gegenbauer,
    "Gegenbauer polynomial C_n^(alpha)(x).\n\n" + _POLY_PARAM.format("alpha"),
    derivatives={"n": _NUM, "alpha": _NUM, "x": "2 * alpha * eval_gegenbauer(n - 1, alpha + 1, x)"},
    examples=[(3, 0.5, 0.3), (5, 2.5, -0.8)],
)
eval_chebyu = _entry(
    sc.eval_chebyu,
    f"Chebyshev polynomial of the second kind U_n(x).\n\n{_POLY}",
    derivatives={"n": _NUM, "x": "2 * eval_gegenbauer(n - 1, 2, x)"},
    examples=[(3, 0.3), (5, -0.8)],
)
eval_chebyt = _entry(
    sc.eval_chebyt,
    f"Chebyshev polynomial of the first kind T_n(x).\n\n{_POLY}",
    derivatives={"n": _NUM, "x": "n * eval_chebyu(n - 1, x)"},
    examples=[(3, 0.3), (5, -0.8)],
)
eval_legendre = _entry(
    sc.eval_legendre,
    f"Legendre polynomial P_n(x).\n\n{_POLY}",
    derivatives={"n": _NUM, "x": "eval_gegenbauer(n - 1, 3 / 2, x)"},
    examples=[(3, 0.3), (5, -0.8)],
)
eval_hermite = _entry(
    sc.eval_hermite,
    f"Physicists' Hermite polynomial H_n(x).\n\n{_POLY_INT}",
    derivatives={"n": None, "x": "2 * n * eval_hermite(Max(n - 1, 0), x)"},
    examples=[(3, 0.3), (5, -1.8)],
)
eval_hermitenorm = _entry(
    sc.eval_hermitenorm,
    "Probabilists' Hermite polynomial He_n(x).\n\n" + _POLY_INT,
    derivatives={"n": None, "x": "n * eval_hermitenorm(Max(n - 1, 0), x)"},
    examples=[(3, 0.3), (5, -1.8)],
)
eval_genlaguerre = _entry(
    sc.eval_genlaguerre,
    "Generalized Laguerre polynomial L_n^(alpha)(x).\n\n" + _POLY_PARAM.format("alpha"),
    derivatives={"n": _NUM, "alpha": _NUM, "x": "-eval_genlaguerre(n - 1, alpha + 1, x)"},
    examples=[(3, 0.5, 0.3), (5, 2.5, 4.8)],
)
eval_laguerre = _entry(
    sc.eval_laguerre,
    f"Laguerre polynomial L_n(x).\n\n{_POLY}",
    derivatives={"n": _NUM, "x": "-eval_genlaguerre(n - 1, 1, x)"},
    examples=[(3, 0.3), (5, 4.8)],
)
eval_chebyc = _entry(
    sc.eval_chebyc,
    f"Chebyshev polynomial of the first kind on [-2, 2], C_n(x) = 2 T_n(x / 2).\n\n{_POLY}",
    derivatives={"n": _NUM, "x": "n * eval_chebys(n - 1, x)"},
    examples=[(3, 0.3), (5, -1.6), (2.5, 0.4)],
)
eval_chebys = _entry(
    sc.eval_chebys,
    f"Chebyshev polynomial of the second kind on [-2, 2], S_n(x) = U_n(x / 2).\n\n{_POLY}",
    derivatives={"n": _NUM, "x": "eval_gegenbauer(n - 1, 2, x / 2)"},
    examples=[(3, 0.3), (5, -1.6), (2.5, 0.4)],
)
eval_sh_chebyt = _entry(
    sc.eval_sh_chebyt,
    f"Shifted Chebyshev polynomial of the first kind, T_n(2x - 1).\n\n{_POLY}",
    derivatives={"n": _NUM, "x": "2 * n * eval_chebyu(n - 1, 2 * x - 1)"},
    examples=[(3, 0.3), (5, 0.8), (2.5, 0.6)],
)
eval_sh_chebyu = _entry(
    sc.eval_sh_chebyu,
    f"Shifted Chebyshev polynomial of the second kind, U_n(2x - 1).\n\n{_POLY}",
    derivatives={"n": _NUM, "x": "4 * eval_gegenbauer(n - 1, 2, 2 * x - 1)"},
    examples=[(3, 0.3), (5, 0.8), (2.5, 0.6)],
)
eval_sh_legendre = _entry(
    sc.eval_sh_legendre,
    f"Shifted Legendre polynomial, P_n(2x - 1).\n\n{_POLY}",
    derivatives={"n": _NUM, "x": "2 * eval_gegenbauer(n - 1, 3 / 2, 2 * x - 1)"},
    examples=[(3, 0.3), (5, 0.8), (2.5, 0.6)],
)
# G_n^(p,q)(x) = P_n^(p-q, q-1)(2x - 1) / binom(2n + p - 1, n).
eval_sh_jacobi = _entry(
    sc.eval_sh_jacobi,
    "Shifted Jacobi polynomial G_n^(p, q)(x).\n\n"
    "Differentiable in x, and in the degree n and the parameters p, q (numerically).",
    derivatives={
        "n": _NUM,
        "p": _NUM,
        "q": _NUM,
        "x": "(n + p) / binom(2 * n + p - 1, n) * eval_jacobi(n - 1, p - q + 1, q, 2 * x - 1)",
    },
    examples=[(3, 2.5, 1.5, 0.3), (5, 4.0, 2.0, 0.8)],
)


# --- Legendre functions and Bessel polynomial integrals -----------------------------------
CATALOGUE.section("Associated Legendre functions and Bessel integrals of powers")
# (1 - x^2) dP_v^m/dx = (v + m) P_{v-1}^m - v x P_v^m (singular at x = +-1, where P_v^m'
# is infinite for m != 0).
lpmv = _entry(
    sc.lpmv,
    "Associated Legendre function of integer order m and real degree v, P_v^m(x).\n\n"
    "Differentiable in x (for |x| < 1), and in the degree v (numerically); the order m is "
    "not (SciPy gives NaN for non-integer m).",
    derivatives={
        "m": None,
        "v": _NUM,
        "x": "((v + m) * lpmv(m, v - 1, x) - v * x * lpmv(m, v, x)) / (1 - x ** 2)",
    },
    examples=[(0, 2.5, 0.3), (1, 3.0, -0.6), (2, 4.5, 0.8)],
)
# d/da of the integral of x^lmb J_nu(2 a x) over [0, 1] is that of x^(lmb + 1)
# (J_{nu-1} - J_{nu+1})(2 a x).
besselpoly = _entry(
    sc.besselpoly,
    "Integral of x^lmb J_nu(2 a x) over [0, 1].\n\nDifferentiable in a, and in lmb and nu "
    "(numerically).",
    derivatives={
        "a": "besselpoly(a, lmb + 1, nu - 1) - besselpoly(a, lmb + 1, nu + 1)",
        "lmb": _NUM,
        "nu": _NUM,
    },
    examples=[(1.3, 0.5, 1.0), (0.4, 2.0, 0.5), (2.5, 1.5, 2.0)],
)


# --- Convenience functions ----------------------------------------------------------------
CATALOGUE.section("Convenience functions")
# The degree-based functions differentiate into each other, so their derivatives are exact
# where they are (cosdg(90) is 0, not 6e-17). `cbrt`, `exp2`, `expm1`, `log1p` and `round`
# are left out: `jax.numpy` has them.

_DEG = "pi / 180"
cosdg = _entry(
    sc.cosdg,
    "Cosine of an angle in degrees.\n\nDifferentiable in x.",
    derivatives={"x": f"-{_DEG} * sindg(x)"},
    examples=[(30.0,), (-117.5,)],
)
sindg = _entry(
    sc.sindg,
    "Sine of an angle in degrees.\n\nDifferentiable in x.",
    derivatives={"x": f"{_DEG} * cosdg(x)"},
    examples=[(30.0,), (-117.5,)],
)
tandg = _entry(
    sc.tandg,
    "Tangent of an angle in degrees.\n\nDifferentiable in x.",
    derivatives={"x": f"{_DEG} * (1 + tandg(x) ** 2)"},
    examples=[(30.0,), (-117.5,)],
)
cotdg = _entry(
    sc.cotdg,
    "Cotangent of an angle in degrees.\n\nDifferentiable in x.",
    derivatives={"x": f"-{_DEG} * (1 + cotdg(x) ** 2)"},
    examples=[(30.0,), (-117.5,)],
)
radian = _entry(
    sc.radian,
    "Angle in radians from degrees, arc minutes and arc seconds.\n\nDifferentiable in d, m and s.",
    derivatives={"d": "pi / 180", "m": "pi / 10800", "s": "pi / 648000"},
    examples=[(30.0, 15.0, 7.5), (-117.0, 0.5, 59.0)],
)
cosm1 = _entry(
    sc.cosm1,
    "cos(x) - 1, accurate for small x.\n\nDifferentiable in x.",
    derivatives={"x": "-sin(x)"},
    examples=[(0.7,), (1e-5,)],
)
exp10 = _entry(
    sc.exp10,
    "10 to the power x.\n\nDifferentiable in x.",
    derivatives={"x": "log(10) * exp10(x)"},
    examples=[(0.7,), (-2.3,)],
)
# exprel = 1F1(1; 2; x), so exprel' = 1F1(2; 3; x) / 2: no cancellation near x = 0, where
# (exp(x) - exprel(x)) / x loses every digit.
exprel = _entry(
    sc.exprel,
    "Relative error exponential, (exp(x) - 1) / x.\n\nDifferentiable in x.",
    derivatives={"x": "hyp1f1(2, 3, x) / 2"},
    examples=[(0.7,), (-2.3,), (1e-6,)],
)
powm1 = _entry(
    sc.powm1,
    "x ** y - 1, accurate for y log(x) near 0.\n\nDifferentiable in x and y.",
    derivatives={"x": "y * x ** (y - 1)", "y": "(powm1(x, y) + 1) * log(x)"},
    examples=[(1.7, 0.3), (0.4, -2.5)],
)


# --- Huber losses and Box-Cox transforms --------------------------------------------------
CATALOGUE.section("Huber losses and Box-Cox transforms")
# d/dlmbda of (1 + lmbda y)^(1/lmbda) is x (y / (1 + lmbda y) - log(1 + lmbda y) / lmbda)
# / lmbda, a 0/0 at lmbda = 0; for |lmbda y| < 1/10 it is summed as its Taylor series
# sum_k (-1)^k k / (k + 1) lmbda^(k - 1) y^(k + 1) instead (16 terms: float64 accuracy).
_BOXCOX_SERIES = " + ".join(
    f"({(-1) ** k * k}) / {k + 1} * lmbda ** {k - 1} * y ** {k + 1}" for k in range(1, 17)
)
_BOXCOX_DLMBDA = (
    f"Piecewise(({_BOXCOX_SERIES}, Abs(lmbda * y) < 1 / 10), "
    "((y / (1 + lmbda * y) - log(1 + lmbda * y) / lmbda) / lmbda, True))"
)

huber = _entry(
    sc.huber,
    "Huber loss: r^2 / 2 for |r| <= delta, delta (|r| - delta / 2) beyond.\n\n"
    "Differentiable in delta and r (once: the second derivatives jump at |r| = delta).",
    derivatives={
        "delta": "Piecewise((0, Abs(r) <= delta), (Abs(r) - delta, True))",
        "r": "Piecewise((r, Abs(r) <= delta), (delta * sign(r), True))",
    },
    examples=[(1.5, 0.7), (0.5, -2.3)],
)
# d/ddelta of delta^2 (s - 1), s = sqrt(1 + (r/delta)^2), is r^4 / (delta^3 s (1 + s)^2):
# the textbook 2 delta (s - 1) - r^2 / (delta s) cancels for small r / delta.
_S = "sqrt(1 + (r / delta) ** 2)"
pseudo_huber = _entry(
    sc.pseudo_huber,
    "Pseudo-Huber loss, delta^2 (sqrt(1 + (r / delta)^2) - 1).\n\nDifferentiable in delta and r.",
    derivatives={
        "delta": f"r ** 4 / (delta ** 3 * {_S} * (1 + {_S}) ** 2)",
        "r": f"r / {_S}",
    },
    examples=[(1.5, 0.7), (0.5, -2.3), (2.0, 1e-4)],
)
inv_boxcox = _entry(
    sc.inv_boxcox,
    "Inverse of the Box-Cox transform, (1 + lmbda y)^(1 / lmbda) (exp(y) at lmbda = 0).\n\n"
    "Differentiable in y and lmbda.",
    derivatives={
        "y": "inv_boxcox(y, lmbda) / (1 + lmbda * y)",
        "lmbda": f"inv_boxcox(y, lmbda) * {_BOXCOX_DLMBDA}",
    },
    examples=[(0.7, 0.3), (2.0, -0.25), (1.5, 1e-3), (0.5, 0.0)],
)
inv_boxcox1p = _entry(
    sc.inv_boxcox1p,
    "Inverse of the Box-Cox transform of 1 + x, (1 + lmbda y)^(1 / lmbda) - 1.\n\n"
    "Differentiable in y and lmbda.",
    derivatives={
        "y": "(inv_boxcox1p(y, lmbda) + 1) / (1 + lmbda * y)",
        "lmbda": f"(inv_boxcox1p(y, lmbda) + 1) * {_BOXCOX_DLMBDA}",
    },
    examples=[(0.7, 0.3), (2.0, -0.25), (1.5, 1e-3), (0.5, 0.0)],
)

CATALOGUE.finish()
