"""pip packaging of LiteMPI's mpi4py: ``pip install ./python`` (offline, no download).

Builds the MPI extension from src/*.c against a liblitempi found, first match wins, by
  LITEMPI_BUILD_DIR=<cmake build dir>   its lib/pkgconfig/litempi.pc (the build tree)
  LITEMPI_PREFIX=<install prefix>       <prefix>/lib*/pkgconfig/litempi.pc
  pkg-config litempi                    the usual PKG_CONFIG_PATH search
  ../build                              the repository's build tree next to this folder
and links it with an rpath to that library. Only setuptools (Debian: python3-setuptools) is
needed; there is deliberately no pyproject.toml, so pip builds with the setuptools already
installed instead of downloading one into an isolated environment. With a pip that insists
on build isolation, add --no-build-isolation.
"""
import functools
import glob
import os
import re
import shlex
import subprocess

from setuptools import Extension, setup
from setuptools.command.build_ext import build_ext
from setuptools.command.build_py import build_py

HERE = os.path.dirname(os.path.abspath(__file__))


def _version():
    with open(os.path.join(HERE, 'mpi4py', '__init__.py'), encoding='utf-8') as f:
        return re.search(r"^__version__ = '([^']+)'", f.read(), re.M).group(1)


@functools.lru_cache(maxsize=None)
def _pc_path():
    """The folder holding litempi.pc to search first, or None for pkg-config's default."""
    build = os.environ.get('LITEMPI_BUILD_DIR')
    if build:
        return os.path.join(os.path.abspath(build), 'lib', 'pkgconfig')
    prefix = os.environ.get('LITEMPI_PREFIX')
    if prefix:
        found = sorted(glob.glob(os.path.join(os.path.abspath(prefix), 'lib*', '**',
                                              'litempi.pc'), recursive=True))
        if not found:
            raise SystemExit(f'LITEMPI_PREFIX={prefix}: no lib*/**/litempi.pc under it')
        return os.path.dirname(found[0])
    try:
        if subprocess.run(['pkg-config', '--exists', 'litempi'], check=False).returncode == 0:
            return None
    except FileNotFoundError:
        raise SystemExit('pkg-config not found (apt-get install pkg-config)') from None
    repo = os.path.join(os.path.dirname(HERE), 'build', 'lib', 'pkgconfig')
    return repo if os.path.exists(os.path.join(repo, 'litempi.pc')) else None


def _pkg_config(*args):
    """pkg-config's answer for litempi, split into words."""
    env = dict(os.environ)
    if _pc_path():
        env['PKG_CONFIG_PATH'] = os.pathsep.join(filter(None, [_pc_path(),
                                                               env.get('PKG_CONFIG_PATH')]))
    try:
        out = subprocess.run(['pkg-config', *args, 'litempi'], env=env, check=True,
                             capture_output=True, text=True).stdout
    except FileNotFoundError:
        raise SystemExit('pkg-config not found (apt-get install pkg-config)') from None
    except subprocess.CalledProcessError:
        raise SystemExit('liblitempi not found: build LiteMPI first and set '
                         'LITEMPI_BUILD_DIR to its build directory, or LITEMPI_PREFIX to '
                         'its install prefix') from None
    return shlex.split(out)


def _strip(flags, prefix):
    return [f[len(prefix):] for f in flags if f.startswith(prefix)]


class BuildExt(build_ext):
    """Takes the compile and link flags of liblitempi from pkg-config at build time."""

    def run(self):
        libdir = _pkg_config('--variable=libdir')[0]
        for ext in self.extensions:
            ext.include_dirs += _strip(_pkg_config('--cflags-only-I'), '-I')
            ext.library_dirs += _strip(_pkg_config('--libs-only-L'), '-L')
            ext.libraries += _strip(_pkg_config('--libs-only-l'), '-l')
            ext.runtime_library_dirs.append(libdir)
        super().run()


class BuildPy(build_py):
    """Also writes mpi4py/mpi.cfg (what mpi4py.get_config() returns) for the MPI found."""

    def run(self):
        super().run()
        bindir = os.path.join(_pkg_config('--variable=prefix')[0], 'bin')
        cfg = os.path.join(self.build_lib, 'mpi4py', 'mpi.cfg')
        with open(cfg, 'w', encoding='utf-8') as f:
            f.write('# mpi.cfg - the MPI this mpi4py was built with, as '
                    'mpi4py.get_config() returns it.\n'
                    '[mpi]\n'
                    f'mpicc = {bindir}/mpicc\n'
                    f'mpicxx = {bindir}/mpicxx\n'
                    f"include_dirs = {_pkg_config('--variable=includedir')[0]}\n"
                    f"library_dirs = {_pkg_config('--variable=libdir')[0]}\n"
                    'libraries = litempi\n')


setup(
    name='mpi4py',
    version=_version() + '+litempi',
    description='MPI for Python (the mpi4py API), implemented in C over LiteMPI',
    python_requires='>=3.8',
    packages=['mpi4py'],
    package_data={'mpi4py': ['include/mpi4py/*.h']},
    ext_modules=[Extension(
        'mpi4py.MPI',
        sources=sorted(glob.glob(os.path.join('src', '*.c'))),
        depends=[os.path.join('src', 'pympi.h')],
        extra_compile_args=['-std=gnu11', '-fvisibility=hidden'],
    )],
    cmdclass={'build_ext': BuildExt, 'build_py': BuildPy},
    zip_safe=False,
)
