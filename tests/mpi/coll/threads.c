/* threads.c: MPI_THREAD_MULTIPLE: several threads run collectives at the same time, each
 * on its own communicator (blocking, nonblocking and persistent), and check the results. */
#include <pthread.h>

#include "coll_common.h"

#define NTHREADS 3
#define ITERS 200

static int p, me;
static MPI_Comm comms[NTHREADS];
static int errors[NTHREADS];

static void *worker(void *arg)
{
    int t = (int)(intptr_t)arg, bad = 0;
    MPI_Comm c = comms[t];
    int buf[64], out[64];
    MPI_Request req;
    int x = 0, y = 0;
    MPI_Allreduce_init(&x, &y, 1, MPI_INT, MPI_SUM, c, MPI_INFO_NULL, &req);
    for (int it = 0; it < ITERS; it++) {
        int n = 1 + (it * 7 + t) % 64;
        for (int i = 0; i < n; i++)
            buf[i] = tc_val(me + t, i + it);
        if (MPI_Allreduce(buf, out, n, MPI_INT, MPI_SUM, c) != MPI_SUCCESS)
            bad++;
        for (int i = 0; i < n; i++)
            if (out[i] != tc_sum_range(t, p - 1 + t, i + it))
                bad++;
        int root = it % p;
        for (int i = 0; i < n; i++)
            buf[i] = me == root ? it * 1000 + i + t : -1;
        MPI_Request r;
        MPI_Ibcast(buf, n, MPI_INT, root, c, &r);
        MPI_Wait(&r, MPI_STATUS_IGNORE);
        for (int i = 0; i < n; i++)
            if (buf[i] != it * 1000 + i + t)
                bad++;
        x = it + me;
        MPI_Start(&req);
        MPI_Wait(&req, MPI_STATUS_IGNORE);
        if (y != p * it + p * (p - 1) / 2)
            bad++;
        if (it % 50 == 0)
            MPI_Barrier(c);
    }
    MPI_Request_free(&req);
    errors[t] = bad;
    return NULL;
}

int main(int argc, char **argv)
{
    int provided;
    MPI_Init_thread(&argc, &argv, MPI_THREAD_MULTIPLE, &provided);
    tm_setup_comm();
    p = tm_size;
    me = tm_rank;
    if (provided < MPI_THREAD_MULTIPLE) {
        TM_CHECK(0, "MPI_THREAD_MULTIPLE not provided (%d)", provided);
        return tm_finish();
    }
    for (int t = 0; t < NTHREADS; t++)
        MPI_Comm_dup(MPI_COMM_WORLD, &comms[t]);
    pthread_t th[NTHREADS];
    for (int t = 0; t < NTHREADS; t++)
        pthread_create(&th[t], NULL, worker, (void *)(intptr_t)t);
    for (int t = 0; t < NTHREADS; t++) {
        pthread_join(th[t], NULL);
        TM_CHECK(errors[t] == 0, "thread %d: %d wrong results", t, errors[t]);
        MPI_Comm_free(&comms[t]);
    }
    return tm_finish();
}
