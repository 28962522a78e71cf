"""A Python exception in a user-defined reduction during a collective aborts the whole job
with the traceback (the other processes already combined with this one's result), as in
mpi4py; Op.Reduce_local raises it instead. Run by one plain python3 (not under mpiexec):
each test starts its own job with LITEMPI_MPIEXEC."""
import os
import subprocess
import sys
import textwrap
import time

import pytest

MPIEXEC = os.environ.get('LITEMPI_MPIEXEC')
pytestmark = pytest.mark.skipif(not MPIEXEC, reason='LITEMPI_MPIEXEC not set (run by ctest)')

PROGRAM = textwrap.dedent('''
    import numpy as np
    from mpi4py import MPI
    def boom(a, b, t):
        raise ZeroDivisionError('boom in op')
    op = MPI.Op.Create(boom, commute=True)
    try:
        op.Reduce_local(np.ones(4), np.zeros(4))
    except ZeroDivisionError:
        print('Reduce_local raised', flush=True)
    MPI.COMM_WORLD.Allreduce(np.ones(4), np.zeros(4), op=op)
    print('not reached', flush=True)
''')


def test_exception_in_collective_aborts(tmp_path):
    prog = tmp_path / 'prog.py'
    prog.write_text(PROGRAM)
    start = time.monotonic()
    proc = subprocess.run([MPIEXEC, '-n', '2', '--timeout', '20', sys.executable, str(prog)],
                          capture_output=True, text=True, timeout=60, check=False)
    assert proc.stdout.count('Reduce_local raised') == 2
    assert 'not reached' not in proc.stdout
    assert proc.returncode != 0 and time.monotonic() - start < 15
    assert 'ZeroDivisionError: boom in op' in proc.stderr
    assert 'user-defined reduction operation' in proc.stderr
