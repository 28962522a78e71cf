"""MPI.memory and MPI.Alloc_mem / MPI.Free_mem."""
import numpy as np
import pytest
from mpi4py import MPI

comm = MPI.COMM_WORLD


def test_allocate():
    m = MPI.memory.allocate(10, clear=True)
    assert len(m) == m.nbytes == 10 and not m.readonly
    assert m.format == 'B' and m.itemsize == 1 and m.obj is None
    assert isinstance(m.address, int) and m.address != 0
    assert m.tobytes() == bytes(10) and list(m) == [0] * 10
    assert MPI.memory.allocate(0).nbytes == 0 and MPI.memory.allocate(0).address != 0
    assert MPI.memory.allocate(nbytes=3).nbytes == 3
    with pytest.raises(ValueError):
        MPI.memory.allocate(-1)
    with pytest.raises(TypeError):
        MPI.memory.allocate('x')


def test_items_and_slices():
    m = MPI.memory.allocate(10, True)
    m[0] = 65
    m[1:3] = b'BC'
    m[-1] = 255
    assert m.tobytes()[:3] == b'ABC' and m[-1] == 255 and m[0] == 65
    s = m[1:4]
    assert isinstance(s, MPI.memory) and s.tobytes() == b'BC\x00' and len(s) == 3
    s[2] = 68                      # a slice shares the memory
    assert m[3] == 68
    assert m[8:100].nbytes == 2 and m[5:2].nbytes == 0 and m[::1].nbytes == 10
    m[:] = bytes(range(10))
    assert bytes(m) == bytes(range(10))
    with pytest.raises(OverflowError):
        m[0] = 256
    with pytest.raises(OverflowError):
        m[0] = -1
    with pytest.raises(TypeError):
        m[0] = 'a'
    with pytest.raises(ValueError):
        m[1:3] = b'x'
    with pytest.raises(IndexError):
        m[10]
    with pytest.raises(IndexError):
        m[-11]
    with pytest.raises(IndexError):
        m[::2]
    with pytest.raises(TypeError):
        m['a']
    with pytest.raises(NotImplementedError):
        del m[0]


def test_frombuffer_and_readonly():
    a = bytearray(b'hello')
    m = MPI.memory.frombuffer(a)
    assert m.obj is a and not m.readonly and m.tobytes() == b'hello'
    m[0] = ord('j')
    assert a == b'jello'
    with pytest.raises(BufferError):
        MPI.memory.frombuffer(b'abc')
    r = MPI.memory.frombuffer(b'abc', readonly=True)
    assert r.readonly
    with pytest.raises(TypeError):
        r[0] = 1
    assert memoryview(r).readonly
    with pytest.raises(TypeError):
        memoryview(r)[0] = 1
    ro = m.toreadonly()
    assert ro.readonly and ro.obj is a and ro.tobytes() == b'jello'
    x = np.arange(4, dtype='d')
    mx = MPI.memory.frombuffer(x)
    assert mx.nbytes == 32 and len(mx) == 32 and mx.itemsize == 8 and mx.format == 'B'
    assert (np.frombuffer(mx, dtype='d') == x).all()
    assert MPI.memory(x).nbytes == 32 and MPI.memory(b'ab').readonly
    assert not MPI.memory(bytearray(2)).readonly and MPI.memory().nbytes == 0
    with pytest.raises(TypeError):
        MPI.memory.frombuffer(3)
    with pytest.raises((BufferError, ValueError)):    # NumPy says ValueError
        MPI.memory.frombuffer(np.zeros((3, 3))[:, 0])
    slc = MPI.memory.allocate(8)[2:6].toreadonly()
    assert slc.nbytes == 4 and slc.readonly


def test_fromaddress():
    a = bytearray(b'hello')
    m = MPI.memory.frombuffer(a)
    f = MPI.memory.fromaddress(m.address, 3)
    assert f.tobytes() == b'hel' and f.obj is None and not f.readonly
    assert MPI.memory.fromaddress(m.address, 3, readonly=True).readonly
    assert MPI.memory.fromaddress(0, 0).nbytes == 0
    with pytest.raises(ValueError):
        MPI.memory.fromaddress(0, 3)
    with pytest.raises(ValueError):
        MPI.memory.fromaddress(m.address, -1)


def test_buffer_protocol_and_release():
    m = MPI.memory.allocate(16)
    v = memoryview(m)
    assert v.format == 'B' and v.itemsize == 1 and not v.readonly and v.nbytes == 16
    with pytest.raises(BufferError):
        m.release()                # a view is still out: releasing would leave it dangling
    v.release()
    s = m[4:8]
    with pytest.raises(BufferError):
        m.release()
    del s
    m.release()
    assert (len(m), m.nbytes, m.address, m.obj) == (0, 0, 0, None)
    with pytest.raises(IndexError):
        m[0]
    m.release()                    # twice is fine
    ro = MPI.memory.frombuffer(b'xy', readonly=True)
    with pytest.raises(BufferError):
        MPI.memory.frombuffer(ro)            # asks for a writable buffer


def test_alloc_mem():
    m = MPI.Alloc_mem(16)
    assert isinstance(m, MPI.memory) and m.nbytes == 16 and not m.readonly
    m[:] = bytes(range(16))
    assert m.tobytes() == bytes(range(16))
    MPI.Free_mem(m)
    assert m.nbytes == 0
    assert MPI.Alloc_mem(0).nbytes == 0
    assert MPI.Alloc_mem(8, MPI.INFO_NULL).nbytes == 8
    with pytest.raises(ValueError):
        MPI.Alloc_mem(-1)
    with pytest.raises(TypeError):
        MPI.Free_mem(bytearray(4))
    with pytest.raises(ValueError):
        MPI.Free_mem(MPI.memory.frombuffer(bytearray(4)))


def test_memory_as_message_buffer():
    rank, size = comm.rank, comm.size
    if size < 2:
        pytest.skip('needs a peer')
    right, left = (rank + 1) % size, (rank - 1) % size
    out = MPI.Alloc_mem(64)
    out[:] = bytes([rank]) * 64
    inb = MPI.memory.allocate(64)
    if rank % 2 == 0:
        comm.Send([out, MPI.BYTE], right)
        comm.Recv(inb, left)
    else:
        comm.Recv(inb, left)
        comm.Send(out, right)
    assert inb.tobytes() == bytes([left]) * 64
    MPI.Free_mem(out)


def test_no_leaks():
    import gc

    def rss():
        with open('/proc/self/statm') as f:
            return int(f.read().split()[1]) * 4096

    a = bytearray(100)

    def work(n):
        for _ in range(n):
            m = MPI.memory.allocate(1000)
            m[10:20].tobytes()
            MPI.memory.frombuffer(a).toreadonly()
            MPI.Free_mem(MPI.Alloc_mem(100))
            memoryview(m).release()

    work(2000)
    gc.collect()
    before = rss()
    work(20000)
    gc.collect()
    assert rss() - before < 2 << 20
