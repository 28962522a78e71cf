"""Smoke test of the mpi4py package: import, rank/size, an object and a buffer message."""
import numpy as np
from mpi4py import MPI

comm = MPI.COMM_WORLD


def test_rank_size():
    assert 0 <= comm.Get_rank() < comm.Get_size()
    assert comm.rank == comm.Get_rank() and comm.size == comm.Get_size()


def test_ring_object_and_buffer():
    rank, size = comm.rank, comm.size
    if size < 2:
        return
    right, left = (rank + 1) % size, (rank - 1) % size
    if rank % 2 == 0:
        comm.send({'from': rank}, dest=right, tag=5)
        got = comm.recv(source=left, tag=5)
    else:
        got = comm.recv(source=left, tag=5)
        comm.send({'from': rank}, dest=right, tag=5)
    assert got == {'from': left}
    out = np.arange(10, dtype='i') + rank
    inp = np.empty(10, dtype='i')
    if rank % 2 == 0:
        comm.Send(out, dest=right)
        comm.Recv(inp, source=left)
    else:
        comm.Recv(inp, source=left)
        comm.Send(out, dest=right)
    assert (inp == np.arange(10) + left).all()


def test_error_is_exception():
    try:
        comm.Send(np.zeros(1), dest=comm.size + 5)
    except MPI.Exception as exc:
        assert exc.Get_error_class() == MPI.ERR_RANK
        assert isinstance(exc, RuntimeError)
    else:
        raise AssertionError("no exception for a bad rank")
