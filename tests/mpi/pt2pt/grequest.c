/* pt2pt/grequest: generalized requests. The callbacks run exactly as the standard says:
 * query_fn whenever a completed request is reported (wait/test, MPI_Request_get_status,
 * also for MPI_STATUS_IGNORE) and fills the status; free_fn once, after query_fn, when the
 * request is released, or from whichever of MPI_Request_free / MPI_Grequest_complete
 * comes last; cancel_fn from MPI_Cancel with complete telling whether
 * MPI_Grequest_complete was called. Callback errors come back from the MPI call
 * (MPI_ERR_IN_STATUS for the multiple-completion calls). Generalized requests mix with
 * point-to-point requests in Waitany/Waitsome/Testall, callbacks may call MPI, and with
 * MPI_THREAD_MULTIPLE another thread completes a request a blocked MPI_Wait is waiting on. */
#include "../common.h"

#include <pthread.h>

struct greq_state {
    int query_calls, free_calls, cancel_calls, cancel_complete;
    int order;                 /* query_calls when free_fn ran */
    int query_rc, free_rc;     /* what the callbacks return */
    int source, tag, count;    /* what query_fn reports */
    int cancelled;
};

static int query_fn(void *extra, MPI_Status *st)
{
    struct greq_state *g = extra;
    g->query_calls++;
    int rank = -1;
    MPI_Comm_rank(MPI_COMM_WORLD, &rank); /* callbacks may call MPI */
    TM_CHECK(rank == tm_rank, "MPI_Comm_rank inside query_fn gave %d", rank);
    TM_CHECK(st != NULL, "query_fn got a NULL status");
    if (st) {
        st->MPI_SOURCE = g->source;
        st->MPI_TAG = g->tag;
        MPI_Status_set_elements(st, MPI_INT, g->count);
        MPI_Status_set_cancelled(st, g->cancelled);
    }
    return g->query_rc;
}

static int free_fn(void *extra)
{
    struct greq_state *g = extra;
    g->free_calls++;
    g->order = g->query_calls;
    return g->free_rc;
}

static int cancel_fn(void *extra, int complete)
{
    struct greq_state *g = extra;
    g->cancel_calls++;
    g->cancel_complete = complete;
    return MPI_SUCCESS;
}

static void init_state(struct greq_state *g, int id)
{
    memset(g, 0, sizeof *g);
    g->source = 1000 + id;
    g->tag = 2000 + id;
    g->count = id;
    g->order = -1;
}

static MPI_Request start(struct greq_state *g)
{
    MPI_Request r = MPI_REQUEST_NULL;
    TM_CHECK_RC(MPI_Grequest_start(query_fn, free_fn, cancel_fn, g, &r), "Grequest_start");
    TM_CHECK(r != MPI_REQUEST_NULL, "Grequest_start gave MPI_REQUEST_NULL");
    return r;
}

static void check_status(const MPI_Status *st, const struct greq_state *g, const char *what)
{
    int count = -1, cancelled = -1;
    MPI_Get_count(st, MPI_INT, &count);
    MPI_Test_cancelled(st, &cancelled);
    TM_CHECK(st->MPI_SOURCE == g->source && st->MPI_TAG == g->tag && count == g->count &&
                 cancelled == g->cancelled,
             "%s: status source %d tag %d count %d cancelled %d, expected %d %d %d %d", what,
             st->MPI_SOURCE, st->MPI_TAG, count, cancelled, g->source, g->tag, g->count,
             g->cancelled);
}

static void basics(void)
{
    struct greq_state g;
    init_state(&g, 3);
    MPI_Request r = start(&g);
    MPI_Status st;
    int flag = 1;
    TM_CHECK_RC(MPI_Test(&r, &flag, &st), "Test");
    TM_CHECK(!flag && g.query_calls == 0, "incomplete: Test flag %d, query called %d times",
             flag, g.query_calls);
    flag = 1;
    MPI_Request_get_status(r, &flag, &st);
    TM_CHECK(!flag && g.query_calls == 0, "incomplete: get_status flag %d", flag);
    TM_CHECK_RC(MPI_Grequest_complete(r), "Grequest_complete");
    TM_CHECK(g.query_calls == 0 && g.free_calls == 0, "Grequest_complete ran callbacks");
    for (int i = 1; i <= 2; i++) {
        flag = 0;
        TM_CHECK_RC(MPI_Request_get_status(r, &flag, &st), "Request_get_status");
        TM_CHECK(flag && g.query_calls == i && g.free_calls == 0 && r != MPI_REQUEST_NULL,
                 "get_status %d: flag %d query %d free %d", i, flag, g.query_calls,
                 g.free_calls);
        check_status(&st, &g, "Request_get_status");
    }
    st.MPI_ERROR = 12345; /* single-completion calls leave MPI_ERROR alone */
    TM_CHECK_RC(MPI_Test(&r, &flag, &st), "Test");
    TM_CHECK(flag && r == MPI_REQUEST_NULL, "complete: Test flag %d", flag);
    TM_CHECK(g.query_calls == 3 && g.free_calls == 1 && g.order == 3,
             "Test: query %d free %d (free after query: %d)", g.query_calls, g.free_calls,
             g.order);
    TM_CHECK(st.MPI_ERROR == 12345, "Test changed MPI_ERROR to %d", st.MPI_ERROR);
    check_status(&st, &g, "Test");

    /* Wait with MPI_STATUS_IGNORE: query_fn still runs, with a status of its own. */
    init_state(&g, 5);
    r = start(&g);
    MPI_Grequest_complete(r);
    TM_CHECK_RC(MPI_Wait(&r, MPI_STATUS_IGNORE), "Wait(STATUS_IGNORE)");
    TM_CHECK(g.query_calls == 1 && g.free_calls == 1 && g.order == 1 && r == MPI_REQUEST_NULL,
             "Wait(STATUS_IGNORE): query %d free %d", g.query_calls, g.free_calls);

    /* Request_free first: free_fn waits for Grequest_complete. */
    init_state(&g, 6);
    r = start(&g);
    MPI_Request keep = r;
    TM_CHECK_RC(MPI_Request_free(&r), "Request_free(incomplete grequest)");
    TM_CHECK(r == MPI_REQUEST_NULL && g.free_calls == 0, "Request_free ran free_fn too early");
    TM_CHECK_RC(MPI_Grequest_complete(keep), "Grequest_complete after Request_free");
    TM_CHECK(g.free_calls == 1 && g.query_calls == 0, "after complete: free %d query %d",
             g.free_calls, g.query_calls);

    /* Request_free last: free_fn runs in it. */
    init_state(&g, 7);
    r = start(&g);
    MPI_Grequest_complete(r);
    TM_CHECK(g.free_calls == 0, "Grequest_complete ran free_fn of a live request");
    TM_CHECK_RC(MPI_Request_free(&r), "Request_free(complete grequest)");
    TM_CHECK(g.free_calls == 1 && g.query_calls == 0, "Request_free: free %d query %d",
             g.free_calls, g.query_calls);

    /* Cancel before and after completion. */
    init_state(&g, 8);
    r = start(&g);
    TM_CHECK_RC(MPI_Cancel(&r), "Cancel(grequest)");
    TM_CHECK(g.cancel_calls == 1 && g.cancel_complete == 0, "cancel_fn: calls %d complete %d",
             g.cancel_calls, g.cancel_complete);
    g.cancelled = 1; /* our operation honours the cancel */
    MPI_Grequest_complete(r);
    MPI_Cancel(&r);
    TM_CHECK(g.cancel_calls == 2 && g.cancel_complete == 1, "cancel_fn after complete: %d %d",
             g.cancel_calls, g.cancel_complete);
    MPI_Wait(&r, &st);
    check_status(&st, &g, "cancelled grequest");
    TM_CHECK(g.free_calls == 1, "free_fn calls %d", g.free_calls);

    /* NULL callbacks are tolerated: an empty status. */
    MPI_Grequest_start(NULL, NULL, NULL, NULL, &r);
    MPI_Grequest_complete(r);
    TM_CHECK_RC(MPI_Wait(&r, &st), "Wait(grequest without callbacks)");
}

static void errors(void)
{
    struct greq_state g;
    MPI_Status st, sts[3];
    init_state(&g, 1);
    g.query_rc = MPI_ERR_OTHER;
    MPI_Request r = start(&g);
    MPI_Grequest_complete(r);
    TM_CHECK_CLASS(MPI_Wait(&r, &st), MPI_ERR_OTHER, "Wait with query_fn failing");
    TM_CHECK(g.free_calls == 1 && r == MPI_REQUEST_NULL, "failing query: free %d",
             g.free_calls);

    init_state(&g, 2);
    g.free_rc = MPI_ERR_ARG;
    r = start(&g);
    MPI_Grequest_complete(r);
    TM_CHECK_CLASS(MPI_Wait(&r, &st), MPI_ERR_ARG, "Wait with free_fn failing");

    /* Multiple completion: MPI_ERR_IN_STATUS, the callback's code in MPI_ERROR. */
    struct greq_state g2;
    init_state(&g, 3);
    init_state(&g2, 4);
    g.query_rc = MPI_ERR_OTHER;
    MPI_Request arr[3] = {start(&g), MPI_REQUEST_NULL, start(&g2)};
    MPI_Grequest_complete(arr[0]);
    MPI_Grequest_complete(arr[2]);
    TM_CHECK_CLASS(MPI_Waitall(3, arr, sts), MPI_ERR_IN_STATUS, "Waitall with a failing query");
    TM_CHECK(tm_errclass(sts[0].MPI_ERROR) == MPI_ERR_OTHER && sts[2].MPI_ERROR == MPI_SUCCESS,
             "Waitall statuses: MPI_ERROR %d and %d", sts[0].MPI_ERROR, sts[2].MPI_ERROR);
    check_status(&sts[2], &g2, "Waitall, good request");
    TM_CHECK(g.free_calls == 1 && g2.free_calls == 1, "Waitall: free %d %d", g.free_calls,
             g2.free_calls);

    init_state(&g, 5);
    g.free_rc = MPI_ERR_ARG;
    arr[0] = start(&g);
    arr[1] = MPI_REQUEST_NULL;
    MPI_Grequest_complete(arr[0]);
    int outcount = -1, idx[3];
    TM_CHECK_CLASS(MPI_Waitsome(2, arr, &outcount, idx, sts), MPI_ERR_IN_STATUS,
                   "Waitsome with a failing free_fn");
    TM_CHECK(outcount == 1 && idx[0] == 0 && tm_errclass(sts[0].MPI_ERROR) == MPI_ERR_ARG,
             "Waitsome: outcount %d MPI_ERROR %d", outcount, sts[0].MPI_ERROR);

    /* Bad arguments. */
    TM_CHECK_CLASS(MPI_Grequest_start(query_fn, free_fn, cancel_fn, &g, NULL), MPI_ERR_ARG,
                   "Grequest_start(request NULL)");
    TM_CHECK_CLASS(MPI_Grequest_complete(MPI_REQUEST_NULL), MPI_ERR_REQUEST,
                   "Grequest_complete(MPI_REQUEST_NULL)");
    int x;
    MPI_Request p;
    MPI_Irecv(&x, 1, MPI_INT, MPI_PROC_NULL, 0, MPI_COMM_WORLD, &p);
    TM_CHECK_CLASS(MPI_Grequest_complete(p), MPI_ERR_REQUEST,
                   "Grequest_complete(a receive request)");
    MPI_Wait(&p, MPI_STATUS_IGNORE);
    init_state(&g, 6);
    r = start(&g);
    MPI_Grequest_complete(r);
    TM_CHECK_CLASS(MPI_Grequest_complete(r), MPI_ERR_REQUEST, "Grequest_complete twice");
    MPI_Wait(&r, MPI_STATUS_IGNORE);
}

/* Generalized and point-to-point requests in one array. */
static void mixed_arrays(void)
{
    int right = (tm_rank + 1) % tm_size, left = (tm_rank + tm_size - 1) % tm_size;
    struct greq_state g[2];
    init_state(&g[0], 10);
    init_state(&g[1], 11);
    int in = -1, out = tm_rank, x_go = 0;
    MPI_Request arr[3];
    arr[0] = start(&g[0]);
    MPI_Irecv(&in, 1, MPI_INT, left, 50, MPI_COMM_WORLD, &arr[1]);
    arr[2] = start(&g[1]);
    MPI_Grequest_complete(arr[2]);
    int idx = -1;
    MPI_Status st;
    TM_CHECK_RC(MPI_Waitany(3, arr, &idx, &st), "Waitany");
    TM_CHECK(idx == 2, "Waitany chose %d, only 2 was complete", idx);
    check_status(&st, &g[1], "Waitany");
    /* The left neighbour sends only now, after our Waitany. */
    int go = 0;
    MPI_Sendrecv(&go, 1, MPI_INT, left, 51, &x_go, 1, MPI_INT, right, 51, MPI_COMM_WORLD,
                 MPI_STATUS_IGNORE);
    MPI_Send(&out, 1, MPI_INT, right, 50, MPI_COMM_WORLD);
    MPI_Wait(&arr[1], MPI_STATUS_IGNORE);
    TM_CHECK(in == left, "receive in a mixed array got %d", in);
    int flag = 1;
    MPI_Status sts[3];
    TM_CHECK_RC(MPI_Testall(3, arr, &flag, sts), "Testall");
    TM_CHECK(!flag && g[0].query_calls == 0, "Testall with an incomplete grequest: flag %d",
             flag);
    MPI_Grequest_complete(arr[0]);
    TM_CHECK_RC(MPI_Testall(3, arr, &flag, sts), "Testall");
    TM_CHECK(flag && arr[0] == MPI_REQUEST_NULL, "Testall after completion: flag %d", flag);
    check_status(&sts[0], &g[0], "Testall");
}

/* Another thread completes the request MPI_Wait blocks on. */
static void *completer(void *arg)
{
    MPI_Request *r = arg;
    tm_sleep_ms(50);
    int rc = MPI_Grequest_complete(*r);
    return (void *)(intptr_t)rc;
}

static void threads(void)
{
    enum { NT = 3 };
    struct greq_state g[NT];
    MPI_Request r[NT], copy[NT];
    pthread_t th[NT];
    for (int round = 0; round < 2; round++) {
        for (int i = 0; i < NT; i++) {
            init_state(&g[i], 20 + i);
            copy[i] = r[i] = start(&g[i]);
            pthread_create(&th[i], NULL, completer, &copy[i]);
            if (round == 0)
                break; /* one request, MPI_Wait */
        }
        double t0 = MPI_Wtime();
        if (round == 0) {
            MPI_Status st;
            TM_CHECK_RC(MPI_Wait(&r[0], &st), "Wait(completed by another thread)");
            check_status(&st, &g[0], "threaded Wait");
            void *rc;
            pthread_join(th[0], &rc);
            TM_CHECK((intptr_t)rc == MPI_SUCCESS, "Grequest_complete in a thread: %d",
                     (int)(intptr_t)rc);
        } else {
            MPI_Status sts[NT];
            TM_CHECK_RC(MPI_Waitall(NT, r, sts), "Waitall(completed by other threads)");
            for (int i = 0; i < NT; i++) {
                pthread_join(th[i], NULL);
                check_status(&sts[i], &g[i], "threaded Waitall");
            }
        }
        TM_CHECK(MPI_Wtime() - t0 < 20, "waiting for another thread's completion took %.1f s",
                 MPI_Wtime() - t0);
    }
}

int main(int argc, char **argv)
{
    int provided = 0;
    if (MPI_Init_thread(&argc, &argv, MPI_THREAD_MULTIPLE, &provided) != MPI_SUCCESS) {
        fprintf(stderr, "FAIL: MPI_Init_thread\n");
        return 1;
    }
    tm_setup_comm();
    /* Generalized requests have no communicator: their errors go to MPI_COMM_SELF. */
    MPI_Comm_set_errhandler(MPI_COMM_SELF, MPI_ERRORS_RETURN);
    MPI_Comm_set_errhandler(MPI_COMM_WORLD, MPI_ERRORS_RETURN);

    basics();
    errors();
    mixed_arrays();
    if (provided == MPI_THREAD_MULTIPLE)
        threads();
    else
        TM_CHECK(0, "MPI_THREAD_MULTIPLE not provided (%d)", provided);
    return tm_finish();
}
