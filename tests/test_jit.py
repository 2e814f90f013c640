"""games._jit: kernels compile lazily, may call other kernels, and run as plain Python
when compilation is disabled."""

from __future__ import annotations

import subprocess
import sys

import numpy as np

from games._jit import jit


@jit
def _square_sum(v):
    t = 0.0
    for x in v:
        t += x * x
    return t


@jit
def _norms(rows):
    out = np.empty(rows.shape[0])
    for i in range(rows.shape[0]):
        out[i] = np.sqrt(_square_sum(rows[i]))
    return out


def test_a_kernel_calling_a_kernel_gives_the_plain_python_result():
    rows = np.arange(12.0).reshape(4, 3)
    expected = np.linalg.norm(rows, axis=1)
    assert np.allclose(_norms(rows), expected)
    assert np.allclose(_norms.py_func(rows), expected)
    assert _square_sum(np.array([3.0, 4.0])) == 25.0


def test_kernels_run_as_python_when_compilation_is_disabled():
    code = ("import numpy as np, games\n"
            "from games._jit import jit\n"
            "e = games.lemke_howson(games.random_game((6, 5), seed=1), initial_label=2)\n"
            "assert e.regret <= 1e-9\n"
            "import sys; assert 'numba' not in sys.modules\n")
    env = {"MASALIGN_DISABLE_JIT": "1", "PATH": "", "PYTHONPATH": ":".join(sys.path)}
    subprocess.run([sys.executable, "-c", code], check=True, env=env)
