/* threads/pt2pt_threads: MPI_THREAD_MULTIPLE with two threads per rank, each doing blocking
 * point-to-point with the matching thread of other ranks on its own tags: pairwise
 * Send/Recv (small and rendezvous sizes), a Sendrecv ring, Issend + wildcard-source
 * receives. One thread also stays blocked in MPI_Recv while the other thread's traffic
 * with the same peer must go on: a library that holds its lock while blocked deadlocks
 * here (and the launcher's timeout ends the test). */
#include "../common.h"

#include <pthread.h>

#define NTHREADS 2
#define ITERS 60
#define BIG (65536 + 3)

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t cond = PTHREAD_COND_INITIALIZER;
static int pairs_done = 0; /* set by thread 1 when its pairwise phase is over */

/* tm_fail is not thread-safe: serialize failure reports. */
static pthread_mutex_t fail_lock = PTHREAD_MUTEX_INITIALIZER;
#define TCHECK(cond, ...)                                                                  \
    do {                                                                                   \
        if (!(cond)) {                                                                     \
            pthread_mutex_lock(&fail_lock);                                                \
            tm_fail(__FILE__, __LINE__, __VA_ARGS__);                                      \
            pthread_mutex_unlock(&fail_lock);                                              \
        }                                                                                  \
    } while (0)

static unsigned seed_of(int src, int thread, int iter)
{
    return (unsigned)(src * 977 + thread * 131 + iter * 7);
}

static void pairwise(int t, unsigned char *sbuf, unsigned char *rbuf)
{
    int partner = tm_rank ^ 1;
    if (partner >= tm_size) {
        partner = tm_rank; /* the odd rank out talks to itself */
    }
    for (int i = 0; i < ITERS; i++) {
        size_t n = (i % 4 == 3) ? BIG : (size_t)(i * 13 % 200);
        int tag = t;
        MPI_Status st;
        tm_fill(sbuf, n, seed_of(tm_rank, t, i));
        memset(rbuf, 0, n);
        int rc;
        if (partner == tm_rank) {
            rc = MPI_Sendrecv(sbuf, (int)n, MPI_BYTE, partner, tag, rbuf, (int)n, MPI_BYTE,
                              partner, tag, MPI_COMM_WORLD, &st);
            TCHECK(rc == MPI_SUCCESS, "thread %d: Sendrecv to self returned %d", t, rc);
        } else if (tm_rank < partner) {
            rc = MPI_Send(sbuf, (int)n, MPI_BYTE, partner, tag, MPI_COMM_WORLD);
            TCHECK(rc == MPI_SUCCESS, "thread %d: Send returned %d", t, rc);
            rc = MPI_Recv(rbuf, (int)n, MPI_BYTE, partner, tag, MPI_COMM_WORLD, &st);
            TCHECK(rc == MPI_SUCCESS, "thread %d: Recv returned %d", t, rc);
        } else {
            rc = MPI_Recv(rbuf, (int)n, MPI_BYTE, partner, tag, MPI_COMM_WORLD, &st);
            TCHECK(rc == MPI_SUCCESS, "thread %d: Recv returned %d", t, rc);
            rc = MPI_Send(sbuf, (int)n, MPI_BYTE, partner, tag, MPI_COMM_WORLD);
            TCHECK(rc == MPI_SUCCESS, "thread %d: Send returned %d", t, rc);
        }
        int count = -1;
        MPI_Get_count(&st, MPI_BYTE, &count);
        TCHECK(st.MPI_SOURCE == partner && st.MPI_TAG == tag && count == (int)n,
               "thread %d iter %d: status source %d tag %d count %d, expected %d/%d/%zu", t, i,
               st.MPI_SOURCE, st.MPI_TAG, count, partner, tag, n);
        size_t bad = tm_verify(rbuf, n, seed_of(partner, t, i));
        TCHECK(bad == (size_t)-1, "thread %d iter %d: %zu-byte message from %d wrong at byte %zu",
               t, i, n, partner, bad);
    }
}

static void ring(int t, unsigned char *sbuf, unsigned char *rbuf)
{
    int right = (tm_rank + 1) % tm_size, left = (tm_rank + tm_size - 1) % tm_size;
    for (int i = 0; i < ITERS; i++) {
        size_t n = (i % 8 == 5) ? BIG : 64;
        int tag = 100 + t;
        MPI_Status st;
        tm_fill(sbuf, n, seed_of(tm_rank, t, i + 1000));
        int rc = MPI_Sendrecv(sbuf, (int)n, MPI_BYTE, right, tag, rbuf, (int)n, MPI_BYTE, left,
                              tag, MPI_COMM_WORLD, &st);
        TCHECK(rc == MPI_SUCCESS, "thread %d: ring Sendrecv returned %d", t, rc);
        TCHECK(st.MPI_SOURCE == left && st.MPI_TAG == tag, "thread %d: ring status %d/%d", t,
               st.MPI_SOURCE, st.MPI_TAG);
        size_t bad = tm_verify(rbuf, n, seed_of(left, t, i + 1000));
        TCHECK(bad == (size_t)-1, "thread %d ring iter %d: wrong at byte %zu", t, i, bad);
    }
}

static void wildcard(int t)
{
    int right = (tm_rank + 1) % tm_size, left = (tm_rank + tm_size - 1) % tm_size;
    for (int i = 0; i < ITERS; i++) {
        int tag = 200 + t, out = tm_rank * 100000 + t * 1000 + i, in = -1;
        MPI_Request req = MPI_REQUEST_NULL;
        MPI_Status st;
        int rc = MPI_Issend(&out, 1, MPI_INT, right, tag, MPI_COMM_WORLD, &req);
        TCHECK(rc == MPI_SUCCESS, "thread %d: Issend returned %d", t, rc);
        rc = MPI_Recv(&in, 1, MPI_INT, MPI_ANY_SOURCE, tag, MPI_COMM_WORLD, &st);
        TCHECK(rc == MPI_SUCCESS, "thread %d: Recv(ANY_SOURCE) returned %d", t, rc);
        rc = MPI_Wait(&req, MPI_STATUS_IGNORE);
        TCHECK(rc == MPI_SUCCESS && req == MPI_REQUEST_NULL, "thread %d: Wait returned %d", t, rc);
        TCHECK(st.MPI_SOURCE == left && in == left * 100000 + t * 1000 + i,
               "thread %d iter %d: got %d from %d, expected %d from %d", t, i, in, st.MPI_SOURCE,
               left * 100000 + t * 1000 + i, left);
    }
}

/* Thread 0 of the lower rank of a pair blocks in MPI_Recv for a message its partner's
 * thread 0 sends only after the partner's thread 1 finished the pairwise phase, which
 * needs this rank's thread 1 to make progress meanwhile. */
static void blocked_while_other_works(int t)
{
    int partner = tm_rank ^ 1;
    if (partner >= tm_size || t != 0) {
        return;
    }
    int v = -1;
    if (tm_rank < partner) {
        int rc = MPI_Recv(&v, 1, MPI_INT, partner, 300, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
        TCHECK(rc == MPI_SUCCESS && v == 4242, "blocked Recv: rc %d value %d", rc, v);
    } else {
        pthread_mutex_lock(&lock);
        while (!pairs_done) {
            pthread_cond_wait(&cond, &lock);
        }
        pthread_mutex_unlock(&lock);
        v = 4242;
        int rc = MPI_Send(&v, 1, MPI_INT, partner, 300, MPI_COMM_WORLD);
        TCHECK(rc == MPI_SUCCESS, "Send after the other thread's phase returned %d", rc);
    }
}

static void *thread_main(void *arg)
{
    int t = (int)(intptr_t)arg;
    unsigned char *sbuf = tm_malloc(BIG), *rbuf = tm_malloc(BIG);
    blocked_while_other_works(t);
    pairwise(t, sbuf, rbuf);
    if (t == 1) {
        pthread_mutex_lock(&lock);
        pairs_done = 1;
        pthread_cond_broadcast(&cond);
        pthread_mutex_unlock(&lock);
    }
    ring(t, sbuf, rbuf);
    wildcard(t);
    free(sbuf);
    free(rbuf);
    return NULL;
}

int main(int argc, char **argv)
{
    int provided = -1;
    if (MPI_Init_thread(&argc, &argv, MPI_THREAD_MULTIPLE, &provided) != MPI_SUCCESS) {
        fprintf(stderr, "FAIL: MPI_Init_thread failed\n");
        return 1;
    }
    tm_setup_comm();
    if (provided != MPI_THREAD_MULTIPLE) {
#if MPI_VERSION >= 5
        TM_CHECK(0, "MPI_THREAD_MULTIPLE requested, provided %d", provided);
#else
        if (tm_rank == 0) {
            printf("SKIP: MPI_THREAD_MULTIPLE not provided\n");
        }
#endif
        return tm_finish();
    }

    pthread_t th[NTHREADS];
    for (int t = 0; t < NTHREADS; t++) {
        if (pthread_create(&th[t], NULL, thread_main, (void *)(intptr_t)t) != 0) {
            fprintf(stderr, "[rank %d] pthread_create failed\n", tm_rank);
            MPI_Abort(MPI_COMM_WORLD, 3);
        }
    }
    for (int t = 0; t < NTHREADS; t++) {
        pthread_join(th[t], NULL);
    }
    return tm_finish();
}
