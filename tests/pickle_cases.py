"""Module-level host functions for test_pickle.py: pickled by reference, so they must live
in an importable module (worker processes of `multiprocessing` import it by name)."""

from __future__ import annotations

import numpy as np
import scipy.special as sc

from autocallback import host_function


@host_function(derivatives={"x": "logistic(x) * (1 - logistic(x))"})
def logistic(x):
    """The logistic function, 1 / (1 + exp(-x))."""
    return 1.0 / (1.0 + np.exp(-x))


# A ufunc wrapped at module level: it has no `__qualname__` of its own.
erfcx = host_function(sc.erfcx, derivatives={"x": "2 * x * erfcx(x) - 2 / sqrt(pi)"})


def _softplus(x):
    return np.log1p(np.exp(x))


# Assigned to another name than the wrapped function's.
softplus = host_function(_softplus, name="softplus")


def evaluate(fn, *args):
    """Call `fn` (received by a worker process) and return plain floats."""
    return np.asarray(fn(*args)).tolist()
