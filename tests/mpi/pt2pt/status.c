/* pt2pt/status: MPI_Get_count and MPI_Get_elements on received messages with different
 * datatypes: exact counts when the byte count is a multiple of the type size,
 * MPI_UNDEFINED when not; zero-byte messages (also from a NULL buffer) give count 0 for
 * every type; the count reflects the message, not the (larger) receive buffer. */
#include "../common.h"

static int right, left;

static void exchange(const void *sbuf, int n, MPI_Datatype stype, void *rbuf, int rn,
                     MPI_Datatype rtype, MPI_Status *st)
{
    TM_CHECK_RC(MPI_Sendrecv(sbuf, n, stype, right, 1, rbuf, rn, rtype, left, 1, MPI_COMM_WORLD, st),
                "MPI_Sendrecv");
}

static void expect_count(const MPI_Status *st, MPI_Datatype t, const char *tname, int want,
                         const char *what)
{
    int c = -12345, e = -12345;
    TM_CHECK_RC(MPI_Get_count(st, t, &c), "MPI_Get_count");
    TM_CHECK(c == want, "%s: Get_count(%s) = %d, expected %d", what, tname, c, want);
    TM_CHECK_RC(MPI_Get_elements(st, t, &e), "MPI_Get_elements");
    TM_CHECK(e == want, "%s: Get_elements(%s) = %d, expected %d", what, tname, e, want);
}

int main(int argc, char **argv)
{
    tm_init(&argc, &argv);
    right = (tm_rank + 1) % tm_size;
    left = (tm_rank + tm_size - 1) % tm_size;
    MPI_Status st;
    size_t big = 1048576 + 1;
    unsigned char *sbuf = tm_malloc(big), *rbuf = tm_malloc(big + 64);
    tm_fill(sbuf, big, 3);

    /* 24 bytes. */
    exchange(sbuf, 24, MPI_BYTE, rbuf, 64, MPI_BYTE, &st);
    expect_count(&st, MPI_BYTE, "MPI_BYTE", 24, "24 bytes");
    expect_count(&st, MPI_CHAR, "MPI_CHAR", 24, "24 bytes");
    expect_count(&st, MPI_SHORT, "MPI_SHORT", 12, "24 bytes");
    expect_count(&st, MPI_INT, "MPI_INT", 24 / (int)sizeof(int), "24 bytes");
    expect_count(&st, MPI_DOUBLE, "MPI_DOUBLE", 3, "24 bytes");
    expect_count(&st, MPI_INT64_T, "MPI_INT64_T", 3, "24 bytes");

    /* 12 bytes: not a whole number of doubles. */
    exchange(sbuf, 3, MPI_INT, rbuf, 16, MPI_INT, &st);
    expect_count(&st, MPI_INT, "MPI_INT", 3, "3 ints");
    expect_count(&st, MPI_BYTE, "MPI_BYTE", 12, "3 ints");
    expect_count(&st, MPI_DOUBLE, "MPI_DOUBLE", MPI_UNDEFINED, "3 ints");

    /* 7 bytes. */
    exchange(sbuf, 7, MPI_BYTE, rbuf, 64, MPI_BYTE, &st);
    expect_count(&st, MPI_BYTE, "MPI_BYTE", 7, "7 bytes");
    expect_count(&st, MPI_INT, "MPI_INT", MPI_UNDEFINED, "7 bytes");
    expect_count(&st, MPI_SHORT, "MPI_SHORT", MPI_UNDEFINED, "7 bytes");
    TM_CHECK_BUF(rbuf, 7, 3, "7-byte message");

    /* 1 MiB + 1 bytes into a larger buffer. */
    exchange(sbuf, (int)big, MPI_BYTE, rbuf, (int)big + 64, MPI_BYTE, &st);
    expect_count(&st, MPI_BYTE, "MPI_BYTE", (int)big, "1 MiB+1");
    expect_count(&st, MPI_INT, "MPI_INT", MPI_UNDEFINED, "1 MiB+1");
    TM_CHECK_BUF(rbuf, big, 3, "1 MiB+1 message");
    exchange(sbuf, (int)(big - 1) / 4, MPI_INT, rbuf, (int)big / 4 + 4, MPI_INT, &st);
    expect_count(&st, MPI_INT, "MPI_INT", (int)(big - 1) / 4, "1 MiB of ints");
    expect_count(&st, MPI_BYTE, "MPI_BYTE", (int)(big - 1), "1 MiB of ints");

    /* Zero bytes: from a real buffer, from NULL, and received into NULL with count 0. */
    memset(rbuf, 0x5a, 16);
    exchange(sbuf, 0, MPI_INT, rbuf, 16, MPI_BYTE, &st);
    TM_CHECK(st.MPI_SOURCE == left && st.MPI_TAG == 1, "zero-byte status source %d tag %d",
             st.MPI_SOURCE, st.MPI_TAG);
    expect_count(&st, MPI_BYTE, "MPI_BYTE", 0, "0 bytes");
    expect_count(&st, MPI_DOUBLE, "MPI_DOUBLE", 0, "0 bytes");
    TM_CHECK(rbuf[0] == 0x5a, "a zero-byte message wrote the receive buffer");
    exchange(NULL, 0, MPI_BYTE, NULL, 0, MPI_BYTE, &st);
    expect_count(&st, MPI_INT, "MPI_INT", 0, "0 bytes from NULL");
    TM_CHECK(st.MPI_SOURCE == left && st.MPI_TAG == 1, "zero-byte (NULL) status source %d tag %d",
             st.MPI_SOURCE, st.MPI_TAG);

    /* Many zero-byte messages with distinct tags, received out of order. */
    {
        enum { Z = 50 };
        MPI_Request sreq[Z];
        for (int i = 0; i < Z; i++) {
            MPI_Isend(NULL, 0, MPI_BYTE, right, 100 + i, MPI_COMM_WORLD, &sreq[i]);
        }
        for (int i = Z - 1; i >= 0; i--) {
            MPI_Recv(NULL, 0, MPI_BYTE, left, 100 + i, MPI_COMM_WORLD, &st);
            TM_CHECK(st.MPI_TAG == 100 + i && st.MPI_SOURCE == left, "zero-byte #%d: tag %d", i,
                     st.MPI_TAG);
            expect_count(&st, MPI_BYTE, "MPI_BYTE", 0, "zero-byte stream");
        }
        MPI_Waitall(Z, sreq, MPI_STATUSES_IGNORE);
    }

    free(sbuf);
    free(rbuf);
    return tm_finish();
}
