/* pt2pt/large_2g: the largest message an int count allows, INT_MAX (2 GiB - 1) bytes of
 * MPI_BYTE, from rank 0 to rank 1 with MPI_Send/MPI_Recv and back with MPI_Isend/MPI_Irecv,
 * content checked end to end (catches 32-bit size arithmetic and chunking bugs). Needs
 * about 2 GiB per rank; registered at 2 ranks only. */
#include "../common.h"

#include <limits.h>

int main(int argc, char **argv)
{
    tm_init(&argc, &argv);
    if (tm_size != 2) {
        TM_CHECK(0, "this test needs exactly 2 ranks, has %d", tm_size);
        return tm_finish();
    }
    const int n = INT_MAX;
    unsigned char *buf = malloc((size_t)n);
    int ok = buf != NULL;
    if (!tm_agree(ok)) {
        TM_CHECK(ok, "could not allocate %d bytes", n);
        free(buf);
        return tm_finish();
    }
    int peer = 1 - tm_rank;
    MPI_Status st;
    int count = -1;

    if (tm_rank == 0) {
        tm_fill(buf, (size_t)n, 11);
        TM_CHECK_RC(MPI_Send(buf, n, MPI_BYTE, peer, 1, MPI_COMM_WORLD), "MPI_Send (INT_MAX bytes)");
        memset(buf, 0, (size_t)n);
        MPI_Request r;
        TM_CHECK_RC(MPI_Irecv(buf, n, MPI_BYTE, peer, 2, MPI_COMM_WORLD, &r), "MPI_Irecv");
        TM_CHECK_RC(MPI_Wait(&r, &st), "MPI_Wait (INT_MAX-byte receive)");
    } else {
        memset(buf, 0, (size_t)n);
        TM_CHECK_RC(MPI_Recv(buf, n, MPI_BYTE, peer, 1, MPI_COMM_WORLD, &st), "MPI_Recv (INT_MAX bytes)");
        MPI_Get_count(&st, MPI_BYTE, &count);
        TM_CHECK(count == n, "first message: Get_count %d, expected %d", count, n);
        TM_CHECK_BUF(buf, (size_t)n, 11, "INT_MAX bytes from rank 0");
        /* Send the verified buffer back. */
        MPI_Request r;
        TM_CHECK_RC(MPI_Isend(buf, n, MPI_BYTE, peer, 2, MPI_COMM_WORLD, &r), "MPI_Isend");
        TM_CHECK_RC(MPI_Wait(&r, MPI_STATUS_IGNORE), "MPI_Wait (INT_MAX-byte send)");
    }
    if (tm_rank == 0) {
        MPI_Get_count(&st, MPI_BYTE, &count);
        TM_CHECK(count == n, "returned message: Get_count %d, expected %d", count, n);
        MPI_Get_elements(&st, MPI_BYTE, &count);
        TM_CHECK(count == n, "returned message: Get_elements %d, expected %d", count, n);
        TM_CHECK(st.MPI_SOURCE == 1 && st.MPI_TAG == 2, "returned message: source %d tag %d",
                 st.MPI_SOURCE, st.MPI_TAG);
        TM_CHECK_BUF(buf, (size_t)n, 11, "INT_MAX bytes returned from rank 1");
    }
    free(buf);
    return tm_finish();
}
