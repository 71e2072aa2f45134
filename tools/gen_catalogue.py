"""Write docs/catalogue.md: the table of `autocallback.special`, generated from the code.

Run `python tools/gen_catalogue.py` after changing `autocallback/special/`;
`tests/test_special.py` checks that the committed page equals this output. Sections and
entries come from the catalogue's table (`special.CATALOGUE`); each row gives the
function, its one-line description (the docstring line after "autocallback wrapper of
..."), the derivative and the method used per argument, and the host round trips of
`jax.grad`, `jax.value_and_grad` and `jax.hessian` in the function's variable (its last
differentiable argument),
counted from the compiled program (callback custom calls in
`jax.jit(f).lower(...).compile().as_text()`). Counting compiles three programs per
function, so the counts are stored in `docs/catalogue_round_trips.json` (rewritten by
this script; `--no-count` reuses it); the tests recount a representative set.

The page's accuracy section summarises `tests/test_domain_accuracy.py` (derivatives at
random points across each function's domain against mpmath) per method; the summary is
stored in `docs/domain_accuracy.json`, measured again by this script unless
`--no-measure` is given.
"""

from __future__ import annotations

import argparse
import inspect
import json
import re
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import autocallback  # noqa: E402
from autocallback import special  # noqa: E402

OUTPUT = ROOT / "docs" / "catalogue.md"
ROUND_TRIPS = ROOT / "docs" / "catalogue_round_trips.json"
NEWER_JAX = ROOT / "docs" / "newer_jax.json"  # written by tools/compare_newer_jax.py
NEWER_JAX_HEADING = "## Entries that newer JAX releases also provide"
ACCURACY = ROOT / "docs" / "domain_accuracy.json"
METHODS = (
    "closed form",
    "implicit",
    "implicit, numerical dF/dparam",
    "numerical",
)
TRANSFORMS = ("grad", "value_and_grad", "hessian")
_NUMERICAL_HELPERS = (
    "gammainc_da(",
    "betainc_da(",
    "betainc_db(",
    "stdtr_ddf(",
    "chndtr_ddf(",
    "ncfdtr_ddfn(",
    "ncfdtr_ddfd(",
    "ncfdtr_dnc(",
    "nctdtr_ddf(",
    "nctdtr_dnc(",
)
_CALLBACK = re.compile(r'custom_call_target="(?!autocallback_)[^"]*callback[^"]*"')


def sections() -> list[tuple[str, list[str]]]:
    """(heading, function names) from the catalogue's own table."""
    out = [(heading, [fn.name for fn in fns]) for heading, fns in special.CATALOGUE.sections]
    listed = {n for _, names in out for n in names}
    if listed != set(special.__all__):
        raise RuntimeError(
            f"catalogue entries and special.__all__ differ: {sorted(listed ^ set(special.__all__))}"
        )
    return [(h, names) for h, names in out if names]


def description(fn: Any) -> str:
    paragraphs = [p for p in (inspect.getdoc(fn) or "").split("\n\n") if p.strip()]
    if paragraphs and paragraphs[0].startswith("autocallback wrapper of"):
        paragraphs = paragraphs[1:]
    return " ".join(paragraphs[0].split()) if paragraphs else ""


def method(fn: Any, param: str) -> str:
    """How the partial in `param` is computed."""
    value = fn.derivatives[param]
    if isinstance(value, autocallback.numerical):
        return "numerical"
    if callable(value) and not isinstance(value, str):
        return "JAX callable"
    text = " ".join(value) if isinstance(value, tuple) else value
    if any(h in text for h in _NUMERICAL_HELPERS):
        own = re.search(rf"\b{re.escape(fn.name)}\(", text) is not None
        return "implicit, numerical dF/dparam" if own else "closed form with numerical dF/dparam"
    return "closed form"


def _formula(value: Any) -> str:
    if isinstance(value, str):
        return f"`{value}`"
    if isinstance(value, tuple):
        return "(" + ", ".join(_formula(v) for v in value) + ")"
    if isinstance(value, autocallback.numerical):
        return f"`{value!r}`"
    doc = (inspect.getdoc(value) or "").split("\n")[0].strip()
    return f"JAX callable: {doc}" if doc else "JAX callable"


def main_argument(fn: Any) -> int | None:
    """The argument whose round trips the page shows: the last one with a derivative (the
    variable, after orders and parameters) that is real at the first example."""
    example = fn.examples[0]
    for i in reversed(range(len(fn.parameters))):
        p = fn.parameters[i]
        if fn.derivatives.get(p) is not None and not isinstance(example[i], int):
            return i
    return None


def count_round_trips(name: str) -> dict[str, int] | None:
    """Host round trips of grad, value_and_grad and hessian of `name` (float32 scalars at
    the first example point) in its variable, from the compiled programs."""
    import jax
    import jax.numpy as jnp

    fn = getattr(special, name)
    i = main_argument(fn)
    if i is None:
        return None
    args = [a if isinstance(a, int) else jnp.asarray(float(a)) for a in fn.examples[0]]

    def scalar(x: Any) -> Any:
        a = list(args)
        a[i] = x
        out = fn(*a)
        return jnp.real(out[0] if isinstance(out, tuple) else out)

    builders = {
        "grad": jax.grad(scalar),
        "value_and_grad": jax.value_and_grad(scalar),
        "hessian": jax.hessian(scalar),
    }
    return {
        t: len(_CALLBACK.findall(jax.jit(f).lower(args[i]).compile().as_text()))
        for t, f in builders.items()
    }


def accuracy_method(fn: Any, param: str, inverse: bool) -> str:
    """The accuracy table's method of a partial: numerical (a `numerical()` partial or a
    formula through a numerical helper), implicit (an inverse function), closed form
    (formulas and JAX callables)."""
    how = method(fn, param)
    if "numerical" in how:
        return "implicit, numerical dF/dparam" if inverse else "numerical"
    return "implicit" if inverse else "closed form"


def measure_accuracy() -> dict[str, Any]:
    """Run the domain accuracy checks of `tests/test_domain_accuracy.py` and summarise
    them per method and order: checks, and the relative errors |got - want| / |want| of
    the checks whose bound is mostly relative (the derivative not small beside the
    function); every check is within its bound when the test passes."""
    import importlib.util

    import jax
    import numpy as np

    module_spec = importlib.util.spec_from_file_location(
        "test_domain_accuracy", ROOT / "tests" / "test_domain_accuracy.py"
    )
    assert module_spec is not None and module_spec.loader is not None
    test = importlib.util.module_from_spec(module_spec)
    sys.modules[module_spec.name] = test  # for its dataclass
    module_spec.loader.exec_module(test)
    previous = jax.config.read("jax_enable_x64")
    jax.config.update("jax_enable_x64", True)
    relative: dict[tuple[str, int], list[float]] = {(m, o): [] for m in METHODS for o in (1, 2)}
    counts = dict.fromkeys(relative, 0)
    passed = dict.fromkeys(relative, 0)
    left_out = 0
    try:
        for name, ref in test._references().items():
            fn = getattr(special, name)
            if name in test.SCIPY_INACCURATE:
                continue
            checks, out = test.measure(name)
            left_out += out
            for c in checks:
                key = (accuracy_method(fn, c.param, ref.get("inverse", False)), c.order)
                counts[key] += 1
                passed[key] += c.passed
                rtol = test.RTOL1 if c.order == 1 else test.RTOL2
                if rtol * abs(c.want) >= c.bound / 2:
                    relative[key].append(c.error / abs(c.want))
    finally:
        jax.config.update("jax_enable_x64", previous)
    rows = []
    for (m, o), errors in relative.items():
        if counts[(m, o)]:
            e = np.array(errors) if errors else np.zeros(1)
            rows.append(
                {
                    "method": m,
                    "order": o,
                    "checks": counts[(m, o)],
                    "passed": passed[(m, o)],
                    "median": float(f"{np.median(e):.1e}"),
                    "p99": float(f"{np.quantile(e, 0.99):.1e}"),
                    "worst": float(f"{e.max():.1e}"),
                }
            )
    return {
        "functions": sorted(set(test._references()) - test.SCIPY_INACCURATE),
        "scipy_inaccurate": sorted(test.SCIPY_INACCURATE),
        "left_out": left_out,
        "rows": rows,
    }


def accuracy_section(accuracy: dict[str, Any]) -> list[str]:
    covered = set(accuracy["functions"])
    missing = [n for n in special.__all__ if n not in covered]
    parts = [
        "## Accuracy across the domain",
        "",
        f"`tests/test_domain_accuracy.py` checks the derivatives of {len(covered)} functions "
        "at 15 random points each across the ranges people use (orders 0–20, arguments 0.05–30, "
        "probabilities 0.01–0.99, degrees 0–15, shape parameters 0.3–30), in every "
        "continuous argument and once at second order, against `mpmath.diff` at 30 digits. "
        "The bound is 1e-8 relative at first order and 1e-5 at second, plus an absolute "
        "term in the function's own size and in SciPy's own error at the point (the "
        "module's docstring gives the rule); values where SciPy's own is off by more "
        f"than 1e-10 are left out ({accuracy['left_out']} point-outputs), and so is one "
        "check where SciPy is off next to the point (measured in the test). Relative errors "
        "|got − want| / |want| per method, over the checks whose bound is mostly relative:",
        "",
        "| Method | Order | Checks (within bound) | Median | 99th percentile | Worst |",
        "|---|---|---|---|---|---|",
    ]
    for r in accuracy["rows"]:
        parts.append(
            f"| {r['method']} | {r['order']} | {r['checks']} ({r['passed']}) | "
            f"{r['median']:.0e} | {r['p99']:.0e} | {r['worst']:.0e} |"
        )
    parts += [
        "",
        "Functions with several outputs are checked output by output. Not in that test "
        "(`tests/test_special.py` checks them against mpmath, or against differences of "
        "SciPy where mpmath lacks them, at their sample points): "
        + ", ".join(f"`{n}`" for n in missing)
        + " (mpmath has no Mathieu or spheroidal functions; the inverses of the noncentral "
        "distributions need a root of an 80-term mpmath series per evaluation; "
        "`it2struve0` and `it2j0y0` are oscillatory integrals to infinity; SciPy's own "
        "value of "
        + ", ".join(f"`{n}`" for n in accuracy.get("scipy_inaccurate", []))
        + " is off by more than 1e-10 almost everywhere, measured by the test).",
        "",
    ]
    return parts


def row(name: str, trips: dict[str, Any]) -> str:
    fn = getattr(special, name)
    signature = f"`{name}{inspect.signature(fn)}`"
    live = [p for p in fn.parameters if fn.derivatives.get(p) is not None]
    dead = [p for p in fn.parameters if p in fn.derivatives and fn.derivatives[p] is None]
    formulas = [f"{p} ({method(fn, p)}): {_formula(fn.derivatives[p])}" for p in live]
    if dead:
        formulas.append(f"not differentiable (integers in SciPy): {', '.join(dead)}")
    counts = trips.get(name)
    i = main_argument(fn)
    round_trips = (
        "—"
        if counts is None or i is None
        else f"{fn.parameters[i]}: " + " / ".join(str(counts[t]) for t in TRANSFORMS)
    )
    native = "yes" if fn.native else "no"
    cells = [signature, description(fn), "<br>".join(formulas), round_trips, native]
    return "| " + " | ".join(c.replace("|", "\\|") for c in cells) + " |"


def python_path() -> list[tuple[str, str]]:
    """The catalogue functions whose value is a Python host call, with the reason."""
    out = []
    for _, names in sections():
        for name in names:
            fn = getattr(special, name)
            if not fn.native:
                out.append(
                    (name, "SciPy exports no compiled scalar kernel for it in `cython_special`")
                )
    return out


def render(trips: dict[str, Any] | None = None, accuracy: dict[str, Any] | None = None) -> str:
    if trips is None:
        trips = json.loads(ROUND_TRIPS.read_text()) if ROUND_TRIPS.exists() else {}
    if accuracy is None:
        accuracy = json.loads(ACCURACY.read_text()) if ACCURACY.exists() else None
    parts = [
        "# Catalogue",
        "",
        "<!-- Generated by tools/gen_catalogue.py from autocallback/special/: do not edit. -->",
        "",
        f"`autocallback.special` wraps {len(special.__all__)} functions of `scipy.special` that "
        "`jax.scipy.special` lacks, each with `host_function` itself. Names, argument order "
        "and result dtypes follow SciPy. Every function works under `jax.jit`, `jax.vmap`, "
        "`jax.grad` and higher-order derivatives, and is differentiable in every continuous "
        "argument. The derivative column gives, per argument, the method and the partial "
        "derivative in the formula language of `derivatives=` (names such as `jv` or "
        "`elliprd` inside a formula are the catalogue functions themselves, `hyp2f1` is "
        "SciPy's Gauss hypergeometric function, `gammainc_da`, `betainc_da`, `betainc_db` "
        "and `stdtr_ddf` are the partials of the regularized incomplete gamma and beta "
        "functions and of the t distribution in their parameters, computed numerically; "
        "likewise `chndtr_ddf`, `ncfdtr_ddfn`, `ncfdtr_ddfd`, `ncfdtr_dnc`, `nctdtr_ddf` and "
        "`nctdtr_dnc` for the noncentral distributions, whose densities `ncx2_pdf`, `ncf_pdf` "
        "and `nct_pdf` are SciPy's; `wofz_re` and `wofz_im` are the real and imaginary parts "
        "of the Faddeeva function `scipy.special.wofz`; `smirnovp` is SciPy's derivative of "
        "`smirnov`). Functions with several outputs that are a value and its derivative "
        "(parabolic cylinder, Mathieu, spheroidal) differentiate in x through their "
        "differential equation. "
        "Methods: *closed form*; *implicit* for inverse functions, -(dF/dparam) / (dF/dx) at "
        "the inverse; *numerical* (`autocallback.numerical()`: extrapolated central "
        "differences of SciPy, in the XLA program for native functions) where no closed form "
        "exists. Only arguments that "
        "SciPy truncates to integers are not differentiable.",
        "",
        "The last column counts host round trips (callbacks in the compiled program) of "
        "`jax.grad` / `jax.value_and_grad` / `jax.hessian` in the argument it names, at the "
        "first sample point: 0 means the derivative runs natively in XLA (and `grad` drops "
        "the unused primal); derivatives that use the function's own value take it from "
        "the primal call.",
        "",
        "The *Native* column says whether the value is computed natively on CPU: SciPy's "
        "compiled kernel (`scipy.special.cython_special`) applied inside the XLA program, "
        "or, for SciPy's private ufuncs (the noncentral densities, `smirnovp`, `lambertw`'s "
        "loop) and single-precision loops SciPy exports no kernel for, the ufunc's own "
        "compiled inner loop; either way with no Python callback (see the performance "
        "guide). Measured by `tools/native_audit.py` (the value, the gradient in every "
        "continuous argument and the second derivative in it, with x64 on and off): "
        f"{AUDIT}. Functions on the Python path, and why: "
        + ("none." if not python_path() else ""),
        "",
        *[f"- `{name}`: {reason}" for name, reason in python_path()],
        "",
        "![Derivatives of Mathieu's ce_2, the parabolic cylinder function D_v, the "
        "noncentral chi-square CDF and the Voigt profile, against finite differences of "
        "SciPy](images/catalogue_families.png)",
        "",
        "*Derivatives of four families against finite differences of SciPy "
        "(`examples/catalogue_families.py`): in x from a differential equation, in orders "
        "and degrees of freedom numerically, in a noncentrality and widths in closed form.*",
        "",
    ]
    for heading, names in sections():
        parts += [
            f"## {heading}",
            "",
            "| Function | Description | Derivative per argument | Host round trips | Native |",
            "|---|---|---|---|---|",
        ]
        parts += [row(name, trips) for name in names]
        parts.append("")
    parts += newer_jax_section()
    if accuracy is not None:
        parts += accuracy_section(accuracy)
    parts += [
        "## Not in the catalogue",
        "",
        "The other `scipy.special` ufuncs that `jax.scipy.special` lacks, and why they are "
        "left out:",
        "",
        "| Function | Reason |",
        "|---|---|",
    ]
    parts += [f"| `{name}` | {reason} |" for name, reason in sorted(special.LEFT_OUT.items())]
    parts.append("")
    return "\n".join(parts)


# The last run of `tools/native_audit.py` (rerun it after changing the native path).
AUDIT = (
    "all 187 functions compile without Python callbacks in float64, and all 187 in float32 "
    "(numerical partials run as float64 differences inside the 32-bit program)"
)


def _err(value: float | None) -> str:
    return "rejected" if value is None else f"{value:.1e}"


def newer_jax_section() -> list[str]:
    """The policy for entries that a JAX newer than the oldest supported one also has, and
    the measured comparison of each (`docs/newer_jax.json`)."""
    data = json.loads(NEWER_JAX.read_text())
    parts = [
        NEWER_JAX_HEADING,
        "",
        "The catalogue covers what the **oldest supported JAX** (0.10.2) lacks in "
        "`jax.scipy.special`. Newer JAX releases keep adding special functions; an entry "
        "that a newer JAX also provides stays in the catalogue (users of older JAX releases "
        "need it, and ours may accept more or differentiate more), and is compared here "
        "with JAX's function on the same points. Values and derivatives of an entry always "
        "come from the entry's own implementation: autocallback never switches to JAX's "
        "function underneath you. Where JAX's function is better for you (the same domain "
        "and derivatives, native on every backend), the entry's docstring says so and names "
        "the JAX function to use.",
        "",
        f"Measured with JAX {data['jax_version']} on {data['device'].upper()} in float64 by "
        "`tools/compare_newer_jax.py`: worst relative error against mpmath (40 digits) at "
        "40 random points across the domain, for the value and for the derivative in the "
        "function's variable (orders are integers for the Bessel functions, where JAX "
        "accepts nothing else); *time* is JAX's jitted call on 10,000 points divided by "
        "ours (below 1: JAX's is faster).",
        "",
        "| Function | Orders accepted (ours / JAX) | Differentiable in (ours / JAX) "
        "| Value error (ours / JAX) | Derivative error (ours / JAX) | Time, JAX ÷ ours "
        "| Which to use |",
        "|---|---|---|---|---|---|---|",
    ]
    for name, row_data in sorted(data["functions"].items()):
        ours, jax_ = row_data["ours"], row_data["jax"]
        cells = [
            f"`{name}`",
            row_data["orders"],
            f"{', '.join(ours['differentiates']) or 'none'} / "
            f"{', '.join(jax_['differentiates']) or 'none'}",
            f"{_err(ours['value_rel_err'])} / {_err(jax_['value_rel_err'])}",
            f"{_err(ours['derivative_rel_err'])} / {_err(jax_['derivative_rel_err'])}",
            f"{jax_['seconds_1e4'] / ours['seconds_1e4']:.2f}",
            row_data["verdict"],
        ]
        parts.append("| " + " | ".join(cells) + " |")
    parts.append("")
    return parts


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--no-count", action="store_true", help="reuse docs/catalogue_round_trips.json"
    )
    parser.add_argument("--no-measure", action="store_true", help="reuse docs/domain_accuracy.json")
    args = parser.parse_args(argv)
    if args.no_count and ROUND_TRIPS.exists():
        trips = json.loads(ROUND_TRIPS.read_text())
    else:
        trips = {name: count_round_trips(name) for name in special.__all__}
        ROUND_TRIPS.write_text(json.dumps(trips, indent=1, sort_keys=True) + "\n")
    if args.no_measure and ACCURACY.exists():
        accuracy = json.loads(ACCURACY.read_text())
    else:
        accuracy = measure_accuracy()
        ACCURACY.write_text(json.dumps(accuracy, indent=1) + "\n")
    OUTPUT.write_text(render(trips, accuracy))
    print(f"wrote {OUTPUT.relative_to(ROOT)} ({len(special.__all__)} functions)")


if __name__ == "__main__":
    main()
