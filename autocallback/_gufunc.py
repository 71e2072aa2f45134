"""NumPy gufunc signatures ("(n),(n)->()"), parsed with NumPy's own grammar."""

from __future__ import annotations

import re
from collections.abc import Sequence

import numpy as np

from ._errors import at_call, at_decoration


class GufuncSignature:
    """A parsed NumPy gufunc signature, e.g. "(n),(n)->()"."""

    def __init__(self, text: str, name: str = "?"):
        self.text = text
        self.inputs, self.outputs = _parse_gufunc_signature(text, name)

    @property
    def all_scalar(self) -> bool:
        return all(len(c) == 0 for c in (*self.inputs, *self.outputs))

    def resolve(self, name: str, params: Sequence[str], shapes: Sequence[tuple[int, ...]]):
        """Loop shape, the core-dimension sizes and the output shapes for input shapes."""
        if len(shapes) != len(self.inputs):
            raise TypeError(
                f"`{name}` has signature {self.text!r} with {len(self.inputs)} input(s) but "
                f"{len(shapes)} array argument(s). Make the signature match the non-static "
                f"arguments, or mark the others in `static_argnames`."
            )
        sizes: dict[str, int] = {}
        loops = []
        for param, shape, core in zip(params, shapes, self.inputs, strict=True):
            if len(shape) < len(core):
                raise ValueError(
                    f"{at_call(name)} argument '{param}' has shape {shape}, but signature "
                    f"{self.text!r} needs at least {len(core)} dimension(s) {core} for it."
                )
            core_shape = shape[len(shape) - len(core) :] if core else ()
            for dim, size in zip(core, core_shape, strict=True):
                if dim.isdigit():
                    if int(dim) != size:
                        raise ValueError(
                            f"{at_call(name)} argument '{param}' has core dimension {size} where "
                            f"signature {self.text!r} fixes it to {dim}."
                        )
                elif sizes.setdefault(dim, size) != size:
                    raise ValueError(
                        f"{at_call(name)} core dimension '{dim}' of signature {self.text!r} is "
                        f"{sizes[dim]} in one argument and {size} in '{param}'."
                    )
            loops.append(shape[: len(shape) - len(core)])
        try:
            loop = tuple(np.broadcast_shapes(*loops)) if loops else ()
        except ValueError:
            raise ValueError(
                f"{at_call(name)} the loop dimensions {loops} of the arguments do not broadcast "
                f"(signature {self.text!r})."
            ) from None
        outs = []
        for core in self.outputs:
            dims = []
            for dim in core:
                if dim.isdigit():
                    dims.append(int(dim))
                elif dim in sizes:
                    dims.append(sizes[dim])
                else:
                    raise ValueError(
                        f"{at_call(name)} output core dimension '{dim}' of signature {self.text!r} "
                        f"appears in no input, so its size is unknown. Pass `out=` instead."
                    )
            outs.append(loop + tuple(dims))
        return loop, outs


def _parse_gufunc_signature(
    text: str, name: str
) -> tuple[list[tuple[str, ...]], list[tuple[str, ...]]]:
    try:  # NumPy's own grammar
        from numpy.lib._function_base_impl import (
            _parse_gufunc_signature as parse,  # pyright: ignore[reportAttributeAccessIssue]
        )
    except ImportError:  # pragma: no cover - older/newer NumPy
        parse = _fallback_parse
    try:
        ins, outs = parse(text.replace(" ", ""))
    except (ValueError, TypeError) as e:
        raise ValueError(
            f"{at_decoration(name)} {text!r} is not a valid gufunc signature ({e}). Use NumPy's "
            f'grammar, e.g. "(n),(n)->()" or "(m,n),(n)->(m)".'
        ) from None
    return [tuple(c) for c in ins], [tuple(c) for c in outs]


_DIM = r"\s*\w+\s*"
_CORE = rf"\((?:{_DIM}(?:,{_DIM})*)?\)"
_LIST = rf"{_CORE}(?:,{_CORE})*"
_SIG = re.compile(rf"^{_LIST}->{_LIST}$")


def _fallback_parse(text: str):
    if not _SIG.match(text):
        raise ValueError("not a valid gufunc signature")
    ins, outs = text.split("->")

    def cores(part: str):
        return [
            tuple(d.strip() for d in c.split(",") if d.strip())
            for c in re.findall(r"\(([^)]*)\)", part)
        ]

    return cores(ins), cores(outs)


def parse_signature(text: str, name: str) -> GufuncSignature:
    """The parsed signature `text` of the function `name` (for messages)."""
    if not isinstance(text, str):
        raise TypeError(
            f"{at_decoration(name)} signature= must be a string, got {type(text).__name__}."
        )
    return GufuncSignature(text, name)
