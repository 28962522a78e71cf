"""python -m mpi4py.bench: helloworld (the manual's section 7.4 output), ringtest and
pingpong with their options. Run by one plain python3 that starts the jobs."""
import os
import re
import subprocess
import sys

import pytest

MPIEXEC = os.environ.get('LITEMPI_MPIEXEC')
pytestmark = pytest.mark.skipif(not MPIEXEC, reason='LITEMPI_MPIEXEC not set (run by ctest)')


def bench(np, *args):
    cmd = [MPIEXEC, '-n', str(np), '--timeout', '30', sys.executable, '-m', 'mpi4py.bench',
           *args]
    return subprocess.run(cmd, capture_output=True, text=True, timeout=60, check=False)


def processor_name():
    out = subprocess.run([sys.executable, '-c',
                          'from mpi4py import MPI; print(MPI.Get_processor_name())'],
                         capture_output=True, text=True, check=True).stdout
    return out.strip()


@pytest.mark.parametrize('np', [1, 3])
def test_helloworld(np):
    proc = bench(np, 'helloworld')
    assert proc.returncode == 0, proc.stderr
    name = processor_name()
    assert sorted(proc.stdout.splitlines()) == [
        f'Hello, World! I am process {r} of {np} on {name}.' for r in range(np)]


def test_helloworld_quiet():
    proc = bench(2, 'helloworld', '-q')
    assert (proc.returncode, proc.stdout) == (0, ''), proc.stderr


class FakeComm:
    """Enough of a communicator for helloworld's rank-order token (rank 3 of 11)."""

    def __init__(self, size, rank):
        self.size, self.rank = size, rank

    def Get_size(self):
        return self.size

    def Get_rank(self):
        return self.rank

    def Barrier(self):
        pass

    def send(self, obj, dest, tag=0):
        pass

    def recv(self, buf=None, source=0, tag=0):
        return None


def test_helloworld_pads_ranks():
    # As in the manual: ranks are right-aligned to the width of the largest one.
    from mpi4py import bench as mpibench
    line = mpibench.helloworld(FakeComm(11, 3), ['-q'])
    assert line == f'Hello, World! I am process  3 of 11 on {processor_name()}.\n'
    line = mpibench.helloworld(FakeComm(11, 10), [], verbose=False)
    assert line.startswith('Hello, World! I am process 10 of 11 on ')


@pytest.mark.parametrize('np', [2, 3])
def test_ringtest(np):
    proc = bench(np, 'ringtest', '-n', '100', '-s', '2', '-l', '10')
    assert proc.returncode == 0, proc.stderr
    assert re.fullmatch(rf'time for 10 loops = \S+ seconds \({np} processes, 100 bytes\)\n',
                        proc.stdout)
    proc = bench(np, 'ringtest', '--quiet', '--size', '0')
    assert (proc.returncode, proc.stdout) == (0, ''), proc.stderr


def test_ringtest_one_process():
    proc = bench(1, 'ringtest', '-n', '10', '-l', '5')
    assert proc.returncode == 0, proc.stderr
    assert re.fullmatch(r'time for 5 loops = \S+ seconds \(1 processes, 10 bytes\)\n',
                        proc.stdout)


def pingpong_rows(out):
    rows = [line.split() for line in out.splitlines() if not line.startswith('#')]
    assert all(len(row) == 3 for row in rows), out
    return [int(row[0]) for row in rows], [float(row[1]) for row in rows]


@pytest.mark.parametrize('mode', [[], ['-a', 'numpy'], ['--pickle']])
def test_pingpong(mode):
    proc = bench(3, 'pingpong', '-m', '0', '-n', '1024', '-s', '2', '-l', '20', '-t', '256',
                 '-S', '1', '-L', '5', *mode)
    assert proc.returncode == 0, proc.stderr
    header = proc.stdout.splitlines()[:2]
    assert header[0].startswith('# mpi4py.bench pingpong: ') and 'ranks 0 and 1' in header[0]
    assert header[1].split() == ['#', 'size', '[B]', 'latency', '[us]', 'bandwidth', '[MB/s]']
    sizes, latencies = pingpong_rows(proc.stdout)
    assert sizes == [0, 1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024]
    assert all(t > 0 for t in latencies)


def test_pingpong_quiet_and_no_header():
    proc = bench(2, 'pingpong', '-q', '-n', '8', '-l', '5')
    assert (proc.returncode, proc.stdout) == (0, ''), proc.stderr
    proc = bench(2, 'pingpong', '--no-header', '-m', '4', '-n', '8', '-l', '5')
    assert proc.returncode == 0, proc.stderr
    assert pingpong_rows(proc.stdout)[0] == [4, 8]


def test_unknown_command_and_help():
    proc = bench(2, 'bogus')
    assert proc.returncode == 2 and "unknown command 'bogus'" in proc.stderr
    proc = subprocess.run([sys.executable, '-m', 'mpi4py.bench', '--help'],
                          capture_output=True, text=True, check=False)
    assert proc.returncode == 0 and 'helloworld, ringtest, pingpong' in proc.stdout
    for command in ('helloworld', 'ringtest', 'pingpong'):
        proc = subprocess.run([sys.executable, '-m', 'mpi4py.bench', command, '--help'],
                              capture_output=True, text=True, check=False)
        assert proc.returncode == 0 and f'mpi4py.bench {command}' in proc.stdout
