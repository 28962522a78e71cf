/* comm/ctx_many: context ids are recycled and never run out.
 *
 * 1. N create/free cycles (argv[1], default 100000) of MPI_Comm_dup, alternating with
 *    MPI_Comm_split and MPI_Comm_create, with a message on some of them; prints the time
 *    per cycle on rank 0.
 * 2. Duplicates kept alive until the table is full: the next MPI_Comm_dup must fail with
 *    MPI_ERR_OTHER (under MPI_ERRORS_RETURN) on every rank, and once some are freed the
 *    ids come back. */
#include "../common.h"

int main(int argc, char **argv)
{
    tm_init(&argc, &argv);
    long cycles = argc > 1 ? atol(argv[1]) : 100000;
    int right = (tm_rank + 1) % tm_size, left = (tm_rank + tm_size - 1) % tm_size;
    MPI_Group world_group;
    MPI_Comm_group(MPI_COMM_WORLD, &world_group);

    double t0 = MPI_Wtime();
    for (long i = 0; i < cycles && tm_errors == 0; i++) {
        MPI_Comm c = MPI_COMM_NULL;
        int rc;
        if (i % 3 == 0)
            rc = MPI_Comm_dup(MPI_COMM_WORLD, &c);
        else if (i % 3 == 1)
            rc = MPI_Comm_split(MPI_COMM_WORLD, 0, tm_rank, &c);
        else
            rc = MPI_Comm_create(MPI_COMM_WORLD, world_group, &c);
        TM_CHECK(rc == MPI_SUCCESS && c != MPI_COMM_NULL, "cycle %ld: constructor returned %d",
                 i, rc);
        if (rc != MPI_SUCCESS)
            break;
        if (i % 10007 == 0) {
            int out = (int)i + tm_rank, in = -1;
            MPI_Sendrecv(&out, 1, MPI_INT, right, 5, &in, 1, MPI_INT, left, 5, c,
                         MPI_STATUS_IGNORE);
            TM_CHECK(in == (int)i + left, "cycle %ld: ring got %d", i, in);
        }
        TM_CHECK_RC(MPI_Comm_free(&c), "MPI_Comm_free");
    }
    double t = MPI_Wtime() - t0;
    if (tm_rank == 0 && cycles > 0)
        printf("%ld create/free cycles at %d ranks: %.2f s, %.2f us per cycle\n", cycles,
               tm_size, t, t / (double)cycles * 1e6);

    /* Fill the table. */
    enum { MAXALIVE = 10000 };
    MPI_Comm *alive = tm_malloc(sizeof *alive * MAXALIVE);
    MPI_Comm parent;
    MPI_Comm_dup(MPI_COMM_WORLD, &parent);
    MPI_Comm_set_errhandler(parent, MPI_ERRORS_RETURN);
    int n = 0, rc = MPI_SUCCESS;
    while (n < MAXALIVE) {
        rc = MPI_Comm_dup(parent, &alive[n]);
        if (rc != MPI_SUCCESS)
            break;
        n++;
    }
    TM_CHECK(rc != MPI_SUCCESS && tm_errclass(rc) == MPI_ERR_OTHER,
             "after %d live duplicates MPI_Comm_dup returned %d (class %d), expected "
             "MPI_ERR_OTHER", n, rc, tm_errclass(rc));
    TM_CHECK(n > 1000, "only %d communicators could be alive at once", n);
    TM_CHECK(alive[n < MAXALIVE ? n : 0] == MPI_COMM_NULL || n == MAXALIVE,
             "a failed MPI_Comm_dup must return MPI_COMM_NULL");
    /* Free a few from the middle: that many can be made again. */
    for (int i = 10; i < 20 && i < n; i++)
        MPI_Comm_free(&alive[i]);
    for (int i = 10; i < 20 && i < n; i++) {
        rc = MPI_Comm_dup(parent, &alive[i]);
        TM_CHECK(rc == MPI_SUCCESS, "re-dup %d after freeing returned %d", i, rc);
    }
    int out = tm_rank, in = -1;
    MPI_Sendrecv(&out, 1, MPI_INT, right, 0, &in, 1, MPI_INT, left, 0, alive[15],
                 MPI_STATUS_IGNORE);
    TM_CHECK(in == left, "ring on a recycled id got %d", in);
    for (int i = 0; i < n; i++)
        MPI_Comm_free(&alive[i]);
    free(alive);
    MPI_Comm_free(&parent);
    MPI_Group_free(&world_group);
    return tm_finish();
}
