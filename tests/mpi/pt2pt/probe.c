/* pt2pt/probe: MPI_Probe and MPI_Iprobe report source, tag and size before the receive,
 * for every protocol size; a probed message stays until received; MPI_Iprobe says false
 * when nothing matches; ANY_SOURCE/ANY_TAG probes lead to the right receive. */
#include "../common.h"

#define TAG_READY 900

int main(int argc, char **argv)
{
    tm_init(&argc, &argv);
    int right = (tm_rank + 1) % tm_size, left = (tm_rank + tm_size - 1) % tm_size;
    size_t maxn = tm_sizes[TM_NSIZES - 1];
    unsigned char *sbuf = tm_malloc(maxn), *rbuf = tm_malloc(maxn);
    MPI_Status st;
    int flag, count;

    /* Nothing was sent with tag 4444: Iprobe says so, for specific and wildcard source. */
    flag = 1;
    TM_CHECK_RC(MPI_Iprobe(left, 4444, MPI_COMM_WORLD, &flag, &st), "MPI_Iprobe");
    TM_CHECK(!flag, "Iprobe found a message with an unused tag");
    flag = 1;
    MPI_Iprobe(MPI_ANY_SOURCE, 4444, MPI_COMM_WORLD, &flag, &st);
    TM_CHECK(!flag, "Iprobe(ANY_SOURCE) found a message with an unused tag");

    for (size_t k = 0; k < TM_NSIZES; k++) {
        size_t n = tm_sizes[k];
        int tag = (int)(10 + k);
        MPI_Request sreq;
        tm_fill(sbuf, n, (unsigned)(tm_rank + k));
        MPI_Isend(sbuf, (int)n, MPI_BYTE, right, tag, MPI_COMM_WORLD, &sreq);

        /* Blocking probe, specific source, any tag. */
        TM_CHECK_RC(MPI_Probe(left, MPI_ANY_TAG, MPI_COMM_WORLD, &st), "MPI_Probe");
        MPI_Get_count(&st, MPI_BYTE, &count);
        TM_CHECK(st.MPI_SOURCE == left && st.MPI_TAG == tag && count == (int)n,
                 "Probe: source %d tag %d count %d, expected %d/%d/%zu", st.MPI_SOURCE, st.MPI_TAG,
                 count, left, tag, n);
        /* Probing again finds the same message. */
        flag = 0;
        double t0 = MPI_Wtime();
        while (!flag && MPI_Wtime() - t0 < 20.0) {
            MPI_Iprobe(MPI_ANY_SOURCE, tag, MPI_COMM_WORLD, &flag, &st);
        }
        MPI_Get_count(&st, MPI_BYTE, &count);
        TM_CHECK(flag && st.MPI_SOURCE == left && st.MPI_TAG == tag && count == (int)n,
                 "second Iprobe: flag %d source %d tag %d count %d", flag, st.MPI_SOURCE,
                 st.MPI_TAG, count);
        /* Receive exactly what the probe said, from the probed source and tag. */
        memset(rbuf, 0, n);
        TM_CHECK_RC(MPI_Recv(rbuf, count, MPI_BYTE, st.MPI_SOURCE, st.MPI_TAG, MPI_COMM_WORLD, &st),
                    "MPI_Recv after probe");
        TM_CHECK_BUF(rbuf, n, (unsigned)(left + k), "probed message of %zu bytes", n);
        MPI_Wait(&sreq, MPI_STATUS_IGNORE);
        /* It is gone now. */
        tm_barrier();
        flag = 1;
        MPI_Iprobe(left, tag, MPI_COMM_WORLD, &flag, &st);
        TM_CHECK(!flag, "Iprobe still sees the %zu-byte message after it was received", n);
    }

    /* Iprobe polling (no blocking probe) for a message sent after a handshake. */
    {
        int dummy = 0;
        MPI_Request h, sreq;
        flag = 1;
        MPI_Iprobe(left, 20, MPI_COMM_WORLD, &flag, &st);
        TM_CHECK(!flag, "Iprobe found tag 20 before it was sent");
        MPI_Isend(&dummy, 0, MPI_INT, left, TAG_READY, MPI_COMM_WORLD, &h);
        MPI_Recv(&dummy, 0, MPI_INT, right, TAG_READY, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
        size_t n = 65536 + 3;
        tm_fill(sbuf, n, 99);
        MPI_Isend(sbuf, (int)n, MPI_BYTE, right, 20, MPI_COMM_WORLD, &sreq);
        flag = 0;
        double t0 = MPI_Wtime();
        while (!flag && MPI_Wtime() - t0 < 20.0) {
            MPI_Iprobe(MPI_ANY_SOURCE, MPI_ANY_TAG, MPI_COMM_WORLD, &flag, &st);
        }
        MPI_Get_count(&st, MPI_BYTE, &count);
        TM_CHECK(flag && st.MPI_SOURCE == left && st.MPI_TAG == 20 && count == (int)n,
                 "Iprobe(ANY, ANY): flag %d source %d tag %d count %d", flag, st.MPI_SOURCE,
                 st.MPI_TAG, count);
        MPI_Recv(rbuf, (int)n, MPI_BYTE, left, 20, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
        TM_CHECK_BUF(rbuf, n, 99, "Iprobe-polled message");
        MPI_Wait(&sreq, MPI_STATUS_IGNORE);
        MPI_Wait(&h, MPI_STATUS_IGNORE);
        tm_barrier(); /* nobody sends the next section's messages while we probe ANY/ANY */
    }

    /* Rank 0 probes with ANY_SOURCE for one message from every rank (itself included),
     * each with its own size, and receives each from the probed source. */
    {
        int n_mine = 100 + tm_rank * 1000;
        MPI_Request sreq;
        tm_fill(sbuf, (size_t)n_mine, (unsigned)(tm_rank + 500));
        MPI_Isend(sbuf, n_mine, MPI_BYTE, 0, 30, MPI_COMM_WORLD, &sreq);
        if (tm_rank == 0) {
            int *seen = calloc((size_t)tm_size, sizeof(int));
            for (int i = 0; i < tm_size; i++) {
                MPI_Probe(MPI_ANY_SOURCE, 30, MPI_COMM_WORLD, &st);
                MPI_Get_count(&st, MPI_BYTE, &count);
                int src = st.MPI_SOURCE;
                TM_CHECK(src >= 0 && src < tm_size && !seen[src], "Probe(ANY_SOURCE) gave source %d",
                         src);
                if (src < 0 || src >= tm_size) {
                    break;
                }
                seen[src] = 1;
                TM_CHECK(count == 100 + src * 1000, "message from %d: probed count %d", src, count);
                MPI_Recv(rbuf, count, MPI_BYTE, src, 30, MPI_COMM_WORLD, &st);
                TM_CHECK(st.MPI_SOURCE == src, "received from %d after probing %d", st.MPI_SOURCE,
                         src);
                TM_CHECK_BUF(rbuf, (size_t)count, (unsigned)(src + 500), "message from %d", src);
            }
            free(seen);
        }
        MPI_Wait(&sreq, MPI_STATUS_IGNORE);
    }

    free(sbuf);
    free(rbuf);
    return tm_finish();
}
