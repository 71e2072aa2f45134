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

# ruff: noqa: F405
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

__all__ = [
    "agm",
    "airy",
    "airye",
    "bdtr",
    "bdtrc",
    "bdtri",
    "bdtrik",
    "bdtrin",
    "bei",
    "beip",
    "ber",
    "berp",
    "besselpoly",
    "betaincc",
    "betainccinv",
    "betaincinv",
    "binom",
    "btdtria",
    "btdtrib",
    "chdtr",
    "chdtrc",
    "chdtri",
    "chdtriv",
    "chndtr",
    "chndtridf",
    "chndtrinc",
    "chndtrix",
    "cosdg",
    "cosm1",
    "cotdg",
    "ellipe",
    "ellipeinc",
    "ellipj",
    "ellipk",
    "ellipkinc",
    "ellipkm1",
    "elliprc",
    "elliprd",
    "elliprf",
    "elliprg",
    "elliprj",
    "erfcinv",
    "erfi",
    "eval_chebyc",
    "eval_chebys",
    "eval_chebyt",
    "eval_chebyu",
    "eval_gegenbauer",
    "eval_genlaguerre",
    "eval_hermite",
    "eval_hermitenorm",
    "eval_jacobi",
    "eval_laguerre",
    "eval_legendre",
    "eval_sh_chebyt",
    "eval_sh_chebyu",
    "eval_sh_jacobi",
    "eval_sh_legendre",
    "exp10",
    "exprel",
    "fdtr",
    "fdtrc",
    "fdtri",
    "fdtridfd",
    "gammainccinv",
    "gammaincinv",
    "gdtr",
    "gdtrc",
    "gdtria",
    "gdtrib",
    "gdtrix",
    "hankel1",
    "hankel1e",
    "hankel2",
    "hankel2e",
    "huber",
    "hyp0f1",
    "hyperu",
    "inv_boxcox",
    "inv_boxcox1p",
    "it2i0k0",
    "it2j0y0",
    "it2struve0",
    "itairy",
    "iti0k0",
    "itj0y0",
    "itmodstruve0",
    "itstruve0",
    "iv",
    "ive",
    "j0",
    "j1",
    "jn",
    "jv",
    "jve",
    "k0",
    "k0e",
    "k1",
    "k1e",
    "kei",
    "keip",
    "kelvin",
    "ker",
    "kerp",
    "kn",
    "kolmogi",
    "kolmogorov",
    "kv",
    "kve",
    "lambertw",
    "log_expit",
    "log_wright_bessel",
    "lpmv",
    "mathieu_a",
    "mathieu_b",
    "mathieu_cem",
    "mathieu_modcem1",
    "mathieu_modcem2",
    "mathieu_modsem1",
    "mathieu_modsem2",
    "mathieu_sem",
    "modfresnelm",
    "modfresnelp",
    "modstruve",
    "nbdtr",
    "nbdtrc",
    "nbdtri",
    "nbdtrik",
    "nbdtrin",
    "ncfdtr",
    "ncfdtri",
    "nctdtr",
    "nctdtridf",
    "nctdtrinc",
    "nctdtrit",
    "ndtri_exp",
    "nrdtrimn",
    "nrdtrisd",
    "obl_ang1",
    "obl_ang1_cv",
    "obl_cv",
    "obl_rad1",
    "obl_rad1_cv",
    "obl_rad2",
    "obl_rad2_cv",
    "pbdv",
    "pbvv",
    "pbwa",
    "pdtr",
    "pdtrc",
    "pdtri",
    "pdtrik",
    "powm1",
    "pro_ang1",
    "pro_ang1_cv",
    "pro_cv",
    "pro_rad1",
    "pro_rad1_cv",
    "pro_rad2",
    "pro_rad2_cv",
    "pseudo_huber",
    "psi",
    "radian",
    "rgamma",
    "shichi",
    "sindg",
    "smirnov",
    "smirnovi",
    "spherical_in",
    "spherical_jn",
    "spherical_kn",
    "spherical_yn",
    "stdtr",
    "stdtridf",
    "stdtrit",
    "struve",
    "tandg",
    "tklmbda",
    "voigt_profile",
    "wright_bessel",
    "wrightomega",
    "y0",
    "y1",
    "yn",
    "yv",
    "yve",
    "zetac",
]

# Entries and helpers belong to this module, wherever their family defines them.
for _fn in [*CATALOGUE.helpers, *CATALOGUE.entries]:
    if _fn.__module__.startswith(__name__ + "."):
        _fn.__module__ = __name__
CATALOGUE.finish()
