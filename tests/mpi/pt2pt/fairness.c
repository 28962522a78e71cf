/* pt2pt/fairness: MPI_Waitany / MPI_Testany do not starve later requests, and
 * MPI_Waitsome / MPI_Testsome return every request that is complete.
 * - Every rank pre-sends M messages to every rank; once a pairwise handshake proves they
 *   all arrived, each receiver keeps one receive per sender posted (reposting the one that
 *   completed, which matches at once), so every request is complete at every call. A
 *   Waitany that always scanned from index 0 would serve only the first sender until it
 *   ran dry; we require every sender to be served within the first 2 x (senders) calls.
 * - K of N posted receives are satisfied (proved by a handshake over the same peer pair,
 *   which is FIFO): Waitsome/Testsome report exactly those K, then nothing, then the rest.
 * Also Waitsome/Testsome/Waitany over arrays holding MPI_REQUEST_NULL. */
#include "../common.h"

#define M 6

static MPI_Comm ctl;

/* Returns when every rank has told us it finished sending to us (FIFO per pair). */
static void all_sent(void)
{
    MPI_Request *r = tm_malloc(sizeof(MPI_Request) * 2 * (size_t)tm_size);
    int one = 1, *in = tm_malloc(sizeof(int) * (size_t)tm_size);
    for (int k = 0; k < tm_size; k++) {
        MPI_Isend(&one, 1, MPI_INT, k, 1, ctl, &r[k]);
        MPI_Irecv(&in[k], 1, MPI_INT, k, 1, ctl, &r[tm_size + k]);
    }
    MPI_Waitall(2 * tm_size, r, MPI_STATUSES_IGNORE);
    free(r);
    free(in);
}

static void any_no_starvation(int use_test)
{
    int n = tm_size;
    int *out = tm_malloc(sizeof(int) * (size_t)(n * M));
    int *in = tm_malloc(sizeof(int) * (size_t)n);
    MPI_Request *sreq = tm_malloc(sizeof(MPI_Request) * (size_t)(n * M));
    MPI_Request *rreq = tm_malloc(sizeof(MPI_Request) * (size_t)n);
    int *served = calloc((size_t)n, sizeof(int)), *next = calloc((size_t)n, sizeof(int));
    for (int m = 0; m < M; m++)
        for (int k = 0; k < n; k++) {
            out[m * n + k] = tm_rank * 1000 + m;
            MPI_Isend(&out[m * n + k], 1, MPI_INT, k, 7, MPI_COMM_WORLD, &sreq[m * n + k]);
        }
    all_sent();
    for (int k = 0; k < n; k++)
        MPI_Irecv(&in[k], 1, MPI_INT, k, 7, MPI_COMM_WORLD, &rreq[k]);
    int first_window_ok = 1;
    for (int call = 0; call < n * M; call++) {
        int idx = -1, flag = 0;
        MPI_Status st;
        if (use_test) {
            TM_CHECK_RC(MPI_Testany(n, rreq, &idx, &flag, &st), "Testany");
            TM_CHECK(flag && idx != MPI_UNDEFINED, "Testany found nothing complete (call %d)",
                     call);
        } else {
            TM_CHECK_RC(MPI_Waitany(n, rreq, &idx, &st), "Waitany");
        }
        if (idx < 0 || idx >= n)
            break;
        TM_CHECK(st.MPI_SOURCE == idx && in[idx] == idx * 1000 + next[idx],
                 "slot %d: source %d value %d, expected %d", idx, st.MPI_SOURCE, in[idx],
                 idx * 1000 + next[idx]);
        next[idx]++;
        served[idx]++;
        if (next[idx] < M)
            MPI_Irecv(&in[idx], 1, MPI_INT, idx, 7, MPI_COMM_WORLD, &rreq[idx]);
        if (call == 2 * n - 1) {
            for (int k = 0; k < n; k++)
                if (served[k] == 0)
                    first_window_ok = 0;
        }
    }
    if (n * M < 2 * n)
        first_window_ok = 1;
    TM_CHECK(first_window_ok, "%s starved a request: some sender was not served in the "
             "first %d calls while all were complete", use_test ? "Testany" : "Waitany", 2 * n);
    for (int k = 0; k < n; k++)
        TM_CHECK(served[k] == M, "sender %d served %d times, expected %d", k, served[k], M);
    MPI_Waitall(n * M, sreq, MPI_STATUSES_IGNORE);
    free(out);
    free(in);
    free(sreq);
    free(rreq);
    free(served);
    free(next);
}

/* N receives from the left neighbour, K satisfied: the some-calls return exactly K. */
static void some_returns_all(int use_test)
{
    enum { N = 12, K = 7 };
    int right = (tm_rank + 1) % tm_size, left = (tm_rank + tm_size - 1) % tm_size;
    MPI_Request r[2 * N], s[N];
    int in[N], out[N], indices[2 * N];
    MPI_Status sts[2 * N];
    /* Null handles interleaved: slot 2j+1 holds receive j. */
    for (int j = 0; j < N; j++) {
        r[2 * j] = MPI_REQUEST_NULL;
        in[j] = -1;
        MPI_Irecv(&in[j], 1, MPI_INT, left, 100 + j, MPI_COMM_WORLD, &r[2 * j + 1]);
    }
    /* The first K only, then "done" on ctl: FIFO per pair means they arrived first. */
    for (int j = 0; j < K; j++) {
        out[j] = tm_rank * 100 + j;
        MPI_Isend(&out[j], 1, MPI_INT, right, 100 + j, MPI_COMM_WORLD, &s[j]);
    }
    int done = 1, got = 0;
    MPI_Request dr;
    MPI_Isend(&done, 1, MPI_INT, right, 2, ctl, &dr);
    MPI_Recv(&got, 1, MPI_INT, left, 2, ctl, MPI_STATUS_IGNORE);
    MPI_Wait(&dr, MPI_STATUS_IGNORE);

    int outcount = -1;
    if (use_test)
        TM_CHECK_RC(MPI_Testsome(2 * N, r, &outcount, indices, sts), "Testsome");
    else
        TM_CHECK_RC(MPI_Waitsome(2 * N, r, &outcount, indices, sts), "Waitsome");
    TM_CHECK(outcount == K, "%s returned %d requests, %d were complete",
             use_test ? "Testsome" : "Waitsome", outcount, K);
    int seen[N] = {0};
    for (int i = 0; i < outcount && i < 2 * N; i++) {
        int slot = indices[i], j = (slot - 1) / 2;
        TM_CHECK(slot % 2 == 1 && j >= 0 && j < K && !seen[j], "index %d returned", slot);
        if (slot % 2 != 1 || j < 0 || j >= K)
            continue;
        seen[j] = 1;
        TM_CHECK(r[slot] == MPI_REQUEST_NULL, "returned request %d not freed", slot);
        TM_CHECK(sts[i].MPI_TAG == 100 + j && sts[i].MPI_SOURCE == left &&
                     in[j] == left * 100 + j,
                 "request %d: tag %d source %d value %d", slot, sts[i].MPI_TAG,
                 sts[i].MPI_SOURCE, in[j]);
    }
    outcount = -1;
    TM_CHECK_RC(MPI_Testsome(2 * N, r, &outcount, indices, sts), "Testsome");
    TM_CHECK(outcount == 0, "Testsome with nothing complete returned %d", outcount);

    /* The rest, once the right neighbour has checked too; collect them with repeated
     * calls. */
    MPI_Isend(&done, 1, MPI_INT, left, 3, ctl, &dr);
    MPI_Recv(&got, 1, MPI_INT, right, 3, ctl, MPI_STATUS_IGNORE);
    MPI_Wait(&dr, MPI_STATUS_IGNORE);
    for (int j = K; j < N; j++) {
        out[j] = tm_rank * 100 + j;
        MPI_Isend(&out[j], 1, MPI_INT, right, 100 + j, MPI_COMM_WORLD, &s[j]);
    }
    int total = 0;
    double t0 = MPI_Wtime();
    while (total < N - K && MPI_Wtime() - t0 < 60) {
        if (use_test)
            MPI_Testsome(2 * N, r, &outcount, indices, MPI_STATUSES_IGNORE);
        else
            MPI_Waitsome(2 * N, r, &outcount, indices, MPI_STATUSES_IGNORE);
        TM_CHECK(outcount != MPI_UNDEFINED, "some-call found no active request");
        if (outcount == MPI_UNDEFINED)
            break;
        total += outcount;
    }
    TM_CHECK(total == N - K, "collected %d of the remaining %d", total, N - K);
    for (int j = 0; j < N; j++)
        TM_CHECK(in[j] == left * 100 + j, "receive %d holds %d", j, in[j]);
    MPI_Waitsome(2 * N, r, &outcount, indices, MPI_STATUSES_IGNORE);
    TM_CHECK(outcount == MPI_UNDEFINED, "all null: outcount %d", outcount);
    MPI_Waitall(N, s, MPI_STATUSES_IGNORE);
}

int main(int argc, char **argv)
{
    tm_init(&argc, &argv);
    MPI_Comm_dup(MPI_COMM_WORLD, &ctl);
    for (int round = 0; round < 2; round++) {
        any_no_starvation(0);
        any_no_starvation(1);
        some_returns_all(0);
        some_returns_all(1);
    }
    MPI_Comm_free(&ctl);
    return tm_finish();
}
