"""Buffer message specs: datatype inference, every spec form, bounds checks, argument
errors, point-to-point transfers of odd sizes, and the vector forms of the v-collectives
(when the extension has them).

Single-process checks go through Op.Reduce_local, which parses its two arguments as
message specs and insists their counts and datatypes agree: a copy operation then shows
exactly which items a spec selects and which datatype it inferred."""
import array
import ctypes

import numpy as np
import pytest
from mpi4py import MPI

comm = MPI.COMM_WORLD


@pytest.fixture(scope='module')
def cp():
    op = MPI.Op.Create(lambda i, o, t: o.__setitem__(slice(None), i))
    yield op
    op.Free()


def copy(cp, spec, n, dtype='i', fill=-1):
    """The items `spec` selects, copied into a fresh array of n items."""
    out = np.full(n, fill, dtype=dtype)
    cp.Reduce_local(spec, out)
    return out.tolist()


# ---- inference ----------------------------------------------------------------------

INFER = [('?', 'C_BOOL'), ('b', 'SIGNED_CHAR'), ('B', 'UNSIGNED_CHAR'), ('h', 'SHORT'),
         ('H', 'UNSIGNED_SHORT'), ('i', 'INT'), ('I', 'UNSIGNED'), ('l', 'LONG'),
         ('L', 'UNSIGNED_LONG'), ('q', 'LONG_LONG'), ('Q', 'UNSIGNED_LONG_LONG'),
         ('f', 'FLOAT'), ('d', 'DOUBLE'), ('g', 'LONG_DOUBLE'), ('F', 'C_FLOAT_COMPLEX'),
         ('D', 'C_DOUBLE_COMPLEX'), ('G', 'C_LONG_DOUBLE_COMPLEX'), ('U3', 'WCHAR'),
         ('S3', 'CHAR')]


@pytest.mark.parametrize('code,name', INFER)
def test_infer_from_numpy(cp, code, name):
    a = np.zeros(4, dtype=code)
    n = a.nbytes // getattr(MPI, name).size
    b = np.zeros(4, dtype=code)
    cp.Reduce_local(a, [b, n, getattr(MPI, name)])   # same count and datatype, or ValueError


def test_infer_from_other_buffers(cp):
    cp.Reduce_local(array.array('d', [1.0, 2.0]), [np.zeros(2), MPI.DOUBLE])
    cp.Reduce_local(array.array('l', [1]), [np.zeros(1, 'l'), MPI.LONG])
    cp.Reduce_local(b'abc', [bytearray(3), MPI.UNSIGNED_CHAR])
    cp.Reduce_local(memoryview(b'abcd').cast('i'), [np.zeros(1, 'i'), MPI.INT])
    cp.Reduce_local((ctypes.c_int * 3)(), [np.zeros(3, 'i'), MPI.INT32_T])   # '<i': 4 bytes
    cp.Reduce_local((ctypes.c_double * 2)(), [np.zeros(2), MPI.DOUBLE])
    cp.Reduce_local(np.zeros((3, 4), 'f', order='F'), [np.zeros(12, 'f'), MPI.FLOAT])
    with pytest.raises(KeyError) as e:
        cp.Reduce_local(np.zeros(2, '>i4'), np.zeros(2, 'i'))
    assert 'inbuf' in str(e.value)
    for bad in (np.zeros(2, np.float16), np.zeros(2, [('a', 'i'), ('b', 'd')]),
                np.zeros(2, object)):
        with pytest.raises(KeyError):
            cp.Reduce_local(bad, bytearray(64))


def test_typecodes(cp):
    a = np.arange(8, dtype='i')
    for code, t in (('i', MPI.INT), ('i4', MPI.INT32_T), ('f', MPI.FLOAT), ('u1', MPI.UINT8_T),
                    ('Zd', MPI.C_DOUBLE_COMPLEX), ('c', MPI.CHAR), ('?', MPI.C_BOOL)):
        out = np.full(8, -1, 'i')
        cp.Reduce_local([a, code], [out, t])           # the typecode names exactly t
        assert (out == a).all()
    assert copy(cp, [a, 2, 'i'], 2) == [0, 1]
    with pytest.raises(KeyError) as e:
        cp.Reduce_local([a, 'xx'], a.copy())
    assert 'inbuf' in str(e.value) and 'xx' in str(e.value)
    with pytest.raises(TypeError):
        cp.Reduce_local([a, 3.5, MPI.INT], a.copy())


# ---- forms --------------------------------------------------------------------------

def test_count_and_displ_forms(cp):
    a = np.arange(8, dtype='i')
    I = MPI.INT
    assert copy(cp, a, 8) == list(range(8))
    assert copy(cp, [a, I], 8) == list(range(8))
    assert copy(cp, (a, I), 8) == list(range(8))
    assert copy(cp, [a, 3], 3) == [0, 1, 2]
    assert copy(cp, [a, 3, I], 3) == [0, 1, 2]
    assert copy(cp, [a, (2, 5)], 2) == [5, 6]
    assert copy(cp, [a, (2, 5), I], 2) == [5, 6]
    assert copy(cp, [a, [2, 5], I], 2) == [5, 6]
    assert copy(cp, [a, 2, 6, I], 2) == [6, 7]
    assert copy(cp, [a, 0, 8, I], 0) == []
    assert copy(cp, [a, 2, None, I], 2) == [0, 1]
    assert copy(cp, [a, None, None, I], 8) == list(range(8))
    assert copy(cp, [a, None, I], 8) == list(range(8))
    assert copy(cp, [a, None], 8) == list(range(8))
    assert copy(cp, [a, I, ], 8) == list(range(8))
    assert copy(cp, [None, I], 0) == [] and copy(cp, [None, 0, I], 0) == []
    assert copy(cp, np.zeros(0, 'i'), 0) == []
    # a datatype other than the buffer's: bytes reinterpreted, as in mpi4py
    d = np.arange(4, dtype='d')
    assert copy(cp, [d, 'i'], 8)[::2] == np.arange(4, dtype='d').view('i')[::2].tolist()


def test_derived_types_and_bounds(cp):
    # The copy operation would copy the holes too (a user function sees count * extent
    # bytes): SUM into zeros shows what a derived type selects.
    a = np.arange(1, 9, dtype='i')
    vec = MPI.INT.Create_vector(2, 1, 3).Commit()                 # items 0 and 3
    res = MPI.INT.Create_resized(0, 8).Commit()                    # every other item
    neg = MPI.INT.Create_hindexed([1], [-4]).Commit()               # the item before
    b = np.zeros(8, 'i')
    MPI.SUM.Reduce_local([a, 4, res], [b, 4, res])
    assert b.tolist() == [1, 0, 3, 0, 5, 0, 7, 0]
    b = np.zeros(8, 'i')
    MPI.SUM.Reduce_local([a, 2, vec], [b, 2, vec])
    assert b.tolist() == [1, 0, 0, 4, 5, 0, 0, 8]   # extent 4 ints: the 2nd item at 4
    with pytest.raises(ValueError) as e:
        MPI.SUM.Reduce_local([a, 5, res], [b, 5, res])             # 5th item past the end
    assert 'inbuf' in str(e.value)
    MPI.SUM.Reduce_local([a, res], [b, res])                       # inferred count 4 fits
    half = MPI.INT.Create_resized(0, 2).Commit()
    with pytest.raises(ValueError):
        MPI.SUM.Reduce_local([a, half], [b, half])                 # inferred 16: the last overruns
    half.Free()
    with pytest.raises(ValueError):
        MPI.SUM.Reduce_local([a, 1, neg], [b, 1, neg])             # would read before a
    b = np.zeros(8, 'i')
    MPI.SUM.Reduce_local([a, (1, 2), neg], [b, (1, 2), neg])       # displ 2 * extent 4, -4
    assert b.tolist() == [0, 2, 0, 0, 0, 0, 0, 0]
    with pytest.raises(ValueError):
        MPI.SUM.Reduce_local([a, (1, 9), neg], [b, (1, 9), neg])
    for t in (vec, res, neg):
        t.Free()


def test_spec_errors(cp):
    a = np.arange(8, dtype='i')
    I = MPI.INT
    cases = [
        ([a], ValueError), ([a, 1, 2, 3, 4], ValueError), ([a, -1, I], ValueError),
        ([a, 2, -1, I], ValueError), ([a, 9, I], ValueError), ([a, 2, 7, I], ValueError),
        ([a, None, 1, I], ValueError), ([a, (1, 2, 3), I], ValueError),
        ([a, MPI.DATATYPE_NULL], ValueError), ([a, 2, I, 7], TypeError),
        ([a, 'i', 'i'], TypeError), ([a, 2, 3], TypeError), ([None, 2, I], ValueError),
        ([None], ValueError), ([None, None], TypeError), (None, TypeError),
        (MPI.BOTTOM, TypeError), ([MPI.BOTTOM, I], ValueError), (3, TypeError),
        ('abc', TypeError), ({'a': 1}, TypeError), (MPI.IN_PLACE, ValueError),
        (np.zeros((4, 4), 'i')[:, 0], BufferError),
    ]
    for spec, exc in cases:
        with pytest.raises(exc) as e:
            cp.Reduce_local(spec, np.zeros(8, 'i'))
        assert 'inbuf' in str(e.value), (spec, e.value)
    with pytest.raises(BufferError) as e:
        cp.Reduce_local(a, b'12345678901234567890123456789012')
    assert 'inoutbuf' in str(e.value)
    with pytest.raises(ValueError):
        cp.Reduce_local(a, [np.zeros(8, 'i'), 8, 1, MPI.INT])
    # MPI writing into an object array would corrupt reference counts
    objs = np.array([object(), object()])
    for spec in ([objs, MPI.BYTE], [objs, 16, MPI.BYTE], objs):
        with pytest.raises((TypeError, KeyError)) as e:
            cp.Reduce_local([bytearray(16), MPI.BYTE], spec)
        assert 'inoutbuf' in str(e.value)


def test_special_constants():
    assert isinstance(MPI.IN_PLACE, int) and isinstance(MPI.BOTTOM, int)
    assert repr(MPI.IN_PLACE) == 'IN_PLACE' and str(MPI.BOTTOM) == 'BOTTOM'
    assert MPI.IN_PLACE != MPI.BOTTOM
    import pickle
    assert pickle.loads(pickle.dumps(MPI.IN_PLACE)) is MPI.IN_PLACE


class FakeCudaArray:
    """A host array behind __cuda_array_interface__ (managed memory looks the same)."""

    def __init__(self, arr, readonly=False):
        self.arr = arr
        self.__cuda_array_interface__ = {
            'data': (arr.ctypes.data, readonly), 'shape': arr.shape,
            'typestr': arr.dtype.str, 'strides': None, 'version': 3}


def test_cuda_array_interface(cp):
    a = np.arange(6, dtype='d')
    out = np.zeros(6)
    cp.Reduce_local(FakeCudaArray(a), [out, MPI.DOUBLE])
    assert (out == a).all()
    dst = np.zeros(6)
    cp.Reduce_local([a, 6, MPI.DOUBLE], FakeCudaArray(dst))
    assert (dst == a).all()
    with pytest.raises(BufferError):
        cp.Reduce_local(a, FakeCudaArray(dst, readonly=True))
    f16 = FakeCudaArray(np.zeros(2, np.float16))
    with pytest.raises(KeyError):
        cp.Reduce_local(f16, np.zeros(1, 'i'))
    cp.Reduce_local([f16, MPI.SHORT], [np.zeros(2, 'h'), MPI.SHORT])
    bad = FakeCudaArray(a)
    bad.__cuda_array_interface__ = dict(bad.__cuda_array_interface__, strides=(16,))
    with pytest.raises(BufferError):
        cp.Reduce_local(bad, out)


# ---- point to point -------------------------------------------------------------------

def ring(send, recv, tag=0):
    rank, size = comm.rank, comm.size
    right, left = (rank + 1) % size, (rank - 1) % size
    if rank % 2 == 0:
        comm.Send(send, right, tag)
        comm.Recv(recv, left, tag)
    else:
        comm.Recv(recv, left, tag)
        comm.Send(send, right, tag)
    return left


@pytest.mark.skipif(comm.size < 2, reason='needs a peer')
@pytest.mark.parametrize('n', [0, 1, 7, 4099, 1 << 18])
def test_ring_sizes(n):
    a = np.arange(n, dtype='i8') * (comm.rank + 1)
    b = np.full(n + 3, -1, 'i8')
    left = ring(a, b)
    assert (b[:n] == np.arange(n) * (left + 1)).all() and (b[n:] == -1).all()
    # the same through explicit specs with a displacement on both sides
    c = np.full(n + 3, -1, 'i8')
    ring([a, (n // 2, n - n // 2), MPI.INT64_T], [c, (n // 2, 3), 'i8'], tag=1)
    assert (c[3:3 + n // 2] == (np.arange(n // 2) + n - n // 2) * (left + 1)).all()


@pytest.mark.skipif(comm.size < 2, reason='needs a peer')
def test_ring_mixed_objects():
    out = bytearray(b'%d' % comm.rank * 5)
    inb = bytearray(len(out) + 2)
    left = ring(out, [inb, len(out), MPI.BYTE])
    assert inb[:len(out)] == b'%d' % left * 5
    s = array.array('f', [comm.rank] * 3)
    r = np.zeros(3, 'f')
    ring([s, 'f'], r)
    assert (r == left).all()
    # 3 floats into room for 2: the receiver's error, and the ring still completes
    rank, size = comm.rank, comm.size
    errors = []

    def recv_small():
        try:
            comm.Recv([np.zeros(3, 'f'), 2, MPI.FLOAT], (rank - 1) % size, 5)
        except MPI.Exception as exc:
            errors.append(exc.Get_error_class())
    if rank % 2 == 0:
        comm.Send(s, (rank + 1) % size, 5)
        recv_small()
    else:
        recv_small()
        comm.Send(s, (rank + 1) % size, 5)
    assert errors == [15]                       # MPI_ERR_TRUNCATE


# ---- v-collectives -----------------------------------------------------------------------

def test_vector_forms():
    size, rank = comm.size, comm.rank
    a = np.arange(8 * size, dtype='i')
    cnt = [(i % 3) + 1 for i in range(size)]
    dsp = [8 * i + 1 for i in range(size)]
    forms = [
        (a, [8] * size, [8 * i for i in range(size)]),
        ([a, MPI.INT], [8] * size, [8 * i for i in range(size)]),
        ([a, 3], [3] * size, [3 * i for i in range(size)]),
        ([a, cnt], cnt, list(np.cumsum([0] + cnt[:-1]))),
        ([a, cnt, MPI.INT], cnt, list(np.cumsum([0] + cnt[:-1]))),
        ([a, (cnt, dsp), MPI.INT], cnt, dsp),
        ([a, (cnt, dsp)], cnt, dsp),
        ([a, cnt, dsp, MPI.INT], cnt, dsp),
        ([a, cnt, dsp, 'i'], cnt, dsp),
        ([a, (3, 5), MPI.INT], [3] * size, [5 * i for i in range(size)]),
        ([a, 2, 8, MPI.INT], [2] * size, [8 * i for i in range(size)]),
        ([a, cnt, None, MPI.INT], cnt, list(np.cumsum([0] + cnt[:-1]))),
    ]
    for spec, counts, displs in forms:
        r = np.full(8, -1, 'i')
        comm.Scatterv(spec if rank == 0 else None, [r, counts[rank], MPI.INT], root=0)
        want = a[displs[rank]:displs[rank] + counts[rank]]
        assert (r[:counts[rank]] == want).all() and (r[counts[rank]:] == -1).all()
    bad = [[a, [1] * (size + 1), MPI.INT], [a, [-1] * size, MPI.INT],
           [a, [9] * size, [8 * size] * size, MPI.INT], [a], [a, (1,) * (size + 2), MPI.INT]]
    if rank == 0:
        for spec in bad:
            with pytest.raises((ValueError, TypeError)) as e:
                comm.Scatterv(spec, np.zeros(8, 'i'), root=0)
            assert 'sendbuf' in str(e.value)


def test_alltoallw_forms():
    size, rank = comm.size, comm.rank
    a = np.arange(2 * size, dtype='i') + 100 * rank
    cnt, dsp = [2] * size, [8 * i for i in range(size)]
    for spec in ([a, cnt, dsp, [MPI.INT] * size], [a, (cnt, dsp), [MPI.INT] * size],
                 (a, [cnt, dsp], tuple([MPI.INT] * size))):
        r = np.full(2 * size, -1, 'i')
        comm.Alltoallw(spec, [r, cnt, dsp, [MPI.INT] * size])
        want = np.concatenate([np.arange(2 * rank, 2 * rank + 2) + 100 * j
                               for j in range(size)])
        assert (r == want).all()
    with pytest.raises(ValueError) as e:
        comm.Alltoallw([a, [3] * size, dsp, [MPI.INT] * size],
                       [np.zeros(2 * size, 'i'), cnt, dsp, [MPI.INT] * size])
    assert 'sendbuf' in str(e.value)
