"""The safe formula parser and `register`.

A formula is parsed by an `ast` whitelist; it can never run code. Every rejected formula
raises `FormulaError` (a `ValueError`) at decoration time, naming the function, the argument
and the known names."""

from __future__ import annotations

import builtins
import subprocess
import sys
import textwrap

import jax
import jax.numpy as jnp
import numpy as np
import pytest
import scipy.special as sc
import sympy
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import autocallback as ac
from autocallback import FormulaError, host_function


def scaled_sin(x, y):
    return np.sin(x) * y


def decorate(formula, *, key="x", fn=scaled_sin, **kwargs):
    return host_function(fn, derivatives={key: formula}, **kwargs)


# --------------------------------------------------------------------------------------
# Valid formulas


@pytest.mark.parametrize(
    ("formula", "expected"),
    [
        ("y*cos(x)", lambda x, y: y * np.cos(x)),
        ("cos(x) * y", lambda x, y: y * np.cos(x)),
        ("y * (1 - sin(x)**2)**(1/2) * sign(cos(x))", lambda x, y: y * np.cos(x)),
        ("-y*sin(x + pi/2 + pi)", lambda x, y: y * np.cos(x)),
        ("y*re(exp(I*x))", lambda x, y: y * np.cos(x)),
        ("Piecewise((y*cos(x), x < 100), (0, True))", lambda x, y: y * np.cos(x)),
        ("y*cos(x) + 0*scaled_sin(x, y)", lambda x, y: y * np.cos(x)),
        ("y*cos(x) + 0*besselj(0, x) + 0*gamma(x + 3) + 0*erf(x)", lambda x, y: y * np.cos(x)),
        ("  y * cos( x )  ", lambda x, y: y * np.cos(x)),
        ("y*cos(x)*E**0", lambda x, y: y * np.cos(x)),
        ("y*Max(cos(x), -2)", lambda x, y: y * np.cos(x)),
        ("y*cos(x) + 1e-300 - 1e-300", lambda x, y: y * np.cos(x)),
    ],
)
def test_valid_formulas_decorate_and_differentiate(formula, expected, enable_x64):
    f = host_function(scaled_sin, derivatives={"x": formula, "y": "sin(x)"})
    x, y = 0.7, 1.3
    np.testing.assert_allclose(jax.grad(f, argnums=0)(x, y), expected(x, y), rtol=1e-12)
    np.testing.assert_allclose(jax.grad(f, argnums=1)(x, y), np.sin(x), rtol=1e-12)


def test_formula_text_is_kept():
    f = host_function(scaled_sin, derivatives={"x": "y*cos(x)", "y": None})
    assert f.derivatives == {"x": "y*cos(x)", "y": None}


# --------------------------------------------------------------------------------------
# Injection corpus


INJECTIONS = [
    "__import__('os')",
    "__import__('os').system('echo pwned')",
    "().__class__",
    "().__class__.__bases__[0].__subclasses__()",
    "z.real",
    "x.real",
    "x[0]",
    "'a'",
    '"a"',
    "b'a'",
    "f'{x}'",
    "lambda: 1",
    "(lambda: 1)()",
    "[i for i in x]",
    "{i for i in x}",
    "(i for i in x)",
    "{i: i for i in x}",
    "sin(x=1)",
    "f(x=1)",
    "sin(**{'x': 1})",
    "sin(*x)",
    "__builtins__",
    "open('f')",
    "exec('1')",
    "eval('1')",
    "compile('1', 'f', 'eval')",
    "getattr(z, 'x')",
    "getattr(x, '__class__')",
    "globals()",
    "locals()",
    "vars()",
    "dir()",
    "input()",
    "breakpoint()",
    "print(1)",
    "type(x)",
    "2**10**10",
    "x**10**10",
    "9**9**9",
    "x" * 100_000,
    "x+" * 50_000 + "x",
    "(" * 500 + "x" + ")" * 500 + "+ [",
    "sin(" * 300 + "x" + ")" * 300,
    "-" * 3000 + "x",
    "1 if x else 2",
    "x.__class__.__mro__",
    "x and y",
    "x or y",
    "not x",
    "x if y else x",
    "(x := 1)",
    "x; import os",
    "import os",
    "x\nimport os",
    "await x",
    "yield x",
    "[x]",
    "(x, y)",
    "{x: 1}",
    "{x}",
    "x @ y",
    "x % y",
    "x // y",
    "x ^ y",
    "x & y",
    "x | y",
    "~x",
    "x << 2",
    "x < y",
    "x == y",
    "...",
    "None",
    "True",
    "1j",
    "sympy.sin(x)",
    "S('x')",
    "Symbol('x')",
    "sympify('x')",
    "parse_expr('x')",
    "Function('f')(x)",
    "Lambda(x, x)",
    "_",
    "__name__",
    "__x__(x)",
    "x.__dict__",
    "sin.__globals__",
    "cos(x)[0]",
    "",
    "   ",
    "sin(",
    "sin(x))",
    "x +",
    "1 2",
    "unknown_function(x)",
    "undefined_name",
    "sin",
    "pi(x)",
]


@pytest.mark.parametrize("formula", INJECTIONS, ids=range(len(INJECTIONS)))
def test_injection_corpus_raises_formulaerror(formula, tripwires):
    with pytest.raises(FormulaError) as info, tripwires():
        decorate(formula)
    assert isinstance(info.value, ValueError)
    message = str(info.value)
    assert "`scaled_sin`" in message
    assert "argument 'x'" in message
    if "characters long" not in message:
        # Known names are listed (function parameters and this function at least).
        assert "Known names" in message
        assert "x, y (arguments)" in message


@pytest.mark.parametrize("formula", INJECTIONS[:40], ids=range(40))
def test_injection_corpus_in_expr(formula):
    with pytest.raises(FormulaError, match=r"expr of `scaled_sin`|`scaled_sin`"):
        host_function(scaled_sin, expr=formula)


def test_formula_error_is_a_valueerror():
    assert issubclass(FormulaError, ValueError)
    assert ac.FormulaError is FormulaError


def test_unknown_name_lists_known_names():
    with pytest.raises(FormulaError) as info:
        decorate("y*cos(w)")
    message = str(info.value)
    assert "unknown name 'w'" in message
    assert "Formula for argument 'x' of `scaled_sin`" in message
    assert "x, y (arguments)" in message
    assert "scaled_sin (this function)" in message
    for name in ("pi", "E", "I", "exp", "sin"):
        assert name in message
    assert "registered" in message


def test_unknown_name_lists_registered_names(fresh_name):
    name = fresh_name("my_listed")
    ac.register(name, lambda x: x)
    with pytest.raises(FormulaError, match=name):
        decorate("y*cos(w)")


def test_column_of_offending_text():
    with pytest.raises(FormulaError, match=r"at column 8 \('x\.real'\)"):
        decorate("cos(x)*x.real")


# --------------------------------------------------------------------------------------
# Fuzzing: every string either decorates or raises FormulaError, and nothing runs.

TOKENS = [
    "x",
    "y",
    "z",
    "sin",
    "cos",
    "exp",
    "besselj",
    "gamma",
    "Piecewise",
    "scaled_sin",
    "pi",
    "E",
    "I",
    "True",
    "__import__",
    "__class__",
    "os",
    "open",
    "eval",
    "exec",
    "lambda",
    "if",
    "else",
    "for",
    "in",
    "not",
    "and",
    "import",
    "+",
    "-",
    "*",
    "/",
    "**",
    "^",
    "%",
    "//",
    "@",
    "<",
    "<=",
    "==",
    "!=",
    "=",
    ":=",
    "~",
    "(",
    ")",
    "(",
    ")",
    ",",
    ".",
    "'",
    '"',
    "[",
    "]",
    "{",
    "}",
    ":",
    ";",
    " ",
    "0",
    "1",
    "2",
    "9",
    "10",
    "0.5",
    "1e5",
    "1j",
    "_",
]


class Tripwire(Exception):
    pass


@pytest.fixture
def tripwires():
    """A context manager that makes code-running entry points fail loudly while formulas
    are parsed (armed only around the decoration: hypothesis itself uses `exec`)."""
    import ast
    import contextlib

    import sympy.parsing.sympy_parser as parser

    real_compile = builtins.compile
    real_import = builtins.__import__

    real_eval, real_exec = builtins.eval, builtins.exec

    # Source text (what a formula would have to reach) trips; code objects compiled from
    # files by lazy imports pass.
    def no_eval(source, *a, **k):
        if isinstance(source, (str, bytes)):
            raise Tripwire(f"eval called on {source!r:.80}")
        return real_eval(source, *a, **k)

    def no_exec(source, *a, **k):
        if isinstance(source, (str, bytes)):
            raise Tripwire(f"exec called on {source!r:.80}")
        return real_exec(source, *a, **k)

    def no_open(*a, **k):
        raise Tripwire("open called")

    def ast_only_compile(source, filename, mode, flags=0, *a, **k):
        if not flags & ast.PyCF_ONLY_AST and not str(filename).endswith(".py"):
            raise Tripwire(f"compile called for code: {source!r:.80}")
        return real_compile(source, filename, mode, flags, *a, **k)

    def guarded_import(name, *a, **k):
        dangerous = name.split(".")[0] in ("os", "subprocess", "shutil", "socket", "ctypes", "pty")
        if dangerous and name not in sys.modules:
            raise Tripwire(f"import of {name}")
        return real_import(name, *a, **k)

    def no_sympify_string(original):
        def wrapper(a, *args, **kwargs):
            if isinstance(a, str):
                raise Tripwire(f"sympify of a string: {a!r:.80}")
            return original(a, *args, **kwargs)

        return wrapper

    def no_parse_expr(*a, **k):
        raise Tripwire("parse_expr called")

    # Build everything the parser needs before the tripwires go up.
    host_function(scaled_sin, derivatives={"x": "y*cos(x) + 0*besselj(0, x)"})
    host_function(scaled_sin, expr="sin(x)*y + 0*Piecewise((x, x < 1), (1, True))")

    @contextlib.contextmanager
    def armed():
        with pytest.MonkeyPatch.context() as mp:
            mp.setattr(builtins, "eval", no_eval)
            mp.setattr(builtins, "exec", no_exec)
            mp.setattr(builtins, "open", no_open)
            mp.setattr(builtins, "compile", ast_only_compile)
            mp.setattr(builtins, "__import__", guarded_import)
            mp.setattr(sympy, "sympify", no_sympify_string(sympy.sympify))
            mp.setattr(sympy, "parse_expr", no_parse_expr)
            mp.setattr(parser, "parse_expr", no_parse_expr)
            yield

    return armed


def test_tripwires_fire(tripwires):
    with tripwires():
        with pytest.raises(Tripwire):
            sympy.sympify("x")
        with pytest.raises(Tripwire):
            builtins.eval("1")
        with pytest.raises(Tripwire):
            builtins.compile("1", "<f>", "eval")


def _decorates_or_formula_error(text, armed=None):
    import contextlib

    for kwargs in ({"derivatives": {"x": text, "y": None}}, {"expr": text}):
        with (
            armed() if armed is not None else contextlib.nullcontext(),
            contextlib.suppress(FormulaError),
        ):
            host_function(scaled_sin, **kwargs)


@pytest.mark.filterwarnings("ignore::SyntaxWarning")
@settings(
    max_examples=300,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(st.lists(st.sampled_from(TOKENS), min_size=0, max_size=14).map("".join))
def test_fuzz_token_strings(tripwires, text):
    _decorates_or_formula_error(text, tripwires)


@pytest.mark.filterwarnings("ignore::SyntaxWarning")
@settings(
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(st.text(alphabet="xyIE0129.()+-*/<=,'\"[]_ abcdefgijklmnopqrstuvw", max_size=20))
def test_fuzz_character_strings(tripwires, text):
    _decorates_or_formula_error(text, tripwires)


@pytest.mark.parametrize(
    "formula",
    [
        "Piecewise((1, I < 1))",
        "Piecewise((1, x < I))",
        "1e400",
        "-1e400",
        "1e400*x",
        "Piecewise((1, x < 1), (2, I > x))",
        "Max(I, 2)",
        "Min(x, I)",
        "gamma(-1)",
        "x/0",
        "0**-1",
        "Piecewise((1, False))",
        "Piecewise()",
        "log(x, x, x)",
        "polygamma(1.5, x)",
        "LambertW(x, 3.5)",
    ],
)
def test_formula_errors_never_escape(formula):
    """Odd but harmless formulas either decorate or raise FormulaError, nothing else."""
    _decorates_or_formula_error(formula)


def test_resource_exhaustion_rejected_quickly():
    """Short formulas whose constants SymPy would fold into enormous numbers must not hang
    decoration. Run in a subprocess with a deadline."""
    formulas = [
        "gamma(10**7)",
        "factorial(10**6)",
        "binomial(10**7, 5*10**6)",
        "((((2**64)**64)**64)**64)**64",
        "hermite(10**6, x)",
        "(10**1000)**1000",
    ]
    script = textwrap.dedent(
        f"""
        import time
        import numpy as np
        import autocallback as ac

        def f(x):
            return np.sin(x)

        slow = []
        for formula in {formulas!r}:
            start = time.perf_counter()
            try:
                ac.host_function(f, derivatives={{"x": formula}})
            except ac.FormulaError:
                pass
            elapsed = time.perf_counter() - start
            if elapsed > 2.0:
                slow.append((formula, round(elapsed, 1)))
        print("SLOW", slow)
        """
    )
    try:
        result = subprocess.run(
            [sys.executable, "-c", script], capture_output=True, text=True, timeout=30
        )
    except subprocess.TimeoutExpired:
        pytest.fail("decorating one of the formulas took more than 30 s")
    assert result.returncode == 0, result.stderr[-2000:]
    assert "SLOW []" in result.stdout, result.stdout


# --------------------------------------------------------------------------------------
# register


@pytest.mark.parametrize("name", ["sin", "besselj", "gamma", "pi", "exp", "Piecewise", "abs"])
def test_register_builtin_name_needs_replace(name):
    with pytest.raises(ValueError, match=rf"`register`: '{name}' is a built-in formula name"):
        ac.register(name, lambda x: x)


def test_register_taken_name_and_replace(fresh_name, enable_x64):
    name = fresh_name("sq")
    ac.register(name, lambda x: x * x)
    with pytest.raises(ValueError, match=rf"'{name}' is already registered"):
        ac.register(name, lambda x: x * x * x)

    f = host_function(lambda x: x**3 / 3, name="third_cube", derivatives={"x": f"{name}(x)"})
    np.testing.assert_allclose(jax.grad(f)(0.3), 0.09, rtol=1e-12)
    np.testing.assert_allclose(jax.grad(jax.grad(f))(0.3), 0.6, rtol=1e-12)

    ac.register(name, lambda x: 2 * x * x, replace=True)
    g = host_function(
        lambda x: 2 * x**3 / 3, name="two_thirds_cube", derivatives={"x": f"{name}(x)"}
    )
    np.testing.assert_allclose(jax.grad(g)(0.3), 0.18, rtol=1e-12)
    # Earlier formulas keep what they were built with.
    np.testing.assert_allclose(jax.grad(f)(0.3), 0.09, rtol=1e-12)


def test_register_rejects_bad_names():
    with pytest.raises(ValueError, match="identifier"):
        ac.register("__sneaky", lambda x: x)
    with pytest.raises(ValueError, match="identifier"):
        ac.register("not a name", lambda x: x)
    with pytest.raises(TypeError, match="callable"):
        ac.register("not_callable_thing", 3)


def test_registered_jax_callable_in_formulas(fresh_name, enable_x64):
    name = fresh_name("softplus")
    ac.register(name, lambda x: jnp.logaddexp(x, 0.0))

    # d/dx log(1 + e^x) = sigmoid(x); the registered name gives the value, JAX the rest.
    @host_function(derivatives={"x": f"1 - exp(-{name}(x))"})
    def softplus_host(x):
        return np.logaddexp(x, 0.0)

    x = np.array([-1.0, 0.0, 2.0])
    sigmoid = 1 / (1 + np.exp(-x))
    np.testing.assert_allclose(jax.vmap(jax.grad(softplus_host))(x), sigmoid, rtol=1e-12)
    # second order through the JAX callable: sigmoid' = s(1-s)
    np.testing.assert_allclose(
        jax.vmap(jax.grad(jax.grad(softplus_host)))(x), sigmoid * (1 - sigmoid), rtol=1e-10
    )


def test_registered_host_function_carries_its_derivatives(fresh_name, enable_x64):
    """`register` a decorated function; a formula of another function uses it, and the
    registered function's own derivative formula gives the second order."""
    name = fresh_name("myjv")
    evaluations = []

    def jv_host(v, z):
        evaluations.append(np.shape(z))
        return sc.jv(v, z)

    jv = host_function(
        jv_host,
        name="jv_host",
        derivatives={"v": None, "z": "(jv_host(v - 1, z) - jv_host(v + 1, z)) / 2"},
    )
    ac.register(name, jv)

    # F(z) = z * J1(z); F'(z) = z * J0(z) (since d/dz [z J1] = z J0).
    @host_function(derivatives={"z": f"z * {name}(0, z)"})
    def zj1(z):
        return z * sc.jv(1, z)

    z0 = 1.7
    np.testing.assert_allclose(jax.grad(zj1)(z0), z0 * sc.jv(0, z0), rtol=1e-12)
    eps = 1e-5
    fd2 = (jax.grad(zj1)(z0 + eps) - jax.grad(zj1)(z0 - eps)) / (2 * eps)
    exact2 = sc.jv(0, z0) - z0 * sc.jv(1, z0)  # (z J0)' = J0 - z J1
    np.testing.assert_allclose(jax.grad(jax.grad(zj1))(z0), exact2, rtol=1e-12)
    np.testing.assert_allclose(jax.grad(jax.grad(zj1))(z0), fd2, rtol=1e-6)
    # third order uses jv's derivative formula again
    np.testing.assert_allclose(
        jax.grad(jax.grad(jax.grad(zj1)))(z0),
        -2 * sc.jv(1, z0) - z0 * (sc.jv(0, z0) - sc.jv(2, z0)) / 2,
        rtol=1e-10,
    )
    assert evaluations  # the registered host function did the work


def test_registration_visible_to_later_decorations_only(fresh_name):
    name = fresh_name("later")
    with pytest.raises(FormulaError, match=rf"unknown function '{name}'"):
        decorate(f"{name}(x)")
    ac.register(name, lambda x: jnp.cos(x))
    decorate(f"y*{name}(x)")
