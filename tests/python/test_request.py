"""MPI.Request / Prequest / Grequest: Wait/Test/Get_status/Free/Cancel, the any/all/some
families in both forms (handles and statuses written back, mpi4py's return conventions for
the lower-case ones), handles, comparison, REQUEST_NULL, generalized requests, and requests
dropped while their operations are pending."""
import gc
import threading

import numpy as np
import pytest
from mpi4py import MPI

comm = MPI.COMM_WORLD.Dup()
rank, size = comm.Get_rank(), comm.Get_size()
right, left = (rank + 1) % size, (rank - 1) % size
R = MPI.Request
U = MPI.UNDEFINED


def check_error(excinfo, name):
    exc = excinfo.value
    assert isinstance(exc, MPI.Exception)
    assert exc.Get_error_class() == getattr(MPI, name[4:]), exc.Get_error_string()  # MPI_ERR_X
    assert exc.Get_error_string().startswith(name), exc.Get_error_string()


def pending():
    """A receive nobody sends to (cancelled by the test)."""
    return comm.irecv(source=left, tag=999)


def cancel(*reqs):
    for r in reqs:
        r.Cancel()
        r.Wait()


def exchange(objs, tag0=0):
    """irecv/isend of objs around the ring; returns (receives, sends)."""
    recvs = [comm.irecv(source=left, tag=tag0 + i) for i in range(len(objs))]
    sends = [comm.isend(o, right, tag0 + i) for i, o in enumerate(objs)]
    return recvs, sends


def test_request_null():
    n = MPI.REQUEST_NULL
    assert isinstance(n, R) and not n and n == R() and not (n != R())
    assert R() == R(R())
    with pytest.raises(TypeError):
        hash(R())
    assert n.Wait() is True and n.Test() is True and n.Get_status() is True
    assert n.wait() is None and n.test() == (True, None) and n.get_status() is True
    with pytest.raises(MPI.Exception) as e:
        R().Free()
    check_error(e, 'MPI_ERR_REQUEST')
    with pytest.raises(MPI.Exception) as e:
        R().Cancel()
    check_error(e, 'MPI_ERR_REQUEST')
    assert R.f2py(n.py2f()) == n
    with pytest.raises(TypeError):
        R(5)


def test_wait_test_get_status():
    r = pending()
    assert r and r != MPI.REQUEST_NULL
    assert r.Test() is False and r.Get_status() is False
    assert r.test() == (False, None) and r.get_status() is False
    cancel(r)
    assert r == MPI.REQUEST_NULL
    recvs, sends = exchange([{'a': rank}])
    status = MPI.Status()
    while not recvs[0].Get_status(status):
        pass
    assert status.Get_source() == left and status.Get_tag() == 0
    assert recvs[0]                                 # Get_status does not complete it
    assert recvs[0].wait(status) == {'a': left}
    assert not recvs[0] and status.Get_source() == left
    assert sends[0].wait() is None
    recvs, sends = exchange(['t'])
    flag, obj = False, None
    while not flag:
        flag, obj = recvs[0].test(status)
    assert obj == 't' and status.Get_tag() == 0
    assert recvs[0].test() == (True, None)          # already complete: nothing more
    sends[0].Wait()
    buf = np.zeros(3)
    r = comm.Irecv(buf, left, 5)
    s = comm.Isend(np.arange(3.0) + rank, right, 5)
    while not r.Test(status):
        pass
    assert status.Get_source() == left and (buf == np.arange(3.0) + left).all()
    assert s.Wait() is True and not s


def test_py2f_and_compare():
    r = pending()
    h = r.py2f()
    assert isinstance(h, int) and h != MPI.REQUEST_NULL.py2f()
    r2 = R.f2py(h)
    assert type(r2) is R and r2 == r and not (r2 != r)
    copy = R(r)
    assert copy == r
    assert (r == 5) is False and (r != 'x') is True
    cancel(r)
    assert r != copy            # the copy still holds the old handle


def test_waitall_testall():
    objs = [rank, 'x' * 100, {'k': [rank]}]
    recvs, sends = exchange(objs)
    statuses = [MPI.Status()]
    got = R.waitall(recvs, statuses)
    assert got == [left, 'x' * 100, {'k': [left]}]
    assert len(statuses) == 3 and [s.Get_tag() for s in statuses] == [0, 1, 2]
    assert all(s.Get_source() == left for s in statuses)
    assert R.waitall(sends) == [None, None, None]
    assert R.waitall(recvs) == [None, None, None]   # all null now
    assert R.testall(recvs) == (True, [None, None, None])
    p = pending()
    assert R.testall([p]) == (False, None) and R.Testall([p]) is False
    recvs, sends = exchange([1, 2], tag0=10)
    R.Waitall(sends)
    flag = False
    while not flag:
        flag, got = R.testall(recvs)
    assert got == [1, 2] and all(not r for r in recvs)
    recvs, sends = exchange([3], tag0=20)
    while not R.Testall(recvs + sends):
        pass
    assert R.Waitall(recvs + sends) is True
    cancel(p)
    assert R.Waitall([]) is True and R.Testall([]) is True
    assert R.waitall([]) == [] and R.testall([]) == (True, [])


def test_waitany_testany():
    p = pending()
    assert R.testany([p]) == (U, False, None)
    assert R.Testany([p]) == (U, False)
    recvs, sends = exchange(['first'], tag0=30)
    status = MPI.Status()
    idx, obj = R.waitany([p, recvs[0]], status)
    assert (idx, obj) == (1, 'first') and status.Get_tag() == 30
    assert R.waitany([R(), recvs[0]]) == (U, None)
    assert R.testany([R(), recvs[0]]) == (U, True, None)
    assert R.Waitany([R()]) == U and R.Testany([R()]) == (U, True)
    recvs, sends2 = exchange(['second'], tag0=31)
    flag = False
    while not flag:
        idx, flag, obj = R.testany([p, recvs[0]], status)
    assert (idx, obj) == (1, 'second') and status.Get_source() == left
    recvs, sends3 = exchange(['third'], tag0=32)
    assert R.Waitany([p, recvs[0]]) == 1 and not recvs[0]
    R.waitall(sends + sends2 + sends3)
    cancel(p)
    assert R.waitany([]) == (U, None) and R.testany([]) == (U, True, None)


def test_waitsome_testsome():
    p = pending()
    assert R.testsome([p]) == ([], []) and R.Testsome([p]) == []
    recvs, sends = exchange(['a', 'b'], tag0=40)
    R.Waitall(sends)
    done, objs = {}, {}
    statuses = []
    while len(done) < 2:
        idx, got = R.waitsome([p] + recvs, statuses)
        assert len(statuses) >= len(idx)
        for k, i in enumerate(idx):
            done[i] = got[k]
            assert statuses[k].Get_tag() == 40 + i - 1
    assert done == {1: 'a', 2: 'b'}
    assert R.waitsome(recvs) == (None, None) and R.testsome(recvs) == (None, None)
    assert R.Waitsome(recvs) is None and R.Testsome(recvs) is None
    recvs, sends = exchange(['c'], tag0=42)
    R.Waitall(sends)
    idx = []
    while not idx:
        idx = R.Testsome([p] + recvs)
    assert idx == [1]
    cancel(p)


def test_list_argument_errors():
    with pytest.raises(TypeError):
        R.Waitall([1])
    with pytest.raises(TypeError):
        R.waitall(3)
    with pytest.raises(TypeError):
        R.Waitall([R()], [1])
    with pytest.raises(TypeError):
        R.Waitall([R()], 'not a list')
    with pytest.raises(TypeError):
        R.Waitany([R()], status=3)
    with pytest.raises(TypeError):
        R.Waitall()
    sts = [MPI.Status()]
    assert R.Waitall((R(), R()), sts) is True and len(sts) == 2


def test_errors_in_lists():
    r = comm.Irecv(np.zeros(1), left, 50)
    s = comm.Isend(np.zeros(4), right, 50)
    s.Wait()
    with pytest.raises(MPI.Exception) as e:
        R.Waitall([r])
    assert e.value.Get_error_string().startswith(('MPI_ERR_IN_STATUS', 'MPI_ERR_TRUNCATE'))
    assert r == MPI.REQUEST_NULL
    r = comm.irecv(bytearray(2), left, 51)
    comm.isend('too long for two bytes', right, 51).wait()
    with pytest.raises(MPI.Exception) as e:
        R.waitany([r])
    check_error(e, 'MPI_ERR_TRUNCATE')


def test_cancel_and_free():
    r = pending()
    r.Cancel()
    status = MPI.Status()
    r.Wait(status)
    assert status.Is_cancelled()
    r = pending()
    r.cancel()
    assert r.wait() is None
    # Free() of a pending receive: it still completes, into its own buffer
    buf = bytearray(8)
    r = comm.Irecv(buf, left, 60)
    r.Free()
    assert r == MPI.REQUEST_NULL
    comm.Send(b'12345678', right, 60)
    comm.Barrier()
    # an object receive freed before its message comes, then the message
    r = comm.irecv(source=left, tag=62)
    r.Free()
    del r
    comm.send('dropped', right, 62)
    comm.Barrier()
    # complete and free
    s = comm.isend('y', right, 63)
    assert comm.recv(None, left, 63) == 'y'
    s.Wait()
    s2 = comm.Isend(b'z', right, 64)
    comm.Recv(bytearray(1), left, 64)
    while not s2.Get_status():
        pass
    s2.Free()
    assert not s2


def test_dropped_requests_keep_buffers():
    # Requests dropped while pending: their buffers stay with MPI until it is done, and the
    # messages still arrive intact; memory does not grow over many of them.
    def rss_kib():
        with open('/proc/self/statm') as f:
            return int(f.read().split()[1]) * 4

    def burst(n):
        for i in range(n):
            # dropped at once; the large ones (rendezvous) are still pending then
            pad = 'p' * (500 if i % 2 else 70000)
            comm.isend({'i': i, 'pad': pad}, right, 70)
            comm.Isend(np.full(100 if i % 2 else 20000, i, dtype='i'), right, 71)
            assert comm.recv(None, left, 70) == {'i': i, 'pad': pad}
            buf = np.zeros(100 if i % 2 else 20000, dtype='i')
            comm.Recv(buf, left, 71)
            assert (buf == i).all()
        gc.collect()

    burst(200)
    before = rss_kib()
    burst(2000)
    assert rss_kib() - before < 4096


def test_memory_flat_nonblocking():
    def rss_kib():
        with open('/proc/self/statm') as f:
            return int(f.read().split()[1]) * 4

    self_comm = MPI.COMM_SELF
    buf = np.zeros(10)

    def loop(n):
        for i in range(n):
            reqs = [self_comm.irecv(source=0, tag=1), self_comm.Irecv(buf, 0, 2),
                    self_comm.isend([i], 0, 1), self_comm.Isend(buf, 0, 2)]
            assert R.waitall(reqs)[0] == [i]

    loop(2000)
    before = rss_kib()
    loop(20000)
    assert rss_kib() - before < 2048


def test_prequest():
    out, inp = np.zeros(4), np.zeros(4)
    s = comm.Send_init(out, right, 80)
    r = comm.Recv_init(inp, left, 80)
    assert type(s) is MPI.Prequest and isinstance(s, R)
    for it in range(4):
        out[:] = rank * 100 + it
        MPI.Prequest.Startall([r, s])
        if it % 2:
            R.Waitall([s, r])
        else:
            while not R.Testall([s, r]):
                pass
        assert (inp == left * 100 + it).all() and s and r
        assert s.Test() is True             # inactive: completes at once
    s.Free()
    r.Free()
    assert not s and not r
    with pytest.raises(TypeError):
        MPI.Prequest.Startall([1])


def test_grequest():
    log = []

    def query(status, *args, **kwargs):
        assert isinstance(status, MPI.Status)
        log.append(('query', args, kwargs))

    def free(*args, **kwargs):
        log.append(('free', args, kwargs))

    def cancel_fn(completed, *args, **kwargs):
        log.append(('cancel', completed))

    g = MPI.Grequest.Start(query, free, cancel_fn, (1, 2), {'k': 3})
    assert isinstance(g, MPI.Grequest) and g
    assert g.Test() is False
    threading.Timer(0.05, g.Complete).start()
    assert g.Wait() is True                      # another thread completes it
    assert not g
    assert ('query', (1, 2), {'k': 3}) in log and ('free', (1, 2), {'k': 3}) in log
    g = MPI.Grequest.Start(query, free, cancel_fn)
    g.Cancel()
    assert ('cancel', False) in log
    g.Complete()
    assert g.wait() is None
    g = MPI.Grequest.Start(None, None, None)
    g.Complete()
    assert R.Waitall([g]) is True
    with pytest.raises(TypeError):
        MPI.Grequest.Start(1, None, None)

    def bad_query(status):
        raise MPI.Exception(MPI.ERR_OTHER)

    g = MPI.Grequest.Start(bad_query, None, None)
    g.Complete()
    with pytest.raises(MPI.Exception):
        g.Wait()
