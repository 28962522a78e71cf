"""Process topologies: Create_cart/graph/dist_graph[_adjacent], Cart_map/Graph_map,
Compute_dims, the Cartcomm/Graphcomm/Distgraphcomm/Topocomm methods and properties, and the
neighborhood collectives (upper- and lower-case) checked against a serial reference built
from the neighbor lists; argument errors and MPI errors. Every rank runs every test."""
import numpy as np
import pytest
from mpi4py import MPI

comm = MPI.COMM_WORLD
rank, size = comm.rank, comm.size
PROC_NULL = MPI.PROC_NULL


def expect_mpi_error(cls, f):
    with pytest.raises(MPI.Exception) as info:
        f()
    assert info.value.Get_error_class() == cls, info.value


def block(src, k, n=2):
    """What process src puts in its k-th send block."""
    return np.arange(n, dtype='i') + 1000 * src + 10 * k


# ---- serial references -------------------------------------------------------------------

def cart_coords(r, dims):
    coords = []
    for d in reversed(dims):
        coords.append(r % d)
        r //= d
    return coords[::-1]


def cart_rank(coords, dims):
    r = 0
    for c, d in zip(coords, dims):
        r = r * d + c
    return r


def cart_shift(r, dims, periods, direction, disp):
    """(source, dest) of a shift, computed here."""
    def moved(delta):
        c = cart_coords(r, dims)
        c[direction] += delta
        if periods[direction]:
            c[direction] %= dims[direction]
        elif not 0 <= c[direction] < dims[direction]:
            return PROC_NULL
        return cart_rank(c, dims)
    return moved(-disp), moved(disp)


def cart_neighbors(r, dims, periods):
    out = []
    for d in range(len(dims)):
        out.extend(cart_shift(r, dims, periods, d, 1))
    return out


def ring_in(r):
    """Distributed-graph in-neighbors: r - 1 and r + 2 (no repeats)."""
    seen = []
    for s in ((r - 1) % size, (r + 2) % size):
        if s not in seen:
            seen.append(s)
    return seen


def ring_out(r):
    return [d for d in range(size) if r in ring_in(d)]


def graph_nbrs(r):
    """Graph neighbors: r - 1 and r + 1, without self loops or repeats."""
    return sorted({(r - 1) % size, (r + 1) % size} - {r})


def paired_ref(me, ins, out_of, n=2):
    """Neighbor_alltoall reference for graphs: the k-th edge from s lands in s's block for
    its k-th edge to me."""
    got, seen = [], {}
    for s in ins:
        k = seen.get(s, 0)
        seen[s] = k + 1
        got.append(block(s, [i for i, d in enumerate(out_of(s)) if d == me][k], n))
    return got


# ---- Compute_dims ----------------------------------------------------------------------------

def test_compute_dims():
    assert MPI.Compute_dims(12, 2) == [4, 3]
    assert MPI.Compute_dims(12, [0, 3]) == [4, 3]
    assert MPI.Compute_dims(16, [0, 0, 0]) == [4, 2, 2]
    assert MPI.Compute_dims(7, 1) == [7]
    assert MPI.Compute_dims(1, 0) == []
    assert MPI.Compute_dims(size, (0, 1)) == [size, 1]
    d = MPI.Compute_dims(size, 3)
    assert len(d) == 3 and np.prod(d) == size and d == sorted(d, reverse=True)
    expect_mpi_error(MPI.ERR_DIMS, lambda: MPI.Compute_dims(12, [5, 0]))
    with pytest.raises(MPI.Exception):
        MPI.Compute_dims(-1, 2)
    with pytest.raises(TypeError, match='dims'):
        MPI.Compute_dims(4, 'ab')
    with pytest.raises(TypeError, match='nnodes'):
        MPI.Compute_dims('4', 2)
    with pytest.raises(ValueError, match='dims'):
        MPI.Compute_dims(4, -1)


# ---- Cartcomm ------------------------------------------------------------------------------

def test_cart_basics():
    for ndims in (1, 2, 3):
        dims = MPI.Compute_dims(size, ndims)
        periods = [d % 2 == 0 for d in range(ndims)]
        cart = comm.Create_cart(dims, periods=periods, reorder=False)
        try:
            assert type(cart) is MPI.Cartcomm
            assert isinstance(cart, MPI.Topocomm) and isinstance(cart, MPI.Intracomm)
            assert cart.Get_dim() == cart.dim == cart.ndim == ndims
            coords = cart_coords(rank, dims)
            ip = [int(p) for p in periods]
            assert cart.Get_topo() == cart.topo == (dims, ip, coords)
            assert (cart.dims, cart.periods, cart.coords) == (dims, ip, coords)
            for r in range(size):
                c = cart.Get_coords(r)
                assert c == cart_coords(r, dims)
                assert cart.Get_cart_rank(c) == r
            for d in range(ndims):
                for disp in (1, -1, 2):
                    assert cart.Shift(d, disp) == cart_shift(rank, dims, periods, d, disp)
            nbrs = cart_neighbors(rank, dims, periods)
            assert cart.degrees == (2 * ndims, 2 * ndims)
            assert cart.indegree == cart.outdegree == 2 * ndims
            assert cart.inedges == cart.outedges == nbrs
            assert cart.inoutedges == (nbrs, nbrs)
            dup = cart.Dup()
            assert type(dup) is MPI.Cartcomm and dup.topo == cart.topo
            dup.Free()
        finally:
            cart.Free()


def test_cart_defaults_and_leftovers():
    cart = comm.Create_cart([size])
    assert cart.periods == [0] and cart.coords == [rank]
    cart.Free()
    # a grid smaller than the communicator: the rest get a null Cartcomm
    if size > 1:
        cart = comm.Create_cart([size - 1], [True], True)
        assert type(cart) is MPI.Cartcomm
        assert bool(cart) == (rank < size - 1)
        if cart:
            cart.Free()


def test_cart_sub():
    dims = MPI.Compute_dims(size, 2)
    cart = comm.Create_cart(dims, periods=[True, False])
    try:
        for keep in ([True, False], [False, True], (1, 1), [0, 0]):
            sub = cart.Sub(keep)
            try:
                assert type(sub) is MPI.Cartcomm
                kept = [d for d, k in zip(dims, keep) if k]
                assert sub.dims == kept and sub.Get_size() == int(np.prod(kept))
                assert sub.coords == [c for c, k in zip(cart_coords(rank, dims), keep) if k]
            finally:
                sub.Free()
    finally:
        cart.Free()


def test_cart_map():
    r = comm.Cart_map([size])
    assert 0 <= r < size
    if size > 1:
        r = comm.Cart_map([size - 1], periods=[False])
        assert r == MPI.UNDEFINED or 0 <= r < size - 1


def test_cart_errors():
    with pytest.raises(TypeError, match='dims'):
        comm.Create_cart(size)
    with pytest.raises(ValueError, match='periods'):
        comm.Create_cart([size], periods=[True, True])
    expect_mpi_error(MPI.ERR_ARG, lambda: comm.Create_cart([size + 1]))
    cart = comm.Create_cart([size])
    try:
        with pytest.raises(ValueError, match='coords'):
            cart.Get_cart_rank([0, 0])
        with pytest.raises(ValueError, match='remain_dims'):
            cart.Sub([True, True])
        with pytest.raises(TypeError, match='direction'):
            cart.Shift('x', 1)
        expect_mpi_error(MPI.ERR_ARG, lambda: cart.Shift(3, 1))
        expect_mpi_error(MPI.ERR_RANK, lambda: cart.Get_coords(size + 3))
        expect_mpi_error(MPI.ERR_ARG, lambda: cart.Get_cart_rank([size + 3]))
    finally:
        cart.Free()


# ---- Graphcomm -----------------------------------------------------------------------------

def graph_spec(leading_zero):
    index, edges = [], []
    for r in range(size):
        edges.extend(graph_nbrs(r))
        index.append(len(edges))
    return ([0] + index if leading_zero else index), edges


def test_graph():
    for leading_zero in (True, False):
        if size == 1 and not leading_zero:
            continue        # [0] would read as the offsets of zero nodes
        index, edges = graph_spec(leading_zero)
        graph = comm.Create_graph(index, edges, reorder=False)
        try:
            mpi_index = index[1:] if leading_zero else index
            assert type(graph) is MPI.Graphcomm and isinstance(graph, MPI.Topocomm)
            assert graph.Get_dims() == graph.dims == (size, len(edges))
            assert (graph.nnodes, graph.nedges) == (size, len(edges))
            assert graph.Get_topo() == graph.topo == (mpi_index, edges)
            assert (graph.index, graph.edges) == (mpi_index, edges)
            for r in range(size):
                assert graph.Get_neighbors_count(r) == len(graph_nbrs(r))
                assert graph.Get_neighbors(r) == graph_nbrs(r)
            assert graph.nneighbors == len(graph_nbrs(rank))
            assert graph.neighbors == graph_nbrs(rank)
            n = len(graph_nbrs(rank))
            assert graph.degrees == (n, n)
            assert graph.inedges == graph.outedges == graph_nbrs(rank)
        finally:
            graph.Free()
    r = comm.Graph_map(*graph_spec(True))
    assert 0 <= r < size


def test_graph_errors():
    with pytest.raises(TypeError, match='edges'):
        comm.Create_graph([1], 5)
    with pytest.raises(TypeError, match='index'):
        comm.Create_graph(None, [0])
    expect_mpi_error(MPI.ERR_ARG, lambda: comm.Create_graph([1], [size + 5]))
    graph = comm.Create_graph(*graph_spec(True))
    try:
        expect_mpi_error(MPI.ERR_RANK, lambda: graph.Get_neighbors(size + 1))
    finally:
        graph.Free()


# ---- Distgraphcomm ------------------------------------------------------------------------

def test_dist_graph_adjacent():
    ins, outs = ring_in(rank), ring_out(rank)
    dist = comm.Create_dist_graph_adjacent(ins, outs)
    try:
        assert type(dist) is MPI.Distgraphcomm and isinstance(dist, MPI.Topocomm)
        assert dist.Get_dist_neighbors_count() == (len(ins), len(outs), False)
        assert dist.Get_dist_neighbors() == (ins, outs, None)
        assert dist.degrees == (len(ins), len(outs))
        assert dist.inedges == ins and dist.outedges == outs
        assert dist.inoutedges == (ins, outs)
    finally:
        dist.Free()
    sw = [s * 10 + rank for s in ins]
    dw = [rank * 10 + d for d in outs]
    dist = comm.Create_dist_graph_adjacent(ins, outs, sw, dw, MPI.INFO_NULL, True)
    try:
        assert dist.Get_dist_neighbors_count() == (len(ins), len(outs), True)
        srcs, dsts, weights = dist.Get_dist_neighbors()
        assert sorted(zip(srcs, weights[0])) == sorted(zip(ins, sw))
        assert sorted(zip(dsts, weights[1])) == sorted(zip(outs, dw))
    finally:
        dist.Free()
    dist = comm.Create_dist_graph_adjacent(ins, outs, MPI.UNWEIGHTED, MPI.UNWEIGHTED)
    assert dist.Get_dist_neighbors_count()[2] is False
    dist.Free()
    dist = comm.Create_dist_graph_adjacent([], [], MPI.WEIGHTS_EMPTY, MPI.WEIGHTS_EMPTY)
    assert dist.Get_dist_neighbors_count() == (0, 0, True)
    assert dist.Get_dist_neighbors() == ([], [], ([], []))
    dist.Free()


def test_dist_graph():
    outs = ring_out(rank)
    dist = comm.Create_dist_graph([rank], [len(outs)], outs, [rank * 10 + d for d in outs])
    try:
        indeg, outdeg, weighted = dist.Get_dist_neighbors_count()
        assert (indeg, outdeg, weighted) == (len(ring_in(rank)), len(outs), True)
        srcs, dsts, (sw, dw) = dist.Get_dist_neighbors()
        assert sorted(srcs) == sorted(ring_in(rank)) and sorted(dsts) == sorted(outs)
        assert sorted(sw) == sorted(s * 10 + rank for s in ring_in(rank))
    finally:
        dist.Free()
    # every edge declared by rank 0, unweighted
    if rank == 0:
        srcs = list(range(size))
        degs = [len(ring_out(r)) for r in range(size)]
        dsts = sum((ring_out(r) for r in range(size)), [])
    else:
        srcs, degs, dsts = [], [], []
    dist = comm.Create_dist_graph(srcs, degs, dsts)
    try:
        s, d, w = dist.Get_dist_neighbors()
        assert sorted(s) == sorted(ring_in(rank)) and sorted(d) == sorted(ring_out(rank))
        assert w is None
    finally:
        dist.Free()


def test_dist_graph_errors():
    expect_mpi_error(MPI.ERR_RANK, lambda: comm.Create_dist_graph_adjacent([size + 4], [0]))
    with pytest.raises(ValueError, match='sourceweights'):
        comm.Create_dist_graph_adjacent([0], [0], [1, 2], [1])
    with pytest.raises(TypeError, match='destweights'):
        comm.Create_dist_graph_adjacent([0], [0], [1], 12345)
    with pytest.raises(ValueError, match='degrees'):
        comm.Create_dist_graph([0], [1, 2], [0])
    with pytest.raises(ValueError, match='destinations'):
        comm.Create_dist_graph([0], [2], [0])
    with pytest.raises(TypeError):
        comm.Create_dist_graph_adjacent([0], [0], info='no')


# ---- neighborhood collectives ----------------------------------------------------------------

def topologies():
    """(communicator, in-neighbors, out-neighbors, what Neighbor_alltoall delivers)."""
    dims = MPI.Compute_dims(size, 2)
    for periods in ([True, False], [False, False]):
        cart = comm.Create_cart(dims, periods=periods)
        nbrs = cart_neighbors(rank, dims, periods)
        # the lower neighbor's upward block and the upper neighbor's downward one (also
        # when a periodic dimension of 1 or 2 makes both neighbors one rank)
        ref = [None if s == PROC_NULL else block(s, j + 1 if j % 2 == 0 else j - 1)
               for j, s in enumerate(nbrs)]
        yield cart, nbrs, nbrs, ref
    graph = comm.Create_graph(*graph_spec(True))
    yield graph, graph_nbrs(rank), graph_nbrs(rank), paired_ref(rank, graph_nbrs(rank),
                                                                graph_nbrs)
    dist = comm.Create_dist_graph_adjacent(ring_in(rank), ring_out(rank))
    yield dist, ring_in(rank), ring_out(rank), paired_ref(rank, ring_in(rank), ring_out)


def test_neighbor_upper_case():
    for topo, ins, outs, a2a in topologies():
        try:
            nin, nout = len(ins), len(outs)
            sentinel = np.full(2, -1, 'i')
            want_ag = [block(s, 0) if s != PROC_NULL else sentinel for s in ins]
            # allgather, both spec forms
            recv = np.full(2 * nin, -1, 'i')
            topo.Neighbor_allgather(block(rank, 0), recv)
            assert np.array_equal(recv.reshape(nin, 2), np.array(want_ag).reshape(nin, 2))
            recv = np.full(2 * nin, -1, 'i')
            topo.Neighbor_allgatherv([block(rank, 0), MPI.INT], [recv, [2] * nin, MPI.INT])
            assert np.array_equal(recv.reshape(nin, 2), np.array(want_ag).reshape(nin, 2))
            want = np.array([w if w is not None else sentinel for w in a2a]).reshape(nin, 2)
            send = np.concatenate([block(rank, k) for k in range(nout)] + [np.zeros(0, 'i')])
            recv = np.full(2 * nin, -1, 'i')
            topo.Neighbor_alltoall(send, recv)
            assert np.array_equal(recv.reshape(nin, 2), want)
            recv = np.full(2 * nin, -1, 'i')
            topo.Neighbor_alltoallv([send, [2] * nout, MPI.INT], [recv, ([2] * nin, None),
                                                                  MPI.INT])
            assert np.array_equal(recv.reshape(nin, 2), want)
            recv = np.full(2 * nin, -1, 'i')
            topo.Neighbor_alltoallw([send, [2] * nout, [8 * k for k in range(nout)],
                                     [MPI.INT] * nout],
                                    [recv, ([2] * nin, [8 * j for j in range(nin)]), MPI.INT])
            assert np.array_equal(recv.reshape(nin, 2), want)
            # the nonblocking forms, all in flight at once; the requests keep the buffers
            recvs = [np.full(2 * nin, -1, 'i') for _ in range(5)]
            reqs = [topo.Ineighbor_allgather(block(rank, 0), recvs[0]),
                    topo.Ineighbor_allgatherv(block(rank, 0), [recvs[1], [2] * nin]),
                    topo.Ineighbor_alltoall(send.copy(), recvs[2]),
                    topo.Ineighbor_alltoallv([send.copy(), [2] * nout], [recvs[3], [2] * nin]),
                    topo.Ineighbor_alltoallw(
                        [send.copy(), [2] * nout, [8 * k for k in range(nout)], MPI.INT],
                        [recvs[4], [2] * nin, [8 * j for j in range(nin)], MPI.INT])]
            for req in reqs:
                assert isinstance(req, MPI.Request)
                req.Wait()
            for i, got in enumerate(recvs):
                ref = np.array(want_ag).reshape(nin, 2) if i < 2 else want
                assert np.array_equal(got.reshape(nin, 2), ref), i
        finally:
            topo.Free()


def test_neighbor_lower_case():
    for topo, ins, outs, a2a in topologies():
        try:
            want = [{'r': s, 'pad': [s] * (s % 2) * 500} if s != PROC_NULL else None
                    for s in ins]
            got = topo.neighbor_allgather({'r': rank, 'pad': [rank] * (rank % 2) * 500})
            assert got == want
            got = topo.neighbor_alltoall([block(rank, k).tolist() for k in range(len(outs))])
            assert got == [w.tolist() if w is not None else None for w in a2a]
        finally:
            topo.Free()


def test_neighbor_errors():
    dist = comm.Create_dist_graph_adjacent(ring_in(rank), ring_out(rank))
    nin, nout = dist.degrees
    try:
        if nin > 1:
            with pytest.raises(ValueError, match='recvbuf'):
                dist.Neighbor_allgather(np.zeros(2, 'i'), np.zeros(2 * nin + 1, 'i'))
        with pytest.raises(TypeError, match='sendbuf'):
            dist.Neighbor_allgather(None, np.zeros(2 * nin, 'i'))
        with pytest.raises(ValueError, match='recvbuf'):
            dist.Neighbor_alltoallv([np.zeros(2 * nout, 'i'), [2] * nout],
                                    [np.zeros(2 * nin, 'i'), [2] * (nin + 1)])
        # a wrong number of objects: that rank raises ValueError, its receivers RuntimeError
        bad = rank == 0
        try:
            dist.neighbor_alltoall([0] * (nout + 1) if bad else [0] * nout)
        except ValueError:
            assert bad
        except RuntimeError:
            assert not bad and 0 in ring_in(rank)
        else:
            assert not bad and 0 not in ring_in(rank)
    finally:
        dist.Free()
    assert not hasattr(comm, 'Neighbor_allgather') and not hasattr(comm, 'neighbor_alltoall')


def test_signatures():
    import inspect
    assert list(inspect.signature(MPI.Intracomm.Create_cart).parameters) == \
        ['self', 'dims', 'periods', 'reorder']
    assert list(inspect.signature(MPI.Compute_dims).parameters) == ['nnodes', 'dims']
    assert list(inspect.signature(MPI.Topocomm.Ineighbor_alltoallw).parameters) == \
        ['self', 'sendbuf', 'recvbuf']
    for cls in (MPI.Topocomm, MPI.Cartcomm, MPI.Graphcomm, MPI.Distgraphcomm):
        for name, f in vars(cls).items():
            if not name.startswith('_') and callable(f):
                assert inspect.signature(f) is not None, name
    # keywords by mpi4py's names
    cart = comm.Create_cart(dims=[size], periods=None, reorder=False)
    try:
        assert cart.Shift(direction=0, disp=1) == cart.Shift(0, 1)
        assert cart.Get_cart_rank(coords=[0]) == 0 and cart.Get_coords(rank=0) == [0]
        sub = cart.Sub(remain_dims=[True])
        sub.Free()
    finally:
        cart.Free()
