"""The executors: MPIPoolExecutor and the MPICommExecutor context manager.

An executor is a client of a pool (see _core): it checks its arguments, encodes tasks and
queues them; the pool's manager thread runs them on the workers. map() and starmap() submit
every task (or chunk of tasks) at once and hand back a generator over the results.
"""
import itertools
import os
import sys
import threading
import time
import weakref
from concurrent.futures import Executor, Future, as_completed

from . import _core

__all__ = ['MPIPoolExecutor', 'MPICommExecutor']

_MAP_BATCH = 128  # map() queues its tasks in batches of this many


def _options(max_workers, initializer, initargs, kwargs):
    """Checks the executor's arguments; returns (max_workers, header, init) for the pool."""
    if max_workers is None:
        env = os.environ.get('MPI4PY_MAX_WORKERS')
        max_workers = int(env) if env else None
    if max_workers is not None:
        if isinstance(max_workers, bool) or not isinstance(max_workers, int):
            raise TypeError('max_workers must be an int or None, '
                            f'not {type(max_workers).__name__}')
        if max_workers <= 0:
            raise ValueError('max_workers must be greater than 0')
    if initializer is not None and not callable(initializer):
        raise TypeError('initializer must be a callable')
    initargs = tuple(initargs)
    namespace = dict(kwargs.get('globals') or ())
    path = [os.fspath(entry) for entry in kwargs.get('path') or ()]
    wdir = kwargs.get('wdir')
    wdir = None if wdir is None else os.fspath(wdir)
    env = {str(key): str(value) for key, value in dict(kwargs.get('env') or ()).items()}
    main = bool(kwargs.get('main', True))
    header = (main, path, wdir, env) if (main or path or wdir or env) else None
    init = (namespace, initializer, initargs) if (namespace or initializer) else None
    return max_workers, header, init


class MPIPoolExecutor(Executor):
    """An executor running calls in a pool of MPI worker processes.

    The workers are ranks 1..N-1 of ``mpiexec -n N python -m mpi4py.futures script.py``,
    shared by every executor the script creates (LiteMPI cannot spawn processes: used
    elsewhere, the first submit() raises NotImplementedError saying how to run).

    max_workers: most workers this executor uses at once (default: ``MPI4PY_MAX_WORKERS``
    if set, else all). initializer(*initargs) runs in each worker before its first task of
    this executor; if it raises, the executor is broken (BrokenExecutor). Other options,
    applied in each worker before its first task: ``globals`` (names set in ``__main__``),
    ``main`` (False: do not import the main script as ``__worker__``), ``path`` (appended to
    ``sys.path``), ``wdir`` (``os.chdir``), ``env`` (``os.environ.update``).
    ``python_exe``, ``python_args`` and ``mpi_info`` configure spawning: accepted, unused.
    """

    def __init__(self, max_workers=None, initializer=None, initargs=(), **kwargs):
        self._max, self._header, self._init = _options(max_workers, initializer, initargs,
                                                       kwargs)
        self._get_pool = _core.world_pool
        self._own_pool = None     # the pool to close at shutdown (MPICommExecutor's)
        self._pool = None
        self._client = None
        self._lock = threading.Lock()
        self._shut = False

    def _attach(self):
        """This executor's pool and client, attached on first use."""
        with self._lock:
            if self._shut:
                raise RuntimeError('cannot submit after shutdown')
            if self._client is None:
                pool = self._get_pool()
                if self._header is not None and self._header[0] and pool is _core._world:
                    # Results may hold objects of classes that the workers' main script
                    # defines in its module, named __worker__ there.
                    sys.modules.setdefault('__worker__', sys.modules['__main__'])
                self._client = pool.attach(self._max, self._header, self._init)
                self._pool = pool
                # An executor dropped without shutdown() releases its share of the pool
                # once its tasks are done.
                weakref.finalize(self, pool.shutdown, self._client, False, False)
            return self._pool, self._client

    @property
    def _max_workers(self):
        if self._client is not None:
            return self._client.max_workers
        try:
            size = self._get_pool().size
        except (RuntimeError, NotImplementedError):
            return self._max
        return size if self._max is None else min(self._max, size)

    def bootup(self, wait=True):
        """Make the executor ready for submissions now (done by the first submit otherwise);
        returns the executor. Raises where there are no workers."""
        del wait  # the workers are up from the start: nothing to wait for
        self._attach()
        return self

    bootstrap = bootup

    def submit(self, fn, /, *args, **kwargs):
        """Schedule ``fn(*args, **kwargs)``; returns its Future."""
        pool, client = self._attach()
        future = Future()
        task = pool.task(future, fn, args, kwargs)
        if task is not None:
            pool.submit(client, [task])
        return future

    def map(self, fn, *iterables, timeout=None, chunksize=1, unordered=False):
        """Like ``map(fn, *iterables)``, the calls made in the workers: an iterator over the
        results, in order (or as they complete with ``unordered=True``). Calls go in chunks
        of ``chunksize``; ``timeout`` (seconds from this call) bounds the wait for each
        result (TimeoutError); a call's exception is raised when its result is reached."""
        return self.starmap(fn, zip(*iterables), timeout, chunksize, unordered)

    def starmap(self, fn, iterable, timeout=None, chunksize=1, unordered=False):
        """Like ``itertools.starmap(fn, iterable)``, the calls made in the workers (see
        map())."""
        if chunksize < 1:
            raise ValueError('chunksize must be >= 1.')
        end = None if timeout is None else time.monotonic() + timeout
        pool, client = self._attach()
        if chunksize == 1:
            calls = ((fn, args) for args in iterable)
        else:
            iterator = iter(iterable)
            chunks = iter(lambda: list(itertools.islice(iterator, chunksize)), [])
            calls = ((_run_chunk, (fn, chunk)) for chunk in chunks)
        futures, tasks = [], []
        for call, args in calls:
            future = Future()
            futures.append(future)
            task = pool.task(future, call, tuple(args), {})
            if task is not None:
                tasks.append(task)
            if len(tasks) == _MAP_BATCH:  # the workers start while the rest is encoded
                pool.submit(client, tasks)
                tasks = []
        pool.submit(client, tasks)
        return _results(futures, end, unordered, chunksize > 1)

    def shutdown(self, wait=True, *, cancel_futures=False):
        """No more submissions; with `cancel_futures`, cancel the tasks not started; with
        `wait`, return when every task is done (and an MPICommExecutor's workers are
        released)."""
        with self._lock:
            self._shut = True
            pool, client = self._pool, self._client
        if client is not None:
            pool.shutdown(client, wait, cancel_futures)
        if self._own_pool is not None:
            self._own_pool.close(wait)


def _run_chunk(fn, chunk):
    """Runs a chunk of map() calls in a worker."""
    return [fn(*args) for args in chunk]


def _results(futures, end, unordered, chunked):
    """The generator map() returns; the calls not started yet are cancelled if it is
    dropped before the end or raises."""
    def remaining():
        return None if end is None else end - time.monotonic()

    def results():
        pending = futures
        try:
            if unordered:
                pending = set(futures)
                for future in as_completed(futures, remaining()):
                    pending.discard(future)
                    if chunked:
                        yield from future.result()
                    else:
                        yield future.result()
            else:
                futures.reverse()
                while futures:
                    result = futures[-1].result(remaining())
                    futures.pop()
                    if chunked:
                        yield from result
                    else:
                        yield result
                    del result
        finally:
            for future in pending:
                future.cancel()
    return results()


class MPICommExecutor:
    """Context manager giving an MPIPoolExecutor at rank `root` of `comm` (default
    COMM_WORLD), whose workers are the other ranks; those get None, after serving until the
    executor is shut down. Collective over `comm`. On a communicator of one process the
    executor runs the tasks in a thread. Keyword arguments are MPIPoolExecutor's."""

    def __init__(self, comm=None, root=0, **kwargs):
        from .. import MPI
        if comm is None:
            comm = MPI.COMM_WORLD
        if not isinstance(comm, MPI.Comm):
            raise TypeError(f'expecting an MPI.Comm, not {type(comm).__name__}')
        if comm.Is_inter():
            raise ValueError('expecting an intracommunicator')
        if not 0 <= root < comm.Get_size():
            raise ValueError('expecting root in range(comm.size)')
        # The executor's arguments are checked here, on every rank, so that a bad one
        # raises everywhere instead of at the root only.
        _options(kwargs.get('max_workers'), kwargs.get('initializer'),
                 kwargs.get('initargs', ()), kwargs)
        self._comm = comm
        self._root = root
        self._kwargs = kwargs
        self._executor = None

    def __enter__(self):
        comm, root = self._comm, self._root
        if comm.Get_size() == 1:
            return self._start(_core.ThreadPool())
        comm = comm.Dup()
        if comm.Get_rank() == root:
            workers = [rank for rank in range(comm.Get_size()) if rank != root]
            return self._start(_core.MPIPool(comm, workers))
        try:
            _core.serve(comm, root)
        finally:
            comm.Free()
        return None

    def _start(self, pool):
        try:
            executor = MPIPoolExecutor(**self._kwargs)
        except BaseException:
            pool.close()
            raise
        executor._get_pool = lambda: pool
        executor._own_pool = pool
        self._executor = executor
        return executor

    def __exit__(self, *exc_info):
        executor, self._executor = self._executor, None
        if executor is not None:
            executor.shutdown(wait=True)
            if executor._own_pool.broken is not None:
                # The workers cannot be reached to be released: end the job, not hang it.
                self._comm.Abort(1)
        return False
