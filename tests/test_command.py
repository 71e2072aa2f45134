"""`python -m autocallback check`: rows stream in order, failures name the function, the
argument and the order, and the exit status says whether all passed."""

from __future__ import annotations

import io
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from autocallback._command import run_check

MODULE = textwrap.dedent(
    """
    import numpy as np
    import scipy.special as sc
    import autocallback as ac

    __all__ = ["good", "wrong", "two_args"]

    good = ac.host_function(
        sc.erfcx,
        name="good",
        derivatives={"x": "2 * x * good(x) - 2 / sqrt(pi)"},
        examples=[(0.7,), (2.5,)],
    )
    # The derivative of exp is exp, not 2 exp.
    wrong = ac.host_function(
        np.exp, name="wrong", derivatives={"x": "2 * exp(x)"}, examples=[(0.7,)]
    )
    two_args = ac.host_function(
        sc.poch,
        name="two_args",
        derivatives={
            "z": "two_args(z, m) * (digamma(z + m) - digamma(z))",
            "m": "two_args(z, m) * digamma(z + m)",
        },
        examples=[(2.5, 1.5), (0.7, 3)],
    )
    """
)


@pytest.fixture
def module(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    (tmp_path / "command_sample.py").write_text(MODULE)
    monkeypatch.syspath_prepend(str(tmp_path))
    return "command_sample"


def test_rows_in_order_with_failures_named(module: str):
    out = io.StringIO()
    failures = run_check([module], jobs=1, out=out)
    lines = out.getvalue().splitlines()
    assert lines[0] == f"Checking 3 function(s) of {module} in this process."
    header = next(i for i, line in enumerate(lines) if line.startswith("function"))
    rows = [line for line in lines[header + 2 :] if line.startswith(module)]
    assert [r.split()[0] for r in rows] == [f"{module}.{n}" for n in ("good", "wrong", "two_args")]
    assert rows[0].split()[1:5] == ["ok", "ok", "ok", "ok"]
    assert "FAIL: check of `wrong` failed: derivative of order 1 with respect to 'x'" in rows[1]
    assert rows[2].endswith("  ok")
    assert failures == 1
    assert lines[-1].startswith("3 function(s) checked in ")
    assert lines[-1].endswith(": 2 passed, 1 failed")


def test_command_line_with_workers(module: str, tmp_path: Path):
    env = dict(os.environ, PYTHONPATH=os.pathsep.join([str(tmp_path), *sys.path]))
    result = subprocess.run(
        [sys.executable, "-m", "autocallback", "check", module, "--jobs", "2"],
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
        check=False,
    )
    assert result.returncode == 1, result.stderr[-3000:]
    lines = result.stdout.splitlines()
    assert lines[0] == f"Checking 3 function(s) of {module} in 2 worker processes."
    assert sum(line.startswith(f"{module}.") for line in lines) == 3
    assert "FAIL: check of `wrong`" in result.stdout
    assert result.stdout.rstrip().endswith(": 2 passed, 1 failed")


def test_compilation_cache_dir(module: str, tmp_path: Path):
    # Worker processes store what they compile in the cache folder; a second run finds
    # every program there (the same keys) and stores nothing new.
    cache = tmp_path / "cache"
    env = dict(os.environ, PYTHONPATH=os.pathsep.join([str(tmp_path), *sys.path]))
    for var in ("JAX_COMPILATION_CACHE_DIR", "XLA_FLAGS", "JAX_ENABLE_X64"):
        env.pop(var, None)
    command = [sys.executable, "-m", "autocallback", "check", module, "--jobs", "2"]
    entries = []
    for _ in range(2):
        result = subprocess.run(
            [*command, "--cache-dir", str(cache)],
            capture_output=True,
            text=True,
            env=env,
            timeout=300,
            check=False,
        )
        assert result.returncode == 1, result.stderr[-3000:]
        assert result.stdout.rstrip().endswith(": 2 passed, 1 failed")
        entries.append(sorted(p.name for p in cache.glob("*-cache")))
    assert entries[0], "nothing was stored in the cache folder"
    assert entries[1] == entries[0]


def test_unknown_module_fails():
    out = io.StringIO()
    assert run_check(["no_such_module_here"], jobs=1, out=out) == 1
    assert "cannot import 'no_such_module_here'" in out.getvalue()
