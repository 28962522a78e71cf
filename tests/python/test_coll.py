"""Upper-case collectives over buffers: every method (blocking and nonblocking) checked
against a serial reference on every rank, with mpi4py's message rules (blocks split evenly,
None on processes whose buffer MPI ignores, MPI.IN_PLACE), several datatypes and sizes,
intercommunicators, argument errors and MPI errors.
Every rank runs every test in the same order."""
import gc

import numpy as np
import pytest
from mpi4py import MPI

comm = MPI.COMM_WORLD
rank, size = comm.rank, comm.size


TYPES = ['b', 'i', 'l', 'B', 'H', 'q', 'f', 'd', 'F', 'D', '?']
MPITYPE = {'i': MPI.INT, 'd': MPI.DOUBLE, 'f': MPI.FLOAT, 'l': MPI.LONG, 'D': MPI.C_DOUBLE_COMPLEX}
COUNTS = [0, 1, 7, 300]
if size >= 8:       # oversubscribed: sweep a subset
    TYPES, COUNTS = ['b', 'i', 'd', 'D', '?'], [0, 7, 300]
ROOTS = sorted({0, size // 2, size - 1})


def val(r, n, t='i', salt=0):
    """Rank r's n items of type t: small, distinct per rank and position."""
    x = (np.arange(n) * 3 + r * 5 + salt) % 11 + 1
    if t == '?':
        return x % 2 == 0
    a = x.astype(t)
    if t in 'FD':
        a = a + 1j * (r + 1)
    return a


def empty(n, t):
    return np.full(n, 99 if t != '?' else True, dtype=t)


def expect_mpi_error(cls, f):
    with pytest.raises(MPI.Exception) as info:
        f()
    assert info.value.Get_error_class() == cls, info.value


# ---- the manual's examples (section 3.3) ------------------------------------------------

def test_manual_bcast_numpy():
    if rank == 0:
        data = np.arange(100, dtype='i')
    else:
        data = np.empty(100, dtype='i')
    comm.Bcast(data, root=0)
    for i in range(100):
        assert data[i] == i


def test_manual_scatter_numpy():
    sendbuf = None
    if rank == 0:
        sendbuf = np.empty([size, 100], dtype='i')
        sendbuf.T[:, :] = range(size)
    recvbuf = np.empty(100, dtype='i')
    comm.Scatter(sendbuf, recvbuf, root=0)
    assert np.allclose(recvbuf, rank)


def test_manual_gather_numpy():
    sendbuf = np.zeros(100, dtype='i') + rank
    recvbuf = None
    if rank == 0:
        recvbuf = np.empty([size, 100], dtype='i')
    comm.Gather(sendbuf, recvbuf, root=0)
    if rank == 0:
        for i in range(size):
            assert np.allclose(recvbuf[i, :], i)


def test_manual_matvec():
    def matvec(comm, A, x):
        m = A.shape[0]  # local rows
        p = comm.Get_size()
        xg = np.zeros(m * p, dtype='d')
        comm.Allgather([x, MPI.DOUBLE],
                       [xg, MPI.DOUBLE])
        y = np.dot(A, xg)
        return y
    m = 3
    full = np.arange(m * size * m * size, dtype='d').reshape(m * size, m * size)
    xfull = np.arange(m * size, dtype='d')
    y = matvec(comm, full[rank * m:(rank + 1) * m], xfull[rank * m:(rank + 1) * m])
    assert np.allclose(y, full.dot(xfull)[rank * m:(rank + 1) * m])


# ---- Barrier, Bcast --------------------------------------------------------------------------

def test_barrier():
    assert comm.Barrier() is None
    req = comm.Ibarrier()
    assert isinstance(req, MPI.Request)
    req.Wait()
    MPI.COMM_SELF.Barrier()


def test_bcast_types_counts_roots():
    for t in TYPES:
        for n in COUNTS:
            for root in ROOTS:
                buf = val(root, n, t) if rank == root else empty(n, t)
                comm.Bcast(buf, root=root)
                assert np.array_equal(buf, val(root, n, t)), (t, n, root)


def test_bcast_spec_forms():
    for root in ROOTS:
        ref = val(root, 10, 'd')
        forms = [lambda b: b, lambda b: [b, MPI.DOUBLE], lambda b: (b, MPI.DOUBLE),
                 lambda b: [b, 10, MPI.DOUBLE], lambda b: [b, (10, 0), MPI.DOUBLE],
                 lambda b: [b, 'd'], lambda b: [b, 10]]
        for form in forms:
            buf = ref.copy() if rank == root else np.zeros(10)
            comm.Bcast(form(buf), root)
            assert np.array_equal(buf, ref)
        # a count and a displacement: only items 2..5 move
        buf = ref.copy() if rank == root else np.zeros(10)
        comm.Bcast([buf, (4, 2), MPI.DOUBLE], root=root)
        want = np.zeros(10) if rank != root else ref
        want = want.copy()
        want[2:6] = ref[2:6]
        assert np.array_equal(buf, want)


def test_bcast_readonly_at_root_and_bytes():
    buf = b'hello world' if rank == 0 else bytearray(11)
    comm.Bcast(buf, root=0)
    assert bytes(buf) == b'hello world'


def test_bcast_1mib():
    n = (1 << 20) // 8
    buf = np.arange(n, dtype='d') if rank == size - 1 else np.zeros(n)
    comm.Bcast(buf, root=size - 1)
    assert np.array_equal(buf, np.arange(n, dtype='d'))


def test_ibcast_keeps_buffer_alive():
    buf = np.arange(1000, dtype='i') if rank == 0 else np.zeros(1000, 'i')
    req = comm.Ibcast(buf, root=0)
    out = buf
    del buf
    gc.collect()
    req.Wait()
    assert np.array_equal(out, np.arange(1000))


# ---- Gather, Scatter ---------------------------------------------------------------------------

def test_gather():
    for t in ['i', 'd', 'D', '?', 'B']:
        for n in COUNTS:
            for root in ROOTS:
                ref = np.concatenate([val(r, n, t) for r in range(size)])
                recv = empty(size * n, t) if rank == root else None
                comm.Gather(val(rank, n, t), recv, root=root)
                if rank == root:
                    assert np.array_equal(recv, ref), (t, n, root)


def test_gather_spec_forms():
    root = size - 1
    ref = np.array([val(r, 3) for r in range(size)])
    for form in [lambda b: b, lambda b: [b, MPI.INT], lambda b: [b, 3, MPI.INT],
                 lambda b: [b.reshape(-1), MPI.INT]]:
        recv = np.zeros((size, 3), 'i')
        # the others' recvbuf is not looked at: anything goes there
        comm.Gather([val(rank, 3), MPI.INT], form(recv) if rank == root else 'ignored',
                    root=root)
        if rank == root:
            assert np.array_equal(recv, ref)
    # a count per block smaller than the buffer: the extra room stays untouched
    recv = np.full((size, 5), -1, 'i')
    comm.Gather(val(rank, 3), [recv, 3, MPI.INT] if rank == root else None, root)
    if rank == root:
        assert np.array_equal(recv.reshape(-1)[:3 * size], ref.reshape(-1))
        assert (recv.reshape(-1)[3 * size:] == -1).all()


def test_gather_in_place():
    for root in ROOTS:
        if rank == root:
            recv = np.zeros((size, 4), 'd')
            recv[root] = val(root, 4, 'd')
            comm.Gather(MPI.IN_PLACE, recv, root=root)
            assert np.array_equal(recv, [val(r, 4, 'd') for r in range(size)])
        else:
            comm.Gather(val(rank, 4, 'd'), None, root=root)


def counts_displs(n_of):
    """Varying counts (rank r: n_of(r)), laid out in reverse rank order with gaps."""
    counts = [n_of(r) for r in range(size)]
    displs, pos = [0] * size, 0
    for r in reversed(range(size)):
        displs[r] = pos
        pos += counts[r] + 2
    return counts, displs, pos


def test_gatherv():
    for t in ['i', 'd', 'F']:
        for root in ROOTS:
            counts, displs, total = counts_displs(lambda r: (r * 3) % 5)
            send = val(rank, counts[rank], t)
            for form in ('4', 'tuple', 'counts', 'even'):
                recv = empty(total, t)
                if form == '4':
                    spec = [recv, counts, displs, MPITYPE.get(t, None)]
                elif form == 'tuple':
                    spec = [recv, (counts, displs), None]
                elif form == 'counts':
                    spec = [recv, counts]
                else:
                    if len(set(counts)) != 1:
                        continue
                    spec = recv
                comm.Gatherv(send, spec if rank == root else None, root=root)
                if rank != root:
                    continue
                for r in range(size):
                    at = displs[r] if form in ('4', 'tuple') else sum(counts[:r])
                    assert np.array_equal(recv[at:at + counts[r]], val(r, counts[r], t))


def test_gatherv_in_place():
    root = 0
    counts = [r + 1 for r in range(size)]
    displs = [sum(counts[:r]) for r in range(size)]
    if rank == root:
        recv = np.zeros(sum(counts), 'i')
        recv[:1] = val(0, 1)
        comm.Gatherv(MPI.IN_PLACE, [recv, counts, displs, MPI.INT], root=root)
        assert np.array_equal(recv, np.concatenate([val(r, r + 1) for r in range(size)]))
    else:
        comm.Gatherv(val(rank, rank + 1), None, root=root)


def test_scatter():
    for t in ['i', 'd', 'D', '?']:
        for n in COUNTS:
            for root in ROOTS:
                send = np.concatenate([val(r, n, t) for r in range(size)]) \
                    if rank == root else None
                recv = empty(n, t)
                comm.Scatter(send, recv, root=root)
                assert np.array_equal(recv, val(rank, n, t)), (t, n, root)


def test_scatter_in_place_and_forms():
    root = size - 1
    send = np.array([val(r, 6) for r in range(size)])
    recv = np.zeros(6, 'i')
    if rank == root:
        comm.Scatter([send, MPI.INT], MPI.IN_PLACE, root=root)
        assert (recv == 0).all()
    else:
        comm.Scatter(None, [recv, MPI.INT], root=root)
        assert np.array_equal(recv, val(rank, 6))
    recv = np.zeros(6, 'i')
    comm.Scatter([send, 6, MPI.INT] if rank == root else 'ignored', [recv, 6, MPI.INT], root)
    assert np.array_equal(recv, val(rank, 6))


def test_scatterv():
    for root in ROOTS:
        counts, displs, total = counts_displs(lambda r: (r * 2 + 1) % 4)
        send = np.full(total, -7, 'd')
        for r in range(size):
            send[displs[r]:displs[r] + counts[r]] = val(r, counts[r], 'd')
        recv = np.zeros(counts[rank])
        comm.Scatterv([send, counts, displs, MPI.DOUBLE] if rank == root else None, recv, root)
        assert np.array_equal(recv, val(rank, counts[rank], 'd'))
        # in place at the root
        recv = np.zeros(counts[rank])
        comm.Scatterv([send, (counts, displs), MPI.DOUBLE] if rank == root else None,
                      MPI.IN_PLACE if rank == root else recv, root)
        if rank != root:
            assert np.array_equal(recv, val(rank, counts[rank], 'd'))


# ---- Allgather, Alltoall -----------------------------------------------------------------------

def test_allgather():
    for t in ['b', 'i', 'd', 'D', '?']:
        for n in COUNTS:
            recv = empty(size * n, t)
            comm.Allgather(val(rank, n, t), recv)
            assert np.array_equal(recv, np.concatenate([val(r, n, t) for r in range(size)]))
    recv = np.zeros((size, 3), 'i')
    recv[rank] = val(rank, 3)
    comm.Allgather(MPI.IN_PLACE, [recv, MPI.INT])
    assert np.array_equal(recv, [val(r, 3) for r in range(size)])


def test_allgatherv():
    counts, displs, total = counts_displs(lambda r: r % 3)
    recv = np.full(total, -1, 'd')
    comm.Allgatherv(val(rank, counts[rank], 'd'), [recv, counts, displs, MPI.DOUBLE])
    for r in range(size):
        assert np.array_equal(recv[displs[r]:displs[r] + counts[r]], val(r, counts[r], 'd'))
    # in place, default displacements
    recv = np.zeros(sum(counts), 'd')
    at = sum(counts[:rank])
    recv[at:at + counts[rank]] = val(rank, counts[rank], 'd')
    comm.Allgatherv(MPI.IN_PLACE, [recv, counts])
    assert np.array_equal(recv, np.concatenate([val(r, counts[r], 'd') for r in range(size)]))


def alltoall_ref(n, t, me):
    """What `me` receives in Alltoall: block `me` of every rank's send buffer."""
    return np.concatenate([val(r, size * n, t)[me * n:(me + 1) * n] for r in range(size)])


def test_alltoall():
    for t in ['i', 'd', 'F', '?']:
        for n in [0, 1, 5]:
            recv = empty(size * n, t)
            comm.Alltoall(val(rank, size * n, t), recv)
            assert np.array_equal(recv, alltoall_ref(n, t, rank)), (t, n)
    recv = val(rank, size * 3, 'd')
    comm.Alltoall(MPI.IN_PLACE, [recv, 3, MPI.DOUBLE])
    assert np.array_equal(recv, alltoall_ref(3, 'd', rank))


def test_alltoallv():
    # rank r sends (r + d) % 3 items to d
    scounts = [(rank + d) % 3 for d in range(size)]
    sdispls = [sum(scounts[:d]) for d in range(size)]
    rcounts = [(s + rank) % 3 for s in range(size)]
    rdispls = [sum(rcounts[:s]) + s for s in range(size)]   # with gaps
    send = np.concatenate([val(rank * 100 + d, scounts[d]) for d in range(size)] + [[]])
    send = send.astype('i')
    recv = np.full(sum(rcounts) + size, -1, 'i')
    comm.Alltoallv([send, scounts, sdispls, MPI.INT], [recv, rcounts, rdispls, MPI.INT])
    for s in range(size):
        got = recv[rdispls[s]:rdispls[s] + rcounts[s]]
        assert np.array_equal(got, val(s * 100 + rank, rcounts[s]))
    # in place (equal counts both ways)
    buf = np.array([val(rank * 100 + d, 2) for d in range(size)]).reshape(-1)
    comm.Alltoallv(MPI.IN_PLACE, [buf, [2] * size, [2 * d for d in range(size)], MPI.INT])
    assert np.array_equal(buf.reshape(size, 2), [val(s * 100 + rank, 2) for s in range(size)])


def test_alltoallw():
    # int blocks to even ranks, double blocks to odd ones; byte displacements
    send = np.zeros(size * 2, 'd')
    recv = np.zeros(size * 2, 'd')
    types = [MPI.INT if d % 2 == 0 else MPI.DOUBLE for d in range(size)]
    counts = [2 if d % 2 == 0 else 1 for d in range(size)]
    displs = [16 * d for d in range(size)]
    sview = send.view('i')
    for d in range(size):
        if d % 2 == 0:
            sview[4 * d:4 * d + 2] = [rank, d]
        else:
            send[2 * d] = rank * 10 + d
    rtypes = [MPI.INT if rank % 2 == 0 else MPI.DOUBLE] * size
    rcounts = [2 if rank % 2 == 0 else 1] * size
    comm.Alltoallw([send, (counts, displs), types], [recv, rcounts, displs, rtypes])
    rview = recv.view('i')
    for s in range(size):
        if rank % 2 == 0:
            assert list(rview[4 * s:4 * s + 2]) == [s, rank]
        else:
            assert recv[2 * s] == s * 10 + rank
    # in place: a single datatype stands for all
    buf = np.array([rank * 100 + d for d in range(size)], 'i')
    comm.Alltoallw(MPI.IN_PLACE, [buf, [1] * size, [4 * d for d in range(size)], MPI.INT])
    assert list(buf) == [s * 100 + rank for s in range(size)]


# ---- reductions ------------------------------------------------------------------------------

OPS = {  # op: (numpy reduction over ranks, types it applies to)
    'SUM': (lambda s: s.sum(axis=0), 'bilBqfdFD'),
    'PROD': (lambda s: s.prod(axis=0), 'ildD'),
    'MAX': (lambda s: s.max(axis=0), 'bilBqfd'),
    'MIN': (lambda s: s.min(axis=0), 'bilBqfd'),
    'LAND': (lambda s: np.logical_and.reduce(s, axis=0), 'i?'),
    'LOR': (lambda s: np.logical_or.reduce(s, axis=0), 'i?'),
    'LXOR': (lambda s: np.logical_xor.reduce(s, axis=0), 'i?'),
    'BAND': (lambda s: np.bitwise_and.reduce(s, axis=0), 'iBq'),
    'BOR': (lambda s: np.bitwise_or.reduce(s, axis=0), 'iBq'),
    'BXOR': (lambda s: np.bitwise_xor.reduce(s, axis=0), 'iBq'),
}


def rval(r, n, t, opname):
    if opname == 'PROD':        # keep products exact: factors of 1 and 2
        return ((np.arange(n) + r) % 2 + 1).astype(t)
    a = val(r, n, t)
    if opname in ('LAND', 'LOR', 'LXOR') and t != '?':
        a = (a % 3 == 0).astype(t) if opname != 'LAND' else (a % 7 != 0).astype(t)
    return a


def reference(opname, n, t, ranks):
    stack = np.array([rval(r, n, t, opname) for r in ranks]).reshape(len(ranks), n)
    return OPS[opname][0](stack).astype(t)


def test_reduce_and_allreduce_ops():
    for opname, (_, types) in OPS.items():
        op = getattr(MPI, opname)
        for t in types:
            n = 5
            ref = reference(opname, n, t, range(size))
            recv = empty(n, t)
            comm.Allreduce(rval(rank, n, t, opname), recv, op=op)
            assert np.array_equal(recv, ref), (opname, t)
            root = len(opname) % size
            recv = empty(n, t) if rank == root else None
            comm.Reduce(rval(rank, n, t, opname), recv, op=op, root=root)
            if rank == root:
                assert np.array_equal(recv, ref), (opname, t)


def test_allreduce_sizes_and_in_place():
    for n in COUNTS + [(1 << 20) // 8]:
        ref = reference('SUM', n, 'd', range(size))
        recv = np.empty(n)
        comm.Allreduce(val(rank, n, 'd'), recv)
        assert np.array_equal(recv, ref)
        buf = val(rank, n, 'd')
        comm.Allreduce(MPI.IN_PLACE, buf, op=MPI.SUM)
        assert np.array_equal(buf, ref)
    buf = val(rank, 3, 'i')
    comm.Allreduce(MPI.IN_PLACE, [buf, MPI.INT], MPI.MAX)
    assert np.array_equal(buf, reference('MAX', 3, 'i', range(size)))


def test_reduce_in_place_and_none():
    for root in ROOTS:
        if rank == root:
            buf = val(rank, 4, 'l')
            comm.Reduce(MPI.IN_PLACE, buf, op=MPI.SUM, root=root)
            assert np.array_equal(buf, reference('SUM', 4, 'l', range(size)))
        else:
            comm.Reduce(val(rank, 4, 'l'), None, op=MPI.SUM, root=root)


def test_reduce_pair_types():
    # MAXLOC over (value, index) pairs laid out as MPI.2INT
    pairs = np.array([[rank % 3, rank]], 'i')
    out = np.zeros((1, 2), 'i')
    twoint = getattr(MPI, 'TWOINT', None) or getattr(MPI, '2INT')
    comm.Allreduce([pairs, twoint], [out, twoint], op=MPI.MAXLOC)
    best = max(r % 3 for r in range(size))
    assert list(out[0]) == [best, min(r for r in range(size) if r % 3 == best)]


def test_reduce_scatter_block():
    for n in [0, 1, 3]:
        ref = reference('SUM', size * n, 'i', range(size))
        recv = np.zeros(n, 'i')
        comm.Reduce_scatter_block(val(rank, size * n), recv)
        assert np.array_equal(recv, ref[rank * n:(rank + 1) * n])
        # recvbuf given as [buf, type]; in place: recvbuf holds all blocks
        buf = val(rank, size * n)
        comm.Reduce_scatter_block(MPI.IN_PLACE, [buf, MPI.INT], op=MPI.SUM)
        assert np.array_equal(buf[:n], ref[rank * n:(rank + 1) * n])


def test_reduce_scatter():
    counts = [(r + 1) % 3 for r in range(size)]
    total = sum(counts)
    at = sum(counts[:rank])
    ref = reference('SUM', total, 'd', range(size))
    recv = np.zeros(counts[rank])
    comm.Reduce_scatter(val(rank, total, 'd'), recv, counts, MPI.SUM)
    assert np.array_equal(recv, ref[at:at + counts[rank]])
    # without recvcounts each process's recvbuf says how much it gets
    recv = np.zeros(counts[rank])
    comm.Reduce_scatter(val(rank, total, 'd'), recv)
    assert np.array_equal(recv, ref[at:at + counts[rank]])
    # in place
    buf = val(rank, total, 'd')
    comm.Reduce_scatter(MPI.IN_PLACE, buf, recvcounts=counts)
    assert np.array_equal(buf[:counts[rank]], ref[at:at + counts[rank]])


def test_scan_exscan():
    for t, opname in [('i', 'SUM'), ('d', 'MAX'), ('D', 'PROD'), ('?', 'LOR')]:
        op = getattr(MPI, opname)
        n = 4
        recv = empty(n, t)
        comm.Scan(rval(rank, n, t, opname), recv, op=op)
        assert np.array_equal(recv, reference(opname, n, t, range(rank + 1)))
        recv = empty(n, t)
        comm.Exscan(rval(rank, n, t, opname), recv, op=op)
        if rank > 0:
            assert np.array_equal(recv, reference(opname, n, t, range(rank)))
    buf = val(rank, 3)
    comm.Scan(MPI.IN_PLACE, buf)
    assert np.array_equal(buf, reference('SUM', 3, 'i', range(rank + 1)))
    buf = val(rank, 3)
    comm.Exscan(MPI.IN_PLACE, [buf, MPI.INT], MPI.SUM)
    if rank > 0:
        assert np.array_equal(buf, reference('SUM', 3, 'i', range(rank)))


# ---- nonblocking forms ---------------------------------------------------------------------

def test_nonblocking_all():
    n = 3
    out = {}
    reqs = []
    blk = np.concatenate([val(r, n) for r in range(size)])
    out['bcast'] = val(0, n) if rank == 0 else np.zeros(n, 'i')
    reqs.append(comm.Ibcast(out['bcast'], root=0))
    out['gather'] = np.zeros(size * n, 'i') if rank == 0 else None
    reqs.append(comm.Igather(val(rank, n), out['gather'], root=0))
    out['gatherv'] = np.zeros(size * n, 'i') if rank == 0 else None
    reqs.append(comm.Igatherv(val(rank, n), [out['gatherv'], [n] * size] if rank == 0 else None))
    out['scatter'] = np.zeros(n, 'i')
    reqs.append(comm.Iscatter(blk if rank == 0 else None, out['scatter'], root=0))
    out['scatterv'] = np.zeros(n, 'i')
    reqs.append(comm.Iscatterv([blk, [n] * size] if rank == 0 else None, out['scatterv']))
    out['allgather'] = np.zeros(size * n, 'i')
    reqs.append(comm.Iallgather(val(rank, n), out['allgather']))
    out['allgatherv'] = np.zeros(size * n, 'i')
    reqs.append(comm.Iallgatherv(val(rank, n), [out['allgatherv'], [n] * size]))
    out['alltoall'] = np.zeros(size * n, 'i')
    reqs.append(comm.Ialltoall(val(rank, size * n), out['alltoall']))
    out['alltoallv'] = np.zeros(size * n, 'i')
    reqs.append(comm.Ialltoallv([val(rank, size * n), [n] * size],
                                [out['alltoallv'], [n] * size]))
    out['alltoallw'] = np.zeros(size * n, 'i')
    wd = [4 * n * d for d in range(size)]
    reqs.append(comm.Ialltoallw([val(rank, size * n), [n] * size, wd, [MPI.INT] * size],
                                [out['alltoallw'], ([n] * size, wd), [MPI.INT] * size]))
    out['reduce'] = np.zeros(n, 'i') if rank == 0 else None
    reqs.append(comm.Ireduce(val(rank, n), out['reduce'], op=MPI.SUM, root=0))
    out['allreduce'] = np.zeros(n, 'i')
    reqs.append(comm.Iallreduce(val(rank, n), out['allreduce']))
    out['rsb'] = np.zeros(n, 'i')
    reqs.append(comm.Ireduce_scatter_block(val(rank, size * n), out['rsb']))
    out['rs'] = np.zeros(n, 'i')
    reqs.append(comm.Ireduce_scatter(val(rank, size * n), out['rs'], [n] * size))
    out['scan'] = np.zeros(n, 'i')
    reqs.append(comm.Iscan(val(rank, n), out['scan']))
    out['exscan'] = np.zeros(n, 'i')
    reqs.append(comm.Iexscan(val(rank, n), out['exscan']))
    reqs.append(comm.Ibarrier())
    gc.collect()        # the send buffers above are only referenced by the requests
    for req in reqs:
        assert isinstance(req, MPI.Request)
        req.Wait()
    total = reference('SUM', n, 'i', range(size))
    total_blk = reference('SUM', size * n, 'i', range(size))
    assert np.array_equal(out['bcast'], val(0, n))
    if rank == 0:
        assert np.array_equal(out['gather'], blk)
        assert np.array_equal(out['gatherv'], blk)
        assert np.array_equal(out['reduce'], total)
    assert np.array_equal(out['scatter'], val(rank, n))
    assert np.array_equal(out['scatterv'], val(rank, n))
    assert np.array_equal(out['allgather'], blk)
    assert np.array_equal(out['allgatherv'], blk)
    for k in ('alltoall', 'alltoallv', 'alltoallw'):
        assert np.array_equal(out[k], alltoall_ref(n, 'i', rank)), k
    assert np.array_equal(out['allreduce'], total)
    assert np.array_equal(out['rsb'], total_blk[rank * n:(rank + 1) * n])
    assert np.array_equal(out['rs'], total_blk[rank * n:(rank + 1) * n])
    assert np.array_equal(out['scan'], reference('SUM', n, 'i', range(rank + 1)))
    if rank > 0:
        assert np.array_equal(out['exscan'], reference('SUM', n, 'i', range(rank)))


def test_nonblocking_in_place():
    buf = val(rank, 4, 'd')
    comm.Iallreduce(MPI.IN_PLACE, buf).Wait()
    assert np.array_equal(buf, reference('SUM', 4, 'd', range(size)))
    recv = np.zeros((size, 2), 'i')
    recv[rank] = val(rank, 2)
    comm.Iallgather(MPI.IN_PLACE, recv).Wait()
    assert np.array_equal(recv, [val(r, 2) for r in range(size)])


# ---- intercommunicators (mpi4py's root rules) -------------------------------------------------

def intercomm():
    """Even ranks against odd ranks."""
    color = rank % 2
    local = comm.Split(color, rank)
    return local, local.Create_intercomm(0, comm, 1 - color, 17)


def test_intercomm_collectives():
    if size < 2:
        pytest.skip('an intercommunicator needs two processes')
    local, inter = intercomm()
    try:
        lrank, rsize = local.rank, inter.Get_remote_size()
        group = rank % 2
        remote = [r for r in range(size) if r % 2 != group]     # world ranks over there
        # group 0's leader is the root; the rest of group 0 pass PROC_NULL
        root = (MPI.ROOT if lrank == 0 else MPI.PROC_NULL) if group == 0 else 0
        # Bcast
        buf = val(0, 5) if (group == 0 and lrank == 0) else np.zeros(5, 'i')
        inter.Bcast(buf, root=root)
        if group == 1:
            assert np.array_equal(buf, val(0, 5))
        # Gather at the root of group 0 from group 1 (None everywhere else)
        recv = np.zeros(rsize * 2, 'i') if root == MPI.ROOT else None
        inter.Gather(None if group == 0 else val(rank, 2), recv, root)
        if root == MPI.ROOT:
            assert np.array_equal(recv, np.concatenate([val(r, 2) for r in remote]))
        # Scatter from the root of group 0 to group 1
        send = np.concatenate([val(r, 2) for r in remote]) if root == MPI.ROOT else None
        recv = np.zeros(2, 'i') if group == 1 else None
        inter.Scatter(send, recv, root)
        if group == 1:
            assert np.array_equal(recv, val(rank, 2))
        # Allgather: each side gets the other side's blocks
        recv = np.zeros(rsize * 3, 'i')
        inter.Allgather(val(rank, 3), recv)
        assert np.array_equal(recv, np.concatenate([val(r, 3) for r in remote]))
        # Allreduce: each side gets the other side's reduction
        recv = np.zeros(3, 'i')
        inter.Allreduce(val(rank, 3), recv)
        assert np.array_equal(recv, reference('SUM', 3, 'i', remote))
        # Reduce at the root of group 0 over group 1
        recv = np.zeros(3, 'i') if root == MPI.ROOT else None
        inter.Reduce(None if group == 0 else val(rank, 3), recv, MPI.SUM, root)
        if root == MPI.ROOT:
            assert np.array_equal(recv, reference('SUM', 3, 'i', remote))
        # Alltoall: a block per remote process
        recv = np.zeros(rsize, 'i')
        inter.Alltoall(np.array([rank * 100 + r for r in remote], 'i'), recv)
        assert list(recv) == [r * 100 + rank for r in remote]
        # the v and w forms: remote process r's block holds r % 3 + 1 items
        counts = [r % 3 + 1 for r in remote]
        displs = [sum(counts[:i]) for i in range(rsize)]
        mine = rank % 3 + 1
        recv = np.zeros(sum(counts), 'i') if root == MPI.ROOT else None
        inter.Gatherv(None if group == 0 else val(rank, mine),
                      [recv, counts, displs, MPI.INT] if root == MPI.ROOT else None, root)
        if root == MPI.ROOT:
            assert np.array_equal(recv, np.concatenate([val(r, r % 3 + 1) for r in remote]))
        send = np.concatenate([val(r, r % 3 + 1) for r in remote]) if root == MPI.ROOT else None
        recv = np.zeros(mine, 'i')
        inter.Scatterv([send, counts, MPI.INT] if root == MPI.ROOT else None,
                       recv if group == 1 else None, root)
        if group == 1:
            assert np.array_equal(recv, val(rank, mine))
        recv = np.zeros(sum(counts), 'i')
        inter.Allgatherv(val(rank, mine), [recv, counts, displs, MPI.INT])
        assert np.array_equal(recv, np.concatenate([val(r, r % 3 + 1) for r in remote]))
        recv = np.zeros(rsize, 'i')
        inter.Alltoallv([np.array([rank * 100 + r for r in remote], 'i'), [1] * rsize],
                        [recv, [1] * rsize])
        assert list(recv) == [r * 100 + rank for r in remote]
        recv = np.zeros(rsize, 'i')
        wd = [4 * i for i in range(rsize)]
        inter.Alltoallw([np.array([rank * 100 + r for r in remote], 'i'), [1] * rsize, wd,
                         MPI.INT], [recv, ([1] * rsize, wd), [MPI.INT] * rsize])
        assert list(recv) == [r * 100 + rank for r in remote]
        # Reduce_scatter[_block]: the other group's sum, scattered over this group; both
        # groups reduce vectors of lsize * rsize items, each process gets rsize of them
        lsize, lrank = local.size, local.rank
        n = lsize * rsize
        want = reference('SUM', n, 'i', remote)[lrank * rsize:(lrank + 1) * rsize]
        recv = np.zeros(rsize, 'i')
        inter.Reduce_scatter_block(val(rank, n), recv, op=MPI.SUM)
        assert np.array_equal(recv, want)
        recv = np.zeros(rsize, 'i')
        inter.Reduce_scatter(val(rank, n), recv, [rsize] * lsize, MPI.SUM)
        assert np.array_equal(recv, want)
        with pytest.raises(TypeError, match='recvcounts'):
            inter.Reduce_scatter(val(rank, n), recv)
        # nonblocking forms
        buf = val(0, 5) if root == MPI.ROOT else np.zeros(5, 'i')
        red = np.zeros(3, 'i')
        reqs = [inter.Ibcast(buf, root=root), inter.Iallreduce(val(rank, 3), red),
                inter.Ibarrier()]
        for req in reqs:
            req.Wait()
        assert np.array_equal(red, reference('SUM', 3, 'i', remote))
        if group == 1:
            assert np.array_equal(buf, val(0, 5))
        # IN_PLACE has no meaning on an intercommunicator
        with pytest.raises((ValueError, TypeError)):
            inter.Allreduce(MPI.IN_PLACE, np.zeros(3, 'i'))
    finally:
        inter.Free()
        local.Free()


# ---- argument errors (raised on every rank alike) ---------------------------------------------

def test_bad_specs():
    a = np.zeros(4)
    with pytest.raises(TypeError, match='buf'):
        comm.Bcast('not a buffer')
    with pytest.raises(TypeError, match='buf'):
        comm.Bcast(12)
    with pytest.raises(ValueError, match='buf'):
        comm.Bcast([a, 1, 2, 3, MPI.DOUBLE])
    with pytest.raises(ValueError, match='buf'):
        comm.Bcast([a, 5, MPI.DOUBLE])          # more than the buffer holds
    with pytest.raises(TypeError, match='root'):
        comm.Bcast(a, root='0')
    with pytest.raises(TypeError):
        comm.Bcast()
    with pytest.raises(TypeError, match='unexpected keyword'):
        comm.Bcast(a, rot=0)
    with pytest.raises(ValueError, match='count'):
        comm.Allreduce(np.zeros(3), np.zeros(4))
    with pytest.raises(ValueError, match='datatype'):
        comm.Allreduce(np.zeros(3, 'i'), np.zeros(3, 'd'))
    with pytest.raises(TypeError, match='op'):
        comm.Allreduce(a, np.zeros(4), op='sum')
    with pytest.raises(ValueError, match='IN_PLACE'):
        comm.Allreduce(a, MPI.IN_PLACE)
    with pytest.raises(ValueError, match='recvbuf'):
        comm.Allgather(np.zeros(2), [np.zeros(2 * size), 3, MPI.DOUBLE])
    if size > 1:
        with pytest.raises(ValueError, match='recvbuf'):
            comm.Allgather(np.zeros(2), np.zeros(2 * size + 1))
        with pytest.raises(ValueError, match='sendbuf'):
            comm.Alltoall(np.zeros(size + 1), np.zeros(size * 2))
    with pytest.raises(ValueError, match='recvbuf'):
        comm.Allgatherv(np.zeros(1), [np.zeros(size), [1] * (size + 1)])
    with pytest.raises(ValueError, match='recvbuf'):
        comm.Allgatherv(np.zeros(1), [np.zeros(size), [2] * size])   # past the end
    with pytest.raises(ValueError, match='recvbuf'):
        comm.Alltoallw(a, [a, [1] * size])
    with pytest.raises(TypeError, match='recvbuf'):
        comm.Alltoallw([a, [0] * size, [0] * size, [MPI.INT] * size],
                       [a, [0] * size, [0] * size, ['x'] * size])
    with pytest.raises(ValueError, match='recvbuf'):
        comm.Alltoallw([a, [0] * size, [0] * size, MPI.INT],
                       [a, [1] * size, [32] * size, MPI.INT])
    with pytest.raises(TypeError, match='sendbuf'):
        comm.Alltoallw([42, [0] * size, [0] * size, MPI.INT], [a, [0] * size, [0] * size, MPI.INT])
    with pytest.raises(BufferError, match='recvbuf'):
        comm.Alltoallw([a, [0] * size, [0] * size, MPI.INT], [b'x', [0] * size, [0] * size,
                                                             MPI.INT])
    with pytest.raises(ValueError, match='recvcounts'):
        comm.Reduce_scatter(np.zeros(size), np.zeros(1), [1] * (size + 1))
    with pytest.raises(TypeError, match='recvcounts'):
        comm.Reduce_scatter(MPI.IN_PLACE, np.zeros(size))
    with pytest.raises(ValueError, match='sum'):
        comm.Reduce_scatter(np.zeros(size), np.zeros(1), [2] * size)
    with pytest.raises(ValueError, match='count'):
        comm.Reduce_scatter_block(np.zeros(size * 2), np.zeros(3))
    with pytest.raises(ValueError):
        comm.Iallreduce(np.zeros(3), np.zeros(4))
    with pytest.raises(TypeError):
        comm.Iallgather(np.zeros(3), None)
    with pytest.raises(BufferError):
        comm.Allreduce(a, b'readonly recvbuf')


def test_root_only_errors_on_self():
    # errors only the root can see, on a communicator where the root is alone
    self_ = MPI.COMM_SELF
    with pytest.raises(ValueError, match='recvbuf'):
        self_.Gather(np.zeros(2), [np.zeros(2), 3, MPI.DOUBLE])
    with pytest.raises(ValueError):
        self_.Reduce(np.zeros(2), np.zeros(3))
    with pytest.raises(ValueError, match='sendbuf'):
        self_.Scatterv([np.zeros(2), [3]], np.zeros(3))
    with pytest.raises(TypeError):
        self_.Gather(np.zeros(2), None)


# ---- MPI errors ----------------------------------------------------------------------------------

def test_signatures_and_keywords():
    import inspect
    assert list(inspect.signature(MPI.Comm.Gatherv).parameters) == \
        ['self', 'sendbuf', 'recvbuf', 'root']
    for name in ('Allreduce', 'Reduce', 'Reduce_scatter', 'Ireduce_scatter_block'):
        assert getattr(MPI.Comm, name).__doc__.startswith(name + '(sendbuf, recvbuf')
    buf = np.zeros(2, 'i')
    comm.Bcast(buf=buf, root=0)
    out = np.zeros(2, 'i')
    comm.Allreduce(sendbuf=np.ones(2, 'i'), recvbuf=out, op=MPI.MAX)
    assert list(out) == [1, 1]
    comm.Reduce_scatter(np.ones(size, 'i'), out[:1], op=MPI.SUM, recvcounts=[1] * size)
    assert out[0] == size
    comm.Scan(sendbuf=np.ones(2, 'i'), recvbuf=out, op=MPI.SUM)
    assert list(out) == [rank + 1] * 2


def test_mpi_errors():
    a, b = np.zeros(3), np.zeros(3)
    expect_mpi_error(MPI.ERR_ROOT, lambda: comm.Bcast(a, root=size))
    expect_mpi_error(MPI.ERR_ROOT, lambda: comm.Reduce(a, b, root=-3))
    expect_mpi_error(MPI.ERR_ROOT, lambda: comm.Ibcast(a, root=size + 1))
    expect_mpi_error(MPI.ERR_OP, lambda: comm.Allreduce(a, b, op=MPI.OP_NULL))
    expect_mpi_error(MPI.ERR_OP, lambda: comm.Allreduce(np.zeros(2, bool), np.zeros(2, bool)))
    expect_mpi_error(MPI.ERR_OP, lambda: comm.Allreduce(np.zeros(2, 'D'), np.zeros(2, 'D'),
                                                    op=MPI.MAX))
    expect_mpi_error(MPI.ERR_OP, lambda: comm.Scan(a, b, op=MPI.BAND))
    # counts that differ between ranks
    if size > 1:
        expect_mpi_error(MPI.ERR_TRUNCATE, lambda: comm.Allgather(
            np.zeros(1 + rank % 2), [np.zeros(2 * size), 1 + rank % 2, MPI.DOUBLE]))


# ---- threads ---------------------------------------------------------------------------------

def test_gil_released_while_waiting():
    """Other threads run while a process waits in a collective for a late one."""
    import threading
    import time
    if size < 2:
        pytest.skip('needs a process to wait for')
    for wait in (comm.Barrier, lambda: comm.Allreduce(np.ones(1), np.empty(1)),
                 lambda: comm.allreduce(1), lambda: comm.bcast('x', root=size - 1)):
        ticks, stop = [], threading.Event()

        def spin():
            while not stop.is_set():
                ticks.append(None)
                time.sleep(0.002)
        thread = threading.Thread(target=spin)
        thread.start()
        try:
            if rank == size - 1:
                time.sleep(0.15)
            before = len(ticks)
            wait()
            ran = len(ticks) - before
        finally:
            stop.set()
            thread.join()
        if rank != size - 1:
            assert ran >= 3, ran
