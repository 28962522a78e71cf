"""MPI.Datatype: predefined constants, constructors, decode/contents round trips,
Pack/Unpack against NumPy, attributes, names, handles, and derived types on the wire."""
import numpy as np
import pytest
from mpi4py import MPI

comm = MPI.COMM_WORLD


def err_class(exc_info):
    return exc_info.value.Get_error_class()


# ---- predefined ------------------------------------------------------------------------

NAMED = ['PACKED', 'BYTE', 'AINT', 'OFFSET', 'COUNT', 'CHAR', 'WCHAR', 'SIGNED_CHAR',
         'SHORT', 'INT', 'LONG', 'LONG_LONG', 'UNSIGNED_CHAR', 'UNSIGNED_SHORT',
         'UNSIGNED', 'UNSIGNED_LONG', 'UNSIGNED_LONG_LONG', 'FLOAT', 'DOUBLE',
         'LONG_DOUBLE', 'C_BOOL', 'INT8_T', 'INT16_T', 'INT32_T', 'INT64_T', 'UINT8_T',
         'UINT16_T', 'UINT32_T', 'UINT64_T', 'C_COMPLEX', 'C_FLOAT_COMPLEX',
         'C_DOUBLE_COMPLEX', 'C_LONG_DOUBLE_COMPLEX', 'CXX_BOOL', 'CXX_FLOAT_COMPLEX',
         'CXX_DOUBLE_COMPLEX', 'CXX_LONG_DOUBLE_COMPLEX', 'SHORT_INT', 'INT_INT', 'TWOINT',
         'LONG_INT', 'FLOAT_INT', 'DOUBLE_INT', 'LONG_DOUBLE_INT', 'CHARACTER', 'LOGICAL',
         'INTEGER', 'REAL', 'DOUBLE_PRECISION', 'COMPLEX', 'DOUBLE_COMPLEX', 'LOGICAL1',
         'LOGICAL2', 'LOGICAL4', 'LOGICAL8', 'INTEGER1', 'INTEGER2', 'INTEGER4',
         'INTEGER8', 'INTEGER16', 'REAL2', 'REAL4', 'REAL8', 'REAL16', 'COMPLEX4',
         'COMPLEX8', 'COMPLEX16', 'COMPLEX32', 'SIGNED_SHORT', 'SIGNED_INT', 'SIGNED_LONG',
         'SIGNED_LONG_LONG', 'BOOL', 'SINT8_T', 'SINT16_T', 'SINT32_T', 'SINT64_T',
         'UNSIGNED_INT', 'F_BOOL', 'F_INT', 'F_FLOAT', 'F_DOUBLE', 'F_COMPLEX',
         'F_FLOAT_COMPLEX', 'F_DOUBLE_COMPLEX']


def test_predefined_constants():
    for name in NAMED:
        t = getattr(MPI, name)
        assert isinstance(t, MPI.Datatype) and t
        assert t.is_named and t.is_predefined
        assert t.combiner == MPI.COMBINER_NAMED
        assert t.envelope == (0, 0, 0, MPI.COMBINER_NAMED)
        assert t.decode() is t
        assert t.size > 0 and t.extent >= t.size
    assert not MPI.DATATYPE_NULL and MPI.DATATYPE_NULL.is_predefined
    for name in ('LB', 'UB', 'LONG_LONG_INT', 'Win', 'File'):
        assert not hasattr(MPI, name)
    # aliases are the very same objects, as in mpi4py
    assert MPI.SIGNED_INT is MPI.INT and MPI.BOOL is MPI.C_BOOL
    assert MPI.TWOINT is MPI.INT_INT and MPI.F_INT is MPI.INTEGER


def test_sizes_match_numpy():
    pairs = {'INT': 'i', 'LONG': 'l', 'SHORT': 'h', 'FLOAT': 'f', 'DOUBLE': 'd',
             'LONG_DOUBLE': 'g', 'C_BOOL': '?', 'INT8_T': 'i1', 'UINT64_T': 'u8',
             'C_DOUBLE_COMPLEX': 'c16', 'C_FLOAT_COMPLEX': 'c8', 'SIGNED_CHAR': 'b'}
    for name, code in pairs.items():
        t = getattr(MPI, name)
        assert t.Get_size() == np.dtype(code).itemsize
        assert t.Get_extent() == (0, t.size) and t.Get_true_extent() == (0, t.size)
        assert (t.lb, t.ub, t.true_lb, t.true_ub) == (0, t.size, 0, t.size)
    assert MPI.INT_INT.size == 8 and MPI.DOUBLE_INT.true_extent == 12


def test_null_and_errors():
    with pytest.raises(MPI.Exception) as e:
        MPI.DATATYPE_NULL.Get_size()
    assert err_class(e) == 3   # MPI_ERR_TYPE
    for t in (MPI.INT, MPI.DOUBLE_INT, MPI.DATATYPE_NULL):
        with pytest.raises(MPI.Exception) as e:
            t.Free()
        assert err_class(e) == 3
    assert MPI.INT and MPI.INT.size == 4   # the constant survived
    with pytest.raises(MPI.Exception):
        MPI.INT.Get_contents()
    with pytest.raises(MPI.Exception):
        MPI.DATATYPE_NULL.Dup()
    with pytest.raises(MPI.Exception):
        MPI.DATATYPE_NULL.Create_contiguous(1)
    with pytest.raises(MPI.Exception) as e:
        MPI.INT.Create_contiguous(-1)
    assert err_class(e) == 2   # MPI_ERR_COUNT


def test_compare_copy_hash():
    assert MPI.Datatype(MPI.INT) == MPI.INT and MPI.Datatype(MPI.INT) is not MPI.INT
    assert MPI.Datatype() == MPI.DATATYPE_NULL and MPI.Datatype(None) == MPI.DATATYPE_NULL
    assert MPI.INT != MPI.DOUBLE and not (MPI.INT == 4) and MPI.INT != 'i'
    with pytest.raises(TypeError):
        hash(MPI.INT)
    with pytest.raises(TypeError):
        MPI.Datatype(4)


# ---- constructors and decoding --------------------------------------------------------

def made(t):
    """Checks a new derived type's decode/contents agree, commits it, returns it."""
    assert not t.is_named and not t.is_predefined
    ni, na, nd, combiner = t.Get_envelope()
    ints, addrs, types = t.Get_contents()
    assert (len(ints), len(addrs), len(types)) == (ni, na, nd)
    assert t.contents[0] == ints and t.combiner == combiner
    for x in types:
        if not x.is_predefined:
            x.Free()
    return t.Commit()


def rebuild(t):
    """Builds a type again from decode()'s answer."""
    base, name, p = t.decode()
    if name == 'DUP':
        r = base.Dup()
    elif name == 'CONTIGUOUS':
        r = base.Create_contiguous(p['count'])
    elif name == 'VECTOR':
        r = base.Create_vector(p['count'], p['blocklength'], p['stride'])
    elif name == 'HVECTOR':
        r = base.Create_hvector(p['count'], p['blocklength'], p['stride'])
    elif name == 'INDEXED':
        r = base.Create_indexed(p['blocklengths'], p['displacements'])
    elif name == 'HINDEXED':
        r = base.Create_hindexed(p['blocklengths'], p['displacements'])
    elif name == 'INDEXED_BLOCK':
        r = base.Create_indexed_block(p['blocklength'], p['displacements'])
    elif name == 'HINDEXED_BLOCK':
        r = base.Create_hindexed_block(p['blocklength'], p['displacements'])
    elif name == 'STRUCT':
        assert base == MPI.DATATYPE_NULL
        r = MPI.Datatype.Create_struct(p['blocklengths'], p['displacements'], p['datatypes'])
    elif name == 'SUBARRAY':
        r = base.Create_subarray(p['sizes'], p['subsizes'], p['starts'], p['order'])
    elif name == 'DARRAY':
        r = base.Create_darray(p['size'], p['rank'], p['gsizes'], p['distribs'],
                               p['dargs'], p['psizes'], p['order'])
    elif name == 'RESIZED':
        r = base.Create_resized(p['lb'], p['extent'])
    else:
        raise AssertionError(name)
    r.Commit()
    assert r.decode()[1:] == (name, p)
    assert (r.size, r.Get_extent(), r.Get_true_extent()) == \
        (t.size, t.Get_extent(), t.Get_true_extent())
    return r


def packed(t, arr):
    """Pack all items of t that arr holds; returns the packed bytes."""
    n = arr.nbytes // t.extent
    out = bytearray(t.Pack_size(n, comm))
    pos = t.Pack(arr, out, 0, comm)
    assert pos == n * t.size
    return bytes(out[:pos])


DECODE_CASES = [
    ('DUP', lambda: MPI.INT.Dup(), {}),
    ('CONTIGUOUS', lambda: MPI.INT.Create_contiguous(3), {'count': 3}),
    ('VECTOR', lambda: MPI.DOUBLE.Create_vector(2, 3, 4),
     {'count': 2, 'blocklength': 3, 'stride': 4}),
    ('HVECTOR', lambda: MPI.INT.Create_hvector(2, 3, 40),
     {'count': 2, 'blocklength': 3, 'stride': 40}),
    ('INDEXED', lambda: MPI.INT.Create_indexed([1, 2], [0, 5]),
     {'blocklengths': [1, 2], 'displacements': [0, 5]}),
    ('HINDEXED', lambda: MPI.INT.Create_hindexed([1, 2], [0, 52]),
     {'blocklengths': [1, 2], 'displacements': [0, 52]}),
    ('INDEXED_BLOCK', lambda: MPI.INT.Create_indexed_block(2, (0, 5, 9)),
     {'blocklength': 2, 'displacements': [0, 5, 9]}),
    ('HINDEXED_BLOCK', lambda: MPI.INT.Create_hindexed_block(2, [0, 52]),
     {'blocklength': 2, 'displacements': [0, 52]}),
    ('SUBARRAY', lambda: MPI.INT.Create_subarray([4, 5], [2, 2], [1, 1]),
     {'sizes': [4, 5], 'subsizes': [2, 2], 'starts': [1, 1], 'order': MPI.ORDER_C}),
    ('SUBARRAY', lambda: MPI.INT.Create_subarray([4, 5], [2, 2], [1, 1],
                                                 order=MPI.ORDER_FORTRAN),
     {'sizes': [4, 5], 'subsizes': [2, 2], 'starts': [1, 1], 'order': MPI.ORDER_F}),
    ('DARRAY', lambda: MPI.INT.Create_darray(4, 1, [8, 8], [MPI.DISTRIBUTE_BLOCK] * 2,
                                             [MPI.DISTRIBUTE_DFLT_DARG] * 2, [2, 2]),
     {'size': 4, 'rank': 1, 'gsizes': [8, 8], 'distribs': [MPI.DISTRIBUTE_BLOCK] * 2,
      'dargs': [MPI.DISTRIBUTE_DFLT_DARG] * 2, 'psizes': [2, 2], 'order': MPI.ORDER_C}),
    ('RESIZED', lambda: MPI.INT.Create_resized(-4, 16), {'lb': -4, 'extent': 16}),
]


@pytest.mark.parametrize('name,build,params', DECODE_CASES,
                         ids=[c[0] + str(i) for i, c in enumerate(DECODE_CASES)])
def test_decode_round_trip(name, build, params):
    t = made(build())
    base, got_name, got = t.decode()
    assert got_name == name and got == params
    assert t.combiner == getattr(MPI, 'COMBINER_' + name)
    assert base in (MPI.INT, MPI.DOUBLE)
    r = rebuild(t)
    if t.true_lb >= 0:
        data = np.arange(64, dtype='i')
        assert packed(t, data) == packed(r, data)
    r.Free()
    t.Free()
    assert t == MPI.DATATYPE_NULL and not t


def test_struct_decode_and_pack():
    dt = np.dtype([('a', 'i4'), ('b', 'f8'), ('c', 'i2', (3,))], align=True)
    t = MPI.Datatype.Create_struct([1, 1, 3], [dt.fields[f][1] for f in 'abc'],
                                   [MPI.INT, MPI.DOUBLE, MPI.SHORT])
    t = made(t.Create_resized(0, dt.itemsize))
    inner = t.decode()[0]
    base, name, p = inner.decode()
    assert base == MPI.DATATYPE_NULL and name == 'STRUCT'
    assert p['blocklengths'] == [1, 1, 3] and p['datatypes'] == [MPI.INT, MPI.DOUBLE, MPI.SHORT]
    arr = np.zeros(5, dtype=dt)
    arr['a'] = np.arange(5)
    arr['b'] = np.arange(5) * 0.5
    arr['c'] = np.arange(15).reshape(5, 3)
    got = packed(t, arr)
    want = b''.join(arr['a'][i].tobytes() + arr['b'][i].tobytes() + arr['c'][i].tobytes()
                    for i in range(5))
    assert got == want
    out = np.zeros(5, dtype=dt)
    assert t.Unpack(got, 0, out, comm) == len(got)
    assert (out == arr).all()
    inner.Free()
    t.Free()


def test_pack_against_numpy():
    a = np.arange(60, dtype='d').reshape(6, 10)
    col = MPI.DOUBLE.Create_vector(6, 1, 10).Create_resized(0, 8).Commit()
    buf = bytearray(col.Pack_size(10, comm))
    assert col.Pack(a, buf, 0, comm) == 6 * 10 * 8
    assert bytes(buf) == a.T.tobytes()            # column after column: the transpose
    back = np.zeros_like(a)
    assert col.Unpack(buf, 0, back, comm) == len(buf)
    assert (back == a).all()
    sub = MPI.DOUBLE.Create_subarray([6, 10], [2, 3], [1, 4]).Commit()
    buf = bytearray(sub.Pack_size(1, comm))
    assert sub.Pack(a, buf, 0, comm) == 48
    assert bytes(buf) == a[1:3, 4:7].tobytes()
    subf = MPI.DOUBLE.Create_subarray([10, 6], [3, 2], [4, 1], MPI.ORDER_F).Commit()
    buf2 = bytearray(48)
    subf.Pack(a, buf2, 0, comm)
    assert buf2 == buf
    idx = MPI.INT.Create_indexed([2, 1, 3], [7, 0, 12]).Commit()
    ai = np.arange(16, dtype='i')
    assert packed(idx, ai) == ai[[7, 8, 0, 12, 13, 14]].tobytes()
    # positions thread through several calls
    out = bytearray(100)
    pos = MPI.INT.Pack(np.array([1, 2], 'i'), out, 0, comm)
    pos = MPI.DOUBLE.Pack(np.array([3.5]), out, pos, comm)
    assert pos == 16
    x, y = np.zeros(2, 'i'), np.zeros(1, 'd')
    pos = MPI.INT.Unpack(out, 0, x, comm)
    assert MPI.DOUBLE.Unpack(out, pos, y, comm) == 16
    assert x.tolist() == [1, 2] and y[0] == 3.5
    with pytest.raises(MPI.Exception):
        MPI.INT.Pack(np.arange(4, dtype='i'), bytearray(8), 0, comm)   # no room
    with pytest.raises(BufferError):
        MPI.INT.Pack(np.arange(2, dtype='i'), b'12345678', 0, comm)     # read-only out
    with pytest.raises(TypeError):
        MPI.INT.Pack([1, 2], bytearray(8), 0, comm)
    for t in (col, sub, subf, idx):
        t.Free()


def test_darray_against_numpy():
    g = np.arange(64, dtype='i').reshape(8, 8)
    for rank in range(4):
        t = MPI.INT.Create_darray(4, rank, [8, 8], [MPI.DISTRIBUTE_BLOCK] * 2,
                                  [MPI.DISTRIBUTE_DFLT_DARG] * 2, [2, 2]).Commit()
        r, c = divmod(rank, 2)
        buf = bytearray(t.Pack_size(1, comm))
        t.Pack(g, buf, 0, comm)
        assert bytes(buf) == g[4 * r:4 * r + 4, 4 * c:4 * c + 4].tobytes()
        t.Free()


def test_pack_external():
    a = np.array([1, -2, 3], dtype='i')
    assert MPI.INT.Pack_external_size('external32', 3) == 12
    buf = bytearray(12)
    assert MPI.INT.Pack_external('external32', a, buf, 0) == 12
    assert bytes(buf) == a.astype('>i4').tobytes()
    out = np.zeros(3, 'i')
    assert MPI.INT.Unpack_external('external32', buf, 0, out) == 12
    assert (out == a).all()
    d = np.array([1.5, -0.25])
    buf = bytearray(MPI.DOUBLE.Pack_external_size('external32', 2))
    MPI.DOUBLE.Pack_external('external32', d, buf, 0)
    assert bytes(buf) == d.astype('>f8').tobytes()
    with pytest.raises(MPI.Exception):
        MPI.INT.Pack_external('no-such-rep', a, bytearray(12), 0)


def test_constructor_argument_errors():
    with pytest.raises(TypeError):
        MPI.INT.Create_contiguous('x')
    with pytest.raises(OverflowError):
        MPI.INT.Create_contiguous(2 ** 40)
    with pytest.raises(ValueError) as e:
        MPI.INT.Create_indexed([1, 2], [0])
    assert 'displacements' in str(e.value)
    with pytest.raises(TypeError):
        MPI.INT.Create_indexed(3, [0])
    with pytest.raises(TypeError) as e:
        MPI.Datatype.Create_struct([1, 1], [0, 8], [MPI.INT, 'x'])
    assert 'datatypes' in str(e.value)
    with pytest.raises(TypeError):
        MPI.Datatype.Create_struct([1], [0], MPI.INT)
    with pytest.raises(MPI.Exception):
        MPI.INT.Create_subarray([4], [2], [3])           # runs past the array
    with pytest.raises(MPI.Exception):
        MPI.INT.Create_subarray([4], [2], [1], order=5)
    with pytest.raises(TypeError):
        MPI.INT.Create_vector(1, 1)
    t = MPI.INT.Create_indexed(np.array([1, 1]), np.array([0, 2]))   # any int sequence
    assert t.Get_extent() == (0, 12)
    t.Free()
    t = MPI.INT.Create_hvector(2, 1, -8)
    assert t.Get_extent() == (-8, 12)
    t.Free()
    t = MPI.INT.Create_contiguous(count=2)
    assert t.size == 8
    t.Free()
    t = MPI.INT.Resized(0, 8)
    assert t.extent == 8
    t.Free()
    t = MPI.INT.Create_dup()
    assert t.decode()[1] == 'DUP'
    t.Free()


def test_f90_and_match_size():
    for t in (MPI.Datatype.Create_f90_integer(9), MPI.Datatype.Create_f90_real(6, 30),
              MPI.Datatype.Create_f90_complex(6, 30)):
        assert t.is_predefined and not t.is_named
        base, name, p = t.decode()
        assert base == MPI.DATATYPE_NULL and name.startswith('F90_')
        assert p in ({'r': 9}, {'p': 6, 'r': 30})
        with pytest.raises(MPI.Exception):
            t.Free()
    assert MPI.Datatype.Create_f90_integer(9).size == 4
    assert MPI.Datatype.Match_size(MPI.TYPECLASS_REAL, 8).size == 8
    assert MPI.Datatype.Match_size(MPI.TYPECLASS_INTEGER, 4).size == 4
    with pytest.raises(MPI.Exception):
        MPI.Datatype.Match_size(MPI.TYPECLASS_REAL, 3)
    with pytest.raises(MPI.Exception):
        MPI.Datatype.Create_f90_integer(100)


def test_names_and_handles():
    assert MPI.INT.Get_name() == 'MPI_INT' and MPI.INT.name == 'MPI_INT'
    t = MPI.INT.Create_contiguous(2)
    t.Set_name('pair')
    assert t.name == 'pair'
    t.name = 'pair of ints'
    assert t.Get_name() == 'pair of ints'
    with pytest.raises(TypeError):
        t.Set_name(3)
    with pytest.raises(TypeError):
        t.name = None
    assert MPI.Datatype.f2py(MPI.INT.py2f()) == MPI.INT
    assert MPI.Datatype.f2py(t.py2f()) == t
    assert MPI.Datatype.f2py(MPI.DATATYPE_NULL.py2f()) == MPI.DATATYPE_NULL
    t.Free()


def test_typecode_tables():
    assert MPI._typedict['i'] is MPI.INT and MPI._typedict['d'] is MPI.DOUBLE
    assert MPI._typedict['f8'] == MPI.DOUBLE and MPI._typedict['c16'] == MPI.C_DOUBLE_COMPLEX
    assert MPI._typedict_c['?'] == MPI.C_BOOL and MPI._typedict_f['i'] == MPI.INTEGER
    assert 'c' in MPI._typedict and 'c' not in MPI._typedict_c
    for code, t in MPI._typedict_c.items():
        assert t.size == np.dtype(code).itemsize, code
    for code in ('i', 'l', 'q', 'f', 'd', 'g', 'b', 'B', 'H', 'I', 'L', 'Q'):
        assert MPI._typecode(MPI._typedict[code]) == code
    assert MPI._typecode(MPI.INT32_T) == 'i4' and MPI._typecode(MPI.C_FLOAT_COMPLEX) == 'F'
    t = MPI.INT.Dup()
    assert MPI._typecode(t) is None and MPI._typecode(MPI.DOUBLE_INT) is None
    t.Free()
    with pytest.raises(TypeError):
        MPI._typecode(1)


def test_attributes():
    log = []
    k = MPI.Datatype.Create_keyval(copy_fn=lambda o, kv, v: v + ['copied'],
                                   delete_fn=lambda o, kv, v: log.append((kv, list(v))))
    plain = MPI.Datatype.Create_keyval()          # not copied on Dup
    raw = MPI.Datatype.Create_keyval(nopython=True)
    t = MPI.INT.Dup()
    assert t.Get_attr(k) is None
    t.Set_attr(k, ['v'])
    t.Set_attr(plain, {'x': 1})
    t.Set_attr(raw, 12345)
    assert t.Get_attr(k) == ['v'] and t.Get_attr(plain) == {'x': 1}
    assert t.Get_attr(raw) == 12345
    d = t.Dup()
    assert d.Get_attr(k) == ['v', 'copied'] and d.Get_attr(plain) is None
    t.Set_attr(k, ['w'])                          # replacing deletes the old value
    assert log == [(k, ['v'])]
    d.Delete_attr(k)
    assert d.Get_attr(k) is None and log[-1] == (k, ['v', 'copied'])
    t.Free()                                      # freeing deletes what is cached
    assert log[-1] == (k, ['w'])
    d.Free()
    with pytest.raises(MPI.Exception):
        MPI.INT.Get_attr(-12345)
    for kv in (k, plain, raw):
        assert MPI.Datatype.Free_keyval(kv) != kv


def test_attribute_callback_errors():
    def bad_copy(o, kv, v):
        raise KeyError('copy')
    def bad_delete(o, kv, v):
        raise ValueError('delete')
    k = MPI.Datatype.Create_keyval(copy_fn=bad_copy)
    t = MPI.INT.Dup()
    t.Set_attr(k, 1)
    with pytest.raises(MPI.Exception):         # the traceback is printed, as in mpi4py
        t.Dup()
    t.Free()
    MPI.Datatype.Free_keyval(k)
    k = MPI.Datatype.Create_keyval(delete_fn=bad_delete)
    t = MPI.INT.Dup()
    t.Set_attr(k, 1)
    with pytest.raises(MPI.Exception):
        t.Delete_attr(k)
    MPI.Datatype.Free_keyval(k)
    with pytest.raises(TypeError):
        MPI.Datatype.Create_keyval(copy_fn=3)


def test_addresses():
    a = np.zeros(4, 'd')
    base = MPI.Get_address(a)
    assert base == a.ctypes.data
    assert MPI.Get_address(a[2:]) == MPI.Aint_add(base, 16)
    assert MPI.Aint_diff(MPI.Get_address(a[3:]), base) == 24
    assert MPI.Get_address(b'abc') > 0 and MPI.Get_address(MPI.BOTTOM) == 0
    with pytest.raises(TypeError):
        MPI.Get_address(None)


def test_bottom_struct_send():
    """A struct of absolute addresses sent from MPI.BOTTOM around the ring."""
    rank, size = comm.rank, comm.size
    if size < 2:
        pytest.skip('needs a peer')
    x = np.array([rank, rank + 1], 'i')
    y = np.array([rank * 0.5], 'd')
    t = MPI.Datatype.Create_struct([2, 1], [MPI.Get_address(x), MPI.Get_address(y)],
                                   [MPI.INT, MPI.DOUBLE]).Commit()
    rx, ry = np.zeros(2, 'i'), np.zeros(1, 'd')
    rt = MPI.Datatype.Create_struct([2, 1], [MPI.Get_address(rx), MPI.Get_address(ry)],
                                    [MPI.INT, MPI.DOUBLE]).Commit()
    right, left = (rank + 1) % size, (rank - 1) % size
    if rank % 2 == 0:
        comm.Send([MPI.BOTTOM, 1, t], right, 7)
        comm.Recv([MPI.BOTTOM, 1, rt], left, 7)
    else:
        comm.Recv([MPI.BOTTOM, 1, rt], left, 7)
        comm.Send([MPI.BOTTOM, 1, t], right, 7)
    assert rx.tolist() == [left, left + 1] and ry[0] == left * 0.5
    t.Free()
    rt.Free()


def test_derived_types_on_the_wire():
    """Columns of a matrix as a vector type, around the ring at several sizes."""
    rank, size = comm.rank, comm.size
    if size < 2:
        pytest.skip('a ring of one would block in a large Send to itself')
    right, left = (rank + 1) % size, (rank - 1) % size
    for rows, cols in ((1, 1), (3, 5), (64, 33)):
        a = np.arange(rows * cols, dtype='d').reshape(rows, cols) + 1000 * rank
        col = MPI.DOUBLE.Create_vector(rows, 1, cols).Create_resized(0, 8).Commit()
        got = np.zeros((rows, cols))
        if rank % 2 == 0:
            comm.Send([a, cols, col], right, 3)
            comm.Recv([got, cols, col], left, 3)
        else:
            comm.Recv([got, cols, col], left, 3)
            comm.Send([a, cols, col], right, 3)
        assert (got == np.arange(rows * cols).reshape(rows, cols) + 1000 * left).all()
        # received as a column type, read as contiguous: the transpose
        flat = np.zeros(rows * cols)
        if rank % 2 == 0:
            comm.Send([a, cols, col], right, 4)
            comm.Recv(flat, left, 4)
        else:
            comm.Recv(flat, left, 4)
            comm.Send([a, cols, col], right, 4)
        assert (flat == (np.arange(rows * cols).reshape(rows, cols) + 1000 * left).T.ravel()).all()
        col.Free()


def test_no_leaks():
    import gc

    def rss():
        with open('/proc/self/statm') as f:
            return int(f.read().split()[1]) * 4096

    a = np.arange(12, dtype='i')
    out = bytearray(64)

    def work(n):
        for _ in range(n):
            t = MPI.INT.Create_vector(2, 1, 3)
            t.Commit()
            t.decode()
            t.Get_contents()[2][0]
            MPI.INT.Pack(a, out, 0, comm)
            t.Free()
            MPI.INT.Create_indexed([1, 1], [0, 2]).Free()
            MPI._typecode(MPI.INT)

    work(2000)
    gc.collect()
    before = rss()
    work(20000)
    gc.collect()
    assert rss() - before < 2 << 20
