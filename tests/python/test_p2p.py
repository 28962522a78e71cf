"""Point-to-point: every upper-case send/receive mode (blocking, nonblocking, persistent,
buffered), Sendrecv(_replace), the probes, the lower-case object methods, MPI.PROC_NULL,
wildcards with status, empty and 4 MiB messages, argument and MPI errors, and the GIL being
released while a call blocks."""
import threading
import time

import numpy as np
import pytest
from mpi4py import MPI

comm = MPI.COMM_WORLD.Dup()
rank, size = comm.Get_rank(), comm.Get_size()
right, left = (rank + 1) % size, (rank - 1) % size

# element counts: empty, tiny, odd, a page, past the eager limits, 4 MiB of doubles
COUNTS = [0, 1, 7, 512, 65539 // 8 + 1, 4 * 1024 * 1024 // 8]


def check_error(excinfo, name):
    exc = excinfo.value
    assert isinstance(exc, MPI.Exception) and isinstance(exc, RuntimeError)
    assert exc.Get_error_class() == getattr(MPI, name[4:]), exc.Get_error_string()  # MPI_ERR_X
    assert exc.Get_error_string().startswith(name), exc.Get_error_string()


def data(n, seed, dtype='d'):
    return (np.arange(n, dtype=dtype) * 3 + seed).astype(dtype)


def token_ring(send, recv):
    """Rank 0 sends first, the others receive first (blocking calls in a ring)."""
    if size == 1:
        raise AssertionError('token_ring needs 2 ranks')
    if rank == 0:
        send()
        recv()
    else:
        recv()
        send()


@pytest.mark.parametrize('mode', ['Send', 'Ssend'])
def test_blocking_modes_all_sizes(mode):
    if size == 1:
        pytest.skip('a blocking ring needs 2 ranks')
    fn = getattr(comm, mode)
    for i, n in enumerate(COUNTS):
        out, inp = data(n, rank), np.full(n, -1.0)
        status = MPI.Status()
        token_ring(lambda: fn(out, right, i), lambda: comm.Recv(inp, left, i, status))
        assert (inp == data(n, left)).all()
        assert status.Get_source() == left and status.Get_tag() == i
        assert status.Get_count(MPI.DOUBLE) == n


def test_message_specs():
    # buf, [buf, type], [buf, count, type], [buf, (count, displ), type], typecodes
    out = np.arange(10, dtype='i') + 100 * rank
    specs = [(out, lambda b: b), ([out, MPI.INT], lambda b: [b, MPI.INT]),
             ([out, 4, MPI.INT], lambda b: [b, 4, MPI.INT]),
             ([out, (3, 2), MPI.INT], lambda b: [b, (3, 2), MPI.INT]),
             ([out, 'i'], lambda b: [b, 'i'])]
    for tag, (sspec, rspec) in enumerate(specs):
        inp = np.full(10, -1, dtype='i')
        req = comm.Isend(sspec, right, tag)
        comm.Recv(rspec(inp), left, tag)
        req.Wait()
        want = np.arange(10, dtype='i') + 100 * left
        if tag == 2:
            assert (inp[:4] == want[:4]).all() and (inp[4:] == -1).all()
        elif tag == 3:
            assert (inp[2:5] == want[2:5]).all() and (inp[:2] == -1).all()
        else:
            assert (inp == want).all()
    # bytes-like objects without NumPy
    req = comm.Isend(b'hello', right, 9)
    buf = bytearray(5)
    comm.Recv(buf, left, 9)
    req.Wait()
    assert buf == b'hello'


def test_rsend_and_irsend():
    inp = [np.zeros(5), np.zeros(5)]
    reqs = [comm.Irecv(inp[0], left, 1), comm.Irecv(inp[1], left, 2)]
    comm.Barrier()   # every receive is posted: ready mode is legal
    comm.Rsend(data(5, rank), right, 1)
    comm.Irsend(data(5, rank + 1), right, 2).Wait()
    MPI.Request.Waitall(reqs)
    assert (inp[0] == data(5, left)).all() and (inp[1] == data(5, left + 1)).all()


def test_buffered_mode():
    buf = bytearray(1 << 20)
    MPI.Attach_buffer(buf)
    try:
        out = data(1000, rank)
        comm.Bsend(out, right, 1)
        req = comm.Ibsend(out, right, 2)
        preq = comm.Bsend_init(out, right, 3)
        assert isinstance(preq, MPI.Prequest)
        preq.Start()
        for tag in (1, 2, 3):
            inp = np.zeros(1000)
            comm.Recv(inp, left, tag)
            assert (inp == data(1000, left)).all()
        req.Wait()
        preq.Wait()
        preq.Free()
        comm.bsend({'b': rank}, right, 4)
        assert comm.recv(None, left, 4) == {'b': left}
        comm.ibsend([rank], right, 5).wait()
        assert comm.recv(None, left, 5) == [left]
    finally:
        assert MPI.Detach_buffer() is buf
    with pytest.raises(TypeError):
        MPI.Attach_buffer(5)
    with pytest.raises(BufferError):
        MPI.Attach_buffer(b'read-only')


def test_sendrecv_and_replace():
    status = MPI.Status()
    inp = np.zeros(7)
    comm.Sendrecv(data(7, rank), right, 3, inp, left, 3, status)
    assert (inp == data(7, left)).all()
    assert status.Get_source() == left and status.Get_tag() == 3
    comm.Sendrecv(sendbuf=data(7, rank), dest=right, recvbuf=inp, status=status)
    assert (inp == data(7, left)).all() and status.Get_source() == left
    for n in (0, 3, 65539 // 8 + 1):
        buf = data(n, rank)
        comm.Sendrecv_replace(buf, right, 5, left, 5, status)
        assert (buf == data(n, left)).all() and status.Get_tag() == 5
    buf = data(3, rank)
    comm.Sendrecv_replace(buf, dest=right, source=MPI.ANY_SOURCE, recvtag=MPI.ANY_TAG,
                          status=status)
    assert (buf == data(3, left)).all()
    assert status.Get_source() == left and status.Get_tag() == 0
    with pytest.raises(TypeError):
        comm.Sendrecv(data(1, rank), right)          # recvbuf None with a real source


def test_nonblocking_all_sizes():
    for mode in ('Isend', 'Issend'):
        fn = getattr(comm, mode)
        reqs, inps = [], []
        for i, n in enumerate(COUNTS):
            inps.append(np.full(n, -1.0))
            reqs.append(comm.Irecv(inps[-1], left, i))
        for i, n in enumerate(COUNTS):
            reqs.append(fn(data(n, rank), right, i))
        statuses = []
        assert MPI.Request.Waitall(reqs, statuses) is True
        assert len(statuses) == len(reqs)
        for i, n in enumerate(COUNTS):
            assert (inps[i] == data(n, left)).all()
            assert statuses[i].Get_source() == left and statuses[i].Get_tag() == i
        assert all(r == MPI.REQUEST_NULL for r in reqs)


def test_nonblocking_keeps_buffers_alive():
    # The requests hold the only references to their buffers.
    req = comm.Irecv(bytearray(16), left, 6)
    out = comm.Isend(bytearray(b'0123456789abcdef'), right, 6)
    out.Wait()
    req.Wait()
    inp = bytearray(16)
    r = comm.Irecv([inp, MPI.BYTE], left, 7)
    comm.Isend(np.frombuffer(b'fedcba9876543210', dtype='u1').copy(), right, 7).Wait()
    r.Wait()
    assert inp == b'fedcba9876543210'


def test_persistent():
    out, inp = np.zeros(5), np.zeros(5)
    for mode in ('Send_init', 'Ssend_init'):
        sreq = getattr(comm, mode)(out, right, 11)
        rreq = comm.Recv_init(inp, left, 11)
        assert isinstance(sreq, MPI.Prequest) and isinstance(rreq, MPI.Prequest)
        for it in range(3):
            out[:] = data(5, rank * 10 + it)
            if it % 2:
                rreq.Start()
                sreq.Start()
            else:
                MPI.Prequest.Startall([rreq, sreq])
            MPI.Request.Waitall([sreq, rreq])
            assert (inp == data(5, left * 10 + it)).all()
            assert sreq != MPI.REQUEST_NULL    # persistent requests stay
        sreq.Free()
        rreq.Free()
        assert sreq == MPI.REQUEST_NULL and rreq == MPI.REQUEST_NULL
    rreq = comm.Recv_init(inp, left, 12)
    rreq.Start()
    comm.Barrier()
    sreq = comm.Rsend_init(out, right, 12)
    sreq.Start()
    MPI.Request.Waitall([sreq, rreq])
    sreq.Free()
    rreq.Free()


def test_probes():
    req = comm.Isend(data(6, rank), right, 21)
    status = MPI.Status()
    assert comm.Probe(left, 21, status) is True
    assert status.Get_source() == left and status.Get_tag() == 21
    assert status.Get_count(MPI.DOUBLE) == 6
    assert comm.Iprobe(left, 21) is True
    assert comm.Iprobe(left, 22) is False
    msg = comm.Mprobe(MPI.ANY_SOURCE, MPI.ANY_TAG, status)
    assert isinstance(msg, MPI.Message) and msg and status.Get_source() == left
    assert comm.Iprobe(left, 21) is False      # the matched message left the queue
    inp = np.zeros(6)
    msg.Recv(inp)
    assert not msg and msg == MPI.MESSAGE_NULL
    assert (inp == data(6, left)).all()
    req.Wait()
    assert comm.Improbe(left, 23) is None
    comm.Barrier()                             # nobody sends tag 23 before everyone looked
    req = comm.Isend(data(2, rank), right, 23)
    msg = None
    while msg is None:
        msg = comm.Improbe(left, 23)
    inp = np.zeros(2)
    msg.Irecv(inp).Wait()
    req.Wait()
    assert (inp == data(2, left)).all()


def test_any_source_any_tag():
    req = comm.Isend(data(3, rank), right, 31 + rank)
    status = MPI.Status()
    inp = np.zeros(3)
    comm.Recv(inp, MPI.ANY_SOURCE, MPI.ANY_TAG, status)
    assert status.Get_source() == left and status.Get_tag() == 31 + left
    assert (inp == data(3, left)).all()
    req.Wait()


def test_proc_null():
    P = MPI.PROC_NULL
    status = MPI.Status()
    for fn in (comm.Send, comm.Ssend, comm.Rsend):
        fn(None, P)
        fn(np.zeros(3), P, 5)
    comm.Recv(None, P, 0, status)
    assert status.Get_source() == P and status.Get_tag() == MPI.ANY_TAG
    comm.Recv(np.zeros(3), P)
    comm.Sendrecv(None, P, 0, None, P, 0, status)
    assert status.Get_source() == P
    comm.Sendrecv_replace(None, P, source=P)
    for fn in (comm.Isend, comm.Issend, comm.Irsend, comm.Irecv):
        assert fn(None, P).Wait(status) is True
    for fn in (comm.Send_init, comm.Ssend_init, comm.Recv_init):
        r = fn(None, P)
        r.Start()
        r.Wait()
        r.Free()
    assert comm.Probe(P, status=status) is True and status.Get_source() == P
    assert comm.Iprobe(P) is True
    msg = comm.Mprobe(P)
    assert msg == MPI.MESSAGE_NO_PROC
    msg.Recv(None, status)
    assert msg == MPI.MESSAGE_NULL and status.Get_source() == P
    assert comm.Improbe(P) == MPI.MESSAGE_NO_PROC
    assert comm.send({'x': 1}, P) is None
    assert comm.recv(None, P, status=status) is None and status.Get_source() == P
    assert comm.isend(1, P).wait() is None
    assert comm.irecv(source=P).wait() is None
    assert comm.sendrecv(1, P, source=P) is None
    assert comm.ssend(1, P) is None
    assert comm.probe(P) is True and comm.iprobe(P) is True
    assert comm.mprobe(P).recv() is None
    assert comm.improbe(P).irecv().wait() is None


def test_errors_rank_and_tag():
    buf = np.zeros(1)
    for call in (lambda: comm.Send(buf, size), lambda: comm.Ssend(buf, -7),
                 lambda: comm.Recv(buf, size + 1), lambda: comm.Isend(buf, size),
                 lambda: comm.Irecv(buf, size), lambda: comm.Probe(size),
                 lambda: comm.Iprobe(size), lambda: comm.Mprobe(size),
                 lambda: comm.Send_init(buf, size), lambda: comm.send(1, size),
                 lambda: comm.recv(None, size), lambda: comm.isend(1, size),
                 lambda: comm.irecv(None, size), lambda: comm.sendrecv(1, size),
                 lambda: comm.improbe(size)):
        with pytest.raises(MPI.Exception) as e:
            call()
        check_error(e, 'MPI_ERR_RANK')
    for call in (lambda: comm.Send(buf, rank, -5), lambda: comm.Isend(buf, rank, -5),
                 lambda: comm.Recv(buf, rank, -5), lambda: comm.send(1, rank, -5),
                 lambda: comm.recv(None, rank, -5), lambda: comm.irecv(None, rank, -5),
                 lambda: comm.Iprobe(rank, -5), lambda: comm.isend(1, rank, -5)):
        with pytest.raises(MPI.Exception) as e:
            call()
        check_error(e, 'MPI_ERR_TAG')


def test_errors_arguments():
    buf = np.zeros(3)
    with pytest.raises(TypeError):
        comm.Send(3, right)
    with pytest.raises(TypeError):
        comm.Send(None, right)
    with pytest.raises(ValueError):
        comm.Send([buf, 5, MPI.DOUBLE], right)     # count beyond the buffer
    with pytest.raises(ValueError):
        comm.Send([buf, 1, 2, 3, 4], right)
    with pytest.raises(BufferError):
        comm.Recv(b'read-only', left)
    with pytest.raises(TypeError):
        comm.Send(buf)                             # dest missing
    with pytest.raises(TypeError):
        comm.Send(buf, 'one')
    with pytest.raises(TypeError):
        comm.Send(buf, right, bogus=1)
    with pytest.raises(TypeError):
        comm.Recv(buf, left, 0, status=3)
    with pytest.raises(TypeError):
        comm.Probe(status='x')
    with pytest.raises(OverflowError):
        comm.Send(buf, 2**40)
    with pytest.raises(TypeError):
        comm.recv(3, left)
    with pytest.raises(TypeError):
        comm.send()


def test_truncation():
    req = comm.Isend(data(10, rank), right, 41)
    with pytest.raises(MPI.Exception) as e:
        comm.Recv(np.zeros(4), left, 41)
    check_error(e, 'MPI_ERR_TRUNCATE')
    req.Wait()
    req = comm.isend('x' * 100, right, 42)
    with pytest.raises(MPI.Exception) as e:
        comm.recv(bytearray(10), left, 42)
    check_error(e, 'MPI_ERR_TRUNCATE')
    req.wait()
    r = comm.Irecv(np.zeros(2), left, 43)
    comm.Isend(data(5, rank), right, 43).Wait()
    with pytest.raises(MPI.Exception) as e:
        r.Wait()
    check_error(e, 'MPI_ERR_TRUNCATE')
    assert r == MPI.REQUEST_NULL


def test_objects_blocking():
    if size == 1:
        assert comm.sendrecv({'me': rank}, rank, source=rank) == {'me': rank}
        return
    def objects(r):
        return [None, 1, {'a': [r]}, {'k': 'v' * (4 << 20), 'r': r}]

    for mode in ('send', 'ssend'):
        fn = getattr(comm, mode)
        for tag, (obj, want) in enumerate(zip(objects(rank), objects(left))):
            got = []
            status = MPI.Status()
            token_ring(lambda: fn(obj, right, tag),
                       lambda: got.append(comm.recv(None, left, tag, status)))
            assert got == [want] and status.Get_source() == left and status.Get_tag() == tag
    status = MPI.Status()
    got = comm.sendrecv(('sr', rank), right, 3, None, MPI.ANY_SOURCE, MPI.ANY_TAG, status)
    assert got == ('sr', left) and status.Get_source() == left and status.Get_tag() == 3
    assert comm.sendrecv(sendobj=[rank], dest=right, recvbuf=bytearray(64),
                         source=left) == [left]


def test_objects_recv_into_buffer():
    buf = bytearray(1000)
    for tag in range(3):
        req = comm.isend([rank, tag], right, tag)
        assert comm.recv(buf, left, tag) == [left, tag]
        req.wait()
    arr = np.zeros(1000, dtype='u1')
    req = comm.isend('np', right, 5)
    assert comm.recv(arr, left, 5) == 'np'
    req.wait()


def test_objects_nonblocking():
    big = list(range(300000))           # ~1.5 MB pickled: a default-sized buffer is too small
    # posted before anything is sent, in posting order, of any size
    reqs = [comm.irecv(source=left, tag=1), comm.irecv(source=left, tag=1),
            comm.irecv(bytearray(256), left, 2)]
    sends = [comm.isend(big, right, 1), comm.issend({'s': rank}, right, 1),
             comm.isend((rank,), right, 2)]
    got = MPI.Request.waitall(reqs)
    assert got == [big, {'s': left}, (left,)]
    assert MPI.Request.waitall(sends) == [None, None, None]
    status = MPI.Status()
    r = comm.irecv(source=MPI.ANY_SOURCE, tag=MPI.ANY_TAG)
    comm.isend('any', right, 77).wait()
    assert r.wait(status) == 'any'
    assert status.Get_source() == left and status.Get_tag() == 77


def test_objects_probes():
    req = comm.isend({'p': rank}, right, 51)
    status = MPI.Status()
    assert comm.probe(left, 51, status) is True and status.Get_tag() == 51
    assert comm.iprobe(left, 51) is True and comm.iprobe(left, 52) is False
    msg = comm.mprobe(left, 51, status)
    assert status.Get_source() == left
    assert msg.recv() == {'p': left}
    req.wait()
    assert comm.improbe(left, 53) is None
    comm.Barrier()
    req = comm.isend([1, 2, rank], right, 53)
    msg = None
    while msg is None:
        msg = comm.improbe(left, 53)
    assert msg.irecv().wait() == [1, 2, left]
    req.wait()


def test_gil_released_while_blocked():
    """Another thread of this process runs (and sends the awaited message) while the main
    thread blocks in each call; if a call held the GIL this would deadlock."""
    self_comm = MPI.COMM_SELF
    calls = [
        ('Recv', lambda: self_comm.Recv(bytearray(64), 0, 1)),
        ('recv', lambda: self_comm.recv(None, 0, 1)),
        ('recv(buf)', lambda: self_comm.recv(bytearray(100), 0, 1)),
        ('Probe', lambda: self_comm.Probe(0, 1) and self_comm.recv(None, 0, 1)),
        ('Mprobe', lambda: self_comm.Mprobe(0, 1).recv()),
        ('probe', lambda: self_comm.probe(0, 1) and self_comm.recv(None, 0, 1)),
        ('Wait', lambda: self_comm.Irecv(bytearray(64), 0, 1).Wait()),
        ('wait', lambda: self_comm.irecv(None, 0, 1).wait()),
        ('Waitall', lambda: MPI.Request.Waitall([self_comm.Irecv(bytearray(64), 0, 1)])),
        ('sendrecv', lambda: self_comm.sendrecv(1, 0, 2, None, 0, 1) and
         self_comm.recv(None, 0, 2)),
    ]
    for name, call in calls:
        sent = []

        def helper():
            time.sleep(0.02)            # the main thread is blocked by now
            sent.append(time.monotonic())
            self_comm.send(b'abc', 0, 1)

        t = threading.Thread(target=helper)
        t.start()
        call()                          # returns only once the helper could run
        done = time.monotonic()
        t.join()
        assert sent and done >= sent[0], name


def test_gil_released_across_ranks():
    if size < 2:
        pytest.skip('needs 2 ranks')
    ticks = []
    stop = threading.Event()

    def ticker():
        while not stop.is_set():
            ticks.append(1)
            time.sleep(0.001)

    comm.Barrier()
    if rank == 0:
        t = threading.Thread(target=ticker)
        t.start()
        comm.recv(None, 1, 61)         # rank 1 sends only after 0.2 s
        stop.set()
        t.join()
        assert len(ticks) >= 2          # the ticker ran while the main thread waited
    elif rank == 1:
        time.sleep(0.2)
        comm.send('late', 0, 61)
