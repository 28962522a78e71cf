/* attr/finalize: MPI_Finalize first "frees" MPI_COMM_SELF, running its attributes' delete
 * callbacks in the reverse order of setting, while MPI still works (MPI_Finalized is false,
 * communication on MPI_COMM_WORLD still possible). The log is checked after MPI_Finalize;
 * each rank decides alone and exits non-zero on failure. Then MPI_COMM_WORLD's attributes
 * go: one whose delete callback fails makes MPI_Finalize return that error (under
 * MPI_ERRORS_RETURN), yet MPI is finalized. */
#include <mpi.h>
#include <stdio.h>
#include <stdlib.h>

static int order[8], n, finalized_in_cb = -1, comm_ok = 0;

static int world_deletes;
static int del_world(MPI_Comm c, int kv, void *value, void *extra)
{
    (void)kv;
    (void)value;
    (void)extra;
    world_deletes++;
    return c == MPI_COMM_WORLD && n == 4 ? MPI_ERR_OTHER : MPI_SUCCESS;
}

static int del(MPI_Comm c, int kv, void *value, void *extra)
{
    (void)kv;
    (void)extra;
    if (c != MPI_COMM_SELF)
        return MPI_ERR_OTHER;
    if (n < 8)
        order[n++] = (int)(long)value;
    MPI_Finalized(&finalized_in_cb);
    int size = 0;
    comm_ok = MPI_Comm_size(MPI_COMM_WORLD, &size) == MPI_SUCCESS && size > 0;
    return MPI_SUCCESS;
}

int main(int argc, char **argv)
{
    MPI_Init(&argc, &argv);
    int rank, kv[4];
    MPI_Comm_rank(MPI_COMM_WORLD, &rank);
    for (int i = 0; i < 4; i++) {
        MPI_Comm_create_keyval(MPI_COMM_NULL_COPY_FN, del, &kv[i], NULL);
        MPI_Comm_set_attr(MPI_COMM_SELF, kv[i], (void *)(long)(i + 1));
    }
    /* setting key 1 again replaces its value in place (the order of setting is the first
     * set's; MPICH does the same) */
    MPI_Comm_set_attr(MPI_COMM_SELF, kv[1], (void *)(long)20);
    n = 0;   /* the replacement's delete of value 2 is not part of finalization */
    MPI_Comm_free_keyval(&kv[3]);   /* freed keyvals still get their callback */
    int wk[2];
    for (int i = 0; i < 2; i++) {
        MPI_Comm_create_keyval(MPI_COMM_NULL_COPY_FN, del_world, &wk[i], NULL);
        MPI_Comm_set_attr(MPI_COMM_WORLD, wk[i], NULL);
    }
    MPI_Comm_set_errhandler(MPI_COMM_SELF, MPI_ERRORS_RETURN);
    int rc = MPI_Finalize(), fin = 0, cls = -1;
    MPI_Finalized(&fin);
    MPI_Error_class(rc, &cls);
    int want[4] = {4, 3, 20, 1}, bad = n != 4;
    for (int i = 0; i < 4 && i < n; i++)
        bad |= order[i] != want[i];
    if (bad) {
        fprintf(stderr, "[rank %d] FAIL: delete order", rank);
        for (int i = 0; i < n; i++)
            fprintf(stderr, " %d", order[i]);
        fprintf(stderr, ", expected 4 3 20 1\n");
    }
    if (finalized_in_cb != 0) {
        fprintf(stderr, "[rank %d] FAIL: MPI_Finalized gave %d in the callback\n", rank,
                finalized_in_cb);
        bad = 1;
    }
    if (!comm_ok) {
        fprintf(stderr, "[rank %d] FAIL: MPI_Comm_size failed in the callback\n", rank);
        bad = 1;
    }
    if (cls != MPI_ERR_OTHER || !fin || world_deletes != 1) {
        fprintf(stderr, "[rank %d] FAIL: MPI_Finalize with a failing delete callback on "
                "MPI_COMM_WORLD returned class %d, finalized %d, %d world callbacks (expected "
                "MPI_ERR_OTHER, 1, 1)\n", rank, cls, fin, world_deletes);
        bad = 1;
    }
    if (!bad && rank == 0)
        printf("PASS\n");
    return bad;
}
