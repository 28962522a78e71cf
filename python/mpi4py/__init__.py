"""MPI for Python, implemented in C over LiteMPI.

This package provides the mpi4py API (``from mpi4py import MPI``) for LiteMPI: the
``MPI`` extension module, the runtime configuration ``rc`` read when ``MPI`` is first
imported, and the command line entry points ``python -m mpi4py`` (run a script so that an
unhandled exception aborts the whole job) and ``python -m mpi4py.bench``.

Importing this package is cheap on purpose (it runs on every rank of every job): nothing
here imports another module at the top level.
"""

__version__ = '3.1.4'
__author__ = 'LiteMPI developers'
__all__ = ['MPI']


class Rc:
    """Runtime configuration options, read when ``mpi4py.MPI`` is first imported.

    Attributes
    ----------
    initialize : bool
        Initialize MPI at import (default: True).
    threads : bool
        Initialize with thread support (default: True; False means MPI_THREAD_SINGLE).
    thread_level : {"multiple", "serialized", "funneled", "single"}
        Thread support level to request (default: "multiple").
    finalize : None or bool
        Finalize MPI at exit (default: None, only if the import initialized MPI).
    fast_reduce : bool
        Tree-based reductions for objects (default: True).
    recv_mprobe : bool
        Receive objects with matched probes (default: True).
    errors : {"exception", "default", "fatal"}
        Error handling policy (default: "exception": MPI.ERRORS_RETURN on the predefined
        communicators, failures raise MPI.Exception).
    """

    initialize = True
    threads = True
    thread_level = 'multiple'
    finalize = None
    fast_reduce = True
    recv_mprobe = True
    errors = 'exception'

    def __init__(self, **kwargs):
        self(**kwargs)

    def __call__(self, **kwargs):
        """Set several options at once: ``rc(threads=False, errors='fatal')``."""
        for key in kwargs:
            if not hasattr(self, key):
                raise TypeError(f"unexpected argument '{key}'")
        for key, value in kwargs.items():
            setattr(self, key, value)

    def __repr__(self):
        return f'<{__name__}.rc>'


rc = Rc()


def get_include():
    """Return the directory holding the C header ``mpi4py/mpi4py.h``.

    C extensions that take or return mpi4py objects compile with this directory on their
    include path (plus ``mpicc``'s flags) and call ``import_mpi4py()`` at module init.
    """
    from os.path import dirname, join
    return join(dirname(__file__), 'include')


def get_config():
    """Return a dict describing the MPI this package was built with.

    Keys: ``mpicc``, ``mpicxx`` (the compiler wrappers), ``include_dirs``,
    ``library_dirs``, ``libraries``. Empty when the build left no ``mpi.cfg``.
    """
    from configparser import ConfigParser
    from os.path import dirname, join
    parser = ConfigParser()
    parser.read(join(dirname(__file__), 'mpi.cfg'), encoding='utf-8')
    return dict(parser.items('mpi')) if parser.has_section('mpi') else {}


def profile(name, *, path=None, logfile=None):
    """Accepted for compatibility; does nothing.

    mpi4py preloads an MPI profiling library (MPE, VampirTrace) here. LiteMPI ships
    none; tools that intercept MPI calls through the PMPI names still work when they are
    preloaded with ``LD_PRELOAD``.
    """
    if not isinstance(name, str):
        raise TypeError(f"profile() name must be str, not {type(name).__name__}")
