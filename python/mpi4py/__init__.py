"""MPI for Python, implemented in C over LiteMPI.

This package provides the mpi4py API (``from mpi4py import MPI``) for LiteMPI: the
``MPI`` extension module, the runtime configuration ``rc`` read when ``MPI`` is first
imported, and the command line entry point ``python -m mpi4py``.
"""

__version__ = '3.1.4'
__author__ = 'LiteMPI developers'


class Rc:
    """Runtime configuration, read when ``mpi4py.MPI`` is first imported.

    initialize: call MPI_Init_thread at import (unless MPI is already initialized).
    threads: initialize with thread support (False means MPI_THREAD_SINGLE).
    thread_level: 'multiple', 'serialized', 'funneled' or 'single'.
    finalize: call MPI_Finalize at exit (None: only if the import initialized MPI).
    fast_reduce: use tree-based reductions for lower-case reduce/allreduce.
    recv_mprobe: receive objects by matched probe (always done; kept for compatibility).
    errors: 'exception' (set ERRORS_RETURN, raise MPI.Exception), 'default' or 'fatal'.
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

    def __setattr__(self, name, value):
        if not hasattr(self, name):
            raise TypeError(f"object has no attribute {name!r}")
        super().__setattr__(name, value)

    def __call__(self, **kwargs):
        for key in kwargs:
            if not hasattr(self, key):
                raise TypeError(f"unexpected argument {key!r}")
        for key, value in kwargs.items():
            setattr(self, key, value)

    def __repr__(self):
        return f'<{__name__}.rc>'


rc = Rc()


def get_include():
    """Return the directory holding the C header ``mpi4py/mpi4py.h``."""
    from os.path import dirname, join
    return join(dirname(__file__), 'include')


def get_config():
    """Return a dict with the compiler wrappers used for MPI programs (mpicc, ...)."""
    import shutil
    config = {}
    for name in ('mpicc', 'mpicxx', 'mpiexec'):
        path = shutil.which(name)
        if path:
            config[name] = path
    return config


def profile(name='MPE', *, path=None, logfile=None):
    """Accepted for compatibility: LiteMPI has no PMPI profiling libraries to preload."""
    del name, path, logfile
