/* pt2pt/recv_alloc: MPIX_Recv_alloc / MPIX_Irecv_alloc, receives whose buffer the caller's
 * allocator provides once a message matches. Every protocol size arrives whole into a buffer
 * of exactly its size (the allocator is not called for an empty message); a receive posted
 * before a message is sent keeps its place among posted receives; a NULL allocation fails
 * with MPI_ERR_NO_MEM and consumes the message; cancel, MPI_PROC_NULL and argument errors. */
#include "../common.h"

static int right, left;

struct alloc_state {
    void *p;
    MPI_Count size;
    int calls;
    int fail;
};

static void *test_alloc(MPI_Count size, void *state)
{
    struct alloc_state *a = state;
    a->calls++;
    a->size = size;
    a->p = a->fail ? NULL : malloc((size_t)size);
    return a->p;
}

static void check_got(struct alloc_state *a, const MPI_Status *st, size_t n, int tag,
                      unsigned seed, const char *what)
{
    int count = -1;
    MPI_Get_count(st, MPI_BYTE, &count);
    TM_CHECK(st->MPI_SOURCE == left && st->MPI_TAG == tag && count == (int)n,
             "%s: status source %d tag %d count %d, expected %d %d %zu", what, st->MPI_SOURCE,
             st->MPI_TAG, count, left, tag, n);
    TM_CHECK(a->calls == (n > 0), "%s: allocator called %d times for %zu bytes", what,
             a->calls, n);
    if (n > 0 && a->p) {
        TM_CHECK(a->size == (MPI_Count)n, "%s: asked for %lld bytes, message has %zu", what,
                 (long long)a->size, n);
        TM_CHECK_BUF(a->p, n, seed, "%s (%zu bytes)", what, n);
    }
    free(a->p);
    *a = (struct alloc_state){0};
}

/* Every size around the ring, blocking and nonblocking, the nonblocking receives posted
 * before the messages leave so they are matched on arrival. */
static void all_sizes(void)
{
    size_t maxn = tm_sizes[TM_NSIZES - 1];
    unsigned char *sbuf = tm_malloc(maxn * TM_NSIZES);
    struct alloc_state a[TM_NSIZES] = {{0}};
    MPI_Request rreq[TM_NSIZES], sreq[TM_NSIZES];
    for (size_t k = 0; k < TM_NSIZES; k++)
        TM_CHECK_RC(MPIX_Irecv_alloc(test_alloc, &a[k], left, (int)k, MPI_COMM_WORLD, &rreq[k]),
                    "MPIX_Irecv_alloc");
    tm_barrier();
    for (size_t k = 0; k < TM_NSIZES; k++) {
        tm_fill(sbuf + k * maxn, tm_sizes[k], (unsigned)(tm_rank * 10 + k));
        MPI_Isend(sbuf + k * maxn, (int)tm_sizes[k], MPI_BYTE, right, (int)k, MPI_COMM_WORLD,
                  &sreq[k]);
    }
    for (size_t k = TM_NSIZES; k-- > 0;) {
        MPI_Status st;
        TM_CHECK_RC(MPI_Wait(&rreq[k], &st), "Wait(MPIX_Irecv_alloc)");
        check_got(&a[k], &st, tm_sizes[k], (int)k, (unsigned)(left * 10 + k), "posted");
    }
    MPI_Waitall((int)TM_NSIZES, sreq, MPI_STATUSES_IGNORE);
    tm_barrier();

    /* Now unexpected: everything is sent first, received with wildcards. */
    for (size_t k = 0; k < TM_NSIZES; k++)
        MPI_Isend(sbuf + k * maxn, (int)tm_sizes[k], MPI_BYTE, right, (int)k, MPI_COMM_WORLD,
                  &sreq[k]);
    for (size_t k = 0; k < TM_NSIZES; k++) {
        MPI_Status st;
        TM_CHECK_RC(MPIX_Recv_alloc(test_alloc, &a[0], k % 2 ? MPI_ANY_SOURCE : left,
                                    k % 3 ? MPI_ANY_TAG : (int)k, MPI_COMM_WORLD, &st),
                    "MPIX_Recv_alloc");
        check_got(&a[0], &st, tm_sizes[k], (int)k, (unsigned)(left * 10 + k), "unexpected");
    }
    MPI_Waitall((int)TM_NSIZES, sreq, MPI_STATUSES_IGNORE);
    free(sbuf);
}

/* An allocation failure consumes the message: the next receive gets the next one. */
static void alloc_failure(void)
{
    int x[2] = {7, 8};
    MPI_Request s[2];
    MPI_Isend(&x[0], 1, MPI_INT, right, 5, MPI_COMM_WORLD, &s[0]);
    MPI_Isend(&x[1], 1, MPI_INT, right, 5, MPI_COMM_WORLD, &s[1]);
    struct alloc_state a = {.fail = 1};
    MPI_Status st;
    TM_CHECK_CLASS(MPIX_Recv_alloc(test_alloc, &a, left, 5, MPI_COMM_WORLD, &st), MPI_ERR_NO_MEM,
                   "MPIX_Recv_alloc with a failing allocator");
    a = (struct alloc_state){0};
    TM_CHECK_RC(MPIX_Recv_alloc(test_alloc, &a, left, 5, MPI_COMM_WORLD, &st), "MPIX_Recv_alloc");
    TM_CHECK(a.p && a.size == sizeof(int) && *(int *)a.p == 8,
             "after a failed allocation the next receive got the wrong message");
    free(a.p);
    MPI_Waitall(2, s, MPI_STATUSES_IGNORE);
}

static void proc_null_cancel_errors(void)
{
    struct alloc_state a = {0};
    MPI_Status st;
    int count = -1, flag = 0;
    TM_CHECK_RC(MPIX_Recv_alloc(test_alloc, &a, MPI_PROC_NULL, 0, MPI_COMM_WORLD, &st),
                "MPIX_Recv_alloc(PROC_NULL)");
    MPI_Get_count(&st, MPI_BYTE, &count);
    TM_CHECK(st.MPI_SOURCE == MPI_PROC_NULL && count == 0 && a.calls == 0,
             "MPIX_Recv_alloc(PROC_NULL): source %d count %d calls %d", st.MPI_SOURCE, count,
             a.calls);

    MPI_Request r;
    TM_CHECK_RC(MPIX_Irecv_alloc(test_alloc, &a, MPI_ANY_SOURCE, 999, MPI_COMM_WORLD, &r),
                "MPIX_Irecv_alloc");
    TM_CHECK_RC(MPI_Cancel(&r), "Cancel");
    TM_CHECK_RC(MPI_Wait(&r, &st), "Wait(cancelled)");
    MPI_Test_cancelled(&st, &flag);
    TM_CHECK(flag && a.calls == 0, "cancelled MPIX_Irecv_alloc: flag %d calls %d", flag,
             a.calls);

    TM_CHECK_CLASS(MPIX_Recv_alloc(test_alloc, &a, tm_size, 0, MPI_COMM_WORLD, &st), MPI_ERR_RANK,
                   "MPIX_Recv_alloc(source = size)");
    TM_CHECK_CLASS(MPIX_Irecv_alloc(test_alloc, &a, 0, -5, MPI_COMM_WORLD, &r), MPI_ERR_TAG,
                   "MPIX_Irecv_alloc(tag -5)");
    TM_CHECK_CLASS(MPIX_Recv_alloc(NULL, &a, 0, 0, MPI_COMM_WORLD, &st), MPI_ERR_ARG,
                   "MPIX_Recv_alloc(alloc NULL)");
    TM_CHECK_CLASS(MPIX_Irecv_alloc(test_alloc, &a, 0, 0, MPI_COMM_NULL, &r), MPI_ERR_COMM,
                   "MPIX_Irecv_alloc(MPI_COMM_NULL)");
}

int main(int argc, char **argv)
{
    tm_init(&argc, &argv);
    MPI_Comm_set_errhandler(MPI_COMM_WORLD, MPI_ERRORS_RETURN);
    MPI_Comm_set_errhandler(MPI_COMM_SELF, MPI_ERRORS_RETURN);
    right = (tm_rank + 1) % tm_size;
    left = (tm_rank + tm_size - 1) % tm_size;

    proc_null_cancel_errors();
    all_sizes();
    tm_barrier();
    alloc_failure();
    return tm_finish();
}
