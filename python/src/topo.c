/*
 * topo.c - process topologies: MPI.Topocomm (degrees, neighbor lists, and the neighborhood
 * collectives merged in from comm_coll.c and comm_objcoll.c), MPI.Cartcomm, MPI.Graphcomm,
 * MPI.Distgraphcomm, the Intracomm methods that build and map them (Create_cart,
 * Create_graph, Create_dist_graph[_adjacent], Cart_map, Graph_map) and MPI.Compute_dims.
 *
 * The Intracomm methods are added to that class here at init, so comm.c need not know them.
 * pympi_comm_wrap (comm.c) picks the topology class of any communicator it wraps.
 */
#include "pympi.h"

#define COMM(self) (((PyMPICommObject *)(self))->ob_mpi)

static PyObject *raise_null(int ierr)
{
    pympi_raise(ierr);
    return NULL;
}

static PyObject *int_list(const int *v, int n)
{
    PyObject *list = PyList_New(n);
    for (int i = 0; list != NULL && i < n; i++) {
        PyObject *o = PyLong_FromLong(v[i]);
        if (o == NULL)
            Py_CLEAR(list);
        else
            PyList_SET_ITEM(list, i, o);
    }
    return list;
}

/*
 * A new topology communicator from an MPI constructor, with the rc.errors error handler,
 * wrapped in `type` (processes left out of it get one holding MPI_COMM_NULL, as in
 * mpi4py); freed again if that fails, so no handle leaks.
 */
static PyObject *new_topo(PyTypeObject *type, MPI_Comm comm)
{
    int ierr = pympi_comm_set_eh(comm);
    PyObject *o = ierr == MPI_SUCCESS ? pympi_comm_new(type, comm, PYMPI_OWNED) : NULL;
    if (o == NULL) {
        if (comm != MPI_COMM_NULL)
            MPI_Comm_free(&comm);
        if (ierr != MPI_SUCCESS)
            pympi_raise(ierr);
    }
    return o;
}

/* Booleans from a sequence of n truth values (None: all false), as a PyMem int array. */
static int *bool_array(PyObject *o, int n, const char *argname)
{
    int *out = PyMem_Calloc(n > 0 ? (size_t)n : 1, sizeof *out);
    if (out == NULL) {
        PyErr_NoMemory();
        return NULL;
    }
    if (o == NULL || o == Py_None)
        return out;
    PyObject *seq = PySequence_Fast(o, "");
    if (seq == NULL) {
        PyErr_Format(PyExc_TypeError, "%s: expected a sequence of booleans, got %.100s",
                     argname, Py_TYPE(o)->tp_name);
        goto bad;
    }
    if (PySequence_Fast_GET_SIZE(seq) != n) {
        PyErr_Format(PyExc_ValueError, "%s: expected %d items, got %zd", argname, n,
                     PySequence_Fast_GET_SIZE(seq));
        goto bad;
    }
    for (int i = 0; i < n; i++)
        if ((out[i] = PyObject_IsTrue(PySequence_Fast_GET_ITEM(seq, i))) < 0)
            goto bad;
    Py_DECREF(seq);
    return out;
bad:
    Py_XDECREF(seq);
    PyMem_Free(out);
    return NULL;
}

static int flag_arg(PyObject *o, int *out)
{
    *out = o == NULL ? 0 : PyObject_IsTrue(o);
    return *out < 0 ? -1 : 0;
}

/* ---- Topocomm -------------------------------------------------------------------------- */

int pympi_topo_degrees(MPI_Comm comm, int *indegree, int *outdegree)
{
    int kind = MPI_UNDEFINED, rank, n = 0, weighted, ierr;
    if ((ierr = MPI_Topo_test(comm, &kind)) != MPI_SUCCESS)
        return ierr;
    switch (kind) {
    case MPI_CART:
        ierr = MPI_Cartdim_get(comm, &n);
        *indegree = *outdegree = 2 * n;     /* per dimension: the lower then the upper one */
        return ierr;
    case MPI_GRAPH:
        if ((ierr = MPI_Comm_rank(comm, &rank)) == MPI_SUCCESS)
            ierr = MPI_Graph_neighbors_count(comm, rank, &n);
        *indegree = *outdegree = n;
        return ierr;
    case MPI_DIST_GRAPH:
        return MPI_Dist_graph_neighbors_count(comm, indegree, outdegree, &weighted);
    }
    return MPI_ERR_TOPOLOGY;
}

/* The in- and out-neighbor lists, in the order the neighborhood collectives use. */
static int topo_edges(MPI_Comm comm, PyObject **in, PyObject **out)
{
    int kind = MPI_UNDEFINED, indeg = 0, outdeg = 0, ierr, rank;
    int *buf = NULL;
    *in = *out = NULL;
    if ((ierr = MPI_Topo_test(comm, &kind)) != MPI_SUCCESS ||
        (ierr = pympi_topo_degrees(comm, &indeg, &outdeg)) != MPI_SUCCESS)
        goto mpifail;
    if ((buf = PyMem_Malloc(((size_t)indeg + (size_t)outdeg) * 2 * sizeof(int) + 1)) == NULL) {
        PyErr_NoMemory();
        return -1;
    }
    int *inv = buf, *outv = buf + indeg;
    if (kind == MPI_CART) {
        for (int d = 0; 2 * d < indeg; d++)
            if ((ierr = MPI_Cart_shift(comm, d, 1, &inv[2 * d], &inv[2 * d + 1])) !=
                MPI_SUCCESS)
                goto mpifail;
        outv = inv;
    } else if (kind == MPI_GRAPH) {
        if ((ierr = MPI_Comm_rank(comm, &rank)) != MPI_SUCCESS ||
            (ierr = MPI_Graph_neighbors(comm, rank, indeg, inv)) != MPI_SUCCESS)
            goto mpifail;
        outv = inv;
    } else {
        int *w = outv + outdeg;         /* weights, when the graph has them: unused here */
        int weighted = 0;
        if ((ierr = MPI_Dist_graph_neighbors_count(comm, &indeg, &outdeg, &weighted)) !=
                MPI_SUCCESS ||
            (ierr = MPI_Dist_graph_neighbors(comm, indeg, inv, weighted ? w : MPI_UNWEIGHTED,
                                             outdeg, outv,
                                             weighted ? w + indeg : MPI_UNWEIGHTED)) !=
                MPI_SUCCESS)
            goto mpifail;
    }
    *in = int_list(inv, indeg);
    *out = *in ? int_list(outv, outdeg) : NULL;
    PyMem_Free(buf);
    if (*out == NULL) {
        Py_CLEAR(*in);
        return -1;
    }
    return 0;
mpifail:
    PyMem_Free(buf);
    pympi_raise(ierr);
    return -1;
}

static PyObject *topo_get_degrees(PyObject *self, void *which)
{
    int indeg = 0, outdeg = 0;
    int ierr = pympi_topo_degrees(COMM(self), &indeg, &outdeg);
    if (ierr != MPI_SUCCESS)
        return raise_null(ierr);
    switch ((int)(intptr_t)which) {
    case 0:
        return Py_BuildValue("(ii)", indeg, outdeg);
    case 1:
        return PyLong_FromLong(indeg);
    default:
        return PyLong_FromLong(outdeg);
    }
}

static PyObject *topo_get_edges(PyObject *self, void *which)
{
    PyObject *in, *out;
    if (topo_edges(COMM(self), &in, &out) < 0)
        return NULL;
    switch ((int)(intptr_t)which) {
    case 0:
        return Py_BuildValue("(NN)", in, out);
    case 1:
        Py_DECREF(out);
        return in;
    default:
        Py_DECREF(in);
        return out;
    }
}

static PyGetSetDef topo_getset[] = {
    {"degrees", topo_get_degrees, NULL, "(indegree, outdegree).", (void *)0},
    {"indegree", topo_get_degrees, NULL, "Number of in-neighbors.", (void *)1},
    {"outdegree", topo_get_degrees, NULL, "Number of out-neighbors.", (void *)2},
    {"inoutedges", topo_get_edges, NULL, "(inedges, outedges).", (void *)0},
    {"inedges", topo_get_edges, NULL, "In-neighbors.", (void *)1},
    {"outedges", topo_get_edges, NULL, "Out-neighbors.", (void *)2},
    {NULL},
};

/* ---- Cartcomm ---------------------------------------------------------------------------- */

static PyObject *cart_Get_dim(PyObject *self, PyObject *unused)
{
    int ndims = 0;
    PYMPI_CHK(MPI_Cartdim_get(COMM(self), &ndims));
    return PyLong_FromLong(ndims);
fail:
    return NULL;
}

/* (dims, periods, coords) as lists; `which` 0..2 picks one, 3 all. */
static PyObject *cart_topo(PyObject *self, int which)
{
    int ndims = 0, ierr;
    PyObject *r = NULL;
    if ((ierr = MPI_Cartdim_get(COMM(self), &ndims)) != MPI_SUCCESS)
        return raise_null(ierr);
    int *v = PyMem_Malloc(3 * (size_t)ndims * sizeof(int) + 1);
    if (v == NULL)
        return PyErr_NoMemory();
    if ((ierr = MPI_Cart_get(COMM(self), ndims, v, v + ndims, v + 2 * ndims)) != MPI_SUCCESS)
        pympi_raise(ierr);
    else if (which < 3)
        r = int_list(v + which * ndims, ndims);
    else
        r = Py_BuildValue("(NNN)", int_list(v, ndims), int_list(v + ndims, ndims),
                          int_list(v + 2 * ndims, ndims));
    PyMem_Free(v);
    return r;
}

static PyObject *cart_Get_topo(PyObject *self, PyObject *unused)
{
    return cart_topo(self, 3);
}

static PyObject *cart_Get_cart_rank(PyObject *self, PyObject *const *args, Py_ssize_t nargs,
                                    PyObject *kwnames)
{
    static const char *const names[] = {"coords"};
    PyObject *a[1];
    int ndims = 0, rank = MPI_PROC_NULL, *coords = NULL;
    if (pympi_bind_args("Get_cart_rank", names, 1, 1, args, nargs, kwnames, a) < 0)
        return NULL;
    PYMPI_CHK(MPI_Cartdim_get(COMM(self), &ndims));
    if ((coords = pympi_int_array(a[0], ndims, "coords", NULL)) == NULL)
        return NULL;
    PYMPI_CHK(MPI_Cart_rank(COMM(self), coords, &rank));
    PyMem_Free(coords);
    return PyLong_FromLong(rank);
fail:
    PyMem_Free(coords);
    return NULL;
}

static PyObject *cart_Get_coords(PyObject *self, PyObject *const *args, Py_ssize_t nargs,
                                 PyObject *kwnames)
{
    static const char *const names[] = {"rank"};
    PyObject *a[1], *r = NULL;
    int rank, ndims = 0, *coords = NULL;
    if (pympi_bind_args("Get_coords", names, 1, 1, args, nargs, kwnames, a) < 0 ||
        pympi_int_arg(a[0], 0, "rank", &rank) < 0)
        return NULL;
    PYMPI_CHK(MPI_Cartdim_get(COMM(self), &ndims));
    if ((coords = PyMem_Malloc((size_t)ndims * sizeof(int) + 1)) == NULL)
        return PyErr_NoMemory();
    PYMPI_CHK(MPI_Cart_coords(COMM(self), rank, ndims, coords));
    r = int_list(coords, ndims);
fail:
    PyMem_Free(coords);
    return r;
}

static PyObject *cart_Shift(PyObject *self, PyObject *const *args, Py_ssize_t nargs,
                            PyObject *kwnames)
{
    static const char *const names[] = {"direction", "disp"};
    PyObject *a[2];
    int direction, disp, source = MPI_PROC_NULL, dest = MPI_PROC_NULL;
    if (pympi_bind_args("Shift", names, 2, 2, args, nargs, kwnames, a) < 0 ||
        pympi_int_arg(a[0], 0, "direction", &direction) < 0 ||
        pympi_int_arg(a[1], 0, "disp", &disp) < 0)
        return NULL;
    PYMPI_CHK(MPI_Cart_shift(COMM(self), direction, disp, &source, &dest));
    return Py_BuildValue("(ii)", source, dest);
fail:
    return NULL;
}

static PyObject *cart_Sub(PyObject *self, PyObject *const *args, Py_ssize_t nargs,
                          PyObject *kwnames)
{
    static const char *const names[] = {"remain_dims"};
    PyObject *a[1];
    int ndims = 0, *remain = NULL;
    MPI_Comm sub = MPI_COMM_NULL;
    if (pympi_bind_args("Sub", names, 1, 1, args, nargs, kwnames, a) < 0)
        return NULL;
    PYMPI_CHK(MPI_Cartdim_get(COMM(self), &ndims));
    if ((remain = bool_array(a[0], ndims, "remain_dims")) == NULL)
        return NULL;
    PYMPI_CHK_NOGIL(MPI_Cart_sub(COMM(self), remain, &sub));
    PyMem_Free(remain);
    return new_topo(&PyMPICartcomm_Type, sub);
fail:
    PyMem_Free(remain);
    return NULL;
}

static PyObject *cart_get_dim(PyObject *self, void *c) { return cart_Get_dim(self, NULL); }
static PyObject *cart_get_topo(PyObject *self, void *which)
{
    return cart_topo(self, (int)(intptr_t)which);
}

static PyMethodDef cart_methods[] = {
    {"Get_dim", cart_Get_dim, METH_NOARGS, "Get_dim($self, /)\n--\n\nNumber of dimensions."},
    {"Get_topo", cart_Get_topo, METH_NOARGS,
     "Get_topo($self, /)\n--\n\n(dims, periods, coords) of the grid."},
    {"Get_cart_rank", PYMPI_FASTCALL(cart_Get_cart_rank),
     "Get_cart_rank($self, /, coords)\n--\n\nRank at the given coordinates."},
    {"Get_coords", PYMPI_FASTCALL(cart_Get_coords),
     "Get_coords($self, /, rank)\n--\n\nCoordinates of a rank."},
    {"Shift", PYMPI_FASTCALL(cart_Shift),
     "Shift($self, /, direction, disp)\n--\n\n(source, dest) ranks of a shift."},
    {"Sub", PYMPI_FASTCALL(cart_Sub),
     "Sub($self, /, remain_dims)\n--\n\nSub-grid keeping the dimensions marked true."},
    {NULL},
};

static PyGetSetDef cart_getset[] = {
    {"dim", cart_get_dim, NULL, "Number of dimensions.", NULL},
    {"ndim", cart_get_dim, NULL, "Number of dimensions.", NULL},
    {"topo", cart_get_topo, NULL, "(dims, periods, coords).", (void *)3},
    {"dims", cart_get_topo, NULL, "Extent of each dimension.", (void *)0},
    {"periods", cart_get_topo, NULL, "Periodicity of each dimension.", (void *)1},
    {"coords", cart_get_topo, NULL, "Coordinates of this process.", (void *)2},
    {NULL},
};

/* ---- Graphcomm --------------------------------------------------------------------------- */

static PyObject *graph_Get_dims(PyObject *self, PyObject *unused)
{
    int nnodes = 0, nedges = 0;
    PYMPI_CHK(MPI_Graphdims_get(COMM(self), &nnodes, &nedges));
    return Py_BuildValue("(ii)", nnodes, nedges);
fail:
    return NULL;
}

/* (index, edges); `which` 0/1 picks one, 2 both. */
static PyObject *graph_topo(PyObject *self, int which)
{
    int nnodes = 0, nedges = 0, ierr;
    PyObject *r = NULL;
    if ((ierr = MPI_Graphdims_get(COMM(self), &nnodes, &nedges)) != MPI_SUCCESS)
        return raise_null(ierr);
    int *v = PyMem_Malloc(((size_t)nnodes + (size_t)nedges) * sizeof(int) + 1);
    if (v == NULL)
        return PyErr_NoMemory();
    if ((ierr = MPI_Graph_get(COMM(self), nnodes, nedges, v, v + nnodes)) != MPI_SUCCESS)
        pympi_raise(ierr);
    else if (which == 0)
        r = int_list(v, nnodes);
    else if (which == 1)
        r = int_list(v + nnodes, nedges);
    else
        r = Py_BuildValue("(NN)", int_list(v, nnodes), int_list(v + nnodes, nedges));
    PyMem_Free(v);
    return r;
}

static PyObject *graph_Get_topo(PyObject *self, PyObject *unused)
{
    return graph_topo(self, 2);
}

static PyObject *graph_neighbors(MPI_Comm comm, int rank, int list)
{
    int n = 0, *v;
    PyObject *r = NULL;
    PYMPI_CHK(MPI_Graph_neighbors_count(comm, rank, &n));
    if (!list)
        return PyLong_FromLong(n);
    if ((v = PyMem_Malloc((size_t)n * sizeof(int) + 1)) == NULL)
        return PyErr_NoMemory();
    int ierr = MPI_Graph_neighbors(comm, rank, n, v);
    if (ierr != MPI_SUCCESS)
        pympi_raise(ierr);
    else
        r = int_list(v, n);
    PyMem_Free(v);
    return r;
fail:
    return NULL;
}

static PyObject *graph_rank_method(PyObject *self, PyObject *const *args, Py_ssize_t nargs,
                                   PyObject *kwnames, const char *fname, int list)
{
    static const char *const names[] = {"rank"};
    PyObject *a[1];
    int rank;
    if (pympi_bind_args(fname, names, 1, 1, args, nargs, kwnames, a) < 0 ||
        pympi_int_arg(a[0], 0, "rank", &rank) < 0)
        return NULL;
    return graph_neighbors(COMM(self), rank, list);
}

static PyObject *graph_Get_neighbors_count(PyObject *self, PyObject *const *args,
                                           Py_ssize_t nargs, PyObject *kwnames)
{
    return graph_rank_method(self, args, nargs, kwnames, "Get_neighbors_count", 0);
}

static PyObject *graph_Get_neighbors(PyObject *self, PyObject *const *args, Py_ssize_t nargs,
                                     PyObject *kwnames)
{
    return graph_rank_method(self, args, nargs, kwnames, "Get_neighbors", 1);
}

static PyObject *graph_get_dims(PyObject *self, void *which)
{
    PyObject *dims = graph_Get_dims(self, NULL);
    int i = (int)(intptr_t)which;
    if (dims == NULL || i > 1)
        return dims;
    PyObject *r = Py_NewRef(PyTuple_GET_ITEM(dims, i));
    Py_DECREF(dims);
    return r;
}

static PyObject *graph_get_topo(PyObject *self, void *which)
{
    return graph_topo(self, (int)(intptr_t)which);
}

static PyObject *graph_get_neighbors(PyObject *self, void *list)
{
    int rank;
    PYMPI_CHK(MPI_Comm_rank(COMM(self), &rank));
    return graph_neighbors(COMM(self), rank, list != NULL);
fail:
    return NULL;
}

static PyMethodDef graph_methods[] = {
    {"Get_dims", graph_Get_dims, METH_NOARGS,
     "Get_dims($self, /)\n--\n\n(nnodes, nedges) of the graph."},
    {"Get_topo", graph_Get_topo, METH_NOARGS,
     "Get_topo($self, /)\n--\n\n(index, edges) of the graph."},
    {"Get_neighbors_count", PYMPI_FASTCALL(graph_Get_neighbors_count),
     "Get_neighbors_count($self, /, rank)\n--\n\nNumber of neighbors of a rank."},
    {"Get_neighbors", PYMPI_FASTCALL(graph_Get_neighbors),
     "Get_neighbors($self, /, rank)\n--\n\nNeighbors of a rank."},
    {NULL},
};

static PyGetSetDef graph_getset[] = {
    {"dims", graph_get_dims, NULL, "(nnodes, nedges).", (void *)2},
    {"nnodes", graph_get_dims, NULL, "Number of nodes.", (void *)0},
    {"nedges", graph_get_dims, NULL, "Number of edges.", (void *)1},
    {"topo", graph_get_topo, NULL, "(index, edges).", (void *)2},
    {"index", graph_get_topo, NULL, "Cumulative neighbor counts.", (void *)0},
    {"edges", graph_get_topo, NULL, "Neighbor lists, concatenated.", (void *)1},
    {"nneighbors", graph_get_neighbors, NULL, "Number of neighbors of this process.", NULL},
    {"neighbors", graph_get_neighbors, NULL, "Neighbors of this process.", (void *)1},
    {NULL},
};

/* ---- Distgraphcomm ----------------------------------------------------------------------- */

static PyObject *dist_Get_dist_neighbors_count(PyObject *self, PyObject *unused)
{
    int indeg = 0, outdeg = 0, weighted = 0;
    PYMPI_CHK(MPI_Dist_graph_neighbors_count(COMM(self), &indeg, &outdeg, &weighted));
    return Py_BuildValue("(iiN)", indeg, outdeg, PyBool_FromLong(weighted));
fail:
    return NULL;
}

static PyObject *dist_Get_dist_neighbors(PyObject *self, PyObject *unused)
{
    int indeg = 0, outdeg = 0, weighted = 0, *v;
    PyObject *r = NULL;
    PYMPI_CHK(MPI_Dist_graph_neighbors_count(COMM(self), &indeg, &outdeg, &weighted));
    if ((v = PyMem_Malloc(2 * ((size_t)indeg + (size_t)outdeg) * sizeof(int) + 1)) == NULL)
        return PyErr_NoMemory();
    int *src = v, *dst = v + indeg, *sw = dst + outdeg, *dw = sw + indeg;
    int ierr = MPI_Dist_graph_neighbors(COMM(self), indeg, src, weighted ? sw : MPI_UNWEIGHTED,
                                        outdeg, dst, weighted ? dw : MPI_UNWEIGHTED);
    if (ierr != MPI_SUCCESS)
        pympi_raise(ierr);
    else if (weighted)
        r = Py_BuildValue("(NN(NN))", int_list(src, indeg), int_list(dst, outdeg),
                          int_list(sw, indeg), int_list(dw, outdeg));
    else
        r = Py_BuildValue("(NNO)", int_list(src, indeg), int_list(dst, outdeg), Py_None);
    PyMem_Free(v);
    return r;
fail:
    return NULL;
}

static PyMethodDef dist_methods[] = {
    {"Get_dist_neighbors_count", dist_Get_dist_neighbors_count, METH_NOARGS,
     "Get_dist_neighbors_count($self, /)\n--\n\n(indegree, outdegree, weighted)."},
    {"Get_dist_neighbors", dist_Get_dist_neighbors, METH_NOARGS,
     "Get_dist_neighbors($self, /)\n--\n\n"
     "(sources, destinations, (sourceweights, destweights) or None)."},
    {NULL},
};

/* ---- Intracomm: constructors and mappings ----------------------------------------------- */

/* Create_cart and Cart_map: dims and periods (None: none periodic). */
static int cart_args(PyObject *o_dims, PyObject *o_periods, int **dims, int **periods,
                     int *ndims)
{
    if ((*dims = pympi_int_array(o_dims, -1, "dims", ndims)) == NULL)
        return -1;
    if ((*periods = bool_array(o_periods, *ndims, "periods")) == NULL) {
        PyMem_Free(*dims);
        return -1;
    }
    return 0;
}

static PyObject *intra_Create_cart(PyObject *self, PyObject *const *args, Py_ssize_t nargs,
                                   PyObject *kwnames)
{
    static const char *const names[] = {"dims", "periods", "reorder"};
    PyObject *a[3];
    int ndims, reorder, *dims, *periods;
    MPI_Comm cart = MPI_COMM_NULL;
    if (pympi_bind_args("Create_cart", names, 1, 3, args, nargs, kwnames, a) < 0 ||
        flag_arg(a[2], &reorder) < 0 || cart_args(a[0], a[1], &dims, &periods, &ndims) < 0)
        return NULL;
    int ierr;
    Py_BEGIN_ALLOW_THREADS
    ierr = MPI_Cart_create(COMM(self), ndims, dims, periods, reorder, &cart);
    Py_END_ALLOW_THREADS
    PyMem_Free(dims);
    PyMem_Free(periods);
    return ierr != MPI_SUCCESS ? raise_null(ierr) : new_topo(&PyMPICartcomm_Type, cart);
}

static PyObject *intra_Cart_map(PyObject *self, PyObject *const *args, Py_ssize_t nargs,
                                PyObject *kwnames)
{
    static const char *const names[] = {"dims", "periods"};
    PyObject *a[2];
    int ndims, newrank = MPI_UNDEFINED, *dims, *periods;
    if (pympi_bind_args("Cart_map", names, 1, 2, args, nargs, kwnames, a) < 0 ||
        cart_args(a[0], a[1], &dims, &periods, &ndims) < 0)
        return NULL;
    int ierr = MPI_Cart_map(COMM(self), ndims, dims, periods, &newrank);
    PyMem_Free(dims);
    PyMem_Free(periods);
    return ierr != MPI_SUCCESS ? raise_null(ierr) : PyLong_FromLong(newrank);
}

/*
 * Create_graph and Graph_map: index and edges. As in mpi4py, an index that starts with 0
 * and ends with len(edges) is taken as the nnodes + 1 offsets of the usual adjacency
 * layout, and its leading 0 is dropped.
 */
static int graph_args(PyObject *o_index, PyObject *o_edges, int **index, int **edges,
                      int *nnodes, int *skip)
{
    int nedges;
    if ((*index = pympi_int_array(o_index, -1, "index", nnodes)) == NULL)
        return -1;
    if ((*edges = pympi_int_array(o_edges, -1, "edges", &nedges)) == NULL) {
        PyMem_Free(*index);
        return -1;
    }
    *skip = *nnodes > 0 && (*index)[0] == 0 && (*index)[*nnodes - 1] == nedges;
    *nnodes -= *skip;
    return 0;
}

static PyObject *intra_Create_graph(PyObject *self, PyObject *const *args, Py_ssize_t nargs,
                                    PyObject *kwnames)
{
    static const char *const names[] = {"index", "edges", "reorder"};
    PyObject *a[3];
    int nnodes, skip, reorder, *index, *edges;
    MPI_Comm graph = MPI_COMM_NULL;
    if (pympi_bind_args("Create_graph", names, 2, 3, args, nargs, kwnames, a) < 0 ||
        flag_arg(a[2], &reorder) < 0 ||
        graph_args(a[0], a[1], &index, &edges, &nnodes, &skip) < 0)
        return NULL;
    int ierr;
    Py_BEGIN_ALLOW_THREADS
    ierr = MPI_Graph_create(COMM(self), nnodes, index + skip, edges, reorder, &graph);
    Py_END_ALLOW_THREADS
    PyMem_Free(index);
    PyMem_Free(edges);
    return ierr != MPI_SUCCESS ? raise_null(ierr) : new_topo(&PyMPIGraphcomm_Type, graph);
}

static PyObject *intra_Graph_map(PyObject *self, PyObject *const *args, Py_ssize_t nargs,
                                 PyObject *kwnames)
{
    static const char *const names[] = {"index", "edges"};
    PyObject *a[2];
    int nnodes, skip, newrank = MPI_UNDEFINED, *index, *edges;
    if (pympi_bind_args("Graph_map", names, 2, 2, args, nargs, kwnames, a) < 0 ||
        graph_args(a[0], a[1], &index, &edges, &nnodes, &skip) < 0)
        return NULL;
    int ierr = MPI_Graph_map(COMM(self), nnodes, index + skip, edges, &newrank);
    PyMem_Free(index);
    PyMem_Free(edges);
    return ierr != MPI_SUCCESS ? raise_null(ierr) : PyLong_FromLong(newrank);
}

/*
 * Edge weights: None or MPI.UNWEIGHTED -> MPI_UNWEIGHTED, MPI.WEIGHTS_EMPTY ->
 * MPI_WEIGHTS_EMPTY, else a sequence of n ints (*owned is then the array to free).
 */
static int weights_arg(PyObject *o, int n, const char *argname, int **out, int **owned)
{
    *owned = NULL;
    if (o == NULL || o == Py_None) {
        *out = MPI_UNWEIGHTED;
        return 0;
    }
    if (PyLong_Check(o)) {
        long v = PyLong_AsLong(o);
        if (v == (long)(intptr_t)MPI_UNWEIGHTED || v == (long)(intptr_t)MPI_WEIGHTS_EMPTY) {
            *out = v == (long)(intptr_t)MPI_UNWEIGHTED ? MPI_UNWEIGHTED : MPI_WEIGHTS_EMPTY;
            return 0;
        }
        PyErr_Format(PyExc_TypeError, "%s: expected a sequence of integers, MPI.UNWEIGHTED "
                     "or MPI.WEIGHTS_EMPTY, got %R", argname, o);
        return -1;
    }
    *out = *owned = pympi_int_array(o, n, argname, NULL);
    return *out == NULL ? -1 : 0;
}

static PyObject *intra_Create_dist_graph_adjacent(PyObject *self, PyObject *const *args,
                                                  Py_ssize_t nargs, PyObject *kwnames)
{
    static const char *const names[] = {"sources", "destinations", "sourceweights",
                                        "destweights", "info", "reorder"};
    PyObject *a[6], *r = NULL;
    int indeg, outdeg, reorder;
    int *src = NULL, *dst = NULL, *sw = NULL, *dw = NULL, *sw_own = NULL, *dw_own = NULL;
    MPI_Info info = MPI_INFO_NULL;
    MPI_Comm dist = MPI_COMM_NULL;
    if (pympi_bind_args("Create_dist_graph_adjacent", names, 2, 6, args, nargs, kwnames, a) <
            0 ||
        (a[4] != NULL && !pympi_conv_info(a[4], &info)) || flag_arg(a[5], &reorder) < 0)
        return NULL;
    if ((src = pympi_int_array(a[0], -1, "sources", &indeg)) == NULL ||
        (dst = pympi_int_array(a[1], -1, "destinations", &outdeg)) == NULL ||
        weights_arg(a[2], indeg, "sourceweights", &sw, &sw_own) < 0 ||
        weights_arg(a[3], outdeg, "destweights", &dw, &dw_own) < 0)
        goto out;
    int ierr;
    Py_BEGIN_ALLOW_THREADS
    ierr = MPI_Dist_graph_create_adjacent(COMM(self), indeg, src, sw, outdeg, dst, dw, info,
                                          reorder, &dist);
    Py_END_ALLOW_THREADS
    r = ierr != MPI_SUCCESS ? raise_null(ierr) : new_topo(&PyMPIDistgraphcomm_Type, dist);
out:
    PyMem_Free(src);
    PyMem_Free(dst);
    PyMem_Free(sw_own);
    PyMem_Free(dw_own);
    return r;
}

static PyObject *intra_Create_dist_graph(PyObject *self, PyObject *const *args,
                                         Py_ssize_t nargs, PyObject *kwnames)
{
    static const char *const names[] = {"sources", "degrees", "destinations", "weights",
                                        "info", "reorder"};
    PyObject *a[6], *r = NULL;
    int n, reorder, *src = NULL, *deg = NULL, *dst = NULL, *w = NULL, *w_own = NULL;
    MPI_Info info = MPI_INFO_NULL;
    MPI_Comm dist = MPI_COMM_NULL;
    if (pympi_bind_args("Create_dist_graph", names, 3, 6, args, nargs, kwnames, a) < 0 ||
        (a[4] != NULL && !pympi_conv_info(a[4], &info)) || flag_arg(a[5], &reorder) < 0)
        return NULL;
    if ((src = pympi_int_array(a[0], -1, "sources", &n)) == NULL ||
        (deg = pympi_int_array(a[1], n, "degrees", NULL)) == NULL)
        goto out;
    long long nedges = 0;
    for (int i = 0; i < n; i++) {
        if (deg[i] < 0) {
            PyErr_Format(PyExc_ValueError, "degrees[%d]: negative degree %d", i, deg[i]);
            goto out;
        }
        nedges += deg[i];
    }
    if (nedges > INT32_MAX) {
        PyErr_SetString(PyExc_ValueError, "degrees: too many edges");
        goto out;
    }
    if ((dst = pympi_int_array(a[2], (int)nedges, "destinations", NULL)) == NULL ||
        weights_arg(a[3], (int)nedges, "weights", &w, &w_own) < 0)
        goto out;
    int ierr;
    Py_BEGIN_ALLOW_THREADS
    ierr = MPI_Dist_graph_create(COMM(self), n, src, deg, dst, w, info, reorder, &dist);
    Py_END_ALLOW_THREADS
    r = ierr != MPI_SUCCESS ? raise_null(ierr) : new_topo(&PyMPIDistgraphcomm_Type, dist);
out:
    PyMem_Free(src);
    PyMem_Free(deg);
    PyMem_Free(dst);
    PyMem_Free(w_own);
    return r;
}

static PyMethodDef intracomm_topo_methods[] = {
    {"Create_cart", PYMPI_FASTCALL(intra_Create_cart),
     "Create_cart($self, /, dims, periods=None, reorder=False)\n--\n\n"
     "Make a Cartesian topology."},
    {"Create_graph", PYMPI_FASTCALL(intra_Create_graph),
     "Create_graph($self, /, index, edges, reorder=False)\n--\n\nMake a graph topology."},
    {"Create_dist_graph_adjacent", PYMPI_FASTCALL(intra_Create_dist_graph_adjacent),
     "Create_dist_graph_adjacent($self, /, sources, destinations, sourceweights=None, "
     "destweights=None, info=None, reorder=False)\n--\n\n"
     "Make a distributed graph topology from each process's neighbors."},
    {"Create_dist_graph", PYMPI_FASTCALL(intra_Create_dist_graph),
     "Create_dist_graph($self, /, sources, degrees, destinations, weights=None, info=None, "
     "reorder=False)\n--\n\nMake a distributed graph topology from any edges."},
    {"Cart_map", PYMPI_FASTCALL(intra_Cart_map),
     "Cart_map($self, /, dims, periods=None)\n--\n\n"
     "This process's rank in a Cartesian topology (or UNDEFINED)."},
    {"Graph_map", PYMPI_FASTCALL(intra_Graph_map),
     "Graph_map($self, /, index, edges)\n--\n\n"
     "This process's rank in a graph topology (or UNDEFINED)."},
    {NULL},
};

/* ---- module function ------------------------------------------------------------------ */

static PyObject *mod_Compute_dims(PyObject *module, PyObject *const *args, Py_ssize_t nargs,
                                  PyObject *kwnames)
{
    static const char *const names[] = {"nnodes", "dims"};
    PyObject *a[2], *r = NULL;
    int nnodes, ndims, *dims;
    if (pympi_bind_args("Compute_dims", names, 2, 2, args, nargs, kwnames, a) < 0 ||
        pympi_int_arg(a[0], 0, "nnodes", &nnodes) < 0)
        return NULL;
    if (PyIndex_Check(a[1])) {
        if (pympi_int_arg(a[1], 0, "dims", &ndims) < 0)
            return NULL;
        if (ndims < 0) {
            PyErr_Format(PyExc_ValueError, "dims: negative number of dimensions %d", ndims);
            return NULL;
        }
        if ((dims = PyMem_Calloc((size_t)ndims + 1, sizeof(int))) == NULL)
            return PyErr_NoMemory();
    } else if ((dims = pympi_int_array(a[1], -1, "dims", &ndims)) == NULL) {
        return NULL;
    }
    int ierr = MPI_Dims_create(nnodes, ndims, dims);
    r = ierr != MPI_SUCCESS ? raise_null(ierr) : int_list(dims, ndims);
    PyMem_Free(dims);
    return r;
}

PyMethodDef pympi_module_topo_methods[] = {
    {"Compute_dims", PYMPI_FASTCALL(mod_Compute_dims),
     "Compute_dims($module, /, nnodes, dims)\n--\n\n"
     "Balanced dimensions for nnodes processes (zeros in dims are filled in)."},
    {NULL},
};

/* ---- types ---------------------------------------------------------------------------- */

#define TOPO_TYPE(var, name, doc, methods, getset)                                        \
    PyTypeObject var = {                                                                 \
        PyVarObject_HEAD_INIT(NULL, 0)                                                   \
        .tp_name = "mpi4py.MPI." name,                                                   \
        .tp_basicsize = sizeof(PyMPICommObject),                                         \
        .tp_flags = Py_TPFLAGS_DEFAULT | Py_TPFLAGS_BASETYPE,                            \
        .tp_doc = doc,                                                                   \
        .tp_methods = methods,                                                           \
        .tp_getset = getset,                                                             \
    }

TOPO_TYPE(PyMPITopocomm_Type, "Topocomm", "Topology intracommunicator.", NULL, topo_getset);
TOPO_TYPE(PyMPICartcomm_Type, "Cartcomm", "Cartesian topology intracommunicator.",
          cart_methods, cart_getset);
TOPO_TYPE(PyMPIGraphcomm_Type, "Graphcomm", "General graph topology intracommunicator.",
          graph_methods, graph_getset);
TOPO_TYPE(PyMPIDistgraphcomm_Type, "Distgraphcomm",
          "Distributed graph topology intracommunicator.", dist_methods, NULL);

/* Adds the methods of `defs` to an already readied type. */
static int add_methods(PyTypeObject *type, PyMethodDef *defs)
{
    for (; defs->ml_name != NULL; defs++) {
        PyObject *descr = PyDescr_NewMethod(type, defs);
        if (descr == NULL || PyDict_SetItemString(type->tp_dict, defs->ml_name, descr) < 0) {
            Py_XDECREF(descr);
            return -1;
        }
        Py_DECREF(descr);
    }
    PyType_Modified(type);
    return 0;
}

int pympi_init_topo(PyObject *m)
{
    PyMPITopocomm_Type.tp_base = &PyMPIIntracomm_Type;
    PyMPICartcomm_Type.tp_base = &PyMPITopocomm_Type;
    PyMPIGraphcomm_Type.tp_base = &PyMPITopocomm_Type;
    PyMPIDistgraphcomm_Type.tp_base = &PyMPITopocomm_Type;
    if (add_methods(&PyMPIIntracomm_Type, intracomm_topo_methods) < 0)
        return -1;
    PyTypeObject *types[] = {&PyMPITopocomm_Type, &PyMPICartcomm_Type, &PyMPIGraphcomm_Type,
                             &PyMPIDistgraphcomm_Type};
    for (size_t i = 0; i < 4; i++) {
        if (PyType_Ready(types[i]) < 0)
            return -1;
        if (i == 0 && (add_methods(&PyMPITopocomm_Type, pympi_topocomm_coll_methods) < 0 ||
                       add_methods(&PyMPITopocomm_Type, pympi_topocomm_objcoll_methods) < 0))
            return -1;
        if (PyModule_AddObjectRef(m, types[i]->tp_name + sizeof "mpi4py.MPI." - 1,
                                  (PyObject *)types[i]) < 0)
            return -1;
    }
    return 0;
}
