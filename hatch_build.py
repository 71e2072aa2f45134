"""Build hook: compiles autocallback's native kernel library (`autocallback/_kernels.cc`)
into `autocallback/libautocallback_kernels.so` with the system C++ compiler, against the
XLA FFI headers that come with jaxlib. Runs for wheels and editable installs; run it
directly (`python hatch_build.py`) to rebuild in place. If compiling fails, the install
goes on and autocallback uses Python host calls (it warns once, saying why).
"""

from __future__ import annotations

import importlib.util
import os
import shlex
import subprocess
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent
SOURCE = ROOT / "autocallback" / "_kernels.cc"
LIBRARY = ROOT / "autocallback" / "libautocallback_kernels.so"


def _ffi_include() -> Path:
    spec = importlib.util.find_spec("jaxlib")
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError("jaxlib is not installed: its XLA FFI headers are needed")
    include = Path(next(iter(spec.submodule_search_locations))) / "include"
    if not (include / "xla" / "ffi" / "api" / "ffi.h").exists():
        raise RuntimeError(f"jaxlib has no XLA FFI headers under {include}")
    return include


def build_library() -> Path:
    """Compile the library next to its source; returns its path."""
    compiler = shlex.split(os.environ.get("CXX", "c++"))
    command = [
        *compiler,
        "-std=c++17",
        "-O2",
        "-fPIC",
        "-shared",
        f"-I{_ffi_include()}",
        str(SOURCE),
        "-o",
        str(LIBRARY),
    ]
    result = subprocess.run(command, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        raise RuntimeError(f"{shlex.join(command)} failed:\n{result.stderr[-4000:]}")
    return LIBRARY


try:
    from hatchling.builders.hooks.plugin.interface import BuildHookInterface
except ImportError:  # run as a script without hatchling
    BuildHookInterface = object  # type: ignore[assignment,misc]


class NativeKernelsHook(BuildHookInterface):  # type: ignore[misc,valid-type]
    PLUGIN_NAME = "custom"

    def initialize(self, version: str, build_data: dict[str, Any]) -> None:
        try:
            build_library()
        except Exception as e:
            print(
                f"autocallback: the native kernel library was not built ({e}); "
                f"autocallback will use Python host calls.",
                file=sys.stderr,
            )
            return
        build_data["pure_python"] = False
        build_data["infer_tag"] = True
        if version != "editable":
            build_data["artifacts"].append(str(LIBRARY.relative_to(ROOT)))


if __name__ == "__main__":
    print(build_library())
