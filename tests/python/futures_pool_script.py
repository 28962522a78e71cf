"""MPIPoolExecutor checks, run by test_futures.py as
    mpiexec -n N python -m mpi4py.futures futures_pool_script.py <N>
Rank 0 runs the checks below; the workers import this file as __worker__ and run the tasks.
Prints 'ok' at the end; any failure is an unhandled exception (the job aborts, status 1).
"""
import concurrent.futures
import os
import sys
import threading
import time

from mpi4py import MPI
from mpi4py.futures import (ALL_COMPLETED, FIRST_COMPLETED, FIRST_EXCEPTION, BrokenExecutor,
                            CancelledError, Future, MPIPoolExecutor, as_completed, wait)
from mpi4py.futures._core import RemoteTraceback

SIZE = int(sys.argv[1])
WORKERS = set(range(1, SIZE))
INIT_VALUE = None  # set by init() in the workers


class Point:
    def __init__(self, x):
        self.x = x


def rank(delay=0.0):
    time.sleep(delay)
    return MPI.COMM_WORLD.Get_rank()


def interval(delay):
    start = time.monotonic()
    time.sleep(delay)
    return MPI.COMM_WORLD.Get_rank(), start, time.monotonic()


def fail(kind, text):
    raise kind(text)


def echo(*args, **kwargs):
    return args, kwargs


def make_point(x):
    return Point(x * 2)


def point_x(point):
    return point.x


def worker_view():
    """What a worker sees: its main module, argv and how the script was imported."""
    main = sys.modules['__main__']
    return main.__name__, sys.modules['__worker__'] is main, sys.argv[1:], __name__


def init(value):
    global INIT_VALUE
    INIT_VALUE = value


def init_value(_=None):
    return INIT_VALUE


def broken_init():
    raise ZeroDivisionError('init fails')


def nested_executor():
    return MPIPoolExecutor().submit(abs, 1).result()


def unpicklable_result():
    return threading.Lock()


def option_view(name):
    main = sys.modules['__main__']
    return (getattr(main, name, None), os.environ.get('FUTURES_TEST_ENV'), os.getcwd(),
            sys.path[-1])


def check_submit(executor):
    assert executor.bootup() is executor
    assert executor.submit(pow, 3, 4).result() == 81
    assert executor.submit(echo, 1, 2, fn=3, k=4).result() == ((1, 2), {'fn': 3, 'k': 4})
    # Many tasks at once: every worker takes some, each answer goes to its future.
    futures = [executor.submit(rank, 0.02) for _ in range(4 * len(WORKERS))]
    assert {f.result() for f in futures} == WORKERS
    assert all(f.done() and not f.cancelled() for f in futures)
    # Objects of classes defined in the main script travel both ways.
    point = executor.submit(make_point, 21).result()
    assert type(point) is Point and point.x == 42
    assert executor.submit(point_x, Point(5)).result() == 5
    assert sys.modules['__worker__'] is sys.modules['__main__']
    name, aliased, argv, module = executor.submit(worker_view).result()
    assert (name, aliased, argv, module) == ('__worker__', True, sys.argv[1:], '__worker__')


def check_exceptions(executor):
    future = executor.submit(fail, KeyError, 'missing')
    exc = future.exception()
    assert type(exc) is KeyError and exc.args == ('missing',)
    assert isinstance(exc.__cause__, RemoteTraceback)
    assert 'in fail' in str(exc.__cause__) and 'KeyError' in str(exc.__cause__)
    try:
        future.result()
    except KeyError:
        pass
    else:
        raise AssertionError('result() did not raise')
    # Tasks that cannot travel fail in their future; the pool goes on.
    assert 'pickle' in str(executor.submit(lambda: 1).exception()).lower()
    assert isinstance(executor.submit(unpicklable_result).exception(), TypeError)
    assert type(executor.submit(sys.exit, 3).exception()) is SystemExit
    assert isinstance(executor.submit(nested_executor).exception(), RuntimeError)
    assert executor.submit(abs, -7).result() == 7


def check_map(executor):
    assert list(executor.map(pow, [2] * 8, range(8))) == [2 ** n for n in range(8)]
    assert list(executor.map(pow, [2, 3, 4], [2, 2])) == [4, 9]  # shortest iterable
    assert list(executor.map(abs, [])) == []
    assert list(executor.starmap(pow, ((2, n) for n in range(5)))) == [1, 2, 4, 8, 16]
    for chunksize in (1, 2, 3, 7, 100):
        result = list(executor.map(abs, range(-20, 0), chunksize=chunksize))
        assert result == list(range(20, 0, -1)), chunksize
        result = executor.starmap(pow, [(2, n) for n in range(11)], chunksize=chunksize,
                                  unordered=True)
        assert sorted(result) == [2 ** n for n in range(11)], chunksize
    # unordered: the quick results come before the slow one.
    result = list(executor.map(time.sleep, [0.2, 0, 0], unordered=True))
    assert result == [None] * 3
    if len(WORKERS) > 1:
        order = list(executor.map(interval, [0.2, 0.0], unordered=True))
        assert order[0][2] <= order[1][2]
    for bad in (0, -1):
        try:
            executor.map(abs, [1], chunksize=bad)
        except ValueError as exc:
            assert 'chunksize' in str(exc)
        else:
            raise AssertionError('chunksize 0 accepted')
    # An exception is raised when its result is reached, after the ones before it.
    results = executor.map(fail, [ValueError] * 2, ['x', 'y'])
    try:
        next(results)
    except ValueError as exc:
        assert str(exc) == 'x'
    results = executor.map(abs, [-1, 'a', -3], chunksize=1)
    assert next(results) == 1
    try:
        next(results)
    except TypeError:
        pass
    else:
        raise AssertionError('no TypeError')
    # timeout counts from the map() call.
    start = time.monotonic()
    try:
        list(executor.map(time.sleep, [0.4], timeout=0.1))
    except TimeoutError:
        assert time.monotonic() - start < 0.35
    else:
        raise AssertionError('no TimeoutError')
    assert list(executor.map(abs, [-1, -2], timeout=30)) == [1, 2]


def check_wait(executor):
    futures = [executor.submit(time.sleep, 0.01 * i) for i in range(6)]
    done, not_done = wait(futures, return_when=ALL_COMPLETED)
    assert done == set(futures) and not not_done
    futures = [executor.submit(fail, ValueError, 'x'), executor.submit(time.sleep, 0.2)]
    done, _ = wait(futures, return_when=FIRST_EXCEPTION)
    assert futures[0] in done
    done, _ = wait([executor.submit(time.sleep, 0.2), executor.submit(abs, 1)],
                   return_when=FIRST_COMPLETED)
    assert done
    assert sorted(f.result() for f in as_completed(
        [executor.submit(abs, -i) for i in range(5)])) == list(range(5))
    assert isinstance(executor.submit(abs, 1), Future)
    # Futures of the standard executors mix with ours.
    with concurrent.futures.ThreadPoolExecutor(1) as threads:
        mixed = [threads.submit(abs, -1), executor.submit(abs, -2)]
        assert sorted(f.result() for f in as_completed(mixed)) == [1, 2]


def check_shutdown():
    executor = MPIPoolExecutor()
    futures = [executor.submit(time.sleep, 0.05) for _ in range(2 * len(WORKERS))]
    executor.shutdown(wait=True)
    assert all(f.done() for f in futures)
    for call in (lambda: executor.submit(abs, 1), lambda: executor.map(abs, [1]),
                 executor.bootup):
        try:
            call()
        except RuntimeError as exc:
            assert 'shutdown' in str(exc)
        else:
            raise AssertionError('accepted after shutdown')
    executor.shutdown()  # again: nothing happens

    executor = MPIPoolExecutor(max_workers=1)
    futures = [executor.submit(time.sleep, 0.2) for _ in range(5)]
    time.sleep(0.05)
    executor.shutdown(wait=True, cancel_futures=True)
    assert futures[0].cancelled() or futures[0].result() is None
    assert all(f.done() for f in futures)
    assert sum(f.cancelled() for f in futures) >= 3  # the first one or two may have run
    done, _ = wait(futures, timeout=5)  # cancelled futures count as done
    assert done == set(futures)
    try:
        futures[-1].result()
    except CancelledError:
        pass

    with MPIPoolExecutor(max_workers=1) as executor:
        future = executor.submit(time.sleep, 0.1)
    assert future.done()

    executor = MPIPoolExecutor()
    future = executor.submit(time.sleep, 0.2)
    executor.shutdown(wait=False)
    assert future.result() is None

    # A map dropped early cancels what it has not started.
    executor = MPIPoolExecutor(max_workers=1)
    results = executor.map(time.sleep, [0.1] * 10)
    next(results)
    results.close()
    executor.shutdown()


def check_options():
    with MPIPoolExecutor(initializer=init, initargs=('ready',)) as executor:
        assert executor.submit(init_value).result() == 'ready'
        assert set(executor.map(init_value, range(3 * len(WORKERS)))) == {'ready'}
    # An executor that broke: the task and the later submits fail with BrokenExecutor.
    executor = MPIPoolExecutor(initializer=broken_init)
    exc = executor.submit(abs, 1).exception()
    assert type(exc) is BrokenExecutor and isinstance(exc.__cause__, ZeroDivisionError)
    try:
        executor.submit(abs, 1)
    except BrokenExecutor:
        pass
    else:
        raise AssertionError('broken executor accepted a task')
    executor.shutdown()
    for bad, error in ((0, ValueError), (-2, ValueError), (1.5, TypeError), ('2', TypeError)):
        try:
            MPIPoolExecutor(max_workers=bad)
        except error:
            pass
        else:
            raise AssertionError(f'max_workers={bad!r} accepted')
    try:
        MPIPoolExecutor(initializer=42)
    except TypeError:
        pass
    else:
        raise AssertionError('initializer=42 accepted')
    # max_workers=1 runs the tasks one at a time.
    with MPIPoolExecutor(max_workers=1) as executor:
        spans = list(executor.map(interval, [0.05] * 4))
        assert executor._max_workers == 1
    spans.sort(key=lambda span: span[1])
    assert all(a[2] <= b[1] for a, b in zip(spans, spans[1:])), spans
    with MPIPoolExecutor() as executor:
        assert executor._max_workers == len(WORKERS)
    # Two executors share the workers and both progress.
    with MPIPoolExecutor() as one, MPIPoolExecutor() as two:
        futures = [one.submit(rank, 0.01) for _ in range(5)]
        futures += [two.submit(rank, 0.01) for _ in range(5)]
        assert {f.result() for f in futures} <= WORKERS
    # globals/env/path/wdir are applied in the workers; spawn options are accepted.
    workdir = os.path.dirname(os.path.abspath(__file__))
    with MPIPoolExecutor(globals={'GIVEN': 17}, env={'FUTURES_TEST_ENV': 'set'},
                         path=['/nonexistent/futures/path'], wdir=workdir,
                         python_exe=sys.executable, python_args=['-O'],
                         mpi_info={'host': 'x'}) as executor:
        assert executor.submit(option_view, 'GIVEN').result() == (
            17, 'set', workdir, '/nonexistent/futures/path')
    # main=False: the workers do not import this script (its classes are unknown there
    # unless an earlier executor imported it, as here: __worker__ stays).
    with MPIPoolExecutor(main=False) as executor:
        assert executor.submit(abs, -3).result() == 3


if __name__ == '__main__':
    with MPIPoolExecutor() as executor:
        check_submit(executor)
        check_exceptions(executor)
        check_map(executor)
        check_wait(executor)
    check_shutdown()
    check_options()
    print('ok')
