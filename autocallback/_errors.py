"""Exceptions raised by autocallback."""

from __future__ import annotations

__all__ = ["FormulaError"]


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
