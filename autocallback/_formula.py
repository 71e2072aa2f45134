"""Safe formula parsing: Python's `ast` under a whitelist, SymPy built from the tree.

Formula text never reaches `eval`, `exec`, `sympy.sympify` or `parse_expr`. Each node of
the syntax tree is checked against a small whitelist and turned into a SymPy object by
hand; anything else raises `FormulaError` naming the function, the argument, the
offending text and its column.
"""

from __future__ import annotations

import ast
from collections.abc import Callable, Mapping
from typing import Any

from ._errors import FormulaError

MAX_LENGTH = 5000
MAX_DEPTH = 60
MAX_EXPONENT = 1000
MAX_DIGITS = 300
MAX_CONSTANT_ARGUMENT = 1000
# SymPy expands orthogonal polynomials of constant degree into explicit polynomials.
MAX_DEGREE = 60
_POLYNOMIALS = frozenset(
    {
        "legendre",
        "assoc_legendre",
        "chebyshevt",
        "chebyshevu",
        "hermite",
        "laguerre",
        "assoc_laguerre",
        "gegenbauer",
        "jacobi",
    }
)

_BINOPS = (ast.Add, ast.Sub, ast.Mult, ast.Div, ast.Pow)
_COMPARE = {ast.Lt: "Lt", ast.LtE: "Le", ast.Gt: "Gt", ast.GtE: "Ge", ast.Eq: "Eq", ast.NotEq: "Ne"}


class _Context:
    def __init__(self, text: str, fn_name: str, arg: str, names: Mapping[str, Any], known: str):
        self.text = text
        self.fn_name = fn_name
        self.arg = arg
        self.names = names
        self.known = known

    def fail(self, node: ast.AST | None, what: str) -> FormulaError:
        where = ""
        if node is not None and hasattr(node, "col_offset"):
            col = node.col_offset  # pyright: ignore[reportAttributeAccessIssue]
            end = getattr(node, "end_col_offset", None) or col + 1
            snippet = self.text[col:end] if self.text.count("\n") == 0 else ast.unparse(node)
            where = f" at column {col + 1} ('{snippet}')"
        return FormulaError(
            f"Formula for {self.arg} of `{self.fn_name}` is not valid: {what}{where} in "
            f"'{_short(self.text)}'. Formulas use SymPy syntax: numbers, names, + - * / **, "
            f"parentheses, comparisons inside Piecewise, and calls of known names with "
            f"positional arguments. Known names: {self.known}."
        )


def _short(text: str) -> str:
    return text if len(text) <= 120 else text[:117] + "..."


def parse_formula(
    text: object,
    *,
    fn_name: str,
    arg: str,
    names: Mapping[str, Any],
    known: str,
    allow_tuple: bool = False,
) -> Any:
    """Parse one formula into a SymPy expression.

    Args:
        text: the formula text.
        fn_name: the decorated function's name, for messages.
        arg: what the formula is for ("argument 'z'", "expr"), for messages.
        names: name -> SymPy object (a Symbol, a constant, or a callable building a
            SymPy expression from SymPy arguments).
        known: the known names, as printed in messages.
        allow_tuple: accept a top-level tuple of expressions (for `expr=` of functions
            with several outputs) and return a tuple.
    """
    ctx = _Context(str(text), fn_name, arg, names, known)
    if not isinstance(text, str):
        raise FormulaError(
            f"Formula for {arg} of `{fn_name}` must be a string, a callable or None, "
            f"got {type(text).__name__}."
        )
    if len(text) > MAX_LENGTH:
        raise FormulaError(
            f"Formula for {arg} of `{fn_name}` is {len(text)} characters long; the limit "
            f"is {MAX_LENGTH}. Split it with `register`."
        )
    if not text.strip():
        raise ctx.fail(None, "it is empty")
    try:
        tree = ast.parse(text.strip(), mode="eval")
    except SyntaxError as e:
        col = f" at column {e.offset}" if e.offset else ""
        raise FormulaError(
            f"Formula for {arg} of `{fn_name}` has a syntax error{col} in "
            f"'{_short(text)}': {e.msg}. Formulas use SymPy syntax (`**` for powers). "
            f"Known names: {known}."
        ) from None
    except (ValueError, RecursionError, MemoryError) as e:
        raise ctx.fail(None, f"it cannot be parsed ({type(e).__name__})") from None
    ctx.text = text.strip()
    body = tree.body
    if allow_tuple and isinstance(body, ast.Tuple):
        return tuple(_build(ctx, elt, 1) for elt in body.elts)
    return _build(ctx, body, 1)


def _build(ctx: _Context, node: ast.AST, depth: int) -> Any:
    import sympy

    if depth > MAX_DEPTH:
        raise ctx.fail(node, f"it is nested more than {MAX_DEPTH} levels deep")
    if isinstance(node, ast.Constant):
        return _constant(ctx, node)
    if isinstance(node, ast.Name):
        name = node.id
        if name.startswith("__"):
            raise ctx.fail(node, f"dunder name '{name}' is not allowed")
        if name not in ctx.names:
            raise ctx.fail(node, f"unknown name '{name}'")
        obj = ctx.names[name]
        if callable(obj) and not isinstance(obj, sympy.Basic):
            raise ctx.fail(node, f"'{name}' is a function; call it with arguments")
        return obj
    if isinstance(node, ast.UnaryOp):
        operand = _build(ctx, node.operand, depth + 1)
        if isinstance(node.op, ast.USub):
            return -operand
        if isinstance(node.op, ast.UAdd):
            return operand
        raise ctx.fail(node, f"operator {type(node.op).__name__} is not allowed")
    if isinstance(node, ast.BinOp):
        return _binop(ctx, node, depth)
    if isinstance(node, ast.Call):
        if not isinstance(node.func, ast.Name):
            raise ctx.fail(node.func, "only named functions may be called (no attribute access)")
        fname = node.func.id
        if fname.startswith("__"):
            raise ctx.fail(node.func, f"dunder name '{fname}' is not allowed")
        if node.keywords:
            raise ctx.fail(node, "keyword arguments are not allowed")
        if fname not in ctx.names:
            raise ctx.fail(node.func, f"unknown function '{fname}'")
        func = ctx.names[fname]
        if isinstance(func, sympy.Basic) and not callable(func):
            raise ctx.fail(node.func, f"'{fname}' is not a function")
        if fname == "Piecewise":
            args = [_piece(ctx, a, depth + 1) for a in node.args]
        else:
            args = []
            for a in node.args:
                if isinstance(a, ast.Starred):
                    raise ctx.fail(a, "starred arguments are not allowed")
                args.append(_build(ctx, a, depth + 1))
        return _apply(ctx, node, fname, func, args)
    if isinstance(node, ast.Compare):
        raise ctx.fail(node, "comparisons may only stand as the condition of a Piecewise branch")
    kind = {
        ast.Attribute: "attribute access",
        ast.Subscript: "subscripts",
        ast.Lambda: "lambdas",
        ast.ListComp: "comprehensions",
        ast.SetComp: "comprehensions",
        ast.DictComp: "comprehensions",
        ast.GeneratorExp: "comprehensions",
        ast.JoinedStr: "strings",
        ast.Tuple: "tuples",
        ast.List: "lists",
        ast.Dict: "dicts",
        ast.Set: "sets",
        ast.BoolOp: "`and`/`or`",
        ast.IfExp: "conditional expressions (use Piecewise)",
        ast.NamedExpr: "assignment expressions",
        ast.Await: "await",
        ast.Yield: "yield",
        ast.Starred: "starred expressions",
    }.get(type(node), type(node).__name__)
    raise ctx.fail(node, f"{kind} are not allowed")


def _constant(ctx: _Context, node: ast.Constant) -> Any:
    import sympy

    value = node.value
    if isinstance(value, bool):
        raise ctx.fail(node, "booleans may only stand as the condition of a Piecewise branch")
    if isinstance(value, int):
        return sympy.Integer(value)
    if isinstance(value, float):
        if value != value or value in (float("inf"), float("-inf")):
            raise ctx.fail(node, "the number is not finite")
        return sympy.Float(repr(value), 17) if value != int(value) else sympy.Integer(int(value))
    if isinstance(value, complex):
        raise ctx.fail(node, "complex literals are not allowed; write `I` (e.g. `2*I`)")
    raise ctx.fail(node, f"{type(value).__name__} literals are not allowed")


def _binop(ctx: _Context, node: ast.BinOp, depth: int) -> Any:
    import sympy

    if not isinstance(node.op, _BINOPS):
        hint = "; use `**` for powers" if isinstance(node.op, ast.BitXor) else ""
        raise ctx.fail(node, f"operator {type(node.op).__name__} is not allowed{hint}")
    left = _build(ctx, node.left, depth + 1)
    right = _build(ctx, node.right, depth + 1)
    if isinstance(node.op, ast.Add):
        return _checked(ctx, node, left + right)
    if isinstance(node.op, ast.Sub):
        return _checked(ctx, node, left - right)
    if isinstance(node.op, ast.Mult):
        return _checked(ctx, node, left * right)
    if isinstance(node.op, ast.Div):
        return _checked(ctx, node, left / right)
    if right.is_Number and abs(right) > MAX_EXPONENT:
        raise ctx.fail(node, f"exponent {right} is larger than {MAX_EXPONENT} in magnitude")
    if left.is_Number and right.is_Number and abs(left) > 1:
        import math

        if math.log10(float(abs(left))) * float(abs(right)) > MAX_DIGITS:
            raise ctx.fail(node, f"constant power has more than {MAX_DIGITS} digits")
    return _checked(ctx, node, sympy.Pow(left, right))


def _piece(ctx: _Context, node: ast.AST, depth: int) -> Any:
    import sympy

    if not (isinstance(node, ast.Tuple) and len(node.elts) == 2):
        raise ctx.fail(node, "each Piecewise argument is a pair (expression, condition)")
    value = _build(ctx, node.elts[0], depth + 1)
    cond_node = node.elts[1]
    if isinstance(cond_node, ast.Constant) and isinstance(cond_node.value, bool):
        cond: Any = sympy.true if cond_node.value else sympy.false
    elif isinstance(cond_node, ast.Compare):
        if len(cond_node.ops) != 1:
            raise ctx.fail(cond_node, "chained comparisons are not allowed")
        op = type(cond_node.ops[0])
        if op not in _COMPARE:
            raise ctx.fail(cond_node, f"comparison {op.__name__} is not allowed")
        lhs = _build(ctx, cond_node.left, depth + 1)
        rhs = _build(ctx, cond_node.comparators[0], depth + 1)
        try:
            cond = getattr(sympy, _COMPARE[op])(lhs, rhs)
        except (TypeError, ValueError) as e:
            raise ctx.fail(cond_node, f"the comparison cannot be made ({e})") from None
    else:
        raise ctx.fail(cond_node, "a Piecewise condition is a comparison or True")
    return (value, cond)


def _checked(ctx: _Context, node: ast.AST, value: Any) -> Any:
    if (
        getattr(value, "is_Rational", False)
        and max(abs(value.p), abs(value.q)).bit_length() > MAX_DIGITS * 3.33
    ):
        raise ctx.fail(node, f"constant has more than {MAX_DIGITS} digits")
    return value


def _apply(
    ctx: _Context, node: ast.AST, fname: str, func: Callable[..., Any], args: list[Any]
) -> Any:
    # SymPy evaluates functions of constants eagerly (gamma(10**7) is a 10**7-digit
    # factorial): keep constant arguments of functions small.
    limit = MAX_DEGREE if fname in _POLYNOMIALS else MAX_CONSTANT_ARGUMENT
    for a in args:
        if getattr(a, "is_Number", False) and abs(a) > limit:
            raise ctx.fail(
                node, f"constant argument {a} of '{fname}' is larger than {limit} in magnitude"
            )
    try:
        return _checked(ctx, node, func(*args))
    except FormulaError:
        raise
    except (TypeError, ValueError) as e:
        raise ctx.fail(node, f"'{fname}' cannot take these {len(args)} argument(s) ({e})") from None
