"""Which catalogue functions compile without Python callbacks: for every entry, the
jitted value, the gradient in every differentiable argument and the second derivative
in it, at the entry's first example (float64; with `--float32`, in JAX's default 32-bit
mode). Prints one line per entry that still has a Python callback somewhere, then the
count. Run: `python tools/native_audit.py [--float32]`."""

from __future__ import annotations

import re
import sys

import jax
import jax.numpy as jnp

jax.config.update("jax_enable_x64", "--float32" not in sys.argv)

from autocallback import special  # noqa: E402
from autocallback._catalogue import Catalogue  # noqa: E402

_TARGET = re.compile(r'custom_call_target="([^"]+)"|custom_call @([\w.]+)')


def python_targets(lowered: jax.stages.Lowered) -> set[str]:
    text = lowered.as_text() + lowered.compile().as_text()
    return {t for groups in _TARGET.findall(text) for t in groups if t and "python" in t.lower()}


def _scalar(out):
    leaves = jax.tree.leaves(out)
    return sum(jnp.real(jnp.sum(leaf)) for leaf in leaves)


def audit(fn) -> list[str]:
    """Where `fn` still calls Python ("value", "d/dx", "d2/dx2")."""
    example = (fn.examples or [None])[0]
    if example is None:
        return ["no example"]
    args = tuple(example) if not isinstance(example, dict) else tuple(example.values())
    params = fn.parameters
    args = args[: len(params)]
    found = []
    if python_targets(jax.jit(fn).lower(*args)):
        found.append("value")
    derivs = fn.derivatives
    for i, p in enumerate(params):
        if derivs.get(p, "absent") is None or not isinstance(args[i], float):
            continue

        def f(*a):
            return _scalar(fn(*a))

        try:
            g = jax.jit(jax.grad(f, argnums=i)).lower(*args)
            if python_targets(g):
                found.append(f"d/d{p}")
            h = jax.jit(jax.grad(jax.grad(f, argnums=i), argnums=i)).lower(*args)
            if python_targets(h):
                found.append(f"d2/d{p}2")
        except Exception as e:
            found.append(f"d/d{p}: {type(e).__name__}")
    return found


def main() -> int:
    cat: Catalogue = special.CATALOGUE
    clean = 0
    entries = cat.entries
    for fn in entries:
        found = audit(fn)
        if found:
            print(f"{fn.name}: native={fn.native}: Python in {', '.join(found)}")
        else:
            clean += 1
    print(f"{clean} of {len(entries)} catalogue functions compile without Python callbacks")
    return 0


if __name__ == "__main__":
    sys.exit(main())
