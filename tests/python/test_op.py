"""MPI.Op: predefined operations on Python objects, user-defined operations over Python
functions (Reduce_local, and through Allreduce/Reduce/Scan when those exist), slots,
handles and errors."""
import numpy as np
import pytest
from mpi4py import MPI

comm = MPI.COMM_WORLD

PREDEFINED = ['SUM', 'PROD', 'MAX', 'MIN', 'LAND', 'LOR', 'LXOR', 'BAND', 'BOR', 'BXOR',
              'MAXLOC', 'MINLOC', 'REPLACE', 'NO_OP']


def test_predefined():
    for name in PREDEFINED:
        op = getattr(MPI, name)
        assert isinstance(op, MPI.Op) and op and op.is_predefined
        assert op.Is_commutative() == op.is_commutative
        assert MPI.Op.f2py(op.py2f()) == op
        with pytest.raises(MPI.Exception) as e:
            op.Free()
        assert e.value.Get_error_class() == 10   # MPI_ERR_OP
        assert op                                 # the constant survived
    assert not MPI.OP_NULL and MPI.OP_NULL.is_predefined
    assert MPI.Op(MPI.SUM) == MPI.SUM and MPI.Op() == MPI.OP_NULL
    assert MPI.SUM != MPI.PROD and not (MPI.SUM == 1)
    with pytest.raises(TypeError):
        hash(MPI.SUM)


def test_call_on_python_objects():
    assert MPI.SUM(3, 4) == 7 and MPI.SUM([1], [2]) == [1, 2] and MPI.SUM('a', 'b') == 'ab'
    assert MPI.PROD(3, 4) == 12 and MPI.MAX(3, 4) == 4 and MPI.MIN(3, 4) == 3
    assert MPI.MAX('a', 'b') == 'b' and MPI.MIN(2.5, 1) == 1
    assert MPI.BAND(6, 3) == 2 and MPI.BOR(6, 3) == 7 and MPI.BXOR(6, 3) == 5
    assert MPI.LAND(6, 0) is False and MPI.LOR(0, 2) is True and MPI.LXOR(1, 1) is False
    assert MPI.LXOR(0, 'x') is True
    assert MPI.REPLACE(1, 2) == 2 and MPI.NO_OP(1, 2) == 1
    assert MPI.MAXLOC((1, 2), (1, 0)) == (1, 0) and MPI.MAXLOC((3, 9), (1, 0)) == (3, 9)
    assert MPI.MINLOC((3, 1), (2, 5)) == (2, 5) and MPI.MINLOC([1, 5], [1, 2]) == (1, 2)
    assert MPI.MAXLOC([1, 5], [2, 2]) == (2, 2)
    a, b = np.arange(3), np.ones(3)
    assert (MPI.SUM(a, b) == a + b).all()
    with pytest.raises(TypeError):
        MPI.OP_NULL(1, 2)
    with pytest.raises(TypeError):
        MPI.SUM(1, 'a')
    with pytest.raises(TypeError):
        MPI.MAXLOC(1, 2)
    with pytest.raises(ValueError, match='too many values'):    # as `u, i = x` unpacks
        MPI.MINLOC((1, 2, 3), (1, 2))
    with pytest.raises(ValueError, match='not enough values'):
        MPI.MAXLOC((1, 2), [1])
    seen = []

    class Truth:
        def __init__(self, v):
            self.v = v

        def __bool__(self):
            seen.append(self.v)
            return self.v
    assert MPI.LAND(Truth(False), Truth(True)) is False and seen == [False, True]
    with pytest.raises(TypeError):
        MPI.SUM(1)


def test_create_and_reduce_local():
    seen = []

    def axpy(inmem, inoutmem, datatype):
        seen.append((type(inmem), len(inmem), inmem.readonly, datatype == MPI.INT))
        x = np.frombuffer(inmem, dtype='i')
        y = np.frombuffer(inoutmem, dtype='i')
        y[:] = x * 10 + y

    op = MPI.Op.Create(axpy, commute=True)
    assert op and not op.is_predefined and op.is_commutative and op.Is_commutative()
    assert MPI.Op.f2py(op.py2f()) == op
    x, y = np.arange(4, dtype='i'), np.ones(4, dtype='i')
    assert op.Reduce_local(x, y) is None
    assert y.tolist() == [1, 11, 21, 31]
    assert seen == [(MPI.memory, 16, False, True)]
    op.Free()
    assert op == MPI.OP_NULL and not op
    nc = MPI.Op.Create(lambda a, b, t: (a, b, t))
    assert not nc.is_commutative and nc(1, 2) == (1, 2, None)
    assert MPI.Op.Create(lambda a, b, t: None, True).is_commutative
    nc.Free()


def test_reduce_local_predefined_and_errors():
    for dtype in ('i', 'l', 'f', 'd', 'i8', 'u2', 'c16'):
        x = np.arange(1, 8).astype(dtype)
        y = np.full(7, 3).astype(dtype)
        MPI.SUM.Reduce_local(x, y)
        assert (y == np.arange(1, 8).astype(dtype) + 3).all()
        t = MPI._typedict[np.dtype(dtype).char]
        MPI.PROD.Reduce_local([x, 3, t], [y, 3, t])
        assert (y[:3] == (np.arange(1, 4) + 3) * np.arange(1, 4)).all()
    pairs = np.zeros(3, dtype=[('v', 'i'), ('k', 'i')])
    other = np.zeros(3, dtype=[('v', 'i'), ('k', 'i')])
    pairs['v'], pairs['k'] = [5, 1, 7], [0, 0, 0]
    other['v'], other['k'] = [5, 2, 6], [1, 1, 1]
    MPI.MAXLOC.Reduce_local([pairs, MPI.INT_INT], [other, MPI.INT_INT])
    assert other['v'].tolist() == [5, 2, 7] and other['k'].tolist() == [0, 1, 0]
    x = np.arange(4, dtype='i')
    with pytest.raises(ValueError) as e:
        MPI.SUM.Reduce_local(x, np.zeros(3, 'i'))
    assert 'inbuf' in str(e.value)
    with pytest.raises(ValueError):
        MPI.SUM.Reduce_local(x, np.zeros(4, 'd'))
    with pytest.raises(BufferError):
        MPI.SUM.Reduce_local(x, b'1234567890123456')
    with pytest.raises(TypeError):
        MPI.SUM.Reduce_local(x)
    with pytest.raises(MPI.Exception) as e:
        MPI.OP_NULL.Reduce_local(x, x.copy())
    assert e.value.Get_error_class() == 10
    with pytest.raises(MPI.Exception):
        MPI.LAND.Reduce_local(np.zeros(2), np.zeros(2))      # no logical ops on floats
    MPI.SUM.Reduce_local(np.zeros(0, 'i'), np.zeros(0, 'i'))


def test_exception_in_user_function():
    def boom(a, b, t):
        raise ZeroDivisionError('boom')
    op = MPI.Op.Create(boom)
    y = np.ones(4, 'i')
    with pytest.raises(ZeroDivisionError):
        op.Reduce_local(np.arange(4, dtype='i'), y)
    with pytest.raises(ZeroDivisionError):
        op(1, 2)
    op.Free()
    with pytest.raises(TypeError):
        MPI.Op.Create(3)


def test_vectors_are_released_after_the_call():
    kept = []
    op = MPI.Op.Create(lambda a, b, t: kept.append(a))
    op.Reduce_local(np.arange(4, dtype='i'), np.ones(4, 'i'))
    assert len(kept) == 1 and len(kept[0]) == 0 and kept[0].address == 0
    op.Free()


def test_slots():
    ops = []
    with pytest.raises(RuntimeError):
        for _ in range(100):
            ops.append(MPI.Op.Create(lambda a, b, t: None))
    assert 1 <= len(ops) <= 32
    for op in ops:
        op.Free()
    # every slot reaches its own function
    def setter(i):
        def f(a, b, t):
            np.frombuffer(b, dtype='i')[:] = i
        return f
    ops = [MPI.Op.Create(setter(i)) for i in range(len(ops))]
    for i, op in enumerate(ops):
        y = np.zeros(2, 'i')
        op.Reduce_local(np.zeros(2, 'i'), y)
        assert y.tolist() == [i, i]
    for op in ops:
        op.Free()
    # freed slots are reused
    again = [MPI.Op.Create(lambda a, b, t: None) for _ in ops]
    for op in again:
        op.Free()


# ---- through collectives (when the extension has them) -----------------------------------

def affine(inmem, inoutmem, datatype):
    """(a, b) pairs as x -> a*x + b mod 1000003; inout = in o inout (lower rank left)."""
    x = np.frombuffer(inmem, dtype='i8').reshape(-1, 2)
    y = np.frombuffer(inoutmem, dtype='i8').reshape(-1, 2)
    a = x[:, 0] * y[:, 0] % 1000003
    b = (x[:, 0] * y[:, 1] + x[:, 1]) % 1000003
    y[:, 0], y[:, 1] = a, b


def compose(maps):
    a, b = maps[0][:, 0].copy(), maps[0][:, 1].copy()
    for m in maps[1:]:
        a, b = a * m[:, 0] % 1000003, (a * m[:, 1] + b) % 1000003
    return np.stack([a, b], axis=1)


def rank_maps(rank, n):
    i = np.arange(n, dtype='i8')
    return np.stack([(i * 7 + rank * 3 + 2) % 1000003, (i + 11 * rank + 1) % 1000003], axis=1)


def test_user_op_allreduce_noncommutative():
    pair = MPI.INT64_T.Create_contiguous(2).Commit()
    op = MPI.Op.Create(affine, commute=False)
    size = comm.size
    for n in (1, 7, 1000, 40000):
        mine = rank_maps(comm.rank, n)
        out = np.zeros_like(mine)
        comm.Allreduce([mine, pair], [out, pair], op=op)
        want = compose([rank_maps(r, n) for r in range(size)])
        assert (out == want).all(), n
    op.Free()
    pair.Free()


def test_user_op_allreduce_commutative():
    def add(a, b, t):
        y = np.frombuffer(b, dtype='d')
        y += np.frombuffer(a, dtype='d')
    op = MPI.Op.Create(add, commute=True)
    for n in (0, 1, 3, 4096, 100000):
        x = np.arange(n, dtype='d') + comm.rank
        out = np.empty(n)
        comm.Allreduce(x, out, op=op)
        ref = np.empty(n)
        comm.Allreduce(x, ref, op=MPI.SUM)
        assert (out == ref).all()
        assert (out == np.arange(n) * comm.size + sum(range(comm.size))).all()
    op.Free()


def test_user_op_lowercase():
    op = MPI.Op.Create(lambda x, y, t: x + [y] if isinstance(x, list) else [x, y])
    got = comm.allreduce(comm.rank, op=op)
    assert comm.allreduce(comm.rank, op=MPI.SUM) == sum(range(comm.size))
    assert comm.allreduce((comm.rank % 2, comm.rank), op=MPI.MAXLOC) == \
        ((1, 1) if comm.size > 1 else (0, 0))
    assert got is not None
    op.Free()


def test_no_leaks():
    import gc

    def rss():
        with open('/proc/self/statm') as f:
            return int(f.read().split()[1]) * 4096

    def f(a, b, t):
        pass

    x, y = np.arange(8, dtype='i'), np.zeros(8, 'i')

    def work(n):
        for _ in range(n):
            op = MPI.Op.Create(f)
            op.Reduce_local(x, y)
            op(1, 2)
            op.Free()
            MPI.SUM.Reduce_local(x, y)
            MPI.MAXLOC((1, 2), (3, 4))

    work(2000)
    gc.collect()
    before = rss()
    work(20000)
    gc.collect()
    assert rss() - before < 2 << 20
