"""Lower-case collectives over pickled objects: results against a serial reference on every
rank (small objects, objects too big for the inline slot, mixes of both), the reductions'
Python meaning of each predefined op, callables, MPI.pickle replacement, intercommunicators
(from two processes), unpicklable objects (an error on every rank, never
a hang), argument and MPI errors, and reference counts that do not leak."""
import gc
import pickle
import sys

import numpy as np
import pytest
from mpi4py import MPI

comm = MPI.COMM_WORLD
rank, size = comm.rank, comm.size
ROOTS = sorted({0, size // 2, size - 1})
BIG = 5000          # items: well past the inline slot once pickled


def obj(r, big=False):
    """Rank r's object: small, or big when asked."""
    if big:
        return {'rank': r, 'data': list(range(r, r + BIG))}
    return {'rank': r, 't': (r, str(r), r * 1.5, [r] * (r % 3))}


def mixed(r):
    """Big on every third rank: some slots overflow, others do not."""
    return obj(r, big=(r % 3 == 1))


def expect_mpi_error(cls, f):
    with pytest.raises(MPI.Exception) as info:
        f()
    assert info.value.Get_error_class() == cls, info.value


class Unpicklable:
    def __reduce__(self):
        raise pickle.PicklingError('this object refuses to be pickled')


# ---- the manual's examples (section 3.3) ------------------------------------------------

def test_manual_bcast_dict():
    if rank == 0:
        data = {'key1': [7, 2.72, 2 + 3j],
                'key2': ('abc', 'xyz')}
    else:
        data = None
    data = comm.bcast(data, root=0)
    assert data == {'key1': [7, 2.72, 2 + 3j], 'key2': ('abc', 'xyz')}


def test_manual_scatter():
    if rank == 0:
        data = [(i + 1)**2 for i in range(size)]
    else:
        data = None
    data = comm.scatter(data, root=0)
    assert data == (rank + 1)**2


def test_manual_gather():
    data = (rank + 1)**2
    data = comm.gather(data, root=0)
    if rank == 0:
        for i in range(size):
            assert data[i] == (i + 1)**2
    else:
        assert data is None


# ---- movement ----------------------------------------------------------------------------------

def test_barrier():
    assert comm.barrier() is None
    assert MPI.COMM_SELF.barrier() is None


def test_bcast():
    for root in ROOTS:
        for value in [None, 0, -(1 << 70), 'x' * 300, obj(root), obj(root, big=True),
                      np.arange(10), b'\0' * (1 << 20)]:
            got = comm.bcast(value if rank == root else None, root=root)
            if isinstance(value, np.ndarray):
                assert np.array_equal(got, value)
            else:
                assert got == value
    mine = [1, 2]
    got = comm.bcast(mine, root=0)
    assert got == [1, 2] and got is not mine     # the root gets a copy back, as in mpi4py


def test_gather():
    for root in ROOTS:
        for make in (obj, mixed, lambda r: obj(r, True), lambda r: None):
            got = comm.gather(make(rank), root=root)
            if rank == root:
                assert got == [make(r) for r in range(size)]
            else:
                assert got is None


def test_scatter():
    for root in ROOTS:
        for make in (obj, mixed):
            items = [make(r) for r in range(size)]
            assert comm.scatter(items if rank == root else None, root=root) == make(rank)
        # any sequence, even a generator, and None for all None
        assert comm.scatter(tuple(range(size)) if rank == root else None, root) == rank
        assert comm.scatter(iter(range(size)) if rank == root else 5, root) == rank
        assert comm.scatter(None, root=root) is None


def test_allgather():
    for make in (obj, mixed, lambda r: obj(r, True), lambda r: r):
        assert comm.allgather(make(rank)) == [make(r) for r in range(size)]
    assert comm.allgather(None) == [None] * size


def test_alltoall():
    got = comm.alltoall([(rank, d) for d in range(size)])
    assert got == [(s, rank) for s in range(size)]
    got = comm.alltoall([obj(rank * 10 + d, big=(d + rank) % 2 == 0) for d in range(size)])
    assert got == [obj(s * 10 + rank, big=(s + rank) % 2 == 0) for s in range(size)]
    assert comm.alltoall(None) == [None] * size


# ---- reductions ------------------------------------------------------------------------------

def fold(f, items):
    acc = items[0]
    for x in items[1:]:
        acc = f(acc, x)
    return acc


def py_op(name):
    """What each predefined op means on Python objects (mpi4py's Op.__call__)."""
    def loc(better):
        def f(x, y):
            (u, i), (v, j) = x, y
            if better(u, v):
                return (u, i)
            if better(v, u):
                return (v, j)
            return (u, min(i, j))
        return f
    return {
        'SUM': lambda x, y: x + y, 'PROD': lambda x, y: x * y,
        'MAX': lambda x, y: y if y > x else x, 'MIN': lambda x, y: y if y < x else x,
        'LAND': lambda x, y: bool(x and y), 'LOR': lambda x, y: bool(x or y),
        'LXOR': lambda x, y: bool(x) != bool(y),
        'BAND': lambda x, y: x & y, 'BOR': lambda x, y: x | y, 'BXOR': lambda x, y: x ^ y,
        'MAXLOC': loc(lambda a, b: a > b), 'MINLOC': loc(lambda a, b: a < b),
        'REPLACE': lambda x, y: y, 'NO_OP': lambda x, y: x,
    }[name]


CASES = [  # op name, rank r's value
    ('SUM', lambda r: r + 1), ('SUM', lambda r: [r]), ('SUM', lambda r: str(r)),
    ('SUM', lambda r: (r, r * 0.5)), ('SUM', lambda r: 1 << (60 + r)),
    ('PROD', lambda r: r + 1), ('PROD', lambda r: 1.5 + r), ('MAX', lambda r: (r * 7) % 5),
    ('MIN', lambda r: (r * 7) % 5), ('MAX', lambda r: str(r % 3)), ('MIN', lambda r: [r % 2]),
    ('LAND', lambda r: r != 2), ('LOR', lambda r: r == 3), ('LXOR', lambda r: r % 2),
    ('LAND', lambda r: [r]), ('BAND', lambda r: 0xff ^ (1 << r)), ('BOR', lambda r: 1 << r),
    ('BXOR', lambda r: r * 3), ('MAXLOC', lambda r: ((r * 7) % 3, r)),
    ('MINLOC', lambda r: ((r * 7) % 3, r)), ('MAXLOC', lambda r: [r % 2, -r]),
    ('REPLACE', lambda r: r), ('NO_OP', lambda r: r),
]


def test_allreduce_reduce_ops():
    for name, make in CASES:
        op = getattr(MPI, name)
        want = fold(py_op(name), [make(r) for r in range(size)])
        assert comm.allreduce(make(rank), op=op) == want, name
        for root in ROOTS:
            got = comm.reduce(make(rank), op, root)
            assert got == (want if rank == root else None), name


def test_defaults_and_callables():
    assert comm.allreduce(rank) == sum(range(size))
    assert comm.reduce(rank) == (sum(range(size)) if rank == 0 else None)
    # a callable applies in rank order
    cat = lambda a, b: a + b   # noqa: E731
    assert comm.allreduce(str(rank), op=cat) == ''.join(map(str, range(size)))
    assert comm.reduce([rank], cat, root=size - 1) == (list(range(size))
                                                       if rank == size - 1 else None)
    # a big object that does not fit a slot
    assert comm.allreduce([rank] * 1000, op=MPI.SUM) == fold(cat, [[r] * 1000
                                                                     for r in range(size)])
    a = comm.allreduce(np.arange(5) * rank)
    assert np.array_equal(a, np.arange(5) * sum(range(size)))


def test_scan_exscan():
    for name, make in CASES[:12]:
        op = getattr(MPI, name)
        items = [make(r) for r in range(size)]
        assert comm.scan(make(rank), op) == fold(py_op(name), items[:rank + 1]), name
        got = comm.exscan(make(rank), op=op)
        assert got == (fold(py_op(name), items[:rank]) if rank > 0 else None), name
    assert comm.scan(str(rank), op=lambda a, b: a + b) == ''.join(map(str, range(rank + 1)))


def test_exscan_mixed_sizes():
    got = comm.exscan([rank] * (BIG if rank % 2 else 1))
    want = sum(([r] * (BIG if r % 2 else 1) for r in range(rank)), [])
    assert got == (want if rank else None)


def test_user_op():
    op = MPI.Op.Create(lambda a, b, t: None, commute=True)
    try:
        assert comm.allreduce(1, op=op) == (1 if size == 1 else None)
    finally:
        op.Free()


# ---- MPI.pickle ------------------------------------------------------------------------------

def test_uses_mpi_pickle():
    calls = []
    saved = MPI.pickle.dumps, MPI.pickle.loads

    def dumps(o, *args):
        calls.append('dumps')
        return pickle.dumps(('wrapped', o))

    def loads(b):
        calls.append('loads')
        tag, o = pickle.loads(b)
        assert tag == 'wrapped'
        return o
    MPI.pickle.dumps, MPI.pickle.loads = dumps, loads
    try:
        assert comm.bcast('x' if rank == 0 else None) == 'x'
        assert comm.allgather(rank) == list(range(size))
        assert comm.gather(rank) == (list(range(size)) if rank == 0 else None)
    finally:
        MPI.pickle.dumps, MPI.pickle.loads = saved
    assert 'dumps' in calls and 'loads' in calls


# ---- intercommunicators ----------------------------------------------------------------------

def test_intercomm():
    if size < 2:
        pytest.skip('an intercommunicator needs two processes')
    group = rank % 2
    local = comm.Split(group, rank)
    inter = local.Create_intercomm(0, comm, 1 - group, 23)
    remote = [r for r in range(size) if r % 2 != group]
    # group 0's leader is the root; the rest of group 0 pass PROC_NULL
    root = (MPI.ROOT if local.rank == 0 else MPI.PROC_NULL) if group == 0 else 0
    try:
        for big in (False, True):
            got = inter.bcast(obj(0, big) if root == MPI.ROOT else None, root)
            assert got == (obj(0, big) if group == 1 else None)
        got = inter.gather(mixed(rank), root)
        assert got == ([mixed(r) for r in remote] if root == MPI.ROOT else None)
        got = inter.scatter([mixed(r) for r in remote] if root == MPI.ROOT else None, root)
        assert got == (mixed(rank) if group == 1 else None)
        assert inter.allgather(mixed(rank)) == [mixed(r) for r in remote]
        got = inter.alltoall([(rank, r) for r in remote])
        assert got == [(r, rank) for r in remote]
        got = inter.reduce(rank, MPI.SUM, root)
        assert got == (sum(remote) if root == MPI.ROOT else None)
        assert inter.allreduce([rank]) == remote
        assert inter.allreduce(rank, op=MPI.MAX) == max(remote)
        inter.barrier()
    finally:
        inter.Free()
        local.Free()


# ---- errors ----------------------------------------------------------------------------------

def test_unpicklable_never_hangs():
    bad = Unpicklable()
    # bcast: the root raises the pickling error, the others a RuntimeError naming it
    root = size - 1
    with pytest.raises(pickle.PicklingError if rank == root else RuntimeError) as info:
        comm.bcast(bad, root=root)
    if rank != root:
        assert 'process %d' % root in str(info.value)
    # gather: the bad rank raises; so does the root
    bad_rank = 1 % size
    try:
        got = comm.gather(bad if rank == bad_rank else rank, root=0)
    except pickle.PicklingError:
        assert rank == bad_rank
    except RuntimeError as exc:
        assert rank == 0 != bad_rank and 'process %d' % bad_rank in str(exc)
    else:
        assert rank not in (0, bad_rank) and got is None
    # allgather / allreduce / scan with one bad object, small and big ones around it
    for f in (comm.allgather, comm.allreduce, comm.scan):
        args = (bad if rank == 0 else obj(rank, big=True),)
        if f is comm.scan or f is comm.allreduce:
            args = (bad if rank == 0 else [rank],)
        with pytest.raises(pickle.PicklingError if rank == 0 else RuntimeError):
            f(*args)
    # scatter: a bad item, a wrong length, a non-sequence at the root
    for items in ([bad] * size, list(range(size + 1)), 42):
        expected = (pickle.PicklingError, ValueError, TypeError) if rank == 0 \
            else (RuntimeError,)
        with pytest.raises(expected):
            comm.scatter(items if rank == 0 else None, root=0)
    # alltoall: one rank's list has the wrong length
    with pytest.raises(ValueError if rank == 0 else RuntimeError):
        comm.alltoall(list(range(size + 1)) if rank == 0 else list(range(size)))
    # and everything still works afterwards
    assert comm.allgather(rank) == list(range(size))


def test_argument_errors():
    with pytest.raises(TypeError, match='op'):
        comm.allreduce(1, op=5)
    with pytest.raises(TypeError, match='op'):
        comm.reduce(1, op=None)
    with pytest.raises(TypeError, match='root'):
        comm.bcast(1, root='0')
    with pytest.raises(TypeError):
        comm.gather()
    with pytest.raises(TypeError, match='unexpected keyword'):
        comm.allgather(1, root=0)
    with pytest.raises(TypeError):
        comm.barrier(1)


def test_mpi_errors():
    expect_mpi_error(MPI.ERR_ROOT, lambda: comm.bcast(1, root=size))
    expect_mpi_error(MPI.ERR_ROOT, lambda: comm.gather(1, root=-5))
    expect_mpi_error(MPI.ERR_ROOT, lambda: comm.scatter(None, root=size + 2))
    expect_mpi_error(MPI.ERR_ROOT, lambda: comm.reduce(1, root=size))
    assert comm.allreduce(1) == size


# ---- reference counts and memory -------------------------------------------------------------

def rss_kib():
    with open('/proc/self/statm') as f:
        return int(f.read().split()[1]) * 4


def test_no_leaks():
    x, big = object(), [0] * 100
    small = ('a', 1)
    refs = sys.getrefcount(x), sys.getrefcount(big), sys.getrefcount(small)
    n = 2000 // size + 100

    def work():
        for _ in range(n):
            comm.allreduce(1)
            comm.bcast(small)
            comm.allgather(big)
            comm.gather(small)
            comm.scatter([small] * size if rank == 0 else None)
            comm.alltoall([small] * size)
            comm.reduce(small, op=lambda a, b: a)
            comm.bcast(x)
    work()
    gc.collect()
    before, nobjs = rss_kib(), len(gc.get_objects())
    work()
    gc.collect()
    grown = rss_kib() - before
    assert (sys.getrefcount(x), sys.getrefcount(big), sys.getrefcount(small)) == refs
    assert len(gc.get_objects()) - nobjs < 100
    assert grown < 1024, 'RSS grew by %d KiB' % grown
