"""Pickling and copying host functions: by reference, to the same object.

A `HostFunction` reachable as `module.qualname` pickles like a function (by its module and
name) and unpickles to the same object; `copy.copy` and `copy.deepcopy` return it (it is
immutable). One that is not reachable raises `pickle.PicklingError` saying how to fix it.
"""

from __future__ import annotations

import copy
import multiprocessing
import pickle
import subprocess
import sys
import textwrap

import numpy as np
import pickle_cases
import pytest
import scipy.special as sc

from autocallback import host_function, special

MODULE_LEVEL = [pickle_cases.logistic, pickle_cases.erfcx, pickle_cases.softplus]


@pytest.mark.parametrize("name", special.__all__)
def test_catalogue_function_pickles_to_itself(name: str):
    fn = getattr(special, name)
    assert pickle.loads(pickle.dumps(fn)) is fn


@pytest.mark.parametrize("protocol", range(2, pickle.HIGHEST_PROTOCOL + 1))
@pytest.mark.parametrize("fn", MODULE_LEVEL, ids=lambda f: f.name)
def test_module_level_function_pickles_to_itself(fn, protocol: int):
    data = pickle.dumps({"model": [fn, special.kv]}, protocol=protocol)
    assert pickle.loads(data) == {"model": [fn, special.kv]}
    assert pickle.loads(data)["model"][0] is fn


@pytest.mark.parametrize("fn", [*MODULE_LEVEL, special.kv, special.lambertw], ids=str)
def test_copies_are_the_object(fn):
    assert copy.copy(fn) is fn
    assert copy.deepcopy(fn) is fn
    held = {"f": fn, "x": [1.0]}
    copied = copy.deepcopy(held)
    assert copied["f"] is fn and copied["x"] is not held["x"]


def test_unpickled_function_computes():
    fn = pickle.loads(pickle.dumps(pickle_cases.logistic))
    np.testing.assert_allclose(fn(np.array([0.0, 2.0])), sc.expit([0.0, 2.0]), rtol=1e-6)


def test_lambda_is_not_picklable():
    fn = host_function(lambda x: x * 2)
    message = (
        "Cannot pickle host function `<lambda>`: it is not reachable as "
        "`test_pickle.test_lambda_is_not_picklable.<locals>.<lambda>`, and host functions pickle by reference, like functions. "
        "Define it at module level (decorate a `def` there, not a lambda or a nested "
        "function), or assign the `host_function(...)` result to a module-level name."
    )
    with pytest.raises(pickle.PicklingError) as info:
        pickle.dumps(fn)
    assert str(info.value) == message
    # Copies do not need pickling: the function is immutable.
    assert copy.deepcopy(fn) is fn


def test_closure_is_not_picklable():
    def make(scale):
        @host_function
        def scaled(x):
            return scale * x

        return scaled

    with pytest.raises(
        pickle.PicklingError,
        match=r"^Cannot pickle host function `scaled`: it is not reachable as "
        r"`test_pickle\.test_closure_is_not_picklable\.<locals>\.make\.<locals>\.scaled`, .*"
        r"Define it at module level",
    ):
        pickle.dumps(make(2.0))


def test_shadowed_module_name_is_not_picklable():
    # Reachable by qualname, but the module attribute is another object.
    fn = host_function(pickle_cases._softplus)
    with pytest.raises(pickle.PicklingError, match=r"`pickle_cases\._softplus`"):
        pickle.dumps(fn)


def test_main_module_function_pickles(tmp_path):
    # A decorated function of a script (`__main__`): the decorator's result, not the
    # wrapped `def`, is what the module name reaches.
    script = tmp_path / "script.py"
    script.write_text(
        textwrap.dedent(
            """
            import copy, pickle
            import numpy as np
            from autocallback import host_function

            @host_function
            def logistic(x):
                return 1 / (1 + np.exp(-x))

            assert pickle.loads(pickle.dumps(logistic)) is logistic
            assert copy.deepcopy(logistic) is logistic
            print("ok")
            """
        )
    )
    result = subprocess.run(
        [sys.executable, str(script)], capture_output=True, text=True, timeout=300, check=False
    )
    assert result.returncode == 0, result.stderr[-4000:]
    assert result.stdout.strip() == "ok"


def test_multiprocessing_spawn():
    ctx = multiprocessing.get_context("spawn")
    with ctx.Pool(1) as pool:
        kv = pool.apply(pickle_cases.evaluate, (special.kv, 1.5, [0.5, 2.0]))
        logistic = pool.apply(pickle_cases.evaluate, (pickle_cases.logistic, [0.0, 3.0]))
    np.testing.assert_allclose(kv, sc.kv(1.5, [0.5, 2.0]), rtol=1e-6)
    np.testing.assert_allclose(logistic, sc.expit([0.0, 3.0]), rtol=1e-6)


def test_cloudpickle():
    cloudpickle = pytest.importorskip("cloudpickle")
    for fn in [special.kv, *MODULE_LEVEL]:
        assert cloudpickle.loads(cloudpickle.dumps(fn)) is fn

    # A local function is shipped by value; the host functions it calls, by reference.
    def model(x):
        return special.kv(1.5, x) + pickle_cases.logistic(x)

    restored = cloudpickle.loads(cloudpickle.dumps(model))
    np.testing.assert_allclose(
        restored(np.array([1.0])), sc.kv(1.5, [1.0]) + sc.expit([1.0]), rtol=1e-6
    )
    with pytest.raises(pickle.PicklingError, match="Cannot pickle host function `<lambda>`"):
        cloudpickle.dumps(host_function(lambda x: x))
