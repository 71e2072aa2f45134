"""`autocallback.special`, mathieu functions: values against SciPy, derivatives
against mpmath (the checks are `special_support.family_tests`)."""

from __future__ import annotations

from special_support import (
    Case,
    Second,
    _scipy_fd,
    family_tests,
)

# name -> (mpmath reference, points beyond the entry's examples, {argument: rtol})
CASES: dict[str, Case] = {
    # No mpmath reference: extrapolated central differences of SciPy itself (about 1e-9).
    "mathieu_a": (_scipy_fd("mathieu_a", "m q"), [], {"q": 1e-7}),
    "mathieu_b": (_scipy_fd("mathieu_b", "m q"), [], {"q": 1e-7}),
    "mathieu_cem": (_scipy_fd("mathieu_cem", "m q x"), [], {"q": 1e-6, "x": 1e-7}),
    "mathieu_sem": (_scipy_fd("mathieu_sem", "m q x"), [], {"q": 1e-6, "x": 1e-7}),
    "mathieu_modcem1": (_scipy_fd("mathieu_modcem1", "m q x"), [], {"q": 1e-6, "x": 1e-7}),
    "mathieu_modcem2": (_scipy_fd("mathieu_modcem2", "m q x"), [], {"q": 1e-6, "x": 1e-7}),
    "mathieu_modsem1": (_scipy_fd("mathieu_modsem1", "m q x"), [], {"q": 1e-6, "x": 1e-7}),
    "mathieu_modsem2": (_scipy_fd("mathieu_modsem2", "m q x"), [], {"q": 1e-6, "x": 1e-7}),
}

SECOND: dict[str, Second] = {}

globals().update(family_tests(CASES, SECOND))
