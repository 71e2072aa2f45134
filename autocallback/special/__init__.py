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

from ._common import CATALOGUE, LEFT_OUT  # noqa: F401  (public)

# The families, in the order of the docs' catalogue page (each adds its section).
# isort: off
from ._helpers import *  # noqa: F403
from ._bessel import *  # noqa: F403
from ._struve import *  # noqa: F403
from ._airy import *  # noqa: F403
from ._kelvin import *  # noqa: F403
from ._elliptic import *  # noqa: F403
from ._lambert import *  # noqa: F403
from ._erf import *  # noqa: F403
from ._integrals import *  # noqa: F403
from ._gamma import *  # noqa: F403
from ._hypergeometric import *  # noqa: F403
from ._distributions import *  # noqa: F403
from ._inverses import *  # noqa: F403
from ._noncentral import *  # noqa: F403
from ._kolmogorov import *  # noqa: F403
from ._parabolic import *  # noqa: F403
from ._mathieu import *  # noqa: F403
from ._spheroidal import *  # noqa: F403
from ._orthogonal import *  # noqa: F403
from ._legendre import *  # noqa: F403
from ._convenience import *  # noqa: F403
from ._huber_boxcox import *  # noqa: F403
# isort: on


# Entries belong to this module, wherever their family defines them (their docs, and
# pickles, which refer to them by module and name).
for _fn in CATALOGUE.entries:
    if _fn.__module__.startswith(__name__ + "."):
        _fn.__module__ = __name__
CATALOGUE.finish()

# The public names are the table's entries (helpers are not public).
__all__ = sorted(fn.name for fn in CATALOGUE.entries)  # pyright: ignore[reportUnsupportedDunderAll]
