"""`autocallback.special` as a whole: the catalogue's coverage and policy, derivatives at
the removable singularities the formulas guard (z = 0, m = 0, poles of Gamma), reverse
mode, complex outputs, float32, vmap, and the generated docs page.

Each family's values and derivatives are checked in its own file,
`tests/test_special_<family>.py` (one per module of the package), with the shared
machinery of `tests/special_support.py`: values in float32 and float64, eagerly and under
`jax.jit`; first derivatives in float64 against mpmath (`mpmath.diff` of mpmath's own
implementation, or a closed form from mpmath) to a relative error of 1e-10 unless a
comment says why not; second derivatives for a representative subset.
"""

from __future__ import annotations

import importlib
import importlib.util
import inspect
import json
from pathlib import Path

import jax
import jax.numpy as jnp
import jax.scipy.special as jsp
import mpmath as mp
import numpy as np
import pytest
import scipy.special as sc
from special_support import _arrays, all_cases, d, differentiable, partial, points

import autocallback
from autocallback import special

ROOT = Path(__file__).resolve().parents[1]
NAMES = sorted(special.__all__)
ALL_CASES = all_cases()


# --------------------------------------------------------------------------------------
# The catalogue itself


def test_catalogue_is_complete_and_new():
    assert len(NAMES) >= 40
    assert set(ALL_CASES) == set(NAMES), "every catalogue function has a test case"
    for name in NAMES:
        fn = getattr(special, name)
        assert isinstance(fn, autocallback.HostFunction), name
        assert fn.name == name
        assert hasattr(sc, name), name
        doc = inspect.getdoc(fn) or ""
        assert doc.startswith(f"autocallback wrapper of `scipy.special.{name}`."), name
        assert fn.examples, f"{name} has no examples"
        # Every argument has a derivative or is declared non-differentiable.
        assert set(fn.derivatives) == set(fn.parameters), (name, fn.derivatives, fn.parameters)


def test_each_family_file_tests_its_module():
    """tests/test_special_<family>.py covers the entries of autocallback/special/_<family>.py."""
    files = sorted(ROOT.glob("tests/test_special_*.py"))
    assert len(files) >= 20
    for path in files:
        module = importlib.import_module(f"autocallback.special.{path.stem[len('test_special') :]}")
        entries = {
            v.name
            for v in vars(module).values()
            if isinstance(v, autocallback.HostFunction) and v in special.CATALOGUE.entries
        }
        assert entries, path.name
        assert set(importlib.import_module(path.stem).CASES) == entries, path.name


OLDEST_JAX = (0, 10, 2)


def _jax_version() -> tuple[int, ...]:
    return tuple(int(p) for p in jax.__version__.split(".")[:3] if p.isdigit())


def test_catalogue_covers_what_the_oldest_jax_lacks():
    """The policy of the catalogue page: entries cover what the oldest supported JAX lacks;
    an entry that the installed (newer) JAX also has stays, and the page compares the two."""
    in_jax = [n for n in NAMES if hasattr(jsp, n)]
    if _jax_version() <= OLDEST_JAX:
        assert not in_jax, f"already in the oldest supported JAX: {in_jax}"
    page = (ROOT / "docs" / "catalogue.md").read_text()
    heading = "## Entries that newer JAX releases also provide"
    assert heading in page
    section = page.split(heading, 1)[1].split("\n## ", 1)[0]
    missing = [n for n in in_jax if f"| `{n}` |" not in section]
    assert not missing, (
        f"JAX {jax.__version__} has {missing} too: run `python tools/compare_newer_jax.py` "
        "with this JAX, then `python tools/gen_catalogue.py --no-count` (docs/contributing.md)"
    )


def test_entries_name_the_jax_function_where_it_is_better():
    data = json.loads((ROOT / "docs" / "newer_jax.json").read_text())
    assert data["functions"], "the comparison covers the functions newer JAX releases added"
    for name, row in data["functions"].items():
        doc = inspect.getdoc(getattr(special, name)) or ""
        if row["verdict"].startswith("JAX's"):
            assert f"`jax.scipy.special.{name}`" in doc, name
        else:
            assert "newer jax" in doc.lower(), name


def test_every_scipy_ufunc_jax_lacks_is_here_or_left_out_with_a_reason():
    lacking = {
        n
        for n in dir(sc)
        if not n.startswith("_") and isinstance(getattr(sc, n), np.ufunc) and not hasattr(jsp, n)
    }
    here = set(NAMES)
    left_out = set(special.LEFT_OUT)
    assert not here & left_out
    assert lacking - here <= left_out, sorted(lacking - here - left_out)
    if _jax_version() <= OLDEST_JAX:
        # Newer JAX releases may add left-out functions; the oldest lacks every one.
        assert lacking - here == left_out, sorted(left_out - lacking)
    assert all(special.LEFT_OUT[n].strip() for n in left_out)
    assert len(NAMES) >= 170


# --------------------------------------------------------------------------------------
# Transformations and edges across families


def test_reverse_mode_second_order(enable_x64: None):
    """`jax.hessian` (reverse over forward) and grad of grad agree with forward mode."""
    z = jnp.array(1.3)
    want = float(mp.diff(lambda t: mp.besselj(1.5, t), 1.3, 2))
    assert abs(jax.hessian(lambda z: special.jv(1.5, z))(z) - want) <= 1e-10 * abs(want)
    want = float(mp.diff(mp.ellipk, 0.4, 2))
    got = jax.grad(jax.grad(special.ellipk))(0.4)
    assert abs(got - want) <= 1e-10 * abs(want)


def test_derivatives_at_the_origin(enable_x64: None):
    z0 = jnp.zeros(3)
    n = jnp.array([0, 1, 2])
    # J_0'(0) = 0, J_1'(0) = 1/2, J_2'(0) = 0; J_0''(0) = -1/2.
    np.testing.assert_allclose(d(special.jv, n.astype(float), z0)[0], [0, 0.5, 0], atol=1e-15)
    np.testing.assert_allclose(d(special.jv, 0.0, 0.0, order=2)[0], -0.5, rtol=1e-14)
    np.testing.assert_allclose(d(special.iv, n.astype(float), z0)[0], [0, 0.5, 0], atol=1e-15)
    # j_0'(0) = 0, j_1'(0) = 1/3; H_0'(0) = 2/pi, H_1'(0) = 0.
    np.testing.assert_allclose(d(special.spherical_jn, n, z0)[0], [0, 1 / 3, 0], atol=1e-15)
    np.testing.assert_allclose(
        d(special.struve, n.astype(float), z0)[0], [2 / np.pi, 0, 0], atol=1e-15
    )
    np.testing.assert_allclose(d(special.it2struve0, 0.0)[0], -2 / np.pi, rtol=1e-15)
    # W'(0) = 1 (W / (z (1 + W)) would be 0/0 there).
    np.testing.assert_allclose(d(special.lambertw, 0.0)[0], 1.0, rtol=1e-15)
    # ber'(0) = 0, bei''(0) = 1/2, ber''(0) = 0.
    np.testing.assert_allclose(d(special.beip, 0.0)[0], 0.5, rtol=1e-15)
    np.testing.assert_allclose(d(special.berp, 0.0)[0], 0.0, atol=1e-15)
    np.testing.assert_allclose(d(special.bei, 0.0, order=2)[0], 0.5, rtol=1e-15)


def test_complex_outputs_and_holomorphic_grad(enable_x64: None):
    assert special.hankel1(0.5, 1.3).dtype == jnp.complex128
    assert special.lambertw(1.0).dtype == jnp.complex128
    # Complex argument, complex tangent.
    z = jnp.array(1.3 + 0.4j)
    got = jax.grad(lambda z: special.jv(1.5, z), holomorphic=True)(z)
    want = complex(mp.diff(lambda t: mp.besselj(1.5, t), mp.mpc(1.3, 0.4)))
    assert abs(got - want) <= 1e-10 * abs(want)


@pytest.mark.parametrize(
    "name", ["jv", "lambertw", "airy", "ellipkinc", "spherical_jn", "ber", "rgamma", "airye"]
)
def test_float32_derivatives(name: str):
    """With x64 off, derivatives come out in float32/complex64 and agree with float64."""
    previous = bool(jax.config.read("jax_enable_x64"))
    fn = getattr(special, name)
    pts = points(name, ALL_CASES[name])
    try:
        results = {}
        for flag in (False, True):
            jax.config.update("jax_enable_x64", flag)
            dtype = np.float64 if flag else np.float32
            args = _arrays(name, pts, dtype)
            results[flag] = [partial(fn, args, i, 1) for i, _ in differentiable(name)]
    finally:
        jax.config.update("jax_enable_x64", previous)
    for got32, got64 in zip(results[False], results[True], strict=True):
        for g32, g64 in zip(got32, got64, strict=True):
            assert g32.dtype in (np.float32, np.complex64), (name, g32.dtype)
            np.testing.assert_allclose(g32, g64, rtol=2e-4, err_msg=name)


def test_vmap_and_static_branch(enable_x64: None):
    z = jnp.linspace(0.5, 3.0, 5)
    k = jnp.array([0, -1])
    got = jax.vmap(lambda k: special.lambertw(-0.2, k))(k)
    np.testing.assert_allclose(got, sc.lambertw(-0.2, np.array([0, -1])), rtol=1e-14)
    got = jax.vmap(jax.grad(lambda z: special.kv(1.5, z)))(z)
    want = [float(mp.diff(lambda t: mp.besselk(1.5, t), float(a))) for a in z]
    np.testing.assert_allclose(got, want, rtol=1e-10)


# --------------------------------------------------------------------------------------
# The docs table is generated


def test_catalogue_docs_are_generated():
    spec = importlib.util.spec_from_file_location(
        "gen_catalogue", ROOT / "tools" / "gen_catalogue.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    committed = (ROOT / "docs" / "catalogue.md").read_text()
    assert committed == module.render(), (
        "docs/catalogue.md is out of date: run `python tools/gen_catalogue.py`"
    )
