"""Execute computations asynchronously on a pool of MPI processes.

``concurrent.futures`` over MPI: ``MPIPoolExecutor`` runs calls in worker processes and
returns ``Future`` objects, which ``wait()`` and ``as_completed()`` accept along with those
of the standard executors (re-exported here with the rest of ``concurrent.futures``).

LiteMPI has no dynamic process management (``MPI_Comm_spawn``), so the workers are started
with the job, in one of two ways:

- ``mpiexec -n N python -m mpi4py.futures script.py [arg] ...``: rank 0 runs the script,
  ranks 1..N-1 are the workers of every ``MPIPoolExecutor`` it creates. Elsewhere,
  ``MPIPoolExecutor`` raises ``NotImplementedError`` on its first submit.
- ``with MPICommExecutor(comm, root) as executor:`` in a program run on every rank: rank
  `root` of `comm` gets an executor whose workers are the other ranks, which get None.
"""
from concurrent.futures import (ALL_COMPLETED, FIRST_COMPLETED, FIRST_EXCEPTION,
                                BrokenExecutor, CancelledError, Executor, Future,
                                InvalidStateError, TimeoutError, as_completed, wait)

from .pool import MPICommExecutor, MPIPoolExecutor

__all__ = [
    'Future', 'Executor', 'wait', 'FIRST_COMPLETED', 'FIRST_EXCEPTION', 'ALL_COMPLETED',
    'as_completed', 'CancelledError', 'TimeoutError', 'InvalidStateError', 'BrokenExecutor',
    'MPIPoolExecutor', 'MPICommExecutor', 'ThreadPoolExecutor', 'ProcessPoolExecutor',
]


def __getattr__(name):
    # The standard executors load on first use, as in concurrent.futures (the process
    # pool imports multiprocessing, which every rank would pay for otherwise).
    if name in ('ThreadPoolExecutor', 'ProcessPoolExecutor'):
        import concurrent.futures
        return getattr(concurrent.futures, name)
    raise AttributeError(f'module {__name__!r} has no attribute {name!r}')


def __dir__():
    return sorted(set(globals()) | {'ThreadPoolExecutor', 'ProcessPoolExecutor'})
