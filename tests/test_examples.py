"""Every script in `examples/` runs to completion.

Each example runs in its own subprocess (so `examples/sharded.py` can ask XLA for four
devices before JAX starts), from the repository root, with the non-interactive `Agg`
backend, and writes its figures to a temporary folder instead of `docs/images/`.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = sorted((ROOT / "examples").glob("*.py"))
TIMEOUT_S = 600


def test_examples_exist():
    assert len(EXAMPLES) >= 7, [p.name for p in EXAMPLES]


@pytest.mark.parametrize("script", EXAMPLES, ids=[p.stem for p in EXAMPLES])
def test_example_runs(script: Path, tmp_path: Path):
    env = dict(os.environ)
    env["MPLBACKEND"] = "Agg"
    env["AUTOCALLBACK_FIGURES"] = str(tmp_path)
    # Examples run in JAX's default configuration, whatever the test session uses.
    for var in ("JAX_ENABLE_X64", "XLA_FLAGS"):
        env.pop(var, None)
    result = subprocess.run(
        [sys.executable, str(script)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=TIMEOUT_S,
        check=False,
    )
    assert result.returncode == 0, (
        f"{script.name} exited with {result.returncode}\n"
        f"--- stdout ---\n{result.stdout[-4000:]}\n--- stderr ---\n{result.stderr[-8000:]}"
    )
