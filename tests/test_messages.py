"""Every error path's message, piece by piece (in the style of jaxtyping's tests).

Each case states the exception type and the fragments its message must contain: the API in
backticks, the function and argument concerned, expected versus actual, and the fix."""

from __future__ import annotations

import re
from contextlib import contextmanager

import jax
import jax.numpy as jnp
import numpy as np
import pytest
import scipy.special as sc

import autocallback as ac
from autocallback import FormulaError, _host_call, host_function


@contextmanager
def raises(exc, *fragments):
    """`pytest.raises(exc, match=fragments[0])`, then every other fragment (a regex or,
    when given as `lit(...)`, literal text) must appear in the message too."""
    patterns = [f if isinstance(f, re.Pattern) else re.compile(re.escape(f)) for f in fragments]
    with pytest.raises(exc, match=patterns[0]) as info:
        yield info
    message = str(info.value)
    for p in patterns[1:]:
        assert p.search(message), f"missing {p.pattern!r} in:\n{message}"


def rx(pattern):
    return re.compile(pattern)


def add(x, y):
    return x + y


def one(x):
    return x


# --------------------------------------------------------------------------------------
# Decoration: host_function options


def test_not_a_callable():
    with raises(
        TypeError,
        "`host_function` takes the function as its only positional argument, got int.",
        "Pass options by keyword: `@host_function(out=...)`.",
    ):
        host_function(3)


def test_var_positional():
    def star(*args):
        return args[0]

    with raises(
        TypeError,
        "`host_function` needs named parameters, but `star` takes *args.",
        "Wrap it in a `def` with one named parameter per argument.",
    ):
        host_function(star)


def test_var_keyword():
    def kw(x, **options):
        return x

    with raises(TypeError, "but `kw` takes **options."):
        host_function(kw)


def test_bad_name():
    with raises(ValueError, "`host_function`: name= must be a Python identifier, got 'not valid'."):
        host_function(one, name="not valid")


def test_unknown_static_argname():
    with raises(
        ValueError,
        "`host_function` for `add`: static_argnames names 'z', which is not a parameter",
        "(parameters: x, y).",
    ):
        host_function(add, static_argnames=("z",))


def test_out_and_signature():
    with raises(
        ValueError, "`host_function` for `one`: pass either `out=` or `signature=`, not both."
    ):
        host_function(one, out=jax.ShapeDtypeStruct((), jnp.float32), signature="()->()")


def test_out_and_dtype():
    with raises(
        ValueError,
        "`host_function` for `one`: `dtype=` applies to elementwise and signature functions",
        "with `out=` put the dtype in `out`.",
    ):
        host_function(one, out="probe", dtype="float")


def test_out_bad_string():
    with raises(
        ValueError,
        "`host_function` for `one`: out= must be \"probe\", a ShapeDtypeStruct pytree or a callable, got 'prob'.",
    ):
        host_function(one, out="prob")


def test_signature_input_count():
    with raises(
        ValueError,
        "`host_function` for `add`: signature '(n)->()' has 1 input(s), but the function has 2 non-static parameter(s) (x, y).",
    ):
        host_function(add, signature="(n)->()")


def test_signature_syntax():
    with raises(
        ValueError,
        "`host_function` for `one`: '(n->)' is not a valid gufunc signature",
        'Use NumPy\'s grammar, e.g. "(n),(n)->()" or "(m,n),(n)->(m)".',
    ):
        host_function(one, signature="(n->)")


def test_vmap_method():
    with raises(ValueError, "`host_function` for `one`: vmap_method must be one of", "got 'fast'."):
        host_function(one, vmap_method="fast")


def test_dtype_value():
    with raises(
        ValueError,
        '`host_function` for `one`: dtype= must be a dtype or "float"/"complex", got \'floaty\'.',
    ):
        host_function(one, dtype="floaty")


def test_jvp_and_derivatives():
    with raises(
        ValueError, "`host_function` for `one`: pass `jvp=` or `derivatives=`/`expr=`, not both."
    ):
        host_function(one, jvp=lambda p, t: t[0], derivatives={"x": "1"})


def test_jvp_not_callable():
    with raises(
        TypeError, "`host_function` for `one`: jvp= must be a callable jvp(primals, tangents)."
    ):
        host_function(one, jvp="x")


def test_derivatives_not_a_mapping():
    with raises(
        TypeError,
        "`host_function` for `one`: derivatives= must be a dict from argument name to formula, callable or None, got list.",
    ):
        host_function(one, derivatives=["x"])


def test_derivatives_unknown_argument():
    with raises(
        ValueError,
        "`host_function` for `add`: derivatives= names 'w', which is not a parameter (parameters: x, y).",
    ):
        host_function(add, derivatives={"w": "1"})


def test_derivatives_static_argument():
    def scaled(x, k):
        return k * x

    with raises(
        ValueError,
        "`host_function` for `scaled`: derivatives= names static argument 'k'; static arguments are not differentiated.",
    ):
        host_function(scaled, static_argnames="k", derivatives={"k": None})


def test_derivative_value_type():
    with raises(
        TypeError,
        "`host_function` for `one`: derivatives['x'] must be a formula string, a tuple of formulas (one per output), a callable, `autocallback.numerical()` or None, got int.",
    ):
        host_function(one, derivatives={"x": 3})


def test_formulas_on_non_elementwise():
    def total(x):
        return np.sum(x)

    with raises(
        FormulaError,
        "`host_function` for `total`: derivative formulas and `expr=` are elementwise partial derivatives, but `total` is not elementwise (signature '(n)->()').",
        "Pass `jvp=`: a JAX-traceable jvp(primals, tangents) -> tangents_out.",
    ):
        host_function(total, signature="(n)->()", derivatives={"x": "1"})
    with raises(FormulaError, "but `total` is not elementwise (out='probe')."):
        host_function(total, out="probe", expr="x")


def test_formula_tuple_length():
    with raises(
        FormulaError,
        "`host_function` for `one`: derivatives['x'] has 2 formula(s) but the function has 1 output(s).",
    ):
        host_function(one, derivatives={"x": ("1", "2")})


def test_single_formula_for_several_outputs():
    with raises(
        FormulaError,
        "`host_function` for `airy`: derivatives['z'] must be a tuple of 4 formulas, one per output.",
    ):
        host_function(sc.airy, signature="()->(),(),(),()", derivatives={"z": "airyaiprime(z)"})


def test_expr_count():
    with raises(
        FormulaError,
        "`host_function` for `one`: expr= gives 2 expression(s), but the function has 1 output(s).",
    ):
        host_function(one, expr="(x, x)")


# --------------------------------------------------------------------------------------
# Decoration: formula text

KNOWN = "Known names: x, y (arguments), add (this function)"
SYNTAX = "Formulas use SymPy syntax"


@pytest.mark.parametrize(
    ("formula", "fragments"),
    [
        (
            "y*cos(w)",
            [
                "Formula for argument 'x' of `add` is not valid: unknown name 'w' at column 7 ('w') in 'y*cos(w)'.",
                SYNTAX,
                KNOWN,
                rx(r"SymPy functions \(exp, log, sin"),
                "registered: ",
            ],
        ),
        ("cosh2(x)", ["is not valid: unknown function 'cosh2' at column 1 ('cosh2')", KNOWN]),
        ("x.real", ["is not valid: attribute access", "at column 1 ('x.real') in 'x.real'", KNOWN]),
        ("x[0]", ["is not valid: subscripts", "('x[0]')"]),
        ("'a'", ["is not valid: str literals are not allowed"]),
        ("lambda: 1", ["is not valid: lambdas"]),
        ("[i for i in x]", ["is not valid: comprehensions"]),
        ("1 if x else 2", ["is not valid: conditional expressions (use Piecewise)"]),
        (
            "x^2",
            [
                "is not valid: operator BitXor is not allowed; use `**` for powers at column 1 ('x^2')"
            ],
        ),
        ("x % 2", ["is not valid: operator Mod is not allowed"]),
        ("sin(x=1)", ["is not valid: keyword arguments are not allowed at column 1 ('sin(x=1)')"]),
        (
            "__import__('os')",
            ["is not valid: dunder name '__import__' is not allowed at column 1 ('__import__')"],
        ),
        ("__builtins__", ["is not valid: dunder name '__builtins__' is not allowed"]),
        (
            "x < 1",
            [
                "is not valid: comparisons may only stand as the condition of a Piecewise branch at column 1 ('x < 1')"
            ],
        ),
        ("True", ["is not valid: booleans may only stand as the condition of a Piecewise branch"]),
        ("2j", ["is not valid: complex literals are not allowed; write `I` (e.g. `2*I`)"]),
        (
            "sin(x, y)",
            ["is not valid: 'sin' cannot take these 2 argument(s)", "at column 1 ('sin(x, y)')"],
        ),
        ("sin", ["is not valid: 'sin' is a function; call it with arguments at column 1 ('sin')"]),
        ("pi(x)", ["is not valid: 'pi' is not a function at column 1 ('pi')"]),
        ("sin(*x)", ["is not valid: starred arguments are not allowed at column 5 ('*x')"]),
        (
            "Piecewise(1)",
            ["is not valid: each Piecewise argument is a pair (expression, condition)"],
        ),
        ("Piecewise((1, 0 < x < 2))", ["is not valid: chained comparisons are not allowed"]),
        ("Piecewise((1, x))", ["is not valid: a Piecewise condition is a comparison or True"]),
        ("2**10**10", ["is not valid: exponent 10000000000 is larger than 1000 in magnitude"]),
        ("", ["Formula for argument 'x' of `add` is not valid: it is empty"]),
        (
            "sin(",
            [
                "Formula for argument 'x' of `add` has a syntax error",
                "in 'sin('",
                "Formulas use SymPy syntax (`**` for powers).",
                KNOWN,
            ],
        ),
        (
            "x" * 5001,
            [
                "Formula for argument 'x' of `add` is 5001 characters long; the limit is 5000. Split it with `register`."
            ],
        ),
    ],
)
def test_formula_messages(formula, fragments):
    with raises(FormulaError, *fragments):
        host_function(add, derivatives={"x": formula})


def test_formula_not_a_string():
    with raises(TypeError, "`host_function` for `one`: derivatives['x'] must be a formula string"):
        host_function(one, derivatives={"x": 1.5})


def test_expr_formula_messages():
    with raises(
        FormulaError,
        "Formula for expr of `add` is not valid: unknown name 'w'",
        "Known names: x, y (arguments)",
    ):
        host_function(add, expr="x + w")


def test_expr_head_is_listed_as_known_name():
    with raises(FormulaError, "jv (this function)", "besselj (this function, from expr)"):
        host_function(sc.jv, expr="besselj(v, z)", derivatives={"v": "q"})


def test_long_formula_text_is_shortened():
    text = "x + " * 40 + "w"
    with pytest.raises(FormulaError) as info:
        host_function(add, derivatives={"x": text})
    assert "..." in str(info.value)
    assert text not in str(info.value)


# --------------------------------------------------------------------------------------
# register


def test_register_messages():
    with raises(
        ValueError,
        "`register`: 'sin' is a built-in formula name. Choose another name, or pass `replace=True` to shadow it in later formulas.",
    ):
        ac.register("sin", jnp.sin)
    with raises(
        ValueError,
        "`register` needs a Python identifier that is not a dunder name as the name, got '__x'.",
    ):
        ac.register("__x", jnp.sin)
    with raises(TypeError, "`register` needs a callable for 'thing', got int."):
        ac.register("thing", 3)


def test_register_taken_message(fresh_name):
    name = fresh_name("taken")
    ac.register(name, jnp.sin)
    with raises(
        ValueError,
        f"`register`: '{name}' is already registered. Choose another name, or pass `replace=True` to replace it.",
    ):
        ac.register(name, jnp.cos)


# --------------------------------------------------------------------------------------
# Calls


def test_arity_messages():
    f = host_function(add)
    with raises(TypeError, "`add`(x, y): missing a required argument: 'y'"):
        f(1.0)
    with raises(TypeError, "`add`(x, y): too many positional arguments"):
        f(1.0, 2.0, 3.0)


def test_unhashable_static_message():
    def scaled(x, opts):
        return x

    f = host_function(scaled, static_argnames="opts")
    with raises(
        TypeError,
        "`scaled`: static argument 'opts' must be hashable, got list.",
        "Pass a tuple instead of a list, or make it an array argument by removing it from `static_argnames`.",
    ):
        f(1.0, [1])


def test_non_array_argument_message():
    f = host_function(add)
    with raises(
        TypeError,
        "`add`: argument 'y' got str, but non-static arguments must be arrays or numbers.",
        "Add 'y' to `static_argnames` to pass it to the host function unchanged.",
    ):
        f(1.0, "abc")


def test_broadcast_message():
    f = host_function(add)
    with raises(
        ValueError,
        "`add`: argument shapes x=(2,), y=(3,) do not broadcast together.",
        "Elementwise functions broadcast their arguments like NumPy; for core dimensions pass `signature=`.",
    ):
        f(np.ones(2), np.ones(3))


def test_signature_messages():
    def dot(a, b):
        return np.dot(a, b)

    f = host_function(dot, signature="(n),(n)->()")
    with raises(
        ValueError,
        "`dot`: core dimension 'n' of signature '(n),(n)->()' is 2 in one argument and 3 in 'b'.",
    ):
        f(np.ones(2), np.ones(3))
    with raises(
        ValueError,
        "`dot`: argument 'a' has shape (), but signature '(n),(n)->()' needs at least 1 dimension(s)",
    ):
        f(1.0, np.ones(3))
    with raises(
        ValueError, "`dot`: the loop dimensions", "do not broadcast (signature '(n),(n)->()')."
    ):
        f(np.ones((2, 3)), np.ones((4, 3)))

    def cross(a, b):
        return np.cross(a, b)

    g = host_function(cross, signature="(3),(3)->(3)")
    with raises(
        ValueError,
        "`cross`: argument 'a' has core dimension 2 where signature '(3),(3)->(3)' fixes it to 3.",
    ):
        g(np.ones(2), np.ones(3))

    def pad(x):
        return x

    h = host_function(pad, signature="(n)->(m)")
    with raises(
        ValueError,
        "`pad`: output core dimension 'm' of signature '(n)->(m)' appears in no input, so its size is unknown. Pass `out=` instead.",
    ):
        h(np.ones(3))


def test_out_messages():
    f = host_function(one, out=lambda x: 3)
    with raises(
        TypeError,
        "`host_function` for `one`: out= must be a pytree of jax.ShapeDtypeStruct, found int.",
    ):
        f(1.0)

    g = host_function(one, out=lambda x: 1 / 0)
    with raises(ZeroDivisionError, "`one`: the out= callable raised: division by zero"):
        g(1.0)

    def fails(x):
        raise ValueError("needs positive input")

    p = host_function(fails, out="probe")
    with raises(
        ValueError,
        "`host_function` could not infer the output of `fails` by probing: calling it on zeros of shapes [(3,)] raised ValueError: needs positive input.",
        "Pass `out=` or `signature=`.",
    ):
        p(np.ones(3))


@pytest.mark.parametrize("mode", ["buffer", "pure"])
def test_host_result_messages(mode):
    _host_call.set_callback_mode(mode)
    try:

        def long(x):
            return np.zeros(3)

        with raises(
            Exception,
            "`long` returned output of shape (3,) on the host; the declared shape is (2,) (dtype float32).",
            "Fix the host function or the declared output (`out=`/`signature=`).",
        ):
            host_function(long)(np.ones(2, dtype=np.float32))

        def imaginary(x):
            return x * 1j

        with raises(
            Exception,
            "`imaginary` returned complex values on the host, but its output is declared float32; dropping the imaginary part would lose data.",
            'Pass `dtype="complex"` (or a complex `out=`).',
        ):
            host_function(imaginary)(np.ones(2, dtype=np.float32))

        def fractional(x):
            return x / 2

        with raises(
            Exception,
            "`fractional` returned dtype float32 on the host, which cannot be converted to the declared int32 without losing its kind.",
            "Fix the declared dtype (`dtype=`/`out=`).",
        ):
            host_function(fractional, dtype=np.int32)(np.ones(2, dtype=np.float32))

        def pair(x):
            return x, x

        with raises(
            Exception,
            "`pair` returned a result of structure PyTreeDef((*, *)) on the host; the declared structure is PyTreeDef((*,)).",
        ):
            host_function(pair, out=(jax.ShapeDtypeStruct((), jnp.float32),))(1.0)

        def single(x):
            return x

        with raises(
            Exception,
            "`single` returned a single ndarray on the host; it is declared with 2 outputs.",
        ):
            host_function(single, signature="()->(),()")(np.ones(2))

        def refuses(x):
            raise ValueError("x must be below 3")

        with raises(Exception, "`refuses` raised ValueError on the host: x must be below 3"):
            host_function(refuses)(np.ones(2))
    finally:
        _host_call.set_callback_mode("auto")


def test_host_exception_keeps_its_type():
    def refuses(x):
        raise KeyError("missing table entry")

    with pytest.raises(Exception, match="missing table entry") as info:
        host_function(refuses)(np.ones(2))
    assert "`refuses`" in str(info.value)


# --------------------------------------------------------------------------------------
# Derivatives


def test_no_derivative_message():
    f = host_function(add)
    with raises(
        TypeError,
        "`add` has no derivative with respect to argument 'x', which is being differentiated.",
        "Pass `derivatives={'x': ...}` (a formula, a JAX-traceable callable, `autocallback.numerical()`, or None to treat it as constant) or `expr=`.",
    ):
        jax.grad(f)(1.0, 2.0)


def test_expr_not_closed_message():
    jv = host_function(sc.jv, expr="besselj(v, z)")
    with raises(
        TypeError,
        "`jv`: SymPy could not derive the derivative with respect to argument 'v' from expr=",
        "Pass `derivatives={'v': autocallback.numerical()}` to compute it numerically, a "
        "formula, or None to treat 'v' as constant.",
    ):
        jax.grad(jv)(1.0, 2.0)


def test_expr_not_closed_at_higher_order_is_the_same_error():
    # d/dx of besselj(x, 1) in its order is left unevaluated by SymPy: at second order.
    f = host_function(np.sin, derivatives={"x": "besselj(x, 1)"})
    np.testing.assert_allclose(jax.grad(f)(0.5), sc.jv(0.5, 1.0), rtol=1e-5)
    with raises(
        TypeError,
        "`sin`: SymPy could not derive the derivative with respect to argument 'x' needed at "
        "this order",
        "Pass `derivatives={'x': autocallback.numerical()}`",
    ):
        jax.grad(jax.grad(f))(0.5)


def test_user_jvp_messages():
    def total(x):
        return np.sum(x)

    f = host_function(total, signature="(n)->()", jvp=lambda p, t: (t[0].sum(), t[0].sum()))
    with raises(
        TypeError, "`total`: jvp= returned 2 tangent output(s); the function has 1 output(s)."
    ):
        jax.jvp(f, (np.ones(3),), (np.ones(3),))

    g = host_function(total, signature="(n)->()", jvp=lambda p, t: t[0])
    with raises(
        ValueError, "`total`: jvp= returned a tangent of shape (3,); the output has shape ()."
    ):
        jax.jvp(g, (np.ones(3),), (np.ones(3),))


def test_callback_mode_message():
    with raises(ValueError, "callback mode must be one of ('auto', 'buffer', 'pure'), got 'fast'."):
        _host_call.set_callback_mode("fast")


def test_lambda_calling_itself_in_formulas_needs_name():
    # A lambda's name cannot be written in a formula: the unknown name says how to fix it.
    with raises(
        FormulaError,
        "Formula for argument 'x' of `<lambda>` is not valid: unknown function 'f' at column "
        "1 ('f') in 'f(x)'.",
        "registered: ",
        ". To call this function in its formulas, pass `name=`.",
    ):
        host_function(lambda x: np.sin(x), derivatives={"x": "f(x)"})


def test_multi_output_function_cannot_call_itself_in_formulas():
    with raises(
        FormulaError,
        "Formula for argument 'z' of `airy` calls `airy`, which has 4 outputs: a formula can "
        "only call functions of one output.",
    ):
        host_function(
            sc.airy,
            signature="()->(),(),(),()",
            derivatives={"z": ("airy(z)", "z", "z", "z")},
        )
