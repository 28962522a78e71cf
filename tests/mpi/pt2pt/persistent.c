/* pt2pt/persistent: MPI_Send_init / Bsend_init / Ssend_init / Rsend_init / Recv_init with
 * MPI_Start and MPI_Startall, restarted many times with new buffer contents (every
 * protocol size, a vector type). An inactive persistent request (never started, or
 * already completed) behaves like MPI_REQUEST_NULL in the wait/test family (empty status,
 * MPI_UNDEFINED index/outcount) but keeps its handle; completion keeps the handle too.
 * MPI_Request_free on inactive and on active requests; MPI_PROC_NULL; start errors. */
#include "../common.h"

#define ROUNDS 5
#define BIG 65539

static int right, left;

static void expect_empty(const MPI_Status *st, const char *what)
{
    int count = -1;
    MPI_Get_count(st, MPI_BYTE, &count);
    TM_CHECK(st->MPI_SOURCE == MPI_ANY_SOURCE && st->MPI_TAG == MPI_ANY_TAG && count == 0,
             "%s: status not empty (source %d tag %d count %d)", what, st->MPI_SOURCE,
             st->MPI_TAG, count);
}

static void poison(MPI_Status *st)
{
    st->MPI_SOURCE = 1234;
    st->MPI_TAG = 5678;
    st->MPI_internal[0] = 99;
}

/* Inactive requests in every completion call: never started, then after completion. */
static void check_inactive(MPI_Request *r, const char *what)
{
    MPI_Request keep = *r;
    MPI_Status st;
    int flag = 0, idx = 0, outcount = 0, indices[2];
    poison(&st);
    TM_CHECK_RC(MPI_Wait(r, &st), "Wait(inactive)");
    TM_CHECK(*r == keep, "%s: Wait on an inactive request changed the handle", what);
    expect_empty(&st, what);
    poison(&st);
    TM_CHECK_RC(MPI_Test(r, &flag, &st), "Test(inactive)");
    TM_CHECK(flag && *r == keep, "%s: Test(inactive) flag %d", what, flag);
    expect_empty(&st, what);
    MPI_Request arr[2] = {*r, MPI_REQUEST_NULL};
    poison(&st);
    TM_CHECK_RC(MPI_Waitany(2, arr, &idx, &st), "Waitany(inactive)");
    TM_CHECK(idx == MPI_UNDEFINED && arr[0] == keep, "%s: Waitany index %d", what, idx);
    expect_empty(&st, what);
    flag = 0;
    TM_CHECK_RC(MPI_Testany(2, arr, &idx, &flag, &st), "Testany(inactive)");
    TM_CHECK(flag && idx == MPI_UNDEFINED, "%s: Testany flag %d index %d", what, flag, idx);
    TM_CHECK_RC(MPI_Waitsome(2, arr, &outcount, indices, MPI_STATUSES_IGNORE),
                "Waitsome(inactive)");
    TM_CHECK(outcount == MPI_UNDEFINED, "%s: Waitsome outcount %d", what, outcount);
    TM_CHECK_RC(MPI_Testsome(2, arr, &outcount, indices, MPI_STATUSES_IGNORE),
                "Testsome(inactive)");
    TM_CHECK(outcount == MPI_UNDEFINED, "%s: Testsome outcount %d", what, outcount);
    MPI_Status sts[2];
    poison(&sts[0]);
    TM_CHECK_RC(MPI_Waitall(2, arr, sts), "Waitall(inactive)");
    TM_CHECK(arr[0] == keep, "%s: Waitall changed the handle", what);
    expect_empty(&sts[0], what);
    flag = 0;
    TM_CHECK_RC(MPI_Testall(2, arr, &flag, sts), "Testall(inactive)");
    TM_CHECK(flag && arr[0] == keep, "%s: Testall flag %d", what, flag);
    flag = 0;
    poison(&st);
    TM_CHECK_RC(MPI_Request_get_status(*r, &flag, &st), "Request_get_status(inactive)");
    TM_CHECK(flag, "%s: Request_get_status flag %d", what, flag);
    expect_empty(&st, what);
}

/* A ring of persistent send/recv pairs for every size, restarted ROUNDS times. */
static void ring_all_sizes(void)
{
    size_t maxn = tm_sizes[TM_NSIZES - 1];
    unsigned char *sbuf = tm_malloc(maxn * TM_NSIZES), *rbuf = tm_malloc(maxn * TM_NSIZES);
    MPI_Request reqs[2 * TM_NSIZES];
    for (size_t k = 0; k < TM_NSIZES; k++) {
        TM_CHECK_RC(MPI_Recv_init(rbuf + k * maxn, (int)tm_sizes[k], MPI_BYTE, left, (int)k,
                                  MPI_COMM_WORLD, &reqs[2 * k]), "Recv_init");
        TM_CHECK_RC(MPI_Send_init(sbuf + k * maxn, (int)tm_sizes[k], MPI_BYTE, right, (int)k,
                                  MPI_COMM_WORLD, &reqs[2 * k + 1]), "Send_init");
    }
    check_inactive(&reqs[0], "Recv_init, never started");
    check_inactive(&reqs[1], "Send_init, never started");
    MPI_Request keep[2 * TM_NSIZES];
    memcpy(keep, reqs, sizeof keep);
    for (int round = 0; round < ROUNDS; round++) {
        for (size_t k = 0; k < TM_NSIZES; k++) {
            tm_fill(sbuf + k * maxn, tm_sizes[k], (unsigned)(tm_rank * 100 + round * 10 + k));
            memset(rbuf + k * maxn, 0, tm_sizes[k]);
        }
        if (round % 2) {
            TM_CHECK_RC(MPI_Startall(2 * (int)TM_NSIZES, reqs), "Startall");
        } else {
            for (size_t i = 0; i < 2 * TM_NSIZES; i++)
                TM_CHECK_RC(MPI_Start(&reqs[i]), "Start");
        }
        MPI_Status sts[2 * TM_NSIZES];
        if (round == 2) {
            /* Complete them one by one with Waitany: indices and handles stay valid. */
            for (size_t n = 0; n < 2 * TM_NSIZES; n++) {
                int idx = -1;
                TM_CHECK_RC(MPI_Waitany(2 * (int)TM_NSIZES, reqs, &idx, &sts[0]), "Waitany");
                TM_CHECK(idx >= 0 && idx < 2 * (int)TM_NSIZES && reqs[idx] == keep[idx],
                         "Waitany index %d", idx);
            }
            int idx = 0;
            MPI_Waitany(2 * (int)TM_NSIZES, reqs, &idx, MPI_STATUS_IGNORE);
            TM_CHECK(idx == MPI_UNDEFINED, "Waitany after all completed: index %d", idx);
        } else {
            TM_CHECK_RC(MPI_Waitall(2 * (int)TM_NSIZES, reqs, sts), "Waitall");
            for (size_t k = 0; k < TM_NSIZES; k++) {
                int count = -1;
                MPI_Get_count(&sts[2 * k], MPI_BYTE, &count);
                TM_CHECK(sts[2 * k].MPI_SOURCE == left && sts[2 * k].MPI_TAG == (int)k &&
                             count == (int)tm_sizes[k],
                         "round %d size %zu: source %d tag %d count %d", round, tm_sizes[k],
                         sts[2 * k].MPI_SOURCE, sts[2 * k].MPI_TAG, count);
            }
        }
        for (size_t i = 0; i < 2 * TM_NSIZES; i++)
            TM_CHECK(reqs[i] == keep[i], "round %d: completion changed persistent handle %zu",
                     round, i);
        for (size_t k = 0; k < TM_NSIZES; k++)
            TM_CHECK_BUF(rbuf + k * maxn, tm_sizes[k], (unsigned)(left * 100 + round * 10 + k),
                         "round %d, %zu bytes", round, tm_sizes[k]);
    }
    check_inactive(&reqs[0], "Recv_init, after completion");
    check_inactive(&reqs[1], "Send_init, after completion");
    for (size_t i = 0; i < 2 * TM_NSIZES; i++) {
        TM_CHECK_RC(MPI_Request_free(&reqs[i]), "Request_free(inactive persistent)");
        TM_CHECK(reqs[i] == MPI_REQUEST_NULL, "Request_free did not null the handle");
    }
    free(sbuf);
    free(rbuf);
}

/* The other modes, a vector type, and Test-driven completion. */
static void modes_and_types(void)
{
    int n = 4000; /* ints: 16000 bytes packed, eager; and 20000 ints rendezvous below */
    for (int big = 0; big < 2; big++, n = 20000) {
        MPI_Datatype vec;
        MPI_Type_vector(n, 1, 2, MPI_INT, &vec);
        MPI_Type_commit(&vec);
        int *src = tm_malloc(sizeof(int) * 2 * (size_t)n), *dst = tm_malloc(sizeof(int) * (size_t)n);
        int bsize = n * (int)sizeof(int) + MPI_BSEND_OVERHEAD;
        char *attached = tm_malloc((size_t)bsize);
        MPI_Buffer_attach(attached, bsize);
        MPI_Request rr, s[3];
        MPI_Recv_init(dst, n, MPI_INT, left, 20, MPI_COMM_WORLD, &rr);
        MPI_Ssend_init(src, 1, vec, right, 20, MPI_COMM_WORLD, &s[0]);
        MPI_Bsend_init(src, 1, vec, right, 20, MPI_COMM_WORLD, &s[1]);
        MPI_Rsend_init(src, 1, vec, right, 20, MPI_COMM_WORLD, &s[2]);
        MPI_Type_free(&vec); /* the requests keep it alive */
        for (int round = 0; round < 3 * ROUNDS; round++) {
            int mode = round % 3;
            for (int i = 0; i < 2 * n; i++)
                src[i] = (i % 2) ? -7 : tm_rank * 1000000 + round * 1000 + i / 2;
            memset(dst, 0, sizeof(int) * (size_t)n);
            MPI_Start(&rr);
            /* Ready mode needs the receive posted first: a handshake says it is. */
            int go = 0;
            MPI_Request g;
            MPI_Isend(&go, 0, MPI_INT, left, 21, MPI_COMM_WORLD, &g);
            MPI_Recv(&go, 0, MPI_INT, right, 21, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
            MPI_Wait(&g, MPI_STATUS_IGNORE);
            TM_CHECK_RC(MPI_Start(&s[mode]), "Start (mode)");
            if (mode == 1) /* buffered: copied, so the buffer may change right away */
                memset(src, 0, sizeof(int) * 2 * (size_t)n);
            int flag = 0;
            MPI_Status st;
            double t0 = MPI_Wtime();
            if (mode == 0) {
                /* Request_get_status sees the completion and leaves the request active. */
                while (!flag && MPI_Wtime() - t0 < 60)
                    MPI_Request_get_status(rr, &flag, &st);
                TM_CHECK(flag, "persistent receive never completed (get_status)");
                int again = 0;
                TM_CHECK_CLASS(MPI_Start(&rr), MPI_ERR_REQUEST,
                               "Start after get_status, before the wait");
                TM_CHECK_RC(MPI_Wait(&rr, &st), "Wait after get_status");
                MPI_Request_get_status(rr, &again, MPI_STATUS_IGNORE);
                TM_CHECK(again, "get_status of the now inactive request: flag %d", again);
            } else {
                while (!flag && MPI_Wtime() - t0 < 60)
                    MPI_Test(&rr, &flag, &st);
                TM_CHECK(flag, "persistent receive never completed");
            }
            TM_CHECK_RC(MPI_Wait(&s[mode], MPI_STATUS_IGNORE), "Wait (mode)");
            int count = -1, bad = 0;
            MPI_Get_count(&st, MPI_INT, &count);
            TM_CHECK(count == n, "mode %d: count %d, expected %d", mode, count, n);
            for (int i = 0; i < n && bad < 3; i++) {
                int want = left * 1000000 + round * 1000 + i;
                if (dst[i] != want) {
                    tm_fail(__FILE__, __LINE__, "mode %d round %d: int %d is %d, expected %d",
                            mode, round, i, dst[i], want);
                    bad++;
                }
            }
        }
        MPI_Request_free(&rr);
        for (int m = 0; m < 3; m++)
            MPI_Request_free(&s[m]);
        void *b;
        int sz;
        MPI_Buffer_detach(&b, &sz);
        free(attached);
        free(src);
        free(dst);
    }
}

static void proc_null_free_and_errors(void)
{
    MPI_Request r, s;
    MPI_Status st;
    int x = 3, count = -1;
    MPI_Recv_init(&x, 1, MPI_INT, MPI_PROC_NULL, 0, MPI_COMM_WORLD, &r);
    MPI_Send_init(&x, 1, MPI_INT, MPI_PROC_NULL, 0, MPI_COMM_WORLD, &s);
    for (int round = 0; round < 2; round++) {
        MPI_Start(&r);
        MPI_Start(&s);
        TM_CHECK_RC(MPI_Wait(&r, &st), "Wait(PROC_NULL recv)");
        MPI_Get_count(&st, MPI_INT, &count);
        TM_CHECK(st.MPI_SOURCE == MPI_PROC_NULL && st.MPI_TAG == MPI_ANY_TAG && count == 0,
                 "PROC_NULL persistent receive: source %d tag %d count %d", st.MPI_SOURCE,
                 st.MPI_TAG, count);
        TM_CHECK_RC(MPI_Wait(&s, &st), "Wait(PROC_NULL send)");
        TM_CHECK(x == 3, "PROC_NULL receive wrote the buffer");
    }

    /* Errors: starting an active request, a non-persistent one, a null one. */
    MPI_Start(&r);
    TM_CHECK_CLASS(MPI_Start(&r), MPI_ERR_REQUEST, "Start(active)");
    MPI_Request arr[2] = {s, r};
    TM_CHECK_CLASS(MPI_Startall(2, arr), MPI_ERR_REQUEST, "Startall with an active request");
    MPI_Wait(&r, MPI_STATUS_IGNORE);
    /* Startall checked everything before starting anything: s is still inactive. */
    int flag = 0;
    MPI_Request_get_status(s, &flag, &st);
    expect_empty(&st, "send after a failed Startall");
    MPI_Request nb;
    MPI_Irecv(&x, 1, MPI_INT, MPI_PROC_NULL, 0, MPI_COMM_WORLD, &nb);
    TM_CHECK_CLASS(MPI_Start(&nb), MPI_ERR_REQUEST, "Start(non-persistent)");
    MPI_Wait(&nb, MPI_STATUS_IGNORE);
    MPI_Request null = MPI_REQUEST_NULL;
    TM_CHECK_CLASS(MPI_Start(&null), MPI_ERR_REQUEST, "Start(MPI_REQUEST_NULL)");
    TM_CHECK_CLASS(MPI_Send_init(&x, 1, MPI_INT, tm_size, 0, MPI_COMM_WORLD, &nb), MPI_ERR_RANK,
                   "Send_init(dest = size)");
    TM_CHECK_CLASS(MPI_Recv_init(&x, -1, MPI_INT, 0, 0, MPI_COMM_WORLD, &nb), MPI_ERR_COUNT,
                   "Recv_init(count -1)");
    TM_CHECK_CLASS(MPI_Ssend_init(&x, 1, MPI_INT, 0, -1, MPI_COMM_WORLD, &nb), MPI_ERR_TAG,
                   "Ssend_init(tag -1)");
    TM_CHECK_CLASS(MPI_Rsend_init(&x, 1, MPI_DATATYPE_NULL, 0, 0, MPI_COMM_WORLD, &nb),
                   MPI_ERR_TYPE, "Rsend_init(MPI_DATATYPE_NULL)");
    TM_CHECK_CLASS(MPI_Bsend_init(&x, 1, MPI_INT, 0, 0, MPI_COMM_NULL, &nb), MPI_ERR_COMM,
                   "Bsend_init(MPI_COMM_NULL)");
    /* A buffered start with no buffer attached fails and leaves the request inactive. */
    MPI_Request b;
    MPI_Bsend_init(&x, 1, MPI_INT, right, 30, MPI_COMM_WORLD, &b);
    TM_CHECK_CLASS(MPI_Start(&b), MPI_ERR_BUFFER, "Start(Bsend_init) without a buffer");
    check_inactive(&b, "Bsend_init after a failed start");
    MPI_Request_free(&b);
    MPI_Request_free(&r);
    MPI_Request_free(&s);

    /* Freeing an active persistent request: the operation still completes. */
    int big = BIG;
    unsigned char *sb = tm_malloc((size_t)big), *rb = tm_malloc((size_t)big);
    tm_fill(sb, (size_t)big, (unsigned)tm_rank + 40);
    MPI_Send_init(sb, big, MPI_BYTE, right, 31, MPI_COMM_WORLD, &s);
    MPI_Start(&s);
    TM_CHECK_RC(MPI_Request_free(&s), "Request_free(active persistent send)");
    TM_CHECK(s == MPI_REQUEST_NULL, "Request_free did not null the handle");
    MPI_Recv_init(rb, big, MPI_BYTE, left, 31, MPI_COMM_WORLD, &r);
    MPI_Start(&r);
    MPI_Wait(&r, MPI_STATUS_IGNORE);
    TM_CHECK_BUF(rb, (size_t)big, (unsigned)left + 40, "send freed while active");
    MPI_Request_free(&r);
    /* Our freed send is done once the right neighbour has the data. */
    int a = 0;
    MPI_Sendrecv(&a, 1, MPI_INT, left, 32, &x, 1, MPI_INT, right, 32, MPI_COMM_WORLD,
                 MPI_STATUS_IGNORE);
    free(sb);
    free(rb);
}

int main(int argc, char **argv)
{
    tm_init(&argc, &argv);
    MPI_Comm_set_errhandler(MPI_COMM_WORLD, MPI_ERRORS_RETURN);
    MPI_Comm_set_errhandler(MPI_COMM_SELF, MPI_ERRORS_RETURN);
    right = (tm_rank + 1) % tm_size;
    left = (tm_rank + tm_size - 1) % tm_size;

    ring_all_sizes();
    modes_and_types();
    proc_null_free_and_errors();
    return tm_finish();
}
