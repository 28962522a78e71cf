"""The package installed the two documented ways, then imported from there by a 2-rank job:
`cmake --install` into a private prefix (-k cmake) and `pip install ./python` offline into
a private target, built against that prefix (-k pip; skipped without pip and setuptools).
Run by one plain python3 with LITEMPI_BUILD_DIR and LITEMPI_SOURCE_DIR set by ctest."""
import os
import shutil
import subprocess
import sys
import sysconfig

import pytest

BUILD = os.environ.get('LITEMPI_BUILD_DIR')
SOURCE = os.environ.get('LITEMPI_SOURCE_DIR')
pytestmark = pytest.mark.skipif(not (BUILD and SOURCE),
                                reason='LITEMPI_BUILD_DIR/LITEMPI_SOURCE_DIR not set')
PYVER = f'python{sys.version_info[0]}.{sys.version_info[1]}'

# Run by each rank: where everything came from, as one line.
PROBE = '''
import mpi4py
from mpi4py import MPI
libs = {l.split()[-1] for l in open('/proc/self/maps') if 'liblitempi' in l}
print(MPI.COMM_WORLD.Get_rank(), MPI.COMM_WORLD.Get_size(), MPI.__file__,
      mpi4py.get_config()['mpicc'], mpi4py.get_include(), *sorted(libs))
'''


def run(cmd, **kwargs):
    proc = subprocess.run(cmd, capture_output=True, text=True, check=False, **kwargs)
    assert proc.returncode == 0, f'{cmd}\n{proc.stdout}\n{proc.stderr}'
    return proc.stdout


def probe(mpiexec, site):
    env = dict(os.environ, PYTHONPATH=str(site))
    out = run([str(mpiexec), '-n', '2', '--timeout', '30', sys.executable, '-c', PROBE],
              env=env, cwd='/')
    rows = sorted(line.split() for line in out.splitlines())
    assert [row[:2] for row in rows] == [['0', '2'], ['1', '2']], out
    assert rows[0][2:] == rows[1][2:]
    return rows[0][2:]


@pytest.fixture(scope='module')
def prefix(tmp_path_factory):
    prefix = tmp_path_factory.mktemp('install') / 'prefix'
    run(['cmake', '--install', BUILD, '--prefix', str(prefix)])
    return prefix


def test_cmake_install(prefix):
    site = prefix / 'lib' / PYVER / 'site-packages'
    ext, mpicc, include, *libs = probe(prefix / 'bin' / 'mpiexec', site)
    assert ext == str(site / 'mpi4py' / ('MPI' + sysconfig.get_config_var('EXT_SUFFIX')))
    assert mpicc == str(prefix / 'bin' / 'mpicc') and os.access(mpicc, os.X_OK)
    assert os.path.isfile(os.path.join(include, 'mpi4py', 'mpi4py.h'))
    # The extension found the installed library through its relative rpath.
    assert len(libs) == 1 and libs[0].startswith(str(prefix) + '/'), libs
    for name in ('run.py', 'bench.py', '__main__.py', 'mpi.cfg'):
        assert (site / 'mpi4py' / name).is_file()


def _have_pip():
    from importlib.util import find_spec  # pylint: disable=import-outside-toplevel
    return find_spec('pip') is not None and find_spec('setuptools') is not None


@pytest.mark.skipif(not _have_pip(),
                    reason='pip or setuptools missing (apt-get install python3-pip)')
def test_pip_install(prefix, tmp_path):
    # A copy of python/, so the build leaves nothing in the source tree.
    src = tmp_path / 'src'
    shutil.copytree(os.path.join(SOURCE, 'python'), src,
                    ignore=shutil.ignore_patterns('build', '*.egg-info', '__pycache__'))
    site = tmp_path / 'site'
    env = dict(os.environ, LITEMPI_PREFIX=str(prefix), PIP_NO_INDEX='1',
               PIP_DISABLE_PIP_VERSION_CHECK='1', PIP_ROOT_USER_ACTION='ignore')
    env.pop('LITEMPI_BUILD_DIR', None)
    run([sys.executable, '-m', 'pip', 'install', '--no-deps', '--target', str(site),
         str(src)], env=env)
    ext, mpicc, include, *libs = probe(prefix / 'bin' / 'mpiexec', site)
    assert ext == str(site / 'mpi4py' / ('MPI' + sysconfig.get_config_var('EXT_SUFFIX')))
    assert mpicc == str(prefix / 'bin' / 'mpicc')
    assert os.path.isfile(os.path.join(include, 'mpi4py', 'mpi4py.h'))
    assert len(libs) == 1 and libs[0].startswith(str(prefix) + '/'), libs
