"""MPI.Status: fields, counts and elements, cancellation, the integer form, copies, and
statuses filled by receives."""
import numpy as np
import pytest
from mpi4py import MPI

comm = MPI.COMM_WORLD


def test_fresh_status():
    s = MPI.Status()
    assert (s.source, s.tag, s.error) == (MPI.ANY_SOURCE, MPI.ANY_TAG, MPI.SUCCESS)
    assert (s.Get_source(), s.Get_tag(), s.Get_error()) == (s.source, s.tag, s.error)
    assert s.count == 0 and s.Get_count() == 0 and s.Get_elements(MPI.INT) == 0
    assert s.cancelled is False and s.Is_cancelled() is False
    assert len(s.py2f()) == 8


def test_setters():
    s = MPI.Status()
    s.Set_source(3)
    s.Set_tag(7)
    s.Set_error(13)
    assert (s.source, s.tag, s.error) == (3, 7, 13)
    s.source, s.tag, s.error = 1, 2, 0
    assert (s.Get_source(), s.Get_tag(), s.Get_error()) == (1, 2, 0)
    with pytest.raises(TypeError):
        s.Set_source('x')
    with pytest.raises(TypeError):
        s.tag = 1.5
    with pytest.raises(OverflowError):
        s.source = 2 ** 40
    with pytest.raises(AttributeError):
        s.count = 3
    with pytest.raises(AttributeError):
        del s.source


def test_counts_and_elements():
    s = MPI.Status()
    s.Set_elements(MPI.DOUBLE, 3)
    assert s.Get_count() == 24 and s.count == 24 and s.Get_count(MPI.DOUBLE) == 3
    assert s.Get_elements(MPI.BYTE) == 24 and s.Get_elements(MPI.INT) == 6
    s.Set_elements(MPI.BYTE, 5)
    assert s.Get_count(MPI.INT) == MPI.UNDEFINED and s.Get_elements(MPI.INT) == MPI.UNDEFINED
    pair = MPI.INT.Create_contiguous(2).Commit()
    s.Set_elements(MPI.INT, 3)
    assert s.Get_count(pair) == MPI.UNDEFINED and s.Get_elements(pair) == 3
    s.Set_elements(pair, 4)
    assert s.Get_count(pair) == 2 and s.Get_elements(MPI.INT) == 4   # basic elements
    pair.Free()
    s.Set_elements(MPI.BYTE, 2 ** 33)
    assert s.Get_elements(MPI.BYTE) == 2 ** 33
    with pytest.raises(MPI.Exception) as e:
        s.Set_elements(MPI.INT, -1)
    assert e.value.Get_error_class() == 2   # MPI_ERR_COUNT
    with pytest.raises(MPI.Exception) as e:
        s.Get_count(MPI.DATATYPE_NULL)
    assert e.value.Get_error_class() == 3   # MPI_ERR_TYPE
    with pytest.raises(TypeError):
        s.Get_elements()
    with pytest.raises(TypeError):
        s.Get_count(4)


def test_cancelled():
    s = MPI.Status()
    s.Set_cancelled(True)
    assert s.Is_cancelled() and s.cancelled
    s.cancelled = False
    assert not s.Is_cancelled()
    s.cancelled = 1
    assert s.cancelled is True


def test_copy_compare_integer_form():
    s = MPI.Status()
    s.source, s.tag, s.error = 3, 7, 4
    s.Set_elements(MPI.INT, 5)
    t = MPI.Status(s)
    assert t == s and t is not s and not (t != s)
    t.tag = 1
    assert t != s and s.tag == 7
    f = s.py2f()
    assert f[:3] == [3, 7, 4] and len(f) == 8
    u = MPI.Status.f2py(f)
    assert u == s and u.Get_count(MPI.INT) == 5
    assert not (s == 3) and s != 'x'
    with pytest.raises(TypeError):
        hash(s)
    with pytest.raises(TypeError):
        MPI.Status(3)
    with pytest.raises(ValueError):
        MPI.Status.f2py([1, 2])
    with pytest.raises(TypeError):
        MPI.Status.f2py(['a'] * 8)
    assert MPI.Status(None) == MPI.Status()


def test_filled_by_recv():
    rank, size = comm.rank, comm.size
    if size < 2:
        pytest.skip('needs a peer')
    right, left = (rank + 1) % size, (rank - 1) % size
    for n in (0, 1, 13, 100000):
        out = np.arange(n, dtype='d') + rank
        inb = np.zeros(n + 5)
        s = MPI.Status()
        tag = 10 + rank
        if rank % 2 == 0:
            comm.Send(out, right, tag)
            comm.Recv(inb, MPI.ANY_SOURCE, MPI.ANY_TAG, s)
        else:
            comm.Recv(inb, MPI.ANY_SOURCE, MPI.ANY_TAG, s)
            comm.Send(out, right, tag)
        assert s.source == left and s.tag == 10 + left and s.error == MPI.SUCCESS
        assert s.Get_count(MPI.DOUBLE) == n and s.count == 8 * n
        assert s.Get_elements(MPI.BYTE) == 8 * n and not s.cancelled
        assert (inb[:n] == np.arange(n) + left).all()
    s = MPI.Status()
    comm.Recv(np.zeros(1), MPI.PROC_NULL, 5, s)
    assert (s.source, s.tag, s.count) == (MPI.PROC_NULL, MPI.ANY_TAG, 0)
