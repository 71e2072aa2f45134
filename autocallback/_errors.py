"""Exceptions raised by autocallback, and the one prefix style of its messages.

Messages name the API or the function in backticks, say what was expected and what was
found, then give the fix. At decoration time they start "`host_function` for `name`:",
at call time "`name`:".
"""

from __future__ import annotations


class FormulaError(ValueError):
    """A derivative formula or `expr=` could not be accepted.

    Raised at decoration time for a formula with a syntax error, an unknown name, or a
    construct outside the formula language (attribute access, subscripts, strings,
    lambdas, comprehensions, keyword arguments, dunder names, ...). The message names the
    function, the argument, the offending text and its position, and lists the names a
    formula may use. Also raised when formulas are given for a function that is not
    elementwise (use `jvp=` there).

    Example:
        >>> import autocallback as ac, scipy.special
        >>> try:
        ...     ac.host_function(scipy.special.jv, derivatives={"z": "jv(v, y)"})
        ... except ac.FormulaError as e:
        ...     print("FormulaError")
        FormulaError
    """


class HostCallError(RuntimeError):
    """The host function returned something other than what was declared.

    Raised when a call runs: the host result has the wrong number of outputs, the wrong
    structure or shape, complex values for a real output, or a dtype that cannot be
    converted to the declared one without losing its kind. Host exceptions that cannot
    be rebuilt with their own type also arrive as `HostCallError`. The message names the
    function, the declared and the actual output, and the fix.

    Example:
        >>> import numpy as np, jax, autocallback as ac
        >>> bad = ac.host_function(lambda x: np.zeros(3), name="bad",
        ...                        out=jax.ShapeDtypeStruct((2,), np.float32))
        >>> try:
        ...     bad(np.zeros(2, np.float32))
        ... except ac.HostCallError:
        ...     print("HostCallError")
        HostCallError
    """


def at_decoration(name: str) -> str:
    """The prefix of a message about options given to `host_function` for `name`."""
    return f"`host_function` for `{name}`:"


def at_call(name: str) -> str:
    """The prefix of a message about a call of the decorated function `name`."""
    return f"`{name}`:"
