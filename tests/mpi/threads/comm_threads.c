/* threads/comm_threads: MPI_THREAD_MULTIPLE, two threads per rank building and freeing
 * communicators at the same time, each from its own parent (thread t uses parent t on every
 * rank). Their context-id agreements run concurrently in one process, so each must get ids
 * the other does not hold; a ring on every new communicator checks its messages stay
 * apart. Attributes are set and deleted on the new communicators meanwhile. */
#include "../common.h"

#include <pthread.h>

#define ITERS 300

static MPI_Comm parent[2];
static int errors[2];
static int deletes[2];

static int del(MPI_Comm c, int kv, void *value, void *extra)
{
    (void)c;
    (void)kv;
    (void)value;
    __atomic_fetch_add((int *)extra, 1, __ATOMIC_RELAXED);
    return MPI_SUCCESS;
}

static void *work(void *arg)
{
    int t = (int)(long)arg, kv;
    MPI_Comm_create_keyval(MPI_COMM_NULL_COPY_FN, del, &kv, &deletes[t]);
    for (int i = 0; i < ITERS; i++) {
        MPI_Comm c;
        int rc = i % 2 ? MPI_Comm_dup(parent[t], &c)
                       : MPI_Comm_split(parent[t], 0, -tm_rank, &c);
        if (rc != MPI_SUCCESS) {
            errors[t]++;
            break;
        }
        int r, n, in = -1, out;
        MPI_Comm_rank(c, &r);
        MPI_Comm_size(c, &n);
        out = r * 1000 + t * 100 + i % 100;
        MPI_Comm_set_attr(c, kv, NULL);
        MPI_Sendrecv(&out, 1, MPI_INT, (r + 1) % n, t, &in, 1, MPI_INT, (r + n - 1) % n, t, c,
                     MPI_STATUS_IGNORE);
        if (in != ((r + n - 1) % n) * 1000 + t * 100 + i % 100)
            errors[t]++;
        MPI_Comm_free(&c);
    }
    MPI_Comm_free_keyval(&kv);
    return NULL;
}

int main(int argc, char **argv)
{
    int provided;
    MPI_Init_thread(&argc, &argv, MPI_THREAD_MULTIPLE, &provided);
    tm_setup_comm();
    TM_CHECK(provided == MPI_THREAD_MULTIPLE, "provided %d", provided);
    MPI_Comm_dup(MPI_COMM_WORLD, &parent[0]);
    MPI_Comm_dup(MPI_COMM_WORLD, &parent[1]);
    pthread_t th[2];
    for (long t = 0; t < 2; t++)
        pthread_create(&th[t], NULL, work, (void *)t);
    for (int t = 0; t < 2; t++)
        pthread_join(th[t], NULL);
    for (int t = 0; t < 2; t++) {
        TM_CHECK(errors[t] == 0, "thread %d: %d bad rings or failed constructors", t,
                 errors[t]);
        TM_CHECK(deletes[t] == ITERS, "thread %d: %d delete callbacks, expected %d", t,
                 deletes[t], ITERS);
    }
    MPI_Comm_free(&parent[0]);
    MPI_Comm_free(&parent[1]);
    return tm_finish();
}
