/* userop_threads.c: MPI_THREAD_MULTIPLE with a user reduction function that takes a
 * pthread mutex, while a second thread holds that mutex around its own MPI calls - the
 * shape of a language binding whose callbacks take an interpreter lock (Python's GIL).
 * The library must run the function without its own lock held, or the two threads wait
 * on each other forever (the launcher's --timeout turns that into a failure).
 *
 * The main thread runs many MPI_Allreduce / MPI_Iallreduce / MPI_Reduce_local with the
 * slow-ish op on MPI_COMM_WORLD; the second thread, mutex held, calls MPI_Comm_rank and
 * MPI_Iprobe (which progresses the main thread's schedules while their user function
 * runs) and runs a fixed number of its own user-op allreduces on a duplicate. */
#include <pthread.h>
#include <stdatomic.h>

#include "../common.h"

#define ITERS 300
#define SIDE_ITERS 40

/* Recursive, like the GIL (PyGILState_Ensure): progress driven by the thread holding it
 * may run the other thread's user function on this thread. */
static pthread_mutex_t gil;
static atomic_int done;
static MPI_Comm side_comm, probe_comm;
static MPI_Op op;
static int side_bad;

static void sum_fn(void *in, void *inout, int *len, MPI_Datatype *dt)
{
    (void)dt;
    pthread_mutex_lock(&gil);
    volatile int spin = 0;
    for (int k = 0; k < 2000; k++)  /* slow-ish: widen the window */
        spin += k;
    for (int i = 0; i < *len; i++)
        ((int *)inout)[i] += ((int *)in)[i];
    pthread_mutex_unlock(&gil);
}

static void *side(void *arg)
{
    (void)arg;
    int it = 0, rounds = 0;
    while (!atomic_load(&done) || it < SIDE_ITERS) {
        int rank = -1, flag = 1;
        pthread_mutex_lock(&gil);
        if (MPI_Comm_rank(probe_comm, &rank) != MPI_SUCCESS || rank != tm_rank)
            side_bad++;
        if (MPI_Iprobe(MPI_ANY_SOURCE, MPI_ANY_TAG, probe_comm, &flag, MPI_STATUS_IGNORE) !=
                MPI_SUCCESS || flag)
            side_bad++;
        pthread_mutex_unlock(&gil);
        if (it < SIDE_ITERS && ++rounds % 8 == 0) {
            int v[3] = {tm_rank, it, 1}, out[3];
            if (MPI_Allreduce(v, out, 3, MPI_INT, op, side_comm) != MPI_SUCCESS ||
                out[0] != tm_size * (tm_size - 1) / 2 || out[1] != tm_size * it ||
                out[2] != tm_size)
                side_bad++;
            it++;
        }
    }
    return NULL;
}

int main(int argc, char **argv)
{
    int provided;
    MPI_Init_thread(&argc, &argv, MPI_THREAD_MULTIPLE, &provided);
    tm_setup_comm();
    if (provided < MPI_THREAD_MULTIPLE) {
        TM_CHECK(0, "MPI_THREAD_MULTIPLE not provided (%d)", provided);
        return tm_finish();
    }
    pthread_mutexattr_t ma;
    pthread_mutexattr_init(&ma);
    pthread_mutexattr_settype(&ma, PTHREAD_MUTEX_RECURSIVE);
    pthread_mutex_init(&gil, &ma);
    MPI_Comm_dup(MPI_COMM_WORLD, &side_comm);
    MPI_Comm_dup(MPI_COMM_WORLD, &probe_comm);
    MPI_Op_create(sum_fn, 1, &op);
    pthread_t t;
    pthread_create(&t, NULL, side, NULL);

    int p = tm_size;
    static int in[300], out[300];
    for (int it = 0; it < ITERS; it++) {
        int n = 1 + (it * 37) % 300;
        for (int i = 0; i < n; i++)
            in[i] = tm_rank + i + it;
        int want0 = p * it + p * (p - 1) / 2;  /* element i: want0 + p * i */
        if (it % 3 == 2) {
            MPI_Request r;
            TM_CHECK(MPI_Iallreduce(in, out, n, MPI_INT, op, MPI_COMM_WORLD, &r) ==
                         MPI_SUCCESS, "iallreduce");
            MPI_Wait(&r, MPI_STATUS_IGNORE);
        } else {
            TM_CHECK(MPI_Allreduce(in, out, n, MPI_INT, op, MPI_COMM_WORLD) == MPI_SUCCESS,
                     "allreduce");
        }
        for (int i = 0; i < n; i++)
            if (out[i] != want0 + p * i) {
                TM_CHECK(0, "iteration %d: out[%d] = %d, want %d", it, i, out[i],
                         want0 + p * i);
                break;
            }
        if (it % 10 == 0) {
            for (int i = 0; i < n; i++)
                out[i] = i;
            MPI_Reduce_local(in, out, n, MPI_INT, op);
            for (int i = 0; i < n; i++)
                if (out[i] != i + in[i]) {
                    TM_CHECK(0, "reduce_local: out[%d] = %d", i, out[i]);
                    break;
                }
        }
    }
    atomic_store(&done, 1);
    pthread_join(t, NULL);
    TM_CHECK(side_bad == 0, "%d failures in the second thread", side_bad);
    MPI_Op_free(&op);
    MPI_Comm_free(&side_comm);
    MPI_Comm_free(&probe_comm);
    return tm_finish();
}
