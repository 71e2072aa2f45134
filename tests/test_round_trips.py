"""Host round trips per transformation, counted from compiled programs: terms JAX can
evaluate run natively; only host-only functions go to the host, one call per order."""

from __future__ import annotations

import importlib.util
import json
import re
from pathlib import Path

import jax
import jax.numpy as jnp
import numpy as np
import pytest
import scipy.special as sc

from autocallback import host_function, special

ROOT = Path(__file__).resolve().parents[1]
_CALLBACK = re.compile(r'custom_call_target="(?!autocallback_)[^"]*callback[^"]*"')


def trips(f, *args) -> int:
    return len(_CALLBACK.findall(jax.jit(f).lower(*args).compile().as_text()))


def _generator():
    spec = importlib.util.spec_from_file_location(
        "gen_catalogue", ROOT / "tools" / "gen_catalogue.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


# name -> (grad, value_and_grad, hessian) in the function's variable at its first example.
EXPECTED = {
    # the derivative is native: grad drops the primal, no host call at all
    "erfi": (0, 1, 0),
    "psi": (0, 1, 0),
    "log_expit": (0, 1, 0),
    "stdtr": (0, 1, 0),
    "chdtr": (0, 1, 0),
    "fdtr": (0, 1, 0),
    "gdtr": (0, 1, 0),
    "pdtr": (0, 1, 0),
    # inverses and lambertw/wrightomega: their own value, from the primal's one call
    "stdtrit": (1, 1, 1),
    "gammaincinv": (1, 1, 1),
    "ndtri_exp": (1, 1, 1),
    "erfcinv": (1, 1, 1),
    "lambertw": (1, 1, 1),
    "wrightomega": (1, 1, 1),
    # mixed formulas: one host call per derivative order, as before
    "jv": (1, 2, 1),
    "kv": (1, 1, 1),
}


@pytest.mark.parametrize("name", sorted(EXPECTED))
@pytest.mark.usefixtures("python_path")  # the Python host call
def test_round_trips_of_representative_functions(name):
    counted = _generator().count_round_trips(name)
    assert counted is not None
    got = (counted["grad"], counted["value_and_grad"], counted["hessian"])
    assert got == EXPECTED[name], (name, got)


def test_committed_counts_match_for_the_representative_set():
    committed = json.loads((ROOT / "docs" / "catalogue_round_trips.json").read_text())
    assert set(committed) == set(special.__all__)
    gen = _generator()
    for name in ("erfi", "jv", "stdtrit", "lambertw"):
        assert committed[name] == gen.count_round_trips(name), name


@pytest.mark.usefixtures("python_path")  # the Python host call
def test_seed_jv_rule_keeps_one_round_trip_for_grad_and_hessian():
    jv = host_function(sc.jv, derivatives={"v": None, "z": "(jv(v - 1, z) - jv(v + 1, z)) / 2"})
    z = jnp.float32(2.0)
    assert trips(jax.grad(lambda z: jv(1.0, z)), z) == 1
    assert trips(jax.hessian(lambda z: jv(1.0, z)), z) == 1
    assert trips(jax.value_and_grad(lambda z: jv(1.0, z)), z) == 2


def test_native_derivative_values_match_host_evaluation(enable_x64):
    """A derivative written with JAX-evaluable functions gives the same values natively."""
    erfi = host_function(sc.erfi, derivatives={"z": "2 / sqrt(pi) * exp(z ** 2)"})
    z = np.linspace(-2, 2, 9)
    np.testing.assert_allclose(
        jax.vmap(jax.grad(erfi))(z), 2 / np.sqrt(np.pi) * np.exp(z**2), rtol=1e-14
    )
    d2 = jax.vmap(jax.grad(jax.grad(erfi)))(z)
    np.testing.assert_allclose(d2, 4 * z / np.sqrt(np.pi) * np.exp(z**2), rtol=1e-13, atol=1e-15)
    assert trips(jax.grad(lambda z: erfi(z).sum()), z) == 0


@pytest.mark.usefixtures("python_path")  # the Python host call
def test_own_value_is_taken_from_the_primal(enable_x64):
    """W' = 1 / (z + exp W): the one host call is the primal's."""
    z = np.array([0.3, 1.0, 4.0])
    w = sc.lambertw(z).real
    got = jax.vmap(jax.grad(lambda z: special.lambertw(z).real))(z)
    np.testing.assert_allclose(got, 1 / (z + np.exp(w)), rtol=1e-13)
    assert trips(jax.grad(lambda z: special.lambertw(z).real.sum()), z) == 1
