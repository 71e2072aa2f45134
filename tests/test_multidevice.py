"""Several devices: per-shard host calls, sharding kept, shard_map, concurrency.

The cases need 4 CPU devices, which must be configured before JAX starts, so they run in
a subprocess (see multidevice_cases.py).
"""

import os
import pathlib
import subprocess
import sys

CASES = pathlib.Path(__file__).with_name("multidevice_cases.py")
EXPECTED = [
    f"OK {kind} {case}"
    for kind in ("Explicit", "Auto")
    for case in (
        "value per shard",
        "grad per shard",
        "vmap keeps sharding",
        "replicated input, work done once",
        "indivisible size, one call",
        "broadcasting operand",
        "grad inside shard_map",
    )
] + [f"OK {kind} 2x2 mesh keeps P('a', 'b')" for kind in ("Explicit", "Auto")]
EXPECTED += ["OK concurrent calls", "OK user rules inside shard_map"]


def test_multidevice_cases():
    env = dict(os.environ, XLA_FLAGS="--xla_force_host_platform_device_count=4")
    proc = subprocess.run(
        [sys.executable, str(CASES)], capture_output=True, text=True, env=env, timeout=600
    )
    lines = [line for line in proc.stdout.splitlines() if line.startswith("OK ")]
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert lines == EXPECTED
