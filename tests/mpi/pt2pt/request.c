/* pt2pt/request: MPI_Request_free on a send still in progress (the message is delivered
 * anyway), MPI_Request_get_status (reports completion without freeing the request, then
 * MPI_Wait still works and frees it), on receives and sends. */
#include "../common.h"

#define TAG_GO 900
#define TAG_ACK 901

static int right, left;

static void handshake(void)
{
    int dummy = 0;
    MPI_Request h;
    MPI_Isend(&dummy, 0, MPI_INT, left, TAG_GO, MPI_COMM_WORLD, &h);
    MPI_Recv(&dummy, 0, MPI_INT, right, TAG_GO, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
    MPI_Wait(&h, MPI_STATUS_IGNORE);
}

int main(int argc, char **argv)
{
    tm_init(&argc, &argv);
    right = (tm_rank + 1) % tm_size;
    left = (tm_rank + tm_size - 1) % tm_size;
    MPI_Status st;
    int flag, count;

    /* Request_free on pending sends of every size: the receiver gets the data, then acks,
     * and only the ack tells the sender its buffer is free again. */
    for (size_t k = 0; k < TM_NSIZES; k++) {
        size_t n = tm_sizes[k];
        unsigned char *sbuf = tm_malloc(n), *rbuf = tm_malloc(n);
        MPI_Request r = MPI_REQUEST_NULL;
        tm_fill(sbuf, n, (unsigned)(tm_rank * 5 + k));
        TM_CHECK_RC(MPI_Isend(sbuf, (int)n, MPI_BYTE, right, 1, MPI_COMM_WORLD, &r), "MPI_Isend");
        TM_CHECK_RC(MPI_Request_free(&r), "MPI_Request_free on a pending send");
        TM_CHECK(r == MPI_REQUEST_NULL, "MPI_Request_free did not set MPI_REQUEST_NULL");
        memset(rbuf, 0, n);
        TM_CHECK_RC(MPI_Recv(rbuf, (int)n, MPI_BYTE, left, 1, MPI_COMM_WORLD, &st), "MPI_Recv");
        MPI_Get_count(&st, MPI_BYTE, &count);
        TM_CHECK(count == (int)n, "freed send of %zu bytes arrived with count %d", n, count);
        TM_CHECK_BUF(rbuf, n, (unsigned)(left * 5 + k), "freed send of %zu bytes", n);
        int ack_out = 1, ack_in = 0;
        MPI_Request a;
        MPI_Isend(&ack_out, 1, MPI_INT, left, TAG_ACK, MPI_COMM_WORLD, &a);
        MPI_Recv(&ack_in, 1, MPI_INT, right, TAG_ACK, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
        MPI_Wait(&a, MPI_STATUS_IGNORE);
        free(sbuf);
        free(rbuf);
    }

    /* Request_get_status on a receive: false before the peer sends, then true without
     * freeing; MPI_Wait afterwards returns the same status and frees it. */
    for (size_t k = 0; k < TM_NSIZES; k++) {
        size_t n = tm_sizes[k];
        unsigned char *sbuf = tm_malloc(n), *rbuf = tm_malloc(n);
        MPI_Request r = MPI_REQUEST_NULL, s = MPI_REQUEST_NULL;
        tm_fill(sbuf, n, (unsigned)(tm_rank + 3 * k));
        MPI_Irecv(rbuf, (int)n, MPI_BYTE, left, 2, MPI_COMM_WORLD, &r);
        flag = 1;
        TM_CHECK_RC(MPI_Request_get_status(r, &flag, &st), "MPI_Request_get_status");
        TM_CHECK(!flag, "get_status says complete before the message was sent");
        handshake();
        MPI_Isend(sbuf, (int)n, MPI_BYTE, right, 2, MPI_COMM_WORLD, &s);
        flag = 0;
        double t0 = MPI_Wtime();
        while (!flag && MPI_Wtime() - t0 < 30.0) {
            TM_CHECK_RC(MPI_Request_get_status(r, &flag, &st), "MPI_Request_get_status");
        }
        TM_CHECK(flag, "get_status never reported completion of a %zu-byte receive", n);
        TM_CHECK(r != MPI_REQUEST_NULL, "get_status freed the request");
        MPI_Get_count(&st, MPI_BYTE, &count);
        TM_CHECK(st.MPI_SOURCE == left && st.MPI_TAG == 2 && count == (int)n,
                 "get_status: source %d tag %d count %d", st.MPI_SOURCE, st.MPI_TAG, count);
        /* Asking again is fine and still does not free. */
        flag = 0;
        MPI_Request_get_status(r, &flag, &st);
        TM_CHECK(flag && r != MPI_REQUEST_NULL, "second get_status: flag %d", flag);
        TM_CHECK_BUF(rbuf, n, (unsigned)(left + 3 * k), "%zu bytes after get_status", n);
        MPI_Status st2;
        TM_CHECK_RC(MPI_Wait(&r, &st2), "MPI_Wait after get_status");
        MPI_Get_count(&st2, MPI_BYTE, &count);
        TM_CHECK(r == MPI_REQUEST_NULL && st2.MPI_SOURCE == left && st2.MPI_TAG == 2 &&
                     count == (int)n,
                 "Wait after get_status: source %d tag %d count %d", st2.MPI_SOURCE, st2.MPI_TAG,
                 count);
        /* The send side: get_status until done, then Wait frees it. */
        flag = 0;
        t0 = MPI_Wtime();
        while (!flag && MPI_Wtime() - t0 < 30.0) {
            MPI_Request_get_status(s, &flag, MPI_STATUS_IGNORE);
        }
        TM_CHECK(flag && s != MPI_REQUEST_NULL, "send get_status: flag %d", flag);
        TM_CHECK_RC(MPI_Wait(&s, MPI_STATUS_IGNORE), "MPI_Wait (send) after get_status");
        TM_CHECK(s == MPI_REQUEST_NULL, "Wait did not free the send request");
        tm_barrier();
        free(sbuf);
        free(rbuf);
    }

    return tm_finish();
}
