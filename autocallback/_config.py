"""Settings read once from the environment, validated with a warning that names them."""

from __future__ import annotations

import os
import warnings

CALLBACK_MODES = ("auto", "buffer", "pure")


def _warn(variable: str, value: str, accepted: str, using: str) -> None:
    warnings.warn(
        f"autocallback: environment variable {variable}={value!r} is not valid; accepted "
        f"values: {accepted}. Using {using}.",
        RuntimeWarning,
        stacklevel=3,
    )


def thread_count() -> int:
    """Threads for large elementwise host calls: AUTOCALLBACK_THREADS (a positive integer;
    0 or unset: the number of CPUs, at most 8; 1 turns splitting off)."""
    default = min(os.cpu_count() or 1, 8)
    text = os.environ.get("AUTOCALLBACK_THREADS", "").strip()
    if not text:
        return default
    try:
        value = int(text)
    except ValueError:
        value = -1
    if value < 0:
        _warn(
            "AUTOCALLBACK_THREADS",
            text,
            "a whole number >= 0 (0: one per CPU, at most 8; 1: no splitting)",
            f"{default}",
        )
        return default
    return value or default


def callback_mode_setting() -> str:
    """The callback path from AUTOCALLBACK_CALLBACK: "auto" (default), "buffer" or "pure"."""
    text = os.environ.get("AUTOCALLBACK_CALLBACK", "").strip()
    if not text:
        return "auto"
    if text not in CALLBACK_MODES:
        _warn("AUTOCALLBACK_CALLBACK", text, ", ".join(CALLBACK_MODES), '"auto"')
        return "auto"
    return text


def native_setting() -> bool:
    """Whether native kernels are used: AUTOCALLBACK_NATIVE ("1", default, or "0")."""
    text = os.environ.get("AUTOCALLBACK_NATIVE", "").strip()
    if not text:
        return True
    if text not in ("0", "1"):
        _warn("AUTOCALLBACK_NATIVE", text, '"1" (native kernels on CPU) or "0" (off)', '"1"')
        return True
    return text == "1"
