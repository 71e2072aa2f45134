"""`autocallback.special`, spheroidal wave functions: values against SciPy, derivatives
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
    "pro_cv": (_scipy_fd("pro_cv", "m n c"), [], {"c": 1e-7}),
    "obl_cv": (_scipy_fd("obl_cv", "m n c"), [], {"c": 1e-7}),
    "pro_ang1": (_scipy_fd("pro_ang1", "m n c x"), [], {"c": 1e-6, "x": 1e-7}),
    "pro_ang1_cv": (_scipy_fd("pro_ang1_cv", "m n c cv x"), [], {"c": 1e-6, "cv": 1e-6, "x": 1e-6}),
    "pro_rad1": (_scipy_fd("pro_rad1", "m n c x"), [], {"c": 1e-6, "x": 1e-7}),
    "pro_rad1_cv": (_scipy_fd("pro_rad1_cv", "m n c cv x"), [], {"c": 1e-6, "cv": 1e-6, "x": 1e-6}),
    "pro_rad2": (_scipy_fd("pro_rad2", "m n c x"), [], {"c": 1e-6, "x": 1e-7}),
    "pro_rad2_cv": (_scipy_fd("pro_rad2_cv", "m n c cv x"), [], {"c": 1e-6, "cv": 1e-6, "x": 1e-6}),
    "obl_ang1": (_scipy_fd("obl_ang1", "m n c x"), [], {"c": 1e-6, "x": 1e-7}),
    "obl_ang1_cv": (_scipy_fd("obl_ang1_cv", "m n c cv x"), [], {"c": 1e-6, "cv": 1e-6, "x": 1e-6}),
    "obl_rad1": (_scipy_fd("obl_rad1", "m n c x"), [], {"c": 1e-6, "x": 1e-7}),
    "obl_rad1_cv": (_scipy_fd("obl_rad1_cv", "m n c cv x"), [], {"c": 1e-6, "cv": 1e-6, "x": 1e-6}),
    "obl_rad2": (_scipy_fd("obl_rad2", "m n c x"), [], {"c": 1e-6, "x": 1e-7}),
    "obl_rad2_cv": (_scipy_fd("obl_rad2_cv", "m n c cv x"), [], {"c": 1e-6, "cv": 1e-6, "x": 1e-6}),
}

SECOND: dict[str, Second] = {}

globals().update(family_tests(CASES, SECOND))
