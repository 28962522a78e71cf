"""mpi4py.futures.MPICommExecutor, run on every rank under mpiexec (each test is collective:
every rank enters the same executors in the same order). MPIPoolExecutor and
python -m mpi4py.futures: test_futures.py."""
import threading
import time

import pytest
from mpi4py import MPI
from mpi4py.futures import (BrokenExecutor, Future, MPICommExecutor, MPIPoolExecutor,
                            as_completed)
from mpi4py.futures._core import RemoteTraceback

COMM = MPI.COMM_WORLD
RANK, SIZE = COMM.Get_rank(), COMM.Get_size()
INIT_VALUE = None


def world_rank(delay=0.0):
    time.sleep(delay)
    return MPI.COMM_WORLD.Get_rank()


def fail(text):
    raise ValueError(text)


def init(value):
    global INIT_VALUE
    INIT_VALUE = value


def init_value():
    return INIT_VALUE


def broken_init():
    raise KeyError('init fails')


def test_manual_example():
    with MPICommExecutor(MPI.COMM_WORLD, root=0) as executor:
        if executor is not None:
            future = executor.submit(abs, -42)
            assert future.result() == 42
            answer = set(executor.map(abs, [-42, 42]))
            assert answer == {42}
    COMM.Barrier()


@pytest.mark.parametrize('root', range(4))
def test_root_gets_executor_workers_serve(root):
    if root >= SIZE:
        pytest.skip('root beyond the size')
    with MPICommExecutor(COMM, root) as executor:
        assert (executor is not None) == (RANK == root)
        if executor is not None:
            assert isinstance(executor, MPIPoolExecutor)
            assert executor._max_workers == max(SIZE - 1, 1)
            ranks = [executor.submit(world_rank, 0.01) for _ in range(3 * SIZE)]
            served = {f.result() for f in ranks}
            # A communicator of one process runs the tasks in a thread of its own.
            assert served == (set(range(SIZE)) - {root} if SIZE > 1 else {root})
            assert list(executor.map(pow, [2] * 5, range(5))) == [1, 2, 4, 8, 16]
    COMM.Barrier()


def test_default_comm_and_results():
    with MPICommExecutor() as executor:
        if executor is not None:
            assert RANK == 0
            futures = [executor.submit(pow, i, 2) for i in range(20)]
            assert all(isinstance(f, Future) for f in futures)
            assert [f.result() for f in futures] == [i * i for i in range(20)]
            assert sorted(f.result() for f in as_completed(futures)) == sorted(
                i * i for i in range(20))
            for chunksize in (1, 4, 50):
                assert list(executor.starmap(pow, [(3, n) for n in range(9)],
                                             chunksize=chunksize)) == [3 ** n for n in range(9)]
                assert sorted(executor.map(abs, range(-9, 0), chunksize=chunksize,
                                           unordered=True)) == list(range(1, 10))
            with pytest.raises(TimeoutError):
                list(executor.map(time.sleep, [0.3], timeout=0.05))


def test_exceptions_propagate():
    with MPICommExecutor(COMM, 0) as executor:
        if executor is not None:
            exc = executor.submit(fail, 'bad').exception()
            assert type(exc) is ValueError and str(exc) == 'bad'
            if SIZE > 1:
                assert isinstance(exc.__cause__, RemoteTraceback)
                assert 'in fail' in str(exc.__cause__)
            with pytest.raises(ValueError, match='bad'):
                executor.submit(fail, 'bad').result()
            results = executor.map(fail, ['a', 'b'])
            with pytest.raises(ValueError, match='a'):
                next(results)
            # The executor goes on after failures.
            assert executor.submit(abs, -5).result() == 5


def test_initializer():
    with MPICommExecutor(COMM, 0, initializer=init, initargs=(RANK + 10,)) as executor:
        if executor is not None:
            assert {executor.submit(init_value).result() for _ in range(4)} == {10}
    with MPICommExecutor(COMM, 0, initializer=broken_init) as executor:
        if executor is not None:
            exc = executor.submit(abs, 1).exception()
            assert isinstance(exc, BrokenExecutor)
            assert isinstance(exc.__cause__, KeyError)
            with pytest.raises(BrokenExecutor):
                executor.submit(abs, 1)


def test_shutdown_in_body():
    with MPICommExecutor(COMM, 0) as executor:
        if executor is not None:
            futures = [executor.submit(time.sleep, 0.01) for _ in range(SIZE)]
            executor.shutdown(wait=True)
            assert all(f.done() for f in futures)
            with pytest.raises(RuntimeError, match='shutdown'):
                executor.submit(abs, 1)
            executor.shutdown()
    with MPICommExecutor(COMM, 0) as executor:
        if executor is not None:
            future = executor.submit(time.sleep, 0.1)
            executor.shutdown(wait=False)
    if RANK == 0:
        assert future.done()  # __exit__ waited
    COMM.Barrier()


def test_exception_in_body_releases_workers():
    with pytest.raises(ZeroDivisionError) if RANK == 0 else _nothing():
        with MPICommExecutor(COMM, 0) as executor:
            if executor is not None:
                executor.submit(time.sleep, 0.05)
                raise ZeroDivisionError
    COMM.Barrier()


class _nothing:
    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False


def test_reuse_and_subcommunicators():
    manager = MPICommExecutor(COMM, SIZE - 1)
    for _ in range(2):
        with manager as executor:
            if executor is not None:
                assert executor.submit(abs, -1).result() == 1
    # Two halves, each with its own executor at the same time.
    half = COMM.Split(RANK % 2, RANK)
    with MPICommExecutor(half, 0) as executor:
        if executor is not None:
            served = {executor.submit(world_rank, 0.01).result() for _ in range(4)}
            others = {r for r in range(SIZE) if r % 2 == RANK % 2 and r != RANK}
            assert served <= (others or {RANK})
    half.Free()
    COMM.Barrier()


def test_comm_self_thread():
    # Size one: a thread runs the tasks; nothing is pickled, so lambdas work.
    with MPICommExecutor(MPI.COMM_SELF) as executor:
        assert isinstance(executor, MPIPoolExecutor)
        assert executor.submit(lambda: threading.current_thread().name).result() != \
            threading.current_thread().name
        assert list(executor.map(lambda x: x + 1, range(3))) == [1, 2, 3]
        assert type(executor.submit(fail, 'x').exception()) is ValueError


def test_argument_errors():
    with pytest.raises(ValueError, match='root'):
        MPICommExecutor(COMM, SIZE)
    with pytest.raises(ValueError, match='root'):
        MPICommExecutor(COMM, -1)
    with pytest.raises(TypeError):
        MPICommExecutor(1)
    with pytest.raises(MPI.Exception) as info:
        MPICommExecutor(MPI.COMM_NULL)
    assert info.value.Get_error_class() == MPI.ERR_COMM
    # The executor's own arguments are checked on every rank, before any split.
    with pytest.raises(ValueError, match='max_workers'):
        MPICommExecutor(COMM, 0, max_workers=0)
    with pytest.raises(TypeError, match='initializer'):
        MPICommExecutor(COMM, 0, initializer='x')
    if SIZE > 1:
        local = COMM.Split(RANK % 2, RANK)
        inter = local.Create_intercomm(0, COMM, 1 - RANK % 2)
        with pytest.raises(ValueError, match='intracommunicator'):
            MPICommExecutor(inter)
        inter.Free()
        local.Free()
    COMM.Barrier()


def test_pool_executor_needs_futures_runner():
    # Outside python -m mpi4py.futures an MPIPoolExecutor has no workers (no spawn).
    executor = MPIPoolExecutor()
    with pytest.raises(NotImplementedError, match='MPI_Comm_spawn'):
        executor.submit(abs, 1)
    with pytest.raises(NotImplementedError, match='mpi4py.futures'):
        executor.bootup()
    executor.shutdown()
