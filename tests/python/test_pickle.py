"""MPI.Pickle / MPI.pickle: the API (dumps, loads, PROTOCOL, replacing the functions) and
objects of many types through send/recv, including the shapes pickle must keep (shared and
recursive containers), unpicklable objects, and a long loop whose memory must stay flat."""
import math
import pickle

import pytest
from mpi4py import MPI

comm = MPI.COMM_WORLD.Dup()
rank, size = comm.Get_rank(), comm.Get_size()
right, left = (rank + 1) % size, (rank - 1) % size


@pytest.fixture(autouse=True)
def default_pickle():
    MPI.pickle.__init__()
    yield
    MPI.pickle.__init__()


def ring(obj, tag=0):
    """Send obj to the right, return what came from the left."""
    req = comm.isend(obj, right, tag)
    got = comm.recv(None, left, tag)
    req.wait()
    return got


def test_api():
    p = MPI.pickle
    assert isinstance(p, MPI.Pickle)
    assert p.PROTOCOL == pickle.HIGHEST_PROTOCOL
    data = p.dumps({'a': 1})
    assert isinstance(data, bytes) and pickle.loads(data) == {'a': 1}
    assert p.loads(data) == {'a': 1}
    assert p.loads(bytearray(data)) == {'a': 1} and p.loads(memoryview(data)) == {'a': 1}
    with pytest.raises(TypeError):
        p.loads("not bytes")
    with pytest.raises(TypeError):
        p.dumps()
    assert MPI.Pickle().PROTOCOL == pickle.HIGHEST_PROTOCOL
    assert MPI.Pickle(pickle.dumps).PROTOCOL == pickle.HIGHEST_PROTOCOL
    assert MPI.Pickle(lambda o: b'').PROTOCOL is None
    q = MPI.Pickle(protocol=2)
    assert q.PROTOCOL == 2 and q.dumps(1)[:2] == b'\x80\x02'
    q.PROTOCOL = None
    assert q.PROTOCOL == pickle.HIGHEST_PROTOCOL
    q.PROTOCOL = 3
    assert q.dumps(1)[:2] == b'\x80\x03'
    with pytest.raises(TypeError):
        MPI.Pickle(1, 2, 3, 4)
    with pytest.raises(AttributeError):
        q.other = 1


def test_out_of_band_buffers():
    np = pytest.importorskip('numpy')
    bufs = []
    data = MPI.Pickle(protocol=2).dumps(np.arange(5), buffer_callback=bufs.append)
    assert len(bufs) == 1
    assert (MPI.pickle.loads(data, buffers=bufs) == np.arange(5)).all()


def nested(depth):
    obj = [1]
    for _ in range(depth):
        obj = [obj]
    return obj


OBJECTS = [
    None, True, False, 0, 1, 255, 256, 65535, 65536, -1, -2**31, 2**31 - 1, 2**31,
    -2**31 - 1, 2**40, -2**40, 2**63 - 1, -2**63, 2**63, -2**63 - 1, 2**100, -2**100,
    1.5, -0.0, 1e300, float('inf'), '', 'a', 'héllo wörld', '\u20ac' * 70, 'x' * 300,
    '\ud800', b'', b'ab', b'x' * 300, (), (1,), (1, 2), (1, 2, 3), (1, 2, 3, 4), [], [1],
    {}, {'a': 1, 2: [3, (4,)], (5, 6): None}, {1: {2: {3: [[[]]]}}}, bytearray(b'ab'), 1j,
    {1, 2}, frozenset([3]), range(5), slice(1, 2), Exception('boom'), [1.5] * 2000,
    list(range(20000)), 'é' * 50000, {str(i): i for i in range(1000)},
    nested(70),  # deeper than the module's own encoder goes
]


def test_objects_roundtrip():
    for i, obj in enumerate(OBJECTS):
        got = ring([rank, obj], tag=i)
        assert got[0] == left
        if isinstance(obj, Exception):
            assert type(got[1]) is Exception and got[1].args == obj.args
        else:
            assert got[1] == obj and type(got[1]) is type(obj), (obj, got[1])
    assert math.isnan(ring(float('nan')))


def test_message_bytes_are_pickles():
    # Whatever the module puts on the wire is a pickle stream pickle.loads reads.
    for obj in ({'a': 7, 'b': 3.14}, [1, 'two', (3.0, None)], 'x' * 100000, {1, 2}):
        req = comm.isend(obj, right, 7)
        status = MPI.Status()
        buf = bytearray(1 << 20)
        comm.Recv(buf, left, 7, status)
        req.wait()
        assert pickle.loads(buf) == obj


def test_shared_and_recursive_structures():
    t = (1, 2)
    lst = [t, t, {'k': t}]
    got = ring(lst)
    assert got == lst and got[0] is got[1] is got[2]['k']
    inner = []
    outer = [inner, inner]
    got = ring(outer)
    assert got[0] is got[1]
    rec = [1]
    rec.append(rec)
    got = ring(rec)
    assert got[1] is got
    d = {}
    d['self'] = d
    got = ring(d)
    assert got['self'] is got


class Custom:
    def __init__(self, v):
        self.v = v

    def __eq__(self, other):
        return type(other) is Custom and other.v == self.v


class MyDict(dict):
    pass


def test_classes_and_subclasses():
    got = ring([Custom(5), MyDict(a=1)])
    assert got[0] == Custom(5)
    assert type(got[1]) is MyDict and got[1] == {'a': 1}


def test_unpicklable():
    with pytest.raises((pickle.PicklingError, AttributeError, TypeError)):
        comm.send(lambda x: x, right, 3)
    with pytest.raises((pickle.PicklingError, AttributeError, TypeError)):
        comm.isend(lambda x: x, right, 3)
    # nothing was sent: the next message is the right one
    assert ring('after') == 'after'


def test_custom_dumps_loads_init():
    calls = []

    def dumps(obj, *args):
        calls.append(('dumps', args))
        return pickle.dumps(('wrapped', obj))

    def loads(data):
        calls.append(('loads', type(data)))
        tag, obj = pickle.loads(data)
        assert tag == 'wrapped'
        return obj

    MPI.pickle.__init__(dumps, loads)
    assert MPI.pickle.PROTOCOL is None
    assert ring({'x': 1}) == {'x': 1}
    assert ('dumps', ()) in calls and any(c[0] == 'loads' for c in calls)
    assert MPI.pickle.dumps(1) == pickle.dumps(('wrapped', 1))
    req = comm.irecv(source=left, tag=4)
    comm.isend([1, 2], right, 4).wait()
    assert req.wait() == [1, 2]
    MPI.pickle.__init__(dumps, loads, 2)
    assert MPI.pickle.PROTOCOL == 2
    assert ring(3) == 3
    assert ('dumps', (2,)) in calls


def test_custom_dumps_by_assignment():
    seen = []

    def loads(data):
        seen.append(bytes(data))
        return pickle.loads(data)

    MPI.pickle.loads = loads
    MPI.pickle.dumps = lambda obj, proto: pickle.dumps(obj, 2)
    assert ring('z') == 'z'
    assert seen and seen[-1][:2] == b'\x80\x02'
    assert MPI.pickle.dumps('q') == pickle.dumps('q', 2)
    with pytest.raises(TypeError):
        MPI.pickle.dumps = 5
    MPI.pickle.dumps = None
    MPI.pickle.loads = None
    assert MPI.pickle.dumps('q') == pickle.dumps('q', pickle.HIGHEST_PROTOCOL)
    seen.clear()
    assert ring('w') == 'w' and not seen


def test_protocol_change_takes_effect():
    MPI.pickle.PROTOCOL = 3
    req = comm.isend({'a': [1]}, right, 9)
    buf = bytearray(100)
    comm.Recv(buf, left, 9)
    req.wait()
    assert buf[:2] == b'\x80\x03'


def test_dumps_returning_other_buffers():
    MPI.pickle.__init__(lambda obj: bytearray(pickle.dumps(obj)), pickle.loads)
    assert ring([5, 6]) == [5, 6]
    MPI.pickle.__init__(lambda obj: 42, pickle.loads)
    with pytest.raises(TypeError):
        comm.send(1, right, 2)


def test_loads_error_propagates():
    def bad_loads(data):
        raise ValueError('bad data')

    MPI.pickle.__init__(None, bad_loads)
    req = comm.isend(1, right, 11)
    with pytest.raises(ValueError, match='bad data'):
        comm.recv(None, left, 11)
    req.wait()


def test_memory_flat():
    # 100 000 object messages through send/recv: the resident set must not grow.
    def rss_kib():
        with open('/proc/self/statm') as f:
            return int(f.read().split()[1]) * 4

    self_comm = MPI.COMM_SELF
    objs = [{'a': 7, 'b': 3.14}, [1, 'x' * 2000], 'y' * 40000]

    def loop(n):
        for i in range(n):
            obj = objs[i % 3]
            req = self_comm.isend(obj, 0, 1)
            assert self_comm.recv(None, 0, 1) == obj
            req.wait()

    loop(10000)
    before = rss_kib()
    loop(100000)
    after = rss_kib()
    assert after - before < 2048, (before, after)
