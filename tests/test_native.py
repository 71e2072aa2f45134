"""Native kernels: SciPy's compiled kernels inside XLA programs.

Values are compared bit for bit with the SciPy ufunc itself, in every loop it has
(float32, float64, complex64, complex128, integer orders), NaN and infinities included;
compiled programs are checked for the absence of Python callbacks; the fallbacks
(`AUTOCALLBACK_NATIVE=0`, a library that cannot be loaded) are run in subprocesses.
"""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
import warnings
import zlib

import jax
import jax.numpy as jnp
import numpy as np
import pytest
import scipy.special as sc

import autocallback as ac
from autocallback import _kernels

# The README's install builds the library: its absence is a failure (test below), except
# where native kernels are switched off on purpose.
SWITCHED_OFF = os.environ.get("AUTOCALLBACK_NATIVE", "").strip() == "0"
pytestmark = pytest.mark.skipif(SWITCHED_OFF, reason="AUTOCALLBACK_NATIVE=0 in the environment")


def test_the_library_is_built_and_loads() -> None:
    assert _kernels.available(), f"native kernels are unavailable: {_kernels._state.reason}"
    assert ac.special.kv.native


def _ufuncs_with_kernels() -> list[str]:
    _kernels.available()
    return sorted(
        name for name in _kernels._state.kernels if isinstance(getattr(sc, name, None), np.ufunc)
    )


# Where SciPy's own loops do not return on parts of the plane (hyp1f1 at some negative
# parameters), or take seconds there (lpmv at infinite degree), the samples stay in a
# range where they do not.
_RANGES = {"hyp1f1": (0.1, 4.0), "lpmv": (-4.0, 4.0)}
# SciPy's float32 loops of these return NaN, never return or crash (the catalogue
# computes them in float64); their samples stay in the functions' usual range.
_FLOAT64_ONLY = ("mathieu_", "pro_", "obl_", "pbdv", "pbvv", "pbwa", "modfresnel")


def _bounds(name: str) -> tuple[float, float]:
    if name.startswith(_FLOAT64_ONLY):
        return (0.5, 4.0)
    return _RANGES.get(name, (-8, 8))


def _sample(
    dtype: np.dtype, rng: np.random.Generator, n: int = 48, bounds: tuple[float, float] = (-8, 8)
) -> np.ndarray:
    if dtype.kind == "i":
        return rng.integers(-2, 7, n).astype(dtype)
    if bounds != (-8, 8):
        return rng.uniform(*bounds, n).astype(dtype)
    x = rng.uniform(-8, 8, n)
    x[:6] = [np.nan, np.inf, -np.inf, 0.0, 1.0, -1.0]
    x[6:16] = rng.integers(-2, 7, 10)
    if dtype.kind == "c":
        x = x + 1j * rng.uniform(-3, 3, n)
        x[16:18] = [complex(np.nan, 1), 0.5j]
    return rng.permutation(x).astype(dtype)


def _same(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Elementwise bit-for-bit equality up to NaN payloads (and the sign of zero)."""
    if a.dtype.kind == "c":
        return _same(a.real, b.real) & _same(a.imag, b.imag)
    return (a == b) | (np.isnan(a) & np.isnan(b))


@pytest.mark.parametrize("name", _ufuncs_with_kernels())
def test_bit_equal_to_the_ufunc_in_every_loop(name: str, enable_x64: None) -> None:
    ufunc = getattr(sc, name)
    fn = ac.host_function(ufunc)
    assert fn.native
    rng = np.random.default_rng(zlib.crc32(name.encode()))
    bounds = _bounds(name)
    tested = 0
    for types in ufunc.types:
        ins, outs = types.split("->")
        if any(c not in "fdFDl" for c in ins + outs):
            continue
        if name.startswith(_FLOAT64_ONLY) and "f" in ins.lower():
            continue
        dtypes = [np.dtype(c) for c in ins]
        kernel = _kernels.find(_kernels.source_of(ufunc), dtypes)
        if kernel is None:
            continue
        args = [_sample(d, rng, bounds=bounds) for d in dtypes]
        with np.errstate(all="ignore"), warnings.catch_warnings():
            warnings.simplefilter("ignore")
            expected = ufunc(*args)
        expected = expected if isinstance(expected, tuple) else (expected,)
        got = jax.jit(fn)(*args)
        got = got if isinstance(got, tuple) else (got,)
        for e, g in zip(expected, got, strict=True):
            g = np.asarray(g)
            assert g.dtype == e.dtype, (types, g.dtype, e.dtype)
            same = _same(e, g)
            assert same.all(), (
                f"{name} loop {types} ({kernel.name}): at {[a[~same][:3] for a in args]} "
                f"SciPy gives {e[~same][:3]}, the native kernel {g[~same][:3]}"
            )
        tested += 1
    assert tested


def _targets(text: str) -> list[str]:
    import re

    return re.findall(r"custom_call_target=\"([^\"]+)\"|custom_call @([\w.]+)", text)


def _python_targets(lowered: jax.stages.Lowered) -> list[str]:
    texts = [lowered.as_text(), lowered.compile().as_text()]
    found = []
    for text in texts:
        for groups in _targets(text):
            target = next(g for g in groups if g)
            if "python" in target.lower():
                found.append(target)
    return found


def test_user_function_compiles_without_python(enable_x64: None) -> None:
    kv = ac.host_function(sc.kv, derivatives={"v": None, "z": "-(kv(v - 1, z) + kv(v + 1, z)) / 2"})
    assert kv.native
    z = jnp.linspace(0.5, 4.0, 7)
    assert not _python_targets(jax.jit(kv).lower(0.7, z))
    grad = jax.jit(jax.grad(lambda z: kv(0.7, z).sum()))
    assert not _python_targets(grad.lower(z))
    second = jax.jit(jax.hessian(lambda z: kv(0.7, z)))
    assert not _python_targets(second.lower(1.3))
    dz = np.asarray(grad(z))
    h = 1e-6
    fd = (sc.kv(0.7, np.asarray(z) + h) - sc.kv(0.7, np.asarray(z) - h)) / (2 * h)
    np.testing.assert_allclose(dz, fd, rtol=1e-7)


# Private ufuncs without exported kernels run through their own inner loops: the densities
# and `_smirnovp` that catalogue derivatives call, and others of each loop shape (several
# outputs, an integer argument, complex arguments).
PRIVATE_UFUNCS = [
    "_ncx2_pdf",
    "_ncf_pdf",
    "_nct_pdf",
    "_smirnovp",
    "_cospi",
    "_log1pmx",
    "_struve_power_series",
    "_spherical_jn",
    "_zeta",
    "_gen_harmonic",
]


@pytest.mark.parametrize("name", PRIVATE_UFUNCS)
def test_private_ufunc_loops_bit_equal(name: str, enable_x64: None) -> None:
    ufunc = getattr(sc._ufuncs, name)
    fn = ac.host_function(ufunc)
    assert fn.native
    rng = np.random.default_rng(zlib.crc32(name.encode()))
    for types in ufunc.types:
        ins = types.split("->")[0]
        args = []
        for c in ins:
            if c in "lq":
                args.append(rng.integers(1, 7, 64).astype(c))
                continue
            x = rng.uniform(0.1, 8, 64)
            x[:3] = [np.nan, np.inf, 0.0]
            if c in "FD":
                x = x + 1j * rng.uniform(-2, 2, 64)
            args.append(x.astype(c))
        kernel = _kernels.find(_kernels.source_of(ufunc), [a.dtype for a in args])
        assert kernel is not None and kernel.code.startswith("u"), types
        with np.errstate(all="ignore"), warnings.catch_warnings():
            warnings.simplefilter("ignore")
            expected = ufunc(*args)
            got = jax.jit(fn)(*args)
        expected = expected if isinstance(expected, tuple) else (expected,)
        got = got if isinstance(got, tuple) else (got,)
        for e, g in zip(expected, got, strict=True):
            g = np.asarray(g)
            assert g.dtype == e.dtype, (types, g.dtype, e.dtype)
            assert _same(e, g).all(), (types, e, g)


def test_single_precision_loops_are_scipy_own(x64: bool) -> None:
    # SciPy's float32 Kelvin loop computes in single precision with a kernel it does not
    # export: the native path runs that loop itself, so values are SciPy's bit for bit.
    fn = ac.host_function(sc.ber)
    x = np.linspace(-20, 20, 101, dtype=np.float32)
    assert not _python_targets(jax.jit(fn).lower(x))
    got = np.asarray(jax.jit(fn)(x))
    assert got.dtype == np.float32
    np.testing.assert_array_equal(got, sc.ber(x))


def test_static_arguments_pass_as_exact_constants(x64: bool) -> None:
    # lambertw's tolerance (a static argument) is a constant of the kernel call, written
    # exactly into the program: values equal SciPy's for each tolerance, in both modes.
    from autocallback import special

    z = np.array([0.7, 3.2, -0.2, -0.36787944117144233, 0.0, 1e-30, np.inf, np.nan, -5.0])
    for k in (0, -1, 2):
        for tol in (1e-8, 1e-3, 0.25):
            f = jax.jit(lambda z, k=k, tol=tol: special.lambertw(z, k, tol))
            assert not _python_targets(f.lower(z)), (k, tol)
            got = np.asarray(f(z))
            zz = np.asarray(jnp.asarray(z))  # the canonical dtype the function sees
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                expected = sc.lambertw(zz, k, tol).astype(got.dtype)
            assert _same(got, expected).all(), (k, tol, got, expected)


def test_scipy_backed_formula_names_run_natively(enable_x64: None) -> None:
    # SymPy's names for SciPy functions (`besselj` in `expr=`, `besselk` and the Airy
    # functions in formulas) are evaluated by native kernels in the program, and still
    # differentiated by SymPy: every order, no Python callback.
    jv = ac.host_function(sc.jv, expr="besselj(v, z)", derivatives={"v": ac.numerical()})
    kv = ac.host_function(
        sc.kv, derivatives={"v": None, "z": "-(besselk(v - 1, z) + besselk(v + 1, z)) / 2"}
    )
    airy = ac.host_function(
        sc.airy,
        signature="()->(),(),(),()",
        derivatives={"z": ("airyaiprime(z)", "z * airyai(z)", "airybiprime(z)", "z * airybi(z)")},
    )
    v, z = 1.3, 2.0
    for fn in (jv, kv):
        assert not _python_targets(jax.jit(jax.grad(fn, argnums=1)).lower(v, z))
        assert not _python_targets(jax.jit(jax.hessian(fn, argnums=1)).lower(v, z))
    assert not _python_targets(jax.jit(jax.hessian(lambda z: airy(z)[0])).lower(0.7))
    h = 1e-4
    for fn, ref in ((jv, sc.jv), (kv, sc.kv)):
        second = (ref(v, z + h) - 2 * ref(v, z) + ref(v, z - h)) / h**2
        np.testing.assert_allclose(jax.hessian(fn, argnums=1)(v, z), second, rtol=1e-6)
    # Ai'' = z Ai
    np.testing.assert_allclose(
        jax.hessian(lambda z: airy(z)[0])(0.7), 0.7 * sc.airy(0.7)[0], rtol=1e-14
    )


def test_python_functions_stay_python() -> None:
    fn = ac.host_function(lambda x: sc.kv(0.5, x), name="kv_half")
    assert not fn.native
    assert not ac.host_function(np.frompyfunc(lambda x: x, 1, 1)).native


def test_float32_rounds_like_scipy(x64: bool) -> None:
    # gammaincinv has only a double kernel: SciPy's float32 loop computes in double and
    # rounds, and so does the native path.
    fn = ac.host_function(sc.gammaincinv)
    a = np.float32([0.5, 1.5, 7.0])
    p = np.float32([0.1, 0.5, 0.99])
    got = np.asarray(jax.jit(fn)(a, p))
    assert got.dtype == np.float32
    np.testing.assert_array_equal(got, sc.gammaincinv(a, p))


def test_vmap_and_threads_match_scipy(enable_x64: None) -> None:
    jv = ac.host_function(sc.jv)
    v = np.linspace(0, 3, 4)
    z = np.linspace(-5, 40, 50_000)
    got = jax.vmap(jv, in_axes=(0, None))(v, z)
    np.testing.assert_array_equal(np.asarray(got), sc.jv(v[:, None], z))


def _run(code: str, **env: str) -> subprocess.CompletedProcess[str]:
    environment = {**os.environ, **env}
    return subprocess.run(
        [sys.executable, "-c", textwrap.dedent(code)],
        capture_output=True,
        text=True,
        env=environment,
        check=False,
        timeout=300,
    )


def test_switched_off_by_the_environment() -> None:
    result = _run(
        """
        import jax, numpy as np, scipy.special as sc
        import autocallback as ac
        kv = ac.host_function(sc.kv)
        text = jax.jit(kv).lower(0.7, np.ones(3, np.float32)).as_text()
        print(kv.native, "python" in text, bool(np.all(np.asarray(kv(0.7, np.ones(3, np.float32))) == sc.kv(np.float32(0.7), np.ones(3, np.float32)))))
        """,
        AUTOCALLBACK_NATIVE="0",
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["False", "True", "True"]


def test_missing_library_warns_once_and_uses_python() -> None:
    result = _run(
        """
        import ctypes, warnings
        import jax, numpy as np, scipy.special as sc

        def missing(path, *args, **kwargs):
            raise OSError(f"{path}: cannot open shared object file")

        ctypes.CDLL = missing
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            import autocallback as ac
            kv, jv = ac.host_function(sc.kv), ac.host_function(sc.jv)
            flags = (kv.native, jv.native)
            x = np.ones(3, np.float32)
            values = np.asarray(kv(0.7, x)), np.asarray(jv(0.7, x))
        messages = [str(w.message) for w in caught if "native kernels are off" in str(w.message)]
        print(flags, len(messages))
        print(messages[0])
        print(bool(np.all(values[0] == sc.kv(np.float32(0.7), x))))
        """
    )
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0] == "(False, False) 1"
    assert "libautocallback_kernels.so could not be loaded" in lines[1]
    assert "cannot open shared object file" in lines[1]
    assert "python -m pip install -e ." in lines[1]
    assert lines[2] == "True"


# Catalogue entries of every kind of derivative: formulas calling native functions,
# numerical() partials, implicit partials of inverse functions (numerical helpers),
# Piecewise formulas, float64-forced entries, spherical Bessel functions (a static
# argument), complex values.
CATALOGUE_SAMPLE = [
    "kv",
    "jv",
    "hankel1",
    "stdtrit",
    "gammaincinv",
    "betaincinv",
    "kolmogorov",
    "rgamma",
    "huber",
    "struve",
    "ber",
    "spherical_jn",
    "agm",
    "voigt_profile",
    "gdtrc",
    "betaincc",
    "stdtr",
    "chndtr",
    "ncfdtri",
    "nctdtrinc",
    "smirnov",
    "smirnovi",
    "airy",
    "itairy",
    "ellipkinc",
    "ellipeinc",
    "lambertw",
]


# With x64 off: entries whose float32 values or derivatives took the Python path before
# (numerical partials now run as float64 differences inside the 32-bit program; SciPy's
# single-precision loops; a constant argument).
FLOAT32_SAMPLE = ["kv", "gammaincinv", "ber", "spherical_jn", "chndtr", "smirnov", "lambertw"]


@pytest.mark.parametrize(
    ("name", "x64"),
    [*((name, True) for name in CATALOGUE_SAMPLE), *((name, False) for name in FLOAT32_SAMPLE)],
    indirect=["x64"],
)
def test_catalogue_derivatives_compile_without_python(name: str, x64: bool) -> None:
    from autocallback import special

    fn = getattr(special, name)
    assert fn.native
    example = fn.examples[0]
    args = tuple(example)[: len(fn.parameters)]

    def total(*a):
        return sum(jnp.real(jnp.sum(leaf)) for leaf in jax.tree.leaves(fn(*a)))

    assert not _python_targets(jax.jit(fn).lower(*args))
    checked = 0
    for i, p in enumerate(fn.parameters):
        if fn.derivatives.get(p, "absent") is None or not isinstance(args[i], float):
            continue
        grad = jax.grad(total, argnums=i)
        assert not _python_targets(jax.jit(grad).lower(*args)), (name, p)
        assert not _python_targets(jax.jit(jax.grad(grad, argnums=i)).lower(*args)), (name, p)
        checked += 1
    assert checked


def test_derivatives_match_the_python_path(x64: bool) -> None:
    # With x64 off the differences run in float64 inside the 32-bit program, as the host
    # computes them, and round to the same float32 values.
    from autocallback import special

    def derivatives() -> list[float]:
        out = [jax.grad(special.kv, argnums=i)(1.3, 2.1) for i in (0, 1)]
        out.append(jax.grad(jax.grad(special.kv))(1.3, 2.1))
        out.append(jax.grad(special.gammaincinv, argnums=0)(1.7, 0.4))
        out.append(jax.grad(special.chndtr, argnums=1)(3.0, 2.5, 1.5))
        out.append(jax.grad(special.smirnov, argnums=1)(5, 0.3))
        batched = jax.vmap(jax.grad(special.jv))(jnp.array([0.5, 3.0]), jnp.array([0.1, 2.0]))
        return [*out, *batched]

    native = derivatives()
    jax.clear_caches()
    previous = _kernels.set_enabled(False)
    try:
        python = derivatives()
    finally:
        _kernels.set_enabled(previous)
        jax.clear_caches()
    assert all(np.asarray(d).dtype == (np.float64 if x64 else np.float32) for d in native)
    np.testing.assert_allclose(native, python, rtol=1e-9 if x64 else 1e-6)


# The differences in the XLA program equal the host's (the same steps, refinement,
# kinks and tails, element for element): orders of Bessel functions where the refinement
# works hardest (large order, small argument), a second derivative and a mixed one, under
# jit and vmap; smirnovp near its kinks d = j/n; survival-function parameter derivatives
# deep in the upper tail (the smaller tail is differentiated).
def _orders() -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(20)
    v = np.concatenate([rng.uniform(0, 20, 24), [20.0, 15.0, 19.55, 0.5]])
    z = np.concatenate([np.exp(rng.uniform(np.log(0.05), np.log(30), 24)), [0.1, 0.1, 0.053, 2]])
    return v, z


@pytest.mark.parametrize("name", ["kv", "jv", "yve"])
@pytest.mark.parametrize("index", [(0,), (0, 0), (0, 1)])
def test_xla_differences_equal_the_host(
    name: str, index: tuple[int, ...], enable_x64: None
) -> None:
    from autocallback._numerical import derivative, jax_derivative

    ufunc = getattr(sc, name)
    fn = ac.HostFunction(ufunc)
    assert fn.native
    v, z = _orders()
    host = derivative(ufunc, [v, z], index, ac.numerical())

    def xla(a, b):
        return jax_derivative(fn, [a, b], index, ac.numerical())

    lowered = jax.jit(xla).lower(v, z)
    assert not _python_targets(lowered)
    rtol = 1e-12 if len(index) == 1 else 1e-10
    np.testing.assert_allclose(lowered.compile()(v, z), host, rtol=rtol, atol=0)
    np.testing.assert_allclose(jax.jit(jax.vmap(xla))(v, z), host, rtol=rtol, atol=0)


def test_xla_differences_respect_kinks(enable_x64: None) -> None:
    from autocallback._numerical import derivative, jax_derivative

    # smirnov's derivative jumps at d = j/n: points next to kinks, on both sides.
    n = np.array([3.0, 3.0, 25.0, 5.0, 20.0, 3.0])
    d = np.array([0.3325, 0.3334, 0.2, 0.4001, 0.05, 0.6])
    marker = ac.numerical(kinks=_kink)
    host = derivative(sc.smirnov, [n, d], (1,), marker)
    xla = jax.jit(lambda a, b: jax_derivative(ac.HostFunction(sc.smirnov), [a, b], (1,), marker))
    np.testing.assert_allclose(xla(n, d), host, rtol=1e-12, atol=0)
    np.testing.assert_allclose(xla(n, d), sc._ufuncs._smirnovp(n, d), rtol=1e-7)

    # In a host function's partial: native with a JAX-traceable kinks function, on the
    # host (a Python callback) with a NumPy-only one; the same values.
    def numpy_kink(n, d):
        return np.round(np.asarray(d) * n) / n

    grads = []
    for kinks, python in ((_kink, False), (numpy_kink, True)):
        fn = ac.host_function(sc.smirnov, derivatives={"n": None, "d": ac.numerical(kinks=kinks)})
        grad = jax.jit(jax.vmap(jax.grad(fn, argnums=1)))
        assert bool(_python_targets(grad.lower(n, d))) == python
        grads.append(grad(n, d))
    np.testing.assert_allclose(grads[0], host, rtol=1e-12, atol=0)
    np.testing.assert_allclose(grads[1], host, rtol=1e-12, atol=0)


def _kink(n, d):
    return (d * n).round() / n


@pytest.mark.parametrize(
    ("name", "args", "i"),
    [
        ("gdtrc", (1.0, 3.0, 45.0), 1),
        ("betaincc", (2.5, 3.5, 0.99999), 0),
        ("stdtr", (4.5, -3000.0), 0),
    ],
)
def test_xla_differences_take_the_smaller_tail(
    name: str, args: tuple[float, ...], i: int, enable_x64: None
) -> None:
    from autocallback import special

    fn = getattr(special, name)
    grad = jax.jit(jax.grad(fn, argnums=i))
    assert not _python_targets(grad.lower(*args))
    value = grad(*args)
    jax.clear_caches()
    previous = _kernels.set_enabled(False)
    try:
        host = jax.grad(fn, argnums=i)(*args)
    finally:
        _kernels.set_enabled(previous)
        jax.clear_caches()
    # Tiny survival values: a difference of the lower function (~1) would cancel to 0.
    assert fn(*args) < 1e-12
    assert value != 0
    np.testing.assert_allclose(value, host, rtol=1e-12)
