"""MPI.Message: matched probes from Comm and the Message classmethods, Recv/Irecv into
buffers and recv/irecv of objects (every size), MESSAGE_NULL / MESSAGE_NO_PROC, handles and
comparison, and the errors of receiving a message twice."""
import numpy as np
import pytest
from mpi4py import MPI

comm = MPI.COMM_WORLD.Dup()
rank, size = comm.Get_rank(), comm.Get_size()
right, left = (rank + 1) % size, (rank - 1) % size
M = MPI.Message


def check_error(excinfo, name):
    exc = excinfo.value
    assert isinstance(exc, MPI.Exception)
    assert exc.Get_error_class() == getattr(MPI, name[4:]), exc.Get_error_string()  # MPI_ERR_X
    assert exc.Get_error_string().startswith(name), exc.Get_error_string()


def test_constants():
    assert isinstance(MPI.MESSAGE_NULL, M) and not MPI.MESSAGE_NULL
    assert MPI.MESSAGE_NO_PROC and MPI.MESSAGE_NO_PROC != MPI.MESSAGE_NULL
    assert M() == MPI.MESSAGE_NULL and M(MPI.MESSAGE_NO_PROC) == MPI.MESSAGE_NO_PROC
    with pytest.raises(TypeError):
        hash(M())
    with pytest.raises(TypeError):
        M(3)
    assert M.f2py(MPI.MESSAGE_NULL.py2f()) == MPI.MESSAGE_NULL
    assert M.f2py(MPI.MESSAGE_NO_PROC.py2f()) == MPI.MESSAGE_NO_PROC
    assert (M() == 1) is False


@pytest.mark.parametrize('n', [0, 1, 1000, 65539, 1 << 19])
def test_buffers_every_size(n):
    out = np.arange(n, dtype='d') + rank
    req = comm.Isend(out, right, 1)
    status = MPI.Status()
    msg = comm.Mprobe(left, 1, status)
    assert msg and status.Get_source() == left and status.Get_tag() == 1
    inp = np.full(n, -1.0)
    msg.Recv(inp, status)
    assert not msg and (inp == np.arange(n) + left).all()
    assert status.Get_source() == left
    req.Wait()
    req = comm.Isend(out, right, 2)
    msg = M.Probe(comm, MPI.ANY_SOURCE, MPI.ANY_TAG, status)
    assert status.Get_tag() == 2
    inp = np.full(n, -1.0)
    r = msg.Irecv([inp, MPI.DOUBLE])
    assert msg == MPI.MESSAGE_NULL
    r.Wait()
    req.Wait()
    assert (inp == np.arange(n) + left).all()


@pytest.mark.parametrize('obj', [None, 0, 'x' * 70000, {'d': list(range(1000))}])
def test_objects(obj):
    req = comm.isend([rank, obj], right, 3)
    status = MPI.Status()
    msg = comm.mprobe(left, 3, status)
    assert status.Get_source() == left
    assert msg.recv(status) == [left, obj] and status.Get_tag() == 3
    assert msg == MPI.MESSAGE_NULL
    req.wait()
    req = comm.isend([rank, obj], right, 4)
    msg = M.probe(comm, left, 4)
    assert msg.irecv().wait() == [left, obj]
    req.wait()


def test_iprobe_forms():
    assert comm.Improbe(left, 5) is None and comm.improbe(left, 5) is None
    assert M.Iprobe(comm, left, 5) is None and M.iprobe(comm, left, 5) is None
    comm.Barrier()              # nobody sends tag 5 before everyone looked
    req = comm.isend('i', right, 5)
    msg = None
    while msg is None:
        msg = M.iprobe(comm, left, 5)
    assert type(msg) is M and msg.recv() == 'i'
    req.wait()
    req = comm.Isend(b'ab', right, 6)
    status = MPI.Status()
    msg = None
    while msg is None:
        msg = M.Iprobe(comm, left, 6, status)
    assert status.Get_source() == left
    buf = bytearray(2)
    msg.Recv(buf)
    assert buf == b'ab'
    req.Wait()


def test_matched_message_is_not_stolen():
    req = comm.isend('one', right, 7)
    msg = comm.mprobe(left, 7)
    # a later receive of the same source/tag gets the next message, not the probed one
    r2 = comm.irecv(source=left, tag=7)
    req2 = comm.isend('two', right, 7)
    assert r2.wait() == 'two'
    assert msg.recv() == 'one'
    req.wait()
    req2.wait()


def test_proc_null_and_errors():
    status = MPI.Status()
    msg = comm.Mprobe(MPI.PROC_NULL, status=status)
    assert msg == MPI.MESSAGE_NO_PROC and status.Get_source() == MPI.PROC_NULL
    msg.Recv(None)
    assert msg == MPI.MESSAGE_NULL
    assert M.Probe(comm, MPI.PROC_NULL).recv() is None
    assert M.Iprobe(comm, MPI.PROC_NULL).Irecv(None).Wait() is True
    assert M.iprobe(comm, MPI.PROC_NULL).irecv().wait() is None
    with pytest.raises(MPI.Exception) as e:
        M().Recv(bytearray(1))
    check_error(e, 'MPI_ERR_REQUEST')
    with pytest.raises(MPI.Exception) as e:
        M().recv()
    check_error(e, 'MPI_ERR_REQUEST')
    with pytest.raises(MPI.Exception) as e:
        M().irecv()
    check_error(e, 'MPI_ERR_REQUEST')
    with pytest.raises(MPI.Exception) as e:
        M.Probe(comm, size)
    check_error(e, 'MPI_ERR_RANK')
    with pytest.raises(MPI.Exception) as e:
        M.iprobe(comm, left, -3)
    check_error(e, 'MPI_ERR_TAG')
    with pytest.raises(TypeError):
        M.Probe('not a comm')
    with pytest.raises(TypeError):
        M.Probe()
    # a truncated matched receive consumes the message and says so
    req = comm.Isend(np.zeros(8), right, 8)
    msg = comm.Mprobe(left, 8)
    with pytest.raises(MPI.Exception) as e:
        msg.Recv(np.zeros(2))
    check_error(e, 'MPI_ERR_TRUNCATE')
    assert msg == MPI.MESSAGE_NULL
    req.Wait()
    # a bad buffer is refused before anything is received
    req = comm.Isend(np.zeros(2), right, 9)
    msg = comm.Mprobe(left, 9)
    with pytest.raises(TypeError):
        msg.Recv(5)
    assert msg
    msg.Recv(np.zeros(2))
    req.Wait()


def test_handles():
    req = comm.isend('h', right, 10)
    msg = comm.mprobe(left, 10)
    h = msg.py2f()
    assert isinstance(h, int) and h not in (MPI.MESSAGE_NULL.py2f(), MPI.MESSAGE_NO_PROC.py2f())
    same = M.f2py(h)
    assert same == msg and M(msg) == msg
    with pytest.raises(ValueError):
        same.recv()                 # the size is not known from an integer handle
    assert msg.recv() == 'h'
    req.wait()
