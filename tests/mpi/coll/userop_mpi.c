/* userop_mpi.c: a user reduction function that itself calls MPI (MPI_Type_size,
 * MPI_Type_get_extent, MPI_Comm_rank, MPI_Type_get_name, MPI_Iprobe on a private
 * communicator), used by MPI_Allreduce, MPI_Reduce, MPI_Iallreduce + MPI_Wait and
 * MPI_Reduce_local. The library runs user functions without its lock held, so these calls
 * must not deadlock at any thread level. Argument: "single" asks for MPI_THREAD_SINGLE,
 * otherwise MPI_THREAD_MULTIPLE. */
#include "../common.h"

static MPI_Comm probe_comm;
static int calls, bad_in_fn;

/* Sums ints, contiguous or as a derived type of 2 ints; checks its datatype through MPI. */
static void sum_fn(void *in, void *inout, int *len, MPI_Datatype *dt)
{
    int size, rank, flag, namelen;
    MPI_Aint lb, extent;
    char name[MPI_MAX_OBJECT_NAME];
    calls++;
    if (MPI_Type_size(*dt, &size) != MPI_SUCCESS || (size != 4 && size != 8))
        bad_in_fn++;
    if (MPI_Type_get_extent(*dt, &lb, &extent) != MPI_SUCCESS || extent != size || lb != 0)
        bad_in_fn++;
    if (MPI_Comm_rank(MPI_COMM_WORLD, &rank) != MPI_SUCCESS || rank != tm_rank)
        bad_in_fn++;
    if (MPI_Type_get_name(*dt, name, &namelen) != MPI_SUCCESS)
        bad_in_fn++;
    if (MPI_Iprobe(MPI_ANY_SOURCE, MPI_ANY_TAG, probe_comm, &flag, MPI_STATUS_IGNORE) !=
            MPI_SUCCESS || flag)
        bad_in_fn++;
    int n = *len * (size / 4);
    for (int i = 0; i < n; i++)
        ((int *)inout)[i] += ((int *)in)[i];
}

static void check_sum(const int *out, int n, int off, const char *what)
{
    int p = tm_size;
    for (int i = 0; i < n; i++) {
        int want = p * (i + off) + p * (p - 1) / 2;
        TM_CHECK(out[i] == want, "%s: out[%d] = %d, want %d", what, i, out[i], want);
        if (out[i] != want)
            break;
    }
}

int main(int argc, char **argv)
{
    int want = argc > 1 && !strcmp(argv[1], "single") ? MPI_THREAD_SINGLE
                                                      : MPI_THREAD_MULTIPLE;
    int provided;
    MPI_Init_thread(&argc, &argv, want, &provided);
    tm_setup_comm();
    TM_CHECK(provided >= want, "provided %d < %d", provided, want);
    MPI_Comm_dup(MPI_COMM_WORLD, &probe_comm);

    MPI_Op op;
    MPI_Op_create(sum_fn, 1, &op);
    MPI_Datatype pair;
    MPI_Type_contiguous(2, MPI_INT, &pair);
    MPI_Type_commit(&pair);

    static int in[4096], out[4096];
    const int sizes[] = {1, 7, 64, 1000, 4096};
    for (unsigned k = 0; k < sizeof sizes / sizeof sizes[0]; k++) {
        int n = sizes[k];
        for (int i = 0; i < n; i++)
            in[i] = tm_rank + i;
        memset(out, 0, sizeof out);
        TM_CHECK(MPI_Allreduce(in, out, n, MPI_INT, op, MPI_COMM_WORLD) == MPI_SUCCESS,
                 "allreduce");
        check_sum(out, n, 0, "allreduce");

        memset(out, 0, sizeof out);
        TM_CHECK(MPI_Allreduce(in, out, n / 2, pair, op, MPI_COMM_WORLD) == MPI_SUCCESS,
                 "allreduce pair");
        check_sum(out, n / 2 * 2, 0, "allreduce pair");

        int root = (int)k % tm_size;
        memset(out, 0, sizeof out);
        TM_CHECK(MPI_Reduce(in, out, n, MPI_INT, op, root, MPI_COMM_WORLD) == MPI_SUCCESS,
                 "reduce");
        if (tm_rank == root)
            check_sum(out, n, 0, "reduce");

        MPI_Request r;
        memset(out, 0, sizeof out);
        TM_CHECK(MPI_Iallreduce(in, out, n, MPI_INT, op, MPI_COMM_WORLD, &r) == MPI_SUCCESS,
                 "iallreduce");
        MPI_Wait(&r, MPI_STATUS_IGNORE);
        check_sum(out, n, 0, "iallreduce");

        /* in place */
        for (int i = 0; i < n; i++)
            out[i] = tm_rank + i + 1;
        TM_CHECK(MPI_Allreduce(MPI_IN_PLACE, out, n, MPI_INT, op, MPI_COMM_WORLD) ==
                     MPI_SUCCESS, "allreduce in place");
        check_sum(out, n, 1, "allreduce in place");

        for (int i = 0; i < n; i++)
            out[i] = 10 * i;
        TM_CHECK(MPI_Reduce_local(in, out, n, MPI_INT, op) == MPI_SUCCESS, "reduce_local");
        for (int i = 0; i < n; i++)
            TM_CHECK(out[i] == 10 * i + tm_rank + i, "reduce_local out[%d] = %d", i, out[i]);
    }
    TM_CHECK(tm_size == 1 || calls > 0, "the user function was never called");
    TM_CHECK(bad_in_fn == 0, "%d MPI calls in the user function failed", bad_in_fn);
    MPI_Type_free(&pair);
    MPI_Op_free(&op);
    MPI_Comm_free(&probe_comm);
    return tm_finish();
}
